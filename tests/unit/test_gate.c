/* Unit tests for lib/gate.c and lib/gate_stream.c: the one output gate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/gate.h"
#include "lib/key.h"

/* A fake key: never issued by anyone. */
#define HEX "3fa1c0de5b7e2a9d4c8f1e6b0a7d3c5e9f2b4a6c8e0d1f3a5b7c9e2d4f6a8b91"
#define KEY "sk-or-v1-" HEX
#define LABEL "sk-or-v1-3fa...b91"
#define ANT "sk-ant-api03-Zq8vKp2LmN4xR7tYw1bC5dF9gH3jK6mP0sQ2uV4"

static char *gate(const char *s)
{
	char *g = ord_gate_dup(s, strlen(s));

	assert_non_null(g);
	return g;
}

/* Assert that the gated form of in holds no trace of the key body and
 * shows want (when given). */
static void check(const char *in, const char *want)
{
	char *g = gate(in);

	if (strstr(g, HEX + 3) || strstr(g, "5b7e2a9d4c8f") || strstr(g, "Zq8vKp2LmN4x"))
		fail_msg("key survived the gate: input \"%s\"", in);
	if (want && !strstr(g, want))
		fail_msg("\"%s\" gated to \"%s\", without \"%s\"", in, g, want);
	free(g);
}

static void pct(char *out, const char *s)
{
	for (; *s; s++)
		out += sprintf(out, "%%%02X", (unsigned char)*s);
}

static void test_encodings(void **state)
{
	char b[1024], e[512];

	(void)state;
	check(KEY, LABEL);
	check("xx" KEY "yy", "sk-or-v1-3fa...");
	check("Bearer " KEY, "Bearer " LABEL);
	check("/api/v1/key?key=Bearer%20" KEY, "?key=Bearer%20" LABEL);
	check("?key=sk%2Dor%2Dv1%2D" HEX "&x=1", "?key=" LABEL "&x=1");
	pct(e, KEY);
	snprintf(b, sizeof(b), "/p?k=%s", e);
	check(b, "/p?k=" LABEL);
	check("{\"model\":\"\\u0073k-or-v1-" HEX "\"}", "{\"model\":\"" LABEL "\"}");
	check("{\"model\":\"x\\n" KEY "\"}", "x\\n" LABEL);
	check("{\"m\":\"\\t" KEY "\"}", "\\t" LABEL);
	check("\\x73k-or-v1-" HEX, LABEL);
	check("&#115;k-or-v1-" HEX, LABEL);
	check("&#x73;k-or-v1-" HEX, LABEL);
	check("\\\\u0073k-or-v1-" HEX, LABEL); /* escaped twice */
	check("https://user:" KEY "@openrouter.ai/api/v1", "https://user:" LABEL "@openrouter.ai/api/v1");
	check("https://openrouter.ai/api/v1?key=" KEY, "?key=" LABEL);
	check("https://openrouter.ai/api/v1#" KEY, "#" LABEL);
	check("https://openrouter.ai/api/v1/" KEY, "/api/v1/" LABEL);
	check("http://x:" ANT "@127.0.0.1/api", "http://x:sk-ant-api...uV4");
	check(HEX, "3fa...b91");             /* a key without its prefix */
	check("v1-" HEX, "v1-3fa...b91");
	check("model=x" KEY, LABEL);
	/* Basic credentials: base64 of "user:<key>". */
	{
		static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		const unsigned char *in = (const unsigned char *)"user:" KEY;
		size_t n = strlen((const char *)in), i, o = 0;

		o = (size_t)sprintf(b, "Authorization: Basic ");
		for (i = 0; i < n; i += 3) {
			unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
				     (i + 2 < n ? in[i + 2] : 0);
			b[o++] = tbl[v >> 18 & 63];
			b[o++] = tbl[v >> 12 & 63];
			b[o++] = i + 1 < n ? tbl[v >> 6 & 63] : '=';
			b[o++] = i + 2 < n ? tbl[v & 63] : '=';
		}
		b[o] = '\0';
		check(b, "Basic " LABEL);
	}
	/* Other vendors, one table. */
	check("xai-" "Ab3dEf6hIj9lMn2pQr5tUv8x", "xai-Ab3...v8x");
	check("k=" ANT, "sk-ant-api...uV4");
}

static void test_not_secrets(void **state)
{
	static const char *const keep[] = {
		"sk-or-v1-3fa...b91",               /* the label form stays */
		"disk-usage-reporting-enabled-now", /* a word, not a key */
		"sk-or-v1-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", /* a template */
		"fp 3fa1c0de5b7e",                  /* a fingerprint */
		"https://openrouter.ai/api/v1/chat/completions",
		"model=anthropic/claude-3.5-sonnet", "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x94\x91",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keep) / sizeof(*keep); i++) {
		char *g = gate(keep[i]);
		assert_string_equal(g, keep[i]);
		free(g);
	}
}

