/* proxy_wire: what one request carried, whose key it was, and the diagnosis.
 *
 * Pure functions over the request headers, URI and body, the discovered
 * hits (read-only) and the upstream's answer.  A wire key lives only in a
 * local ord_key that is wiped before returning: the record keeps its
 * redacted form and fingerprint.
 */
#include "proxy_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "api.h"
#include "gate.h"
#include "report.h"
#include "resolve.h"

const char *ord_wire_header_id(ord_wire_header h)
{
	static const char *const ids[] = {"none", "bearer", "x-api-key",
					  "both", "basic", "empty"};
	return (unsigned)h < sizeof(ids) / sizeof(*ids) ? ids[h] : "?";
}

void ord_proxy_setf(char *dst, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, cap, fmt, ap);
	va_end(ap);
}

void ord_proxy_now_iso(char out[32])
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	ord_proxy_setf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000));
}

const char *ord_proxy_guess_tool(const ord_facts *d, const char *argv0)
{
	const char *base;
	size_t i, j;

	if (!d || !d->tools || !argv0)
		return NULL;
	base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	for (i = 0; i < d->tools->n; i++) {
		const ord_profile *p = d->tools->v[i].p;

		for (j = 0; p && j < p->npresent; j++)
			/* the profile parser keeps the words tab-separated */
			if (!strncmp(p->present[j], "command\t", 8) &&
			    !strcmp(p->present[j] + 8, base))
				return p->id;
	}
	return NULL;
}

long ord_proxy_predicted_hit(const ord_facts *d, const char *tool)
{
	const ord_tool_res *t;
	const ord_cand *c;

	if (!d || !d->tools || !tool)
		return -1;
	t = ord_tools_find(d->tools, tool);
	if (!t || t->win < 0 || (size_t)t->win >= t->nkeys)
		return -1;
	c = &t->keys[t->win];
	return c->hit;
}

