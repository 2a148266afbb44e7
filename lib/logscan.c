/* logscan: the one streaming pass (see logscan.h): sources (plain, gzip),
 * chunks of whole lines, one Vectorscan call per chunk, the signature
 * rules per matched line, and what each matched line adds to the results
 * (logstats.c, logtime.c). */
#include "logscan_internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include "dl_hs.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "gate.h"
#include "unwrap.h"

/* ---- setup ------------------------------------------------------------------------ */

int ord_logscan_new(const ord_sigdb *db, const ord_logscan_opts *o, ord_logscan **out)
{
	ord_logscan *ls;
	size_t k, b = ORD_LS_BUCKETS;
	time_t now;
	struct tm tm;

	*out = NULL;
	if (!db->hs_db)
		return EINVAL;
	ls = calloc(1, sizeof(*ls));
	if (!ls)
		return ENOMEM;
	ls->db = db;
	ls->nsigs = db->nsigs;
	ls->npats = db->npats;
	if (o)
		ls->o = *o;
	ls->cap = ls->o.chunk ? ls->o.chunk : ORD_LS_CHUNK;
	if (ls->cap < 4096)
		ls->cap = 4096;
	k = ls->nsigs ? ls->nsigs : 1;
	ls->buf = malloc(ls->cap);
	ls->lp_cap = ls->npats + LINE_PATS_MAX;
	ls->lp = calloc(ls->lp_cap, sizeof(*ls->lp));
	ls->patseen = calloc(ls->npats + 1, 1);
	ls->sigmark = calloc(k, sizeof(*ls->sigmark));
	ls->cand = calloc(k, sizeof(*ls->cand));
	ls->st = calloc(k, sizeof(*ls->st));
	ls->trans = calloc(k * k, sizeof(*ls->trans));
	ls->tl_t = calloc(b * k, sizeof(uint32_t));
	ls->tl_p = calloc(b * k, sizeof(uint32_t));
	ls->tl_tmp = calloc(b * k, sizeof(uint32_t));
	ord_buf_init(&ls->head, ORD_LS_HEAD_MAX);
	ls->head_complete = 1;
	ls->prev_kind = -1;
	ls->pw = 1024;
	if (!ls->buf || !ls->lp || !ls->patseen || !ls->sigmark || !ls->cand || !ls->st || !ls->trans ||
	    !ls->tl_t || !ls->tl_p || !ls->tl_tmp ||
	    sym_hs_alloc_scratch((const hs_database_t *)db->hs_db, &ls->scratch) != HS_SUCCESS) {
		ord_logscan_free(ls);
		return ENOMEM;
	}
	for (k = 0; k < ls->nsigs; k++)
		ls->st[k].first.t = ls->st[k].last.t = INT64_MIN;
	now = ls->o.now ? (time_t)ls->o.now : 0;
	ls->year_hint = now && gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 2025;
	*out = ls;
	return 0;
}

void ord_logscan_free(ord_logscan *ls)
{
	size_t i;

	if (!ls)
		return;
	if (ls->scratch)
		sym_hs_free_scratch(ls->scratch);
	for (i = 0; i < ls->nsigs && ls->st; i++)
		free(ls->st[i].example);
	for (i = 0; i < NAMES_MAX; i++)
		free(ls->names[i]);
	for (i = 0; i < ORD_LS_NAMES; i++) {
		free(ls->prov[i].kinds);
		free(ls->model[i].kinds);
	}
	if (ls->buf)
		ord_wipe(ls->buf, ls->cap);
	free(ls->buf);
	free(ls->lp);
	free(ls->patseen);
	free(ls->sigmark);
	free(ls->cand);
	free(ls->st);
	free(ls->trans);
	free(ls->tl_t);
	free(ls->tl_p);
	free(ls->tl_tmp);
	ord_buf_release(&ls->head);
	free(ls);
}

/* ---- signature rules ---------------------------------------------------------------- */

