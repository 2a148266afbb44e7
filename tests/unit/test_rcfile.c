/* Shell rc files: which assignments are found, decoded how, flagged how. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/rcfile.h"

#define EXP ORD_ASSIGN_EXPORT
#define SQ ORD_ASSIGN_QUOTED_SINGLE
#define DQ ORD_ASSIGN_QUOTED_DOUBLE
#define CRLF ORD_ASSIGN_CRLF
#define EXPN ORD_ASSIGN_EXPANSION
#define UNT ORD_ASSIGN_UNTERMINATED
#define ML ORD_ASSIGN_MULTILINE
#define COND ORD_ASSIGN_CONDITIONAL
#define CMD ORD_ASSIGN_COMMAND_SUBST

/* A fixture secret: it must never show up in an error message. */
#define SECRET "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"

#define MAXREC 48
typedef struct rec {
	char name[64], value[256], raw[256], ref[64];
	size_t value_len, raw_len;
	int has_ref;
	unsigned line, flags;
} rec;

static struct {
	const char *in;
	size_t len;
	rec r[MAXREC];
	int n, nerr, stop_after;
	unsigned errline[8];
	char err[8][128];
} C;

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
	n = n < cap - 1 ? n : cap - 1; /* long values: keep the start */
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int collect(void *arg, const ord_assign *a)
{
	rec *r;

	(void)arg;
	/* raw and name point into the input; every value byte is readable */
	assert_true(a->raw >= C.in && a->raw + a->raw_len <= C.in + C.len);
	assert_true(a->name >= C.in && a->name + a->name_len <= C.in + C.len);
	assert_true(a->line >= 1);
	assert_non_null(a->value);
	if (C.n == MAXREC)
		return 0;
	r = &C.r[C.n++];
	copy(r->name, sizeof(r->name), a->name, a->name_len);
	copy(r->value, sizeof(r->value), a->value, a->value_len);
	copy(r->raw, sizeof(r->raw), a->raw, a->raw_len);
	r->value_len = a->value_len;
	r->raw_len = a->raw_len;
	r->has_ref = a->ref != NULL;
	if (a->ref)
		copy(r->ref, sizeof(r->ref), a->ref, a->ref_len);
	r->line = a->line;
	r->flags = a->flags;
	return C.stop_after && C.n == C.stop_after ? 7 : 0;
}

static void on_err(void *arg, unsigned line, const char *msg)
{
	(void)arg;
	assert_null(strstr(msg, "sk-or-"));
	assert_true(line >= 1);
	if (C.nerr < 8) {
		C.errline[C.nerr] = line;
		copy(C.err[C.nerr], sizeof(C.err[0]), msg, strlen(msg));
	}
	C.nerr++;
}

static int run(const char *s, size_t len, ord_rc_dialect d)
{
	memset(&C, 0, sizeof(C));
	C.in = s;
	C.len = len;
	return ord_rc_parse(s, len, d, collect, on_err, NULL);
}

#define RUN(s, d) assert_int_equal(run((s), sizeof(s) - 1, (d)), 0)
#define SH(s) RUN(s, ORD_RC_SH)

static const rec *get(const char *name)
{
	int k;

	for (k = 0; k < C.n; k++)
		if (!strcmp(C.r[k].name, name))
			return &C.r[k];
	fail_msg("no assignment of %s", name);
	return NULL;
}

static int found(const char *name)
{
	int k;

	for (k = 0; k < C.n; k++)
		if (!strcmp(C.r[k].name, name))
			return 1;
	return 0;
}

/* name, decoded value, raw bytes, flags */
static void check(const char *name, const char *value, const char *raw, unsigned flags)
{
	const rec *r = get(name);

	assert_string_equal(r->value, value);
	assert_string_equal(r->raw, raw);
	assert_int_equal(r->flags, flags);
}

