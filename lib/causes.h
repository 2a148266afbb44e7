/* causes: the shared vocabulary of diagnoses (data/causes, from
 * ../shared/reference/causes.md): each cause id, its category, what it
 * means, its generic fix and its check. */
#ifndef ORD_CAUSES_H
#define ORD_CAUSES_H

/* The category of a cause id ("account/auth", …), or NULL for an id that
 * is not in the vocabulary. */
const char *ord_cause_category(const char *cause);
/* The generic fix sentence of a cause id, or NULL. */
const char *ord_cause_fix(const char *cause);
/* The one-line meaning of a cause id, or NULL. */
const char *ord_cause_meaning(const char *cause);

/* How to tell this cause from the others (an ordoctor command where one
 * exists), or NULL. */
const char *ord_cause_check(const char *cause);

#endif
