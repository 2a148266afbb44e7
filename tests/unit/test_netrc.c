/* ~/.netrc: the entries python-requests and curl would see. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/netrc.h"

/* A fixture password: it must never show up in an error message. */
#define SECRET "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"

#define MAXENT 16
typedef struct ent {
	char machine[128], login[128], password[128];
	int is_default, has_login, has_password;
	unsigned line;
} ent;

static struct {
	ent e[MAXENT];
	int n, nerr, stop_after;
	unsigned errline[8];
	char err[8][128];
} C;

static void copy(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s); /* every byte of the string is readable */

	n = n < cap - 1 ? n : cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int collect(void *arg, const ord_netrc_entry *e)
{
	ent *x;

	(void)arg;
	assert_true(e->line >= 1);
	if (C.n == MAXENT)
		return 0;
	x = &C.e[C.n++];
	x->is_default = !e->machine;
	if (e->machine)
		copy(x->machine, sizeof(x->machine), e->machine);
	if ((x->has_login = e->login != NULL))
		copy(x->login, sizeof(x->login), e->login);
	if ((x->has_password = e->password != NULL))
		copy(x->password, sizeof(x->password), e->password);
	x->line = e->line;
	return C.stop_after && C.n == C.stop_after ? 9 : 0;
}

static void on_err(void *arg, unsigned line, const char *msg)
{
	(void)arg;
	assert_null(strstr(msg, "sk-or-"));
	assert_null(strstr(msg, "hunter2"));
	assert_true(line >= 1);
	if (C.nerr < 8) {
		C.errline[C.nerr] = line;
		copy(C.err[C.nerr], sizeof(C.err[0]), msg);
	}
	C.nerr++;
}

static int run(const char *s, size_t len)
{
	memset(&C, 0, sizeof(C));
	return ord_netrc_parse(s, len, collect, on_err, NULL);
}

#define RUN(s) assert_int_equal(run((s), sizeof(s) - 1), 0)

static void entry(int k, const char *machine, const char *login, const char *password,
		  unsigned line)
{
	const ent *e;

	assert_true(k < C.n);
	e = &C.e[k];
	if (machine)
		assert_string_equal(e->machine, machine);
	else
		assert_true(e->is_default);
	assert_int_equal(e->has_login, login != NULL);
	if (login)
		assert_string_equal(e->login, login);
	assert_int_equal(e->has_password, password != NULL);
	if (password)
		assert_string_equal(e->password, password);
	assert_int_equal(e->line, line);
}

static void test_machine_openrouter(void **state)
{
	(void)state;
	RUN("machine openrouter.ai\n  login me@example.com\n  password " SECRET "\n");
	assert_int_equal(C.n, 1);
	entry(0, "openrouter.ai", "me@example.com", SECRET, 1);
	assert_int_equal(C.nerr, 0);
}

static void test_default_entry(void **state)
{
	(void)state;
	RUN("machine a.example login x password y\ndefault\nlogin anonymous\npassword guest\n");
	assert_int_equal(C.n, 2);
	entry(0, "a.example", "x", "y", 1);
	entry(1, NULL, "anonymous", "guest", 2);
}

static void test_macdef_skipped(void **state)
{
	(void)state;
	RUN("macdef init\ncd /pub\nmachine evil login e password e\n\n"
	    "machine openrouter.ai login u password p\n"
	    "macdef two\r\nbody\r\n\r\nmachine b.example login v\n");
	assert_int_equal(C.n, 2);
	entry(0, "openrouter.ai", "u", "p", 5);
	entry(1, "b.example", "v", NULL, 9);
	assert_int_equal(C.nerr, 0);
}

static void test_macdef_unterminated(void **state)
{
	(void)state;
	RUN("machine a login b password c\nmacdef x\nbody\nmore");
	assert_int_equal(C.n, 1);
	entry(0, "a", "b", "c", 1);
	assert_int_equal(C.nerr, 1);
	assert_int_equal(C.errline[0], 2);
}

static void test_comments(void **state)
{
	(void)state;
	RUN("# my hosts\nmachine openrouter.ai # the api\n  login u #me\n"
	    "  # password not-this-one\n  password pa#ss\n#machine x login y\n");
	assert_int_equal(C.n, 1);
	entry(0, "openrouter.ai", "u", "pa#ss", 2);
	assert_int_equal(C.nerr, 0);
}

