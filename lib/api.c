/* api: the live calls (see api.h).  Decoders live in api_key.c,
 * api_errors.c, api_classify.c; the URL linter in urllint.c. */
#include "api.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gate.h"

/* Answers to these calls are small; 64 KiB is plenty and bounds memory
 * when many keys are checked. */
#define SMALL_CAP (64 * 1024)

static const char *const json_headers[] = {"Accept: application/json", NULL};

/* ---- base URLs ----------------------------------------------------------- */

int ord_api_base_normalise(const char *in, char *out, size_t cap)
{
	const char *p, *path;
	size_t n;

	while (isspace((unsigned char)*in))
		in++;
	n = strlen(in);
	while (n && (isspace((unsigned char)in[n - 1]) || in[n - 1] == '/'))
		n--;
	if (n + sizeof("/api/v1") > cap) {
		snprintf(out, cap, "%s", ORD_API_BASE_DEFAULT);
		return ENAMETOOLONG;
	}
	memcpy(out, in, n);
	out[n] = '\0';
	p = strstr(out, "://");
	if (!p || !p[3])
		return EINVAL;
	path = p + 3 + strcspn(p + 3, "/?#");
	if (!*path)
		strcat(out, "/api/v1");   /* the server root */
	else if (!strcmp(path, "/api"))
		strcat(out, "/v1");       /* the Anthropic-style base */
	return 0;
}

const char *ord_api_base(const ord_ctx *ctx, char out[ORD_API_URL_MAX])
{
	if (ctx->api_base && *ctx->api_base) {
		if (ord_api_base_normalise(ctx->api_base, out, ORD_API_URL_MAX) == EINVAL)
			snprintf(out, ORD_API_URL_MAX, "%s", ctx->api_base);
	} else
		snprintf(out, ORD_API_URL_MAX, "%s", ORD_API_BASE_DEFAULT);
	return out;
}

int ord_api_base_is_default(const char *base)
{
	return !strcmp(base, ORD_API_BASE_DEFAULT);
}

/* "scheme://host:port" of a URL, lowercase, default port filled in, no
 * credentials; host alone in host (may be NULL). */
static int origin_of(const char *url, char *out, size_t cap, char *host,
		     size_t hcap)
{
	ord_url_lint l;
	const char *p = strstr(url, "://"), *hp, *he, *port = NULL;
	int https;

	if (!p)
		return -1;
	https = !strncasecmp(url, "https", 5) && p - url == 5;
	if (!https && !(p - url == 4 && !strncasecmp(url, "http", 4)))
		return -1;
	if (ord_url_lint_check(url, ORD_URL_OPENAI, &l) || !l.host[0])
		return -1;
	hp = p + 3;
	he = hp + strcspn(hp, "/?#");
	/* An authority that URL parsers read differently (two '@', a
	 * backslash, a blank) could name one host here and connect to
	 * another: not a base a key is sent to. */
	{
		const char *at = memchr(hp, '@', (size_t)(he - hp));

		if ((at && memchr(at + 1, '@', (size_t)(he - at - 1))) ||
		    strcspn(hp, "\\ \t") < (size_t)(he - hp))
			return -1;
	}
	/* The port is after the last ':' past any ']' and '@'. */
	for (p = hp; p < he; p++) {
		if (*p == '@' || *p == ']')
			port = NULL;
		else if (*p == ':')
			port = p + 1;
	}
	snprintf(out, cap, "%s://%s:%.*s", https ? "https" : "http", l.host,
		 port && port < he ? (int)(he - port) : 3, port && port < he ? port :
		 https ? "443" : "80");
	if (host)
		snprintf(host, hcap, "%s", l.host);
	return 0;
}

/* Does the host of url end with a '.' as written ("127.0.0.1.:80")? */
static int host_ends_dot(const char *url)
{
	const char *h = strstr(url, "://"), *e, *at;

	if (!h)
		return 0;
	h += 3;
	e = h + strcspn(h, "/?#");
	at = memchr(h, '@', (size_t)(e - h));
	if (at)
		h = at + 1;
	if (*h != '[') {
		const char *c = memchr(h, ':', (size_t)(e - h));

		if (c)
			e = c;
	}
	return e > h && e[-1] == '.';
}