static int holds(const ord_logscan *ls, const ord_sig *s)
{
	size_t i;

	for (i = s->pat_first; i < s->pat_first + s->npats; i++) {
		const ord_sigpat *p = &ls->db->pats[i];

		if (p->role == ORD_PAT_AND && !ls->patseen[i])
			return 0;
		if (p->role == ORD_PAT_NOT && ls->patseen[i])
			return 0;
	}
	return 1;
}

/* The signatures that hold for the patterns in lp, in database order,
 * after the fallback rule; clears the pattern set.  Returns how many. */
static size_t evaluate(ord_logscan *ls, unsigned *out)
{
	size_t i, j, n = 0, m = 0;
	int fail = 0;

	if (++ls->gen == 0) {
		memset(ls->sigmark, 0, ls->nsigs * sizeof(*ls->sigmark));
		ls->gen = 1;
	}
	for (i = 0; i < ls->nlp; i++) {
		const ord_sigpat *p = &ls->db->pats[ls->lp[i]];

		if (p->role == ORD_PAT_ANY && ls->sigmark[p->sig] != ls->gen) {
			ls->sigmark[p->sig] = ls->gen;
			if (holds(ls, &ls->db->sigs[p->sig]))
				out[n++] = p->sig;
		}
	}
	for (i = 0; i < ls->nlp; i++)
		ls->patseen[ls->lp[i]] = 0;
	ls->nlp = 0;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && out[j - 1] > out[j]; j--) {
			unsigned t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		fail |= ls->db->sigs[out[i]].role == ORD_SIGROLE_FAILURE;
	for (i = 0; i < n; i++)
		if (!fail || ls->db->sigs[out[i]].role != ORD_SIGROLE_FALLBACK)
			out[m++] = out[i];
	return m;
}

/* ---- recording a matched line ------------------------------------------------------ */

/* A timestamp for the line at s: its own, else the nearest earlier line
 * of the block that starts with one (a traceback under its log line). */
static int line_ts(ord_logscan *ls, const char *s, size_t len, ord_ts *ts)
{
	const char *p = s;
	int back;

	ts->t = INT64_MIN;
	if (ord_ts_parse_at(s, len, ls->year_hint, ls->o.now, 1, ts))
		return 1;
	for (back = 0; back < 64 && p > ls->blk && s - p < 16384; back++) {
		const char *e = p - 1, *b = memrchr(ls->blk, '\n', (size_t)(e - ls->blk));

		b = b ? b + 1 : ls->blk;
		if (ord_ts_parse_at(b, (size_t)(e - b), ls->year_hint, ls->o.now, 0, ts))
			return 1;
		p = b;
	}
	ts->t = INT64_MIN;
	return 0;
}

