/* The rules and the verdict on hand-built facts: hits added by hand,
 * grouped into keys, liveness and tool resolutions set by hand, then
 * ord_rules_run() and ord_verdict_judge().  No file, no network: what is
 * tested is the judgment alone, so a change of discovery or of the probes
 * cannot hide a change of the verdict (and the other way round).
 *
 * Keys are built at run time from one repeated hex digit: obviously fake,
 * and different digits make different keys. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/ctx.h"
#include "lib/diag.h"
#include "lib/facts.h"
#include "lib/profile.h"
#include "lib/resolve.h"
#include "lib/rules.h"
#include "lib/source.h"
#include "lib/verdict.h"

#define ANY LONG_MIN
#define NOW ((time_t)1700000000)
#define DAY (24 * 3600)

/* ---- fixture ------------------------------------------------------------- */

typedef struct fx {
	ord_diag d;
	ord_judgment j, jt; /* the machine, one tool */
	char keys[10][ORD_KEY_LEN + 1];
} fx;

static int setup(void **state)
{
	fx *x = calloc(1, sizeof(*x));
	int i;

	if (!x)
		return -1;
	ord_diag_init(&x->d);
	x->d.f.now = NOW;
	x->j.verdict = x->jt.verdict = -1;
	/* "sk-or-v1-" and 64 times one digit: well-formed, plainly fake */
	for (i = 0; i < 10; i++) {
		memcpy(x->keys[i], "sk-or-v1-", 9);
		memset(x->keys[i] + 9, '0' + i, ORD_KEY_HEX_LEN);
		x->keys[i][ORD_KEY_LEN] = '\0';
	}
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	fx *x = *state;

	free(x->j.candidates);
	free(x->j.gaps);
	free(x->jt.candidates);
	free(x->jt.gaps);
	ord_diag_release(&x->d);
	free(x);
	return 0;
}

/* ---- building facts -------------------------------------------------------- */

static long hit_add(fx *x, ord_source_kind kind, const char *path, unsigned line,
		    const char *name, const char *value)
{
	ord_hit *h = ord_hits_add(&x->d.f.hits, kind, ORD_ROLE_KEY, path, line, name, value,
				  strlen(value));

	assert_non_null(h);
	return (long)x->d.f.hits.n - 1;
}

static long env_add(fx *x, const char *name, const char *value)
{
	return hit_add(x, ORD_SRC_ENV, NULL, 0, name, value);
}

static void group(fx *x)
{
	size_t i;

	assert_int_equal(ord_facts_group(&x->d.f), 0);
	/* as ord_facts_probe leaves them before it asks: nothing known */
	for (i = 0; i < x->d.f.nkeys; i++)
		x->d.f.keys[i].info.limit_remaining = NAN;
}

static ord_keyrow *row(fx *x, long hit)
{
	long r = ord_facts_row_of_hit(&x->d.f, hit);

	assert_true(r >= 0);
	return &x->d.f.keys[r];
}

static long rowix(fx *x, long hit)
{
	long r = ord_facts_row_of_hit(&x->d.f, hit);

	assert_true(r >= 0);
	return r;
}

static void live(fx *x, long hit, ord_live l, ord_unknown_why why, const char *message)
{
	ord_keyrow *k = row(x, hit);

	k->live = l;
	k->why = why;
	k->http_status = l == ORD_LIVE_INVALID ? 401 : l == ORD_LIVE_VALID ? 200 : 0;
	snprintf(k->message, sizeof(k->message), "%s", message ? message : "");
}

static void valid(fx *x, long hit)
{
	live(x, hit, ORD_LIVE_VALID, ORD_WHY_NONE, NULL);
}

static void dead(fx *x, long hit)
{
	live(x, hit, ORD_LIVE_INVALID, ORD_WHY_NONE, "Key not found");
}

/* One tool, from a profile text, with no candidate yet: present, its
 * base URL OpenRouter's default. */
static ord_tool_res *tool_new(fx *x, const char *text)
{
	ord_ctx ctx;
	ord_tools *t;
	ord_tool_res *tr;

	assert_null(x->d.f.tools);
	assert_int_equal(ord_ctx_init(&ctx, NULL, "/nonexistent", "/"), 0);
	t = calloc(1, sizeof(*t));
	assert_non_null(t);
	x->d.f.tools = t; /* released with the diag */
	t->profiles.v = calloc(1, sizeof(*t->profiles.v));
	assert_non_null(t->profiles.v);
	assert_int_equal(ord_profile_parse(&ctx, "test/t", text, strlen(text), &t->profiles.v[0]), 0);
	assert_int_equal(ctx.nwarnings, 0);
	ord_ctx_release(&ctx);
	t->profiles.n = 1;
	t->v = calloc(1, sizeof(*t->v));
	assert_non_null(t->v);
	t->n = 1;
	tr = &t->v[0];
	tr->p = &t->profiles.v[0];
	tr->present = 1;
	tr->win = -1;
	tr->store = -1;
	tr->bwin = -1;
	tr->base_url = strdup("https://openrouter.ai/api/v1");
	assert_non_null(tr->base_url);
	tr->base_default = 1;
	return tr;
}

