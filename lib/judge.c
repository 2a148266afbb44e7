/* judge: the pipeline (see judge.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "judge.h"
#include "rules.h"
#include "scope.h"
#include "verdict.h"
#include "words.h"

long ord_diag_tool_index(const ord_diag *d, const char *id)
{
	size_t i;

	for (i = 0; id && d->f.tools && i < d->f.tools->n; i++)
		if (!strcmp(d->f.tools->v[i].p->id, id))
			return (long)i;
	return -1;
}

int ord_diag_probe(ord_ctx *ctx, ord_diag *d, const ord_diag_opts *o)
{
	unsigned what = ORD_PROBE_KEYS | ORD_PROBE_BASES;

	if (o && o->chat)
		what |= ORD_PROBE_CHAT;
	return ord_facts_probe(ctx, &d->f, what, o ? o->chat_model : NULL);
}

void ord_diag_judge(const ord_ctx *ctx, ord_diag *d, long tool)
{
	size_t i, n = d->f.tools ? d->f.tools->n : 0;

	ord_rules_run(d, tool < 0 ? -1 : tool);
	ord_verdict_judge(d, tool, &d->main);
	d->tools = calloc(n + 1, sizeof(*d->tools));
	for (i = 0; d->tools && i < n; i++) {
		d->tools[i].tool = (long)i;
		d->tools[i].verdict = -1;
		if (d->f.tools->v[i].present || (long)i == tool)
			ord_verdict_judge(d, (long)i, &d->tools[i]);
	}
	ord_words_write(ctx, d);
	ord_checks_derive(ctx, d);
	/* GET /key says nothing about the balance, the models or the
	 * providers: a clean answer says how to test those */
	if (d->main.outcome == ORD_OUTCOME_CLEAN && !d->f.chat.asked) {
		for (i = 0; i < d->f.nkeys; i++)
			if (d->f.keys[i].live == ORD_LIVE_VALID)
				d->chat_hint = 1;
	}
}

int ord_diag_run(ord_ctx *ctx, ord_diag *d, const ord_diag_opts *o)
{
	long tool = -1;
	int rc;

	if ((rc = ord_facts_gather(ctx, &d->f)))
		return rc;
	if (o->tool && (tool = ord_diag_tool_index(d, o->tool)) < 0)
		return ENOENT;
	if ((rc = ord_diag_probe(ctx, d, o)))
		return rc;
	ord_diag_judge(ctx, d, tool);
	d->scope_note = ord_scope_note(ctx, d, tool);
	return 0;
}
