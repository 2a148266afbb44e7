/* mock/routes_skins: POST /api/v1/messages (Anthropic Messages) and
 * POST /api/v1/responses (OpenAI Responses).
 *
 * The success bodies are minimal but complete enough for Claude Code and
 * Codex CLI to read a reply, streamed or not; the shapes follow the
 * vendors' public API formats, not an OpenRouter capture. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

static json_object *jint(long long v)
{
	return json_object_new_int64(v);
}

/* An SSE event "event: NAME\ndata: JSON\n\n"; takes o. */
static void sse(mock_stream *s, const char *name, json_object *o)
{
	mock_stream_addf(s, "event: %s\ndata: %s\n\n", name, mock_jdump(o));
	json_object_put(o);
}

static enum MHD_Result midstream_fail(mock_req *r, mock_skin skin)
{
	mock_fail f;
	enum MHD_Result res;

	memset(&f, 0, sizeof(f));
	ord_buf_init(&f.body, 1024);
	f.status = 502;
	f.error_type = "provider_unavailable";
	snprintf(f.message, sizeof(f.message), "Provider disconnected mid-stream");
	res = mock_send_fail(r, skin, &f);
	mock_fail_release(&f);
	return res;
}

/* ---- Anthropic Messages ---------------------------------------------- */

static const char *stop_reason(const mock_call *c)
{
	return !strcmp(c->finish, "length") ? "max_tokens" : "end_turn";
}

static json_object *message_obj(const mock_call *c, int started)
{
	json_object *o = json_object_new_object(), *content, *u, *t;

	json_object_object_add(o, "id", jstr(c->gen_id));
	json_object_object_add(o, "type", jstr("message"));
	json_object_object_add(o, "role", jstr("assistant"));
	json_object_object_add(o, "model", jstr(c->routed));
	content = json_object_new_array();
	if (!started) {
		t = json_object_new_object();
		json_object_object_add(t, "type", jstr("text"));
		json_object_object_add(t, "text", jstr(c->text));
		json_object_array_add(content, t);
	}
	json_object_object_add(o, "content", content);
	json_object_object_add(o, "stop_reason",
			       started ? NULL : jstr(stop_reason(c)));
	json_object_object_add(o, "stop_sequence", NULL);
	u = json_object_new_object();
	json_object_object_add(u, "input_tokens", jint(c->prompt_tokens));
	json_object_object_add(u, "output_tokens",
			       jint(started ? 0 : c->completion_tokens));
	json_object_object_add(o, "usage", u);
	return o;
}

static enum MHD_Result messages_stream(mock_req *r, const mock_call *c)
{
	mock_stream *s = mock_stream_new();
	json_object *o, *x;
	char pieces[16][32];
	size_t n = mock_call_pieces(c, pieces, 16), i;

	if (!s)
		return MHD_NO;
	o = json_object_new_object();
	json_object_object_add(o, "type", jstr("message_start"));
	json_object_object_add(o, "message", message_obj(c, 1));
	sse(s, "message_start", o);
	o = json_object_new_object();
	json_object_object_add(o, "type", jstr("content_block_start"));
	json_object_object_add(o, "index", jint(0));
	x = json_object_new_object();
	json_object_object_add(x, "type", jstr("text"));
	json_object_object_add(x, "text", jstr(""));
	json_object_object_add(o, "content_block", x);
	sse(s, "content_block_start", o);
	o = json_object_new_object();
	json_object_object_add(o, "type", jstr("ping"));
	sse(s, "ping", o);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "type", jstr("content_block_delta"));
		json_object_object_add(o, "index", jint(0));
		x = json_object_new_object();
		json_object_object_add(x, "type", jstr("text_delta"));
		json_object_object_add(x, "text", jstr(pieces[i]));
		json_object_object_add(o, "delta", x);
		sse(s, "content_block_delta", o);
	}
	if (c->midstream_error) {
		o = json_object_new_object();
		json_object_object_add(o, "type", jstr("error"));
		x = json_object_new_object();
		json_object_object_add(x, "type", jstr("api_error"));
		json_object_object_add(x, "message",
				       jstr("Provider disconnected mid-stream"));
		json_object_object_add(o, "error", x);
		sse(s, "error", o);
		return mock_send_stream(r, 200, "text/event-stream", s);
	}
	o = json_object_new_object();
	json_object_object_add(o, "type", jstr("content_block_stop"));
	json_object_object_add(o, "index", jint(0));
	sse(s, "content_block_stop", o);
	o = json_object_new_object();
	json_object_object_add(o, "type", jstr("message_delta"));
	x = json_object_new_object();
	json_object_object_add(x, "stop_reason", jstr(stop_reason(c)));
	json_object_object_add(x, "stop_sequence", NULL);
	json_object_object_add(o, "delta", x);
	x = json_object_new_object();
	json_object_object_add(x, "output_tokens", jint(c->completion_tokens));
	json_object_object_add(o, "usage", x);
	sse(s, "message_delta", o);
	o = json_object_new_object();
	json_object_object_add(o, "type", jstr("message_stop"));
	sse(s, "message_stop", o);
	return mock_send_stream(r, 200, "text/event-stream", s);
}

