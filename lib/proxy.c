/* proxy: libmicrohttpd in front, libcurl to the upstream (lib/proxy.h).
 *
 * Threads: MHD runs one thread per client connection, and everything about
 * a request happens in that thread, so no queue is needed between the two
 * libraries.  Each client connection owns a curl multi handle with one easy
 * handle, reused from request to request, which keeps the upstream
 * connection alive as long as the client's.
 *
 * A request: the body is read (bounded), the credential analysed, the
 * upstream transfer started and driven until the final response headers
 * arrive; then the answer is queued with a content-reader callback that
 * drives the transfer further whenever its buffer is empty, so every chunk
 * reaches the client as soon as libcurl hands it over (SSE is not
 * buffered).  The write callback pauses the transfer when the client is
 * slower than the upstream (bounded memory).  While waiting for the
 * upstream the client socket is watched too: a client that hangs up aborts
 * the upstream transfer (that connection is closed).  When MHD reports the
 * request finished, the record is completed and handed to the callback.
 */
#include "listen.h"
#include "proxy_internal.h"

#include "dl_curl.h"
#include <errno.h>
#include <fcntl.h>
#include "dl_mhd.h"
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <netinet/in.h>
#include <linux/tcp.h>          /* tcpi_bytes_received: glibc's copy lacks it */
#endif

#include "api.h"
#include "gate.h"
#include "http.h"

void ord_proxy_config_init(ord_proxy_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->host = "127.0.0.1";
	cfg->idle_timeout = 300;
	cfg->connect_timeout = 10;
}

int ord_proxy_upstream_check(const char *url, char *why, size_t cap)
{
	const char *h, *e;
	char host[256];
	size_t n;
	int https;

	if (!strncasecmp(url, "https://", 8))
		https = 1, h = url + 8;
	else if (!strncasecmp(url, "http://", 7))
		https = 0, h = url + 7;
	else {
		snprintf(why, cap, "upstream '%s' is not an http:// or https:// URL", url);
		return EINVAL;
	}
	if (*h == '[') {
		e = strchr(h, ']');
		if (!e) {
			snprintf(why, cap, "upstream '%s' is not a URL", url);
			return EINVAL;
		}
		n = (size_t)(e - h - 1);
		h++;
		e++;
	} else {
		n = strcspn(h, ":/?#@");
		e = h + n;
	}
	if (!n || n >= sizeof(host) || strchr(h, '@') ||
	    (*e == ':' && !strchr("0123456789", e[1]))) {
		snprintf(why, cap, "upstream '%s' is not a usable URL (scheme://host[:port])", url);
		return EINVAL;
	}
	memcpy(host, h, n);
	host[n] = '\0';
	e += strspn(e, ":0123456789");
	if (*e && strcmp(e, "/")) {
		snprintf(why, cap, "upstream '%s' must be a server root such as https://openrouter.ai (no path): clients send /api/v1/… themselves", url);
		return EINVAL;
	}
	if (!https && !ord_url_is_loopback_host(host)) {
		snprintf(why, cap, "refusing plain http:// upstream '%s': keys would travel unencrypted (http:// is allowed only to loopback)", url);
		return EPERM;
	}
	return 0;
}

/* ---- records ------------------------------------------------------------ */

static void emit(ord_proxy *p, ord_proxy_record *rec)
{
	pthread_mutex_lock(&p->lock);
	if (!rec->event)
		p->count++;
	if (p->cfg.on_record)
		p->cfg.on_record(p->cfg.ud, rec);
	pthread_mutex_unlock(&p->lock);
}

