/* selftest.c: `ordoctor-cases --self-test` checks the runner's own engine
 * (word splitting, escapes, parsing, JSON paths, the secret check, faults,
 * the mock protocol) against a fake main(), then runs one real case
 * through ord_cli_main_ex().  Included by runner.c. */
#include "runner.h"

#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ST_KEY_A_BODY "5e1f7e57a0000000deadbeef00000000c0ffee0000000000feedface00000001"
#define ST_KEY_A "sk-or-v1-" ST_KEY_A_BODY
#define ST_KEY_B "sk-ant-api03-selftestselftestselftestselftest-AA"
#define ST_LIT "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"

static int st_pass, st_fail;

static void st_result(const char *name, int ok, const char *detail)
{
	if (ok) {
		printf("ok   %s\n", name);
		st_pass++;
	} else {
		printf("FAIL %s: %s\n", name, detail ? detail : "");
		st_fail++;
	}
}

/* ---- a fake ordoctor for end-to-end runs ------------------------------ */

static int fake_mock(int argc, char **argv)
{
	const char *keys = NULL, *log = NULL, *now = NULL;
	int i, leak = 0;
	size_t len;
	char *text;
	FILE *f;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--keys") && i + 1 < argc)
			keys = argv[++i];
		else if (!strcmp(argv[i], "--request-log") && i + 1 < argc)
			log = argv[++i];
		else if (!strcmp(argv[i], "--now") && i + 1 < argc)
			now = argv[++i];
		else if (!strcmp(argv[i], "--leak"))
			leak = 1;
		else if (!strcmp(argv[i], "--die"))
			return 3;
	}
	if (!keys || !log || !(text = rc_read_file(keys, &len, 4096)))
		return 2;
	text[strcspn(text, " \n")] = '\0';
	f = fopen(log, "w");
	if (!f) {
		free(text);
		return 2;
	}
	fprintf(f, "{\"method\":\"GET\",\"path\":\"/api/v1/key\",\"key\":\"%s\",\"now\":\"%s\"}\n",
		leak ? text : "sk-or-v1-5e1...001", now ? now : "wall clock");
	fclose(f);
	free(text);
	printf("mock: starting\nlistening on http://127.0.0.1:9\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int fake_main(int argc, char **argv, char **envp, FILE *in, FILE *out,
		     FILE *err, const ord_cli_hooks *hooks)
{
	const ord_fs_ops *fs = hooks && hooks->fs ? hooks->fs : &ord_fs_posix;
	void *ud = hooks && hooks->fs ? hooks->fs_ud : NULL;
	const char *cmd = argc > 1 ? argv[1] : "";
	int i, c;

	if (!strcmp(cmd, "echo")) {
		for (i = 2; i < argc; i++)
			fprintf(out, "%s%s", argv[i], i + 1 < argc ? " " : "\n");
	} else if (!strcmp(cmd, "env")) {
		/* libfaketime's variables are there under make test-timeshift
		 * only: not part of what a case sets. */
		for (i = 0; envp[i]; i++)
			if (!rc_faketime_var(envp[i]))
				fprintf(out, "%s\n", envp[i]);
		fprintf(out, "getenv HOME=%s\n", getenv("HOME") ? getenv("HOME") : "(unset)");
	} else if (!strcmp(cmd, "getenv")) {
		const char *v = argc > 2 ? getenv(argv[2]) : NULL;

		fprintf(out, "%s=%s\n", argc > 2 ? argv[2] : "", v ? v : "(unset)");
	} else if (!strcmp(cmd, "cat")) {
		while ((c = fgetc(in)) != EOF)
			fputc(c, out);
	} else if (!strcmp(cmd, "read") || !strcmp(cmd, "hex")) {
		ord_buf b = ORD_BUF_INIT(1 << 20);
		int trunc, e = argc > 2 ? fs->read(ud, argv[2], 1 << 20, &b, &trunc) : EINVAL;
		size_t k;

		if (e) {
			fprintf(err, "cannot read '%s': %s\n", argc > 2 ? argv[2] : "",
				strerror(e));
			ord_buf_release(&b);
			return 1;
		}
		for (k = 0; k < b.len; k++)
			if (cmd[0] == 'h')
				fprintf(out, "%02x", (unsigned char)b.data[k]);
			else
				fputc(b.data[k], out);
		ord_buf_release(&b);
	} else if (!strcmp(cmd, "size")) {
		struct stat st;
		int e = argc > 2 ? fs->stat(ud, argv[2], &st) : EINVAL;

		if (e) {
			fprintf(err, "cannot stat: %s\n", strerror(e));
			return 1;
		}
		fprintf(out, "%lld\n", (long long)st.st_size);
	} else if (!strcmp(cmd, "write")) {
		int e = argc < 3 ? EINVAL : fs->write ? fs->write(ud, argv[2], "x\n", 2) : ENOSYS;

		if (e) {
			fprintf(err, "cannot write: %s\n", strerror(e));
			return 1;
		}
	} else if (!strcmp(cmd, "save")) {
		/* save PATH TEXT: a file the command writes */
		FILE *f = argc > 3 ? fopen(argv[2], "w") : NULL;

		if (!f)
			return 1;
		fprintf(f, "%s\n", argv[3]);
		fclose(f);
	} else if (!strcmp(cmd, "now")) {
		fprintf(out, "%lld\n", hooks && hooks->now ? (long long)hooks->now(hooks->now_ud) : -1LL);
	} else if (!strcmp(cmd, "exit")) {
		return argc > 2 ? atoi(argv[2]) : 0;
	} else if (!strcmp(cmd, "die")) {
		raise(SIGTERM);
	} else if (!strcmp(cmd, "sleep")) {
		sleep(30);
	} else if (!strcmp(cmd, "mock")) {
		return fake_mock(argc, argv);
	} else {
		fprintf(err, "fake: unknown command '%s'\n", cmd);
		return 2;
	}
	return 0;
}

