/* judge: each tool's verdict, from its resolution, the lint of the key it
 * sends and the live status of that key and of the keys it shadows.
 *
 * The sentence follows one model: "<tool> uses <NAME> from <place>
 * (<key>, <state>), because <rule>; <the better candidate> that <tool>
 * never sees.  Fix: <the exact change>".
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "diag_internal.h"
#include "resolve.h"
#include "resolve_internal.h"

enum {
	TOOL_BONUS = 10,   /* a tool-specific story beats the generic one */
	FOCUS_BONUS = 40,  /* --tool NAME heads the report */
};

const char *ord_source_kind_text(const ord_psrc *s)
{
	switch (s->kind) {
	case ORD_PSRC_ENV: return "the environment";
	case ORD_PSRC_DOTENV: return s->override ? "a .env file it loads over the environment" :
						   "a .env file that only fills unset variables";
	case ORD_PSRC_JSON:
	case ORD_PSRC_YAML:
	case ORD_PSRC_TOML: return "its own configuration";
	case ORD_PSRC_ENV_INDIRECT: return "the variable its configuration names";
	case ORD_PSRC_FIXED: return "a built-in value";
	}
	return "?";
}

void set_base_url(ord_tool_res *t, const ord_diag *d)
{
	const char *def = t->p->default_base;

	free(t->base_url);
	t->base_url = NULL;
	t->base_default = 0;
	if (t->bwin >= 0) {
		const ord_hit *h = &d->hits.v[t->bases[t->bwin].hit];
		t->base_url = strdup(h->key.norm);
	} else if (def && !strcmp(def, "sdk-openai")) {
		t->base_url = strdup("https://api.openai.com/v1");
		t->base_default = 1;
	} else if (def && !strcmp(def, "sdk-anthropic")) {
		t->base_url = strdup("https://api.anthropic.com");
		t->base_default = 1;
	} else if (def && strcmp(def, "none")) {
		t->base_url = strdup(def);
		t->base_default = 1;
	}
}

void explain_losers(const ord_ctx *ctx, const ord_diag *d, ord_tool_res *t)
{
	size_t i;
	ord_buf b = ORD_BUF_INIT(1024);

	if (t->win < 0)
		return;
	for (i = 0; i < t->nkeys; i++) {
		const ord_cand *w = &t->keys[t->win];
		ord_cand *c = &t->keys[i];

		if ((long)i == t->win)
			continue;
		ord_buf_reset(&b);
		if (!c->yields)
			ord_buf_addf(&b, "empty, and %s skips empty values", t->p->name);
		else if ((long)i < t->win)
			ord_buf_adds(&b, "?");
		else if (w->src->kind == ORD_PSRC_DOTENV && w->src->override &&
			 c->src->kind == ORD_PSRC_ENV)
			ord_buf_addf(&b, "%s loads .env files with override, so the .env beats the environment",
				     t->p->name);
		else if (w->src->kind == ORD_PSRC_ENV && c->src->kind == ORD_PSRC_DOTENV &&
			 !c->src->override)
			ord_buf_addf(&b, "this .env only fills variables the environment lacks");
		else if ((w->src->kind == ORD_PSRC_JSON || w->src->kind == ORD_PSRC_YAML ||
			  w->src->kind == ORD_PSRC_TOML) && c->src->kind == ORD_PSRC_ENV)
			ord_buf_addf(&b, "the key stored in %s's configuration beats the environment",
				     t->p->name);
		else {
			ord_buf_addf(&b, "%s reads ", t->p->name);
			ord_hit_where(ctx, &d->hits.v[w->hit], &b);
			ord_buf_adds(&b, " first");
		}
		free(c->why);
		c->why = ord_buf_detach(&b, NULL);
	}
	ord_buf_release(&b);
}

static const char *state_text(const ord_keyrow *row)
{
	if (!row)
		return "not checked";
	switch (row->live) {
	case ORD_LIVE_VALID: return "valid";
	case ORD_LIVE_INVALID: return "rejected by OpenRouter";
	case ORD_LIVE_UNKNOWN: return "not checked: no answer";
	default: return "not checked";
	}
}

/* A tool's own store: a config file or a .env only that tool reads (for a
 * value taken from a variable, where that variable was set). */
