/* probe_words: the sentences of `ordoctor probe`'s verdict, from the claim
 * (probe_rules.c) and the facts (probe.c).  Keys appear only redacted. */
#include "probe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "causes.h"

static void say(char *out, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, cap, fmt, ap);
	va_end(ap);
}

/* "sk-or-v1-abc...xyz (~/.env line 3)" */
static const char *who(const ord_probe *p, long k, char *buf, size_t cap)
{
	if (k < 0 || (size_t)k >= p->nkeys)
		return "the key";
	if (p->keys[k].where[0])
		snprintf(buf, cap, "%s (%s)", p->keys[k].redacted, p->keys[k].where);
	else
		snprintf(buf, cap, "%s", p->keys[k].redacted);
	return buf;
}

/* `401 "User not found."` or the reason when there was no answer. */
static const char *answer(const ord_probe_obs *o, char *buf, size_t cap)
{
	if (!o->answered)
		snprintf(buf, cap, "%s", o->reason[0] ? o->reason : "no answer");
	else if (o->message[0] && o->raw_message[0])
		snprintf(buf, cap, "%ld \"%s\" (upstream: \"%s\")", o->status, o->message,
			 o->raw_message);
	else if (o->message[0])
		snprintf(buf, cap, "%ld \"%s\"", o->status, o->message);
	else
		snprintf(buf, cap, "%ld", o->status);
	return buf;
}

static const char *model_of(const ord_probe *p, long m)
{
	return m >= 0 && (size_t)m < p->nmodels ? p->models[m] : "the model";
}

/* The first answered failure of key k (any model), or NULL. */
static const ord_probe_obs *fail_of(const ord_probe *p, long k)
{
	size_t i;

	for (i = 0; i < p->nobs; i++)
		if (p->obs[i].answered && !p->obs[i].ok && (k < 0 || p->obs[i].key == (size_t)k))
			return &p->obs[i];
	return NULL;
}

static const char *seq_of(const ord_probe *p, long k, long m)
{
	const ord_probe_series *s = ord_probe_series_of(p, k < 0 ? 0 : (size_t)k,
							m < 0 ? 0 : (size_t)m);

	return s && s->seq ? s->seq : "";
}

