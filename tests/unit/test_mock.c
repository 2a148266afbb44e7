/* The mock: every route, auth mapping, keys-file option and switch, over
 * loopback with libcurl against an in-process mock on port 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <json-c/json.h>

#include "lib/key.h"
#include "mock/keysfile.h"
#include "mock/mock.h"

/* Fixture keys (never real ones): sk-or-v1- and 64 times one hex digit. */
enum { K_ACTIVE, K_NOLIMIT, K_DELETED, K_EXPIRED, K_DISABLED, K_MGMT,
       K_NOCREDIT, K_LIMIT, K_BYOK, K_PAST, K_POOR, K_UNKNOWN, K_COUNT };
static const char key_digit[K_COUNT] = "123456789abc";
static char keys[K_COUNT][ORD_KEY_LEN + 1];
static char users[K_COUNT][48];

/* Every mock here runs on a fixed clock (--now), so no test depends on
 * the wall clock: 2026-11-29T12:00:00Z. */
#define MOCK_NOW 1795953600LL

static char tmpdir[64], keys_path[128], log_path[128];
static ord_mock *mock; /* the main mock */
static char base[128];

typedef struct resp {
	long status;
	char *body;
	size_t len;
	char headers[4096];
	size_t hlen;
} resp;

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
	resp *r = ud;
	char *nb = realloc(r->body, r->len + sz * n + 1);

	assert_non_null(nb);
	r->body = nb;
	memcpy(r->body + r->len, p, sz * n);
	r->len += sz * n;
	r->body[r->len] = '\0';
	return sz * n;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
	resp *r = ud;
	size_t k = sz * n;

	if (r->hlen + k < sizeof(r->headers)) {
		memcpy(r->headers + r->hlen, p, k);
		r->hlen += k;
		r->headers[r->hlen] = '\0';
	}
	return k;
}

static CURL *prepare(const char *url, const char *method, const char *body,
		     struct curl_slist *h, resp *r)
{
	CURL *c = curl_easy_init();

	assert_non_null(c);
	memset(r, 0, sizeof(*r));
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (method)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	return c;
}

/* One request; hdr is a NULL-terminated list of header lines. */
static void req_at(const char *root, const char *method, const char *path,
		   const char *const *hdr, const char *body, resp *r)
{
	struct curl_slist *h = NULL;
	char url[512];
	CURL *c;

	snprintf(url, sizeof(url), "%s%s", root, path);
	for (; hdr && *hdr; hdr++)
		h = curl_slist_append(h, *hdr);
	if (body)
		h = curl_slist_append(h, "Content-Type: application/json");
	c = prepare(url, method, body, h, r);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	if (!r->body)
		r->body = strdup("");
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
}

static void req(const char *method, const char *path, const char *const *hdr,
		const char *body, resp *r)
{
	req_at(base, method, path, hdr, body, r);
}

static void done(resp *r)
{
	free(r->body);
	r->body = NULL;
}

static char bearer_buf[K_COUNT][128];
static const char *bearer(int k)
{
	snprintf(bearer_buf[k], sizeof(bearer_buf[k]), "Authorization: Bearer %s",
		 keys[k]);
	return bearer_buf[k];
}

/* GET with one bearer key; asserts the status. */
static void get_as(int k, const char *path, long status, resp *r)
{
	const char *h[] = {bearer(k), NULL};

	req("GET", path, h, NULL, r);
	assert_int_equal(r->status, status);
}

static void chat_as(int k, const char *body, long status, resp *r)
{
	const char *h[] = {bearer(k), NULL};

	req("POST", "/api/v1/chat/completions", h, body, r);
	assert_int_equal(r->status, status);
}

/* body == prefix + ,"user_id":"<user of k>"} where prefix ends in '}'. */
static void assert_error_with_user(const resp *r, const char *error, int k)
{
	char want[4096];
	size_t n = strlen(error);

	snprintf(want, sizeof(want), "%.*s,\"user_id\":\"%s\"}", (int)(n - 1),
		 error, users[k]);
	assert_string_equal(r->body, want);
}

#define assert_prefix(s, lit) assert_int_equal(strncmp((s), (lit), strlen(lit)), 0)

static int has_header(const resp *r, const char *line)
{
	return strstr(r->headers, line) != NULL;
}

/* ------------------------------------------------------------------ */

static const char missing_auth[] =
	"{\"error\":{\"code\":401,\"message\":\"Missing Authentication header\"}}";
static const char user_not_found[] =
	"{\"error\":{\"message\":\"User not found.\",\"code\":401}}";

