/* explain (issue 5): the signature-file parser, the grep form of patterns,
 * the unwrapper (every wrapper of unwrap.h), key fragments and scrubbing,
 * timestamps, the streaming scanner across chunk boundaries and gzip
 * members, and the ranking rules of explain.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lib/explain.h"
#include "lib/xmachine.h"
#include "lib/gate.h"
#include "lib/logscan.h"
#include "lib/sigdb.h"
#include "lib/unwrap.h"

#define HEX "0e94870352a1805c0abf2788338502d65baf73b1220286f0fbefa5c84cf18872"
#define KEY "sk-or-v1-" HEX

/* ---- sigdb ----------------------------------------------------------------- */

static const char good[] =
	"# comment\n"
	"[a-one]\n"
	"title: one\n"
	"category: account/auth\n"
	"pattern: User not found\\.\n"
	"and: 401\n"
	"not: Provider returned error\n"
	"cause: key_revoked_expired_or_unknown 5\n"
	"cause: openrouter_incident 2\n"
	"meaning: first line\n"
	"  continued here\n"
	"check: ordoctor check\n"
	"fix: do it\n"
	"source: https://example.org/1\n"
	"\n"
	"[b-two]\n"
	"title: two\n"
	"role: fallback\n"
	"effect: key_ok\n"
	"effect: not_openrouter\n"
	"status: local\n"
	"category: quota/rate\n"
	"pattern: (?i)rate limit\n"
	"meaning: m\n"
	"fix: f\n"
	"source: https://example.org/2\n";

static void test_sigdb_parse(void **state)
{
	ord_sigdb db;
	const ord_sig *s;

	(void)state;
	ord_sigdb_init(&db);
	assert_int_equal(ord_sigdb_parse(&db, "t.sig", good, strlen(good)), 0);
	assert_int_equal(db.nerrors, 0);
	assert_int_equal(db.nsigs, 2);
	s = ord_sigdb_find(&db, "a-one");
	assert_non_null(s);
	assert_string_equal(s->meaning, "first line continued here");
	assert_int_equal(s->ncauses, 2);
	assert_int_equal(s->causes[1].weight, 2);
	assert_int_equal(s->npats, 3);
	assert_int_equal(s->nany, 1);
	assert_int_equal(s->nand, 1);
	assert_int_equal(s->nnot, 1);
	assert_int_equal(s->line, 2);
	s = ord_sigdb_find(&db, "b-two");
	assert_int_equal(s->role, ORD_SIGROLE_FALLBACK);
	assert_int_equal(s->effects, ORD_SIGFX_KEY_OK | ORD_SIGFX_NOT_OR);
	assert_int_equal(s->status, -1);
	assert_int_equal(ord_sigdb_compile(&db), 0);
	ord_sigdb_release(&db);
}

/* Each error names file and line; the other signatures still load. */
static void test_sigdb_errors(void **state)
{
	static const char bad[] =
		"title: before any signature\n"                 /* 1 */
		"[x-bad]\n"                                     /* 2 */
		"title: x\n"
		"category: account/auth\n"
		"pattern: a\n"
		"cause: no_such_cause 3\n"                      /* 6 */
		"meaning: m\nfix: f\nsource: https://e/\n"
		"[y-lazy]\n"                                    /* 10 */
		"title: y\ncategory: account/auth\n"
		"pattern: a+?b\n"                               /* 13 */
		"meaning: m\nfix: f\nsource: https://e/\n"
		"[z-missing]\n"                                 /* 17 */
		"title: z\ncategory: account/auth\npattern: z\nmeaning: m\n"
		"source: https://e/\n"
		"[Bad Id]\n"                                    /* 23 */
		"[w-good]\n"
		"title: w\ncategory: model/provider\npattern: wwww\nmeaning: m\nfix: f\n"
		"source: https://e/\n"
		"[w-good]\n"                                    /* 31 */
		"pattrn: oops\n";
	ord_sigdb db;
	size_t i;
	int seen[6] = {0};

	(void)state;
	ord_sigdb_init(&db);
	assert_int_equal(ord_sigdb_parse(&db, "bad.sig", bad, strlen(bad)), 0);
	assert_int_equal(db.nsigs, 1);
	assert_string_equal(db.sigs[0].id, "w-good");
	for (i = 0; i < db.nerrors; i++) {
		const char *e = db.errors[i];
		if (!strncmp(e, "bad.sig:1: a field outside", 26)) seen[0] = 1;
		if (!strncmp(e, "bad.sig:6: unknown cause id 'no_such_cause'", 43)) seen[1] = 1;
		if (!strncmp(e, "bad.sig:13: a lazy", 18)) seen[2] = 1;
		if (!strncmp(e, "bad.sig:17: signature 'z-missing' has no 'fix:'", 47)) seen[3] = 1;
		if (!strncmp(e, "bad.sig:23: invalid signature id", 32)) seen[4] = 1;
		if (!strncmp(e, "bad.sig:31: duplicate signature id 'w-good'", 43)) seen[5] = 1;
	}
	for (i = 0; i < 6; i++)
		assert_true(seen[i]);
	ord_sigdb_release(&db);
}

/* `evidence:` (docs/signatures.md, Evidence): counts are matched to the
 * causes whatever the order of the lines; a count for a cause the
 * signature lacks, a cause without a count, `none` mixed with counts, a
 * count twice or a bad number each skip the signature with file:line. */
