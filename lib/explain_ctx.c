/* explain_ctx: context in a pasted text that is no error wording (see
 * explain.h, "Context"): the URLs it shows, linted by the same rules as
 * `check` (urllint.c); OpenRouter's X-RateLimit-* headers; a tool and
 * version with a known credential bug (knownbugs.h).  Pure: text in,
 * facts out; every string kept has been through the output gate. */
#include "explain.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gate.h"

/* ---- URLs ---------------------------------------------------------------- */

static int url_end(int c)
{
	return c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == ')' ||
	       c == ']' || c == '}' || c == '\\' || c == ',' || c == '|';
}

/* Is this openrouter.ai path an API request rather than a page of the web
 * site (settings/credits, docs, ...) that OpenRouter's own messages link
 * to?  API requests live under /api and /v1 (a missing /api). */
static int api_like(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/v1") || !strncmp(path, "/v1/", 4) ||
	       strstr(path, "//") != NULL;
}

static void lint_url(ord_explain *x, const char *u, size_t n)
{
	char url[512], path[512];
	const char *p, *h;
	ord_url_lint o;
	ord_xurl *r;
	size_t i;

	while (n && (u[n - 1] == '.' || u[n - 1] == ';' || u[n - 1] == ':'))
		n--;
	if (n >= sizeof(url) || x->nurls == ORD_X_URLS)
		return;
	memcpy(url, u, n);
	url[n] = '\0';
	if (ord_url_lint_check(url, ORD_URL_OPENAI, &o) || !o.cause)
		return;
	if (o.flags & ORD_URLF_OTHER_VENDOR) {
		/* Only an API call to that vendor (not a page such as
		 * platform.openai.com/account/api-keys: that host is no API). */
	} else if (!strcmp(o.host, "openrouter.ai") || !strcmp(o.host, "www.openrouter.ai")) {
		h = strstr(url, "://") + 3;
		p = h + strcspn(h, "/?#");
		snprintf(path, sizeof(path), "%.*s", (int)strcspn(p, "?#"), p);
		if (!api_like(path) && !(o.flags & ORD_URLF_HTTP))
			return;
		/* The base itself (…/api/v1) or an endpoint under it is right. */
		if (!strncmp(path, "/api/v1", 7) && (path[7] == '\0' || path[7] == '/') && !strstr(path, "//") &&
		    strncmp(path, "/api/v1/v1", 10) && !(o.flags & ORD_URLF_HTTP))
			return;
	} else
		return;
	for (i = 0; i < x->nurls; i++)
		if (!strcmp(x->urls[i].raw_host, o.host) && x->urls[i].cause == o.cause)
			return;
	r = &x->urls[x->nurls++];
	memset(r, 0, sizeof(*r));
	ord_gate_copy(r->url, sizeof(r->url), url, n);
	snprintf(r->raw_host, sizeof(r->raw_host), "%s", o.host);
	r->cause = o.cause;
	r->flags = o.flags;
	if (!strcmp(o.host, "openrouter.ai") && !strncasecmp(strstr(url, "://") + 3 + strlen("openrouter.ai"), "/api/", 5) &&
	    strncmp(strstr(url, "://") + 3 + strlen("openrouter.ai"), "/api/v1", 7)) {
		snprintf(r->why, sizeof(r->why), "the path lacks /v1 after /api (the API lives under https://openrouter.ai/api/v1)");
		return;
	}
	for (i = 0; i < ORD_URLF_COUNT; i++)
		if (o.flags & (1u << i) & ~(uint32_t)(ORD_URLF_TRAILING_SLASH | ORD_URLF_QUERY)) {
			snprintf(r->why, sizeof(r->why), "%s", ord_url_flag_text(1u << i));
			break;
		}
}

static void find_urls(ord_explain *x, const char *t, size_t len)
{
	size_t i = 0;

	while (i + 8 < len) {
		const char *p = memchr(t + i, 'h', len - i);
		size_t s, e;

		if (!p)
			break;
		s = (size_t)(p - t);
		i = s + 1;
		if ((len - s >= 8 && !strncasecmp(p, "https://", 8)) || (len - s >= 7 && !strncasecmp(p, "http://", 7))) {
			for (e = s; e < len && !url_end((unsigned char)t[e]); e++)
				;
			lint_url(x, p, e - s);
			i = e;
		}
	}
}

/* ---- X-RateLimit-* ------------------------------------------------------- */

/* The number after "x-ratelimit-NAME" in any quoting ('X-RateLimit-Limit':
 * '50', "X-RateLimit-Remaining":"0", x-ratelimit-reset: 1741305600000);
 * -1 when absent. */
static long long header_num(const char *t, size_t len, const char *name)
{
	size_t nl = strlen(name), i;

	for (i = 0; i + nl < len; i++) {
		const char *p = t + i, *q;
		long long v = 0;
		int digits = 0;

		if ((*p != 'x' && *p != 'X') || strncasecmp(p, name, nl))
			continue;
		q = p + nl;
		while (q < t + len && q - (p + nl) < 6 && strchr("'\"\\ \t:=", *q))
			q++;
		while (q < t + len && isdigit((unsigned char)*q) && digits < 16) {
			v = v * 10 + (*q++ - '0');
			digits++;
		}
		if (digits)
			return v;
	}
	return -1;
}

static void rate_headers(ord_explain *x, const char *t, size_t len)
{
	ord_xrate *r = &x->rate;

	r->limit = header_num(t, len, "x-ratelimit-limit");
	r->remaining = header_num(t, len, "x-ratelimit-remaining");
	r->reset = header_num(t, len, "x-ratelimit-reset");
	r->have = r->limit >= 0 || r->remaining >= 0 || r->reset >= 0;
	if (r->reset > 0) {
		/* OpenRouter sends epoch milliseconds; accept seconds too. */
		time_t s = (time_t)(r->reset > 100000000000ll ? r->reset / 1000 : r->reset);
		struct tm tm;

		if (gmtime_r(&s, &tm)) {
			strftime(r->reset_utc, sizeof(r->reset_utc), "%Y-%m-%d %H:%M:%S UTC", &tm);
			r->reset_midnight = tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0;
		}
	}
}

/* ---- entry ------------------------------------------------------------------- */

void ord_explain_context(ord_explain *x, const char *text, size_t len, const ord_kbugs *kb)
{
	find_urls(x, text, len);
	rate_headers(x, text, len);
	if (kb)
		x->nbugs = ord_kbugs_match(kb, text, len, x->bugs, ORD_X_BUGS);
}
