/* fix: from the verdict to one byte-exact edit of one file (see fix.h). */
#include "fix.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfg.h"
#include "dotenv.h"
#include "rcfile.h"
#include "rules.h"

const char *ord_fix_refusal_id(ord_fix_refusal r)
{
	static const char *const ids[] = {"none", "clean", "undecided", "not_a_file", "no_working_key",
					  "tool_store", "not_user_file", "cannot_parse_back", "unreadable"};
	return (size_t)r < sizeof(ids) / sizeof(ids[0]) ? ids[r] : "?";
}

const char *ord_fix_action_id(ord_fix_action a)
{
	return a == ORD_FIX_REPLACE ? "replace" : a == ORD_FIX_COMMENT ? "comment" : "none";
}

void ord_fix_plan_init(ord_fix_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->claim = p->hit = p->good_row = -1;
	ord_buf_init(&p->before, ORD_FILE_CAP);
	ord_buf_init(&p->after, ORD_FILE_CAP + 256);
}

void ord_fix_plan_release(ord_fix_plan *p)
{
	free(p->path);
	free(p->where);
	free(p->good_where);
	free(p->why);
	free(p->manual);
	ord_buf_release(&p->before); /* wiped: the file holds keys */
	ord_buf_release(&p->after);
	ord_fix_plan_init(p);
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
	ord_buf b = ORD_BUF_INIT(16384);
	va_list ap;

	va_start(ap, fmt);
	ord_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return ord_buf_detach(&b, NULL);
}

static int refuse(ord_fix_plan *p, ord_fix_refusal r, char *why, char *manual)
{
	p->action = ORD_FIX_NONE;
	p->refusal = r;
	free(p->why);
	free(p->manual);
	p->why = why;
	p->manual = manual;
	return 0;
}

/* A key a request can use: OpenRouter accepted it, it is an inference key
 * and its own limit is not used up. */
static int usable_row(const ord_facts *f, long r)
{
	const ord_keyrow *k;

	if (r < 0 || (size_t)r >= f->nkeys)
		return 0;
	k = &f->keys[r];
	if (k->live != ORD_LIVE_VALID || !k->openrouter)
		return 0;
	if (k->has_info && (k->info.is_management_key ||
			    (!isnan(k->info.limit_remaining) && k->info.limit_remaining <= 0)))
		return 0;
	return 1;
}

/* The working key: the one the verdict names (its second place), else
 * any key the live check proved working. */
static long good_row(const ord_facts *f, const ord_claim *c, long bad)
{
	long r = c->other >= 0 && (size_t)c->other < f->hits.n ? ord_facts_row_of_hit(f, c->other) : -1;
	size_t i;

	if (r != bad && usable_row(f, r))
		return r;
	for (i = 0; i < f->nkeys; i++)
		if ((long)i != bad && usable_row(f, (long)i))
			return (long)i;
	return -1;
}

/* Causes whose fix is another key at the verdict's place. */
static int file_cause(const char *cause)
{
	static const char *const ok[] = {"key_revoked_expired_or_unknown", "tool_stale_stored_key",
					 "env_precedence_shadowing", "management_key_used_for_inference",
					 "key_malformed_or_truncated", "key_from_wrong_provider"};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(cause, ok[i]))
			return 1;
	return 0;
}

/* The candidate of some tool that reads this hit, for its store facts. */
static const ord_cand *cand_of(const ord_facts *f, long hit, const ord_tool_res **tool)
{
	size_t t, k;

	for (t = 0; f->tools && t < f->tools->n; t++)
		for (k = 0; k < f->tools->v[t].nkeys; k++)
			if (f->tools->v[t].keys[k].hit == hit) {
				*tool = &f->tools->v[t];
				return &f->tools->v[t].keys[k];
			}
	return NULL;
}

/* A store a program keeps for itself, whatever the profiles say: Home
 * Assistant's .storage (rewritten while it runs), databases (SQLite, VS
 * Code's state.vscdb). */
int ord_fix_tool_owned_path(const char *path)
{
	static const char *const ends[] = {".sqlite", ".sqlite3", ".db", ".vscdb"};
	size_t n = strlen(path), i;

	if (strstr(path, "/.storage/"))
		return 1;
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		size_t l = strlen(ends[i]);
		/* a name that is only the ending (".db") is a dotfile, not a database */
		if (n > l + 1 && path[n - l - 1] != '/' && !strcmp(path + n - l, ends[i]))
			return 1;
	}
	return 0;
}

static int under(const char *path, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	if (!n || strncmp(path, dir, n))
		return 0;
	return path[n] == '/' || (n > 1 && dir[n - 1] == '/');
}

