/* The start contexts' own parsers: fish_variables, a crontab, a systemd
 * unit (lib/fishvars.c, lib/crontab.c, lib/sdunit.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/crontab.h"
#include "lib/fishvars.h"
#include "lib/sdunit.h"

#define MAXV 16
static struct {
	char name[MAXV][64], value[MAXV][256];
	unsigned line[MAXV], flags[MAXV];
	int n, nerr, nreset, nfile;
	char file[128], src[128];
	unsigned src_line;
} C;

static int collect(void *arg, const ord_assign *a)
{
	(void)arg;
	if (C.n < MAXV) {
		snprintf(C.name[C.n], sizeof(C.name[0]), "%.*s", (int)a->name_len, a->name);
		snprintf(C.value[C.n], sizeof(C.value[0]), "%.*s", (int)a->value_len, a->value);
		C.line[C.n] = a->line;
		C.flags[C.n] = a->flags;
		C.n++;
	}
	return 0;
}

static void on_err(void *arg, unsigned line, const char *msg)
{
	(void)arg;
	(void)line;
	assert_true(msg[0] >= 'a' && msg[0] <= 'z');
	C.nerr++;
}

static void test_fishvars_exported_and_not(void **state)
{
	const char *f = "# This file contains fish universal variable definitions.\n# VERSION: 3.0\n"
			"SETUVAR --export OPENROUTER_API_KEY:sk\\x2dor\\x2dv1\\x2dab\\x3ac\\x20d\n"
			"SETUVAR OPENAI_API_KEY:x\n"
			"SETUVAR --export LIST:a\\x1eb\n"
			"SETUVAR --export --path MYPATH:/a\\x1e/b\n";

	(void)state;
	memset(&C, 0, sizeof(C));
	assert_int_equal(ord_fishvars_parse(f, strlen(f), collect, on_err, NULL), 0);
	assert_int_equal(C.n, 4);
	assert_string_equal(C.name[0], "OPENROUTER_API_KEY");
	assert_string_equal(C.value[0], "sk-or-v1-ab:c d");
	assert_int_equal(C.line[0], 3);
	assert_true(C.flags[0] & ORD_ASSIGN_EXPORT);
	assert_false(C.flags[1] & ORD_ASSIGN_EXPORT);
	assert_string_equal(C.value[2], "a b"); /* lists: joined by a blank */
	assert_string_equal(C.value[3], "/a:/b"); /* path lists by ':' */
	assert_int_equal(C.nerr, 0);
}

static void test_fishvars_fish2_and_bad(void **state)
{
	const char *f = "SET_EXPORT K:v\\u00e9\nSET G:1\nSETUVAR --export BAD:\\x\nSETUVAR nocolon\n"
			"SETUVAR --export bad-name:1\r\nSETUVAR --export E:\\\\\\'\n";

	(void)state;
	memset(&C, 0, sizeof(C));
	assert_int_equal(ord_fishvars_parse(f, strlen(f), collect, on_err, NULL), 0);
	assert_int_equal(C.n, 3);
	assert_string_equal(C.value[0], "v\xc3\xa9");
	assert_true(C.flags[0] & ORD_ASSIGN_EXPORT);
	assert_false(C.flags[1] & ORD_ASSIGN_EXPORT);
	assert_string_equal(C.value[2], "\\'");
	assert_int_equal(C.nerr, 1);
	assert_int_equal(ord_fishvars_parse(NULL, 1, collect, NULL, NULL), EINVAL);
}

static void on_src(void *arg, unsigned line, const char *what, size_t n)
{
	(void)arg;
	snprintf(C.src + strlen(C.src), sizeof(C.src) - strlen(C.src), "%u:%.*s|", line, (int)n, what);
	C.src_line = line;
}

static void test_crontab(void **state)
{
	const char *f = "# m h dom mon dow command\n"
			"SHELL=/bin/bash\n"
			"  OPENROUTER_API_KEY = \"sk-or-v1-abc\"  \n"
			"HOME_X='$HOME/x'\n"
			"0 3 * * * . $HOME/.profile; /usr/bin/job\n"
			"@reboot bash -lc run\n"
			"*/5 * * * * cd /x && source ./env.sh && ./go\n"
			"1 2 3 4 5 echo a=b\n";

	(void)state;
	memset(&C, 0, sizeof(C));
	assert_int_equal(ord_crontab_parse(f, strlen(f), collect, on_src, NULL), 0);
	assert_int_equal(C.n, 3);
	assert_string_equal(C.name[1], "OPENROUTER_API_KEY");
	assert_string_equal(C.value[1], "sk-or-v1-abc");
	assert_int_equal(C.line[1], 3);
	assert_true(C.flags[1] & ORD_ASSIGN_QUOTED_DOUBLE);
	assert_true(C.flags[2] & ORD_ASSIGN_EXPANSION);
	assert_string_equal(C.src, "5:$HOME/.profile|6:a login shell|7:./env.sh|");
}

static int stop_at_first(void *arg, const ord_assign *a)
{
	(void)arg;
	(void)a;
	return 7;
}

static void file_cb(void *arg, unsigned line, const char *p, size_t n, int optional)
{
	(void)arg;
	(void)line;
	snprintf(C.file, sizeof(C.file), "%s%.*s", optional ? "-" : "", (int)n, p);
	C.nfile++;
}

static void reset_cb(void *arg, unsigned line)
{
	(void)arg;
	(void)line;
	C.nreset++;
}

static void test_sdunit(void **state)
{
	const char *f = "[Unit]\nEnvironment=IGNORED=1\n\n[Service]\n"
			"Environment=\"OPENROUTER_API_KEY=sk-or-v1-abc\" LOG=1\n"
			"Environment=A=\\x41 \"B=two words\" C=%h/x 9BAD=1 noequals\n"
			"EnvironmentFile=-%h/.config/agent.env\n"
			"Environment=\n"
			"ExecStart=/bin/true \\\n  Environment=NOT=1\n"
			"Environment=D=1 \\\n  E=2\n"
			"[Install]\nEnvironment=IGNORED=2\n";
	ord_sdunit_cb cb = {collect, file_cb, reset_cb, on_err};

	(void)state;
	memset(&C, 0, sizeof(C));
	assert_int_equal(ord_sdunit_parse(f, strlen(f), &cb, NULL), 0);
	assert_int_equal(C.n, 7);
	assert_string_equal(C.name[0], "OPENROUTER_API_KEY");
	assert_string_equal(C.value[0], "sk-or-v1-abc");
	assert_int_equal(C.line[0], 5);
	assert_string_equal(C.value[2], "A");
	assert_string_equal(C.name[3], "B");
	assert_string_equal(C.value[3], "two words");
	assert_true(C.flags[4] & ORD_ASSIGN_EXPANSION); /* %h */
	assert_string_equal(C.name[5], "D");
	assert_string_equal(C.name[6], "E");
	assert_int_equal(C.line[6], 11);
	assert_int_equal(C.nerr, 2);
	assert_int_equal(C.nreset, 1);
	assert_string_equal(C.file, "-%h/.config/agent.env");
	cb.assign = stop_at_first;
	assert_int_equal(ord_sdunit_parse(f, strlen(f), &cb, NULL), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fishvars_exported_and_not),
		cmocka_unit_test(test_fishvars_fish2_and_bad),
		cmocka_unit_test(test_crontab),
		cmocka_unit_test(test_sdunit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
