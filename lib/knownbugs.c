/* knownbugs: the data/known-bugs parser and matcher (see knownbugs.h). */
#include "knownbugs.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "data.h"

void ord_kbugs_init(ord_kbugs *kb)
{
	memset(kb, 0, sizeof(*kb));
}

static void err(ord_kbugs *kb, const char *name, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[120];

	if (kb->nerrors == ORD_KB_ERRORS_MAX) {
		kb->errors_dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(kb->errors[kb->nerrors++], sizeof(kb->errors[0]), "%.120s:%d: %s (line skipped)", name, line, msg);
}

/* The next blank-separated word of [*p, end): its start and length. */
static size_t word(const char **p, const char *end, const char **w)
{
	const char *s = *p, *e;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	for (e = s; e < end && *e != ' ' && *e != '\t'; e++)
		;
	*w = s;
	*p = e;
	return (size_t)(e - s);
}

static int tool_ok(const char *w, size_t n)
{
	size_t i;

	if (!n || n >= sizeof(((ord_kbug *)0)->tool) || !isalnum((unsigned char)w[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)w[i]) || isdigit((unsigned char)w[i]) || w[i] == '.' || w[i] == '_' ||
		      w[i] == '-'))
			return 0;
	return 1;
}

/* A version: an optional 'v', then digits and dots (and, after the
 * numeric part, letters, digits, '.', '-', '+' as in 1.0.0-rc.1). */
static int version_ok(const char *w, size_t n)
{
	size_t i = 0;

	if (n && (w[0] == 'v' || w[0] == 'V'))
		i++;
	if (i >= n || !isdigit((unsigned char)w[i]) || n >= sizeof(((ord_kbug *)0)->from))
		return 0;
	for (; i < n; i++)
		if (!(isalnum((unsigned char)w[i]) || w[i] == '.' || w[i] == '-' || w[i] == '+'))
			return 0;
	return 1;
}

static void put(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int parse_range(ord_kbug *b, const char *w, size_t n)
{
	const char *dd = NULL;
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (w[i] == '.' && w[i + 1] == '.') {
			dd = w + i;
			break;
		}
	if (!dd) {
		if (!version_ok(w, n))
			return 0;
		put(b->from, sizeof(b->from), w, n);
		put(b->to, sizeof(b->to), w, n);
		return 1;
	}
	if (dd == w && dd + 2 == w + n)
		return 0; /* ".." alone says nothing */
	if (dd > w && !version_ok(w, (size_t)(dd - w)))
		return 0;
	if (dd + 2 < w + n && !version_ok(dd + 2, (size_t)(w + n - dd - 2)))
		return 0;
	put(b->from, sizeof(b->from), w, (size_t)(dd - w));
	put(b->to, sizeof(b->to), dd + 2, (size_t)(w + n - dd - 2));
	if (b->from[0] && b->to[0] && ord_version_cmp(b->from, b->to) > 0)
		return 0;
	return 1;
}

static int url_ok(const char *w, size_t n)
{
	size_t i;

	if (n <= 8 || n >= sizeof(((ord_kbug *)0)->url) || strncmp(w, "https://", 8))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)w[i] <= ' ' || (unsigned char)w[i] >= 0x7f)
			return 0;
	return 1;
}