/* Run case text through the engine; returns the report (malloc'd). */
static char *run_text(const char *text, rc_main_fn fn, int *passed)
{
	rc_keys keys = {0};
	rc_opts o;
	rc_case *c = rc_case_parse("selftest.case", text);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	memset(&o, 0, sizeof(o));
	o.main_fn = fn;
	rc_keys_add(&keys, "A", ST_KEY_A);
	rc_keys_add(&keys, "B", ST_KEY_B);
	*passed = rc_run_case(c, &keys, &o, f);
	fclose(f);
	rc_case_free(c);
	rc_keys_free(&keys);
	return buf;
}

/* want_pass: the case must pass; else must fail with want in the report.
 * The report must never contain a fixture key in full. */
static void e2e(const char *name, const char *text, int want_pass,
		const char *want)
{
	int passed;
	char *rep = run_text(text, fake_main, &passed);
	int ok = passed == want_pass && (!want || strstr(rep, want)) &&
		 !strstr(rep, ST_KEY_A) && !strstr(rep, ST_KEY_B) &&
		 !strstr(rep, ST_LIT);

	st_result(name, ok, rep);
	free(rep);
}

/* ---- unit checks -------------------------------------------------------- */

static void test_words(void)
{
	rc_strv w = {0};
	char *err = NULL;
	int ok = !rc_split_words("keys  --json \"a b\" \"\" \"q\\\"x\"", &w, &err) &&
		 w.n == 5 && !strcmp(w.v[0], "keys") && !strcmp(w.v[2], "a b") &&
		 !strcmp(w.v[3], "") && !strcmp(w.v[4], "q\"x");

	rc_strv_free(&w);
	ok = ok && rc_split_words("a \"b", &w, &err) == -1;
	free(err);
	rc_strv_free(&w);
	st_result("split words and double quotes", ok, NULL);
}

