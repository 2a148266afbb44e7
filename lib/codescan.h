/* codescan: how the project's own code reads its key ("this project").
 *
 * Three layers: a tokenizer of JavaScript/TypeScript and Python source
 * (codescan.c), the patterns that find client constructions, environment
 * reads and .env loading in the tokens of one file (codescan_rules.c, with
 * which SDK reads which variable in data/sdks), and the walk over the
 * project that turns what was found into a generated tool profile
 * (codescan_project.c), which resolve evaluates like any other.
 */
#ifndef ORD_CODESCAN_H
#define ORD_CODESCAN_H

#include <stddef.h>

#include "buf.h"
#include "ctx.h"

typedef enum ord_lang { ORD_LANG_JS, ORD_LANG_PY } ord_lang;

enum ord_ctok_kind { ORD_CTOK_IDENT, ORD_CTOK_STRING, ORD_CTOK_NUMBER, ORD_CTOK_PUNCT };

enum {
	ORD_CTOK_DYNAMIC = 1u << 0,      /* a template with ${…} or an f-string with {…} */
	ORD_CTOK_TEMPLATE = 1u << 1,     /* a JS `template literal` */
	ORD_CTOK_UNTERMINATED = 1u << 2, /* the string had no closing quote */
	ORD_CTOK_ESCAPED = 1u << 3,      /* a backslash inside the string */
	ORD_CTOK_IN_TEMPLATE = 1u << 4,  /* code inside a template's ${…} */
	ORD_CTOK_RAW = 1u << 5,          /* a Python r"…" string */
};

typedef struct ord_ctok {
	unsigned char kind, flags;
	unsigned line;   /* 1-based line of the token's first byte */
	const char *p;   /* the token; for a string, its body between the quotes */
	size_t n;
} ord_ctok;

typedef struct ord_ctoks {
	ord_ctok *v;
	size_t n, cap, max;
	int truncated;   /* more than max tokens, or nesting too deep */
} ord_ctoks;

/* Tokenize one source file.  Comments vanish, strings (with Python's
 * prefixes and triple quotes, JS template literals with ${} nesting) are
 * single tokens, so a variable name inside a comment or a string is never
 * taken for code.  At most `max` tokens.  Returns 0 or ENOMEM. */
int ord_code_tokenize(const char *s, size_t n, ord_lang lang, size_t max, ord_ctoks *out);
void ord_ctoks_release(ord_ctoks *t);

/* ---- what one file shows (codescan_rules.c) ---------------------------- */

typedef enum ord_cval_kind {
	ORD_CVAL_NONE,     /* argument not given: the SDK's default applies */
	ORD_CVAL_ENV,      /* an environment read: var */
	ORD_CVAL_LITERAL,  /* a string literal: text */
	ORD_CVAL_OTHER,    /* something ordoctor does not follow */
	ORD_CVAL_DOTENV,   /* python-dotenv's dotenv_values(): var from that .env only */
} ord_cval_kind;

typedef struct ord_cval {
	ord_cval_kind kind;
	char *var;         /* ENV: the variable; a second one after ?? / or */
	char *var2;
	char *text;        /* LITERAL: the decoded string (may be a key: wiped) */
	long load;         /* DOTENV: index of the file's dotenv_values() load */
	int strict;        /* ENV: os.environ["X"] raises when X is unset (no fallback) */
	unsigned line;
} ord_cval;

typedef struct ord_csdk {
	char *lang, *module, *call, *key_arg, *base_arg, *key_var, *base_var, *base_default;
} ord_csdk;

typedef struct ord_cprefix {
	char *prefix, *key_var, *base_var, *base_default;
} ord_cprefix;

typedef struct ord_csdks {
	ord_csdk *v;
	size_t n;
	ord_cprefix *pre;
	size_t npre;
} ord_csdks;

/* data/sdks: which SDK reads which variable (codescan_sdks.c).  Bad lines
 * are warnings. */
void ord_csdks_load(ord_ctx *ctx, ord_csdks *out);
void ord_csdks_release(ord_csdks *s);

typedef struct ord_cclient {
	const ord_csdk *sdk;
	unsigned line;
	ord_cval key, base;
	char *model;       /* litellm: the model literal (its prefix picks the variable) */
} ord_cclient;

typedef enum ord_cload_kind {
	ORD_CLOAD_DOTENV_CONFIG,  /* import "dotenv/config", require("dotenv").config() */
	ORD_CLOAD_LOAD_DOTENV,    /* python-dotenv load_dotenv() */
	ORD_CLOAD_ENV_FILE,       /* node --env-file (package.json scripts) */
	ORD_CLOAD_VALUES,         /* python-dotenv dotenv_values(): a dict, the environment untouched */
} ord_cload_kind;

typedef struct ord_cload {
	ord_cload_kind kind;
	int override;
	char *path;        /* a literal path argument, or NULL */
	char *name;        /* VALUES: the name the dict is assigned to */
	unsigned line;
} ord_cload;

typedef struct ord_cread {
	char *var;
	unsigned line;
} ord_cread;

typedef struct ord_cfile {
	ord_cclient *clients;
	size_t nclients;
	ord_cload *loads;
	size_t nloads;
	ord_cread *reads;
	size_t nreads;
} ord_cfile;

/* The clients, .env loads and environment reads of one tokenized file. */
void ord_code_analyse(const ord_csdks *sdks, ord_lang lang, const ord_ctoks *t, ord_cfile *out);
/* package.json: `node --env-file=PATH` in its scripts. */
void ord_code_analyse_scripts(const char *json, size_t n, ord_cfile *out);
void ord_cfile_release(ord_cfile *f);

/* ---- the project (codescan_project.c) --------------------------------- */

/* The generated profile of "this project" (id `project`) for the git root
 * of ctx->cwd (or ctx->cwd without one), as profile text in `out`; 0 when
 * the code builds or feeds a client, else ENOENT.  `out` may hold a key
 * written in the code: the caller wipes it (ord_buf_release does). */
int ord_codescan_profile(ord_ctx *ctx, ord_buf *out);

#endif