static void record(ord_logscan *ls, const char *s, const char *e, const unsigned *m, size_t n)
{
	long kind = -1;
	size_t i, len = (size_t)(e - s);
	uint64_t line_no;
	ord_ts ts;

	for (i = 0; i < n && kind < 0; i++)
		if (ls->db->sigs[m[i]].role != ORD_SIGROLE_EVIDENCE)
			kind = (long)m[i];
	if (s >= ls->nl_pos) {
		ls->in_lines += ord_count_nl(ls->nl_pos, s);
		ls->nl_pos = s;
	}
	line_no = ls->in_lines + 1;
	if (len && s[len - 1] == '\n')
		len--;
	line_ts(ls, s, len, &ts);
	if (ts.t != INT64_MIN && (ts.t < TS_MIN || ts.t > TS_MAX))
		ts.t = INT64_MIN;
	if (kind >= 0) {
		char name[96];
		size_t scan = len < 16384 ? len : 16384;

		ls->failure_lines++;
		ls->st[kind].kind_count++;
		ord_scrape_provider(s, scan, name, sizeof(name));
		ord_ls_name_add(ls->prov, &ls->nprov, &ls->prov_other, ls->nsigs, name, kind);
		ord_scrape_model(s, scan, name, sizeof(name));
		if (ls->nfrags < ORD_FRAG_MAX && ord_vendor_prefix_in(s, scan)) {
			ord_keyfrag f[ORD_FRAG_MAX];
			size_t k, j, nf = ord_key_fragments(s, scan, f, ORD_FRAG_MAX);

			for (k = 0; k < nf && ls->nfrags < ORD_FRAG_MAX; k++) {
				for (j = 0; j < ls->nfrags && strcmp(ls->frags[j].text, f[k].text); j++)
					;
				if (j == ls->nfrags)
					ls->frags[ls->nfrags++] = f[k];
			}
		}
		ord_ls_name_add(ls->model, &ls->nmodel, &ls->model_other, ls->nsigs, name, kind);
		if (ls->prev_kind >= 0 && ls->prev_kind != kind)
			ls->trans[(size_t)ls->prev_kind * ls->nsigs + (size_t)kind]++;
		ls->prev_kind = kind;
		if (ts.t != INT64_MIN) {
			ls->with_ts++;
			ord_ls_add_time(ls, ts.t, kind);
		}
		ord_ls_add_pos(ls, ls->pos + (uint64_t)(s - ls->blk), kind);
	}
	for (i = 0; i < n; i++) {
		ord_sigstat *st = &ls->st[m[i]];

		st->count++;
		if (st->count == 1) {
			st->first_line = line_no;
			st->first_input = ls->ninputs - 1;
			st->example = strndup(s, len < ORD_LS_EXAMPLE ? len : ORD_LS_EXAMPLE);
			if (st->example)
				ord_gate_str(st->example, strlen(st->example) + 1);
		}
		st->last_line = line_no;
		st->last_input = ls->ninputs - 1;
		if (ts.t != INT64_MIN) {
			if (st->first.t == INT64_MIN || ts.t < st->first.t)
				st->first = ts;
			if (st->last.t == INT64_MIN || ts.t >= st->last.t)
				st->last = ts;
		}
	}
}

static void line_done(ord_logscan *ls)
{
	size_t n = evaluate(ls, ls->cand);

	ls->cur_open = 0;
	if (n)
		record(ls, ls->cur_start, ls->cur_end, ls->cand, n);
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
		    unsigned flags, void *ctx)
{
	ord_logscan *ls = ctx;
	const char *last = ls->blk + (to ? to - 1 : 0);

	(void)from;
	(void)flags;
	if (!ls->cur_open || last < ls->cur_start || last >= ls->cur_end) {
		const char *b, *e;

		if (ls->cur_open)
			line_done(ls);
		b = last > ls->blk ? memrchr(ls->blk, '\n', (size_t)(last - ls->blk)) : NULL;
		e = memchr(last, '\n', (size_t)(ls->blk_end - last));
		ls->cur_start = b ? b + 1 : ls->blk;
		ls->cur_end = e ? e + 1 : ls->blk_end;
		ls->cur_open = 1;
	}
	if (id < ls->npats && !ls->patseen[id] && ls->nlp < LINE_PATS_MAX) {
		ls->patseen[id] = 1;
		ls->lp[ls->nlp++] = id;
	}
	return 0;
}

static void scan_block(ord_logscan *ls, const char *b, size_t len)
{
	ls->blk = ls->nl_pos = b;
	ls->blk_end = b + len;
	ls->cur_open = 0;
	ls->nlp = 0;
	if (len)
		sym_hs_scan((const hs_database_t *)ls->db->hs_db, b, (unsigned)len, 0, ls->scratch, on_match, ls);
	if (ls->cur_open)
		line_done(ls);
	ls->in_lines += ord_count_nl(ls->nl_pos, ls->blk_end);
	ls->nl_pos = ls->blk_end;
	ls->bytes += len;
	ls->pos += len;
	if (len)
		ls->last_byte = b[len - 1];
}

/* Scan the complete lines of the buffer (all of it when final, or when a
 * line fills the whole buffer); keep the rest for the next read. */
static void consume(ord_logscan *ls, int final)
{
	size_t upto;
	const char *nl;

	if (!ls->have)
		return;
	nl = final ? NULL : memrchr(ls->buf, '\n', ls->have);
	if (nl)
		upto = (size_t)(nl - ls->buf) + 1;
	else if (final || ls->have == ls->cap)
		upto = ls->have;
	else
		return;
	scan_block(ls, ls->buf, upto);
	memmove(ls->buf, ls->buf + upto, ls->have - upto);
	ls->have -= upto;
}

