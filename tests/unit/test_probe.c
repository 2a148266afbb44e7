/* The rules of `ordoctor probe` on hand-built observations: keys and
 * answers set by hand, then ord_probe_summarise() and ord_probe_judge().
 * No network: what is tested is the judgment alone.  Keys are built at run
 * time from one repeated hex digit: obviously fake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/probe.h"

typedef struct fx {
	ord_probe p;
	ord_key keys[4];
	size_t nkeys;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));

	ord_probe_init(&f->p);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	size_t i;

	ord_probe_release(&f->p);
	for (i = 0; i < f->nkeys; i++)
		ord_key_release(&f->keys[i]);
	free(f);
	return 0;
}

static void key(fx *f, char digit, const char *where)
{
	char v[80];

	snprintf(v, sizeof(v), "sk-or-v1-");
	memset(v + 9, digit, 64);
	v[73] = '\0';
	assert_int_equal(ord_key_init(&f->keys[f->nkeys], v, strlen(v)), 0);
	assert_int_equal(ord_probe_add_key(&f->p, &f->keys[f->nkeys], where), 0);
	f->nkeys++;
}

/* One answer; status 0: no answer (a network failure). */
static ord_probe_obs *obs(fx *f, unsigned round, size_t k, size_t m, long status,
			  const char *provider, const char *message, const char *cause)
{
	ord_probe_obs *o;

	f->p.obs = realloc(f->p.obs, (f->p.nobs + 1) * sizeof(*o));
	o = &f->p.obs[f->p.nobs++];
	memset(o, 0, sizeof(*o));
	o->round = round;
	o->key = k;
	o->model = m;
	o->sent = 1;
	o->answered = status != 0;
	o->status = status;
	o->ok = status == 200;
	o->ms = 10 + round;
	o->cause = cause;
	snprintf(o->provider, sizeof(o->provider), "%s", provider ? provider : "");
	snprintf(o->message, sizeof(o->message), "%s", message ? message : "");
	if (!status)
		snprintf(o->reason, sizeof(o->reason), "connection refused");
	o->provider_error = message && !strcmp(message, "Provider returned error");
	o->key_ok = o->provider_error || status == 200 || status == 429;
	return o;
}

static const ord_probe_verdict *judge(fx *f, unsigned n)
{
	f->p.n = n;
	assert_int_equal(ord_probe_summarise(&f->p), 0);
	ord_probe_judge(&f->p);
	assert_non_null(f->p.v.summary[0] ? f->p.v.summary : NULL);
	return &f->p.v;
}

static void dead_rounds(fx *f, size_t k, unsigned n)
{
	unsigned r;

	for (r = 0; r < n; r++)
		obs(f, r, k, 0, 401, NULL, "User not found.", "key_revoked_expired_or_unknown");
}

static void test_free_models(void **state)
{
	(void)state;
	assert_true(ord_probe_model_is_free(ORD_PROBE_MODEL_DEFAULT));
	assert_true(ord_probe_model_is_free("deepseek/deepseek-chat-v3-0324:free"));
	assert_true(ord_probe_model_is_free("openrouter/free"));
	assert_false(ord_probe_model_is_free("openai/gpt-4o"));
	assert_false(ord_probe_model_is_free(":free"));
	assert_false(ord_probe_model_is_free("x/free"));
}

static void test_all_fine(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;

	key(f, 'a', "the environment");
	ord_probe_add_model(&f->p, "m:free");
	obs(f, 0, 0, 0, 200, "Meta", NULL, NULL);
	obs(f, 1, 0, 0, 200, "Meta", NULL, NULL);
	obs(f, 2, 0, 0, 200, "Meta", NULL, NULL);
	v = judge(f, 3);
	assert_string_equal(v->pattern, "all_fine");
	assert_null(v->cause);
	assert_int_equal(v->outcome, ORD_PROBE_FINE);
	assert_string_equal(f->p.series[0].seq, "200 200 200");
	assert_true(f->p.series[0].p50_ms == 11 && f->p.series[0].max_ms == 12);
	assert_int_equal(f->p.nprovs, 1);
	assert_int_equal(f->p.provs[0].ok, 3);
}

static void test_no_key(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;

	ord_probe_add_model(&f->p, "m:free");
	v = judge(f, 3);
	assert_string_equal(v->pattern, "no_key");
	assert_string_equal(v->cause, "key_missing_or_empty");
	assert_int_equal(v->outcome, ORD_PROBE_PROBLEM);
}

static void test_no_answer(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;

	key(f, 'a', NULL);
	ord_probe_add_model(&f->p, "m:free");
	obs(f, 0, 0, 0, 0, NULL, NULL, NULL);
	v = judge(f, 1);
	assert_string_equal(v->pattern, "no_answer");
	assert_null(v->cause);
	assert_int_equal(v->outcome, ORD_PROBE_UNOBSERVED);
	assert_string_equal(f->p.series[0].seq, "-");
}

/* Two keys: one always 401, one always 200, interleaved. */
static void test_key_alternation(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;
	unsigned r;

	key(f, 'a', "the environment");
	key(f, 'b', "~/.env line 1");
	ord_probe_add_model(&f->p, "m:free");
	for (r = 0; r < 2; r++) {
		obs(f, r, 0, 0, 200, "Meta", NULL, NULL);
		obs(f, r, 1, 0, 401, NULL, "User not found.", "key_revoked_expired_or_unknown");
	}
	v = judge(f, 2);
	assert_string_equal(v->pattern, "key_alternation");
	assert_string_equal(v->cause, "key_revoked_expired_or_unknown");
	assert_int_equal(v->key, 1);
	assert_string_equal(f->p.model_seq[0], "200 401 200 401");
	assert_non_null(strstr(v->fix, "~/.env line 1"));
	assert_string_equal(v->candidates[0], "env_precedence_shadowing");
}

