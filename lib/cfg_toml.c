/* cfg_toml: TOML 1.0 into the cfg tree.
 *
 * Hand-written because Debian packages no C TOML library (only cpptoml, a
 * C++ header-only one), and the grammar is small.  It covers the whole of
 * TOML 1.0: [tables], [[arrays of tables]], dotted and quoted keys, basic
 * and literal strings (escapes, multi-line, line-ending backslashes),
 * integers (decimal, hex, octal, binary, underscores), floats (inf, nan),
 * booleans, date-times (kept as STRING, as written), arrays and inline
 * tables, comments; and the spec's rules on defining a table or key twice
 * (which the Rust toml crate of Codex enforces too, so a file it rejects
 * gives an error here rather than a guess).  TOML 1.1 syntax (newlines and
 * trailing commas in inline tables, \e and \x escapes) is reported as
 * unsupported with its line.
 *
 * Values nest at most ORD_CFG_MAX_DEPTH deep (the only recursion, in
 * value(), is bounded by it); header and dotted-key parts likewise.
 */
#include <string.h>

#include "cfg_internal.h"

typedef struct ts {
	ord_cfg *c;
	const char *p, *e;
	unsigned line;
	uint32_t table;
	unsigned tdepth;       /* nesting depth of the current table */
} ts;

typedef struct seg {
	const char *s;
	size_t n;
} seg;

static int fail(ts *t, const char *msg)
{
	return cfg_fail(t->c, t->line, msg);
}

static void ws(ts *t)
{
	while (t->p < t->e && (*t->p == ' ' || *t->p == '\t'))
		t->p++;
}

static int nl(ts *t)
{
	if (t->p < t->e && *t->p == '\n') {
		t->p++;
	} else if (t->e - t->p >= 2 && t->p[0] == '\r' && t->p[1] == '\n') {
		t->p += 2;
	} else {
		return 0;
	}
	t->line++;
	return 1;
}

static int ctrl(unsigned char ch)
{
	return (ch < 0x20 && ch != '\t') || ch == 0x7f;
}

/* A comment (at '#') up to the line break. */
static int comment(ts *t)
{
	for (t->p++; t->p < t->e && *t->p != '\n'; t->p++)
		if (ctrl((unsigned char)*t->p) &&
		    !(*t->p == '\r' && t->p + 1 < t->e && t->p[1] == '\n'))
			return fail(t, "control character in comment");
	return 0;
}

/* White space, then an optional comment, then a line break or the end. */
static int eol(ts *t)
{
	ws(t);
	if (t->p < t->e && *t->p == '#' && comment(t))
		return -1;
	if (t->p < t->e && !nl(t))
		return fail(t, "expected a new line after the value");
	return 0;
}

/* White space, comments and line breaks (inside an array). */
static int gap(ts *t)
{
	for (;;) {
		ws(t);
		if (t->p < t->e && *t->p == '#' && comment(t))
			return -1;
		if (!nl(t))
			return 0;
	}
}

/* ---- strings ----------------------------------------------------------- */

/* Find the closing delimiter of a string whose content starts at p:
 * returns the content end and sets *after past the delimiter.  start is
 * the line of the opening quote, for "unterminated". */
static const char *str_end(ts *t, const char *p, char q, int multi,
			   const char **after, unsigned start)
{
	unsigned line = t->line;

	for (; p < t->e; p++) {
		size_t run = 0;

		if (*p == '\\' && q == '"') {
			p++;
			if (p < t->e && *p == '\n')
				line++;
			continue;
		}
		if (*p == '\n')
			line++;
		if (!multi && (*p == '\n' || *p == '\r'))
			break;
		if (*p != q)
			continue;
		if (!multi) {
			*after = p + 1;
			return p;
		}
		while (p + run < t->e && p[run] == q)
			run++;
		if (run < 3) {
			p += run - 1;
			continue;
		}
		if (run > 5) {
			cfg_fail(t->c, line, "too many quotes at the end of a string");
			return NULL;
		}
		*after = p + run;
		return p + run - 3;
	}
	cfg_fail(t->c, start, "unterminated string");
	return NULL;
}

