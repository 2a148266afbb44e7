/* sigdb: the parser of data/signatures/ files, the records it builds and
 * their lookups.  The Vectorscan compiler (sigdb_hs.c) sits above it.
 *
 * Format (docs/signatures.md), one record per signature:
 *
 *   [openrouter-401-user-not-found]
 *   title:    401 User not found.
 *   status:   401
 *   category: account/auth
 *   pattern:  User not found\.
 *   cause:    key_revoked_expired_or_unknown 5
 *   evidence: key_revoked_expired_or_unknown=3   (or: evidence: none)
 *   meaning:  A well-formed key that maps to no live key ...
 *             (an indented line continues the field above)
 *   check:    ordoctor check
 *   fix:      ...
 *   source:   https://github.com/OpenRouterTeam/docs/issues/5
 *
 * Errors name the file and line and skip only the signature concerned.
 * Error texts never quote field values (a user may point --signatures at
 * a file full of secrets by mistake); they quote field names only when
 * those look like field names.
 */
#include "sigdb.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causes.h"
#include "data.h"

static const char *const categories[] = {
	"account/auth", "quota/rate", "model/provider", "local runtime",
	"deployment configuration",
};

int ord_category_valid(const char *category)
{
	size_t i;

	for (i = 0; category && i < sizeof(categories) / sizeof(*categories); i++)
		if (!strcmp(category, categories[i]))
			return 1;
	return 0;
}

void ord_sigdb_init(ord_sigdb *db)
{
	memset(db, 0, sizeof(*db));
}

static void sig_free(ord_sig *s)
{
	size_t i;

	free(s->id);
	free(s->title);
	free(s->category);
	free(s->meaning);
	free(s->check);
	free(s->fix);
	free(s->file);
	for (i = 0; i < s->ncauses; i++) {
		size_t k;

		free(s->causes[i].cause);
		for (k = 0; k < s->causes[i].ncases; k++)
			free(s->causes[i].cases[k]);
	}
	for (i = 0; i < s->nsources; i++)
		free(s->sources[i]);
	memset(s, 0, sizeof(*s));
}

void ord_sigdb_release(ord_sigdb *db)
{
	size_t i;

	for (i = 0; i < db->nsigs; i++)
		sig_free(&db->sigs[i]);
	for (i = 0; i < db->npats; i++)
		free(db->pats[i].re);
	for (i = 0; i < db->nerrors; i++)
		free(db->errors[i]);
	if (db->hs_free)
		db->hs_free(db);
	free(db->sigs);
	free(db->pats);
	free(db->errors);
	free(db->hs_ids);
	memset(db, 0, sizeof(*db));
}