static int own_store(const ord_diag *d, const ord_cand *c)
{
	if (c->via >= 0) {
		static const char *const dirs[] = {"/.continue/", "/.hermes/", "/.codex/",
						   "/.aider/", "/.openclaw/"};
		const ord_hit *v = &d->hits.v[c->via];
		size_t i;

		for (i = 0; v->kind == ORD_SRC_DOTENV && v->path && i < 5; i++)
			if (strstr(v->path, dirs[i]))
				return 1;
		return 0;
	}
	return c->src->kind == ORD_PSRC_JSON || c->src->kind == ORD_PSRC_YAML ||
	       c->src->kind == ORD_PSRC_TOML ||
	       (c->src->kind == ORD_PSRC_DOTENV && c->src->path && c->src->path[0] == '~' &&
		strcmp(c->src->path, "~/.env"));
}

/* A valid OpenRouter key anywhere on the machine, for "your valid key is
 * in a place this tool does not read". */
static const ord_keyrow *valid_elsewhere(const ord_diag *d, const ord_keyrow *not)
{
	size_t i;

	for (i = 0; i < d->nkeys; i++)
		if (&d->keys[i] != not && d->keys[i].live == ORD_LIVE_VALID)
			return &d->keys[i];
	return NULL;
}

/* The place to change for a hit reached through a reference. */
static void fix_place(const ord_ctx *ctx, const ord_diag *d, const ord_cand *c, ord_buf *b)
{
	const ord_hit *h = &d->hits.v[c->via >= 0 ? c->via : c->hit];

	if (h->kind == ORD_SRC_ENV && h->origin >= 0)
		h = &d->hits.v[h->origin];
	if (h->kind == ORD_SRC_ENV)
		ord_buf_addf(b, "%s in the environment", h->name);
	else {
		ord_hit_where(ctx, h, b);
		if (h->kind == ORD_SRC_CONFIG)
			ord_buf_addf(b, " (%s)", h->name);
	}
}

/* "Export it as OPENROUTER_KEY (the variable llm reads), or put it in
 * keys.json": the variables a tool reads, then its first file. */
static void suggest_place(const ord_profile *p, ord_buf *fix)
{
	size_t i, nenv = 0;
	const ord_psrc *file = NULL;

	for (i = 0; i < p->nkeys; i++) {
		const ord_psrc *s = &p->keys[i];
		if (s->kind == ORD_PSRC_ENV) {
			ord_buf_addf(fix, "%s%s", nenv++ ? " or " : "Export it as ", s->field);
		} else if (s->path && s->path[0] != '$' && s->path[0] != '/' &&
			   (!file || (file->path[0] != '~' && s->path[0] == '~')))
			file = s; /* a place in the home reads best */
	}
	if (nenv)
		ord_buf_addf(fix, " (the variable%s %s reads)", nenv > 1 ? "s" : "", p->name);
	if (file)
		ord_buf_addf(fix, "%s%s %s in %s", nenv ? ", or put it as " : "Put it as ",
			     file->kind == ORD_PSRC_DOTENV ? "the variable" : "the field",
			     file->field, file->path);
	ord_buf_adds(fix, nenv || file ? "; `ordoctor tools` lists every place." :
					 "`ordoctor tools` lists the places it reads.");
}

