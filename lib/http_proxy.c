/* http_proxy: which proxy a request uses, decided from the injected
 * environment with libcurl's own rules, so that libcurl never reads the
 * real environment (http.c sets CURLOPT_PROXY/CURLOPT_NOPROXY explicitly).
 *
 * curl's rules (lib/url.c detect_proxy, lib/noproxy.c Curl_check_noproxy,
 * curl 7.88):
 *   - "<scheme>_proxy" in lowercase; for schemes other than http also the
 *     uppercase form (HTTP_PROXY is ignored on purpose: "httpoxy", a CGI
 *     program gets the client's Proxy: header as HTTP_PROXY);
 *   - else all_proxy, then ALL_PROXY;
 *   - a variable that is set but empty means "no proxy";
 *   - no_proxy, then NO_PROXY: "*" bypasses every host; otherwise a list
 *     separated by commas or spaces of host names (a leading dot is
 *     ignored; a name matches itself and its subdomains), IP addresses and
 *     CIDR ranges.
 * One rule of ordoctor's own comes first: a literal loopback host never
 * goes through a proxy (listen.h).
 */
#include "http.h"
#include "listen.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Split url into scheme and host (lowercase, brackets removed). */
static int url_parts(const char *url, char *scheme, size_t scap, char *host,
		     size_t hcap)
{
	const char *p = strstr(url, "://"), *h, *e;
	size_t n;

	if (!p || (size_t)(p - url) >= scap)
		return -1;
	for (n = 0; url + n < p; n++)
		scheme[n] = (char)tolower((unsigned char)url[n]);
	scheme[n] = '\0';
	h = p + 3;
	e = h + strcspn(h, "/?#");
	/* Skip user:password@. */
	{
		const char *at = memchr(h, '@', (size_t)(e - h));
		const char *last = at;

		while (at) {
			last = at;
			at = memchr(at + 1, '@', (size_t)(e - at - 1));
		}
		if (last)
			h = last + 1;
	}
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(e - h));
		if (!rb)
			return -1;
		h++;
		e = rb;
	} else {
		const char *colon = memchr(h, ':', (size_t)(e - h));
		if (colon)
			e = colon;
	}
	n = (size_t)(e - h);
	if (n == 0 || n >= hcap)
		return -1;
	for (size_t i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)h[i]);
	host[n] = '\0';
	/* "openrouter.ai." is the same host. */
	if (n > 1 && host[n - 1] == '.')
		host[n - 1] = '\0';
	return 0;
}

static int cidr_match(const char *host, const char *tok, size_t tlen)
{
	char net[64];
	const char *slash = memchr(tok, '/', tlen);
	unsigned char a[16], b[16];
	long bits;
	char *end;
	int fam, i, len;

	if (tlen >= sizeof(net))
		return 0;
	memcpy(net, tok, tlen);
	net[tlen] = '\0';
	if (slash)
		net[slash - tok] = '\0';
	fam = strchr(net, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(fam, host, a) != 1 || inet_pton(fam, net, b) != 1)
		return 0;
	len = fam == AF_INET ? 4 : 16;
	bits = len * 8;
	if (slash) {
		bits = strtol(net + (slash - tok) + 1, &end, 10);
		if (*end || bits < 0 || bits > len * 8)
			return 0;
	}
	for (i = 0; i < len && bits > 0; i++, bits -= 8) {
		unsigned char mask = bits >= 8 ? 0xff :
			(unsigned char)(0xff << (8 - bits));
		if ((a[i] & mask) != (b[i] & mask))
			return 0;
	}
	return 1;
}

static int noproxy_match(const char *noproxy, const char *host)
{
	const char *p = noproxy;
	size_t hl = strlen(host);

	while (*p == ' ' || *p == '\t')
		p++;
	if (!strcmp(p, "*"))
		return 1;
	while (*p) {
		size_t tl;
		const char *t;

		p += strspn(p, ", \t");
		t = p;
		tl = strcspn(p, ", \t");
		p += tl;
		if (!tl)
			continue;
		if (tl == 1 && *t == '*')
			return 1;
		if (*t == '[' && tl > 2 && t[tl - 1] == ']') {
			t++;
			tl -= 2;
		}
		if (cidr_match(host, t, tl))
			return 1;
		if (*t == '.') {
			t++;
			tl--;
		}
		while (tl > 1 && t[tl - 1] == '.')
			tl--;
		if (!tl)
			continue;
		if (hl == tl && !strncasecmp(host, t, tl))
			return 1;
		if (hl > tl && host[hl - tl - 1] == '.' &&
		    !strncasecmp(host + hl - tl, t, tl))
			return 1;
	}
	return 0;
}

const char *ord_http_proxy_for(const ord_ctx *ctx, const char *url)
{
	char scheme[16], host[256], name[32];
	const char *v, *np;
	size_t i;

	if (url_parts(url, scheme, sizeof(scheme), host, sizeof(host)))
		return NULL;
	/* ordoctor's own requests to loopback (the mock, a local router,
	 * --api-base http://127.0.0.1:…) never go through a proxy: over
	 * plain http a proxy would read the key, and no proxy can reach this
	 * machine's loopback anyway.  curl's own rules have no such case. */
	if (ord_url_is_loopback_host(host))
		return NULL;
	snprintf(name, sizeof(name), "%s_proxy", scheme);
	v = ord_env_get(ctx, name);
	if (!v && strcmp(scheme, "http")) {
		for (i = 0; name[i]; i++)
			name[i] = (char)toupper((unsigned char)name[i]);
		v = ord_env_get(ctx, name);
	}
	if (!v)
		v = ord_env_get(ctx, "all_proxy");
	if (!v)
		v = ord_env_get(ctx, "ALL_PROXY");
	if (!v || !*v)
		return NULL;
	np = ord_env_get(ctx, "no_proxy");
	if (!np)
		np = ord_env_get(ctx, "NO_PROXY");
	if (np && noproxy_match(np, host))
		return NULL;
	return v;
}

void ord_http_strip_userinfo(const char *url, char *out, size_t cap)
{
	const char *p = strstr(url, "://"), *h, *e, *at = NULL, *q;
	size_t n;

	if (!cap)
		return;
	h = p ? p + 3 : url;
	e = h + strcspn(h, "/?#");
	for (q = h; q < e; q++)
		if (*q == '@')
			at = q;
	if (!at) {
		snprintf(out, cap, "%s", url);
	} else {
		n = (size_t)(h - url);
		snprintf(out, cap, "%.*s%s", (int)(n < cap ? n : cap - 1), url,
			 at + 1);
	}
	/* One line, printable. */
	for (n = 0; out[n]; n++)
		if ((unsigned char)out[n] < 0x20 || out[n] == 0x7f)
			out[n] = '?';
}