/* Append a candidate (precedence order) read from profile line `src`. */
static void cand_add(ord_tool_res *tr, long hit, size_t src)
{
	ord_cand *n = realloc(tr->keys, (tr->nkeys + 1) * sizeof(*n));

	assert_non_null(n);
	assert_true(src < tr->p->nkeys);
	tr->keys = n;
	n = &tr->keys[tr->nkeys++];
	memset(n, 0, sizeof(*n));
	n->hit = hit;
	n->src = &tr->p->keys[src];
	n->yields = 1;
	n->via = -1;
	n->own = tr->p->keys[src].own;
	n->empty_rule = ord_psrc_empty(tr->p, n->src);
	n->masked_by = -1;
}

/* A tool that reads its own config first, then the environment. */
static const char PROFILE_T[] =
	"id: t\n"
	"name: T\n"
	"present: command t\n"
	"base-form: openai\n"
	"default-base: https://openrouter.ai/api/v1\n"
	"empty: unset\n"
	"key: json ~/.t/config.json apiKey\n"
	"key: env OPENROUTER_API_KEY\n";

/* A tool that reads the environment, or a secret store ordoctor cannot
 * read and whose rank is not known. */
static const char PROFILE_STORE[] =
	"id: s\n"
	"name: S\n"
	"present: command s\n"
	"base-form: openai\n"
	"default-base: https://openrouter.ai/api/v1\n"
	"key: env OPENROUTER_API_KEY\n"
	"store: vscode-secret test.s openRouterApiKey\n";

/* ---- reading the result ----------------------------------------------------- */

static void run(fx *x, long focus)
{
	ord_rules_run(&x->d, focus);
	ord_verdict_judge(&x->d, -1, &x->j);
}

/* The index of the first claim matching cause (NULL: any), tool and hit
 * (ANY: any), or -1. */
static long find(const fx *x, const char *cause, long tool, long hit)
{
	size_t i;

	for (i = 0; i < x->d.nclaims; i++) {
		const ord_claim *c = &x->d.claims[i];
		if ((!cause || !strcmp(c->cause, cause)) && (tool == ANY || c->tool == tool) &&
		    (hit == ANY || c->hit == hit))
			return (long)i;
	}
	return -1;
}

static size_t count(const fx *x, const char *cause)
{
	size_t i, n = 0;

	for (i = 0; i < x->d.nclaims; i++)
		if (!strcmp(x->d.claims[i].cause, cause))
			n++;
	return n;
}

static const ord_claim *claim(const fx *x, long i)
{
	assert_true(i >= 0 && (size_t)i < x->d.nclaims);
	return &x->d.claims[i];
}

static int is_candidate(const ord_judgment *j, long i)
{
	size_t k;

	for (k = 0; k < j->ncandidates; k++)
		if ((long)j->candidates[k] == i)
			return 1;
	return 0;
}

/* Neither the verdict nor a candidate repeats another of them. */
static void assert_distinct(const ord_judgment *j)
{
	size_t a, b;

	for (a = 0; a < j->ncandidates; a++) {
		assert_true((long)j->candidates[a] != j->verdict);
		for (b = a + 1; b < j->ncandidates; b++)
			assert_true(j->candidates[a] != j->candidates[b]);
	}
}

static long gap_of(const fx *x, const ord_judgment *j, ord_gap_kind kind, long tool, long rw)
{
	size_t k;

	for (k = 0; k < j->ngaps; k++) {
		const ord_gap *g = &x->d.gaps[j->gaps[k]];
		if (g->kind == kind && (tool == ANY || g->tool == tool) && (rw == ANY || g->row == rw))
			return (long)j->gaps[k];
	}
	return -1;
}

/* ---- key status ------------------------------------------------------------- */

/* A key OpenRouter refuses, in the environment: the verdict, for sure. */
static void test_dead_env_key(void **state)
{
	fx *x = *state;
	long h, v;
	const ord_claim *c;

	h = env_add(x, "OPENROUTER_API_KEY", x->keys[1]);
	group(x);
	dead(x, h);
	run(x, -1);

	v = find(x, "key_revoked_expired_or_unknown", -1, h);
	c = claim(x, v);
	assert_int_equal(c->story, ORD_STORY_DEAD);
	assert_int_equal(c->cert, ORD_CERT_OBSERVED);
	assert_int_equal(c->reach, ORD_REACH_SENT);
	assert_int_equal(c->row, rowix(x, h));
	assert_int_equal(c->other, -1); /* no valid key to offer */
	assert_string_equal(c->check, "key_status");
	assert_true(ord_verdict_decides(c));

	assert_int_equal(x->j.verdict, v);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_PROBLEM);
	assert_int_equal(ord_verdict_exit(&x->j), 1);
	assert_int_equal(x->j.ngaps, 0);
	assert_int_equal(x->d.ngaps, 0); /* a key that was answered is no gap */
	assert_distinct(&x->j);
	/* nothing else to say about this key */
	assert_int_equal(x->j.ncandidates, 0);
}