static long judge_one(ord_ctx *ctx, ord_diag *d, ord_tool_res *t, int bonus)
{
	const char *tool = t->p->name;
	ord_buf sum = ORD_BUF_INIT(4096), fix = ORD_BUF_INIT(4096), wh = ORD_BUF_INIT(1024);
	const char *cause = NULL;
	int score = 0;
	long hit = -1, f = -1;
	size_t i;

	if (t->win < 0) {
		/* nothing reaches the tool: is the key somewhere it does not look? */
		const ord_keyrow *elsewhere = NULL;
		for (i = 0; i < d->nkeys && !elsewhere; i++)
			if (d->keys[i].live != ORD_LIVE_INVALID &&
			    ord_key_is_openrouter(&d->hits.v[d->keys[i].hits[0]].key))
				elsewhere = &d->keys[i];
		if (!t->nkeys && !t->p->nkeys) {
			/* only unreadable stores */
		} else if (elsewhere) {
			const ord_hit *h = &d->hits.v[elsewhere->hits[0]];
			cause = "wrong_env_var_or_config_field";
			score = 55;
			ord_hit_where(ctx, h, &wh);
			ord_buf_addf(&sum, "%s finds no key: your key %s is in %s (%s), which %s does not read.",
				     tool, elsewhere->redacted, h->name ? h->name : "a file",
				     ord_buf_str(&wh), tool);
		} else {
			cause = "key_missing_or_empty";
			score = 50;
			ord_buf_addf(&sum, "%s finds no OpenRouter key in any place it reads.", tool);
		}
		if (cause)
			suggest_place(t->p, &fix);
	} else {
		const ord_cand *w = &t->keys[t->win];
		const ord_hit *h = &d->hits.v[w->hit];
		const ord_keyrow *row = ord_diag_row_of_hit(d, w->hit);
		const ord_cand *better = NULL;
		const ord_keyrow *brow = NULL, *elsewhere = NULL;
		char red[ORD_REDACT_MAX];
		int pass;

		hit = w->hit;
		ord_key_redact(&h->key, red);
		/* the candidate the user most likely meant: a valid one, else
		 * (offline) the one in the environment, else the next one */
		for (pass = 0; pass < 4 && !better; pass++)
			for (i = 0; i < t->nkeys && !better; i++) {
				const ord_keyrow *r2 = ord_diag_row_of_hit(d, t->keys[i].hit);
				const ord_hit *h2 = &d->hits.v[t->keys[i].hit];
				if ((long)i == t->win || !t->keys[i].yields || !r2 || r2 == row ||
				    r2->live == ORD_LIVE_INVALID || !ord_key_is_openrouter(&h2->key))
					continue;
				if ((pass == 0 && r2->live == ORD_LIVE_VALID && h2->kind == ORD_SRC_ENV) ||
				    (pass == 1 && r2->live == ORD_LIVE_VALID) ||
				    (pass == 2 && h2->kind == ORD_SRC_ENV) || pass == 3) {
					better = &t->keys[i];
					brow = r2;
				}
			}
		ord_hit_where(ctx, h, &wh);
		ord_buf_addf(&sum, "%s uses %s from %s (%s, %s)", tool,
			     h->name ? h->name : "a key", ord_buf_str(&wh), red, state_text(row));
		if (h->key.shape == ORD_SHAPE_EMPTY)
			cause = "key_missing_or_empty", score = 60;
		else if (h->key.shape == ORD_SHAPE_PLACEHOLDER)
			cause = "key_missing_or_empty", score = 58;
		else if (h->key.shape == ORD_SHAPE_FOREIGN)
			cause = "key_from_wrong_provider", score = 62;
		else if (h->key.shape == ORD_SHAPE_MALFORMED)
			cause = "key_malformed_or_truncated", score = 58;
		else if (h->key.shape == ORD_SHAPE_FIXABLE)
			cause = "key_whitespace_or_quoting", score = 50;
		else if (row && row->live == ORD_LIVE_INVALID && better)
			cause = own_store(d, w) ? "tool_stale_stored_key" : "env_precedence_shadowing",
			score = 80;
		else if (row && row->live == ORD_LIVE_INVALID && (elsewhere = valid_elsewhere(d, row))) {
			/* the tool's only key is dead; a good one sits where it
			 * does not look */
			cause = own_store(d, w) ? "tool_stale_stored_key" : "key_revoked_expired_or_unknown";
			score = 78;
		} else if (row && row->live == ORD_LIVE_INVALID)
			cause = "key_revoked_expired_or_unknown", score = 72;
		else if (better && row && row->live == ORD_LIVE_NOT_CHECKED && brow &&
			 !ord_key_equal(&h->key, &d->hits.v[better->hit].key))
			cause = own_store(d, w) ? "tool_stale_stored_key" : "env_precedence_shadowing",
			score = 42;
		if (better) {
			ord_buf_reset(&wh);
			fix_place(ctx, d, better, &wh);
			ord_buf_addf(&sum, "; %s (%s) in %s loses: %s", brow->redacted,
				     state_text(brow), ord_buf_str(&wh),
				     better->why ? better->why : "it comes later");
		}
		if (!better && elsewhere) {
			const ord_hit *eh = &d->hits.v[elsewhere->hits[0]];
			ord_buf_reset(&wh);
			ord_hit_where(ctx, eh, &wh);
			ord_buf_addf(&sum, "; your valid key %s (%s) is in a place %s does not read",
				     elsewhere->redacted, ord_buf_str(&wh), tool);
			brow = elsewhere;
		}
		ord_buf_adds(&sum, ".");
		ord_buf_reset(&wh);
		fix_place(ctx, d, w, &wh);
		if (cause && (!strcmp(cause, "tool_stale_stored_key") ||
			      !strcmp(cause, "env_precedence_shadowing")))
			ord_buf_addf(&fix, "Delete or update %s%s%s.", ord_buf_str(&wh),
				     brow ? " with the key " : "", brow ? brow->redacted : "");
		else if (cause && !strcmp(cause, "key_revoked_expired_or_unknown"))
			ord_buf_addf(&fix, "Create a new key at https://openrouter.ai/settings/keys and put it in %s.",
				     ord_buf_str(&wh));
		else if (cause)
			ord_buf_addf(&fix, "Put your OpenRouter key (exactly sk-or-v1- and 64 hex digits) in %s.",
				     ord_buf_str(&wh));
	}
	if (cause) {
		ord_finding *x = ord_diag_finding(d, cause, score + TOOL_BONUS + bonus, hit,
						  fix.len ? ord_buf_str(&fix) : NULL, "%s",
						  ord_buf_str(&sum));
		if (x) {
			x->tool = t->p->id;
			f = (long)(x - d->findings);
		}
	}
	ord_buf_release(&sum);
	ord_buf_release(&fix);
	ord_buf_release(&wh);
	return f;
}

