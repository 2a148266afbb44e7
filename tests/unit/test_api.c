/* lib/api: the error decoder and its cause on every body quoted in
 * openrouter-api.md and causes.md, the /key decoder, the URL linter, and
 * the live calls through a fake transport (ctx->perform). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/api.h"
#include "lib/gate.h"

#define HEX "3fa1c0de9b1e2d3c4b5a69788796a5b4c3d2e1f0011223344556677889aab9b1"
#define KEY "sk-or-v1-" HEX
#define KEY2 "sk-or-v1-0000000000000000000000000000000000000000000000000000000000000dea"

#define BYOK_RAW "{\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":\\\"authentication_error\\\",\\\"message\\\":\\\"invalid x-api-key\\\"}}"
#define CHUNK "{\"id\":\"gen-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1234567890,\"model\":\"openai/gpt-4o\",\"provider\":\"OpenAI\",\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\",\"metadata\":{\"error_type\":\"rate_limit_exceeded\"}},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}"

/* status, body, kind, message (or NULL: not checked), cause (NULL: none),
 * one more field check "name=value" (or NULL). */
static const struct body_case {
	long status;
	const char *body;
	ord_body_kind kind;
	const char *message;
	const char *cause;
	const char *extra;
} cases[] = {
	/* 401 family (api §2, causes decoder) */
	{401, "{\"error\":{\"code\":401,\"message\":\"Missing Authentication header\"}}", ORD_BODY_ERROR, "Missing Authentication header", "key_missing_or_empty", "code=401"},
	{401, "{\"error\":{\"message\":\"Missing Authentication header or invalid API key\",\"code\":401}}", ORD_BODY_ERROR, "Missing Authentication header or invalid API key", "key_missing_or_empty", NULL},
	{401, "{\"error\":{\"message\":\"No auth credentials found\",\"code\":401}}", ORD_BODY_ERROR, "No auth credentials found", "key_missing_or_empty", NULL},
	{401, "{\"error\":{\"message\":\"No cookie auth credentials found\",\"code\":401}}", ORD_BODY_ERROR, "No cookie auth credentials found", "key_missing_or_empty", NULL},
	{401, "{\"error\":{\"message\":\"User not found.\",\"code\":401}}", ORD_BODY_ERROR, "User not found.", "key_revoked_expired_or_unknown", "cand=tool_stale_stored_key"},
	{401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid credentials\",\"error_type\":\"authentication\"},\"request_id\":null}", ORD_BODY_ANTHROPIC, "Invalid credentials", "key_revoked_expired_or_unknown", "error_type=authentication"},
	{401, "{\"id\":\"resp_abc\",\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"Invalid credentials\"},\"error_type\":\"authentication\"}", ORD_BODY_RESPONSES, "Invalid credentials", "key_revoked_expired_or_unknown", "code_str=server_error"},
	/* BYOK (api §4, ai-sdk-provider#24) */
	{401, "{\"error\":{\"message\":\"Provider returned error\",\"code\":401,\"metadata\":{\"raw\":\"" BYOK_RAW "\",\"provider_name\":\"Anthropic\",\"isDownstreamPipeClean\":true,\"isErrorUpstreamFault\":true}}}", ORD_BODY_ERROR, "Provider returned error", "byok_provider_key_invalid", "raw_message=invalid x-api-key"},
	{401, "{\"error\":{\"message\":\"Provider returned error\",\"code\":401,\"metadata\":{\"raw\":\"" BYOK_RAW "\",\"provider_name\":\"Anthropic\"}},\"user_id\":\"user_2dHF\"}", ORD_BODY_ERROR, "Provider returned error", "byok_provider_key_invalid", "user_id=1"},
	/* 402 (api §4) */
	{402, "{\"error\":{\"code\":402,\"message\":\"Insufficient credits. Add more using https://openrouter.ai/credits\"}}", ORD_BODY_ERROR, NULL, "insufficient_credits", NULL},
	{402, "{\"error\":{\"message\":\"This request requires more credits, or fewer max_tokens. You requested up to 65536 tokens, but can only afford 10114. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account\",\"code\":402,\"metadata\":{\"provider_name\":null}},\"user_id\":\"user_3D0I\"}", ORD_BODY_ERROR, NULL, "max_tokens_unaffordable", "user_id=1"},
	{402, "{\"error\":{\"message\":\"This request requires more credits, or fewer max_tokens. You requested up to 32000 tokens, but can only afford 1200. To increase, visit https://openrouter.ai/settings/keys and create a key with a higher monthly limit\",\"code\":402}}", ORD_BODY_ERROR, NULL, "per_key_credit_limit", NULL},
	/* 403 (causes decoder; api §4) */
	{403, "{\"error\":{\"code\":403,\"message\":\"Key limit exceeded (monthly limit). Manage it using https://openrouter.ai/settings/keys\"}}", ORD_BODY_ERROR, NULL, "per_key_credit_limit", NULL},
	{403, "{\"error\":{\"code\":403,\"message\":\"Only management keys can perform this operation\"}}", ORD_BODY_ERROR, NULL, NULL, "rule=403_management_only"},
	{403, "{\"error\":{\"code\":403,\"message\":\"Only provisioning keys can fetch credits\"}}", ORD_BODY_ERROR, NULL, NULL, "rule=403_provisioning_only"},
	{403, "{\"error\":{\"code\":403,\"message\":\"openai/gpt-4o requires moderation on OpenRouter. Your input was flagged for \\\"harassment\\\".\",\"metadata\":{\"reasons\":[\"harassment\"],\"flagged_input\":\"you are...\",\"provider_name\":\"OpenAI\",\"model_slug\":\"openai/gpt-4o\"}}}", ORD_BODY_ERROR, NULL, "moderation_flagged", "provider=OpenAI"},
	{403, "{\"error\":{\"code\":403,\"message\":\"Request blocked: prompt injection patterns detected\",\"metadata\":{\"patterns\":[\"ignore all previous instructions\"]}}}", ORD_BODY_ERROR, NULL, "moderation_flagged", NULL},
	{403, "{\"error\":{\"code\":403,\"message\":\"This model is available only to users requiring a key to access this model. Add one at https://openrouter.ai/settings/integrations\"}}", ORD_BODY_ERROR, NULL, "byok_required_for_model", NULL},
	{403, "{\"error\":{\"code\":403,\"message\":\"The request was blocked due to a violation of provider Terms Of Service.\"}}", ORD_BODY_ERROR, NULL, "data_policy_or_tos_block", NULL},
	{403, "{\"error\":{\"message\":\"Not available in your region\",\"error_type\":\"permission_denied\",\"http_status\":403,\"availability\":{\"code\":\"region_restricted\",\"retryable\":false}}}", ORD_BODY_ERROR, NULL, "provider_geoblock", "availability=region_restricted"},
	{403, "{\"error\":{\"message\":\"Provider returned error\",\"code\":403,\"metadata\":{\"provider_name\":\"Google AI Studio\",\"raw\":\"{\\\"error\\\":{\\\"code\\\":400,\\\"message\\\":\\\"User location is not supported for the API use.\\\",\\\"status\\\":\\\"FAILED_PRECONDITION\\\"}}\"}}}", ORD_BODY_ERROR, NULL, "provider_geoblock", "raw_message=User location is not supported for the API use."},
	/* 404 (api §4, causes 404 row) */
	{404, "{\"error\":{\"code\":404,\"message\":\"No endpoints found matching your data policy (Free model publication). Configure: https://openrouter.ai/settings/privacy\"}}", ORD_BODY_ERROR, NULL, "data_policy_or_tos_block", NULL},
	{404, "{\"error\":{\"code\":404,\"message\":\"Resource not found\"}}", ORD_BODY_ERROR, "Resource not found", "wrong_base_url_path", NULL},
	{404, "<!DOCTYPE html><html lang=\"en\"><head><title>404: This page could not be found.</title></head></html>", ORD_BODY_HTML, "", "wrong_base_url_path", NULL},
	{404, "\n  <html><body>Not Found</body></html>", ORD_BODY_HTML, "", "wrong_base_url_path", NULL},
	{502, "<!DOCTYPE html><html><title>502 Bad gateway</title></html>", ORD_BODY_HTML, "", "provider_unavailable", NULL},
	/* 400 model not found, new availability envelope */
	{400, "{\"error\":{\"message\":\"acme/fake-1.0 is not a valid model ID\",\"error_type\":\"invalid_request\",\"http_status\":400,\"availability\":{\"code\":\"model_not_found\",\"retryable\":false,\"requested_models\":[\"acme/fake-1.0\"],\"docs_url\":\"https://openrouter.ai/docs/errors#model_not_found\"}}}", ORD_BODY_ERROR, "acme/fake-1.0 is not a valid model ID", "model_not_found", "code=400"},
	{400, "{\"error\":{\"code\":400,\"message\":\"openai/gpt-9 is not a valid model ID\"}}", ORD_BODY_ERROR, NULL, "model_not_found", NULL},
	{400, "{\"error\":{\"code\":400,\"message\":\"Invalid request parameters\"}}", ORD_BODY_ERROR, NULL, NULL, NULL},
	/* 429 */
	{429, "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\",\"metadata\":{\"error_type\":\"rate_limit_exceeded\"}}}", ORD_BODY_ERROR, NULL, "rate_limited", "error_type=rate_limit_exceeded"},
	{429, "{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day\",\"code\":429,\"metadata\":{\"headers\":{\"X-RateLimit-Limit\":\"50\",\"X-RateLimit-Remaining\":\"0\",\"X-RateLimit-Reset\":\"1741305600000\"}}}}", ORD_BODY_ERROR, NULL, "free_model_rate_limit", "rate_headers=1"},
	/* 5xx, 408, 524, 529 */
	{500, "{\"error\":{\"code\":500,\"message\":\"Internal Server Error\"}}", ORD_BODY_ERROR, NULL, "provider_unavailable", "cand=openrouter_incident"},
	{502, "{\"error\":{\"code\":502,\"message\":\"Provider returned error\",\"metadata\":{\"provider_name\":\"DeepInfra\",\"raw\":\"upstream connect error\"}}}", ORD_BODY_ERROR, NULL, "provider_unavailable", "raw=upstream connect error"},
	{503, "{\"error\":{\"code\":503,\"message\":\"Service temporarily unavailable\"}}", ORD_BODY_ERROR, NULL, "provider_unavailable", NULL},
	{529, "{\"error\":{\"code\":529,\"message\":\"Provider returned error\"}}", ORD_BODY_ERROR, NULL, "provider_unavailable", NULL},
	{524, "{\"error\":{\"code\":524,\"message\":\"Request timed out. Please try again later.\"}}", ORD_BODY_ERROR, NULL, "provider_unavailable", NULL},
	{408, "{\"error\":{\"code\":408,\"message\":\"Operation timed out. Please try again later.\"}}", ORD_BODY_ERROR, NULL, "provider_unavailable", NULL},
	/* after generation started (api §3.4) */
	{200, CHUNK, ORD_BODY_ERROR, "Rate limit exceeded", "rate_limited", "midstream=1"},
	{200, ": OPENROUTER PROCESSING\n\ndata: " CHUNK "\n\ndata: [DONE]\n\n", ORD_BODY_ERROR, "Rate limit exceeded", "rate_limited", "sse=1"},
	{200, "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"partial output...\"},\"finish_reason\":\"error\",\"error\":{\"code\":502,\"message\":\"Provider disconnected mid-stream\",\"metadata\":{\"error_type\":\"provider_unavailable\"}}}]}", ORD_BODY_ERROR, "Provider disconnected mid-stream", "provider_unavailable", "midstream=1"},
	{200, "{\"id\":\"gen-x\",\"object\":\"chat.completion\",\"model\":\"openai/gpt-4o\",\"provider\":\"OpenAI\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"Hello there!\"}}]}", ORD_BODY_JSON, "", NULL, "rule=ok"},
	/* other vendors (causes "Another vendor's answer") */
	{401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-or-v1-********************************************************abcd. You can find your API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}", ORD_BODY_ERROR, NULL, "request_sent_to_wrong_endpoint", "code_str=invalid_api_key"},
	{401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}", ORD_BODY_ANTHROPIC, "invalid x-api-key", "request_sent_to_wrong_endpoint", NULL},
	/* a body nested twice: message holds an envelope whose raw holds another */
	{401, "{\"error\":{\"message\":\"{\\\"error\\\":{\\\"message\\\":\\\"Provider returned error\\\",\\\"code\\\":401,\\\"metadata\\\":{\\\"provider_name\\\":\\\"Anthropic\\\",\\\"raw\\\":\\\"{\\\\\\\"type\\\\\\\":\\\\\\\"error\\\\\\\",\\\\\\\"error\\\\\\\":{\\\\\\\"type\\\\\\\":\\\\\\\"authentication_error\\\\\\\",\\\\\\\"message\\\\\\\":\\\\\\\"invalid x-api-key\\\\\\\"}}\\\"}}}\",\"code\":401}}", ORD_BODY_ERROR, "Provider returned error", "byok_provider_key_invalid", "nested=2"},
	/* redirects, garbage, truncation, empty */
	{301, "", ORD_BODY_EMPTY, "", "http_redirect_drops_auth", NULL},
	{308, "<html><body>Permanent Redirect</body></html>", ORD_BODY_HTML, "", "http_redirect_drops_auth", NULL},
	{503, "upstream connect error or disconnect/reset before headers", ORD_BODY_GARBAGE, "", "provider_unavailable", NULL},
	{200, "hello", ORD_BODY_GARBAGE, "", NULL, "rule=garbage"},
	{401, "{\"error\":{\"message\":\"User not fo", ORD_BODY_GARBAGE, "", "key_revoked_expired_or_unknown", "json_truncated=1"},
	{200, "{} {}", ORD_BODY_GARBAGE, "", NULL, NULL},
	{401, "", ORD_BODY_EMPTY, "", "key_revoked_expired_or_unknown", NULL},
	{0, "{\"error\":{\"message\":\"User not found.\",\"code\":401}}", ORD_BODY_ERROR, NULL, "key_revoked_expired_or_unknown", NULL},
	{0, "garbage", ORD_BODY_GARBAGE, "", NULL, "rule=garbage"},
	{401, "{\"error\":\"Unauthorized\"}", ORD_BODY_ERROR, "Unauthorized", "key_revoked_expired_or_unknown", NULL},
};