void ord_sigdb_error(ord_sigdb *db, const char *file, int line, const char *fmt, ...)
{
	char msg[512], *full;
	char **grown;
	va_list ap;
	int n;

	if (db->nerrors >= ORD_SIG_ERRORS_MAX) {
		db->errors_dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = snprintf(NULL, 0, "%s:%d: %s", file, line, msg);
	full = n > 0 ? malloc((size_t)n + 1) : NULL;
	grown = realloc(db->errors, (db->nerrors + 1) * sizeof(*db->errors));
	if (!full || !grown) {
		free(full);
		if (grown)
			db->errors = grown;
		db->errors_dropped++;
		return;
	}
	snprintf(full, (size_t)n + 1, "%s:%d: %s", file, line, msg);
	db->errors = grown;
	db->errors[db->nerrors++] = full;
}

const ord_sig *ord_sigdb_find(const ord_sigdb *db, const char *id)
{
	long i = ord_sigdb_index(db, id);

	return i < 0 ? NULL : &db->sigs[i];
}

long ord_sigdb_index(const ord_sigdb *db, const char *id)
{
	size_t i;

	for (i = 0; id && i < db->nsigs; i++)
		if (!strcmp(db->sigs[i].id, id))
			return (long)i;
	return -1;
}

/* ---- parsing ------------------------------------------------------------- */

typedef struct parser {
	ord_sigdb *db;
	const char *file;
	ord_sig cur;
	int open;        /* cur holds a signature being read */
	int bad;         /* cur has an error: drop it at the end */
	size_t pat_mark; /* db->npats when cur began */
	char **cont;     /* the text field an indented line continues */
	int oom;
	/* `evidence:` pairs of cur, matched to its `cause:` lines in finish()
	 * because the two kinds of line may come in any order. */
	char *ev_cause[ORD_SIG_CAUSES_MAX];
	int ev_count[ORD_SIG_CAUSES_MAX];
	int ev_line[ORD_SIG_CAUSES_MAX];
	int ev_first;    /* line of the first `evidence:` (for errors) */
	size_t nev;
} parser;

static void drop_evidence(parser *p)
{
	while (p->nev)
		free(p->ev_cause[--p->nev]);
	p->ev_first = 0;
}

static int id_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return 0;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    s[i] != '-' && s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

/* Regex constructs outside the subset every engine of the bench (and the
 * docs) share: lookaround, backreferences, lazy quantifiers, non-capturing
 * or named groups, inline flags other than a leading (?i), \d \w \D \W. */
static const char *pattern_problem(const char *re)
{
	size_t i, n = strlen(re);

	if (!n)
		return "an empty pattern";
	if (n > ORD_SIG_PAT_LEN)
		return "a pattern longer than 512 bytes";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)re[i];

		if (c < 0x20 || c == 0x7f)
			return "a control character in a pattern";
		if (c == '\\' && i + 1 < n) {
			char e = re[i + 1];
			if (isdigit((unsigned char)e))
				return "a backreference or octal escape (not portable)";
			if (strchr("dDwWAzZQEKGp", e))
				return "an escape outside the portable subset (use [0-9], [A-Za-z0-9_] ...)";
			i++;
			continue;
		}
		if (c == '(' && i + 1 < n && re[i + 1] == '?' && !(i == 0 && !strncmp(re, "(?i)", 4)))
			return "a (?...) group (only a leading (?i) is portable)";
		if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < n &&
		    (re[i + 1] == '?' || re[i + 1] == '+') && !(i > 0 && re[i - 1] == '\\') &&
		    !(c == '?' && i > 0 && re[i - 1] == '('))
			return "a lazy or possessive quantifier (not portable)";
	}
	return NULL;
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

static int add_pattern(parser *p, ord_pat_role role, const char *re, int line)
{
	ord_sigdb *db = p->db;
	const char *why = pattern_problem(re);

	if (why) {
		ord_sigdb_error(db, p->file, line, "%s (signature skipped)", why);
		p->bad = 1;
		return 0;
	}
	if (db->npats - p->pat_mark >= ORD_SIG_PATS_MAX) {
		ord_sigdb_error(db, p->file, line, "more than %d patterns in one signature (signature skipped)",
			 ORD_SIG_PATS_MAX);
		p->bad = 1;
		return 0;
	}
	if (db->npats == db->pats_cap) {
		size_t nc = db->pats_cap ? db->pats_cap * 2 : 64;
		ord_sigpat *np = realloc(db->pats, nc * sizeof(*np));

		if (!np)
			return ENOMEM;
		db->pats = np;
		db->pats_cap = nc;
	}
	db->pats[db->npats].re = strdup(re);
	if (!db->pats[db->npats].re)
		return ENOMEM;
	db->pats[db->npats].role = role;
	db->pats[db->npats].line = line;
	db->pats[db->npats].sig = (unsigned)db->nsigs;
	db->npats++;
	switch (role) {
	case ORD_PAT_ANY: p->cur.nany++; break;
	case ORD_PAT_AND: p->cur.nand++; break;
	case ORD_PAT_NOT: p->cur.nnot++; break;
	}
	return 0;
}

static void drop_patterns(parser *p)
{
	while (p->db->npats > p->pat_mark)
		free(p->db->pats[--p->db->npats].re);
}

