/* report: a diagnosis as JSON (schema "ordoctor.<command>/1"). */
#ifndef ORD_REPORT_H
#define ORD_REPORT_H

#include <json-c/json.h>

#include "diag.h"

/* The whole document for `check`, `tools` or `keys`; malloc'd. */
char *ord_report_json(const ord_ctx *ctx, const ord_diag *d, const char *command);
/* Building blocks for other commands. */
json_object *ord_report_keys(const ord_facts *f);
json_object *ord_report_source(const ord_hit *h);
struct ord_since;
/* changed_since: the date it last worked and the changes since. */
json_object *ord_report_since(const struct ord_since *s);
/* The tools array of the contract, with each tool's judgment. */
json_object *ord_report_tools(const ord_diag *d);

#endif