static void check_extra(const struct body_case *c, const ord_api_error *e,
			const ord_cause_guess *g)
{
	char name[32];
	const char *v;
	size_t i;

	if (!c->extra)
		return;
	v = strchr(c->extra, '=');
	snprintf(name, sizeof(name), "%.*s", (int)(v - c->extra), c->extra);
	v++;
	if (!strcmp(name, "code"))
		assert_int_equal(e->code, atol(v));
	else if (!strcmp(name, "code_str"))
		assert_string_equal(e->code_str, v);
	else if (!strcmp(name, "error_type"))
		assert_string_equal(e->error_type, v);
	else if (!strcmp(name, "provider"))
		assert_string_equal(e->provider, v);
	else if (!strcmp(name, "raw"))
		assert_string_equal(e->raw, v);
	else if (!strcmp(name, "raw_message"))
		assert_string_equal(e->raw_message, v);
	else if (!strcmp(name, "availability"))
		assert_string_equal(e->availability, v);
	else if (!strcmp(name, "user_id")) {
		assert_true(e->user_id_present);
		assert_true(g->key_ok);
	} else if (!strcmp(name, "rate_headers"))
		assert_true(e->rate_headers);
	else if (!strcmp(name, "midstream"))
		assert_true(e->midstream);
	else if (!strcmp(name, "sse"))
		assert_true(e->sse && e->midstream);
	else if (!strcmp(name, "nested"))
		assert_true(e->nested >= atoi(v));
	else if (!strcmp(name, "json_truncated"))
		assert_true(e->json_truncated);
	else if (!strcmp(name, "rule"))
		assert_string_equal(g->rule, v);
	else if (!strcmp(name, "cand")) {
		for (i = 0; i < 4 && g->candidates[i]; i++)
			if (!strcmp(g->candidates[i], v))
				return;
		fail_msg("candidate %s missing", v);
	} else
		fail_msg("unknown check %s", name);
}

