/* codescan: a tokenizer of JavaScript/TypeScript and Python source, enough
 * to tell code from comments and strings.
 *
 * Why not tree-sitter: Debian packages libtree-sitter but no grammar for
 * JavaScript, TypeScript or Python, and building the grammars from their
 * npm packages at build time would make a fresh build depend on the npm
 * registry.  What ordoctor needs is much less than a syntax tree: that
 * `process.env.X` inside a comment, a string or a template's text is not
 * code, while the same inside a template's ${…} is; that a call's
 * arguments are the tokens between its parentheses.  A tokenizer gets
 * that right (codescan_rules.c matches patterns on its tokens).
 *
 * Untrusted input (any file of the project): never reads past the end,
 * keeps at most `max` tokens and a bounded nesting of templates
 * (fuzz_codescan).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codescan.h"

#define MAX_NEST 32

typedef struct lexer {
	const char *s, *end, *p;
	unsigned line;
	ord_lang lang;
	ord_ctoks *out;
	/* template nesting: for each open ${, the brace depth inside it and
	 * the index of the template token it belongs to */
	struct { unsigned braces; size_t tok; } nest[MAX_NEST];
	unsigned depth;
	int oom;
} lexer;

static ord_ctok *emit(lexer *x, unsigned kind, unsigned flags, unsigned line, const char *p, size_t n)
{
	ord_ctoks *t = x->out;
	ord_ctok *k;

	if (t->n >= t->max) {
		t->truncated = 1;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		ord_ctok *v = realloc(t->v, cap * sizeof(*v));
		if (!v) {
			x->oom = 1;
			return NULL;
		}
		t->v = v;
		t->cap = cap;
	}
	k = &t->v[t->n++];
	k->kind = (unsigned char)kind;
	k->flags = (unsigned char)(flags | (x->depth ? ORD_CTOK_IN_TEMPLATE : 0));
	k->line = line;
	k->p = p;
	k->n = n;
	return k;
}

static int ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
}

