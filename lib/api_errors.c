/* api_errors: the error-envelope decoder (pure: bytes in, struct out).
 *
 * Shapes (openrouter-api.md §2 and §4):
 *   OpenRouter   {"error":{"code":401,"message":"…","metadata":{…}},"user_id":"user_…"}
 *                metadata: provider_name, raw (the upstream body as a
 *                string), error_type, reasons/flagged_input (moderation),
 *                headers (X-RateLimit-* on free-model 429s)
 *   availability {"error":{"message":"…","error_type":"…","http_status":400,
 *                "availability":{"code":"model_not_found",…}}}
 *   Anthropic    {"type":"error","error":{"type":"authentication_error",
 *                "message":"…","error_type":"authentication"},"request_id":null}
 *   Responses    {"id":"resp_…","status":"failed","error":{"code":"server_error",
 *                "message":"…"},"error_type":"authentication"}
 *   mid-stream   a chunk with "error" and finish_reason "error", or a 200
 *                completion whose choice carries "error" (§3.4)
 *   OpenAI       {"error":{"message":"Incorrect API key provided: sk-or-v1…",
 *                "type":"invalid_request_error","code":"invalid_api_key"}}
 * An envelope inside error.message or metadata.raw (a JSON string holding
 * another body) is decoded too, up to MAX_DEPTH levels.
 */
#include "api.h"

#include <ctype.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gate.h"

#define MAX_DEPTH 4

const char *ord_body_kind_id(ord_body_kind k)
{
	static const char *const ids[] = {"empty", "html", "garbage", "json",
					  "error", "anthropic", "responses"};

	return (unsigned)k < sizeof(ids) / sizeof(*ids) ? ids[k] : "garbage";
}

static void put(char *dst, size_t cap, const char *s)
{
	ord_gate_copy(dst, cap, s ? s : "", s ? strlen(s) : 0);
}

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(o, k, &v))
		return NULL;
	return v;
}

/* A string member; NULL when absent, null or not a string. */
static const char *gets(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	return v && json_object_is_type(v, json_type_string) ?
		json_object_get_string(v) : NULL;
}