/* ---- sources ------------------------------------------------------------------------ */

typedef struct src {
	int fd;
	const char *mem;
	size_t mlen, mpos;
} src;

static long src_read(src *s, void *dst, size_t n)
{
	if (s->mem) {
		size_t k = s->mlen - s->mpos < n ? s->mlen - s->mpos : n;
		memcpy(dst, s->mem + s->mpos, k);
		s->mpos += k;
		return (long)k;
	}
	for (;;) {
		ssize_t r = read(s->fd, dst, n);
		if (r >= 0 || errno != EINTR)
			return r < 0 ? -errno : (long)r;
	}
}

static void got_raw(ord_logscan *ls, size_t n)
{
	ls->raw_in += n;
	if (ls->o.progress && ls->raw_in >= ls->next_progress) {
		ls->o.progress(ls->o.progress_ud, ls->raw_in);
		ls->next_progress = ls->raw_in + 16 * 1024 * 1024;
	}
}

static void got_text(ord_logscan *ls, const char *p, size_t n)
{
	if (ls->head_complete && ord_buf_add(&ls->head, p, n))
		ls->head_complete = 0;
}

static int scan_gzip(ord_logscan *ls, src *s, const unsigned char *first, size_t nfirst)
{
	unsigned char *zin = malloc(ZIN_CAP);
	z_stream zs;
	int rc = 0, eof = 0, ret = Z_OK;

	if (!zin)
		return ENOMEM;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 32) != Z_OK) {
		free(zin);
		return ENOMEM;
	}
	memcpy(zin, first, nfirst);
	zs.next_in = zin;
	zs.avail_in = (uInt)nfirst;
	for (;;) {
		size_t room, made;

		if (zs.avail_in == 0 && !eof) {
			long r = src_read(s, zin, ZIN_CAP);
			if (r < 0) {
				rc = (int)-r;
				break;
			}
			got_raw(ls, (size_t)r);
			eof = r == 0;
			zs.next_in = zin;
			zs.avail_in = (uInt)r;
		}
		if (zs.avail_in == 0 && eof) {
			if (ret != Z_STREAM_END)
				rc = EBADMSG;  /* cut short */
			break;
		}
		if (ret == Z_STREAM_END) {
			/* Another member of a concatenated file. */
			if (inflateReset(&zs) != Z_OK) {
				rc = EBADMSG;
				break;
			}
		}
		if (ls->have == ls->cap)
			consume(ls, 0);
		room = ls->cap - ls->have;
		zs.next_out = (unsigned char *)ls->buf + ls->have;
		zs.avail_out = (uInt)room;
		ret = inflate(&zs, Z_NO_FLUSH);
		made = room - zs.avail_out;
		got_text(ls, ls->buf + ls->have, made);
		ls->have += made;
		if (ret != Z_OK && ret != Z_STREAM_END && !(ret == Z_BUF_ERROR && !made)) {
			rc = EBADMSG;
			break;
		}
		if (ls->have >= ls->cap / 2)
			consume(ls, 0);
	}
	inflateEnd(&zs);
	free(zin);
	return rc;
}