/* The base URL: the SDK default for an OpenRouter key, a wrong form, a
 * router in between. */
static long judge_base(ord_ctx *ctx, ord_diag *d, ord_tool_res *t, int bonus)
{
	ord_url_lint l;
	ord_url_form form;
	ord_finding *x = NULL;

	if (!t->base_url || t->p->base_form == ORD_FORM_FIXED)
		return -1;
	form = t->p->base_form == ORD_FORM_ANTHROPIC ? ORD_URL_ANTHROPIC :
	       t->p->base_form == ORD_FORM_FULL ? ORD_URL_FULL : ORD_URL_OPENAI;
	if (t->base_default && strstr(t->base_url, "openrouter.ai") == NULL) {
		ord_buf fix = ORD_BUF_INIT(512);
		const char *want = form == ORD_URL_ANTHROPIC ? "https://openrouter.ai/api" :
							       "https://openrouter.ai/api/v1";

		if (t->p->nbases && t->p->bases[0].kind == ORD_PSRC_ENV)
			ord_buf_addf(&fix, "Set %s=%s.", t->p->bases[0].field, want);
		else if (t->p->nbases)
			ord_buf_addf(&fix, "Set %s to %s in %s.", t->p->bases[0].field, want,
				     t->p->bases[0].path ? t->p->bases[0].path : "its configuration");
		if (t->win >= 0 && ord_key_is_openrouter(&d->hits.v[t->keys[t->win].hit].key))
			x = ord_diag_finding(d, "request_sent_to_wrong_endpoint", 60 + TOOL_BONUS + bonus,
					     t->keys[t->win].hit, fix.len ? ord_buf_str(&fix) : NULL,
					     "%s sends your OpenRouter key to its default %s: no base URL points it at OpenRouter.",
					     t->p->name, t->base_url);
		ord_buf_release(&fix);
	} else if (!ord_url_lint_check(t->base_url, form, &l) && l.cause && l.severity >= 1) {
		ord_buf fix = ORD_BUF_INIT(512);

		if (t->bwin >= 0 && *l.expected) {
			const ord_hit *bh = &d->hits.v[t->bases[t->bwin].hit];
			if (bh->kind == ORD_SRC_ENV)
				ord_buf_addf(&fix, "Set %s=%s.", bh->name, l.expected);
			else {
				ord_buf_addf(&fix, "Set %s to %s in ", bh->name, l.expected);
				ord_hit_where(ctx, bh, &fix);
				ord_buf_adds(&fix, ".");
			}
		}
		x = ord_diag_finding(d, l.cause, (l.severity >= 2 ? 55 : 25) + TOOL_BONUS + bonus,
				     t->bwin >= 0 ? t->bases[t->bwin].hit : -1,
				     fix.len ? ord_buf_str(&fix) : NULL,
				     "%s's base URL %s does not have the form it needs (%s).",
				     t->p->name, t->base_url, *l.expected ? l.expected : ord_url_form_id(form));
		ord_buf_release(&fix);
	}
	if (!x)
		return -1;
	x->tool = t->p->id;
	return (long)(x - d->findings);
}

/* NAME itself, or a config field path ending in ".NAME" (env.NAME). */
static int names_var(const char *field, const char *name)
{
	size_t fl = field ? strlen(field) : 0, nl = strlen(name);

	if (!field)
		return 0;
	return !strcmp(field, name) ||
	       (fl > nl && field[fl - nl - 1] == '.' && !strcmp(field + fl - nl, name));
}

/* Claude Code: a non-empty ANTHROPIC_API_KEY is sent as x-api-key next to
 * the Bearer token (profile pitfall wrong_auth_scheme_for_endpoint). */
