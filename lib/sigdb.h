/* sigdb: the signature database of `ordoctor explain` (data/signatures/ files).
 *
 * A signature names one family of error messages: its wordings (regular
 * expressions in the common subset of Vectorscan, GNU ERE and Rust regex),
 * the causes of causes.md it supports with weights, a category, what it
 * means, the check that separates its candidate causes, the fix and where
 * the wording was seen.  The text format is documented in
 * docs/signatures.md.
 *
 * Parsing is pure (text in, records out) and never fails as a whole: an
 * invalid signature is skipped with an error that names the file and line,
 * and every other signature still loads.  ord_sigdb_compile() then builds
 * ONE Vectorscan database of every pattern of every signature (a pattern
 * that Vectorscan rejects drops its signature, again with file:line).
 */
#ifndef ORD_SIGDB_H
#define ORD_SIGDB_H

#include <stddef.h>

#include "buf.h"

#define ORD_SIG_MAX 512          /* signatures in one database */
#define ORD_SIG_PATS_MAX 24      /* patterns (any kind) per signature */
#define ORD_SIG_CAUSES_MAX 8
#define ORD_SIG_SOURCES_MAX 8
#define ORD_SIG_CASES_MAX 2      /* `case:` threads per cause */
#define ORD_SIG_PAT_LEN 512      /* bytes in one pattern */
#define ORD_SIG_LINE_MAX 4096    /* bytes in one line of a signature file */
#define ORD_SIG_ERRORS_MAX 64    /* errors kept (the rest are counted) */

typedef enum ord_pat_role {
	ORD_PAT_ANY,   /* pattern:  one of them must match */
	ORD_PAT_AND,   /* and:      each must match as well */
	ORD_PAT_NOT,   /* not:      none may match */
} ord_pat_role;

typedef enum ord_sig_role {
	ORD_SIGROLE_FAILURE,  /* a failure kind (the default) */
	ORD_SIGROLE_FALLBACK, /* a generic failure: dropped when a failure
			       * signature matched the same line or message */
	ORD_SIGROLE_EVIDENCE, /* a fact, not a failure (top-level user_id) */
} ord_sig_role;

/* Effects a signature has on the ranking of the whole input. */
#define ORD_SIGFX_KEY_OK 1u      /* OpenRouter accepted the key */
#define ORD_SIGFX_NOT_OR 2u      /* the text is not OpenRouter's API answer (a
				  * gateway's own error, a web page): the
				  * decoder's table of OpenRouter answers does
				  * not apply */

typedef struct ord_sig_cause {
	char *cause;     /* causes.md id */
	int weight;      /* 1..100 */
	int count;       /* `evidence:` train cases of tests/corpus where this
			  * was the thread's cause; -1 when not recorded */
	char *cases[ORD_SIG_CASES_MAX]; /* `case:` threads of those train
					 * cases (this cause's own sources) */
	size_t ncases;
} ord_sig_cause;

/* Where a signature's weights come from (docs/signatures.md, Evidence). */
typedef enum ord_sig_evidence {
	ORD_SIGEV_UNSTATED, /* no `evidence:` line (a user's own file) */
	ORD_SIGEV_NONE,     /* `evidence: none`: no train case matched it; the
			     * weights are set by hand */
	ORD_SIGEV_COUNTS,   /* `evidence: CAUSE=COUNT ...`: weights derived
			     * from the counts (scripts/derive-weights) */
} ord_sig_evidence;

typedef struct ord_sig {
	char *id;
	char *title;     /* a short name for tables and legends */
	char *category;  /* one of the five categories of causes.md */
	char *meaning;   /* what the message means, plain language */
	char *check;     /* the check that separates the causes, or NULL */
	char *fix;
	char *file;      /* where it was defined (for errors and docs) */
	int line;
	int status;      /* HTTP status of the family; 0 none; -1 "local" */
	ord_sig_role role;
	unsigned effects;             /* ORD_SIGFX_* */
	ord_sig_evidence evidence;
	ord_sig_cause causes[ORD_SIG_CAUSES_MAX];
	size_t ncauses;
	char *sources[ORD_SIG_SOURCES_MAX];
	size_t nsources;
	size_t pat_first, npats;      /* its patterns in ord_sigdb.pats */
	size_t nany, nand, nnot;
	int dropped;                  /* compile error: not in the database */
} ord_sig;