int ord_api_base_sendable(const char *base, char *reason, size_t cap)
{
	char origin[ORD_API_URL_MAX], host[256];

	if (origin_of(base, origin, sizeof(origin), host, sizeof(host))) {
		snprintf(reason, cap, "api base is not an http(s) URL");
		return EINVAL;
	}
	if (!strncmp(origin, "https://", 8))
		return 0;
	/* "127.0.0.1." is a name for DNS, not the address. */
	if (ord_url_is_loopback_host(host) && !host_ends_dot(base))
		return 0;
	snprintf(reason, cap, "refusing to send a key over plain http to %s (only loopback may use http)", host);
	return EPERM;
}

int ord_api_netcheck(ord_ctx *ctx, ord_http_resp *r)
{
	char base[ORD_API_URL_MAX];

	return ord_http_netcheck(ctx, ord_api_base(ctx, base), r);
}

const char *ord_key_status_id(ord_key_status s)
{
	static const char *const ids[] = {"not_checked", "valid", "invalid", "unknown"};

	return (unsigned)s < 4 ? ids[s] : "unknown";
}

const char *ord_probe_result_id(ord_probe_result r)
{
	static const char *const ids[] = {"json", "html", "redirect", "other",
					  "network", "skipped"};

	return (unsigned)r < 6 ? ids[r] : "other";
}

/* Why a key is never sent, from its shape. */
static const char *not_sent_reason(const ord_key *k)
{
	switch (k->shape) {
	case ORD_SHAPE_EMPTY:
		return "not sent: the key is empty";
	case ORD_SHAPE_PLACEHOLDER:
		return "not sent: a placeholder, not a key";
	case ORD_SHAPE_FOREIGN:
		return "not sent: another vendor's key";
	default:
		return "not sent: not a well-formed OpenRouter key (sk-or-v1- + 64 hex)";
	}
}

/* A one-line summary of an answer: "HTTP 401: User not found." */
static void answer_text(char *dst, size_t cap, const ord_http_resp *r,
			const ord_api_error *e)
{
	if (r->status >= 300 && r->status < 400)
		snprintf(dst, cap, "HTTP %ld redirect to %.200s (not followed)", r->status,
			 r->location[0] ? r->location : "(no Location)");
	else if (e->message[0])
		snprintf(dst, cap, "HTTP %ld: %.200s", r->status, e->message);
	else if (e->kind == ORD_BODY_HTML)
		snprintf(dst, cap, "HTTP %ld with an HTML page, not the API (wrong api base path?)", r->status);
	else
		snprintf(dst, cap, "HTTP %ld with a %s body", r->status, ord_body_kind_id(e->kind));
	ord_gate_str(dst, cap);  /* a Location may carry anything */
}

/* ---- GET /key ------------------------------------------------------------ */

static void interpret_key(ord_key_check *c, ord_http_resp *r)
{
	c->http_status = r->status;
	c->net_err = r->err;
	c->seconds = r->t_total;
	c->status = ORD_KEYST_UNKNOWN;
	if (r->err && r->err != ORD_HTTP_ETOOBIG) {
		snprintf(c->reason, sizeof(c->reason), "%s", r->errtext);
		return;
	}
	ord_api_decode_error(r->status, r->body.data, r->body.len, &c->error);
	ord_api_classify(&c->error, &c->cause);
	if (r->err) {
		snprintf(c->reason, sizeof(c->reason), "%s", r->errtext);
		return;
	}
	if (r->status == 200) {
		if (!ord_api_decode_key(r->body.data, r->body.len, &c->info)) {
			c->status = ORD_KEYST_VALID;
			memset(&c->cause, 0, sizeof(c->cause));
			return;
		}
		if (c->error.kind == ORD_BODY_HTML)
			answer_text(c->reason, sizeof(c->reason), r, &c->error);
		else
			snprintf(c->reason, sizeof(c->reason), "HTTP 200 but not a /key answer (%s)",
				 ord_body_kind_id(c->error.kind));
		return;
	}
	if ((r->status == 401 || r->status == 403) && c->error.kind != ORD_BODY_HTML)
		c->status = ORD_KEYST_INVALID;
	answer_text(c->reason, sizeof(c->reason), r, &c->error);
}

