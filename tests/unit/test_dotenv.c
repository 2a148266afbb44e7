/* The .env parser: what python-dotenv (and, for backticks, Node dotenv)
 * would load, with the exact raw bytes and line the doctor reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/dotenv.h"

#define MAXA 32
#define MAXE 16
#define VMAX 256

struct rec {
	char name[64];
	size_t name_len;
	char value[VMAX];	/* the first VMAX bytes */
	size_t value_len;
	size_t raw_off, raw_len;
	char ref[64];
	size_t ref_len;
	int has_ref;
	unsigned line, flags;
};

struct res {
	const char *data;
	size_t len;
	int stop_at;		/* return 7 from the stop_at-th callback */
	int n, ne;
	struct rec a[MAXA];
	struct {
		unsigned line;
		char msg[128];
	} e[MAXE];
};

static struct res R;

static int on_assign(void *arg, const ord_assign *a)
{
	struct rec *r;

	assert_ptr_equal(arg, &R);
	assert_true(R.n < MAXA);
	r = &R.a[R.n++];
	assert_true(a->name_len > 0 && a->name_len < sizeof(r->name));
	memcpy(r->name, a->name, a->name_len);
	r->name_len = a->name_len;
	r->value_len = a->value_len;
	assert_true(a->value != NULL);
	memcpy(r->value, a->value, a->value_len < VMAX ? a->value_len : VMAX);
	/* raw must be a slice of the input */
	assert_true(a->raw >= R.data && a->raw + a->raw_len <= R.data + R.len);
	r->raw_off = (size_t)(a->raw - R.data);
	r->raw_len = a->raw_len;
	r->has_ref = a->ref != NULL;
	if (a->ref) {
		assert_true(a->ref_len > 0 && a->ref_len < sizeof(r->ref));
		memcpy(r->ref, a->ref, a->ref_len);
		r->ref_len = a->ref_len;
	}
	r->line = a->line;
	r->flags = a->flags;
	return R.stop_at && R.n == R.stop_at ? 7 : 0;
}

static void on_err(void *arg, unsigned line, const char *msg)
{
	assert_ptr_equal(arg, &R);
	assert_true(R.ne < MAXE);
	R.e[R.ne].line = line;
	snprintf(R.e[R.ne].msg, sizeof(R.e[R.ne].msg), "%s", msg);
	R.ne++;
}

static int parse(const char *s, size_t n)
{
	memset(&R, 0, sizeof(R));
	R.data = s;
	R.len = n;
	return ord_dotenv_parse(s, n, on_assign, on_err, &R);
}

#define PARSE(lit) parse((lit), sizeof(lit) - 1)

static void check(int i, const char *name, const char *value, size_t vlen,
		  const char *raw, size_t rlen, unsigned line, unsigned flags)
{
	const struct rec *r;

	assert_true(i < R.n);
	r = &R.a[i];
	assert_int_equal(r->name_len, strlen(name));
	assert_memory_equal(r->name, name, r->name_len);
	assert_int_equal(r->value_len, vlen);
	if (vlen)
		assert_memory_equal(r->value, value, vlen);
	assert_int_equal(r->raw_len, rlen);
	if (rlen)
		assert_memory_equal(R.data + r->raw_off, raw, rlen);
	assert_int_equal(r->line, line);
	assert_int_equal(r->flags, flags);
}

/* A(i, name, value, raw, line, flags); value and raw are literals. */
#define A(i, n, v, raw, l, f) check((i), (n), (v), sizeof(v) - 1, (raw), \
				    sizeof(raw) - 1, (l), (f))

static void check_ref(int i, const char *ref)
{
	assert_true(i < R.n);
	if (!ref) {
		assert_false(R.a[i].has_ref);
		return;
	}
	assert_true(R.a[i].has_ref);
	assert_int_equal(R.a[i].ref_len, strlen(ref));
	assert_memory_equal(R.a[i].ref, ref, strlen(ref));
}

static void check_err(int i, unsigned line, const char *msg)
{
	assert_true(i < R.ne);
	assert_int_equal(R.e[i].line, line);
	assert_string_equal(R.e[i].msg, msg);
}