/* ---- slow clients ---------------------------------------------------------
 *
 * Every client connection holds one of max_clients threads.  A client that
 * sends its headers a line every few seconds, its body a byte at a time, or
 * connects and sends nothing never lets MHD's inactivity timeout fire (it
 * has to be long: an upstream may think for minutes before its first
 * byte), so 1024 such connections locked every other client out for as
 * long as they stayed.  Now a connection that waits for its client has a
 * deadline: header_timeout for the headers, again for the body, six times
 * that for the next request of a keep-alive connection.  And at most a
 * quarter of the slots may wait for their client at once: a new connection
 * past that closes the one that has waited longest, so a client that sends
 * its request at once always finds a slot.  Closing is shutdown() on a
 * duplicate of the socket, from whichever thread notices; the duplicate
 * keeps the descriptor number from being reused while MHD's own thread for
 * that connection sees the end and cleans up.  MHD's per-address limit
 * (half the slots) keeps one remote host (--listen 0.0.0.0) from taking
 * every slot; on loopback all clients share 127.0.0.1, which is why the
 * deadlines are what protects them.
 */

static double mono_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* live_lock held. */
static void kick(ord_proxy *p, pconn *pc)
{
	if (pc->waiting) {
		pc->waiting = 0;
		p->nwaiting--;
	}
	pc->evicted = 1;
	if (pc->sock >= 0)
		shutdown(pc->sock, SHUT_RDWR);
}

/* Close the connections past their deadline, then the longest waiting
 * ones until room more fit under the cap; live_lock held. */
static void enforce(ord_proxy *p, double now, unsigned room)
{
	pconn *pc, *oldest;

	for (pc = p->live; pc; pc = pc->lnext)
		if (pc->waiting && now >= pc->deadline)
			kick(p, pc);
	while (p->nwaiting + room > p->max_waiting) {
		oldest = NULL;
		for (pc = p->live; pc; pc = pc->lnext)
			if (pc->waiting && (!oldest || pc->since < oldest->since))
				oldest = pc;
		if (!oldest)
			break;
		kick(p, oldest);
	}
}

/* The connection now waits for its client (for at most secs; restart: a
 * new wait, which counts from now) or for the upstream. */
static void live_wait(ord_proxy *p, pconn *pc, int waiting, double secs, int restart)
{
	double now = mono_s();

	if (!pc)
		return;
	pthread_mutex_lock(&p->live_lock);
	if (!pc->evicted) {
		if (waiting && !pc->waiting)
			p->nwaiting++;
		else if (!waiting && pc->waiting)
			p->nwaiting--;
		pc->waiting = waiting;
		if (restart)
			pc->since = now;
		pc->deadline = now + secs;
		if (waiting)
			enforce(p, now, 0);
	}
	pthread_mutex_unlock(&p->live_lock);
}

static void live_add(ord_proxy *p, pconn *pc, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		sym_MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	double now = mono_s();

	pc->sock = ci ? fcntl(ci->connect_fd, F_DUPFD_CLOEXEC, 0) : -1;
	pc->evicted = 0;
	pthread_mutex_lock(&p->live_lock);
	enforce(p, now, 1);
	pc->lprev = NULL;
	pc->lnext = p->live;
	if (p->live)
		p->live->lprev = pc;
	p->live = pc;
	pc->waiting = 1;
	p->nwaiting++;
	pc->since = now;
	pc->deadline = now + 6 * p->cfg.header_timeout;
	pthread_mutex_unlock(&p->live_lock);
}

/* Whether the client sent any byte on this connection: clients open
 * spare connections (undici's pool, browsers' preconnect) and close them
 * unused, which is no client error.  Linux's TCP_INFO counts the sequence
 * space received, in which the client's FIN takes one: at most 1 is
 * "nothing but the hang-up" (one junk byte cut by a reset reads the same;
 * that is the only thing this hides).  Where it cannot tell, the
 * connection counts as having sent something, so a malformed request is
 * never hidden. */