/* The counts must cover exactly the signature's causes: the weights are
 * derived from them (scripts/derive-weights), so a cause without a count,
 * or a count for a cause the signature does not propose, means the file
 * and its evidence disagree. */
static void check_evidence(parser *p)
{
	ord_sig *s = &p->cur;
	size_t i, k;

	if (!s->ncauses) {
		ord_sigdb_error(p->db, p->file, p->ev_first, "'evidence:' on signature '%s' without a 'cause:' (skipped)", s->id);
		p->bad = 1;
		return;
	}
	if (s->evidence == ORD_SIGEV_NONE)
		return;
	for (k = 0; k < p->nev; k++) {
		for (i = 0; i < s->ncauses && strcmp(s->causes[i].cause, p->ev_cause[k]); i++)
			;
		if (i == s->ncauses) {
			ord_sigdb_error(p->db, p->file, p->ev_line[k],
				 "'evidence:' counts cause '%s' that signature '%s' has no 'cause:' for (skipped)",
				 p->ev_cause[k], s->id);
			p->bad = 1;
			return;
		}
		s->causes[i].count = p->ev_count[k];
	}
	for (i = 0; i < s->ncauses; i++)
		if (s->causes[i].count < 0) {
			ord_sigdb_error(p->db, p->file, p->ev_first,
				 "cause '%s' of signature '%s' has no 'evidence:' count (skipped)",
				 s->causes[i].cause, s->id);
			p->bad = 1;
			return;
		}
}

/* Close the signature being read: validate, then keep or drop it. */
static int finish(parser *p)
{
	ord_sigdb *db = p->db;
	ord_sig *s = &p->cur;
	const char *missing = NULL;

	if (!p->open)
		return 0;
	p->open = 0;
	p->cont = NULL;
	if (!p->bad) {
		if (!s->title)
			missing = "title";
		else if (!s->category)
			missing = "category";
		else if (!s->meaning)
			missing = "meaning";
		else if (!s->fix)
			missing = "fix";
		else if (!s->nany)
			missing = "pattern";
		else if (!s->nsources)
			missing = "source";
		if (missing) {
			ord_sigdb_error(db, p->file, s->line, "signature '%s' has no '%s:' (skipped)", s->id, missing);
			p->bad = 1;
		}
	}
	if (!p->bad && s->evidence != ORD_SIGEV_UNSTATED)
		check_evidence(p);
	drop_evidence(p);
	if (!p->bad && s->role == ORD_SIGROLE_EVIDENCE && !s->effects && !s->ncauses) {
		ord_sigdb_error(db, p->file, s->line, "evidence signature '%s' has neither effect nor cause (skipped)", s->id);
		p->bad = 1;
	}
	if (!p->bad && db->nsigs >= ORD_SIG_MAX) {
		ord_sigdb_error(db, p->file, s->line, "more than %d signatures (the rest are skipped)", ORD_SIG_MAX);
		p->bad = 1;
	}
	if (p->bad) {
		drop_patterns(p);
		sig_free(s);
		p->bad = 0;
		return 0;
	}
	if (db->nsigs == db->sigs_cap) {
		size_t nc = db->sigs_cap ? db->sigs_cap * 2 : 32;
		ord_sig *ns = realloc(db->sigs, nc * sizeof(*ns));

		if (!ns)
			return ENOMEM;
		db->sigs = ns;
		db->sigs_cap = nc;
	}
	s->pat_first = p->pat_mark;
	s->npats = db->npats - p->pat_mark;
	db->sigs[db->nsigs++] = *s;
	memset(s, 0, sizeof(*s));
	return 0;
}