#define EXPORT ORD_ASSIGN_EXPORT
#define SQ ORD_ASSIGN_QUOTED_SINGLE
#define DQ ORD_ASSIGN_QUOTED_DOUBLE
#define BQ ORD_ASSIGN_QUOTED_BACKTICK
#define CRLF ORD_ASSIGN_CRLF
#define EXP ORD_ASSIGN_EXPANSION
#define UNTERM ORD_ASSIGN_UNTERMINATED
#define ML ORD_ASSIGN_MULTILINE
#define UNSET ORD_ASSIGN_UNSET

static void test_basic(void **state)
{
	(void)state;
	assert_int_equal(PARSE("A=1\nB=two words\n"), 0);
	assert_int_equal(R.n, 2);
	assert_int_equal(R.ne, 0);
	A(0, "A", "1", "1", 1, 0);
	A(1, "B", "two words", "two words", 2, 0);
	assert_int_equal(R.a[1].raw_off, 6);
}

static void test_empty_input(void **state)
{
	(void)state;
	assert_int_equal(ord_dotenv_parse(NULL, 0, on_assign, on_err, &R), 0);
	assert_int_equal(PARSE(""), 0);
	assert_int_equal(PARSE(" \n\t\r\n\n"), 0);
	assert_int_equal(R.n + R.ne, 0);
	/* no callbacks at all must not crash either */
	assert_int_equal(ord_dotenv_parse("A=1\n=x", 6, NULL, NULL, NULL), 0);
}

static void test_duplicates_reported_in_order(void **state)
{
	(void)state;
	PARSE("OPENROUTER_API_KEY=first\nOTHER=x\nOPENROUTER_API_KEY=second\n");
	assert_int_equal(R.n, 3);
	A(0, "OPENROUTER_API_KEY", "first", "first", 1, 0);
	A(1, "OTHER", "x", "x", 2, 0);
	A(2, "OPENROUTER_API_KEY", "second", "second", 3, 0);
}

static void test_bom(void **state)
{
	(void)state;
	PARSE("\xef\xbb\xbfOPENROUTER_API_KEY=sk\n");
	assert_int_equal(R.n, 1);
	A(0, "OPENROUTER_API_KEY", "sk", "sk", 1, 0);
	assert_int_equal(R.a[0].raw_off, 22);
	/* only a leading BOM is dropped: later it is part of the name */
	PARSE("A=1\n\xef\xbb\xbf" "B=2\n");
	assert_int_equal(R.n, 2);
	A(1, "\xef\xbb\xbf" "B", "2", "2", 2, 0);
}

static void test_crlf(void **state)
{
	(void)state;
	PARSE("A=1\r\nB=\"x\"\r\nC=3");
	assert_int_equal(R.n, 3);
	A(0, "A", "1", "1", 1, CRLF);
	A(1, "B", "x", "\"x\"", 2, DQ | CRLF);
	A(2, "C", "3", "3", 3, 0);
}

static void test_lone_cr(void **state)
{
	(void)state;
	PARSE("A=1\rB=2\r\rC=3\r");
	assert_int_equal(R.n, 3);
	A(0, "A", "1", "1", 1, 0);
	A(1, "B", "2", "2", 2, 0);
	A(2, "C", "3", "3", 4, 0);
}

static void test_export(void **state)
{
	(void)state;
	PARSE("export A=1\nexport\t B = 2\nexport=3\nexportC=4\n");
	assert_int_equal(R.n, 4);
	A(0, "A", "1", "1", 1, EXPORT);
	A(1, "B", "2", "2", 2, EXPORT);
	/* "export" needs blanks after it to be the keyword */
	A(2, "export", "3", "3", 3, 0);
	A(3, "exportC", "4", "4", 4, 0);
}

static void test_export_without_name(void **state)
{
	(void)state;
	PARSE("export \nA=1\n");
	assert_int_equal(R.ne, 1);
	check_err(0, 1, "missing name after 'export'");
	assert_int_equal(R.n, 1);
	A(0, "A", "1", "1", 2, 0);
}

