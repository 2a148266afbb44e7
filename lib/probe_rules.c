/* probe_rules: the judgment of `ordoctor probe`, facts → rules → words.
 *
 * The facts are the summaries of probe.c.  Each rule reads them and
 * nothing else (no ctx, no network) and, when it holds, claims a pattern,
 * a cause of causes.md and a subject (a key, a model, a provider).  The
 * table is ordered by what decides first: what a pattern over several
 * keys shows (an incident, one dead key among live ones) beats what one
 * series shows, and a failure beats "fine".  The words come last, from
 * the claim and the facts.
 */
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "causes.h"

typedef int (*rule_fn)(const ord_probe *p, ord_probe_verdict *v);

static void cands(ord_probe_verdict *v, const char *a, const char *b, const char *c)
{
	v->candidates[0] = a;
	v->candidates[1] = a ? b : NULL;
	v->candidates[2] = a && b ? c : NULL;
	v->candidates[3] = NULL;
}

/* ---- facts derived from the summaries ----------------------------------- */

static int key_answered(const ord_probe *p, size_t k, unsigned *ok, unsigned *auth)
{
	unsigned a = 0;
	size_t m;

	*ok = *auth = 0;
	for (m = 0; m < p->nmodels; m++) {
		const ord_probe_series *s = ord_probe_series_of(p, k, m);

		a += s->answered;
		*ok += s->ok;
		*auth += s->auth_failed;
	}
	return (int)a;
}

/* Every answer this key got was a 401 about the key. */
static int key_dead(const ord_probe *p, size_t k)
{
	unsigned ok, auth;
	int a = key_answered(p, k, &ok, &auth);

	return a > 0 && auth == (unsigned)a;
}

static long first_obs(const ord_probe *p, int (*pred)(const ord_probe_obs *))
{
	size_t i;

	for (i = 0; i < p->nobs; i++)
		if (pred(&p->obs[i]))
			return (long)i;
	return -1;
}

static int is_429(const ord_probe_obs *o) { return o->answered && o->status == 429; }
static int is_answered(const ord_probe_obs *o) { return o->answered; }
static int is_sent(const ord_probe_obs *o) { return o->sent; }
static int is_failure(const ord_probe_obs *o) { return o->answered && !o->ok; }

/* ---- rules ---------------------------------------------------------------- */

static int r_no_key(const ord_probe *p, ord_probe_verdict *v)
{
	if (p->nkeys)
		return 0;
	v->pattern = "no_key";
	v->cause = "key_missing_or_empty";
	return 1;
}

static int r_offline(const ord_probe *p, ord_probe_verdict *v)
{
	if (!p->offline)
		return 0;
	v->pattern = "not_observed";
	v->outcome = ORD_PROBE_UNOBSERVED;
	return 1;
}

/* No key could be sent: not an OpenRouter key, or a base it may not go to. */
static int r_not_sent(const ord_probe *p, ord_probe_verdict *v)
{
	const ord_key *k;

	if (first_obs(p, is_sent) >= 0 || !p->nobs)
		return 0;
	v->pattern = "not_sent";
	v->key = 0;
	k = p->keys[0].key;
	if (ord_key_is_openrouter(k)) {
		v->outcome = ORD_PROBE_UNOBSERVED; /* the base refused it */
		return 1;
	}
	v->cause = k->shape == ORD_SHAPE_FOREIGN ? "key_from_wrong_provider" :
		   k->shape == ORD_SHAPE_EMPTY ? "key_missing_or_empty" :
		   "key_malformed_or_truncated";
	return 1;
}

static int r_no_answer(const ord_probe *p, ord_probe_verdict *v)
{
	if (first_obs(p, is_answered) >= 0)
		return 0;
	v->pattern = "no_answer";
	v->outcome = ORD_PROBE_UNOBSERVED;
	return 1;
}

/* Two keys or more, and every answer to every key a 401 about the key:
 * they did not all die in the same minute. */
static int r_incident(const ord_probe *p, ord_probe_verdict *v)
{
	size_t k, answered = 0;

	for (k = 0; k < p->nkeys; k++) {
		unsigned ok, auth;

		if (!key_answered(p, k, &ok, &auth))
			continue;
		if (!key_dead(p, k))
			return 0;
		answered++;
	}
	if (answered < 2)
		return 0;
	v->pattern = "incident";
	v->cause = "openrouter_incident";
	cands(v, "key_revoked_expired_or_unknown", NULL, NULL);
	return 1;
}

/* One key always refused while another works: a tool that has both in
 * play (two processes, or two sources) sees 401 and 200 in turn. */
static int r_key_alternation(const ord_probe *p, ord_probe_verdict *v)
{
	long dead = -1, alive = -1;
	size_t k;

	for (k = 0; k < p->nkeys; k++) {
		unsigned ok, auth;

		key_answered(p, k, &ok, &auth);
		if (dead < 0 && key_dead(p, k))
			dead = (long)k;
		if (alive < 0 && ok)
			alive = (long)k;
	}
	if (dead < 0 || alive < 0)
		return 0;
	v->pattern = "key_alternation";
	v->cause = "key_revoked_expired_or_unknown";
	v->key = dead;
	cands(v, "env_precedence_shadowing", "tool_stale_stored_key", NULL);
	return 1;
}

/* Milliseconds since the epoch (X-RateLimit-Reset) as a UTC time. */
static void reset_text(const ord_probe_obs *o, char *out, size_t cap)
{
	char *end;
	long long ms = strtoll(o->rl_reset, &end, 10);

	out[0] = '\0';
	if (o->rl_reset[0] && !*end && ms > 0) {
		time_t t = (time_t)(ms > 100000000000LL ? ms / 1000 : ms);
		struct tm tm;

		if (gmtime_r(&t, &tm))
			strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
	} else if (o->retry_after[0])
		snprintf(out, cap, "in %s s (Retry-After)", o->retry_after);
}

