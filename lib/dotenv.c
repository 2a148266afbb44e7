/* dotenv parser: python-dotenv's grammar (src/dotenv/parser.py as released
 * in 1.2.4; older releases are noted where they differ), because that is
 * what Aider, LiteLLM, Hermes and most scripts load; where Node's
 * dotenv (motdotla/dotenv lib/main.js, the LINE regex) reads the same bytes
 * differently, the comment says so, so that the doctor can explain both.
 *
 * python-dotenv reads the file in text mode: it must be valid UTF-8 (else
 * the whole load raises UnicodeDecodeError), and universal newlines turn
 * CR LF and lone CR into LF before the parser sees them.  Node does the same
 * translation (src.replace(/\r\n?/g, "\n")).  So CR LF, CR and LF are one
 * line break each, and a line break inside a quoted value reaches the
 * consumer as LF.
 */
#include "dotenv.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "buf.h"

struct ps {
	const char *data; /* start of the file (the BOM included) */
	const char *p;    /* cursor */
	const char *end;
	unsigned line;    /* line of p */
	ord_buf scratch;  /* decoded values; wiped after each callback */
	ord_assign_fn fn;
	ord_parse_error_fn err;
	void *arg;
};

/* Length of the whitespace character at p (Python's \s on str, i.e.
 * str.isspace(): ASCII \t\n\v\f\r, \x1c-\x1f, space and the Unicode
 * spaces), 0 when p is not one.  Unicode matters: a no-break space pasted
 * after a key is stripped by python-dotenv like any other trailing space. */
static size_t space_len(const char *s, const char *e)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = (size_t)(e - s);

	if (!n)
		return 0;
	if (*p == ' ' || (*p >= '\t' && *p <= '\r') || (*p >= 0x1c && *p <= 0x1f))
		return 1;
	if (n >= 2 && p[0] == 0xc2)		/* U+0085, U+00A0 */
		return p[1] == 0x85 || p[1] == 0xa0 ? 2 : 0;
	if (n < 3)
		return 0;
	if (p[0] == 0xe1)			/* U+1680 */
		return p[1] == 0x9a && p[2] == 0x80 ? 3 : 0;
	if (p[0] == 0xe2 && p[1] == 0x80)	/* U+2000-200A, 2028, 2029, 202F */
		return p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 ||
		       p[2] == 0xaf ? 3 : 0;
	if (p[0] == 0xe2 && p[1] == 0x81)	/* U+205F */
		return p[2] == 0x9f ? 3 : 0;
	if (p[0] == 0xe3)			/* U+3000 */
		return p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
	return 0;
}

/* Whitespace that is not a line break: [^\S\r\n] in parser.py. */
static size_t hspace_len(const char *p, const char *e)
{
	if (p < e && (*p == '\r' || *p == '\n'))
		return 0;
	return space_len(p, e);
}

static const char *skip_hspace(const char *p, const char *e)
{
	size_t n;

	while ((n = hspace_len(p, e)))
		p += n;
	return p;
}

static const char *line_end(const char *p, const char *e)
{
	while (p < e && *p != '\r' && *p != '\n')
		p++;
	return p;
}

static int at_eol(const char *p, const char *e)
{
	return p >= e || *p == '\r' || *p == '\n';
}

static int is_crlf(const char *p, const char *e)
{
	return e - p >= 2 && p[0] == '\r' && p[1] == '\n';
}

/* Move the cursor forward, counting CR LF, CR and LF as one line each.
 * Looking back one byte keeps a CR LF split by two calls one line. */
static void advance(struct ps *ps, const char *to)
{
	const char *q;

	for (q = ps->p; q < to; q++) {
		if (*q == '\r' || (*q == '\n' && !(q > ps->data && q[-1] == '\r')))
			if (ps->line < UINT_MAX)
				ps->line++;
	}
	ps->p = to;
}

