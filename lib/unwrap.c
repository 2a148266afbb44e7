/* unwrap: peel tool wrappers off an error body (see unwrap.h). */
#include "unwrap.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gate.h"

#define SCAN_MAX (256 * 1024)   /* bytes of one message looked at */
#define CANDIDATES_MAX 64       /* '{' positions tried */
#define REGION_MAX (64 * 1024)  /* bytes of one candidate body */
#define DEPTH_MAX 3             /* levels of JSON-in-a-string */

static int alnum(int c)
{
	return c < 0x80 && isalnum(c);
}

static void put(char *dst, size_t cap, const char *s, size_t n)
{
	if (!cap)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	ord_gate_str(dst, cap);
}

/* ---- status ----------------------------------------------------------------- */

static const char *const st_needles[] = {
	"Error code: ", "error code: ", "status_code: ", "status_code=", "status_code\":",
	"statusCode: ", "statusCode\":", "statusCode=", "status code ", "Status code ",
	"Status Code: ", "status code: ", "HTTP/1.1 ", "HTTP/1.0 ", "HTTP/2 ", "[HTTP ",
	"HTTP ", "API Error (", "API Error: ", "API error ", "API Error ", "API error: ",
	"status: ", "Status: ", "status=", "with status ", "failed with status ",
	"Error: ", "error: ", "Status Code ", "code: ",
};

static long three_digits(const char *s, const char *end)
{
	while (s < end && *s == ' ')
		s++;
	if (end - s >= 3 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && (end - s == 3 || !isalnum((unsigned char)s[3]))) {
		long v = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
		return v >= 100 && v <= 599 ? v : 0;
	}
	return 0;
}

long ord_wrapper_status(const char *text, size_t len, size_t *at)
{
	const char *end = text + len, *best = NULL;
	long best_v = 0;
	size_t k;

	for (k = 0; k < sizeof(st_needles) / sizeof(*st_needles); k++) {
		const char *p = text;
		size_t nl = strlen(st_needles[k]);

		while ((p = memmem(p, (size_t)(end - p), st_needles[k], nl))) {
			long v = three_digits(p + nl, end);

			if (v && (!best || p < best)) {
				best = p;
				best_v = v;
			}
			if (v)
				break;
			p += nl;
		}
	}
	/* "401 - {...}" and "401 - \"{...}\"" (a status before a body). */
	{
		static const char *const dash[] = {" - {", " - \"{"};
		size_t d;

		for (d = 0; d < 2; d++) {
			const char *p = text;

			while ((p = memmem(p, (size_t)(end - p), dash[d], strlen(dash[d])))) {
				long v = p - text >= 3 ? three_digits(p - 3, end) : 0;

				if (v && (p - text == 3 || !isalnum((unsigned char)p[-4])) && (!best || p - 3 < best)) {
					best = p - 3;
					best_v = v;
				}
				p += 3;
			}
		}
	}
	/* "401 User not found." at the start of a line (Continue, Hermes). */
	{
		const char *p = text;

		while (p < end) {
			long v = three_digits(p, end);

			if (v && end - p > 4 && p[3] == ' ' && isupper((unsigned char)p[4]) &&
			    (!best || p < best)) {
				best = p;
				best_v = v;
				break;
			}
			p = memchr(p, '\n', (size_t)(end - p));
			if (!p)
				break;
			p++;
		}
	}
	if (at)
		*at = best ? (size_t)(best - text) : 0;
	return best_v;
}

static long class_status(const char *text, size_t len)
{
	static const struct { const char *name; long st; } cls[] = {
		{"AuthenticationError", 401}, {"PermissionDeniedError", 403},
		{"NotFoundError", 404}, {"RateLimitError", 429},
		{"InternalServerError", 500}, {"BadRequestError", 400},
		{"UnprocessableEntityError", 422}, {"ServiceUnavailableError", 503},
	};
	size_t i;

	for (i = 0; i < sizeof(cls) / sizeof(*cls); i++)
		if (memmem(text, len, cls[i].name, strlen(cls[i].name)))
			return cls[i].st;
	return 0;
}

/* ---- scraping --------------------------------------------------------------- */

/* After a key name: skip quotes, backslashes, blanks, ':' and '='; the value
 * runs over chars accepted by ok(). */
