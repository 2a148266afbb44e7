/* rules_tool: the rules about one tool, from its resolution (which key and
 * base URL it sends, which candidates lose) and the facts about those keys.
 *
 * A tool is judged when it is present (or asked for with --tool).  Its
 * claims carry its index; lib/verdict.c keeps them in that tool's scope,
 * together with the claims about the places and keys it depends on.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* A startup file exports one of the variables the tool reads with an
 * OpenRouter key or an OpenRouter URL: it was set up for OpenRouter, even
 * when this environment has not loaded that file. */
static int exported_for_openrouter(const ord_facts *f, const ord_tool_res *tr)
{
	size_t i, j;

	for (j = 0; j < f->hits.n; j++) {
		const ord_hit *h = &f->hits.v[j];
		const ord_psrc *all[2] = {tr->p->keys, tr->p->bases};
		size_t n[2] = {tr->p->nkeys, tr->p->nbases}, k;

		if (h->kind != ORD_SRC_RC || !rule_effective(h) || !h->name ||
		    !(ord_key_is_openrouter(&h->key) || strstr(h->key.norm, "openrouter.ai")))
			continue;
		for (k = 0; k < 2; k++)
			for (i = 0; i < n[k]; i++)
				if (all[k][i].kind == ORD_PSRC_ENV && !strcmp(all[k][i].field, h->name))
					return 1;
	}
	return 0;
}

int ord_rules_not_for_openrouter(const ord_facts *f, long t)
{
	const ord_tool_res *tr = &f->tools->v[t];
	const ord_hit *h;

	if (!tr->base_url || strstr(tr->base_url, "openrouter.ai") || !tr->base_default ||
	    exported_for_openrouter(f, tr))
		return 0;
	/* installed, but with no key and its vendor's default endpoint: set
	 * up for that vendor, not for OpenRouter */
	if (tr->win < 0)
		return 1;
	h = &f->hits.v[tr->keys[tr->win].hit];
	return h->key.shape == ORD_SHAPE_FOREIGN;
}

static int is_openrouter_row(const ord_keyrow *k)
{
	return k && k->openrouter;
}

/* The candidate the user most likely meant, when the winner fails: a
 * valid one in the environment, a valid one, one in the environment, any
 * other OpenRouter key the tool sees. */
static long better_candidate(const ord_facts *f, const ord_tool_res *t, long winrow)
{
	int pass;
	size_t i;

	for (pass = 0; pass < 4; pass++)
		for (i = 0; i < t->nkeys; i++) {
			const ord_cand *c = &t->keys[i];
			long row = ord_facts_row_of_hit(f, c->hit);
			const ord_keyrow *k = row >= 0 ? &f->keys[row] : NULL;
			int env = f->hits.v[c->hit].kind == ORD_SRC_ENV;

			if ((long)i == t->win || !c->yields || !is_openrouter_row(k) || row == winrow ||
			    k->live == ORD_LIVE_INVALID)
				continue;
			if ((pass == 0 && k->live == ORD_LIVE_VALID && env) ||
			    (pass == 1 && k->live == ORD_LIVE_VALID) || (pass == 2 && env) || pass == 3)
				return (long)i;
		}
	return -1;
}

static int env_has(const ord_facts *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->hits.n; i++)
		if (f->hits.v[i].kind == ORD_SRC_ENV && f->hits.v[i].name &&
		    !strcmp(f->hits.v[i].name, name))
			return 1;
	return 0;
}

/* The tool reads NAME from the environment, which lacks it, while a
 * startup file exports it: the shell that runs the tool has not loaded
 * that file (a new terminal, `source`; a GUI or a service started outside
 * the login shell never does). */
static long not_loaded(const ord_facts *f, const ord_tool_res *t)
{
	size_t i, j;

	for (i = 0; i < t->p->nkeys; i++) {
		const ord_psrc *s = &t->p->keys[i];

		if (s->kind != ORD_PSRC_ENV || env_has(f, s->field))
			continue;
		for (j = 0; j < f->hits.n; j++) {
			const ord_hit *h = &f->hits.v[j];
			if (h->kind == ORD_SRC_RC && rule_effective(h) && (h->flags & ORD_HIT_EXPORTED) &&
			    h->name && !strcmp(h->name, s->field) && h->key.raw_len)
				return (long)j;
		}
	}
	return -1;
}