static void test_sh_export_forms(void **state)
{
	(void)state;
	SH("export A=1\nB=2\nexport C\nexport D E=5\n");
	assert_int_equal(C.n, 3);
	check("A", "1", "1", EXP);
	check("B", "2", "2", 0);
	check("E", "5", "5", EXP);
	assert_false(found("C"));
	assert_false(found("D"));
	assert_int_equal(get("E")->line, 4);
	assert_int_equal(C.nerr, 0);
}

static void test_sh_declare_typeset_readonly_local(void **state)
{
	(void)state;
	SH("declare -x A=1\ntypeset -x B=2\ntypeset -gx C=3\ndeclare D=4\n"
	   "readonly E=5\nlocal F=6\nexport -n G=7\ndeclare -f H=8\ndeclare +x I=9\n");
	check("A", "1", "1", EXP);
	check("B", "2", "2", EXP);
	check("C", "3", "3", EXP);
	check("D", "4", "4", 0);
	check("E", "5", "5", 0); /* readonly: reported, not exported */
	check("G", "7", "7", 0);
	check("I", "9", "9", 0);
	assert_false(found("F")); /* local: function scope, ignored */
	assert_false(found("H"));
}

static void test_sh_multiple_on_one_line(void **state)
{
	(void)state;
	SH("export A=1 B=\"two words\" C='three' D=;E=5\n");
	assert_int_equal(C.n, 5);
	check("B", "two words", "\"two words\"", EXP | DQ);
	check("C", "three", "'three'", EXP | SQ);
	check("D", "", "", EXP);
	check("E", "5", "5", 0);
	assert_string_equal(C.r[0].name, "A"); /* file order */
	assert_string_equal(C.r[4].name, "E");
}

static void test_sh_quoting(void **state)
{
	(void)state;
	SH("export A='a b $X \\n'\n"
	   "export B=\"a\\\"b\\\\c\\$d\\`e\\f\"\n"
	   "export C=\"a\"'b'c\\ d\n"
	   "export D=$'x\\ty\\'z\\x41'\n");
	check("A", "a b $X \\n", "'a b $X \\n'", EXP | SQ);
	check("B", "a\"b\\c$d`e\\f", "\"a\\\"b\\\\c\\$d\\`e\\f\"", EXP | DQ);
	check("C", "abc d", "\"a\"'b'c\\ d", EXP | SQ | DQ);
	check("D", "x\ty'zA", "$'x\\ty\\'z\\x41'", EXP | SQ);
}

static void test_sh_value_ends(void **state)
{
	(void)state;
	SH("export A=x # comment\nexport B=x#y\n# export C=1\n"
	   "export D=1;export E=2&& true\nF=3|cat\nG=4& H=5>/dev/null\n");
	check("A", "x", "x", EXP);
	check("B", "x#y", "x#y", EXP);
	assert_false(found("C"));
	check("D", "1", "1", EXP);
	check("E", "2", "2", EXP);
	check("F", "3", "3", 0);
	check("G", "4", "4", 0);
	check("H", "5", "5", 0);
}

static void test_sh_crlf_keeps_cr(void **state)
{
	(void)state;
	/* bash keeps the CR in an unquoted value, and after a closing quote */
	SH("export A=" SECRET "\r\nexport B=\"x\"\r\nC=1; D=2\r\nexport E=ok\n");
	check("A", SECRET "\r", SECRET "\r", EXP | CRLF);
	check("B", "x\r", "\"x\"\r", EXP | DQ | CRLF);
	check("C", "1", "1", CRLF);
	check("D", "2\r", "2\r", CRLF);
	check("E", "ok", "ok", EXP);
	assert_int_equal(get("E")->line, 4);
}

static void test_fish_crlf_drops_cr(void **state)
{
	(void)state;
	/* fish reads an unquoted CR as a blank (found by make differential);
	 * inside quotes it stays */
	RUN("set -gx A " SECRET "\r\nset -gx B \"x\r\"\r\nset -gx C a\rb\n", ORD_RC_FISH);
	check("A", SECRET, SECRET, EXP | CRLF);
	check("B", "x\r", "\"x\r\"", EXP | DQ | CRLF);
	check("C", "a b", "a\rb", EXP);
}

