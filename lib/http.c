/* http: see http.h (issue 3). */
#include "http.h"

#include "dl_curl.h"
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ord_config.h"

#define UA "ordoctor/" ORD_VERSION

const char *ord_http_user_agent(void)
{
	return UA;
}

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;
static char global_err[ORD_DL_ERRTEXT];

/* libcurl is loaded here, by the first transfer (lib/dl.h): offline
 * commands never load it. */
static void global_init(void)
{
	if (ord_dl_curl(global_err, sizeof(global_err)))
		return;
	global_rc = sym_curl_global_init(CURL_GLOBAL_DEFAULT);
	if (global_rc != CURLE_OK)
		snprintf(global_err, sizeof(global_err), "cannot initialise libcurl");
}

void ord_http_resp_init(ord_http_resp *r)
{
	memset(r, 0, sizeof(*r));
	ord_buf_init(&r->body, ORD_HTTP_BODY_CAP);
}

void ord_http_resp_release(ord_http_resp *r)
{
	ord_buf_release(&r->body);
	ord_wipe(r, sizeof(*r));
}

void ord_http_resp_fail(ord_http_resp *r, ord_http_err err, const char *fmt,
			...)
{
	va_list ap;
	size_t i;

	r->err = err;
	va_start(ap, fmt);
	vsnprintf(r->errtext, sizeof(r->errtext), fmt, ap);
	va_end(ap);
	for (i = 0; r->errtext[i]; i++)
		if ((unsigned char)r->errtext[i] < 0x20)
			r->errtext[i] = ' ';
}

const char *ord_net_step_id(ord_net_step s)
{
	static const char *const ids[] = {"none", "dns", "tcp", "tls", "http"};

	return (unsigned)s < sizeof(ids) / sizeof(*ids) ? ids[s] : "none";
}

void ord_http_release(ord_ctx *ctx)
{
	/* a multi handle exists only once libcurl is loaded */
	if (ctx && ctx->http_multi) {
		sym_curl_multi_cleanup(ctx->http_multi);
		ctx->http_multi = NULL;
		ctx->http_release = NULL;
	}
}

/* One transfer of a batch. */
struct xfer {
	CURL *easy;
	const ord_http_req *q;
	ord_http_resp *r;
	struct curl_slist nodes[16];
	char *lines[16];       /* the header strings we own (wiped) */
	size_t nlines;
	size_t cap, hdr_bytes;
	int cap_hit, hdr_hit, nomem, done, https;
	double timeout, ctimeout;
	char errbuf[CURL_ERROR_SIZE];
};

/* Copy a header value: trimmed, cut, control characters replaced. */
static void put_value(char *dst, size_t cap, const char *v, size_t n)
{
	size_t i;

	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' ||
		     v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++)
		dst[i] = ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) ? '?' : v[i];
	dst[n] = '\0';
}

static size_t on_header(char *p, size_t sz, size_t nm, void *ud)
{
	struct xfer *x = ud;
	ord_http_resp *r = x->r;
	size_t n = sz * nm;
	static const struct {
		const char *name;
		size_t off, cap;
	} keep[] = {
		{"content-type", offsetof(ord_http_resp, content_type), ORD_HTTP_VALUE},
		{"location", offsetof(ord_http_resp, location), ORD_HTTP_VALUE},
		{"retry-after", offsetof(ord_http_resp, retry_after), 64},
		{"x-generation-id", offsetof(ord_http_resp, generation_id), 128},
		{"x-ratelimit-limit", offsetof(ord_http_resp, rl_limit), 32},
		{"x-ratelimit-remaining", offsetof(ord_http_resp, rl_remaining), 32},
		{"x-ratelimit-reset", offsetof(ord_http_resp, rl_reset), 32},
	};
	size_t i;

	x->hdr_bytes += n;
	if (x->hdr_bytes > ORD_HTTP_HEADER_CAP) {
		x->hdr_hit = 1;
		return 0;
	}
	if (n >= 5 && !strncmp(p, "HTTP/", 5)) {
		/* A new response (after 100 Continue): forget the old headers. */
		r->content_type[0] = r->location[0] = '\0';
		r->retry_after[0] = r->generation_id[0] = '\0';
		r->rl_limit[0] = r->rl_remaining[0] = r->rl_reset[0] = '\0';
		return n;
	}
	for (i = 0; i < sizeof(keep) / sizeof(*keep); i++) {
		size_t nl = strlen(keep[i].name);

		if (n > nl && p[nl] == ':' && !strncasecmp(p, keep[i].name, nl))
			put_value((char *)r + keep[i].off, keep[i].cap, p + nl + 1,
				  n - nl - 1);
	}
	return n;
}

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
	struct xfer *x = ud;
	ord_buf *b = &x->r->body;
	size_t n = sz * nm, room = x->cap - b->len;

	if (n > room) {
		/* Keep what fits, then abort: a 2 GB answer must not stall us. */
		if (room && ord_buf_add(b, p, room))
			x->nomem = 1;
		x->cap_hit = 1;
		x->r->truncated = 1;
		return 0;
	}
	if (n && ord_buf_add(b, p, n)) {
		x->nomem = 1;
		return 0;
	}
	return n;
}