/* Consume one line break at the cursor; ORD_ASSIGN_CRLF when it was CR LF. */
static unsigned eat_eol(struct ps *ps)
{
	if (is_crlf(ps->p, ps->end)) {
		advance(ps, ps->p + 2);
		return ORD_ASSIGN_CRLF;
	}
	if (ps->p < ps->end && (*ps->p == '\r' || *ps->p == '\n'))
		advance(ps, ps->p + 1);
	return 0;
}

/* Skip from at to the start of the next line. */
static int skip_line(struct ps *ps, const char *at)
{
	advance(ps, at);
	advance(ps, line_end(ps->p, ps->end));
	eat_eol(ps);
	return 0;
}

/* python-dotenv's error recovery: from where the grammar failed, skip the
 * rest of that line (_rest_of_line) and go on with the next one. */
static int fail(struct ps *ps, const char *at, unsigned line, const char *msg)
{
	skip_line(ps, at);
	if (ps->err)
		ps->err(ps->arg, line, msg);
	return 0;
}

static int name_start(char c)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

/* python-dotenv's reference, src/dotenv/variables.py:
 * \$\{([^}:]*)(?::-([^}]*))?\}  at s[0] == '$', s[1] == '{'.
 * Returns the match length, or 0 with *stop at the byte that made it fail
 * (every "${" before *stop fails there too, which keeps the scan linear). */
static size_t brace_ref(const char *s, size_t n, size_t *name_len, size_t *stop)
{
	size_t i = 2;

	while (i < n && s[i] != '}' && s[i] != ':')
		i++;
	*name_len = i - 2;
	if (i + 1 < n && s[i] == ':' && s[i + 1] == '-') {
		i += 2;
		while (i < n && s[i] != '}')
			i++;
	}
	if (i < n && s[i] == '}')
		return i + 1;
	*stop = i < n ? i : n;
	return 0;
}

/* Flag references and extract the name when the value is exactly one.
 * python-dotenv expands only ${NAME} and ${NAME:-default}, and does so in
 * single-quoted values too (there is no way to escape it, issue #422).
 * $NAME is flagged as well because Node's dotenv-expand, docker compose and
 * shells expand it: a consumer that resolves a reference can tell the two
 * forms apart by value[1] == '{'. */
static void find_refs(ord_assign *a)
{
	const char *v = a->value;
	size_t n = a->value_len, i, nl, stop, m, skip = 0;

	for (i = 0; i + 1 < n; i++) {
		if (v[i] != '$')
			continue;
		if (v[i + 1] == '{') {
			if (i < skip)	/* fails where the last one failed */
				continue;
			if (brace_ref(v + i, n - i, &nl, &stop)) {
				a->flags |= ORD_ASSIGN_EXPANSION;
				break;
			}
			skip = i + stop;
		} else if (name_start(v[i + 1]) && (i == 0 || v[i - 1] != '\\')) {
			a->flags |= ORD_ASSIGN_EXPANSION;
			break;
		}
	}
	if (!(a->flags & ORD_ASSIGN_EXPANSION) || v[0] != '$')
		return;
	if (v[1] == '{') {
		m = brace_ref(v, n, &nl, &stop);
		if (m == n && nl) {
			a->ref = v + 2;
			a->ref_len = nl;
		}
		return;
	}
	for (i = 1; i < n && name_char(v[i]); i++)
		;
	if (i == n && name_start(v[1])) {
		a->ref = v + 1;
		a->ref_len = n - 1;
	}
}

/* The escape a quoted value decodes, or -1.  Double quotes: python-dotenv's
 * \\[\\'"abfnrtv] (Node decodes only \n and \r and keeps \" as is).  Single
 * quotes: \\ and \' (Node: none).  Backticks are Node's and literal. */
static int unescape(char q, char c)
{
	if (q == '\'')
		return c == '\\' || c == '\'' ? c : -1;
	if (q != '"')
		return -1;
	switch (c) {
	case '\\': case '\'': case '"': return c;
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'v': return '\v';
	default: return -1;
	}
}