static void test_bodies(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct body_case *c = &cases[i];
		ord_api_error e;
		ord_cause_guess g;

		ord_api_decode_error(c->status, c->body, strlen(c->body), &e);
		ord_api_classify(&e, &g);
		if (e.kind != c->kind || (c->message && strcmp(e.message, c->message)) ||
		    (c->cause ? !g.cause || strcmp(g.cause, c->cause) : g.cause != NULL))
			fail_msg("case %zu (%ld %.60s): kind %s message '%s' cause %s (rule %s)", i,
				 c->status, c->body, ord_body_kind_id(e.kind), e.message,
				 g.cause ? g.cause : "none", g.rule ? g.rule : "none");
		check_extra(c, &e, &g);
	}
}

static void test_byok_details(void **state)
{
	const char *b = cases[7].body;
	ord_api_error e;
	ord_cause_guess g;

	(void)state;
	ord_api_decode_error(401, b, strlen(b), &e);
	assert_string_equal(e.provider, "Anthropic");
	assert_true(e.raw_is_json);
	assert_string_equal(e.raw_type, "authentication_error");
	assert_false(e.user_id_present);
	ord_api_classify(&e, &g);
	assert_true(g.key_ok);
	/* The 403 "Only management keys" is not a bad key. */
	b = cases[13].body;
	ord_api_decode_error(403, b, strlen(b), &e);
	ord_api_classify(&e, &g);
	assert_true(g.not_a_key_problem);
}

