/* report: a diagnosis as a JSON document (the contract of design.md).
 * Text rendering belongs to the CLI; JSON lives here so that every
 * command and the tests share one schema. */
#include <json-c/json.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "laststate.h"
#include "rules.h"
#include "words.h"

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *lint_array(uint32_t lint)
{
	json_object *a = json_object_new_array();
	int l;

	for (l = 0; l < ORD_LINT_COUNT; l++)
		if (lint & ORD_LINT_BIT(l))
			json_object_array_add(a, json_object_new_string(ord_lint_id(l)));
	return a;
}

json_object *ord_report_source(const ord_hit *h)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "kind", json_object_new_string(ord_source_kind_id(h->kind)));
	json_object_object_add(o, "path", str_or_null(h->path));
	json_object_object_add(o, "line", h->line ? json_object_new_int((int)h->line) : NULL);
	json_object_object_add(o, "name", str_or_null(h->name));
	return o;
}

static json_object *source_detail(const ord_hit *h)
{
	json_object *o = ord_report_source(h);

	if (h->field)
		json_object_object_add(o, "field", json_object_new_string(h->field));
	json_object_object_add(o, "role", json_object_new_string(ord_role_id(h->role)));
	json_object_object_add(o, "lint", lint_array(h->key.lint));
	json_object_object_add(o, "shadowed",
			       json_object_new_boolean(!!(h->flags & ORD_HIT_SHADOWED_IN_FILE)));
	if (h->flags & ORD_HIT_EMPTY_EXPANSION)
		json_object_object_add(o, "empty_expansion", json_object_new_boolean(1));
	if (h->flags & ORD_HIT_CONDITIONAL)
		json_object_object_add(o, "conditional", json_object_new_boolean(1));
	if (h->note)
		json_object_object_add(o, "note", json_object_new_string(h->note));
	return o;
}

static json_object *csv_array(const char *csv)
{
	json_object *a = json_object_new_array();
	const char *p = csv;

	while (p && *p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		json_object_array_add(a, json_object_new_string_len(p, (int)n));
		p = c ? c + 1 : NULL;
	}
	return a;
}

/* "label x, limit $10.00 (8.00 left)": what /key said, for people. */
static char *live_detail(const ord_keyrow *k, time_t now)
{
	ord_buf b = ORD_BUF_INIT(1024);

	if (k->live == ORD_LIVE_VALID && k->has_info)
		ord_words_key_detail(k, now, &b);
	else if (k->message[0])
		ord_buf_adds(&b, k->message);
	else if (k->why == ORD_WHY_OFFLINE)
		ord_buf_adds(&b, "not asked (--offline)");
	return b.len ? ord_buf_detach(&b, NULL) : (ord_buf_release(&b), NULL);
}

