/* mock/reply: answering a request (headers, bodies, streams, the
 * simulated latency) and the request log line every answer writes.  The
 * routes, auth and failures answer through it, and it calls none of them.
 */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/key.h"

/* What the Next.js web site answers for a path that is not an API route
 * (openrouter-api.md §1: "an HTML 404 page, not JSON"). */
static const char html_404[] =
	"<!DOCTYPE html><html lang=\"en\"><head><meta charSet=\"utf-8\"/>"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
	"<title>404: This page could not be found. | OpenRouter</title></head>"
	"<body><div style=\"font-family:system-ui,sans-serif;height:100vh;"
	"text-align:center;display:flex;flex-direction:column;"
	"align-items:center;justify-content:center\"><div>"
	"<h1 class=\"next-error-h1\" style=\"display:inline-block;margin:0 20px 0 0;"
	"padding:0 23px 0 0;font-size:24px;font-weight:500;vertical-align:top;"
	"line-height:49px\">404</h1><div style=\"display:inline-block\">"
	"<h2 style=\"font-size:14px;font-weight:400;line-height:49px;margin:0\">"
	"This page could not be found.</h2></div></div></div>"
	"<!-- ordoctor mock: not an API route --></body></html>\n";

void mock_header(mock_req *r, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (r->nhdr >= MOCK_HDR_MAX)
		return;
	r->hdr[r->nhdr].name = name;
	va_start(ap, fmt);
	vsnprintf(r->hdr[r->nhdr].value, sizeof(r->hdr[0].value), fmt, ap);
	va_end(ap);
	r->nhdr++;
}

static void sleep_latency(ord_mock *m)
{
	unsigned left = m->cfg.latency_ms;

	while (left && !atomic_load(&m->stopping)) {
		unsigned step = left < 20 ? left : 20;
		struct timespec ts = {0, (long)step * 1000000L};

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		left -= step;
	}
}

static const char *cred_name(mock_cred c)
{
	static const char *const n[] = {"none", "bearer", "x-api-key",
					"both", "basic", "empty"};
	return (unsigned)c < sizeof(n) / sizeof(*n) ? n[c] : "none";
}

/* One JSON line per request; keys redacted, bodies never written. */
static void log_request(mock_req *r, unsigned status)
{
	ord_mock *m = r->m;
	json_object *o;
	char when[40], red[ORD_REDACT_MAX], fp[ORD_FP_LEN + 1];
	char *path;
	ord_key k;
	int have_key = 0;

	if (!m->log)
		return;
	if (r->token && ord_key_init(&k, r->token, r->token_len) == 0) {
		ord_key_redact(&k, red);
		ord_key_fingerprint(&k, fp);
		ord_key_release(&k);
		have_key = 1;
	}
	mock_iso_now(m, when);
	path = ord_gate_dup(r->uri ? r->uri : "", r->uri ? strlen(r->uri) : 0);
	o = json_object_new_object();
	json_object_object_add(o, "time", json_object_new_string(when));
	json_object_object_add(o, "method", json_object_new_string(r->method));
	json_object_object_add(o, "path",
			       json_object_new_string(path ? path : ""));
	json_object_object_add(o, "credential",
			       json_object_new_string(cred_name(r->cred)));
	json_object_object_add(o, "redacted",
			       have_key ? json_object_new_string(red) : NULL);
	json_object_object_add(o, "fingerprint",
			       have_key ? json_object_new_string(fp) : NULL);
	json_object_object_add(o, "model",
			       r->model ? json_object_new_string(r->model) :
					  NULL);
	json_object_object_add(o, "stream", json_object_new_boolean(r->stream));
	json_object_object_add(o, "status", json_object_new_int((int)status));
	pthread_mutex_lock(&m->log_lock);
	fputs(mock_jdump(o), ord_gate_file(m->log));
	fputc('\n', ord_gate_file(m->log));
	fflush(ord_gate_file(m->log));
	pthread_mutex_unlock(&m->log_lock);
	json_object_put(o);
	free(path);
}

static enum MHD_Result queue(mock_req *r, unsigned status,
			     struct MHD_Response *resp, const char *ctype)
{
	enum MHD_Result ret;
	size_t i;

	if (!resp)
		return MHD_NO;
	if (ctype)
		sym_MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					ctype);
	sym_MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
	for (i = 0; i < r->nhdr; i++)
		sym_MHD_add_response_header(resp, r->hdr[i].name, r->hdr[i].value);
	/* Logged before the answer leaves, so a client that reads the log
	 * right after its response finds the line. */
	log_request(r, status);
	ret = sym_MHD_queue_response(r->conn, status, resp);
	sym_MHD_destroy_response(resp);
	return ret;
}

enum MHD_Result mock_send(mock_req *r, unsigned status, const char *ctype,
			  const char *body, size_t len)
{
	sleep_latency(r->m);
	return queue(r, status,
		     sym_MHD_create_response_from_buffer(len, (void *)body,
						     MHD_RESPMEM_MUST_COPY),
		     ctype);
}

enum MHD_Result mock_send_json(mock_req *r, unsigned status,
			       const char *body)
{
	return mock_send(r, status, "application/json", body, strlen(body));
}

enum MHD_Result mock_send_error(mock_req *r, unsigned status,
				const char *body)
{
	ord_buf b = ORD_BUF_INIT(MOCK_BODY_MAX * 2);
	size_t n = strlen(body);
	enum MHD_Result res;

	if (!r->key || n < 2 || body[n - 1] != '}')
		return mock_send_json(r, status, body);
	/* The error object stays byte for byte; user_id follows it. */
	ord_buf_add(&b, body, n - 1);
	ord_buf_addf(&b, ",\"user_id\":\"%s\"}", r->key->user_id);
	res = mock_send(r, status, "application/json", ord_buf_str(&b), b.len);
	ord_buf_release(&b);
	return res;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	mock_stream *s = cls;
	size_t n;

	(void)pos;
	if (s->cur >= s->n)
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = s->len[s->cur] - s->off;
	if (n > max)
		n = max;
	memcpy(buf, s->chunk[s->cur] + s->off, n);
	s->off += n;
	if (s->off >= s->len[s->cur]) {
		s->cur++;
		s->off = 0;
	}
	return (ssize_t)n;
}

static void stream_done(void *cls)
{
	mock_stream_free(cls);
}

enum MHD_Result mock_send_stream(mock_req *r, unsigned status,
				 const char *ctype, mock_stream *s)
{
	struct MHD_Response *resp;

	if (!s || s->failed) {
		mock_stream_free(s);
		return mock_send_json(r, 500,
			"{\"error\":{\"code\":500,\"message\":\"Internal Server Error\"}}");
	}
	sleep_latency(r->m);
	resp = sym_MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384,
						 stream_read, s, stream_done);
	if (!resp) {
		mock_stream_free(s);
		return MHD_NO;
	}
	sym_MHD_add_response_header(resp, "Cache-Control", "no-cache");
	return queue(r, status, resp, ctype);
}

enum MHD_Result mock_send_html_404(mock_req *r)
{
	return mock_send(r, 404, "text/html; charset=utf-8", html_404,
			 sizeof(html_404) - 1);
}