static ord_rc_dialect dialect_of(const char *path)
{
	size_t n = strlen(path);

	if ((n > 5 && !strcmp(path + n - 5, ".fish")) || strstr(path, "/fish/"))
		return ORD_RC_FISH;
	if (n >= 5 && !strcmp(path + n - 5, "cshrc"))
		return ORD_RC_CSH;
	if (strstr(path, "environment"))
		return ORD_RC_ENVIRONMENT;
	return ORD_RC_SH;
}

static size_t line_start(const char *s, size_t len, unsigned line)
{
	size_t i = 0;
	unsigned l = 1;

	while (l < line && i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		if (!nl)
			return len;
		i = (size_t)(nl - s) + 1;
		l++;
	}
	return i;
}

static const char *find(const char *hay, size_t hl, const void *needle, size_t nl)
{
	return nl && nl <= hl ? memmem(hay, hl, needle, nl) : NULL;
}

/* ---- parsing the new text back --------------------------------------------- */

typedef struct back {
	const char *name;
	unsigned line;
	const char *want;   /* the value expected there, or NULL: none */
	size_t want_len;
	int found, same;
} back;

static int back_cb(void *arg, const ord_assign *a)
{
	back *b = arg;

	if (a->line != b->line || a->name_len != strlen(b->name) || memcmp(a->name, b->name, a->name_len))
		return 0;
	b->found = 1;
	b->same = b->want && a->value_len == b->want_len && !memcmp(a->value, b->want, a->value_len) &&
		  !(a->flags & (ORD_ASSIGN_UNTERMINATED | ORD_ASSIGN_UNSET));
	return 0;
}

static void back_err(void *arg, unsigned line, const char *msg)
{
	(void)arg;
	(void)line;
	(void)msg;
}

typedef struct cfgback {
	const char *want;
	size_t want_len;
	unsigned line;
	int list;   /* a provider or assignment list: the key is inside the text */
	int ok;
} cfgback;

static int cfg_cb(void *arg, const ord_cfg_value *v)
{
	cfgback *b = arg;

	/* the first match is what the tool reads (resolve takes the first) */
	b->ok = v->type == ORD_CFG_STRING && v->line == b->line &&
		(b->list ? memmem(v->text, v->len, b->want, b->want_len) != NULL :
			   v->len == b->want_len && !memcmp(v->text, b->want, v->len));
	return 1;
}

static int parses_back(const ord_facts *f, long hit, const ord_fix_plan *p, const char *want,
		       size_t want_len)
{
	const ord_hit *h = &f->hits.v[hit];
	const char *s = ord_buf_str(&p->after);
	size_t len = p->after.len;

	if (h->kind == ORD_SRC_DOTENV || h->kind == ORD_SRC_RC) {
		back b = {h->name, h->line, want, want_len, 0, 0};

		if (!h->name)
			return 0;
		if (h->kind == ORD_SRC_DOTENV)
			ord_dotenv_parse(s, len, back_cb, back_err, &b);
		else
			ord_rc_parse(s, len, dialect_of(h->path), back_cb, back_err, &b);
		return want ? b.found && b.same : !b.found;
	}
	if (h->kind == ORD_SRC_CONFIG && want && (h->field || h->name)) {
		const ord_tool_res *t = NULL;
		const ord_cand *cd = cand_of(f, hit, &t);
		const char *ext = strrchr(h->path, '.');
		ord_cfg_format fmt = ORD_CFG_JSON;
		ord_cfg *doc = NULL;
		cfgback b = {want, want_len, h->line, cd && cd->src->form, 0};

		if (cd && cd->src->kind == ORD_PSRC_YAML)
			fmt = ORD_CFG_YAML;
		else if (cd && cd->src->kind == ORD_PSRC_TOML)
			fmt = ORD_CFG_TOML;
		else if (!cd && ext && (!strcmp(ext, ".yaml") || !strcmp(ext, ".yml")))
			fmt = ORD_CFG_YAML;
		else if (!cd && ext && !strcmp(ext, ".toml"))
			fmt = ORD_CFG_TOML;
		if (ord_cfg_parse(&doc, fmt, s, len, NULL, 0, NULL) &&
		    (fmt != ORD_CFG_JSON || ord_cfg_parse(&doc, ORD_CFG_JSON5, s, len, NULL, 0, NULL)))
			return 0;
		/* config hits carry the profile's field path as their name */
		ord_cfg_query(doc, h->field ? h->field : h->name, cfg_cb, &b, NULL, 0);
		ord_cfg_free(doc);
		return b.ok;
	}
	return 0;
}

