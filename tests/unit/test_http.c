/* lib/http against a tiny loopback HTTP server run in this process (one
 * thread per connection), plus the /key calls of lib/api over the wire. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/api.h"
#include "lib/http.h"

/* Fixture keys: never real ones. */
#define KEY_LIVE "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"
#define KEY_DEAD "sk-or-v1-0000000000000000000000000000000000000000000000000000000000000dea"

static struct srv {
	int fd, port;
	pthread_t th;
	volatile int stop;
	int active;
	int key_requests;
	int requests;
	char last[4096];
	pthread_mutex_t mu;
} S = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void say(int c, const char *s)
{
	(void)!send(c, s, strlen(s), MSG_NOSIGNAL);
}

static void reply(int c, const char *status, const char *extra, const char *body)
{
	char h[1024];

	snprintf(h, sizeof(h), "HTTP/1.1 %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
		 status, strlen(body), extra ? extra : "");
	say(c, h);
	say(c, body);
}

static void wait_close(int c)
{
	char b[256];

	while (!S.stop) {
		struct pollfd p = {c, POLLIN, 0};
		if (poll(&p, 1, 100) > 0 && recv(c, b, sizeof(b), 0) <= 0)
			break;
	}
}

static void *conn(void *arg)
{
	int c = (int)(intptr_t)arg;
	char req[4096], path[1024] = "";
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(req) - 1) {
		struct pollfd p = {c, POLLIN, 0};
		if (poll(&p, 1, 2000) <= 0)
			break;
		r = recv(c, req + n, sizeof(req) - 1 - n, 0);
		if (r <= 0)
			break;
		n += (size_t)r;
		req[n] = '\0';
		if ((unsigned char)req[0] == 0x16 || strstr(req, "\r\n\r\n"))
			break;
	}
	req[n] = '\0';
	if (n && (unsigned char)req[0] == 0x16) {
		/* A TLS ClientHello to a plain HTTP server. */
		say(c, "HTTP/1.1 400 Bad Request\r\n\r\n");
		goto done;
	}
	sscanf(req, "%*s %1023s", path);
	pthread_mutex_lock(&S.mu);
	S.requests++;
	snprintf(S.last, sizeof(S.last), "%s", req);
	pthread_mutex_unlock(&S.mu);

	if (!strncmp(path, "http://", 7)) {
		reply(c, "200 OK", NULL, "proxied");
	} else if (!strcmp(path, "/ok")) {
		reply(c, "200 OK", "Content-Type: application/json\r\nRetry-After: 7\r\nX-Generation-Id: gen-123\r\n", "{\"ok\":true}");
	} else if (!strcmp(path, "/delay")) {
		usleep(200 * 1000);
		reply(c, "200 OK", NULL, "{}");
	} else if (!strcmp(path, "/hang")) {
		wait_close(c);
	} else if (!strcmp(path, "/redirect")) {
		reply(c, "301 Moved Permanently", "Location: https://openrouter.ai/api/v1/key\r\n", "");
	} else if (!strcmp(path, "/big")) {
		static char chunk[65536];
		size_t sent = 0, total = 5u * 1024 * 1024;

		memset(chunk, 'a', sizeof(chunk));
		say(c, "HTTP/1.1 200 OK\r\nContent-Length: 5242880\r\n\r\n");
		while (sent < total && !S.stop) {
			r = send(c, chunk, sizeof(chunk), MSG_NOSIGNAL);
			if (r <= 0)
				break;
			sent += (size_t)r;
		}
	} else if (!strcmp(path, "/garbage")) {
		say(c, "SSH-2.0-OpenSSH_9.2p1\r\nthis is not http\r\n\r\n");
	} else if (!strcmp(path, "/nothing")) {
		/* close at once */
	} else if (!strcmp(path, "/echo")) {
		reply(c, "200 OK", NULL, req);
	} else if (!strcmp(path, "/api/v1/key")) {
		pthread_mutex_lock(&S.mu);
		S.key_requests++;
		pthread_mutex_unlock(&S.mu);
		usleep(100 * 1000);
		if (strstr(req, "Authorization: Bearer " KEY_LIVE "\r\n"))
			reply(c, "200 OK", "Content-Type: application/json\r\n",
			      "{\"data\":{\"label\":\"sk-or-v1-3fa...9b1\",\"limit\":null,\"limit_remaining\":null,"
			      "\"limit_reset\":null,\"usage\":1.5,\"usage_daily\":0,\"usage_weekly\":0,\"usage_monthly\":1.5,"
			      "\"is_free_tier\":false,\"is_management_key\":false,\"is_provisioning_key\":false,\"expires_at\":null}}");
		else
			reply(c, "401 Unauthorized", "Content-Type: application/json\r\n",
			      "{\"error\":{\"message\":\"User not found.\",\"code\":401}}");
	} else {
		reply(c, "404 Not Found", "Content-Type: text/html\r\n", "<!DOCTYPE html><html>404</html>");
	}
