/* libFuzzer target: the key linter, redaction and fingerprint on arbitrary
 * bytes.  Invariants: the redacted form is short printable ASCII and never
 * contains the whole normalised value when that value is long. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ord_key k;
	char red[ORD_REDACT_MAX], fp[ORD_FP_LEN + 1];
	size_t i;

	if (ord_key_init(&k, data, size))
		return 0;
	ord_key_redact(&k, red);
	ord_key_fingerprint(&k, fp);
	for (i = 0; red[i]; i++)
		if ((unsigned char)red[i] < 0x20 || (unsigned char)red[i] >= 0x7f)
			abort();
	if (strlen(fp) != ORD_FP_LEN)
		abort();
	/* A long secret never appears whole in its redacted form.  What the
	 * form shows before "..." is a public vendor prefix: a value of that
	 * prefix and one or two more characters ("github_pat_." shows as
	 * "github_pat_...(1 chars)") has no secret to keep. */
	{
		const char *dots = strstr(red, "...");
		size_t shown = dots ? (size_t)(dots - red) : 0;

		if (k.norm_len >= 12 && k.norm_len >= shown + 4 &&
		    !(k.lint & ORD_LINT_BIT(ORD_LINT_PLACEHOLDER)) &&
		    memmem(red, strlen(red), k.norm, k.norm_len))
			abort();
	}
	if (ord_key_is_openrouter(&k) && k.norm_len != ORD_KEY_LEN)
		abort();
	ord_key_release(&k);
	return 0;
}
