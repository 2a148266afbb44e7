/* Fuzz the crontab reader (lib/crontab.c): NAME=value lines and the job
 * lines that source a file.  Every slice must lie inside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crontab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct ctx {
	const char *in;
	size_t len;
	unsigned last_line;
	volatile unsigned sum;
} ctx;

static void in_input(ctx *c, const char *p, size_t n)
{
	if (!p || p < c->in || n > c->len || p > c->in + c->len - n)
		abort();
	while (n--)
		c->sum += (unsigned char)p[n];
}

static int on_assign(void *arg, const ord_assign *a)
{
	ctx *c = arg;

	if (!a->name_len || a->line < 1 || a->line < c->last_line || !(a->flags & ORD_ASSIGN_EXPORT))
		abort();
	c->last_line = a->line;
	in_input(c, a->name, a->name_len);
	in_input(c, a->value, a->value_len);
	in_input(c, a->raw, a->raw_len);
	return 0;
}

static void on_source(void *arg, unsigned line, const char *what, size_t n)
{
	ctx *c = arg;

	if (line < 1 || !n)
		abort();
	if (n == 13 && !memcmp(what, "a login shell", 13))
		return;
	in_input(c, what, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	ctx c;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&c, 0, sizeof(c));
	c.in = copy;
	c.len = size;
	if (ord_crontab_parse(copy, size, on_assign, on_source, &c) != 0)
		abort();
	free(copy);
	return 0;
}
