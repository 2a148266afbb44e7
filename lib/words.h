/* words: the sentences of a diagnosis.  Each claim's story becomes a check
 * headline, an evidence line, a summary and the exact fix (file and
 * line); each missing fact becomes what is missing and how to get it.
 * Places are written as people write them (lib/source.c ord_hit_where).
 */
#ifndef ORD_WORDS_H
#define ORD_WORDS_H

#include "diag.h"

/* Fill headline/evidence/summary/fix of every claim, and what/how of
 * every gap.  ctx gives the home and working directory for "where". */
void ord_words_write(const ord_ctx *ctx, ord_diag *d);

/* "~/.env line 3", or for a value in the environment the startup-file
 * line that sets it when one does. */
void ord_words_fix_place(const ord_ctx *ctx, const ord_facts *f, long hit, ord_buf *b);

/* "label laptop, limit $10.00 (8.00 left), used $2.00": what /key said. */
void ord_words_key_detail(const ord_keyrow *k, time_t now, ord_buf *b);

struct ord_since; /* lib/laststate.h */
/* The sentence of every change since the last good state
 * (lib/words_state.c). */
void ord_words_since(const ord_ctx *ctx, struct ord_since *s);
/* "2026-12-01": the day it last worked. */
void ord_words_since_date(const struct ord_since *s, char out[11]);

#endif
