/* diag: one diagnosis run: discovery, grouping hits into distinct keys,
 * running the checks (check.c) and choosing the verdict. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag_internal.h"
#include "live.h"
#include "resolve.h"

const char *ord_status_id(ord_status s)
{
	static const char *const ids[] = {"ok", "warn", "fail", "unknown",
					  "skip"};
	return (unsigned)s < sizeof(ids) / sizeof(*ids) ? ids[s] : "?";
}

const char *ord_live_id(ord_live l)
{
	static const char *const ids[] = {"not_checked", "valid", "invalid",
					  "unknown"};
	return (unsigned)l < sizeof(ids) / sizeof(*ids) ? ids[l] : "?";
}

void ord_diag_init(ord_diag *d)
{
	memset(d, 0, sizeof(*d));
	ord_hits_init(&d->hits);
	d->verdict = -1;
}

void ord_diag_release(ord_diag *d)
{
	size_t i, j;

	for (i = 0; i < d->nkeys; i++) {
		free(d->keys[i].hits);
		free(d->keys[i].live_detail);
		free(d->keys[i].used_by);
	}
	free(d->keys);
	for (i = 0; i < d->nchecks; i++) {
		free(d->checks[i].message);
		for (j = 0; j < d->checks[i].nevidence; j++)
			free(d->checks[i].evidence[j]);
		free(d->checks[i].evidence);
	}
	free(d->checks);
	for (i = 0; i < d->nfindings; i++) {
		free(d->findings[i].summary);
		free(d->findings[i].fix);
	}
	free(d->findings);
	if (d->tools) {
		ord_tools_release(d->tools);
		free(d->tools);
	}
	ord_hits_release(&d->hits);
	memset(d, 0, sizeof(*d));
	d->verdict = -1;
}

void ord_hit_where(const ord_ctx *ctx, const ord_hit *h, ord_buf *out)
{
	size_t hl = strlen(ctx->home);

	size_t cl = strlen(ctx->cwd);

	if (h->kind == ORD_SRC_ENV) {
		ord_buf_adds(out, "the environment");
		return;
	}
	/* Short forms for people; JSON keeps absolute paths. */
	if (h->path && cl > 1 && !strncmp(h->path, ctx->cwd, cl) &&
	    h->path[cl] == '/' && !strchr(h->path + cl + 1, '/'))
		ord_buf_addf(out, ".%s", h->path + cl);
	else if (h->path && hl > 1 && !strncmp(h->path, ctx->home, hl) &&
	    h->path[hl] == '/')
		ord_buf_addf(out, "~%s", h->path + hl);
	else
		ord_buf_adds(out, h->path ? h->path : "?");
	if (h->line)
		ord_buf_addf(out, " line %u", h->line);
}

const ord_keyrow *ord_diag_row_of_hit(const ord_diag *d, long hit)
{
	size_t i, j;

	for (i = 0; i < d->nkeys; i++)
		for (j = 0; j < d->keys[i].nhits; j++)
			if ((long)d->keys[i].hits[j] == hit)
				return &d->keys[i];
	return NULL;
}

char *ord_diag_where(const ord_ctx *ctx, const ord_hit *h)
{
	ord_buf b = ORD_BUF_INIT(8192);

	ord_hit_where(ctx, h, &b);
	return ord_buf_detach(&b, NULL);
}

ord_check *ord_diag_check(ord_diag *d, const char *id, const char *title)
{
	ord_check *n = realloc(d->checks, (d->nchecks + 1) * sizeof(*n));

	if (!n)
		return NULL;
	d->checks = n;
	n = &d->checks[d->nchecks++];
	memset(n, 0, sizeof(*n));
	n->id = id;
	n->title = title;
	n->status = ORD_ST_OK;
	return n;
}

void ord_check_set(ord_check *c, ord_status st, const char *fmt, ...)
{
	ord_buf b = ORD_BUF_INIT(8192);
	va_list ap;

	/* A check keeps its worst status. */
	if (c->message && (st == ORD_ST_OK ||
			   (c->status == ORD_ST_FAIL && st != ORD_ST_FAIL)))
		return;
	free(c->message);
	c->status = st;
	va_start(ap, fmt);
	ord_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	c->message = ord_buf_detach(&b, NULL);
}

void ord_check_evidence(ord_check *c, const char *fmt, ...)
{
	ord_buf b = ORD_BUF_INIT(8192);
	va_list ap;
	char **n;

	if (!c)
		return;
	n = realloc(c->evidence, (c->nevidence + 1) * sizeof(*n));
	if (!n)
		return;
	c->evidence = n;
	va_start(ap, fmt);
	ord_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	c->evidence[c->nevidence++] = ord_buf_detach(&b, NULL);
}

