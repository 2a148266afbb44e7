/* logscan: one streaming pass of every signature over any amount of text.
 *
 * Input arrives in fixed-size chunks (read(2) straight into a 1 MiB
 * buffer, or inflated from gzip); every complete line of a chunk is
 * scanned by ONE Vectorscan block-mode call with the database of
 * ord_sigdb_compile(), and only the lines that matched are looked at
 * again (signature rules, timestamp, provider, model).  Memory does not
 * depend on the input size: a fixed buffer, per-signature counters, a
 * 1024-bucket timeline whose bucket width doubles as the time span grows,
 * and capped provider/model tables.  A line longer than the buffer is
 * scanned in buffer-sized pieces.
 *
 * Why block mode per chunk and not hs_open_stream: a match must be tied
 * to its line (its timestamp, provider, model), and chunks end on line
 * boundaries, so block mode over complete lines gives the same matches
 * without stream state (see docs/signatures.md, "Performance").
 *
 * Reading: ord_logscan_read_fd() reads an fd the caller opened;
 * ord_log_open() opens a path for it.  The context's file table
 * (ord_fs_ops) has no streaming read, so ord_log_open consults it first
 * (stat and a zero-byte read, so injected faults still apply) and then
 * opens the file with open(2); an `open_stream` member of ord_fs_ops is
 * the proper home for this (proposed in the issue-5 report).
 */
#ifndef ORD_LOGSCAN_H
#define ORD_LOGSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "ctx.h"
#include "sigdb.h"

#define ORD_LS_CHUNK (1024 * 1024)     /* bytes scanned per call */
#define ORD_LS_HEAD_MAX (256 * 1024)   /* input kept for message mode */
#define ORD_LS_BUCKETS 1024            /* timeline resolution */
#define ORD_LS_NAMES 64                /* providers / models tracked */
#define ORD_LS_EXAMPLE 2048            /* bytes of an example line */
#define ORD_TS_TEXT 40

/* A timestamp as written and as seconds (UTC when the text had a zone,
 * else the wall-clock time read as UTC). */
typedef struct ord_ts {
	int64_t t;
	char text[ORD_TS_TEXT];
} ord_ts;

/* Find a timestamp in a line: ISO 8601 ("2025-01-02T03:04:05.123Z",
 * "2025-01-02 03:04:05,123", also with '/' in the date), syslog
 * ("Jan  2 03:04:05", the year from year_hint), common log format
 * ("02/Jan/2025:03:04:05 +0000"), Home Assistant ("2025-01-02
 * 03:04:05.123 ERROR (MainThread) [...]") and epoch seconds or
 * milliseconds after "ts", "time" or "timestamp" keys.  Returns 1 when
 * found. */
int ord_ts_parse(const char *line, size_t len, int year_hint, int64_t now, ord_ts *out);

typedef struct ord_sigstat {
	uint64_t count;          /* lines (or messages) it matched */
	uint64_t kind_count;     /* ... where it was the line's kind */
	ord_ts first, last;      /* first/last timestamps (t = INT64_MIN: none) */
	uint64_t first_line, last_line;
	int first_input, last_input;
	char *example;           /* the first matching line, scrubbed */
} ord_sigstat;

typedef struct ord_namecount {
	char name[96];
	uint64_t count;
	long top_kind;           /* its most frequent kind (signature index) */
	uint32_t *kinds;         /* per-signature counts (internal) */
} ord_namecount;

typedef struct ord_alternation {
	long a, b;               /* signature indexes */
	uint64_t switches;
} ord_alternation;

typedef struct ord_logscan ord_logscan;

typedef struct ord_logscan_opts {
	int64_t now;             /* the clock (syslog years); 0: unknown */
	size_t chunk;            /* 0: ORD_LS_CHUNK */
	/* Called every 16 MiB of input read (bytes so far). */
	void (*progress)(void *ud, uint64_t bytes);
	void *progress_ud;
} ord_logscan_opts;

int ord_logscan_new(const ord_sigdb *db, const ord_logscan_opts *o, ord_logscan **out);
void ord_logscan_free(ord_logscan *ls);

/* Scan everything readable from fd (plain or gzip, detected by its magic
 * bytes; concatenated gzip members too).  name is shown in summaries.
 * Returns 0, or an errno value (the read error; what was read before it
 * is counted). */
int ord_logscan_read_fd(ord_logscan *ls, int fd, const char *name);
/* Scan a buffer as one input (gzip detected too). */
int ord_logscan_text(ord_logscan *ls, const char *data, size_t len, const char *name);

/* Open a log file for ord_logscan_read_fd: regular files, pipes and
 * FIFOs (never blocks on open); directories EISDIR, devices EINVAL.
 * *size receives the size of a regular file, else 0. */
int ord_log_open(ord_ctx *ctx, const char *path, int *fd, uint64_t *size);

/* ---- results ------------------------------------------------------------ */

const ord_sig *ord_logscan_db_sig(const ord_logscan *ls, size_t i);
const ord_sigstat *ord_logscan_stat(const ord_logscan *ls, size_t sig);
uint64_t ord_logscan_bytes(const ord_logscan *ls);
uint64_t ord_logscan_lines(const ord_logscan *ls);
uint64_t ord_logscan_matched_lines(const ord_logscan *ls);   /* failure lines */
uint64_t ord_logscan_timestamped(const ord_logscan *ls);     /* ... with a time */
/* Key fragments seen on failure lines (at most ORD_FRAG_MAX, reduced as
 * unwrap.h says). */
struct ord_keyfrag;
size_t ord_logscan_fragments(const ord_logscan *ls, const struct ord_keyfrag **out);
int ord_logscan_inputs(const ord_logscan *ls);
const char *ord_logscan_input_name(const ord_logscan *ls, int i);
/* The first ORD_LS_HEAD_MAX bytes of all input; *complete when that was
 * everything. */
const char *ord_logscan_head(const ord_logscan *ls, size_t *len, int *complete);
/* Providers / models, most frequent first. */
size_t ord_logscan_providers(const ord_logscan *ls, const ord_namecount **out, uint64_t *other);
size_t ord_logscan_models(const ord_logscan *ls, const ord_namecount **out, uint64_t *other);
/* Pairs of failure kinds that alternate (at most max, most switches
 * first). */
size_t ord_logscan_alternations(const ord_logscan *ls, ord_alternation *out, size_t max);
/* The timeline in `width` columns: for each the dominant kind (or -1)
 * and the number of failure lines.  Time axis when most failure lines had
 * a timestamp (*by_time = 1, *start/ *end in seconds), else input position
 * (start and end in bytes).  Returns 0 when there is nothing to draw. */
int ord_logscan_timeline(const ord_logscan *ls, size_t width, long *kind, uint64_t *count,
			 int *by_time, int64_t *start, int64_t *end);

/* Evaluate the signatures over one whole text as a single unit (message
 * mode): set[i] = 1 for every signature i that holds, after the fallback
 * rule.  Returns 0 or an error from Vectorscan (EIO). */
int ord_logscan_match_text(ord_logscan *ls, const char *text, size_t len, unsigned char *set);

#endif
