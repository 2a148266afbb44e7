#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"

static void test_bounded(void **state)
{
	ord_buf b = ORD_BUF_INIT(8);

	(void)state;
	assert_int_equal(ord_buf_adds(&b, "12345"), 0);
	assert_int_equal(ord_buf_adds(&b, "6789"), ENOSPC);
	/* a refused append leaves the contents alone */
	assert_string_equal(ord_buf_str(&b), "12345");
	assert_int_equal(ord_buf_adds(&b, "678"), 0);
	assert_int_equal(b.len, 8);
	assert_int_equal(ord_buf_addc(&b, 'x'), ENOSPC);
	ord_buf_release(&b);
	assert_null(b.data);
}

static void test_printf_grows(void **state)
{
	ord_buf b = ORD_BUF_INIT(100000);
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++)
		assert_int_equal(ord_buf_addf(&b, "%04zu,", i), 0);
	assert_int_equal(b.len, 5000);
	assert_memory_equal(b.data + 4995, "0999,", 5);
	assert_int_equal(ord_buf_addf(&b, "%0300d", 7), 0);
	assert_int_equal(b.len, 5300);
	ord_buf_release(&b);
}

static void test_empty_str(void **state)
{
	ord_buf b = ORD_BUF_INIT(10);
	char *d;
	size_t n = 99;

	(void)state;
	assert_string_equal(ord_buf_str(&b), "");
	d = ord_buf_detach(&b, &n);
	assert_non_null(d);
	assert_string_equal(d, "");
	assert_int_equal(n, 0);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_printf_grows),
		cmocka_unit_test(test_empty_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