/* ---- the plan ------------------------------------------------------------------ */

static int is_shadow_story(int story)
{
	return story == ORD_STORY_DUP_IN_FILE || story == ORD_STORY_SHELL_VS_DOTENV ||
	       story == ORD_STORY_TOOL_SHADOWED;
}

/* The edit itself, once the place and the key are known. */
static int plan_edit(ord_ctx *ctx, const ord_diag *d, const ord_claim *c, long hit, ord_fix_plan *p)
{
	const ord_facts *f = &d->f;
	const ord_hit *h = &f->hits.v[hit];
	const ord_hit *good = &f->hits.v[f->keys[p->good_row].hits[0]];
	const ord_hit *other = c->other >= 0 && (size_t)c->other < f->hits.n ? &f->hits.v[c->other] : NULL;
	const char *s;
	size_t ls, le;
	int trunc = 0, rc, found = 1;

	rc = ord_read_file(ctx, h->path, ORD_FILE_CAP, &p->before, &trunc);
	if (rc)
		return refuse(p, ORD_FIX_UNREADABLE, xprintf("cannot read '%s': %s", p->where, strerror(rc)),
			      xprintf("Put the key %s (fingerprint %s, in %s) in place of %s at %s by hand.",
				      p->good_redacted, p->good_fp, p->good_where, p->old_redacted, p->where));
	s = ord_buf_str(&p->before);
	ls = line_start(s, p->before.len, h->line);
	le = ls;
	while (le < p->before.len && s[le] != '\n')
		le++;
	if (trunc || ls >= p->before.len || memchr(s, '\0', p->before.len))
		goto unparsable;
	/* a shadowing line whose loser holds the working key: the loser
	 * wins once the line is a comment */
	if (is_shadow_story(c->story) && (h->kind == ORD_SRC_RC || h->kind == ORD_SRC_DOTENV) && other &&
	    ord_facts_row_of_hit(f, c->other) == p->good_row) {
		p->action = ORD_FIX_COMMENT;
		p->span_off = ls;
		p->span_len = 0;
		p->new_len = 2;
		if (ord_buf_add(&p->after, s, ls) || ord_buf_adds(&p->after, "# ") ||
		    ord_buf_add(&p->after, s + ls, p->before.len - ls))
			return ENOMEM;
		if (!parses_back(f, hit, p, NULL, 0))
			goto unparsable;
		return 0;
	} else {
		/* the key's bytes as found: on its line for a .env or a startup
		 * file, from its line on in a config (YAML may put the value
		 * on the next line); the parse-back check says whether it was
		 * the value */
		const char *at = find(s + ls, (h->kind == ORD_SRC_CONFIG ? p->before.len : le) - ls,
				      h->key.raw, h->key.raw_len);
		if (!at) {
			found = 0;
			goto unparsable;
		}
		p->action = ORD_FIX_REPLACE;
		p->span_off = (size_t)(at - s);
		p->span_len = h->key.raw_len;
		p->new_len = good->key.norm_len;
		if (ord_buf_add(&p->after, s, p->span_off) ||
		    ord_buf_add(&p->after, good->key.norm, good->key.norm_len) ||
		    ord_buf_add(&p->after, s + p->span_off + p->span_len,
				p->before.len - p->span_off - p->span_len))
			return ENOMEM;
		if (!parses_back(f, hit, p, good->key.norm, good->key.norm_len))
			goto unparsable;
	}
	return 0;
unparsable:
	ord_buf_reset(&p->after);
	p->span_off = p->span_len = p->new_len = 0;
	return refuse(p, ORD_FIX_UNPARSABLE,
		      found ? xprintf("the edited %s would not read back as the new key in the same place, so ordoctor leaves it alone",
				      p->where) :
			      xprintf("the key is not written byte for byte at %s (escaped, split or changed since), so no exact edit can be proven right",
				      p->where),
		      xprintf("Open %s and put the key %s (fingerprint %s, in %s) in place of %s by hand.",
			      p->where, p->good_redacted, p->good_fp, p->good_where, p->old_redacted));
}