/* The same dead key, told twice: by the key rule and by a tool that sends
 * it.  One story, told once. */
static void test_dead_env_key_told_once(void **state)
{
	fx *x = *state;
	ord_tool_res *tr;
	long h, hd, v, k;
	size_t i;

	h = env_add(x, "OPENROUTER_API_KEY", x->keys[1]);
	hd = hit_add(x, ORD_SRC_DOTENV, "/p/.env", 1, "OPENROUTER_API_KEY", x->keys[1]);
	tr = tool_new(x, PROFILE_T);
	cand_add(tr, h, 1);
	tr->win = 0;
	group(x);
	assert_int_equal(rowix(x, h), rowix(x, hd)); /* one key, two places */
	dead(x, h);
	run(x, -1);

	v = find(x, "key_revoked_expired_or_unknown", 0, h);
	assert_int_equal(claim(x, v)->story, ORD_STORY_TOOL_DEAD);
	assert_int_equal(claim(x, v)->cert, ORD_CERT_OBSERVED);
	k = find(x, "key_revoked_expired_or_unknown", -1, ANY);
	assert_int_equal(claim(x, k)->story, ORD_STORY_DEAD);
	assert_int_equal(claim(x, k)->hit, h); /* the effective place first */

	/* the tool's story names the tool: it wins the tie */
	assert_int_equal(x->j.verdict, v);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_PROBLEM);
	assert_distinct(&x->j);
	for (i = 0; i < x->j.ncandidates; i++)
		assert_int_not_equal(claim(x, (long)x->j.candidates[i])->row, rowix(x, h));
	assert_false(is_candidate(&x->j, k));

	ord_verdict_judge(&x->d, 0, &x->jt);
	assert_int_equal(x->jt.verdict, v);
	assert_false(is_candidate(&x->jt, k));
}

/* --offline: a well-formed key nobody asked about.  Not a problem, not
 * clean: the fact is missing, and the answer says which. */
static void test_offline_key_is_a_gap(void **state)
{
	fx *x = *state;
	long h;
	size_t i;
	long g;

	h = env_add(x, "OPENROUTER_API_KEY", x->keys[2]);
	group(x);
	x->d.f.offline = 1;
	live(x, h, ORD_LIVE_NOT_CHECKED, ORD_WHY_OFFLINE, NULL);
	run(x, -1);

	for (i = 0; i < x->d.nclaims; i++)
		assert_false(ord_verdict_decides(&x->d.claims[i]));
	assert_int_equal(x->j.verdict, -1);
	g = gap_of(x, &x->j, ORD_GAP_OFFLINE, -1, rowix(x, h));
	assert_true(g >= 0);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_UNDECIDED);
	assert_int_equal(ord_verdict_exit(&x->j), 3);
}

/* ---- shadowing ----------------------------------------------------------------- */

/* The shell and a .env give OPENROUTER_API_KEY different keys. */
static void shell_vs_dotenv(fx *x, long *sh, long *de)
{
	*sh = env_add(x, "OPENROUTER_API_KEY", x->keys[1]);
	*de = hit_add(x, ORD_SRC_DOTENV, "/p/.env", 1, "OPENROUTER_API_KEY", x->keys[2]);
	group(x);
	assert_int_not_equal(rowix(x, *sh), rowix(x, *de));
}

static long shell_vs_dotenv_claim(fx *x, long sh, long de)
{
	long i = find(x, "env_precedence_shadowing", -1, sh);
	const ord_claim *c = claim(x, i);

	assert_int_equal(c->story, ORD_STORY_SHELL_VS_DOTENV);
	assert_int_equal(c->other, de);
	assert_int_equal(c->reach, ORD_REACH_SENT);
	assert_int_equal(count(x, "env_precedence_shadowing"), 1);
	return i;
}

/* Which of the two works is not known: a likely cause, not a verdict. */
static void test_shadow_both_unknown(void **state)
{
	fx *x = *state;
	long sh, de, i;

	shell_vs_dotenv(x, &sh, &de);
	live(x, sh, ORD_LIVE_NOT_CHECKED, ORD_WHY_OFFLINE, NULL);
	live(x, de, ORD_LIVE_NOT_CHECKED, ORD_WHY_OFFLINE, NULL);
	x->d.f.offline = 1;
	run(x, -1);

	i = shell_vs_dotenv_claim(x, sh, de);
	assert_int_equal(claim(x, i)->cert, ORD_CERT_INFERRED);
	assert_false(ord_verdict_decides(claim(x, i)));
	assert_int_equal(x->j.verdict, -1);
	assert_true(is_candidate(&x->j, i));
	assert_int_equal(x->j.outcome, ORD_OUTCOME_UNDECIDED);
	assert_true(gap_of(x, &x->j, ORD_GAP_OFFLINE, -1, rowix(x, sh)) >= 0);
	assert_true(gap_of(x, &x->j, ORD_GAP_OFFLINE, -1, rowix(x, de)) >= 0);
}

