/* rcfile: environment assignments in shell startup files.
 *
 * Not a shell: a tokenizer that knows each dialect's quoting well enough to
 * find NAME=value words and decode them as the shell would, plus a block
 * stack so that assignments which may not run are flagged.  Limits and
 * choices are listed in rcfile.h.  Everything is bounded by the input:
 * decoded text never grows past the raw bytes, and the scratch buffers are
 * capped accordingly.
 */
#include "rcfile.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

enum { K_ANY, K_IF, K_LOOP, K_CASE, K_BRACE, K_SUB };
enum { KW_NONE, KW_CONT, KW_SKIP };
#define STK 64
#define COND_BIT 0x80
/* A quote left open scans to the end of the file before we resume on the
 * next line; cap how often, so hostile input cannot make that quadratic. */
#define MAX_RECOVER 64

typedef struct word {
	size_t start, end;     /* raw bytes in the input */
	size_t voff, vlen;     /* decoded bytes in the scratch buffer */
	size_t refoff, reflen; /* the last expansion's name */
	unsigned line, flags;
	unsigned nexp;         /* expansions seen */
	int lit, ref_in_sb;    /* a literal byte seen; ref points into sb */
} word;

typedef struct pend { /* NAME=value before a command word, or not */
	size_t name, nlen;
	word w;
} pend;

typedef struct rc {
	const char *d;
	size_t n, i;
	unsigned line;
	ord_rc_dialect dia;
	ord_assign_fn fn;
	ord_parse_error_fn err;
	void *arg;
	ord_buf sb; /* decoded words of the current command: secrets */
	ord_buf hd; /* heredoc delimiters waiting for the end of the line */
	pend *pv;
	size_t np, pcap;
	unsigned char stk[STK];
	size_t depth, ncond;
	int list_cond, cmd_cond, pending_fn, case_pat, no_push_if, after_op;
	unsigned recover;
	size_t eol_from, eol_at;
	int eol_ok, eol_crlf;
	int rc; /* ENOMEM, or what fn returned: stops everything */
} rc;

