/* Shared by the words files; not public API.  A claim's four texts are
 * built in buffers (texts) and each story's teller writes them. */
#ifndef ORD_WORDS_INTERNAL_H
#define ORD_WORDS_INTERNAL_H

#include <stdint.h>

#include "rules.h"
#include "words.h"

typedef struct wctx {
	const ord_ctx *ctx;
	const ord_facts *f;
	ord_diag *d;
} wctx;

typedef struct texts {
	ord_buf head, ev, sum, fix;
} texts;

/* words_util.c: how places, keys and their states are written. */
const ord_hit *w_hit_of(const wctx *w, long i);
void w_where(const wctx *w, long i, ord_buf *b);
void w_fix_place(const wctx *w, long i, ord_buf *b);
void w_name_at(const wctx *w, long i, ord_buf *b);
void w_places_of(const wctx *w, long row, ord_buf *b);
void w_redact(const ord_hit *h, char out[ORD_REDACT_MAX]);
const char *w_live_text(const ord_keyrow *k);
const ord_keyrow *w_row_at(const wctx *w, long row);
const ord_keyrow *w_row_of(const wctx *w, long hit);
void w_lint_list(const ord_key *k, uint32_t mask, ord_buf *b);
extern const uint32_t w_cosmetic; /* lints a loader strips or a copy adds */
ord_url_form w_form_of(const ord_hit *h);
void w_url_flags_text(uint32_t flags, ord_buf *b);
/* "in 3 days", "in 1 day", "in less than a day", "already past": how long
 * a key has until it expires, in whole days. */
void w_days_left(time_t expires, time_t now, ord_buf *b);

/* The tellers. */
void words_hit(const wctx *w, const ord_claim *c, texts *t);  /* words_place.c */
void words_key(const wctx *w, const ord_claim *c, texts *t);  /* words_place.c */
void words_tool(const wctx *w, const ord_claim *c, texts *t); /* words_tool.c */
void words_wire(const wctx *w, const ord_claim *c, texts *t); /* words_tool.c */

#endif
