/* rules: the rules about places (what the bytes of each value show, and
 * places that disagree), and what every rule file shares.  The rules
 * about keys are in rules_key.c, about one tool in rules_tool.c.  See
 * rules.h.
 *
 * How sure a claim is comes from its evidence (ord_cert): OpenRouter's
 * answer about the key (OBSERVED), the bytes of the value (STATIC), or a
 * story that needs a fact we lack, typically whether a key is alive
 * (INFERRED, which never decides on its own: the answer is then
 * "undecided", with the missing fact).  A story that live facts refute
 * (two different keys, both valid) is a NOTE.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* ---- shared helpers --------------------------------------------------- */

int rule_effective(const ord_hit *h)
{
	return !(h->flags & ORD_HIT_SHADOWED_IN_FILE);
}

int rule_usable(const ord_hit *h)
{
	return h->key.shape == ORD_SHAPE_VALID || h->key.shape == ORD_SHAPE_FIXABLE;
}

const ord_keyrow *rule_row(const ord_facts *f, long hit)
{
	long r = ord_facts_row_of_hit(f, hit);

	return r >= 0 ? &f->keys[r] : NULL;
}

long rule_valid_row(const ord_facts *f, long not)
{
	size_t i;

	for (i = 0; i < f->nkeys; i++)
		if ((long)i != not && f->keys[i].live == ORD_LIVE_VALID &&
		    !(f->keys[i].has_info && f->keys[i].info.is_management_key))
			return (long)i;
	return -1;
}

ord_claim *rule_claim(rstate *r, const char *cause, int story, ord_cert cert,
		      ord_reach reach)
{
	ord_claim *c = ord_diag_claim(r->d, r->rule, cause, r->check, story, cert, reach);

	if (c)
		c->order = r->order;
	return c;
}

static const ord_varspec *spec_of(const ord_hit *h)
{
	return h->name ? ord_var_lookup(h->name, strlen(h->name)) : NULL;
}

/* A variable that holds nothing but OpenRouter keys (slot=openrouter). */
static int openrouter_slot(const ord_hit *h)
{
	const ord_varspec *s = spec_of(h);

	return h->role == ORD_ROLE_KEY && s && s->openrouter_only;
}

/* Could this value be meant as an OpenRouter key? */
static int meant_for_openrouter(const ord_hit *h)
{
	uint32_t l = h->key.lint;

	return openrouter_slot(h) ||
	       ord_value_looks_like_openrouter_key(h->key.norm, h->key.norm_len) ||
	       (l & (ORD_LINT_BIT(ORD_LINT_TRUNCATED) | ORD_LINT_BIT(ORD_LINT_PREFIX_TYPO)));
}

/* A key the user (or a template) wrote, as opposed to a base URL, a
 * $(command) or a template line whose value lives elsewhere. */
static int key_hit(const ord_hit *h)
{
	return h->role == ORD_ROLE_KEY && !(h->flags & (ORD_HIT_COMMAND | ORD_HIT_TEMPLATE));
}

static ord_reach reach_of(const rstate *r, long hit)
{
	return hit >= 0 ? r->reach[hit] : ORD_REACH_SENT;
}

ord_reach rule_row_reach(const rstate *r, long row)
{
	const ord_keyrow *k = &r->f->keys[row];
	ord_reach best = ORD_REACH_UNREAD;
	size_t j;

	for (j = 0; j < k->nhits; j++)
		if (r->reach[k->hits[j]] > best)
			best = r->reach[k->hits[j]];
	return best;
}

long rule_first_effective_hit(const ord_facts *f, const ord_keyrow *row)
{
	size_t j;

	for (j = 0; j < row->nhits; j++)
		if (rule_effective(&f->hits.v[row->hits[j]]))
			return (long)row->hits[j];
	return row->nhits ? (long)row->hits[0] : -1;
}

/* ---- credentials, empty values, shapes, names --------------------------- */