static int begin(parser *p, const char *id, int line)
{
	int rc = finish(p);

	if (rc)
		return rc;
	drop_evidence(p);
	memset(&p->cur, 0, sizeof(p->cur));
	p->open = 1;
	p->bad = 0;
	p->pat_mark = p->db->npats;
	p->cur.line = line;
	p->cur.file = strdup(p->file);
	p->cur.id = strdup(id);
	if (!p->cur.file || !p->cur.id)
		return ENOMEM;
	if (!id_ok(id)) {
		ord_sigdb_error(p->db, p->file, line, "invalid signature id (lowercase letters, digits, '-', '_', '.'; skipped)");
		p->bad = 1;
	} else if (ord_sigdb_find(p->db, id)) {
		ord_sigdb_error(p->db, p->file, line, "duplicate signature id '%s' (the later one is skipped)", id);
		p->bad = 1;
	}
	return 0;
}

/* Append to a text field (continuation lines join with one space). */
static int set_text(parser *p, char **field, const char *v, int line, const char *name)
{
	if (*field) {
		ord_sigdb_error(p->db, p->file, line, "'%s:' given twice (signature skipped)", name);
		p->bad = 1;
		return 0;
	}
	*field = strdup(v);
	if (!*field)
		return ENOMEM;
	p->cont = field;
	return 0;
}

static int append_text(char **field, const char *v)
{
	size_t a = strlen(*field), b = strlen(v);
	char *n = realloc(*field, a + b + 2);

	if (!n)
		return ENOMEM;
	n[a] = ' ';
	memcpy(n + a + 1, v, b + 1);
	*field = n;
	return 0;
}