static void test_sigdb_evidence(void **state)
{
	static const char t[] =
		"[e-good]\n"                                    /* 1 */
		"title: e\ncategory: account/auth\npattern: eee\n"
		"evidence: openrouter_incident=2\n"
		"cause: key_revoked_expired_or_unknown 5\n"
		"cause: openrouter_incident 2\n"
		"evidence: key_revoked_expired_or_unknown=0\n"
		"meaning: m\nfix: f\nsource: https://e/\n"
		"[e-none]\n"                                    /* 12 */
		"title: n\ncategory: account/auth\npattern: nnn\n"
		"cause: openrouter_incident 2\nevidence: none\n"
		"meaning: m\nfix: f\nsource: https://e/\n"
		"[e-extra]\n"                                   /* 21; evidence 26 */
		"title: x\ncategory: account/auth\npattern: xxx\n"
		"cause: openrouter_incident 2\n"
		"evidence: openrouter_incident=1 rate_limited=3\n"
		"meaning: m\nfix: f\nsource: https://e/\n"
		"[e-short]\n"                                   /* 30; evidence 36 */
		"title: s\ncategory: account/auth\npattern: sss\n"
		"cause: openrouter_incident 2\ncause: rate_limited 1\n"
		"evidence: openrouter_incident=1\n"
		"meaning: m\nfix: f\nsource: https://e/\n"
		"[e-mixed]\n"                                   /* 40 */
		"title: m\ncategory: account/auth\npattern: mmm\n"
		"cause: openrouter_incident 2\n"
		"evidence: openrouter_incident=1\nevidence: none\n" /* 45, 46 */
		"meaning: m\nfix: f\nsource: https://e/\n"
		"[e-twice]\n"                                   /* 50 */
		"title: t\ncategory: account/auth\npattern: ttt\n"
		"cause: openrouter_incident 2\n"
		"evidence: openrouter_incident=1 openrouter_incident=2\n" /* 55 */
		"meaning: m\nfix: f\nsource: https://e/\n"
		"[e-number]\n"                                  /* 59 */
		"title: b\ncategory: account/auth\npattern: bbb\n"
		"cause: openrouter_incident 2\n"
		"evidence: openrouter_incident=-1\n"            /* 64 */
		"meaning: m\nfix: f\nsource: https://e/\n"
		"[e-nocause]\n"                                 /* 68; evidence 72 */
		"title: c\ncategory: account/auth\npattern: ccc\nevidence: none\n"
		"meaning: m\nfix: f\nsource: https://e/\n";
	static const char *const want[] = {
		"ev.sig:26: 'evidence:' counts cause 'rate_limited' that signature 'e-extra' has no",
		"ev.sig:36: cause 'rate_limited' of signature 'e-short' has no 'evidence:' count",
		"ev.sig:46: 'evidence: none' with other 'evidence:' lines",
		"ev.sig:55: cause 'openrouter_incident' counted twice",
		"ev.sig:64: 'evidence:' count must be a whole number",
		"ev.sig:72: 'evidence:' on signature 'e-nocause' without a 'cause:'",
	};
	ord_sigdb db;
	const ord_sig *s;
	size_t i, k;

	(void)state;
	ord_sigdb_init(&db);
	assert_int_equal(ord_sigdb_parse(&db, "ev.sig", t, strlen(t)), 0);
	assert_int_equal(db.nsigs, 2);
	s = ord_sigdb_find(&db, "e-good");
	assert_non_null(s);
	assert_int_equal(s->evidence, ORD_SIGEV_COUNTS);
	assert_int_equal(s->causes[0].count, 0);
	assert_int_equal(s->causes[1].count, 2);
	s = ord_sigdb_find(&db, "e-none");
	assert_non_null(s);
	assert_int_equal(s->evidence, ORD_SIGEV_NONE);
	assert_int_equal(s->causes[0].count, -1);
	assert_int_equal(db.nerrors, sizeof(want) / sizeof(*want));
	for (k = 0; k < sizeof(want) / sizeof(*want); k++) {
		for (i = 0; i < db.nerrors && strncmp(db.errors[i], want[k], strlen(want[k])); i++)
			;
		if (i == db.nerrors)
			fail_msg("no error '%s'", want[k]);
	}
	ord_sigdb_release(&db);
}

static void test_sigdb_compile_error(void **state)
{
	static const char t[] =
		"[p-bad]\ntitle: p\ncategory: account/auth\npattern: (abc\nmeaning: m\nfix: f\nsource: https://e/\n"
		"[q-ok]\ntitle: q\ncategory: account/auth\npattern: qqq\nmeaning: m\nfix: f\nsource: https://e/\n";
	ord_sigdb db;

	(void)state;
	ord_sigdb_init(&db);
	assert_int_equal(ord_sigdb_parse(&db, "c.sig", t, strlen(t)), 0);
	assert_int_equal(ord_sigdb_compile(&db), 0);
	assert_true(db.sigs[0].dropped);
	assert_false(db.sigs[1].dropped);
	assert_int_equal(db.nerrors, 1);
	assert_non_null(strstr(db.errors[0], "c.sig:4: pattern does not compile"));
	ord_sigdb_release(&db);
}

static void test_builtin(void **state)
{
	ord_sigdb db;
	ord_buf b = ORD_BUF_INIT(1 << 20);
	size_t i;

	(void)state;
	ord_sigdb_init(&db);
	assert_int_equal(ord_sigdb_load_builtin(&db), 0);
	for (i = 0; i < db.nerrors; i++)
		fprintf(stderr, "%s\n", db.errors[i]);
	assert_int_equal(db.nerrors, 0);
	assert_true(db.nsigs >= 50);
	assert_int_equal(ord_sigdb_compile(&db), 0);
	assert_int_equal(db.nerrors, 0);
	assert_int_equal(ord_sigdb_dump_patterns(&db, &b), 0);
	assert_null(strstr(ord_buf_str(&b), "(?i)"));
	ord_buf_release(&b);
	ord_sigdb_release(&db);
}

/* Per-signature match counts of a log scan on db (at most 512). */
static void scan_counts(ord_sigdb *db, const char *text, uint64_t *counts)
{
	ord_logscan_opts o;
	ord_logscan *ls;
	size_t i;

	memset(&o, 0, sizeof(o));
	memset(counts, 0, 512 * sizeof(*counts));
	assert_int_equal(ord_logscan_new(db, &o, &ls), 0);
	assert_int_equal(ord_logscan_text(ls, text, strlen(text), "t"), 0);
	for (i = 0; i < db->nsigs && i < 512; i++)
		counts[i] = ord_logscan_stat(ls, i)->count;
	ord_logscan_free(ls);
}

