/* helper: keys that come from a command; see helper.h.
 *
 * The word splitter is written here rather than taken from wordexp(3):
 * glibc's wordexp expands $VAR from this process's environment (not the
 * inspected one) and, without WRDE_NOCMD, runs a shell for $(…).  We want
 * the opposite: no expansion at all, and a refusal whenever the text only
 * means something to a shell.
 */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORDS 64

char *ord_helper_subst_command(const char *value, size_t len)
{
	size_t a = 0, b = len;

	if (len >= 2 && ((value[0] == '"' && value[len - 1] == '"') ||
			 (value[0] == '\'' && value[len - 1] == '\''))) {
		a++;
		b--;
	}
	if (b - a >= 4 && value[a] == '$' && value[a + 1] == '(' && value[b - 1] == ')')
		return strndup(value + a + 2, b - a - 3);
	if (b - a >= 3 && value[a] == '`' && value[b - 1] == '`')
		return strndup(value + a + 1, b - a - 2);
	return NULL;
}

char *ord_helper_op_command(const char *value, size_t len)
{
	const char *p = memmem(value, len, "op://", 5);
	size_t n = 0;
	char *cmd;

	if (!p)
		return NULL;
	/* the reference runs to the first blank, double quote or `}`; a
	 * single quote in it would end ours early, so none is built */
	while (p + n < value + len && !strchr(" \t\r\n\"}", p[n]))
		n++;
	if (n <= 5 || memchr(p, '\'', n) || asprintf(&cmd, "op read '%.*s'", (int)n, p) < 0)
		return NULL;
	return cmd;
}

void ord_helper_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* Characters that make a shell do something we would not: pipes,
 * redirections, lists, expansions, globs, subshells, comments. */
static int shell_special(char c)
{
	return c && strchr("|&;<>()$`*?[]{}#!\n", c) != NULL;
}

int ord_helper_argv(const ord_ctx *ctx, const char *cmd, char ***argv, const char **why)
{
	char **v = calloc(MAX_WORDS + 1, sizeof(*v));
	size_t n = 0;
	const char *p = cmd;

	*argv = NULL;
	*why = "out of memory";
	if (!v)
		return -1;
	for (;;) {
		ord_buf w = ORD_BUF_INIT(4096);

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n == MAX_WORDS) {
			*why = "too many words";
			goto fail_w;
		}
		/* ~/ at the start of a word is the inspected home, as the
		 * shell the tool would use expands it */
		if (p[0] == '~' && (p[1] == '/' || !p[1] || p[1] == ' ')) {
			ord_buf_adds(&w, ctx->home ? ctx->home : "~");
			p++;
		}
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '\'') {
				const char *e = strchr(p + 1, '\'');
				if (!e) {
					*why = "an unterminated quote";
					goto fail_w;
				}
				ord_buf_add(&w, p + 1, (size_t)(e - p - 1));
				p = e + 1;
			} else if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '$' || *p == '`') {
						*why = "it needs a shell (an expansion inside double quotes)";
						goto fail_w;
					}
					if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
						p++;
					ord_buf_addc(&w, *p++);
				}
				if (*p != '"') {
					*why = "an unterminated quote";
					goto fail_w;
				}
				p++;
			} else if (*p == '\\' && p[1]) {
				ord_buf_addc(&w, p[1]);
				p += 2;
			} else if (shell_special(*p)) {
				static char msg[64];
				snprintf(msg, sizeof(msg), "it needs a shell ('%c')", *p == '\n' ? ' ' : *p);
				*why = msg;
				goto fail_w;
			} else
				ord_buf_addc(&w, *p++);
		}
		/* VAR=value before the command: a shell assignment */
		if (!n && w.len && memchr(w.data, '=', w.len) && w.data[0] != '/' && w.data[0] != '.') {
			*why = "it needs a shell (a variable assignment before the command)";
			goto fail_w;
		}
		v[n] = strndup(w.len ? (const char *)w.data : "", w.len);
		ord_buf_release(&w);
		if (!v[n]) {
			*why = "out of memory";
			goto fail;
		}
		n++;
		continue;
fail_w:
		ord_buf_release(&w);
		goto fail;
	}
	if (!n) {
		*why = "the command is empty";
		goto fail;
	}
	*argv = v;
	*why = NULL;
	return 0;
fail:
	ord_helper_argv_free(v);
	return -1;
}

