/* report: a diagnosis as a JSON document (the contract of design.md).
 * Text rendering belongs to the CLI; JSON lives here so that every
 * command and the tests share one schema. */
#include <json-c/json.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "report.h"
#include "resolve.h"

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

json_object *ord_report_keys(const ord_diag *d)
{
	json_object *a = json_object_new_array();
	size_t i, j;

	for (i = 0; i < d->nkeys; i++) {
		const ord_keyrow *k = &d->keys[i];
		const ord_hit *first = &d->hits.v[k->hits[0]];
		json_object *o = json_object_new_object(), *src = json_object_new_array();

		json_object_object_add(o, "redacted", json_object_new_string(k->redacted));
		json_object_object_add(o, "fingerprint", json_object_new_string(k->fingerprint));
		json_object_object_add(o, "status", json_object_new_string(ord_live_id(k->live)));
		json_object_object_add(o, "shape", json_object_new_string(ord_key_shape_id(first->key.shape)));
		if (first->key.provider)
			json_object_object_add(o, "provider", json_object_new_string(first->key.provider));
		json_object_object_add(o, "lint", lint_array(k->lint));
		for (j = 0; j < k->nhits; j++)
			json_object_array_add(src, source_detail(&d->hits.v[k->hits[j]]));
		json_object_object_add(o, "sources", src);
		json_object_object_add(o, "used_by", csv_array(k->used_by));
		if (k->live_detail)
			json_object_object_add(o, "live", json_object_new_string(k->live_detail));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *cand_json(const ord_diag *d, const ord_cand *c)
{
	const ord_hit *h = &d->hits.v[c->hit];
	const ord_keyrow *row = ord_diag_row_of_hit(d, c->hit);
	json_object *o = json_object_new_object();
	char red[ORD_REDACT_MAX], fp[ORD_FP_LEN + 1];

	ord_key_redact(&h->key, red);
	ord_key_fingerprint(&h->key, fp);
	json_object_object_add(o, "redacted", json_object_new_string(red));
	json_object_object_add(o, "fingerprint", json_object_new_string(fp));
	json_object_object_add(o, "status",
			       json_object_new_string(ord_live_id(row ? row->live : ORD_LIVE_NOT_CHECKED)));
	json_object_object_add(o, "source", ord_report_source(h));
	if (c->via >= 0)
		json_object_object_add(o, "via", ord_report_source(&d->hits.v[c->via]));
	if (c->why)
		json_object_object_add(o, "reason", json_object_new_string(c->why));
	return o;
}

json_object *ord_report_tools(const ord_diag *d)
{
	json_object *a = json_object_new_array();
	const ord_tools *t = d->tools;
	size_t i, j;

	for (i = 0; t && i < t->n; i++) {
		const ord_tool_res *tr = &t->v[i];
		json_object *o = json_object_new_object(), *sh = json_object_new_array(),
			    *st = json_object_new_array(), *v = NULL;

		json_object_object_add(o, "id", json_object_new_string(tr->p->id));
		json_object_object_add(o, "name", json_object_new_string(tr->p->name));
		json_object_object_add(o, "present", json_object_new_boolean(tr->present));
		if (tr->present_why)
			json_object_object_add(o, "present_because", json_object_new_string(tr->present_why));
		json_object_object_add(o, "key", tr->win >= 0 ? cand_json(d, &tr->keys[tr->win]) : NULL);
		for (j = 0; j < tr->nkeys; j++)
			if ((long)j != tr->win)
				json_object_array_add(sh, cand_json(d, &tr->keys[j]));
		json_object_object_add(o, "shadowed", sh);
		json_object_object_add(o, "base_url", str_or_null(tr->base_url));
		json_object_object_add(o, "base_url_default", json_object_new_boolean(tr->base_default));
		json_object_object_add(o, "base_url_source",
				       tr->bwin >= 0 ? ord_report_source(&d->hits.v[tr->bases[tr->bwin].hit]) : NULL);
		json_object_object_add(o, "base_form", json_object_new_string(ord_base_form_id(tr->p->base_form)));
		for (j = 0; j < tr->p->nstores; j++)
			json_object_array_add(st, json_object_new_string(tr->p->stores[j]));
		json_object_object_add(o, "unreadable_stores", st);
		if (tr->finding >= 0 && d->findings[tr->finding].score >= ORD_VERDICT_MIN) {
			const ord_finding *f = &d->findings[tr->finding];
			v = json_object_new_object();
			json_object_object_add(v, "cause", json_object_new_string(f->cause));
			json_object_object_add(v, "category", str_or_null(ord_cause_category(f->cause)));
			json_object_object_add(v, "summary", json_object_new_string(f->summary));
			json_object_object_add(v, "fix", str_or_null(f->fix ? f->fix : ord_cause_fix(f->cause)));
		}
		json_object_object_add(o, "verdict", v);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *finding_json(const ord_finding *f)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "cause", json_object_new_string(f->cause));
	json_object_object_add(o, "category", str_or_null(ord_cause_category(f->cause)));
	json_object_object_add(o, "summary", json_object_new_string(f->summary));
	json_object_object_add(o, "fix", str_or_null(f->fix ? f->fix : ord_cause_fix(f->cause)));
	json_object_object_add(o, "score", json_object_new_int(f->score));
	if (f->tool)
		json_object_object_add(o, "tool", json_object_new_string(f->tool));
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

/* Findings ranked by score, verdict first. */
static size_t *ranked(const ord_diag *d)
{
	size_t *ix = malloc((d->nfindings + 1) * sizeof(*ix)), i, j;

	if (!ix)
		return NULL;
	for (i = 0; i < d->nfindings; i++)
		ix[i] = i;
	/* insertion sort: stable, and the lists are short */
	for (i = 1; i < d->nfindings; i++)
		for (j = i; j > 0 && d->findings[ix[j]].score > d->findings[ix[j - 1]].score; j--) {
			size_t t = ix[j];
			ix[j] = ix[j - 1];
			ix[j - 1] = t;
		}
	return ix;
}

size_t *ord_report_ranked(const ord_diag *d)
{
	return ranked(d);
}

char *ord_report_json(const ord_ctx *ctx, const ord_diag *d, const char *command)
{
	json_object *root = json_object_new_object(), *checks, *cands, *v;
	char schema[64];
	size_t i, j, *ix;
	char *out;

	snprintf(schema, sizeof(schema), "ordoctor.%s/1", command);
	json_object_object_add(root, "schema", json_object_new_string(schema));
	if (!strcmp(command, "check")) {
		v = json_object_new_object();
		if (d->verdict >= 0) {
			const ord_finding *f = &d->findings[d->verdict];
			json_object_object_add(v, "cause", json_object_new_string(f->cause));
			json_object_object_add(v, "category", str_or_null(ord_cause_category(f->cause)));
			json_object_object_add(v, "summary", json_object_new_string(f->summary));
			json_object_object_add(v, "fix", str_or_null(f->fix ? f->fix : ord_cause_fix(f->cause)));
			json_object_object_add(v, "tool", str_or_null(f->tool));
		} else {
			json_object_object_add(v, "cause", NULL);
			json_object_object_add(v, "category", NULL);
			json_object_object_add(v, "summary", json_object_new_string(
				d->undecided ? "No problem found offline; whether OpenRouter accepts the keys was not checked." :
					       "No problem found."));
			json_object_object_add(v, "fix", NULL);
		}
		json_object_object_add(root, "verdict", v);
		cands = json_object_new_array();
		ix = ranked(d);
		for (i = 0; ix && i < d->nfindings; i++)
			if ((long)ix[i] != d->verdict)
				json_object_array_add(cands, finding_json(&d->findings[ix[i]]));
		free(ix);
		json_object_object_add(root, "candidates", cands);
		checks = json_object_new_array();
		for (i = 0; i < d->nchecks; i++) {
			json_object *c = json_object_new_object(), *ev = json_object_new_array();
			json_object_object_add(c, "id", json_object_new_string(d->checks[i].id));
			json_object_object_add(c, "title", json_object_new_string(d->checks[i].title));
			json_object_object_add(c, "status", json_object_new_string(ord_status_id(d->checks[i].status)));
			json_object_object_add(c, "message", str_or_null(d->checks[i].message));
			for (j = 0; j < d->checks[i].nevidence; j++)
				json_object_array_add(ev, json_object_new_string(d->checks[i].evidence[j]));
			json_object_object_add(c, "evidence", ev);
			json_object_array_add(checks, c);
		}
		json_object_object_add(root, "checks", checks);
		json_object_object_add(root, "offline", json_object_new_boolean(d->offline));
	}
	if (strcmp(command, "tools"))
		json_object_object_add(root, "keys", ord_report_keys(d));
	if (!strcmp(command, "check") || !strcmp(command, "tools"))
		json_object_object_add(root, "tools", ord_report_tools(d));
	json_object_object_add(root, "warnings", warnings_json(ctx));
	out = strdup(json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}