static size_t value_after(const char *p, const char *end, int (*ok)(int), const char **v)
{
	const char *s = p;

	while (s < end && strchr("\\\"' :=", *s) && s - p < 12)
		s++;
	*v = s;
	while (s < end && ok((unsigned char)*s) && s - *v < 120)
		s++;
	return (size_t)(s - *v);
}

static int prov_ch(int c)
{
	return alnum(c) || c == ' ' || c == '.' || c == '-' || c == '_';
}

static int model_ch(int c)
{
	return alnum(c) || strchr("._:/@-", c) != NULL;
}

void ord_scrape_provider(const char *text, size_t len, char *out, size_t cap)
{
	static const char *const keys[] = {"provider_name", "\"provider\"", "'provider'"};
	const char *end = text + len;
	size_t k;

	out[0] = '\0';
	if (!memmem(text, len, "rovider", 7))
		return;
	for (k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		const char *p = text, *v;
		size_t n;

		while ((p = memmem(p, (size_t)(end - p), keys[k], strlen(keys[k])))) {
			p += strlen(keys[k]);
			n = value_after(p, end, prov_ch, &v);
			while (n && v[n - 1] == ' ')
				n--;
			if (n && !(n == 4 && !memcmp(v, "null", 4)) && !(n == 4 && !memcmp(v, "None", 4))) {
				put(out, cap, v, n);
				return;
			}
		}
	}
}

static int model_like(const char *v, size_t n)
{
	size_t i, letters = 0;

	if (n < 3 || n > 100 || (n == 4 && !memcmp(v, "null", 4)) || (n == 4 && !memcmp(v, "None", 4)))
		return 0;
	for (i = 0; i < n; i++)
		letters += isalpha((unsigned char)v[i]) != 0;
	return letters && (memchr(v, '/', n) || memchr(v, '-', n));
}

void ord_scrape_model(const char *text, size_t len, char *out, size_t cap)
{
	static const char *const keys[] = {"model_slug", "model_name", "\"model\"", "'model'",
					   "model=", "Model: ", "model: "};
	static const char *const before[] = {" requires moderation on", " is temporarily rate-limited",
					     " is not a valid model ID"};
	const char *end = text + len, *p, *v;
	size_t k, n;

	out[0] = '\0';
	if (!memmem(text, len, "odel", 4))
		k = sizeof(keys) / sizeof(*keys);
	else
		k = 0;
	for (; k < sizeof(keys) / sizeof(*keys); k++) {
		for (p = text; (p = memmem(p, (size_t)(end - p), keys[k], strlen(keys[k])));) {
			p += strlen(keys[k]);
			n = value_after(p, end, model_ch, &v);
			while (n && strchr(".:", v[n - 1]))
				n--;
			if (model_like(v, n)) {
				put(out, cap, v, n);
				return;
			}
		}
	}
	for (k = 0; k < sizeof(before) / sizeof(*before); k++) {
		const char *q = memmem(text, len, before[k], strlen(before[k]));

		if (!q)
			continue;
		for (v = q; v > text && model_ch((unsigned char)v[-1]); v--)
			;
		if (model_like(v, (size_t)(q - v))) {
			put(out, cap, v, (size_t)(q - v));
			return;
		}
	}
	if ((p = memmem(text, len, "No endpoints found for ", 23))) {
		p += 23;
		for (v = p; v < end && model_ch((unsigned char)*v); v++)
			;
		n = (size_t)(v - p);
		while (n && p[n - 1] == '.')
			n--;
		if (model_like(p, n))
			put(out, cap, p, n);
	}
}

/* ---- the body ------------------------------------------------------------------ */

/* The balanced {...} starting at s (quotes of both kinds respected);
 * returns its length, or the rest of the text when unbalanced. */
static size_t balanced(const char *s, size_t n)
{
	size_t i;
	int depth = 0;
	char q = 0;

	for (i = 0; i < n && i < REGION_MAX; i++) {
		char c = s[i];

		if (q) {
			if (c == '\\')
				i++;
			else if (c == q)
				q = 0;
			continue;
		}
		if (c == '"' || c == '\'')
			q = c;
		else if (c == '{')
			depth++;
		else if (c == '}' && --depth == 0)
			return i + 1;
	}
	/* a trailing backslash inside a quote stepped one past the end */
	return i < n ? i : n;
}

static int is_error(const ord_api_error *e)
{
	return e->kind >= ORD_BODY_ERROR;
}

/* Does a JSON object without an "error" member look like an error object
 * itself ({"message":...,"code":...})?  Completions carry "message" too. */
