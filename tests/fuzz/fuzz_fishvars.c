/* Fuzz fish's universal-variable reader (lib/fishvars.c): every string
 * handed out is touched so ASan sees a bad pointer, and the invariants the
 * callers rely on are checked (names and raw values are slices of the
 * input, a decoded value is never longer than what was written). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fishvars.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct ctx {
	const char *in;
	size_t len;
	unsigned last_line;
	volatile unsigned sum;
} ctx;

static void touch(ctx *c, const char *p, size_t n)
{
	while (n--)
		c->sum += (unsigned char)p[n];
}

static int on_assign(void *arg, const ord_assign *a)
{
	ctx *c = arg;

	if (a->name < c->in || !a->name_len || a->name > c->in + c->len - a->name_len)
		abort();
	if (a->raw < c->in || a->raw > c->in + c->len - a->raw_len)
		abort();
	if (!a->value || a->value_len > a->raw_len || a->value[a->value_len] != '\0')
		abort();
	if (a->line < 1 || a->line < c->last_line || (a->flags & ~ORD_ASSIGN_EXPORT))
		abort();
	c->last_line = a->line;
	touch(c, a->name, a->name_len);
	touch(c, a->value, a->value_len);
	touch(c, a->raw, a->raw_len);
	return 0;
}

static void on_err(void *arg, unsigned line, const char *msg)
{
	ctx *c = arg;

	if (line < 1 || !msg || msg[0] < 'a' || msg[0] > 'z' || strlen(msg) > 100)
		abort();
	touch(c, msg, strlen(msg));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	ctx c;

	if (!copy)
		return 0;
	memcpy(copy, data, size); /* exact size: over-reads are caught */
	memset(&c, 0, sizeof(c));
	c.in = copy;
	c.len = size;
	if (ord_fishvars_parse(copy, size, on_assign, on_err, &c) != 0)
		abort();
	free(copy);
	return 0;
}