static void test_escapes(void)
{
	char *out = NULL, *err = NULL;
	long n = rc_decode_escapes("a\\r\\n\\0\\x41\\t\\\\\\e", &out, &err);
	int ok = n == 8 && !memcmp(out, "a\r\n\0A\t\\\033", 8);

	free(out);
	ok = ok && rc_decode_escapes("bad \\q", &out, &err) == -1 && err;
	free(err);
	err = NULL;
	ok = ok && rc_decode_escapes("\\x4", &out, &err) == -1;
	free(err);
	st_result("File-Raw escapes", ok, NULL);
}

static void test_parse(void)
{
	rc_case *c = rc_case_parse("dir/x.case",
		"# comment\n\nCommand: keys --json\nEnv: A=b c\n"
		"File: home/.env\n  X=1\n  \n  # kept\nFile-Raw: work/r\n  a\\r\\n\n  b\n"
		"Fault: read,stat home/.env EACCES\nSparse: work/big 2M\n"
		"Chmod: home/.env 0600\nSymlink: home/l -> ../l\nExit: 0\n");
	int ok = !c->error && !strcmp(c->name, "x") && c->words.n == 2 &&
		 c->env.n == 1 && c->nsteps == 5 &&
		 !strcmp(c->steps[0].body, "X=1\n\n# kept\n") &&
		 !strcmp(c->steps[1].body, "a\\r\\nb") &&
		 c->nfaults == 1 && c->faults[0].err == EACCES &&
		 c->faults[0].ops == (RC_FAULT_READ | RC_FAULT_STAT) &&
		 c->steps[2].size == 2 << 20 && c->steps[3].mode == 0600 &&
		 !strcmp(c->steps[4].body, "../l") && c->nasserts == 1;
	static const char *const bad[] = {
		"Command: x\nFrobnicate: 1\n",     /* unknown directive */
		"Command: x\n  stray\n",           /* body outside a body directive */
		"Exit: 0\n",                       /* no Command */
		"Command: x\nExit: two\n",
		"Command: x\nFile: /etc/passwd\n",
		"Command: x\nFile: ../up\n",
		"Command: x\nFault: read a ENOTANERRNO\n",
		"Command: x\nCommand: y\n",
		"Command: x\r\n",
	};
	size_t i;

	rc_case_free(c);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		c = rc_case_parse("bad.case", bad[i]);
		ok = ok && c->error;
		rc_case_free(c);
	}
	st_result("case parser (good and bad cases)", ok, NULL);
}

