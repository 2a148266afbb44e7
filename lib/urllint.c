/* urllint: what is wrong with a base URL for a given client form, without
 * touching the network (openrouter-api.md §1 "Wrong base URLs";
 * tool-configs.md for which tool needs which form; causes.md
 * wrong_base_url_path, http_redirect_drops_auth,
 * request_sent_to_wrong_endpoint).
 *
 *   ORD_URL_OPENAI     https://openrouter.ai/api/v1   (SDKs append /chat/completions)
 *   ORD_URL_ANTHROPIC  https://openrouter.ai/api      (Claude Code appends /v1/messages)
 *   ORD_URL_FULL       https://openrouter.ai/api/v1/chat/completions (claude-code-router)
 *
 * Path rules apply to openrouter.ai only.  A loopback host is a local
 * router (e.g. claude-code-router on 127.0.0.1:3456) with its own paths;
 * another host is a gateway (LiteLLM, a LAN proxy) or another vendor.
 */
#include "api.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const flag_ids[ORD_URLF_COUNT] = {
	"empty", "unparsable", "http_scheme", "missing_api", "v1_without_api",
	"missing_v1", "extra_v1", "trailing_slash", "double_slash",
	"full_endpoint", "not_full_endpoint", "other_vendor", "third_party",
	"loopback", "wrong_path", "query",
};

static const char *const flag_texts[ORD_URLF_COUNT] = {
	"the base URL is empty",
	"not a URL (scheme://host expected)",
	"plain http:// to OpenRouter: the redirect to https drops the key in many clients",
	"the path lacks /api (this reaches the web site, not the API)",
	"/v1 without /api (this reaches the web site, not the API)",
	"/api without /v1 for a client that appends /chat/completions",
	"/api/v1 for a client that appends /v1/messages itself (Claude Code needs .../api)",
	"a trailing slash: clients that concatenate naively build //chat/completions",
	"a doubled slash in the path",
	"a full endpoint URL in a base-URL field (the client appends the endpoint again)",
	"this client needs the full endpoint URL .../api/v1/chat/completions",
	"another vendor's API: the OpenRouter key goes to the wrong company",
	"not openrouter.ai: a gateway or router sits in between",
	"a loopback address: a local router or proxy sits in between",
	"a path on openrouter.ai that is not the API base",
	"a query string or fragment in a base URL",
};

const char *ord_url_flag_id(uint32_t bit)
{
	unsigned i;

	for (i = 0; i < ORD_URLF_COUNT; i++)
		if (bit == (1u << i))
			return flag_ids[i];
	return "unknown";
}

const char *ord_url_flag_text(uint32_t bit)
{
	unsigned i;

	for (i = 0; i < ORD_URLF_COUNT; i++)
		if (bit == (1u << i))
			return flag_texts[i];
	return "";
}

const char *ord_url_form_id(ord_url_form f)
{
	return f == ORD_URL_ANTHROPIC ? "anthropic" : f == ORD_URL_FULL ? "full" : "openai";
}

/* Hosts of other vendors' APIs (causes.md request_sent_to_wrong_endpoint,
 * key_from_wrong_provider's vendor list). */
static const char *const vendors[] = {
	"api.openai.com", "api.anthropic.com", "generativelanguage.googleapis.com",
	"api.groq.com", "api.x.ai", "api.deepseek.com", "api.mistral.ai",
	"integrate.api.nvidia.com", "api.together.xyz", "api.fireworks.ai",
	"api.cohere.ai", "api.cohere.com", "api.perplexity.ai",
};

static int host_ends(const char *host, const char *dom)
{
	size_t hl = strlen(host), dl = strlen(dom);

	return hl > dl && host[hl - dl - 1] == '.' && !strcmp(host + hl - dl, dom);
}

static int is_vendor(const char *host)
{
	size_t i;

	for (i = 0; i < sizeof(vendors) / sizeof(*vendors); i++)
		if (!strcmp(host, vendors[i]))
			return 1;
	return host_ends(host, "openai.azure.com");
}

