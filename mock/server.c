/* mock/server: libmicrohttpd and dispatch, the top of the mock: it calls
 * the routes, which answer through reply.c and never call back here.
 *
 * One thread per connection (MHD_USE_THREAD_PER_CONNECTION), so the
 * simulated latency of one request never delays another.
 */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cloudflare's answer to plain http:// (the status, 301 or 308, is
 * UNCONFIRMED: openrouter-api.md §1; we send 301). */
static const char html_301[] =
	"<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n"
	"<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n"
	"<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";

/* §4, 413. */
static const char body_413[] =
	"{\"error\":{\"code\":413,\"message\":\"Request payload too large\"}}";

/* ------------------------------------------------------------------ */
/* Dispatch                                                           */

static const struct route {
	const char *path, *method;
	enum MHD_Result (*fn)(mock_req *r);
} routes[] = {
	{"/api/v1/key", "GET", mock_route_key},
	{"/api/v1/auth/key", "GET", mock_route_key},
	{"/api/v1/credits", "GET", mock_route_credits},
	{"/api/v1/models", "GET", mock_route_models},
	{"/api/v1/generation", "GET", mock_route_generation},
	{"/api/v1/chat/completions", "POST", mock_route_chat},
	{"/api/v1/messages", "POST", mock_route_messages},
	{"/api/v1/responses", "POST", mock_route_responses},
};

/* The model and stream flag of a JSON body, for the log and the routes. */
static void read_body(mock_req *r)
{
	json_tokener *tok;
	json_object *o, *v;

	if (!r->body.len)
		return;
	tok = json_tokener_new();
	if (!tok)
		return;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, r->body.data, (int)r->body.len);
	if (o && json_tokener_get_error(tok) == json_tokener_success &&
	    json_object_is_type(o, json_type_object)) {
		size_t end = json_tokener_get_parse_end(tok);

		while (end < r->body.len && isspace((unsigned char)r->body.data[end]))
			end++;
		if (end == r->body.len) {
			r->json = o;
			o = NULL;
		}
	}
	json_object_put(o);
	json_tokener_free(tok);
	if (!r->json)
		return;
	if (json_object_object_get_ex(r->json, "model", &v) &&
	    json_object_is_type(v, json_type_string))
		r->model = ord_gate_dup(json_object_get_string(v),
					(size_t)json_object_get_string_len(v));
	if (json_object_object_get_ex(r->json, "stream", &v) &&
	    json_object_is_type(v, json_type_boolean))
		r->stream = json_object_get_boolean(v);
}

static int host_ok(const char *h)
{
	size_t i, n = strlen(h);

	if (!n || n > 100)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && !strchr(".-:[]", h[i]))
			return 0;
	return 1;
}

static enum MHD_Result redirect(mock_req *r)
{
	const char *host = sym_MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						       "Host");
	char hp[128];

	if (host && host_ok(host))
		snprintf(hp, sizeof(hp), "%s", host);
	else
		snprintf(hp, sizeof(hp), "%s", r->m->url + strlen("http://"));
	/* The request line's target is already printable (MHD refuses
	 * control characters); only its length is bounded here. */
	mock_header(r, "Location", "https://%s%.*s", hp,
		    (int)(sizeof(r->hdr[0].value) - strlen(hp) - 9), r->uri);
	return mock_send(r, 301, "text/html", html_301, sizeof(html_301) - 1);
}

static enum MHD_Result dispatch(mock_req *r)
{
	const struct route *rt = NULL;
	const char *method = r->method;
	size_t i;
	int known = 0;

	mock_read_credential(r);
	read_body(r);
	if (r->m->cfg.redirect_http)
		return redirect(r);
	if (r->too_large)
		return mock_send_json(r, 413, body_413);
	if (!strcmp(method, "HEAD"))
		method = "GET";
	for (i = 0; i < sizeof(routes) / sizeof(*routes); i++) {
		if (strlen(routes[i].path) != r->path_len ||
		    memcmp(routes[i].path, r->uri, r->path_len))
			continue;
		known = 1;
		if (!strcmp(routes[i].method, method))
			rt = &routes[i];
	}
	if (rt)
		return rt->fn(r);
	if (!known)
		return mock_send_html_404(r);
	if (!strcmp(method, "OPTIONS")) {
		/* CORS preflight, so browser apps can test against the mock. */
		mock_header(r, "Access-Control-Allow-Methods",
			    "GET, POST, OPTIONS");
		mock_header(r, "Access-Control-Allow-Headers",
			    "Authorization, Content-Type, x-api-key, HTTP-Referer, "
			    "X-Title, X-OpenRouter-Title, anthropic-version");
		return mock_send(r, 204, NULL, "", 0);
	}
	/* A known path with another method: UNCONFIRMED (openrouter-api.md §1
	 * says "probably 404 or 405"); a Next.js route handler answers 405
	 * with an empty body. */
	for (i = 0; i < sizeof(routes) / sizeof(*routes); i++)
		if (strlen(routes[i].path) == r->path_len &&
		    !memcmp(routes[i].path, r->uri, r->path_len))
			mock_header(r, "Allow", "%s", routes[i].method);
	return mock_send(r, 405, NULL, "", 0);
}

static mock_req *req_new(ord_mock *m, const char *uri)
{
	mock_req *r = calloc(1, sizeof(*r));
	const char *q;

	if (!r)
		return NULL;
	r->m = m;
	r->uri = strdup(uri ? uri : "/");
	if (!r->uri) {
		free(r);
		return NULL;
	}
	q = strchr(r->uri, '?');
	r->path_len = q ? (size_t)(q - r->uri) : strlen(r->uri);
	ord_buf_init(&r->body, MOCK_BODY_MAX);
	return r;
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)c;
	return req_new(cls, uri);
}

static void completed(void *cls, struct MHD_Connection *c, void **req_cls,
		      enum MHD_RequestTerminationCode toe)
{
	mock_req *r = *req_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (!r)
		return;
	ord_buf_release(&r->body);
	json_object_put(r->json);
	free(r->model);
	free(r->uri);
	free(r);
	*req_cls = NULL;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload,
			       size_t *upload_size, void **req_cls)
{
	mock_req *r = *req_cls;

	(void)version;
	if (!r) {
		r = req_new(cls, url);
		if (!r)
			return MHD_NO;
		*req_cls = r;
	}
	if (!r->started) {
		const char *cl = sym_MHD_lookup_connection_value(
			c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

		r->started = 1;
		r->conn = c;
		snprintf(r->method, sizeof(r->method), "%s", method);
		if (cl && strtoull(cl, NULL, 10) > MOCK_BODY_MAX)
			r->too_large = 1;
		/* Far too large to read and discard: answer now (MHD closes
		 * the connection after the answer). */
		if (cl && strtoull(cl, NULL, 10) > 64ull * MOCK_BODY_MAX &&
		    !r->m->cfg.redirect_http) {
			mock_read_credential(r);
			return mock_send_json(r, 413, body_413);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large &&
		    ord_buf_add(&r->body, upload, *upload_size)) {
			r->too_large = 1;
			ord_buf_release(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return dispatch(r);
}

/* One thread per connection: a request's latency never delays another. */
struct MHD_Daemon *mock_daemon_start(ord_mock *m, int fd)
{
	return sym_MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_POLL,
		0, NULL, NULL, handler, m,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_URI_LOG_CALLBACK, uri_log, m,
		MHD_OPTION_NOTIFY_COMPLETED, completed, m,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
		MHD_OPTION_END);
}