static int r_rate_limit(const ord_probe *p, ord_probe_verdict *v)
{
	long i = first_obs(p, is_429);
	const ord_probe_obs *o;

	if (i < 0)
		return 0;
	o = &p->obs[i];
	v->pattern = "rate_limit";
	v->cause = o->cause && !strcmp(o->cause, "free_model_rate_limit") ?
		   "free_model_rate_limit" : "rate_limited";
	v->key = (long)o->key;
	v->model = (long)o->model;
	reset_text(o, v->reset, sizeof(v->reset));
	cands(v, !strcmp(v->cause, "rate_limited") ? "free_model_rate_limit" : "rate_limited",
	      NULL, NULL);
	return 1;
}

/* Failures that name the provider which refused: the key is fine. */
static int r_provider(const ord_probe *p, ord_probe_verdict *v)
{
	const ord_probe_prov *worst = NULL;
	size_t i, failing = 0;

	for (i = 0; i < p->nprovs; i++) {
		const ord_probe_prov *pv = &p->provs[i];

		if (!pv->provider_errors)
			continue;
		failing++;
		if (!worst || pv->provider_errors > worst->provider_errors)
			worst = pv;
	}
	if (!worst)
		return 0;
	v->pattern = "provider_failing";
	v->model = (long)worst->model;
	snprintf(v->provider, sizeof(v->provider), "%s", worst->name);
	v->cause = p->obs[worst->first_fail].cause ? p->obs[worst->first_fail].cause :
		   "provider_unavailable";
	if (!strcmp(v->cause, "provider_unavailable"))
		cands(v, failing > 1 ? "openrouter_incident" : "model_specific_failure", NULL, NULL);
	else
		cands(v, "provider_unavailable", NULL, NULL);
	return 1;
}

/* One key, refused and accepted in turn: 401s that clear on retry. */
static int r_flapping(const ord_probe *p, ord_probe_verdict *v)
{
	size_t k;

	for (k = 0; k < p->nkeys; k++) {
		unsigned ok, auth;

		key_answered(p, k, &ok, &auth);
		if (ok && auth) {
			v->pattern = "flapping";
			v->cause = "openrouter_incident";
			v->key = (long)k;
			cands(v, "tool_credential_bug", NULL, NULL);
			return 1;
		}
	}
	return 0;
}

/* A series where every answer failed. */
static int r_steady(const ord_probe *p, ord_probe_verdict *v)
{
	size_t i, m;

	for (i = 0; i < p->nseries; i++) {
		const ord_probe_series *s = &p->series[i];
		const ord_probe_obs *o;
		int other_model_ok = 0;

		if (!s->answered || s->failed != s->answered)
			continue;
		o = &p->obs[s->first_fail];
		for (m = 0; m < p->nmodels; m++)
			if (m != s->model && ord_probe_series_of(p, s->key, m)->ok)
				other_model_ok = 1;
		v->pattern = "steady_failure";
		v->key = (long)s->key;
		v->model = (long)s->model;
		v->cause = o->cause ? o->cause : other_model_ok ? "model_specific_failure" :
			   o->status >= 500 ? "provider_unavailable" : "key_revoked_expired_or_unknown";
		if (!strcmp(v->cause, "key_revoked_expired_or_unknown"))
			cands(v, "openrouter_incident", "tool_stale_stored_key", NULL);
		else if (other_model_ok && strcmp(v->cause, "model_specific_failure"))
			cands(v, "model_specific_failure", NULL, NULL);
		return 1;
	}
	return 0;
}

/* Some failures among successes, none of the shapes above. */
static int r_intermittent(const ord_probe *p, ord_probe_verdict *v)
{
	long i = first_obs(p, is_failure);
	const ord_probe_obs *o;

	if (i < 0)
		return 0;
	o = &p->obs[i];
	v->pattern = "intermittent";
	v->key = (long)o->key;
	v->model = (long)o->model;
	v->cause = o->cause ? o->cause : o->status >= 500 ? "provider_unavailable" :
		   "model_specific_failure";
	cands(v, "openrouter_incident", NULL, NULL);
	return 1;
}

static int r_fine(const ord_probe *p, ord_probe_verdict *v)
{
	(void)p;
	v->pattern = "all_fine";
	v->outcome = ORD_PROBE_FINE;
	return 1;
}

static const struct {
	const char *id;
	rule_fn fn;
} rules[] = {
	{"no_key", r_no_key},
	{"offline", r_offline},
	{"not_sent", r_not_sent},
	{"no_answer", r_no_answer},
	{"incident", r_incident},
	{"key_alternation", r_key_alternation},
	{"rate_limit", r_rate_limit},
	{"provider_failing", r_provider},
	{"flapping", r_flapping},
	{"steady_failure", r_steady},
	{"intermittent", r_intermittent},
	{"all_fine", r_fine},
};

void ord_probe_judge(ord_probe *p)
{
	ord_probe_verdict *v = &p->v;
	size_t i;

	memset(v, 0, sizeof(*v));
	v->key = v->model = -1;
	v->outcome = ORD_PROBE_PROBLEM;
	for (i = 0; i < sizeof(rules) / sizeof(*rules); i++)
		if (rules[i].fn(p, v)) {
			v->rule = rules[i].id;
			break;
		}
	ord_probe_words(p, v);
}
