/* libFuzzer target: the mock's keys file parser (mock/keysfile.c), which
 * reads untrusted input.  Besides memory safety it checks the promise of
 * the warnings: they never carry a full key. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The parser depends on lib/ only; compile it into the target. */
#include "mock/keysfile.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int has_full_key(const char *s)
{
	const char *p = s;

	while ((p = strstr(p, "sk-or-v1-")) != NULL) {
		size_t n = 0;

		p += 9;
		while ((p[n] >= '0' && p[n] <= '9') ||
		       (p[n] >= 'a' && p[n] <= 'f'))
			n++;
		if (n >= 64)
			return 1;
	}
	return 0;
}

static void check_warning(void *ud, const char *msg)
{
	(void)ud;
	if (has_full_key(msg))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mock_keys ks;
	size_t i;

	memset(&ks, 0, sizeof(ks));
	if (mock_keys_parse(&ks, (const char *)data, size, "fuzz",
			    check_warning, NULL) == 0) {
		for (i = 0; i < ks.n; i++) {
			if (ks.v[i].len != ORD_KEY_LEN ||
			    has_full_key(ks.v[i].label_form))
				abort();
			(void)mock_key_alive(&ks.v[i], 0);
			(void)mock_key_remaining(&ks.v[i]);
		}
		(void)mock_keys_find(&ks, (const char *)data,
				     size < 100 ? size : 100);
	}
	mock_keys_release(&ks);
	return 0;
}