/* A working-looking OpenRouter key the tool does not read. */
static long key_elsewhere(const ord_facts *f, const ord_tool_res *t)
{
	size_t i, j;

	for (i = 0; i < f->nkeys; i++) {
		const ord_keyrow *k = &f->keys[i];
		int read = 0;

		if (!k->openrouter || k->live == ORD_LIVE_INVALID)
			continue;
		for (j = 0; j < t->nkeys; j++)
			if (ord_facts_row_of_hit(f, t->keys[j].hit) == (long)i)
				read = 1;
		if (!read)
			return (long)k->hits[0];
	}
	return -1;
}

/* A key in a file the profile reads only under if= conditions this
 * project does not meet (a .env that only Next.js or dotenv loads): the
 * key is there, the tool never sees it. */
static long key_unloaded(const ord_facts *f, const ord_tool_res *t)
{
	size_t i;

	for (i = 0; i < t->nkeys; i++)
		if (t->keys[i].unloaded && f->hits.v[t->keys[i].hit].key.raw_len)
			return (long)i;
	return -1;
}

/* An empty value where the tool looks first, because it expands a
 * variable that was not set yet (ANTHROPIC_AUTH_TOKEN="$OPENROUTER_API_KEY"
 * above the line that sets it): the root of whatever the tool then falls
 * back to.  The place to change is that expansion. */
static long empty_above(const ord_facts *f, const ord_tool_res *t)
{
	size_t i;

	for (i = 0; i < t->nkeys && (t->win < 0 || (long)i < t->win); i++) {
		const ord_hit *h = &f->hits.v[t->keys[i].hit];
		const ord_hit *o = h->origin >= 0 ? &f->hits.v[h->origin] : NULL;

		if (t->keys[i].yields || h->key.raw_len)
			continue;
		if (h->flags & ORD_HIT_EMPTY_EXPANSION)
			return t->keys[i].hit;
		if (o && (o->flags & ORD_HIT_EMPTY_EXPANSION))
			return h->origin;
	}
	return -1;
}

static long other_row(const ord_facts *f, long not)
{
	size_t i;

	for (i = 0; i < f->nkeys; i++)
		if ((long)i != not && f->keys[i].openrouter && f->keys[i].live != ORD_LIVE_INVALID &&
		    !(f->keys[i].has_info && f->keys[i].info.is_management_key))
			return (long)i;
	return -1;
}

static ord_cert weaker(ord_cert c, int uncertain)
{
	return uncertain && c > ORD_CERT_INFERRED ? ORD_CERT_INFERRED : c;
}

static ord_claim *tool_claim(rstate *r, long t, const char *cause, int story, ord_cert cert,
			     int uncertain)
{
	ord_claim *c = rule_claim(r, cause, story, weaker(cert, uncertain), ORD_REACH_SENT);

	if (c)
		c->tool = t;
	return c;
}

