/* Fuzz the netrc parser: touches every string handed out and checks the
 * invariants the callers rely on. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/netrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct ctx {
	size_t len;
	unsigned last_line;
	volatile unsigned sum;
} ctx;

static void touch(ctx *c, const char *s)
{
	size_t n;

	if (!s)
		return;
	n = strlen(s); /* NUL-terminated, and no longer than the input */
	if (n > c->len)
		abort();
	while (n--)
		c->sum += (unsigned char)s[n];
}

static int on_entry(void *arg, const ord_netrc_entry *e)
{
	ctx *c = arg;

	if (e->line < 1 || e->line < c->last_line)
		abort(); /* in file order */
	c->last_line = e->line;
	touch(c, e->machine);
	touch(c, e->login);
	touch(c, e->password);
	return 0;
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
	char *copy = malloc(size ? size : 1);
	ctx c;

	if (!copy)
		return 0;
	memcpy(copy, data, size); /* exact size: over-reads are caught */
	memset(&c, 0, sizeof(c));
	c.len = size;
	if (ord_netrc_parse(copy, size, on_entry, on_err, &c) != 0)
		abort();
	free(copy);
	return 0;
}
