/* cfg_json: JSON, JSONC and JSON5 into the cfg tree, with line numbers.
 *
 * Why not json-c (which lib_deps links for lib/api.c): json_tokener does
 * accept // and block comments and trailing commas in its non-strict mode
 * (checked with json-c 0.16: "[1,2,]" and "{\"a\":1,}" parse), and single
 * quotes and NaN as well, but it reports no source position for any value,
 * so every line number would need a second tokenizer walking the same
 * bytes in step with json-c's tree: the locator would be as large as this
 * reader and would have to agree with json-c on every corner case.  json-c
 * also frees its strings without wiping them, and cannot read JSON5
 * (unquoted keys: "quoted object property name expected").  A position-
 * tracking tokenizer that builds the tree itself is the simplest correct
 * choice.  It is iterative: an explicit stack of at most
 * ORD_CFG_MAX_DEPTH containers, no recursion.
 */
#include <string.h>

#include "buf.h"
#include "cfg_internal.h"

typedef struct js {
	ord_cfg *c;
	const char *p, *e;
	unsigned line;
	int json5;
} js;

static int fail(js *j, const char *msg)
{
	return cfg_fail(j->c, j->line, msg);
}

/* A line break at p: its length (CR LF is one), else 0. */
static size_t brk(const char *p, const char *e)
{
	if (*p == '\n')
		return 1;
	if (*p == '\r')
		return p + 1 < e && p[1] == '\n' ? 2 : 1;
	return 0;
}

/* JSON5's extra white space: VT, FF, NBSP, BOM, LS, PS. */
static size_t ws5(const char *s, const char *e)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = (size_t)(e - s);

	if (*p == '\v' || *p == '\f')
		return 1;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		return 3;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
		return 3;
	return 0;
}

/* Skip white space and comments; -1 on an unterminated comment. */
static int skip(js *j)
{
	size_t n;

	while (j->p < j->e) {
		char ch = *j->p;

		if ((n = brk(j->p, j->e))) {
			j->p += n;
			j->line++;
		} else if (ch == ' ' || ch == '\t') {
			j->p++;
		} else if (j->json5 && (n = ws5(j->p, j->e))) {
			j->p += n;
		} else if (ch == '/' && j->p + 1 < j->e && j->p[1] == '/') {
			while (j->p < j->e && *j->p != '\n' && *j->p != '\r')
				j->p++;
		} else if (ch == '/' && j->p + 1 < j->e && j->p[1] == '*') {
			unsigned start = j->line;

			for (j->p += 2;; ) {
				if (j->p + 1 >= j->e) {
					j->line = start;
					return fail(j, "unterminated comment");
				}
				if (j->p[0] == '*' && j->p[1] == '/')
					break;
				if ((n = brk(j->p, j->e))) {
					j->p += n;
					j->line++;
				} else {
					j->p++;
				}
			}
			j->p += 2;
		} else {
			break;
		}
	}
	return 0;
}

/* Decode the string starting at the quote at j->p into reserved (not yet
 * committed) string storage; the caller commits it or hands it to
 * cfg_add_member.  Two passes: find the end (so that the reservation is
 * the raw length, which decoding never exceeds), then decode. */
