/* Fuzz the splitting of a key command's text (apiKeyHelper, $(…), op://)
 * into argv: every accepted word is NUL-terminated and no longer than the
 * input plus the home, nothing a shell would interpret survives, and the
 * refusals always say why. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/helper.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ord_ctx ctx;
	char *text = malloc(size + 1), **argv, *sub, *op;
	const char *why;
	size_t i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&ctx, 0, sizeof(ctx));
	ctx.home = (char *)"/home/u";
	if (!ord_helper_argv(&ctx, text, &argv, &why)) {
		if (!argv || !argv[0] || why)
			abort();
		for (i = 0; argv[i]; i++)
			if (strlen(argv[i]) > size + strlen(ctx.home))
				abort();
		ord_helper_argv_free(argv);
	} else if (argv || !why || !*why)
		abort();
	sub = ord_helper_subst_command((const char *)data, size);
	op = ord_helper_op_command((const char *)data, size);
	if (op && strncmp(op, "op read 'op://", 14))
		abort();
	free(sub);
	free(op);
	free(text);
	return 0;
}
