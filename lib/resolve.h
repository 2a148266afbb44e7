/* resolve: for each tool profile, the key and base URL the tool would send,
 * and every candidate it shadows with the rule that made it lose.
 *
 * Resolution is a fact, not a judgment: it says what a tool reads and in
 * which order, from the profile's data.  Whether that is a problem is
 * decided by the rules (lib/rules*.c).
 */
#ifndef ORD_RESOLVE_H
#define ORD_RESOLVE_H

#include "ctx.h"
#include "profile.h"
#include "source.h"

typedef struct ord_cand {
	/* Where the value lives: the hit to change.  For a config value that
	 * is one reference ({env:X}, ${{ secrets.X }}, $X), the hit of X (the
	 * .env line, or the environment), and `via` is the config line. */
	long hit;
	const ord_psrc *src;    /* the profile line it comes from */
	int yields;             /* holds a value under the source's empty rule */
	long via;               /* the template's config hit, or -1 */
	int own;                /* the value lives in the tool's own store */
	const ord_edit *edit;   /* how that store is changed, or NULL (by hand) */
	ord_empty_rule empty_rule; /* what an empty value does in this source */
	long masked_by;         /* the empty candidate that hides this one, or -1 */
	int unloaded;           /* its if= conditions fail: the tool does not read it here */
	int unusable;           /* too short or a placeholder word (min-len=, placeholder=) */
	char *why;              /* for a shadowed candidate: why it loses */
} ord_cand;

typedef struct ord_tool_res {
	const ord_profile *p;
	int present;
	char *present_why;      /* "the command 'aider' is on PATH", … */
	ord_cand *keys;         /* every source that exists, precedence order */
	size_t nkeys;
	long win;               /* index into keys, or -1 */
	/* a candidate sent too, in its own header (header= on its line),
	 * next to the winner: index into keys, or -1 */
	long also;
	/* A `key: store …` source ordoctor cannot read that ranks above the
	 * winner (or any, when nothing wins): index into p->keys, or -1. */
	long store;
	char *store_path;       /* that store's place, expanded, or NULL */
	/* A `store command` line (Claude Code's apiKeyHelper): the command
	 * text and its line in store_path, and why it was not run or failed
	 * ("not run (--run-helpers runs it)"); NULL when none. */
	char *store_cmd;
	unsigned store_cmd_line;
	char *store_cmd_why;
	ord_cand *bases;
	size_t nbases;
	long bwin;
	/* A `base: store …` line ranked above the base winner: the base URL
	 * is in a store ordoctor cannot read (index into p->bases), or -1. */
	long bstore;
	char *base_url;         /* effective base URL, or NULL when none/fixed/unknown */
	int base_default;       /* base_url is the profile's default */
} ord_tool_res;

typedef struct ord_tools {
	ord_profiles profiles;
	ord_tool_res *v;
	size_t n;
} ord_tools;

/* Load the profiles and resolve every tool against the machine; values
 * found in tool config files are added to hits (kind config). */
void ord_tools_resolve(ord_ctx *ctx, ord_hits *hits, ord_tools *t);
void ord_tools_release(ord_tools *t);

const ord_tool_res *ord_tools_find(const ord_tools *t, const char *id);
/* "a .env loaded with override beats the environment", … */
const char *ord_source_kind_text(const ord_psrc *s);

#endif
