/* rcfile: environment assignments in shell startup files.
 *
 * Not a shell: a tokenizer that knows each dialect's quoting well enough to
 * find NAME=value words and decode them as the shell would, plus a block
 * stack so that assignments which may not run are flagged.  Limits and
 * choices are listed in rcfile.h.  Everything is bounded by the input:
 * decoded text never grows past the raw bytes, and the scratch buffers are
 * capped accordingly.  The lexer is in rcfile_word.c, the environment.d
 * dialect in rcfile_env.c.
 */
#include "rcfile.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rcfile_internal.h"

enum { K_ANY, K_IF, K_LOOP, K_CASE, K_BRACE, K_SUB };
enum { KW_NONE, KW_CONT, KW_SKIP };
#define COND_BIT 0x80

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
		if (ord_rc_skip_balanced(r, '(', ')'))
			ord_rc_unterminated(r, &p->w, s, 0, line, r->sb.len, r->i,
					    "unterminated array assignment");
		return 0;
	}
	ord_rc_read_word(r, &p->w);
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
		ord_rc_emit(r, &r->pv[k], flags);
	r->np = 0;
}

/* Words until the end of the command, redirections included. */
static void skip_args(rc *r, int test)
{
	size_t sbl = r->sb.len;
	word w;

	for (;;) {
		ord_rc_skip_blank(r);
		if (r->i >= r->n || r->d[r->i] == '\n')
			return;
		if (test && ord_rc_is_meta(r, (unsigned char)r->d[r->i])) {
			r->i++; /* [[ a && b ]]: operators are test syntax */
			continue;
		}
		if (r->d[r->i] == '<' || r->d[r->i] == '>') {
			ord_rc_redirect(r);
			continue;
		}
		if (!ord_rc_at_word(r))
			return;
		ord_rc_read_word(r, &w);
		ord_rc_truncate_sb(r, sbl);
		if (test && ord_rc_is(r, &w, "]]"))
			test = 0;
	}
}

/* export/declare/typeset/readonly/local NAME=value …
 * Also fish's export.  "local" is function scope: ignored. */
