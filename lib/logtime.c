/* logtime: timestamps in log lines, and newline counting (logscan.h). */
#include "logscan_internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- timestamps -------------------------------------------------------------- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int num(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

static int month_of(const char *s)
{
	static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	for (i = 0; i < 12; i++)
		if (!strncmp(s, m + i * 3, 3))
			return i + 1;
	return 0;
}

static int set_ts(ord_ts *out, int y, int mo, int d, int h, int mi, int se, long off,
		  const char *text, size_t tl)
{
	if (y < 1970 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return 0;
	out->t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se - off;
	if (tl >= sizeof(out->text))
		tl = sizeof(out->text) - 1;
	memcpy(out->text, text, tl);
	out->text[tl] = '\0';
	return 1;
}

/* "+hh:mm", "+hhmm", "Z", " UTC" at p; returns its length, *off seconds. */
static size_t zone(const char *p, const char *end, long *off)
{
	int h, m;

	*off = 0;
	if (p < end && *p == 'Z')
		return 1;
	if (end - p >= 4 && !memcmp(p, " UTC", 4))
		return 4;
	if (end - p >= 6 && (*p == '+' || *p == '-') && num(p + 1, 2, &h) && p[3] == ':' && num(p + 4, 2, &m)) {
		*off = (*p == '-' ? -1 : 1) * (h * 3600L + m * 60L);
		return 6;
	}
	if (end - p >= 5 && (*p == '+' || *p == '-') && num(p + 1, 2, &h) && num(p + 3, 2, &m)) {
		*off = (*p == '-' ? -1 : 1) * (h * 3600L + m * 60L);
		return 5;
	}
	return 0;
}

static int iso_at(const char *s, const char *end, ord_ts *out)
{
	int y, mo, d, h, mi, se;
	const char *p;
	long off = 0;

	if (end - s < 19 || !num(s, 4, &y) || (s[4] != '-' && s[4] != '/') || s[7] != s[4] ||
	    !num(s + 5, 2, &mo) || !num(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
	    !num(s + 11, 2, &h) || s[13] != ':' || !num(s + 14, 2, &mi) || s[16] != ':' ||
	    !num(s + 17, 2, &se))
		return 0;
	p = s + 19;
	if (p < end && (*p == '.' || *p == ',') && p + 1 < end && isdigit((unsigned char)p[1]))
		for (p++; p < end && isdigit((unsigned char)*p); p++)
			;
	p += zone(p, end, &off);
	return set_ts(out, y, mo, d, h, mi, se, off, s, (size_t)(p - s));
}

static int syslog_at(const char *s, const char *end, int year_hint, int64_t now, ord_ts *out)
{
	int mo, d, h, mi, se, sp;

	if (end - s < 15 || !(mo = month_of(s)) || s[3] != ' ')
		return 0;
	sp = s[4] == ' ' ? 1 : 0;
	if (!num(s + 4 + sp, 2 - sp, &d) || s[6] != ' ' || !num(s + 7, 2, &h) || s[9] != ':' ||
	    !num(s + 10, 2, &mi) || s[12] != ':' || !num(s + 13, 2, &se))
		return 0;
	if (!set_ts(out, year_hint, mo, d, h, mi, se, 0, s, 15))
		return 0;
	/* A date after the clock belongs to last year. */
	if (now && out->t > now + 2 * 86400)
		set_ts(out, year_hint - 1, mo, d, h, mi, se, 0, s, 15);
	return 1;
}

static int clf_at(const char *s, const char *end, ord_ts *out)
{
	int d, mo, y, h, mi, se;
	long off = 0;
	size_t z;

	if (end - s < 20 || !num(s, 2, &d) || s[2] != '/' || !(mo = month_of(s + 3)) || s[6] != '/' ||
	    !num(s + 7, 4, &y) || s[11] != ':' || !num(s + 12, 2, &h) || s[14] != ':' ||
	    !num(s + 15, 2, &mi) || s[17] != ':' || !num(s + 18, 2, &se))
		return 0;
	z = s + 20 < end && s[20] == ' ' ? zone(s + 21, end, &off) : 0;
	return set_ts(out, y, mo, d, h, mi, se, off, s, 20 + (z ? z + 1 : 0));
}

static int epoch_at(const char *s, const char *end, ord_ts *out)
{
	static const char *const keys[] = {"\"ts\":", "\"time\":", "\"timestamp\":", "ts=", "time="};
	size_t k;

	for (k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		const char *p = memmem(s, (size_t)(end - s), keys[k], strlen(keys[k])), *q;
		int64_t v = 0;

		if (!p)
			continue;
		p += strlen(keys[k]);
		while (p < end && *p == ' ')
			p++;
		for (q = p; q < end && isdigit((unsigned char)*q) && q - p < 14; q++)
			v = v * 10 + (*q - '0');
		if (q - p == 13)
			v /= 1000;
		else if (q - p != 10)
			continue;
		if (v < TS_MIN || v > TS_MAX)
			continue;
		out->t = v;
		memcpy(out->text, p, (size_t)(q - p));
		out->text[q - p] = '\0';
		return 1;
	}
	return 0;
}

int ord_ts_parse_at(const char *s, size_t len, int year_hint, int64_t now, int anywhere, ord_ts *out)
{
	const char *end = s + (len < 256 ? len : 256), *p = s;

	/* A "<13>" syslog priority, '[' and blanks before the time. */
	if (p < end && *p == '<') {
		const char *q = memchr(p, '>', (size_t)(end - p));
		if (q && q - p <= 4)
			p = q + 1;
	}
	while (p < end && (*p == '[' || *p == ' ' || *p == '\t') && p - s < 8)
		p++;
	if (iso_at(p, end, out) || syslog_at(p, end, year_hint, now, out) || clf_at(p, end, out))
		return 1;
	if (!anywhere)
		return 0;
	for (p = s; p + 19 <= end; p++) {
		if (!isdigit((unsigned char)*p))
			continue;
		if ((p[2] == '/' && clf_at(p, end, out)) || ((p[4] == '-' || p[4] == '/') && iso_at(p, end, out)))
			return 1;
	}
	return epoch_at(s, end, out);
}

int ord_ts_parse(const char *line, size_t len, int year_hint, int64_t now, ord_ts *out)
{
	memset(out, 0, sizeof(*out));
	out->t = INT64_MIN;
	if (!line || !ord_ts_parse_at(line, len, year_hint, now, 1, out)) {
		out->t = INT64_MIN;
		out->text[0] = '\0';
		return 0;
	}
	return 1;
}

/* ---- newline counting ----------------------------------------------------------- */

uint64_t ord_count_nl(const char *p, const char *end)
{
	uint64_t n = 0;

#ifdef __SSE2__
	/* Byte counters (0 - 0xff per match), summed every 255 rounds. */
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();

	while (end - p >= 64) {
		__m128i acc = zero;
		int r;

		for (r = 0; r < 255 && end - p >= 64; r++, p += 64) {
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), nl));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), nl));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), nl));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), nl));
			if (r % 63 == 62) {
				/* four adds per round: flush before a byte overflows */
				__m128i s = _mm_sad_epu8(acc, zero);
				n += (uint64_t)_mm_cvtsi128_si64(s) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s));
				acc = zero;
			}
		}
		{
			__m128i s = _mm_sad_epu8(acc, zero);
			n += (uint64_t)_mm_cvtsi128_si64(s) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s));
		}
	}
#endif
	while (p < end)
		n += *p++ == '\n';
	return n;
}

