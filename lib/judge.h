/* judge: the one pipeline every command runs, facts → rules → verdict →
 * words → checks.
 *
 *   ord_diag_run()    check: gather and probe the facts, then judge
 *   ord_diag_judge()  judge facts already gathered (tools, run, tests)
 *
 * d->main is the judgment of the scope asked for (the machine, or the
 * tool of --tool); d->tools[i] is each present tool's own judgment, from
 * the same claims, so `check --tool X`, `tools` and `check` agree.
 */
#ifndef ORD_JUDGE_H
#define ORD_JUDGE_H

#include "diag.h"

typedef struct ord_diag_opts {
	const char *tool;       /* --tool ID, or NULL */
	int chat;               /* --chat: a one-token completion probe */
	const char *chat_model; /* --chat MODEL, or NULL for the default */
} ord_diag_opts;

/* Gather, probe (unless ctx->offline), judge.  0, ENOMEM, or ENOENT for an
 * unknown --tool (nothing is sent then). */
int ord_diag_run(ord_ctx *ctx, ord_diag *d, const ord_diag_opts *o);
/* The probes every judging command asks for, so they see the same facts. */
int ord_diag_probe(ord_ctx *ctx, ord_diag *d, const ord_diag_opts *o);
/* Rules, the judgments of the scope `tool` (-1: the machine) and of every
 * present tool, the words and the check lines. */
void ord_diag_judge(const ord_ctx *ctx, ord_diag *d, long tool);
/* The index of a tool id in d->f.tools, or -1. */
long ord_diag_tool_index(const ord_diag *d, const char *id);

#endif
