/* Shared between diag.c and the check implementations; not public API. */
#ifndef ORD_DIAG_INTERNAL_H
#define ORD_DIAG_INTERNAL_H

#include "check.h"

ord_check *ord_diag_check(ord_diag *d, const char *id, const char *title);
/* Set status and message; a check keeps its worst status. */
void ord_check_set(ord_check *c, ord_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ord_check_evidence(ord_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
ord_finding *ord_diag_finding(ord_diag *d, const char *cause, int score,
			      long hit, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Malloc'd "~/.env line 3" / "the environment (NAME)". */
char *ord_diag_where(const ord_ctx *ctx, const ord_hit *h);

void ord_run_offline_checks(ord_ctx *ctx, ord_diag *d);

#endif