static void test_sh_whole_reference(void **state)
{
	(void)state;
	SH("export ANTHROPIC_AUTH_TOKEN=\"$OPENROUTER_API_KEY\"\n"
	   "A=${OPENROUTER_API_KEY}\nB=${X:-}\nC=$X\nD=${X-default}\n");
	check("ANTHROPIC_AUTH_TOKEN", "$OPENROUTER_API_KEY", "\"$OPENROUTER_API_KEY\"",
	      EXP | DQ | EXPN);
	assert_string_equal(get("ANTHROPIC_AUTH_TOKEN")->ref, "OPENROUTER_API_KEY");
	assert_string_equal(get("A")->ref, "OPENROUTER_API_KEY");
	assert_string_equal(get("B")->ref, "X");
	assert_string_equal(get("C")->ref, "X");
	assert_string_equal(get("D")->ref, "X");
	assert_int_equal(get("A")->flags, EXPN);
}

static void test_sh_partial_references(void **state)
{
	(void)state;
	SH("A=\"$X/y\"\nB=$X$Y\nC=${#X}\nD=${X:+y}\nE=$1\nF=\"$X\"\r\nG=pre${X}\n");
	assert_int_equal(C.n, 7);
	for (int k = 0; k < C.n; k++) {
		assert_false(C.r[k].has_ref);
		assert_true(C.r[k].flags & EXPN);
	}
	check("B", "$X$Y", "$X$Y", EXPN);
}

static void test_sh_command_substitution(void **state)
{
	(void)state;
	SH("export A=$(cat ~/.key)\nexport B=`pass show or`\nC=\"$(echo \")\")\"\n"
	   "D=$((1 + 2))\nE=x$(f)y\n");
	check("A", "$(cat ~/.key)", "$(cat ~/.key)", EXP | CMD);
	check("B", "`pass show or`", "`pass show or`", EXP | CMD);
	check("C", "$(echo \")\")", "\"$(echo \")\")\"", DQ | CMD);
	check("D", "$((1 + 2))", "$((1 + 2))", EXPN); /* arithmetic, not a command */
	check("E", "x$(f)y", "x$(f)y", CMD);
	assert_false(get("A")->has_ref);
}

static void test_sh_conditional_if(void **state)
{
	(void)state;
	SH("if [ -f ~/.key ]; then\n  export A=1\nelif true; then\n  export B=2\nelse\n"
	   "  if x; then export C=3; fi\n  export D=4\nfi\nexport E=5\n"
	   "while read l; do export F=6; done < f\nexport G=7\n");
	check("A", "1", "1", EXP | COND);
	check("B", "2", "2", EXP | COND);
	check("C", "3", "3", EXP | COND);
	check("D", "4", "4", EXP | COND);
	check("E", "5", "5", EXP);
	check("F", "6", "6", EXP | COND);
	check("G", "7", "7", EXP);
}

static void test_sh_conditional_case(void **state)
{
	(void)state;
	SH("case \"$HOST\" in\n  work) export A=1;;\n  home|lab)\n    export B=2\n    ;;\n"
	   "  (*) export C=3 ;;\nesac\nexport D=4\n"
	   "case x in y) export E=5;; esac; export F=6\n");
	check("A", "1", "1", EXP | COND);
	check("B", "2", "2", EXP | COND);
	check("C", "3", "3", EXP | COND);
	check("D", "4", "4", EXP);
	check("E", "5", "5", EXP | COND);
	check("F", "6", "6", EXP);
}

static void test_sh_conditional_functions(void **state)
{
	(void)state;
	SH("f() {\n  export A=1\n}\nexport B=2\nfunction g {\n  export C=3\n}\n"
	   "function h()\n{\n  export D=4\n}\nk () { export E=5; }\n{ export F=6; }\n"
	   "export G=7\n");
	check("A", "1", "1", EXP | COND);
	check("B", "2", "2", EXP);
	check("C", "3", "3", EXP | COND);
	check("D", "4", "4", EXP | COND);
	check("E", "5", "5", EXP | COND);
	check("F", "6", "6", EXP); /* a plain group runs */
	check("G", "7", "7", EXP);
	assert_int_equal(get("D")->line, 10);
}