typedef struct ord_sigpat {
	unsigned sig;    /* index into ord_sigdb.sigs */
	ord_pat_role role;
	int line;
	char *re;        /* as written */
} ord_sigpat;

typedef struct ord_sigdb {
	ord_sig *sigs;
	size_t nsigs, sigs_cap;
	ord_sigpat *pats;
	size_t npats, pats_cap;
	char **errors;   /* "file:line: what" lines, without secrets */
	size_t nerrors, errors_dropped;
	void *hs_db;     /* hs_database_t *, after ord_sigdb_compile */
	/* Set with hs_db: parsing (sigdb.c) sits below Vectorscan (sigdb_hs.c),
	 * so ord_sigdb_release can only free the database through this. */
	void (*hs_free)(struct ord_sigdb *db);
	unsigned *hs_ids;/* pattern index of each compiled expression */
	size_t hs_n;
	/* A database compiled at build time (ord_sigdb_serialize), used by
	 * ord_sigdb_compile instead of compiling when it was made from the
	 * very same patterns; not owned.  hs_from_blob says it was. */
	const unsigned char *pre;
	size_t pre_len;
	int hs_from_blob;
} ord_sigdb;

void ord_sigdb_init(ord_sigdb *db);
void ord_sigdb_release(ord_sigdb *db);

/* Parse one signature file (name is shown in errors).  Returns 0, or
 * ENOMEM; every other problem is an entry in db->errors. */
int ord_sigdb_parse(ord_sigdb *db, const char *name, const char *text,
		    size_t len);
/* Every embedded data/signatures/ file, in name order. */
int ord_sigdb_load_builtin(ord_sigdb *db);
/* Compile every pattern into one Vectorscan block-mode database.  A
 * pattern Vectorscan rejects drops its signature (an error names it).
 * Returns 0, ENOMEM, ENOTSUP (the CPU lacks what Vectorscan needs) or
 * EINVAL (nothing left to compile), ELIBACC (Vectorscan cannot be loaded:
 * ord_dl_hs() gives the message). */
int ord_sigdb_compile(ord_sigdb *db);
/* Offer a database ord_sigdb_serialize wrote (compiling the patterns
 * costs about 0.1 s, more than the rest of a one-line explain): the next
 * ord_sigdb_compile takes it when its digest matches the patterns loaded
 * then, and compiles as before otherwise (a user's extra signature file,
 * another Vectorscan version or CPU). */
void ord_sigdb_set_precompiled(ord_sigdb *db, const void *blob, size_t len);
/* The compiled database as bytes: a 32-byte digest of the compiled
 * patterns (with Vectorscan's version), then hs_serialize_database's
 * output.  After a successful ord_sigdb_compile; 0 or an errno. */
int ord_sigdb_serialize(const ord_sigdb *db, ord_buf *out);

/* The signature with this id, or NULL. */
const ord_sig *ord_sigdb_find(const ord_sigdb *db, const char *id);
/* Index of a signature, or -1. */
long ord_sigdb_index(const ord_sigdb *db, const char *id);

/* Append every `pattern:` regex of every loaded signature, one per line,
 * rewritten for `grep -E -f` and `rg -f` (a leading "(?i)" becomes
 * bracket expressions, which both understand).  The hidden option
 * `ordoctor explain --dump-patterns` prints this (bench/explain.sh). */
int ord_sigdb_dump_patterns(const ord_sigdb *db, ord_buf *out);
/* The grep form of one pattern into out (exposed for tests). */
int ord_sigdb_grep_form(const char *re, ord_buf *out);

/* Internal: record an error (sigdb_hs.c reports the patterns Vectorscan
 * rejects through it). */
void ord_sigdb_error(ord_sigdb *db, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Is this one of the five categories of causes.md? */
int ord_category_valid(const char *category);

#endif