void rule_credentials(rstate *r)
{
	const ord_facts *f = r->f;
	size_t i;
	ord_claim *c;

	for (i = 0; i < f->nkeys; i++)
		if (rule_usable(&f->hits.v[f->keys[i].hits[0]]))
			return;
	/* a malformed, foreign, empty or placeholder value where a key goes
	 * is a more precise story, told by its own rule */
	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		if (key_hit(h) && (openrouter_slot(h) || meant_for_openrouter(h) ||
				   (h->flags & ORD_HIT_EMPTY_EXPANSION)))
			return;
	}
	for (i = 0; i < f->hits.n; i++)
		if (f->hits.v[i].role == ORD_ROLE_NEAR_MISS || f->hits.v[i].role == ORD_ROLE_STRAY)
			return; /* variable_names tells that story */
	/* OPENROUTER_API_KEY=$(pass show …): the key exists, as the output of
	 * a command ordoctor does not run; never "no key" */
	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		if (h->role == ORD_ROLE_KEY && (h->flags & ORD_HIT_COMMAND) &&
		    !(h->flags & ORD_HIT_SHADOWED_IN_FILE)) {
			ord_gap *g = ord_diag_gap(r->d, ORD_GAP_COMMAND, -1, -1);
			if (g)
				g->hit = (long)i;
			return;
		}
	}
	c = rule_claim(r, "key_missing_or_empty", ORD_STORY_NO_KEY, ORD_CERT_STATIC,
		       ORD_REACH_SENT);
	(void)c;
}

/* Another place sets the same variable to a usable key: an empty value
 * here matters only to loaders that let this place win, which the tool
 * rules judge one by one. */
static int name_has_key_elsewhere(const ord_facts *f, const ord_hit *h)
{
	size_t i;

	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *o = &f->hits.v[i];
		if (o != h && o->name && h->name && !strcmp(o->name, h->name) &&
		    key_hit(o) && rule_effective(o) && rule_usable(o))
			return 1;
	}
	return 0;
}

void rule_empty(rstate *r)
{
	const ord_facts *f = r->f;
	size_t i;

	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		int slot = openrouter_slot(h) || (h->name && !strcmp(h->name, "ANTHROPIC_AUTH_TOKEN"));
		int story;
		ord_cert cert = ORD_CERT_STATIC;
		ord_claim *c;

		if (h->role != ORD_ROLE_KEY || (h->flags & ORD_HIT_COMMAND))
			continue;
		/* an empty environment value that a startup line expanded
		 * empty: that line's own claim tells it, at the place to fix */
		if (h->kind == ORD_SRC_ENV && h->origin >= 0 &&
		    (f->hits.v[h->origin].flags & ORD_HIT_EMPTY_EXPANSION))
			continue;
		if (h->flags & ORD_HIT_EMPTY_EXPANSION)
			story = ORD_STORY_EMPTY_EXPANSION;
		else if (slot && h->key.shape == ORD_SHAPE_EMPTY)
			story = ORD_STORY_EMPTY;
		else if (slot && h->key.shape == ORD_SHAPE_PLACEHOLDER)
			story = ORD_STORY_PLACEHOLDER;
		else
			continue;
		if (h->kind != ORD_SRC_ENV && name_has_key_elsewhere(f, h))
			cert = ORD_CERT_NOTE;
		c = rule_claim(r, "key_missing_or_empty", story, cert, reach_of(r, (long)i));
		if (c)
			c->hit = (long)i;
	}
}

void rule_shape(rstate *r)
{
	const ord_facts *f = r->f;
	size_t i;

	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		ord_claim *c = NULL;

		if (!key_hit(h) || !meant_for_openrouter(h))
			continue;
		if (h->key.shape == ORD_SHAPE_MALFORMED) {
			r->check = "key_format";
			c = rule_claim(r, "key_malformed_or_truncated", ORD_STORY_MALFORMED,
				       ORD_CERT_STATIC, reach_of(r, (long)i));
		} else if (h->key.shape == ORD_SHAPE_FIXABLE) {
			r->check = "whitespace";
			c = rule_claim(r, "key_whitespace_or_quoting", ORD_STORY_FIXABLE,
				       ORD_CERT_STATIC, reach_of(r, (long)i));
		}
		if (c) {
			c->hit = (long)i;
			c->row = ord_facts_row_of_hit(f, (long)i);
		}
	}
}

