/* explain: ranking, evidence and the JSON document (see explain.h). */
#include "explain.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causes.h"
#include "data.h"

const char *const ord_explain_next_steps[] = {
	"Run `ordoctor check`: it lists every key on this machine, which one each tool would send, "
	"and asks OpenRouter (GET /api/v1/key, free of charge) whether each is alive.",
	"Paste the whole error, including the JSON body after 'Error code: NNN -' or 'API Error:', "
	"not only the tool's one-line summary.",
	"Run the failing tool as `ordoctor run -- COMMAND` to see the key and URL it really sends.",
	"Check one key by hand with `ordoctor verify` (it reads the key from stdin, never from the command line).",
	NULL,
};

/* Causes about the OpenRouter key itself: unlikely once OpenRouter
 * accepted the key (causes.md, the top-level user_id row). */
static const char *const key_causes[] = {
	"key_missing_or_empty", "key_malformed_or_truncated", "key_whitespace_or_quoting",
	"key_from_wrong_provider", "key_revoked_expired_or_unknown", "openrouter_incident",
	"tool_stale_stored_key", "env_precedence_shadowing", "wrong_env_var_or_config_field",
	"netrc_overrides_bearer", "tool_credential_bug", "container_or_ci_env_missing",
	"request_sent_to_wrong_endpoint", NULL,
};

/* ---- accumulation ------------------------------------------------------------------ */

static ord_xcause *slot(ord_explain *x, const char *cause)
{
	size_t i;

	for (i = 0; i < x->ncauses; i++)
		if (!strcmp(x->causes[i].id, cause))
			return &x->causes[i];
	if (x->ncauses == ORD_X_CAUSES || !ord_cause_category(cause))
		return NULL;
	memset(&x->causes[x->ncauses], 0, sizeof(x->causes[0]));
	x->causes[x->ncauses].id = cause;
	x->causes[x->ncauses].sig = -1;
	return &x->causes[x->ncauses++];
}

static void add(ord_explain *x, const char *cause, double amount, long sig)
{
	ord_xcause *c = cause ? slot(x, cause) : NULL;
	size_t i;

	if (!c)
		return;
	c->raw += amount;
	if (sig < 0)
		return;
	for (i = 0; i < c->nsigs; i++)
		if (c->sigs[i] == sig)
			break;
	if (i == c->nsigs && c->nsigs < 8)
		c->sigs[c->nsigs++] = sig;
	if (amount > c->best) {
		c->best = amount;
		c->sig = sig;
	}
}

static void add_sig(ord_explain *x, const ord_sig *s, long idx, double f)
{
	size_t i;

	for (i = 0; i < s->ncauses; i++)
		add(x, s->causes[i].cause, s->causes[i].weight * f, idx);
}

static void note(ord_explain *x, const char *text)
{
	if (x->nnotes < ORD_X_NOTES)
		snprintf(x->notes[x->nnotes++], sizeof(x->notes[0]), "%s", text);
}

