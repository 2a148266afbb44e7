/* checks: the named check lines of `ordoctor check` (✓ ok, ! warning,
 * ✗ problem, ? could not tell, - skipped), derived from the facts, the
 * claims and the missing facts.  A line is ✓ only about what was
 * observed: a key that was not verified makes its line ? or -, never ✓.
 */
#ifndef ORD_CHECKS_H
#define ORD_CHECKS_H

#include "diag.h"

/* What --list-checks prints. */
typedef struct ord_check_def {
	const char *id;
	const char *title;
	const char *causes; /* the cause ids it can raise */
	int live;           /* needs the network */
} ord_check_def;
const ord_check_def *ord_check_defs(size_t *n);

/* Fill d->checks for the judgment d->main (words must have run). */
void ord_checks_derive(const ord_ctx *ctx, ord_diag *d);

#endif