/* The database compiled at build time is used only for the very patterns
 * it was made from, and finds what a compiled one finds; anything else
 * (an extra signature, a damaged blob) compiles as before. */
static void test_precompiled(void **state)
{
	static const char text[] =
		"{\"error\":{\"message\":\"User not found.\",\"code\":401}}\n"
		"Rate limit exceeded: free-models-per-day\n"
		"openai.AuthenticationError: Error code: 401 - No auth credentials found\n";
	static const char extra[] =
		"[zz-extra]\ntitle: z\ncategory: account/auth\npattern: zzzq\nmeaning: m\nfix: f\nsource: https://e/\n";
	ord_sigdb a, b;
	ord_buf blob = ORD_BUF_INIT(64 << 20);
	static uint64_t ca[512], cb[512];
	char *bad;

	(void)state;
	ord_sigdb_init(&a);
	assert_int_equal(ord_sigdb_load_builtin(&a), 0);
	assert_int_equal(ord_sigdb_compile(&a), 0);
	assert_false(a.hs_from_blob);
	assert_int_equal(ord_sigdb_serialize(&a, &blob), 0);
	assert_true(blob.len > 32);

	/* the same patterns: taken from the blob, same matches */
	ord_sigdb_init(&b);
	assert_int_equal(ord_sigdb_load_builtin(&b), 0);
	ord_sigdb_set_precompiled(&b, ord_buf_str(&blob), blob.len);
	assert_int_equal(ord_sigdb_compile(&b), 0);
	assert_true(b.hs_from_blob);
	assert_true(a.nsigs <= 512);
	scan_counts(&a, text, ca);
	scan_counts(&b, text, cb);
	assert_memory_equal(ca, cb, sizeof(ca));
	assert_true(ca[ord_sigdb_index(&a, "openrouter-401-user-not-found")] == 1);
	ord_sigdb_release(&b);

	/* one more signature: compiled, and it matches */
	ord_sigdb_init(&b);
	assert_int_equal(ord_sigdb_load_builtin(&b), 0);
	assert_int_equal(ord_sigdb_parse(&b, "x.sig", extra, strlen(extra)), 0);
	ord_sigdb_set_precompiled(&b, ord_buf_str(&blob), blob.len);
	assert_int_equal(ord_sigdb_compile(&b), 0);
	assert_false(b.hs_from_blob);
	scan_counts(&b, "zzzq\n", cb);
	assert_int_equal(cb[ord_sigdb_index(&b, "zz-extra")], 1);
	ord_sigdb_release(&b);

	/* a damaged database with the right digest: compiled instead */
	bad = malloc(blob.len);
	assert_non_null(bad);
	memcpy(bad, ord_buf_str(&blob), blob.len);
	memset(bad + 32, 0x5a, 64);
	ord_sigdb_init(&b);
	assert_int_equal(ord_sigdb_load_builtin(&b), 0);
	ord_sigdb_set_precompiled(&b, bad, blob.len);
	assert_int_equal(ord_sigdb_compile(&b), 0);
	assert_false(b.hs_from_blob);
	scan_counts(&b, text, cb);
	assert_memory_equal(ca, cb, sizeof(ca));
	ord_sigdb_release(&b);
	free(bad);

	ord_buf_release(&blob);
	ord_sigdb_release(&a);
}

/* explain --check: which tool a text names.  A dotted library name
 * ("litellm.AuthenticationError" inside Aider's output) is not the LiteLLM
 * proxy; "Continue" as an everyday word is not the Continue CLI; two tools
 * named with neither on the machine name none, one of them present wins. */
static void test_tool_in_text(void **state)
{
	ord_profile p[3];
	ord_tool_res v[3];
	ord_tools t;
	static const char *const ids[] = {"aider", "litellm", "continue"};
	static const char *const names[] = {"Aider", "LiteLLM", "Continue"};
	const char *s;
	size_t i;

	(void)state;
	memset(p, 0, sizeof(p));
	memset(v, 0, sizeof(v));
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 3; i++) {
		p[i].id = (char *)ids[i];
		p[i].name = (char *)names[i];
		v[i].p = &p[i];
	}
	t.v = v;
	t.n = 3;
	s = "aider: litellm.AuthenticationError: OpenrouterException - User not found.";
	assert_int_equal(ord_xmachine_tool_in_text(&t, s, strlen(s)), 0);
	s = "Continue anyway? {\"error\":{\"message\":\"User not found.\",\"code\":401}}";
	assert_int_equal(ord_xmachine_tool_in_text(&t, s, strlen(s)), -1);
	s = "Continue CLI 1.5: 401 User not found.";
	assert_int_equal(ord_xmachine_tool_in_text(&t, s, strlen(s)), 2);
	s = "aider talks to the LiteLLM proxy: 401";
	assert_int_equal(ord_xmachine_tool_in_text(&t, s, strlen(s)), -1);
	v[1].present = 1;
	assert_int_equal(ord_xmachine_tool_in_text(&t, s, strlen(s)), 1);
	s = "raider of the lost key";
	assert_int_equal(ord_xmachine_tool_in_text(&t, s, strlen(s)), -1);
}