int ord_api_check_keys(ord_ctx *ctx, const ord_key *const *keys, size_t n,
		       ord_key_check *out)
{
	char base[ORD_API_URL_MAX], why[256], url[ORD_API_URL_MAX + 8];
	ord_http_req *reqs;
	ord_http_resp *resps;
	size_t *who, i, j, nreq = 0;
	int sendable, rc = 0;

	ord_api_base(ctx, base);
	snprintf(url, sizeof(url), "%s/key", base);
	sendable = !ord_api_base_sendable(base, why, sizeof(why));
	reqs = calloc(n ? n : 1, sizeof(*reqs));
	resps = calloc(n ? n : 1, sizeof(*resps));
	who = calloc(n ? n : 1, sizeof(*who));
	if (!reqs || !resps || !who) {
		free(reqs);
		free(resps);
		free(who);
		return ENOMEM;
	}
	for (i = 0; i < n; i++) {
		ord_key_check *c = &out[i];

		memset(c, 0, sizeof(*c));
		c->same_as = i;
		snprintf(c->url, sizeof(c->url), "%.*s", ORD_API_URL_MAX - 1, url);
		for (j = 0; j < i; j++)
			if (out[j].same_as == j && ord_key_equal(keys[i], keys[j])) {
				c->same_as = j;
				break;
			}
		if (c->same_as != i)
			continue;
		c->status = ORD_KEYST_NOT_CHECKED;
		if (!ord_key_is_openrouter(keys[i]))
			snprintf(c->reason, sizeof(c->reason), "%s", not_sent_reason(keys[i]));
		else if (ctx->offline)
			snprintf(c->reason, sizeof(c->reason), "offline: not checked");
		else if (!sendable)
			snprintf(c->reason, sizeof(c->reason), "%s", why);
		else {
			reqs[nreq].url = c->url;
			reqs[nreq].bearer = keys[i]->norm;
			reqs[nreq].headers = json_headers;
			reqs[nreq].body_cap = SMALL_CAP;
			who[nreq++] = i;
		}
	}
	if (nreq) {
		rc = ord_http_perform(ctx, reqs, resps, nreq);
		for (j = 0; j < nreq; j++) {
			interpret_key(&out[who[j]], &resps[j]);
			ord_http_resp_release(&resps[j]);
		}
		if (rc == EINVAL)
			rc = 0; /* reported per key */
	}
	for (i = 0; i < n; i++)
		if (out[i].same_as != i) {
			size_t first = out[i].same_as;
			out[i] = out[first];
			out[i].same_as = first;
		}
	free(reqs);
	free(resps);
	free(who);
	return rc;
}

/* ---- base-URL probe --------------------------------------------------------- */

static void probe_url(const char *base, ord_url_form form, char *out, size_t cap)
{
	char tmp[ORD_API_URL_MAX - 16];
	size_t n;

	ord_http_strip_userinfo(base, tmp, sizeof(tmp));
	n = strcspn(tmp, "?#");
	tmp[n] = '\0';
	while (n && (tmp[n - 1] == '/' || isspace((unsigned char)tmp[n - 1])))
		tmp[--n] = '\0';
	if (form == ORD_URL_FULL && n >= 17 && !strcmp(tmp + n - 17, "/chat/completions"))
		tmp[n - 17] = '\0';
	snprintf(out, cap, "%s%s", tmp, form == ORD_URL_ANTHROPIC ? "/v1/models" : "/models");
}

