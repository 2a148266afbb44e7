/* checks: one line per named check, derived (see checks.h).  The line's
 * status comes from the claims of that check in the judged scope; its
 * evidence from the claims and from the facts the check looked at. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "rules.h"
#include "verdict.h"
#include "words.h"

static const ord_check_def defs[] = {
	{"credentials", "OpenRouter keys found", "key_missing_or_empty", 0},
	{"empty_values", "No empty, placeholder or unexpanded values", "key_missing_or_empty", 0},
	{"key_format", "Keys are sk-or-v1- plus 64 hex digits", "key_malformed_or_truncated", 0},
	{"whitespace", "No quotes, whitespace or invisible characters in keys",
	 "key_whitespace_or_quoting", 0},
	{"foreign_keys", "No other vendor's key where an OpenRouter key belongs",
	 "key_from_wrong_provider,request_sent_to_wrong_endpoint", 0},
	{"variable_names", "Keys sit in variables that tools read", "wrong_env_var_or_config_field", 0},
	{"shadowing", "Every variable holds one key wherever it is set", "env_precedence_shadowing", 0},
	{"netrc", "No ~/.netrc entry replaces the Bearer key", "netrc_overrides_bearer", 0},
	{"env_origin", "Where the environment's keys come from", "", 0},
	{"base_urls", "Base URLs point at OpenRouter's API",
	 "wrong_base_url_path,http_redirect_drops_auth,request_sent_to_wrong_endpoint,proxy_not_forwarding_auth", 0},
	{"network", "The API host can be reached (DNS, TCP, TLS, HTTP; proxy named)", "", 1},
	{"key_status", "Keys accepted by OpenRouter",
	 "key_revoked_expired_or_unknown,management_key_used_for_inference,per_key_credit_limit,openrouter_incident,rate_limited", 1},
	{"chat", "A one-token completion succeeds (--chat)",
	 "byok_provider_key_invalid,insufficient_credits,free_model_rate_limit,rate_limited,data_policy_or_tos_block,byok_required_for_model,model_not_found,provider_unavailable", 1},
	{"tools", "Each tool sends a working key to OpenRouter",
	 "tool_stale_stored_key,env_precedence_shadowing,wrong_env_var_or_config_field,key_missing_or_empty,request_sent_to_wrong_endpoint,wrong_base_url_path,wrong_auth_scheme_for_endpoint,management_key_used_for_inference", 0},
};

const ord_check_def *ord_check_defs(size_t *n)
{
	*n = sizeof(defs) / sizeof(*defs);
	return defs;
}

typedef struct cctx {
	const ord_ctx *ctx;
	ord_diag *d;
	const ord_facts *f;
} cctx;

static char *where(const cctx *c, long hit)
{
	return ord_hit_where_str(c->ctx, &c->f->hits.v[hit]);
}

/* The claims of check `id`: evidence lines and the status they give. */
static void from_claims(const cctx *x, ord_check *c)
{
	size_t i;

	for (i = 0; i < x->d->nclaims; i++) {
		const ord_claim *cl = &x->d->claims[i];
		int in = ord_verdict_in_scope(x->d, cl, x->d->main.tool);
		ord_status st;

		if (strcmp(cl->check, c->id))
			continue;
		if (cl->evidence)
			ord_check_evidence(c, "%s", cl->evidence);
		if (in && ord_verdict_decides(cl))
			st = ORD_ST_FAIL;
		else if (in && cl->cert == ORD_CERT_INFERRED)
			st = ORD_ST_UNKNOWN;
		else
			st = ORD_ST_WARN;
		ord_check_set(c, st, "%s", cl->headline);
	}
}

/* Key places whose value is a command's output that was not read: a
 * `$(…)` line, or a tool's apiKeyHelper-like store command. */
static size_t keys_from_commands(const ord_facts *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		if (h->role == ORD_ROLE_KEY && (h->flags & ORD_HIT_COMMAND) &&
		    !(h->flags & ORD_HIT_SHADOWED_IN_FILE))
			n++;
	}
	for (i = 0; f->tools && i < f->tools->n; i++)
		if (f->tools->v[i].present && f->tools->v[i].win < 0 && f->tools->v[i].store_cmd)
			n++;
	return n;
}