int ord_fix_plan_make(ord_ctx *ctx, const ord_diag *d, ord_fix_plan *p)
{
	const ord_facts *f = &d->f;
	const ord_judgment *j = &d->main;
	const ord_claim *c;
	const ord_hit *h;
	const ord_tool_res *tool = NULL;
	const ord_cand *cd;
	long hit, bad;

	if (j->verdict < 0)
		return refuse(p, j->outcome == ORD_OUTCOME_UNDECIDED ? ORD_FIX_UNDECIDED : ORD_FIX_CLEAN,
			      xprintf(j->outcome == ORD_OUTCOME_UNDECIDED ?
				      "check could not decide, so there is no verdict to fix" :
				      "check found no problem: nothing to fix"), NULL);
	p->claim = j->verdict;
	c = &d->claims[j->verdict];
	hit = c->hit;
	if (!file_cause(c->cause) || hit < 0 || (size_t)hit >= f->hits.n)
		return refuse(p, ORD_FIX_NOT_A_FILE,
			      xprintf("%s is not fixed by editing a file", c->cause),
			      xprintf("%s", c->fix ? c->fix : ""));
	h = &f->hits.v[hit];
	/* an environment value: the startup line that sets it */
	if (h->kind == ORD_SRC_ENV && h->origin >= 0)
		h = &f->hits.v[hit = h->origin];
	p->hit = hit;
	p->line = h->line;
	p->where = ord_hit_where_str(ctx, h);
	bad = ord_facts_row_of_hit(f, hit);
	{
		char red[ORD_REDACT_MAX];
		ord_key_redact(&h->key, red);
		snprintf(p->old_redacted, sizeof(p->old_redacted), "%s", red);
	}
	p->good_row = good_row(f, c, bad);
	if (p->good_row >= 0) {
		const ord_keyrow *g = &f->keys[p->good_row];
		snprintf(p->good_redacted, sizeof(p->good_redacted), "%s", g->redacted);
		snprintf(p->good_fp, sizeof(p->good_fp), "%s", g->fingerprint);
		p->good_where = ord_hit_where_str(ctx, &f->hits.v[g->hits[0]]);
	}
	if (!p->where)
		return ENOMEM;
	if (p->good_row < 0)
		return refuse(p, ORD_FIX_NO_KEY,
			      xprintf("no key on this machine is proven working, so there is nothing to put in %s",
				      p->where),
			      xprintf("Create a key at https://openrouter.ai/settings/keys, put it in %s in place of %s, then run `ordoctor check`.",
				      p->where, p->old_redacted));
	if (!p->good_where)
		return ENOMEM;
	cd = cand_of(f, hit, &tool);
	if ((cd && cd->edit && cd->edit->how != ORD_EDIT_FILE) || (h->path && ord_fix_tool_owned_path(h->path))) {
		const char *how = cd && cd->edit ? cd->edit->text : "re-enter the key in the tool's settings";
		const char *name = tool ? tool->p->name : "the tool";

		return refuse(p, ORD_FIX_TOOL_STORE,
			      xprintf("%s is %s's own store, which it rewrites itself; ordoctor does not edit it", p->where, name),
			      cd && cd->edit && cd->edit->how == ORD_EDIT_COMMAND ?
			      xprintf("Run `%s` and give it the key with fingerprint %s (%s, in %s).", how,
				      p->good_fp, p->good_redacted, p->good_where) :
			      xprintf("In %s: %s, and paste the key with fingerprint %s (%s, in %s).", name, how,
				      p->good_fp, p->good_redacted, p->good_where));
	}
	if (h->kind == ORD_SRC_ENV && c->story == ORD_STORY_STALE_SHELL)
		return refuse(p, ORD_FIX_NOT_A_FILE,
			      xprintf("the start-up file already holds another key; this shell was started before it changed"),
			      xprintf("%s", c->fix ? c->fix : "Open a new terminal."));
	if (h->kind == ORD_SRC_ENV)
		return refuse(p, ORD_FIX_NOT_USER,
			      xprintf("%s is set in the environment by no startup file ordoctor reads, so there is no file to edit",
				      h->name ? h->name : "the variable"),
			      xprintf("Set %s to the key %s (fingerprint %s, in %s) where this environment gets it (or unset it and start a new shell).",
				      h->name ? h->name : "the variable", p->good_redacted, p->good_fp, p->good_where));
	if (!h->path || (h->kind != ORD_SRC_RC && h->kind != ORD_SRC_DOTENV && h->kind != ORD_SRC_CONFIG) ||
	    (!under(h->path, ctx->home) && !under(h->path, ctx->cwd)))
		return refuse(p, ORD_FIX_NOT_USER,
			      xprintf("%s is not a file of yours that ordoctor edits (only .env files, startup files and tool configs in the home or the working directory)",
				      p->where),
			      xprintf("Put the key %s (fingerprint %s, in %s) in place of %s at %s by hand.",
				      p->good_redacted, p->good_fp, p->good_where, p->old_redacted, p->where));
	p->path = strdup(h->path);
	if (!p->path)
		return ENOMEM;
	return plan_edit(ctx, d, c, hit, p);
}

