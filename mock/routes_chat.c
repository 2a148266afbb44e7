/* mock/routes_chat: POST /api/v1/chat/completions, JSON and SSE (§3.4). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* §3.4: the error of a provider that drops after generation started. */
static const char midstream_error[] =
	"\"error\":{\"code\":502,\"message\":\"Provider disconnected mid-stream\","
	"\"metadata\":{\"error_type\":\"provider_unavailable\"}}";

static const char processing[] = ": OPENROUTER PROCESSING\n\n";

static void usage_json(ord_buf *b, const mock_call *c)
{
	char n[40];

	ord_buf_addf(b,
		     "\"usage\":{\"prompt_tokens\":%u,\"completion_tokens\":%u,"
		     "\"total_tokens\":%u,\"prompt_tokens_details\":{\"cached_tokens\":0},"
		     "\"completion_tokens_details\":{\"reasoning_tokens\":0},\"cost\":%s}",
		     c->prompt_tokens, c->completion_tokens,
		     c->prompt_tokens + c->completion_tokens, mock_num(n, c->cost));
}

/* {"id":…,"object":OBJ,"created":…,"model":…,"provider":…, */
static void head(ord_buf *b, const mock_call *c, const char *object)
{
	ord_buf_addf(b, "{\"id\":\"%s\",\"object\":\"%s\",\"created\":%lld,\"model\":",
		     c->gen_id, object, (long long)c->created);
	mock_json_str(b, c->routed);
	ord_buf_adds(b, ",\"provider\":");
	mock_json_str(b, c->provider);
	ord_buf_addc(b, ',');
}

static enum MHD_Result send_json(mock_req *r, const mock_call *c)
{
	ord_buf b = ORD_BUF_INIT(65536);
	enum MHD_Result res;

	head(&b, c, "chat.completion");
	ord_buf_adds(&b, "\"system_fingerprint\":null,\"choices\":[{\"index\":0,");
	if (c->midstream_error) {
		/* §3.4: status 200, the error embedded in the choice. */
		ord_buf_adds(&b, "\"message\":{\"role\":\"assistant\",\"content\":");
		mock_json_str(&b, c->text);
		ord_buf_addf(&b, "},\"finish_reason\":\"error\",%s}],",
			     midstream_error);
	} else {
		ord_buf_addf(&b,
			     "\"finish_reason\":\"%s\",\"native_finish_reason\":\"%s\","
			     "\"message\":{\"role\":\"assistant\",\"content\":",
			     c->finish, c->finish);
		mock_json_str(&b, c->text);
		ord_buf_adds(&b, "}}],");
	}
	usage_json(&b, c);
	ord_buf_addc(&b, '}');
	res = mock_send_json(r, 200, ord_buf_str(&b));
	ord_buf_release(&b);
	return res;
}

static void event(mock_stream *s, ord_buf *b)
{
	ord_buf_adds(b, "\n\n");
	mock_stream_add(s, ord_buf_str(b), b->len);
	ord_buf_reset(b);
}

static enum MHD_Result send_sse(mock_req *r, const mock_call *c)
{
	mock_stream *s = mock_stream_new();
	ord_buf b = ORD_BUF_INIT(65536);
	char pieces[16][32];
	size_t n = mock_call_pieces(c, pieces, 16), i;

	if (!s)
		return MHD_NO;
	mock_stream_add(s, processing, sizeof(processing) - 1);
	for (i = 0; i < n; i++) {
		ord_buf_adds(&b, "data: ");
		head(&b, c, "chat.completion.chunk");
		ord_buf_adds(&b, "\"choices\":[{\"index\":0,\"delta\":{\"role\":"
				 "\"assistant\",\"content\":");
		mock_json_str(&b, pieces[i]);
		ord_buf_adds(&b, "},\"finish_reason\":null,"
				 "\"native_finish_reason\":null}]}");
		event(s, &b);
		if (i == 0)
			mock_stream_add(s, processing, sizeof(processing) - 1);
	}
	if (c->midstream_error) {
		/* §3.4 mid-stream error: a normal data: event, then the stream
		 * ends (no usage chunk, no [DONE]). */
		ord_buf_adds(&b, "data: ");
		head(&b, c, "chat.completion.chunk");
		ord_buf_addf(&b, "%s,\"choices\":[{\"index\":0,\"delta\":"
				 "{\"content\":\"\"},\"finish_reason\":\"error\"}]}",
			     midstream_error);
		event(s, &b);
	} else {
		ord_buf_adds(&b, "data: ");
		head(&b, c, "chat.completion.chunk");
		ord_buf_addf(&b, "\"choices\":[{\"index\":0,\"delta\":{\"role\":"
				 "\"assistant\",\"content\":\"\"},\"finish_reason\":"
				 "\"%s\",\"native_finish_reason\":\"%s\"}]}",
			     c->finish, c->finish);
		event(s, &b);
		/* usage exactly once, in the last chunk, with empty choices. */
		ord_buf_adds(&b, "data: ");
		head(&b, c, "chat.completion.chunk");
		ord_buf_adds(&b, "\"choices\":[],");
		usage_json(&b, c);
		ord_buf_addc(&b, '}');
		event(s, &b);
		mock_stream_add(s, "data: [DONE]\n\n", 14);
	}
	ord_buf_release(&b);
	return mock_send_stream(r, 200, "text/event-stream", s);
}

enum MHD_Result mock_route_chat(mock_req *r)
{
	enum MHD_Result res;
	mock_call c;
	mock_fail f;

	if (mock_auth(r, MOCK_SKIN_OPENROUTER, &res) ||
	    mock_parse_body(r, MOCK_SKIN_OPENROUTER, &res))
		return res;
	if (mock_call_prepare(r, MOCK_SKIN_OPENROUTER, &c, &f)) {
		res = mock_send_fail(r, MOCK_SKIN_OPENROUTER, &f);
		mock_fail_release(&f);
		return res;
	}
	mock_fail_release(&f);
	mock_call_record(r, &c, "completions");
	mock_header(r, "X-Generation-Id", "%s", c.gen_id);
	return c.stream ? send_sse(r, &c) : send_json(r, &c);
}