static void facts_credentials(const cctx *x, ord_check *c)
{
	size_t i, good = 0, places = 0, commands;

	for (i = 0; i < x->f->nkeys; i++) {
		const ord_hit *h = &x->f->hits.v[x->f->keys[i].hits[0]];
		if (h->key.shape == ORD_SHAPE_VALID || h->key.shape == ORD_SHAPE_FIXABLE) {
			good++;
			places += x->f->keys[i].nhits;
		}
	}
	if (good)
		ord_check_set(c, ORD_ST_OK, "%zu distinct OpenRouter key%s in %zu place%s", good,
			      good == 1 ? "" : "s", places, places == 1 ? "" : "s");
	else if ((commands = keys_from_commands(x->f)))
		/* the key exists, as a command's output: never "no key" */
		ord_check_set(c, ORD_ST_UNKNOWN, "no key written in a file; %zu come%s from a command ordoctor did not run (--run-helpers runs it)",
			      commands, commands == 1 ? "s" : "");
	else
		ord_check_set(c, ORD_ST_WARN, "no usable OpenRouter key in any variable or file a tool reads");
}

static void facts_names(const cctx *x, ord_check *c)
{
	size_t i;
	int stray = 0;

	for (i = 0; i < x->f->hits.n; i++) {
		const ord_hit *h = &x->f->hits.v[i];
		char red[ORD_REDACT_MAX], *w;

		if (h->role != ORD_ROLE_STRAY || h->key.shape == ORD_SHAPE_EMPTY)
			continue;
		ord_key_redact(&h->key, red);
		w = where(x, (long)i);
		ord_check_evidence(c, "%s %s in %s: no known tool reads this name", h->name, red, w);
		free(w);
		stray = 1;
	}
	ord_check_set(c, ORD_ST_OK, stray ? "a key also sits in other variables (listed below)" :
					    "no key in a misspelt variable");
}

static void facts_env_origin(const cctx *x, ord_check *c)
{
	size_t i, n = 0;

	for (i = 0; i < x->f->hits.n; i++) {
		const ord_hit *h = &x->f->hits.v[i];
		char red[ORD_REDACT_MAX], *w;

		if (h->kind != ORD_SRC_ENV || h->role != ORD_ROLE_KEY)
			continue;
		n++;
		ord_key_redact(&h->key, red);
		if (h->origin >= 0) {
			w = where(x, h->origin);
			ord_check_evidence(c, "%s %s: set by %s", h->name, red, w);
			free(w);
		} else
			ord_check_evidence(c, "%s %s: %s", h->name, red, h->note ? h->note : "origin unknown");
	}
	ord_check_set(c, ORD_ST_OK, n ? "%zu key variable%s in the environment" :
				      "no key variable in the environment", n, n == 1 ? "" : "s");
}

static void facts_base_urls(const cctx *x, ord_check *c)
{
	size_t i, n = 0;

	for (i = 0; i < x->f->hits.n; i++) {
		const ord_hit *h = &x->f->hits.v[i];
		if (h->role == ORD_ROLE_BASE_URL && !(h->flags & ORD_HIT_SHADOWED_IN_FILE) &&
		    !(h->flags & ORD_HIT_COMMAND) && h->key.norm_len)
			n++;
	}
	for (i = 0; i < x->f->nbases; i++) {
		const ord_base_probe *p = &x->f->bases[i].probe;
		if (p->result == ORD_PROBE_JSON)
			ord_check_evidence(c, "GET %s: %ld JSON (an API answers)", p->url, p->status);
		else if (p->result == ORD_PROBE_SKIPPED && p->reason[0])
			ord_check_evidence(c, "%s: %s", x->f->hits.v[x->f->bases[i].hit].key.norm, p->reason);
		else if (p->result == ORD_PROBE_OTHER || p->result == ORD_PROBE_NETWORK)
			ord_check_evidence(c, "GET %s: %s", p->url, p->reason);
	}
	ord_check_set(c, ORD_ST_OK, n ? "every base URL found has the right form" :
				      "no base URL variable set (tools use their defaults)");
}

static void facts_network(const cctx *x, ord_check *c)
{
	const ord_net_fact *n = &x->f->net;

	if (!n->ok)
		ord_check_set(c, ORD_ST_UNKNOWN, "%s failed at %s: %s", n->host, n->step, n->error);
	else
		ord_check_set(c, ORD_ST_OK, "%s answers (%ld)", n->host, n->status);
	ord_check_evidence(c, "%s", n->proxy[0] ? "through the proxy" : "direct (no proxy variable set)");
	if (n->proxy[0])
		ord_check_evidence(c, "proxy %s (from HTTPS_PROXY/HTTP_PROXY/ALL_PROXY; NO_PROXY honoured)",
				   n->proxy);
}

