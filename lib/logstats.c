/* logstats: the timeline, the provider/model breakdowns, alternation and
 * the other results of a scan (logscan.h). */
#include "logscan_internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- timeline ------------------------------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

void ord_ls_add_time(ord_logscan *ls, int64_t t, long kind)
{
	const int64_t N = ORD_LS_BUCKETS;
	size_t K = ls->nsigs;

	if (!ls->t_have) {
		ls->tw = 1;
		ls->t0 = t;
		ls->t_have = 1;
		ls->tmin = ls->tmax = t;
	}
	if (t < ls->tmin)
		ls->tmin = t;
	if (t > ls->tmax)
		ls->tmax = t;
	if (t < ls->t0 || t >= ls->t0 + N * ls->tw) {
		int64_t lo = t < ls->t0 ? t : ls->t0;
		int64_t hi = t + 1 > ls->t0 + N * ls->tw ? t + 1 : ls->t0 + N * ls->tw;
		int64_t nw = ls->tw, nt0;
		size_t i, k;
		uint32_t *sw;

		do {
			nw *= 2;
			nt0 = floor_div(lo, nw) * nw;
		} while (nt0 + N * nw < hi);
		memset(ls->tl_tmp, 0, (size_t)N * K * sizeof(uint32_t));
		for (i = 0; i < (size_t)N; i++) {
			size_t ni = (size_t)((ls->t0 + (int64_t)i * ls->tw - nt0) / nw);
			for (k = 0; k < K; k++)
				ls->tl_tmp[ni * K + k] += ls->tl_t[i * K + k];
		}
		sw = ls->tl_t;
		ls->tl_t = ls->tl_tmp;
		ls->tl_tmp = sw;
		ls->t0 = nt0;
		ls->tw = nw;
	}
	ls->tl_t[(size_t)((t - ls->t0) / ls->tw) * K + (size_t)kind]++;
}

void ord_ls_add_pos(ord_logscan *ls, uint64_t pos, long kind)
{
	size_t K = ls->nsigs, i, k;

	while (pos >= ORD_LS_BUCKETS * ls->pw) {
		for (i = 0; i < ORD_LS_BUCKETS; i++)
			for (k = 0; k < K; k++) {
				uint32_t v = ls->tl_p[i * K + k];
				ls->tl_p[i * K + k] = 0;
				if (i % 2 == 0)
					ls->tl_p[(i / 2) * K + k] = v;
				else
					ls->tl_p[(i / 2) * K + k] += v;
			}
		ls->pw *= 2;
	}
	if (pos > ls->pmax)
		ls->pmax = pos;
	ls->tl_p[(size_t)(pos / ls->pw) * K + (size_t)kind]++;
}

void ord_ls_name_add(ord_namecount *tab, size_t *n, uint64_t *other, size_t nsigs, const char *name, long kind)
{
	size_t i;

	if (!name[0])
		return;
	for (i = 0; i < *n; i++)
		if (!strcmp(tab[i].name, name))
			break;
	if (i == *n) {
		if (*n == ORD_LS_NAMES) {
			(*other)++;
			return;
		}
		tab[i].kinds = calloc(nsigs ? nsigs : 1, sizeof(uint32_t));
		snprintf(tab[i].name, sizeof(tab[i].name), "%s", name);
		(*n)++;
	}
	tab[i].count++;
	if (tab[i].kinds && kind >= 0)
		tab[i].kinds[kind]++;
}

/* ---- results ---------------------------------------------------------------------------- */

const ord_sig *ord_logscan_db_sig(const ord_logscan *ls, size_t i)
{
	return i < ls->nsigs ? &ls->db->sigs[i] : NULL;
}

const ord_sigstat *ord_logscan_stat(const ord_logscan *ls, size_t sig)
{
	return sig < ls->nsigs ? &ls->st[sig] : NULL;
}

uint64_t ord_logscan_bytes(const ord_logscan *ls) { return ls->bytes; }
uint64_t ord_logscan_lines(const ord_logscan *ls) { return ls->lines; }
uint64_t ord_logscan_matched_lines(const ord_logscan *ls) { return ls->failure_lines; }
int ord_logscan_inputs(const ord_logscan *ls) { return ls->ninputs; }
uint64_t ord_logscan_timestamped(const ord_logscan *ls) { return ls->with_ts; }

size_t ord_logscan_fragments(const ord_logscan *ls, const ord_keyfrag **out)
{
	*out = ls->frags;
	return ls->nfrags;
}

