/* helper: how a key command's text becomes argv, and what is refused
 * because only a shell would understand it (lib/helper.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/helper.h"

static ord_ctx ctx_home(void)
{
	ord_ctx c;

	memset(&c, 0, sizeof(c));
	c.home = (char *)"/home/u";
	return c;
}

static void split_ok(const char *cmd, const char *const *want)
{
	ord_ctx c = ctx_home();
	char **argv;
	const char *why;
	size_t i;

	assert_int_equal(ord_helper_argv(&c, cmd, &argv, &why), 0);
	for (i = 0; want[i]; i++) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want[i]);
	}
	assert_null(argv[i]);
	ord_helper_argv_free(argv);
}

static void split_refused(const char *cmd, const char *reason)
{
	ord_ctx c = ctx_home();
	char **argv;
	const char *why;

	assert_int_equal(ord_helper_argv(&c, cmd, &argv, &why), -1);
	assert_null(argv);
	assert_non_null(strstr(why, reason));
}

static void test_words(void **state)
{
	(void)state;
	split_ok("pass show openrouter/key", (const char *const[]){"pass", "show", "openrouter/key", NULL});
	split_ok("  op read 'op://Private/Open Router/credential' ",
		 (const char *const[]){"op", "read", "op://Private/Open Router/credential", NULL});
	split_ok("secret-tool lookup service \"open router\"",
		 (const char *const[]){"secret-tool", "lookup", "service", "open router", NULL});
	split_ok("~/bin/get-key.sh --vault\\ work", (const char *const[]){"/home/u/bin/get-key.sh", "--vault work", NULL});
	split_ok("cat ''", (const char *const[]){"cat", "", NULL});
}

static void test_needs_a_shell(void **state)
{
	(void)state;
	split_refused("pass show x | head -1", "'|'");
	split_refused("cat ~/.key; rm -rf ~", "';'");
	split_refused("cat $HOME/.key", "'$'");
	split_refused("echo \"$(id)\"", "expansion inside double quotes");
	split_refused("cat /tmp/*.key", "'*'");
	split_refused("cat < /tmp/key", "'<'");
	split_refused("OP_ACCOUNT=me op read op://a/b/c", "variable assignment");
	split_refused("cat 'unterminated", "unterminated quote");
	split_refused("   ", "empty");
}

static void test_subst_and_references(void **state)
{
	char *c;

	(void)state;
	c = ord_helper_subst_command("$(pass show x)", 14);
	assert_string_equal(c, "pass show x");
	free(c);
	c = ord_helper_subst_command("\"`pass show x`\"", 15);
	assert_string_equal(c, "pass show x");
	free(c);
	assert_null(ord_helper_subst_command("prefix-$(pass show x)", 21));
	c = ord_helper_op_command("{{ op://v/i/f }}", 16);
	assert_string_equal(c, "op read 'op://v/i/f'");
	free(c);
	assert_null(ord_helper_op_command("sk-or-v1-abc", 12));
	/* a quote inside the reference would end ours early: not built */
	assert_null(ord_helper_op_command("op://v/it's/f", 13));
}

static void test_not_run_without_the_option(void **state)
{
	ord_ctx c = ctx_home();
	ord_buf out = ORD_BUF_INIT(64);
	char why[128];

	(void)state;
	assert_int_equal(ord_helper_run(&c, "pass show x", &out, why, sizeof(why)), -1);
	assert_string_equal(why, "not run (--run-helpers runs it)");
	assert_int_equal(out.len, 0);
	ord_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_needs_a_shell),
		cmocka_unit_test(test_subst_and_references),
		cmocka_unit_test(test_not_run_without_the_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