/* Is some base-URL variable of this family pointed at OpenRouter? */
static int family_points_to_openrouter(const ord_facts *f, const char *prefix)
{
	size_t i;

	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		if (h->role == ORD_ROLE_BASE_URL && h->name &&
		    !strncmp(h->name, prefix, strlen(prefix)) &&
		    strstr(h->key.norm, "openrouter.ai"))
			return 1;
	}
	return 0;
}

/* Does a tool send this hit's key to OpenRouter, with a base URL it takes
 * from elsewhere than the variables (the project's code passing baseURL,
 * a config file)?  Then the variable is not "without a base URL". */
static int tool_sends_to_openrouter(const ord_facts *f, long hit)
{
	size_t i;

	for (i = 0; f->tools && i < f->tools->n; i++) {
		const ord_tool_res *t = &f->tools->v[i];
		if (t->win >= 0 && t->keys[t->win].hit == hit && t->base_url &&
		    strstr(t->base_url, "openrouter.ai"))
			return 1;
	}
	return 0;
}

void rule_foreign(rstate *r)
{
	const ord_facts *f = r->f;
	int openai_base = family_points_to_openrouter(f, "OPENAI_");
	int anthropic_base = family_points_to_openrouter(f, "ANTHROPIC_");
	size_t i;

	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		int openai = h->name && !strncmp(h->name, "OPENAI_API_KEY", 14);
		int anthropic = h->name && !strncmp(h->name, "ANTHROPIC_", 10);
		ord_claim *c = NULL;

		if (!key_hit(h))
			continue;
		if (h->key.shape == ORD_SHAPE_FOREIGN &&
		    (openrouter_slot(h) || (openai && openai_base) || (anthropic && anthropic_base)))
			c = rule_claim(r, "key_from_wrong_provider", ORD_STORY_FOREIGN,
				       ORD_CERT_STATIC, reach_of(r, (long)i));
		else if (ord_key_is_openrouter(&h->key) && rule_effective(h) &&
			 ((openai && !openai_base) || (anthropic && !anthropic_base)) &&
			 !tool_sends_to_openrouter(f, (long)i))
			c = rule_claim(r, "request_sent_to_wrong_endpoint", ORD_STORY_NO_BASE,
				       ORD_CERT_STATIC, reach_of(r, (long)i));
		if (c)
			c->hit = (long)i;
	}
}

void rule_names(rstate *r)
{
	const ord_facts *f = r->f;
	size_t i;
	int have_slot_key = 0;

	for (i = 0; i < f->hits.n; i++)
		if (openrouter_slot(&f->hits.v[i]) && rule_effective(&f->hits.v[i]) &&
		    rule_usable(&f->hits.v[i]))
			have_slot_key = 1;
	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		ord_claim *c;

		if (h->role != ORD_ROLE_NEAR_MISS || h->key.shape == ORD_SHAPE_EMPTY)
			continue;
		/* with a correctly named key next to it, a misspelt copy is a
		 * leftover, not the cause */
		c = rule_claim(r, "wrong_env_var_or_config_field", ORD_STORY_NEAR_MISS,
			       have_slot_key ? ORD_CERT_NOTE : ORD_CERT_STATIC, reach_of(r, (long)i));
		if (c)
			c->hit = (long)i;
	}
}

/* ---- shadowing between places ------------------------------------------ */

/* Two places give one variable different keys.  Which one is sent depends
 * on the program; whether it matters depends on which keys work:
 *   - the one that wins is dead and the other works: a decided problem
 *     (when the winner is known: the last line of one file);
 *   - liveness unknown: a likely cause, pending that fact;
 *   - both work, or the dead one is told by key_status: a note. */