/* Decode a quoted value's content into the scratch buffer, left to right
 * like re.sub, and turn raw line breaks into LF (universal newlines).
 * Points a->value at the file itself when there is nothing to decode. */
static int decode(struct ps *ps, ord_assign *a, const char *s, size_t n, char q)
{
	size_t r, w = 0;
	char *d;
	int x;

	if (!memchr(s, '\r', n) && (q == '`' || !memchr(s, '\\', n))) {
		a->value = s;
		a->value_len = n;
		return 0;
	}
	ord_buf_reset(&ps->scratch);
	if (ord_buf_add(&ps->scratch, s, n))
		return ENOMEM;
	d = ps->scratch.data;
	for (r = 0; r < n; r++) {
		if (d[r] == '\r') {
			if (r + 1 < n && d[r + 1] == '\n')
				r++;
			d[w++] = '\n';
		} else if (d[r] == '\\' && r + 1 < n &&
			   (x = unescape(q, d[r + 1])) >= 0) {
			d[w++] = (char)x;
			r++;
		} else {
			d[w++] = d[r];
		}
	}
	ord_wipe(d + w, n - w);
	ps->scratch.len = w;
	d[w] = '\0';
	a->value = d;
	a->value_len = w;
	return 0;
}

static int emit(struct ps *ps, ord_assign *a)
{
	int rc;

	find_refs(a);
	rc = ps->fn ? ps->fn(ps->arg, a) : 0;
	ord_buf_reset(&ps->scratch);
	return rc;
}

/* Unquoted value, python-dotenv's parse_unquoted_value(): the rest of the
 * line; whitespace followed by '#' starts a comment, and so does a leading
 * '#' when '=' was followed by whitespace ("KEY= #c" is empty, "KEY=#v" is
 * "#v"); then trailing whitespace goes.  Up to python-dotenv 1.2.3
 * "KEY= #c" was "#c" (issue #600), which older installs still load.  Node
 * differs: any '#' starts a comment ("KEY=ab#cd" is "ab" for Node, "ab#cd"
 * for python-dotenv) and leading whitespace is trimmed the same way. */
static int unquoted(struct ps *ps, ord_assign *a, const char *p, int ws)
{
	const char *e = ps->end, *le = line_end(p, e), *v = le, *q, *r;
	size_t n;

	if (ws && *p == '#') {
		v = p;
	} else {
		for (q = p; q < le; ) {
			if (!(n = space_len(q, le))) {
				q++;
				continue;
			}
			for (r = q + n; (n = space_len(r, le)); r += n)
				;
			if (r < le && *r == '#') {
				v = q;
				break;
			}
			q = r;
		}
	}
	/* rstrip(): Python whitespace, possibly multi-byte. */
	while (v > p) {
		if (space_len(v - 1, v) == 1)
			v--;
		else if (v - p >= 2 && space_len(v - 2, v) == 2)
			v -= 2;
		else if (v - p >= 3 && space_len(v - 3, v) == 3)
			v -= 3;
		else
			break;
	}
	a->raw = a->value = p;
	a->raw_len = a->value_len = (size_t)(v - p);
	advance(ps, le);
	a->flags |= eat_eol(ps);
	return emit(ps, a);
}

static const char *const unterminated_msg[] = {
	"unterminated single quote", "unterminated double quote",
};

/* Quoted value.  Since python-dotenv 1.2.3 (PR #680) parser.py matches
 * '((?:\\[\s\S]|[^'\\])*)' (and the same with "): a backslash escapes any
 * next character, so the closing quote is the first one after an even run
 * of backslashes, on whatever line.  (Up to 1.2.2 the pattern was
 * "((?:\\"|[^"])*)", greedy, and a value ending in a backslash ate the
 * closing quote and the lines after it.)  What follows the closing quote
 * must be blanks and an optional comment, else python-dotenv drops the
 * whole statement.  Backticks are Node's: its LINE regex closes them at the
 * first backtick not preceded by a backslash, and unescapes nothing;
 * python-dotenv keeps them as text. */