static int sent_anything(int sock)
{
#if defined(__linux__) && defined(TCP_INFO)
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (sock >= 0 && getsockopt(sock, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
	    len >= offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(ti.tcpi_bytes_received))
		return ti.tcpi_bytes_received > 1;
#else
	(void)sock;
#endif
	return 1;
}

static void live_remove(ord_proxy *p, pconn *pc)
{
	pthread_mutex_lock(&p->live_lock);
	if (pc->lprev)
		pc->lprev->lnext = pc->lnext;
	else if (p->live == pc)
		p->live = pc->lnext;
	if (pc->lnext)
		pc->lnext->lprev = pc->lprev;
	pc->lprev = pc->lnext = NULL;
	if (pc->waiting) {
		pc->waiting = 0;
		p->nwaiting--;
	}
	pthread_mutex_unlock(&p->live_lock);
	if (pc->sock >= 0)
		close(pc->sock);
	pc->sock = -1;
}

/* The deadlines hold even when no new connection comes to check them. */
static void *watchdog(void *arg)
{
	ord_proxy *p = arg;
	struct timespec ts;

	pthread_mutex_lock(&p->live_lock);
	while (!p->stopping) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000 * 1000;
		if (ts.tv_nsec >= 1000 * 1000 * 1000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&p->live_cond, &p->live_lock, &ts);
		enforce(p, mono_s(), 0);
	}
	pthread_mutex_unlock(&p->live_lock);
	return NULL;
}

static pconn *conn_pc(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		sym_MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static void finish(preq *r, enum MHD_RequestTerminationCode toe)
{
	ord_proxy *p = r->p;
	ord_proxy_record *rec = &r->rec;
	char *rb = NULL, *sb = NULL;

	if (r->emitted)
		return;
	r->emitted = 1;
	if (r->evicted && !r->answered) {
		snprintf(rec->error, sizeof(rec->error),
			 "client too slow: the request was not complete within %g s (or too many clients were waiting); connection closed by the proxy",
			 p->cfg.header_timeout);
	} else if (!r->started) {
		snprintf(rec->error, sizeof(rec->error),
			 "malformed request: rejected by the proxy before it was read");
	} else if (r->status && !rec->error[0]) {
		if (!r->done || r->result != CURLE_OK) {
			if (r->client_gone || toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT ||
			    toe == MHD_REQUEST_TERMINATED_READ_ERROR)
				snprintf(rec->error, sizeof(rec->error),
					 "client disconnected during the answer; upstream transfer aborted");
			else if (r->done)
				ord_proxy_setf(rec->error, sizeof(rec->error),
					 "upstream failed mid-answer: %s", r->curl_err[0] ?
					 r->curl_err : sym_curl_easy_strerror(r->result));
			else if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
				snprintf(rec->error, sizeof(rec->error),
					 "connection to the client ended early");
		}
	}
	if (r->status || !rec->error[0])
		ord_proxy_wire_answer(&p->cfg, r->status, r->capture.data,
				      r->capture.len, rec);
	else if (r->started)
		ord_proxy_wire_answer(&p->cfg, 0, NULL, 0, rec);
	ord_gate_str(rec->error, sizeof(rec->error));
	rec->total_ms = ord_proxy_ms_since(&r->t0);
	if (p->cfg.log_bodies) {
		/* Bodies go out whole lines at a time, so their own line
		 * breaks stay; everything else of them passes the gate. */
		rec->req_body = rb = r->body.len ? ord_gate_dup(r->body.data, r->body.len) : NULL;
		rec->resp_body = sb = r->capture.len ? ord_gate_dup(r->capture.data, r->capture.len) : NULL;
	}
	emit(p, rec);
	free(rb);
	free(sb);
}

/* ---- MHD side ------------------------------------------------------------ */

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	preq *r = cls;

	(void)pos;
	for (;;) {
		if (r->off < r->chunk.len) {
			size_t n = r->chunk.len - r->off;

			if (n > max)
				n = max;
			memcpy(buf, r->chunk.data + r->off, n);
			r->off += n;
			if (r->paused && r->chunk.len - r->off < CHUNK_PAUSE / 2) {
				r->paused = 0;
				sym_curl_easy_pause(r->pc->easy, CURLPAUSE_CONT);
			}
			return (ssize_t)n;
		}
		if (r->paused) {
			r->chunk.len = r->off = 0;
			r->paused = 0;
			sym_curl_easy_pause(r->pc->easy, CURLPAUSE_CONT);
			continue;
		}
		if (r->done)
			return r->result == CURLE_OK ? MHD_CONTENT_READER_END_OF_STREAM
						     : MHD_CONTENT_READER_END_WITH_ERROR;
		if (r->client_gone || r->p->stopping)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		ord_proxy_pump(r, 1000);
	}
}