static int bare_like(const char *s, size_t n)
{
	return !memmem(s, n, "choices", 7) && memmem(s, n, "message", 7) &&
	       (memmem(s, n, "code", 4) || memmem(s, n, "type", 4) || memmem(s, n, "metadata", 8) ||
		memmem(s, n, "status", 6));
}

/* Decode one region: as JSON, as a bare error object, as a Python repr,
 * then one level of string escaping deeper.  2: an error body; 1: some
 * other JSON; 0: nothing. */
static int decode_region(long st, const char *s, size_t n, size_t rest, ord_api_error *e,
			 char *how, int depth)
{
	ord_buf b = ORD_BUF_INIT(REGION_MAX * 2 + 64), w = ORD_BUF_INIT(REGION_MAX * 2 + 64);
	int got, rc = 0, bare = bare_like(s, n);

	size_t q = 1;
	const char *label;

	/* json-c also reads single-quoted strings: say what it was. */
	while (q < n && isspace((unsigned char)s[q]))
		q++;
	label = q < n && s[q] == '\'' ? "python-repr" : depth ? "json-string" : "json";
	ord_api_decode_error(st, s, n, e);
	if (is_error(e)) {
		strcpy(how, label);
		return 2;
	}
	got = e->kind == ORD_BODY_JSON;
	/* A bare error object: wrap it in the envelope. */
	if (got && bare && !ord_buf_adds(&w, "{\"error\":") && !ord_buf_add(&w, s, n) &&
	    !ord_buf_addc(&w, '}')) {
		ord_api_decode_error(st, w.data, w.len, e);
		if (is_error(e) && (e->message[0] || e->code)) {
			strcpy(how, label);
			rc = 2;
			goto out;
		}
	}
	/* A Python repr (single quotes, True/False/None). */
	if (!got && (memchr(s, '\'', n) || memmem(s, n, "None", 4) || memmem(s, n, "True", 4) ||
		     memmem(s, n, "False", 5)) && !ord_pyrepr_to_json(s, n, &b)) {
		ord_api_decode_error(st, b.data, b.len, e);
		if (is_error(e)) {
			strcpy(how, "python-repr");
			rc = 2;
			goto out;
		}
		got |= e->kind == ORD_BODY_JSON;
		ord_buf_reset(&w);
		if (e->kind == ORD_BODY_JSON && bare && !ord_buf_adds(&w, "{\"error\":") &&
		    !ord_buf_add(&w, b.data, b.len) && !ord_buf_addc(&w, '}')) {
			ord_api_decode_error(st, w.data, w.len, e);
			if (is_error(e) && (e->message[0] || e->code)) {
				strcpy(how, "python-repr");
				rc = 2;
				goto out;
			}
		}
	}
	/* JSON inside a JSON string: one level of escaping deeper. */
	if (depth < DEPTH_MAX && memmem(s, n, "\\\"", 2)) {
		ord_buf u = ORD_BUF_INIT(REGION_MAX + 64);

		if (!ord_json_unescape(s, rest < REGION_MAX ? rest : REGION_MAX, &u) && u.len) {
			size_t r = balanced(u.data, u.len);

			if (r && decode_region(st, u.data, r, u.len, e, how, depth + 1) == 2) {
				ord_buf_release(&u);
				rc = 2;
				goto out;
			}
		}
		ord_buf_release(&u);
	}
	ord_api_decode_error(st, s, n, e);
	rc = got;
out:
	ord_buf_release(&b);
	ord_buf_release(&w);
	return rc;
}

/* Last resort: "message" and "code" by name, however quoted. */
static void loose(const char *text, size_t len, ord_evidence *ev)
{
	const char *end = text + len, *p = text, *v, *first = NULL;
	size_t n, first_n = 0;

	while ((p = memmem(p, (size_t)(end - p), "message", 7))) {
		const char *s = p + 7;

		p = s;
		while (s < end && strchr("\\\"' :", *s) && s - p < 12)
			s++;
		if (s == p || !memchr(p, ':', (size_t)(s - p)))
			continue;
		v = s;
		while (s < end && *s != '"' && *s != '\'' && *s != '\\' && *s != '\n' && s - v < 500)
			s++;
		n = (size_t)(s - v);
		if (n && *v != '{') {
			if (!first) {
				first = v;
				first_n = n;
			}
		}
	}
	if (first)
		put(ev->message, sizeof(ev->message), first, first_n);
}