static void test_json(void)
{
	static const char doc[] =
		"{\"schema\":\"ordoctor.keys/1\",\"n\":3,\"f\":1.5,\"t\":true,"
		"\"verdict\":{\"cause\":null,\"summary\":\"key was deleted\"},"
		"\"odd key\":{\"a.b\":7},"
		"\"keys\":[{\"redacted\":\"sk-or-v1-3fa...9b1\",\"status\":\"not_checked\","
		"\"lint\":[\"trailing_newline\"],"
		"\"sources\":[{\"path\":\"/h/.env\",\"line\":1},{\"path\":\"/h/.bashrc\",\"line\":3}]},"
		"{\"redacted\":\"sk-or-v1-aaa...bbb\",\"status\":\"valid\",\"lint\":[],"
		"\"sources\":[{\"path\":\"/h/.bashrc\",\"line\":9}]}]}";
	static const struct {
		int kind;
		const char *text;
		int want;
	} t[] = {
		{RC_A_JSON, "schema == \"ordoctor.keys/1\"", 1},
		{RC_A_JSON, "n == 3", 1},
		{RC_A_JSON, "n == 3.0", 1},
		{RC_A_JSON, "n != 4", 1},
		{RC_A_JSON, "f == 1.5", 1},
		{RC_A_JSON, "t == true", 1},
		{RC_A_JSON, "verdict.cause == null", 1},
		{RC_A_JSON, "verdict.cause exists", 1},
		{RC_A_JSON, "verdict.fix missing", 1},
		{RC_A_JSON, "verdict.fix == null", 0},
		{RC_A_JSON, "verdict.summary contains \"deleted\"", 1},
		{RC_A_JSON, "verdict.summary matches \"^key .* deleted$\"", 1},
		{RC_A_JSON, "keys length 2", 1},
		{RC_A_JSON, "verdict length 2", 1},
		{RC_A_JSON, "keys[0].sources[1].line == 3", 1},
		{RC_A_JSON, "keys[-1].status == \"valid\"", 1},
		{RC_A_JSON, "keys[2].status missing", 1},
		{RC_A_JSON, "keys[0].lint contains \"trailing_newline\"", 1},
		{RC_A_JSON, "keys[1].lint contains \"trailing_newline\"", 0},
		{RC_A_JSON, "[\"odd key\"][\"a.b\"] == 7", 1},
		{RC_A_JSON, "keys[0].status == \"valid\"", 0},
		{RC_A_JSON, "keys[0].status == valid", -1},
		{RC_A_JSON, "keys[*].status == \"valid\"", -1},
		{RC_A_JSON, "n is 3", -1},
		{RC_A_JSON_ANY, "keys[*].sources[*].path == \"/h/.bashrc\"", 1},
		{RC_A_JSON_ANY, "keys[*].sources[*].path == \"/h/.zshrc\"", 0},
		{RC_A_JSON_ANY, "keys[*] redacted == \"sk-or-v1-3fa...9b1\" && status == \"not_checked\"", 1},
		/* both hold, but on different elements: */
		{RC_A_JSON_ANY, "keys[*] redacted == \"sk-or-v1-3fa...9b1\" && status == \"valid\"", 0},
		{RC_A_JSON_ANY, "keys[*].sources[*] path == \"/h/.bashrc\" && line == 3", 1},
		{RC_A_JSON_ANY, "keys[*].sources[*] path == \"/h/.env\" && line == 3", 0},
		{RC_A_JSON_ANY, "keys[*] status == \"valid\" && sources[*].line == 9", 1},
		{RC_A_JSON_ANY, "keys[*].lint[*] . == \"trailing_newline\"", 1},
		{RC_A_JSON_ANY, "keys[*] summary == \"a && b\"", 0},
		{RC_A_JSON_NONE, "keys[*].status == \"invalid\"", 1},
		{RC_A_JSON_NONE, "keys[*] status == \"valid\" && lint length 0", 0},
		{RC_A_JSON_ANY, "keys[*] status == ", -1},
	};
	char *err = NULL, *why = NULL;
	json_object *o = rc_json_parse_output(doc, strlen(doc), &err);
	size_t i;
	int ok = o != NULL;
	char detail[512] = "";

	for (i = 0; o && i < sizeof(t) / sizeof(*t); i++) {
		int got = rc_json_assert(t[i].kind, t[i].text, o, &why);

		if (got != t[i].want && ok) {
			snprintf(detail, sizeof(detail), "'%s' gave %d, want %d (%s)",
				 t[i].text, got, t[i].want, why ? why : "");
			ok = 0;
		}
		free(why);
		why = NULL;
	}
	json_object_put(o);
	free(err);
	err = NULL;
	/* JSON lines become an array; garbage and trailing text do not parse. */
	o = rc_json_parse_output("{\"a\":1}\n{\"a\":2}\n", 16, &err);
	ok = ok && o && json_object_array_length(o) == 2;
	json_object_put(o);
	free(err);
	err = NULL;
	o = rc_json_parse_output("{\"a\":1} x", 9, &err);
	ok = ok && !o && err;
	free(err);
	err = NULL;
	o = rc_json_parse_output("{\"a\":1,}", 8, &err);  /* strict */
	ok = ok && !o;
	free(err);
	st_result("JSON paths and Json/Json-Any/Json-None", ok, detail);
}

