/* explain: evidence-weighted ranking of causes for `ordoctor explain`.
 *
 * Input: a finished ord_logscan (per-signature counts over every line) and
 * the signature database.  When the input was small (a pasted message:
 * at most ORD_LS_HEAD_MAX bytes and few failure lines) it is also decoded
 * as ONE message: ord_unwrap() finds the body, the signatures are
 * evaluated over the whole text plus the decoded strings, and the
 * decoder's own classification (ord_api_classify) adds its weight.
 *
 * Score of a cause = sum over matched signatures of weight x f, where
 * f = 1 for a message and 1 + log10(count) over logs, plus the decoder's
 * guess (5 for its cause, 2/1.5/1 for its candidates), then the evidence
 * rules (docs/signatures.md, "Ranking"):
 *   - the key was accepted (top-level user_id, a key_ok signature or
 *     decoder row): causes about the key itself x 0.2;
 *   - an sk-or-v1 fragment inside another vendor's "Incorrect API key"
 *     answer: request_sent_to_wrong_endpoint +8;
 *   - another vendor's key fragment in an OpenRouter 401:
 *     key_from_wrong_provider +6;
 *   - a visibly truncated sk-or-v1 fragment: key_malformed_or_truncated +5;
 *     a placeholder: key_missing_or_empty +4, tool_credential_bug +2;
 *   - logs where a key-rejecting kind alternates with a key-accepted kind:
 *     openrouter_incident +3, env_precedence_shadowing +3,
 *     tool_credential_bug +2;
 *   - context (explain_ctx.c): a URL the base-URL linter finds wrong: its
 *     cause +8; X-RateLimit-* headers: free_model_rate_limit or
 *     rate_limited +8 (remaining 0) or +4; a known tool bug
 *     (data/known-bugs): tool_credential_bug +12 with a version in range,
 *     +5 without a version.
 * Scores are then normalised to sum to 1 (two decimals).  The first three
 * are of at least two categories when a candidate of another category
 * exists; each cause has its own check (data/causes), and a source is
 * listed under the most likely cause that has it only.
 */
#ifndef ORD_EXPLAIN_H
#define ORD_EXPLAIN_H

#include <json-c/json.h>
#include <stddef.h>

#include "causes.h"
#include "knownbugs.h"
#include "logscan.h"
#include "sigdb.h"
#include "unwrap.h"

#define ORD_X_CAUSES 40
#define ORD_X_NOTES 12
#define ORD_X_URLS 4
#define ORD_X_BUGS 4

/* A URL of the text that the base-URL linter (urllint.c) finds wrong. */
typedef struct ord_xurl {
	char url[256];            /* gated */
	char raw_host[256];
	const char *cause;        /* wrong_base_url_path, http_redirect_drops_auth,
				   * request_sent_to_wrong_endpoint */
	unsigned flags;           /* ORD_URLF_* */
	char why[128];            /* the first flag's sentence */
} ord_xurl;

/* OpenRouter's X-RateLimit-* headers quoted in the text (-1: absent). */
typedef struct ord_xrate {
	int have;
	long long limit, remaining, reset;
	char reset_utc[32];       /* "2025-03-07 00:00:00 UTC", "" unknown */
	int reset_midnight;       /* the reset falls on 00:00 UTC: a daily cap */
} ord_xrate;

typedef enum ord_xmode { ORD_XMODE_MESSAGE, ORD_XMODE_LOGS } ord_xmode;

typedef struct ord_xcause {
	const char *id;           /* causes.md id */
	const char *category;
	double raw, score;
	double best;              /* the largest single contribution */
	long sig;                 /* the signature contributing most, or -1 */
	long sigs[8];
	size_t nsigs;
	const char *meaning;      /* what the cause is (data/causes) */
	const char *check;        /* how to tell this cause (data/causes) */
	const char *fix;
	const char *sources[8];
	size_t nsources;
} ord_xcause;

typedef struct ord_explain {
	ord_xmode mode;
	int recognised;           /* a signature or the decoder recognised it */
	int success;              /* a successful answer, no failure */
	int key_ok;               /* OpenRouter accepted the key */
	int full_key_seen;        /* the input held a whole key (not shown) */
	ord_evidence ev;
	unsigned char *sigset;    /* message mode: signatures over the whole text */
	long top_sig;             /* the failure signature that names the input */
	ord_xcause causes[ORD_X_CAUSES];
	size_t ncauses;
	char notes[ORD_X_NOTES][400];  /* evidence rules that applied */
	size_t nnotes;
	uint64_t failure_lines;
	uint64_t key_ok_lines;    /* logs: failure lines where the key was accepted */
	/* Context (explain_ctx.c). */
	ord_xurl urls[ORD_X_URLS];
	size_t nurls;
	ord_xrate rate;
	ord_kbug_hit bugs[ORD_X_BUGS];
	size_t nbugs;
	char bug_fix[512];        /* the fix of the first known bug */
	const char *sig_check;    /* the check of the top signature */
} ord_explain;

/* Rank; kb (may be NULL) are the known tool bugs.  Returns 0 or ENOMEM. */
int ord_explain_run(ord_explain *x, ord_logscan *ls, const ord_sigdb *db, const ord_kbugs *kb);

/* Context of the text (explain_ctx.c): the URLs it shows, linted as
 * `check` lints a base URL; X-RateLimit-* headers; known tool bugs. */
void ord_explain_context(ord_explain *x, const char *text, size_t len, const ord_kbugs *kb);
void ord_explain_release(ord_explain *x);
/* The cause's entry, added (score 0, meaning and fix from data/causes)
 * when the ranking has none; NULL for an unknown id or a full list. */
ord_xcause *ord_explain_cause(ord_explain *x, const char *cause);

/* The exit code of design.md: 1 a problem identified, 0 a successful
 * answer and nothing else, 3 nothing recognised. */
int ord_explain_exit(const ord_explain *x);

/* The `ordoctor.explain/1` document; top limits the causes (0: all). */
json_object *ord_explain_json(const ord_explain *x, ord_logscan *ls, const ord_sigdb *db,
			      size_t top);

/* A signature's count in the result (message mode: 1 when it holds over
 * the whole text, else its line count). */
uint64_t ord_explain_sig_count(const ord_explain *x, ord_logscan *ls, size_t sig);

/* What a cause is, from data/causes (NULL when unknown). */

/* One symbol per failure kind for timelines ('a' = most frequent kind,
 * ...); sym has one entry per signature ('\0': none). */
void ord_explain_symbols(ord_logscan *ls, const ord_sigdb *db, char *sym);

/* "2025-01-02 03:04:05" (UTC, or the wall clock when the log had no
 * zone). */
void ord_explain_time(int64_t t, char *out, size_t cap);

/* Generic next steps when nothing was recognised. */
extern const char *const ord_explain_next_steps[];

#endif