/* The first "code": NNN or "status": NNN, however quoted. */
static long loose_code(const char *text, size_t len)
{
	static const char *const keys[] = {"code", "status"};
	const char *end = text + len;
	size_t k;

	for (k = 0; k < 2; k++) {
		const char *p = text;
		size_t kl = strlen(keys[k]);

		while ((p = memmem(p, (size_t)(end - p), keys[k], kl))) {
			const char *s = p + kl;
			long c;

			p = s;
			while (s < end && strchr("\\\"' :=", *s) && s - p < 12)
				s++;
			if (s > p && memchr(p, ':', (size_t)(s - p)) && (c = three_digits(s, end)))
				return c;
		}
	}
	return 0;
}

/* Does [s, e) start with the literal lit?  (The text need not be
 * NUL-terminated.) */
static int starts(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - s) >= n && !memcmp(s, lit, n);
}

static void text_message(const char *text, size_t len, size_t at, ord_evidence *ev)
{
	const char *end = text + len, *p = text + at, *le;

	if (ev->status) {
		while (p < end && !isdigit((unsigned char)*p))
			p++;
		while (p < end && isdigit((unsigned char)*p))
			p++;
		while (p < end && strchr(" :-()[]", *p))
			p++;
		le = memchr(p, '\n', (size_t)(end - p));
		le = le ? le : end;
		if (le > p && isalpha((unsigned char)*p)) {
			put(ev->message, sizeof(ev->message), p, (size_t)(le - p) < 300 ? (size_t)(le - p) : 300);
			return;
		}
	}
	for (p = text; p < end; p = le + 1) {
		const char *s = p;

		le = memchr(p, '\n', (size_t)(end - p));
		le = le ? le : end;
		while (s < le && isspace((unsigned char)*s))
			s++;
		if (s == le || starts(s, le, "Traceback") || starts(s, le, "File \"") ||
		    starts(s, le, "at ") || *s == '^' || *s == '~')
			continue;
		put(ev->message, sizeof(ev->message), s, (size_t)(le - s) < 300 ? (size_t)(le - s) : 300);
		return;
	}
}

/* openai-node and Anthropic's SDK print "401 <message>" after the class:
 * "AuthenticationError: 401 Missing Authentication header". */
static int node_style(const char *text, size_t len, size_t at)
{
	const char *end = text + len, *p = text;

	if (at < len && isdigit((unsigned char)text[at]) && (at == 0 || text[at - 1] == '\n'))
		return 1;
	while ((p = memmem(p, (size_t)(end - p), "Error: ", 7))) {
		p += 7;
		if (three_digits(p, end) && end - p > 4 && p[3] == ' ' && isupper((unsigned char)p[4]))
			return 1;
	}
	return 0;
}

static void wrapper_of(const char *text, size_t len, ord_evidence *ev, size_t at)
{
	const char *p;

	if ((p = memmem(text, len, "Exception - ", 12))) {
		const char *s = p;

		while (s > text && isalnum((unsigned char)s[-1]))
			s--;
		put(ev->wrapper_vendor, sizeof(ev->wrapper_vendor), s, (size_t)(p - s));
	}
	if (memmem(text, len, "litellm", 7) || memmem(text, len, "LiteLLM", 7))
		strcpy(ev->wrapper, "litellm");
	else if (memmem(text, len, "APICallError", 12))
		strcpy(ev->wrapper, "vercel-ai-sdk");
	else if (memmem(text, len, "Error code: ", 12) && memmem(text, len, " - {", 4))
		strcpy(ev->wrapper, "python-openai");
	else if (ev->body.sse)
		strcpy(ev->wrapper, "sse");
	else if (node_style(text, len, at))
		strcpy(ev->wrapper, "node-sdk");
	else if (ev->html)
		strcpy(ev->wrapper, "html");
}