static void test_leaks(void)
{
	rc_keys k = {0};
	static const char out[] = "found " ST_KEY_A " in .env\n";
	char *red;
	const rc_key *hit;
	int ok;

	rc_keys_add(&k, "A", ST_KEY_A);
	rc_keys_add(&k, "B", ST_KEY_B);
	hit = rc_leak_find(&k, out, strlen(out));
	red = rc_redact(&k, out, strlen(out), NULL);
	ok = hit && !strcmp(hit->name, "A") &&
	     !strcmp(red, "found [FIXTURE KEY A] in .env\n") &&
	     !rc_leak_find(&k, "sk-or-v1-5e1...001", 18);
	/* In any encoding: the secret part alone, percent-encoded, \u-escaped. */
	{
		static const char *const enc[] = {
			"k=" ST_KEY_A_BODY, "k=sk%2Dor%2Dv1%2D" ST_KEY_A_BODY,
			"{\"k\":\"\\u0073k-or-v1-" ST_KEY_A_BODY "\"}",
		};
		size_t i;

		for (i = 0; i < sizeof(enc) / sizeof(*enc); i++)
			ok = ok && rc_leak_find(&k, enc[i], strlen(enc[i])) == &k.v[0];
	}
	free(red);
	/* Literal keys in a case file join the list; near misses do not. */
	rc_keys_add_literals(&k, "Env: X=" ST_LIT "\nEnv: Y=sk-or-v1-00112233\n"
			     "Env: Z=" ST_KEY_A "\n");
	ok = ok && k.n == 3 && !strcmp(k.v[2].name, "LITERAL_1") &&
	     rc_leak_find(&k, "x" ST_LIT "x", strlen(ST_LIT) + 2) == &k.v[2];
	rc_keys_free(&k);
	st_result("secret check finds and redacts keys", ok, NULL);
}

static void test_subst(void)
{
	rc_run r;
	rc_case *c = rc_case_parse("s.case", "Command: x\n");
	char *s;
	int ok;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.root = rc_xstrdup("/r");
	r.home = rc_xstrdup("/r/home");
	r.work = rc_xstrdup("/r/work");
	rc_keys_add(&r.keys, "A", ST_KEY_A);
	s = rc_subst(&r, "@ROOT@ @HOME@/x @WORK@ @KEY:A@ me@example.com @@ @KEY:@");
	ok = s && !strcmp(s, "/r /r/home/x /r/work " ST_KEY_A " me@example.com @@ @KEY:@");
	free(s);
	ok = ok && !rc_subst(&r, "@KEY:NOPE@") && r.fail && strstr(r.fail, "NOPE");
	free(r.fail);
	r.fail = NULL;
	ok = ok && !rc_subst(&r, "@MOCK@") && r.fail;
	free(r.fail);
	free(r.root);
	free(r.home);
	free(r.work);
	rc_keys_free(&r.keys);
	rc_case_free(c);
	st_result("substitutions", ok, NULL);
}