static void test_controls_and_utf8(void **state)
{
	ord_buf b = ORD_BUF_INIT(4096);
	static const char sgr[] = "\033[31mx\033[0m\033[38;5;1m";
	char *g;

	(void)state;
	g = gate("a\033[31mred\033]0;title\007\r\b\x7f\tb\n");
	assert_string_equal(g, "a?[31mred?]0;title???\?\tb\n");
	free(g);
	/* C1 (CSI as one byte), bidi override, line separator. */
	g = gate("x\xc2\x9b" "2Jy\xe2\x80\xaez\xe2\x80\xa8w");
	assert_string_equal(g, "x?2Jy?z?w");
	free(g);
	/* Surrogates, overlongs, stray and cut sequences: U+FFFD each byte. */
	g = gate("\xed\xa0\x80|\xc0\xaf|\x80|\xe2\x82|\xf5\x80\x80\x80");
	assert_non_null(strstr(g, "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"));
	free(g);
	g = ord_gate_dup("a\0b", 3);
	assert_string_equal(g, "a?b");
	free(g);
	/* The colour sequences stay only when asked, and only exactly. */
	assert_int_equal(ord_gate_buf(sgr, strlen(sgr), ORD_GATE_SGR, &b), 0);
	assert_string_equal(ord_buf_str(&b), "\033[31mx\033[0m?[38;5;1m");
	ord_buf_release(&b);
}

static void test_idempotent_and_copy(void **state)
{
	static const char *const in[] = {
		"x " KEY " y", "?k=sk%2Dor%2Dv1%2D" HEX, "\xed\xa0\x80\033[2J", "a***bcdefgh",
	};
	char small[24];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(*in); i++) {
		char *a = gate(in[i]), *b = gate(a);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	/* Cut after gating, on a character boundary. */
	ord_gate_copy(small, sizeof(small), "key=" KEY, strlen("key=" KEY));
	assert_string_equal(small, "key=" LABEL);
	ord_gate_copy(small, 6, "ab\xc3\xa9\xc3\xa9", 6);
	assert_string_equal(small, "ab\xc3\xa9");
	snprintf(small, sizeof(small), "%.23s", KEY);
	ord_gate_str(small, sizeof(small));
	assert_null(strstr(small, "5b7e2a9d4c8f"));
}

static void test_masks(void **state)
{
	char *g;

	(void)state;
	g = gate("key sk-or-v1-8e54ae900036*************************0e389672acfd377fa08322a865d8e3 end");
	assert_null(strstr(g, "900036"));
	assert_null(strstr(g, "0e389672"));
	assert_non_null(strstr(g, "d8e3"));
	free(g);
}

/* The one vendor table: each prefix is seen by the quick test explain
 * uses on every failure line, and by the gate. */
static void test_vendor_table(void **state)
{
	const ord_vendor_prefix *v;
	char line[160], *g;

	(void)state;
	for (v = ord_vendor_prefixes; v->prefix; v++) {
		snprintf(line, sizeof(line), "error: x%sAb3dEf6hIj9lMn2pQr5tUv8xYz0 end", v->prefix);
		assert_true(ord_vendor_prefix_in(line, strlen(line)));
		g = gate(line);
		if (strstr(g, "Ab3dEf6hIj9lMn2pQr5tUv8xYz0"))
			fail_msg("prefix %s: the gate kept the body", v->prefix);
		free(g);
	}
	snprintf(line, sizeof(line), "the task is at risk: disk full, ask the desk");
	assert_false(ord_vendor_prefix_in(line, strlen(line)));
	assert_false(ord_vendor_prefix_in("s", 1));
}

/* Read back what a gated stream wrote to a temporary file. */
static char *slurp(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = ftell(f);
	s = calloc(1, (size_t)n + 1);
	rewind(f);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	return s;
}

static void test_stream(void **state)
{
	FILE *under = tmpfile();
	ord_gate *g;
	FILE *f;
	char *s;

	(void)state;
	assert_non_null(under);
	g = ord_gate_open(under, 0);
	assert_non_null(g);
	f = ord_gate_file(g);
	/* A key written in pieces, across flushes, in one line. */
	fputs("key: sk-or-v1-", f);
	fflush(f);
	fputs(HEX, f);
	fflush(f);
	fprintf(f, " \033[2J\n%s", "tail " KEY);
	assert_int_equal(ord_gate_close(g), 0);
	s = slurp(under);
	assert_string_equal(s, "key: " LABEL " ?[2J\ntail " LABEL);
	free(s);
	fclose(under);

	/* A status line rewrites itself and stays one line. */
	under = tmpfile();
	g = ord_gate_open(under, 0);
	fputs("done\n", ord_gate_file(g));
	ord_gate_status(g, "[##..] 50%\n" KEY);
	ord_gate_status(g, "");
	ord_gate_close(g);
	s = slurp(under);
	assert_string_equal(s, "done\n\r[##..] 50% " LABEL "\033[K\r\033[K");
	free(s);
	fclose(under);
}

static void test_fopen(void **state)
{
	char path[] = "/tmp/ordoctor-gate-XXXXXX";
	int fd = mkstemp(path);
	ord_gate *g;
	FILE *f;
	char buf[256] = "";

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	g = ord_gate_fopen(path, "a");
	assert_non_null(g);
	fprintf(ord_gate_file(g), "{\"path\":\"/k?key=%s\"}\n", "sk%2Dor%2Dv1%2D" HEX);
	assert_int_equal(ord_gate_close(g), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	unlink(path);
	assert_string_equal(buf, "{\"path\":\"/k?key=" LABEL "\"}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_not_secrets),
		cmocka_unit_test(test_controls_and_utf8),
		cmocka_unit_test(test_idempotent_and_copy),
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_vendor_table),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_fopen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