static int setup(void **state)
{
	FILE *f;
	int i;
	char err[256];
	ord_mock_config cfg;

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (i = 0; i < K_COUNT; i++) {
		ord_key k;
		char fp[ORD_FP_LEN + 1];

		memcpy(keys[i], "sk-or-v1-", 9);
		memset(keys[i] + 9, key_digit[i], 64);
		keys[i][ORD_KEY_LEN] = '\0';
		assert_int_equal(ord_key_init(&k, keys[i], ORD_KEY_LEN), 0);
		ord_key_fingerprint(&k, fp);
		ord_key_release(&k);
		snprintf(users[i], sizeof(users[i]), "user_2mock%s0000000000", fp);
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ordmockXXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(keys_path, sizeof(keys_path), "%s/keys", tmpdir);
	snprintf(log_path, sizeof(log_path), "%s/requests.log", tmpdir);
	f = fopen(keys_path, "w");
	assert_non_null(f);
	fprintf(f, "# fixture keys\n");
	fprintf(f, "%s active limit=10 usage=2.5 label=dev free_tier=true "
		   "expires_at=2030-01-01T00:00:00Z\n", keys[K_ACTIVE]);
	fprintf(f, "%s active\n", keys[K_NOLIMIT]);
	fprintf(f, "%s deleted\n", keys[K_DELETED]);
	fprintf(f, "%s expired\n", keys[K_EXPIRED]);
	fprintf(f, "   %s\tdisabled   # comment\n", keys[K_DISABLED]);
	fprintf(f, "%s management credits=50 usage=5\n", keys[K_MGMT]);
	fprintf(f, "%s active credits=0\n", keys[K_NOCREDIT]);
	fprintf(f, "%s active limit=5 usage=5\n", keys[K_LIMIT]);
	fprintf(f, "%s active byok=anthropic:invalid\n", keys[K_BYOK]);
	fprintf(f, "%s active expires_at=2020-01-01T00:00:00Z\n", keys[K_PAST]);
	fprintf(f, "%s active credits=0.001\n", keys[K_POOR]);
	fclose(f);

	ord_mock_config_init(&cfg);
	cfg.keys_path = keys_path;
	cfg.port = 0;
	cfg.request_log = log_path;
	cfg.has_now = 1;
	cfg.now = (time_t)MOCK_NOW;
	assert_int_equal(ord_mock_add_flaky(&cfg, "google:1.0"), 0);
	assert_int_equal(ord_mock_add_flaky(&cfg, "deepseek:0"), 0);
	if (ord_mock_start(&cfg, &mock, err, sizeof(err))) {
		fprintf(stderr, "mock: %s\n", err);
		return -1;
	}
	snprintf(base, sizeof(base), "%s", ord_mock_url(mock));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ord_mock_stop(mock);
	unlink(keys_path);
	unlink(log_path);
	rmdir(tmpdir);
	curl_global_cleanup();
	return 0;
}

/* A second mock for one test: keys as text, the switches in cfg. */
static ord_mock *start_other(ord_mock_config *cfg, char *root, size_t cap)
{
	ord_mock *m = NULL;
	char err[256];
	static char text[512];

	snprintf(text, sizeof(text), "%s active\n%s active credits=0\n",
		 keys[K_ACTIVE], keys[K_NOCREDIT]);
	cfg->keys_text = text;
	cfg->port = 0;
	cfg->has_now = 1;
	cfg->now = (time_t)MOCK_NOW;
	assert_int_equal(ord_mock_start(cfg, &m, err, sizeof(err)), 0);
	snprintf(root, cap, "%s", ord_mock_url(m));
	return m;
}

/* ------------------------------------------------------------------ */

static void test_url(void **state)
{
	(void)state;
	assert_true(ord_mock_port(mock) > 0);
	assert_prefix(base, "http://127.0.0.1:");
}

static void test_key_route(void **state)
{
	char want[2048];
	resp r;

	(void)state;
	snprintf(want, sizeof(want),
		 "{\"data\":{\"label\":\"dev\",\"limit\":10,\"limit_remaining\":7.5,"
		 "\"limit_reset\":null,\"include_byok_in_limit\":false,\"usage\":2.5,"
		 "\"usage_daily\":2.5,\"usage_weekly\":2.5,\"usage_monthly\":2.5,"
		 "\"byok_usage\":0,\"byok_usage_daily\":0,\"byok_usage_weekly\":0,"
		 "\"byok_usage_monthly\":0,\"is_free_tier\":true,"
		 "\"is_management_key\":false,\"is_provisioning_key\":false,"
		 "\"creator_user_id\":\"%s\",\"expires_at\":\"2030-01-01T00:00:00Z\","
		 "\"rate_limit\":{\"requests\":-1,\"interval\":\"10s\",\"note\":"
		 "\"This field is deprecated and safe to ignore.\"}}}",
		 users[K_ACTIVE]);
	get_as(K_ACTIVE, "/api/v1/key", 200, &r);
	assert_string_equal(r.body, want);
	assert_true(has_header(&r, "Content-Type: application/json"));
	done(&r);
	get_as(K_ACTIVE, "/api/v1/auth/key", 200, &r);
	assert_string_equal(r.body, want);
	done(&r);
	get_as(K_ACTIVE, "/api/v1/key?probe=1", 200, &r);
	assert_string_equal(r.body, want);
	done(&r);

	/* No limit: nulls, the label form, no expiry. */
	get_as(K_NOLIMIT, "/api/v1/key", 200, &r);
	assert_non_null(strstr(r.body, "\"label\":\"sk-or-v1-222...222\""));
	assert_non_null(strstr(r.body, "\"limit\":null,\"limit_remaining\":null,"
				       "\"limit_reset\":null"));
	assert_non_null(strstr(r.body, "\"is_free_tier\":false"));
	assert_non_null(strstr(r.body, "\"expires_at\":null"));
	done(&r);

	get_as(K_MGMT, "/api/v1/key", 200, &r);
	assert_non_null(strstr(r.body, "\"is_management_key\":true,"
				       "\"is_provisioning_key\":true"));
	done(&r);
	get_as(K_LIMIT, "/api/v1/key", 200, &r);
	assert_non_null(strstr(r.body, "\"limit\":5,\"limit_remaining\":0,"));
	done(&r);
}

static void test_auth_mapping(void **state)
{
	char h1[160], h2[160];
	const char *none[] = {NULL};
	const char *empty[] = {"Authorization: Bearer ", NULL};
	const char *empty2[] = {"Authorization;", NULL};
	const char *basic[] = {"Authorization: Basic dXNlcjpwYXNz", NULL};
	const char *foreign[] = {"Authorization: Bearer sk-ant-api03-abcdefghijklmnop", NULL};
	const char *jwt[] = {"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc", NULL};
	const char *shortk[] = {"Authorization: Bearer sk-or-v1-abc123", NULL};
	const char *hdr[] = {h1, NULL};
	const char *both[] = {h1, h2, NULL};
	static const int dead[] = {K_DELETED, K_EXPIRED, K_DISABLED, K_PAST,
				   K_UNKNOWN};
	size_t i;
	resp r;

	(void)state;
	req("GET", "/api/v1/key", none, NULL, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(r.body, missing_auth);
	done(&r);
	req("GET", "/api/v1/key", empty, NULL, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(r.body, missing_auth);
	done(&r);
	req("GET", "/api/v1/key", empty2, NULL, &r);
	assert_string_equal(r.body, missing_auth);
	done(&r);
	req("GET", "/api/v1/key", basic, NULL, &r);
	assert_string_equal(r.body, missing_auth);
	done(&r);
	req("GET", "/api/v1/key", foreign, NULL, &r);
	assert_string_equal(r.body, missing_auth);
	done(&r);
	req("GET", "/api/v1/key", jwt, NULL, &r);
	assert_string_equal(r.body, missing_auth);
	done(&r);
	/* sk-or-v1- with the wrong number of hex digits. */
	req("GET", "/api/v1/key", shortk, NULL, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(r.body, user_not_found);
	done(&r);
	for (i = 0; i < sizeof(dead) / sizeof(*dead); i++) {
		get_as(dead[i], "/api/v1/key", 401, &r);
		assert_string_equal(r.body, user_not_found);
		done(&r);
	}
	/* The key without "Bearer ": no scheme, missing family. */
	snprintf(h1, sizeof(h1), "Authorization: %s", keys[K_ACTIVE]);
	req("GET", "/api/v1/key", hdr, NULL, &r);
	assert_string_equal(r.body, missing_auth);
	done(&r);
	/* The scheme is case-insensitive. */
	snprintf(h1, sizeof(h1), "Authorization: bearer %s", keys[K_ACTIVE]);
	req("GET", "/api/v1/key", hdr, NULL, &r);
	assert_int_equal(r.status, 200);
	done(&r);
	/* Trim nothing: two spaces leave a space in the credential. */
	snprintf(h1, sizeof(h1), "Authorization: Bearer  %s", keys[K_ACTIVE]);
	req("GET", "/api/v1/key", hdr, NULL, &r);
	assert_string_equal(r.body, missing_auth);
	done(&r);
	/* x-api-key alone works. */
	snprintf(h1, sizeof(h1), "x-api-key: %s", keys[K_ACTIVE]);
	req("GET", "/api/v1/key", hdr, NULL, &r);
	assert_int_equal(r.status, 200);
	done(&r);
	/* Both: x-api-key is the one checked (a stale Anthropic key beside
	 * a good bearer fails). */
	snprintf(h1, sizeof(h1), "x-api-key: sk-ant-api03-stale-placeholder");
	snprintf(h2, sizeof(h2), "Authorization: Bearer %s", keys[K_ACTIVE]);
	req("GET", "/api/v1/key", both, NULL, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(r.body, missing_auth);
	done(&r);
	/* An empty x-api-key beside a good bearer: the bearer counts. */
	snprintf(h1, sizeof(h1), "x-api-key;");
	req("GET", "/api/v1/key", both, NULL, &r);
	assert_int_equal(r.status, 200);
	done(&r);
}

static void test_credits(void **state)
{
	resp r;

	(void)state;
	get_as(K_ACTIVE, "/api/v1/credits", 403, &r);
	assert_error_with_user(&r,
		"{\"error\":{\"code\":403,\"message\":\"Only management keys can "
		"perform this operation\"}}", K_ACTIVE);
	done(&r);
	get_as(K_MGMT, "/api/v1/credits", 200, &r);
	assert_string_equal(r.body,
		"{\"data\":{\"total_credits\":55,\"total_usage\":5}}");
	done(&r);
	get_as(K_DELETED, "/api/v1/credits", 401, &r);
	assert_string_equal(r.body, user_not_found);
	done(&r);
}

static void test_models(void **state)
{
	const char *bad[] = {"Authorization: Bearer sk-or-v1-nonsense", NULL};
	json_object *o, *data, *item, *v;
	int free_n = 0, anth = 0, oai = 0;
	size_t i;
	resp r;

	(void)state;
	req("GET", "/api/v1/models", NULL, NULL, &r); /* no auth needed */
	assert_int_equal(r.status, 200);
	o = json_tokener_parse(r.body);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "data", &data));
	for (i = 0; i < json_object_array_length(data); i++) {
		const char *id;

		item = json_object_array_get_idx(data, i);
		assert_true(json_object_object_get_ex(item, "id", &v));
		id = json_object_get_string(v);
		free_n += strstr(id, ":free") != NULL;
		anth += !strncmp(id, "anthropic/", 10);
		oai += !strncmp(id, "openai/", 7);
		assert_true(json_object_object_get_ex(item, "pricing", &v));
		assert_true(json_object_object_get_ex(v, "prompt", &v));
		assert_true(json_object_is_type(v, json_type_string));
		assert_true(json_object_object_get_ex(item, "top_provider", &v));
		assert_true(json_object_object_get_ex(item, "architecture", &v));
		assert_true(json_object_object_get_ex(item, "links", &v));
	}
	assert_true(free_n >= 2 && anth >= 1 && oai >= 1);
	json_object_put(o);
	assert_non_null(strstr(r.body, "\"links\":{\"details\":\"/api/v1/models/"
				       "openai/gpt-4/endpoints\"}"));
	done(&r);
	req("GET", "/api/v1/models?limit=5", bad, NULL, &r);
	assert_int_equal(r.status, 200);
	done(&r);
}

static const char hello[] =
	"{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

static void test_chat_json(void **state)
{
	json_object *o, *v, *u;
	char hdr[128];
	resp r;

	(void)state;
	chat_as(K_ACTIVE, hello, 200, &r);
	o = json_tokener_parse(r.body);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "id", &v));
	assert_prefix(json_object_get_string(v), "gen-");
	snprintf(hdr, sizeof(hdr), "X-Generation-Id: %s", json_object_get_string(v));
	assert_true(has_header(&r, hdr));
	assert_prefix(r.body, "{\"id\":\"gen-");
	assert_non_null(strstr(r.body, "\"object\":\"chat.completion\",\"created\":"));
	assert_non_null(strstr(r.body, "\"model\":\"openai/gpt-4o\",\"provider\":"
				       "\"OpenAI\",\"system_fingerprint\":null,"
				       "\"choices\":[{\"index\":0,\"finish_reason\":"
				       "\"stop\",\"native_finish_reason\":\"stop\","
				       "\"message\":{\"role\":\"assistant\",\"content\":"));
	assert_true(json_object_object_get_ex(o, "usage", &u));
	assert_true(json_object_object_get_ex(u, "cost", &v));
	assert_true(json_object_get_double(v) > 0);
	assert_true(json_object_object_get_ex(u, "prompt_tokens_details", &v));
	assert_true(json_object_object_get_ex(u, "completion_tokens_details", &v));
	json_object_put(o);
	done(&r);

	/* max_tokens 1: one token, finish_reason length; the router. */
	chat_as(K_ACTIVE, "{\"model\":\"openrouter/auto\",\"max_tokens\":1,"
			  "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
		200, &r);
	assert_non_null(strstr(r.body, "\"finish_reason\":\"length\""));
	assert_non_null(strstr(r.body, "\"content\":\"Hello\"}"));
	assert_non_null(strstr(r.body, "\"model\":\"openai/gpt-4o-mini\""));
	assert_non_null(strstr(r.body, "\"completion_tokens\":1,"));
	done(&r);
	/* A variant suffix of a listed model. */
	chat_as(K_ACTIVE, "{\"model\":\"openai/gpt-4o:nitro\",\"messages\":[]}",
		200, &r);
	done(&r);
	/* The BYOK key works for providers other than its broken one. */
	chat_as(K_BYOK, hello, 200, &r);
	done(&r);
}

static void test_chat_sse(void **state)
{
	const char *last, *p;
	int usage = 0;
	resp r;

	(void)state;
	chat_as(K_ACTIVE, "{\"model\":\"anthropic/claude-sonnet-4.5\",\"stream\":true,"
			  "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
		200, &r);
	assert_true(has_header(&r, "Content-Type: text/event-stream"));
	assert_true(has_header(&r, "X-Generation-Id: gen-"));
	assert_prefix(r.body, ": OPENROUTER PROCESSING\n\n");
	assert_non_null(strstr(r.body + 25, "\n\n: OPENROUTER PROCESSING\n\n"));
	assert_non_null(strstr(r.body, "data: {\"id\":\"gen-"));
	assert_non_null(strstr(r.body, "\"object\":\"chat.completion.chunk\""));
	assert_non_null(strstr(r.body, "\"provider\":\"Anthropic\",\"choices\":"
				       "[{\"index\":0,\"delta\":{\"role\":\"assistant\","
				       "\"content\":\"Hello\"},\"finish_reason\":null,"
				       "\"native_finish_reason\":null}]}\n\n"));
	assert_non_null(strstr(r.body, "\"finish_reason\":\"stop\""));
	for (p = r.body; (p = strstr(p, "\"usage\":")); p++)
		usage++;
	assert_int_equal(usage, 1);
	/* The last event before [DONE] carries usage with empty choices. */
	assert_true(r.len > 14);
	assert_string_equal(r.body + r.len - 14, "data: [DONE]\n\n");
	last = r.body + r.len - 14;
	p = last - 2;
	while (p > r.body && !(p[-1] == '\n' && p[0] == 'd'))
		p--;
	assert_prefix(p, "data: {");
	assert_non_null(strstr(p, "\"choices\":[],\"usage\":{\"prompt_tokens\":"));
	done(&r);
	/* Errors before the stream are plain JSON even with stream:true. */
	chat_as(K_NOCREDIT, "{\"model\":\"openai/gpt-4o\",\"stream\":true}", 402, &r);
	assert_true(has_header(&r, "Content-Type: application/json"));
	done(&r);
}

static void test_chat_failures(void **state)
{
	resp r;

	(void)state;
	chat_as(K_NOCREDIT, hello, 402, &r);
	assert_error_with_user(&r,
		"{\"error\":{\"code\":402,\"message\":\"Insufficient credits. Add more "
		"using https://openrouter.ai/credits\"}}", K_NOCREDIT);
	done(&r);
	chat_as(K_LIMIT, hello, 403, &r);
	assert_error_with_user(&r,
		"{\"error\":{\"message\":\"Key limit exceeded (total limit). Manage it "
		"using https://openrouter.ai/settings/keys\",\"code\":403}}", K_LIMIT);
	done(&r);
	/* Management key on inference: 401 by default (UNCONFIRMED). */
	chat_as(K_MGMT, hello, 401, &r);
	assert_string_equal(r.body, user_not_found);
	done(&r);
	/* BYOK: the reference body of §4, plus user_id. */
	chat_as(K_BYOK, "{\"model\":\"anthropic/claude-3.5-haiku\",\"messages\":[]}",
		401, &r);
	assert_error_with_user(&r,
		"{\"error\":{\"message\":\"Provider returned error\",\"code\":401,"
		"\"metadata\":{\"raw\":\"{\\\"type\\\":\\\"error\\\",\\\"error\\\":"
		"{\\\"type\\\":\\\"authentication_error\\\",\\\"message\\\":"
		"\\\"invalid x-api-key\\\"}}\",\"provider_name\":\"Anthropic\","
		"\"isDownstreamPipeClean\":true,\"isErrorUpstreamFault\":true}}}",
		K_BYOK);
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"acme/fake-1.0\",\"messages\":[]}", 400, &r);
	assert_error_with_user(&r,
		"{\"error\":{\"message\":\"acme/fake-1.0 is not a valid model ID\","
		"\"error_type\":\"invalid_request\",\"http_status\":400,\"availability\":"
		"{\"code\":\"model_not_found\",\"retryable\":false,\"requested_models\":"
		"[\"acme/fake-1.0\"],\"docs_url\":\"https://openrouter.ai/docs/errors"
		"#model_not_found\"}}}", K_ACTIVE);
	done(&r);
	/* max_tokens the balance cannot pay for. */
	chat_as(K_POOR, "{\"model\":\"openai/gpt-4o\",\"max_tokens\":1000,"
			"\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 402, &r);
	assert_error_with_user(&r,
		"{\"error\":{\"message\":\"This request requires more credits, or fewer "
		"max_tokens. You requested up to 1000 tokens, but can only afford 99. "
		"To increase, visit https://openrouter.ai/settings/credits and upgrade "
		"to a paid account\",\"code\":402,\"metadata\":{\"provider_name\":null}}}",
		K_POOR);
	done(&r);
	/* Auth comes first: a dead key with an unknown model is a 401. */
	chat_as(K_DELETED, "{\"model\":\"acme/x\"}", 401, &r);
	assert_string_equal(r.body, user_not_found);
	done(&r);
}

static void test_trigger_models(void **state)
{
	resp r;

	(void)state;
	chat_as(K_ACTIVE, "{\"model\":\"mock/free-limit:free\"}", 429, &r);
	assert_prefix(r.body, "{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day. "
		"Add 10 credits to unlock 1000 free model requests per day\",\"code\":"
		"429,\"metadata\":{\"headers\":{\"X-RateLimit-Limit\":\"50\","
		"\"X-RateLimit-Remaining\":\"0\",\"X-RateLimit-Reset\":\"");
	assert_non_null(strstr(r.body, "\"}}},\"user_id\":\"user_2mock"));
	assert_true(has_header(&r, "X-RateLimit-Limit: 50"));
	assert_true(has_header(&r, "X-RateLimit-Remaining: 0"));
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/ratelimit\"}", 429, &r);
	assert_error_with_user(&r,
		"{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\",\"metadata\":"
		"{\"error_type\":\"rate_limit_exceeded\"}}}", K_ACTIVE);
	assert_true(has_header(&r, "Retry-After: 1"));
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/moderation\",\"messages\":[{\"role\":"
			  "\"user\",\"content\":\"you are terrible\"}]}", 403, &r);
	assert_prefix(r.body, "{\"error\":{\"code\":403,\"message\":"
					 "\"mock/moderation requires moderation on");
	assert_non_null(strstr(r.body, "\"metadata\":{\"reasons\":[\"harassment\"],"
				       "\"flagged_input\":\"you are terrible\","
				       "\"provider_name\":\"Mock\",\"model_slug\":"
				       "\"mock/moderation\"}}"));
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/data-policy\"}", 404, &r);
	assert_prefix(r.body, "{\"error\":{\"message\":\"No endpoints found "
					 "matching your data policy");
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/byok-required\"}", 403, &r);
	assert_non_null(strstr(r.body, "is requiring a key to access this model"));
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/unaffordable\",\"max_tokens\":600}", 402, &r);
	assert_non_null(strstr(r.body, "You requested up to 600 tokens, but can "
				       "only afford 100."));
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/guardrail\"}", 403, &r);
	assert_error_with_user(&r,
		"{\"error\":{\"code\":403,\"message\":\"Request blocked: prompt injection "
		"patterns detected\",\"metadata\":{\"patterns\":[\"ignore all previous "
		"instructions\"]}}}", K_ACTIVE);
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/unavailable\"}", 503, &r);
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/internal\"}", 500, &r);
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/timeout\"}", 408, &r);
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/provider-error\"}", 502, &r);
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/ok\"}", 200, &r);
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/nope\"}", 400, &r);
	done(&r);
	/* Mid-stream error: 200, a few chunks, then an error event. */
	chat_as(K_ACTIVE, "{\"model\":\"mock/midstream-error\",\"stream\":true}", 200, &r);
	assert_non_null(strstr(r.body, "\"error\":{\"code\":502,\"message\":"
				       "\"Provider disconnected mid-stream\",\"metadata\":"
				       "{\"error_type\":\"provider_unavailable\"}},"
				       "\"choices\":[{\"index\":0,\"delta\":{\"content\":"
				       "\"\"},\"finish_reason\":\"error\"}]}\n\n"));
	assert_null(strstr(r.body, "[DONE]"));
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"mock/midstream-error\"}", 200, &r);
	assert_non_null(strstr(r.body, "\"finish_reason\":\"error\",\"error\":"
				       "{\"code\":502"));
	done(&r);
}

