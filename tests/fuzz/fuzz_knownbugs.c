/* libFuzzer target: the data/known-bugs parser and matcher (knownbugs.h)
 * on arbitrary bytes.  The input is split at its first NUL (or its middle
 * when it has none): the first part is parsed as a known-bugs file, the
 * second is the text matched against it.  Invariants: errors are bounded
 * and NUL-terminated, never more than ORD_KB_ERRORS_MAX kept; every loaded
 * bug has a tool id, an https:// URL and a symptom, a range whose ends are
 * in order and a fixed version after it; every match names a loaded bug
 * and a version in its range.  Seed corpus: tests/fuzz/corpus/knownbugs. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/knownbugs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ord_kbugs kb;
	ord_kbug_hit hits[8];
	const uint8_t *nul = memchr(data, 0, size);
	size_t cut = nul ? (size_t)(nul - data) : size / 2, i, n;
	const char *text = (const char *)data + (nul ? cut + 1 : cut);
	size_t tlen = size - (nul ? cut + 1 : cut);

	ord_kbugs_init(&kb);
	ord_kbugs_parse(&kb, "fuzz.bugs", (const char *)data, cut);
	if (kb.nerrors > ORD_KB_ERRORS_MAX || kb.n > ORD_KB_MAX)
		abort();
	for (i = 0; i < kb.nerrors; i++)
		if (strnlen(kb.errors[i], sizeof(kb.errors[i])) == sizeof(kb.errors[i]))
			abort();
	for (i = 0; i < kb.n; i++) {
		const ord_kbug *b = &kb.bugs[i];

		if (!b->tool[0] || strncmp(b->url, "https://", 8) || strlen(b->symptom) < 4 ||
		    (!b->from[0] && !b->to[0]))
			abort();
		if (b->from[0] && b->to[0] && ord_version_cmp(b->from, b->to) > 0)
			abort();
		if (b->fixed[0] && b->to[0] && ord_version_cmp(b->fixed, b->to) <= 0)
			abort();
	}
	n = ord_kbugs_match(&kb, text, tlen, hits, 8);
	if (n > 8)
		abort();
	for (i = 0; i < n; i++) {
		const ord_kbug *b = hits[i].bug;

		if (b < kb.bugs || b >= kb.bugs + kb.n)
			abort();
		if (hits[i].version[0] && ((b->from[0] && ord_version_cmp(hits[i].version, b->from) < 0) ||
					   (b->to[0] && ord_version_cmp(hits[i].version, b->to) > 0)))
			abort();
	}
	return 0;
}