/* Decode the string at t->p (at its opening quote) into string storage. */
static char *string(ts *t, size_t *outlen, int is_key)
{
	char q = *t->p, *out, *o;
	int multi = t->e - t->p >= 3 && t->p[1] == q && t->p[2] == q;
	const char *p, *end, *after = NULL;
	unsigned start = t->line;

	if (multi && is_key) {
		fail(t, "a multi-line string cannot be a key");
		return NULL;
	}
	t->p += multi ? 3 : 1;
	if (multi)
		nl(t);              /* a line break right after """ is trimmed */
	if (!(end = str_end(t, t->p, q, multi, &after, start)))
		return NULL;
	if (!(out = o = cfg_str_reserve(t->c, (size_t)(end - t->p), t->line)))
		return NULL;
	for (p = t->p; p < end; ) {
		long cp;

		/* CR LF is a newline: "\n" in the value, as tomllib and the
		 * Rust toml crate (Codex) read it */
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
			if (*p == '\r')
				p++;
			*o++ = *p++;
			t->line++;
			continue;
		}
		if (*p != '\\' || q == '\'') {
			if (ctrl((unsigned char)*p)) {
				fail(t, "control character in string");
				return NULL;
			}
			*o++ = *p++;
			continue;
		}
		if (++p >= end) {
			fail(t, "invalid escape in string");
			return NULL;
		}
		switch (*p) {
		case 'b': *o++ = '\b'; p++; continue;
		case 't': *o++ = '\t'; p++; continue;
		case 'n': *o++ = '\n'; p++; continue;
		case 'f': *o++ = '\f'; p++; continue;
		case 'r': *o++ = '\r'; p++; continue;
		case '"': case '\\': *o++ = *p++; continue;
		case 'u': case 'U':
			cp = cfg_hex(p + 1, end, *p == 'u' ? 4 : 8);
			if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
				fail(t, "invalid unicode escape in string");
				return NULL;
			}
			p += *p == 'u' ? 5 : 9;
			o += cfg_utf8_put(o, (uint32_t)cp);
			continue;
		case 'e': case 'x':
			fail(t, "unsupported escape in string (toml 1.1)");
			return NULL;
		default:
			break;
		}
		if (multi) {  /* line-ending backslash: trim up to the next text */
			const char *w = p;

			while (w < end && (*w == ' ' || *w == '\t'))
				w++;
			if (w < end && (*w == '\n' || *w == '\r')) {
				for (p = w; p < end; p++) {
					if (*p == '\n')
						t->line++;
					else if (*p != ' ' && *p != '\t' && *p != '\r')
						break;
				}
				continue;
			}
		}
		fail(t, "invalid escape in string");
		return NULL;
	}
	*o = '\0';
	*outlen = (size_t)(o - out);
	cfg_str_commit(t->c, *outlen);
	t->p = after;
	return out;
}

/* ---- keys -------------------------------------------------------------- */

static int bare_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* key = simple-key *( ws "." ws simple-key ) */
static int key(ts *t, seg *segs, int *nseg)
{
	int n = 0;

	for (;;) {
		if (n == ORD_CFG_MAX_DEPTH)
			return fail(t, "key has too many parts");
		if (t->p < t->e && (*t->p == '"' || *t->p == '\'')) {
			if (!(segs[n].s = string(t, &segs[n].n, 1)))
				return -1;
		} else {
			const char *s = t->p;

			while (t->p < t->e && bare_key_char(*t->p))
				t->p++;
			if (t->p == s)
				return fail(t, "expected a key");
			segs[n].s = s;
			segs[n].n = (size_t)(t->p - s);
		}
		n++;
		ws(t);
		if (t->p >= t->e || *t->p != '.')
			break;
		t->p++;
		ws(t);
	}
	*nseg = n;
	return 0;
}

/* ---- scalars ----------------------------------------------------------- */

/* Digits of a base, single underscores between digits. */
static const char *digits(const char *p, const char *e, const char *set)
{
	if (p >= e || !strchr(set, *p) || !*p)
		return NULL;
	for (p++; p < e; p++) {
		if (*p == '_' && p + 1 < e && p[1] && strchr(set, p[1]))
			continue;
		if (!*p || !strchr(set, *p))
			break;
	}
	return p;
}