static void test_flaky(void **state)
{
	int i;
	resp r;

	(void)state;
	for (i = 0; i < 3; i++) {
		chat_as(K_ACTIVE, "{\"model\":\"google/gemini-2.5-flash\"}", 502, &r);
		assert_prefix(r.body, "{\"error\":{\"code\":502,\"message\":"
						 "\"Provider returned error\",\"metadata\":"
						 "{\"provider_name\":\"Google\",\"raw\":\"");
		assert_non_null(strstr(r.body, ",\"user_id\":\"user_2mock"));
		done(&r);
		chat_as(K_ACTIVE, "{\"model\":\"deepseek/deepseek-chat-v3-0324:free\"}",
			200, &r);
		done(&r);
	}
}

static void test_generation(void **state)
{
	json_object *o, *v;
	char path[160];
	resp r;

	(void)state;
	chat_as(K_NOLIMIT, hello, 200, &r);
	o = json_tokener_parse(r.body);
	assert_true(json_object_object_get_ex(o, "id", &v));
	snprintf(path, sizeof(path), "/api/v1/generation?id=%s",
		 json_object_get_string(v));
	json_object_put(o);
	done(&r);
	get_as(K_NOLIMIT, path, 200, &r);
	assert_prefix(r.body, "{\"data\":{\"id\":\"gen-");
	assert_non_null(strstr(r.body, "\"model\":\"openai/gpt-4o\""));
	assert_non_null(strstr(r.body, "\"provider_name\":\"OpenAI\""));
	assert_non_null(strstr(r.body, "\"api_type\":\"completions\""));
	done(&r);
	/* Another key's generation is not found. */
	get_as(K_ACTIVE, path, 404, &r);
	assert_error_with_user(&r,
		"{\"error\":{\"code\":404,\"message\":\"Resource not found\"}}", K_ACTIVE);
	done(&r);
	get_as(K_ACTIVE, "/api/v1/generation?id=gen-0-nope", 404, &r);
	done(&r);
	req("GET", path, NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	done(&r);
}

static const char anthropic_401[] =
	"{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":"
	"\"Invalid credentials\",\"error_type\":\"authentication\"},\"request_id\":null}";

static void test_messages(void **state)
{
	char h1[160];
	const char *hx[] = {h1, "anthropic-version: 2023-06-01", NULL};
	const char *body = "{\"model\":\"anthropic/claude-sonnet-4.5\",\"max_tokens\":100,"
			   "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
	resp r;

	(void)state;
	req("POST", "/api/v1/messages?beta=true", NULL, body, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(r.body, anthropic_401);
	done(&r);
	snprintf(h1, sizeof(h1), "x-api-key: %s", keys[K_DELETED]);
	req("POST", "/api/v1/messages?beta=true", hx, body, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(r.body, anthropic_401);
	done(&r);
	snprintf(h1, sizeof(h1), "x-api-key: %s", keys[K_ACTIVE]);
	req("POST", "/api/v1/messages?beta=true", hx, body, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"type\":\"message\",\"role\":\"assistant\""));
	assert_non_null(strstr(r.body, "\"content\":[{\"type\":\"text\",\"text\":"
				       "\"Hello from the ordoctor mock.\"}]"));
	assert_non_null(strstr(r.body, "\"stop_reason\":\"end_turn\""));
	done(&r);
	/* Claude Code's own model names and streaming. */
	snprintf(h1, sizeof(h1), "Authorization: Bearer %s", keys[K_ACTIVE]);
	req("POST", "/api/v1/messages?beta=true", hx,
	    "{\"model\":\"claude-3-5-haiku-20241022\",\"stream\":true,\"max_tokens\":5,"
	    "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", &r);
	assert_int_equal(r.status, 200);
	assert_true(has_header(&r, "Content-Type: text/event-stream"));
	assert_prefix(r.body, "event: message_start\ndata: {");
	assert_non_null(strstr(r.body, "event: content_block_delta\n"));
	assert_non_null(strstr(r.body, "event: message_stop\ndata: {\"type\":"
				       "\"message_stop\"}\n\n"));
	done(&r);
	/* Other failures in the Anthropic envelope. */
	snprintf(h1, sizeof(h1), "x-api-key: %s", keys[K_NOCREDIT]);
	req("POST", "/api/v1/messages", hx, body, &r);
	assert_int_equal(r.status, 402);
	assert_prefix(r.body, "{\"type\":\"error\",\"error\":{\"type\":"
					 "\"billing_error\",");
	done(&r);
	snprintf(h1, sizeof(h1), "x-api-key: %s", keys[K_BYOK]);
	req("POST", "/api/v1/messages", hx, body, &r);
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.body, "\"message\":\"Provider returned error\""));
	done(&r);
}