static int ends_with(const char *s, const char *suf)
{
	size_t sl = strlen(s), fl = strlen(suf);

	return sl >= fl && !strcmp(s + sl - fl, suf);
}

/* The path flag for an openrouter.ai path p (no trailing slashes, no
 * doubled slashes). */
static uint32_t path_flags(const char *p, ord_url_form form)
{
	static const struct {
		const char *path;
		uint32_t flag[3]; /* for OPENAI, ANTHROPIC, FULL */
	} table[] = {
		{"", {ORD_URLF_MISSING_API, ORD_URLF_MISSING_API, ORD_URLF_MISSING_API}},
		{"/v1", {ORD_URLF_V1_WITHOUT_API, ORD_URLF_V1_WITHOUT_API, ORD_URLF_V1_WITHOUT_API}},
		{"/api", {ORD_URLF_MISSING_V1, 0, ORD_URLF_NOT_FULL}},
		{"/api/v1", {0, ORD_URLF_EXTRA_V1, ORD_URLF_NOT_FULL}},
		{"/api/v1/chat/completions", {ORD_URLF_FULL_ENDPOINT, ORD_URLF_FULL_ENDPOINT, 0}},
		{"/v1/chat/completions", {ORD_URLF_FULL_ENDPOINT | ORD_URLF_V1_WITHOUT_API,
					  ORD_URLF_FULL_ENDPOINT | ORD_URLF_V1_WITHOUT_API,
					  ORD_URLF_V1_WITHOUT_API}},
		{"/api/chat/completions", {ORD_URLF_FULL_ENDPOINT | ORD_URLF_MISSING_V1,
					   ORD_URLF_FULL_ENDPOINT, ORD_URLF_MISSING_V1}},
		{"/api/v1/messages", {ORD_URLF_FULL_ENDPOINT, ORD_URLF_FULL_ENDPOINT, ORD_URLF_WRONG_PATH}},
		{"/api/v1/v1", {ORD_URLF_WRONG_PATH, ORD_URLF_EXTRA_V1, ORD_URLF_WRONG_PATH}},
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(*table); i++)
		if (!strcmp(p, table[i].path))
			return table[i].flag[form];
	if (ends_with(p, "/chat/completions") || ends_with(p, "/messages") ||
	    ends_with(p, "/responses") || ends_with(p, "/completions"))
		return form == ORD_URL_FULL ? ORD_URLF_WRONG_PATH : ORD_URLF_FULL_ENDPOINT;
	return ORD_URLF_WRONG_PATH;
}