static void test_sh_conditional_lists(void **state)
{
	(void)state;
	SH("[ -f x ] && export A=1\n[ -f x ] || export B=2\nexport C=3 || true\n"
	   "[ -f x ] && { export D=4; export E=5; }\n(export F=6)\nexport G=7\n"
	   "OPENROUTER_API_KEY=x aider\nH=1 I=2\n");
	check("A", "1", "1", EXP | COND);
	check("B", "2", "2", EXP | COND);
	check("C", "3", "3", EXP);
	check("D", "4", "4", EXP | COND);
	check("E", "5", "5", EXP | COND);
	check("F", "6", "6", EXP | COND); /* a subshell's exports do not last */
	check("G", "7", "7", EXP);
	/* a prefix assignment only reaches that command */
	check("OPENROUTER_API_KEY", "x", "x", COND);
	check("H", "1", "1", 0);
	check("I", "2", "2", 0);
}

static void test_sh_heredoc_skipped(void **state)
{
	(void)state;
	SH("cat <<EOF >x\nexport NO1=1\nEOF\nexport A=1\n"
	   "cat <<-'END'; export B=2\n\texport NO2=1\n\tEND\n"
	   "cat <<\"X\" <<Y\nexport NO3=1\nX\nexport NO4=1\nY\nexport C=3\n"
	   "cat <<< \"export NO5=1\"\nexport D=4\n");
	assert_int_equal(C.n, 4);
	assert_int_equal(get("A")->line, 4);
	assert_int_equal(get("B")->line, 5);
	assert_int_equal(get("C")->line, 13);
	assert_int_equal(get("D")->line, 15);
}

static void test_sh_continuation_lines(void **state)
{
	(void)state;
	SH("export \\\n  A=1\nexport B=ab\\\ncd C=3\nexport D=\"x\\\ny\"\nexport E=5\n");
	check("A", "1", "1", EXP);
	assert_int_equal(get("A")->line, 2);
	check("B", "abcd", "ab\\\ncd", EXP | ML);
	assert_int_equal(get("B")->line, 3);
	check("C", "3", "3", EXP);
	check("D", "xy", "\"x\\\ny\"", EXP | DQ | ML);
	assert_int_equal(get("E")->line, 7);
}

static void test_sh_line_numbers_after_multiline(void **state)
{
	(void)state;
	SH("export A=\"one\ntwo\nthree\"\nexport B='x\ny'\nARR=(a\n b\n c)\n"
	   "echo $(\n date\n)\nexport C=1\n");
	check("A", "one\ntwo\nthree", "\"one\ntwo\nthree\"", EXP | DQ | ML);
	assert_int_equal(get("A")->line, 1);
	assert_int_equal(get("B")->line, 4);
	assert_false(found("ARR")); /* arrays are not keys */
	assert_int_equal(get("C")->line, 12);
}

static void test_sh_unterminated_then_good_line(void **state)
{
	(void)state;
	SH("export A='" SECRET "\nexport B=good\nexport C=\"open\nexport D=ok\n");
	assert_int_equal(C.nerr, 2);
	assert_string_equal(C.err[0], "unterminated single quote");
	assert_int_equal(C.errline[0], 1);
	assert_string_equal(C.err[1], "unterminated double quote");
	assert_int_equal(C.errline[1], 3);
	check("A", SECRET, "'" SECRET, EXP | SQ | UNT);
	check("B", "good", "good", EXP);
	check("C", "open", "\"open", EXP | DQ | UNT);
	check("D", "ok", "ok", EXP);
	assert_int_equal(get("D")->line, 4);
}