/* Both work: whichever is sent works.  Worth knowing, nothing more. */
static void test_shadow_both_valid(void **state)
{
	fx *x = *state;
	long sh, de, i;

	shell_vs_dotenv(x, &sh, &de);
	valid(x, sh);
	valid(x, de);
	run(x, -1);

	i = shell_vs_dotenv_claim(x, sh, de);
	assert_int_equal(claim(x, i)->cert, ORD_CERT_NOTE);
	assert_false(is_candidate(&x->j, i));
	assert_int_equal(x->j.verdict, -1);
	assert_int_equal(x->j.ncandidates, 0);
	assert_int_equal(x->j.ngaps, 0);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_CLEAN);
	assert_int_equal(ord_verdict_exit(&x->j), 0);
}

/* The .env key is dead, the shell's works: key_status tells it; the pair
 * is a note (which one a program sends depends on the program). */
static void test_shadow_dotenv_dead(void **state)
{
	fx *x = *state;
	long sh, de, i, v;

	shell_vs_dotenv(x, &sh, &de);
	valid(x, sh);
	dead(x, de);
	run(x, -1);

	i = shell_vs_dotenv_claim(x, sh, de);
	assert_int_equal(claim(x, i)->cert, ORD_CERT_NOTE);
	assert_false(is_candidate(&x->j, i));

	v = find(x, "key_revoked_expired_or_unknown", -1, de);
	assert_string_equal(claim(x, v)->check, "key_status");
	assert_int_equal(claim(x, v)->cert, ORD_CERT_OBSERVED);
	assert_int_equal(claim(x, v)->reach, ORD_REACH_READ);
	assert_int_equal(claim(x, v)->other, sh); /* the place of the valid key */
	assert_true(ord_verdict_decides(claim(x, v)));
	assert_int_equal(x->j.verdict, v);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_PROBLEM);
}

/* One .env sets the variable twice: the last line wins for every loader;
 * it is dead, the first line holds a working key. */
static void test_dup_in_file(void **state)
{
	fx *x = *state;
	long first, last, i;
	const ord_claim *c;

	first = hit_add(x, ORD_SRC_DOTENV, "/p/.env", 1, "OPENROUTER_API_KEY", x->keys[1]);
	x->d.f.hits.v[first].flags |= ORD_HIT_SHADOWED_IN_FILE;
	last = hit_add(x, ORD_SRC_DOTENV, "/p/.env", 4, "OPENROUTER_API_KEY", x->keys[2]);
	group(x);
	valid(x, first);
	dead(x, last);
	run(x, -1);

	assert_int_equal(ord_rules_hit_reach(&x->d, first), ORD_REACH_UNREAD);
	assert_int_equal(ord_rules_hit_reach(&x->d, last), ORD_REACH_READ);
	i = find(x, "env_precedence_shadowing", -1, last);
	c = claim(x, i);
	assert_int_equal(c->story, ORD_STORY_DUP_IN_FILE);
	assert_int_equal(c->other, first);
	assert_int_equal(c->cert, ORD_CERT_OBSERVED);
	assert_true(ord_verdict_decides(c));
	assert_int_equal(x->j.outcome, ORD_OUTCOME_PROBLEM);
	/* shown: the verdict itself or next to it */
	assert_true(x->j.verdict == i || is_candidate(&x->j, i));
	assert_true(ord_verdict_decides(claim(x, x->j.verdict)));
}

/* The reverse: the dead key only on the line nobody reads.  It cannot
 * make a request fail. */
static void test_dead_key_on_overridden_line(void **state)
{
	fx *x = *state;
	long first, last, k;

	first = hit_add(x, ORD_SRC_DOTENV, "/p/.env", 1, "OPENROUTER_API_KEY", x->keys[1]);
	x->d.f.hits.v[first].flags |= ORD_HIT_SHADOWED_IN_FILE;
	last = hit_add(x, ORD_SRC_DOTENV, "/p/.env", 4, "OPENROUTER_API_KEY", x->keys[2]);
	group(x);
	dead(x, first);
	valid(x, last);
	run(x, -1);

	k = find(x, "key_revoked_expired_or_unknown", -1, first);
	assert_int_equal(claim(x, k)->reach, ORD_REACH_UNREAD);
	assert_false(ord_verdict_decides(claim(x, k)));
	assert_int_equal(claim(x, find(x, "env_precedence_shadowing", -1, last))->cert,
			 ORD_CERT_NOTE);
	assert_int_equal(x->j.verdict, -1);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_CLEAN);
}

/* ---- incident, management key, limit --------------------------------------------- */

static void incident_facts(fx *x, time_t seen)
{
	long a, b;

	a = env_add(x, "OPENROUTER_API_KEY", x->keys[1]);
	b = hit_add(x, ORD_SRC_DOTENV, "/p/.env", 1, "OPENROUTER_API_KEY", x->keys[2]);
	group(x);
	live(x, a, ORD_LIVE_INVALID, ORD_WHY_NONE, "User not found.");
	live(x, b, ORD_LIVE_INVALID, ORD_WHY_NONE, "User not found.");
	row(x, b)->seen_valid = seen;
	run(x, -1);
}