json_object *ord_report_keys(const ord_facts *f)
{
	json_object *a = json_object_new_array();
	size_t i, j;

	for (i = 0; i < f->nkeys; i++) {
		const ord_keyrow *k = &f->keys[i];
		const ord_hit *first = &f->hits.v[k->hits[0]];
		json_object *o = json_object_new_object(), *src = json_object_new_array();
		char *detail = live_detail(k, f->now);

		json_object_object_add(o, "redacted", json_object_new_string(k->redacted));
		json_object_object_add(o, "fingerprint", json_object_new_string(k->fingerprint));
		json_object_object_add(o, "status", json_object_new_string(ord_live_id(k->live)));
		if (k->why != ORD_WHY_NONE && k->live != ORD_LIVE_VALID && k->live != ORD_LIVE_INVALID)
			json_object_object_add(o, "unknown_why", json_object_new_string(ord_unknown_why_id(k->why)));
		json_object_object_add(o, "shape", json_object_new_string(ord_key_shape_id(first->key.shape)));
		if (first->key.provider)
			json_object_object_add(o, "provider", json_object_new_string(first->key.provider));
		json_object_object_add(o, "lint", lint_array(k->lint));
		for (j = 0; j < k->nhits; j++)
			json_object_array_add(src, source_detail(&f->hits.v[k->hits[j]]));
		json_object_object_add(o, "sources", src);
		json_object_object_add(o, "used_by", csv_array(k->used_by));
		if (detail)
			json_object_object_add(o, "live", json_object_new_string(detail));
		free(detail);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *cand_json(const ord_facts *f, const ord_cand *c)
{
	const ord_hit *h = &f->hits.v[c->hit];
	long row = ord_facts_row_of_hit(f, c->hit);
	json_object *o = json_object_new_object();
	char red[ORD_REDACT_MAX], fp[ORD_FP_LEN + 1];

	ord_key_redact(&h->key, red);
	ord_key_fingerprint(&h->key, fp);
	json_object_object_add(o, "redacted", json_object_new_string(red));
	json_object_object_add(o, "fingerprint", json_object_new_string(fp));
	json_object_object_add(o, "status",
			       json_object_new_string(ord_live_id(row >= 0 ? f->keys[row].live : ORD_LIVE_NOT_CHECKED)));
	json_object_object_add(o, "source", ord_report_source(h));
	if (c->via >= 0)
		json_object_object_add(o, "via", ord_report_source(&f->hits.v[c->via]));
	json_object_object_add(o, "own_store", json_object_new_boolean(c->own));
	/* what the tool does with "": sends it, stops, or sends no header */
	if (h->key.raw_len == 0)
		json_object_object_add(o, "empty_rule", json_object_new_string(ord_empty_rule_id(c->empty_rule)));
	if (c->why)
		json_object_object_add(o, "reason", json_object_new_string(c->why));
	return o;
}

static json_object *claim_json(const ord_diag *d, const ord_claim *c)
{
	json_object *o = json_object_new_object();
	static const char *const certs[] = {"note", "inferred", "static", "observed"};

	json_object_object_add(o, "cause", json_object_new_string(c->cause));
	json_object_object_add(o, "category", str_or_null(ord_cause_category(c->cause)));
	json_object_object_add(o, "summary", json_object_new_string(c->summary ? c->summary : ""));
	json_object_object_add(o, "fix", str_or_null(c->fix ? c->fix : ord_cause_fix(c->cause)));
	json_object_object_add(o, "evidence", json_object_new_string(certs[c->cert]));
	json_object_object_add(o, "rule", json_object_new_string(c->rule));
	json_object_object_add(o, "tool", c->tool >= 0 ? json_object_new_string(d->f.tools->v[c->tool].p->id) : NULL);
	if (c->hit >= 0)
		json_object_object_add(o, "source", ord_report_source(&d->f.hits.v[c->hit]));
	return o;
}

static json_object *gaps_json(const ord_diag *d, const ord_judgment *j)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < j->ngaps; i++) {
		const ord_gap *g = &d->gaps[j->gaps[i]];
		json_object *o = json_object_new_object();
		static const char *const kinds[] = {"offline", "no_answer", "unreadable_store", "command"};

		json_object_object_add(o, "kind", json_object_new_string(kinds[g->kind]));
		json_object_object_add(o, "what", json_object_new_string(g->what ? g->what : ""));
		json_object_object_add(o, "how", json_object_new_string(g->how ? g->how : ""));
		json_object_array_add(a, o);
	}
	return a;
}

static const char *outcome_id(ord_outcome o)
{
	return o == ORD_OUTCOME_PROBLEM ? "problem" : o == ORD_OUTCOME_UNDECIDED ? "undecided" : "ok";
}

json_object *ord_report_tools(const ord_diag *d)
{
	json_object *a = json_object_new_array();
	const ord_facts *f = &d->f;
	const ord_tools *t = f->tools;
	size_t i, j;

	for (i = 0; t && i < t->n; i++) {
		const ord_tool_res *tr = &t->v[i];
		const ord_judgment *jd = d->tools ? &d->tools[i] : NULL;
		json_object *o = json_object_new_object(), *sh = json_object_new_array(),
			    *st = json_object_new_array();
		int judged = (tr->present || (jd && jd->tool == d->main.tool && d->main.tool == (long)i)) &&
			     jd && !ord_rules_not_for_openrouter(f, (long)i);

		json_object_object_add(o, "id", json_object_new_string(tr->p->id));
		json_object_object_add(o, "name", json_object_new_string(tr->p->name));
		json_object_object_add(o, "present", json_object_new_boolean(tr->present));
		if (tr->present_why)
			json_object_object_add(o, "present_because", json_object_new_string(tr->present_why));
		json_object_object_add(o, "key", tr->win >= 0 ? cand_json(f, &tr->keys[tr->win]) : NULL);
		if (tr->also >= 0) {
			json_object *al = cand_json(f, &tr->keys[tr->also]);
			json_object_object_add(al, "header", json_object_new_string(tr->keys[tr->also].src->header));
			json_object_object_add(o, "also_sent", al);
		} else
			json_object_object_add(o, "also_sent", NULL);
		for (j = 0; j < tr->nkeys; j++)
			if ((long)j != tr->win && (long)j != tr->also)
				json_object_array_add(sh, cand_json(f, &tr->keys[j]));
		json_object_object_add(o, "shadowed", sh);
		json_object_object_add(o, "base_url", str_or_null(tr->base_url));
		json_object_object_add(o, "base_url_default", json_object_new_boolean(tr->base_default));
		json_object_object_add(o, "base_url_source",
				       tr->bwin >= 0 ? ord_report_source(&f->hits.v[tr->bases[tr->bwin].hit]) : NULL);
		json_object_object_add(o, "base_form", json_object_new_string(ord_base_form_id(tr->p->base_form)));
		for (j = 0; j < tr->p->nstores; j++)
			json_object_array_add(st, json_object_new_string(tr->p->stores[j]));
		for (j = 0; j < tr->p->nkeys; j++)
			if (tr->p->keys[j].kind == ORD_PSRC_STORE)
				json_object_array_add(st, json_object_new_string(tr->p->keys[j].field));
		json_object_object_add(o, "unreadable_stores", st);
		json_object_object_add(o, "status", json_object_new_string(
			!judged ? (tr->present ? "not_for_openrouter" : "absent") : outcome_id(jd->outcome)));
		json_object_object_add(o, "verdict", judged && jd->verdict >= 0 ?
				       claim_json(d, &d->claims[jd->verdict]) : NULL);
		json_object_object_add(o, "missing", judged ? gaps_json(d, jd) : json_object_new_array());
		json_object_array_add(a, o);
	}
	return a;
}