static int quoted(struct ps *ps, ord_assign *a, const char *p, int ws)
{
	const char *e = ps->end, *le = line_end(p, e), *c = NULL, *t = NULL;
	char qc = *p;
	unsigned kind = qc == '\'' ? ORD_ASSIGN_QUOTED_SINGLE :
			qc == '"' ? ORD_ASSIGN_QUOTED_DOUBLE :
			ORD_ASSIGN_QUOTED_BACKTICK;
	size_t i, n = (size_t)(e - p);

	for (i = 1; i < n; i++) {
		if (p[i] == qc && (qc != '`' || p[i - 1] != '\\')) {
			c = p + i;
			break;
		}
		if (p[i] == '\\' && qc != '`')
			i++;
	}
	if (c) {
		t = skip_hspace(c + 1, e);
		if (t < e && *t == '#')
			t = line_end(t, e);
	}
	/* Backticks are Node's alone: python-dotenv (Aider, LiteLLM, Hermes)
	 * reads the line as unquoted text and hands the program the
	 * backticks too, which the key linter then sees.  The flag says that
	 * Node's dotenv would strip them (and read up to the closing one,
	 * lines later if need be). */
	if (kind == ORD_ASSIGN_QUOTED_BACKTICK) {
		if (c && at_eol(t, e))
			a->flags |= kind;
		else if (!c)
			a->flags |= ORD_ASSIGN_UNTERMINATED;
		return unquoted(ps, a, p, ws);
	}
	if (c && at_eol(t, e)) {
		a->flags |= kind;
		a->raw = p;
		a->raw_len = (size_t)(c + 1 - p);
		n = (size_t)(c - p - 1);
		if (memchr(p + 1, '\n', n) || memchr(p + 1, '\r', n))
			a->flags |= ORD_ASSIGN_MULTILINE;
		if (decode(ps, a, p + 1, n, qc))
			return fail(ps, t, a->line, "out of memory");
		advance(ps, t);
		a->flags |= eat_eol(ps);
		return emit(ps, a);
	}
	if (c && c < le)
		return fail(ps, t, a->line, "unexpected text after closing quote");
	/* Never closed, or "closed" lines later by some other line's quote
	 * and then followed by text: python-dotenv skips the statement (and
	 * in the second case every line up to that quote: it resumes after
	 * it).  The usual cause is a forgotten closing quote, so report the
	 * value up to the end of its first line, for the linter. */
	if (ps->err)
		ps->err(ps->arg, a->line, unterminated_msg[qc == '"']);
	a->flags |= kind | ORD_ASSIGN_UNTERMINATED;
	if (is_crlf(le, e))
		a->flags |= ORD_ASSIGN_CRLF;
	a->raw = p;
	a->raw_len = (size_t)(le - p);
	a->value = p + 1;
	a->value_len = (size_t)(le - p - 1);
	find_refs(a);
	if (ps->fn) {
		int rc = ps->fn(ps->arg, a);

		if (rc)
			return rc;
	}
	return skip_line(ps, c ? t : le);
}

