/* explain_machine: the CLI side of `explain --check` (lib/xmachine.h). */
#ifndef ORD_CLI_EXPLAIN_MACHINE_H
#define ORD_CLI_EXPLAIN_MACHINE_H

#include "cli.h"
#include "lib/diag.h"
#include "lib/explain.h"
#include "lib/logscan.h"
#include "lib/xmachine.h"

typedef struct ord_explain_machine {
	int active;        /* --check was given and the facts were gathered */
	ord_diag d;
	ord_xmachine m;
} ord_explain_machine;

/* Gather and probe the facts (as `check` does), then read x with them and
 * re-rank its causes.  0, or an exit code after a message. */
int ord_explain_machine_begin(ord_cli *cli, ord_explain_machine *em, const char *tool_id,
			      ord_explain *x, ord_logscan *ls);
void ord_explain_machine_json(ord_explain_machine *em, json_object *doc);
void ord_explain_machine_text(ord_cli *cli, const ord_explain_machine *em);
int ord_explain_machine_exit(const ord_explain_machine *em, const ord_explain *x);
void ord_explain_machine_release(ord_explain_machine *em);

#endif
