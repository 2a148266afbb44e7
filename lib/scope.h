/* scope: whether the working directory is a project, and the note a check
 * prints when it is not but the tools judged read a project's files. */
#ifndef ORD_SCOPE_H
#define ORD_SCOPE_H

#include "ctx.h"

struct ord_diag;

/* The working directory, or a parent below the home, holds a file a
 * project is recognised by (.git, package.json, .env, …). */
int ord_scope_in_project(ord_ctx *ctx);

/* NULL inside a project, or when no tool judged (focus, or every present
 * one when focus < 0) reads project files; else a malloc'd sentence. */
char *ord_scope_note(ord_ctx *ctx, const struct ord_diag *d, long focus);

#endif