static void test_end_to_end(void)
{
	int passed;
	char *rep;

	e2e("e2e: echo, exit, contains, lines",
	    "Command: echo \"hello  world\" @WORK@\nExit: 0\n"
	    "Stdout-Contains: hello  world\nStdout-Matches: ^hello +world /.*/work$\n"
	    "Stdout-Lines: 1\nStderr-Lines: 0\nStdout-Not-Contains: @HOME@\n", 1, NULL);
	e2e("e2e: failing Exit is reported",
	    "Command: exit 3\nExit: 0\n", 0, "FAIL selftest: line 2: Exit: 0: exit status was 3");
	e2e("e2e: environment starts empty",
	    "Command: env\nEnv: FOO=bar @HOME@\nEnv-Unset: NO_COLOR\nEnv: PATH=/x\n"
	    "Stdout-Matches: ^FOO=bar /.*/home$\nStdout-Matches: ^PATH=/x$\n"
	    "Stdout-Not-Contains: NO_COLOR\nStdout-Matches: ^getenv HOME=/\nStdout-Lines: 4\n",
	    1, NULL);
	/* make test-timeshift: libfaketime's variables, and only they, go
	 * from the runner's environment to the case's. */
	setenv("FAKETIME_SELFTEST", "+5y", 1);
	setenv("ORDOCTOR_SELFTEST_LEAK", "1", 1);
	e2e("e2e: libfaketime's variables reach the case",
	    "Command: getenv FAKETIME_SELFTEST\nStdout-Contains: FAKETIME_SELFTEST=+5y\n", 1, NULL);
	e2e("e2e: nothing else of the runner's environment does",
	    "Command: getenv ORDOCTOR_SELFTEST_LEAK\n"
	    "Stdout-Contains: ORDOCTOR_SELFTEST_LEAK=(unset)\n", 1, NULL);
	unsetenv("FAKETIME_SELFTEST");
	unsetenv("ORDOCTOR_SELFTEST_LEAK");
	st_result("rc_faketime_var",
		  rc_faketime_var("FAKETIME=+5y") &&
		  rc_faketime_var("FAKETIME_DONT_FAKE_MONOTONIC=1") &&
		  rc_faketime_var("DONT_FAKE_MONOTONIC=1") &&
		  rc_faketime_var("LD_PRELOAD=/usr/$LIB/faketime/libfaketimeMT.so.1") &&
		  !rc_faketime_var("LD_PRELOAD=/usr/lib/libasan.so.8") &&
		  !rc_faketime_var("XFAKETIME=1") && !rc_faketime_var("HOME=/"),
		  "libfaketime's variables misjudged");
	e2e("e2e: stdin, Stdin-Raw",
	    "Command: cat\nStdin-Raw:\n  a\\x41b\nStdout-Lines: 1\nStdout-Contains: aAb\n", 1, NULL);
	e2e("e2e: a control character in the output fails",
	    "Command: cat\nStdin-Raw:\n  a\\e[2Jb\n", 0,
	    "stdout byte 1 (0x1b): a control character or invalid UTF-8 passed the output gate");
	e2e("e2e: a surrogate in the output fails",
	    "Command: cat\nStdin-Raw:\n  ok \\xed\\xa0\\x80\n", 0,
	    "stdout byte 3 (0xed): a control character or invalid UTF-8 passed the output gate");
	e2e("e2e: File-Raw bytes, cwd, Sparse 1G",
	    "Command: hex r\nFile-Raw: work/r\n  \\xef\\xbb\\xbfK=1\\r\\n\n  x\n"
	    "Stdout-Contains: efbbbf4b3d310d0a78\n", 1, NULL);
	e2e("e2e: Sparse 1G is instant",
	    "Command: size big\nCwd: work/sub\nSparse: work/sub/big 1G\n"
	    "Stdout-Contains: 1073741824\n", 1, NULL);
	e2e("e2e: Fault read EACCES, also through a symlink",
	    "Command: read @HOME@/link\nFile: home/.env\n  K=1\n"
	    "Symlink: home/link -> .env\nFault: read home/.env EACCES\n"
	    "Exit: 1\nStderr-Contains: Permission denied\n", 1, NULL);
	e2e("e2e: Fault leaves other files alone",
	    "Command: read @HOME@/other\nFile: home/other\n  K=1\n"
	    "Fault: read home/.env EIO\nExit: 0\nStdout-Contains: K=1\n", 1, NULL);
	e2e("e2e: Fault write EROFS",
	    "Command: write @HOME@/.cache/x\nFault: write home/.cache/x EROFS\n"
	    "Exit: 1\nStderr-Contains: Read-only file system\n", 1, NULL);
	e2e("e2e: write passes through the fault table",
	    "Command: write @HOME@/.cache/x\nFault: read home/.cache/x EIO\nExit: 0\n", 1, NULL);
	e2e("e2e: Now hook",
	    "Command: now\nNow: 2025-01-02T03:04:05Z\nStdout-Contains: 1735787045\n", 1, NULL);
	e2e("e2e: Json on stdin echo",
	    "Command: cat\nStdin:\n  {\"keys\":[{\"sources\":[{\"path\":\"@HOME@/.bashrc\",\"line\":3}]}]}\n"
	    "Json-Any: keys[*].sources[*] path == \"@HOME@/.bashrc\" && line == 3\n"
	    "Json: keys[0].sources length 1\n", 1, NULL);
	e2e("e2e: Json failure names the value",
	    "Command: cat\nStdin:\n  {\"a\":\"x\"}\nJson: a == \"y\"\n", 0,
	    "Json: a == \"y\": got \"x\"");
	e2e("e2e: leak of a fixture key in stdout fails and is redacted",
	    "Command: echo key is @KEY:A@\nExit: 0\n", 0,
	    "output contains fixture key A in full (stdout)");
	e2e("e2e: a key in a file the command wrote fails",
	    "Command: save @HOME@/cache @KEY:A@\n", 0,
	    "output contains fixture key A in full (file home/cache)");
	e2e("e2e: a key in a file the case laid out does not",
	    "Command: echo hi\nFile: home/.env\n  K=@KEY:A@\n", 1, NULL);
	e2e("e2e: the report shows [FIXTURE KEY A]",
	    "Command: echo key is @KEY:A@\n", 0, "key is [FIXTURE KEY A]");
	e2e("e2e: leak of a literal key of the case file",
	    "Command: echo " ST_LIT "\n", 0,
	    "output contains fixture key LITERAL_1 in full");
	e2e("e2e: leak outranks an earlier failure",
	    "Command: echo @KEY:B@\nExit: 1\n", 0,
	    "output contains fixture key B in full (stdout); also: line 2: Exit");
	e2e("e2e: crash is a failure naming the signal",
	    "Command: die\n", 0, "killed by signal 15 (SIGTERM)");
	e2e("e2e: timeout", "Command: sleep\nTimeout: 1\n", 0, "timed out after 1 s");
	e2e("e2e: unknown fixture key",
	    "Command: echo @KEY:NOPE@\n", 0, "unknown fixture key @KEY:NOPE@");
	e2e("e2e: mock start, @MOCK@, Mock-Request",
	    "Mock-Keys:\n  @KEY:A@ active label=x\nCommand: echo @MOCK@\n"
	    "Env: BASE=@MOCK@/v1\nFile: work/.env\n  URL=@MOCK@\n"
	    "Stdout-Contains: http://127.0.0.1:9\nMock-Request: /api/v1/key\n"
	    "Mock-Requests: 1\nMock-No-Request: /api/v1/chat\n", 1, NULL);
	e2e("e2e: Now reaches the mock as --now EPOCH",
	    "Mock-Keys:\n  @KEY:A@ active\nNow: 2025-01-02T03:04:05Z\nCommand: now\n"
	    "Stdout-Contains: 1735787045\nMock-Request: \"now\":\"1735787045\"\n", 1, NULL);
	e2e("e2e: without Now the mock keeps the wall clock",
	    "Mock-Keys:\n  @KEY:A@ active\nCommand: echo hi\n"
	    "Mock-Request: \"now\":\"wall clock\"\n", 1, NULL);
	e2e("e2e: key in the mock request log fails",
	    "Mock-Keys:\n  @KEY:A@ active\nMock-Args: --leak\nCommand: echo hi\n", 0,
	    "output contains fixture key A in full (mock request log)");
	e2e("e2e: a mock that dies is a clear failure",
	    "Mock-Args: --die\nCommand: echo hi\n", 0,
	    "mock exited with status 3 before printing 'listening on http://HOST:PORT'");
	e2e("e2e: @MOCK@ without a mock",
	    "Command: echo @MOCK@\n", 0, "@MOCK@ used but the case has no Mock-Keys");
	e2e("e2e: parse errors fail the case",
	    "Command: x\nExpect: 1\n", 0, "unknown directive 'Expect'");

	/* And the real thing, in-process. */
	rep = run_text("Command: --version\nExit: 0\nStdout-Matches: ^ordoctor [0-9]+\\.[0-9]+\n",
		       ord_cli_main_ex, &passed);
	st_result("e2e: ord_cli_main_ex --version", passed, rep);
	free(rep);
}

int rc_self_test(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_words();
	test_escapes();
	test_parse();
	test_json();
	test_leaks();
	test_subst();
	test_end_to_end();
	printf("%d passed, %d failed\n", st_pass, st_fail);
	fflush(stdout);
	return st_fail == 0;
}
