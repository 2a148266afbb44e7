/* verdict: claims → the judgment of a scope (see verdict.h). */
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "verdict.h"

int ord_verdict_decides(const ord_claim *c)
{
	return c->cert >= ORD_CERT_STATIC && c->reach >= ORD_REACH_READ;
}

/* Did a request carry this hit, or a key of this row? */
static int on_wire(const ord_diag *d, long hit, long row)
{
	size_t i;

	for (i = 0; i < d->f.nwire; i++) {
		long h = d->f.wire[i].hit;
		if (h < 0)
			continue;
		if (h == hit || (row >= 0 && ord_facts_row_of_hit(&d->f, h) == row) ||
		    (hit >= 0 && ord_facts_row_of_hit(&d->f, hit) >= 0 &&
		     ord_facts_row_of_hit(&d->f, hit) == ord_facts_row_of_hit(&d->f, h)))
			return 1;
	}
	return 0;
}

int ord_verdict_in_scope(const ord_diag *d, const ord_claim *c, long tool)
{
	if (tool == ORD_SCOPE_WIRE)
		return c->cert == ORD_CERT_OBSERVED || !strcmp(c->cause, "openrouter_incident") ||
		       (c->tool < 0 && on_wire(d, c->hit, c->row));
	if (tool < 0)
		return 1;
	if (c->tool >= 0)
		return c->tool == tool;
	/* an incident touches every key */
	if (c->hit < 0 && c->row < 0)
		return !strcmp(c->cause, "openrouter_incident");
	/* the shell and a .env disagree: that matters to a tool only when it
	 * reads that .env too (Claude Code reads none) */
	if ((c->story == ORD_STORY_SHELL_VS_DOTENV || c->story == ORD_STORY_SHELL_EMPTY) &&
	    !ord_rules_tool_reads(&d->f, tool, c->other))
		return 0;
	return ord_rules_tool_depends(&d->f, tool, c->hit, c->row);
}

static int explains(const ord_claim *c)
{
	return c->cert == ORD_CERT_OBSERVED &&
	       (!strcmp(c->cause, "env_precedence_shadowing") ||
		!strcmp(c->cause, "tool_stale_stored_key"));
}

/* Does a before b? */
static int ranks_before(const ord_claim *a, const ord_claim *b)
{
	int da = ord_verdict_decides(a), db = ord_verdict_decides(b);

	if (da != db)
		return da;
	if (a->reach != b->reach)
		return a->reach > b->reach;
	if (a->cert != b->cert)
		return a->cert > b->cert;
	/* a tool's own story names the place it reads and why */
	if ((a->tool >= 0) != (b->tool >= 0))
		return a->tool >= 0;
	/* so does a story of why a dead key beats a working one, over the
	 * bare "this key is dead" */
	if (explains(a) != explains(b))
		return explains(a);
	if (a->order != b->order)
		return a->order < b->order;
	return 0;
}

/* One story about a dead key, told from the key, the tool or the place. */
static int dead_key_family(const char *cause)
{
	return !strcmp(cause, "key_revoked_expired_or_unknown") ||
	       !strcmp(cause, "tool_stale_stored_key") || !strcmp(cause, "env_precedence_shadowing");
}

/* Where a hit is changed: an environment value at the startup line that
 * sets it. */
static long place(const ord_diag *d, long hit)
{
	const ord_hit *h = ord_facts_hit(&d->f, hit);

	return h && h->kind == ORD_SRC_ENV && h->origin >= 0 ? h->origin : hit;
}

/* A story about two places that disagree, told from the first one. */
static int pair_story(int story)
{
	return story == ORD_STORY_DUP_IN_FILE || story == ORD_STORY_SHELL_VS_DOTENV ||
	       story == ORD_STORY_SHELL_EMPTY || story == ORD_STORY_STALE_SHELL;
}

