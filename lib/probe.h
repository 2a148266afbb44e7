/* probe: the smallest failing action, repeated (`ordoctor probe`).
 *
 *   probe.c        the facts: N one-token chat requests per key and model
 *                  (lib/api's chat probe), round after round with the ctx's
 *                  sleep between rounds, one observation per request; then
 *                  the summary per key × model and per model × provider
 *                  (status sequence, counts, latency, rate-limit headers)
 *   probe_rules.c  the judgment: a table of rules over those facts, the
 *                  first that holds names the pattern, its cause (an id of
 *                  causes.md) and its subject; then the words
 *
 * Like the rest of lib/ it never prints and reads nothing but the ctx.
 */
#ifndef ORD_PROBE_H
#define ORD_PROBE_H

#include <stddef.h>

#include "api.h"
#include "ctx.h"
#include "facts.h"
#include "key.h"

#define ORD_PROBE_N_DEFAULT 6
#define ORD_PROBE_N_MAX 50
#define ORD_PROBE_KEYS_MAX 16
#define ORD_PROBE_MODELS_MAX 8
/* A ":free" model id: it costs nothing (20 requests a minute, 50 or 1000
 * a day, account-wide).  A listed free variant, not the openrouter/free
 * router, so that the provider stays the same from one request to the
 * next and "one provider failing" can be told from "another model". */
#define ORD_PROBE_MODEL_DEFAULT "meta-llama/llama-3.3-70b-instruct:free"

/* A ":free" model id, or the openrouter/free router over them. */
int ord_probe_model_is_free(const char *model);

typedef struct ord_probe_key {
	const ord_key *key;        /* borrowed: the caller keeps it alive */
	char redacted[ORD_REDACT_MAX];
	char fingerprint[ORD_FP_LEN + 1];
	char where[192];           /* "~/.env line 3", "the environment (X)" */
} ord_probe_key;

/* One request and its answer. */
typedef struct ord_probe_obs {
	unsigned round;
	size_t key, model;
	int sent;                  /* 0: refused before sending (reason) */
	int answered;              /* an HTTP answer came back */
	int ok;                    /* 200 with a completion */
	long status;
	double ms;
	int key_ok;                /* the answer shows the key was accepted */
	int provider_error;        /* "Provider returned error" */
	const char *cause;         /* lib/api's classification, or NULL */
	char provider[64];         /* the answer's provider or provider_name */
	char message[256];         /* the decoded error.message */
	char raw_message[160];     /* the upstream message inside metadata.raw */
	char reason[256];          /* one line when not ok */
	char retry_after[32];
	char rl_limit[32], rl_remaining[32], rl_reset[32];
} ord_probe_obs;

/* One key with one model, over the rounds. */
typedef struct ord_probe_series {
	size_t key, model;
	unsigned sent, answered, ok, failed, auth_failed;
	char *seq;                 /* "401 200 401 200" ("-": no answer) */
	double p50_ms, max_ms;
	long first_fail;           /* index into obs, or -1 */
	long rate_obs;             /* the last answer with X-RateLimit-*, or -1 */
} ord_probe_series;

/* One provider behind one model, over every key. */
typedef struct ord_probe_prov {
	size_t model;
	char name[64];
	unsigned ok, failed, provider_errors;
	long first_fail;           /* index into obs, or -1 */
} ord_probe_prov;

typedef enum ord_probe_outcome {
	ORD_PROBE_FINE,            /* every request answered 200 */
	ORD_PROBE_PROBLEM,         /* a pattern with a cause */
	ORD_PROBE_UNOBSERVED,      /* nothing answered (offline, network down) */
} ord_probe_outcome;

typedef struct ord_probe_verdict {
	const char *rule;          /* the rule that decided */
	const char *pattern;       /* "all_fine", "key_alternation", … */
	const char *cause;         /* causes.md id, NULL when fine/unobserved */
	const char *candidates[4]; /* NULL-terminated */
	long key, model;           /* the subject, -1 when none */
	char provider[64];         /* the subject provider, "" when none */
	char reset[96];            /* rate limit: when it resets, "" unknown */
	char summary[768];
	char fix[512];
	ord_probe_outcome outcome;
} ord_probe_verdict;

typedef struct ord_probe {
	ord_probe_key *keys;
	size_t nkeys;
	char (*models)[128];
	size_t nmodels;
	const char *tool;          /* --tool, borrowed, or NULL */
	unsigned n;                /* rounds: requests per key and model */
	double interval;           /* seconds between rounds */
	int offline;               /* ctx->offline: nothing was sent */
	int stopped;               /* a round got no answer at all: stopped */
	ord_probe_obs *obs;
	size_t nobs;
	ord_probe_series *series;  /* nkeys × nmodels, key-major */
	size_t nseries;
	char **model_seq;          /* per model: every key, round by round */
	ord_probe_prov *provs;
	size_t nprovs;
	ord_probe_verdict v;
} ord_probe;

void ord_probe_init(ord_probe *p);
void ord_probe_release(ord_probe *p);
/* Add a key to send (the same key twice is one key).  where is shown
 * as its place.  0, ENOMEM or E2BIG (more than ORD_PROBE_KEYS_MAX). */
int ord_probe_add_key(ord_probe *p, const ord_key *k, const char *where);
/* 0, E2BIG (more than ORD_PROBE_MODELS_MAX) or ENAMETOOLONG. */
int ord_probe_add_model(ord_probe *p, const char *model);
/* The keys of f: with tool, the key that tool would send (ENOENT for an
 * unknown tool id); else every distinct OpenRouter key found.  Keys of f
 * are borrowed: f must outlive p.  0, ENOENT or ENOMEM. */
int ord_probe_keys_from_facts(const ord_ctx *ctx, const ord_facts *f,
			      const char *tool, ord_probe *p);

/* The facts: send p->n rounds (ORD_PROBE_N_DEFAULT when 0) of one
 * request per key and model (the default model when none was added),
 * then summarise.  0 or ENOMEM. */
int ord_probe_run(ord_ctx *ctx, ord_probe *p);
/* The summary alone, for tests on hand-built obs.  0 or ENOMEM. */
int ord_probe_summarise(ord_probe *p);
/* The judgment (probe_rules.c): fills p->v, words included. */
void ord_probe_judge(ord_probe *p);
/* The words of a claim (probe_words.c): v->summary and v->fix. */
void ord_probe_words(const ord_probe *p, ord_probe_verdict *v);

/* The series of key k with model m (NULL when out of range). */
static inline const ord_probe_series *ord_probe_series_of(const ord_probe *p,
							  size_t k, size_t m)
{
	return k < p->nkeys && m < p->nmodels && p->series ?
		&p->series[k * p->nmodels + m] : NULL;
}
const char *ord_probe_outcome_id(ord_probe_outcome o); /* "fine", … */

#endif