static void test_grep_form(void **state)
{
	static const char *const io[][2] = {
		{"plain\\.", "plain\\."},
		{"(?i)ab", "[aA][bB]"},
		{"(?i)a\\.b", "[aA]\\.[bB]"},
		{"(?i)[a-c]x", "[a-cA-C][xX]"},
		{"(?i)[^x]", "[^xX]"},
		{"(?i)[[:space:]]q", "[[:space:]][qQ]"},
		{"(?i)1-2", "1-2"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(io) / sizeof(*io); i++) {
		ord_buf b = ORD_BUF_INIT(1024);
		assert_int_equal(ord_sigdb_grep_form(io[i][0], &b), 0);
		assert_string_equal(ord_buf_str(&b), io[i][1]);
		ord_buf_release(&b);
	}
}

/* ---- unwrap ------------------------------------------------------------------ */

static void unwrap(const char *text, ord_evidence *ev)
{
	ord_unwrap(text, strlen(text), ev);
}

static void test_unwrap_python_repr(void **state)
{
	ord_evidence ev;

	(void)state;
	unwrap("openai.AuthenticationError: Error code: 401 - {'error': {'message': 'User not found.', 'code': 401, 'x': True, 'y': None}}", &ev);
	assert_true(ev.have_body);
	assert_int_equal(ev.status, 401);
	assert_string_equal(ev.message, "User not found.");
	assert_string_equal(ev.encoding, "python-repr");
	assert_string_equal(ev.wrapper, "python-openai");
	assert_string_equal(ev.guess.cause, "key_revoked_expired_or_unknown");
}

static void test_unwrap_litellm_json(void **state)
{
	ord_evidence ev;

	(void)state;
	unwrap("litellm.APIError: APIError: OpenrouterException - {\"error\":{\"message\":\"Provider returned error\",\"code\":401,"
	       "\"metadata\":{\"raw\":\"{\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":\\\"authentication_error\\\",\\\"message\\\":\\\"invalid x-api-key\\\"}}\","
	       "\"provider_name\":\"Anthropic\"}},\"user_id\":\"user_2zX\"}", &ev);
	assert_string_equal(ev.wrapper, "litellm");
	assert_string_equal(ev.wrapper_vendor, "Openrouter");
	assert_string_equal(ev.provider, "Anthropic");
	assert_string_equal(ev.body.raw_message, "invalid x-api-key");
	assert_true(ev.user_id_present);
	assert_string_equal(ev.guess.cause, "byok_provider_key_invalid");
}

static void test_unwrap_json_in_string(void **state)
{
	ord_evidence ev;

	(void)state;
	/* n8n: the body is a JSON string inside the message */
	unwrap("message:401 - \"{\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":\\\"authentication_error\\\",\\\"message\\\":\\\"x-api-key header is required\\\"}}\"", &ev);
	assert_true(ev.have_body);
	assert_string_equal(ev.message, "x-api-key header is required");
	assert_string_equal(ev.encoding, "json-string");
	assert_int_equal(ev.status, 401);
}

static void test_unwrap_repr_in_json(void **state)
{
	ord_evidence ev;

	(void)state;
	/* Dify: a Python repr of a bare error object inside a JSON string,
	 * whose metadata.raw holds Google's JSON. */
	unwrap("PluginInvokeError: {\"args\":{},\"error_type\":\"ValueError\",\"message\":\"{'message': 'Provider returned error', 'code': 400, "
	       "'metadata': {'raw': '{\\\\n \\\"error\\\": {\\\\n \\\"code\\\": 400,\\\\n \\\"message\\\": \\\"User location is not supported for the API use.\\\"\\\\n }\\\\n}\\\\n', "
	       "'provider_name': 'Google AI Studio'}}\"}", &ev);
	assert_string_equal(ev.message, "Provider returned error");
	assert_int_equal(ev.status, 400);
	assert_string_equal(ev.provider, "Google AI Studio");
	assert_string_equal(ev.body.raw_message, "User location is not supported for the API use.");
	assert_string_equal(ev.guess.cause, "provider_geoblock");
}

static void test_unwrap_node_and_vercel(void **state)
{
	ord_evidence ev;

	(void)state;
	unwrap("AuthenticationError: 401 Missing Authentication header\n    at APIError.generate (x.js:1:2)", &ev);
	assert_int_equal(ev.status, 401);
	assert_string_equal(ev.wrapper, "node-sdk");
	assert_string_equal(ev.message, "Missing Authentication header");
	assert_false(ev.have_body);
	unwrap("401 User not found.\n", &ev);
	assert_int_equal(ev.status, 401);
	assert_string_equal(ev.message, "User not found.");
	unwrap("AI_APICallError: No auth credentials found\n  statusCode: 401,\n  responseBody: '{\"error\":{\"message\":\"No auth credentials found\",\"code\":401}}'", &ev);
	assert_string_equal(ev.wrapper, "vercel-ai-sdk");
	assert_true(ev.have_body);
	assert_int_equal(ev.status, 401);
}

static void test_unwrap_sse_and_midstream(void **state)
{
	ord_evidence ev;

	(void)state;
	unwrap(": OPENROUTER PROCESSING\n\ndata: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"model\":\"openai/gpt-4o\",\"provider\":\"OpenAI\","
	       "\"error\":{\"code\":502,\"message\":\"Provider disconnected mid-stream\"},\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"error\"}]}\n", &ev);
	assert_true(ev.have_body);
	assert_true(ev.body.midstream);
	assert_string_equal(ev.message, "Provider disconnected mid-stream");
	assert_string_equal(ev.model, "openai/gpt-4o");
	assert_string_equal(ev.guess.cause, "provider_unavailable");
}

static void test_unwrap_status_forms(void **state)
{
	static const struct { const char *t; long st; } c[] = {
		{"Error code: 429 - x", 429}, {"status_code=402 foo", 402}, {"API Error (500 {", 500},
		{"[HTTP 401]", 401}, {"Request failed with status code 404", 404}, {"HTTP/1.1 308 Permanent Redirect", 308},
		{"statusCode: 403,", 403}, {"nothing 1234 here", 0}, {"Error code: 4012", 0},
	};
	size_t i, at;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(*c); i++)
		assert_int_equal(ord_wrapper_status(c[i].t, strlen(c[i].t), &at), c[i].st);
}

static void test_unwrap_success_and_garbage(void **state)
{
	ord_evidence ev;

	(void)state;
	unwrap("{\"id\":\"gen-1\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}", &ev);
	assert_false(ev.have_body);
	assert_true(ev.json_answer);
	unwrap("{{{{ \"error\": [ 'unterminated", &ev);
	assert_false(ev.have_body);
	unwrap("", &ev);
	assert_false(ev.have_body);
	unwrap("<!DOCTYPE html><html><body>404</body></html>", &ev);
	assert_true(ev.html);
	assert_string_equal(ev.guess.cause, "wrong_base_url_path");
}