static void test_sh_ordinary_commands_ignored(void **state)
{
	(void)state;
	SH("alias ll='ls -l'\nsource ~/.env\n. ~/.profile\nPS1='\\u@\\h'\n"
	   "[[ $- == *i* && -n $X ]] && export A=1\neval \"$(pyenv init -)\"\n"
	   "(( n > 2 )) && export B=2\nexport PATH=\"$HOME/bin:$PATH\"\n");
	assert_int_equal(C.nerr, 0);
	assert_int_equal(C.n, 4);
	check("A", "1", "1", EXP | COND);
	check("B", "2", "2", EXP | COND);
	check("PATH", "$HOME/bin:$PATH", "\"$HOME/bin:$PATH\"", EXP | DQ | EXPN);
}

static void test_fish(void **state)
{
	(void)state;
	RUN("set -gx A value\nset -Ux B 'it\\'s'\nset --export --global C \"x $HOME\"\n"
	    "set -x D v1 v2  v3\nset E plain\nset -e F\nset -q G\nset -gx H $OPENROUTER_API_KEY\n"
	    "set -gx I (cat ~/.key)\nset -gx J a\\tb\nset -gx K\nset -lx L 1\n", ORD_RC_FISH);
	check("A", "value", "value", EXP);
	check("B", "it's", "'it\\'s'", EXP | SQ);
	check("C", "x $HOME", "\"x $HOME\"", EXP | DQ | EXPN);
	check("D", "v1 v2 v3", "v1 v2  v3", EXP); /* joined by one space */
	check("E", "plain", "plain", 0);
	check("H", "$OPENROUTER_API_KEY", "$OPENROUTER_API_KEY", EXP | EXPN);
	assert_string_equal(get("H")->ref, "OPENROUTER_API_KEY");
	check("I", "(cat ~/.key)", "(cat ~/.key)", EXP | CMD);
	check("J", "a\tb", "a\\tb", EXP);
	check("K", "", "", EXP);
	assert_false(found("F") || found("G") || found("L"));
}

static void test_fish_blocks(void **state)
{
	(void)state;
	RUN("if status is-interactive\n  set -gx A 1\nelse if test -f x\n  set -gx B 2\nend\n"
	    "set -gx C 3\nfunction f\n  set -gx D 4\nend\nbegin\n  set -gx E 5\nend\n"
	    "test -f x; and set -gx F 6\ntest -f x && set -gx G 7\nset -gx H 8 # note\n", ORD_RC_FISH);
	check("A", "1", "1", EXP | COND);
	check("B", "2", "2", EXP | COND);
	check("C", "3", "3", EXP);
	check("D", "4", "4", EXP | COND);
	check("E", "5", "5", EXP);
	check("F", "6", "6", EXP | COND);
	check("G", "7", "7", EXP | COND);
	check("H", "8", "8", EXP);
}

static void test_csh(void **state)
{
	(void)state;
	RUN("setenv A value\nsetenv B \"q $HOME\"\nsetenv C\nset d = 1\nset e=2\n"
	    "if ($?x) setenv F 1\nif ($?x) then\n  setenv G 1\nelse if ($?y) then\n  setenv H 1\n"
	    "endif\nforeach i (a b)\n  setenv I 1\nend\nsetenv J `cat k`\nset path = ( /bin $path )\n",
	    ORD_RC_CSH);
	check("A", "value", "value", EXP);
	check("B", "q $HOME", "\"q $HOME\"", EXP | DQ | EXPN);
	check("C", "", "", EXP);
	check("d", "1", "1", 0);
	check("e", "2", "2", 0);
	check("F", "1", "1", EXP | COND);
	check("G", "1", "1", EXP | COND);
	check("H", "1", "1", EXP | COND);
	check("I", "1", "1", EXP | COND);
	check("J", "`cat k`", "`cat k`", EXP | CMD);
	assert_false(found("path"));
}