static ord_cert pair_cert(const ord_facts *f, long winner, long loser, int winner_known)
{
	const ord_keyrow *w = rule_row(f, winner), *l = rule_row(f, loser);
	ord_live wl = w ? w->live : ORD_LIVE_NOT_CHECKED, ll = l ? l->live : ORD_LIVE_NOT_CHECKED;

	if (winner_known && wl == ORD_LIVE_INVALID && ll == ORD_LIVE_VALID)
		return ORD_CERT_OBSERVED;
	if (wl == ORD_LIVE_INVALID || ll == ORD_LIVE_INVALID || (wl == ORD_LIVE_VALID && ll == ORD_LIVE_VALID))
		return ORD_CERT_NOTE;
	/* the winner is no key at all (foreign, malformed, placeholder) and
	 * hides a real one: the bytes say so */
	if (w && !w->openrouter && l && l->openrouter)
		return ORD_CERT_STATIC;
	if ((w && !w->openrouter) || (l && !l->openrouter))
		return ORD_CERT_NOTE; /* the other rules tell what is wrong with it */
	return ORD_CERT_INFERRED;
}

static const ord_hit *shell_value(const ord_facts *f, const char *name, long *at)
{
	size_t i;
	const ord_hit *rc = NULL;

	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		if (strcmp(h->name ? h->name : "", name))
			continue;
		if (h->kind == ORD_SRC_ENV) {
			*at = (long)i;
			return h;
		}
		if (h->kind == ORD_SRC_RC && rule_effective(h) && (h->flags & ORD_HIT_EXPORTED)) {
			rc = h;
			*at = (long)i;
		}
	}
	return rc;
}

void rule_shadowing(rstate *r)
{
	const ord_facts *f = r->f;
	size_t i, j;

	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		const ord_hit *sh;
		long at = -1;
		ord_claim *c;

		if (!key_hit(h))
			continue;
		/* the same name twice in one file, different keys: the last
		 * line wins for every loader */
		if (h->kind != ORD_SRC_ENV && rule_effective(h)) {
			for (j = 0; j < i; j++) {
				const ord_hit *o = &f->hits.v[j];
				if (o->kind != h->kind || !o->path || !h->path || strcmp(o->path, h->path) ||
				    strcmp(o->name, h->name) || ord_key_equal(&o->key, &h->key))
					continue;
				c = rule_claim(r, "env_precedence_shadowing", ORD_STORY_DUP_IN_FILE,
					       pair_cert(f, (long)i, (long)j, 1), reach_of(r, (long)i));
				if (c) {
					c->hit = (long)i;
					c->other = (long)j;
				}
				break;
			}
		}
		/* the shell and a .env disagree */
		if (h->kind == ORD_SRC_DOTENV && rule_effective(h) &&
		    (sh = shell_value(f, h->name, &at)) && !ord_key_equal(&sh->key, &h->key)) {
			if (sh->key.shape == ORD_SHAPE_EMPTY)
				c = rule_claim(r, "env_precedence_shadowing", ORD_STORY_SHELL_EMPTY,
					       ORD_CERT_STATIC, reach_of(r, at));
			else
				c = rule_claim(r, "env_precedence_shadowing", ORD_STORY_SHELL_VS_DOTENV,
					       pair_cert(f, at, (long)i, 0), reach_of(r, at));
			if (c) {
				c->hit = at;
				c->other = (long)i;
			}
		}
		/* this shell's environment is older than the startup file */
		if (h->kind == ORD_SRC_ENV && h->origin < 0) {
			for (j = 0; j < f->hits.n; j++) {
				const ord_hit *o = &f->hits.v[j];
				if (o->kind != ORD_SRC_RC || !rule_effective(o) || !o->name ||
				    strcmp(o->name, h->name) || ord_key_equal(&o->key, &h->key))
					continue;
				c = rule_claim(r, "env_precedence_shadowing", ORD_STORY_STALE_SHELL,
					       pair_cert(f, (long)i, (long)j, 1), reach_of(r, (long)i));
				if (c) {
					c->hit = (long)i;
					c->other = (long)j;
				}
				break;
			}
		}
	}
}