static int add_line(struct xfer *x, const char *a, const char *b)
{
	size_t la = strlen(a), lb = b ? strlen(b) : 0;
	char *s;

	if (x->nlines >= sizeof(x->lines) / sizeof(*x->lines))
		return EINVAL;
	s = malloc(la + lb + 1);
	if (!s)
		return ENOMEM;
	memcpy(s, a, la);
	if (lb)
		memcpy(s + la, b, lb);
	s[la + lb] = '\0';
	x->lines[x->nlines] = s;
	x->nodes[x->nlines].data = s;
	x->nodes[x->nlines].next = NULL;
	if (x->nlines)
		x->nodes[x->nlines - 1].next = &x->nodes[x->nlines];
	x->nlines++;
	return 0;
}

static void xfer_free(struct xfer *x)
{
	size_t i;

	if (x->easy)
		sym_curl_easy_cleanup(x->easy);
	x->easy = NULL;
	for (i = 0; i < x->nlines; i++)
		ord_free_secret(x->lines[i]);
	x->nlines = 0;
	ord_wipe(x->errbuf, sizeof(x->errbuf));
}

static int is_scheme(const char *url, const char *scheme)
{
	size_t n = strlen(scheme);

	return !strncasecmp(url, scheme, n) && !strncmp(url + n, "://", 3);
}

/* Host of a URL for messages (no credentials, no path). */
static void host_of(const char *url, char *out, size_t cap)
{
	char tmp[ORD_HTTP_VALUE];
	const char *h;
	size_t n;

	ord_http_strip_userinfo(url, tmp, sizeof(tmp));
	h = strstr(tmp, "://");
	h = h ? h + 3 : tmp;
	n = strcspn(h, "/?#");
	snprintf(out, cap, "%.*s", (int)n, h);
}