/* ---- fragments and scrubbing -------------------------------------------------- */

static void test_fragments(void **state)
{
	static const struct { const char *in, *out; int full, masked, ph, trunc; } c[] = {
		{"key " KEY " end", "sk-or-v1-0e9...872", 1, 0, 0, 0},
		{"Incorrect API key provided: sk-or-v1*************************************************************94e4.", "sk-or-v1...94e4", 0, 1, 0, 0},
		{"label sk-or-v1-abc...xyz here", "sk-or-v1-abc...xyz", 0, 1, 0, 0},
		{"label sk-or-v1-abc\xe2\x80\xa6xyz here", "sk-or-v1-abc...xyz", 0, 1, 0, 0},
		{"\"api_key\":\"sk-or-v1-\"", "sk-or-v1-", 0, 0, 0, 1},
		{"LLM_API_KEY=\"sk-or-v1-xxxxxxx-my-api-key\"", "sk-or-v1-(placeholder)", 0, 0, 1, 0},
		{"OPENROUTER_API_KEY=sk-or-v1-<redacted>", "sk-or-v1-(placeholder)", 0, 0, 1, 0},
		{"Use API key sk-or-v1-8e54ae900036*************************0e389672acfd377fa08322a865d8e3 for", "sk-or-v1-8e5...d8e3", 0, 1, 0, 0},
		{"nvapi-dy**********************************************************xZvs.", "nvapi-dy...xZvs", 0, 1, 0, 0},
		{"Received API Key = sk-...8aSP,", "sk-...8aSP", 0, 1, 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(*c); i++) {
		ord_keyfrag f[4];
		size_t n = ord_key_fragments(c[i].in, strlen(c[i].in), f, 4);

		assert_int_equal(n, 1);
		assert_string_equal(f[0].text, c[i].out);
		assert_int_equal(f[0].full, c[i].full);
		assert_int_equal(f[0].masked, c[i].masked);
		assert_int_equal(f[0].placeholder, c[i].ph);
		assert_int_equal(f[0].truncated, c[i].trunc);
	}
	/* Words that merely start with "sk-" are not keys. */
	assert_int_equal(ord_key_fragments("use sk-learn today", 18, NULL, 0), 0);
}

static void test_scrub(void **state)
{
	char a[] = "b'Bearer " KEY "\\n' and hash 569909a917a742e1c954a5ae2ff043fb10fff299956707ca9f9ce64c1f257585";
	char b[] = "key sk-or-v1-8e54ae900036*************************0e389672acfd377fa08322a865d8e3 end";
	char c[64] = "bad \xff\xfe utf8 \xe2\x80\xa6 ok\x01";

	(void)state;
	ord_gate_str(a, sizeof(a));
	assert_null(strstr(a, "0e94870352"));
	assert_non_null(strstr(a, "sk-or-v1-0e9...872"));
	assert_non_null(strstr(a, "569...585"));
	ord_gate_str(b, sizeof(b));
	assert_null(strstr(b, "900036"));
	assert_null(strstr(b, "0e389672"));
	assert_non_null(strstr(b, "d8e3"));
	ord_gate_str(c, sizeof(c));
	assert_string_equal(c, "bad \xef\xbf\xbd\xef\xbf\xbd utf8 \xe2\x80\xa6 ok?");
}

static void test_conversions(void **state)
{
	ord_buf b = ORD_BUF_INIT(4096);

	(void)state;
	static const char repr[] = "{'a': True, 'b': None, 'c': \"it's\", 'd': 'x\"y', 'e': '\\x41'}";
	static const char esc[] = "{\\\"a\\\":\\\"\\u00e9\\n\\\"}\" tail";

	assert_int_equal(ord_pyrepr_to_json(repr, strlen(repr), &b), 0);
	assert_string_equal(ord_buf_str(&b), "{\"a\": true, \"b\": null, \"c\": \"it's\", \"d\": \"x\\\"y\", \"e\": \"\\u0041\"}");
	ord_buf_reset(&b);
	assert_int_equal(ord_json_unescape(esc, strlen(esc), &b), 0);
	assert_string_equal(ord_buf_str(&b), "{\"a\":\"\xc3\xa9\n\"}");
	ord_buf_release(&b);
}

/* ---- timestamps ------------------------------------------------------------------- */

static void test_timestamps(void **state)
{
	static const struct { const char *line; int64_t t; const char *text; } c[] = {
		{"2025-01-02T03:04:05Z x", 1735787045, "2025-01-02T03:04:05Z"},
		{"2025-01-02T05:04:05.123+02:00 x", 1735787045, "2025-01-02T05:04:05.123+02:00"},
		{"2025-01-02 03:04:05,123 ERROR", 1735787045, "2025-01-02 03:04:05,123"},
		{"2025-07-02 22:23:21.560 ERROR (MainThread) [homeassistant.components.open_router]", 1751495001, "2025-07-02 22:23:21.560"},
		{"[2025/01/02 03:04:05] x", 1735787045, "2025/01/02 03:04:05"},
		{"10.0.0.1 - - [02/Jan/2025:04:04:05 +0100] \"GET\"", 1735787045, "02/Jan/2025:04:04:05 +0100"},
		{"Jan  2 03:04:05 host app: x", 1735787045, "Jan  2 03:04:05"},
		{"<13>Jan  2 03:04:05 host", 1735787045, "Jan  2 03:04:05"},
		{"{\"ts\":1735787045123,\"msg\":\"x\"}", 1735787045, "1735787045123"},
		{"level=error time=2025-01-02T03:04:05Z msg=x", 1735787045, "2025-01-02T03:04:05Z"},
	};
	size_t i;
	ord_ts ts;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(*c); i++) {
		assert_int_equal(ord_ts_parse(c[i].line, strlen(c[i].line), 2025, 1740000000, &ts), 1);
		assert_int_equal(ts.t, c[i].t);
		assert_string_equal(ts.text, c[i].text);
	}
	/* A syslog date after the clock belongs to the year before. */
	assert_int_equal(ord_ts_parse("Dec 31 23:00:00 h", 17, 2025, 1735787045, &ts), 1);
	assert_int_equal(ts.t, 1735686000);
	assert_int_equal(ord_ts_parse("no time here 12:00", 18, 2025, 0, &ts), 0);
	assert_int_equal(ord_ts_parse("2025-13-02 03:04:05", 19, 2025, 0, &ts), 0);
}

