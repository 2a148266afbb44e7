/* laststate: the last good state, and what changed since.
 *
 * After a check with no problem and nothing missing, the caller records
 * what that check saw: every key row (fingerprint, redacted form, its
 * places), the base URLs, and each present tool's key and base URL, with
 * the date of the ctx clock.  It holds nothing the output could not show
 * (no key, only fingerprints and redacted forms), in
 * $XDG_STATE_HOME/ordoctor/last-good.json (default
 * ~/.local/state/ordoctor/), written through the ctx (atomic, 0600).
 *
 * When a later check finds a problem or cannot decide, ord_since_compare()
 * reads that file back and lists the differences; lib/words_state.c writes
 * their sentences.  A file that cannot be read as a state is one warning,
 * never an error: the diagnosis goes on without it.
 */
#ifndef ORD_LASTSTATE_H
#define ORD_LASTSTATE_H

#include <stddef.h>

#include "ctx.h"
#include "facts.h"

/* Where a value lives: a file (and line, and field or variable name), or
 * the environment (path NULL, name the variable). */
typedef struct ord_place {
	char *path;
	unsigned line;
	char *name;
} ord_place;

/* One key at one place. */
typedef struct ord_ls_key {
	char fp[ORD_FP_LEN + 1];
	char redacted[ORD_REDACT_MAX];
	ord_place place;
} ord_ls_key;

/* What one present tool sends. */
typedef struct ord_ls_tool {
	char *id;
	int has_key;
	char fp[ORD_FP_LEN + 1];
	char redacted[ORD_REDACT_MAX];
	ord_place src;
	char *base_url;     /* NULL when none is known */
} ord_ls_tool;

typedef struct ord_laststate {
	char date[32];      /* "2026-12-01T10:00:00Z" */
	ord_ls_key *keys;
	size_t nkeys;
	ord_ls_tool *tools;
	size_t ntools;
	char **bases;       /* distinct base URLs of the present tools */
	size_t nbases;
} ord_laststate;

void ord_laststate_release(ord_laststate *s);
/* The state of the facts; 0 or ENOMEM. */
int ord_laststate_from_facts(const ord_facts *f, time_t now, ord_laststate *s);
/* The file's text (JSON, schema ordoctor.last-good/1); malloc'd. */
char *ord_laststate_serialize(const ord_laststate *s);
/* 0, or EINVAL when text is not such a document. */
int ord_laststate_parse(const char *text, ord_laststate *s);
/* $XDG_STATE_HOME/ordoctor/last-good.json or the default; malloc'd. */
char *ord_laststate_path(const ord_ctx *ctx);
/* Record the facts as the last good state.  0 or an errno value (with
 * ctx->verbose, a warning says so). */
int ord_laststate_record(ord_ctx *ctx, const ord_facts *f);

typedef enum ord_change_kind {
	ORD_CHG_HOLDS,      /* a place now holds another key */
	ORD_CHG_ADDED,      /* a key at a place that had none (file known) */
	ORD_CHG_NEW_FILE,   /* a key in a file that held none */
	ORD_CHG_REMOVED,    /* a place no longer holds its key */
	ORD_CHG_TOOL_KEY,   /* the key a tool sends */
	ORD_CHG_TOOL_BASE,  /* the base URL a tool sends to */
	ORD_CHG_TOOL_NEW,   /* a tool found now, not then */
	ORD_CHG_TOOL_GONE,  /* a tool found then, not now */
} ord_change_kind;

/* One difference: old and new point into since->old and since->cur
 * (keys for places, tools for tools); either may be NULL. */
typedef struct ord_change {
	ord_change_kind kind;
	const ord_ls_key *old_key, *new_key;
	const ord_ls_tool *old_tool, *new_tool;
	char *text;         /* the sentence (lib/words_state.c) */
} ord_change;

typedef struct ord_since {
	ord_laststate old, cur;
	ord_change *v;
	size_t n;
} ord_since;

/* Read the recorded state and compare the facts with it.  NULL when there
 * is none, when it cannot be read (a warning says why) or on ENOMEM. */
ord_since *ord_since_compare(ord_ctx *ctx, const ord_facts *f);
/* The differences of two states (into since->v); 0 or ENOMEM. */
int ord_since_diff(ord_since *since);
void ord_since_free(ord_since *since);

const char *ord_change_kind_id(ord_change_kind k);

#endif