static void test_responses(void **state)
{
	const char *body = "{\"model\":\"openai/gpt-4o\",\"input\":\"hi\"}";
	const char *tail = "\",\"status\":\"failed\",\"error\":{\"code\":\"server_error\","
			   "\"message\":\"Invalid credentials\"},\"error_type\":"
			   "\"authentication\"}";
	resp r;

	(void)state;
	req("POST", "/api/v1/responses", NULL, body, &r);
	assert_int_equal(r.status, 401);
	assert_prefix(r.body, "{\"id\":\"resp_");
	assert_true(r.len > strlen(tail));
	assert_string_equal(r.body + r.len - strlen(tail), tail);
	done(&r);
	{
		const char *h[] = {bearer(K_ACTIVE), NULL};

		req("POST", "/api/v1/responses", h, body, &r);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "\"object\":\"response\""));
		assert_non_null(strstr(r.body, "\"status\":\"completed\""));
		assert_non_null(strstr(r.body, "\"type\":\"output_text\",\"text\":"
					       "\"Hello from the ordoctor mock.\""));
		done(&r);
		req("POST", "/api/v1/responses?x=1", h,
		    "{\"model\":\"openai/gpt-4o\",\"input\":[{\"role\":\"user\",\"content\":"
		    "\"hi\"}],\"stream\":true}", &r);
		assert_int_equal(r.status, 200);
		assert_prefix(r.body, "event: response.created\ndata: {");
		assert_non_null(strstr(r.body, "event: response.output_text.delta\n"));
		assert_non_null(strstr(r.body, "event: response.completed\n"));
		done(&r);
	}
}

