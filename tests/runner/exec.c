/* exec.c: the mock child and the command child.  Included by runner.c. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RC_OUTPUT_CAP (64u << 20)

char *rc_read_file(const char *path, size_t *len, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char *buf = NULL;
	size_t n = 0, alloc = 0;

	*len = 0;
	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t got;

		if (n + 65536 + 1 > alloc) {
			alloc = alloc ? alloc * 2 : 65536 * 2;
			buf = rc_xrealloc(buf, alloc);
		}
		if (n >= cap)
			break;
		got = read(fd, buf + n, (cap - n) < 65536 ? cap - n : 65536);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;

			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (!buf)
		buf = rc_xmalloc(1);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double seconds)
{
	struct timespec ts;

	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/* Wait for pid until deadline (monotonic); returns 1 when reaped. */
static int wait_until(pid_t pid, int *status, double deadline)
{
	double step = 0.0002;

	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);

		if (w == pid)
			return 1;
		if (w < 0 && errno != EINTR)
			return 1; /* not ours any more: nothing to wait for */
		if (mono_now() >= deadline)
			return 0;
		nap(step);
		if (step < 0.01)
			step *= 2;
	}
}

extern char **environ;

/* libfaketime's variables: under `make test-timeshift` the runner runs in
 * faketime, and these carry the shifted clock into every process of a
 * case, the exec'd mock and command included (the in-process ones keep
 * it after their environment is replaced).  Nothing else of the runner's
 * environment reaches a case. */
int rc_faketime_var(const char *e)
{
	if (!strncmp(e, "FAKETIME", 8) || !strncmp(e, "DONT_FAKE_MONOTONIC=", 20))
		return 1;
	return !strncmp(e, "LD_PRELOAD=", 11) && strstr(e, "/faketime/");
}

/* The case environment: HOME, PATH, NO_COLOR (and libfaketime's variables
 * when the runner has them), then (with_case: for the command, not the
 * mock, whose @MOCK@ is not known yet) Env/Env-Raw in order, then
 * Env-Unset.  NULL on a substitution failure. */
static char **build_env(rc_run *r, rc_strv *env, int with_case)
{
	size_t i, j;

	memset(env, 0, sizeof(*env));
	rc_strv_push(env, rc_xasprintf("HOME=%s", r->home));
	rc_strv_push(env, rc_xstrdup("PATH=/usr/bin:/bin"));
	rc_strv_push(env, rc_xstrdup("NO_COLOR=1"));
	for (i = 0; environ && environ[i]; i++)
		if (rc_faketime_var(environ[i]))
			rc_strv_push(env, rc_xstrdup(environ[i]));
	if (!with_case)
		return env->v;
	for (i = 0; i < r->c->env.n; i++) {
		const char *spec = r->c->env.v[i];
		int raw = spec[0] == 'r';
		char *val = rc_subst(r, spec + 1), *entry = val;
		size_t nl;

		if (!val) {
			rc_strv_free(env);
			return NULL;
		}
		if (raw) {
			char *err = NULL, *dec = NULL;

			if (rc_decode_escapes(val, &dec, &err) < 0) {
				rc_failf(r, "Env-Raw: %s", err);
				free(err);
				free(val);
				rc_strv_free(env);
				return NULL;
			}
			free(val);
			entry = dec;
		}
		nl = strcspn(entry, "=") + 1;
		for (j = 0; j < env->n; j++)
			if (!strncmp(env->v[j], entry, nl))
				break;
		if (j < env->n) {
			free(env->v[j]);
			env->v[j] = entry;
		} else
			rc_strv_push(env, entry);
	}
	for (i = 0; i < r->c->env_unset.n; i++) {
		size_t nl = strlen(r->c->env_unset.v[i]);

		for (j = 0; j < env->n; j++)
			if (!strncmp(env->v[j], r->c->env_unset.v[i], nl) &&
			    env->v[j][nl] == '=') {
				free(env->v[j]);
				memmove(env->v + j, env->v + j + 1,
					(env->n - j) * sizeof(char *));
				env->n--;
				break;
			}
	}
	return env->v;
}

