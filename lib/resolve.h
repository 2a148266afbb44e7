/* resolve: for each tool profile, the key and base URL the tool would send,
 * and every candidate it shadows with the rule that made it lose. */
#ifndef ORD_RESOLVE_H
#define ORD_RESOLVE_H

#include "check.h"
#include "profile.h"

typedef struct ord_cand {
	long hit;               /* index into d->hits */
	const ord_psrc *src;    /* the profile line it comes from */
	int yields;             /* holds a value under the profile's empty rule */
	long via;               /* the hit a reference resolved to ({env:X}), or -1 */
	char *why;              /* for a shadowed candidate: why it loses */
} ord_cand;

typedef struct ord_tool_res {
	const ord_profile *p;
	int present;
	char *present_why;      /* "the command 'aider' is on PATH", … */
	ord_cand *keys;         /* every source that exists, precedence order */
	size_t nkeys;
	long win;               /* index into keys, or -1 */
	ord_cand *bases;
	size_t nbases;
	long bwin;
	char *base_url;         /* effective base URL, or NULL when none/fixed */
	int base_default;       /* base_url is the profile's default */
	long finding;           /* this tool's verdict: index into findings, or -1 */
} ord_tool_res;

typedef struct ord_tools {
	ord_profiles profiles;
	ord_tool_res *v;
	size_t n;
} ord_tools;

/* Load the profiles and resolve every tool against the machine; values
 * found in tool config files are added to d->hits (kind config). */
void ord_tools_resolve(ord_ctx *ctx, ord_diag *d, ord_tools *t);
/* After live checks: each tool's verdict (findings tagged with the tool);
 * `focus` (--tool) gets a bonus so it heads the report. */
void ord_tools_judge(ord_ctx *ctx, ord_diag *d, ord_tools *t, const char *focus);
void ord_tools_release(ord_tools *t);
/* The "tools" check: one evidence line per present tool. */
void ord_check_tools(ord_ctx *ctx, ord_diag *d, const char *focus);

const ord_tool_res *ord_tools_find(const ord_tools *t, const char *id);
/* "a .env loaded with override beats the environment", … */
const char *ord_source_kind_text(const ord_psrc *s);

#endif