static void test_incident(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;

	key(f, 'a', NULL);
	key(f, 'b', NULL);
	ord_probe_add_model(&f->p, "m:free");
	dead_rounds(f, 0, 2);
	dead_rounds(f, 1, 2);
	v = judge(f, 2);
	assert_string_equal(v->pattern, "incident");
	assert_string_equal(v->cause, "openrouter_incident");
	assert_string_equal(v->candidates[0], "key_revoked_expired_or_unknown");
}

/* One key alone, always 401: a dead key (an incident is a candidate). */
static void test_steady_one_key(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;

	key(f, 'a', "~/.bashrc line 2");
	ord_probe_add_model(&f->p, "m:free");
	dead_rounds(f, 0, 3);
	v = judge(f, 3);
	assert_string_equal(v->pattern, "steady_failure");
	assert_string_equal(v->cause, "key_revoked_expired_or_unknown");
	assert_string_equal(v->candidates[0], "openrouter_incident");
	assert_non_null(strstr(v->fix, "~/.bashrc line 2"));
}

/* One key refused and accepted in turn: 401s that clear on retry. */
static void test_flapping(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;

	key(f, 'a', NULL);
	ord_probe_add_model(&f->p, "m:free");
	obs(f, 0, 0, 0, 401, NULL, "User not found.", "key_revoked_expired_or_unknown");
	obs(f, 1, 0, 0, 200, "Meta", NULL, NULL);
	obs(f, 2, 0, 0, 401, NULL, "User not found.", "key_revoked_expired_or_unknown");
	v = judge(f, 3);
	assert_string_equal(v->pattern, "flapping");
	assert_string_equal(v->cause, "openrouter_incident");
	assert_string_equal(f->p.series[0].seq, "401 200 401");
}

/* Provider returned error for one provider_name; another model is fine. */
static void test_one_provider(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;
	unsigned r;

	key(f, 'a', NULL);
	ord_probe_add_model(&f->p, "meta-llama/x:free");
	ord_probe_add_model(&f->p, "deepseek/y:free");
	for (r = 0; r < 2; r++) {
		obs(f, r, 0, 0, r ? 502 : 200, "Meta", r ? "Provider returned error" : NULL,
		    r ? "provider_unavailable" : NULL);
		obs(f, r, 0, 1, 200, "DeepSeek", NULL, NULL);
	}
	v = judge(f, 2);
	assert_string_equal(v->pattern, "provider_failing");
	assert_string_equal(v->cause, "provider_unavailable");
	assert_string_equal(v->provider, "Meta");
	assert_int_equal(v->model, 0);
	assert_int_equal(f->p.nprovs, 2);
}

/* A BYOK failure is a provider failure with its own cause. */
static void test_byok_provider(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;

	key(f, 'a', NULL);
	ord_probe_add_model(&f->p, "anthropic/z");
	obs(f, 0, 0, 0, 401, "Anthropic", "Provider returned error", "byok_provider_key_invalid");
	v = judge(f, 1);
	assert_string_equal(v->pattern, "provider_failing");
	assert_string_equal(v->cause, "byok_provider_key_invalid");
}

static void test_rate_limit_reset(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;
	ord_probe_obs *o;

	key(f, 'a', NULL);
	ord_probe_add_model(&f->p, "m:free");
	obs(f, 0, 0, 0, 200, "Meta", NULL, NULL);
	o = obs(f, 1, 0, 0, 429, NULL, "Rate limit exceeded: free-models-per-day", "free_model_rate_limit");
	snprintf(o->rl_limit, sizeof(o->rl_limit), "50");
	snprintf(o->rl_remaining, sizeof(o->rl_remaining), "0");
	snprintf(o->rl_reset, sizeof(o->rl_reset), "1772668800000");
	v = judge(f, 2);
	assert_string_equal(v->pattern, "rate_limit");
	assert_string_equal(v->cause, "free_model_rate_limit");
	assert_string_equal(v->reset, "2026-03-05T00:00:00Z");
	assert_int_equal(f->p.series[0].rate_obs, 1);
}

static void test_plain_rate_limit_retry_after(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;
	ord_probe_obs *o;

	key(f, 'a', NULL);
	ord_probe_add_model(&f->p, "mock/ratelimit");
	o = obs(f, 0, 0, 0, 429, NULL, "Rate limit exceeded", "rate_limited");
	snprintf(o->retry_after, sizeof(o->retry_after), "1");
	v = judge(f, 1);
	assert_string_equal(v->cause, "rate_limited");
	assert_string_equal(v->reset, "in 1 s (Retry-After)");
}

/* One model fails every time, another works with the same key. */
static void test_model_specific(void **state)
{
	fx *f = *state;
	const ord_probe_verdict *v;

	key(f, 'a', NULL);
	ord_probe_add_model(&f->p, "gone/model:free");
	ord_probe_add_model(&f->p, "m:free");
	obs(f, 0, 0, 0, 400, NULL, "gone/model:free is not a valid model ID", "model_not_found");
	obs(f, 0, 0, 1, 200, "Meta", NULL, NULL);
	v = judge(f, 1);
	assert_string_equal(v->pattern, "steady_failure");
	assert_string_equal(v->cause, "model_not_found");
	assert_string_equal(v->candidates[0], "model_specific_failure");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_models),
		cmocka_unit_test_setup_teardown(test_all_fine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_alternation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incident, setup, teardown),
		cmocka_unit_test_setup_teardown(test_steady_one_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_provider, setup, teardown),
		cmocka_unit_test_setup_teardown(test_byok_provider, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_rate_limit_retry_after, setup, teardown),
		cmocka_unit_test_setup_teardown(test_model_specific, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