/* ---- the scanner ------------------------------------------------------------------- */

typedef struct fx {
	ord_sigdb db;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));

	ord_sigdb_init(&f->db);
	if (ord_sigdb_load_builtin(&f->db) || ord_sigdb_compile(&f->db))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;

	ord_sigdb_release(&f->db);
	free(f);
	return 0;
}

static char *make_log(size_t *len, int lines)
{
	ord_buf b = ORD_BUF_INIT(64 << 20);
	int i;

	for (i = 0; i < lines; i++) {
		if (i % 37 == 5)
			ord_buf_addf(&b, "2025-01-02T03:%02d:%02dZ ERROR Error code: 401 - {'error': {'message': 'User not found.', 'code': 401}}\n",
				     (i / 60) % 60, i % 60);
		else if (i % 53 == 7)
			ord_buf_addf(&b, "2025-01-02T03:%02d:%02dZ WARN {\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day\",\"code\":429}} model=openai/gpt-4o:free\n",
				     (i / 60) % 60, i % 60);
		else
			ord_buf_addf(&b, "2025-01-02T03:%02d:%02dZ INFO request %d served in %d ms with padding %*s\n",
				     (i / 60) % 60, i % 60, i, i % 97, i % 41, "");
	}
	return ord_buf_detach(&b, len);
}

static void scan(fx *f, const char *data, size_t len, size_t chunk, uint64_t *unf, uint64_t *free_rl,
		 uint64_t *lines)
{
	ord_logscan_opts o;
	ord_logscan *ls;
	long a = ord_sigdb_index(&f->db, "openrouter-401-user-not-found");
	long b = ord_sigdb_index(&f->db, "openrouter-429-free-models");

	memset(&o, 0, sizeof(o));
	o.chunk = chunk;
	assert_int_equal(ord_logscan_new(&f->db, &o, &ls), 0);
	assert_int_equal(ord_logscan_text(ls, data, len, "t"), 0);
	*unf = ord_logscan_stat(ls, (size_t)a)->count;
	*free_rl = ord_logscan_stat(ls, (size_t)b)->count;
	*lines = ord_logscan_lines(ls);
	ord_logscan_free(ls);
}

/* The same counts whatever the chunk size: matches across chunk ends are
 * never lost or counted twice. */
static void test_chunk_boundaries(void **state)
{
	fx *f = *state;
	size_t len, k;
	char *log = make_log(&len, 5000);
	uint64_t u0, r0, l0, u, r, l;
	static const size_t chunks[] = {4096, 4099, 65536, 1 << 20};

	scan(f, log, len, 1 << 22, &u0, &r0, &l0);
	assert_int_equal(l0, 5000);
	assert_int_equal(u0, (5000 - 5 + 36) / 37);
	assert_true(r0 > 0);
	for (k = 0; k < sizeof(chunks) / sizeof(*chunks); k++) {
		scan(f, log, len, chunks[k], &u, &r, &l);
		assert_int_equal(u, u0);
		assert_int_equal(r, r0);
		assert_int_equal(l, l0);
	}
	free(log);
}

static void test_gzip_members(void **state)
{
	fx *f = *state;
	size_t len, half;
	char *log = make_log(&len, 2000);
	unsigned char *gz = malloc(len * 2 + 1024);
	size_t gl = 0;
	uint64_t u0, r0, l0, u, r, l;
	int m;

	scan(f, log, len, 0, &u0, &r0, &l0);
	/* Two concatenated gzip members, split in the middle of a line. */
	half = len / 2;
	for (m = 0; m < 2; m++) {
		z_stream zs;
		memset(&zs, 0, sizeof(zs));
		assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
		zs.next_in = (unsigned char *)log + (m ? half : 0);
		zs.avail_in = (uInt)(m ? len - half : half);
		zs.next_out = gz + gl;
		zs.avail_out = (uInt)(len * 2 + 1024 - gl);
		assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
		gl += zs.total_out;
		deflateEnd(&zs);
	}
	scan(f, (const char *)gz, gl, 4096, &u, &r, &l);
	assert_int_equal(u, u0);
	assert_int_equal(r, r0);
	assert_int_equal(l, l0);
	free(gz);
	free(log);
}

/* A compressed input larger than the first read (regression: the bytes
 * after the first 256 KiB of a big .gz were lost). */
static void test_gzip_large(void **state)
{
	fx *f = *state;
	size_t len;
	char *log = make_log(&len, 60000);
	uLongf gl = compressBound(len) + 64;
	unsigned char *gz = malloc(gl);
	uint64_t u0, r0, l0, u, r, l;
	z_stream zs;

	scan(f, log, len, 0, &u0, &r0, &l0);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)log;
	zs.avail_in = (uInt)len;
	zs.next_out = gz;
	zs.avail_out = (uInt)gl;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	gl = zs.total_out;
	deflateEnd(&zs);
	assert_true(gl > 300 * 1024);
	scan(f, (const char *)gz, gl, 0, &u, &r, &l);
	assert_int_equal(u, u0);
	assert_int_equal(r, r0);
	assert_int_equal(l, l0);
	free(gz);
	free(log);
}