/* Every key refused with "User not found.", one valid two days ago:
 * OpenRouter, not the keys. */
static void test_incident(void **state)
{
	fx *x = *state;
	long i;
	const ord_claim *c;

	incident_facts(x, NOW - 2 * DAY);
	i = find(x, "openrouter_incident", ANY, ANY);
	c = claim(x, i);
	assert_int_equal(c->story, ORD_STORY_INCIDENT);
	assert_int_equal(c->cert, ORD_CERT_OBSERVED);
	assert_int_equal(c->reach, ORD_REACH_SENT);
	assert_int_equal(c->hit, -1);
	assert_int_equal(c->row, -1);
	assert_int_equal(count(x, "openrouter_incident"), 1);
	assert_int_equal(count(x, "key_revoked_expired_or_unknown"), 0);
	assert_int_equal(x->j.verdict, i);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_PROBLEM);
}

/* Seen valid too long ago: the keys are dead, one by one. */
static void test_no_incident_after_window(void **state)
{
	fx *x = *state;

	incident_facts(x, NOW - 8 * DAY);
	assert_int_equal(count(x, "openrouter_incident"), 0);
	assert_int_equal(count(x, "key_revoked_expired_or_unknown"), 2);
	assert_int_equal(claim(x, x->j.verdict)->reach, ORD_REACH_SENT); /* the env key */
}

static void test_management_key(void **state)
{
	fx *x = *state;
	long h, i;
	ord_keyrow *k;

	h = env_add(x, "OPENROUTER_API_KEY", x->keys[3]);
	group(x);
	valid(x, h);
	k = row(x, h);
	k->has_info = 1;
	k->info.is_management_key = 1;
	run(x, -1);

	i = find(x, "management_key_used_for_inference", -1, h);
	assert_int_equal(claim(x, i)->story, ORD_STORY_MANAGEMENT);
	assert_int_equal(claim(x, i)->cert, ORD_CERT_OBSERVED);
	assert_int_equal(claim(x, i)->row, rowix(x, h));
	assert_int_equal(x->j.verdict, i);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_PROBLEM);
}

static void test_credit_limit(void **state)
{
	fx *x = *state;
	long h, i;
	ord_keyrow *k;

	h = env_add(x, "OPENROUTER_API_KEY", x->keys[4]);
	group(x);
	valid(x, h);
	k = row(x, h);
	k->has_info = 1;
	k->info.limit = 5;
	k->info.usage = 5;
	k->info.limit_remaining = 0;
	run(x, -1);

	i = find(x, "per_key_credit_limit", -1, h);
	assert_int_equal(claim(x, i)->story, ORD_STORY_LIMIT);
	assert_int_equal(claim(x, i)->cert, ORD_CERT_OBSERVED);
	assert_int_equal(x->j.verdict, i);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_PROBLEM);
}

/* A limit with money left, and no limit at all (NaN): nothing to say. */
static void test_credit_limit_left(void **state)
{
	fx *x = *state;
	long h, h2;

	h = env_add(x, "OPENROUTER_API_KEY", x->keys[4]);
	h2 = hit_add(x, ORD_SRC_DOTENV, "/p/.env", 1, "OPENROUTER_API_KEY", x->keys[5]);
	group(x);
	valid(x, h);
	valid(x, h2);
	row(x, h)->has_info = 1;
	row(x, h)->info.limit_remaining = 0.01;
	row(x, h2)->has_info = 1; /* limit_remaining NaN: unlimited */
	run(x, -1);

	assert_int_equal(count(x, "per_key_credit_limit"), 0);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_CLEAN);
}

/* ---- the bytes of the value --------------------------------------------------------- */

static void test_empty_env_key(void **state)
{
	fx *x = *state;
	long h, i;
	const ord_claim *c;

	h = env_add(x, "OPENROUTER_API_KEY", "");
	group(x);
	run(x, -1);

	i = find(x, "key_missing_or_empty", -1, h);
	c = claim(x, i);
	assert_int_equal(c->story, ORD_STORY_EMPTY);
	assert_int_equal(c->cert, ORD_CERT_STATIC);
	assert_int_equal(c->reach, ORD_REACH_SENT);
	assert_int_equal(count(x, "key_missing_or_empty"), 1); /* not also "no key" */
	assert_int_equal(x->j.verdict, i);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_PROBLEM);
}

/* The same empty value only in a .env, the environment holding a working
 * key: only a loader that lets the .env win gets "", and the tool rules
 * judge those one by one. */
static void test_empty_dotenv_next_to_env_key(void **state)
{
	fx *x = *state;
	long h, e, i;

	h = env_add(x, "OPENROUTER_API_KEY", x->keys[1]);
	e = hit_add(x, ORD_SRC_DOTENV, "/p/.env", 2, "OPENROUTER_API_KEY", "");
	group(x);
	valid(x, h);
	run(x, -1);

	i = find(x, "key_missing_or_empty", -1, e);
	assert_int_equal(claim(x, i)->story, ORD_STORY_EMPTY);
	assert_int_equal(claim(x, i)->cert, ORD_CERT_NOTE);
	assert_false(is_candidate(&x->j, i));
	assert_int_equal(x->j.verdict, -1);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_CLEAN);
}