static void test_scrub(void **state)
{
	const char *b = "{\"error\":{\"message\":\"bad key " KEY " here\",\"code\":401}}";
	ord_api_error e;
	char s[128] = "x sk-ant-api03-abcdefghijklmnopqrstuv\ty";

	(void)state;
	ord_api_decode_error(401, b, strlen(b), &e);
	assert_null(strstr(e.message, HEX));
	assert_string_equal(e.message, "bad key sk-or-v1-3fa...9b1 here");
	ord_gate_str(s, sizeof(s));
	assert_string_equal(s, "x sk-ant-api...tuv\ty");
	assert_null(strstr(s, "defghijklmnop"));
}

/* Only literal loopback addresses count: a name is resolved by DNS,
 * where wildcard domains answer for "127.<anything>". */
static void test_loopback_literal(void **state)
{
	static const char *const yes[] = {
		"localhost", "127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "[::1]",
		"[0:0:0:0:0:0:0:1]", "::ffff:127.0.0.1",
	};
	static const char *const no[] = {
		"127.attacker.test", "127.0.0.1.nip.io", "127.0.0.1.", "127.1", "0x7f.0.0.1",
		"0177.0.0.1", "x.localhost", "localhost.attacker.test", "0.0.0.0", "128.0.0.1",
		"::2", "[::1", "::ffff:10.0.0.1", "", "127.0.0.1:80",
	};
	char why[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (!ord_url_is_loopback_host(yes[i]))
			fail_msg("'%s' is loopback", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (ord_url_is_loopback_host(no[i]))
			fail_msg("'%s' is not a literal loopback address", no[i]);
	/* Every path that sends a key over plain http asks the same. */
	assert_int_equal(ord_api_base_sendable("http://127.attacker.test/api/v1", why, sizeof(why)), EPERM);
	assert_int_equal(ord_api_base_sendable("http://127.0.0.1:8080/api/v1", why, sizeof(why)), 0);
	assert_int_equal(ord_api_base_sendable("http://[::1]:8080/api/v1", why, sizeof(why)), 0);
	assert_int_not_equal(ord_api_base_sendable("http://a@127.0.0.1@attacker.test/api/v1", why, sizeof(why)), 0);
	assert_int_not_equal(ord_api_base_sendable("http://127.0.0.1\\@attacker.test/api/v1", why, sizeof(why)), 0);
	assert_int_equal(ord_api_base_sendable("https://openrouter.ai/api/v1", why, sizeof(why)), 0);
	assert_int_equal(ord_api_base_sendable("http://127.0.0.1.:8080/api/v1", why, sizeof(why)), EPERM);
}

static void test_decoder_edges(void **state)
{
	ord_api_error e;
	char nul[] = "{\"error\":{\"message\":\"x\0y\"}}";
	char deep[4096];
	size_t i, n = 0;

	(void)state;
	ord_api_decode_error(401, NULL, 0, &e);
	assert_int_equal(e.kind, ORD_BODY_EMPTY);
	ord_api_decode_error(401, "   \r\n", 5, &e);
	assert_int_equal(e.kind, ORD_BODY_EMPTY);
	ord_api_decode_error(401, nul, sizeof(nul) - 1, &e);
	assert_int_equal(e.kind, ORD_BODY_GARBAGE);
	ord_api_decode_error(200, "[1,2,3]", 7, &e);
	assert_int_equal(e.kind, ORD_BODY_JSON);
	{
		const char *bom = "\xef\xbb\xbf{\"error\":{\"message\":\"User not found.\"}}";
		ord_api_decode_error(401, bom, strlen(bom), &e);
	}
	assert_string_equal(e.message, "User not found.");
	/* Deep nesting is refused, not a stack overflow. */
	for (i = 0; i < 1500; i++)
		deep[n++] = '[';
	ord_api_decode_error(200, deep, n, &e);
	assert_int_equal(e.kind, ORD_BODY_GARBAGE);
	assert_string_equal(ord_body_kind_id(ORD_BODY_HTML), "html");
}

static void test_key_current(void **state)
{
	const char *b = "{\"data\":{\"label\":\"sk-or-v1-au7...890\",\"limit\":100,\"limit_remaining\":74.5,\"limit_reset\":\"monthly\",\"include_byok_in_limit\":false,\"usage\":25.5,\"usage_daily\":25.5,\"usage_weekly\":25.5,\"usage_monthly\":25.5,\"byok_usage\":17.38,\"byok_usage_daily\":17.38,\"byok_usage_weekly\":17.38,\"byok_usage_monthly\":17.38,\"is_free_tier\":false,\"is_management_key\":false,\"is_provisioning_key\":false,\"creator_user_id\":\"user_2dHFtVWx2n56w6HkM0000000000\",\"expires_at\":\"2027-12-31T23:59:59Z\",\"rate_limit\":{\"requests\":1000,\"interval\":\"1h\",\"note\":\"This field is deprecated and safe to ignore.\"}}}";
	ord_key_info k;

	(void)state;
	assert_int_equal(ord_api_decode_key(b, strlen(b), &k), 0);
	assert_false(k.legacy);
	assert_string_equal(k.label, "sk-or-v1-au7...890");
	assert_true(k.limit == 100 && k.limit_remaining == 74.5);
	assert_string_equal(k.limit_reset, "monthly");
	assert_true(k.usage == 25.5 && k.usage_daily == 25.5 && k.usage_monthly == 25.5);
	assert_true(fabs(k.byok_usage - 17.38) < 1e-9);
	assert_int_equal(k.is_free_tier, 0);
	assert_int_equal(k.is_management_key, 0);
	assert_int_equal(k.is_provisioning_key, 0);
	assert_string_equal(k.creator_user_id, "user_2dHFtVWx2n56w6HkM0000000000");
	assert_string_equal(k.expires_at, "2027-12-31T23:59:59Z");
	assert_int_equal((long long)k.expires, 1830297599LL);
	assert_int_equal(k.rate_limit_requests, 1000);
	assert_false(k.has_free_daily);
}

static void test_key_legacy_and_nulls(void **state)
{
	const char *old = "{\"data\":{\"label\":\"sk-or-v1-116...0ce\",\"limit\":5,\"usage\":0.1015644762,\"is_provisioning_key\":false,\"limit_remaining\":4.8984355238,\"is_free_tier\":false,\"rate_limit\":{\"requests\":50,\"interval\":\"10s\"}}}";
	const char *nulls = "{\"data\":{\"label\":null,\"limit\":null,\"limit_remaining\":null,\"limit_reset\":null,\"usage\":\"0.5\",\"is_free_tier\":true,\"is_management_key\":true,\"expires_at\":\"2026-01-02T03:04:05.123+01:00\",\"free_model_daily_requests\":{\"limit\":50,\"remaining\":45,\"used\":5}}}";
	ord_key_info k;

	(void)state;
	assert_int_equal(ord_api_decode_key(old, strlen(old), &k), 0);
	assert_true(k.legacy);
	assert_true(k.limit == 5);
	assert_true(fabs(k.limit_remaining - 4.8984355238) < 1e-12);
	assert_true(isnan(k.usage_daily));
	assert_int_equal(k.is_management_key, -1);
	assert_string_equal(k.rate_limit_interval, "10s");
	assert_string_equal(k.expires_at, "");
	assert_int_equal(k.expires, 0);

	assert_int_equal(ord_api_decode_key(nulls, strlen(nulls), &k), 0);
	assert_true(isnan(k.limit) && isnan(k.limit_remaining));
	assert_string_equal(k.label, "");
	assert_true(k.usage == 0.5);
	assert_int_equal(k.is_free_tier, 1);
	assert_int_equal(k.is_management_key, 1);
	assert_int_equal((long long)k.expires, 1767319445LL);
	assert_true(k.has_free_daily);
	assert_int_equal(k.free_daily_remaining, 45);

	assert_int_equal(ord_api_decode_key("{\"error\":{\"message\":\"User not found.\"}}", 38, &k), EINVAL);
	assert_int_equal(ord_api_decode_key("<html>", 6, &k), EINVAL);
	assert_int_equal(ord_api_decode_key("{\"data\":[]}", 11, &k), EINVAL);
	assert_int_equal(ord_api_decode_key("", 0, &k), EINVAL);
}

static const struct url_case {
	const char *url;
	ord_url_form form;
	uint32_t flags;
	const char *cause;
	int severity;
} urls[] = {
	{"https://openrouter.ai/api/v1", ORD_URL_OPENAI, 0, NULL, 0},
	{"HTTPS://OpenRouter.AI/api/v1", ORD_URL_OPENAI, 0, NULL, 0},
	{"https://user:pw@openrouter.ai/api/v1", ORD_URL_OPENAI, 0, NULL, 0},
	{"https://openrouter.ai/api/v1/", ORD_URL_OPENAI, ORD_URLF_TRAILING_SLASH, "wrong_base_url_path", 1},
	{"http://openrouter.ai/api/v1", ORD_URL_OPENAI, ORD_URLF_HTTP, "http_redirect_drops_auth", 2},
	{"https://openrouter.ai/v1", ORD_URL_OPENAI, ORD_URLF_V1_WITHOUT_API, "wrong_base_url_path", 2},
	{"https://openrouter.ai", ORD_URL_OPENAI, ORD_URLF_MISSING_API, "wrong_base_url_path", 2},
	{"https://openrouter.ai/api", ORD_URL_OPENAI, ORD_URLF_MISSING_V1, "wrong_base_url_path", 2},
	{"https://openrouter.ai/api", ORD_URL_ANTHROPIC, 0, NULL, 0},
	{"https://openrouter.ai/api/v1", ORD_URL_ANTHROPIC, ORD_URLF_EXTRA_V1, "wrong_base_url_path", 2},
	{"https://openrouter.ai/api//v1", ORD_URL_OPENAI, ORD_URLF_DOUBLE_SLASH, "wrong_base_url_path", 2},
	{"https://openrouter.ai/api/v1/chat/completions", ORD_URL_OPENAI, ORD_URLF_FULL_ENDPOINT, "wrong_base_url_path", 2},
	{"https://openrouter.ai/api/v1/chat/completions", ORD_URL_FULL, 0, NULL, 0},
	{"https://openrouter.ai/api/v1", ORD_URL_FULL, ORD_URLF_NOT_FULL, "wrong_base_url_path", 2},
	{"https://openrouter.ai/api/v1/v1", ORD_URL_OPENAI, ORD_URLF_WRONG_PATH, "wrong_base_url_path", 2},
	{"https://openrouter.ai/api/v1?foo=1", ORD_URL_OPENAI, ORD_URLF_QUERY, "wrong_base_url_path", 1},
	{"http://openrouter.ai/v1", ORD_URL_OPENAI, ORD_URLF_HTTP | ORD_URLF_V1_WITHOUT_API, "http_redirect_drops_auth", 2},
	{"https://api.openai.com/v1", ORD_URL_OPENAI, ORD_URLF_OTHER_VENDOR, "request_sent_to_wrong_endpoint", 2},
	{"https://api.anthropic.com", ORD_URL_ANTHROPIC, ORD_URLF_OTHER_VENDOR, "request_sent_to_wrong_endpoint", 2},
	{"http://127.0.0.1:3456", ORD_URL_ANTHROPIC, ORD_URLF_LOOPBACK, NULL, 0},
	{"http://localhost:4000/v1/", ORD_URL_OPENAI, ORD_URLF_LOOPBACK, NULL, 0},
	{"http://192.168.1.5:4000/v1", ORD_URL_OPENAI, ORD_URLF_THIRD_PARTY, NULL, 0},
	{"", ORD_URL_OPENAI, ORD_URLF_EMPTY, NULL, 1},
	{"openrouter.ai/api/v1", ORD_URL_OPENAI, ORD_URLF_UNPARSABLE, "wrong_base_url_path", 2},
	{"https://", ORD_URL_OPENAI, ORD_URLF_UNPARSABLE, "wrong_base_url_path", 2},
};

static void test_url_lint(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(urls) / sizeof(*urls); i++) {
		ord_url_lint l;

		ord_url_lint_check(urls[i].url, urls[i].form, &l);
		if (l.flags != urls[i].flags || l.severity != urls[i].severity ||
		    (urls[i].cause ? !l.cause || strcmp(l.cause, urls[i].cause) : l.cause != NULL))
			fail_msg("url %zu '%s' (%s): flags %#x sev %d cause %s", i, urls[i].url,
				 ord_url_form_id(urls[i].form), l.flags, l.severity,
				 l.cause ? l.cause : "none");
	}
	assert_string_equal(ord_url_flag_id(ORD_URLF_HTTP), "http_scheme");
	assert_string_equal(ord_url_flag_id(ORD_URLF_QUERY), "query");
	assert_true(strlen(ord_url_flag_text(ORD_URLF_EXTRA_V1)) > 10);
}

static void test_base_normalise(void **state)
{
	static const char *const io[][2] = {
		{"http://127.0.0.1:1234", "http://127.0.0.1:1234/api/v1"},
		{"http://127.0.0.1:1234/", "http://127.0.0.1:1234/api/v1"},
		{"https://openrouter.ai/api", "https://openrouter.ai/api/v1"},
		{"https://openrouter.ai/api/v1/", "https://openrouter.ai/api/v1"},
		{" http://x:9/custom/path ", "http://x:9/custom/path"},
	};
	char out[ORD_API_URL_MAX], why[256];
	ord_ctx ctx;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(io) / sizeof(*io); i++) {
		assert_int_equal(ord_api_base_normalise(io[i][0], out, sizeof(out)), 0);
		assert_string_equal(out, io[i][1]);
	}
	assert_int_equal(ord_ctx_init(&ctx, NULL, "/", "/"), 0);
	assert_string_equal(ord_api_base(&ctx, out), ORD_API_BASE_DEFAULT);
	assert_true(ord_api_base_is_default(out));
	assert_true(ctx.timeout == 10);
	ord_ctx_release(&ctx);
	assert_int_equal(ord_api_base_sendable("https://example.com/api/v1", why, sizeof(why)), 0);
	assert_int_equal(ord_api_base_sendable("http://localhost:8080/api/v1", why, sizeof(why)), 0);
	assert_int_equal(ord_api_base_sendable("http://[::1]:8080/api/v1", why, sizeof(why)), 0);
	assert_int_equal(ord_api_base_sendable("http://example.com/api/v1", why, sizeof(why)), EPERM);
	assert_non_null(strstr(why, "plain http"));
}

