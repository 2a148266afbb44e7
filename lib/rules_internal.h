/* Shared by the rule files (rules.c, rules_tool.c); not public API. */
#ifndef ORD_RULES_INTERNAL_H
#define ORD_RULES_INTERNAL_H

#include "rules.h"

typedef struct ord_rules_run_state {
	ord_diag *d;
	const ord_facts *f;
	ord_reach *reach;   /* per hit */
	long focus;
	long order;         /* the running rule's position in the table */
	const char *rule;
	const char *check;
} rstate;

ord_claim *rule_claim(rstate *r, const char *cause, int story, ord_cert cert,
		      ord_reach reach);

/* Hit predicates shared by the rules. */
int rule_effective(const ord_hit *h);
int rule_usable(const ord_hit *h);          /* a key-shaped value (maybe quoted) */
const ord_keyrow *rule_row(const ord_facts *f, long hit);
/* Some other key of the machine that OpenRouter accepts (not `not`). */
long rule_valid_row(const ord_facts *f, long not);

/* The rules, in rules.c (places), rules_key.c (keys) and rules_tool.c (tools). */
void rule_credentials(rstate *r);
void rule_empty(rstate *r);
void rule_shape(rstate *r);
void rule_foreign(rstate *r);
void rule_names(rstate *r);
void rule_shadowing(rstate *r);
void rule_netrc(rstate *r);
void rule_base_urls(rstate *r);
void rule_keys(rstate *r);
void rule_chat(rstate *r);
void rule_wire(rstate *r);
void gaps_keys(rstate *r);
void rules_tools(rstate *r);

/* Shared helpers of rules.c. */
ord_reach rule_row_reach(const rstate *r, long row);
long rule_first_effective_hit(const ord_facts *f, const ord_keyrow *row);

#endif