static int ident_start(unsigned char c)
{
	return c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static size_t ident_len(const rc *r, size_t i)
{
	size_t j = i;

	if (j < r->n && ident_start((unsigned char)r->d[j]))
		while (j < r->n && (ident_start((unsigned char)r->d[j]) ||
				    (r->d[j] >= '0' && r->d[j] <= '9')))
			j++;
	return j - i;
}

/* strchr that does not match the terminating NUL: input may hold NULs. */
static int has(const char *set, char c)
{
	return c && strchr(set, c);
}

static int is_meta(const rc *r, unsigned char c)
{
	switch (c) {
	case ' ': case '\t': case '\n': case ';': case '&': case '|':
	case '<': case '>':
		return 1;
	case '(': case ')': /* fish: command substitution inside a word */
		return r->dia != ORD_RC_FISH;
	}
	return 0;
}

static int at_word(const rc *r)
{
	return r->i < r->n && !is_meta(r, (unsigned char)r->d[r->i]) &&
	       r->d[r->i] != '#';
}

static int is(const rc *r, const word *w, const char *kw)
{
	/* the first byte rules out most keywords before strlen */
	return w->end > w->start && r->d[w->start] == kw[0] &&
	       w->end - w->start == strlen(kw) &&
	       !memcmp(r->d + w->start, kw, w->end - w->start);
}

static void put(rc *r, const void *p, size_t len)
{
	if (!r->rc && ord_buf_add(&r->sb, p, len))
		r->rc = ENOMEM;
}

static void lit(rc *r, word *w, char c)
{
	put(r, &c, 1);
	w->lit = 1;
}

static void truncate_sb(rc *r, size_t len)
{
	if (r->sb.data && len < r->sb.len) {
		ord_wipe(r->sb.data + len, r->sb.len - len);
		r->sb.len = len;
	}
}

static void skip_blank(rc *r)
{
	while (r->i < r->n) {
		if (r->d[r->i] == ' ' || r->d[r->i] == '\t') {
			r->i++;
		} else if (r->d[r->i] == '\\' && r->i + 1 < r->n &&
			   r->d[r->i + 1] == '\n') {
			r->i += 2; /* line continuation */
			r->line++;
		} else {
			break;
		}
	}
}

/* A quote or substitution opened at `open` was never closed (csh: not on
 * its line).  The shell would reject the file; we say so, keep what follows
 * the opener up to the end of its line as the value, and resume on the next
 * line so one typo does not hide the rest of the file. */
static int unterminated(rc *r, word *w, size_t open, size_t skip,
			unsigned line, size_t sblen, size_t scanned,
			const char *msg)
{
	const char *nl = memchr(r->d + open, '\n', r->n - open);
	size_t eol = nl ? (size_t)(nl - r->d) : r->n;

	if (r->err)
		r->err(r->arg, line, msg);
	w->flags |= ORD_ASSIGN_UNTERMINATED;
	truncate_sb(r, sblen);
	if (open + skip < eol) {
		put(r, r->d + open + skip, eol - open - skip);
		w->lit = 1;
	}
	r->i = eol;
	r->line = line;
	if (scanned >= r->n && ++r->recover > MAX_RECOVER) {
		if (r->err)
			r->err(r->arg, line, "too many unterminated quotes, rest of file skipped");
		r->i = r->n;
	}
	return -1;
}

/* Skips a quoted region inside a substitution; r->i is at the quote. */
static int skip_quote(rc *r, char q)
{
	size_t j;

	for (j = r->i + 1; j < r->n; j++) {
		if (r->d[j] == q) {
			r->i = j + 1;
			return 0;
		}
		if (r->d[j] == '\\' && (q != '\'' || r->dia == ORD_RC_FISH) &&
		    j + 1 < r->n)
			j++;
		if (r->d[j] == '\n')
			r->line++;
	}
	r->i = r->n;
	return -1;
}

/* r->i is just past the opener; stops just past the matching closer. */
static int skip_balanced(rc *r, char open, char close)
{
	size_t depth = 1;
	char c;

	while (r->i < r->n) {
		c = r->d[r->i];
		if (c == '\'' || c == '"' || c == '`') {
			if (skip_quote(r, c))
				return -1;
			continue;
		}
		if (c == '\\' && r->i + 1 < r->n)
			c = r->d[++r->i];
		else if (c == open)
			depth++;
		else if (c == close && --depth == 0) {
			r->i++;
			return 0;
		}
		if (c == '\n')
			r->line++;
		r->i++;
	}
	return -1;
}

static void expansion(rc *r, word *w, size_t s, size_t refoff, size_t reflen)
{
	put(r, r->d + s, r->i - s); /* kept as written */
	w->nexp++;
	w->refoff = refoff;
	w->reflen = reflen;
}

/* `$…` at r->i: an expansion kept as written, or a literal '$'. */
static int dollar(rc *r, word *w)
{
	size_t s = r->i, sbl = r->sb.len, l, ro = 0, rl = 0;
	unsigned line = r->line;
	unsigned char c = s + 1 < r->n ? (unsigned char)r->d[s + 1] : 0;

	if (c == '(' || (c == '{' && r->dia != ORD_RC_FISH)) {
		int arith = c == '(' && s + 2 < r->n && r->d[s + 2] == '(';

		r->i = s + 2;
		if (skip_balanced(r, (char)c, c == '(' ? ')' : '}'))
			return unterminated(r, w, s, 0, line, sbl, r->i,
					    c == '(' ? "unterminated command substitution"
						     : "unterminated parameter expansion");
		if (c == '(' && !arith) {
			w->flags |= ORD_ASSIGN_COMMAND_SUBST;
		} else {
			w->flags |= ORD_ASSIGN_EXPANSION;
			/* ${X}, ${X:-d}, ${X-d}, ${X:=d}, ${X:?}: the value of X */
			l = ident_len(r, s + 2);
			if (c == '{' && l && has("}:-=?", r->d[s + 2 + l]) &&
			    (r->d[s + 2 + l] != ':' || has("-=?", r->d[s + 3 + l]))) {
				ro = s + 2;
				rl = l;
			}
		}
		expansion(r, w, s, ro, rl);
		return 0;
	}
	l = ident_len(r, s + 1);
	if (l || (r->dia != ORD_RC_FISH && has("@*#?-$!0123456789", (char)c))) {
		r->i = s + 1 + (l ? l : 1);
		w->flags |= ORD_ASSIGN_EXPANSION;
		expansion(r, w, s, s + 1, l);
		return 0;
	}
	r->i = s + 1;
	lit(r, w, '$');
	return 0;
}

static int backtick(rc *r, word *w)
{
	size_t s = r->i, sbl = r->sb.len;
	unsigned line = r->line;

	if (skip_quote(r, '`'))
		return unterminated(r, w, s, 0, line, sbl, r->n, "unterminated backquote");
	w->flags |= ORD_ASSIGN_COMMAND_SUBST;
	expansion(r, w, s, 0, 0);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A C-style escape (bash $'…', fish unquoted); r->i is at the letter after
 * the backslash.  Never produces more bytes than it reads. */
static void cescape(rc *r, word *w)
{
	static const char from[] = "abefnrtvE\\'\"?";
	static const char to[] = "\a\b\033\f\n\r\t\v\033\\'\"?";
	const char *p = has(from, r->d[r->i]) ? strchr(from, r->d[r->i]) : NULL;
	char c = r->d[r->i++], u[4];
	unsigned long v = 0;
	int k = 0, max = c == 'x' || c == 'X' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;

	if (p) {
		lit(r, w, to[p - from]);
		return;
	}
	if (c >= '0' && c <= '7') {
		for (v = (unsigned long)(c - '0'); k < 2 && r->i < r->n &&
		     r->d[r->i] >= '0' && r->d[r->i] <= '7'; k++)
			v = v * 8 + (unsigned long)(r->d[r->i++] - '0');
		lit(r, w, (char)v);
		return;
	}
	for (; k < max && r->i < r->n && hexval(r->d[r->i]) >= 0; k++)
		v = v * 16 + (unsigned long)hexval(r->d[r->i++]);
	if (max && k && (max == 2 || v < 0x80)) {
		lit(r, w, (char)v);
	} else if (max && k && v < 0x110000) { /* UTF-8, at most the length read */
		k = v < 0x800 ? 2 : v < 0x10000 ? 3 : 4;
		u[0] = (char)(k == 2 ? 0xc0 | v >> 6 : k == 3 ? 0xe0 | v >> 12 : 0xf0 | v >> 18);
		for (max = 1; max < k; max++)
			u[max] = (char)(0x80 | ((v >> (6 * (k - 1 - max))) & 0x3f));
		put(r, u, (size_t)k);
		w->lit = 1;
	} else if (c == 'c' && r->i < r->n && r->dia != ORD_RC_FISH) {
		lit(r, w, (char)(r->d[r->i++] & 0x1f));
	} else if (r->dia == ORD_RC_FISH) {
		lit(r, w, c); /* fish: \$ \  \# … are the character itself */
	} else {
		r->i = r->i - (size_t)k - 1; /* bash keeps unknown escapes */
		lit(r, w, '\\');
	}
}

/* '…': literal in sh and csh; fish and bash's $'…' know escapes. */
static int squote(rc *r, word *w, int ansi)
{
	size_t s = r->i, sbl = r->sb.len;
	unsigned line = r->line;
	char c;

	w->flags |= ORD_ASSIGN_QUOTED_SINGLE;
	for (r->i = s + 1; r->i < r->n; ) {
		c = r->d[r->i++];
		if (c == '\'')
			return 0;
		if (c == '\n' && r->dia == ORD_RC_CSH)
			break;
		if (c == '\n')
			r->line++;
		if (c == '\\' && r->i < r->n && ansi) {
			cescape(r, w);
			continue;
		}
		if (c == '\\' && r->i < r->n && r->dia == ORD_RC_FISH &&
		    (r->d[r->i] == '\'' || r->d[r->i] == '\\'))
			c = r->d[r->i++];
		lit(r, w, c);
	}
	return unterminated(r, w, s, 1, line, sbl, r->i, "unterminated single quote");
}

static int dquote(rc *r, word *w)
{
	size_t s = r->i, sbl = r->sb.len;
	unsigned line = r->line;
	char c, e;

	w->flags |= ORD_ASSIGN_QUOTED_DOUBLE;
	for (r->i = s + 1; r->i < r->n; ) {
		c = r->d[r->i];
		if (c == '"') {
			r->i++;
			return 0;
		}
		if (c == '$' || (c == '`' && r->dia != ORD_RC_FISH)) {
			if (c == '$' ? dollar(r, w) : backtick(r, w))
				return -1;
			continue;
		}
		if (c == '\n' && r->dia == ORD_RC_CSH)
			break;
		r->i++;
		e = r->i < r->n ? r->d[r->i] : 0;
		if (c == '\\' && r->dia != ORD_RC_CSH && e == '\n') {
			r->i++; /* continuation: both disappear */
			r->line++;
			continue;
		}
		if (c == '\\' && r->dia != ORD_RC_CSH &&
		    has(r->dia == ORD_RC_FISH ? "\"$\\" : "\"$\\`", e)) {
			r->i++;
			c = e;
		}
		if (c == '\n')
			r->line++;
		lit(r, w, c);
	}
	return unterminated(r, w, s, 1, line, sbl, r->i, "unterminated double quote");
}

/* One shell word at r->i, decoded onto r->sb.  Returns -1 when an
 * unterminated construct ended it (r->i is then at the end of its line). */
static int read_word(rc *r, word *w)
{
	int stop = 0;
	char c;

	memset(w, 0, sizeof(*w));
	w->start = r->i;
	w->line = r->line;
	w->voff = r->sb.len;
	while (!stop && !r->rc && r->i < r->n &&
	       !is_meta(r, (unsigned char)r->d[r->i])) {
		c = r->d[r->i];
		if (c == '\'') {
			stop = squote(r, w, 0);
		} else if (c == '"') {
			stop = dquote(r, w);
		} else if (c == '`' && r->dia != ORD_RC_FISH) {
			stop = backtick(r, w);
		} else if (c == '$' && r->dia == ORD_RC_SH && r->i + 1 < r->n &&
			   (r->d[r->i + 1] == '\'' || r->d[r->i + 1] == '"')) {
			r->i++; /* $'…' ANSI-C string, $"…" translated string */
			stop = r->d[r->i] == '"' ? dquote(r, w) : squote(r, w, 1);
		} else if (c == '$') {
			stop = dollar(r, w);
		} else if (c == '(') { /* fish only: (cmd) */
			size_t s = r->i, sbl = r->sb.len;
			unsigned line = r->line;

			r->i++;
			if (skip_balanced(r, '(', ')'))
				stop = unterminated(r, w, s, 0, line, sbl, r->i,
						    "unterminated command substitution");
			else
				expansion(r, w, s, 0, 0);
			w->flags |= ORD_ASSIGN_COMMAND_SUBST;
		} else if (c == '\\' && r->i + 1 < r->n) {
			r->i += 2;
			if (r->d[r->i - 1] == '\n')
				r->line++; /* continuation inside a word */
			else if (r->dia == ORD_RC_FISH) {
				r->i--;
				cescape(r, w);
			} else
				lit(r, w, r->d[r->i - 1]);
		} else { /* a run of plain bytes at once */
			size_t s = r->i;

			while (++r->i < r->n && !is_meta(r, (unsigned char)r->d[r->i]) &&
			       !has("'\"`$\\(", r->d[r->i]))
				;
			put(r, r->d + s, r->i - s);
			w->lit = 1;
		}
	}
	w->end = r->i;
	w->vlen = r->sb.len - w->voff;
	return stop;
}

static void push(rc *r, int kind, int cond)
{
	cond = cond || r->list_cond || r->cmd_cond;
	if (r->depth < STK)
		r->stk[r->depth] = (unsigned char)(kind | (cond ? COND_BIT : 0));
	else
		cond = 1; /* too deep to remember: assume the worst */
	r->depth++;
	r->ncond += cond != 0;
}

static int top(const rc *r)
{
	return r->depth && r->depth <= STK ? r->stk[r->depth - 1] & ~COND_BIT : -1;
}

/* Closes the innermost block of that kind, and any left open inside it, so
 * a missing "fi" does not make the rest of the file conditional. */
static void pop(rc *r, int kind)
{
	size_t k = r->depth;

	if (r->depth > STK) {
		r->depth--;
		r->ncond--;
		return;
	}
	while (k && kind != K_ANY && (r->stk[k - 1] & ~COND_BIT) != kind)
		k--;
	if (!k)
		return;
	for (; r->depth >= k; r->depth--)
		r->ncond -= (r->stk[r->depth - 1] & COND_BIT) != 0;
}

/* The line the value ends on; memoised so that a megabyte line with many
 * assignments stays linear. */
static unsigned crlf(rc *r, size_t e)
{
	const char *nl;

	if (!r->eol_ok || e < r->eol_from || e > r->eol_at) {
		nl = memchr(r->d + e, '\n', r->n - e);
		r->eol_from = e;
		r->eol_at = nl ? (size_t)(nl - r->d) : r->n;
		r->eol_crlf = nl && r->eol_at > 0 && r->d[r->eol_at - 1] == '\r';
		r->eol_ok = 1;
	}
	return r->eol_crlf ? ORD_ASSIGN_CRLF : 0;
}

static void emit(rc *r, const pend *p, unsigned flags)
{
	const word *w = &p->w;
	const char *base = ord_buf_str(&r->sb);
	const char *nl;
	ord_assign a;

	if (r->rc)
		return;
	a.name = r->d + p->name;
	a.name_len = p->nlen;
	a.value = base + w->voff;
	a.value_len = w->vlen;
	a.raw = r->d + w->start;
	a.raw_len = w->end - w->start;
	a.ref = NULL;
	a.ref_len = 0;
	if (!w->lit && w->nexp == 1 && w->reflen) {
		a.ref = (w->ref_in_sb ? base : r->d) + w->refoff;
		a.ref_len = w->reflen;
	}
	a.line = w->line;
	a.flags = w->flags | flags | crlf(r, w->end);
	nl = a.raw_len ? memchr(a.raw, '\n', a.raw_len) : NULL;
	if (nl)
		a.flags |= ORD_ASSIGN_MULTILINE |
			   (nl > a.raw && nl[-1] == '\r' ? ORD_ASSIGN_CRLF : 0);
	if (r->ncond || r->list_cond || r->cmd_cond)
		a.flags |= ORD_ASSIGN_CONDITIONAL;
	r->rc = r->fn(r->arg, &a);
}

/* NAME=value at r->i (NAME is nl bytes).  Returns 0 for an array. */
static int assign(rc *r, size_t nl, pend *p)
{
	size_t s;
	unsigned line = r->line;

	memset(p, 0, sizeof(*p));
	p->name = r->i;
	p->nlen = nl;
	r->i += nl + 1;
	if (r->i < r->n && r->d[r->i] == '(' && r->dia != ORD_RC_FISH) {
		s = r->i++; /* NAME=(…) is an array: not a key */
		if (skip_balanced(r, '(', ')'))
			unterminated(r, &p->w, s, 0, line, r->sb.len, r->i,
				     "unterminated array assignment");
		return 0;
	}
	read_word(r, &p->w);
	p->w.line = line;
	return 1;
}

static void push_pend(rc *r, const pend *p)
{
	pend *nv;

	if (r->np == r->pcap) {
		nv = realloc(r->pv, (r->pcap ? r->pcap * 2 : 8) * sizeof(*nv));
		if (!nv) {
			r->rc = ENOMEM;
			return;
		}
		r->pv = nv;
		r->pcap = r->pcap ? r->pcap * 2 : 8;
	}
	r->pv[r->np++] = *p;
}

static void flush(rc *r, unsigned flags)
{
	size_t k;

	for (k = 0; k < r->np; k++)
		emit(r, &r->pv[k], flags);
	r->np = 0;
}

/* "<", ">>", "2>&1", "<<EOF" …: consumes the operator and its target. */
static void redirect(rc *r)
{
	size_t s = r->i, sbl = r->sb.len;
	int heredoc, strip = 0;
	word w;

	while (r->i < r->n && r->d[r->i] && strchr("<>&|", r->d[r->i]))
		r->i++;
	heredoc = r->i - s == 2 && r->d[s] == '<' && r->d[s + 1] == '<' &&
		  r->dia != ORD_RC_FISH;
	if (heredoc && r->i < r->n && r->d[r->i] == '-') {
		strip = 1;
		r->i++;
	}
	skip_blank(r);
	if (!at_word(r))
		return;
	read_word(r, &w);
	if (heredoc && !r->rc) { /* record: strip flag, length, delimiter */
		unsigned char f = (unsigned char)strip;

		if (ord_buf_add(&r->hd, &f, 1) || ord_buf_add(&r->hd, &w.vlen, sizeof(w.vlen)) ||
		    ord_buf_add(&r->hd, ord_buf_str(&r->sb) + w.voff, w.vlen))
			r->rc = ENOMEM;
	}
	truncate_sb(r, sbl);
}

/* At a newline: skip the bodies of the heredocs opened on that line. */
static void heredocs(rc *r)
{
	size_t k = 0, dl, ls, le, p;
	const char *nl, *dp;
	int strip;

	while (k < r->hd.len) {
		strip = r->hd.data[k];
		memcpy(&dl, r->hd.data + k + 1, sizeof(dl));
		dp = r->hd.data + k + 1 + sizeof(dl);
		k += 1 + sizeof(dl) + dl;
		while (r->i < r->n) {
			ls = r->i;
			nl = memchr(r->d + ls, '\n', r->n - ls);
			le = nl ? (size_t)(nl - r->d) : r->n;
			r->i = nl ? le + 1 : r->n;
			r->line += nl != NULL;
			for (p = ls; strip && p < le && r->d[p] == '\t'; p++)
				;
			if (le - p == dl && !memcmp(r->d + p, dp, dl))
				break;
		}
	}
	ord_buf_reset(&r->hd);
}

/* Words until the end of the command, redirections included. */
static void skip_args(rc *r, int test)
{
	size_t sbl = r->sb.len;
	word w;

	for (;;) {
		skip_blank(r);
		if (r->i >= r->n || r->d[r->i] == '\n')
			return;
		if (test && is_meta(r, (unsigned char)r->d[r->i])) {
			r->i++; /* [[ a && b ]]: operators are test syntax */
			continue;
		}
		if (r->d[r->i] == '<' || r->d[r->i] == '>') {
			redirect(r);
			continue;
		}
		if (!at_word(r))
			return;
		read_word(r, &w);
		truncate_sb(r, sbl);
		if (test && is(r, &w, "]]"))
			test = 0;
	}
}

/* export/declare/typeset/readonly/local NAME=value …
 * Also fish's export.  "local" is function scope: ignored. */
static void decl(rc *r, const word *cmd)
{
	int ex = is(r, cmd, "export"), skip = is(r, cmd, "local"), opts = 1;
	size_t nl, k;
	word w;
	pend p;

	for (;;) {
		skip_blank(r);
		if (r->i < r->n && (r->d[r->i] == '<' || r->d[r->i] == '>')) {
			redirect(r);
			continue;
		}
		if (!at_word(r) || r->rc)
			return;
		if (opts && (r->d[r->i] == '-' || r->d[r->i] == '+')) {
			read_word(r, &w);
			if (is(r, &w, "--")) {
				opts = 0;
				continue;
			}
			for (k = w.start + 1; k < w.end; k++) {
				if (r->d[k] == 'x')
					ex = r->d[w.start] == '-';
				else if (r->d[k] == 'n')
					ex = 0; /* export -n: un-export */
				else if (has("fFp", r->d[k]))
					skip = 1; /* functions, or printing */
			}
			continue;
		}
		opts = 0;
		nl = ident_len(r, r->i);
		if (nl && r->i + nl < r->n && r->d[r->i + nl] == '=') {
			if (assign(r, nl, &p) && !skip)
				emit(r, &p, ex ? ORD_ASSIGN_EXPORT : 0);
		} else {
			read_word(r, &w); /* "export NAME": no value here */
		}
	}
}

/* fish: set [-gxUlu…] NAME [VALUE…]; the values joined by spaces. */
static void fish_set(rc *r)
{
	int ex = 0, first = 1;
	size_t k, voff;
	word w;
	pend p;

	for (;;) {
		skip_blank(r);
		if (!at_word(r) || r->d[r->i] != '-')
			break;
		read_word(r, &w);
		if (is(r, &w, "--"))
			break;
		if (is(r, &w, "--export")) {
			ex = 1;
		} else if (is(r, &w, "--unexport")) {
			ex = 0;
		} else if (w.end - w.start > 1 && r->d[w.start + 1] == '-') {
			if (!is(r, &w, "--global") && !is(r, &w, "--universal") &&
			    !is(r, &w, "--path") && !is(r, &w, "--unpath"))
				return; /* erase, query, append, local … */
		} else {
			for (k = w.start + 1; k < w.end; k++)
				if (r->d[k] == 'x' || r->d[k] == 'u')
					ex = r->d[k] == 'x';
				else if (r->d[k] != 'g' && r->d[k] != 'U')
					return;
		}
	}
	skip_blank(r);
	p.nlen = ident_len(r, r->i);
	if (!p.nlen || (r->i + p.nlen < r->n &&
			!is_meta(r, (unsigned char)r->d[r->i + p.nlen])))
		return; /* NAME[1] …, or not a name */
	p.name = r->i;
	r->i += p.nlen;
	memset(&p.w, 0, sizeof(p.w));
	p.w.line = r->line;
	p.w.start = p.w.end = r->i;
	voff = r->sb.len;
	for (;;) {
		skip_blank(r);
		if (!at_word(r) || r->rc)
			break;
		if (!first)
			put(r, " ", 1);
		read_word(r, &w);
		w.line = p.w.line;
		if (first) {
			p.w = w;
		} else {
			p.w.end = w.end;
			p.w.flags |= w.flags;
			p.w.lit = 1; /* a list is never one plain reference */
		}
		first = 0;
	}
	p.w.voff = voff;
	p.w.vlen = r->sb.len - voff;
	emit(r, &p, ex ? ORD_ASSIGN_EXPORT : 0);
}

/* csh: setenv NAME [value]; set NAME=value, set NAME = value (not exported). */
static void csh_set(rc *r, int env)
{
	size_t nl, j;
	word w;
	pend p;

	for (;;) {
		skip_blank(r);
		if (!at_word(r) || r->rc)
			return;
		nl = ident_len(r, r->i);
		for (j = r->i + nl; !env && nl && j < r->n && (r->d[j] == ' ' || r->d[j] == '\t'); j++)
			;
		if (!nl || (!env && (j >= r->n || r->d[j] != '=')) ||
		    (env && r->i + nl < r->n && !is_meta(r, (unsigned char)r->d[r->i + nl]))) {
			read_word(r, &w);
			continue;
		}
		p.name = r->i;
		p.nlen = nl;
		memset(&p.w, 0, sizeof(p.w));
		p.w.line = r->line;
		r->i = env ? r->i + nl : j + 1;
		skip_blank(r);
		p.w.start = p.w.end = r->i;
		p.w.voff = r->sb.len;
		if (!env && r->i < r->n && r->d[r->i] == '(') {
			r->i++;
			if (skip_balanced(r, '(', ')'))
				unterminated(r, &p.w, p.w.start, 0, p.w.line, r->sb.len,
					     r->i, "unterminated word list");
			continue; /* a word list: not a key */
		}
		if (at_word(r)) {
			unsigned line = p.w.line;

			read_word(r, &p.w);
			p.w.line = line;
		}
		emit(r, &p, env ? ORD_ASSIGN_EXPORT : 0);
		if (env)
			return;
	}
}

/* Block words.  Anything inside a block or after "&&"/"||" may not run:
 * a counter per block is enough for rc files; see rcfile.h for limits. */
enum { OPEN, OPEN_SKIP, CLOSE, PREFIX, AND_OR, SKIP };
#define SH (1u << ORD_RC_SH)
#define FI (1u << ORD_RC_FISH)
#define CS (1u << ORD_RC_CSH)
static const struct kw {
	unsigned char dia, op, kind, cond;
	const char *w;
} kws[] = {
	{SH | FI, OPEN, K_IF, 1, "if"}, {SH | FI, OPEN, K_LOOP, 1, "while"},
	{SH, OPEN, K_LOOP, 1, "until"}, {FI, OPEN, K_BRACE, 0, "begin"},
	{SH | FI, OPEN_SKIP, K_LOOP, 1, "for"}, {SH, OPEN_SKIP, K_LOOP, 1, "select"},
	{CS, OPEN_SKIP, K_LOOP, 1, "foreach"}, {CS, OPEN_SKIP, K_LOOP, 1, "while"},
	{FI, OPEN_SKIP, K_LOOP, 1, "function"}, {FI | CS, OPEN_SKIP, K_CASE, 1, "switch"},
	{SH, CLOSE, K_IF, 0, "fi"}, {SH, CLOSE, K_LOOP, 0, "done"},
	{SH, CLOSE, K_CASE, 0, "esac"}, {SH, CLOSE, K_BRACE, 0, "}"},
	{FI, CLOSE, K_ANY, 0, "end"}, {CS, CLOSE, K_IF, 0, "endif"},
	{CS, CLOSE, K_LOOP, 0, "end"}, {CS, CLOSE, K_CASE, 0, "endsw"},
	{SH | CS, PREFIX, 0, 0, "then"}, {SH, PREFIX, 0, 0, "elif"},
	{SH, PREFIX, 0, 0, "do"}, {SH | FI | CS, PREFIX, 0, 0, "else"},
	{SH | FI, PREFIX, 0, 0, "!"}, {SH, PREFIX, 0, 0, "time"},
	{SH | FI, PREFIX, 0, 0, "command"}, {SH | FI, PREFIX, 0, 0, "builtin"},
	{FI, PREFIX, 0, 0, "not"}, {FI, AND_OR, 0, 0, "and"},
	{FI, AND_OR, 0, 0, "or"}, {FI, SKIP, 0, 0, "case"},
};

/* csh: "if (expr) then" opens a block, "if (expr) cmd" guards one command. */
static int csh_if(rc *r, int else_if)
{
	size_t l, s;
	unsigned line = r->line;
	word w;

	skip_blank(r);
	if (r->i < r->n && r->d[r->i] == '(') {
		s = r->i++;
		memset(&w, 0, sizeof(w));
		if (skip_balanced(r, '(', ')')) {
			unterminated(r, &w, s, 0, line, r->sb.len, r->i,
				     "unterminated parenthesis");
			return KW_SKIP;
		}
	}
	skip_blank(r);
	l = r->n - r->i;
	if (l < 4 || memcmp(r->d + r->i, "then", 4) ||
	    (l > 4 && !is_meta(r, (unsigned char)r->d[r->i + 4])))
		r->cmd_cond = 1;
	else if (!else_if)
		push(r, K_IF, 1);
	return KW_CONT;
}

/* sh: "function NAME [()]" or "NAME ()": the body that follows is a block
 * that runs only when called. */
static int sh_function(rc *r, const word *w)
{
	size_t j;
	word name;

	skip_blank(r);
	if (is(r, w, "function") && at_word(r)) {
		read_word(r, &name);
		skip_blank(r);
	}
	for (j = r->i + 1; j < r->n && (r->d[j] == ' ' || r->d[j] == '\t'); j++)
		;
	if (j < r->n && r->d[r->i] == '(' && r->d[j] == ')')
		r->i = j + 1;
	else if (!is(r, w, "function"))
		return KW_NONE;
	r->pending_fn = 1;
	return KW_CONT;
}

/* Block words in command position; KW_NONE for an ordinary command. */
static int keyword(rc *r, const word *w)
{
	int fn = r->pending_fn, else_if = r->no_push_if;
	const struct kw *k;

	r->pending_fn = r->no_push_if = 0;
	if (r->dia == ORD_RC_CSH && is(r, w, "if"))
		return csh_if(r, else_if);
	if (else_if && is(r, w, "if"))
		return KW_CONT; /* fish "else if": still the same block */
	r->no_push_if = r->dia != ORD_RC_SH && is(r, w, "else");
	for (k = kws; k < kws + sizeof(kws) / sizeof(kws[0]); k++) {
		if (!(k->dia & 1u << r->dia) || !is(r, w, k->w))
			continue;
		if (k->op == OPEN || k->op == OPEN_SKIP)
			push(r, k->kind, k->cond);
		else if (k->op == CLOSE)
			pop(r, k->kind);
		else if (k->op == AND_OR)
			r->cmd_cond = 1;
		return k->op == OPEN || k->op == PREFIX || k->op == AND_OR ? KW_CONT : KW_SKIP;
	}
	if (r->dia != ORD_RC_SH)
		return KW_NONE;
	if (is(r, w, "{")) {
		push(r, K_BRACE, fn);
		return KW_CONT;
	}
	if (is(r, w, "case")) {
		push(r, K_CASE, 1);
		skip_args(r, 0); /* the subject and "in" */
		r->case_pat = 1;
		return KW_SKIP;
	}
	return sh_function(r, w);
}

/* The command word is known: assignments it makes, if any. */
static void builtin(rc *r, const word *w)
{
	if (r->dia == ORD_RC_SH && is(r, w, "[["))
		skip_args(r, 1);
	else if (is(r, w, "export") || (r->dia == ORD_RC_SH &&
		 (is(r, w, "declare") || is(r, w, "typeset") ||
		  is(r, w, "readonly") || is(r, w, "local"))))
		decl(r, w);
	else if (r->dia == ORD_RC_FISH && is(r, w, "set"))
		fish_set(r);
	else if (r->dia == ORD_RC_CSH && (is(r, w, "setenv") || is(r, w, "set")))
		csh_set(r, is(r, w, "setenv"));
}

/* One simple command: prefix assignments, block words, the command. */
static void command(rc *r)
{
	size_t nl;
	word w;
	pend p;
	int k;

	ord_buf_reset(&r->sb);
	r->np = 0;
	r->cmd_cond = r->after_op = 0;
	for (;;) {
		skip_blank(r);
		if (r->i < r->n && (r->d[r->i] == '<' || r->d[r->i] == '>')) {
			redirect(r);
			continue;
		}
		if (!at_word(r) || r->rc) {
			flush(r, 0); /* A=1 alone: a shell variable */
			return;
		}
		nl = r->dia == ORD_RC_CSH ? 0 : ident_len(r, r->i);
		if (nl && r->i + nl < r->n && r->d[r->i + nl] == '=') {
			memset(&p, 0, sizeof(p));
			if (assign(r, nl, &p))
				push_pend(r, &p);
			continue;
		}
		read_word(r, &w);
		k = keyword(r, &w);
		if (k == KW_CONT)
			continue;
		/* A=1 cmd: only cmd sees A, the shell does not keep it */
		flush(r, ORD_ASSIGN_CONDITIONAL);
		if (k == KW_NONE)
			builtin(r, &w);
		skip_args(r, 0);
		return;
	}
}

/* ";", "&&", "|", "(", ")" … between commands. */
static void operator(rc *r)
{
	char c = r->d[r->i], c1 = r->i + 1 < r->n ? r->d[r->i + 1] : 0;

	if (c == '<' || c == '>' || (c == '&' && c1 == '>')) {
		redirect(r);
		return;
	}
	r->i++;
	if (c == ';') {
		r->list_cond = 0;
		if (c1 == ';' || c1 == '&') { /* ;; ;& ;;& end a case item */
			r->i += 1 + (c1 == ';' && r->i + 1 < r->n && r->d[r->i + 1] == '&');
			r->case_pat = top(r) == K_CASE;
		}
	} else if (c == '&') {
		/* "a && b": b may not run, even when it is on the next line */
		r->list_cond = r->after_op = c1 == '&';
		r->i += c1 == '&';
	} else if (c == '|') {
		r->list_cond = r->after_op = 1; /* "a || b"; pipelines are subshells */
		r->i += c1 == '|' || c1 == '&';
	} else if (c == '(' && c1 == '(' && r->dia == ORD_RC_SH) {
		size_t s = r->i - 1; /* (( arithmetic )) */
		unsigned line = r->line;
		word w;

		memset(&w, 0, sizeof(w));
		if (skip_balanced(r, '(', ')'))
			unterminated(r, &w, s, 0, line, r->sb.len, r->i,
				     "unterminated arithmetic command");
	} else if (c == '(') {
		push(r, K_SUB, 1); /* a subshell's assignments do not last */
		r->pending_fn = 0;
	} else if (c == ')') {
		pop(r, K_SUB);
	}
}

static void case_pattern(rc *r)
{
	size_t sbl = r->sb.len;
	int first = 1;
	word w;

	if (r->d[r->i] == '(')
		r->i++;
	for (;;) {
		skip_blank(r);
		if (r->i >= r->n || r->d[r->i] == '\n')
			return;
		if (r->d[r->i] == ')') {
			r->i++;
			r->case_pat = 0;
			return;
		}
		if (!at_word(r)) {
			r->i++; /* "|" between patterns */
			continue;
		}
		read_word(r, &w);
		truncate_sb(r, sbl);
		if (first && is(r, &w, "esac")) {
			pop(r, K_CASE);
			r->case_pat = 0;
			return;
		}
		first = 0;
	}
}

static void parse_shell(rc *r)
{
	const char *nl;

	while (r->i < r->n && !r->rc) {
		skip_blank(r);
		if (r->i >= r->n)
			break;
		if (r->d[r->i] == '\n') {
			r->i++;
			r->line++;
			r->list_cond &= r->after_op;
			if (r->hd.len)
				heredocs(r);
		} else if (r->d[r->i] == '#') {
			nl = memchr(r->d + r->i, '\n', r->n - r->i);
			r->i = nl ? (size_t)(nl - r->d) : r->n;
		} else if (r->case_pat) {
			case_pattern(r);
		} else if (is_meta(r, (unsigned char)r->d[r->i])) {
			operator(r);
		} else {
			command(r);
		}
	}
}

/* environment.d(5) as systemd's env-file parser reads it (pam_env reads
 * /etc/environment more simply, and also accepts "export "): quotes may
 * start anywhere in the value and concatenate, backslash escapes, trailing
 * whitespace dropped, CR ends a line like LF, '#' only at line start. */
static void env_value(rc *r, word *w)
{
	size_t trail = SIZE_MAX, end, s, sbl;
	unsigned line;
	int closed;
	char c, q;

	memset(w, 0, sizeof(*w));
	while (r->i < r->n && (r->d[r->i] == ' ' || r->d[r->i] == '\t'))
		r->i++;
	w->start = end = r->i;
	w->voff = r->sb.len;
	while (r->i < r->n && r->d[r->i] != '\n' && r->d[r->i] != '\r' && !r->rc) {
		c = r->d[r->i++];
		if (c == '\'' || c == '"') {
			q = c;
			s = r->i - 1;
			sbl = r->sb.len;
			line = r->line;
			closed = 0;
			w->flags |= q == '"' ? ORD_ASSIGN_QUOTED_DOUBLE : ORD_ASSIGN_QUOTED_SINGLE;
			while (!closed && r->i < r->n) {
				c = r->d[r->i++];
				if (c == q) {
					closed = 1;
					continue;
				}
				if (c == '\\' && q == '"' && r->i < r->n) {
					c = r->d[r->i++];
					if (c == '\n') { /* continuation */
						r->line++;
						continue;
					}
					if (!has("\"\\`$", c))
						lit(r, w, '\\');
				}
				r->line += c == '\n';
				lit(r, w, c);
			}
			trail = SIZE_MAX;
			if (!closed)
				unterminated(r, w, s, 1, line, sbl, r->n, q == '"' ?
					     "unterminated double quote" : "unterminated single quote");
			end = r->i;
			continue;
		}
		if (c == '\\' && r->i < r->n) {
			c = r->d[r->i++];
			if (c == '\n' || c == '\r') { /* continuation */
				r->line += c == '\n';
				continue;
			}
		} else if (c == ' ' || c == '\t') {
			if (trail == SIZE_MAX)
				trail = r->sb.len;
			lit(r, w, c);
			continue;
		}
		trail = SIZE_MAX;
		lit(r, w, c);
		end = r->i;
	}
	if (trail != SIZE_MAX)
		truncate_sb(r, trail);
	w->end = end;
	w->vlen = r->sb.len - w->voff;
}

/* environment.d expands $X, ${X}, ${X:-d} after unquoting. */
static void env_refs(rc *r, word *w)
{
	const char *v = ord_buf_str(&r->sb) + w->voff;
	size_t k, l;

	for (k = 0; k + 1 < w->vlen; k++)
		if (v[k] == '$' && (v[k + 1] == '{' || ident_start((unsigned char)v[k + 1]))) {
			w->flags |= ORD_ASSIGN_EXPANSION;
			break;
		}
	if (k || !(w->flags & ORD_ASSIGN_EXPANSION))
		return;
	for (l = v[1] == '{' ? 2 : 1; l < w->vlen && (ident_start((unsigned char)v[l]) ||
						      (v[l] >= '0' && v[l] <= '9')); l++)
		;
	if (v[1] != '{' ? l == w->vlen :
	    (l + 1 == w->vlen && v[l] == '}') ||
	    (l + 2 < w->vlen && v[l] == ':' && v[l + 1] == '-' && v[w->vlen - 1] == '}')) {
		w->ref_in_sb = 1;
		w->nexp = 1;
		w->lit = 0;
		w->refoff = w->voff + (v[1] == '{' ? 2 : 1);
		w->reflen = l - (v[1] == '{' ? 2 : 1);
	}
}

static void parse_env(rc *r)
{
	const char *nl;
	unsigned line;
	size_t ks, ke;
	pend p;
	char c;

	while (r->i < r->n && !r->rc) {
		c = r->d[r->i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			r->line += c == '\n';
			r->i++;
			continue;
		}
		ord_buf_reset(&r->sb);
		/* the key, up to '='; a line starting with '#' or ';' is a
		 * comment, so the loop does not even start */
		for (ks = r->i; r->i < r->n && r->d[r->i] != '=' && r->d[r->i] != '\n' &&
		     r->d[r->i] != '\r' && c != '#' && c != ';'; r->i++)
			;
		for (ke = r->i; ke > ks && (r->d[ke - 1] == ' ' || r->d[ke - 1] == '\t'); ke--)
			;
		if (ke - ks > 7 && !memcmp(r->d + ks, "export", 6) &&
		    (r->d[ks + 6] == ' ' || r->d[ks + 6] == '\t'))
			for (ks += 7; ks < ke && (r->d[ks] == ' ' || r->d[ks] == '\t'); ks++)
				;
		p.name = ks;
		p.nlen = ident_len(r, ks);
		if (r->i >= r->n || r->d[r->i] != '=' || !p.nlen || ks + p.nlen != ke) {
			/* a comment, or not an assignment: skip the line */
			nl = memchr(r->d + r->i, '\n', r->n - r->i);
			r->i = nl ? (size_t)(nl - r->d) : r->n;
			continue;
		}
		r->i++;
		line = r->line;
		env_value(r, &p.w);
		p.w.line = line;
		env_refs(r, &p.w);
		/* these files exist to fill the environment */
		emit(r, &p, ORD_ASSIGN_EXPORT);
	}
}

int ord_rc_parse(const char *data, size_t len, ord_rc_dialect dialect,
		 ord_assign_fn fn, ord_parse_error_fn err, void *arg)
{
	rc r;

	if (!fn || (!data && len) || (unsigned)dialect > ORD_RC_ENVIRONMENT)
		return EINVAL;
	if (!len)
		return 0;
	memset(&r, 0, sizeof(r));
	r.d = data;
	r.n = len;
	r.line = 1;
	r.dia = dialect;
	r.fn = fn;
	r.err = err;
	r.arg = arg;
	/* decoding never grows text; a heredoc record is at most 10 bytes per
	 * 3 bytes of "<<x" */
	ord_buf_init(&r.sb, len + 16);
	ord_buf_init(&r.hd, len < SIZE_MAX / 8 ? len * 4 + 64 : SIZE_MAX / 2);
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3) && err)
		err(arg, 1, "utf-8 byte order mark: the first line is not read as written");
	if (dialect == ORD_RC_ENVIRONMENT)
		parse_env(&r);
	else
		parse_shell(&r);
	ord_buf_release(&r.sb);
	ord_buf_release(&r.hd);
	free(r.pv);
	return r.rc;
}