static void test_comments(void **state)
{
	(void)state;
	PARSE("# top\n  # indented\n\nA=1 # note\n#B=2\nexport # c\n");
	assert_int_equal(R.ne, 0);
	assert_int_equal(R.n, 1);
	A(0, "A", "1", "1", 4, 0);
}

static void test_inline_comment_rules(void **state)
{
	(void)state;
	PARSE("A=ab#cd\nB=ab #cd\nC=ab\t# cd\nD= #only\nE=#v\nF=x  \n");
	assert_int_equal(R.n, 6);
	/* python-dotenv needs whitespace before '#' (Node would say "ab") */
	A(0, "A", "ab#cd", "ab#cd", 1, 0);
	A(1, "B", "ab", "ab", 2, 0);
	A(2, "C", "ab", "ab", 3, 0);
	A(3, "D", "", "", 4, 0);
	A(4, "E", "#v", "#v", 5, 0);
	A(5, "F", "x", "x", 6, 0);
}

static void test_hash_inside_quotes(void **state)
{
	(void)state;
	PARSE("A=\"x # y\" # z\nB='#'#c\n");
	assert_int_equal(R.n, 2);
	A(0, "A", "x # y", "\"x # y\"", 1, DQ);
	A(1, "B", "#", "'#'", 2, SQ);
}

static void test_single_quotes(void **state)
{
	(void)state;
	PARSE("A='lit $ \\n \\t'\nB='it\\'s \\\\ ok'\n");
	assert_int_equal(R.n, 2);
	A(0, "A", "lit $ \\n \\t", "'lit $ \\n \\t'", 1, SQ);
	A(1, "B", "it's \\ ok", "'it\\'s \\\\ ok'", 2, SQ);
}

static void test_double_quote_escapes(void **state)
{
	(void)state;
	PARSE("A=\"a\\tb\\nc\\\\d\\\"e\\'f\\$g\\q\"\n");
	assert_int_equal(R.n, 1);
	A(0, "A", "a\tb\nc\\d\"e'f\\$g\\q",
	  "\"a\\tb\\nc\\\\d\\\"e\\'f\\$g\\q\"", 1, DQ);
}

static void test_backslash_before_closing_quote(void **state)
{
	(void)state;
	/* python-dotenv >= 1.2.3: "\\" is one escaped backslash */
	PARSE("A=\"C:\\\\\"\nB=1\n");
	assert_int_equal(R.n, 2);
	A(0, "A", "C:\\", "\"C:\\\\\"", 1, DQ);
	A(1, "B", "1", "1", 2, 0);
	/* \' does not close: the value runs into B's quote, then fails */
	PARSE("A='x\\'\nB='y'\nC=2\n");
	assert_int_equal(R.ne, 1);
	check_err(0, 1, "unterminated single quote");
	assert_int_equal(R.n, 2);
	A(0, "A", "x\\'", "'x\\'", 1, SQ | UNTERM);
	A(1, "C", "2", "2", 3, 0);
}

static void test_backtick(void **state)
{
	(void)state;
	/* python-dotenv keeps the backticks (unquoted text, comment rules
	 * included); BQ says Node's dotenv strips them.  Node reads B over
	 * two lines; python-dotenv reads "`l1", then a bare name "l2`". */
	PARSE("A=`x 'y' \"z\" \\n` # c\nB=`l1\nl2`\n");
	assert_int_equal(R.n, 3);
	assert_int_equal(R.ne, 0);
	A(0, "A", "`x 'y' \"z\" \\n`", "`x 'y' \"z\" \\n`", 1, BQ);
	A(1, "B", "`l1", "`l1", 2, BQ);
	A(2, "l2`", "", "", 3, UNSET);
}

static void test_backtick_unclosed_is_text(void **state)
{
	(void)state;
	PARSE("A=`abc # c\nB=1\n");
	assert_int_equal(R.ne, 0);
	assert_int_equal(R.n, 2);
	A(0, "A", "`abc", "`abc", 1, UNTERM);
	A(1, "B", "1", "1", 2, 0);
}

