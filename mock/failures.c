/* mock/failures: the error bodies of the inference routes, and their
 * shapes in the Anthropic and Responses envelopes.
 *
 * Bodies quoted from openrouter-api.md §4 are emitted byte for byte; the
 * top-level "user_id" is appended after the error object by
 * mock_send_error().
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void mock_fail_release(mock_fail *f)
{
	ord_buf_release(&f->body);
}

void mock_fail_set(mock_fail *f, unsigned status, const char *type,
		     const char *msg)
{
	f->status = status;
	f->error_type = type;
	snprintf(f->message, sizeof(f->message), "%s", msg);
}

/* {"error":{"code":N,"message":M}} with the field order of the OpenAPI
 * examples. */
void mock_fail_simple(mock_fail *f, unsigned status, const char *type,
			const char *msg)
{
	mock_fail_set(f, status, type, msg);
	ord_buf_addf(&f->body, "{\"error\":{\"code\":%u,\"message\":", status);
	mock_json_str(&f->body, msg);
	ord_buf_adds(&f->body, "}}");
}

/* ---- trigger models (mock/README.md) ------------------------------- */

/* The next UTC midnight after now in milliseconds, as X-RateLimit-Reset
 * carries it. */
static long long next_reset_ms(time_t now)
{
	return ((long long)(now / 86400) + 1) * 86400LL * 1000LL;
}

/* Middle-truncate to at most 100 bytes with "...", on UTF-8 character
 * boundaries (§4: flagged_input ≤100 chars). */
static void flagged_input(const char *s, char out[128])
{
	size_t n = strlen(s), head = 48, tail;

	if (n <= 100) {
		snprintf(out, 128, "%s", s);
		return;
	}
	while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
		head--;
	tail = n - 49;
	while (tail < n && ((unsigned char)s[tail] & 0xC0) == 0x80)
		tail++;
	snprintf(out, 128, "%.*s...%s", (int)head, s, s + tail);
}

static void fail_moderation(mock_fail *f, const mock_call *c)
{
	json_object *o = json_object_new_object(), *e, *md, *reasons;
	char msg[256], flagged[128];

	snprintf(msg, sizeof(msg),
		 "%s requires moderation on %s. Your input was flagged for "
		 "\"harassment\". No credits were charged.",
		 c->model, c->provider);
	flagged_input(c->last_user, flagged);
	mock_fail_set(f, 403, "permission_denied", msg);
	e = json_object_new_object();
	json_object_object_add(e, "code", json_object_new_int(403));
	json_object_object_add(e, "message", json_object_new_string(msg));
	md = json_object_new_object();
	reasons = json_object_new_array();
	json_object_array_add(reasons, json_object_new_string("harassment"));
	json_object_object_add(md, "reasons", reasons);
	json_object_object_add(md, "flagged_input",
			       json_object_new_string(flagged));
	json_object_object_add(md, "provider_name",
			       json_object_new_string(c->provider));
	json_object_object_add(md, "model_slug",
			       json_object_new_string(c->model));
	json_object_object_add(e, "metadata", md);
	json_object_object_add(o, "error", e);
	ord_buf_adds(&f->body, mock_jdump(o));
	json_object_put(o);
}

/* §4 402, observed (babikov/doka-site#7, openclaude#1125); with a key
 * limit the text ends with settings/keys (opencode#12219). */
void mock_fail_unaffordable(mock_fail *f, long asked, long afford,
			      int key_limit)
{
	char msg[400];

	snprintf(msg, sizeof(msg),
		 "This request requires more credits, or fewer max_tokens. You "
		 "requested up to %ld tokens, but can only afford %ld. To "
		 "increase, visit %s",
		 asked, afford,
		 key_limit ? "https://openrouter.ai/settings/keys and create a "
			     "key with a higher monthly limit" :
			     "https://openrouter.ai/settings/credits and "
			     "upgrade to a paid account");
	mock_fail_set(f, 402, "payment_required", msg);
	ord_buf_adds(&f->body, "{\"error\":{\"message\":");
	mock_json_str(&f->body, msg);
	ord_buf_adds(&f->body,
		     ",\"code\":402,\"metadata\":{\"provider_name\":null}}}");
}

/* §4 "Provider returned error" for BYOK, byte for byte for Anthropic
 * (ai-sdk-provider#24); other providers get their own error shape in raw
 * (not from the reference). */