static int scan_source(ord_logscan *ls, src *s, const char *name)
{
	uint64_t start = ls->bytes;
	long r;
	int rc = 0;

	if (ls->ninputs < NAMES_MAX)
		ls->names[ls->ninputs] = strdup(name ? name : "-");
	ls->ninputs++;
	ls->have = 0;
	ls->in_lines = 0;
	ls->prev_kind = -1;
	/* The first bytes tell gzip from text (read at most ZIN_CAP: they
	 * are handed to the inflater whole). */
	while (ls->have < 2) {
		r = src_read(s, ls->buf + ls->have, (ls->cap < ZIN_CAP ? ls->cap : ZIN_CAP) - ls->have);
		if (r <= 0) {
			rc = r < 0 ? (int)-r : 0;
			break;
		}
		got_raw(ls, (size_t)r);
		ls->have += (size_t)r;
	}
	if (ls->have >= 2 && (unsigned char)ls->buf[0] == 0x1f && (unsigned char)ls->buf[1] == 0x8b) {
		size_t n = ls->have;
		unsigned char *first = malloc(n);

		if (!first)
			return ENOMEM;
		memcpy(first, ls->buf, n);
		ls->have = 0;
		rc = scan_gzip(ls, s, first, n);
		free(first);
	} else if (!rc) {
		got_text(ls, ls->buf, ls->have);
		for (;;) {
			if (ls->have >= ls->cap / 2)
				consume(ls, 0);
			r = src_read(s, ls->buf + ls->have, ls->cap - ls->have);
			if (r <= 0) {
				rc = r < 0 ? (int)-r : 0;
				break;
			}
			got_raw(ls, (size_t)r);
			got_text(ls, ls->buf + ls->have, (size_t)r);
			ls->have += (size_t)r;
		}
	}
	consume(ls, 1);
	/* An unterminated last line counts as a line. */
	if (ls->bytes > start && ls->last_byte != '\n')
		ls->in_lines++;
	ls->lines += ls->in_lines;
	return rc;
}

int ord_logscan_read_fd(ord_logscan *ls, int fd, const char *name)
{
	src s = {fd, NULL, 0, 0};

	return scan_source(ls, &s, name);
}

int ord_logscan_text(ord_logscan *ls, const char *data, size_t len, const char *name)
{
	src s = {-1, data ? data : "", data ? len : 0, 0};

	return scan_source(ls, &s, name);
}

int ord_log_open(ord_ctx *ctx, const char *path, int *fd, uint64_t *size)
{
	struct stat st;
	int rc, f, fl;

	*fd = -1;
	*size = 0;
	if ((rc = ord_stat(ctx, path, &st)))
		return rc;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (S_ISREG(st.st_mode)) {
		/* The file table decides whether it may be read (injected
		 * faults); zero bytes are read through it. */
		ord_buf probe = ORD_BUF_INIT(16);
		int trunc = 0;

		rc = ord_read_file(ctx, path, 0, &probe, &trunc);
		ord_buf_release(&probe);
		if (rc)
			return rc;
	} else if (!S_ISFIFO(st.st_mode))
		return EINVAL;
	f = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (f < 0)
		return errno;
	if (fstat(f, &st)) {
		rc = errno;
		close(f);
		return rc;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		close(f);
		return S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	}
	fl = fcntl(f, F_GETFL);
	if (fl >= 0)
		fcntl(f, F_SETFL, fl & ~O_NONBLOCK);
	if (S_ISREG(st.st_mode)) {
		*size = (uint64_t)st.st_size;
		posix_fadvise(f, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	*fd = f;
	return 0;
}

/* ---- message mode ------------------------------------------------------------------------- */

static int on_match_text(unsigned id, unsigned long long from, unsigned long long to,
			 unsigned flags, void *ctx)
{
	ord_logscan *ls = ctx;

	(void)from;
	(void)to;
	(void)flags;
	if (id < ls->npats && !ls->patseen[id] && ls->nlp < ls->lp_cap) {
		ls->patseen[id] = 1;
		ls->lp[ls->nlp++] = id;
	}
	return 0;
}

int ord_logscan_match_text(ord_logscan *ls, const char *text, size_t len, unsigned char *set)
{
	size_t i, n;

	memset(set, 0, ls->nsigs);
	ls->nlp = 0;
	if (len > UINT_MAX)
		len = UINT_MAX;
	if (len && sym_hs_scan((const hs_database_t *)ls->db->hs_db, text, (unsigned)len, 0, ls->scratch,
			   on_match_text, ls) != HS_SUCCESS) {
		for (i = 0; i < ls->nlp; i++)
			ls->patseen[ls->lp[i]] = 0;
		ls->nlp = 0;
		return EIO;
	}
	n = evaluate(ls, ls->cand);
	for (i = 0; i < n; i++)
		set[ls->cand[i]] = 1;
	return 0;
}