/* ---- the live calls through a fake transport ---------------------------- */

static struct {
	int calls, reqs;
	char urls[8][256];
	int had_bearer[8];
	char body[512];
} F;

static void answer(ord_http_resp *r, long status, const char *body)
{
	r->status = status;
	ord_buf_adds(&r->body, body);
}

static int fake(ord_ctx *ctx, const ord_http_req *q, ord_http_resp *r, size_t n)
{
	size_t i;

	(void)ctx;
	F.calls++;
	for (i = 0; i < n; i++) {
		const char *b = q[i].bearer ? q[i].bearer : "";
		int k = F.reqs++ % 8;

		snprintf(F.urls[k], sizeof(F.urls[k]), "%s", q[i].url);
		F.had_bearer[k] = q[i].bearer != NULL;
		if (q[i].body)
			snprintf(F.body, sizeof(F.body), "%.*s", (int)q[i].body_len, q[i].body);
		if (strstr(q[i].url, "/chat/completions"))
			answer(&r[i], 402, "{\"error\":{\"code\":402,\"message\":\"Insufficient credits. Add more using https://openrouter.ai/credits\"}}");
		else if (strstr(q[i].url, "wrongpath"))
			answer(&r[i], 404, "<!DOCTYPE html><html></html>");
		else if (strstr(q[i].url, "http://openrouter.ai")) {
			r[i].status = 301;
			snprintf(r[i].location, sizeof(r[i].location), "https://openrouter.ai/api/v1/models");
		} else if (strstr(q[i].url, "/models"))
			answer(&r[i], 200, "{\"data\":[]}");
		else if (!strcmp(b, KEY))
			answer(&r[i], 200, "{\"data\":{\"label\":\"sk-or-v1-3fa...9b1\",\"limit\":10,\"limit_remaining\":0,\"usage\":10,\"is_management_key\":true}}");
		else if (!strcmp(b, KEY2))
			answer(&r[i], 503, "{\"error\":{\"code\":503,\"message\":\"Service temporarily unavailable\"}}");
		else
			ord_http_resp_fail(&r[i], ORD_HTTP_ETIMEOUT, "timed out after 10 s waiting for the answer from x");
	}
	return 0;
}

