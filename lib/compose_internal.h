/* compose internals: what compose.c takes from compose_files.c; not
 * public API. */
#ifndef ORD_COMPOSE_INTERNAL_H
#define ORD_COMPOSE_INTERNAL_H

#include "compose.h"

/* path is a regular file (through ctx's file table) */
int ord_compose_is_file(ord_ctx *ctx, const char *path);
/* Fill c->files for working directory cwd; 0 or ENOMEM. */
int ord_compose_find_files(ord_ctx *ctx, const char *cwd, ord_compose *c);
/* The directory part of an absolute path (malloc'd), or NULL. */
char *ord_compose_dir_of(const char *path);

#endif
