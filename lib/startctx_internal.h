/* startctx_internal: what lib/startctx_gather.c (the files of each start
 * context) and lib/startctx_sys.c (the system's share: pam.d, the crontab,
 * systemd units) share.  Not part of the library's interface. */
#ifndef ORD_STARTCTX_INTERNAL_H
#define ORD_STARTCTX_INTERNAL_H

#include "startctx.h"

typedef struct gather {
	ord_ctx *ctx;
	const ord_hits *hits;
	ord_startctx *sc;
	char *root;     /* "" for "/", else the parent of etc */
	char *z0, *z;   /* ZDOTDIR before and after .zshenv */
	char *envd_note, *zsh_note;
	int zsh_unknown, pam_user;
} gather;

/* "~/x", "/etc/x", "$Z0/x", "$Z/x", or a path under the inspected root. */
char *sc_sys_path(gather *g, const char *p);
int sc_add_file(ord_startctx *sc, int c, const char *path, const char *kind, char how);

int sc_pam_user_readenv(gather *g); /* startctx_sys.c */
int sc_gather_cron(gather *g);
int sc_gather_units(gather *g);

#endif