static void test_check_keys_fake(void **state)
{
	ord_ctx ctx;
	ord_key k[5];
	const ord_key *kp[5];
	ord_key_check out[5];
	const char *vals[5] = {KEY, "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789", KEY2, KEY,
			       "sk-or-v1-1111111111111111111111111111111111111111111111111111111111111111"};
	int i;

	(void)state;
	memset(&F, 0, sizeof(F));
	assert_int_equal(ord_ctx_init(&ctx, NULL, "/", "/"), 0);
	ctx.perform = fake;
	for (i = 0; i < 5; i++) {
		assert_int_equal(ord_key_init(&k[i], vals[i], strlen(vals[i])), 0);
		kp[i] = &k[i];
	}
	assert_int_equal(ord_api_check_keys(&ctx, kp, 5, out), 0);
	assert_int_equal(F.calls, 1);       /* one batch */
	assert_int_equal(F.reqs, 3);        /* KEY, KEY2, 111…: the duplicate and the foreign key are not sent */
	assert_string_equal(F.urls[0], "https://openrouter.ai/api/v1/key");
	assert_int_equal(out[0].status, ORD_KEYST_VALID);
	assert_int_equal(out[0].info.is_management_key, 1);
	assert_int_equal(out[1].status, ORD_KEYST_NOT_CHECKED);
	assert_non_null(strstr(out[1].reason, "another vendor"));
	assert_int_equal(out[2].status, ORD_KEYST_UNKNOWN);
	assert_string_equal(out[2].reason, "HTTP 503: Service temporarily unavailable");
	assert_int_equal(out[3].status, ORD_KEYST_VALID);
	assert_int_equal(out[3].same_as, 0);
	assert_int_equal(out[4].status, ORD_KEYST_UNKNOWN);
	assert_int_equal(out[4].net_err, ORD_HTTP_ETIMEOUT);

	/* Offline: nothing is sent. */
	ctx.offline = 1;
	assert_int_equal(ord_api_check_keys(&ctx, kp, 5, out), 0);
	assert_int_equal(F.calls, 1);
	assert_int_equal(out[0].status, ORD_KEYST_NOT_CHECKED);
	ctx.offline = 0;
	/* A plain-http base that is not loopback: refused. */
	ctx.api_base = "http://example.com";
	assert_int_equal(ord_api_check_keys(&ctx, kp, 1, out), 0);
	assert_int_equal(F.calls, 1);
	assert_non_null(strstr(out[0].reason, "refusing"));
	for (i = 0; i < 5; i++)
		ord_key_release(&k[i]);
	ord_ctx_release(&ctx);
}

