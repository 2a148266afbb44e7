/* libFuzzer target: explain's decoders on arbitrary bytes (issue 5).  The
 * first byte picks the path: the unwrapper (wrapper peeling, Python repr,
 * JSON in strings, key fragments, scrubbing), the timestamp parser, the
 * conversions, or the whole streaming scan + ranking with the built-in
 * signatures (gzip detection included).  Invariants: every stored string
 * is NUL-terminated, and no output holds a run of 64 lowercase hex
 * characters (the body of a whole key).  Seed corpus: tests/fuzz/corpus/explain. */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/explain.h"
#include "lib/gate.h"
#include "lib/logscan.h"
#include "lib/sigdb.h"
#include "lib/unwrap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ord_sigdb db;
static int db_ok = -1;

static void no_key(const char *s, size_t cap)
{
	size_t i, run = 0;

	if (strnlen(s, cap) >= cap)
		abort();
	for (i = 0; s[i]; i++) {
		run = isdigit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f') ? run + 1 : 0;
		if (run >= 64)
			abort();
	}
}

static void check_evidence(const ord_evidence *ev)
{
	size_t i;

	no_key(ev->message, sizeof(ev->message));
	no_key(ev->provider, sizeof(ev->provider));
	no_key(ev->model, sizeof(ev->model));
	for (i = 0; i < ev->nfrags; i++)
		no_key(ev->frags[i].text, sizeof(ev->frags[i].text));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *t = (const char *)data + 1;
	size_t n = size ? size - 1 : 0;

	if (!size)
		return 0;
	switch (data[0] % 5) {
	case 0: {
		ord_evidence ev;

		ord_unwrap(t, n, &ev);
		check_evidence(&ev);
		break;
	}
	case 1: {
		ord_ts ts;
		ord_ts_parse(t, n, 2025, 1750000000, &ts);
		if (strnlen(ts.text, sizeof(ts.text)) >= sizeof(ts.text))
			abort();
		break;
	}
	case 2: {
		ord_buf b = ORD_BUF_INIT(1 << 20);
		char *s = malloc(n + 1);

		ord_pyrepr_to_json(t, n, &b);
		ord_buf_reset(&b);
		ord_json_unescape(t, n, &b);
		ord_buf_release(&b);
		if (s) {
			ord_keyfrag f[ORD_FRAG_MAX];
			size_t i, k;

			memcpy(s, t, n);
			s[n] = '\0';
			ord_gate_str(s, n + 1);
			no_key(s, n + 1);
			k = ord_key_fragments(t, n, f, ORD_FRAG_MAX);
			for (i = 0; i < k; i++)
				no_key(f[i].text, sizeof(f[i].text));
			free(s);
		}
		break;
	}
	default: {
		ord_logscan_opts o;
		ord_logscan *ls;
		ord_explain x;
		json_object *j;

		if (db_ok < 0) {
			ord_sigdb_init(&db);
			db_ok = !ord_sigdb_load_builtin(&db) && !ord_sigdb_compile(&db);
		}
		if (!db_ok)
			return 0;
		memset(&o, 0, sizeof(o));
		o.chunk = 4096 + (size_t)data[0] * 7;
		if (ord_logscan_new(&db, &o, &ls))
			return 0;
		ord_logscan_text(ls, t, n, "fuzz");
		if (!ord_explain_run(&x, ls, &db, NULL)) {
			check_evidence(&x.ev);
			j = ord_explain_json(&x, ls, &db, 0);
			no_key(json_object_to_json_string(j), (size_t)-1);
			json_object_put(j);
			ord_explain_release(&x);
		}
		ord_logscan_free(ls);
	}
	}
	return 0;
}
