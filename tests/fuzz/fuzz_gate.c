/* libFuzzer target for the output gate (lib/gate.c) on arbitrary bytes.
 * Checked on every input: the result is valid UTF-8 (no surrogates, no
 * overlong forms), holds no control character but tab and newline (and,
 * with ORD_GATE_SGR, ordoctor's own colour sequences exactly), holds no
 * run of 32 hex digits, and is a fixed point: the gate finds nothing more
 * to change in it, so nothing that looks like a key in any encoding it
 * knows is left.  Cut copies stay valid UTF-8, and the stream gives the
 * same bytes as the function.  Seed corpus: tests/fuzz/corpus/gate. */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static const char *const sgr[] = {
	"\033[0m", "\033[1m", "\033[2m", "\033[31m", "\033[32m", "\033[33m", "\033[36m",
};

/* Strict UTF-8, controls as promised; returns 1 when clean. */
static int clean(const unsigned char *s, size_t n, int allow_sgr)
{
	size_t i = 0, k, need;

	while (i < n) {
		unsigned char c = s[i];
		unsigned lo = 0x80, hi = 0xbf;

		if (c == 0x1b && allow_sgr) {
			for (k = 0; k < sizeof(sgr) / sizeof(*sgr); k++)
				if (n - i >= strlen(sgr[k]) && !memcmp(s + i, sgr[k], strlen(sgr[k])))
					break;
			if (k == sizeof(sgr) / sizeof(*sgr))
				return 0;
			i += strlen(sgr[k]);
			continue;
		}
		if (c < 0x80) {
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (!need || i + need >= n || s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k <= need; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		if (c == 0xc2 && s[i + 1] < 0xa0)
			return 0;
		i += need + 1;
	}
	return 1;
}

static void no_hex_run(const char *s, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		run = isxdigit((unsigned char)s[i]) ? run + 1 : 0;
		CHECK(run < 32);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned flags = size && (data[0] & 1) ? ORD_GATE_SGR : 0;
	ord_buf a = ORD_BUF_INIT(size * 3 + 64), b = ORD_BUF_INIT(size * 3 + 64);
	char small[48];
	size_t cap;

	/* What the gate does is local to a few hundred bytes; bigger inputs
	 * only slow the search down. */
	if (size > 16 * 1024)
		return 0;
	CHECK(!ord_gate_buf((const char *)data, size, flags, &a));
	CHECK(clean((const unsigned char *)ord_buf_str(&a), a.len, flags != 0));
	no_hex_run(ord_buf_str(&a), a.len);
	/* A fixed point. */
	CHECK(!ord_gate_buf(ord_buf_str(&a), a.len, flags, &b));
	CHECK(a.len == b.len && (!a.len || !memcmp(a.data, b.data, a.len)));
	/* Cut copies stay whole characters. */
	cap = size ? 1 + data[size - 1] % sizeof(small) : sizeof(small);
	ord_gate_copy(small, cap, (const char *)data, size);
	CHECK(strlen(small) < cap);
	CHECK(clean((const unsigned char *)small, strlen(small), 0));
	/* The stream writes what the function returns, line by line. */
	{
		char *mem = NULL;
		size_t memlen = 0;
		FILE *m = open_memstream(&mem, &memlen);
		ord_gate *g = m ? ord_gate_open(m, flags) : NULL;

		if (g) {
			fwrite(data, 1, size, ord_gate_file(g));
			CHECK(ord_gate_close(g) == 0);
			fclose(m);
			CHECK(clean((const unsigned char *)mem, memlen, flags != 0));
			no_hex_run(mem, memlen);
			free(mem);
		} else if (m) {
			fclose(m);
			free(mem);
		}
	}
	ord_buf_release(&a);
	ord_buf_release(&b);
	return 0;
}
