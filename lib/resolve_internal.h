/* Shared by resolve.c and judge.c; not public API. */
#ifndef ORD_RESOLVE_INTERNAL_H
#define ORD_RESOLVE_INTERNAL_H

#include "resolve.h"

/* The effective base URL of a tool (winning base source or default). */
void set_base_url(ord_tool_res *t, const ord_diag *d);
/* Fill keys[].why for every candidate shadowed by the winner. */
void explain_losers(const ord_ctx *ctx, const ord_diag *d, ord_tool_res *t);

#endif
