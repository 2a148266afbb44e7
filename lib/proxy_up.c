/* proxy_up: the upstream side of the proxy (libcurl), see proxy.c. */
#include "proxy_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "api.h"

double ord_proxy_ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access a, void *ud)
{
	ord_proxy *p = ud;

	(void)h;
	(void)a;
	pthread_mutex_lock(&p->share_lock[(unsigned)data < CURL_LOCK_DATA_LAST ? data : 0]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *ud)
{
	ord_proxy *p = ud;

	(void)h;
	pthread_mutex_unlock(&p->share_lock[(unsigned)data < CURL_LOCK_DATA_LAST ? data : 0]);
}

void ord_proxy_share_init(ord_proxy *p)
{
	int i;

	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&p->share_lock[i], NULL);
	p->share = sym_curl_share_init();
	if (!p->share)
		return;
	sym_curl_share_setopt(p->share, CURLSHOPT_LOCKFUNC, share_lock);
	sym_curl_share_setopt(p->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	sym_curl_share_setopt(p->share, CURLSHOPT_USERDATA, p);
	sym_curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
}

void ord_proxy_share_free(ord_proxy *p)
{
	int i;

	if (p->share)
		sym_curl_share_cleanup(p->share);
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&p->share_lock[i]);
}

/* ---- upstream ------------------------------------------------------------ */

static const char *const hop[] = {
	"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
	"proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
	"host", "content-length", "expect", "accept-encoding",
};

static int is_hop(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(hop) / sizeof(*hop); i++)
		if (strlen(hop[i]) == n && !strncasecmp(name, hop[i], n))
			return 1;
	return 0;
}

static size_t on_header(char *d, size_t sz, size_t nm, void *ud)
{
	preq *r = ud;
	size_t n = sz * nm, k = n;
	char line[8192];
	const char *colon;

	clock_gettime(CLOCK_MONOTONIC, &r->t_active);
	while (k && (d[k - 1] == '\n' || d[k - 1] == '\r'))
		k--;
	if (n >= 5 && !strncmp(d, "HTTP/", 5)) {
		const char *sp = memchr(d, ' ', n);

		r->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		sym_curl_slist_free_all(r->rhdrs);
		r->rhdrs = NULL;
		r->clen = -1;
		return n;
	}
	if (!k) {
		if (r->status >= 200)
			r->headers_done = 1;
		return n;
	}
	colon = memchr(d, ':', k);
	if (!colon || k >= sizeof(line) || is_hop(d, (size_t)(colon - d)))
		return n;
	if ((size_t)(colon - d) == 14 && !strncasecmp(d, "content-length", 14))
		r->clen = strtoll(colon + 1, NULL, 10);
	memcpy(line, d, k);
	line[k] = '\0';
	r->rhdrs = sym_curl_slist_append(r->rhdrs, line);
	return n;
}

static size_t on_write(char *d, size_t sz, size_t nm, void *ud)
{
	preq *r = ud;
	size_t n = sz * nm, room;

	if (r->off && r->off == r->chunk.len) {
		r->chunk.len = 0; /* drained: start again (no wipe needed per chunk) */
		r->off = 0;
	}
	if (r->chunk.len - r->off >= CHUNK_PAUSE ||
	    ord_buf_add(&r->chunk, d, n)) {
		r->paused = 1;
		return CURL_WRITEFUNC_PAUSE;
	}
	clock_gettime(CLOCK_MONOTONIC, &r->t_active);
	if (!r->rec.bytes_down)
		r->rec.ttfb_ms = ord_proxy_ms_since(&r->t0);
	r->rec.bytes_down += n;
	room = r->capture.max - r->capture.len;
	if (room)
		ord_buf_add(&r->capture, d, n < room ? n : room);
	return n;
}

/* One round: perform, collect completion, wait (up to ms) for the upstream
 * or the client hanging up. */
