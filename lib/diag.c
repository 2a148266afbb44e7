/* diag: the lifecycle of the diagnosis record (diag.h).  Nothing here
 * decides anything. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "laststate.h"

const char *ord_status_id(ord_status s)
{
	static const char *const ids[] = {"ok", "warn", "fail", "unknown",
					  "skip"};
	return (unsigned)s < sizeof(ids) / sizeof(*ids) ? ids[s] : "?";
}

static void judgment_init(ord_judgment *j, long tool)
{
	memset(j, 0, sizeof(*j));
	j->tool = tool;
	j->verdict = -1;
}

static void judgment_release(ord_judgment *j)
{
	free(j->candidates);
	free(j->gaps);
	judgment_init(j, -1);
}

void ord_diag_init(ord_diag *d)
{
	memset(d, 0, sizeof(*d));
	ord_facts_init(&d->f);
	judgment_init(&d->main, -1);
}

void ord_diag_release(ord_diag *d)
{
	size_t i, j;

	for (i = 0; i < d->nchecks; i++) {
		free(d->checks[i].message);
		for (j = 0; j < d->checks[i].nevidence; j++)
			free(d->checks[i].evidence[j]);
		free(d->checks[i].evidence);
	}
	free(d->checks);
	free(d->scope_note);
	for (i = 0; i < d->nclaims; i++) {
		free(d->claims[i].headline);
		free(d->claims[i].evidence);
		free(d->claims[i].summary);
		free(d->claims[i].fix);
	}
	free(d->claims);
	for (i = 0; i < d->ngaps; i++) {
		free(d->gaps[i].what);
		free(d->gaps[i].how);
	}
	free(d->gaps);
	free(d->reach);
	judgment_release(&d->main);
	for (i = 0; d->tools && d->f.tools && i < d->f.tools->n; i++)
		judgment_release(&d->tools[i]);
	free(d->tools);
	ord_facts_release(&d->f);
	ord_since_free(d->since);
	memset(d, 0, sizeof(*d));
	ord_facts_init(&d->f);
	judgment_init(&d->main, -1);
}

ord_claim *ord_diag_claim(ord_diag *d, const char *rule, const char *cause,
			  const char *check, int story, ord_cert cert, ord_reach reach)
{
	ord_claim *n = realloc(d->claims, (d->nclaims + 1) * sizeof(*n));

	if (!n)
		return NULL;
	d->claims = n;
	n = &d->claims[d->nclaims++];
	memset(n, 0, sizeof(*n));
	n->rule = rule;
	n->cause = cause;
	n->check = check;
	n->story = story;
	n->cert = cert;
	n->reach = reach;
	n->tool = n->hit = n->row = n->other = -1;
	return n;
}

ord_gap *ord_diag_gap(ord_diag *d, ord_gap_kind kind, long tool, long row)
{
	ord_gap *n = realloc(d->gaps, (d->ngaps + 1) * sizeof(*n));

	if (!n)
		return NULL;
	d->gaps = n;
	n = &d->gaps[d->ngaps++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->tool = tool;
	n->row = row;
	n->hit = -1;
	return n;
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

static int worse(ord_status a, ord_status b)
{
	/* fail > unknown > warn > ok > skip */
	static const int rank[] = {[ORD_ST_SKIP] = 0, [ORD_ST_OK] = 1, [ORD_ST_WARN] = 2,
				   [ORD_ST_UNKNOWN] = 3, [ORD_ST_FAIL] = 4};
	return rank[a] > rank[b];
}

void ord_check_set(ord_check *c, ord_status st, const char *fmt, ...)
{
	ord_buf b = ORD_BUF_INIT(8192);
	va_list ap;

	if (!c || (c->message && !worse(st, c->status)))
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
