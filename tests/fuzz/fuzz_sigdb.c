/* libFuzzer target: the signature-file parser (data/signatures/ format,
 * docs/signatures.md) and the grep form of its patterns on arbitrary
 * bytes.  Compilation by Vectorscan is left out: it is Vectorscan's own
 * parser.  Invariants: errors are bounded and NUL-terminated, a loaded
 * signature has every required field, and its `evidence:` counts cover
 * exactly its causes (or none of them), and its `case:` threads are at
 * most ORD_SIG_CASES_MAX https:// URLs per cause.  Seed corpus: tests/fuzz/corpus/sigdb. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sigdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ord_sigdb db;
	ord_buf b = ORD_BUF_INIT(1 << 20);
	size_t i;

	ord_sigdb_init(&db);
	if (ord_sigdb_parse(&db, "fuzz.sig", (const char *)data, size)) {
		ord_sigdb_release(&db);
		return 0;
	}
	if (db.nerrors > ORD_SIG_ERRORS_MAX)
		abort();
	for (i = 0; i < db.nerrors; i++)
		if (strlen(db.errors[i]) > 1024)
			abort();
	for (i = 0; i < db.nsigs; i++) {
		const ord_sig *s = &db.sigs[i];

		size_t k;

		if (!s->id || !s->title || !s->category || !s->meaning || !s->fix || !s->nany ||
		    !s->nsources || s->pat_first + s->npats > db.npats)
			abort();
		if (s->evidence != ORD_SIGEV_UNSTATED && !s->ncauses)
			abort();
		for (k = 0; k < s->ncauses; k++) {
			size_t c;

			if ((s->causes[k].count >= 0) != (s->evidence == ORD_SIGEV_COUNTS))
				abort();
			if (s->causes[k].ncases > ORD_SIG_CASES_MAX)
				abort();
			for (c = 0; c < s->causes[k].ncases; c++)
				if (strncmp(s->causes[k].cases[c], "https://", 8))
					abort();
		}
	}
	ord_sigdb_dump_patterns(&db, &b);
	ord_buf_release(&b);
	ord_sigdb_release(&db);
	return 0;
}