static char *string(js *j, size_t *outlen)
{
	char q = *j->p, *out, *o;
	const char *p = j->p + 1, *end;
	size_t n;

	for (end = p;; end++) {
		if (end >= j->e || *end == '\n' || *end == '\r') {
			fail(j, "unterminated string");
			return NULL;
		}
		if (*end == q)
			break;
		if (*end == '\\' && end + 1 < j->e) {
			end++;
			if (*end == '\r' && end + 1 < j->e && end[1] == '\n')
				end++;
		} else if ((unsigned char)*end < 0x20 && !(j->json5 && *end == '\t')) {
			fail(j, "control character in string");
			return NULL;
		}
	}
	out = o = cfg_str_reserve(j->c, (size_t)(end - p), j->line);
	if (!out)
		return NULL;
	while (p < end) {
		long cp, lo;

		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case '"': case '\\': case '/': *o++ = *p++; continue;
		case 'b': *o++ = '\b'; p++; continue;
		case 'f': *o++ = '\f'; p++; continue;
		case 'n': *o++ = '\n'; p++; continue;
		case 'r': *o++ = '\r'; p++; continue;
		case 't': *o++ = '\t'; p++; continue;
		case 'u':
			if ((cp = cfg_hex(p + 1, end, 4)) < 0) {
				fail(j, "invalid unicode escape in string");
				return NULL;
			}
			p += 5;
			if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 6 &&
			    p[0] == '\\' && p[1] == 'u' &&
			    (lo = cfg_hex(p + 2, end, 4)) >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd; /* a lone surrogate, as a JS string holds it */
			}
			o += cfg_utf8_put(o, (uint32_t)cp);
			continue;
		default:
			break;
		}
		if (!j->json5) {
			fail(j, "invalid escape in string");
			return NULL;
		}
		if (*p == '\'') {
			*o++ = *p++;
		} else if (*p == 'v') {
			*o++ = '\v';
			p++;
		} else if (*p == '0' && !(p + 1 < end && p[1] >= '0' && p[1] <= '9')) {
			*o++ = '\0';
			p++;
		} else if (*p == 'x' && (cp = cfg_hex(p + 1, end, 2)) >= 0) {
			o += cfg_utf8_put(o, (uint32_t)cp);
			p += 3;
		} else if ((n = brk(p, end + 1))) {
			p += n;             /* line continuation */
			j->line++;
		} else if ((unsigned char)*p >= 0xe2 && end - p >= 3 &&
			   (unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
			   ((unsigned char)p[2] == 0xa8 || (unsigned char)p[2] == 0xa9)) {
			p += 3;
		} else if ((*p >= '0' && *p <= '9') || *p == 'x' || *p == 'u') {
			/* \1-\9, and \0 before a digit (no octal in JSON5) */
			fail(j, "invalid escape in string");
			return NULL;
		} else {
			*o++ = *p++;  /* any other character stands for itself */
		}
	}
	*o = '\0';
	*outlen = (size_t)(o - out);
	j->p = end + 1;
	return out;
}

static int delim(const js *j, const char *p)
{
	if (p >= j->e)
		return 1;
	return strchr(" \t\r\n,]}/:", *p) != NULL || (j->json5 && ws5(p, j->e));
}