int ord_helper_run(ord_ctx *ctx, const char *cmd, ord_buf *out, char *why, size_t whylen)
{
	char **argv;
	const char *bad;
	int rc, status = 0;
	double timeout;

	if (!ctx->run_helpers || !ctx->run) {
		snprintf(why, whylen, "not run (--run-helpers runs it)");
		return -1;
	}
	if (ord_helper_argv(ctx, cmd, &argv, &bad)) {
		snprintf(why, whylen, "not run: %s", bad);
		return -1;
	}
	timeout = ctx->timeout > 0 ? ctx->timeout : ORD_HELPER_TIMEOUT;
	rc = ctx->run(ctx->run_ud, argv, ctx->env, timeout, out, &status);
	ord_helper_argv_free(argv);
	if (rc == ETIMEDOUT)
		snprintf(why, whylen, "timed out after %g s (--timeout)", timeout);
	else if (rc == ENOENT)
		snprintf(why, whylen, "the command was not found on PATH");
	else if (rc)
		snprintf(why, whylen, "could not run it: %s", strerror(rc));
	else if (WIFSIGNALED(status))
		snprintf(why, whylen, "killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status))
		snprintf(why, whylen, "exited with status %d", WEXITSTATUS(status));
	else {
		/* $(…) drops trailing newlines; so do the tools' readers */
		while (out->len && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == '\r'))
			out->data[--out->len] = '\0';
		return 0;
	}
	ord_buf_reset(out);
	return -1;
}

/* PATH search in the inspected environment (execvp would use ours). */
static char *find_program(const char *name, char *const envp[])
{
	const char *path = NULL;
	size_t i;

	if (strchr(name, '/'))
		return access(name, X_OK) ? NULL : strdup(name);
	for (i = 0; envp && envp[i]; i++)
		if (!strncmp(envp[i], "PATH=", 5))
			path = envp[i] + 5;
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		char *full;

		if (asprintf(&full, "%.*s/%s", (int)(n ? n : 1), n ? path : ".", name) >= 0) {
			struct stat st;
			if (!stat(full, &st) && S_ISREG(st.st_mode) && !access(full, X_OK))
				return full;
			free(full);
		}
		path += n;
		if (*path == ':')
			path++;
	}
	return NULL;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int ord_run_posix(void *ud, char *const argv[], char *const envp[], double timeout,
		  ord_buf *out, int *status)
{
	char *prog = find_program(argv[0], envp);
	int fds[2], rc = 0;
	pid_t pid;
	double end = mono_now() + timeout;

	(void)ud;
	if (!prog)
		return ENOENT;
	if (pipe2(fds, O_CLOEXEC)) {
		rc = errno;
		free(prog);
		return rc;
	}
	pid = fork();
	if (pid < 0) {
		rc = errno;
		close(fds[0]);
		close(fds[1]);
		free(prog);
		return rc;
	}
	if (!pid) {
		/* the child: its own process group (so a timeout kills what it
		 * started too), stdin and stderr on /dev/null (a prompt must
		 * not reach our terminal or hang), stdout to the pipe */
		int nul = open("/dev/null", O_RDWR);
		setpgid(0, 0);
		if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 2) < 0 || dup2(fds[1], 1) < 0)
			_exit(127);
		execve(prog, argv, envp);
		_exit(127);
	}
	free(prog);
	close(fds[1]);
	for (;;) {
		struct pollfd pf = {fds[0], POLLIN, 0};
		double left = end - mono_now();
		char chunk[4096];
		ssize_t got;
		int pr;

		if (left <= 0) {
			rc = ETIMEDOUT;
			break;
		}
		pr = poll(&pf, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue; /* the deadline check above ends it */
		got = read(fds[0], chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (out->len + (size_t)got <= ORD_HELPER_OUT_CAP)
			ord_buf_add(out, chunk, (size_t)got);
		explicit_bzero(chunk, sizeof(chunk));
	}
	close(fds[0]);
	if (rc == ETIMEDOUT)
		kill(-pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	if (!rc && WIFEXITED(*status) && WEXITSTATUS(*status) == 127 && !out->len)
		rc = ENOENT; /* exec failed in the child */
	return rc;
}

void ord_helpers_apply(ord_ctx *ctx, ord_hits *hits)
{
	size_t i;

	for (i = 0; i < hits->n; i++) {
		ord_hit *h = &hits->v[i];
		char *cmd = NULL, why[160], *note = NULL;
		ord_buf out = ORD_BUF_INIT(ORD_HELPER_OUT_CAP);

		if (h->role != ORD_ROLE_KEY || (h->flags & ORD_HIT_FROM_HELPER))
			continue;
		if (h->flags & ORD_HIT_COMMAND)
			cmd = ord_helper_subst_command((const char *)h->key.raw, h->key.raw_len);
		else if (h->key.lint & ORD_LINT_BIT(ORD_LINT_SECRET_REF))
			cmd = ord_helper_op_command((const char *)h->key.raw, h->key.raw_len);
		if (!cmd)
			continue;
		if (!ord_helper_run(ctx, cmd, &out, why, sizeof(why))) {
			ord_key nk;

			if (!ord_key_init(&nk, out.data ? out.data : "", out.len)) {
				ord_key_release(&h->key);
				h->key = nk;
				h->flags &= ~(unsigned)ORD_HIT_COMMAND;
				h->flags |= ORD_HIT_FROM_HELPER;
				if (asprintf(&note, "the output of the command `%s` (run by --run-helpers)", cmd) < 0)
					note = NULL;
			}
		} else if (asprintf(&note, "the value comes from the command `%s`: %s", cmd, why) < 0)
			note = NULL;
		if (note) {
			free(h->note);
			h->note = note;
		}
		ord_buf_release(&out);
		free(cmd);
	}
}
