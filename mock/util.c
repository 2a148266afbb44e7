/* mock/util: JSON text, numbers, ids, time, streamed bodies. */
#include "internal.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "lib/key.h"

void mock_json_str(ord_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	ord_buf_addc(b, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"': ord_buf_adds(b, "\\\""); break;
		case '\\': ord_buf_adds(b, "\\\\"); break;
		case '\n': ord_buf_adds(b, "\\n"); break;
		case '\r': ord_buf_adds(b, "\\r"); break;
		case '\t': ord_buf_adds(b, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				char u[7] = {'\\', 'u', '0', '0', hex[*p >> 4],
					     hex[*p & 15], 0};
				ord_buf_adds(b, u);
			} else
				ord_buf_addc(b, (char)*p);
		}
	}
	ord_buf_addc(b, '"');
}

const char *mock_num(char out[40], double d)
{
	double a;
	int exp, prec;
	size_t n;

	if (!isfinite(d) || fabs(d) >= 1e15)
		d = isfinite(d) ? (d < 0 ? -1e15 : 1e15) : 0;
	if (d == 0)
		d = 0; /* no "-0" */
	a = fabs(d);
	if (d == floor(d)) {
		snprintf(out, 40, "%.0f", d);
		return out;
	}
	if (a < 1e-6) {
		/* JavaScript switches to exponents below 1e-6 too. */
		snprintf(out, 40, "%.12g", d);
		return out;
	}
	/* 12 significant digits in plain notation, like JSON.stringify
	 * writes 0.0000625 (and FP noise such as 8.499999999999e-05 is
	 * rounded away). */
	exp = (int)floor(log10(a));
	prec = 11 - exp;
	if (prec < 0)
		prec = 0;
	if (prec > 20)
		prec = 20;
	snprintf(out, 40, "%.*f", prec, d);
	if (strchr(out, '.')) {
		n = strlen(out);
		while (n > 0 && out[n - 1] == '0')
			out[--n] = '\0';
		if (n > 0 && out[n - 1] == '.')
			out[--n] = '\0';
	}
	return out;
}

json_object *mock_jnum(double d)
{
	char b[40];

	return json_object_new_double_s(d, mock_num(b, d));
}

const char *mock_jdump(json_object *o)
{
	return json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

uint64_t mock_rand(ord_mock *m)
{
	uint64_t x;

	pthread_mutex_lock(&m->lock);
	/* xorshift64*: ids and the moderation of flaky shares only, nothing
	 * secret. */
	x = m->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	m->rng = x;
	pthread_mutex_unlock(&m->lock);
	return x * 0x2545F4914F6CDD1DULL;
}

void mock_rand_id(ord_mock *m, char *out, size_t cap, const char *prefix,
		  size_t n)
{
	static const char an[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	size_t pl = strlen(prefix), i;
	uint64_t r = 0;

	if (cap == 0)
		return;
	if (pl >= cap)
		pl = cap - 1;
	memcpy(out, prefix, pl);
	for (i = 0; i < n && pl + i + 1 < cap; i++) {
		if (i % 8 == 0)
			r = mock_rand(m);
		out[pl + i] = an[r % 62];
		r /= 62;
	}
	out[pl + i] = '\0';
}

void mock_iso_time(char out[40], time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 40, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

time_t mock_now(const ord_mock *m)
{
	return m->cfg.has_now ? m->cfg.now : time(NULL);
}

void mock_iso_now(const ord_mock *m, char out[40])
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	if (m->cfg.has_now) {
		ts.tv_sec = m->cfg.now;
		ts.tv_nsec = 0;
	} else
		clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 40, "%.19s.%03dZ", base, (int)(ts.tv_nsec / 1000000) % 1000);
}

mock_stream *mock_stream_new(void)
{
	return calloc(1, sizeof(mock_stream));
}

void mock_stream_add(mock_stream *s, const char *data, size_t len)
{
	char *c;

	if (!s || s->failed)
		return;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		char **nch = realloc(s->chunk, nc * sizeof(*nch));
		size_t *nl;

		if (!nch) {
			s->failed = 1;
			return;
		}
		s->chunk = nch;
		nl = realloc(s->len, nc * sizeof(*nl));
		if (!nl) {
			s->failed = 1;
			return;
		}
		s->len = nl;
		s->cap = nc;
	}
	c = malloc(len + 1);
	if (!c) {
		s->failed = 1;
		return;
	}
	memcpy(c, data, len);
	c[len] = '\0';
	s->chunk[s->n] = c;
	s->len[s->n] = len;
	s->n++;
}

void mock_stream_addf(mock_stream *s, const char *fmt, ...)
{
	ord_buf b = ORD_BUF_INIT(MOCK_BODY_MAX);
	va_list ap;

	va_start(ap, fmt);
	if (ord_buf_vaddf(&b, fmt, ap))
		s->failed = 1;
	va_end(ap);
	mock_stream_add(s, ord_buf_str(&b), b.len);
	ord_buf_release(&b);
}

void mock_stream_free(mock_stream *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->chunk[i]);
	free(s->chunk);
	free(s->len);
	free(s);
}

uint64_t mock_seed(void)
{
	uint64_t s = 0;
	struct timespec ts;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		s = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
		    (uint64_t)getpid();
	}
	return s ? s : 0x9E3779B97F4A7C15ULL;
}