static int substitute_words(rc_run *r, const rc_strv *in, rc_strv *out)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		char *w = rc_subst(r, in->v[i]);

		if (!w)
			return -1;
		rc_strv_push(out, w);
	}
	return 0;
}

static int binary_usable(const rc_run *r)
{
	return r->o->binary && access(r->o->binary, X_OK) == 0;
}

/* In a child: stdin from in_path (or /dev/null), stdout/stderr to files. */
static void redirect(const char *in_path, const char *out_path,
		     const char *err_path)
{
	int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
	int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (in < 0 || out < 0 || err < 0)
		_exit(125);
	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	if (in > 2)
		close(in);
	if (out > 2)
		close(out);
	if (err > 2)
		close(err);
	clearerr(stdin);
	/* The dispositions a real process starts with, not the runner's. */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

/* The in-process variant of execve(): run main_fn with envp as the whole
 * process environment (libcurl reads proxies from it). */
static void run_inprocess(rc_run *r, char **argv, char **envp,
			  const ord_cli_hooks *hooks)
{
	/* main() may reorder argv (ord_cli_main_ex compacts the global
	 * options out of it): hand it a copy of the array, so every word stays
	 * reachable for LeakSanitizer. */
	static char **argv_copy;
	int argc = 0, rc;
	size_t i;

	while (argv[argc])
		argc++;
	argv_copy = rc_xmalloc(((size_t)argc + 1) * sizeof(char *));
	memcpy(argv_copy, argv, ((size_t)argc + 1) * sizeof(char *));
	clearenv();
	for (i = 0; envp[i]; i++)
		putenv(envp[i]);
	rc = r->o->main_fn(argc, argv_copy, envp, stdin, stdout, stderr, hooks);
	fflush(NULL);
	exit(rc);
}

/* make test-valgrind runs the runner under valgrind: every time limit is
 * multiplied by ORDOCTOR_CASES_TIME_SCALE (valgrind runs code 20 to 50
 * times slower), and a command or mock that exits with status
 * ORDOCTOR_CASES_VALGRIND (valgrind's --error-exitcode) fails the case. */
static double time_scale(void)
{
	const char *v = getenv("ORDOCTOR_CASES_TIME_SCALE");
	double s = v ? atof(v) : 1;

	return s > 1 ? s : 1;
}

static void valgrind_verdict(rc_run *r, const char *who, int status)
{
	const char *v = getenv("ORDOCTOR_CASES_VALGRIND");

	if (v && *v && WIFEXITED(status) && WEXITSTATUS(status) == atoi(v))
		rc_failf(r, "valgrind found errors in the %s (exit %d; see the valgrind logs)",
			 who, WEXITSTATUS(status));
}

int rc_mock_start(rc_run *r)
{
	rc_strv env, argv = {0};
	char *keys, *keys_path, *out_path, *err_path, *log_path;
	double deadline;
	int status, rc = -1;

	if (!r->c->has_mock)
		return 0;
	keys_path = rc_xasprintf("%s/mock-keys", r->root);
	out_path = rc_xasprintf("%s/mock-stdout", r->root);
	err_path = rc_xasprintf("%s/mock-stderr", r->root);
	log_path = rc_xasprintf("%s/mock-requests.jsonl", r->root);
	memset(&env, 0, sizeof(env));
	keys = rc_subst(r, r->c->mock_keys ? r->c->mock_keys : "");
	if (!keys)
		goto out;
	{
		int fd = open(keys_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		size_t kl = strlen(keys);

		if (fd < 0 || write(fd, keys, kl) != (ssize_t)kl) {
			rc_failf(r, "cannot write %s: %s", keys_path, strerror(errno));
			if (fd >= 0)
				close(fd);
			free(keys);
			goto out;
		}
		close(fd);
		free(keys);
	}
	rc_strv_push(&argv, rc_xstrdup("ordoctor"));
	rc_strv_push(&argv, rc_xstrdup("mock"));
	rc_strv_push(&argv, rc_xstrdup("--keys"));
	rc_strv_push(&argv, rc_xstrdup(keys_path));
	rc_strv_push(&argv, rc_xstrdup("--listen"));
	rc_strv_push(&argv, rc_xstrdup("127.0.0.1:0"));
	rc_strv_push(&argv, rc_xstrdup("--request-log"));
	rc_strv_push(&argv, rc_xstrdup(log_path));
	/* The case's clock is the mock's too: an expiry is judged on the same
	 * day by both sides, whatever the wall clock says. */
	if (r->c->has_now) {
		rc_strv_push(&argv, rc_xstrdup("--now"));
		rc_strv_push(&argv, rc_xasprintf("%lld", (long long)r->c->now));
	}
	if (substitute_words(r, &r->c->mock_args, &argv) || !build_env(r, &env, 0))
		goto out;

	fflush(NULL);
	r->mock_pid = fork();
	if (r->mock_pid < 0) {
		rc_failf(r, "fork: %s", strerror(errno));
		r->mock_pid = 0;
		goto out;
	}
	if (r->mock_pid == 0) {
		setpgid(0, 0);
		redirect(NULL, out_path, err_path);
		if (chdir(r->root))
			_exit(126);
		if (binary_usable(r)) {
			execve(r->o->binary, argv.v, env.v);
			fprintf(stderr, "execve %s: %s\n", r->o->binary, strerror(errno));
			_exit(127);
		}
		run_inprocess(r, argv.v, env.v, NULL);
	}
	setpgid(r->mock_pid, r->mock_pid);
	rc_live_groups[0] = r->mock_pid;
	r->mock_started = 1;

	/* Wait for "listening on http://HOST:PORT". */
	deadline = mono_now() + 10 * time_scale();
	for (;;) {
		size_t len;
		char *text = rc_read_file(out_path, &len, 1 << 16), *p;

		if (text && (p = strstr(text, "listening on http://")) &&
		    strchr(p, '\n')) {
			p += strlen("listening on ");
			r->mock_url = rc_xstrndup(p, strcspn(p, " \t\r\n"));
			free(text);
			rc = 0;
			break;
		}
		free(text);
		if (waitpid(r->mock_pid, &status, WNOHANG) == r->mock_pid) {
			kill(-r->mock_pid, SIGKILL);
			r->mock_pid = 0;
			rc_live_groups[0] = 0;
			if (WIFEXITED(status))
				rc_failf(r, "mock exited with status %d before printing "
					 "'listening on http://HOST:PORT'", WEXITSTATUS(status));
			else
				rc_failf(r, "mock killed by signal %s before printing "
					 "'listening on http://HOST:PORT'",
					 sigabbrev_np(WTERMSIG(status)));
			break;
		}
		if (mono_now() >= deadline) {
			rc_failf(r, "mock did not print 'listening on http://HOST:PORT' within 10 s");
			break;
		}
		nap(0.005);
	}
out:
	rc_strv_free(&argv);
	rc_strv_free(&env);
	free(keys_path);
	free(out_path);
	free(err_path);
	free(log_path);
	return rc;
}

void rc_mock_stop(rc_run *r)
{
	char *path;
	int status;

	if (r->mock_pid > 0) {
		kill(r->mock_pid, SIGTERM);
		if (!wait_until(r->mock_pid, &status, mono_now() + 2 * time_scale())) {
			kill(-r->mock_pid, SIGKILL);
			waitpid(r->mock_pid, &status, 0);
		} else
			valgrind_verdict(r, "mock", status);
		kill(-r->mock_pid, SIGKILL); /* anything it left behind */
		r->mock_pid = 0;
		rc_live_groups[0] = 0;
	}
	if (!r->mock_started)
		return;
	r->mock_started = 0;
	path = rc_xasprintf("%s/mock-requests.jsonl", r->root);
	free(r->mock_log);
	r->mock_log = rc_read_file(path, &r->mock_log_len, RC_OUTPUT_CAP);
	free(path);
	path = rc_xasprintf("%s/mock-stderr", r->root);
	free(r->mock_err);
	r->mock_err = rc_read_file(path, &r->mock_err_len, RC_OUTPUT_CAP);
	free(path);
}

static time_t fixed_now(void *ud)
{
	return *(const time_t *)ud;
}

int rc_run_command(rc_run *r)
{
	rc_strv env, argv = {0};
	char *in_path = NULL, *out_path, *err_path;
	int exec_mode = r->o->binary && r->c->exec;
	int status, rc = -1;
	double t0, deadline;
	pid_t pid;

	out_path = rc_xasprintf("%s/.case-stdout", r->root);
	err_path = rc_xasprintf("%s/.case-stderr", r->root);
	memset(&env, 0, sizeof(env));
	if (exec_mode && (r->c->nfaults || r->c->has_now)) {
		rc_failf(r, "Fault and Now need the in-process run; drop 'Exec: yes'");
		goto out;
	}
	if (exec_mode && !binary_usable(r)) {
		rc_failf(r, "Exec: yes but --binary %s is not executable", r->o->binary);
		goto out;
	}
	if (r->c->stdin_body) {
		char *body = rc_subst(r, r->c->stdin_body), *dec = NULL, *err = NULL;
		long len;
		int fd;

		if (!body)
			goto out;
		len = (long)strlen(body);
		if (r->c->stdin_raw && (len = rc_decode_escapes(body, &dec, &err)) < 0) {
			rc_failf(r, "Stdin-Raw: %s", err);
			free(err);
			free(body);
			goto out;
		}
		in_path = rc_xasprintf("%s/.case-stdin", r->root);
		fd = open(in_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, dec ? dec : body, (size_t)len) != len) {
			rc_failf(r, "cannot write %s: %s", in_path, strerror(errno));
			if (fd >= 0)
				close(fd);
			free(body);
			free(dec);
			goto out;
		}
		close(fd);
		free(body);
		free(dec);
	}
	rc_strv_push(&argv, rc_xstrdup("ordoctor"));
	if (substitute_words(r, &r->c->words, &argv) || !build_env(r, &env, 1))
		goto out;

	fflush(NULL);
	t0 = mono_now();
	pid = fork();
	if (pid < 0) {
		rc_failf(r, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		ord_cli_hooks hooks;
		static time_t now;

		setpgid(0, 0);
		redirect(in_path, out_path, err_path);
		if (chdir(r->work)) {
			fprintf(stderr, "ordoctor-cases: chdir %s: %s\n", r->work,
				strerror(errno));
			_exit(126);
		}
		alarm((unsigned)(r->c->timeout * time_scale()));
		if (exec_mode) {
			execve(r->o->binary, argv.v, env.v);
			fprintf(stderr, "ordoctor-cases: execve %s: %s\n",
				r->o->binary, strerror(errno));
			_exit(127);
		}
		memset(&hooks, 0, sizeof(hooks));
		hooks.fs = rc_fault_fs(r, &hooks.fs_ud);
		if (r->c->has_now) {
			now = r->c->now;
			hooks.now = fixed_now;
			hooks.now_ud = &now;
		}
		run_inprocess(r, argv.v, env.v, &hooks);
	}
	setpgid(pid, pid);
	rc_live_groups[1] = pid;
	deadline = t0 + r->c->timeout * time_scale() + 5;
	if (!wait_until(pid, &status, deadline)) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
		r->timed_out = 1;
	}
	/* Whatever the command left running in its process group. */
	kill(-pid, SIGKILL);
	rc_live_groups[1] = 0;
	r->seconds = mono_now() - t0;
	r->ran = 1;
	if (WIFSIGNALED(status)) {
		r->signaled = WTERMSIG(status);
		if (r->signaled == SIGALRM)
			r->timed_out = 1;
	} else {
		r->exit_code = WEXITSTATUS(status);
		valgrind_verdict(r, "command", status);
	}
	r->out = rc_read_file(out_path, &r->out_len, RC_OUTPUT_CAP);
	r->err = rc_read_file(err_path, &r->err_len, RC_OUTPUT_CAP);
	if (!r->out)
		r->out = rc_xstrdup("");
	if (!r->err)
		r->err = rc_xstrdup("");
	rc = 0;
out:
	rc_strv_free(&argv);
	rc_strv_free(&env);
	free(in_path);
	free(out_path);
	free(err_path);
	return rc;
}