static int parse_cause(parser *p, const char *v, int line)
{
	ord_sig *s = &p->cur;
	char id[65];
	char *end;
	long w;
	size_t n = strcspn(v, " \t");

	if (n == 0 || n > 64) {
		ord_sigdb_error(p->db, p->file, line, "'cause:' needs 'ID WEIGHT' (signature skipped)");
		p->bad = 1;
		return 0;
	}
	memcpy(id, v, n);
	id[n] = '\0';
	v += n;
	while (*v == ' ' || *v == '\t')
		v++;
	w = strtol(v, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (!*v || *end || w < 1 || w > 100) {
		ord_sigdb_error(p->db, p->file, line, "'cause:' weight must be a whole number 1..100 (signature skipped)");
		p->bad = 1;
		return 0;
	}
	if (!ord_cause_category(id)) {
		ord_sigdb_error(p->db, p->file, line, "unknown cause id '%s' (see data/causes; signature skipped)",
			 id_ok(id) ? id : "?");
		p->bad = 1;
		return 0;
	}
	if (s->ncauses >= ORD_SIG_CAUSES_MAX) {
		ord_sigdb_error(p->db, p->file, line, "more than %d causes (signature skipped)", ORD_SIG_CAUSES_MAX);
		p->bad = 1;
		return 0;
	}
	for (n = 0; n < s->ncauses; n++)
		if (!strcmp(s->causes[n].cause, id)) {
			ord_sigdb_error(p->db, p->file, line, "cause '%s' listed twice (signature skipped)", id);
			p->bad = 1;
			return 0;
		}
	s->causes[s->ncauses].cause = strdup(id);
	if (!s->causes[s->ncauses].cause)
		return ENOMEM;
	s->causes[s->ncauses].count = -1;
	s->causes[s->ncauses++].weight = (int)w;
	return 0;
}

/* `evidence: none` or `evidence: CAUSE=COUNT [CAUSE=COUNT ...]` (several
 * lines allowed); matched to the causes in check_evidence(). */
static int parse_evidence(parser *p, const char *v, int line)
{
	ord_sig *s = &p->cur;

	if (!p->ev_first)
		p->ev_first = line;
	if (!strcmp(v, "none")) {
		if (s->evidence != ORD_SIGEV_UNSTATED) {
			ord_sigdb_error(p->db, p->file, line, "'evidence: none' with other 'evidence:' lines (signature skipped)");
			p->bad = 1;
			return 0;
		}
		s->evidence = ORD_SIGEV_NONE;
		return 0;
	}
	if (s->evidence == ORD_SIGEV_NONE) {
		ord_sigdb_error(p->db, p->file, line, "'evidence: none' with other 'evidence:' lines (signature skipped)");
		p->bad = 1;
		return 0;
	}
	s->evidence = ORD_SIGEV_COUNTS;
	while (*v) {
		char id[65];
		const char *eq;
		char *end;
		size_t n = strcspn(v, " \t"), k;
		long c;

		eq = memchr(v, '=', n);
		if (!eq || eq == v || (size_t)(eq - v) > 64) {
			ord_sigdb_error(p->db, p->file, line, "'evidence:' is 'none' or 'CAUSE=COUNT ...' (signature skipped)");
			p->bad = 1;
			return 0;
		}
		memcpy(id, v, (size_t)(eq - v));
		id[eq - v] = '\0';
		c = strtol(eq + 1, &end, 10);
		if (end == eq + 1 || end != v + n || c < 0 || c > 1000000 || eq[1] == '-' || eq[1] == '+') {
			ord_sigdb_error(p->db, p->file, line, "'evidence:' count must be a whole number 0..1000000 (signature skipped)");
			p->bad = 1;
			return 0;
		}
		if (!ord_cause_category(id)) {
			ord_sigdb_error(p->db, p->file, line, "unknown cause id '%s' in 'evidence:' (see data/causes; signature skipped)",
				 id_ok(id) ? id : "?");
			p->bad = 1;
			return 0;
		}
		for (k = 0; k < p->nev; k++)
			if (!strcmp(p->ev_cause[k], id)) {
				ord_sigdb_error(p->db, p->file, line, "cause '%s' counted twice in 'evidence:' (signature skipped)", id);
				p->bad = 1;
				return 0;
			}
		if (p->nev >= ORD_SIG_CAUSES_MAX) {
			ord_sigdb_error(p->db, p->file, line, "more than %d 'evidence:' counts (signature skipped)", ORD_SIG_CAUSES_MAX);
			p->bad = 1;
			return 0;
		}
		p->ev_cause[p->nev] = strdup(id);
		if (!p->ev_cause[p->nev])
			return ENOMEM;
		p->ev_line[p->nev] = line;
		p->ev_count[p->nev++] = (int)c;
		v += n;
		while (*v == ' ' || *v == '\t')
			v++;
	}
	return 0;
}

/* `case: CAUSE URL`: a train report (tests/corpus) where this wording had
 * that cause, written by scripts/derive-weights; the cause must be listed
 * above. */
static int parse_case(parser *p, const char *v, int line)
{
	ord_sig *s = &p->cur;
	size_t n = strcspn(v, " \t"), i;
	const char *u = v + n;

	while (*u == ' ' || *u == '\t')
		u++;
	if (!n || strncmp(u, "https://", 8) || u[strcspn(u, " \t")]) {
		ord_sigdb_error(p->db, p->file, line, "'case:' is 'CAUSE https://...' (signature skipped)");
		p->bad = 1;
		return 0;
	}
	for (i = 0; i < s->ncauses; i++)
		if (strlen(s->causes[i].cause) == n && !memcmp(s->causes[i].cause, v, n))
			break;
	if (i == s->ncauses) {
		ord_sigdb_error(p->db, p->file, line, "'case:' names a cause not listed above it (signature skipped)");
		p->bad = 1;
		return 0;
	}
	if (s->causes[i].ncases >= ORD_SIG_CASES_MAX) {
		ord_sigdb_error(p->db, p->file, line, "more than %d 'case:' lines for one cause (signature skipped)",
				ORD_SIG_CASES_MAX);
		p->bad = 1;
		return 0;
	}
	s->causes[i].cases[s->causes[i].ncases] = strdup(u);
	return s->causes[i].cases[s->causes[i].ncases++] ? 0 : ENOMEM;
}

static int field_line(parser *p, const char *key, const char *v, int line)
{
	ord_sig *s = &p->cur;

	p->cont = NULL;
	if (!strcmp(key, "title"))
		return set_text(p, &s->title, v, line, key);
	if (!strcmp(key, "meaning"))
		return set_text(p, &s->meaning, v, line, key);
	if (!strcmp(key, "check"))
		return set_text(p, &s->check, v, line, key);
	if (!strcmp(key, "fix"))
		return set_text(p, &s->fix, v, line, key);
	if (!strcmp(key, "pattern"))
		return add_pattern(p, ORD_PAT_ANY, v, line);
	if (!strcmp(key, "and"))
		return add_pattern(p, ORD_PAT_AND, v, line);
	if (!strcmp(key, "not"))
		return add_pattern(p, ORD_PAT_NOT, v, line);
	if (!strcmp(key, "cause"))
		return parse_cause(p, v, line);
	if (!strcmp(key, "case"))
		return parse_case(p, v, line);
	if (!strcmp(key, "evidence"))
		return parse_evidence(p, v, line);
	if (!strcmp(key, "category")) {
		if (!ord_category_valid(v)) {
			ord_sigdb_error(p->db, p->file, line, "unknown category (one of account/auth, quota/rate, model/provider, local runtime, deployment configuration; signature skipped)");
			p->bad = 1;
			return 0;
		}
		return set_text(p, &s->category, v, line, key);
	}
	if (!strcmp(key, "status")) {
		char *end;
		long st = strtol(v, &end, 10);

		if (!strcmp(v, "local"))
			s->status = -1;
		else if (*end || st < 100 || st > 599) {
			ord_sigdb_error(p->db, p->file, line, "'status:' must be an HTTP status or 'local' (signature skipped)");
			p->bad = 1;
		} else
			s->status = (int)st;
		return 0;
	}
	if (!strcmp(key, "role")) {
		if (!strcmp(v, "failure"))
			s->role = ORD_SIGROLE_FAILURE;
		else if (!strcmp(v, "fallback"))
			s->role = ORD_SIGROLE_FALLBACK;
		else if (!strcmp(v, "evidence"))
			s->role = ORD_SIGROLE_EVIDENCE;
		else {
			ord_sigdb_error(p->db, p->file, line, "'role:' is failure, fallback or evidence (signature skipped)");
			p->bad = 1;
		}
		return 0;
	}
	if (!strcmp(key, "effect")) {
		if (!strcmp(v, "key_ok"))
			s->effects |= ORD_SIGFX_KEY_OK;
		else if (!strcmp(v, "not_openrouter"))
			s->effects |= ORD_SIGFX_NOT_OR;
		else {
			ord_sigdb_error(p->db, p->file, line, "unknown effect (known: key_ok, not_openrouter; signature skipped)");
			p->bad = 1;
		}
		return 0;
	}
	if (!strcmp(key, "source")) {
		if (s->nsources >= ORD_SIG_SOURCES_MAX) {
			ord_sigdb_error(p->db, p->file, line, "more than %d sources (signature skipped)", ORD_SIG_SOURCES_MAX);
			p->bad = 1;
			return 0;
		}
		if (strncmp(v, "https://", 8) && strncmp(v, "http://", 7)) {
			ord_sigdb_error(p->db, p->file, line, "'source:' must be a URL (signature skipped)");
			p->bad = 1;
			return 0;
		}
		s->sources[s->nsources] = strdup(v);
		return s->sources[s->nsources++] ? 0 : ENOMEM;
	}
	{
		size_t i, n = strlen(key);
		int plain = n <= 24;

		for (i = 0; i < n && plain; i++)
			plain = islower((unsigned char)key[i]) || key[i] == '-' || key[i] == '_';
		ord_sigdb_error(p->db, p->file, line, "unknown field '%s' (signature skipped)", plain ? key : "?");
	}
	p->bad = 1;
	return 0;
}

static int parse_line(parser *p, const char *l, size_t n, int line)
{
	char buf[ORD_SIG_LINE_MAX + 1], *v, *colon;
	size_t i = 0;

	if (n && l[n - 1] == '\r')
		n--;
	if (n > ORD_SIG_LINE_MAX) {
		ord_sigdb_error(p->db, p->file, line, "line longer than %d bytes%s", ORD_SIG_LINE_MAX,
			 p->open ? " (signature skipped)" : "");
		if (p->open)
			p->bad = 1;
		return 0;
	}
	if (memchr(l, '\0', n)) {
		ord_sigdb_error(p->db, p->file, line, "NUL byte%s", p->open ? " (signature skipped)" : "");
		if (p->open)
			p->bad = 1;
		return 0;
	}
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i == n || l[i] == '#')
		return 0;
	if (i > 0) {
		/* A continuation of the last text field. */
		if (!p->open || !p->cont) {
			ord_sigdb_error(p->db, p->file, line, "indented line that continues no text field%s",
				 p->open ? " (signature skipped)" : "");
			if (p->open)
				p->bad = 1;
			return 0;
		}
		v = trim_dup(l + i, n - i);
		if (!v)
			return ENOMEM;
		i = (size_t)append_text(p->cont, v);
		free(v);
		return (int)i;
	}
	if (l[0] == '[') {
		const char *close = memchr(l, ']', n);
		size_t rest;

		if (!close) {
			ord_sigdb_error(p->db, p->file, line, "'[' without ']'");
			return finish(p) ? ENOMEM : 0;
		}
		for (rest = (size_t)(close - l) + 1; rest < n; rest++)
			if (!isspace((unsigned char)l[rest]))
				break;
		memcpy(buf, l + 1, (size_t)(close - l) - 1);
		buf[close - l - 1] = '\0';
		if (rest < n) {
			int rc = begin(p, buf, line);
			ord_sigdb_error(p->db, p->file, line, "text after ']' (signature skipped)");
			p->bad = 1;
			return rc;
		}
		return begin(p, buf, line);
	}
	memcpy(buf, l, n);
	buf[n] = '\0';
	colon = strchr(buf, ':');
	if (!colon) {
		ord_sigdb_error(p->db, p->file, line, "expected 'field: value'%s", p->open ? " (signature skipped)" : "");
		if (p->open)
			p->bad = 1;
		return 0;
	}
	*colon = '\0';
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	for (i = strlen(v); i && (v[i - 1] == ' ' || v[i - 1] == '\t'); i--)
		v[i - 1] = '\0';
	for (i = strlen(buf); i && (buf[i - 1] == ' ' || buf[i - 1] == '\t'); i--)
		buf[i - 1] = '\0';
	if (!p->open) {
		ord_sigdb_error(p->db, p->file, line, "a field outside any [signature]");
		return 0;
	}
	if (!*v) {
		ord_sigdb_error(p->db, p->file, line, "'%s:' without a value (signature skipped)",
			 strlen(buf) <= 24 && id_ok(buf) ? buf : "?");
		p->bad = 1;
		return 0;
	}
	return field_line(p, buf, v, line);
}