static void test_probe_and_chat_fake(void **state)
{
	ord_ctx ctx;
	ord_key k;
	ord_chat_probe c;
	ord_base_probe p[4];
	const char *bases[4] = {"https://openrouter.ai/api/v1/", "https://openrouter.ai/wrongpath",
				"http://openrouter.ai/api/v1", "https://gateway.example/v1"};
	ord_url_form forms[4] = {ORD_URL_OPENAI, ORD_URL_OPENAI, ORD_URL_OPENAI, ORD_URL_OPENAI};

	(void)state;
	memset(&F, 0, sizeof(F));
	assert_int_equal(ord_ctx_init(&ctx, NULL, "/", "/"), 0);
	ctx.perform = fake;
	assert_int_equal(ord_key_init(&k, KEY, strlen(KEY)), 0);
	assert_int_equal(ord_api_probe_bases(&ctx, bases, forms, 4, &k, p), 0);
	assert_string_equal(p[0].url, "https://openrouter.ai/api/v1/models");
	assert_int_equal(p[0].result, ORD_PROBE_JSON);
	assert_true(p[0].key_sent);
	assert_int_equal(p[1].result, ORD_PROBE_HTML);
	assert_string_equal(p[1].cause, "wrong_base_url_path");
	assert_int_equal(p[2].result, ORD_PROBE_REDIRECT);
	assert_false(p[2].key_sent);       /* plain http: never */
	assert_string_equal(p[2].location, "https://openrouter.ai/api/v1/models");
	assert_string_equal(p[2].cause, "http_redirect_drops_auth");
	assert_false(p[3].key_sent);       /* a host from a config file: never */
	assert_false(F.had_bearer[3]);

	ord_api_chat_probe(&ctx, &k, NULL, &c);
	assert_string_equal(c.model, ORD_CHAT_MODEL_DEFAULT);
	assert_non_null(strstr(F.body, "\"max_tokens\":1"));
	assert_non_null(strstr(F.body, "\"model\":\"openrouter/free\""));
	assert_false(c.ok);
	assert_int_equal(c.http_status, 402);
	assert_string_equal(c.cause.cause, "insufficient_credits");
	ord_key_release(&k);

	/* A foreign key is never sent. */
	assert_int_equal(ord_key_init(&k, "sk-ant-api03-abcdefghijklmnopqrstuvwxyz", 39), 0);
	F.calls = 0;
	ord_api_chat_probe(&ctx, &k, "openai/gpt-4o", &c);
	assert_int_equal(F.calls, 0);
	assert_non_null(strstr(c.reason, "not sent"));
	ord_key_release(&k);
	ord_ctx_release(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_byok_details),
		cmocka_unit_test(test_scrub),
		cmocka_unit_test(test_decoder_edges),
		cmocka_unit_test(test_key_current),
		cmocka_unit_test(test_key_legacy_and_nulls),
		cmocka_unit_test(test_url_lint),
		cmocka_unit_test(test_loopback_literal),
		cmocka_unit_test(test_base_normalise),
		cmocka_unit_test(test_check_keys_fake),
		cmocka_unit_test(test_probe_and_chat_fake),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