static void test_spacing_around_equals(void **state)
{
	(void)state;
	PARSE("KEY = value  \n  B\t=\t'v'\nC =\n");
	assert_int_equal(R.n, 3);
	A(0, "KEY", "value", "value", 1, 0);
	A(1, "B", "v", "'v'", 2, SQ);
	A(2, "C", "", "", 3, 0);
}

static void test_multiline_double(void **state)
{
	(void)state;
	PARSE("A=\"l1\nl2\"\nB=x\n");
	assert_int_equal(R.n, 2);
	A(0, "A", "l1\nl2", "\"l1\nl2\"", 1, DQ | ML);
	A(1, "B", "x", "x", 3, 0);
}

static void test_multiline_crlf(void **state)
{
	(void)state;
	/* universal newlines: the consumer sees LF, raw keeps CR LF */
	PARSE("A=\"l1\r\nl2\r\n\"\r\nB='m1\rm2'\r\nC=x\r\n");
	assert_int_equal(R.n, 3);
	A(0, "A", "l1\nl2\n", "\"l1\r\nl2\r\n\"", 1, DQ | ML | CRLF);
	A(1, "B", "m1\nm2", "'m1\rm2'", 4, SQ | ML | CRLF);
	A(2, "C", "x", "x", 6, CRLF);
}

static void test_unterminated_double_then_valid(void **state)
{
	(void)state;
	PARSE("OPENROUTER_API_KEY=\"sk-or-v1-secret\nB=ok\n");
	assert_int_equal(R.ne, 1);
	check_err(0, 1, "unterminated double quote");
	assert_null(strstr(R.e[0].msg, "secret"));
	assert_int_equal(R.n, 2);
	A(0, "OPENROUTER_API_KEY", "sk-or-v1-secret", "\"sk-or-v1-secret", 1,
	  DQ | UNTERM);
	A(1, "B", "ok", "ok", 2, 0);
}

static void test_unterminated_single(void **state)
{
	(void)state;
	PARSE("A='abc # x\r\nB=1");
	assert_int_equal(R.ne, 1);
	check_err(0, 1, "unterminated single quote");
	assert_int_equal(R.n, 2);
	A(0, "A", "abc # x", "'abc # x", 1, SQ | UNTERM | CRLF);
	A(1, "B", "1", "1", 2, 0);
}

static void test_forgotten_quote_swallows_to_next_quote(void **state)
{
	(void)state;
	/* python-dotenv reads A's value up to B's opening quote, fails on
	 * `def"` and resumes after line 2: B is lost, C is read. */
	PARSE("A=\"abc\nB=\"def\"\nC=ok\n");
	assert_int_equal(R.ne, 1);
	check_err(0, 1, "unterminated double quote");
	assert_int_equal(R.n, 2);
	A(0, "A", "abc", "\"abc", 1, DQ | UNTERM);
	A(1, "C", "ok", "ok", 3, 0);
}

static void test_garbage_lines_then_valid(void **state)
{
	(void)state;
	PARSE("this is not an assignment\nA=1\n=nokey\n"
	      "OPENROUTER_API_KEY: sk-or-v1-x\nB=2\n");
	assert_int_equal(R.ne, 3);
	check_err(0, 1, "expected '=' after name");
	check_err(1, 3, "missing name before '='");
	check_err(2, 4, "':' instead of '=' after name");
	assert_int_equal(R.n, 2);
	A(0, "A", "1", "1", 2, 0);
	A(1, "B", "2", "2", 5, 0);
}

static void test_text_after_closing_quote(void **state)
{
	(void)state;
	PARSE("A=\"x\" y\nB=1\n");
	assert_int_equal(R.ne, 1);
	check_err(0, 1, "unexpected text after closing quote");
	assert_int_equal(R.n, 1);
	A(0, "B", "1", "1", 2, 0);
}

static void test_empty_values(void **state)
{
	(void)state;
	PARSE("A=\nB=\"\"\nC=''\nD=   # c\nE=");
	assert_int_equal(R.ne, 0);
	assert_int_equal(R.n, 5);
	A(0, "A", "", "", 1, 0);
	A(1, "B", "", "\"\"", 2, DQ);
	A(2, "C", "", "''", 3, SQ);
	A(3, "D", "", "", 4, 0);
	A(4, "E", "", "", 5, 0);
	assert_int_equal(R.a[4].raw_off, R.len);
}