static void notef(ord_explain *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notef(ord_explain *x, const char *fmt, ...)
{
	va_list ap;

	if (x->nnotes == ORD_X_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(x->notes[x->nnotes++], sizeof(x->notes[0]), fmt, ap);
	va_end(ap);
}

static void sayf(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void sayf(char *dst, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, cap, fmt, ap);
	va_end(ap);
}

static void scale(ord_explain *x, const char *cause, double f)
{
	size_t i;

	for (i = 0; i < x->ncauses; i++)
		if (!strcmp(x->causes[i].id, cause))
			x->causes[i].raw *= f;
}

static int by_score(const void *a, const void *b)
{
	const ord_xcause *x = a, *y = b;

	if (x->raw != y->raw)
		return x->raw < y->raw ? 1 : -1;
	return strcmp(x->id, y->id);
}

/* ---- evidence rules ---------------------------------------------------------------- */

static void fragment_rules(ord_explain *x, const ord_sigdb *db, int other_vendor)
{
	const ord_evidence *ev = &x->ev;
	size_t i;
	int or_frag = 0, foreign = 0, trunc = 0, ph = 0;

	for (i = 0; i < ev->nfrags; i++) {
		const ord_keyfrag *f = &ev->frags[i];
		int or = !strcmp(f->vendor, "openrouter");

		x->full_key_seen |= f->full;
		or_frag |= or && !f->placeholder;
		foreign |= !or && strcmp(f->vendor, "other") && !f->placeholder;
		trunc |= or && f->truncated && !f->placeholder;
		ph |= f->placeholder;
	}
	(void)db;
	if (or_frag && other_vendor) {
		add(x, "request_sent_to_wrong_endpoint", 8, -1);
		note(x, "an sk-or-v1 key is quoted in another vendor's answer: the request went to that vendor, not OpenRouter");
	}
	if (foreign && x->ev.status == 401 && !other_vendor) {
		add(x, "key_from_wrong_provider", 6, -1);
		note(x, "another vendor's key appears next to a 401");
	}
	if (trunc) {
		add(x, "key_malformed_or_truncated", 5, -1);
		note(x, "an sk-or-v1 key in the input is visibly cut short");
	}
	if (ph) {
		add(x, "key_missing_or_empty", 4, -1);
		add(x, "tool_credential_bug", 2, -1);
		note(x, "a placeholder was sent instead of a key");
	}
	if (x->full_key_seen)
		note(x, "the input contains a whole key (not shown here): treat it as leaked and rotate it at https://openrouter.ai/settings/keys");
}

/* Is the signature mostly about causes of the list (they hold at least
 * half of its weight)?  A share rather than an absolute weight, so that
 * the meaning survives weights re-derived from evidence
 * (scripts/derive-weights spreads a signature's weight over more causes). */
static int sig_has_cause(const ord_sig *s, const char *const *list)
{
	size_t i, k;
	int in = 0, all = 0;

	for (i = 0; i < s->ncauses; i++) {
		all += s->causes[i].weight;
		for (k = 0; list[k]; k++)
			if (!strcmp(s->causes[i].cause, list[k])) {
				in += s->causes[i].weight;
				break;
			}
	}
	return all > 0 && 2 * in >= all;
}

static void alternation_rule(ord_explain *x, ord_logscan *ls, const ord_sigdb *db)
{
	ord_alternation alt[8];
	size_t n = ord_logscan_alternations(ls, alt, 8), i;

	for (i = 0; i < n; i++) {
		const ord_sig *a = &db->sigs[alt[i].a], *b = &db->sigs[alt[i].b];
		int ak = (a->effects & ORD_SIGFX_KEY_OK) != 0, bk = (b->effects & ORD_SIGFX_KEY_OK) != 0;

		if ((ak && !bk && sig_has_cause(b, key_causes)) || (bk && !ak && sig_has_cause(a, key_causes))) {
			add(x, "openrouter_incident", 3, -1);
			add(x, "env_precedence_shadowing", 3, -1);
			add(x, "tool_credential_bug", 2, -1);
			note(x, "the key is accepted at some times and rejected at others: several keys in play, or an incident");
			return;
		}
	}
}

/* Context of the text (explain_ctx.c) turned into evidence. */
static void context_rules(ord_explain *x)
{
	const ord_xrate *r = &x->rate;
	size_t i;

	for (i = 0; i < x->nurls; i++) {
		add(x, x->urls[i].cause, 8, -1);
		notef(x, "the text shows the URL %s: %s", x->urls[i].url, x->urls[i].why);
	}
	/* OpenRouter sends X-RateLimit-* only on the 429s it makes itself
	 * (openrouter-api.md, Headers).  Its :free caps are 20 a minute and
	 * 50 (1000 with credits) a day, reset at 00:00 UTC. */
	if (r->have && (r->remaining == 0 || r->limit >= 0)) {
		int free_cap = r->limit == 20 || r->limit == 50 || r->limit == 1000 || r->reset_midnight;
		char lim[24] = "?", rem[24] = "?";

		if (r->limit >= 0)
			snprintf(lim, sizeof(lim), "%lld", r->limit);
		if (r->remaining >= 0)
			snprintf(rem, sizeof(rem), "%lld", r->remaining);
		add(x, free_cap ? "free_model_rate_limit" : "rate_limited", r->remaining == 0 ? 8 : 4, -1);
		notef(x, "X-RateLimit: limit %s, remaining %s%s%s%s", lim, rem,
			 r->reset_utc[0] ? ", resets " : "", r->reset_utc,
			 free_cap ? " (the :free models' cap: 20 a minute, 50 a day or 1000 with credits; more keys do not help)" :
			 " (OpenRouter's own rate limit)");
	}
	for (i = 0; i < x->nbugs; i++) {
		const ord_kbug_hit *h = &x->bugs[i];
		const ord_kbug *b = h->bug;

		add(x, "tool_credential_bug", h->version[0] ? 12 : 5, -1);
		if (h->version[0])
			notef(x, "%s %s has a known credential bug with this symptom (%s)", b->tool,
				 h->version, b->url);
		else
			notef(x, "%s versions %s%s%s have a known credential bug with this symptom (%s)",
				 b->tool, b->from, strcmp(b->from, b->to) ? ".." : "", strcmp(b->from, b->to) ? b->to : "",
				 b->url);
		if (i)
			continue;
		if (b->fixed[0])
			sayf(x->bug_fix, sizeof(x->bug_fix), "Upgrade %s to %s or later: %s %s%s%s is a known bug (%s).",
				 b->tool, b->fixed, b->tool, b->from, strcmp(b->from, b->to) ? ".." : "",
				 strcmp(b->from, b->to) ? b->to : "", b->url);
		else
			sayf(x->bug_fix, sizeof(x->bug_fix),
				 "%s %s%s%s has a known credential bug and no fixed release is recorded: go back to the "
				 "version before it, and follow %s for the fix.", b->tool, b->from,
				 strcmp(b->from, b->to) ? ".." : "", strcmp(b->from, b->to) ? b->to : "", b->url);
	}
}

/* The top three should be three different explanations: when the first
 * three are all of one category, the best cause of another category takes
 * the third place. */
static void diversify(ord_explain *x)
{
	const char *c0, *c1, *c2;
	size_t i;

	if (x->ncauses < 4)
		return;
	c0 = ord_cause_category(x->causes[0].id);
	c1 = ord_cause_category(x->causes[1].id);
	c2 = ord_cause_category(x->causes[2].id);
	if (!c0 || !c1 || !c2 || strcmp(c0, c1) || strcmp(c1, c2))
		return;
	for (i = 3; i < x->ncauses; i++) {
		const char *ci = ord_cause_category(x->causes[i].id);

		if (ci && strcmp(ci, c0) && x->causes[i].score >= 0.01) {
			ord_xcause keep = x->causes[i];

			memmove(&x->causes[3], &x->causes[2], (i - 2) * sizeof(x->causes[0]));
			x->causes[2] = keep;
			return;
		}
	}
}

/* ---- the run ------------------------------------------------------------------------- */

static void vtext(ord_buf *v, const char *head, size_t hl, const ord_evidence *ev)
{
	ord_buf_add(v, head, hl);
	ord_buf_addc(v, '\n');
	ord_buf_adds(v, ev->message);
	ord_buf_addc(v, '\n');
	ord_buf_adds(v, ev->body.raw_message);
	ord_buf_addc(v, '\n');
	ord_buf_adds(v, ev->body.raw);
	ord_buf_addc(v, '\n');
}

int ord_explain_run(ord_explain *x, ord_logscan *ls, const ord_sigdb *db, const ord_kbugs *kb)
{
	size_t hl, i, k;
	uint64_t kinds_ok = 0;
	int complete, other_vendor = 0, not_or = 0, any = 0;
	const char *head = ord_logscan_head(ls, &hl, &complete);
	double sum = 0;

	memset(x, 0, sizeof(*x));
	x->top_sig = -1;
	x->failure_lines = ord_logscan_matched_lines(ls);
	/* A pasted message: all of it in memory, at most a few failure lines
	 * (a traceback repeats the error), not a series in time. */
	x->mode = complete && x->failure_lines <= 3 && ord_logscan_timestamped(ls) <= 1 ?
		  ORD_XMODE_MESSAGE : ORD_XMODE_LOGS;
	if (x->mode == ORD_XMODE_MESSAGE) {
		ord_buf v = ORD_BUF_INIT(ORD_LS_HEAD_MAX + 8192);
		int best = -1;

		ord_unwrap(head, hl, &x->ev);
		x->sigset = calloc(db->nsigs ? db->nsigs : 1, 1);
		if (!x->sigset)
			return ENOMEM;
		vtext(&v, head, hl, &x->ev);
		ord_logscan_match_text(ls, ord_buf_str(&v), v.len, x->sigset);
		ord_buf_release(&v);
		for (i = 0; i < db->nsigs; i++) {
			const ord_sig *s = &db->sigs[i];

			if (!x->sigset[i])
				continue;
			add_sig(x, s, (long)i, 1.0);
			x->key_ok |= (s->effects & ORD_SIGFX_KEY_OK) != 0;
			any |= s->role != ORD_SIGROLE_EVIDENCE;
			/* What the message says: the first failure signature in
			 * load order, as for a line of logs (files put the
			 * specific wording above the generic one), so that
			 * weights derived from evidence do not change it. */
			if (s->role != ORD_SIGROLE_EVIDENCE && best < 0) {
				best = 1;
				x->top_sig = (long)i;
			}
		}
	} else {
		uint64_t top = 0;

		for (i = 0; i < db->nsigs; i++) {
			const ord_sigstat *st = ord_logscan_stat(ls, i);

			if (!st || !st->count)
				continue;
			add_sig(x, &db->sigs[i], (long)i, 1.0 + log10((double)st->count));
			any |= db->sigs[i].role != ORD_SIGROLE_EVIDENCE;
			if (db->sigs[i].role != ORD_SIGROLE_EVIDENCE && st->kind_count > top) {
				top = st->kind_count;
				x->top_sig = (long)i;
			}
		}
		if (x->top_sig >= 0 && ord_logscan_stat(ls, (size_t)x->top_sig)->example) {
			const char *ex = ord_logscan_stat(ls, (size_t)x->top_sig)->example;
			ord_unwrap(ex, strlen(ex), &x->ev);
		}
		alternation_rule(x, ls, db);
		{
			const ord_keyfrag *lf;
			size_t nf = ord_logscan_fragments(ls, &lf), j;

			for (k = 0; k < nf && x->ev.nfrags < ORD_FRAG_MAX; k++) {
				for (j = 0; j < x->ev.nfrags && strcmp(x->ev.frags[j].text, lf[k].text); j++)
					;
				if (j == x->ev.nfrags)
					x->ev.frags[x->ev.nfrags++] = lf[k];
			}
		}
		/* Most failure lines show OpenRouter accepted the key. */
		for (i = 0; i < db->nsigs; i++) {
			const ord_sigstat *st = ord_logscan_stat(ls, i);
			uint64_t n = st ? (db->sigs[i].role == ORD_SIGROLE_EVIDENCE ? st->count : st->kind_count) : 0;

			if (db->sigs[i].effects & ORD_SIGFX_KEY_OK) {
				if (db->sigs[i].role == ORD_SIGROLE_EVIDENCE)
					x->key_ok_lines = n > x->key_ok_lines ? n : x->key_ok_lines;
				else
					kinds_ok += n;
			}
		}
		if (kinds_ok > x->key_ok_lines)
			x->key_ok_lines = kinds_ok;
		x->key_ok = x->failure_lines && x->key_ok_lines * 2 > x->failure_lines;
	}
	other_vendor = strstr(x->ev.message, "Incorrect API key provided") != NULL ||
		       strstr(x->ev.message, "platform.openai.com") != NULL;
	for (i = 0; !other_vendor && x->sigset && i < db->nsigs; i++)
		other_vendor = x->sigset[i] && !strncmp(db->sigs[i].id, "vendor-", 7);
	/* A gateway's own answer or a web page is not OpenRouter's either, but
	 * an sk-or-v1 key in it is no sign of a misrouted request (the key was
	 * meant for that gateway), so it only silences the decoder. */
	for (i = 0; !not_or && i < db->nsigs; i++)
		not_or = (db->sigs[i].effects & ORD_SIGFX_NOT_OR) &&
			 (x->sigset ? x->sigset[i] : (long)i == x->top_sig);
	/* The decoder's own table (api_classify.c) weighs in, unless the body
	 * is another vendor's (that table reads OpenRouter's answers). */
	if (x->ev.guessed && x->ev.guess.cause && !other_vendor && !not_or) {
		static const double cw[] = {2, 1.5, 1, 1};

		add(x, x->ev.guess.cause, 5, -1);
		for (k = 0; k < 4 && x->ev.guess.candidates[k]; k++)
			add(x, x->ev.guess.candidates[k], cw[k], -1);
	}
	fragment_rules(x, db, other_vendor);
	ord_explain_context(x, head, hl, kb);
	context_rules(x);
	if (x->mode == ORD_XMODE_MESSAGE) {
		x->key_ok |= x->ev.user_id_present || (x->ev.guessed && x->ev.guess.key_ok);
		if (x->key_ok) {
			for (k = 0; key_causes[k]; k++)
				scale(x, key_causes[k], 0.2);
			note(x, x->ev.user_id_present ?
			     "the answer names your account (user_id): OpenRouter accepted the key" :
			     "this answer comes after OpenRouter accepted the key");
		}
	}
	x->recognised = any || x->ncauses > 0 ||
			(x->ev.guessed && x->ev.guess.rule && strcmp(x->ev.guess.rule, "ok") &&
			 strcmp(x->ev.guess.rule, "garbage"));
	x->success = !x->recognised && (x->ev.json_answer ||
					(x->ev.guessed && x->ev.guess.rule && !strcmp(x->ev.guess.rule, "ok")));
	/* Normalise; drop what rounds to nothing. */
	qsort(x->causes, x->ncauses, sizeof(x->causes[0]), by_score);
	for (i = 0; i < x->ncauses; i++)
		sum += x->causes[i].raw;
	for (i = k = 0; i < x->ncauses; i++) {
		ord_xcause *c = &x->causes[i];
		const ord_sig *s = c->sig >= 0 ? &db->sigs[c->sig] : NULL;
		size_t j, m;

		c->score = sum > 0 ? floor(c->raw / sum * 100 + 0.5) / 100 : 0;
		if (c->score < 0.01)
			continue;
		c->category = ord_cause_category(c->id);
		c->meaning = ord_cause_meaning(c->id);
		c->fix = s && s->ncauses && !strcmp(s->causes[0].cause, c->id) ? s->fix : ord_cause_fix(c->id);
		if (x->bug_fix[0] && !strcmp(c->id, "tool_credential_bug")) {
			c->fix = x->bug_fix;
			c->sources[c->nsources++] = x->bugs[0].bug->url;
		}
		/* How to tell this cause from the others: its own check
		 * (data/causes); the signature's check, which separates all
		 * its candidates, is said once (sig_check). */
		c->check = ord_cause_check(c->id);
		for (j = 0; j < c->nsigs && !c->check; j++)
			c->check = db->sigs[c->sigs[j]].check;
		/* Its own sources first: train reports where a signature that
		 * supports it had this very cause (`case:` lines). */
		for (j = 0; j <= c->nsigs; j++) {
			const ord_sig *cs = j == 0 ? s : &db->sigs[c->sigs[j - 1]];
			size_t q;

			for (q = 0; cs && q < cs->ncauses; q++)
				if (!strcmp(cs->causes[q].cause, c->id))
					break;
			for (m = 0; cs && q < cs->ncauses && m < cs->causes[q].ncases && c->nsources < 6; m++) {
				size_t d;
				for (d = 0; d < c->nsources && strcmp(c->sources[d], cs->causes[q].cases[m]); d++)
					;
				if (d == c->nsources)
					c->sources[c->nsources++] = cs->causes[q].cases[m];
			}
		}
		for (j = 0; j <= c->nsigs; j++) {
			const ord_sig *cs = j == 0 ? s : &db->sigs[c->sigs[j - 1]];

			if (!cs)
				continue;
			for (m = 0; m < cs->nsources && c->nsources < 6; m++) {
				size_t d;
				for (d = 0; d < c->nsources && strcmp(c->sources[d], cs->sources[m]); d++)
					;
				if (d == c->nsources)
					c->sources[c->nsources++] = cs->sources[m];
			}
		}
		x->causes[k++] = *c;
	}
	x->ncauses = k;
	diversify(x);
	/* A source is shown under the first (most likely) cause that has
	 * it, not repeated under every cause of the same signature. */
	for (i = 1; i < x->ncauses; i++) {
		ord_xcause *c = &x->causes[i];
		size_t j, m, d;

		for (j = m = 0; j < c->nsources; j++) {
			int dup = 0;

			for (k = 0; k < i && !dup; k++)
				for (d = 0; d < x->causes[k].nsources && !dup; d++)
					dup = !strcmp(x->causes[k].sources[d], c->sources[j]);
			if (!dup)
				c->sources[m++] = c->sources[j];
		}
		c->nsources = m;
	}
	if (x->top_sig >= 0)
		x->sig_check = db->sigs[x->top_sig].check;
	return 0;
}

ord_xcause *ord_explain_cause(ord_explain *x, const char *cause)
{
	ord_xcause *c = slot(x, cause);

	if (c && !c->meaning) {
		c->category = ord_cause_category(c->id);
		c->meaning = ord_cause_meaning(c->id);
		c->fix = ord_cause_fix(c->id);
		c->check = ord_cause_check(c->id);
	}
	return c;
}

void ord_explain_release(ord_explain *x)
{
	free(x->sigset);
	x->sigset = NULL;
}

int ord_explain_exit(const ord_explain *x)
{
	if (x->recognised)
		return 1;
	return x->success ? 0 : 3;
}

uint64_t ord_explain_sig_count(const ord_explain *x, ord_logscan *ls, size_t sig)
{
	const ord_sigstat *st = ord_logscan_stat(ls, sig);
	uint64_t n = st ? st->count : 0;

	if (x->mode == ORD_XMODE_MESSAGE && x->sigset)
		return x->sigset[sig] ? (n ? n : 1) : 0;
	return n;
}

void ord_explain_symbols(ord_logscan *ls, const ord_sigdb *db, char *sym)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
	size_t i, j, n = 0;

	memset(sym, 0, db->nsigs);
	for (n = 0; n < sizeof(letters) - 1; n++) {
		long best = -1;
		uint64_t bc = 0;

		for (i = 0; i < db->nsigs; i++) {
			const ord_sigstat *st = ord_logscan_stat(ls, i);
			if (!sym[i] && st && st->kind_count > bc) {
				bc = st->kind_count;
				best = (long)i;
			}
		}
		if (best < 0)
			break;
		sym[best] = letters[n];
	}
	for (j = 0; j < db->nsigs; j++) {
		const ord_sigstat *st = ord_logscan_stat(ls, j);
		if (!sym[j] && st && st->kind_count)
			sym[j] = '#';
	}
}

void ord_explain_time(int64_t t, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == INT64_MIN || !gmtime_r(&tt, &tm)) {
		snprintf(out, cap, "-");
		return;
	}
	strftime(out, cap, "%Y-%m-%d %H:%M:%S", &tm);
}