static void judge_key(rstate *r, long t, int uncertain)
{
	const ord_facts *f = r->f;
	const ord_tool_res *tr = &f->tools->v[t];
	const ord_cand *w;
	const ord_hit *h;
	const ord_keyrow *k;
	long row, b, at;
	ord_claim *c = NULL;

	if ((at = empty_above(f, tr)) >= 0) {
		int fails = tr->win < 0;

		if (!fails) {
			const ord_hit *wh = &f->hits.v[tr->keys[tr->win].hit];
			long wr = ord_facts_row_of_hit(f, tr->keys[tr->win].hit);
			fails = wh->key.shape != ORD_SHAPE_VALID ||
				(wr >= 0 && f->keys[wr].live == ORD_LIVE_INVALID);
		}
		if (fails) {
			c = tool_claim(r, t, "key_missing_or_empty", ORD_STORY_TOOL_EMPTY_ABOVE,
				       ORD_CERT_STATIC, uncertain);
			if (c) {
				c->hit = at;
				c->other = tr->win >= 0 ? tr->keys[tr->win].hit : -1;
			}
			return;
		}
	}
	if (tr->win < 0) {
		size_t i;
		long mask = -1;

		/* nothing readable, or the key is a command's output: the
		 * gap says it all (never "no key") */
		if (!tr->nkeys && (tr->p->nstores || tr->store_cmd))
			return;
		for (i = 0; i < tr->nkeys; i++)
			if (tr->keys[i].masked_by >= 0)
				mask = tr->keys[i].masked_by;
		if (mask >= 0) {
			c = tool_claim(r, t, "key_missing_or_empty", ORD_STORY_TOOL_NO_KEY,
				       ORD_CERT_STATIC, uncertain);
			if (c)
				c->hit = tr->keys[mask].hit;
		} else if ((at = not_loaded(f, tr)) >= 0) {
			c = tool_claim(r, t, "key_missing_or_empty", ORD_STORY_TOOL_NOT_LOADED,
				       ORD_CERT_STATIC, uncertain);
			if (c)
				c->hit = at;
		} else if ((at = key_unloaded(f, tr)) >= 0) {
			c = tool_claim(r, t, "wrong_env_var_or_config_field", ORD_STORY_TOOL_UNLOADED,
				       ORD_CERT_STATIC, uncertain);
			if (c)
				c->other = tr->keys[at].hit;
		} else if ((at = key_elsewhere(f, tr)) >= 0) {
			c = tool_claim(r, t, "wrong_env_var_or_config_field", ORD_STORY_TOOL_ELSEWHERE,
				       ORD_CERT_STATIC, uncertain);
			if (c)
				c->other = at;
		} else
			c = tool_claim(r, t, "key_missing_or_empty", ORD_STORY_TOOL_NO_KEY,
				       ORD_CERT_STATIC, uncertain);
		return;
	}
	w = &tr->keys[tr->win];
	h = &f->hits.v[w->hit];
	row = ord_facts_row_of_hit(f, w->hit);
	k = row >= 0 ? &f->keys[row] : NULL;
	switch (h->key.shape) {
	case ORD_SHAPE_EMPTY:
	case ORD_SHAPE_PLACEHOLDER:
		c = tool_claim(r, t, "key_missing_or_empty", ORD_STORY_TOOL_SHAPE, ORD_CERT_STATIC, uncertain);
		break;
	case ORD_SHAPE_FOREIGN:
		c = tool_claim(r, t, "key_from_wrong_provider", ORD_STORY_TOOL_SHAPE, ORD_CERT_STATIC, uncertain);
		break;
	case ORD_SHAPE_MALFORMED:
		c = tool_claim(r, t, "key_malformed_or_truncated", ORD_STORY_TOOL_SHAPE, ORD_CERT_STATIC, uncertain);
		break;
	case ORD_SHAPE_FIXABLE:
		c = tool_claim(r, t, "key_whitespace_or_quoting", ORD_STORY_TOOL_SHAPE, ORD_CERT_STATIC, uncertain);
		break;
	default:
		break;
	}
	if (c) {
		c->hit = w->hit;
		c->row = row;
		return;
	}
	if (!k)
		return;
	b = better_candidate(f, tr, row);
	if (k->live == ORD_LIVE_INVALID) {
		/* another key of the machine: a working one, else one not
		 * known to be dead (the one the user most likely meant) */
		long valid = rule_valid_row(f, row);
		if (valid < 0)
			valid = other_row(f, row);
		const char *stale = w->own ? "tool_stale_stored_key" : "env_precedence_shadowing";

		/* the winner is observed dead and another key is there to be
		 * used (a valid one preferred; its own liveness is said) */
		if (b >= 0) {
			c = tool_claim(r, t, stale, ORD_STORY_TOOL_SHADOWED, ORD_CERT_OBSERVED, uncertain);
			if (c)
				c->other = tr->keys[b].hit;
		} else if (valid >= 0) {
			c = tool_claim(r, t, w->own ? "tool_stale_stored_key" : "key_revoked_expired_or_unknown",
				       ORD_STORY_TOOL_DEAD_ELSEWHERE, ORD_CERT_OBSERVED, uncertain);
			if (c)
				c->other = (long)f->keys[valid].hits[0];
		} else
			c = tool_claim(r, t, "key_revoked_expired_or_unknown", ORD_STORY_TOOL_DEAD,
				       ORD_CERT_OBSERVED, uncertain);
	} else if (k->live == ORD_LIVE_VALID && k->has_info && k->info.is_management_key) {
		long valid = rule_valid_row(f, row);
		c = tool_claim(r, t, "management_key_used_for_inference", ORD_STORY_TOOL_MANAGEMENT,
			       ORD_CERT_OBSERVED, uncertain);
		if (c && valid >= 0)
			c->other = (long)f->keys[valid].hits[0];
	} else if (k->live == ORD_LIVE_VALID && k->has_info && !isnan(k->info.limit_remaining) &&
		   k->info.limit_remaining <= 0) {
		c = tool_claim(r, t, "per_key_credit_limit", ORD_STORY_TOOL_LIMIT, ORD_CERT_OBSERVED,
			       uncertain);
	} else if (k->live != ORD_LIVE_VALID && b >= 0) {
		/* another key loses; without knowing which one works, that is
		 * a likely story, not a verdict */
		c = tool_claim(r, t, w->own ? "tool_stale_stored_key" : "env_precedence_shadowing",
			       ORD_STORY_TOOL_SHADOW_UNKNOWN, ORD_CERT_INFERRED, uncertain);
		if (c)
			c->other = tr->keys[b].hit;
	}
	if (c) {
		c->hit = w->hit;
		c->row = row;
	}
}