static void test_bare_name_unsets(void **state)
{
	(void)state;
	/* python-dotenv: NAME=None, which sets nothing and replaces an
	 * earlier NAME=value (found by make differential) */
	PARSE("NAME\nOTHER # c\nB=1\nexport B\r\n");
	assert_int_equal(R.ne, 0);
	assert_int_equal(R.n, 4);
	A(0, "NAME", "", "", 1, UNSET);
	A(1, "OTHER", "", "", 2, UNSET);
	A(2, "B", "1", "1", 3, 0);
	A(3, "B", "", "", 4, UNSET | EXPORT | CRLF);
}

static void test_refs(void **state)
{
	(void)state;
	PARSE("A=${OPENROUTER_API_KEY}\nB=$OR_KEY\nC=${X:-fallback}\n"
	      "D=pre-${X}\nE='${X}'\nF=cost $5\nG=${X:bad}\nH=\"${X}\"\n"
	      "I=${}\nJ=\\$X\nK=${open $B\n");
	assert_int_equal(R.n, 11);
	A(0, "A", "${OPENROUTER_API_KEY}", "${OPENROUTER_API_KEY}", 1, EXP);
	check_ref(0, "OPENROUTER_API_KEY");
	A(1, "B", "$OR_KEY", "$OR_KEY", 2, EXP);
	check_ref(1, "OR_KEY");
	A(2, "C", "${X:-fallback}", "${X:-fallback}", 3, EXP);
	check_ref(2, "X");
	A(3, "D", "pre-${X}", "pre-${X}", 4, EXP);
	check_ref(3, NULL);
	/* python-dotenv expands inside single quotes too */
	A(4, "E", "${X}", "'${X}'", 5, SQ | EXP);
	check_ref(4, "X");
	A(5, "F", "cost $5", "cost $5", 6, 0);
	A(6, "G", "${X:bad}", "${X:bad}", 7, 0);
	A(7, "H", "${X}", "\"${X}\"", 8, DQ | EXP);
	check_ref(7, "X");
	A(8, "I", "${}", "${}", 9, EXP);
	check_ref(8, NULL);
	A(9, "J", "\\$X", "\\$X", 10, 0);
	check_ref(9, NULL);
	/* an unclosed "${" does not hide a later $NAME */
	A(10, "K", "${open $B", "${open $B", 11, EXP);
	check_ref(10, NULL);
}

static void test_no_trailing_newline(void **state)
{
	(void)state;
	PARSE("A=1\nB=last");
	assert_int_equal(R.n, 2);
	A(1, "B", "last", "last", 2, 0);
	PARSE("A=\"q\" # c");
	assert_int_equal(R.n, 1);
	A(0, "A", "q", "\"q\"", 1, DQ);
	PARSE("# only a comment");
	assert_int_equal(R.n + R.ne, 0);
	PARSE("A='open");
	assert_int_equal(R.ne, 1);
	A(0, "A", "open", "'open", 1, SQ | UNTERM);
}

static void test_nul_byte(void **state)
{
	(void)state;
	PARSE("A=ab\0cd\nB=\"x\0y\\n\"\nC=1\n");
	assert_int_equal(R.n, 3);
	A(0, "A", "ab\0cd", "ab\0cd", 1, 0);
	A(1, "B", "x\0y\n", "\"x\0y\\n\"", 2, DQ);
	A(2, "C", "1", "1", 3, 0);
}

static void test_quoted_name(void **state)
{
	(void)state;
	PARSE("'MY KEY'=v\n''=x\nB=1\n");
	assert_int_equal(R.n, 2);
	A(0, "MY KEY", "v", "v", 1, 0);
	A(1, "B", "1", "1", 3, 0);
	assert_int_equal(R.ne, 1);
	check_err(0, 2, "empty name");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	PARSE("A=ok\nB=\xff\xfe\nC=\xed\xa0\x80\n");
	assert_int_equal(R.ne, 1);
	check_err(0, 2, "invalid utf-8: python-dotenv cannot read this file");
	assert_int_equal(R.n, 3);
	A(1, "B", "\xff\xfe", "\xff\xfe", 2, 0);
	A(2, "C", "\xed\xa0\x80", "\xed\xa0\x80", 3, 0);
	PARSE("A=\xc3\xa9t\xc3\xa9 \xf0\x9f\x94\x91\n");
	assert_int_equal(R.ne, 0);
}