int ord_api_probe_bases(ord_ctx *ctx, const char *const *bases,
			const ord_url_form *forms, size_t n,
			const ord_key *key, ord_base_probe *out)
{
	char base[ORD_API_URL_MAX], api_origin[ORD_API_URL_MAX], why[256];
	ord_http_req *reqs = calloc(n ? n : 1, sizeof(*reqs));
	ord_http_resp *resps = calloc(n ? n : 1, sizeof(*resps));
	size_t *who = calloc(n ? n : 1, sizeof(*who)), i, nreq = 0;
	int have_api;

	if (!reqs || !resps || !who) {
		free(reqs);
		free(resps);
		free(who);
		return ENOMEM;
	}
	ord_api_base(ctx, base);
	have_api = !origin_of(base, api_origin, sizeof(api_origin), NULL, 0);
	for (i = 0; i < n; i++) {
		ord_base_probe *p = &out[i];
		char origin[ORD_API_URL_MAX], host[256];
		ord_url_form form = forms ? forms[i] : ORD_URL_OPENAI;

		memset(p, 0, sizeof(*p));
		p->result = ORD_PROBE_SKIPPED;
		if (!bases[i] || origin_of(bases[i], origin, sizeof(origin), host, sizeof(host))) {
			snprintf(p->reason, sizeof(p->reason), "not an http(s) URL");
			continue;
		}
		probe_url(bases[i], form, p->url, sizeof(p->url));
		if (ctx->offline) {
			snprintf(p->reason, sizeof(p->reason), "offline: not probed");
			continue;
		}
		reqs[nreq].url = p->url;
		reqs[nreq].headers = json_headers;
		reqs[nreq].body_cap = SMALL_CAP;
		/* The key goes only to OpenRouter itself or to the api base. */
		if (key && ord_key_is_openrouter(key) &&
		    ((!strcmp(host, "openrouter.ai") && !strncmp(origin, "https://", 8)) ||
		     (have_api && !strcmp(origin, api_origin) &&
		      !ord_api_base_sendable(base, why, sizeof(why))))) {
			reqs[nreq].bearer = key->norm;
			p->key_sent = 1;
		}
		who[nreq++] = i;
	}
	if (nreq)
		ord_http_perform(ctx, reqs, resps, nreq);
	for (i = 0; i < nreq; i++) {
		ord_base_probe *p = &out[who[i]];
		ord_http_resp *r = &resps[i];
		ord_url_lint l;
		ord_cause_guess g;
		const char *ct = r->content_type;

		ord_url_lint_check(bases[who[i]], forms ? forms[who[i]] : ORD_URL_OPENAI, &l);
		p->status = r->status;
		snprintf(p->content_type, sizeof(p->content_type), "%.*s", (int)sizeof(p->content_type) - 1, ct);
		ord_gate_copy(p->location, sizeof(p->location), r->location, strlen(r->location));
		if (r->err && r->err != ORD_HTTP_ETOOBIG) {
			p->result = ORD_PROBE_NETWORK;
			snprintf(p->reason, sizeof(p->reason), "%s", r->errtext);
			ord_http_resp_release(r);
			continue;
		}
		ord_api_decode_error(r->status, r->body.data, r->body.len, &p->error);
		ord_api_classify(&p->error, &g);
		answer_text(p->reason, sizeof(p->reason), r, &p->error);
		if (r->status >= 300 && r->status < 400) {
			p->result = ORD_PROBE_REDIRECT;
			p->cause = "http_redirect_drops_auth";
		} else if (p->error.kind == ORD_BODY_HTML || strcasestr(ct, "text/html")) {
			p->result = ORD_PROBE_HTML;
			p->cause = "wrong_base_url_path";
		} else if (p->error.kind >= ORD_BODY_JSON || strcasestr(ct, "json")) {
			/* A truncated /models list is still JSON. */
			p->result = ORD_PROBE_JSON;
			if (l.severity == 2)
				p->cause = l.cause;
			else if (r->status >= 400 && p->key_sent)
				p->cause = g.cause;
		} else {
			p->result = ORD_PROBE_OTHER;
			p->cause = l.severity == 2 ? l.cause : NULL;
		}
		if (p->result == ORD_PROBE_JSON && r->status == 200)
			snprintf(p->reason, sizeof(p->reason), "HTTP 200 JSON: an API answers here");
		ord_http_resp_release(r);
	}
	free(reqs);
	free(resps);
	free(who);
	return 0;
}

/* ---- chat probe ------------------------------------------------------------ */

static void chat_fields(ord_chat_probe *c, const ord_http_resp *r)
{
	json_tokener *tok;
	json_object *root, *v;

	if (!r->body.len || r->body.len > SMALL_CAP)
		return;
	tok = json_tokener_new_ex(32);
	if (!tok)
		return;
	root = json_tokener_parse_ex(tok, r->body.data, (int)r->body.len);
	json_tokener_free(tok);
	if (!root)
		return;
	if (json_object_object_get_ex(root, "model", &v) && json_object_is_type(v, json_type_string))
		snprintf(c->answered_model, sizeof(c->answered_model), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(root, "provider", &v) && json_object_is_type(v, json_type_string))
		snprintf(c->provider, sizeof(c->provider), "%s", json_object_get_string(v));
	if (!c->generation_id[0] && json_object_object_get_ex(root, "id", &v) &&
	    json_object_is_type(v, json_type_string))
		snprintf(c->generation_id, sizeof(c->generation_id), "%s", json_object_get_string(v));
	json_object_put(root);
	ord_gate_str(c->answered_model, sizeof(c->answered_model));
	ord_gate_str(c->provider, sizeof(c->provider));
	ord_gate_str(c->generation_id, sizeof(c->generation_id));
}

