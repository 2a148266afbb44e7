/* logscan internals: the scanner's state, shared by logscan.c (the pass),
 * logtime.c (timestamps, newline counting) and logstats.c (timeline,
 * breakdowns, results).  Not a public header. */
#ifndef ORD_LOGSCAN_INTERNAL_H
#define ORD_LOGSCAN_INTERNAL_H

#include "dl_hs.h"

#include "logscan.h"
#include "unwrap.h"

#define LINE_PATS_MAX 64        /* distinct patterns kept per line */
#define ZIN_CAP (256 * 1024)    /* compressed bytes per read */
#define NAMES_MAX 256           /* input names kept */
#define TS_MIN 946684800LL      /* 2000-01-01: earlier is not a log time */
#define TS_MAX 4102444800LL     /* 2100-01-01 */

struct ord_logscan {
	const ord_sigdb *db;
	hs_scratch_t *scratch;
	size_t nsigs, npats;
	ord_logscan_opts o;
	char *buf;
	size_t have, cap;
	/* the block being scanned */
	const char *blk, *blk_end, *nl_pos;
	uint64_t in_lines;          /* newlines before nl_pos in this input */
	char last_byte;             /* the last byte scanned */
	const char *cur_start, *cur_end;
	int cur_open;
	unsigned *lp;
	size_t nlp, lp_cap;
	unsigned char *patseen;
	uint32_t *sigmark, gen;
	unsigned *cand;
	/* totals */
	uint64_t bytes, lines, failure_lines, pos, raw_in, next_progress;
	int ninputs, year_hint;
	char *names[NAMES_MAX];
	ord_sigstat *st;
	uint32_t *trans;
	long prev_kind;
	/* timeline: time axis (t0, tw) and position axis (pw) */
	uint32_t *tl_t, *tl_p, *tl_tmp;
	int64_t t0, tw, tmin, tmax;
	int t_have;
	uint64_t pw, with_ts, pmax;
	ord_namecount prov[ORD_LS_NAMES], model[ORD_LS_NAMES];
	size_t nprov, nmodel;
	uint64_t prov_other, model_other;
	ord_keyfrag frags[ORD_FRAG_MAX];  /* key fragments seen on failure lines */
	size_t nfrags;
	ord_buf head;
	int head_complete;
};

int ord_ts_parse_at(const char *s, size_t len, int year_hint, int64_t now, int anywhere, ord_ts *out);
uint64_t ord_count_nl(const char *p, const char *end);
void ord_ls_add_time(ord_logscan *ls, int64_t t, long kind);
void ord_ls_add_pos(ord_logscan *ls, uint64_t pos, long kind);
void ord_ls_name_add(ord_namecount *tab, size_t *n, uint64_t *other, size_t nsigs, const char *name, long kind);

#endif