static void test_unicode_whitespace(void **state)
{
	(void)state;
	/* python-dotenv strips a pasted no-break space like any blank */
	PARSE("A=sk-or\xc2\xa0\nB=x\xe2\x80\x83#c\nC=y\xe2\x80\x8b\n");
	assert_int_equal(R.n, 3);
	A(0, "A", "sk-or", "sk-or", 1, 0);
	A(1, "B", "x", "x", 2, 0);
	/* a zero-width space is not whitespace: it stays for the linter */
	A(2, "C", "y\xe2\x80\x8b", "y\xe2\x80\x8b", 3, 0);
}

static void test_line_numbers(void **state)
{
	(void)state;
	PARSE("\n\n# c\n\n  A=1\n\n\nB=\"x\ny\nz\"\nC=3\n'N\nM'=4\nD=5");
	assert_int_equal(R.n, 5);
	A(0, "A", "1", "1", 5, 0);
	A(1, "B", "x\ny\nz", "\"x\ny\nz\"", 8, DQ | ML);
	A(2, "C", "3", "3", 11, 0);
	A(3, "N\nM", "4", "4", 12, 0);
	A(4, "D", "5", "5", 14, 0);
}

static void test_callback_stop(void **state)
{
	(void)state;
	memset(&R, 0, sizeof(R));
	R.data = "A=1\nB=2\nC=3\n";
	R.len = strlen(R.data);
	R.stop_at = 2;
	assert_int_equal(ord_dotenv_parse(R.data, R.len, on_assign, on_err, &R), 7);
	assert_int_equal(R.n, 2);
}

static void test_huge_line(void **state)
{
	size_t n = 1u << 20, i;
	char *s = malloc(n + 16);

	(void)state;
	assert_non_null(s);
	memcpy(s, "A=\"", 3);
	for (i = 0; i < n; i++)
		s[3 + i] = i % 2 ? 'x' : '\\';	/* \x\x…: nothing to unescape */
	memcpy(s + 3 + n, "\"\nB=1", 5);
	parse(s, n + 8);
	assert_int_equal(R.n, 2);
	assert_int_equal(R.a[0].value_len, n);
	assert_int_equal(R.a[0].raw_len, n + 2);
	assert_int_equal(R.a[1].line, 2);
	/* unterminated, no newline anywhere */
	memset(s, 'y', n + 16);
	memcpy(s, "A='", 3);
	parse(s, n + 16);
	assert_int_equal(R.ne, 1);
	assert_int_equal(R.a[0].value_len, n + 13);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_duplicates_reported_in_order),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_lone_cr),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_export_without_name),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_inline_comment_rules),
		cmocka_unit_test(test_hash_inside_quotes),
		cmocka_unit_test(test_single_quotes),
		cmocka_unit_test(test_double_quote_escapes),
		cmocka_unit_test(test_backslash_before_closing_quote),
		cmocka_unit_test(test_backtick),
		cmocka_unit_test(test_backtick_unclosed_is_text),
		cmocka_unit_test(test_spacing_around_equals),
		cmocka_unit_test(test_multiline_double),
		cmocka_unit_test(test_multiline_crlf),
		cmocka_unit_test(test_unterminated_double_then_valid),
		cmocka_unit_test(test_unterminated_single),
		cmocka_unit_test(test_forgotten_quote_swallows_to_next_quote),
		cmocka_unit_test(test_garbage_lines_then_valid),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_empty_values),
		cmocka_unit_test(test_bare_name_unsets),
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_no_trailing_newline),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_quoted_name),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_unicode_whitespace),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_callback_stop),
		cmocka_unit_test(test_huge_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