done:
	close(c);
	pthread_mutex_lock(&S.mu);
	S.active--;
	pthread_mutex_unlock(&S.mu);
	return NULL;
}

static void *acceptor(void *arg)
{
	(void)arg;
	while (!S.stop) {
		struct pollfd p = {S.fd, POLLIN, 0};
		pthread_t t;
		int c;

		if (poll(&p, 1, 50) <= 0)
			continue;
		c = accept(S.fd, NULL, NULL);
		if (c < 0)
			continue;
		pthread_mutex_lock(&S.mu);
		S.active++;
		pthread_mutex_unlock(&S.mu);
		if (pthread_create(&t, NULL, conn, (void *)(intptr_t)c)) {
			close(c);
			continue;
		}
		pthread_detach(t);
	}
	return NULL;
}

static int listen_any(int *port)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 64) ||
	    getsockname(fd, (struct sockaddr *)&a, &al))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static int srv_start(void **state)
{
	(void)state;
	S.fd = listen_any(&S.port);
	if (S.fd < 0)
		return -1;
	return pthread_create(&S.th, NULL, acceptor, NULL);
}

static int srv_stop(void **state)
{
	int i;

	(void)state;
	S.stop = 1;
	pthread_join(S.th, NULL);
	close(S.fd);
	for (i = 0; i < 100 && S.active > 0; i++)
		usleep(20 * 1000);
	return 0;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void url(char *out, size_t cap, const char *path)
{
	snprintf(out, cap, "http://127.0.0.1:%d%s", S.port, path);
}

static void ctx_new(ord_ctx *ctx, char *const *env)
{
	assert_int_equal(ord_ctx_init(ctx, env, "/nonexistent", "/"), 0);
	ctx->timeout = 5;
}

static void ctx_done(ord_ctx *ctx)
{
	ord_http_release(ctx);
	ord_ctx_release(ctx);
}

static void get1(ord_ctx *ctx, const char *path, ord_http_resp *r)
{
	char u[256];
	ord_http_req q;

	memset(&q, 0, sizeof(q));
	url(u, sizeof(u), path);
	q.url = u;
	assert_int_equal(ord_http_perform(ctx, &q, r, 1), 0);
}

static void test_headers_and_ua(void **state)
{
	ord_ctx ctx;
	ord_http_resp r;

	(void)state;
	ctx_new(&ctx, NULL);
	get1(&ctx, "/ok", &r);
	assert_int_equal(r.err, ORD_HTTP_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/json");
	assert_string_equal(r.retry_after, "7");
	assert_string_equal(r.generation_id, "gen-123");
	assert_string_equal(ord_buf_str(&r.body), "{\"ok\":true}");
	assert_int_equal(r.reached, ORD_STEP_HTTP);
	assert_true(r.t_total > 0);
	assert_string_equal(r.proxy, "");
	ord_http_resp_release(&r);

	get1(&ctx, "/echo", &r);
	assert_non_null(strstr(ord_buf_str(&r.body), "User-Agent: ordoctor/"));
	assert_null(strstr(ord_buf_str(&r.body), "Authorization"));
	ord_http_resp_release(&r);
	ctx_done(&ctx);
}

static void test_bearer_sent(void **state)
{
	ord_ctx ctx;
	ord_http_resp r;
	ord_http_req q;
	char u[256];
	static const char *const hdr[] = {"X-Test: 1", NULL};

	(void)state;
	ctx_new(&ctx, NULL);
	memset(&q, 0, sizeof(q));
	url(u, sizeof(u), "/echo");
	q.url = u;
	q.bearer = "tok-123";
	q.headers = hdr;
	q.method = "POST";
	q.body = "{}";
	q.body_len = 2;
	assert_int_equal(ord_http_perform(&ctx, &q, &r, 1), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(ord_buf_str(&r.body), "POST /echo"));
	assert_non_null(strstr(ord_buf_str(&r.body), "Authorization: Bearer tok-123\r\n"));
	assert_non_null(strstr(ord_buf_str(&r.body), "X-Test: 1\r\n"));
	ord_http_resp_release(&r);
	ctx_done(&ctx);
}

static void test_concurrency(void **state)
{
	ord_ctx ctx;
	ord_http_req q[4];
	ord_http_resp r[4];
	char u[256];
	double t0, dt;
	int i;

	(void)state;
	ctx_new(&ctx, NULL);
	url(u, sizeof(u), "/delay");
	memset(q, 0, sizeof(q));
	for (i = 0; i < 4; i++)
		q[i].url = u;
	t0 = now_s();
	assert_int_equal(ord_http_perform(&ctx, q, r, 4), 0);
	dt = now_s() - t0;
	for (i = 0; i < 4; i++) {
		assert_int_equal(r[i].err, ORD_HTTP_OK);
		assert_int_equal(r[i].status, 200);
		ord_http_resp_release(&r[i]);
	}
	assert_true(dt < 0.6);
	ctx_done(&ctx);
}

static void test_timeout(void **state)
{
	ord_ctx ctx;
	ord_http_resp r;
	double t0, dt;

	(void)state;
	ctx_new(&ctx, NULL);
	ctx.timeout = 1;
	t0 = now_s();
	get1(&ctx, "/hang", &r);
	dt = now_s() - t0;
	assert_int_equal(r.err, ORD_HTTP_ETIMEOUT);
	assert_non_null(strstr(r.errtext, "timed out after 1 s"));
	assert_true(dt < 2.0);
	ord_http_resp_release(&r);
	ctx_done(&ctx);
}

static void test_redirect_not_followed(void **state)
{
	ord_ctx ctx;
	ord_http_resp r;
	int before = S.requests;

	(void)state;
	ctx_new(&ctx, NULL);
	get1(&ctx, "/redirect", &r);
	assert_int_equal(r.err, ORD_HTTP_OK);
	assert_int_equal(r.status, 301);
	assert_string_equal(r.location, "https://openrouter.ai/api/v1/key");
	assert_int_equal(S.requests, before + 1);
	ord_http_resp_release(&r);
	ctx_done(&ctx);
}

static void test_body_cap(void **state)
{
	ord_ctx ctx;
	ord_http_resp r;
	double t0 = now_s();

	(void)state;
	ctx_new(&ctx, NULL);
	get1(&ctx, "/big", &r);
	assert_int_equal(r.err, ORD_HTTP_ETOOBIG);
	assert_true(r.truncated);
	assert_int_equal(r.body.len, ORD_HTTP_BODY_CAP);
	assert_string_equal(r.errtext, "answer larger than 1 MiB");
	assert_true(now_s() - t0 < 3);
	ord_http_resp_release(&r);
	ctx_done(&ctx);
}

static void test_garbage_and_nothing(void **state)
{
	ord_ctx ctx;
	ord_http_resp r;

	(void)state;
	ctx_new(&ctx, NULL);
	get1(&ctx, "/garbage", &r);
	assert_int_equal(r.err, ORD_HTTP_EPROTO);
	assert_non_null(strstr(r.errtext, "not an HTTP answer"));
	ord_http_resp_release(&r);
	get1(&ctx, "/nothing", &r);
	assert_int_equal(r.err, ORD_HTTP_EPROTO);
	assert_non_null(strstr(r.errtext, "without answering"));
	ord_http_resp_release(&r);
	ctx_done(&ctx);
}

static void test_refused_and_netcheck(void **state)
{
	ord_ctx ctx;
	ord_http_resp r;
	char u[128];
	int port, fd = listen_any(&port);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	ctx_new(&ctx, NULL);
	snprintf(u, sizeof(u), "http://127.0.0.1:%d/x", port);
	ord_http_netcheck(&ctx, u, &r);
	assert_int_equal(r.err, ORD_HTTP_ECONNECT);
	assert_non_null(strstr(r.errtext, "connection refused"));
	assert_int_equal(r.reached, ORD_STEP_DNS);
	ord_http_resp_release(&r);

	url(u, sizeof(u), "/");
	ord_http_netcheck(&ctx, u, &r);
	assert_int_equal(r.err, ORD_HTTP_OK);
	assert_int_equal(r.reached, ORD_STEP_TCP);
	assert_string_equal(ord_net_step_id(r.reached), "tcp");
	ord_http_resp_release(&r);

	/* https to a plain HTTP server: the TLS step fails and says so. */
	snprintf(u, sizeof(u), "https://127.0.0.1:%d/", S.port);
	ord_http_netcheck(&ctx, u, &r);
	assert_int_equal(r.err, ORD_HTTP_ETLS);
	assert_non_null(strstr(r.errtext, "TLS handshake failed"));
	assert_int_equal(r.reached, ORD_STEP_TCP);
	ord_http_resp_release(&r);
	ctx_done(&ctx);
}

static void test_proxy_from_ctx_only(void **state)
{
	ord_ctx ctx;
	ord_http_resp r;
	ord_http_req q;
	char pv[128], env1[160], *envp[3];

	(void)state;
	/* The real environment points at a dead proxy: it must be ignored. */
	setenv("http_proxy", "http://127.0.0.1:1", 1);
	setenv("ALL_PROXY", "http://127.0.0.1:1", 1);
	ctx_new(&ctx, NULL);
	get1(&ctx, "/ok", &r);
	assert_int_equal(r.err, ORD_HTTP_OK);
	assert_string_equal(r.proxy, "");
	ord_http_resp_release(&r);
	ctx_done(&ctx);
	unsetenv("http_proxy");
	unsetenv("ALL_PROXY");

	/* The ctx names our server as the proxy: the request goes there in
	 * absolute form, and the proxy is recorded without its password. */
	snprintf(pv, sizeof(pv), "http://user:pw@127.0.0.1:%d", S.port);
	snprintf(env1, sizeof(env1), "http_proxy=%s", pv);
	envp[0] = env1;
	envp[1] = NULL;
	ctx_new(&ctx, envp);
	memset(&q, 0, sizeof(q));
	q.url = "http://example.invalid/via-proxy";
	assert_int_equal(ord_http_perform(&ctx, &q, &r, 1), 0);
	assert_int_equal(r.err, ORD_HTTP_OK);
	assert_string_equal(ord_buf_str(&r.body), "proxied");
	snprintf(pv, sizeof(pv), "http://127.0.0.1:%d", S.port);
	assert_string_equal(r.proxy, pv);
	ord_http_resp_release(&r);
	ctx_done(&ctx);

	/* NO_PROXY in the ctx sends it direct. */
	envp[0] = (char *)"http_proxy=http://127.0.0.1:1";
	envp[1] = (char *)"NO_PROXY=localhost,127.0.0.1";
	envp[2] = NULL;
	ctx_new(&ctx, envp);
	get1(&ctx, "/ok", &r);
	assert_int_equal(r.err, ORD_HTTP_OK);
	assert_string_equal(r.proxy, "");
	ord_http_resp_release(&r);
	ctx_done(&ctx);
}

/* Whether the fake proxy at fd has a connection waiting, or got one. */
static int proxy_contacted(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	int c;

	if (poll(&p, 1, 50) <= 0)
		return 0;
	c = accept(fd, NULL, NULL);
	if (c >= 0)
		close(c);
	return 1;
}

/* ordoctor's own requests to loopback never go through an environment
 * proxy: with ALL_PROXY or http_proxy pointing at a fake proxy that
 * records every connection, a key check against a loopback API base
 * reaches the server directly and the proxy sees nothing. */
static void test_loopback_bypasses_proxy(void **state)
{
	static const char *const hosts[] = {"127.0.0.1", "localhost"};
	ord_ctx ctx;
	ord_key k;
	const ord_key *kp = &k;
	ord_key_check out;
	ord_http_resp r;
	ord_http_req q;
	char base[128], u[128], env[3][160], *envp[4];
	int pport, pfd = listen_any(&pport), v;
	size_t h;

	(void)state;
	assert_true(pfd >= 0);
	for (v = 0; v < 2; v++)
		for (h = 0; h < sizeof(hosts) / sizeof(*hosts); h++) {
			snprintf(env[0], sizeof(env[0]), "%s=http://127.0.0.1:%d",
				 v ? "http_proxy" : "ALL_PROXY", pport);
			snprintf(env[1], sizeof(env[1]), "HTTPS_PROXY=http://127.0.0.1:%d", pport);
			envp[0] = env[0];
			envp[1] = env[1];
			envp[2] = NULL;
			ctx_new(&ctx, envp);
			snprintf(base, sizeof(base), "http://%s:%d", hosts[h], S.port);
			ctx.api_base = base;
			assert_int_equal(ord_key_init(&k, KEY_LIVE, strlen(KEY_LIVE)), 0);
			S.key_requests = 0;
			assert_int_equal(ord_api_check_keys(&ctx, &kp, 1, &out), 0);
			assert_int_equal(out.status, ORD_KEYST_VALID);
			assert_int_equal(S.key_requests, 1);
			/* origin form: the request was not relayed by a proxy */
			assert_non_null(strstr(S.last, "GET /api/v1/key HTTP/1.1"));
			assert_false(proxy_contacted(pfd));
			ord_key_release(&k);
			/* The same for a plain request. */
			memset(&q, 0, sizeof(q));
			snprintf(u, sizeof(u), "http://%s:%d/ok", hosts[h], S.port);
			q.url = u;
			assert_int_equal(ord_http_perform(&ctx, &q, &r, 1), 0);
			assert_int_equal(r.err, ORD_HTTP_OK);
			assert_string_equal(r.proxy, "");
			assert_false(proxy_contacted(pfd));
			ord_http_resp_release(&r);
			ctx_done(&ctx);
		}
	/* A name that only starts like loopback still goes to the proxy. */
	envp[0] = env[0];
	envp[1] = NULL;
	ctx_new(&ctx, envp);
	assert_non_null(ord_http_proxy_for(&ctx, "http://127.0.0.1.example.invalid/x"));
	assert_null(ord_http_proxy_for(&ctx, "http://[::1]:9/x"));
	ctx_done(&ctx);
	close(pfd);
}

static void test_proxy_rules(void **state)
{
	ord_ctx ctx;
	char *envp[] = {
		(char *)"HTTP_PROXY=http://upper:1",   /* ignored for http (httpoxy) */
		(char *)"HTTPS_PROXY=http://sec:3128",
		(char *)"ALL_PROXY=socks5://all:1080",
		(char *)"no_proxy=.internal.example, 10.0.0.0/8 ,[::1]",
		NULL,
	};
	const char *p;

	(void)state;
	ctx_new(&ctx, envp);
	p = ord_http_proxy_for(&ctx, "https://openrouter.ai/api/v1/key");
	assert_string_equal(p, "http://sec:3128");
	p = ord_http_proxy_for(&ctx, "http://openrouter.ai/api/v1/key");
	assert_string_equal(p, "socks5://all:1080");
	assert_null(ord_http_proxy_for(&ctx, "https://a.internal.example/x"));
	assert_null(ord_http_proxy_for(&ctx, "https://internal.example/x"));
	assert_non_null(ord_http_proxy_for(&ctx, "https://notinternal.example/x"));
	assert_null(ord_http_proxy_for(&ctx, "http://10.1.2.3:8080/x"));
	assert_null(ord_http_proxy_for(&ctx, "http://[::1]:8080/x"));
	assert_non_null(ord_http_proxy_for(&ctx, "http://11.1.2.3/x"));
	ord_env_set(&ctx, "https_proxy", "");   /* set but empty: no proxy */
	assert_null(ord_http_proxy_for(&ctx, "https://openrouter.ai/"));
	ord_env_set(&ctx, "https_proxy", "http://p:1");
	ord_env_set(&ctx, "no_proxy", "*");
	assert_null(ord_http_proxy_for(&ctx, "https://openrouter.ai/"));
	ctx_done(&ctx);
}

static int fake_calls;
static int fake_perform(ord_ctx *ctx, const ord_http_req *reqs, ord_http_resp *resps, size_t n)
{
	(void)ctx;
	(void)reqs;
	fake_calls++;
	for (size_t i = 0; i < n; i++)
		resps[i].status = 418;
	return 0;
}

static void test_offline_and_hook(void **state)
{
	ord_ctx ctx;
	ord_http_resp r;
	int before = S.requests;

	(void)state;
	ctx_new(&ctx, NULL);
	ctx.offline = 1;
	get1(&ctx, "/ok", &r);
	assert_int_equal(r.err, ORD_HTTP_EOFFLINE);
	assert_int_equal(S.requests, before);
	ord_http_resp_release(&r);
	ctx.offline = 0;
	ctx.perform = fake_perform;
	get1(&ctx, "/ok", &r);
	assert_int_equal(fake_calls, 1);
	assert_int_equal(r.status, 418);
	assert_int_equal(S.requests, before);
	ord_http_resp_release(&r);
	ctx_done(&ctx);
}

static void test_bad_url(void **state)
{
	ord_ctx ctx;
	ord_http_req q;
	ord_http_resp r;

	(void)state;
	ctx_new(&ctx, NULL);
	memset(&q, 0, sizeof(q));
	q.url = "ftp://openrouter.ai/x";
	ord_http_perform(&ctx, &q, &r, 1);
	assert_int_equal(r.err, ORD_HTTP_EURL);
	ord_http_resp_release(&r);
	ctx_done(&ctx);
}

/* lib/api over the wire: distinct keys once each, concurrently; a
 * foreign key is never sent. */
static void test_api_check_keys(void **state)
{
	ord_ctx ctx;
	ord_key k[4];
	const ord_key *kp[4];
	ord_key_check out[4];
	char base[128];
	double t0, dt;
	int i;

	(void)state;
	ctx_new(&ctx, NULL);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", S.port); /* root: /api/v1 added */
	ctx.api_base = base;
	assert_int_equal(ord_key_init(&k[0], KEY_LIVE, strlen(KEY_LIVE)), 0);
	assert_int_equal(ord_key_init(&k[1], KEY_DEAD, strlen(KEY_DEAD)), 0);
	assert_int_equal(ord_key_init(&k[2], KEY_LIVE, strlen(KEY_LIVE)), 0);
	assert_int_equal(ord_key_init(&k[3], "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789", 48), 0);
	for (i = 0; i < 4; i++)
		kp[i] = &k[i];
	S.key_requests = 0;
	t0 = now_s();
	assert_int_equal(ord_api_check_keys(&ctx, kp, 4, out), 0);
	dt = now_s() - t0;
	assert_int_equal(S.key_requests, 2);
	assert_true(dt < 0.19); /* two 100 ms answers in parallel */
	assert_int_equal(out[0].status, ORD_KEYST_VALID);
	assert_true(out[0].info.is_management_key == 0);
	assert_int_equal(out[1].status, ORD_KEYST_INVALID);
	assert_string_equal(out[1].cause.cause, "key_revoked_expired_or_unknown");
	assert_int_equal(out[2].status, ORD_KEYST_VALID);
	assert_int_equal(out[2].same_as, 0);
	assert_int_equal(out[3].status, ORD_KEYST_NOT_CHECKED);
	assert_null(strstr(S.last, "sk-ant"));
	for (i = 0; i < 4; i++)
		ord_key_release(&k[i]);
	ctx_done(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_and_ua),
		cmocka_unit_test(test_bearer_sent),
		cmocka_unit_test(test_concurrency),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_redirect_not_followed),
		cmocka_unit_test(test_body_cap),
		cmocka_unit_test(test_garbage_and_nothing),
		cmocka_unit_test(test_refused_and_netcheck),
		cmocka_unit_test(test_proxy_from_ctx_only),
		cmocka_unit_test(test_proxy_rules),
		cmocka_unit_test(test_loopback_bypasses_proxy),
		cmocka_unit_test(test_offline_and_hook),
		cmocka_unit_test(test_bad_url),
		cmocka_unit_test(test_api_check_keys),
	};
	return cmocka_run_group_tests(tests, srv_start, srv_stop);
}