static void parse_line(ord_kbugs *kb, const char *name, int line, const char *p, const char *end)
{
	ord_kbug b;
	const char *w;
	size_t n, i;

	memset(&b, 0, sizeof(b));
	b.line = line;
	if (!(n = word(&p, end, &w)) || !tool_ok(w, n)) {
		err(kb, name, line, "tool id expected (lowercase letters, digits, '.', '_', '-')");
		return;
	}
	put(b.tool, sizeof(b.tool), w, n);
	if (!(n = word(&p, end, &w)) || !parse_range(&b, w, n)) {
		err(kb, name, line, "affected versions expected (1.2.3, 1.2.0..1.2.9, 1.2.0.. or ..1.2.9)");
		return;
	}
	n = word(&p, end, &w);
	if (n == 1 && w[0] == '-')
		b.fixed[0] = '\0';
	else if (n && version_ok(w, n))
		put(b.fixed, sizeof(b.fixed), w, n);
	else {
		err(kb, name, line, "fixed version expected (a version, or '-' when none is known)");
		return;
	}
	if (b.fixed[0] && b.to[0] && ord_version_cmp(b.fixed, b.to) <= 0) {
		err(kb, name, line, "the fixed version is inside the affected range");
		return;
	}
	if (!(n = word(&p, end, &w)) || !url_ok(w, n)) {
		err(kb, name, line, "thread URL expected (https://...)");
		return;
	}
	put(b.url, sizeof(b.url), w, n);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	n = (size_t)(end - p);
	if (n < 4 || n >= sizeof(b.symptom)) {
		err(kb, name, line, "symptom text expected (4 to %zu bytes)", sizeof(b.symptom) - 1);
		return;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < ' ' && p[i] != '\t') {
			err(kb, name, line, "control character in the symptom");
			return;
		}
	put(b.symptom, sizeof(b.symptom), p, n);
	if (kb->n == ORD_KB_MAX) {
		err(kb, name, line, "more than %d known bugs", ORD_KB_MAX);
		return;
	}
	kb->bugs[kb->n++] = b;
}

void ord_kbugs_parse(ord_kbugs *kb, const char *name, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *e;
	int line = 0;

	if (!name)
		name = "known-bugs";
	for (; text && p < end; p = e + 1) {
		const char *s;

		e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		line++;
		for (s = p; s < e && (*s == ' ' || *s == '\t' || *s == '\r'); s++)
			;
		if (s == e || *s == '#')
			continue;
		if ((size_t)(e - p) > ORD_KB_LINE_MAX) {
			err(kb, name, line, "line longer than %d bytes", ORD_KB_LINE_MAX);
			continue;
		}
		if (memchr(p, '\0', (size_t)(e - p))) {
			err(kb, name, line, "NUL byte");
			continue;
		}
		parse_line(kb, name, line, s, e);
		if (e == end)
			break;
	}
}

void ord_kbugs_load_builtin(ord_kbugs *kb)
{
	size_t len = 0;
	const char *d = ord_data_get("known-bugs", &len);

	if (d)
		ord_kbugs_parse(kb, "known-bugs", d, len);
}

/* ---- versions ------------------------------------------------------------- */

int ord_version_cmp(const char *a, const char *b)
{
	if (*a == 'v' || *a == 'V')
		a++;
	if (*b == 'v' || *b == 'V')
		b++;
	for (;;) {
		unsigned long x = 0, y = 0;
		int da = isdigit((unsigned char)*a), db = isdigit((unsigned char)*b);

		if (!da && !db)
			return 0;
		while (isdigit((unsigned char)*a) && x < 100000000ul)
			x = x * 10 + (unsigned long)(*a++ - '0');
		while (isdigit((unsigned char)*a))
			a++;
		while (isdigit((unsigned char)*b) && y < 100000000ul)
			y = y * 10 + (unsigned long)(*b++ - '0');
		while (isdigit((unsigned char)*b))
			b++;
		if (x != y)
			return x < y ? -1 : 1;
		/* Only '.' followed by a digit continues the numeric part. */
		da = *a == '.' && isdigit((unsigned char)a[1]);
		db = *b == '.' && isdigit((unsigned char)b[1]);
		if (!da && !db)
			return 0;
		a += da;
		b += db;
		if (!da)
			a = "";
		if (!db)
			b = "";
	}
}

static int in_range(const ord_kbug *b, const char *v)
{
	return (!b->from[0] || ord_version_cmp(v, b->from) >= 0) && (!b->to[0] || ord_version_cmp(v, b->to) <= 0);
}