static const char *digits(const char *p, const char *e)
{
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* A number or a literal; sets *type, returns its end or NULL. */
static const char *bare(js *j, int *type)
{
	const char *p = j->p, *e = j->e, *q;
	static const char *const lit[] = { "true", "false", "null", "Infinity", "NaN" };
	size_t i;

	if (*p == '-' || (j->json5 && *p == '+'))
		p++;
	for (i = 0; i < 5; i++) {
		size_t n = strlen(lit[i]);

		if (i >= 3 && !j->json5)
			break;
		if ((i < 3 ? p == j->p : 1) && (size_t)(e - p) >= n &&
		    !memcmp(p, lit[i], n) && delim(j, p + n)) {
			*type = i < 2 ? ORD_CFG_BOOL : i == 2 ? ORD_CFG_NULL : ORD_CFG_NUMBER;
			return p + n;
		}
	}
	*type = ORD_CFG_NUMBER;
	if (j->json5 && e - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		for (q = p + 2; q < e && ord_hexval(*q) >= 0; q++)
			;
		return q > p + 2 && delim(j, q) ? q : NULL;
	}
	if (p < e && *p == '0')
		q = p + 1;
	else if (p < e && *p >= '1' && *p <= '9')
		q = digits(p, e);
	else if (j->json5 && p < e && *p == '.')
		q = p;
	else
		return NULL;
	if (q < e && *q == '.') {
		const char *f = digits(q + 1, e);

		if (f == q + 1 && (!j->json5 || q == p))
			return NULL;    /* "1." is JSON5 only, "." is nothing */
		q = f;
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		const char *x = q + 1;

		if (x < e && (*x == '+' || *x == '-'))
			x++;
		if (digits(x, e) == x)
			return NULL;
		q = digits(x, e);
	}
	return delim(j, q) ? q : NULL;
}

/* JSON5 unquoted key: ASCII letters, digits, _ and $, and any non-ASCII
 * character (the Unicode letters of IdentifierName, approximately). */
static int ident(unsigned char ch, int first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || ch == '$' || ch >= 0x80 || (!first && ch >= '0' && ch <= '9');
}

enum { S_VALUE, S_ELEM, S_KEY, S_COLON, S_AFTER };

int cfg_parse_json(ord_cfg *c, const char *data, size_t len, int json5)
{
	js j = { c, data, data + len, 1, json5 };
	uint32_t stack[ORD_CFG_MAX_DEPTH], node = CFG_NONE, prev;
	int depth = 0, state = S_VALUE, type;
	unsigned bad;

	if ((bad = cfg_utf8_check(data, len)))
		return cfg_fail(c, bad, "invalid utf-8");
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		j.p += 3;
	for (;;) {
		const char *q;
		char *s;
		size_t n;
		char ch;

		if (skip(&j))
			return -1;
		if (j.p >= j.e) {
			if (state == S_AFTER && depth == 0)
				return 0;
			if (state == S_VALUE && depth == 0)
				return cfg_fail(c, j.line, "empty document");
			return fail(&j, "unexpected end of input");
		}
		ch = *j.p;
		if (state == S_AFTER) {
			int obj;

			if (depth == 0)
				return fail(&j, "unexpected data after the document");
			obj = c->nodes[stack[depth - 1]].type == ORD_CFG_OBJECT;
			if (ch == ',') {
				j.p++;
				state = obj ? S_KEY : S_ELEM;
			} else if (ch == (obj ? '}' : ']')) {
				j.p++;
				depth--;
			} else {
				return fail(&j, obj ? "expected ',' or '}' after a member" :
					    "expected ',' or ']' after an element");
			}
			continue;
		}
		if (state == S_COLON) {
			if (ch != ':')
				return fail(&j, "expected ':' after key");
			j.p++;
			state = S_VALUE;
			continue;
		}
		if (state == S_KEY) {
			if (ch == '}') {
				j.p++;
				depth--;
				state = S_AFTER;
				continue;
			}
			if (ch == '"' || (json5 && ch == '\'')) {
				unsigned kl = j.line;

				if (!(s = string(&j, &n)))
					return -1;
				/* the key is the uncommitted reservation: copied in place */
				node = cfg_add_member(c, stack[depth - 1], ORD_CFG_NULL, kl,
						      s, n, &prev);
			} else if (json5 && ident((unsigned char)ch, 1)) {
				for (q = j.p; q < j.e && ident((unsigned char)*q, 0) && !ws5(q, j.e); q++)
					;
				node = cfg_add_member(c, stack[depth - 1], ORD_CFG_NULL, j.line,
						      j.p, (size_t)(q - j.p), &prev);
				j.p = q;
			} else {
				return fail(&j, json5 ? "expected a key" : "expected a quoted key");
			}
			if (node == CFG_NONE)
				return -1;
			if (prev != CFG_NONE)
				c->nodes[prev].flags |= CFG_F_DEAD;
			state = S_COLON;
			continue;
		}
		/* S_VALUE or S_ELEM */
		if (state == S_ELEM && ch == ']') {
			j.p++;
			depth--;
			state = S_AFTER;
			continue;
		}
		if (state == S_ELEM || depth == 0) {
			node = cfg_add(c, depth ? stack[depth - 1] : CFG_NONE, ORD_CFG_NULL, j.line);
			if (node == CFG_NONE)
				return -1;
		}
		if (ch == '{' || ch == '[') {
			if (depth == ORD_CFG_MAX_DEPTH)
				return fail(&j, "nesting deeper than 64 levels");
			c->nodes[node].type = ch == '{' ? ORD_CFG_OBJECT : ORD_CFG_ARRAY;
			stack[depth++] = node;
			j.p++;
			state = ch == '{' ? S_KEY : S_ELEM;
			continue;
		}
		if (ch == '"' || (json5 && ch == '\'')) {
			if (!(s = string(&j, &n)))
				return -1;
			cfg_str_commit(c, n);
			c->nodes[node].type = ORD_CFG_STRING;
			c->nodes[node].text = s;
			c->nodes[node].len = (uint32_t)n;
		} else if ((q = bare(&j, &type))) {
			c->nodes[node].type = (uint8_t)type;
			if (cfg_set_text(c, node, j.p, (size_t)(q - j.p)))
				return -1;
			j.p = q;
		} else if ((ch >= '0' && ch <= '9') || ch == '-' || ch == '+' || ch == '.') {
			return fail(&j, "invalid number");
		} else {
			return fail(&j, "expected a value");
		}
		state = S_AFTER;
	}
}