const char *ord_logscan_input_name(const ord_logscan *ls, int i)
{
	return i >= 0 && i < ls->ninputs && i < NAMES_MAX && ls->names[i] ? ls->names[i] : "-";
}

const char *ord_logscan_head(const ord_logscan *ls, size_t *len, int *complete)
{
	*len = ls->head.len;
	*complete = ls->head_complete;
	return ord_buf_str(&ls->head);
}

static int by_count(const void *a, const void *b)
{
	const ord_namecount *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->name, y->name);
}

static size_t names(ord_namecount *tab, size_t n, size_t nsigs, const ord_namecount **out)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		tab[i].top_kind = -1;
		for (k = 0; tab[i].kinds && k < nsigs; k++)
			if (tab[i].kinds[k] && (tab[i].top_kind < 0 || tab[i].kinds[k] > tab[i].kinds[tab[i].top_kind]))
				tab[i].top_kind = (long)k;
	}
	qsort(tab, n, sizeof(*tab), by_count);
	*out = tab;
	return n;
}

size_t ord_logscan_providers(const ord_logscan *ls, const ord_namecount **out, uint64_t *other)
{
	ord_logscan *w = (ord_logscan *)ls;

	*other = ls->prov_other;
	return names(w->prov, w->nprov, ls->nsigs, out);
}

size_t ord_logscan_models(const ord_logscan *ls, const ord_namecount **out, uint64_t *other)
{
	ord_logscan *w = (ord_logscan *)ls;

	*other = ls->model_other;
	return names(w->model, w->nmodel, ls->nsigs, out);
}

size_t ord_logscan_alternations(const ord_logscan *ls, ord_alternation *out, size_t max)
{
	size_t a, b, n = 0, i;

	for (a = 0; a < ls->nsigs; a++)
		for (b = a + 1; b < ls->nsigs; b++) {
			uint64_t sw = (uint64_t)ls->trans[a * ls->nsigs + b] + ls->trans[b * ls->nsigs + a];
			uint64_t lo = ls->st[a].kind_count < ls->st[b].kind_count ?
				      ls->st[a].kind_count : ls->st[b].kind_count;
			ord_alternation x = {(long)a, (long)b, sw};

			/* Switching back and forth, not one block after another. */
			if (sw < 3 || sw * 2 < lo)
				continue;
			for (i = n < max ? n : max - 1; i > 0 && out[i - 1].switches < sw; i--)
				if (i < max)
					out[i] = out[i - 1];
			if (i < max) {
				out[i] = x;
				if (n < max)
					n++;
			}
		}
	return n;
}

int ord_logscan_timeline(const ord_logscan *ls, size_t width, long *kind, uint64_t *count,
			 int *by_time, int64_t *start, int64_t *end)
{
	size_t K = ls->nsigs, i, c, k;
	uint32_t *col;
	int64_t lo, hi;

	if (!ls->failure_lines || !width || !K)
		return 0;
	*by_time = ls->t_have && ls->with_ts * 2 >= ls->failure_lines;
	col = calloc(width * K, sizeof(*col));
	if (!col)
		return 0;
	if (*by_time) {
		lo = ls->tmin;
		hi = ls->tmax + 1;
	} else {
		lo = 0;
		hi = (int64_t)ls->pmax + 1;
	}
	for (i = 0; i < ORD_LS_BUCKETS; i++) {
		int64_t mid = *by_time ? ls->t0 + (int64_t)i * ls->tw + ls->tw / 2 :
					 (int64_t)(i * ls->pw + ls->pw / 2);
		const uint32_t *row = (*by_time ? ls->tl_t : ls->tl_p) + i * K;

		if (mid < lo)
			mid = lo;
		if (mid >= hi)
			mid = hi - 1;
		c = (size_t)((double)(mid - lo) / (double)(hi - lo) * (double)width);
		if (c >= width)
			c = width - 1;
		for (k = 0; k < K; k++)
			col[c * K + k] += row[k];
	}
	for (c = 0; c < width; c++) {
		kind[c] = -1;
		count[c] = 0;
		for (k = 0; k < K; k++) {
			count[c] += col[c * K + k];
			if (col[c * K + k] && (kind[c] < 0 || col[c * K + k] > col[c * K + (size_t)kind[c]]))
				kind[c] = (long)k;
		}
	}
	free(col);
	*start = lo;
	*end = hi - 1;
	return 1;
}