static int two(const char *p, int max)
{
	int v;

	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	v = (p[0] - '0') * 10 + (p[1] - '0');
	return v <= max ? v : -1;
}

/* HH:MM:SS(.frac)?; returns the end or NULL. */
static const char *time_part(const char *p, const char *e)
{
	if (e - p < 8 || two(p, 23) < 0 || p[2] != ':' || two(p + 3, 59) < 0 ||
	    p[5] != ':' || two(p + 6, 60) < 0)
		return NULL;
	p += 8;
	if (p < e && *p == '.') {
		const char *d = ++p;

		while (p < e && *p >= '0' && *p <= '9')
			p++;
		if (p == d)
			return NULL;
	}
	return p;
}

static int month_days(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && y % 4 == 0 && (y % 100 || y % 400 == 0) ? 29 : d[m - 1];
}

static int datetime(const char *p, const char *e)
{
	int m, day;

	if (e - p >= 3 && p[2] == ':')
		return time_part(p, e) == e;              /* local time */
	if (e - p < 10 || p[4] != '-' || p[7] != '-' ||
	    two(p, 99) < 0 || two(p + 2, 99) < 0 || (m = two(p + 5, 12)) < 1 ||
	    (day = two(p + 8, 31)) < 1 ||
	    day > month_days(two(p, 99) * 100 + two(p + 2, 99), m))
		return 0;  /* 2021-02-30 is no date: tomllib rejects the file */
	p += 10;
	if (p == e)
		return 1;                                 /* local date */
	if (*p != 'T' && *p != 't' && *p != ' ')
		return 0;
	if (!(p = time_part(p + 1, e)))
		return 0;
	if (p == e)
		return 1;                                 /* local date-time */
	if ((*p == 'Z' || *p == 'z') && p + 1 == e)
		return 1;
	return (*p == '+' || *p == '-') && e - p == 6 && two(p + 1, 23) >= 0 &&
	       p[3] == ':' && two(p + 4, 59) >= 0;
}

static int number(const char *s, const char *e)
{
	const char *p = s;

	if (*p == '+' || *p == '-')
		p++;
	if ((e - p == 3) && (!memcmp(p, "inf", 3) || !memcmp(p, "nan", 3)))
		return 1;
	if (p == s && e - p > 2 && p[0] == '0') {
		const char *set = p[1] == 'x' ? "0123456789abcdefABCDEF" :
				  p[1] == 'o' ? "01234567" : p[1] == 'b' ? "01" : NULL;

		if (set)
			return digits(p + 2, e, set) == e;
	}
	if (p < e && *p == '0')
		p++;            /* no leading zeros */
	else if (!(p = digits(p, e, "0123456789")))
		return 0;
	if (p < e && *p == '.' && !(p = digits(p + 1, e, "0123456789")))
		return 0;
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (!(p = digits(p, e, "0123456789")))
			return 0;
	}
	return p == e;
}

static int bare_char(char ch)
{
	return bare_key_char(ch) || ch == '+' || ch == '.' || ch == ':';
}

/* ---- values ------------------------------------------------------------ */

static int keyval(ts *t, uint32_t table, unsigned depth);

