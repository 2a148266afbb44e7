/* diag: the diagnosis record.  The facts it was built from, the claims the
 * rules made about them, the facts that are missing, the verdict, and the
 * named check lines shown to the user.
 *
 * The record holds no logic beyond its own lifecycle: lib/rules*.c fill
 * the claims, lib/verdict.c chooses, lib/words.c writes the sentences and
 * lib/checks.c derives the check lines.  lib/judge.c runs them in that
 * order (facts → rules → verdict → words → checks).
 */
#ifndef ORD_DIAG_H
#define ORD_DIAG_H

#include <stddef.h>

#include "causes.h"
#include "facts.h"

typedef enum ord_status {
	ORD_ST_OK,
	ORD_ST_WARN,
	ORD_ST_FAIL,
	ORD_ST_UNKNOWN,
	ORD_ST_SKIP,
} ord_status;

const char *ord_status_id(ord_status s);

/* How sure a claim is, from the kind of evidence behind it (not a tuned
 * number): what OpenRouter answered beats what the bytes alone show,
 * which beats a story that needs a fact we do not have. */
typedef enum ord_cert {
	ORD_CERT_NOTE,      /* worth knowing, not a problem */
	ORD_CERT_INFERRED,  /* a likely cause that a missing fact would settle */
	ORD_CERT_STATIC,    /* the bytes make the request fail (empty, foreign…) */
	ORD_CERT_OBSERVED,  /* OpenRouter (or the wire) answered so */
} ord_cert;

/* Whether the subject of a claim is what a request carries. */
typedef enum ord_reach {
	ORD_REACH_UNREAD,   /* nobody reads it (a line a later one overrides) */
	ORD_REACH_READ,     /* a place tools read */
	ORD_REACH_SENT,     /* what a present tool, or one started here, sends */
} ord_reach;

typedef struct ord_claim {
	const char *rule;   /* the rule that made it (rules table id) */
	const char *cause;  /* a causes.md id */
	const char *check;  /* the named check whose line it belongs to */
	int story;          /* the rule's variant (ORD_STORY_*), for words */
	ord_cert cert;
	ord_reach reach;
	long tool;          /* index into facts.tools->v, or -1 */
	long hit;           /* the place to change, or -1 */
	long row;           /* the key it is about, or -1 */
	long other;         /* the second place: the better key, the earlier line… */
	long order;         /* position in the rules table (stable ties) */
	/* written by words */
	char *headline;     /* for the check line */
	char *evidence;     /* one line under the check */
	char *summary;
	char *fix;
} ord_claim;

/* A fact the answer needs and does not have, and how to get it. */
typedef enum ord_gap_kind {
	ORD_GAP_OFFLINE,     /* a key's liveness: not asked (--offline) */
	ORD_GAP_NO_ANSWER,   /* a key's liveness: asked, no answer */
	ORD_GAP_STORE,       /* a tool's key lives in a store ordoctor cannot read */
	ORD_GAP_COMMAND,     /* the key is a command's output ($(pass show …)) */
} ord_gap_kind;

typedef struct ord_gap {
	ord_gap_kind kind;
	long tool;          /* index into tools, or -1 */
	long row;           /* the key, or -1 */
	long hit;           /* ORD_GAP_COMMAND: the line that runs the command, or -1 */
	char *what;         /* the missing fact, a sentence */
	char *how;          /* the command or step that gets it */
} ord_gap;

typedef struct ord_check {
	const char *id;
	const char *title;
	ord_status status;
	char *message;
	char **evidence;
	size_t nevidence;
} ord_check;

typedef enum ord_outcome {
	ORD_OUTCOME_CLEAN,     /* every fact observed, no problem */
	ORD_OUTCOME_PROBLEM,   /* a verdict */
	ORD_OUTCOME_UNDECIDED, /* no problem seen, facts missing */
} ord_outcome;

/* The judgment of one scope: the whole machine, or one tool. */
typedef struct ord_judgment {
	long tool;          /* the tool judged, or -1 for the whole machine */
	long verdict;       /* index into claims, or -1 */
	size_t *candidates; /* other claims worth a look, most likely first */
	size_t ncandidates;
	size_t *gaps;       /* indexes into gaps */
	size_t ngaps;
	ord_outcome outcome;
} ord_judgment;

typedef struct ord_diag {
	ord_facts f;
	ord_claim *claims;
	size_t nclaims;
	ord_gap *gaps;
	size_t ngaps;
	ord_judgment main;      /* the scope asked for (check, check --tool) */
	ord_judgment *tools;    /* one per tool in f.tools (present ones judged) */
	ord_check *checks;
	size_t nchecks;
	ord_reach *reach;       /* per hit: what a request carries (rules) */
	int chat_hint;          /* say that /key cannot show the balance */
	/* the working folder is no project but the tools judged read a
	 * project's files (lib/scope.h), or NULL; owned */
	char *scope_note;
	/* check/tools --context: the start context judged ("cron"), borrowed
	 * from the caller, or NULL for this process's own environment */
	const char *context;
	/* what changed since the last good state (lib/laststate.h), or NULL;
	 * owned */
	struct ord_since *since;
} ord_diag;

void ord_diag_init(ord_diag *d);
void ord_diag_release(ord_diag *d);

/* Append a claim (zeroed but for the given fields); NULL on ENOMEM. */
ord_claim *ord_diag_claim(ord_diag *d, const char *rule, const char *cause,
			  const char *check, int story, ord_cert cert, ord_reach reach);
ord_gap *ord_diag_gap(ord_diag *d, ord_gap_kind kind, long tool, long row);

ord_check *ord_diag_check(ord_diag *d, const char *id, const char *title);
/* Set status and message; a check keeps its worst status. */
void ord_check_set(ord_check *c, ord_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ord_check_evidence(ord_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