int ord_url_lint_check(const char *url, ord_url_form form, ord_url_lint *o)
{
	static const char *const expected[] = {
		"https://openrouter.ai/api/v1", "https://openrouter.ai/api",
		"https://openrouter.ai/api/v1/chat/completions",
	};
	char path[512];
	const char *p, *h, *he, *at;
	size_t n, i, j;
	int https, openrouter;

	memset(o, 0, sizeof(*o));
	if ((unsigned)form > ORD_URL_FULL)
		form = ORD_URL_OPENAI;
	snprintf(o->expected, sizeof(o->expected), "%s", expected[form]);
	if (!url)
		url = "";
	while (isspace((unsigned char)*url))
		url++;
	n = strlen(url);
	while (n && isspace((unsigned char)url[n - 1]))
		n--;
	if (!n) {
		/* Set but empty: the tool's default applies (or, for the OpenAI
		 * SDKs, an empty base); the caller knows which. */
		o->flags = ORD_URLF_EMPTY;
		o->severity = 1;
		return 0;
	}
	if (n > 7 && !strncasecmp(url, "http://", 7))
		https = 0, p = url + 7;
	else if (n > 8 && !strncasecmp(url, "https://", 8))
		https = 1, p = url + 8;
	else {
		o->flags = ORD_URLF_UNPARSABLE;
		o->severity = 2;
		o->cause = "wrong_base_url_path";
		return 0;
	}
	/* host[:port], after any user:password@ */
	he = p + strcspn(p, "/?#");
	if (he > url + n)
		he = url + n;
	for (at = NULL, h = p; h < he; h++)
		if (*h == '@')
			at = h;
	h = at ? at + 1 : p;
	{
		const char *hend = he;
		if (*h == '[') {
			const char *rb = memchr(h, ']', (size_t)(he - h));
			hend = rb ? rb + 1 : he;
		} else {
			const char *c = memchr(h, ':', (size_t)(he - h));
			if (c)
				hend = c;
		}
		j = (size_t)(hend - h);
		if (j >= sizeof(o->host))
			j = sizeof(o->host) - 1;
		for (i = 0; i < j; i++)
			o->host[i] = (char)tolower((unsigned char)h[i]);
		o->host[j] = '\0';
		if (j && o->host[j - 1] == '.')
			o->host[j - 1] = '\0';
	}
	if (!o->host[0]) {
		o->flags = ORD_URLF_UNPARSABLE;
		o->severity = 2;
		o->cause = "wrong_base_url_path";
		return 0;
	}
	/* The path, without query or fragment. */
	j = strcspn(he, "?#");
	if (he + j > url + n)
		j = (size_t)(url + n - he);
	if (he + j < url + n)
		o->flags |= ORD_URLF_QUERY;
	if (j >= sizeof(path))
		j = sizeof(path) - 1;
	memcpy(path, he, j);
	path[j] = '\0';
	if (strstr(path, "//"))
		o->flags |= ORD_URLF_DOUBLE_SLASH;
	if (j > 1 && path[j - 1] == '/')
		o->flags |= ORD_URLF_TRAILING_SLASH;
	/* Collapse "//", drop trailing slashes. */
	for (i = j = 0; path[i]; i++)
		if (!(path[i] == '/' && j && path[j - 1] == '/'))
			path[j++] = path[i];
	while (j && path[j - 1] == '/')
		j--;
	path[j] = '\0';

	openrouter = !strcmp(o->host, "openrouter.ai") || !strcmp(o->host, "www.openrouter.ai");
	if (ord_url_is_loopback_host(o->host)) {
		o->flags |= ORD_URLF_LOOPBACK;
		o->flags &= ~(uint32_t)ORD_URLF_TRAILING_SLASH;
	} else if (is_vendor(o->host)) {
		o->flags |= ORD_URLF_OTHER_VENDOR;
	} else if (!openrouter) {
		o->flags |= ORD_URLF_THIRD_PARTY;
	} else {
		if (!https)
			o->flags |= ORD_URLF_HTTP;
		o->flags |= path_flags(path, form);
	}
	if (form == ORD_URL_FULL)
		o->flags &= ~(uint32_t)ORD_URLF_TRAILING_SLASH;

	/* The main cause, most specific first. */
	if (o->flags & ORD_URLF_OTHER_VENDOR) {
		o->cause = "request_sent_to_wrong_endpoint";
		o->severity = 2;
	} else if (o->flags & ORD_URLF_HTTP) {
		o->cause = "http_redirect_drops_auth";
		o->severity = 2;
	} else if (o->flags & (ORD_URLF_MISSING_API | ORD_URLF_V1_WITHOUT_API |
			       ORD_URLF_MISSING_V1 | ORD_URLF_EXTRA_V1 |
			       ORD_URLF_FULL_ENDPOINT | ORD_URLF_NOT_FULL |
			       ORD_URLF_WRONG_PATH | ORD_URLF_DOUBLE_SLASH)) {
		o->cause = "wrong_base_url_path";
		o->severity = 2;
	} else if (o->flags & (ORD_URLF_TRAILING_SLASH | ORD_URLF_QUERY)) {
		o->cause = "wrong_base_url_path";
		o->severity = 1;
	}
	return 0;
}