void rule_netrc(rstate *r)
{
	const ord_facts *f = r->f;
	size_t i;

	for (i = 0; i < f->hits.n; i++) {
		ord_claim *c;

		if (f->hits.v[i].role != ORD_ROLE_NETRC)
			continue;
		c = rule_claim(r, "netrc_overrides_bearer", ORD_STORY_NETRC, ORD_CERT_STATIC,
			       ORD_REACH_READ);
		if (c)
			c->hit = (long)i;
	}
}

/* ---- base URLs ------------------------------------------------------------ */

static ord_url_form form_of(const ord_hit *h)
{
	return h->name && !strncmp(h->name, "ANTHROPIC_", 10) ? ORD_URL_ANTHROPIC :
								ORD_URL_OPENAI;
}

void rule_base_urls(rstate *r)
{
	const ord_facts *f = r->f;
	size_t i;

	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		ord_url_lint l;
		ord_claim *c;

		/* a tool's config field is linted with that tool's form by
		 * the tool rules; here only variables, whose name tells it */
		if (h->role != ORD_ROLE_BASE_URL || !rule_effective(h) || h->kind == ORD_SRC_CONFIG ||
		    (h->flags & ORD_HIT_COMMAND) || !h->key.norm_len)
			continue;
		if (ord_url_lint_check(h->key.norm, form_of(h), &l) || !l.cause || !l.severity)
			continue;
		c = rule_claim(r, l.cause, ORD_STORY_URL_LINT,
			       l.severity >= 2 ? ORD_CERT_STATIC : ORD_CERT_NOTE, reach_of(r, (long)i));
		if (c)
			c->hit = (long)i;
	}
	for (i = 0; i < f->nbases; i++) {
		const ord_base_probe *p = &f->bases[i].probe;
		ord_claim *c = NULL;

		if (p->result == ORD_PROBE_HTML)
			c = rule_claim(r, "wrong_base_url_path", ORD_STORY_URL_HTML,
				       ORD_CERT_OBSERVED, reach_of(r, f->bases[i].hit));
		else if (p->result == ORD_PROBE_REDIRECT)
			c = rule_claim(r, "http_redirect_drops_auth", ORD_STORY_URL_REDIRECT,
				       ORD_CERT_OBSERVED, reach_of(r, f->bases[i].hit));
		if (c) {
			c->hit = f->bases[i].hit;
			c->other = (long)i; /* the probe */
		}
	}
}

ord_reach ord_rules_hit_reach(const ord_diag *d, long hit)
{
	if (hit < 0 || (size_t)hit >= d->f.hits.n || !d->reach)
		return ORD_REACH_SENT;
	return d->reach[hit];
}

int ord_rules_tool_reads(const ord_facts *f, long t, long hit)
{
	const ord_tool_res *tr;
	size_t i;

	if (!f->tools || t < 0 || (size_t)t >= f->tools->n || hit < 0)
		return 0;
	tr = &f->tools->v[t];
	for (i = 0; i < tr->nkeys; i++)
		if (tr->keys[i].hit == hit || tr->keys[i].via == hit)
			return 1;
	for (i = 0; i < tr->nbases; i++)
		if (tr->bases[i].hit == hit)
			return 1;
	return 0;
}

int ord_rules_tool_depends(const ord_facts *f, long t, long hit, long row)
{
	const ord_tool_res *tr;
	long deps[6];
	size_t n = 0, i;

	if (!f->tools || t < 0 || (size_t)t >= f->tools->n)
		return 0;
	tr = &f->tools->v[t];
	if (tr->win >= 0) {
		const ord_cand *w = &tr->keys[tr->win];
		deps[n++] = w->hit;
		if (w->via >= 0)
			deps[n++] = w->via;
		if (f->hits.v[w->hit].origin >= 0)
			deps[n++] = f->hits.v[w->hit].origin;
		if (row >= 0 && row == ord_facts_row_of_hit(f, w->hit))
			return 1;
	}
	if (tr->bwin >= 0) {
		long b = tr->bases[tr->bwin].hit;
		deps[n++] = b;
		if (f->hits.v[b].origin >= 0)
			deps[n++] = f->hits.v[b].origin;
	}
	for (i = 0; hit >= 0 && i < n; i++)
		if (deps[i] == hit)
			return 1;
	return 0;
}