static void facts_key_status(const cctx *x, ord_check *c)
{
	const ord_facts *f = x->f;
	size_t i, n = 0, nvalid = 0, nunknown = 0;
	const char *reason = NULL;

	for (i = 0; i < f->nkeys; i++) {
		const ord_keyrow *k = &f->keys[i];
		ord_buf pl = ORD_BUF_INIT(8192), b = ORD_BUF_INIT(2048);
		size_t j;

		if (!k->openrouter)
			continue;
		n++;
		for (j = 0; j < k->nhits; j++) {
			if (j)
				ord_buf_adds(&pl, ", ");
			ord_hit_where(x->ctx, &f->hits.v[k->hits[j]], &pl);
		}
		if (k->live == ORD_LIVE_VALID) {
			nvalid++;
			ord_words_key_detail(k, f->now, &b);
			ord_check_evidence(c, "%s (%s): valid: %s", k->redacted, ord_buf_str(&pl), ord_buf_str(&b));
			if (isnan(k->info.limit) && !k->info.is_management_key)
				ord_check_evidence(c, "%s has no spend limit: a leaked copy can spend the whole balance",
						   k->redacted);
		} else if (k->live == ORD_LIVE_UNKNOWN) {
			nunknown++;
			if (!reason)
				reason = k->message;
			if (!k->http_status)
				ord_check_evidence(c, "%s: could not tell: %s", k->redacted, k->message);
		}
		ord_buf_release(&pl);
		ord_buf_release(&b);
	}
	if (!n) {
		ord_check_set(c, ORD_ST_SKIP, "no well-formed OpenRouter key to check");
		return;
	}
	if (f->offline) {
		ord_check_set(c, ORD_ST_SKIP, "not checked (--offline): whether OpenRouter accepts the keys is not known");
		return;
	}
	if (nunknown)
		ord_check_set(c, ORD_ST_UNKNOWN, "%zu key%s could not be checked: %s", nunknown,
			      nunknown == 1 ? "" : "s", reason ? reason : "no answer");
	ord_check_set(c, ORD_ST_OK, "%zu key%s valid", nvalid, nvalid == 1 ? "" : "s");
}

static void facts_chat(const cctx *x, ord_check *c)
{
	const ord_chat_fact *ch = &x->f->chat;
	const ord_chat_probe *p = &ch->p;

	if (x->f->offline) {
		ord_check_set(c, ORD_ST_SKIP, "not tried (--offline)");
		return;
	}
	if (ch->row < 0) {
		ord_check_set(c, ORD_ST_SKIP, "no valid key to try a completion with");
		return;
	}
	if (p->ok) {
		ord_check_set(c, ORD_ST_OK, "%s answered with %s via %s", p->model,
			      *p->answered_model ? p->answered_model : "?", *p->provider ? p->provider : "?");
		return;
	}
	if (!p->http_status) {
		ord_check_set(c, ORD_ST_UNKNOWN, "no answer: %s", p->reason);
		return;
	}
	if (p->error.user_id_present)
		ord_check_evidence(c, "the answer names your account (user_id): the OpenRouter key itself was accepted");
	ord_check_set(c, ORD_ST_WARN, "%s with %s: %ld %s", p->model, x->f->keys[ch->row].redacted,
		      p->http_status, *p->error.message ? p->error.message : p->reason);
}

