/* rules: facts in, claims out.
 *
 * A rule reads the facts (never the ctx, never the network) and records
 * claims: a cause of causes.md about one subject (a place, a key, a tool),
 * how sure it is (ord_cert, from the kind of evidence) and whether its
 * subject is what a request carries (ord_reach).  Exactly one rule owns
 * each (cause, subject).  A rule writes no prose: it names a story, and
 * lib/words.c tells it.  The scope (one tool) is applied afterwards as a
 * filter by lib/verdict.c, so `check` and `check --tool` read the same
 * claims.
 */
#ifndef ORD_RULES_H
#define ORD_RULES_H

#include "diag.h"

/* The stories, one per way a rule can find a cause. */
enum ord_story {
	/* credentials */
	ORD_STORY_NO_KEY,
	/* empty_values */
	ORD_STORY_EMPTY_EXPANSION,
	ORD_STORY_EMPTY,
	ORD_STORY_PLACEHOLDER,
	/* key_format, whitespace */
	ORD_STORY_MALFORMED,
	ORD_STORY_FIXABLE,
	/* foreign_keys */
	ORD_STORY_FOREIGN,
	ORD_STORY_NO_BASE,          /* an OpenRouter key where an OpenAI/Anthropic key goes */
	/* variable_names */
	ORD_STORY_NEAR_MISS,
	/* shadowing */
	ORD_STORY_DUP_IN_FILE,
	ORD_STORY_SHELL_VS_DOTENV,
	ORD_STORY_SHELL_EMPTY,      /* an empty export hides the .env */
	ORD_STORY_STALE_SHELL,      /* this shell's value is older than the file */
	/* netrc */
	ORD_STORY_NETRC,
	/* base_urls */
	ORD_STORY_URL_LINT,
	ORD_STORY_URL_HTML,
	ORD_STORY_URL_REDIRECT,
	/* key_status */
	ORD_STORY_DEAD,
	ORD_STORY_KEY_ANSWER,       /* /key answered with another failure (429, 402…) */
	ORD_STORY_MANAGEMENT,
	ORD_STORY_LIMIT,
	ORD_STORY_EXPIRING,
	ORD_STORY_INCIDENT,
	/* chat */
	ORD_STORY_CHAT,
	/* the wire: what a request carried (run, proxy) */
	ORD_STORY_WIRE,
	/* tools: one tool's resolution */
	ORD_STORY_TOOL_NO_KEY,
	ORD_STORY_TOOL_ELSEWHERE,   /* the key sits where the tool does not look */
	ORD_STORY_TOOL_NOT_LOADED,  /* exported in a startup file, not in this environment */
	ORD_STORY_TOOL_UNLOADED,    /* in a .env the tool reads only when the project loads it */
	ORD_STORY_TOOL_EMPTY_ABOVE, /* the first choice is empty (an early $VAR), a worse one wins */
	ORD_STORY_TOOL_SHAPE,       /* the winner is empty/placeholder/foreign/malformed/quoted */
	ORD_STORY_TOOL_SHADOWED,    /* the winner is dead, a valid candidate loses */
	ORD_STORY_TOOL_DEAD_ELSEWHERE, /* the winner is dead, a valid key sits elsewhere */
	ORD_STORY_TOOL_DEAD,
	ORD_STORY_TOOL_SHADOW_UNKNOWN, /* another key loses; which one works is unknown */
	ORD_STORY_TOOL_MANAGEMENT,
	ORD_STORY_TOOL_LIMIT,
	ORD_STORY_TOOL_ENDPOINT,    /* the tool's default endpoint is another vendor's */
	ORD_STORY_TOOL_URL,         /* the tool's base URL has the wrong form */
	ORD_STORY_TOOL_AUTH_SCHEME, /* Claude Code: x-api-key next to the Bearer token */
};

/* Run every rule over d->f and record the claims and the missing facts
 * (d->claims, d->gaps).  `focus` is the tool asked for with --tool (its
 * rules run even when it is not installed), or -1. */
void ord_rules_run(ord_diag *d, long focus);

/* Rules of one table entry, for --list-checks and docs: the check id and
 * the causes it can raise. */
typedef struct ord_rule_def {
	const char *id;
	const char *check;
	const char *causes;
} ord_rule_def;
const ord_rule_def *ord_rule_defs(size_t *n);

/* Is the hit what a request carries?  (precomputed by ord_rules_run) */
ord_reach ord_rules_hit_reach(const ord_diag *d, long hit);

/* Does tool t (an index into f->tools->v) depend on this hit or key:
 * the place its key or base URL comes from, or the key it sends? */
int ord_rules_tool_depends(const ord_facts *f, long t, long hit, long row);

/* Is the hit one of the places tool t reads (a candidate, won or not)? */
int ord_rules_tool_reads(const ord_facts *f, long t, long hit);

/* A tool set up for its own vendor (no OpenRouter key, the vendor's
 * default endpoint): not an OpenRouter problem, nothing to judge. */
int ord_rules_not_for_openrouter(const ord_facts *f, long t);

#endif