static void test_html_404(void **state)
{
	static const char *const paths[] = {
		"/", "/v1/chat/completions", "/api/chat/completions",
		"/api/v1//chat/completions", "/api/v1/chat/completions/chat/completions",
		"/api/v1/v1/messages", "/api/v1/completions", "/api/models",
		"/api/v1/key/", "/api/v1/keyx?y=1"};
	size_t i;
	resp r;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		const char *h[] = {bearer(K_ACTIVE), NULL};

		req(i % 2 ? "POST" : "GET", paths[i], h, i % 2 ? hello : NULL, &r);
		assert_int_equal(r.status, 404);
		assert_true(has_header(&r, "Content-Type: text/html"));
		assert_prefix(r.body, "<!DOCTYPE html>");
		done(&r);
	}
	/* A known path with the wrong method. */
	get_as(K_ACTIVE, "/api/v1/chat/completions", 405, &r);
	assert_true(has_header(&r, "Allow: POST"));
	done(&r);
}

static void test_malformed(void **state)
{
	char *big;
	resp r;

	(void)state;
	chat_as(K_ACTIVE, "{\"model\":", 400, &r);
	assert_error_with_user(&r,
		"{\"error\":{\"code\":400,\"message\":\"Invalid request parameters\"}}",
		K_ACTIVE);
	done(&r);
	chat_as(K_ACTIVE, "[1,2]", 400, &r);
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"openai/gpt-4o\"} trailing", 400, &r);
	done(&r);
	chat_as(K_ACTIVE, "{\"model\":\"openai/gpt-4o\",\"max_tokens\":-5}", 400, &r);
	done(&r);
	big = malloc(2 * 1024 * 1024 + 1);
	assert_non_null(big);
	memset(big, ' ', 2 * 1024 * 1024);
	big[0] = '{';
	big[2 * 1024 * 1024 - 1] = '}';
	big[2 * 1024 * 1024] = '\0';
	chat_as(K_ACTIVE, big, 413, &r);
	assert_string_equal(r.body,
		"{\"error\":{\"code\":413,\"message\":\"Request payload too large\"}}");
	done(&r);
	free(big);
	/* The server still answers afterwards. */
	get_as(K_ACTIVE, "/api/v1/key", 200, &r);
	done(&r);
}

