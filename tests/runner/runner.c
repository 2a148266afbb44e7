/* ordoctor-cases: runs tests/cases/NAME.case scenario files (format:
 * tests/cases/README.md) and ends with one line "N passed, N failed".
 *
 *   ordoctor-cases [--binary PATH] [--keys FILE] [--keep] [-v] FILE.case...
 *   ordoctor-cases --self-test
 *
 * Each case runs in a fresh mkdtemp root, in a forked child that calls
 * ord_cli_main_ex() (or execve()s --binary for "Exec: yes"); the mock, when
 * a case has one, is `--binary mock ...` in its own child.  After every case
 * stdout, stderr, the mock's request log and every file the command wrote
 * are searched for every fixture key in full (in any encoding): one
 * occurrence fails the case; so does a control character or invalid UTF-8
 * in what it printed.
 */
#include "runner.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rc_failf(rc_run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->fail)
		return;
	va_start(ap, fmt);
	if (vasprintf(&r->fail, fmt, ap) < 0)
		r->fail = NULL;
	va_end(ap);
	if (!r->fail)
		abort();
}

static void run_free(rc_run *r)
{
	rc_keys_free(&r->keys);
	free(r->root);
	free(r->home);
	free(r->work);
	free(r->mock_url);
	free(r->fail);
	free(r->out);
	free(r->err);
	free(r->mock_log);
	free(r->mock_err);
	if (r->json)
		rc_json_put(r->json);
	free(r->json_error);
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i].path);
	free(r->files);
}

int rc_run_case(const rc_case *c, const rc_keys *fixture, const rc_opts *o,
		FILE *f)
{
	rc_run r;
	size_t i;
	int passed;
	char *name;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.o = o;
	for (i = 0; i < fixture->n; i++)
		rc_keys_add(&r.keys, fixture->v[i].name, fixture->v[i].value);
	rc_keys_add_literals(&r.keys, c->text);

	if (c->error)
		rc_failf(&r, "%s: %s", c->file, c->error);
	else if (!rc_setup_root(&r) && !rc_mock_start(&r) && !rc_layout(&r)) {
		rc_snapshot(&r);
		rc_run_command(&r);
	}
	rc_mock_stop(&r);
	if (r.ran)
		rc_check_asserts(&r);
	rc_check_clean(&r);
	rc_check_secrets(&r);

	passed = !r.fail;
	name = rc_redact(&r.keys, c->name, strlen(c->name), NULL);
	if (passed) {
		fprintf(f, "ok   %s\n", name);
		if (o->verbose) {
			fprintf(f, "    (%.3f s, exit %d)\n", r.seconds, r.exit_code);
			rc_print_captured(&r, f);
		}
	} else {
		char *msg = rc_redact(&r.keys, r.fail, strlen(r.fail), NULL);

		fprintf(f, "FAIL %s: %s\n", name, msg);
		free(msg);
		if (r.ran && !r.signaled && !r.timed_out)
			fprintf(f, "    (exit %d after %.3f s; case file %s)\n",
				r.exit_code, r.seconds, c->file);
		rc_print_captured(&r, f);
	}
	if (r.root) {
		if (o->keep)
			fprintf(f, "     kept %s\n", r.root);
		else
			rc_remove_tree(r.root);
	}
	fflush(f);
	free(name);
	run_free(&r);
	return passed;
}

volatile pid_t rc_live_groups[2];
static volatile sig_atomic_t interrupted;

/* Interrupted: take the children (own process groups, so the terminal's
 * SIGINT does not reach them) down at once; the current case then ends
 * normally (its root is removed) and main() dies of the same signal. */
static void on_signal(int sig)
{
	size_t i;

	for (i = 0; i < 2; i++)
		if (rc_live_groups[i] > 0)
			kill(-rc_live_groups[i], SIGKILL);
	if (interrupted) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	interrupted = sig;
}

/* tests/cases/x.case -> tests/fixtures/keys */
static char *default_keys_path(const char *case_file)
{
	const char *slash = strrchr(case_file, '/');

	if (!slash)
		return rc_xstrdup("../fixtures/keys");
	return rc_xasprintf("%.*s/../fixtures/keys", (int)(slash - case_file),
			    case_file);
}

static void usage(FILE *f)
{
	fputs("usage: ordoctor-cases [--binary PATH] [--keys FILE] [--keep] [-v] "
	      "FILE.case...\n"
	      "       ordoctor-cases --self-test\n", f);
}

int main(int argc, char **argv)
{
	rc_opts o;
	rc_keys keys = {0};
	const char *keys_path = NULL;
	char *kp, *err = NULL;
	int i, nfiles = 0, passed = 0, failed = 0;
	char **files, *binary_abs = NULL;

	memset(&o, 0, sizeof(o));
	o.main_fn = ord_cli_main_ex;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	files = rc_xmalloc((size_t)argc * sizeof(char *));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--self-test")) {
			free(files);
			return rc_self_test() ? 0 : 1;
		} else if (!strcmp(argv[i], "--binary") && i + 1 < argc)
			o.binary = argv[++i];
		else if (!strcmp(argv[i], "--keys") && i + 1 < argc)
			keys_path = argv[++i];
		else if (!strcmp(argv[i], "--keep"))
			o.keep = 1;
		else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			o.verbose = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			free(files);
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "ordoctor-cases: unknown option '%s'\n", argv[i]);
			usage(stderr);
			free(files);
			return 2;
		} else
			files[nfiles++] = argv[i];
	}
	if (!nfiles) {
		usage(stderr);
		free(files);
		return 2;
	}
	if (o.binary && access(o.binary, X_OK))
		printf("note: --binary %s: %s; the mock runs in-process and "
		       "'Exec: yes' cases fail\n", o.binary, strerror(errno));
	else if (o.binary && o.binary[0] != '/') {
		/* The children chdir before execve. */
		char *abs = realpath(o.binary, NULL);

		if (abs)
			o.binary = binary_abs = abs;
	}

	kp = keys_path ? rc_xstrdup(keys_path) : default_keys_path(files[0]);
	if (rc_keys_load(&keys, kp, &err)) {
		/* No secret check, no run: every case counts as failed. */
		printf("ordoctor-cases: %s\n", err);
		printf("0 passed, %d failed\n", nfiles);
		free(err);
		free(kp);
		free(files);
		free(binary_abs);
		return 1;
	}
	free(kp);

	for (i = 0; i < nfiles; i++) {
		rc_case *c = rc_case_load(files[i]);

		if (rc_run_case(c, &keys, &o, stdout))
			passed++;
		else
			failed++;
		rc_case_free(c);
		if (interrupted) {
			printf("interrupted (%s)\n", strsignal(interrupted));
			failed += nfiles - i - 1;
			break;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	fflush(stdout);
	rc_keys_free(&keys);
	free(files);
	free(binary_abs);
	if (interrupted) {
		signal(interrupted, SIG_DFL);
		raise(interrupted);
	}
	return failed ? 1 : 0;
}

/* The rest of the runner (see runner.h): tests/meson.build lists only
 * runner.c and case.c, so the other parts are compiled here. */
#include "util.c"
#include "setup.c"
#include "exec.c"
#include "check.c"
#include "json.c"
#include "jsonassert.c"
#include "selftest.c"