static void judge_base(rstate *r, long t)
{
	const ord_facts *f = r->f;
	const ord_tool_res *tr = &f->tools->v[t];
	ord_url_form form;
	ord_url_lint l;
	ord_claim *c;

	if (!tr->base_url || tr->p->base_form == ORD_FORM_FIXED)
		return;
	form = tr->p->base_form == ORD_FORM_ANTHROPIC ? ORD_URL_ANTHROPIC :
	       tr->p->base_form == ORD_FORM_FULL ? ORD_URL_FULL : ORD_URL_OPENAI;
	if (tr->base_default) {
		/* a tool's own default is never wrong in itself; it is wrong
		 * for an OpenRouter key when it is another vendor's */
		if (!strstr(tr->base_url, "openrouter.ai") && tr->win >= 0 &&
		    ord_key_is_openrouter(&f->hits.v[tr->keys[tr->win].hit].key)) {
			c = tool_claim(r, t, "request_sent_to_wrong_endpoint", ORD_STORY_TOOL_ENDPOINT,
				       ORD_CERT_STATIC, 0);
			if (c)
				c->row = ord_facts_row_of_hit(f, tr->keys[tr->win].hit);
		}
		return;
	}
	if (ord_url_lint_check(tr->base_url, form, &l) || !l.cause || l.severity < 1)
		return;
	c = tool_claim(r, t, l.cause, ORD_STORY_TOOL_URL,
		       l.severity >= 2 ? ORD_CERT_STATIC : ORD_CERT_NOTE, 0);
	if (c)
		c->hit = tr->bwin >= 0 ? tr->bases[tr->bwin].hit : -1;
}

/* Claude Code: a non-empty ANTHROPIC_API_KEY is sent as x-api-key next to
 * the Bearer token (the profile's wrong_auth_scheme_for_endpoint pitfall). */
static void judge_pitfalls(rstate *r, long t)
{
	const ord_facts *f = r->f;
	const ord_tool_res *tr = &f->tools->v[t];
	size_t i, j;

	for (i = 0; i < tr->p->npitfalls; i++) {
		const ord_pitfall *pf = &tr->p->pitfalls[i];
		if (strcmp(pf->cause, "wrong_auth_scheme_for_endpoint"))
			continue;
		for (j = 0; j < tr->nkeys; j++) {
			const ord_cand *cd = &tr->keys[j];
			const ord_hit *h = &f->hits.v[cd->via >= 0 ? cd->via : cd->hit];
			ord_claim *c;

			if (!ord_field_names_var(h->name, pf->where) || !f->hits.v[cd->hit].key.raw_len ||
			    cd->masked_by >= 0)
				continue;
			c = tool_claim(r, t, pf->cause, ORD_STORY_TOOL_AUTH_SCHEME, ORD_CERT_STATIC, 0);
			if (c) {
				c->hit = cd->hit;
				c->other = (long)i; /* the pitfall */
			}
			return;
		}
	}
}

/* The key may sit in a store ordoctor cannot read: one ranked above the
 * winner, or a variant of the tool (a VS Code extension's secret storage)
 * that never reads the places we see. */
static int store_gap(rstate *r, long t)
{
	const ord_tool_res *tr = &r->f->tools->v[t];

	if (tr->store >= 0 || (tr->p->nstores && !(tr->win >= 0 && tr->keys[tr->win].own))) {
		ord_diag_gap(r->d, ORD_GAP_STORE, t, -1);
		return 1;
	}
	return 0;
}

void rules_tools(rstate *r)
{
	const ord_facts *f = r->f;
	size_t i;

	for (i = 0; f->tools && i < f->tools->n; i++) {
		const ord_tool_res *tr = &f->tools->v[i];
		int uncertain;

		/* the tool the user asks about (check --tool) is judged for
		 * OpenRouter even when it looks set up for its own vendor: the
		 * question is why it does not reach OpenRouter */
		if ((long)i != r->focus && (!tr->present || ord_rules_not_for_openrouter(f, (long)i)))
			continue;
		uncertain = store_gap(r, (long)i);
		/* the key first: among a tool's equally sure stories, the one
		 * about the key it sends comes first */
		judge_key(r, (long)i, uncertain);
		judge_pitfalls(r, (long)i);
		judge_base(r, (long)i);
	}
}