/* Fill w from a value as the header carried it (scheme removed). */
static void describe(const ord_proxy_config *cfg, const char *v, size_t n,
		     long predicted, ord_wire_cred *w)
{
	const ord_facts *d = cfg->facts;
	ord_key k;
	size_t i;

	memset(w, 0, sizeof(*w));
	w->match = -1;
	if (ord_key_init(&k, v, n))
		return;
	w->present = 1;
	ord_key_redact(&k, w->redacted);
	/* A placeholder is shown as written (it is not a secret), and what a
	 * client calls a placeholder may still hold one. */
	ord_gate_str(w->redacted, sizeof(w->redacted));
	if (k.norm_len)
		ord_key_fingerprint(&k, w->fingerprint);
	w->shape = ord_key_shape_id(k.shape);
	w->lint = k.lint;
	for (i = 0; d && k.norm_len && i < d->hits.n; i++) {
		const ord_hit *h = &d->hits.v[i];

		if (h->role == ORD_ROLE_BASE_URL || !ord_key_equal(&h->key, &k))
			continue;
		w->nmatch++;
		if ((long)i == predicted ||
		    w->match < 0 ||
		    (d->hits.v[w->match].role != ORD_ROLE_KEY &&
		     h->role == ORD_ROLE_KEY && w->match != predicted))
			w->match = (long)i;
	}
	ord_key_release(&k);
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int path_problem(const char *uri, char *why, size_t cap)
{
	static const char *const eps[] = {"/chat/completions", "/messages",
		"/responses", "/completions", "/embeddings", "/models"};
	char path[1024];
	size_t n = strcspn(uri, "?#"), i;

	if (n >= sizeof(path))
		n = sizeof(path) - 1;
	memcpy(path, uri, n);
	path[n] = '\0';
	if (strstr(path, "//")) {
		ord_proxy_setf(why, cap, "doubled slash in the path %s (a base URL with a trailing slash)", path);
		return 1;
	}
	if (strstr(path, "/v1/v1/") || strstr(path, "/api/api/")) {
		ord_proxy_setf(why, cap, "doubled path %s (the base URL already ends in /v1)", path);
		return 1;
	}
	for (i = 0; i < sizeof(eps) / sizeof(*eps); i++) {
		char two[64];

		snprintf(two, sizeof(two), "%s%s", eps[i], eps[i]);
		if (strstr(path, two)) {
			ord_proxy_setf(why, cap, "doubled path %s (a full endpoint URL in a base-URL field)", path);
			return 1;
		}
	}
	if (!strncmp(path, "/api/v1/", 8) || !strcmp(path, "/api/v1"))
		return 0;
	if (!strncmp(path, "/api/", 5))
		ord_proxy_setf(why, cap, "path %s lacks /v1: an OpenAI-style client needs the base URL …/api/v1", path);
	else if (!strncmp(path, "/v1/", 4))
		ord_proxy_setf(why, cap, "path %s lacks /api: the base URL must be https://openrouter.ai/api/v1 (…/api for Claude Code)", path);
	else
		ord_proxy_setf(why, cap, "path %s is not an API path: the base URL lacks /api/v1", path);
	return 1;
}

/* "model" and "stream" of a JSON body. */
static void body_fields(const char *body, size_t len, ord_proxy_record *rec)
{
	json_tokener *tok;
	json_object *o, *v;

	if (!body || !len || len > ORD_PROXY_BODY_MAX)
		return;
	body = skip_ws(body);
	if (*body != '{')
		return;
	tok = json_tokener_new();
	if (!tok)
		return;
	o = json_tokener_parse_ex(tok, body, (int)len);
	json_tokener_free(tok);
	if (!o)
		return;
	if (json_object_object_get_ex(o, "model", &v) &&
	    json_object_is_type(v, json_type_string)) {
		ord_gate_copy(rec->model, sizeof(rec->model), json_object_get_string(v),
			      (size_t)json_object_get_string_len(v));
	}
	if (json_object_object_get_ex(o, "stream", &v) &&
	    json_object_is_type(v, json_type_boolean))
		rec->stream = json_object_get_boolean(v);
	json_object_put(o);
}

void ord_proxy_wire_request(const ord_proxy_config *cfg, const char *auth,
			    const char *xkey, const char *uri,
			    const char *body, size_t len,
			    ord_proxy_record *rec)
{
	const char *bv = NULL;
	size_t bn = 0;
	int basic = 0, have_a = 0, have_x = 0;

	ord_gate_copy(rec->path, sizeof(rec->path), uri ? uri : "", uri ? strlen(uri) : 0);
	body_fields(body, len, rec);
	rec->tool = cfg->tool;
	rec->predicted = ord_proxy_predicted_hit(cfg->facts, cfg->tool);
	rec->cred.match = rec->other.match = -1;

	if (auth) {
		const char *a = skip_ws(auth);

		if (!strncasecmp(a, "basic", 5) && (a[5] == ' ' || !a[5]))
			basic = 1;
		else if (!strncasecmp(a, "bearer", 6) && (a[6] == ' ' || a[6] == '\t' || !a[6]))
			bv = skip_ws(a + 6);
		else {
			bv = a;
			rec->bearer_scheme_missing = *a != '\0';
		}
		if (bv) {
			bn = strlen(bv);
			while (bn && (bv[bn - 1] == ' ' || bv[bn - 1] == '\t'))
				bn--;
			have_a = bn > 0;
		}
	}
	have_x = xkey && *skip_ws(xkey);
	if (basic)
		rec->header = ORD_WIRE_BASIC;
	else if (have_a && have_x)
		rec->header = ORD_WIRE_BOTH;
	else if (have_a)
		rec->header = ORD_WIRE_BEARER;
	else if (have_x)
		rec->header = ORD_WIRE_XAPIKEY;
	else if (auth || xkey)
		rec->header = ORD_WIRE_EMPTY;
	else
		rec->header = ORD_WIRE_NONE;

	if (have_x)
		describe(cfg, xkey, strlen(xkey), rec->predicted, &rec->cred);
	if (have_a) {
		if (have_x)
			describe(cfg, bv, bn, rec->predicted, &rec->other);
		else
			describe(cfg, bv, bn, rec->predicted, &rec->cred);
	}
	if (rec->predicted >= 0 && rec->header != ORD_WIRE_BASIC)
		rec->differs = rec->cred.match != rec->predicted &&
			       !(rec->header == ORD_WIRE_BOTH &&
				 rec->other.match == rec->predicted &&
				 rec->cred.match == rec->predicted);
	if (path_problem(uri ? uri : "/", rec->problem, sizeof(rec->problem))) {
		/* It quotes the path as sent, and a client may put anything
		 * there, a key included. */
		ord_gate_str(rec->problem, sizeof(rec->problem));
		rec->cause = "wrong_base_url_path";
	}
}

static int hit_is_store(const ord_proxy_config *cfg, long i)
{
	return cfg->facts && i >= 0 && (size_t)i < cfg->facts->hits.n &&
	       cfg->facts->hits.v[i].kind == ORD_SRC_CONFIG;
}

/* The diagnosis of what the wire showed, before the answer is known;
 * NULL when the credential itself looks fine. */
static const char *wire_cause(const ord_proxy_config *cfg,
			      ord_proxy_record *rec)
{
	const ord_wire_cred *w = &rec->cred;
	int pred_ok = rec->predicted >= 0;
	char *pb = rec->problem;
	size_t pc = sizeof(rec->problem);

	switch (rec->header) {
	case ORD_WIRE_NONE:
	case ORD_WIRE_EMPTY:
		snprintf(pb, pc, rec->header == ORD_WIRE_NONE ?
			 "no credential was sent" : "an empty credential was sent (\"Bearer \" with nothing)");
		if (pred_ok) {
			snprintf(pb + strlen(pb), pc - strlen(pb),
				 "; %s should have sent a key", rec->tool);
			return "tool_credential_bug";
		}
		return "key_missing_or_empty";
	case ORD_WIRE_BASIC:
		snprintf(pb, pc, "Basic authentication instead of a Bearer key (a netrc entry?)");
		return "netrc_overrides_bearer";
	case ORD_WIRE_BOTH:
		snprintf(pb, pc, "both x-api-key and Authorization: Bearer were sent%s",
			 strcmp(w->fingerprint, rec->other.fingerprint) ?
			 ", with different values" : "");
		return "wrong_auth_scheme_for_endpoint";
	default:
		break;
	}
	if (!strcmp(w->shape, "placeholder") || !strcmp(w->shape, "empty")) {
		snprintf(pb, pc, "a placeholder or unexpanded variable was sent instead of a key");
		return pred_ok ? "tool_credential_bug" : "key_missing_or_empty";
	}
	if (!strcmp(w->shape, "foreign")) {
		snprintf(pb, pc, "another vendor's key was sent to OpenRouter");
		return "key_from_wrong_provider";
	}
	if (w->lint & ORD_LINT_BIT(ORD_LINT_BEARER_PREFIX)) {
		snprintf(pb, pc, "\"Bearer\" twice: the key value itself starts with \"Bearer \"");
		return "key_malformed_or_truncated";
	}
	if (w->lint & (ORD_LINT_BIT(ORD_LINT_QUOTES) | ORD_LINT_BIT(ORD_LINT_WHITESPACE) |
		       ORD_LINT_BIT(ORD_LINT_CRLF) | ORD_LINT_BIT(ORD_LINT_LINE_BREAK) |
		       ORD_LINT_BIT(ORD_LINT_ZERO_WIDTH) | ORD_LINT_BIT(ORD_LINT_NON_ASCII))) {
		snprintf(pb, pc, "the key carries quotes, whitespace or invisible characters");
		return "key_whitespace_or_quoting";
	}
	if (!strcmp(w->shape, "malformed")) {
		snprintf(pb, pc, "the key is not sk-or-v1- followed by 64 hex digits");
		return "key_malformed_or_truncated";
	}
	if (rec->bearer_scheme_missing) {
		snprintf(pb, pc, "Authorization without the \"Bearer \" scheme");
		return pred_ok ? "tool_credential_bug" : "key_missing_or_empty";
	}
	(void)cfg;
	return NULL;
}

void ord_proxy_wire_answer(const ord_proxy_config *cfg, long status,
			   const char *body, size_t len,
			   ord_proxy_record *rec)
{
	ord_api_error e;
	ord_cause_guess g;
	const char *wc;
	int failed;

	rec->status = status;
	memset(&g, 0, sizeof(g));
	if (status > 0) {
		ord_api_decode_error(status, body ? body : "", body ? len : 0, &e);
		ord_gate_copy(rec->message, sizeof(rec->message), e.message, strlen(e.message));
		if (status >= 300 || e.midstream || e.kind == ORD_BODY_ERROR ||
		    e.kind == ORD_BODY_ANTHROPIC || e.kind == ORD_BODY_RESPONSES)
			ord_api_classify(&e, &g);
		if (!rec->message[0] && e.kind == ORD_BODY_HTML)
			snprintf(rec->message, sizeof(rec->message), "an HTML page (the web site, not the API)");
	}
	failed = status == 0 || status >= 300 || g.cause;

	/* A wrong path outranks everything: nothing else was tested. */
	if (rec->cause && !strcmp(rec->cause, "wrong_base_url_path"))
		return;
	wc = wire_cause(cfg, rec);
	if (wc && (failed || !strcmp(wc, "tool_credential_bug") ||
		   (rec->header == ORD_WIRE_BOTH &&
		    strcmp(rec->cred.fingerprint, rec->other.fingerprint)))) {
		rec->cause = wc;
		return;
	}
	if (!wc)
		rec->problem[0] = '\0';
	if (rec->differs && rec->cred.present) {
		const ord_hit *ph = &cfg->facts->hits.v[rec->predicted];

		snprintf(rec->problem, sizeof(rec->problem),
			 "%s was expected to send %s (%s), but sent another key",
			 rec->tool, ph->key.norm_len ? "the key" : "an empty value",
			 ph->name ? ph->name : "resolution winner");
		if (failed) {
			rec->cause = hit_is_store(cfg, rec->cred.match) ?
				     "tool_stale_stored_key" : "tool_credential_bug";
			return;
		}
	}
	if (g.cause && !strcmp(g.cause, "key_revoked_expired_or_unknown") &&
	    hit_is_store(cfg, rec->cred.match)) {
		snprintf(rec->problem, sizeof(rec->problem),
			 "the key sent is a stale copy kept in a tool's own store");
		rec->cause = "tool_stale_stored_key";
		return;
	}
	if (failed)
		rec->cause = g.cause;
}

static json_object *cred_json(const ord_wire_cred *w, const ord_facts *d)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "redacted", w->present ?
			       json_object_new_string(w->redacted) : NULL);
	json_object_object_add(o, "fingerprint", w->fingerprint[0] ?
			       json_object_new_string(w->fingerprint) : NULL);
	json_object_object_add(o, "shape", w->shape ?
			       json_object_new_string(w->shape) : NULL);
	json_object_object_add(o, "matches", d && w->match >= 0 ?
			       ord_report_source(&d->hits.v[w->match]) : NULL);
	json_object_object_add(o, "places", json_object_new_int((int)w->nmatch));
	return o;
}