ord_finding *ord_diag_finding(ord_diag *d, const char *cause, int score,
			      long hit, const char *fix, const char *fmt, ...)
{
	ord_buf b = ORD_BUF_INIT(8192);
	ord_finding *n;
	va_list ap;

	n = realloc(d->findings, (d->nfindings + 1) * sizeof(*n));
	if (!n)
		return NULL;
	d->findings = n;
	n = &d->findings[d->nfindings++];
	n->cause = cause;
	n->score = score;
	n->hit = hit;
	n->tool = NULL;
	va_start(ap, fmt);
	ord_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	n->summary = ord_buf_detach(&b, NULL);
	n->fix = fix ? strdup(fix) : NULL;
	return n;
}

static int csv_has(const char *list, const char *id, size_t len)
{
	const char *p = list;

	while (p && *p) {
		const char *c = strchr(p, ',');
		size_t pl = c ? (size_t)(c - p) : strlen(p);

		if (pl == len && !memcmp(p, id, len))
			return 1;
		p = c ? c + 1 : NULL;
	}
	return 0;
}

/* Tool ids reading a hit's variable, merged into row->used_by. */
static void add_used_by(ord_keyrow *row, const ord_hit *h)
{
	const ord_varspec *s;
	ord_buf b = ORD_BUF_INIT(4096);
	const char *t, *e;

	if (!h->name || h->kind == ORD_SRC_NETRC || h->kind == ORD_SRC_SCAN)
		return;
	s = ord_var_lookup(h->name, strlen(h->name));
	if (!s || !s->tools)
		return;
	if (row->used_by)
		ord_buf_adds(&b, row->used_by);
	for (t = s->tools; *t; t = *e ? e + 1 : e) {
		e = strchr(t, ',');
		if (!e)
			e = t + strlen(t);
		if (csv_has(ord_buf_str(&b), t, (size_t)(e - t)))
			continue;
		if (b.len)
			ord_buf_addc(&b, ',');
		ord_buf_add(&b, t, (size_t)(e - t));
	}
	free(row->used_by);
	row->used_by = ord_buf_detach(&b, NULL);
}

/* Group credential hits (not base URLs) by normalised value. */
int ord_diag_group(ord_diag *d)
{
	size_t i, j;

	for (i = 0; i < d->hits.n; i++) {
		ord_hit *h = &d->hits.v[i];
		ord_keyrow *row = NULL;
		size_t *nh;

		if (h->role == ORD_ROLE_BASE_URL || (h->flags & ORD_HIT_COMMAND))
			continue;
		for (j = 0; j < d->nkeys; j++)
			if (ord_key_equal(&d->hits.v[d->keys[j].hits[0]].key,
					  &h->key)) {
				row = &d->keys[j];
				break;
			}
		if (!row) {
			ord_keyrow *n = realloc(d->keys, (d->nkeys + 1) * sizeof(*n));
			if (!n)
				return -1;
			d->keys = n;
			row = &d->keys[d->nkeys++];
			memset(row, 0, sizeof(*row));
			ord_key_redact(&h->key, row->redacted);
			ord_key_fingerprint(&h->key, row->fingerprint);
		}
		nh = realloc(row->hits, (row->nhits + 1) * sizeof(*nh));
		if (!nh)
			return -1;
		row->hits = nh;
		row->hits[row->nhits++] = i;
		row->lint |= h->key.lint;
		add_used_by(row, h);
	}
	return 0;
}

int ord_diag_discover(ord_ctx *ctx, ord_diag *d)
{
	ord_discover_all(ctx, &d->hits);
	/* tool configs add hits of their own: resolve before grouping */
	d->tools = calloc(1, sizeof(*d->tools));
	if (!d->tools)
		return -1;
	ord_tools_resolve(ctx, d, d->tools);
	return ord_diag_group(d);
}

int ord_diag_run(ord_ctx *ctx, ord_diag *d, const ord_diag_opts *o)
{
	size_t i;
	long best = -1;

	d->offline = o->offline;
	if (ord_diag_discover(ctx, d))
		return -1;
	ord_run_offline_checks(ctx, d);
	ord_check_base_urls(ctx, d, !o->offline);
	if (o->offline) {
		ord_check *c = ord_diag_check(d, "key_status", "Keys accepted by OpenRouter");
		if (c)
			ord_check_set(c, ORD_ST_SKIP, "not checked (--offline)");
	} else {
		ord_check_live_keys(ctx, d);
		if (o->chat)
			ord_check_chat(ctx, d, o->chat_model);
	}
	ord_tools_judge(ctx, d, d->tools, o->tool);
	ord_check_tools(ctx, d, o->tool);
	for (i = 0; i < d->nfindings; i++)
		if (d->findings[i].score >= ORD_VERDICT_MIN &&
		    (best < 0 || d->findings[i].score > d->findings[best].score))
			best = (long)i;
	d->verdict = best;
	/* Offline we cannot tell whether a well-formed key is alive. */
	if (o->offline && d->nkeys)
		d->undecided = 1;
	return 0;
}
