/* Fuzz the shell rc parser: every dialect on every input.  Touches every
 * byte handed out so ASan sees a bad pointer, and checks the invariants the
 * callers rely on. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rcfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct ctx {
	const char *in;
	size_t len;
	unsigned last_line;
	volatile unsigned sum;
} ctx;

static void touch(ctx *c, const char *p, size_t n)
{
	size_t k;

	if (!p && n)
		abort();
	for (k = 0; k < n; k++)
		c->sum += (unsigned char)p[k];
}

static int on_assign(void *arg, const ord_assign *a)
{
	ctx *c = arg;

	/* raw and name are slices of the input; value and ref are readable */
	if (a->raw < c->in || a->raw_len > c->len || a->raw > c->in + c->len - a->raw_len)
		abort();
	if (a->name < c->in || a->name_len == 0 || a->name > c->in + c->len - a->name_len)
		abort();
	if (a->line < 1 || a->line < c->last_line || !a->value)
		abort(); /* in file order */
	if (a->value_len > c->len || (a->ref && !a->ref_len))
		abort();
	c->last_line = a->line;
	touch(c, a->name, a->name_len);
	touch(c, a->value, a->value_len);
	touch(c, a->raw, a->raw_len);
	touch(c, a->ref, a->ref_len);
	return 0;
}

static void on_err(void *arg, unsigned line, const char *msg)
{
	ctx *c = arg;

	/* lowercase words, never a copy of the input */
	if (line < 1 || !msg || msg[0] < 'a' || msg[0] > 'z' || strlen(msg) > 100)
		abort();
	touch(c, msg, strlen(msg));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const ord_rc_dialect all[] = {
		ORD_RC_SH, ORD_RC_FISH, ORD_RC_CSH, ORD_RC_ENVIRONMENT,
	};
	char *copy = malloc(size ? size : 1);
	size_t k;
	ctx c;

	if (!copy)
		return 0;
	/* an exact-size copy, so reading past the end is caught */
	memcpy(copy, data, size);
	for (k = 0; k < sizeof(all) / sizeof(all[0]); k++) {
		memset(&c, 0, sizeof(c));
		c.in = copy;
		c.len = size;
		if (ord_rc_parse(copy, size, all[k], on_assign, on_err, &c) != 0)
			abort(); /* only the callback may stop it, and ours does not */
	}
	{
		/* the interactive-only guard: a line inside the input */
		unsigned start = 0, end = ord_rc_interactive_guard(copy, size, &start);
		if (end && (start > end || start == 0 || end > size + 1))
			abort();
	}
	free(copy);
	return 0;
}