json_object *ord_report_since(const ord_since *s)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	char date[11];
	size_t i;

	ord_words_since_date(s, date);
	json_object_object_add(o, "date", json_object_new_string(date));
	json_object_object_add(o, "recorded_at", json_object_new_string(s->old.date));
	for (i = 0; i < s->n; i++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "kind", json_object_new_string(ord_change_kind_id(s->v[i].kind)));
		json_object_object_add(c, "text", json_object_new_string(s->v[i].text ? s->v[i].text : ""));
		json_object_array_add(a, c);
	}
	json_object_object_add(o, "changes", a);
	return o;
}

static json_object *warnings_json(const ord_ctx *ctx)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < ctx->nwarnings; i++)
		json_object_array_add(a, json_object_new_string(ctx->warnings[i].text));
	return a;
}

static json_object *verdict_json(const ord_diag *d)
{
	const ord_judgment *j = &d->main;
	json_object *v;

	if (j->verdict >= 0)
		return claim_json(d, &d->claims[j->verdict]);
	v = json_object_new_object();
	json_object_object_add(v, "cause", NULL);
	json_object_object_add(v, "category", NULL);
	json_object_object_add(v, "summary", json_object_new_string(
		j->outcome == ORD_OUTCOME_UNDECIDED && d->f.offline ?
		"No problem found offline; whether OpenRouter accepts the keys was not checked: see missing." :
		j->outcome == ORD_OUTCOME_UNDECIDED ?
		"No problem seen, but not every fact could be observed: see missing." :
		"No problem found."));
	json_object_object_add(v, "fix", NULL);
	json_object_object_add(v, "tool", j->tool >= 0 ?
			       json_object_new_string(d->f.tools->v[j->tool].p->id) : NULL);
	return v;
}

char *ord_report_json(const ord_ctx *ctx, const ord_diag *d, const char *command)
{
	json_object *root = json_object_new_object();
	char schema[64];
	size_t i, k;
	char *out;

	snprintf(schema, sizeof(schema), "ordoctor.%s/1", command);
	json_object_object_add(root, "schema", json_object_new_string(schema));
	if (!strcmp(command, "check")) {
		json_object *cands = json_object_new_array(), *checks = json_object_new_array();

		json_object_object_add(root, "verdict", verdict_json(d));
		json_object_object_add(root, "outcome", json_object_new_string(outcome_id(d->main.outcome)));
		for (i = 0; i < d->main.ncandidates; i++)
			json_object_array_add(cands, claim_json(d, &d->claims[d->main.candidates[i]]));
		json_object_object_add(root, "candidates", cands);
		json_object_object_add(root, "missing", gaps_json(d, &d->main));
		for (i = 0; i < d->nchecks; i++) {
			json_object *c = json_object_new_object(), *ev = json_object_new_array();
			json_object_object_add(c, "id", json_object_new_string(d->checks[i].id));
			json_object_object_add(c, "title", json_object_new_string(d->checks[i].title));
			json_object_object_add(c, "status", json_object_new_string(ord_status_id(d->checks[i].status)));
			json_object_object_add(c, "message", str_or_null(d->checks[i].message));
			for (k = 0; k < d->checks[i].nevidence; k++)
				json_object_array_add(ev, json_object_new_string(d->checks[i].evidence[k]));
			json_object_object_add(c, "evidence", ev);
			json_object_array_add(checks, c);
		}
		json_object_object_add(root, "checks", checks);
		json_object_object_add(root, "offline", json_object_new_boolean(d->f.offline));
		if (d->since)
			json_object_object_add(root, "changed_since", ord_report_since(d->since));
		json_object_object_add(root, "scope_note", str_or_null(d->scope_note));
		if (d->chat_hint)
			json_object_object_add(root, "hint", json_object_new_string(
				"GET /key cannot show the account balance: `ordoctor check --chat` tests credits, quota and models with a one-token completion."));
	}
	if (!strcmp(command, "check") || !strcmp(command, "tools"))
		json_object_object_add(root, "context", str_or_null(d->context));
	if (strcmp(command, "tools"))
		json_object_object_add(root, "keys", ord_report_keys(&d->f));
	if (!strcmp(command, "check") || !strcmp(command, "tools"))
		json_object_object_add(root, "tools", ord_report_tools(d));
	json_object_object_add(root, "warnings", warnings_json(ctx));
	out = strdup(json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}