static enum MHD_Result send_local(preq *r, unsigned status, const char *msg)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char body[512];
	int n;

	n = snprintf(body, sizeof(body),
		     "{\"error\":{\"code\":%u,\"message\":\"ordoctor proxy: %s\"}}",
		     status, msg);
	if (n < 0 || n >= (int)sizeof(body))
		n = (int)strlen(body);
	resp = sym_MHD_create_response_from_buffer((size_t)n, body, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	sym_MHD_add_response_header(resp, "Content-Type", "application/json");
	r->answered = 1;
	ret = sym_MHD_queue_response(r->conn, status, resp);
	sym_MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result answer(preq *r)
{
	ord_proxy *p = r->p;
	struct MHD_Response *resp;
	struct curl_slist *s;
	enum MHD_Result ret;
	const char *auth, *xkey;
	const union MHD_ConnectionInfo *ci;

	auth = sym_MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	xkey = sym_MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "x-api-key");
	r->rec.bytes_up = r->body.len;
	ord_proxy_wire_request(&p->cfg, auth, xkey, r->uri, r->body.data,
			       r->body.len, &r->rec);
	if (r->too_large) {
		snprintf(r->rec.error, sizeof(r->rec.error),
			 "request body over %zu bytes: refused (413), not forwarded",
			 p->cfg.max_body);
		return send_local(r, 413, "request body too large");
	}
	if (r->uri[0] != '/') {
		snprintf(r->rec.error, sizeof(r->rec.error),
			 "not an origin-form request (the client used this as an HTTP proxy?): point the base URL here instead");
		return send_local(r, 400, "send requests to the proxy as a base URL, not as an HTTP proxy");
	}
	ci = sym_MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	r->pc = ci ? ci->socket_context : NULL;
	/* The whole request is in: from here the upstream sets the pace. */
	live_wait(p, r->pc, 0, 0, 0);
	if (!r->pc || ord_proxy_start_upstream(r)) {
		snprintf(r->rec.error, sizeof(r->rec.error), "out of memory starting the upstream transfer");
		return send_local(r, 502, "internal error");
	}
	r->watch_client = 1;
	while (!r->headers_done && !r->done && !r->client_gone) {
		if (p->stopping) {
			r->client_gone = 1;
			break;
		}
		ord_proxy_pump(r, 1000);
	}
	if (r->client_gone) {
		snprintf(r->rec.error, sizeof(r->rec.error),
			 "client disconnected before the answer; upstream request aborted");
		ord_proxy_stop_upstream(r);
		return MHD_NO;
	}
	if (!r->headers_done) {
		char msg[300];

		ord_proxy_setf(msg, sizeof(msg), r->result == CURLE_OPERATION_TIMEDOUT ?
			       "upstream timed out (%s)" : "upstream %s",
			       r->curl_err[0] ? r->curl_err : sym_curl_easy_strerror(r->result));
		ord_gate_str(msg, sizeof(msg));
		ord_proxy_setf(r->rec.error, sizeof(r->rec.error), "%s", msg);
		r->status = 0;
		for (char *q = msg; *q; q++)
			if (*q == '"' || *q == '\\')
				*q = '\'';
		return send_local(r, r->result == CURLE_OPERATION_TIMEDOUT ? 504 : 502, msg);
	}
	resp = sym_MHD_create_response_from_callback(
		r->clen >= 0 && strcmp(r->rec.method, "HEAD") ? (uint64_t)r->clen : MHD_SIZE_UNKNOWN,
		32 * 1024, reader, r, NULL);
	if (!resp)
		return MHD_NO;
	for (s = r->rhdrs; s; s = s->next) {
		char *c = strchr(s->data, ':');

		if (!c)
			continue;
		*c = '\0';
		sym_MHD_add_response_header(resp, s->data, c[1] == ' ' ? c + 2 : c + 1);
		*c = ':';
	}
	r->answered = 1;
	ret = sym_MHD_queue_response(r->conn, (unsigned)r->status, resp);
	sym_MHD_destroy_response(resp);
	return ret;
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	preq *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->p = cls;
	{
		pconn *pc = conn_pc(c);

		if (pc)
			pc->requests++;
		/* The request line is in: the headers have a deadline. */
		live_wait(r->p, pc, 1, r->p->cfg.header_timeout, 0);
	}
	r->uri = strdup(uri ? uri : "");
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	ord_proxy_now_iso(r->rec.time);
	ord_buf_init(&r->body, r->p->cfg.max_body);
	ord_buf_init(&r->chunk, CHUNK_MAX);
	ord_buf_init(&r->capture, ORD_PROXY_CAPTURE);
	r->rec.predicted = r->rec.cred.match = r->rec.other.match = -1;
	r->clen = -1;
	ord_gate_copy(r->rec.path, sizeof(r->rec.path), r->uri ? r->uri : "",
		      r->uri ? strlen(r->uri) : 0);
	return r;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload,
			       size_t *upload_size, void **req_cls)
{
	preq *r = *req_cls;

	(void)url;
	(void)version;
	if (!r) {
		r = uri_log(cls, url, c);
		if (!r)
			return MHD_NO;
		*req_cls = r;
	}
	if (!r->uri)
		return MHD_NO;
	if (!r->started) {
		const char *cl = sym_MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);

		r->started = 1;
		r->conn = c;
		/* The headers are in: the body has a deadline. */
		live_wait(r->p, conn_pc(c), 1, r->p->cfg.header_timeout, 0);
		snprintf(r->rec.method, sizeof(r->rec.method), "%s", method);
		if (cl && strtoull(cl, NULL, 10) > r->p->cfg.max_body) {
			r->too_large = 1;
			/* answer at once: MHD closes the connection after */
			return answer(r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large && ord_buf_add(&r->body, upload, *upload_size)) {
			r->too_large = 1;
			ord_buf_release(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->answered)
		return MHD_YES;
	return answer(r);
}

static void completed(void *cls, struct MHD_Connection *c, void **req_cls,
		      enum MHD_RequestTerminationCode toe)
{
	preq *r = *req_cls;
	ord_proxy *p = cls;
	pconn *pc = conn_pc(c);

	if (!r) {
		live_wait(p, pc, 1, 6 * p->cfg.header_timeout, 1);
		return;
	}
	r->evicted = pc && pc->evicted;
	if (r->in_multi && !r->done && !r->client_gone &&
	    toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		r->client_gone = 1;
	/* The client got every byte it was promised (Content-Length) but curl
	 * has not seen the end yet: let it finish so the upstream connection
	 * stays reusable (bounded). */
	if (r->in_multi && !r->done && !r->client_gone) {
		int i;

		r->watch_client = 0;
		for (i = 0; i < 50 && !r->done && !r->p->stopping; i++) {
			r->chunk.len = r->off = 0;
			if (r->paused) {
				r->paused = 0;
				sym_curl_easy_pause(r->pc->easy, CURLPAUSE_CONT);
			}
			ord_proxy_pump(r, 20);
		}
	}
	ord_proxy_stop_upstream(r);
	finish(r, toe);
	sym_curl_slist_free_all(r->rhdrs);
	ord_buf_release(&r->body);
	ord_buf_release(&r->chunk);
	ord_buf_release(&r->capture);
	free(r->uri);
	ord_wipe(&r->rec, sizeof(r->rec));
	free(r);
	*req_cls = NULL;
	/* Kept alive: the next request has a deadline. */
	live_wait(p, pc, 1, 6 * p->cfg.header_timeout, 1);
}

static void pconn_free(pconn *pc);

static void conn_notify(void *cls, struct MHD_Connection *c, void **sock_ctx,
			enum MHD_ConnectionNotificationCode code)
{
	ord_proxy *p = cls;
	pconn *pc = *sock_ctx;
	int silent;

	(void)c;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		pthread_mutex_lock(&p->pool_lock);
		pc = p->pool;
		if (pc) {
			p->pool = pc->next;
			p->npool--;
		}
		pthread_mutex_unlock(&p->pool_lock);
		if (pc) {
			pc->next = NULL;
			pc->requests = 0;
		}
		*sock_ctx = pc ? pc : calloc(1, sizeof(pconn));
		if (*sock_ctx)
			live_add(p, *sock_ctx, c);
		return;
	}
	if (!pc)
		return;
	silent = !pc->requests && !pc->evicted && !sent_anything(pc->sock);
	live_remove(p, pc);
	if (!pc->requests && !silent) {
		/* MHD drops some malformed requests (a request line without a
		 * URI, binary junk) without a callback or a log message: one
		 * line for the connection then. */
		ord_proxy_record rec;

		memset(&rec, 0, sizeof(rec));
		rec.event = 1;
		ord_proxy_now_iso(rec.time);
		if (pc->evicted)
			snprintf(rec.error, sizeof(rec.error),
				 "connection closed by the proxy: no request within %g s (or too many clients were waiting)",
				 6 * p->cfg.header_timeout);
		else
			snprintf(rec.error, sizeof(rec.error),
				 "connection closed without a complete HTTP request (malformed request line, or nothing sent)");
		emit(p, &rec);
	}
	*sock_ctx = NULL;
	if (pc->multi && pc->easy && !p->stopping) {
		pthread_mutex_lock(&p->pool_lock);
		if (p->npool < POOL_MAX) {
			pc->next = p->pool;
			p->pool = pc;
			p->npool++;
			pc = NULL;
		}
		pthread_mutex_unlock(&p->pool_lock);
		if (!pc)
			return;
	}
	pconn_free(pc);
}

static void pool_free(ord_proxy *p)
{
	while (p->pool) {
		pconn *pc = p->pool;

		p->pool = pc->next;
		pconn_free(pc);
	}
	p->npool = 0;
	pthread_mutex_destroy(&p->pool_lock);
}

static void pconn_free(pconn *pc)
{
	if (pc->easy)
		sym_curl_easy_cleanup(pc->easy);
	if (pc->multi)
		sym_curl_multi_cleanup(pc->multi);
	free(pc);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	ord_proxy *p = cls;
	ord_proxy_record rec;
	size_t n;

	memset(&rec, 0, sizeof(rec));
	rec.event = 1;
	ord_proxy_now_iso(rec.time);
	vsnprintf(rec.error, sizeof(rec.error), fmt, ap);
	n = strlen(rec.error);
	while (n && (rec.error[n - 1] == '\n' || rec.error[n - 1] == '.'))
		rec.error[--n] = '\0';
	ord_gate_str(rec.error, sizeof(rec.error));
	emit(p, &rec);
}

static int bind_socket(ord_proxy *p, char *err, size_t errlen)
{
	ord_listen l;
	int fd = ord_listen_socket(p->cfg.host, p->cfg.port, 1024, &l, err, errlen);

	if (fd >= 0) {
		p->port = l.port;
		snprintf(p->url, sizeof(p->url), "%s", l.url);
	}
	return fd;
}

int ord_proxy_start(const ord_proxy_config *cfg, ord_proxy **out, char *err,
		    size_t errlen)
{
	ord_proxy *p;
	const char *up = cfg->upstream ? cfg->upstream : ORD_PROXY_UPSTREAM_DEFAULT;
	const char *hp;
	size_t n;
	int fd;

	*out = NULL;
	if (ord_proxy_upstream_check(up, err, errlen))
		return -1;
	/* loaded here, not at start-up (lib/dl.h) */
	if (ord_dl_curl(err, errlen) || ord_dl_mhd(err, errlen))
		return -1;
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->cfg = *cfg;
	if (!p->cfg.host)
		p->cfg.host = "127.0.0.1";
	if (!p->cfg.max_body)
		p->cfg.max_body = ORD_PROXY_BODY_MAX;
	if (p->cfg.idle_timeout <= 0)
		p->cfg.idle_timeout = 300;
	if (p->cfg.connect_timeout <= 0)
		p->cfg.connect_timeout = 10;
	if (!p->cfg.max_clients)
		p->cfg.max_clients = 1024;
	if (p->cfg.header_timeout <= 0)
		p->cfg.header_timeout = 10;
	p->max_waiting = p->cfg.max_clients / 4 > 4 ? p->cfg.max_clients / 4 : 4;
	snprintf(p->upstream, sizeof(p->upstream), "%s", up);
	n = strlen(p->upstream);
	while (n && p->upstream[n - 1] == '/')
		p->upstream[--n] = '\0';
	hp = cfg->ctx ? ord_http_proxy_for(cfg->ctx, p->upstream) : NULL;
	p->http_proxy = strdup(hp ? hp : "");
	pthread_mutex_init(&p->lock, NULL);
	pthread_mutex_init(&p->pool_lock, NULL);
	pthread_mutex_init(&p->live_lock, NULL);
	pthread_cond_init(&p->live_cond, NULL);
	sym_curl_global_init(CURL_GLOBAL_DEFAULT);
	ord_proxy_share_init(p);
	fd = bind_socket(p, err, errlen);
	if (fd < 0 || !p->http_proxy) {
		if (fd >= 0)
			close(fd);
		ord_proxy_share_free(p);
		free(p->http_proxy);
		pthread_mutex_destroy(&p->lock);
		pthread_mutex_destroy(&p->pool_lock);
		pthread_mutex_destroy(&p->live_lock);
		pthread_cond_destroy(&p->live_cond);
		free(p);
		return -1;
	}
	p->d = sym_MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_POLL | MHD_USE_ERROR_LOG,
		0, NULL, NULL, handler, p,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, p,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_URI_LOG_CALLBACK, uri_log, p,
		MHD_OPTION_NOTIFY_COMPLETED, completed, p,
		MHD_OPTION_NOTIFY_CONNECTION, conn_notify, p,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(p->cfg.idle_timeout + 30),
		MHD_OPTION_CONNECTION_LIMIT, p->cfg.max_clients,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)(p->cfg.max_clients / 2 ? p->cfg.max_clients / 2 : 1),
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_END);
	if (!p->d) {
		snprintf(err, errlen, "cannot start the HTTP server");
		close(fd);
		ord_proxy_share_free(p);
		free(p->http_proxy);
		pthread_mutex_destroy(&p->lock);
		pthread_mutex_destroy(&p->pool_lock);
		pthread_mutex_destroy(&p->live_lock);
		pthread_cond_destroy(&p->live_cond);
		free(p);
		return -1;
	}
	p->watchdog_started = !pthread_create(&p->watchdog, NULL, watchdog, p);
	*out = p;
	return 0;
}

const char *ord_proxy_url(const ord_proxy *p)
{
	return p->url;
}

unsigned ord_proxy_port(const ord_proxy *p)
{
	return p->port;
}

unsigned long ord_proxy_count(const ord_proxy *p)
{
	unsigned long n;

	pthread_mutex_lock((pthread_mutex_t *)&p->lock);
	n = p->count;
	pthread_mutex_unlock((pthread_mutex_t *)&p->lock);
	return n;
}

void ord_proxy_stop(ord_proxy *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->live_lock);
	p->stopping = 1;
	pthread_cond_signal(&p->live_cond);
	pthread_mutex_unlock(&p->live_lock);
	if (p->watchdog_started)
		pthread_join(p->watchdog, NULL);
	if (p->d)
		sym_MHD_stop_daemon(p->d); /* closes the socket, joins every thread */
	pthread_mutex_destroy(&p->live_lock);
	pthread_cond_destroy(&p->live_cond);
	pool_free(p);
	ord_proxy_share_free(p);
	free(p->http_proxy);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