void mock_fail_byok(mock_fail *f, const char *author, const char *prov)
{
	const char *raw;

	if (!strcmp(author, "anthropic"))
		raw = "{\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":"
		      "\\\"authentication_error\\\",\\\"message\\\":"
		      "\\\"invalid x-api-key\\\"}}";
	else if (!strcmp(author, "openai"))
		raw = "{\\\"error\\\":{\\\"message\\\":\\\"Incorrect API key "
		      "provided. You can find your API key at "
		      "https://platform.openai.com/account/api-keys.\\\","
		      "\\\"type\\\":\\\"invalid_request_error\\\",\\\"param\\\":"
		      "null,\\\"code\\\":\\\"invalid_api_key\\\"}}";
	else
		raw = "{\\\"error\\\":{\\\"code\\\":401,\\\"message\\\":"
		      "\\\"API key not valid. Please pass a valid API key.\\\"}}";
	mock_fail_set(f, 401, "authentication", "Provider returned error");
	ord_buf_addf(&f->body,
		     "{\"error\":{\"message\":\"Provider returned error\",\"code\":401,"
		     "\"metadata\":{\"raw\":\"%s\",\"provider_name\":\"%s\","
		     "\"isDownstreamPipeClean\":true,\"isErrorUpstreamFault\":true}}}",
		     raw, prov);
}

/* §4 502 shape: {"error":{"code":502,"message":"Provider returned
 * error","metadata":{"provider_name":…,"raw":…}}}. */
void mock_fail_provider(mock_fail *f, const char *author, const char *prov)
{
	const char *raw = !strcmp(author, "anthropic") ?
		"{\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":"
		"\\\"overloaded_error\\\",\\\"message\\\":\\\"Overloaded\\\"}}" :
		"{\\\"error\\\":{\\\"message\\\":\\\"The server had an error while "
		"processing your request. Sorry about that!\\\",\\\"type\\\":"
		"\\\"server_error\\\"}}";

	mock_fail_set(f, 502, "provider_unavailable", "Provider returned error");
	ord_buf_addf(&f->body,
		     "{\"error\":{\"code\":502,\"message\":\"Provider returned error\","
		     "\"metadata\":{\"provider_name\":\"%s\",\"raw\":\"%s\"}}}",
		     prov, raw);
}

/* Returns 1 when the trigger model fails the call (f filled), 0 when the
 * call goes on, -1 for an unknown mock/ model. */
int mock_fail_trigger(const char *t, time_t now, mock_call *c,
		      mock_fail *f)
{
	if (!strcmp(t, "ok"))
		return 0;
	if (!strcmp(t, "midstream-error")) {
		c->midstream_error = 1;
		return 0;
	}
	if (!strcmp(t, "free-limit:free")) {
		/* §4 429, observed (openclaude#936, cline#5301).  The body
		 * and the header carry the same reset. */
		f->ratelimit = 1;
		f->reset_ms = next_reset_ms(now);
		mock_fail_set(f, 429, "rate_limit_exceeded",
			 "Rate limit exceeded: free-models-per-day. Add 10 credits "
			 "to unlock 1000 free model requests per day");
		ord_buf_addf(&f->body,
			     "{\"error\":{\"message\":\"%s\",\"code\":429,\"metadata\":"
			     "{\"headers\":{\"X-RateLimit-Limit\":\"50\","
			     "\"X-RateLimit-Remaining\":\"0\",\"X-RateLimit-Reset\":"
			     "\"%lld\"}}}}", f->message, f->reset_ms);
		return 1;
	}
	if (!strcmp(t, "ratelimit")) {
		/* §4 429, docs. */
		mock_fail_set(f, 429, "rate_limit_exceeded", "Rate limit exceeded");
		ord_buf_adds(&f->body,
			     "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\","
			     "\"metadata\":{\"error_type\":\"rate_limit_exceeded\"}}}");
		f->retry_after = 1;
		return 1;
	}
	if (!strcmp(t, "moderation")) {
		fail_moderation(f, c);
		return 1;
	}
	if (!strcmp(t, "guardrail")) {
		/* §4 403, docs. */
		mock_fail_set(f, 403, "permission_denied",
			 "Request blocked: prompt injection patterns detected");
		ord_buf_adds(&f->body,
			     "{\"error\":{\"code\":403,\"message\":\"Request blocked: "
			     "prompt injection patterns detected\",\"metadata\":"
			     "{\"patterns\":[\"ignore all previous instructions\"]}}}");
		return 1;
	}
	if (!strcmp(t, "data-policy")) {
		/* causes.md: "No endpoints found matching your data policy…";
		 * the rest of the text is from public reports, not from the
		 * reference. */
		mock_fail_set(f, 404, "not_found",
			 "No endpoints found matching your data policy (Free model "
			 "publication). Configure: https://openrouter.ai/settings/privacy");
		ord_buf_adds(&f->body, "{\"error\":{\"message\":");
		mock_json_str(&f->body, f->message);
		ord_buf_adds(&f->body, ",\"code\":404}}");
		return 1;
	}
	if (!strcmp(t, "byok-required")) {
		/* causes.md: "…requiring a key to access this model…"; the
		 * full sentence is from public reports. */
		mock_fail_set(f, 403, "permission_denied",
			 "OpenAI is requiring a key to access this model, which you "
			 "can add in https://openrouter.ai/settings/integrations");
		ord_buf_adds(&f->body, "{\"error\":{\"message\":");
		mock_json_str(&f->body, f->message);
		ord_buf_adds(&f->body, ",\"code\":403}}");
		return 1;
	}
	if (!strcmp(t, "unaffordable")) {
		long asked = c->max_tokens > 0 ? c->max_tokens : 65536;
		mock_fail_unaffordable(f, asked, asked / 6, 0);
		return 1;
	}
	if (!strcmp(t, "provider-error")) {
		mock_fail_provider(f, "mock", c->provider);
		return 1;
	}
	if (!strcmp(t, "unavailable")) {
		mock_fail_simple(f, 503, "provider_overloaded",
			    "Service temporarily unavailable");
		f->retry_after = 1;
		return 1;
	}
	if (!strcmp(t, "internal")) {
		mock_fail_simple(f, 500, "server", "Internal Server Error");
		return 1;
	}
	if (!strcmp(t, "timeout")) {
		mock_fail_simple(f, 408, "timeout",
			    "Operation timed out. Please try again later.");
		return 1;
	}
	return -1;
}