enum MHD_Result mock_route_messages(mock_req *r)
{
	enum MHD_Result res;
	json_object *o;
	mock_call c;
	mock_fail f;

	if (mock_auth(r, MOCK_SKIN_ANTHROPIC, &res) ||
	    mock_parse_body(r, MOCK_SKIN_ANTHROPIC, &res))
		return res;
	if (mock_call_prepare(r, MOCK_SKIN_ANTHROPIC, &c, &f)) {
		res = mock_send_fail(r, MOCK_SKIN_ANTHROPIC, &f);
		mock_fail_release(&f);
		return res;
	}
	mock_fail_release(&f);
	mock_call_record(r, &c, "messages");
	mock_header(r, "X-Generation-Id", "%s", c.gen_id);
	if (c.stream)
		return messages_stream(r, &c);
	if (c.midstream_error)
		return midstream_fail(r, MOCK_SKIN_ANTHROPIC);
	o = message_obj(&c, 0);
	res = mock_send_json(r, 200, mock_jdump(o));
	json_object_put(o);
	return res;
}

/* ---- OpenAI Responses -------------------------------------------------- */

typedef struct resp_ids {
	char resp[40], msg[40];
} resp_ids;

static json_object *usage_obj(const mock_call *c)
{
	json_object *u = json_object_new_object(), *d;

	json_object_object_add(u, "input_tokens", jint(c->prompt_tokens));
	d = json_object_new_object();
	json_object_object_add(d, "cached_tokens", jint(0));
	json_object_object_add(u, "input_tokens_details", d);
	json_object_object_add(u, "output_tokens", jint(c->completion_tokens));
	d = json_object_new_object();
	json_object_object_add(d, "reasoning_tokens", jint(0));
	json_object_object_add(u, "output_tokens_details", d);
	json_object_object_add(u, "total_tokens",
			       jint(c->prompt_tokens + c->completion_tokens));
	return u;
}

static json_object *output_text(const char *text)
{
	json_object *t = json_object_new_object();

	json_object_object_add(t, "type", jstr("output_text"));
	json_object_object_add(t, "text", jstr(text));
	json_object_object_add(t, "annotations", json_object_new_array());
	return t;
}

static json_object *message_item(const resp_ids *ids, const char *text,
				 const char *status)
{
	json_object *m = json_object_new_object(), *content;

	json_object_object_add(m, "type", jstr("message"));
	json_object_object_add(m, "id", jstr(ids->msg));
	json_object_object_add(m, "status", jstr(status));
	json_object_object_add(m, "role", jstr("assistant"));
	content = json_object_new_array();
	if (text)
		json_object_array_add(content, output_text(text));
	json_object_object_add(m, "content", content);
	return m;
}

/* status: in_progress, completed, incomplete or failed. */
static json_object *response_obj(const mock_call *c, const resp_ids *ids,
				 const char *status)
{
	json_object *o = json_object_new_object(), *out, *x;
	int done = strcmp(status, "in_progress") != 0;

	json_object_object_add(o, "id", jstr(ids->resp));
	json_object_object_add(o, "object", jstr("response"));
	json_object_object_add(o, "created_at", jint((long long)c->created));
	json_object_object_add(o, "status", jstr(status));
	json_object_object_add(o, "model", jstr(c->routed));
	out = json_object_new_array();
	if (done && strcmp(status, "failed"))
		json_object_array_add(out, message_item(ids, c->text, "completed"));
	json_object_object_add(o, "output", out);
	if (!strcmp(status, "incomplete")) {
		x = json_object_new_object();
		json_object_object_add(x, "reason", jstr("max_output_tokens"));
		json_object_object_add(o, "incomplete_details", x);
	}
	if (!strcmp(status, "failed")) {
		x = json_object_new_object();
		json_object_object_add(x, "code", jstr("server_error"));
		json_object_object_add(x, "message",
				       jstr("Provider disconnected mid-stream"));
		json_object_object_add(o, "error", x);
	}
	json_object_object_add(o, "usage", done ? usage_obj(c) : NULL);
	return o;
}