/* ---- the diff ------------------------------------------------------------------- */

/* One line of the diff, keys in their label form. */
static void diff_line(ord_buf *out, char mark, const char *s, size_t n, const ord_fix_plan *p,
		      const char *oldk, size_t oldn, const char *newk, size_t newn)
{
	size_t i = 0;

	if (n && s[n - 1] == '\r')
		n--;
	ord_buf_addc(out, mark);
	while (i < n) {
		if (oldn && i + oldn <= n && !memcmp(s + i, oldk, oldn)) {
			ord_buf_adds(out, p->old_redacted);
			i += oldn;
		} else if (newn && i + newn <= n && !memcmp(s + i, newk, newn)) {
			ord_buf_adds(out, p->good_redacted);
			i += newn;
		} else
			ord_buf_addc(out, s[i++]);
	}
	ord_buf_addc(out, '\n');
}

void ord_fix_diff(const ord_fix_plan *p, const char *label, ord_buf *out)
{
	const char *a = ord_buf_str(&p->before), *b = ord_buf_str(&p->after);
	size_t starts[7], n = 0, i, ls, le, bl, first;
	const char *oldk = a + p->span_off, *newk = b + p->span_off;
	size_t oldn = p->action == ORD_FIX_REPLACE ? p->span_len : 0;
	size_t newn = p->action == ORD_FIX_REPLACE ? p->new_len : 0;
	unsigned l0;

	if (p->action == ORD_FIX_NONE)
		return;
	ls = line_start(a, p->before.len, p->line);
	le = ls;
	while (le < p->before.len && a[le] != '\n')
		le++;
	/* up to three lines of context before */
	l0 = p->line;
	first = ls;
	while (l0 > 1 && p->line - l0 < 3) {
		size_t q = first - 1;
		while (q > 0 && a[q - 1] != '\n')
			q--;
		first = q;
		l0--;
	}
	/* ... and after */
	i = le < p->before.len ? le + 1 : le;
	while (n < 3 && i < p->before.len) {
		starts[n++] = i;
		while (i < p->before.len && a[i] != '\n')
			i++;
		if (i < p->before.len)
			i++;
	}
	starts[n] = i;
	ord_buf_addf(out, "--- %s\n+++ %s\n@@ -%u,%zu +%u,%zu @@\n", label, label, l0,
		     (size_t)(p->line - l0) + 1 + n, l0, (size_t)(p->line - l0) + 1 + n);
	for (i = first; i < ls;) {
		size_t e = i;
		while (a[e] != '\n')
			e++;
		diff_line(out, ' ', a + i, e - i, p, oldk, 0, newk, 0);
		i = e + 1;
	}
	diff_line(out, '-', a + ls, le - ls, p, oldk, oldn, newk, 0);
	if (le == p->before.len)
		ord_buf_adds(out, "\\ No newline at end of file\n");
	bl = le - ls + p->new_len - p->span_len;
	diff_line(out, '+', b + ls, bl, p, oldk, 0, newk, newn);
	if (le == p->before.len)
		ord_buf_adds(out, "\\ No newline at end of file\n");
	for (i = 0; i < n; i++) {
		size_t e = starts[i + 1];
		int nl = e > starts[i] && a[e - 1] == '\n';
		diff_line(out, ' ', a + starts[i], e - starts[i] - (size_t)nl, p, oldk, 0, newk, 0);
		if (!nl)
			ord_buf_adds(out, "\\ No newline at end of file\n");
	}
}

/* ---- writing ------------------------------------------------------------------ */

int ord_fix_apply(ord_ctx *ctx, const ord_fix_plan *p, char *backup, size_t cap)
{
	time_t now = ord_now(ctx);
	struct tm tm;
	char stamp[32];
	int i, rc = EINVAL;

	if (p->action == ORD_FIX_NONE || !p->path)
		return EINVAL;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	/* never overwrite a backup: a second fix the same second gets "-2" */
	for (i = 1; i <= 9; i++) {
		if (i == 1)
			snprintf(backup, cap, "%s.ordoctor-backup-%s", p->path, stamp);
		else
			snprintf(backup, cap, "%s.ordoctor-backup-%s-%d", p->path, stamp, i);
		rc = ord_rewrite_file(ctx, p->path, ord_buf_str(&p->before), p->before.len,
				      ord_buf_str(&p->after), p->after.len, backup);
		if (rc != EEXIST)
			break;
	}
	return rc;
}
