/* libFuzzer target: the error-envelope decoder, its classification, the
 * /key decoder and the URL linter on arbitrary bytes.  Seed corpus:
 * tests/fuzz/corpus/api (the bodies of openrouter-api.md and causes.md). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/api.h"
#include "lib/gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ord_api_error e;
	ord_cause_guess g;
	ord_key_info k;
	ord_url_lint l;
	long status = size ? 100 + data[0] * 2 : 0;
	char *s;

	ord_api_decode_error(status, (const char *)data, size, &e);
	ord_api_classify(&e, &g);
	/* Every decoded string is NUL-terminated and printable. */
	if (strlen(e.message) >= sizeof(e.message) || strlen(e.raw) >= sizeof(e.raw))
		abort();
	ord_api_decode_key((const char *)data, size, &k);
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ord_url_lint_check(s, (ord_url_form)(size % 3), &l);
	ord_gate_str(s, size + 1);
	free(s);
	return 0;
}