static int setup(ord_ctx *ctx, struct xfer *x)
{
	const ord_http_req *q = x->q;
	ord_http_resp *r = x->r;
	const char *proxy, *method = q->method ? q->method : "GET";
	CURL *e;
	size_t i;
	long tmo, ctmo;

	host_of(q->url, r->host, sizeof(r->host));
	if (!is_scheme(q->url, "http") && !is_scheme(q->url, "https")) {
		ord_http_resp_fail(r, ORD_HTTP_EURL, "unsupported URL '%.100s' (http:// or https:// only)", r->host[0] ? q->url : "(empty)");
		return -1;
	}
	x->https = is_scheme(q->url, "https");
	x->cap = q->body_cap ? q->body_cap : ORD_HTTP_BODY_CAP;
	r->body.max = x->cap;
	x->timeout = q->timeout > 0 ? q->timeout : (ctx->timeout > 0 ? ctx->timeout : 10);
	tmo = (long)(x->timeout * 1000);
	x->ctimeout = q->connect_timeout > 0 && q->connect_timeout < x->timeout ?
		q->connect_timeout : x->timeout;
	ctmo = (long)(x->ctimeout * 1000);
	e = x->easy = sym_curl_easy_init();
	if (!e)
		return ENOMEM;
	if (q->bearer && add_line(x, "Authorization: Bearer ", q->bearer))
		return ENOMEM;
	for (i = 0; q->headers && q->headers[i]; i++)
		if (add_line(x, q->headers[i], NULL))
			return ENOMEM;
	if (q->body && add_line(x, "Expect:", NULL))
		return ENOMEM;

	sym_curl_easy_setopt(e, CURLOPT_URL, q->url);
	sym_curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	sym_curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	sym_curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	sym_curl_easy_setopt(e, CURLOPT_USERAGENT, UA);
#if LIBCURL_VERSION_NUM >= 0x075500
	sym_curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	sym_curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	sym_curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	/* Fixed policy: see http.h. */
	sym_curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	sym_curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	sym_curl_easy_setopt(e, CURLOPT_PROXY_SSL_VERIFYPEER, 1L);
	sym_curl_easy_setopt(e, CURLOPT_PROXY_SSL_VERIFYHOST, 2L);
	sym_curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	sym_curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	sym_curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, tmo);
	sym_curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ctmo);
	sym_curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	sym_curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	sym_curl_easy_setopt(e, CURLOPT_HEADEROPT, (long)CURLHEADER_SEPARATE);
	if (x->https)
		sym_curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	/* The proxy comes from the ctx; "" stops libcurl's own getenv(). */
	proxy = ord_http_proxy_for(ctx, q->url);
	sym_curl_easy_setopt(e, CURLOPT_PROXY, proxy ? proxy : "");
	sym_curl_easy_setopt(e, CURLOPT_NOPROXY, "");
	if (proxy)
		ord_http_strip_userinfo(proxy, r->proxy, sizeof(r->proxy));
	if (q->connect_only) {
		sym_curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
	} else {
		sym_curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
		sym_curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
		sym_curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
		sym_curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	}
	if (q->body) {
		sym_curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body_len);
		sym_curl_easy_setopt(e, CURLOPT_POSTFIELDS, q->body);
	}
	if (strcmp(method, "GET") && !(q->body && !strcmp(method, "POST")))
		sym_curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	if (x->nlines)
		sym_curl_easy_setopt(e, CURLOPT_HTTPHEADER, &x->nodes[0]);
	return 0;
}

static double secs(CURL *e, CURLINFO what)
{
	curl_off_t us = 0;

	if (sym_curl_easy_getinfo(e, what, &us) != CURLE_OK || us < 0)
		return 0;
	return (double)us / 1e6;
}

static const char *size_text(size_t n, char *buf, size_t cap)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		snprintf(buf, cap, "%zu MiB", n / (1024 * 1024));
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, cap, "%zu KiB", n / 1024);
	else
		snprintf(buf, cap, "%zu bytes", n);
	return buf;
}

/* errbuf is curl's text; keep it short and on one line. */
static const char *detail(struct xfer *x, CURLcode rc)
{
	return x->errbuf[0] ? x->errbuf : sym_curl_easy_strerror(rc);
}