static void test_csh_quote_ends_at_newline(void **state)
{
	(void)state;
	/* csh quotes cannot span lines: the error is on that line */
	RUN("setenv A 'open\nsetenv B ok\n", ORD_RC_CSH);
	assert_int_equal(C.nerr, 1);
	assert_int_equal(C.errline[0], 1);
	check("A", "open", "'open", EXP | SQ | UNT);
	check("B", "ok", "ok", EXP);
}

static void test_environment_file(void **state)
{
	(void)state;
	RUN("PATH=\"/usr/bin:/bin\"\n# comment\n; comment\nA=plain value  \nB = spaced\n"
	    "C='single $X'\nD=\"dq \\\"x\\\" \\n\"\nE=x # not a comment\nexport F=pam\n"
	    "not an assignment\n1X=bad\nG=\"a\"b'c'\n", ORD_RC_ENVIRONMENT);
	assert_int_equal(C.n, 8);
	check("PATH", "/usr/bin:/bin", "\"/usr/bin:/bin\"", EXP | DQ);
	check("A", "plain value", "plain value", EXP);
	check("B", "spaced", "spaced", EXP);
	check("C", "single $X", "'single $X'", EXP | SQ | EXPN);
	check("D", "dq \"x\" \\n", "\"dq \\\"x\\\" \\n\"", EXP | DQ);
	check("E", "x # not a comment", "x # not a comment", EXP);
	check("F", "pam", "pam", EXP);
	check("G", "abc", "\"a\"b'c'", EXP | DQ | SQ);
	assert_int_equal(get("G")->line, 12);
}

static void test_environment_refs_crlf_unterminated(void **state)
{
	(void)state;
	RUN("A=$OPENROUTER_API_KEY\nB=${OPENROUTER_API_KEY}\nC=${X:-d}\nD=${X:+d}\n"
	    "E=" SECRET "\r\nF=\"open\nG=ok", ORD_RC_ENVIRONMENT);
	assert_string_equal(get("A")->ref, "OPENROUTER_API_KEY");
	assert_string_equal(get("B")->ref, "OPENROUTER_API_KEY");
	assert_string_equal(get("C")->ref, "X");
	assert_false(get("D")->has_ref);
	/* systemd ends a line at CR: the value is clean, the flag says why */
	check("E", SECRET, SECRET, EXP | CRLF);
	check("F", "open", "\"open", EXP | DQ | UNT);
	check("G", "ok", "ok", EXP);
	assert_int_equal(C.nerr, 1);
	assert_int_equal(C.errline[0], 6);
}

static void test_hostile_bytes(void **state)
{
	static const char nul[] = "export A=x\0y\nexport B=\"\0\"\nset -gx C \xff\xfe\nD=\x80\0";
	static const ord_rc_dialect all[] = {ORD_RC_SH, ORD_RC_FISH, ORD_RC_CSH, ORD_RC_ENVIRONMENT};
	size_t big = 1u << 20, k;
	char *line = malloc(big + 16);

	(void)state;
	assert_non_null(line);
	assert_int_equal(run(nul, sizeof(nul) - 1, ORD_RC_SH), 0);
	assert_int_equal(get("A")->value_len, 3);
	assert_int_equal(get("B")->value_len, 1);
	memcpy(line, "export A=", 9);
	memset(line + 9, 'k', big); /* a 1 MiB line, no newline at the end */
	for (k = 0; k < 4; k++) {
		assert_int_equal(run(nul, sizeof(nul) - 1, all[k]), 0);
		assert_int_equal(run(line, big + 9, all[k]), 0);
		assert_int_equal(run("\"", 1, all[k]), 0);
		assert_int_equal(run("export A='x", 11, all[k]), 0);
		assert_int_equal(run("", 0, all[k]), 0);
	}
	assert_int_equal(run(line, big + 9, ORD_RC_SH), 0);
	assert_int_equal(get("A")->value_len, big);
	free(line);
}