static void test_quoted_password(void **state)
{
	(void)state;
	RUN("machine openrouter.ai login \"a user\" password \"p a\\\"s\\\\s\"\n"
	    "machine b password \"\" login c\\ d\n");
	entry(0, "openrouter.ai", "a user", "p a\"s\\s", 1);
	entry(1, "b", "c d", "", 2);
}

static void test_entries_on_one_line(void **state)
{
	(void)state;
	RUN("machine a login la password pa machine b login lb password pb "
	    "default login ld password pd");
	assert_int_equal(C.n, 3);
	entry(0, "a", "la", "pa", 1);
	entry(1, "b", "lb", "pb", 1);
	entry(2, NULL, "ld", "pd", 1);
}

static void test_missing_password_and_account(void **state)
{
	(void)state;
	RUN("machine openrouter.ai login u account acct\nmachine b user v password w\n");
	entry(0, "openrouter.ai", "u", NULL, 1);
	entry(1, "b", "v", "w", 2); /* Python also accepts "user" */
	assert_int_equal(C.nerr, 0);
}

static void test_truncated_file(void **state)
{
	(void)state;
	RUN("machine openrouter.ai login u password");
	assert_int_equal(C.n, 1);
	entry(0, "openrouter.ai", "u", NULL, 1);
	assert_int_equal(C.nerr, 1);
	assert_string_equal(C.err[0], "missing value after password");
	RUN("machine a login b\nmachine");
	assert_int_equal(C.n, 1);
	assert_int_equal(C.nerr, 1);
	assert_string_equal(C.err[0], "missing machine name");
	RUN("machine a password \"hunter2");
	entry(0, "a", NULL, "hunter2", 1);
	assert_string_equal(C.err[0], "unterminated quoted token");
}

static void test_crlf_and_lines(void **state)
{
	(void)state;
	RUN("\r\nmachine a\r\n login b\r\n password c\r\n\r\nmachine d login e password f\r\n");
	entry(0, "a", "b", "c", 2);
	entry(1, "d", "e", "f", 6);
}

static void test_bad_tokens_reported(void **state)
{
	(void)state;
	RUN("hunter2 machine a login b password " SECRET " port 443\n");
	assert_int_equal(C.nerr, 3);
	assert_string_equal(C.err[0], "unexpected token outside a machine entry");
	assert_string_equal(C.err[1], "unknown keyword in machine entry");
	entry(0, "a", "b", SECRET, 1);
}

static void test_hostile_bytes_and_stop(void **state)
{
	static const char nul[] = "machine a\0b login \xff\xfe password x\0y\n\0\0";
	size_t big = 1u << 20;
	char *buf = malloc(big + 32);

	(void)state;
	assert_non_null(buf);
	assert_int_equal(run(nul, sizeof(nul) - 1), 0);
	assert_int_equal(run("", 0), 0);
	assert_int_equal(run("\"", 1), 0);
	assert_int_equal(run("\\", 1), 0);
	memcpy(buf, "machine a password ", 19);
	memset(buf + 19, 'p', big); /* a 1 MiB token, no newline */
	assert_int_equal(run(buf, big + 19), 0);
	assert_int_equal(C.n, 1);
	free(buf);
	memset(&C, 0, sizeof(C));
	C.stop_after = 1;
	assert_int_equal(ord_netrc_parse("machine a machine b", 19, collect, NULL, NULL), 9);
	assert_int_equal(C.n, 1);
	assert_int_equal(ord_netrc_parse(NULL, 1, collect, NULL, NULL), EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_machine_openrouter),
		cmocka_unit_test(test_default_entry),
		cmocka_unit_test(test_macdef_skipped),
		cmocka_unit_test(test_macdef_unterminated),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_quoted_password),
		cmocka_unit_test(test_entries_on_one_line),
		cmocka_unit_test(test_missing_password_and_account),
		cmocka_unit_test(test_truncated_file),
		cmocka_unit_test(test_crlf_and_lines),
		cmocka_unit_test(test_bad_tokens_reported),
		cmocka_unit_test(test_hostile_bytes_and_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