static void finish(struct xfer *x, CURLcode rc)
{
	ord_http_resp *r = x->r;
	CURL *e = x->easy;
	long status = 0, oserr = 0;
	const char *via = r->proxy[0] ? " through the proxy" : "";
	char sz[32];

	x->done = 1;
	sym_curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	sym_curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &oserr);
	r->status = status;
	r->t_dns = secs(e, CURLINFO_NAMELOOKUP_TIME_T);
	r->t_connect = secs(e, CURLINFO_CONNECT_TIME_T);
	r->t_tls = secs(e, CURLINFO_APPCONNECT_TIME_T);
	r->t_first_byte = secs(e, CURLINFO_STARTTRANSFER_TIME_T);
	r->t_total = secs(e, CURLINFO_TOTAL_TIME_T);
	if (!r->location[0] && status >= 300 && status < 400) {
		char *u = NULL;
		if (sym_curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &u) == CURLE_OK && u)
			put_value(r->location, sizeof(r->location), u, strlen(u));
	}

	if (rc == CURLE_OK) {
		r->reached = x->q->connect_only ? (x->https ? ORD_STEP_TLS : ORD_STEP_TCP)
						: ORD_STEP_HTTP;
		return;
	}
	/* How far did it get?  Refined below for the clear cases. */
	r->reached = status > 0 ? ORD_STEP_HTTP : r->t_tls > 0 ? ORD_STEP_TLS :
		r->t_connect > 0 ? ORD_STEP_TCP : r->t_dns > 0 ? ORD_STEP_DNS :
		ORD_STEP_NONE;

	if (x->nomem) {
		ord_http_resp_fail(r, ORD_HTTP_ENOMEM, "out of memory reading the answer from %s", r->host);
		return;
	}
	switch (rc) {
	case CURLE_WRITE_ERROR:
		if (x->hdr_hit)
			ord_http_resp_fail(r, ORD_HTTP_ETOOBIG, "answer headers larger than %s",
					   size_text(ORD_HTTP_HEADER_CAP, sz, sizeof(sz)));
		else
			ord_http_resp_fail(r, ORD_HTTP_ETOOBIG, "answer larger than %s",
					   size_text(x->cap, sz, sizeof(sz)));
		r->reached = ORD_STEP_HTTP;
		break;
	case CURLE_COULDNT_RESOLVE_PROXY:
		ord_http_resp_fail(r, ORD_HTTP_EPROXY, "cannot resolve proxy host of '%s'", r->proxy);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		r->reached = ORD_STEP_NONE;
		ord_http_resp_fail(r, ORD_HTTP_EDNS, "cannot resolve host '%s'", r->host);
		break;
	case CURLE_COULDNT_CONNECT:
		if (r->proxy[0])
			ord_http_resp_fail(r, ORD_HTTP_EPROXY, "cannot connect to proxy '%s': %s",
					   r->proxy, oserr ? strerror((int)oserr) : detail(x, rc));
		else if (oserr == ECONNREFUSED)
			ord_http_resp_fail(r, ORD_HTTP_ECONNECT, "connection refused by %s", r->host);
		else
			ord_http_resp_fail(r, ORD_HTTP_ECONNECT, "cannot connect to %s: %s", r->host,
					   oserr ? strerror((int)oserr) : detail(x, rc));
		r->reached = r->proxy[0] ? ORD_STEP_NONE : ORD_STEP_DNS;
		break;
	case CURLE_OPERATION_TIMEDOUT:
		ord_http_resp_fail(r, ORD_HTTP_ETIMEOUT, "timed out after %g s %s%s",
				   r->reached <= ORD_STEP_DNS ? x->ctimeout : x->timeout,
				   r->reached == ORD_STEP_NONE ? "resolving or connecting to" :
				   r->reached == ORD_STEP_DNS ? "connecting to" :
				   (r->reached == ORD_STEP_TCP && x->https) ? "in the TLS handshake with" :
				   "waiting for the answer from", r->host);
		break;
#if LIBCURL_VERSION_NUM >= 0x073e00
	case CURLE_PEER_FAILED_VERIFICATION:
#endif
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		r->reached = ORD_STEP_TCP;
		ord_http_resp_fail(r, ORD_HTTP_ETLS, "TLS handshake failed with %s%s: %s", r->host, via, detail(x, rc));
		break;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		ord_http_resp_fail(r, ORD_HTTP_EIO, "connection to %s broken: %s", r->host,
				   oserr ? strerror((int)oserr) : detail(x, rc));
		break;
	case CURLE_GOT_NOTHING:
		ord_http_resp_fail(r, ORD_HTTP_EPROTO, "%s closed the connection without answering", r->host);
		break;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL:
		/* Also HTTP/0.9, which libcurl refuses by default. */
		ord_http_resp_fail(r, ORD_HTTP_EPROTO, "not an HTTP answer from %s (%s)", r->host, detail(x, rc));
		break;
	case CURLE_PARTIAL_FILE:
		ord_http_resp_fail(r, ORD_HTTP_EPROTO, "answer from %s cut short", r->host);
		break;
	case CURLE_URL_MALFORMAT:
		ord_http_resp_fail(r, ORD_HTTP_EURL, "malformed URL for host '%s'", r->host);
		break;
#if LIBCURL_VERSION_NUM >= 0x074900
	case CURLE_PROXY:
		ord_http_resp_fail(r, ORD_HTTP_EPROXY, "proxy '%s' failed: %s", r->proxy, detail(x, rc));
		break;
#endif
	case CURLE_OUT_OF_MEMORY:
		ord_http_resp_fail(r, ORD_HTTP_ENOMEM, "out of memory");
		break;
	default:
		if (r->proxy[0] && status == 0 && rc == CURLE_RECV_ERROR)
			ord_http_resp_fail(r, ORD_HTTP_EPROXY, "proxy '%s' failed: %s", r->proxy, detail(x, rc));
		else
			ord_http_resp_fail(r, ORD_HTTP_EOTHER, "network error with %s: %s", r->host, detail(x, rc));
		break;
	}
	/* CONNECT refused by the proxy shows as an error with a status. */
	if (r->proxy[0] && rc != CURLE_OPERATION_TIMEDOUT && strstr(x->errbuf, "CONNECT"))
		ord_http_resp_fail(r, ORD_HTTP_EPROXY, "proxy '%s' refused the tunnel: %s", r->proxy, x->errbuf);
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ord_http_perform_curl(ord_ctx *ctx, const ord_http_req *reqs,
			  ord_http_resp *resps, size_t n)
{
	struct xfer *xs;
	CURLM *m;
	size_t i, left = 0;
	double deadline, longest = 0;
	int rc = 0;

	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK) {
		for (i = 0; i < n; i++)
			ord_http_resp_fail(&resps[i], ORD_HTTP_EOTHER, "%s", global_err);
		return EINVAL;
	}
	if (!ctx->http_multi) {
		ctx->http_multi = sym_curl_multi_init();
		if (!ctx->http_multi) {
			for (i = 0; i < n; i++)
				ord_http_resp_fail(&resps[i], ORD_HTTP_ENOMEM, "out of memory");
			return ENOMEM;
		}
		ctx->http_release = ord_http_release;
	}
	m = ctx->http_multi;
	xs = calloc(n ? n : 1, sizeof(*xs));
	if (!xs) {
		for (i = 0; i < n; i++)
			ord_http_resp_fail(&resps[i], ORD_HTTP_ENOMEM, "out of memory");
		return ENOMEM;
	}
	for (i = 0; i < n; i++) {
		xs[i].q = &reqs[i];
		xs[i].r = &resps[i];
		if (setup(ctx, &xs[i])) {
			if (!resps[i].err)
				ord_http_resp_fail(&resps[i], ORD_HTTP_ENOMEM, "out of memory");
			xs[i].done = 1;
			continue;
		}
		if (sym_curl_multi_add_handle(m, xs[i].easy) != CURLM_OK) {
			ord_http_resp_fail(&resps[i], ORD_HTTP_EOTHER, "cannot start the request");
			xs[i].done = 1;
			continue;
		}
		if (xs[i].timeout > longest)
			longest = xs[i].timeout;
		left++;
	}
	/* libcurl enforces each timeout; this is only a backstop. */
	deadline = mono() + longest + 2;
	while (left) {
		int running = 0, q;
		CURLMsg *msg;

		if (sym_curl_multi_perform(m, &running) != CURLM_OK)
			break;
		while ((msg = sym_curl_multi_info_read(m, &q))) {
			struct xfer *x;
			char *priv = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			sym_curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
			x = (struct xfer *)(void *)priv;
			if (!x || x->done)
				continue;
			finish(x, msg->data.result);
			sym_curl_multi_remove_handle(m, x->easy);
			left--;
		}
		if (!left)
			break;
		if (mono() > deadline)
			break;
		sym_curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	for (i = 0; i < n; i++) {
		if (xs[i].easy && !xs[i].done) {
			finish(&xs[i], CURLE_OPERATION_TIMEDOUT);
			sym_curl_multi_remove_handle(m, xs[i].easy);
		}
		xfer_free(&xs[i]);
	}
	free(xs);
	return rc;
}

int ord_http_perform(ord_ctx *ctx, const ord_http_req *reqs,
		     ord_http_resp *resps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ord_http_resp_init(&resps[i]);
	if (ctx->offline) {
		for (i = 0; i < n; i++) {
			host_of(reqs[i].url ? reqs[i].url : "", resps[i].host, sizeof(resps[i].host));
			ord_http_resp_fail(&resps[i], ORD_HTTP_EOFFLINE, "offline: nothing sent");
		}
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!reqs[i].url) {
			ord_http_resp_fail(&resps[i], ORD_HTTP_EURL, "no URL");
			return EINVAL;
		}
	if (ctx->perform)
		return ctx->perform(ctx, reqs, resps, n);
	return ord_http_perform_curl(ctx, reqs, resps, n);
}

int ord_http_netcheck(ord_ctx *ctx, const char *url, ord_http_resp *r)
{
	ord_http_req q;

	memset(&q, 0, sizeof(q));
	q.url = url;
	q.connect_only = 1;
	return ord_http_perform(ctx, &q, r, 1);
}
