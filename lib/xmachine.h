/* xmachine: `explain --check`, the pasted error read together with this
 * machine's facts.
 *
 * explain alone can only say what a message *could* mean: "User not
 * found." is a dead key, a stale copy in a tool's store, a key shadowed by
 * another, or an incident.  The machine knows which key the tool named in
 * the text sends and what OpenRouter says about that key, which separates
 * them:
 *
 *   - the text is about a rejected key, and the key the tool sends is dead
 *     (or the tool's own judgment names a cause): that cause is decided,
 *     with the place where the key lives and its fix;
 *   - the key the tool should send is valid: the failing request carried
 *     something else, so the key-is-dead readings go down and the ones
 *     about what the tool really sends go up; `ordoctor run -- TOOL`
 *     observes it (a missing fact: exit 3);
 *   - the key's liveness is not known (offline, no answer): that fact is
 *     missing, with the command that gets it (exit 3);
 *   - the text says OpenRouter accepted the key, or is not about the key:
 *     the machine adds what it knows and decides nothing.
 *
 * The facts come from lib/judge (ord_diag_run), the same judgment `check`
 * and `check --tool` give, so `explain --check` cannot contradict them.
 * Nothing here prints; sentences are built for the CLI to show.
 */
#ifndef ORD_XMACHINE_H
#define ORD_XMACHINE_H

#include "diag.h"
#include "explain.h"

typedef enum ord_xm_outcome {
	ORD_XM_DECIDED,     /* a cause, from the machine's facts */
	ORD_XM_ELSEWHERE,   /* the keys here work: the request carried something else */
	ORD_XM_MISSING,     /* a fact the answer needs is missing */
	ORD_XM_NOT_KEY,     /* the text is not about the key: nothing to decide */
} ord_xm_outcome;

#define ORD_XM_LINES 6

typedef struct ord_xmachine {
	ord_xm_outcome outcome;
	long tool;                  /* index into d->f.tools->v, or -1 */
	int tool_from_text;         /* named in the text (not --tool) */
	const char *cause;          /* decided cause (ORD_XM_DECIDED), or NULL */
	char *fix;                  /* what to change, or NULL */
	char facts[ORD_XM_LINES][1024]; /* "sends sk-or-v1-8ee...ab2 from ~/.bashrc line 1" */
	size_t nfacts;
	char decided_by[1024];       /* the fact that decided, or why nothing did */
	char missing[1024];          /* the missing fact, and how to get it */
} ord_xmachine;

/* The tool a text names: a profile id or name as a whole word ("opencode",
 * "Claude Code"), the longest match first; -1 when none or several. */
long ord_xmachine_tool_in_text(const ord_tools *t, const char *text, size_t len);

/* Read x with the facts of d (after ord_diag_run); tool is --tool's index
 * or -1 (then the text's own tool, if it names one).  Re-ranks x->causes.
 * 0 or ENOMEM. */
int ord_xmachine_run(ord_xmachine *m, ord_explain *x, const ord_diag *d,
		     const ord_ctx *ctx, long tool, const char *text, size_t len);
void ord_xmachine_release(ord_xmachine *m);
/* 1 decided (a problem), 3 a fact missing, else explain's own exit. */
int ord_xmachine_exit(const ord_xmachine *m, const ord_explain *x);
/* The `machine` object of the explain document. */
json_object *ord_xmachine_json(const ord_xmachine *m, const ord_diag *d);

#endif