static long judge_pitfalls(ord_ctx *ctx, ord_diag *d, ord_tool_res *t, int bonus)
{
	size_t i, j;

	(void)ctx;
	for (i = 0; i < t->p->npitfalls; i++) {
		const ord_pitfall *pf = &t->p->pitfalls[i];
		if (strcmp(pf->cause, "wrong_auth_scheme_for_endpoint"))
			continue;
		for (j = 0; j < t->nkeys; j++) {
			const ord_hit *h = &d->hits.v[t->keys[j].hit];
			ord_finding *x;
			if (!names_var(h->name, pf->where) || !h->key.raw_len)
				continue;
			x = ord_diag_finding(d, pf->cause, 65 + TOOL_BONUS + bonus, t->keys[j].hit,
					     "Set ANTHROPIC_API_KEY=\"\" (explicitly empty) and put the OpenRouter key in ANTHROPIC_AUTH_TOKEN.",
					     "%s: %s is set (not empty), so %s also sends it as x-api-key: %s",
					     t->p->name, h->name, t->p->name, pf->text);
			if (x) {
				x->tool = t->p->id;
				return (long)(x - d->findings);
			}
		}
	}
	return -1;
}

/* An OpenAI key with the SDK's default OpenAI base: this tool talks to
 * OpenAI here, not to OpenRouter, and nothing is wrong with that. */
static int not_for_openrouter(const ord_diag *d, const ord_tool_res *t)
{
	const ord_hit *h;

	if (!t->base_url || strstr(t->base_url, "openrouter.ai") || !t->base_default)
		return 0;
	/* installed, but with no key and its vendor's default endpoint: set up
	 * for that vendor, not for OpenRouter */
	if (t->win < 0)
		return 1;
	h = &d->hits.v[t->keys[t->win].hit];
	return h->key.shape == ORD_SHAPE_FOREIGN;
}

void ord_tools_judge(ord_ctx *ctx, ord_diag *d, ord_tools *t, const char *focus)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		ord_tool_res *tr = &t->v[i];
		int focused = focus && !strcmp(focus, tr->p->id);
		int bonus = focused ? FOCUS_BONUS : 0;
		long f, best = -1;

		if (!tr->present && !focused)
			continue;
		if (not_for_openrouter(d, tr))
			continue;
		f = judge_pitfalls(ctx, d, tr, bonus);
		if (f >= 0)
			best = f;
		f = judge_one(ctx, d, tr, bonus);
		if (f >= 0 && (best < 0 || d->findings[f].score > d->findings[best].score))
			best = f;
		f = judge_base(ctx, d, tr, bonus);
		if (f >= 0 && (best < 0 || d->findings[f].score > d->findings[best].score))
			best = f;
		tr->finding = best;
	}
}

void ord_check_tools(ord_ctx *ctx, ord_diag *d, const char *focus)
{
	ord_check *c = ord_diag_check(d, "tools", "Each tool sends a working key to OpenRouter");
	ord_tools *t = d->tools;
	size_t i, present = 0, bad = 0;

	for (i = 0; t && i < t->n; i++) {
		const ord_tool_res *tr = &t->v[i];
		ord_buf b = ORD_BUF_INIT(4096);

		if (!tr->present && !(focus && !strcmp(focus, tr->p->id)))
			continue;
		present++;
		ord_buf_addf(&b, "%s: ", tr->p->id);
		if (tr->win >= 0) {
			const ord_hit *h = &d->hits.v[tr->keys[tr->win].hit];
			char red[ORD_REDACT_MAX];
			ord_key_redact(&h->key, red);
			ord_buf_addf(&b, "%s %s from ", red, state_text(ord_diag_row_of_hit(d, tr->keys[tr->win].hit)));
			ord_hit_where(ctx, h, &b);
		} else
			ord_buf_adds(&b, "no key");
		if (tr->base_url)
			ord_buf_addf(&b, " -> %s", tr->base_url);
		if (tr->nkeys > 1)
			ord_buf_addf(&b, " (%zu other candidate%s)", tr->nkeys - 1,
				     tr->nkeys == 2 ? "" : "s");
		if (tr->finding >= 0 && d->findings[tr->finding].score >= ORD_VERDICT_MIN) {
			bad++;
			ord_buf_addf(&b, ": %s", d->findings[tr->finding].cause);
		}
		ord_check_evidence(c, "%s", ord_buf_str(&b));
		ord_buf_release(&b);
	}
	if (!present)
		ord_check_set(c, ORD_ST_SKIP, "no known tool found (ordoctor tools lists them)");
	else if (bad)
		ord_check_set(c, ORD_ST_FAIL, "%zu of %zu tool%s would fail", bad, present,
			      present == 1 ? "" : "s");
	else
		ord_check_set(c, ORD_ST_OK, "%zu tool%s found, each with a usable key", present,
			      present == 1 ? "" : "s");
}
