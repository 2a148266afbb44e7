/* lib/dl: the loader of libcurl, libmicrohttpd and Vectorscan (issue 14).
 * A missing library must give one line naming it, what needs it and what
 * to do; a library without one of the functions must leave no pointer set;
 * and nothing is loaded before it is asked for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/dl.h"
#include "lib/dl_curl.h"
#include "lib/dl_hs.h"
#include "lib/dl_mhd.h"

static size_t (*t_strlen)(const char *);
static void *t_absent;

static void test_missing_library(void **state)
{
	static const ord_dl_sym syms[] = {{"strlen", (void **)&t_strlen}};
	ord_dl_lib lib = {"libordoctor-no-such-library.so.0", "a test", "install nothing", syms, 1,
			  PTHREAD_MUTEX_INITIALIZER, 0, NULL, ""};
	char err[ORD_DL_ERRTEXT] = "";

	(void)state;
	assert_int_equal(ord_dl_load(&lib, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot load libordoctor-no-such-library.so.0 (needed for a test): "));
	assert_non_null(strstr(err, "; install nothing"));
	assert_null(strchr(err, '\n'));
	assert_null(t_strlen);
	assert_int_equal(ord_dl_loaded(&lib), 0);
	/* a failure is remembered and told the same way */
	memset(err, 0, sizeof(err));
	assert_int_equal(ord_dl_load(&lib, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot load libordoctor-no-such-library.so.0"));
	assert_int_equal(ord_dl_load(&lib, NULL, 0), -1);
}

static void test_missing_symbol_sets_nothing(void **state)
{
	static const ord_dl_sym syms[] = {{"strlen", (void **)&t_strlen},
					  {"ord_no_such_function", &t_absent}};
	ord_dl_lib lib = {"libc.so.6", "a test", "install nothing", syms, 2,
			  PTHREAD_MUTEX_INITIALIZER, 0, NULL, ""};
	char err[ORD_DL_ERRTEXT] = "";

	(void)state;
	assert_int_equal(ord_dl_load(&lib, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot load libc.so.6 (needed for a test): "));
	assert_non_null(strstr(err, "ord_no_such_function"));
	/* all or none: strlen was found, but the table is not half filled */
	assert_null(t_strlen);
	assert_null(t_absent);
}

static void test_loads(void **state)
{
	static const ord_dl_sym syms[] = {{"strlen", (void **)&t_strlen}};
	ord_dl_lib lib = {"libc.so.6", "a test", "install nothing", syms, 1,
			  PTHREAD_MUTEX_INITIALIZER, 0, NULL, ""};

	(void)state;
	assert_int_equal(ord_dl_load(&lib, NULL, 0), 0);
	assert_int_equal(ord_dl_loaded(&lib), 1);
	assert_non_null(t_strlen);
	assert_int_equal(t_strlen("four"), 4);
	assert_int_equal(ord_dl_load(&lib, NULL, 0), 0);
}

/* The three real tables: nothing before the first use, every function
 * after it. */
static void test_real_libraries(void **state)
{
	char err[ORD_DL_ERRTEXT] = "";

	(void)state;
	assert_int_equal(ord_dl_curl_loaded(), 0);
	assert_int_equal(ord_dl_mhd_loaded(), 0);
	assert_int_equal(ord_dl_hs_loaded(), 0);
	assert_null(sym_curl_easy_init);
	assert_int_equal(ord_dl_curl(err, sizeof(err)), 0);
	assert_int_equal(ord_dl_mhd(err, sizeof(err)), 0);
	assert_int_equal(ord_dl_hs(err, sizeof(err)), 0);
	assert_int_equal(ord_dl_curl_loaded(), 1);
	assert_non_null(sym_curl_easy_init);
	assert_non_null(sym_curl_slist_free_all);
	assert_non_null(sym_MHD_start_daemon);
	assert_non_null(sym_hs_scan);
	assert_non_null(strchr(sym_hs_version(), '.'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_symbol_sets_nothing),
		cmocka_unit_test(test_loads),
		cmocka_unit_test(test_real_libraries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