static void facts_tools(const cctx *x, ord_check *c)
{
	const ord_facts *f = x->f;
	const ord_diag *d = x->d;
	size_t i, judged = 0, bad = 0, unknown = 0;

	for (i = 0; f->tools && i < f->tools->n; i++) {
		const ord_tool_res *tr = &f->tools->v[i];
		const ord_judgment *j = &d->tools[i];
		ord_buf b = ORD_BUF_INIT(4096);
		int mine = d->main.tool < 0 || d->main.tool == (long)i;

		if (!tr->present && d->main.tool != (long)i)
			continue;
		ord_buf_addf(&b, "%s: ", tr->p->id);
		if (tr->win >= 0) {
			const ord_hit *h = &f->hits.v[tr->keys[tr->win].hit];
			long row = ord_facts_row_of_hit(f, tr->keys[tr->win].hit);
			char red[ORD_REDACT_MAX];

			ord_key_redact(&h->key, red);
			ord_buf_addf(&b, "%s %s from ", red,
				     row >= 0 ? ord_live_id(f->keys[row].live) : "not_checked");
			ord_hit_where(x->ctx, h, &b);
		} else if (tr->store_cmd)
			ord_buf_addf(&b, "the output of `%s` (not run)", tr->store_cmd);
		else
			ord_buf_adds(&b, "no key");
		if (tr->base_url)
			ord_buf_addf(&b, " -> %s", tr->base_url);
		if (tr->nkeys > 1)
			ord_buf_addf(&b, " (%zu other candidate%s)", tr->nkeys - 1, tr->nkeys == 2 ? "" : "s");
		if (ord_rules_not_for_openrouter(f, (long)i))
			ord_buf_adds(&b, ": set up for its own vendor, not for OpenRouter");
		else if (j->verdict >= 0)
			ord_buf_addf(&b, ": %s", d->claims[j->verdict].cause);
		else if (j->outcome == ORD_OUTCOME_UNDECIDED)
			ord_buf_adds(&b, ": not verified");
		if (!mine)
			ord_buf_adds(&b, " (another tool: not judged here)");
		ord_check_evidence(c, "%s", ord_buf_str(&b));
		ord_buf_release(&b);
		if (!mine || ord_rules_not_for_openrouter(f, (long)i))
			continue;
		judged++;
		if (j->outcome == ORD_OUTCOME_PROBLEM)
			bad++;
		else if (j->outcome == ORD_OUTCOME_UNDECIDED)
			unknown++;
	}
	if (!judged && !c->nevidence)
		ord_check_set(c, ORD_ST_SKIP, "no known tool found (ordoctor tools lists them)");
	else if (bad)
		ord_check_set(c, ORD_ST_FAIL, "%zu of %zu tool%s would fail", bad, judged,
			      judged == 1 ? "" : "s");
	else if (unknown)
		ord_check_set(c, ORD_ST_UNKNOWN, "%zu tool%s found; for %zu, whether the key works is not known",
			      judged, judged == 1 ? "" : "s", unknown);
	else if (judged)
		ord_check_set(c, ORD_ST_OK, "%zu tool%s found, each with a working key", judged,
			      judged == 1 ? "" : "s");
	else
		ord_check_set(c, ORD_ST_SKIP, "no tool set up for OpenRouter here");
}

void ord_checks_derive(const ord_ctx *ctx, ord_diag *d)
{
	cctx x = {ctx, d, &d->f};
	size_t i;

	for (i = 0; i < sizeof(defs) / sizeof(*defs); i++) {
		const ord_check_def *def = &defs[i];
		ord_check *c;

		if (!strcmp(def->id, "network") && !d->f.net.checked)
			continue;
		if (!strcmp(def->id, "chat") && !d->f.chat.asked)
			continue;
		c = ord_diag_check(d, def->id, def->title);
		if (!c)
			return;
		/* the tools line is about judgments, not single claims */
		if (strcmp(def->id, "tools"))
			from_claims(&x, c);
		if (!strcmp(def->id, "key_format"))
			; /* claims only */
		else if (!strcmp(def->id, "credentials"))
			facts_credentials(&x, c);
		else if (!strcmp(def->id, "variable_names"))
			facts_names(&x, c);
		else if (!strcmp(def->id, "env_origin"))
			facts_env_origin(&x, c);
		else if (!strcmp(def->id, "base_urls"))
			facts_base_urls(&x, c);
		else if (!strcmp(def->id, "network"))
			facts_network(&x, c);
		else if (!strcmp(def->id, "key_status"))
			facts_key_status(&x, c);
		else if (!strcmp(def->id, "chat"))
			facts_chat(&x, c);
		else if (!strcmp(def->id, "tools"))
			facts_tools(&x, c);
		if (!c->message)
			ord_check_set(c, ORD_ST_OK, "%s",
				      !strcmp(def->id, "empty_values") ? "no empty or placeholder values" :
				      !strcmp(def->id, "key_format") ? "every key is well-formed" :
				      !strcmp(def->id, "whitespace") ? "no key carries quotes, whitespace or invisible characters" :
				      !strcmp(def->id, "foreign_keys") ? "no other vendor's key in an OpenRouter slot" :
				      !strcmp(def->id, "shadowing") ? "no variable holds different keys in different places" :
				      !strcmp(def->id, "netrc") ? "no ~/.netrc entry for openrouter.ai or default" :
				      "nothing to report");
	}
}
