/* rules_table: the table of rules, and the run that applies them in its
 * order (see rules.h).  The order is also the last tie-break between
 * equally sure claims (lib/verdict.c). */
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* ---- the table --------------------------------------------------------------- */

typedef struct rule {
	ord_rule_def def;
	void (*fn)(rstate *r);
} rule;

static const rule table[] = {
	{{"incident_and_keys", "key_status",
	  "openrouter_incident,key_revoked_expired_or_unknown,management_key_used_for_inference,per_key_credit_limit,rate_limited,insufficient_credits"},
	 rule_keys},
	{{"tools", "tools",
	  "tool_stale_stored_key,env_precedence_shadowing,wrong_env_var_or_config_field,key_missing_or_empty,key_from_wrong_provider,key_malformed_or_truncated,key_whitespace_or_quoting,key_revoked_expired_or_unknown,management_key_used_for_inference,per_key_credit_limit,request_sent_to_wrong_endpoint,wrong_base_url_path,wrong_auth_scheme_for_endpoint"},
	 rules_tools},
	{{"wire", "tools", "wrong_auth_scheme_for_endpoint,key_missing_or_empty,netrc_overrides_bearer,tool_credential_bug,tool_stale_stored_key,wrong_base_url_path,key_from_wrong_provider"},
	 rule_wire},
	{{"chat", "chat", "byok_provider_key_invalid,insufficient_credits,free_model_rate_limit,rate_limited,data_policy_or_tos_block,byok_required_for_model,model_not_found,provider_unavailable"},
	 rule_chat},
	{{"credentials", "credentials", "key_missing_or_empty"}, rule_credentials},
	{{"empty_values", "empty_values", "key_missing_or_empty"}, rule_empty},
	{{"shape", "key_format", "key_malformed_or_truncated,key_whitespace_or_quoting"}, rule_shape},
	{{"foreign_keys", "foreign_keys", "key_from_wrong_provider,request_sent_to_wrong_endpoint"},
	 rule_foreign},
	{{"variable_names", "variable_names", "wrong_env_var_or_config_field"}, rule_names},
	{{"shadowing", "shadowing", "env_precedence_shadowing"}, rule_shadowing},
	{{"netrc", "netrc", "netrc_overrides_bearer"}, rule_netrc},
	{{"base_urls", "base_urls",
	  "wrong_base_url_path,http_redirect_drops_auth,request_sent_to_wrong_endpoint,proxy_not_forwarding_auth"},
	 rule_base_urls},
	{{"gaps", "key_status", ""}, gaps_keys},
};

const ord_rule_def *ord_rule_defs(size_t *n)
{
	static ord_rule_def defs[sizeof(table) / sizeof(*table)];
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(*table); i++)
		defs[i] = table[i].def;
	*n = i;
	return defs;
}

/* ---- reach ------------------------------------------------------------------- */

/* What a request carries: the environment (a tool started from this shell
 * inherits it) and the place each present tool takes its key and base URL
 * from.  A line a later line of the same file overrides is read by nobody. */
static void compute_reach(const ord_facts *f, ord_reach *reach, long focus)
{
	size_t i, j;

	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		reach[i] = !rule_effective(h) ? ORD_REACH_UNREAD :
			   h->kind == ORD_SRC_ENV ? ORD_REACH_SENT : ORD_REACH_READ;
	}
	for (i = 0; f->tools && i < f->tools->n; i++) {
		const ord_tool_res *t = &f->tools->v[i];
		if (!t->present && (long)i != focus)
			continue;
		if (t->win >= 0) {
			const ord_cand *w = &t->keys[t->win];
			reach[w->hit] = ORD_REACH_SENT;
			if (w->via >= 0)
				reach[w->via] = ORD_REACH_SENT;
		}
		if (t->bwin >= 0)
			reach[t->bases[t->bwin].hit] = ORD_REACH_SENT;
		for (j = 0; j < t->nkeys; j++)
			if (reach[t->keys[j].hit] == ORD_REACH_UNREAD)
				reach[t->keys[j].hit] = ORD_REACH_READ;
	}
}

void ord_rules_run(ord_diag *d, long focus)
{
	rstate r;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.d = d;
	r.f = &d->f;
	r.focus = focus;
	r.reach = calloc(d->f.hits.n + 1, sizeof(*r.reach));
	if (!r.reach)
		return;
	compute_reach(&d->f, r.reach, focus);
	for (i = 0; i < sizeof(table) / sizeof(*table); i++) {
		r.order = (long)i;
		r.rule = table[i].def.id;
		r.check = table[i].def.check;
		table[i].fn(&r);
	}
	free(d->reach);
	d->reach = r.reach;
}
