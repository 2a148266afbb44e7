/* Fuzz the systemd unit reader (lib/sdunit.c): Environment= words,
 * EnvironmentFile= paths, continuation lines.  Names and values live in a
 * scratch buffer no longer than the input; raw values and paths are slices
 * of the joined line, so they are checked for length only. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sdunit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct ctx {
	size_t len;
	unsigned last_line;
	volatile unsigned sum;
} ctx;

static void touch(ctx *c, const char *p, size_t n)
{
	if ((!p && n) || n > c->len)
		abort();
	while (n--)
		c->sum += (unsigned char)p[n];
}

static int on_assign(void *arg, const ord_assign *a)
{
	ctx *c = arg;

	if (!a->name_len || a->line < 1 || a->line < c->last_line || !(a->flags & ORD_ASSIGN_EXPORT))
		abort();
	if (a->value != a->name + a->name_len + 1 || a->value[-1] != '=')
		abort();
	c->last_line = a->line;
	touch(c, a->name, a->name_len);
	touch(c, a->value, a->value_len);
	touch(c, a->raw, a->raw_len);
	return 0;
}

static void on_file(void *arg, unsigned line, const char *p, size_t n, int optional)
{
	ctx *c = arg;

	if (line < 1 || !n || (optional != 0 && optional != 1))
		abort();
	touch(c, p, n);
}

static void on_reset(void *arg, unsigned line)
{
	(void)arg;
	if (line < 1)
		abort();
}

static void on_err(void *arg, unsigned line, const char *msg)
{
	ctx *c = arg;

	if (line < 1 || !msg || msg[0] < 'a' || msg[0] > 'z' || strlen(msg) > 100)
		abort();
	c->sum += (unsigned)strlen(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ord_sdunit_cb cb = {on_assign, on_file, on_reset, on_err};
	char *copy = malloc(size ? size : 1);
	ctx c;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&c, 0, sizeof(c));
	c.len = size;
	if (ord_sdunit_parse(copy, size, &cb, &c) != 0)
		abort();
	free(copy);
	return 0;
}
