/* libFuzzer target: the tool-profile parser (data/tools, or a user's
 * ~/.config/ordoctor/tools).  A broken profile must give warnings naming
 * file and line, never a crash, and a usable profile must have an id and a
 * key source or store. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ctx.h"
#include "lib/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ord_ctx ctx;
	ord_profile p;
	char *copy = malloc(size ? size : 1);
	size_t i;

	if (!copy || ord_ctx_init(&ctx, NULL, "/nonexistent", "/")) {
		free(copy);
		return 0;
	}
	memcpy(copy, data, size); /* exact size: over-reads are caught */
	if (!ord_profile_parse(&ctx, "fuzz", copy, size, &p)) {
		if (!p.id || !*p.id || (!p.nkeys && !p.nstores))
			abort();
		for (i = 0; i < p.nkeys; i++)
			if (!p.keys[i].field)
				abort();
		ord_profile_release(&p);
	}
	for (i = 0; i < ctx.nwarnings; i++)
		if (strncmp(ctx.warnings[i].text, "'fuzz'", 6) || strchr(ctx.warnings[i].text, '\n'))
			abort();
	ord_ctx_release(&ctx);
	free(copy);
	return 0;
}