static int ident_char(int c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static void newline_count(lexer *x, const char *a, const char *b)
{
	for (; a < b; a++)
		if (*a == '\n')
			x->line++;
}

/* A quoted string that ends at `q` (or, for a one-line string, at the
 * end of the line).  `triple`: Python's ''' and """. */
static void quoted(lexer *x, char q, int triple, unsigned flags, int fstring)
{
	const char *body = x->p, *p = x->p;
	unsigned line = x->line;

	for (;;) {
		if (p >= x->end) {
			flags |= ORD_CTOK_UNTERMINATED;
			break;
		}
		if (*p == '\\') {
			flags |= ORD_CTOK_ESCAPED;
			if (p + 1 < x->end && p[1] == '\n')
				x->line++;
			p += p + 1 < x->end ? 2 : 1;
			continue;
		}
		if (*p == '\n' && !triple) {
			flags |= ORD_CTOK_UNTERMINATED;
			break;
		}
		if (fstring && *p == '{') {
			if (p + 1 < x->end && p[1] == '{')
				p++;
			else
				flags |= ORD_CTOK_DYNAMIC;
		}
		if (*p == q && (!triple || (x->end - p >= 3 && p[1] == q && p[2] == q)))
			break;
		if (*p == '\n')
			x->line++;
		p++;
	}
	emit(x, ORD_CTOK_STRING, flags, line, body, (size_t)(p - body));
	if (p < x->end && *p == q)
		p += triple ? 3 : 1;
	x->p = p;
}

/* The text of a template up to its end or to the next ${. */
static void template_text(lexer *x)
{
	const char *p = x->p;

	while (p < x->end) {
		if (*p == '\\') {
			if (p + 1 < x->end && p[1] == '\n')
				x->line++;
			p += p + 1 < x->end ? 2 : 1;
			continue;
		}
		if (*p == '`')
			break;
		if (*p == '$' && p + 1 < x->end && p[1] == '{')
			break;
		if (*p == '\n')
			x->line++;
		p++;
	}
	x->p = p;
}

/* Where a template's text stops: its end, or a ${ that opens code. */
static void template_continue(lexer *x, size_t tok)
{
	ord_ctok *t;

	template_text(x);
	t = tok < x->out->n ? &x->out->v[tok] : NULL;
	if (t)
		t->n = (size_t)(x->p - t->p);
	if (x->p >= x->end) {
		if (t)
			t->flags |= ORD_CTOK_UNTERMINATED;
		return;
	}
	if (*x->p == '`') {
		x->p++;
		return;
	}
	/* ${ */
	if (t)
		t->flags |= ORD_CTOK_DYNAMIC;
	x->p += 2;
	if (x->depth == MAX_NEST) {
		/* too deep to follow: the rest of this template is text */
		x->out->truncated = 1;
		while (x->p < x->end && *x->p != '`')
			x->p++;
		if (x->p < x->end)
			x->p++;
		return;
	}
	x->nest[x->depth].braces = 0;
	x->nest[x->depth].tok = tok;
	x->depth++;
}

static void template_start(lexer *x)
{
	ord_ctok *t = emit(x, ORD_CTOK_STRING, ORD_CTOK_TEMPLATE, x->line, x->p, 0);

	template_continue(x, t ? (size_t)(t - x->out->v) : (size_t)-1);
}

/* A '/' in JS starts a regular expression where an operand is expected:
 * at the start, after an operator or an opening bracket, or after one of
 * the keywords that take an expression. */
static int regex_here(const lexer *x)
{
	const ord_ctok *t;
	static const char *const kw[] = {"return", "typeof", "case", "do", "else", "in", "of",
					  "new", "delete", "void", "throw", "yield", "await", NULL};
	size_t i;

	if (!x->out->n)
		return 1;
	t = &x->out->v[x->out->n - 1];
	if (t->kind == ORD_CTOK_PUNCT)
		return !(t->n == 1 && (*t->p == ')' || *t->p == ']' || *t->p == '}'));
	if (t->kind != ORD_CTOK_IDENT)
		return 0;
	for (i = 0; kw[i]; i++)
		if (strlen(kw[i]) == t->n && !memcmp(kw[i], t->p, t->n))
			return 1;
	return 0;
}

static void regex_literal(lexer *x)
{
	const char *p = x->p + 1;
	int cls = 0;

	while (p < x->end && *p != '\n') {
		if (*p == '\\') {
			p += p + 1 < x->end && p[1] != '\n' ? 2 : 1;
			continue;
		}
		if (*p == '[')
			cls = 1;
		else if (*p == ']')
			cls = 0;
		else if (*p == '/' && !cls)
			break;
		p++;
	}
	if (p < x->end && *p == '/')
		p++;
	while (p < x->end && ident_char((unsigned char)*p))
		p++; /* flags */
	/* a regex is neither code nor a string ordoctor reads */
	emit(x, ORD_CTOK_NUMBER, 0, x->line, x->p, (size_t)(p - x->p));
	x->p = p;
}

/* Python string prefixes: r, b, u, f and their pairs, any case. */
static size_t py_prefix(const lexer *x, unsigned *flags, int *fstring)
{
	const char *p = x->p;
	size_t i;

	for (i = 0; i < 2 && p + i < x->end && strchr("rRbBuUfF", p[i]) && p[i]; i++)
		;
	if (!i || p + i >= x->end || (p[i] != '\'' && p[i] != '"'))
		return 0;
	*flags = 0;
	*fstring = 0;
	for (size_t j = 0; j < i; j++) {
		if (p[j] == 'r' || p[j] == 'R')
			*flags |= ORD_CTOK_RAW;
		if (p[j] == 'f' || p[j] == 'F')
			*fstring = 1;
	}
	return i;
}

static void punct(lexer *x)
{
	static const char *const ops[] = {"===", "!==", "...", "**=", "?.", "??", "=>", "==", "!=",
					  "<=", ">=", "&&", "||", "**", "::", "->", ":=", NULL};
	size_t i, n = 1;

	for (i = 0; ops[i]; i++) {
		size_t l = strlen(ops[i]);
		if ((size_t)(x->end - x->p) >= l && !memcmp(x->p, ops[i], l)) {
			n = l;
			break;
		}
	}
	emit(x, ORD_CTOK_PUNCT, 0, x->line, x->p, n);
	x->p += n;
}

static void lex(lexer *x)
{
	/* #! on the first line is a comment in both languages */
	if (x->end - x->p >= 2 && x->p[0] == '#' && x->p[1] == '!')
		while (x->p < x->end && *x->p != '\n')
			x->p++;
	while (x->p < x->end && !x->oom && !x->out->truncated) {
		unsigned char c = (unsigned char)*x->p;
		unsigned flags;
		int fstring;
		size_t pre;

		if (c == '\n') {
			x->line++;
			x->p++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\\') {
			x->p++;
		} else if (x->lang == ORD_LANG_PY && c == '#') {
			while (x->p < x->end && *x->p != '\n')
				x->p++;
		} else if (x->lang == ORD_LANG_JS && c == '/' && x->end - x->p >= 2 && x->p[1] == '/') {
			while (x->p < x->end && *x->p != '\n')
				x->p++;
		} else if (x->lang == ORD_LANG_JS && c == '/' && x->end - x->p >= 2 && x->p[1] == '*') {
			const char *e = x->p + 2;
			while (e < x->end && !(*e == '*' && e + 1 < x->end && e[1] == '/'))
				e++;
			e = e < x->end ? e + 2 : x->end;
			newline_count(x, x->p, e);
			x->p = e;
		} else if (x->lang == ORD_LANG_JS && c == '/' && regex_here(x)) {
			regex_literal(x);
		} else if (x->lang == ORD_LANG_JS && c == '`') {
			x->p++;
			template_start(x);
		} else if (x->lang == ORD_LANG_JS && x->depth && (c == '{' || c == '}')) {
			unsigned *b = &x->nest[x->depth - 1].braces;
			if (c == '{') {
				(*b)++;
				punct(x);
			} else if (*b) {
				(*b)--;
				punct(x);
			} else {
				/* the } that closes ${: back into the template's text */
				size_t tok = x->nest[--x->depth].tok;
				x->p++;
				template_continue(x, tok);
			}
		} else if (x->lang == ORD_LANG_PY && (pre = py_prefix(x, &flags, &fstring))) {
			char q = x->p[pre];
			int triple = x->end - x->p >= (long)pre + 3 && x->p[pre + 1] == q && x->p[pre + 2] == q;
			x->p += pre + (triple ? 3 : 1);
			quoted(x, q, triple, flags, fstring);
		} else if (c == '\'' || c == '"') {
			int triple = x->lang == ORD_LANG_PY && x->end - x->p >= 3 && x->p[1] == c && x->p[2] == c;
			x->p += triple ? 3 : 1;
			quoted(x, (char)c, triple, 0, 0);
		} else if (ident_start(c)) {
			const char *b = x->p;
			while (x->p < x->end && ident_char((unsigned char)*x->p))
				x->p++;
			emit(x, ORD_CTOK_IDENT, 0, x->line, b, (size_t)(x->p - b));
		} else if (c >= '0' && c <= '9') {
			const char *b = x->p;
			while (x->p < x->end && (ident_char((unsigned char)*x->p) || *x->p == '.'))
				x->p++;
			emit(x, ORD_CTOK_NUMBER, 0, x->line, b, (size_t)(x->p - b));
		} else {
			punct(x);
		}
	}
}

int ord_code_tokenize(const char *s, size_t n, ord_lang lang, size_t max, ord_ctoks *out)
{
	lexer x;

	memset(out, 0, sizeof(*out));
	out->max = max;
	memset(&x, 0, sizeof(x));
	x.s = x.p = s;
	x.end = s + n;
	x.line = 1;
	x.lang = lang;
	x.out = out;
	lex(&x);
	if (x.oom) {
		ord_ctoks_release(out);
		return ENOMEM;
	}
	return 0;
}

void ord_ctoks_release(ord_ctoks *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