void mock_fail_model_not_found(mock_fail *f, const char *model)
{
	ord_buf msg = ORD_BUF_INIT(MOCK_BODY_MAX);

	/* §4 400, the "availability" envelope (it has no "code" member). */
	ord_buf_adds(&msg, model);
	ord_buf_adds(&msg, " is not a valid model ID");
	mock_fail_set(f, 400, "invalid_request", ord_buf_str(&msg));
	ord_buf_reset(&f->body);
	ord_buf_adds(&f->body, "{\"error\":{\"message\":");
	mock_json_str(&f->body, ord_buf_str(&msg));
	ord_buf_release(&msg);
	ord_buf_adds(&f->body,
		     ",\"error_type\":\"invalid_request\",\"http_status\":400,"
		     "\"availability\":{\"code\":\"model_not_found\",\"retryable\":false,"
		     "\"requested_models\":[");
	mock_json_str(&f->body, model);
	ord_buf_adds(&f->body,
		     "],\"docs_url\":\"https://openrouter.ai/docs/errors#model_not_found\"}}}");
}

/* ---- failures in each envelope ------------------------------------- */

static const char *anthropic_type(unsigned status)
{
	switch (status) {
	case 400: return "invalid_request_error";
	case 401: return "authentication_error";
	case 402: return "billing_error";
	case 403: return "permission_error";
	case 404: return "not_found_error";
	case 413: return "request_too_large";
	case 429: return "rate_limit_error";
	case 503: case 529: return "overloaded_error";
	default: return "api_error";
	}
}

enum MHD_Result mock_send_fail(mock_req *r, mock_skin skin, mock_fail *f)
{
	json_object *o, *e;
	enum MHD_Result res;
	char id[40];

	if (f->retry_after)
		mock_header(r, "Retry-After", "%d", f->retry_after);
	if (f->ratelimit) {
		mock_header(r, "X-RateLimit-Limit", "50");
		mock_header(r, "X-RateLimit-Remaining", "0");
		mock_header(r, "X-RateLimit-Reset", "%lld", f->reset_ms);
	}
	if (skin == MOCK_SKIN_OPENROUTER)
		return mock_send_error(r, f->status, ord_buf_str(&f->body));
	/* The skins' shapes beyond 401 are not documented (UNCONFIRMED):
	 * the 401 shapes of §2 with the message and error_type of the
	 * failure. */
	o = json_object_new_object();
	e = json_object_new_object();
	if (skin == MOCK_SKIN_ANTHROPIC) {
		json_object_object_add(o, "type", json_object_new_string("error"));
		json_object_object_add(e, "type",
			json_object_new_string(anthropic_type(f->status)));
		json_object_object_add(e, "message",
				       json_object_new_string(f->message));
		json_object_object_add(e, "error_type",
				       json_object_new_string(f->error_type));
		json_object_object_add(o, "error", e);
		json_object_object_add(o, "request_id", NULL);
	} else {
		mock_rand_id(r->m, id, sizeof(id), "resp_", 24);
		json_object_object_add(o, "id", json_object_new_string(id));
		json_object_object_add(o, "status",
				       json_object_new_string("failed"));
		json_object_object_add(e, "code",
				       json_object_new_string("server_error"));
		json_object_object_add(e, "message",
				       json_object_new_string(f->message));
		json_object_object_add(o, "error", e);
		json_object_object_add(o, "error_type",
				       json_object_new_string(f->error_type));
	}
	res = mock_send_json(r, f->status, mock_jdump(o));
	json_object_put(o);
	return res;
}