static void test_redirect(void **state)
{
	ord_mock_config cfg;
	char root[128], want[256];
	ord_mock *m;
	resp r;

	(void)state;
	ord_mock_config_init(&cfg);
	cfg.redirect_http = 1;
	m = start_other(&cfg, root, sizeof(root));
	req_at(root, "POST", "/api/v1/chat/completions?a=b", NULL, hello, &r);
	assert_int_equal(r.status, 301);
	snprintf(want, sizeof(want), "Location: https://%s/api/v1/chat/completions?a=b",
		 root + 7);
	assert_true(has_header(&r, want));
	done(&r);
	ord_mock_stop(m);
}

static void test_incident_and_legacy(void **state)
{
	ord_mock_config cfg;
	char root[128], h1[128];
	const char *h[] = {h1, NULL};
	ord_mock *m;
	resp r;

	(void)state;
	snprintf(h1, sizeof(h1), "Authorization: Bearer %s", keys[K_ACTIVE]);
	ord_mock_config_init(&cfg);
	cfg.incident = 1;
	cfg.legacy_missing_auth = 1;
	m = start_other(&cfg, root, sizeof(root));
	req_at(root, "GET", "/api/v1/key", h, NULL, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(r.body, user_not_found);
	done(&r);
	req_at(root, "POST", "/api/v1/chat/completions", h, hello, &r);
	assert_string_equal(r.body, user_not_found);
	done(&r);
	req_at(root, "GET", "/api/v1/models", h, NULL, &r);
	assert_int_equal(r.status, 200);
	done(&r);
	req_at(root, "GET", "/api/v1/key", NULL, NULL, &r);
	assert_string_equal(r.body,
		"{\"error\":{\"message\":\"No cookie auth credentials found\",\"code\":401}}");
	done(&r);
	ord_mock_set_incident(m, 0);
	req_at(root, "GET", "/api/v1/key", h, NULL, &r);
	assert_int_equal(r.status, 200);
	done(&r);
	ord_mock_stop(m);
}

static void test_switch_readings(void **state)
{
	ord_mock_config cfg;
	char root[128], h1[128];
	const char *h[] = {h1, NULL};
	ord_mock *m;
	resp r;

	(void)state;
	ord_mock_config_init(&cfg);
	cfg.management_status = 403;
	cfg.credits_any_key = 1;
	m = start_other(&cfg, root, sizeof(root));
	snprintf(h1, sizeof(h1), "Authorization: Bearer %s", keys[K_ACTIVE]);
	req_at(root, "GET", "/api/v1/credits", h, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body,
		"{\"data\":{\"total_credits\":100,\"total_usage\":0}}");
	done(&r);
	ord_mock_stop(m);
	/* The 403 reading for management keys. */
	{
		static char text[256];
		char err[128];

		snprintf(text, sizeof(text), "%s management\n", keys[K_MGMT]);
		ord_mock_config_init(&cfg);
		cfg.management_status = 403;
		cfg.keys_text = text;
		cfg.port = 0;
		cfg.has_now = 1;
		cfg.now = (time_t)MOCK_NOW;
		assert_int_equal(ord_mock_start(&cfg, &m, err, sizeof(err)), 0);
		snprintf(h1, sizeof(h1), "Authorization: Bearer %s", keys[K_MGMT]);
		req_at(ord_mock_url(m), "POST", "/api/v1/chat/completions", h, hello, &r);
		assert_int_equal(r.status, 403);
		assert_non_null(strstr(r.body, "\"user_id\":\"user_2mock"));
		done(&r);
		ord_mock_stop(m);
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_latency_concurrent(void **state)
{
	ord_mock_config cfg;
	char root[128], url[256];
	struct curl_slist *h;
	CURLM *multi;
	CURL *e[4];
	resp r[4];
	double t0, elapsed;
	int running, i;
	ord_mock *m;

	(void)state;
	ord_mock_config_init(&cfg);
	cfg.latency_ms = 200;
	m = start_other(&cfg, root, sizeof(root));
	snprintf(url, sizeof(url), "%s/api/v1/key", root);
	h = curl_slist_append(NULL, bearer(K_ACTIVE));
	multi = curl_multi_init();
	for (i = 0; i < 4; i++) {
		e[i] = prepare(url, NULL, NULL, h, &r[i]);
		curl_multi_add_handle(multi, e[i]);
	}
	t0 = now_ms();
	do {
		curl_multi_perform(multi, &running);
		if (running)
			curl_multi_poll(multi, NULL, 0, 50, NULL);
	} while (running);
	elapsed = now_ms() - t0;
	for (i = 0; i < 4; i++) {
		curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &r[i].status);
		assert_int_equal(r[i].status, 200);
		curl_multi_remove_handle(multi, e[i]);
		curl_easy_cleanup(e[i]);
		done(&r[i]);
	}
	curl_multi_cleanup(multi);
	curl_slist_free_all(h);
	/* 4 × 200 ms sequentially would be 800 ms. */
	assert_true(elapsed >= 190);
	assert_true(elapsed < 600);
	ord_mock_stop(m);
}

static void test_request_log(void **state)
{
	char h1[160], h2[160], line[4096], path[256];
	const char *both[] = {h1, h2, NULL};
	const char *basic[] = {"Authorization: Basic dXNlcjpwYXNz", NULL};
	const char *empty[] = {"Authorization: Bearer", NULL};
	int seen_both = 0, seen_basic = 0, seen_empty = 0, seen_none = 0,
	    seen_x = 0, seen_model = 0, seen_query = 0, lines = 0, k;
	FILE *f;
	resp r;

	(void)state;
	snprintf(h1, sizeof(h1), "x-api-key: %s", keys[K_ACTIVE]);
	snprintf(h2, sizeof(h2), "Authorization: Bearer %s", keys[K_NOLIMIT]);
	req("POST", "/api/v1/chat/completions?trace=1", both,
	    "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true}", &r);
	done(&r);
	req("GET", "/api/v1/key", basic, NULL, &r);
	done(&r);
	req("GET", "/api/v1/key", empty, NULL, &r);
	done(&r);
	req("GET", "/api/v1/models", NULL, NULL, &r);
	done(&r);
	/* A key in the query string is redacted too. */
	snprintf(path, sizeof(path), "/api/v1/key?api_key=%s", keys[K_ACTIVE]);
	req("GET", path, &both[0], NULL, &r);
	done(&r);
	req("GET", "/api/v1/models?k=sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345",
	    NULL, NULL, &r);
	done(&r);

	f = fopen(log_path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		json_object *o = json_tokener_parse(line), *v;
		const char *cred;

		lines++;
		for (k = 0; k < K_COUNT; k++)
			assert_null(strstr(line, keys[k])); /* never a full key */
		assert_null(strstr(line, "abcdefghijklmnopqrstuvwxyz012345"));
		assert_non_null(o);
		assert_true(json_object_object_get_ex(o, "time", &v));
		assert_true(json_object_object_get_ex(o, "method", &v));
		assert_true(json_object_object_get_ex(o, "path", &v));
		if (strstr(json_object_get_string(v), "?trace=1"))
			seen_query = 1;
		assert_true(json_object_object_get_ex(o, "status", &v));
		assert_true(json_object_get_int(v) >= 200);
		assert_true(json_object_object_get_ex(o, "fingerprint", &v));
		assert_true(json_object_object_get_ex(o, "redacted", &v));
		assert_true(json_object_object_get_ex(o, "stream", &v));
		assert_true(json_object_object_get_ex(o, "credential", &v));
		cred = json_object_get_string(v);
		if (!strcmp(cred, "both")) {
			json_object *red, *model, *stream;
			assert_true(json_object_object_get_ex(o, "redacted", &red));
			if (!strcmp(json_object_get_string(red), "sk-or-v1-111...111"))
				seen_both++;
			if (json_object_object_get_ex(o, "model", &model) &&
			    json_object_get_string(model) &&
			    !strcmp(json_object_get_string(model), "openai/gpt-4o-mini")) {
				json_object_object_get_ex(o, "stream", &stream);
				seen_model = json_object_get_boolean(stream);
			}
		}
		seen_basic += !strcmp(cred, "basic");
		seen_empty += !strcmp(cred, "empty");
		seen_none += !strcmp(cred, "none");
		seen_x += !strcmp(cred, "x-api-key") || !strcmp(cred, "bearer");
		json_object_put(o);
	}
	fclose(f);
	assert_true(lines >= 6);
	assert_true(seen_both >= 2 && seen_basic && seen_empty && seen_none &&
		    seen_x && seen_model && seen_query);
}

/* ---- the keys file itself ----------------------------------------- */

typedef struct warns {
	char text[4096];
	int n;
} warns;

static void collect(void *ud, const char *msg)
{
	warns *w = ud;
	size_t l = strlen(w->text);

	snprintf(w->text + l, sizeof(w->text) - l, "%s\n", msg);
	w->n++;
}

static void test_keys_file(void **state)
{
	char text[2048];
	mock_keys ks;
	warns w;
	time_t t;
	int k;

	(void)state;
	memset(&w, 0, sizeof(w));
	memset(&ks, 0, sizeof(ks));
	snprintf(text, sizeof(text),
		 "# comment\n\n"
		 "%s active credits=2.5 label=ci byok=OpenAI:invalid limit_reset=daily\r\n"
		 "%s bogus\n"
		 "%s %s\n"
		 "sk-or-v1-abc active\n"
		 "%s active limit=abc\n"
		 "%s active colour=blue\n"
		 "%s active\n"
		 "%s\n",
		 keys[K_ACTIVE], keys[K_NOLIMIT], keys[K_DELETED], keys[K_EXPIRED],
		 keys[K_DISABLED], keys[K_MGMT], keys[K_ACTIVE], keys[K_LIMIT]);
	assert_int_equal(mock_keys_parse(&ks, text, strlen(text), "F", collect, &w), 0);
	for (k = 0; k < K_COUNT; k++)
		assert_null(strstr(w.text, keys[k]));
	assert_non_null(strstr(w.text, "mock: 'F' line 4: unknown state 'bogus'\n"));
	assert_non_null(strstr(w.text, "mock: 'F' line 5: unknown state (not shown)\n"));
	assert_non_null(strstr(w.text, "mock: 'F' line 6: the key is not sk-or-v1-"));
	assert_non_null(strstr(w.text, "mock: 'F' line 7: bad value for limit="));
	assert_non_null(strstr(w.text, "mock: 'F' line 8: unknown option 'colour' (ignored)"));
	assert_non_null(strstr(w.text, "mock: 'F' line 9: duplicate key (first at line 3"));
	assert_non_null(strstr(w.text, "mock: 'F' line 10: no state"));
	assert_int_equal(w.n, 7);
	assert_int_equal(ks.n, 2); /* line 3, and line 8 without its option */
	assert_true(ks.v[0].credits == 2.5);
	assert_string_equal(ks.v[0].label, "ci");
	assert_string_equal(ks.v[0].byok[0], "openai");
	assert_string_equal(ks.v[0].limit_reset, "daily");
	assert_ptr_equal(mock_keys_find(&ks, keys[K_ACTIVE], ORD_KEY_LEN), &ks.v[0]);
	assert_null(mock_keys_find(&ks, keys[K_ACTIVE], ORD_KEY_LEN - 1));
	assert_int_equal(ks.v[1].state, MOCK_KEY_ACTIVE);
	assert_true(ks.v[1].credits == MOCK_DEFAULT_CREDITS);
	mock_keys_release(&ks);

	assert_int_equal(mock_parse_iso8601("2027-12-31T23:59:59Z", &t), 0);
	assert_int_equal((long long)t, 1830297599LL);
	assert_int_equal(mock_parse_iso8601("2027-12-31", &t), 0);
	assert_int_equal(mock_parse_iso8601("2028-01-01T01:00:00+01:00", &t), 0);
	assert_int_equal((long long)t, 1830297600LL);
	assert_int_equal(mock_parse_iso8601("2027-02-29T00:00:00Z", &t), -1);
	assert_int_equal(mock_parse_iso8601("2027-12-31T23:59:59", &t), -1);
	assert_int_equal(mock_parse_iso8601("tomorrow", &t), -1);
}

/* --now: every time-dependent answer follows the mock's clock, not the
 * wall clock: expires_at, "created", generation ids, the rate-limit
 * reset, the request log. */
static void test_clock(void **state)
{
	static char text[256];
	ord_mock_config cfg;
	char err[256], h1[128], want[128], lpath[160], line[1024];
	const char *h[] = {h1, NULL};
	ord_mock *m;
	time_t t;
	FILE *f;
	resp r;

	(void)state;
	assert_int_equal(ord_mock_parse_time("1795953600", &t), 0);
	assert_int_equal((long long)t, MOCK_NOW);
	assert_int_equal(ord_mock_parse_time("2026-11-29T12:00:00Z", &t), 0);
	assert_int_equal((long long)t, MOCK_NOW);
	assert_int_equal(ord_mock_parse_time("0", &t), 0);
	assert_int_equal((long long)t, 0);
	assert_int_equal(ord_mock_parse_time("", &t), -1);
	assert_int_equal(ord_mock_parse_time("-5", &t), -1);
	assert_int_equal(ord_mock_parse_time("+5", &t), -1);
	assert_int_equal(ord_mock_parse_time("12x", &t), -1);
	assert_int_equal(ord_mock_parse_time("99999999999999999999", &t), -1);
	assert_int_equal(ord_mock_parse_time("2026-11-29T12:00:00", &t), -1);
	assert_int_equal(ord_mock_parse_time("tomorrow", &t), -1);

	snprintf(text, sizeof(text), "%s active expires_at=2026-12-02T12:00:00Z\n",
		 keys[K_ACTIVE]);
	snprintf(h1, sizeof(h1), "Authorization: Bearer %s", keys[K_ACTIVE]);
	snprintf(lpath, sizeof(lpath), "%s/clock.log", tmpdir);
	/* Three days before the expiry: alive, and everything says so. */
	ord_mock_config_init(&cfg);
	cfg.keys_text = text;
	cfg.port = 0;
	cfg.has_now = 1;
	cfg.now = (time_t)MOCK_NOW;
	cfg.request_log = lpath;
	assert_int_equal(ord_mock_start(&cfg, &m, err, sizeof(err)), 0);
	req_at(ord_mock_url(m), "GET", "/api/v1/key", h, NULL, &r);
	assert_int_equal(r.status, 200);
	done(&r);
	req_at(ord_mock_url(m), "POST", "/api/v1/chat/completions", h,
	       "{\"model\":\"mock/ok\"}", &r);
	assert_int_equal(r.status, 200);
	snprintf(want, sizeof(want), "{\"id\":\"gen-%lld-", MOCK_NOW);
	assert_prefix(r.body, want);
	snprintf(want, sizeof(want), "\"created\":%lld,", MOCK_NOW);
	assert_non_null(strstr(r.body, want));
	done(&r);
	req_at(ord_mock_url(m), "POST", "/api/v1/chat/completions", h,
	       "{\"model\":\"mock/free-limit:free\"}", &r);
	assert_int_equal(r.status, 429);
	/* The next UTC midnight, 2026-11-30T00:00:00Z, in the body and the
	 * header alike. */
	assert_non_null(strstr(r.body, "\"X-RateLimit-Reset\":\"1795996800000\""));
	assert_true(has_header(&r, "X-RateLimit-Reset: 1795996800000"));
	done(&r);
	ord_mock_stop(m);
	f = fopen(lpath, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		assert_prefix(line, "{\"time\":\"2026-11-29T12:00:00.000Z\",");
	fclose(f);
	unlink(lpath);

	/* At the expiry: dead. */
	cfg.now = (time_t)(MOCK_NOW + 3 * 86400);
	cfg.request_log = NULL;
	assert_int_equal(ord_mock_start(&cfg, &m, err, sizeof(err)), 0);
	req_at(ord_mock_url(m), "GET", "/api/v1/key", h, NULL, &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(r.body, user_not_found);
	done(&r);
	ord_mock_stop(m);
}

static void test_start_errors(void **state)
{
	ord_mock_config cfg;
	ord_mock *m = NULL;
	char err[256];

	(void)state;
	ord_mock_config_init(&cfg);
	cfg.port = 0;
	cfg.keys_path = "/nonexistent/ordoctor-keys";
	assert_int_equal(ord_mock_start(&cfg, &m, err, sizeof(err)), -1);
	assert_null(m);
	assert_non_null(strstr(err, "/nonexistent/ordoctor-keys"));
	ord_mock_config_init(&cfg);
	assert_int_equal(ord_mock_add_flaky(&cfg, "openai:1.5"), -1);
	assert_int_equal(ord_mock_add_flaky(&cfg, ":0.5"), -1);
	assert_int_equal(ord_mock_add_flaky(&cfg, "openai"), -1);
	assert_int_equal(ord_mock_add_flaky(&cfg, "openai:0.25"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_key_route),
		cmocka_unit_test(test_auth_mapping),
		cmocka_unit_test(test_credits),
		cmocka_unit_test(test_models),
		cmocka_unit_test(test_chat_json),
		cmocka_unit_test(test_chat_sse),
		cmocka_unit_test(test_chat_failures),
		cmocka_unit_test(test_trigger_models),
		cmocka_unit_test(test_flaky),
		cmocka_unit_test(test_generation),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_responses),
		cmocka_unit_test(test_html_404),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_redirect),
		cmocka_unit_test(test_incident_and_legacy),
		cmocka_unit_test(test_switch_readings),
		cmocka_unit_test(test_latency_concurrent),
		cmocka_unit_test(test_request_log),
		cmocka_unit_test(test_keys_file),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_start_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
