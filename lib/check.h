/* check: the named checks of `ordoctor check`, the findings they raise,
 * and the verdict that ranks them.
 *
 * A check looks at the discovered hits (and, later, live answers and tool
 * resolution) and yields one status line with evidence.  Each problem it
 * sees becomes a finding: a cause id of causes.md, a score, a one-sentence
 * summary and the exact fix.  The verdict is the finding with the highest
 * score; the others are the runner-up candidates.
 */
#ifndef ORD_CHECK_H
#define ORD_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "source.h"

typedef enum ord_status {
	ORD_ST_OK,
	ORD_ST_WARN,
	ORD_ST_FAIL,
	ORD_ST_UNKNOWN,
	ORD_ST_SKIP,
} ord_status;

const char *ord_status_id(ord_status s);

/* A finding scored below this is a note: listed as a candidate, never the
 * verdict (a misspelt copy next to a correctly named key, say). */
#define ORD_VERDICT_MIN 30

typedef struct ord_finding {
	const char *cause; /* causes id, static */
	int score;
	char *summary;     /* one sentence, redacted */
	char *fix;         /* the exact change, with file:line */
	long hit;          /* the hit it is about, or -1 */
	const char *tool;  /* the tool id it is about, or NULL */
} ord_finding;

typedef struct ord_check {
	const char *id;
	const char *title;
	ord_status status;
	char *message;
	char **evidence;
	size_t nevidence;
} ord_check;

typedef enum ord_live {
	ORD_LIVE_NOT_CHECKED,
	ORD_LIVE_VALID,
	ORD_LIVE_INVALID,
	ORD_LIVE_UNKNOWN,
} ord_live;

const char *ord_live_id(ord_live l);

/* One distinct credential (same normalised value) and where it lives. */
typedef struct ord_keyrow {
	size_t *hits;
	size_t nhits;
	char redacted[ORD_REDACT_MAX];
	char fingerprint[ORD_FP_LEN + 1];
	uint32_t lint;     /* union over its places */
	ord_live live;
	char *live_detail; /* label, limit… or the error, or NULL */
	char *used_by;     /* comma-separated tool ids, or NULL */
} ord_keyrow;

typedef struct ord_diag_opts {
	int offline;
	const char *tool;  /* --tool NAME, or NULL */
	int chat;          /* --chat: a one-token completion probe */
	const char *chat_model; /* --chat MODEL, or NULL for the default */
} ord_diag_opts;

struct ord_tools;

typedef struct ord_diag {
	ord_hits hits;
	struct ord_tools *tools; /* tool resolution (lib/resolve), owned */
	ord_keyrow *keys;
	size_t nkeys;
	ord_check *checks;
	size_t nchecks;
	ord_finding *findings;
	size_t nfindings;
	long verdict;      /* index into findings, or -1 */
	int offline;
	int undecided;     /* something could not be decided (exit 3) */
} ord_diag;

/* What --list-checks prints. */
typedef struct ord_check_def {
	const char *id;
	const char *title;
	const char *causes; /* the cause ids it can raise */
	int live;           /* needs the network */
} ord_check_def;
const ord_check_def *ord_check_defs(size_t *n);

void ord_diag_init(ord_diag *d);
/* Discovery, grouping into keys, every check, the verdict. */
int ord_diag_run(ord_ctx *ctx, ord_diag *d, const ord_diag_opts *o);
/* Only discovery and grouping (for `ordoctor keys`). */
int ord_diag_discover(ord_ctx *ctx, ord_diag *d);
/* Group d->hits into d->keys (after filling hits by other means). */
int ord_diag_group(ord_diag *d);
void ord_diag_release(ord_diag *d);

/* The key row holding hit index `hit`, or NULL. */
const ord_keyrow *ord_diag_row_of_hit(const ord_diag *d, long hit);

/* The category of a cause id ("account/auth", …), or NULL. */
const char *ord_cause_category(const char *cause);
/* The generic fix sentence of a cause id, or NULL. */
const char *ord_cause_fix(const char *cause);

/* "~/.env line 3", "the environment (OPENROUTER_API_KEY)": where a hit is,
 * for sentences.  Home-relative paths are shortened with "~". */
void ord_hit_where(const ord_ctx *ctx, const ord_hit *h, ord_buf *out);

#endif
