/* words_util: how places, keys and their states are written, for every
 * teller of lib/words*.c. */
#include <math.h>
#include <string.h>

#include "words_internal.h"

const ord_hit *w_hit_of(const wctx *w, long i)
{
	return ord_facts_hit(w->f, i);
}

void w_where(const wctx *w, long i, ord_buf *b)
{
	const ord_hit *h = w_hit_of(w, i);

	if (h)
		ord_hit_where(w->ctx, h, b);
	else
		ord_buf_adds(b, "?");
}

void ord_words_fix_place(const ord_ctx *ctx, const ord_facts *f, long i, ord_buf *b)
{
	const ord_hit *h = ord_facts_hit(f, i);

	if (!h) {
		ord_buf_adds(b, "?");
		return;
	}
	if (h->kind == ORD_SRC_ENV && h->origin >= 0)
		h = &f->hits.v[h->origin];
	if (h->kind == ORD_SRC_ENV)
		ord_buf_addf(b, "%s in the environment (no startup file sets it: a parent process, an IDE or a secret wrapper does)",
			     h->name);
	else {
		ord_hit_where(ctx, h, b);
		if (h->kind == ORD_SRC_CONFIG && h->name)
			ord_buf_addf(b, " (%s)", h->name);
	}
}

void w_fix_place(const wctx *w, long i, ord_buf *b)
{
	ord_words_fix_place(w->ctx, w->f, i, b);
}

/* "OPENROUTER_API_KEY (~/.bashrc line 3)"; the place alone when it
 * already names the variable (a value set outside any startup file). */
void w_name_at(const wctx *w, long i, ord_buf *b)
{
	const ord_hit *h = ord_facts_hit(w->f, i);

	if (h && h->kind == ORD_SRC_ENV && h->origin < 0) {
		w_fix_place(w, i, b);
		return;
	}
	ord_buf_addf(b, "%s (", h && h->name ? h->name : "the key");
	w_fix_place(w, i, b);
	ord_buf_adds(b, ")");
}

/* "~/.env line 3, the environment": every place of a key. */
void w_places_of(const wctx *w, long row, ord_buf *b)
{
	const ord_keyrow *k;
	size_t j;

	if (row < 0) {
		ord_buf_adds(b, "?");
		return;
	}
	k = &w->f->keys[row];
	for (j = 0; j < k->nhits; j++) {
		if (j)
			ord_buf_adds(b, ", ");
		ord_hit_where(w->ctx, &w->f->hits.v[k->hits[j]], b);
	}
}

void w_redact(const ord_hit *h, char out[ORD_REDACT_MAX])
{
	if (h)
		ord_key_redact(&h->key, out);
	else
		strcpy(out, "?");
}

const char *w_live_text(const ord_keyrow *k)
{
	if (!k)
		return "not checked";
	switch (k->live) {
	case ORD_LIVE_VALID:
		return k->has_info && k->info.is_management_key ? "a management key" : "valid";
	case ORD_LIVE_INVALID: return "rejected by OpenRouter";
	case ORD_LIVE_UNKNOWN: return "not checked: no answer";
	default:
		return k->why == ORD_WHY_OFFLINE ? "not checked: offline" : "not checked";
	}
}

const ord_keyrow *w_row_at(const wctx *w, long row)
{
	return row >= 0 && (size_t)row < w->f->nkeys ? &w->f->keys[row] : NULL;
}

const ord_keyrow *w_row_of(const wctx *w, long hit)
{
	return w_row_at(w, ord_facts_row_of_hit(w->f, hit));
}

void w_lint_list(const ord_key *k, uint32_t mask, ord_buf *b)
{
	int l, first = 1;

	for (l = 0; l < ORD_LINT_COUNT; l++)
		if (k->lint & mask & ORD_LINT_BIT(l)) {
			ord_buf_addf(b, "%s%s", first ? "" : "; ", ord_lint_text(l));
			first = 0;
		}
}

const uint32_t w_cosmetic =
	ORD_LINT_BIT(ORD_LINT_QUOTES) | ORD_LINT_BIT(ORD_LINT_WHITESPACE) |
	ORD_LINT_BIT(ORD_LINT_CRLF) | ORD_LINT_BIT(ORD_LINT_LINE_BREAK) |
	ORD_LINT_BIT(ORD_LINT_ZERO_WIDTH) | ORD_LINT_BIT(ORD_LINT_BEARER_PREFIX);


ord_url_form w_form_of(const ord_hit *h)
{
	return h->name && !strncmp(h->name, "ANTHROPIC_", 10) ? ORD_URL_ANTHROPIC :
								ORD_URL_OPENAI;
}

void w_url_flags_text(uint32_t flags, ord_buf *b)
{
	unsigned i;
	int first = 1;

	for (i = 0; i < ORD_URLF_COUNT; i++)
		if (flags & (1u << i)) {
			ord_buf_addf(b, "%s%s", first ? "" : "; ", ord_url_flag_text(1u << i));
			first = 0;
		}
}

void ord_words_key_detail(const ord_keyrow *k, time_t now, ord_buf *b)
{
	const ord_key_info *in = &k->info;

	if (*in->label)
		ord_buf_addf(b, "label %s", in->label);
	if (isnan(in->limit))
		ord_buf_adds(b, ", no spend limit");
	else
		ord_buf_addf(b, ", limit $%.2f (%.2f left)", in->limit, in->limit_remaining);
	if (!isnan(in->usage))
		ord_buf_addf(b, ", used $%.2f", in->usage);
	if (in->is_free_tier == 1)
		ord_buf_adds(b, ", free tier");
	if (in->is_management_key)
		ord_buf_adds(b, ", management key");
	if (in->expires) {
		ord_buf_addf(b, ", expires %s (", in->expires_at);
		w_days_left(in->expires, now, b);
		ord_buf_addc(b, ')');
	}
}

void w_days_left(time_t expires, time_t now, ord_buf *b)
{
	long long days = (long long)((expires - now) / 86400);

	if (expires <= now)
		ord_buf_adds(b, "already past");
	else if (!days)
		ord_buf_adds(b, "in less than a day");
	else
		ord_buf_addf(b, "in %lld day%s", days, days == 1 ? "" : "s");
}

