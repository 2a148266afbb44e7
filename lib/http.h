/* http: the libcurl transport (issue 3).
 *
 * One call performs a batch of requests concurrently (curl multi) over a
 * connection pool kept in the ctx, so a later batch to the same host reuses
 * the connections.  Policy, fixed here and not configurable:
 *   - TLS verification is always on (peer and host name);
 *   - redirects are never followed: the 3xx status and its Location are
 *     reported instead;
 *   - only http:// and https:// URLs;
 *   - the body is kept up to a hard cap (1 MiB by default); past it the
 *     transfer is aborted and the response flagged truncated;
 *   - the proxy comes from the injected environment (ctx), never from the
 *     real one: libcurl's own environment lookup is switched off;
 *   - no netrc, no cookies, nothing written to disk, nothing printed.
 * Every failure becomes a short lowercase text naming the step that failed
 * ("cannot resolve host 'x'", "connection refused", "timed out after 10 s
 * waiting for the answer", "answer larger than 1 MiB").
 */
#ifndef ORD_HTTP_H
#define ORD_HTTP_H

#include <stddef.h>

#include "buf.h"
#include "ctx.h"

#define ORD_HTTP_BODY_CAP (1024 * 1024)
/* Response headers beyond this size abort the transfer. */
#define ORD_HTTP_HEADER_CAP (256 * 1024)
#define ORD_HTTP_ERRTEXT 256
#define ORD_HTTP_VALUE 512

/* What went wrong, coarsely (the text says exactly). */
typedef enum ord_http_err {
	ORD_HTTP_OK = 0,      /* an HTTP answer arrived (any status) */
	ORD_HTTP_EOFFLINE,    /* ctx->offline: nothing was sent */
	ORD_HTTP_EURL,        /* malformed or unsupported URL */
	ORD_HTTP_EPROXY,      /* the proxy failed (resolve, connect, CONNECT) */
	ORD_HTTP_EDNS,        /* cannot resolve host */
	ORD_HTTP_ECONNECT,    /* TCP connect failed (refused, unreachable) */
	ORD_HTTP_ETLS,        /* TLS handshake or certificate */
	ORD_HTTP_ETIMEOUT,
	ORD_HTTP_ETOOBIG,     /* body or headers over the cap (truncated) */
	ORD_HTTP_EPROTO,      /* not HTTP, nothing, or cut short */
	ORD_HTTP_EIO,         /* send/receive error */
	ORD_HTTP_ENOMEM,
	ORD_HTTP_EOTHER,
} ord_http_err;

/* The step a network check reached (ord_http_netcheck). */
typedef enum ord_net_step {
	ORD_STEP_NONE = 0,
	ORD_STEP_DNS,         /* name resolved */
	ORD_STEP_TCP,         /* TCP connected */
	ORD_STEP_TLS,         /* TLS handshake done (https only) */
	ORD_STEP_HTTP,        /* an HTTP answer arrived */
} ord_net_step;

typedef struct ord_http_req {
	const char *url;       /* http:// or https:// only */
	const char *method;    /* NULL: "GET"; "POST" with body */
	/* "Authorization: Bearer <bearer>" when non-NULL.  The header is built
	 * in memory that is wiped after the transfer. */
	const char *bearer;
	/* Extra "Name: value" lines, NULL-terminated, may be NULL. */
	const char *const *headers;
	const char *body;      /* request body (POST), may be NULL */
	size_t body_len;
	size_t body_cap;       /* 0: ORD_HTTP_BODY_CAP */
	double timeout;        /* seconds; 0: ctx->timeout */
	double connect_timeout;/* seconds; 0: same as timeout */
	/* Stop once connected (and TLS done for https): the network check. */
	int connect_only;
} ord_http_req;

typedef struct ord_http_resp {
	ord_http_err err;
	char errtext[ORD_HTTP_ERRTEXT]; /* "" when err == ORD_HTTP_OK */
	long status;           /* 0 when no HTTP answer */
	ord_buf body;          /* capped; wiped on release */
	int truncated;         /* body (or headers) hit the cap */
	/* Headers that matter ("" when absent; values are cut at 511 bytes,
	 * control characters replaced). */
	char content_type[ORD_HTTP_VALUE];
	char location[ORD_HTTP_VALUE];    /* 3xx: where it pointed (not followed) */
	char retry_after[64];
	char generation_id[128];
	/* X-RateLimit-Limit, -Remaining, -Reset (OpenRouter's own 429s). */
	char rl_limit[32], rl_remaining[32], rl_reset[32];
	/* The proxy this request went through, credentials removed, or ""
	 * when direct. */
	char proxy[ORD_HTTP_VALUE];
	char host[256];        /* the URL's host, for messages */
	ord_net_step reached;  /* the last step that succeeded */
	/* Seconds from the start: name resolved, TCP connected, TLS done,
	 * first byte, total (curl_easy_getinfo *_TIME_T); 0 when not reached. */
	double t_dns, t_connect, t_tls, t_first_byte, t_total;
} ord_http_resp;

/* Perform n requests concurrently and fill resps[0..n) (which need no
 * initialisation).  With ctx->offline nothing is sent (ORD_HTTP_EOFFLINE);
 * with ctx->perform set, that function is called instead of libcurl.
 * Returns 0, or ENOMEM/EINVAL when the batch could not be run at all
 * (every response then carries an error too).  One ctx is used by one
 * thread at a time (the connection pool lives in it). */
int ord_http_perform(ord_ctx *ctx, const ord_http_req *reqs,
		     ord_http_resp *resps, size_t n);
/* The libcurl transport itself (what ctx->perform == NULL means). */
int ord_http_perform_curl(ord_ctx *ctx, const ord_http_req *reqs,
			  ord_http_resp *resps, size_t n);
/* Initialise a response to "no answer yet" (for transports and tests). */
void ord_http_resp_init(ord_http_resp *r);
/* Wipe and free a response (its body may echo secrets). */
void ord_http_resp_release(ord_http_resp *r);
/* Set the error of a response, formatted ("connection refused"). */
void ord_http_resp_fail(ord_http_resp *r, ord_http_err err, const char *fmt,
			...) __attribute__((format(printf, 3, 4)));
/* Free the connection pool kept in ctx (idempotent); ord_ctx_release
 * does it as well. */
void ord_http_release(ord_ctx *ctx);

/* The proxy curl would use for url, from the ctx environment with curl's
 * own rules: <scheme>_proxy (lowercase; for https also HTTPS_PROXY),
 * then all_proxy / ALL_PROXY, unless no_proxy / NO_PROXY matches the host
 * ("*", a domain and its subdomains, an IP, an IPv4 CIDR).  Returns the
 * value (in ctx's environment) or NULL for a direct connection. */
const char *ord_http_proxy_for(const ord_ctx *ctx, const char *url);
/* Copy a URL without "user:password@" into out. */
void ord_http_strip_userinfo(const char *url, char *out, size_t cap);

/* Network check: DNS, TCP, TLS to url's host, no HTTP request sent.
 * r->reached says how far it got; on failure r->err/errtext name the step
 * (through a proxy, the steps are those of the connection to the proxy
 * and the tunnel; r->proxy says which).  r must be released. */
int ord_http_netcheck(ord_ctx *ctx, const char *url, ord_http_resp *r);
const char *ord_net_step_id(ord_net_step s);   /* "dns", "tcp", … */

/* The User-Agent sent: "ordoctor/<version>". */
const char *ord_http_user_agent(void);

#endif