/* Fill node (already created, type NULL) with the value at t->p. */
static int value(ts *t, uint32_t node, unsigned depth)
{
	ord_cfg *c = t->c;
	cfg_node *n;
	uint32_t i, start;
	char ch;

	if (t->p >= t->e || *t->p == '\n' || *t->p == '\r' || *t->p == '#')
		return fail(t, "missing value");
	ch = *t->p;
	if (ch == '"' || ch == '\'') {
		char *s;
		size_t len;

		if (!(s = string(t, &len, 0)))
			return -1;
		n = &c->nodes[node];
		n->type = ORD_CFG_STRING;
		n->text = s;
		n->len = (uint32_t)len;
		return 0;
	}
	if (ch == '[' || ch == '{') {
		if (depth >= ORD_CFG_MAX_DEPTH)
			return fail(t, "nesting deeper than 64 levels");
		start = c->n;
		c->nodes[node].type = ch == '[' ? ORD_CFG_ARRAY : ORD_CFG_OBJECT;
		t->p++;
		if (ch == '[') {
			unsigned open = t->line;

			for (;;) {
				if (gap(t))
					return -1;
				if (t->p >= t->e)
					return cfg_fail(c, open, "unterminated array");
				if (t->p < t->e && *t->p == ']')
					break;      /* [] or a trailing comma */
				if ((i = cfg_add(c, node, ORD_CFG_NULL, t->line)) == CFG_NONE ||
				    value(t, i, depth + 1) || gap(t))
					return -1;
				if (t->p < t->e && *t->p == ']')
					break;
				if (t->p >= t->e || *t->p != ',')
					return fail(t, "expected ',' or ']' in array");
				t->p++;
			}
		} else {
			ws(t);
			while (!(t->p < t->e && *t->p == '}')) {
				if (c->nodes[node].count) {
					if (t->p >= t->e || *t->p != ',')
						return fail(t, t->p < t->e && (*t->p == '\n' || *t->p == '\r') ?
							    "newline in inline table (toml 1.1) not supported" :
							    "expected ',' or '}' in inline table");
					t->p++;
					ws(t);
					if (t->p < t->e && *t->p == '}')
						return fail(t, "trailing comma in inline table (toml 1.1) not supported");
				}
				if (t->p < t->e && (*t->p == '\n' || *t->p == '\r'))
					return fail(t, "newline in inline table (toml 1.1) not supported");
				if (keyval(t, node, depth + 1))
					return -1;
				ws(t);
			}
		}
		t->p++;
		/* inline tables and arrays are complete: nothing may extend them */
		c->nodes[node].flags |= CFG_F_FROZEN;
		for (i = start; i < c->n; i++)
			c->nodes[i].flags |= CFG_F_FROZEN;
		return 0;
	} else {
		const char *s = t->p, *q = t->p;
		int type;

		while (q < t->e && bare_char(*q))
			q++;
		/* a date and a time separated by a space */
		if (q - s == 10 && t->e - q >= 4 && *q == ' ' && s[4] == '-' &&
		    q[1] >= '0' && q[1] <= '9' && q[3] == ':')
			for (q++; q < t->e && bare_char(*q); q++)
				;
		if (q == s)
			return fail(t, "invalid value");
		if ((q - s == 4 && !memcmp(s, "true", 4)) || (q - s == 5 && !memcmp(s, "false", 5)))
			type = ORD_CFG_BOOL;
		else if (number(s, q))
			type = ORD_CFG_NUMBER;
		else if (datetime(s, q))
			type = ORD_CFG_STRING;
		else
			return fail(t, "invalid value");
		c->nodes[node].type = (uint8_t)type;
		t->p = q;
		return cfg_set_text(c, node, s, (size_t)(q - s));
	}
}

/* key = value, into table (a [table], or an inline table being read). */
static int keyval(ts *t, uint32_t table, unsigned depth)
{
	ord_cfg *c = t->c;
	seg segs[ORD_CFG_MAX_DEPTH];
	int nseg, i;
	uint32_t x;
	unsigned line = t->line;

	if (key(t, segs, &nseg))
		return -1;
	if (t->p >= t->e || *t->p != '=')
		return fail(t, "expected '=' after key");
	t->p++;
	ws(t);
	if (depth + (unsigned)nseg > ORD_CFG_MAX_DEPTH)
		return fail(t, "nesting deeper than 64 levels");
	for (i = 0; i < nseg - 1; i++, depth++) {
		x = cfg_find(c, table, segs[i].s, segs[i].n);
		if (x == CFG_NONE) {
			x = cfg_add_member(c, table, ORD_CFG_OBJECT, line, segs[i].s,
					   segs[i].n, NULL);
			if (x == CFG_NONE)
				return -1;
			c->nodes[x].flags |= CFG_F_DOTTED;
		} else if (c->nodes[x].type != ORD_CFG_OBJECT ||
			   !(c->nodes[x].flags & CFG_F_DOTTED) ||
			   (c->nodes[x].flags & CFG_F_FROZEN)) {
			return cfg_fail(c, line, "dotted key extends a table or value defined elsewhere");
		}
		table = x;
	}
	if (cfg_find(c, table, segs[i].s, segs[i].n) != CFG_NONE)
		return cfg_fail(c, line, "duplicate key");
	x = cfg_add_member(c, table, ORD_CFG_NULL, line, segs[i].s, segs[i].n, NULL);
	if (x == CFG_NONE)
		return -1;
	return value(t, x, depth + 1);
}