/* Would listing c next to v tell the user the same thing again? */
static int repeats(const ord_diag *d, const ord_claim *c, const ord_claim *v)
{
	int same = !strcmp(c->cause, v->cause) ||
		   (dead_key_family(c->cause) && dead_key_family(v->cause));
	long cp = place(d, c->hit), vp = place(d, v->hit);
	long crow = c->row >= 0 ? c->row : ord_facts_row_of_hit(&d->f, c->hit);
	long vrow = v->row >= 0 ? v->row : ord_facts_row_of_hit(&d->f, v->hit);

	if (!same)
		return 0;
	/* two pairs around one place are two stories */
	if (pair_story(c->story) && pair_story(v->story) && c->story != v->story)
		return 0;
	if (cp >= 0 && cp == vp)
		return 1;
	/* the key-level claim about the very key the verdict is about */
	if ((c->tool < 0 || v->tool < 0) && crow >= 0 && crow == vrow &&
	    (c->hit < 0 || v->hit < 0 || c->story == ORD_STORY_DEAD || v->story == ORD_STORY_DEAD))
		return 1;
	return 0;
}

static int tool_uncertain(const ord_diag *d, long tool)
{
	size_t i;

	for (i = 0; i < d->ngaps; i++)
		if (d->gaps[i].kind == ORD_GAP_STORE && d->gaps[i].tool == tool)
			return 1;
	return 0;
}

void ord_verdict_judge(const ord_diag *d, long tool, ord_judgment *j)
{
	size_t i, k, n = 0;
	size_t *ix = malloc((d->nclaims + 1) * sizeof(*ix));
	int uncertain;

	free(j->candidates);
	free(j->gaps);
	memset(j, 0, sizeof(*j));
	j->tool = tool;
	j->verdict = -1;
	if (!ix)
		return;
	for (i = 0; i < d->nclaims; i++)
		if (ord_verdict_in_scope(d, &d->claims[i], tool) &&
		    d->claims[i].cert >= ORD_CERT_INFERRED)
			ix[n++] = i;
	/* insertion sort: stable, and the lists are short */
	for (i = 1; i < n; i++)
		for (k = i; k > 0 && ranks_before(&d->claims[ix[k]], &d->claims[ix[k - 1]]); k--) {
			size_t t = ix[k];
			ix[k] = ix[k - 1];
			ix[k - 1] = t;
		}
	/* A tool whose key may sit in a store we cannot read: what we see
	 * of its keys decides nothing about it (its own claims are already
	 * weakened; so are, here, those about the places it shares). */
	uncertain = tool >= 0 && tool_uncertain(d, tool);
	if (n && ord_verdict_decides(&d->claims[ix[0]]) &&
	    !(uncertain && d->claims[ix[0]].tool < 0 &&
	      strcmp(d->claims[ix[0]].cause, "openrouter_incident")))
		j->verdict = (long)ix[0];
	j->candidates = malloc((n + 1) * sizeof(*j->candidates));
	for (i = 0; j->candidates && i < n; i++) {
		const ord_claim *c = &d->claims[ix[i]];
		int dup = (long)ix[i] == j->verdict;

		if (!dup && j->verdict >= 0)
			dup = repeats(d, c, &d->claims[j->verdict]);
		for (k = 0; !dup && k < j->ncandidates; k++)
			dup = repeats(d, c, &d->claims[j->candidates[k]]);
		if (!dup)
			j->candidates[j->ncandidates++] = ix[i];
	}
	free(ix);
	j->gaps = malloc((d->ngaps + 1) * sizeof(*j->gaps));
	for (i = 0; j->gaps && i < d->ngaps; i++) {
		const ord_gap *g = &d->gaps[i];
		int in = tool == ORD_SCOPE_WIRE ? g->row >= 0 && on_wire(d, -1, g->row) :
			 tool < 0 || g->tool == tool ||
			 (g->tool < 0 && g->row >= 0 && ord_rules_tool_depends(&d->f, tool, -1, g->row));
		if (in)
			j->gaps[j->ngaps++] = i;
	}
	for (i = 0, n = 0; i < j->ncandidates; i++)
		if (d->claims[j->candidates[i]].cert == ORD_CERT_INFERRED)
			n++;
	if (j->verdict >= 0)
		j->outcome = ORD_OUTCOME_PROBLEM;
	else if (j->ngaps || n)
		j->outcome = ORD_OUTCOME_UNDECIDED;
	else
		j->outcome = ORD_OUTCOME_CLEAN;
}

int ord_verdict_exit(const ord_judgment *j)
{
	switch (j->outcome) {
	case ORD_OUTCOME_PROBLEM: return 1;
	case ORD_OUTCOME_UNDECIDED: return 3;
	default: return 0;
	}
}