/* A line longer than the buffer is scanned in pieces. */
static void test_long_line(void **state)
{
	fx *f = *state;
	size_t n = 50000, i;
	char *s = malloc(n + 200);
	uint64_t u, r, l;

	for (i = 0; i < n; i++)
		s[i] = 'a' + (char)(i % 26);
	strcpy(s + n, " User not found.\nnext\n");
	scan(f, s, strlen(s), 4096, &u, &r, &l);
	assert_int_equal(u, 1);
	assert_int_equal(l, 2);
	free(s);
}

/* ---- ranking --------------------------------------------------------------------------- */

static void run(fx *f, const char *text, ord_explain *x, ord_logscan **ls)
{
	ord_logscan_opts o;

	memset(&o, 0, sizeof(o));
	assert_int_equal(ord_logscan_new(&f->db, &o, ls), 0);
	assert_int_equal(ord_logscan_text(*ls, text, strlen(text), "-"), 0);
	assert_int_equal(ord_explain_run(x, *ls, &f->db, NULL), 0);
}

static double score(const ord_explain *x, const char *cause)
{
	size_t i;

	for (i = 0; i < x->ncauses; i++)
		if (!strcmp(x->causes[i].id, cause))
			return x->causes[i].score;
	return 0;
}

static void test_rank_user_not_found_set(void **state)
{
	fx *f = *state;
	ord_explain x;
	ord_logscan *ls;

	run(f, "Error code: 401 - {'error': {'message': 'User not found.', 'code': 401}}", &x, &ls);
	assert_int_equal(x.mode, ORD_XMODE_MESSAGE);
	assert_string_equal(x.causes[0].id, "key_revoked_expired_or_unknown");
	assert_true(score(&x, "tool_stale_stored_key") > 0.1);
	assert_true(score(&x, "openrouter_incident") > 0.1);
	/* The signature's check is said once; each cause has its own. */
	assert_non_null(strstr(x.sig_check, "ordoctor check"));
	assert_non_null(strstr(x.causes[0].check, "ordoctor verify"));
	assert_true(strcmp(x.causes[0].check, x.causes[1].check) != 0);
	assert_int_equal(ord_explain_exit(&x), 1);
	ord_explain_release(&x);
	ord_logscan_free(ls);
}

/* user_id present: the key was accepted, key causes drop. */
static void test_rank_user_id(void **state)
{
	fx *f = *state;
	ord_explain x;
	ord_logscan *ls;

	run(f, "{\"error\":{\"message\":\"Provider returned error\",\"code\":401,\"metadata\":{\"raw\":\"Unauthorized\",\"provider_name\":\"Groq\"}},\"user_id\":\"user_1\"}", &x, &ls);
	assert_true(x.key_ok);
	assert_string_equal(x.causes[0].id, "byok_provider_key_invalid");
	assert_true(score(&x, "key_revoked_expired_or_unknown") < 0.05);
	ord_explain_release(&x);
	ord_logscan_free(ls);
}

/* An sk-or-v1 fragment in OpenAI's answer: the request went to OpenAI. */
static void test_rank_wrong_endpoint(void **state)
{
	fx *f = *state;
	ord_explain x;
	ord_logscan *ls;

	run(f, "Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-or-v1****94e4. You can find your API key at https://platform.openai.com/account/api-keys.'}}", &x, &ls);
	assert_string_equal(x.causes[0].id, "request_sent_to_wrong_endpoint");
	assert_true(x.causes[0].score > 0.7);
	assert_int_equal(x.ev.nfrags, 1);
	ord_explain_release(&x);
	ord_logscan_free(ls);
}

static void test_rank_exit_codes(void **state)
{
	fx *f = *state;
	ord_explain x;
	ord_logscan *ls;

	run(f, "all good here", &x, &ls);
	assert_int_equal(ord_explain_exit(&x), 3);
	ord_explain_release(&x);
	ord_logscan_free(ls);
	run(f, "{\"id\":\"gen-1\",\"object\":\"chat.completion\",\"choices\":[]}", &x, &ls);
	assert_int_equal(ord_explain_exit(&x), 0);
	ord_explain_release(&x);
	ord_logscan_free(ls);
}

/* ---- known bugs (knownbugs.h) and context (explain_ctx.c) ---------------------- */

static void test_version_cmp(void **state)
{
	(void)state;
	assert_true(ord_version_cmp("1.10", "1.9") > 0);
	assert_true(ord_version_cmp("v0.81.3", "0.81.3") == 0);
	assert_true(ord_version_cmp("2026.4.9", "2026.4.10") < 0);
	assert_true(ord_version_cmp("1.2", "1.2.0") == 0);
	assert_true(ord_version_cmp("1.2.1", "1.2") > 0);
	assert_true(ord_version_cmp("1.0.0-rc.1", "1.0.0") == 0);
}

static void test_kbugs_parse(void **state)
{
	static const char f[] =
		"# comment\n"
		"\n"
		"acme 1.0..1.2 1.3 https://example.com/1 User not found\n"  /* 3: ok */
		"Acme 1.0 - https://example.com/2 User not found\n"        /* 4: tool */
		"acme x - https://example.com/3 User not found\n"          /* 5: range */
		"acme 1.2..1.0 - https://example.com/4 User not found\n"   /* 6: order */
		"acme 1.0 0.9 https://example.com/5 User not found\n"      /* 7: fixed */
		"acme 1.0 - http://example.com/6 User not found\n"         /* 8: url */
		"acme 1.0 - https://example.com/7 ab\n"                    /* 9: symptom */
		"acme ..2.0 - https://example.com/8 Missing Authentication header\r\n"; /* 10: ok */
	ord_kbugs *kb = malloc(sizeof(*kb));
	size_t i;

	(void)state;
	assert_non_null(kb);
	ord_kbugs_init(kb);
	ord_kbugs_parse(kb, "t.bugs", f, sizeof(f) - 1);
	assert_int_equal(kb->n, 2);
	assert_string_equal(kb->bugs[0].from, "1.0");
	assert_string_equal(kb->bugs[0].to, "1.2");
	assert_string_equal(kb->bugs[0].fixed, "1.3");
	assert_string_equal(kb->bugs[1].from, "");
	assert_string_equal(kb->bugs[1].symptom, "Missing Authentication header");
	assert_int_equal(kb->nerrors, 6);
	for (i = 0; i < kb->nerrors; i++) {
		char want[32];

		snprintf(want, sizeof(want), "t.bugs:%zu:", i + 4);
		assert_non_null(strstr(kb->errors[i], want));
		assert_null(strstr(kb->errors[i], "example.com")); /* never quotes the line */
	}
	/* The built-in file loads without an error. */
	ord_kbugs_init(kb);
	ord_kbugs_load_builtin(kb);
	assert_true(kb->n >= 8);
	assert_int_equal(kb->nerrors, 0);
	free(kb);
}

