/* rcfile_word: the shell lexer behind rcfile.c.  Reads one word at a time
 * and decodes it onto the scratch buffer as the dialect's shell would
 * (quotes, escapes, concatenation; expansions and substitutions kept as
 * written), consumes redirections and heredoc bodies, and hands each
 * assignment found to the caller (ord_rc_emit).  Decoded text never grows
 * past the raw bytes it came from, which is what lets ord_rc_parse cap the
 * scratch buffer by the input's size.
 */
#include "rcfile_internal.h"

#include <errno.h>
#include <string.h>

/* A quote left open scans to the end of the file before we resume on the
 * next line; cap how often, so hostile input cannot make that quadratic. */
#define MAX_RECOVER 64

int ord_rc_ident_start(unsigned char c)
{
	return c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

size_t ord_rc_ident_len(const rc *r, size_t i)
{
	size_t j = i;

	if (j < r->n && ord_rc_ident_start((unsigned char)r->d[j]))
		while (j < r->n && (ord_rc_ident_start((unsigned char)r->d[j]) ||
				    (r->d[j] >= '0' && r->d[j] <= '9')))
			j++;
	return j - i;
}

/* strchr that does not match the terminating NUL: input may hold NULs. */
int ord_rc_has(const char *set, char c)
{
	return c && strchr(set, c);
}

int ord_rc_is_meta(const rc *r, unsigned char c)
{
	switch (c) {
	case ' ': case '\t': case '\n': case ';': case '&': case '|':
	case '<': case '>':
		return 1;
	case '(': case ')': /* fish: command substitution inside a word */
		return r->dia != ORD_RC_FISH;
	case '\r': /* fish reads an unquoted CR as a blank, sh as a byte */
		return r->dia == ORD_RC_FISH;
	}
	return 0;
}

int ord_rc_at_word(const rc *r)
{
	return r->i < r->n && !ord_rc_is_meta(r, (unsigned char)r->d[r->i]) &&
	       r->d[r->i] != '#';
}

int ord_rc_is(const rc *r, const word *w, const char *kw)
{
	/* the first byte rules out most keywords before strlen */
	return w->end > w->start && r->d[w->start] == kw[0] &&
	       w->end - w->start == strlen(kw) &&
	       !memcmp(r->d + w->start, kw, w->end - w->start);
}

void ord_rc_put(rc *r, const void *p, size_t len)
{
	if (!r->rc && ord_buf_add(&r->sb, p, len))
		r->rc = ENOMEM;
}

void ord_rc_lit(rc *r, word *w, char c)
{
	ord_rc_put(r, &c, 1);
	w->lit = 1;
}

void ord_rc_truncate_sb(rc *r, size_t len)
{
	if (r->sb.data && len < r->sb.len) {
		ord_wipe(r->sb.data + len, r->sb.len - len);
		r->sb.len = len;
	}
}

void ord_rc_skip_blank(rc *r)
{
	while (r->i < r->n) {
		if (r->d[r->i] == ' ' || r->d[r->i] == '\t' ||
		    (r->d[r->i] == '\r' && r->dia == ORD_RC_FISH)) {
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
int ord_rc_unterminated(rc *r, word *w, size_t open, size_t skip,
			unsigned line, size_t sblen, size_t scanned,
			const char *msg)
{
	const char *nl = memchr(r->d + open, '\n', r->n - open);
	size_t eol = nl ? (size_t)(nl - r->d) : r->n;

	if (r->err)
		r->err(r->arg, line, msg);
	w->flags |= ORD_ASSIGN_UNTERMINATED;
	ord_rc_truncate_sb(r, sblen);
	if (open + skip < eol) {
		ord_rc_put(r, r->d + open + skip, eol - open - skip);
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
int ord_rc_skip_balanced(rc *r, char open, char close)
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
	ord_rc_put(r, r->d + s, r->i - s); /* kept as written */
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
		if (ord_rc_skip_balanced(r, (char)c, c == '(' ? ')' : '}'))
			return ord_rc_unterminated(r, w, s, 0, line, sbl, r->i,
						   c == '(' ? "unterminated command substitution"
							    : "unterminated parameter expansion");
		if (c == '(' && !arith) {
			w->flags |= ORD_ASSIGN_COMMAND_SUBST;
		} else {
			w->flags |= ORD_ASSIGN_EXPANSION;
			/* ${X}, ${X:-d}, ${X-d}, ${X:=d}, ${X:?}: the value of X */
			l = ord_rc_ident_len(r, s + 2);
			if (c == '{' && l && ord_rc_has("}:-=?", r->d[s + 2 + l]) &&
			    (r->d[s + 2 + l] != ':' || ord_rc_has("-=?", r->d[s + 3 + l]))) {
				ro = s + 2;
				rl = l;
			}
		}
		expansion(r, w, s, ro, rl);
		return 0;
	}
	l = ord_rc_ident_len(r, s + 1);
	if (l || (r->dia != ORD_RC_FISH && ord_rc_has("@*#?-$!0123456789", (char)c))) {
		r->i = s + 1 + (l ? l : 1);
		w->flags |= ORD_ASSIGN_EXPANSION;
		expansion(r, w, s, s + 1, l);
		return 0;
	}
	r->i = s + 1;
	ord_rc_lit(r, w, '$');
	return 0;
}

static int backtick(rc *r, word *w)
{
	size_t s = r->i, sbl = r->sb.len;
	unsigned line = r->line;

	if (skip_quote(r, '`'))
		return ord_rc_unterminated(r, w, s, 0, line, sbl, r->n, "unterminated backquote");
	w->flags |= ORD_ASSIGN_COMMAND_SUBST;
	expansion(r, w, s, 0, 0);
	return 0;
}

/* A C-style escape (bash $'…', fish unquoted); r->i is at the letter after
 * the backslash.  Never produces more bytes than it reads. */
static void cescape(rc *r, word *w)
{
	static const char from[] = "abefnrtvE\\'\"?";
	static const char to[] = "\a\b\033\f\n\r\t\v\033\\'\"?";
	const char *p = ord_rc_has(from, r->d[r->i]) ? strchr(from, r->d[r->i]) : NULL;
	char c = r->d[r->i++], u[4];
	unsigned long v = 0;
	int k = 0, max = c == 'x' || c == 'X' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;

	if (p) {
		ord_rc_lit(r, w, to[p - from]);
		return;
	}
	if (c >= '0' && c <= '7') {
		for (v = (unsigned long)(c - '0'); k < 2 && r->i < r->n &&
		     r->d[r->i] >= '0' && r->d[r->i] <= '7'; k++)
			v = v * 8 + (unsigned long)(r->d[r->i++] - '0');
		ord_rc_lit(r, w, (char)v);
		return;
	}
	for (; k < max && r->i < r->n && ord_hexval(r->d[r->i]) >= 0; k++)
		v = v * 16 + (unsigned long)ord_hexval(r->d[r->i++]);
	if (max && k && (max == 2 || v < 0x80)) {
		ord_rc_lit(r, w, (char)v);
	} else if (max && k && v < 0x110000) { /* UTF-8, at most the length read */
		k = v < 0x800 ? 2 : v < 0x10000 ? 3 : 4;
		u[0] = (char)(k == 2 ? 0xc0 | v >> 6 : k == 3 ? 0xe0 | v >> 12 : 0xf0 | v >> 18);
		for (max = 1; max < k; max++)
			u[max] = (char)(0x80 | ((v >> (6 * (k - 1 - max))) & 0x3f));
		ord_rc_put(r, u, (size_t)k);
		w->lit = 1;
	} else if (c == 'c' && r->i < r->n && r->dia != ORD_RC_FISH) {
		ord_rc_lit(r, w, (char)(r->d[r->i++] & 0x1f));
	} else if (r->dia == ORD_RC_FISH) {
		ord_rc_lit(r, w, c); /* fish: \$ \  \# … are the character itself */
	} else {
		r->i = r->i - (size_t)k - 1; /* bash keeps unknown escapes */
		ord_rc_lit(r, w, '\\');
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
		ord_rc_lit(r, w, c);
	}
	return ord_rc_unterminated(r, w, s, 1, line, sbl, r->i, "unterminated single quote");
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
		    ord_rc_has(r->dia == ORD_RC_FISH ? "\"$\\" : "\"$\\`", e)) {
			r->i++;
			c = e;
		}
		if (c == '\n')
			r->line++;
		ord_rc_lit(r, w, c);
	}
	return ord_rc_unterminated(r, w, s, 1, line, sbl, r->i, "unterminated double quote");
}

/* One shell word at r->i, decoded onto r->sb.  Returns -1 when an
 * unterminated construct ended it (r->i is then at the end of its line). */
int ord_rc_read_word(rc *r, word *w)
{
	int stop = 0;
	char c;

	memset(w, 0, sizeof(*w));
	w->start = r->i;
	w->line = r->line;
	w->voff = r->sb.len;
	while (!stop && !r->rc && r->i < r->n &&
	       !ord_rc_is_meta(r, (unsigned char)r->d[r->i])) {
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
			if (ord_rc_skip_balanced(r, '(', ')'))
				stop = ord_rc_unterminated(r, w, s, 0, line, sbl, r->i,
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
				ord_rc_lit(r, w, r->d[r->i - 1]);
		} else { /* a run of plain bytes at once */
			size_t s = r->i;

			while (++r->i < r->n && !ord_rc_is_meta(r, (unsigned char)r->d[r->i]) &&
			       !ord_rc_has("'\"`$\\(", r->d[r->i]))
				;
			ord_rc_put(r, r->d + s, r->i - s);
			w->lit = 1;
		}
	}
	w->end = r->i;
	w->vlen = r->sb.len - w->voff;
	return stop;
}

/* "<", ">>", "2>&1", "<<EOF" …: consumes the operator and its target. */
void ord_rc_redirect(rc *r)
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
	ord_rc_skip_blank(r);
	if (!ord_rc_at_word(r))
		return;
	ord_rc_read_word(r, &w);
	if (heredoc && !r->rc) { /* record: strip flag, length, delimiter */
		unsigned char f = (unsigned char)strip;

		if (ord_buf_add(&r->hd, &f, 1) || ord_buf_add(&r->hd, &w.vlen, sizeof(w.vlen)) ||
		    ord_buf_add(&r->hd, ord_buf_str(&r->sb) + w.voff, w.vlen))
			r->rc = ENOMEM;
	}
	ord_rc_truncate_sb(r, sbl);
}

/* At a newline: skip the bodies of the heredocs opened on that line. */
void ord_rc_heredocs(rc *r)
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

void ord_rc_emit(rc *r, const pend *p, unsigned flags)
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
