/* libFuzzer target for the .env parser.  Every byte the parser hands back
 * is read (so ASan sees any out-of-bounds pointer) and the record's
 * invariants are checked; any violation aborts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dotenv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct st {
	const char *data;
	size_t size;
	unsigned last_line;
	unsigned count;
	unsigned stop_after; /* 0: never */
	unsigned sum;
};

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static const unsigned all_flags = (1u << 11) - 1; /* up to ORD_ASSIGN_UNSET */

static int in_input(const struct st *s, const char *p, size_t n)
{
	return p >= s->data && p <= s->data + s->size &&
	       n <= (size_t)(s->data + s->size - p);
}

static unsigned touch(const char *p, size_t n)
{
	unsigned h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		h = h * 31 + (unsigned char)p[i];
	return h;
}

static int on_assign(void *arg, const ord_assign *a)
{
	struct st *s = arg;

	CHECK(a->name && a->name_len > 0);
	CHECK(in_input(s, a->name, a->name_len));
	CHECK(a->raw && in_input(s, a->raw, a->raw_len));
	CHECK(a->value && a->value_len <= s->size);
	/* a decoded value is never longer than what it was decoded from */
	CHECK(a->value_len <= a->raw_len);
	if (a->ref) {
		CHECK(a->ref_len > 0);
		CHECK(a->ref >= a->value &&
		      a->ref_len <= (size_t)(a->value + a->value_len - a->ref));
		CHECK(a->flags & ORD_ASSIGN_EXPANSION);
	}
	CHECK(a->line >= 1 && a->line >= s->last_line);
	CHECK(!(a->flags & ~all_flags));
	s->last_line = a->line;
	s->sum += touch(a->name, a->name_len) + touch(a->value, a->value_len) +
		  touch(a->raw, a->raw_len) + (a->ref ? touch(a->ref, a->ref_len) : 0);
	s->count++;
	return s->stop_after && s->count == s->stop_after ? 42 : 0;
}

static void on_err(void *arg, unsigned line, const char *msg)
{
	struct st *s = arg;
	size_t n;

	CHECK(line >= 1);
	CHECK(msg && *msg);
	n = strlen(msg);
	CHECK(n < 80);
	CHECK(!(msg[0] >= 'A' && msg[0] <= 'Z'));
	s->sum += touch(msg, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct st s = { (const char *)data, size, 0, 0, 0, 0 };
	volatile unsigned sink;
	unsigned total;
	int rc;

	rc = ord_dotenv_parse(s.data, size, on_assign, on_err, &s);
	CHECK(rc == 0);
	total = s.count;
	sink = s.sum;

	/* Stopping early returns the callback's value and stops there. */
	if (total) {
		memset(&s, 0, sizeof(s));
		s.data = (const char *)data;
		s.size = size;
		s.stop_after = 1 + total / 2;
		rc = ord_dotenv_parse(s.data, size, on_assign, NULL, &s);
		CHECK(rc == 42 && s.count == s.stop_after);
		sink = s.sum;
	}
	(void)sink;
	return 0;
}