static void test_kbugs_match(void **state)
{
	static const char f[] =
		"home-assistant 2024.9.0 - https://example.com/ha Incorrect API key provided\n"
		"acme 1.0..1.2 1.3 https://example.com/1 User not found\n";
	ord_kbugs *kb = malloc(sizeof(*kb));
	ord_kbug_hit h[4];
	const char *t;

	(void)state;
	assert_non_null(kb);
	ord_kbugs_init(kb);
	ord_kbugs_parse(kb, "t", f, sizeof(f) - 1);
	t = "Home Assistant 2024.9.0: Incorrect API key provided: w...";
	assert_int_equal(ord_kbugs_match(kb, t, strlen(t), h, 4), 1);
	assert_string_equal(h[0].version, "2024.9.0");
	t = "acme==1.1 User not found.";
	assert_int_equal(ord_kbugs_match(kb, t, strlen(t), h, 4), 1);
	assert_string_equal(h[0].version, "1.1");
	/* Named without a version: a candidate, version unknown. */
	t = "acme says: User not found.";
	assert_int_equal(ord_kbugs_match(kb, t, strlen(t), h, 4), 1);
	assert_string_equal(h[0].version, "");
	/* Out of range, another word, no symptom: none. */
	t = "acme v1.3 User not found.";
	assert_int_equal(ord_kbugs_match(kb, t, strlen(t), h, 4), 0);
	t = "acmeflow 1.1 User not found.";
	assert_int_equal(ord_kbugs_match(kb, t, strlen(t), h, 4), 0);
	t = "acme 1.1 Missing Authentication header";
	assert_int_equal(ord_kbugs_match(kb, t, strlen(t), h, 4), 0);
	free(kb);
}

static void test_sigdb_cases(void **state)
{
	static const char f[] =
		"[a]\ntitle: t\ncategory: account/auth\npattern: AAA\n"
		"cause: key_missing_or_empty 3\ncause: openrouter_incident 2\n"
		"case: openrouter_incident https://example.com/1\n"
		"case: openrouter_incident https://example.com/2\n"
		"meaning: m\nfix: f\nsource: https://example.com/s\n"
		"[b]\ntitle: t\ncategory: account/auth\npattern: BBB\n"
		"case: key_missing_or_empty https://example.com/1\n"       /* 16: not listed above */
		"cause: key_missing_or_empty 3\n"
		"meaning: m\nfix: f\nsource: https://example.com/s\n"
		"[c]\ntitle: t\ncategory: account/auth\npattern: CCC\n"
		"cause: key_missing_or_empty 3\n"
		"case: key_missing_or_empty http://example.com/1\n"        /* 26: not https */
		"meaning: m\nfix: f\nsource: https://example.com/s\n"
		"[d]\ntitle: t\ncategory: account/auth\npattern: DDD\n"
		"cause: key_missing_or_empty 3\n"
		"case: key_missing_or_empty https://example.com/1\n"
		"case: key_missing_or_empty https://example.com/2\n"
		"case: key_missing_or_empty https://example.com/3\n"       /* 37: a third */
		"meaning: m\nfix: f\nsource: https://example.com/s\n";
	ord_sigdb db;

	(void)state;
	ord_sigdb_init(&db);
	assert_int_equal(ord_sigdb_parse(&db, "c.sig", f, sizeof(f) - 1), 0);
	assert_int_equal(db.nsigs, 1);
	assert_int_equal(db.sigs[0].causes[1].ncases, 2);
	assert_string_equal(db.sigs[0].causes[1].cases[1], "https://example.com/2");
	assert_int_equal(db.sigs[0].causes[0].ncases, 0);
	assert_int_equal(db.nerrors, 3);
	assert_non_null(strstr(db.errors[0], "c.sig:16:"));
	assert_non_null(strstr(db.errors[1], "c.sig:26:"));
	assert_non_null(strstr(db.errors[2], "c.sig:37:"));
	ord_sigdb_release(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_cmp),
		cmocka_unit_test(test_kbugs_parse),
		cmocka_unit_test(test_kbugs_match),
		cmocka_unit_test(test_sigdb_parse),
		cmocka_unit_test(test_precompiled),
		cmocka_unit_test(test_tool_in_text),
		cmocka_unit_test(test_sigdb_cases),
		cmocka_unit_test(test_sigdb_errors),
		cmocka_unit_test(test_sigdb_evidence),
		cmocka_unit_test(test_sigdb_compile_error),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_grep_form),
		cmocka_unit_test(test_unwrap_python_repr),
		cmocka_unit_test(test_unwrap_litellm_json),
		cmocka_unit_test(test_unwrap_json_in_string),
		cmocka_unit_test(test_unwrap_repr_in_json),
		cmocka_unit_test(test_unwrap_node_and_vercel),
		cmocka_unit_test(test_unwrap_sse_and_midstream),
		cmocka_unit_test(test_unwrap_status_forms),
		cmocka_unit_test(test_unwrap_success_and_garbage),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_scrub),
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test_setup_teardown(test_chunk_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gzip_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gzip_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rank_user_not_found_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rank_user_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rank_wrong_endpoint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rank_exit_codes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