int ord_api_chat_probe(ord_ctx *ctx, const ord_key *key, const char *model,
		       ord_chat_probe *out)
{
	static const char *const hdrs[] = {"Accept: application/json",
					   "Content-Type: application/json", NULL};
	char base[ORD_API_URL_MAX], url[ORD_API_URL_MAX + 24], why[256];
	json_object *req, *msgs, *msg;
	ord_http_req q;
	ord_http_resp r;
	const char *body;

	memset(out, 0, sizeof(*out));
	if (!model || !*model)
		model = ORD_CHAT_MODEL_DEFAULT;
	ord_gate_copy(out->model, sizeof(out->model), model, strlen(model));
	ord_api_base(ctx, base);
	snprintf(url, sizeof(url), "%s/chat/completions", base);
	if (!key || !ord_key_is_openrouter(key)) {
		snprintf(out->reason, sizeof(out->reason), "%s",
			 key ? not_sent_reason(key) : "not sent: no key");
		return 0;
	}
	if (ctx->offline) {
		snprintf(out->reason, sizeof(out->reason), "offline: not probed");
		return 0;
	}
	if (ord_api_base_sendable(base, why, sizeof(why))) {
		snprintf(out->reason, sizeof(out->reason), "%s", why);
		return 0;
	}
	req = json_object_new_object();
	msgs = json_object_new_array();
	msg = json_object_new_object();
	if (!req || !msgs || !msg) {
		json_object_put(req);
		json_object_put(msgs);
		json_object_put(msg);
		return ENOMEM;
	}
	json_object_object_add(req, "model", json_object_new_string(model));
	json_object_object_add(req, "max_tokens", json_object_new_int(1));
	json_object_object_add(msg, "role", json_object_new_string("user"));
	json_object_object_add(msg, "content", json_object_new_string("ping"));
	json_object_array_add(msgs, msg);
	json_object_object_add(req, "messages", msgs);
	body = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);

	memset(&q, 0, sizeof(q));
	q.url = url;
	q.method = "POST";
	q.bearer = key->norm;
	q.headers = hdrs;
	q.body = body;
	q.body_len = strlen(body);
	q.body_cap = SMALL_CAP;
	ord_http_perform(ctx, &q, &r, 1);
	json_object_put(req);

	out->http_status = r.status;
	out->net_err = r.err;
	out->seconds = r.t_total;
	snprintf(out->generation_id, sizeof(out->generation_id), "%s", r.generation_id);
	snprintf(out->retry_after, sizeof(out->retry_after), "%s", r.retry_after);
	snprintf(out->rl_limit, sizeof(out->rl_limit), "%s", r.rl_limit);
	snprintf(out->rl_remaining, sizeof(out->rl_remaining), "%s", r.rl_remaining);
	snprintf(out->rl_reset, sizeof(out->rl_reset), "%s", r.rl_reset);
	if (r.err && r.err != ORD_HTTP_ETOOBIG) {
		snprintf(out->reason, sizeof(out->reason), "%s", r.errtext);
	} else {
		ord_api_decode_error(r.status, r.body.data, r.body.len, &out->error);
		ord_api_classify(&out->error, &out->cause);
		chat_fields(out, &r);
		/* OpenRouter repeats its rate-limit headers in the body. */
		if (!out->rl_limit[0])
			snprintf(out->rl_limit, sizeof(out->rl_limit), "%s", out->error.rl_limit);
		if (!out->rl_remaining[0])
			snprintf(out->rl_remaining, sizeof(out->rl_remaining), "%s", out->error.rl_remaining);
		if (!out->rl_reset[0])
			snprintf(out->rl_reset, sizeof(out->rl_reset), "%s", out->error.rl_reset);
		out->ok = !r.err && r.status == 200 && out->error.kind == ORD_BODY_JSON &&
			  !out->error.midstream;
		if (!out->ok) {
			if (r.err)
				snprintf(out->reason, sizeof(out->reason), "%s", r.errtext);
			else if (r.status == 200 && out->error.midstream)
				snprintf(out->reason, sizeof(out->reason), "HTTP 200 but the generation failed: %.180s",
					 out->error.message);
			else
				answer_text(out->reason, sizeof(out->reason), &r, &out->error);
		} else
			memset(&out->cause, 0, sizeof(out->cause));
	}
	ord_http_resp_release(&r);
	return 0;
}