static void resp_event(mock_stream *s, const char *type, long long *seq,
		       json_object *o)
{
	json_object *e = json_object_new_object(), *v;

	json_object_object_add(e, "type", jstr(type));
	json_object_object_add(e, "sequence_number", jint((*seq)++));
	json_object_object_foreach(o, k, val) {
		v = json_object_get(val);
		json_object_object_add(e, k, v);
	}
	json_object_put(o);
	sse(s, type, e);
}

static json_object *obj2(const char *k1, json_object *v1, const char *k2,
			 json_object *v2)
{
	json_object *o = json_object_new_object();

	if (k1)
		json_object_object_add(o, k1, v1);
	if (k2)
		json_object_object_add(o, k2, v2);
	return o;
}

static enum MHD_Result responses_stream(mock_req *r, const mock_call *c,
					const resp_ids *ids, const char *final)
{
	mock_stream *s = mock_stream_new();
	char pieces[16][32];
	size_t n = mock_call_pieces(c, pieces, 16), i;
	long long seq = 0;
	json_object *o;

	if (!s)
		return MHD_NO;
	resp_event(s, "response.created", &seq,
		   obj2("response", response_obj(c, ids, "in_progress"), NULL, NULL));
	resp_event(s, "response.in_progress", &seq,
		   obj2("response", response_obj(c, ids, "in_progress"), NULL, NULL));
	resp_event(s, "response.output_item.added", &seq,
		   obj2("output_index", jint(0), "item",
			message_item(ids, NULL, "in_progress")));
	o = obj2("item_id", jstr(ids->msg), "output_index", jint(0));
	json_object_object_add(o, "content_index", jint(0));
	json_object_object_add(o, "part", output_text(""));
	resp_event(s, "response.content_part.added", &seq, o);
	for (i = 0; i < n; i++) {
		o = obj2("item_id", jstr(ids->msg), "output_index", jint(0));
		json_object_object_add(o, "content_index", jint(0));
		json_object_object_add(o, "delta", jstr(pieces[i]));
		resp_event(s, "response.output_text.delta", &seq, o);
	}
	if (!strcmp(final, "failed")) {
		resp_event(s, "response.failed", &seq,
			   obj2("response", response_obj(c, ids, "failed"), NULL, NULL));
		return mock_send_stream(r, 200, "text/event-stream", s);
	}
	o = obj2("item_id", jstr(ids->msg), "output_index", jint(0));
	json_object_object_add(o, "content_index", jint(0));
	json_object_object_add(o, "text", jstr(c->text));
	resp_event(s, "response.output_text.done", &seq, o);
	o = obj2("item_id", jstr(ids->msg), "output_index", jint(0));
	json_object_object_add(o, "content_index", jint(0));
	json_object_object_add(o, "part", output_text(c->text));
	resp_event(s, "response.content_part.done", &seq, o);
	resp_event(s, "response.output_item.done", &seq,
		   obj2("output_index", jint(0), "item",
			message_item(ids, c->text, "completed")));
	resp_event(s, !strcmp(final, "incomplete") ? "response.incomplete" :
						     "response.completed",
		   &seq, obj2("response", response_obj(c, ids, final), NULL, NULL));
	return mock_send_stream(r, 200, "text/event-stream", s);
}

enum MHD_Result mock_route_responses(mock_req *r)
{
	enum MHD_Result res;
	const char *final;
	json_object *o;
	resp_ids ids;
	mock_call c;
	mock_fail f;

	if (mock_auth(r, MOCK_SKIN_RESPONSES, &res) ||
	    mock_parse_body(r, MOCK_SKIN_RESPONSES, &res))
		return res;
	if (mock_call_prepare(r, MOCK_SKIN_RESPONSES, &c, &f)) {
		res = mock_send_fail(r, MOCK_SKIN_RESPONSES, &f);
		mock_fail_release(&f);
		return res;
	}
	mock_fail_release(&f);
	mock_call_record(r, &c, "responses");
	mock_header(r, "X-Generation-Id", "%s", c.gen_id);
	mock_rand_id(r->m, ids.resp, sizeof(ids.resp), "resp_", 24);
	mock_rand_id(r->m, ids.msg, sizeof(ids.msg), "msg_", 24);
	final = c.midstream_error ? "failed" :
		!strcmp(c.finish, "length") ? "incomplete" : "completed";
	if (c.stream)
		return responses_stream(r, &c, &ids, final);
	if (c.midstream_error)
		return midstream_fail(r, MOCK_SKIN_RESPONSES);
	o = response_obj(&c, &ids, final);
	res = mock_send_json(r, 200, mock_jdump(o));
	json_object_put(o);
	return res;
}
