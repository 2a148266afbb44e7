/* rcfile internals: the tokenizer state shared by the shell lexer
 * (rcfile_word.c), the environment.d reader (rcfile_env.c) and the command
 * and block logic (rcfile.c).  Private to those three files, which are
 * layered in that order: rcfile.c calls the other two, rcfile_env.c only
 * the lexer.
 */
#ifndef ORD_RCFILE_INTERNAL_H
#define ORD_RCFILE_INTERNAL_H

#include <stddef.h>

#include "buf.h"
#include "rcfile.h"

#define STK 64 /* block stack depth; deeper blocks are only counted, as conditional */

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

/* rcfile_word.c: bytes and words */
int ord_rc_ident_start(unsigned char c);
size_t ord_rc_ident_len(const rc *r, size_t i);
int ord_rc_has(const char *set, char c);
int ord_rc_is_meta(const rc *r, unsigned char c);
int ord_rc_at_word(const rc *r);
int ord_rc_is(const rc *r, const word *w, const char *kw);
void ord_rc_put(rc *r, const void *p, size_t len);
void ord_rc_lit(rc *r, word *w, char c);
void ord_rc_truncate_sb(rc *r, size_t len);
void ord_rc_skip_blank(rc *r);
int ord_rc_unterminated(rc *r, word *w, size_t open, size_t skip,
			unsigned line, size_t sblen, size_t scanned,
			const char *msg);
int ord_rc_skip_balanced(rc *r, char open, char close);
int ord_rc_read_word(rc *r, word *w);
void ord_rc_redirect(rc *r);
void ord_rc_heredocs(rc *r);
/* Hands one assignment to the caller.  It sits here, below both dialect
 * readers (rcfile.c and rcfile_env.c), because both report through it. */
void ord_rc_emit(rc *r, const pend *p, unsigned flags);

/* rcfile_env.c: the ORD_RC_ENVIRONMENT dialect */
void ord_rc_parse_env(rc *r);

#endif