static void decl(rc *r, const word *cmd)
{
	int ex = ord_rc_is(r, cmd, "export"), skip = ord_rc_is(r, cmd, "local"), opts = 1;
	size_t nl, k;
	word w;
	pend p;

	for (;;) {
		ord_rc_skip_blank(r);
		if (r->i < r->n && (r->d[r->i] == '<' || r->d[r->i] == '>')) {
			ord_rc_redirect(r);
			continue;
		}
		if (!ord_rc_at_word(r) || r->rc)
			return;
		if (opts && (r->d[r->i] == '-' || r->d[r->i] == '+')) {
			ord_rc_read_word(r, &w);
			if (ord_rc_is(r, &w, "--")) {
				opts = 0;
				continue;
			}
			for (k = w.start + 1; k < w.end; k++) {
				if (r->d[k] == 'x')
					ex = r->d[w.start] == '-';
				else if (r->d[k] == 'n')
					ex = 0; /* export -n: un-export */
				else if (ord_rc_has("fFp", r->d[k]))
					skip = 1; /* functions, or printing */
			}
			continue;
		}
		opts = 0;
		nl = ord_rc_ident_len(r, r->i);
		if (nl && r->i + nl < r->n && r->d[r->i + nl] == '=') {
			if (assign(r, nl, &p) && !skip)
				ord_rc_emit(r, &p, ex ? ORD_ASSIGN_EXPORT : 0);
		} else {
			ord_rc_read_word(r, &w); /* "export NAME": no value here */
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
		ord_rc_skip_blank(r);
		if (!ord_rc_at_word(r) || r->d[r->i] != '-')
			break;
		ord_rc_read_word(r, &w);
		if (ord_rc_is(r, &w, "--"))
			break;
		if (ord_rc_is(r, &w, "--export")) {
			ex = 1;
		} else if (ord_rc_is(r, &w, "--unexport")) {
			ex = 0;
		} else if (w.end - w.start > 1 && r->d[w.start + 1] == '-') {
			if (!ord_rc_is(r, &w, "--global") && !ord_rc_is(r, &w, "--universal") &&
			    !ord_rc_is(r, &w, "--path") && !ord_rc_is(r, &w, "--unpath"))
				return; /* erase, query, append, local … */
		} else {
			for (k = w.start + 1; k < w.end; k++)
				if (r->d[k] == 'x' || r->d[k] == 'u')
					ex = r->d[k] == 'x';
				else if (r->d[k] != 'g' && r->d[k] != 'U')
					return;
		}
	}
	ord_rc_skip_blank(r);
	p.nlen = ord_rc_ident_len(r, r->i);
	if (!p.nlen || (r->i + p.nlen < r->n &&
			!ord_rc_is_meta(r, (unsigned char)r->d[r->i + p.nlen])))
		return; /* NAME[1] …, or not a name */
	p.name = r->i;
	r->i += p.nlen;
	memset(&p.w, 0, sizeof(p.w));
	p.w.line = r->line;
	p.w.start = p.w.end = r->i;
	voff = r->sb.len;
	for (;;) {
		ord_rc_skip_blank(r);
		if (!ord_rc_at_word(r) || r->rc)
			break;
		if (!first)
			ord_rc_put(r, " ", 1);
		ord_rc_read_word(r, &w);
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
	ord_rc_emit(r, &p, ex ? ORD_ASSIGN_EXPORT : 0);
}

/* csh: setenv NAME [value]; set NAME=value, set NAME = value (not exported). */
static void csh_set(rc *r, int env)
{
	size_t nl, j;
	word w;
	pend p;

	for (;;) {
		ord_rc_skip_blank(r);
		if (!ord_rc_at_word(r) || r->rc)
			return;
		nl = ord_rc_ident_len(r, r->i);
		for (j = r->i + nl; !env && nl && j < r->n && (r->d[j] == ' ' || r->d[j] == '\t'); j++)
			;
		if (!nl || (!env && (j >= r->n || r->d[j] != '=')) ||
		    (env && r->i + nl < r->n &&
		     !ord_rc_is_meta(r, (unsigned char)r->d[r->i + nl]))) {
			ord_rc_read_word(r, &w);
			continue;
		}
		p.name = r->i;
		p.nlen = nl;
		memset(&p.w, 0, sizeof(p.w));
		p.w.line = r->line;
		r->i = env ? r->i + nl : j + 1;
		ord_rc_skip_blank(r);
		p.w.start = p.w.end = r->i;
		p.w.voff = r->sb.len;
		if (!env && r->i < r->n && r->d[r->i] == '(') {
			r->i++;
			if (ord_rc_skip_balanced(r, '(', ')'))
				ord_rc_unterminated(r, &p.w, p.w.start, 0, p.w.line, r->sb.len,
						    r->i, "unterminated word list");
			continue; /* a word list: not a key */
		}
		if (ord_rc_at_word(r)) {
			unsigned line = p.w.line;

			ord_rc_read_word(r, &p.w);
			p.w.line = line;
		}
		ord_rc_emit(r, &p, env ? ORD_ASSIGN_EXPORT : 0);
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

	ord_rc_skip_blank(r);
	if (r->i < r->n && r->d[r->i] == '(') {
		s = r->i++;
		memset(&w, 0, sizeof(w));
		if (ord_rc_skip_balanced(r, '(', ')')) {
			ord_rc_unterminated(r, &w, s, 0, line, r->sb.len, r->i,
					    "unterminated parenthesis");
			return KW_SKIP;
		}
	}
	ord_rc_skip_blank(r);
	l = r->n - r->i;
	if (l < 4 || memcmp(r->d + r->i, "then", 4) ||
	    (l > 4 && !ord_rc_is_meta(r, (unsigned char)r->d[r->i + 4])))
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

	ord_rc_skip_blank(r);
	if (ord_rc_is(r, w, "function") && ord_rc_at_word(r)) {
		ord_rc_read_word(r, &name);
		ord_rc_skip_blank(r);
	}
	for (j = r->i + 1; j < r->n && (r->d[j] == ' ' || r->d[j] == '\t'); j++)
		;
	if (j < r->n && r->d[r->i] == '(' && r->d[j] == ')')
		r->i = j + 1;
	else if (!ord_rc_is(r, w, "function"))
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
	if (r->dia == ORD_RC_CSH && ord_rc_is(r, w, "if"))
		return csh_if(r, else_if);
	if (else_if && ord_rc_is(r, w, "if"))
		return KW_CONT; /* fish "else if": still the same block */
	r->no_push_if = r->dia != ORD_RC_SH && ord_rc_is(r, w, "else");
	for (k = kws; k < kws + sizeof(kws) / sizeof(kws[0]); k++) {
		if (!(k->dia & 1u << r->dia) || !ord_rc_is(r, w, k->w))
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
	if (ord_rc_is(r, w, "{")) {
		push(r, K_BRACE, fn);
		return KW_CONT;
	}
	if (ord_rc_is(r, w, "case")) {
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
	if (r->dia == ORD_RC_SH && ord_rc_is(r, w, "[["))
		skip_args(r, 1);
	else if (ord_rc_is(r, w, "export") || (r->dia == ORD_RC_SH &&
		 (ord_rc_is(r, w, "declare") || ord_rc_is(r, w, "typeset") ||
		  ord_rc_is(r, w, "readonly") || ord_rc_is(r, w, "local"))))
		decl(r, w);
	else if (r->dia == ORD_RC_FISH && ord_rc_is(r, w, "set"))
		fish_set(r);
	else if (r->dia == ORD_RC_CSH && (ord_rc_is(r, w, "setenv") || ord_rc_is(r, w, "set")))
		csh_set(r, ord_rc_is(r, w, "setenv"));
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
		ord_rc_skip_blank(r);
		if (r->i < r->n && (r->d[r->i] == '<' || r->d[r->i] == '>')) {
			ord_rc_redirect(r);
			continue;
		}
		if (!ord_rc_at_word(r) || r->rc) {
			flush(r, 0); /* A=1 alone: a shell variable */
			return;
		}
		nl = r->dia == ORD_RC_CSH ? 0 : ord_rc_ident_len(r, r->i);
		if (nl && r->i + nl < r->n && r->d[r->i + nl] == '=') {
			memset(&p, 0, sizeof(p));
			if (assign(r, nl, &p))
				push_pend(r, &p);
			continue;
		}
		ord_rc_read_word(r, &w);
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
		ord_rc_redirect(r);
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
		if (ord_rc_skip_balanced(r, '(', ')'))
			ord_rc_unterminated(r, &w, s, 0, line, r->sb.len, r->i,
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
		ord_rc_skip_blank(r);
		if (r->i >= r->n || r->d[r->i] == '\n')
			return;
		if (r->d[r->i] == ')') {
			r->i++;
			r->case_pat = 0;
			return;
		}
		if (!ord_rc_at_word(r)) {
			r->i++; /* "|" between patterns */
			continue;
		}
		ord_rc_read_word(r, &w);
		ord_rc_truncate_sb(r, sbl);
		if (first && ord_rc_is(r, &w, "esac")) {
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
		ord_rc_skip_blank(r);
		if (r->i >= r->n)
			break;
		if (r->d[r->i] == '\n') {
			r->i++;
			r->line++;
			r->list_cond &= r->after_op;
			if (r->hd.len)
				ord_rc_heredocs(r);
		} else if (r->d[r->i] == '#') {
			nl = memchr(r->d + r->i, '\n', r->n - r->i);
			r->i = nl ? (size_t)(nl - r->d) : r->n;
		} else if (r->case_pat) {
			case_pattern(r);
		} else if (ord_rc_is_meta(r, (unsigned char)r->d[r->i])) {
			operator(r);
		} else {
			command(r);
		}
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
	/* fish skips a leading byte order mark; sh and csh do not */
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3) && dialect == ORD_RC_FISH)
		r.i = 3;
	else if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3) && err)
		err(arg, 1, "utf-8 byte order mark: the first line is not read as written");
	if (dialect == ORD_RC_ENVIRONMENT)
		ord_rc_parse_env(&r);
	else
		parse_shell(&r);
	ord_buf_release(&r.sb);
	ord_buf_release(&r.hd);
	free(r.pv);
	return r.rc;
}