static void test_foreign_key(void **state)
{
	fx *x = *state;
	char v[128];
	long h, i;

	memset(v, 0, sizeof(v));
	memcpy(v, "sk-ant-api03-", 13);
	memset(v + 13, '7', 80);
	h = env_add(x, "OPENROUTER_API_KEY", v);
	group(x);
	assert_int_equal(x->d.f.hits.v[h].key.shape, ORD_SHAPE_FOREIGN);
	assert_false(row(x, h)->openrouter); /* never sent to OpenRouter */
	run(x, -1);

	i = find(x, "key_from_wrong_provider", -1, h);
	assert_int_equal(claim(x, i)->story, ORD_STORY_FOREIGN);
	assert_int_equal(claim(x, i)->cert, ORD_CERT_STATIC);
	assert_int_equal(claim(x, i)->reach, ORD_REACH_SENT);
	assert_int_equal(count(x, "key_missing_or_empty"), 0);
	assert_int_equal(x->j.verdict, i);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_PROBLEM);
	assert_int_equal(x->j.ngaps, 0); /* nothing to ask about it */
}

/* ---- tools ------------------------------------------------------------------------ */

/* T sends the dead key A from its own config; the environment holds a
 * working key B that T ranks below it.  Elsewhere, a .env holds a third,
 * dead key C that T never reads. */
typedef struct tool_case {
	ord_tool_res *tr;
	long a, b, c;
} tool_case;

static void stale_tool(fx *x, tool_case *t)
{
	t->a = hit_add(x, ORD_SRC_CONFIG, "/home/u/.t/config.json", 3, "apiKey", x->keys[1]);
	t->b = env_add(x, "OPENROUTER_API_KEY", x->keys[2]);
	t->c = hit_add(x, ORD_SRC_DOTENV, "/elsewhere/.env", 1, "OPENROUTER_API_KEY", x->keys[3]);
	t->tr = tool_new(x, PROFILE_T);
	cand_add(t->tr, t->a, 0);
	cand_add(t->tr, t->b, 1);
	t->tr->win = 0;
	assert_true(t->tr->keys[0].own);
	assert_false(t->tr->keys[1].own);
	group(x);
	dead(x, t->a);
	valid(x, t->b);
	dead(x, t->c);
	run(x, -1);
}

static void test_tool_stale_stored_key(void **state)
{
	fx *x = *state;
	tool_case t;
	long v, kc;
	const ord_claim *c;

	stale_tool(x, &t);
	v = find(x, "tool_stale_stored_key", 0, t.a);
	c = claim(x, v);
	assert_int_equal(c->story, ORD_STORY_TOOL_SHADOWED);
	assert_int_equal(c->cert, ORD_CERT_OBSERVED);
	assert_int_equal(c->reach, ORD_REACH_SENT);
	assert_int_equal(c->row, rowix(x, t.a));
	assert_int_equal(c->other, t.b); /* the better candidate's place */
	assert_int_equal(ord_rules_hit_reach(&x->d, t.a), ORD_REACH_SENT);

	/* the scope of T is a filter: its verdict is its own story ... */
	ord_verdict_judge(&x->d, 0, &x->jt);
	assert_int_equal(x->jt.tool, 0);
	assert_int_equal(x->jt.verdict, v);
	assert_int_equal(x->jt.outcome, ORD_OUTCOME_PROBLEM);
	/* ... and the machine's verdict, when it is about T, is the same */
	assert_int_equal(x->j.verdict, v);

	/* C is dead, but T does not read it */
	kc = find(x, "key_revoked_expired_or_unknown", -1, t.c);
	assert_true(ord_verdict_decides(claim(x, kc)));
	assert_false(ord_rules_tool_depends(&x->d.f, 0, t.c, rowix(x, t.c)));
	assert_false(ord_verdict_in_scope(&x->d, claim(x, kc), 0));
	assert_true(ord_verdict_in_scope(&x->d, claim(x, kc), -1));
	assert_false(is_candidate(&x->jt, kc));
	assert_true(is_candidate(&x->j, kc));
	/* A's own key-level claim is in T's scope: T sends A */
	assert_true(ord_verdict_in_scope(&x->d, claim(x, find(x, "key_revoked_expired_or_unknown", -1, t.a)), 0));
	assert_distinct(&x->jt);
	assert_distinct(&x->j);
}

/* In the case above, "A is dead" is the key-level half of T's verdict
 * (the same key, the same dead-key family of causes).  It must not be
 * listed again next to it. */