int ord_sigdb_parse(ord_sigdb *db, const char *name, const char *text, size_t len)
{
	parser p;
	const char *s = text, *end = text + len;
	int line = 0, rc = 0;

	memset(&p, 0, sizeof(p));
	p.db = db;
	p.file = name ? name : "(signatures)";
	if (!text)
		len = 0, end = s;
	while (s < end && !rc) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;

		line++;
		rc = parse_line(&p, s, (size_t)(le - s), line);
		s = nl ? nl + 1 : end;
	}
	if (!rc)
		rc = finish(&p);
	if (rc) {
		if (p.open) {
			drop_patterns(&p);
			sig_free(&p.cur);
		}
	}
	drop_evidence(&p);
	return rc;
}

struct builtin_arg {
	ord_sigdb *db;
	int rc;
};

static void load_one(void *arg, const char *name, const char *data, size_t len)
{
	struct builtin_arg *a = arg;
	char shown[256];

	if (a->rc)
		return;
	snprintf(shown, sizeof(shown), "data/%s", name);
	a->rc = ord_sigdb_parse(a->db, shown, data, len);
}

int ord_sigdb_load_builtin(ord_sigdb *db)
{
	struct builtin_arg a = {db, 0};

	ord_data_each("signatures/", load_one, &a);
	return a.rc;
}