void ord_unwrap(const char *text, size_t len, ord_evidence *ev)
{
	ord_api_error *e = calloc(1, sizeof(*e));
	size_t i, tried = 0, at = 0;
	long wst;
	char how[32] = "";
	int found = 0;

	memset(ev, 0, sizeof(*ev));
	if (!text) {
		text = "";
		len = 0;
	}
	if (len > SCAN_MAX)
		len = SCAN_MAX;
	strcpy(ev->wrapper, "none");
	strcpy(ev->encoding, "none");
	wst = ord_wrapper_status(text, len, &at);
	if (wst) {
		ev->status = wst;
		ev->status_from = "wrapper";
	} else if ((wst = class_status(text, len))) {
		ev->status = wst;
		ev->status_from = "exception class";
	}
	for (i = 0; e && i < len && tried < CANDIDATES_MAX && found < 2; i++) {
		size_t r, look = len - i < 400 ? len - i : 400;
		int rc;

		if (text[i] != '{')
			continue;
		if (tried && !memmem(text + i, look, "error", 5) && !memmem(text + i, look, "message", 7) &&
		    !memmem(text + i, look, "finish_reason", 13))
			continue;
		tried++;
		r = balanced(text + i, len - i);
		rc = decode_region(ev->status, text + i, r, len - i, e, how, 0);
		if (rc == 2) {
			ev->body = *e;
			ev->have_body = 1;
			snprintf(ev->encoding, sizeof(ev->encoding), "%s", how);
			found = 2;
		} else if (rc == 1 && !found) {
			ev->body = *e;
			found = 1;
			snprintf(ev->encoding, sizeof(ev->encoding), "%s", how[0] ? how : "json");
		}
	}
	free(e);
	/* error.message holding a whole body (a Python repr inside JSON). */
	for (i = 0; ev->have_body && i < DEPTH_MAX && ev->body.message[0] == '{'; i++) {
		ord_api_error *in = calloc(1, sizeof(*in));
		char h[32];
		int uid = ev->body.user_id_present;

		if (!in || decode_region(ev->status, ev->body.message, strlen(ev->body.message),
					 strlen(ev->body.message), in, h, 1) != 2 || !in->message[0]) {
			free(in);
			break;
		}
		ev->body = *in;
		ev->body.user_id_present |= uid;
		snprintf(ev->encoding, sizeof(ev->encoding), "%s", h);
		free(in);
	}
	ev->json_answer = found == 1 && ev->body.kind == ORD_BODY_JSON && !ev->body.midstream;
	if (ev->have_body) {
		long c = ev->body.code;

		if (c >= 100 && c <= 599 && !ev->body.midstream) {
			ev->status = c;
			ev->status_from = "body";
		} else if (!ev->status && c >= 100 && c <= 599) {
			ev->status = c;
			ev->status_from = "body";
		}
		ev->body.status = ev->status;
		put(ev->message, sizeof(ev->message), ev->body.message, strlen(ev->body.message));
		put(ev->provider, sizeof(ev->provider), ev->body.provider, strlen(ev->body.provider));
		ev->user_id_present = ev->body.user_id_present;
	} else if (len && !ev->json_answer) {
		loose(text, len, ev);
		if (!ev->message[0])
			text_message(text, len, at, ev);
	}
	if (!ev->status && (wst = loose_code(text, len))) {
		ev->status = wst;
		ev->status_from = "body";
		ev->body.status = wst;
	}
	if (!ev->provider[0])
		ord_scrape_provider(text, len, ev->provider, sizeof(ev->provider));
	ord_scrape_model(text, len, ev->model, sizeof(ev->model));
	if (!ev->user_id_present) {
		const char *p = text, *end = text + len;

		while (p && (p = memmem(p, (size_t)(end - p), "user_id", 7))) {
			const char *v;
			p += 7;
			value_after(p, end, model_ch, &v);
			if (end - v > 5 && !memcmp(v, "user_", 5)) {
				ev->user_id_present = 1;
				break;
			}
		}
	}
	if ((ev->have_body && ev->body.kind == ORD_BODY_HTML) || memmem(text, len, "<!DOCTYPE", 9) ||
	    memmem(text, len, "<!doctype", 9) || memmem(text, len, "<html", 5) ||
	    memmem(text, len, "Unexpected token '<'", 20) || memmem(text, len, "Unexpected token <", 18))
		ev->html = 1;
	wrapper_of(text, len, ev, at);
	ev->nfrags = ord_key_fragments(text, len, ev->frags, ORD_FRAG_MAX);
	if (ev->have_body)
		ev->guessed = ord_api_classify(&ev->body, &ev->guess);
	else if (ev->html) {
		ord_api_error h;

		memset(&h, 0, sizeof(h));
		h.kind = ORD_BODY_HTML;
		h.status = ev->status;
		ev->guessed = ord_api_classify(&h, &ev->guess);
	}
	if (ev->user_id_present)
		ev->guess.key_ok = 1;
}