/* One statement, starting at a non-blank byte: parser.py's parse_binding. */
static int statement(struct ps *ps)
{
	const char *p = ps->p, *e = ps->end, *q;
	ord_assign a;
	size_t n;
	int ws;

	memset(&a, 0, sizeof(a));
	a.line = ps->line;
	/* "export" needs blanks after it: "export=1" sets "export". */
	if (e - p > 6 && !memcmp(p, "export", 6) && (n = hspace_len(p + 6, e))) {
		a.flags |= ORD_ASSIGN_EXPORT;
		p = skip_hspace(p + 6 + n, e);
	}
	if (p < e && *p == '#')
		return skip_line(ps, p);
	if (p < e && *p == '\'') {
		/* '([^']+)': any byte but a quote, line breaks included. */
		q = memchr(p + 1, '\'', (size_t)(e - p - 1));
		if (!q || q == p + 1)
			return fail(ps, p, a.line, q ? "empty name" :
				    "unterminated quote in name");
		a.name = p + 1;
		a.name_len = (size_t)(q - p - 1);
		p = q + 1;
	} else {
		/* [^=#\s]+: python-dotenv takes almost any name ("a.b",
		 * "KEY:"); Node only [\w.-]+. */
		for (a.name = p; p < e && *p != '=' && *p != '#' &&
		     !space_len(p, e); p++)
			;
		a.name_len = (size_t)(p - a.name);
		if (!a.name_len)
			return fail(ps, p, a.line, p < e && *p == '=' ?
				    "missing name before '='" :
				    "missing name after 'export'");
	}
	p = skip_hspace(p, e);
	if (p >= e || *p != '=') {
		/* A bare "NAME" (or "export NAME") gives NAME=None in
		 * python-dotenv: load_dotenv sets nothing for it, and it
		 * replaces an earlier NAME=value of the file, which is then
		 * not loaded either.  Reported with ORD_ASSIGN_UNSET and an
		 * empty value.  "NAME: value" is Node's alternative syntax;
		 * python-dotenv rejects it. */
		if (p < e && *p == '#')
			p = line_end(p, e);
		if (!at_eol(p, e))
			return fail(ps, p, a.line, *p == ':' ||
				    a.name[a.name_len - 1] == ':' ?
				    "':' instead of '=' after name" :
				    "expected '=' after name");
		advance(ps, p);
		a.flags |= ORD_ASSIGN_UNSET;
		a.raw = a.value = p;
		a.flags |= eat_eol(ps);
		return emit(ps, &a);
	}
	p++;
	ws = hspace_len(p, e) > 0;
	p = skip_hspace(p, e);
	advance(ps, p);
	if (at_eol(p, e)) {
		a.raw = a.value = p;
		a.flags |= eat_eol(ps);
		return emit(ps, &a);
	}
	if (*p == '\'' || *p == '"' || *p == '`')
		return quoted(ps, &a, p, ws);
	return unquoted(ps, &a, p, ws);
}

/* Where the first invalid UTF-8 sequence starts (overlongs, surrogates and
 * values past U+10FFFF included, as Python's codec rejects them), or NULL. */
static const char *bad_utf8(const char *s, const char *e)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = (const unsigned char *)e;
	unsigned char c, lo, hi;
	size_t n, i;

	while (p < end) {
		c = *p;
		lo = 0x80;
		hi = 0xbf;
		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			return (const char *)p;
		}
		if ((size_t)(end - p) <= n || p[1] < lo || p[1] > hi)
			return (const char *)p;
		for (i = 2; i <= n; i++)
			if (p[i] < 0x80 || p[i] > 0xbf)
				return (const char *)p;
		p += n + 1;
	}
	return NULL;
}

int ord_dotenv_parse(const char *data, size_t len, ord_assign_fn fn,
		     ord_parse_error_fn err, void *arg)
{
	struct ps ps = { data, data, data + len, 1, ORD_BUF_INIT(len + 1),
			 fn, err, arg };
	const char *q;
	size_t n;
	int rc = 0;

	if (!data || !len)
		return 0;
	/* parser.py: removeprefix("\ufeff"), once.  Node skips it as \s. */
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		ps.p += 3;
	if (err && (q = bad_utf8(ps.p, ps.end))) {
		struct ps at = ps;

		advance(&at, q);
		err(arg, at.line, "invalid utf-8: python-dotenv cannot read this file");
	}
	while (!rc) {
		for (q = ps.p; (n = space_len(q, ps.end)); q += n)
			;
		advance(&ps, q);
		if (ps.p >= ps.end)
			break;
		rc = statement(&ps);
	}
	ord_buf_release(&ps.scratch);
	return rc;
}