/* ---- matching ------------------------------------------------------------- */

static int wordch(int c)
{
	return isalnum(c) || c == '_';
}

/* Does the tool id match text at s (a '-' also matches one blank)?
 * Returns the length matched, 0 when not. */
static size_t tool_at(const char *tool, const char *s, const char *end)
{
	const char *p = s;

	for (; *tool; tool++, p++) {
		if (p == end)
			return 0;
		if (*tool == '-' ? !(*p == '-' || *p == ' ' || *p == '_') :
		    tolower((unsigned char)*p) != (unsigned char)*tool)
			return 0;
	}
	return (size_t)(p - s);
}

/* The version written right after the tool's name: "Aider v0.81.3",
 * "litellm==1.52.15", "OpenClaw 2026.4.9", "LiteLLM version 1.82.3",
 * "litellm:main-v1.52.15".  Returns 1 and fills v, else 0. */
static int version_after(const char *p, const char *end, char *v, size_t cap)
{
	const char *q = p, *s;
	size_t k;

	for (k = 0; q < end && k < 16; k++) {
		if (*q == ' ' || *q == '\t' || *q == ':' || *q == '=' || *q == '@' || *q == '/' || *q == '-' ||
		    *q == '(' || *q == '_')
			q++;
		else if ((end - q) >= 7 && !strncasecmp(q, "version", 7))
			q += 7;
		else if ((end - q) >= 4 && !strncasecmp(q, "main", 4))
			q += 4;
		else
			break;
	}
	if (q < end && (*q == 'v' || *q == 'V'))
		q++;
	if (q >= end || !isdigit((unsigned char)*q))
		return 0;
	for (s = q; s < end && (isdigit((unsigned char)*s) || (*s == '.' && s + 1 < end &&
								isdigit((unsigned char)s[1]))); s++)
		;
	if (!memchr(q, '.', (size_t)(s - q)))
		return 0; /* "Aider 3 times": a version has a dot */
	put(v, cap, q, (size_t)(s - q));
	return 1;
}

static const char *find_ci(const char *hay, size_t hl, const char *needle)
{
	size_t nl = strlen(needle), i;
	int c0;

	if (!nl || nl > hl)
		return NULL;
	c0 = tolower((unsigned char)needle[0]);
	for (i = 0; i + nl <= hl; i++)
		if (tolower((unsigned char)hay[i]) == c0 && !strncasecmp(hay + i, needle, nl))
			return hay + i;
	return NULL;
}

size_t ord_kbugs_match(const ord_kbugs *kb, const char *text, size_t len, ord_kbug_hit *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < kb->n && n < max; i++) {
		const ord_kbug *b = &kb->bugs[i];
		const char *p, *end = text + len;
		int named = 0, ok = 0;
		char v[32] = "";

		if (!find_ci(text, len, b->symptom))
			continue;
		/* Every place the tool is named: a version there decides. */
		for (p = text; p < end; p++) {
			size_t m;
			char here[32];

			if (tolower((unsigned char)*p) != (unsigned char)b->tool[0] ||
			    (p > text && wordch((unsigned char)p[-1])) || !(m = tool_at(b->tool, p, end)))
				continue;
			if (p + m < end && wordch((unsigned char)p[m]) && !isdigit((unsigned char)p[m]))
				continue;
			named = 1;
			if (version_after(p + m, end, here, sizeof(here))) {
				if (in_range(b, here)) {
					ok = 1;
					snprintf(v, sizeof(v), "%s", here);
					break;
				}
				if (!v[0])
					snprintf(v, sizeof(v), "%s", here);
			}
		}
		/* Named without a version: still a candidate; named only with
		 * versions out of range: not this bug. */
		if (!named || (!ok && v[0]))
			continue;
		out[n].bug = b;
		snprintf(out[n].version, sizeof(out[n].version), "%s", ok ? v : "");
		n++;
	}
	return n;
}