void ord_probe_words(const ord_probe *p, ord_probe_verdict *v)
{
	char a[400], b[640], c[400];
	const ord_probe_obs *o = fail_of(p, v->key);
	const char *fix = v->cause ? ord_cause_fix(v->cause) : NULL;
	size_t i, n = 0;
	long alive = -1;

	v->summary[0] = v->fix[0] = '\0';
	if (!v->pattern)
		return;
	if (!strcmp(v->pattern, "no_key")) {
		if (p->tool)
			say(v->summary, sizeof(v->summary), "'%s' would send no key: none of the places it reads holds one",
			    p->tool);
		else
			say(v->summary, sizeof(v->summary), "no OpenRouter key found on this machine, so none was sent");
		say(v->fix, sizeof(v->fix), "Put an OpenRouter key (https://openrouter.ai/settings/keys) where %s%s%s reads it; 'ordoctor tools' lists the places.",
		    p->tool ? "'" : "", p->tool ? p->tool : "your tool", p->tool ? "'" : "");
	} else if (!strcmp(v->pattern, "not_observed")) {
		say(v->summary, sizeof(v->summary), "offline: nothing was sent, so nothing was observed");
		say(v->fix, sizeof(v->fix), "Run 'ordoctor probe' without --offline.");
	} else if (!strcmp(v->pattern, "not_sent")) {
		say(v->summary, sizeof(v->summary), "%s was not sent: %s", who(p, 0, a, sizeof(a)),
		    p->nobs ? p->obs[0].reason : "refused");
	} else if (!strcmp(v->pattern, "no_answer")) {
		say(v->summary, sizeof(v->summary), "no answer to any request: %s%s",
		    p->nobs ? p->obs[0].reason : "nothing sent",
		    p->stopped ? " (stopped after the first round)" : "");
		say(v->fix, sizeof(v->fix), "Check the network, a proxy, or --api-base, then run 'ordoctor probe' again.");
	} else if (!strcmp(v->pattern, "incident")) {
		say(v->summary, sizeof(v->summary),
		    "every key fails at once: all %zu keys get %s on every request; keys that do not die in the same minute point at OpenRouter",
		    p->nkeys, o ? answer(o, b, sizeof(b)) : "401");
		say(v->fix, sizeof(v->fix), "%s Check https://status.openrouter.ai, then run 'ordoctor probe' again later.",
		    fix ? fix : "");
	} else if (!strcmp(v->pattern, "key_alternation")) {
		for (i = 0; i < p->nkeys && alive < 0; i++)
			if (ord_probe_series_of(p, i, 0) && ord_probe_series_of(p, i, 0)->ok)
				alive = (long)i;
		say(v->summary, sizeof(v->summary),
		    "two keys in play and one fails: %s gets %s every time while %s works; a tool that sends one or the other (two processes, or two sources of its key) sees %s",
		    who(p, v->key, a, sizeof(a)), o ? answer(o, b, sizeof(b)) : "401",
		    who(p, alive, c, sizeof(c)), p->model_seq && p->model_seq[0] ? p->model_seq[0] : "");
		say(v->fix, sizeof(v->fix),
		    "Replace %s at %s with the working key (or a new one from https://openrouter.ai/settings/keys), so that one key is in play.",
		    p->keys[v->key].redacted, p->keys[v->key].where[0] ? p->keys[v->key].where : "its place");
	} else if (!strcmp(v->pattern, "rate_limit")) {
		const ord_probe_obs *r = o;

		for (i = 0; i < p->nobs; i++)
			if (p->obs[i].status == 429) {
				r = &p->obs[i];
				n++;
			}
		say(v->summary, sizeof(v->summary), "%s is rate-limited: %s on %zu of %zu requests%s%s%s%s%s%s",
		    model_of(p, v->model), r ? answer(r, b, sizeof(b)) : "429", n, p->nobs,
		    r && r->rl_limit[0] ? "; X-RateLimit-Limit " : "", r ? r->rl_limit : "",
		    r && r->rl_remaining[0] ? ", remaining " : "", r ? r->rl_remaining : "",
		    v->reset[0] ? ", resets " : "", v->reset);
		say(v->fix, sizeof(v->fix), "%s%s%s%s", fix ? fix : "",
		    v->reset[0] ? " The limit resets " : "", v->reset, v->reset[0] ? "." : "");
	} else if (!strcmp(v->pattern, "provider_failing")) {
		const ord_probe_prov *pv = NULL;

		for (i = 0; i < p->nprovs; i++)
			if ((long)p->provs[i].model == v->model && !strcmp(p->provs[i].name, v->provider))
				pv = &p->provs[i];
		say(v->summary, sizeof(v->summary),
		    "only provider %s fails for %s: %s on %u of %u requests; the OpenRouter key was accepted",
		    v->provider, model_of(p, v->model),
		    pv && pv->first_fail >= 0 ? answer(&p->obs[pv->first_fail], b, sizeof(b)) : "an error",
		    pv ? pv->failed : 0, pv ? pv->failed + pv->ok : 0);
	} else if (!strcmp(v->pattern, "flapping")) {
		say(v->summary, sizeof(v->summary),
		    "%s is refused and accepted in turn (%s): 401s that clear on retry come from OpenRouter's side",
		    who(p, v->key, a, sizeof(a)), seq_of(p, v->key, 0));
	} else if (!strcmp(v->pattern, "steady_failure")) {
		const ord_probe_series *s = ord_probe_series_of(p, (size_t)v->key, (size_t)v->model);

		o = s && s->first_fail >= 0 ? &p->obs[s->first_fail] : o;
		say(v->summary, sizeof(v->summary), "%s with %s: every request failed (%s): %s",
		    who(p, v->key, a, sizeof(a)), model_of(p, v->model), s ? s->seq : "",
		    o ? answer(o, b, sizeof(b)) : "no answer");
		if (!strcmp(v->cause, "key_revoked_expired_or_unknown"))
			say(v->fix, sizeof(v->fix),
			    "Create a new key at https://openrouter.ai/settings/keys and replace %s at %s.",
			    p->keys[v->key].redacted, p->keys[v->key].where[0] ? p->keys[v->key].where : "every place it is stored");
	} else if (!strcmp(v->pattern, "intermittent")) {
		const ord_probe_series *s = ord_probe_series_of(p, (size_t)v->key, (size_t)v->model);

		say(v->summary, sizeof(v->summary), "%s with %s: %u of %u requests failed (%s): %s",
		    who(p, v->key, a, sizeof(a)), model_of(p, v->model), s ? s->failed : 0,
		    s ? s->answered : 0, s ? s->seq : "", o ? answer(o, b, sizeof(b)) : "");
	} else if (!strcmp(v->pattern, "all_fine")) {
		say(v->summary, sizeof(v->summary),
		    "every request answered 200: %zu request%s, %zu key%s, %zu model%s",
		    p->nobs, p->nobs == 1 ? "" : "s", p->nkeys, p->nkeys == 1 ? "" : "s",
		    p->nmodels, p->nmodels == 1 ? "" : "s");
	}
	if (!v->fix[0] && fix)
		say(v->fix, sizeof(v->fix), "%s", fix);
}