/* [a.b.c] or [[a.b.c]] */
static int header(ts *t)
{
	ord_cfg *c = t->c;
	seg segs[ORD_CFG_MAX_DEPTH];
	int aot, nseg, i;
	uint32_t tab = 0, x;
	unsigned depth = 0;

	t->p++;
	aot = t->p < t->e && *t->p == '[';
	if (aot)
		t->p++;
	ws(t);
	if (key(t, segs, &nseg))
		return -1;
	if (t->p >= t->e || *t->p != ']' ||
	    (aot && (t->e - t->p < 2 || t->p[1] != ']')))
		return fail(t, aot ? "expected ']]' after the table name" :
			    "expected ']' after the table name");
	t->p += aot ? 2 : 1;
	for (i = 0; i < nseg; i++) {
		cfg_node *n;

		if (++depth > ORD_CFG_MAX_DEPTH)
			return fail(t, "nesting deeper than 64 levels");
		x = cfg_find(c, tab, segs[i].s, segs[i].n);
		if (x == CFG_NONE) {
			int last = i == nseg - 1;

			x = cfg_add_member(c, tab, last && aot ? ORD_CFG_ARRAY : ORD_CFG_OBJECT,
					   t->line, segs[i].s, segs[i].n, NULL);
			if (x == CFG_NONE)
				return -1;
			c->nodes[x].flags |= !last ? CFG_F_IMPLICIT : aot ? CFG_F_AOT : CFG_F_HEADER;
			if (!last || !aot) {
				tab = x;
				continue;
			}
		}
		n = &c->nodes[x];
		if (i < nseg - 1) {
			if (n->type == ORD_CFG_ARRAY && (n->flags & CFG_F_AOT)) {
				x = n->last;   /* the latest [[element]] */
				depth++;
			} else if (n->type != ORD_CFG_OBJECT || (n->flags & CFG_F_FROZEN)) {
				return fail(t, "table name goes through a value");
			}
		} else if (!aot) {
			if (n->type != ORD_CFG_OBJECT || !(n->flags & CFG_F_IMPLICIT) ||
			    (n->flags & (CFG_F_HEADER | CFG_F_DOTTED | CFG_F_FROZEN)))
				return fail(t, "table defined more than once");
			n->flags = (uint8_t)((n->flags & ~CFG_F_IMPLICIT) | CFG_F_HEADER);
			n->line = t->line;
		} else {
			if (n->type != ORD_CFG_ARRAY || !(n->flags & CFG_F_AOT))
				return fail(t, "array of tables conflicts with an existing value");
			if (++depth > ORD_CFG_MAX_DEPTH)
				return fail(t, "nesting deeper than 64 levels");
			x = cfg_add(c, x, ORD_CFG_OBJECT, t->line);
			if (x == CFG_NONE)
				return -1;
			c->nodes[x].flags |= CFG_F_HEADER;
		}
		tab = x;
	}
	t->table = tab;
	t->tdepth = depth;
	return eol(t);
}

int cfg_parse_toml(ord_cfg *c, const char *data, size_t len)
{
	ts t = { c, data, data + len, 1, 0, 0 };
	unsigned bad;

	if ((bad = cfg_utf8_check(data, len)))
		return cfg_fail(c, bad, "invalid utf-8");
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		t.p += 3;
	if (cfg_add(c, CFG_NONE, ORD_CFG_OBJECT, 1) == CFG_NONE)
		return -1;
	while (t.p < t.e) {
		ws(&t);
		if (nl(&t))
			continue;
		if (t.p >= t.e)
			break;
		if (*t.p == '#') {
			if (comment(&t))
				return -1;
			continue;
		}
		if (*t.p == '[') {
			if (header(&t))
				return -1;
			continue;
		}
		if (ctrl((unsigned char)*t.p))
			return fail(&t, "control character");
		if (keyval(&t, t.table, t.tdepth) || eol(&t))
			return -1;
	}
	return 0;
}