/* Any member as text (strings as they are, others serialised). */
static void put_any(char *dst, size_t cap, json_object *v)
{
	if (!v || json_object_is_type(v, json_type_null))
		dst[0] = '\0';
	else if (json_object_is_type(v, json_type_string))
		put(dst, cap, json_object_get_string(v));
	else
		put(dst, cap, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void decode_text(long status, const char *body, size_t len,
			ord_api_error *out, int depth);

static int starts_ci(const char *p, size_t n, const char *w)
{
	size_t wl = strlen(w);

	return n >= wl && !strncasecmp(p, w, wl);
}

/* error.message or metadata.raw holding a whole envelope: decode it. */
static int inner(const char *text, ord_api_error *tmp, int depth)
{
	size_t n = strlen(text);
	const char *p = text;

	while (n && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	if (depth >= MAX_DEPTH || !n || *p != '{')
		return 0;
	decode_text(0, p, n, tmp, depth + 1);
	return tmp->kind >= ORD_BODY_JSON;
}

static void decode_errobj(json_object *root, json_object *err,
			  ord_api_error *out, int depth)
{
	json_object *meta = get(err, "metadata"), *code = get(err, "code");
	json_object *raw = get(meta, "raw"), *av = get(err, "availability");
	const char *s;

	if (json_object_is_type(err, json_type_string)) {
		/* {"error":"Unauthorized"} */
		put(out->message, sizeof(out->message), json_object_get_string(err));
		return;
	}
	put_any(out->message, sizeof(out->message), get(err, "message"));
	if (code && (json_object_is_type(code, json_type_int) ||
		     json_object_is_type(code, json_type_double)))
		out->code = (long)json_object_get_int64(code);
	else if (code && json_object_is_type(code, json_type_string)) {
		char *end;
		long v;

		put(out->code_str, sizeof(out->code_str), json_object_get_string(code));
		v = strtol(out->code_str, &end, 10);
		if (out->code_str[0] && !*end && v > 0 && v < 1000)
			out->code = v;
	}
	if (!out->code) {
		json_object *hs = get(err, "http_status");
		if (hs && json_object_is_type(hs, json_type_int))
			out->code = (long)json_object_get_int64(hs);
	}
	put(out->type, sizeof(out->type), gets(err, "type"));
	if ((s = gets(meta, "error_type")) || (s = gets(err, "error_type")) ||
	    (s = gets(root, "error_type")))
		put(out->error_type, sizeof(out->error_type), s);
	put(out->provider, sizeof(out->provider), gets(meta, "provider_name"));
	put(out->availability, sizeof(out->availability), gets(av, "code"));
	if (get(meta, "reasons") || get(meta, "flagged_input"))
		out->moderation = 1;
	if (get(meta, "headers")) {
		json_object *h = get(meta, "headers");

		out->rate_headers = 1;
		put_any(out->rl_limit, sizeof(out->rl_limit), get(h, "X-RateLimit-Limit"));
		put_any(out->rl_remaining, sizeof(out->rl_remaining), get(h, "X-RateLimit-Remaining"));
		put_any(out->rl_reset, sizeof(out->rl_reset), get(h, "X-RateLimit-Reset"));
	}

	if (raw && !json_object_is_type(raw, json_type_null)) {
		ord_api_error *tmp = calloc(1, sizeof(*tmp));
		const char *rt = json_object_is_type(raw, json_type_string) ?
			json_object_get_string(raw) :
			json_object_to_json_string_ext(raw, JSON_C_TO_STRING_PLAIN);

		put(out->raw, sizeof(out->raw), rt);
		if (tmp && inner(rt, tmp, depth)) {
			out->raw_is_json = 1;
			/* The innermost upstream error wins. */
			if (tmp->raw_message[0]) {
				put(out->raw_type, sizeof(out->raw_type), tmp->raw_type);
				put(out->raw_message, sizeof(out->raw_message), tmp->raw_message);
			} else {
				put(out->raw_type, sizeof(out->raw_type),
				    tmp->type[0] ? tmp->type : tmp->error_type[0] ?
				    tmp->error_type : tmp->code_str);
				put(out->raw_message, sizeof(out->raw_message), tmp->message);
			}
			if (tmp->nested + 1 > out->nested)
				out->nested = tmp->nested + 1;
		}
		free(tmp);
	}

	/* A message that is itself an envelope (wrappers re-serialise). */
	if (out->message[0] == '{') {
		ord_api_error *tmp = calloc(1, sizeof(*tmp));

		if (tmp && inner(out->message, tmp, depth) && tmp->message[0]) {
			int n = tmp->nested + 1;
			long status = out->status;
			int uid = out->user_id_present || tmp->user_id_present;

			*out = *tmp;
			out->status = status;
			out->user_id_present = uid;
			out->nested = n;
		}
		free(tmp);
	}
}

static void decode_obj(json_object *root, ord_api_error *out, int depth)
{
	json_object *err = get(root, "error"), *choices = get(root, "choices");
	const char *type = gets(root, "type"), *st = gets(root, "status");
	const char *id = gets(root, "id"), *obj = gets(root, "object");
	size_t i, n;

	out->kind = ORD_BODY_JSON;
	if (!root || !json_object_is_type(root, json_type_object))
		return;
	if (get(root, "user_id") &&
	    !json_object_is_type(get(root, "user_id"), json_type_null))
		out->user_id_present = 1;
	/* Mid-stream: an error inside a choice, or finish_reason "error". */
	if (choices && json_object_is_type(choices, json_type_array)) {
		n = json_object_array_length(choices);
		for (i = 0; i < n && i < 16; i++) {
			json_object *c = json_object_array_get_idx(choices, i);
			const char *fr = gets(c, "finish_reason");

			if (fr && !strcmp(fr, "error"))
				out->midstream = 1;
			if (!err && get(c, "error") &&
			    json_object_is_type(get(c, "error"), json_type_object)) {
				err = get(c, "error");
				out->midstream = 1;
			}
		}
	}
	if (err && json_object_is_type(err, json_type_null))
		err = NULL;
	if (!err) {
		if (out->midstream) {
			out->kind = ORD_BODY_ERROR;
			put(out->message, sizeof(out->message), "finish_reason error");
		}
		return;
	}
	if (type && !strcmp(type, "error"))
		out->kind = ORD_BODY_ANTHROPIC;
	else if ((st && !strcmp(st, "failed")) || (id && !strncmp(id, "resp_", 5)) ||
		 (obj && !strcmp(obj, "response")))
		out->kind = ORD_BODY_RESPONSES;
	else
		out->kind = ORD_BODY_ERROR;
	if (obj && !strcmp(obj, "chat.completion.chunk"))
		out->midstream = 1;
	decode_errobj(root, err, out, depth);
}

/* An event stream: decode the first "data:" event that carries an error,
 * else the last event. */
static void decode_sse(const char *body, size_t len, ord_api_error *out,
		       int depth)
{
	const char *p = body, *end = body + len;
	ord_api_error *tmp = calloc(1, sizeof(*tmp));
	int found = 0;

	if (!tmp) {
		out->kind = ORD_BODY_GARBAGE;
		return;
	}
	out->kind = ORD_BODY_JSON;
	while (p < end && !found) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *d;

		if (le - p > 5 && !strncmp(p, "data:", 5)) {
			d = p + 5;
			while (d < le && *d == ' ')
				d++;
			if (le > d && *d == '{') {
				memset(tmp, 0, sizeof(*tmp));
				decode_text(out->status, d, (size_t)(le - d), tmp, depth + 1);
				if (tmp->kind >= ORD_BODY_ERROR || tmp->midstream)
					found = 1;
			}
		}
		p = le + 1;
	}
	if (found) {
		long status = out->status;

		*out = *tmp;
		out->status = status;
		out->midstream = 1;
	}
	out->sse = 1;
	free(tmp);
}

static void decode_text(long status, const char *body, size_t len,
			ord_api_error *out, int depth)
{
	json_tokener *tok;
	json_object *root;
	size_t i = 0, end;

	memset(out, 0, sizeof(*out));
	out->status = status;
	if (!body)
		len = 0;
	/* UTF-8 byte order mark, then whitespace. */
	if (len >= 3 && !memcmp(body, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && isspace((unsigned char)body[i]))
		i++;
	if (i == len) {
		out->kind = ORD_BODY_EMPTY;
		return;
	}
	body += i;
	len -= i;
	if (starts_ci(body, len, "<!doctype html") || starts_ci(body, len, "<html") ||
	    (*body == '<' && memmem(body, len < 2048 ? len : 2048, "<html", 5))) {
		out->kind = ORD_BODY_HTML;
		return;
	}
	if (depth < MAX_DEPTH && (starts_ci(body, len, "data:") || *body == ':')) {
		decode_sse(body, len, out, depth);
		return;
	}
	out->kind = ORD_BODY_GARBAGE;
	if ((*body != '{' && *body != '[') || len > INT_MAX ||
	    memchr(body, '\0', len))
		return;
	tok = json_tokener_new_ex(64);
	if (!tok)
		return;
	root = json_tokener_parse_ex(tok, body, (int)len);
	if (!root) {
		if (json_tokener_get_error(tok) == json_tokener_continue)
			out->json_truncated = 1;
		json_tokener_free(tok);
		return;
	}
	end = json_tokener_get_parse_end(tok);
	while (end < len && isspace((unsigned char)body[end]))
		end++;
	json_tokener_free(tok);
	if (end != len) {
		/* Two documents or trailing junk: not one answer. */
		json_object_put(root);
		return;
	}
	decode_obj(root, out, depth);
	json_object_put(root);
}

void ord_api_decode_error(long status, const char *body, size_t len,
			  ord_api_error *out)
{
	decode_text(status, body, len, out, 0);
}