void ord_proxy_pump(preq *r, int ms)
{
	CURLMsg *m;
	int running, q;
	struct curl_waitfd w;
	const union MHD_ConnectionInfo *ci;

	sym_curl_multi_perform(r->pc->multi, &running);
	while ((m = sym_curl_multi_info_read(r->pc->multi, &q)))
		if (m->msg == CURLMSG_DONE && m->easy_handle == r->pc->easy) {
			r->done = 1;
			r->result = m->data.result;
		}
	if (r->done || (r->chunk.len > r->off) || (r->headers_done && !r->answered))
		return;
	/* The idle timeout: the upstream silent for that long (measured
	 * here rather than with CURLOPT_LOW_SPEED_TIME, whose whole seconds
	 * and once-a-second check overshoot it by up to 2 s). */
	if (r->in_multi && !r->paused) {
		double idle = r->p->cfg.idle_timeout * 1e3;
		double quiet = ord_proxy_ms_since(&r->t_active);

		if (quiet >= idle) {
			r->done = 1;
			r->result = CURLE_OPERATION_TIMEDOUT;
			ord_proxy_setf(r->curl_err, sizeof(r->curl_err),
				       "no data from the upstream for %g s", r->p->cfg.idle_timeout);
			return;
		}
		if (ms > idle - quiet)
			ms = (int)(idle - quiet) + 1;
	}
	memset(&w, 0, sizeof(w));
	ci = r->watch_client ? sym_MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD) : NULL;
	if (ci) {
		w.fd = ci->connect_fd;
		w.events = CURL_WAIT_POLLIN;
	}
	sym_curl_multi_poll(r->pc->multi, ci ? &w : NULL, ci ? 1 : 0, ms, NULL);
	if (ci && w.revents) {
		char c;
		ssize_t k = recv(w.fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

		if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			r->client_gone = 1;
		else
			r->watch_client = 0; /* pipelined bytes: stop watching */
	}
}

static int is_body_method(const char *m)
{
	return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "DELETE") &&
	       strcmp(m, "OPTIONS");
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind,
				  const char *key, const char *value)
{
	preq *r = cls;
	char line[8192];
	struct curl_slist *n;

	(void)kind;
	if (!key || is_hop(key, strlen(key)))
		return MHD_YES;
	if (snprintf(line, sizeof(line), "%s: %s", key, value ? value : "") >= (int)sizeof(line))
		return MHD_YES;
	if (!value || !*value) /* curl: "Name;" sends an empty header */
		snprintf(line, sizeof(line), "%s;", key);
	n = sym_curl_slist_append(r->hdrs, line);
	ord_wipe(line, strlen(line));
	if (n)
		r->hdrs = n;
	return MHD_YES;
}

int ord_proxy_start_upstream(preq *r)
{
	ord_proxy *p = r->p;
	pconn *pc = r->pc;
	CURL *e;
	char *url;
	size_t ul = strlen(p->upstream) + strlen(r->uri) + 1;

	if (!pc->multi && !(pc->multi = sym_curl_multi_init()))
		return -1;
	if (!pc->easy && !(pc->easy = sym_curl_easy_init()))
		return -1;
	e = pc->easy;
	sym_curl_easy_reset(e);
	url = malloc(ul);
	if (!url)
		return -1;
	snprintf(url, ul, "%s%s", p->upstream, r->uri);
	sym_curl_easy_setopt(e, CURLOPT_URL, url);
	free(url); /* curl copies it */
	sym_curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	sym_curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	sym_curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	sym_curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	sym_curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	sym_curl_easy_setopt(e, CURLOPT_PROXY, p->http_proxy);
	/* No CURLOPT_SHARE of the connection cache: measured (bench/proxy.sh)
	 * at a tenth of the throughput, lock contention; each client
	 * connection keeps its own upstream connection instead. */
	sym_curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	sym_curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(p->cfg.connect_timeout * 1000));
	/* The idle timeout is enforced by ord_proxy_pump (t_active). */
	sym_curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
	sym_curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->curl_err);
	sym_curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	sym_curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	sym_curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	sym_curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	if (!strcmp(r->rec.method, "HEAD"))
		sym_curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(r->rec.method, "GET"))
		sym_curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->rec.method);
	if (r->body.len || is_body_method(r->rec.method)) {
		sym_curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body.len);
		sym_curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body.len ? r->body.data : "");
		if (!strcmp(r->rec.method, "POST"))
			sym_curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, NULL);
	}
	sym_MHD_get_connection_values(r->conn, MHD_HEADER_KIND, add_header, r);
	r->hdrs = sym_curl_slist_append(r->hdrs, "Expect:");
	sym_curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
	clock_gettime(CLOCK_MONOTONIC, &r->t_active);
	if (sym_curl_multi_add_handle(pc->multi, e) != CURLM_OK)
		return -1;
	r->in_multi = 1;
	return 0;
}

void ord_proxy_stop_upstream(preq *r)
{
	if (r->in_multi) {
		/* An unfinished transfer is aborted and its connection closed:
		 * the upstream sees the client's disconnect. */
		sym_curl_multi_remove_handle(r->pc->multi, r->pc->easy);
		r->in_multi = 0;
	}
	if (r->hdrs) {
		struct curl_slist *s;

		for (s = r->hdrs; s; s = s->next)
			ord_wipe(s->data, strlen(s->data));
		sym_curl_slist_free_all(r->hdrs);
		r->hdrs = NULL;
	}
}

