/* live: checks that ask OpenRouter, and the base-URL checks. */
#ifndef ORD_LIVE_H
#define ORD_LIVE_H

#include "check.h"

/* Lint every base-URL variable found (offline; probes them online). */
void ord_check_base_urls(ord_ctx *ctx, ord_diag *d, int online);
/* GET /key for every distinct well-formed key; sets d->keys[].live. */
void ord_check_live_keys(ord_ctx *ctx, ord_diag *d);

/* POST /chat/completions with max_tokens 1 using the key in use. */
void ord_check_chat(ord_ctx *ctx, ord_diag *d, const char *model);

#endif
