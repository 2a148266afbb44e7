/* Compose's interpolation (lib/compose_interp.c) and .env / env_file
 * reading (lib/compose_dotenv.c): the forms Compose v2 knows, and the
 * places where its .env grammar differs from python-dotenv's (which
 * lib/dotenv.c models), each pinned with compose-go's reading. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/compose.h"

/* SET=v, EMPTY="" and SHELL=sh; everything else unset */
static int lookup(void *arg, const char *name, const char **v, size_t *len)
{
	(void)arg;
	if (!strcmp(name, "SET"))
		*v = "v";
	else if (!strcmp(name, "EMPTY"))
		*v = "";
	else if (!strcmp(name, "SHELL"))
		*v = "sh";
	else
		return 0;
	*len = strlen(*v);
	return 1;
}

/* The interpolation of s, or "ERR:" + the reason. */
static char *interp(const char *s, ord_interp_info *info)
{
	ord_buf out = ORD_BUF_INIT(4096);
	char err[256], *r;
	int e = ord_compose_interp(s, strlen(s), lookup, NULL, &out, err, sizeof(err), info);

	if (e) {
		r = malloc(strlen(err) + 5);
		sprintf(r, "ERR:%s", err);
	} else
		r = strdup(ord_buf_str(&out));
	ord_buf_release(&out);
	return r;
}

static void expect(const char *in, const char *want)
{
	char *got = interp(in, NULL);

	if (strcmp(got, want))
		print_error("'%s': got '%s', want '%s'\n", in, got, want);
	assert_string_equal(got, want);
	free(got);
}

static void test_interp_forms(void **st)
{
	(void)st;
	expect("plain", "plain");
	expect("${SET}", "v");
	expect("$SET", "v");
	expect("$SET-x", "v-x");
	expect("${UNSET}", "");
	expect("a$$b", "a$b");
	expect("$$SET", "$SET");
	expect("${UNSET:-d}", "d");
	expect("${EMPTY:-d}", "d");
	expect("${EMPTY-d}", "");
	expect("${UNSET-d}", "d");
	expect("${SET:-d}", "v");
	expect("${SET:+alt}", "alt");
	expect("${EMPTY:+alt}", "");
	expect("${EMPTY+alt}", "alt");
	expect("${UNSET+alt}", "");
	expect("${UNSET:-${SET}}", "v");
	expect("${UNSET:-${UNSET2:-deep}}x", "deepx");
	expect("${UNSET:-sk-or-v1-placeholder}", "sk-or-v1-placeholder");
	/* v2 keeps a '$' that starts no reference */
	expect("cost $5", "cost $5");
	expect("end $", "end $");
	expect("${SET?never}", "v");
	expect("${EMPTY?set but empty is fine}", "");
	expect("${EMPTY:?must be set}", "ERR:required variable 'EMPTY' is missing a value: must be set");
	expect("${UNSET?gone}", "ERR:required variable 'UNSET' is missing a value: gone");
	expect("${}", "ERR:invalid interpolation format: '${}'");
	expect("${A B}", "ERR:invalid interpolation format: '${A B}'");
	expect("${SET", "ERR:invalid interpolation format: '${SET'");
}

static void test_interp_info(void **st)
{
	ord_interp_info info;
	char *r;

	(void)st;
	r = interp("${SHELL}", &info);
	assert_string_equal(r, "sh");
	assert_true(info.whole);
	assert_string_equal(info.ref, "SHELL");
	assert_true(info.found);
	free(r);
	r = interp("pre-${UNSET:-d}", &info);
	assert_false(info.whole);
	assert_false(info.found);
	assert_int_equal(info.nrefs, 1);
	free(r);
}

/* Read a .env (raw = 0) or a format: raw file; the value of name, or
 * "(unset)", or "ERR". */
static char *dotenv_get(const char *text, int raw, const char *name)
{
	ord_cenvs e = {0};
	char err[256];
	const ord_cenv *c;
	char *r;

	if (ord_compose_dotenv(text, strlen(text), raw, lookup, NULL, &e, err, sizeof(err)))
		r = strdup("ERR");
	else {
		c = ord_cenvs_get(&e, name);
		r = strdup(c && c->value ? c->value : "(unset)");
	}
	ord_cenvs_release(&e);
	return r;
}

static void expect_env(const char *text, int raw, const char *name, const char *want)
{
	char *got = dotenv_get(text, raw, name);

	if (strcmp(got, want))
		print_error("'%s' %s: got '%s', want '%s'\n", text, name, got, want);
	assert_string_equal(got, want);
	free(got);
}

static void test_dotenv_compose_rules(void **st)
{
	(void)st;
	expect_env("K=v\n", 0, "K", "v");
	expect_env("export K=v\n", 0, "K", "v");
	expect_env("K=\"dq\"\n", 0, "K", "dq");
	/* python-dotenv 1.2.4 reads "KEY= #c" as empty; compose-go reads "#c" */
	expect_env("K= #c\n", 0, "K", "#c");
	expect_env("K=a #c\n", 0, "K", "a");
	/* $VAR and ${VAR-d} are expanded (python-dotenv: ${VAR} and ${VAR:-d} only) */
	expect_env("K=$SET\n", 0, "K", "v");
	expect_env("K=${UNSET-d}\n", 0, "K", "d");
	expect_env("K=\"${SET}\"\n", 0, "K", "v");
	/* nothing is expanded inside single quotes (python-dotenv expands ${SET}) */
	expect_env("K='${SET}'\n", 0, "K", "${SET}");
	expect_env("K='a\\'b'\n", 0, "K", "a'b");
	expect_env("K='a\\nb'\n", 0, "K", "a\\nb");
	/* in double quotes \$ is a literal $, \n a newline */
	expect_env("K=\"a\\$SET\"\n", 0, "K", "a$SET");
	expect_env("K=\"a\\nb\"\n", 0, "K", "a\nb");
	expect_env("K=a$$b\n", 0, "K", "a$b");
	/* the caller's lookup before the file's earlier lines (python-dotenv
	 * asks the earlier lines first) */
	expect_env("SET=file\nK=${SET}\n", 0, "K", "v");
	expect_env("X=file\nK=${X}\n", 0, "K", "file");
	/* a bare NAME takes the lookup's value (python-dotenv: nothing) */
	expect_env("SHELL\n", 0, "SHELL", "sh");
	expect_env("NOPE\n", 0, "NOPE", "(unset)");
	/* an unclosed quote makes Compose refuse the file */
	expect_env("K=\"open\n", 0, "K", "ERR");
	expect_env("K=${UNSET:?need it}\n", 0, "K", "ERR");
}

static void test_dotenv_raw(void **st)
{
	(void)st;
	expect_env("K='quoted'\n", 1, "K", "'quoted'");
	expect_env("K=\"dq\" # not a comment  \n", 1, "K", "\"dq\" # not a comment  ");
	expect_env("K=${SET}\n", 1, "K", "${SET}");
	expect_env("  # c\n  K=v\r\n", 1, "K", "v");
	expect_env("SHELL\n", 1, "SHELL", "sh");
	expect_env("A B=1\n", 1, "A", "ERR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interp_forms),
		cmocka_unit_test(test_interp_info),
		cmocka_unit_test(test_dotenv_compose_rules),
		cmocka_unit_test(test_dotenv_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
