/* verdict: from the claims and the missing facts of a diagnosis to the
 * judgment of one scope (the whole machine, or one tool).
 *
 * A claim decides when its evidence makes the request fail (ord_cert
 * STATIC or OBSERVED) and a request carries its subject (ord_reach READ
 * or SENT).  Among those, the verdict is the one whose subject is closest
 * to what is sent, then the surest, then the one that tells a tool's own
 * story, then the rules table order.  Without a deciding claim the answer
 * is "undecided" when a fact is missing (and the likely causes are the
 * candidates), "clean" only when every fact was observed.
 *
 * The scope is a filter, never a bonus: a tool's judgment keeps its own
 * claims and those about the places and keys it depends on, so the
 * machine's verdict, when it is about a tool, is that tool's verdict.
 */
#ifndef ORD_VERDICT_H
#define ORD_VERDICT_H

#include "diag.h"

/* The scope of `run` when no tool is known: what the requests showed.  A
 * program that sent a working key is not judged by another tool's static
 * story; only observed claims and claims about the keys and places the
 * requests used are in it. */
#define ORD_SCOPE_WIRE (-2)

/* Judge the scope `tool` (-1: the whole machine, ORD_SCOPE_WIRE) into j. */
void ord_verdict_judge(const ord_diag *d, long tool, ord_judgment *j);
/* Is claim c part of the judgment of `tool`? */
int ord_verdict_in_scope(const ord_diag *d, const ord_claim *c, long tool);
/* Does this claim decide (a problem, not a note or a likely story)? */
int ord_verdict_decides(const ord_claim *c);
/* 0 clean, 1 problem, 3 undecided (design.md's exit codes). */
int ord_verdict_exit(const ord_judgment *j);

#endif