static json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

json_object *ord_proxy_record_json(const ord_proxy_record *r,
				   const ord_facts *d)
{
	json_object *o = json_object_new_object(), *c;

	json_object_object_add(o, "time", json_object_new_string(r->time));
	if (r->event) {
		json_object_object_add(o, "event", json_object_new_string("client_error"));
		json_object_object_add(o, "error", str_or_null(r->error));
		return o;
	}
	json_object_object_add(o, "method", json_object_new_string(r->method));
	json_object_object_add(o, "path", json_object_new_string(r->path));
	json_object_object_add(o, "model", str_or_null(r->model));
	json_object_object_add(o, "stream", json_object_new_boolean(r->stream));
	c = cred_json(&r->cred, d);
	json_object_object_add(c, "header", json_object_new_string(ord_wire_header_id(r->header)));
	if (r->header == ORD_WIRE_BOTH)
		json_object_object_add(c, "bearer", cred_json(&r->other, d));
	json_object_object_add(o, "credential", c);
	json_object_object_add(o, "tool", str_or_null(r->tool));
	if (r->tool)
		json_object_object_add(o, "predicted", d && r->predicted >= 0 ?
				       ord_report_source(&d->hits.v[r->predicted]) : NULL);
	json_object_object_add(o, "differs_from_prediction", json_object_new_boolean(r->differs));
	json_object_object_add(o, "status", r->status ? json_object_new_int((int)r->status) : NULL);
	json_object_object_add(o, "message", str_or_null(r->message));
	json_object_object_add(o, "cause", str_or_null(r->cause));
	json_object_object_add(o, "problem", str_or_null(r->problem));
	json_object_object_add(o, "error", str_or_null(r->error));
	json_object_object_add(o, "ttfb_ms", json_object_new_double(r->ttfb_ms));
	json_object_object_add(o, "total_ms", json_object_new_double(r->total_ms));
	if (r->req_body)
		json_object_object_add(o, "request_body", json_object_new_string(r->req_body));
	if (r->resp_body)
		json_object_object_add(o, "response_body", json_object_new_string(r->resp_body));
	return o;
}