static void test_stop_and_bom(void **state)
{
	static const char two[] = "A=1\nB=2\n";

	(void)state;
	memset(&C, 0, sizeof(C));
	C.in = two;
	C.len = sizeof(two) - 1;
	C.stop_after = 1;
	assert_int_equal(ord_rc_parse(two, C.len, ORD_RC_SH, collect, NULL, NULL), 7);
	assert_int_equal(C.n, 1);
	/* bash would run "\xef\xbb\xbfexport" as a command: say so */
	SH("\xef\xbb\xbf" "export A=1\n");
	assert_int_equal(C.nerr, 1);
	/* fish skips it (found by make differential) */
	RUN("\xef\xbb\xbf" "set -gx A 1\n", ORD_RC_FISH);
	assert_int_equal(C.nerr, 0);
	check("A", "1", "1", EXP);
	assert_int_equal(ord_rc_parse("x", 1, (ord_rc_dialect)9, collect, NULL, NULL), EINVAL);
}

/* The forms of ~/.bashrc's interactive-only guard (Debian's default first),
 * and look-alikes that are not one. */
static void test_interactive_guard(void **state)
{
	static const char debian[] = "# ~/.bashrc\n\n# If not running interactively, don't do anything\n"
				     "case $- in\n    *i*) ;;\n      *) return;;\nesac\n\nexport A=1\n";
	static const char ps1[] = "export A=1\n[ -z \"$PS1\" ] && return\nexport B=2\n";
	static const char dollar[] = "[[ $- != *i* ]] && return\n";
	static const char oneline[] = "x=1\ncase $- in *i*) ;; *) return;; esac\n";
	static const char indented[] = "f() {\n  [ -z \"$PS1\" ] && return\n}\n";
	static const char no_return[] = "case $- in\n  *i*) export A=1;;\nesac\n";
	unsigned start = 0;

	(void)state;
	assert_int_equal(ord_rc_interactive_guard(debian, sizeof(debian) - 1, &start), 7);
	assert_int_equal(start, 4);
	assert_int_equal(ord_rc_interactive_guard(ps1, sizeof(ps1) - 1, &start), 2);
	assert_int_equal(start, 2);
	assert_int_equal(ord_rc_interactive_guard(dollar, sizeof(dollar) - 1, &start), 1);
	assert_int_equal(ord_rc_interactive_guard(oneline, sizeof(oneline) - 1, &start), 2);
	assert_int_equal(ord_rc_interactive_guard(indented, sizeof(indented) - 1, &start), 0);
	assert_int_equal(ord_rc_interactive_guard(no_return, sizeof(no_return) - 1, &start), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sh_export_forms),
		cmocka_unit_test(test_sh_declare_typeset_readonly_local),
		cmocka_unit_test(test_sh_multiple_on_one_line),
		cmocka_unit_test(test_sh_quoting),
		cmocka_unit_test(test_sh_value_ends),
		cmocka_unit_test(test_sh_crlf_keeps_cr),
		cmocka_unit_test(test_fish_crlf_drops_cr),
		cmocka_unit_test(test_sh_whole_reference),
		cmocka_unit_test(test_sh_partial_references),
		cmocka_unit_test(test_sh_command_substitution),
		cmocka_unit_test(test_sh_conditional_if),
		cmocka_unit_test(test_sh_conditional_case),
		cmocka_unit_test(test_sh_conditional_functions),
		cmocka_unit_test(test_sh_conditional_lists),
		cmocka_unit_test(test_sh_heredoc_skipped),
		cmocka_unit_test(test_sh_continuation_lines),
		cmocka_unit_test(test_sh_line_numbers_after_multiline),
		cmocka_unit_test(test_sh_unterminated_then_good_line),
		cmocka_unit_test(test_sh_ordinary_commands_ignored),
		cmocka_unit_test(test_fish),
		cmocka_unit_test(test_fish_blocks),
		cmocka_unit_test(test_csh),
		cmocka_unit_test(test_csh_quote_ends_at_newline),
		cmocka_unit_test(test_environment_file),
		cmocka_unit_test(test_environment_refs_crlf_unterminated),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_stop_and_bom),
		cmocka_unit_test(test_interactive_guard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