static void test_tool_verdict_not_repeated_by_key_claim(void **state)
{
	fx *x = *state;
	tool_case t;
	long v, ka;

	stale_tool(x, &t);
	v = find(x, "tool_stale_stored_key", 0, t.a);
	ka = find(x, "key_revoked_expired_or_unknown", -1, t.a);
	ord_verdict_judge(&x->d, 0, &x->jt);
	assert_int_equal(x->jt.verdict, v);
	assert_false(is_candidate(&x->jt, ka));
	assert_int_equal(x->j.verdict, v);
	assert_false(is_candidate(&x->j, ka));
}

/* S may keep its key in a secret store ordoctor cannot read, ranked who
 * knows where; the key we see is only the environment's.  What S sends is
 * then not known: a gap, and S's own key stories are only likely. */
static void test_tool_unranked_store(void **state)
{
	fx *x = *state;
	ord_tool_res *tr;
	long h, g, i;
	size_t n = 0;

	h = env_add(x, "OPENROUTER_API_KEY", x->keys[1]);
	tr = tool_new(x, PROFILE_STORE);
	assert_int_equal(tr->p->nstores, 1);
	cand_add(tr, h, 0);
	tr->win = 0;
	assert_false(tr->keys[0].own);
	group(x);
	dead(x, h);
	run(x, -1);

	g = -1;
	for (i = 0; (size_t)i < x->d.ngaps; i++)
		if (x->d.gaps[i].kind == ORD_GAP_STORE)
			g = i;
	assert_true(g >= 0);
	assert_int_equal(x->d.gaps[g].tool, 0);
	for (i = 0; (size_t)i < x->d.nclaims; i++) {
		const ord_claim *c = &x->d.claims[i];
		if (c->tool != 0)
			continue;
		n++;
		assert_int_equal(c->cert, ORD_CERT_INFERRED);
		assert_false(ord_verdict_decides(c));
	}
	assert_true(n >= 1); /* the dead winner was told, weakened */
	i = find(x, "key_revoked_expired_or_unknown", 0, h);
	assert_int_equal(claim(x, i)->story, ORD_STORY_TOOL_DEAD);

	ord_verdict_judge(&x->d, 0, &x->jt);
	assert_true(gap_of(x, &x->jt, ORD_GAP_STORE, 0, ANY) == g);
	/* the dead environment key is the machine's problem, not a verdict
	 * about S, which may not read it at all */
	assert_int_equal(x->jt.verdict, -1);
	assert_int_equal(x->jt.outcome, ORD_OUTCOME_UNDECIDED);
	assert_true(x->j.verdict >= 0);
}

/* Without the store line, the same facts decide for the tool. */
static void test_tool_without_store_decides(void **state)
{
	fx *x = *state;
	ord_tool_res *tr;
	long h, i;

	h = env_add(x, "OPENROUTER_API_KEY", x->keys[1]);
	tr = tool_new(x, PROFILE_T);
	cand_add(tr, h, 1);
	tr->win = 0;
	group(x);
	dead(x, h);
	run(x, -1);

	assert_int_equal(x->d.ngaps, 0);
	i = find(x, "key_revoked_expired_or_unknown", 0, h);
	assert_int_equal(claim(x, i)->cert, ORD_CERT_OBSERVED);
	ord_verdict_judge(&x->d, 0, &x->jt);
	assert_int_equal(x->jt.verdict, i);
}

/* ---- ranking ------------------------------------------------------------------------- */

static long mk(fx *x, const char *cause, ord_cert cert, ord_reach reach, long tool, long order)
{
	ord_claim *c = ord_diag_claim(&x->d, "test", cause, "test", 0, cert, reach);

	assert_non_null(c);
	c->tool = tool;
	c->order = order;
	return (long)x->d.nclaims - 1;
}

/* Each pair: the loser is added first and comes first in the rules
 * table, so only the rule under test can make the winner win. */
static void test_rank_reach_first(void **state)
{
	fx *x = *state;
	long lo, hi;

	lo = mk(x, "cause_a", ORD_CERT_OBSERVED, ORD_REACH_READ, -1, 0);
	hi = mk(x, "cause_b", ORD_CERT_STATIC, ORD_REACH_SENT, -1, 5);
	ord_verdict_judge(&x->d, -1, &x->j);
	assert_int_equal(x->j.verdict, hi);
	assert_int_equal(x->j.ncandidates, 1);
	assert_int_equal(x->j.candidates[0], lo);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_PROBLEM);
}

static void test_rank_cert_second(void **state)
{
	fx *x = *state;
	long lo, hi;

	lo = mk(x, "cause_a", ORD_CERT_STATIC, ORD_REACH_SENT, -1, 0);
	hi = mk(x, "cause_b", ORD_CERT_OBSERVED, ORD_REACH_SENT, -1, 5);
	ord_verdict_judge(&x->d, -1, &x->j);
	assert_int_equal(x->j.verdict, hi);
	assert_true(is_candidate(&x->j, lo));
}

static void test_rank_tool_third(void **state)
{
	fx *x = *state;
	long lo, hi;

	lo = mk(x, "cause_a", ORD_CERT_OBSERVED, ORD_REACH_SENT, -1, 0);
	hi = mk(x, "cause_b", ORD_CERT_OBSERVED, ORD_REACH_SENT, 0, 5);
	ord_verdict_judge(&x->d, -1, &x->j);
	assert_int_equal(x->j.verdict, hi);
	assert_true(is_candidate(&x->j, lo));
}

static void test_rank_table_order_last(void **state)
{
	fx *x = *state;
	long a, b;

	b = mk(x, "cause_b", ORD_CERT_STATIC, ORD_REACH_READ, -1, 7);
	a = mk(x, "cause_a", ORD_CERT_STATIC, ORD_REACH_READ, -1, 2);
	ord_verdict_judge(&x->d, -1, &x->j);
	assert_int_equal(x->j.verdict, a);
	assert_true(is_candidate(&x->j, b));
}

/* A likely story never beats a sure one, however close to the wire; a
 * note is not even a candidate; an unread place never decides. */
static void test_rank_deciding_first(void **state)
{
	fx *x = *state;
	long inf, sure, note, unread;

	inf = mk(x, "cause_a", ORD_CERT_INFERRED, ORD_REACH_SENT, 0, 0);
	note = mk(x, "cause_b", ORD_CERT_NOTE, ORD_REACH_SENT, -1, 0);
	unread = mk(x, "cause_c", ORD_CERT_OBSERVED, ORD_REACH_UNREAD, -1, 0);
	sure = mk(x, "cause_d", ORD_CERT_STATIC, ORD_REACH_READ, -1, 9);
	ord_verdict_judge(&x->d, -1, &x->j);
	assert_int_equal(x->j.verdict, sure);
	assert_true(is_candidate(&x->j, inf));
	assert_true(is_candidate(&x->j, unread));
	assert_false(is_candidate(&x->j, note));
	assert_int_equal(x->j.ncandidates, 2);
}

/* Without a deciding claim: a likely story makes it undecided, even with
 * every fact known; nothing at all is clean. */
static void test_outcome_without_verdict(void **state)
{
	fx *x = *state;

	ord_verdict_judge(&x->d, -1, &x->j);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_CLEAN);
	mk(x, "cause_a", ORD_CERT_INFERRED, ORD_REACH_SENT, -1, 0);
	ord_verdict_judge(&x->d, -1, &x->j);
	assert_int_equal(x->j.verdict, -1);
	assert_int_equal(x->j.outcome, ORD_OUTCOME_UNDECIDED);
}

/* run: lines (how `ordoctor run` reaches a tool that ignores the base-URL
 * variables): arg and env forms, when=config-base, and bad lines warned
 * about with the line and skipped. */
static void test_profile_run_lines(void **state)
{
	static const char text[] =
		"id: t\n"
		"key: env T_KEY\n"
		"run: arg -c when=config-base\n"
		"run: arg model_providers.openrouter.base_url={base} when=config-base\n"
		"run: env T_CONFIG \"{\\\"baseURL\\\":\\\"{base}\\\"}\"\n"
		"run: env A=B x\n"
		"run: arg\n"
		"run: flag x\n";
	ord_ctx ctx;
	ord_profile p;

	(void)state;
	assert_int_equal(ord_ctx_init(&ctx, NULL, "/nonexistent", "/"), 0);
	assert_int_equal(ord_profile_parse(&ctx, "test/t", text, strlen(text), &p), 0);
	assert_int_equal(ctx.nwarnings, 3);
	assert_int_equal(p.nruns, 3);
	assert_false(p.runs[0].is_env);
	assert_string_equal(p.runs[0].value, "-c");
	assert_true(p.runs[0].config_base);
	assert_string_equal(p.runs[1].value, "model_providers.openrouter.base_url={base}");
	assert_true(p.runs[2].is_env);
	assert_false(p.runs[2].config_base);
	assert_string_equal(p.runs[2].name, "T_CONFIG");
	assert_string_equal(p.runs[2].value, "{\"baseURL\":\"{base}\"}");
	ord_profile_release(&p);
	ord_ctx_release(&ctx);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_run_lines),
		T(test_dead_env_key),
		T(test_dead_env_key_told_once),
		T(test_offline_key_is_a_gap),
		T(test_shadow_both_unknown),
		T(test_shadow_both_valid),
		T(test_shadow_dotenv_dead),
		T(test_dup_in_file),
		T(test_dead_key_on_overridden_line),
		T(test_incident),
		T(test_no_incident_after_window),
		T(test_management_key),
		T(test_credit_limit),
		T(test_credit_limit_left),
		T(test_empty_env_key),
		T(test_empty_dotenv_next_to_env_key),
		T(test_foreign_key),
		T(test_tool_stale_stored_key),
		T(test_tool_verdict_not_repeated_by_key_claim),
		T(test_tool_unranked_store),
		T(test_tool_without_store_decides),
		T(test_rank_reach_first),
		T(test_rank_cert_second),
		T(test_rank_tool_third),
		T(test_rank_table_order_last),
		T(test_rank_deciding_first),
		T(test_outcome_without_verdict),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
