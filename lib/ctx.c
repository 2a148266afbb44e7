#include "ctx.h"
#include "fix_write.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int posix_stat(void *ud, const char *path, struct stat *st)
{
	(void)ud;
	return stat(path, st) ? errno : 0;
}

static int posix_lstat(void *ud, const char *path, struct stat *st)
{
	(void)ud;
	return lstat(path, st) ? errno : 0;
}

static int posix_read(void *ud, const char *path, size_t cap, ord_buf *out,
		      int *truncated)
{
	struct stat st;
	char chunk[65536];
	int fd, rc = 0;
	size_t total = 0, dirty = 0;

	(void)ud;
	*truncated = 0;
	/* O_NONBLOCK: a FIFO named .env must not hang the doctor. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st)) {
		rc = errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = EISDIR;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = EINVAL;
		goto out;
	}
	for (;;) {
		size_t want = sizeof(chunk);
		ssize_t n;

		if (total >= cap) {
			/* One more byte tells whether there was more. */
			char c;
			n = read(fd, &c, 1);
			if (n > 0)
				*truncated = 1;
			break;
		}
		if (want > cap - total)
			want = cap - total;
		n = read(fd, chunk, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = errno;
			break;
		}
		if (n == 0)
			break;
		if ((size_t)n > dirty)
			dirty = (size_t)n;
		rc = ord_buf_add(out, chunk, (size_t)n);
		if (rc)
			break;
		total += (size_t)n;
	}
	/* only what a read filled can hold a secret */
	ord_wipe(chunk, dirty);
out:
	close(fd);
	return rc;
}

static int posix_list(void *ud, const char *path,
		      int (*fn)(void *arg, const char *name), void *arg)
{
	DIR *d;
	struct dirent *e;

	(void)ud;
	d = opendir(path);
	if (!d)
		return errno;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fn(arg, e->d_name))
			break;
	}
	closedir(d);
	return 0;
}

static int mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			int e = errno;
			*p = '/';
			return e;
		}
		*p = '/';
	}
	return 0;
}

static int posix_write(void *ud, const char *path, const void *data,
		       size_t len)
{
	char *tmp, *dir;
	size_t pl = strlen(path);
	int fd, rc = 0;
	ssize_t n;

	(void)ud;
	dir = strdup(path);
	tmp = malloc(pl + 16);
	if (!dir || !tmp) {
		free(dir);
		free(tmp);
		return ENOMEM;
	}
	rc = mkdirs(dir);
	free(dir);
	if (rc) {
		free(tmp);
		return rc;
	}
	snprintf(tmp, pl + 16, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = errno;
		free(tmp);
		return rc;
	}
	n = write(fd, data, len);
	if (n < 0 || (size_t)n != len)
		rc = n < 0 ? errno : EIO;
	if (close(fd) && !rc)
		rc = errno;
	if (!rc && rename(tmp, path))
		rc = errno;
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

const ord_fs_ops ord_fs_posix = {
	.stat = posix_stat,
	.lstat = posix_lstat,
	.read = posix_read,
	.list = posix_list,
	.write = posix_write,
	.rewrite = ord_posix_rewrite,
};

static time_t real_now(void *ud)
{
	(void)ud;
	return time(NULL);
}

static void real_sleep(void *ud, double seconds)
{
	struct timespec ts;

	(void)ud;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void ord_sleep(const ord_ctx *ctx, double seconds)
{
	if (seconds > 0 && ctx->sleep)
		ctx->sleep(ctx->sleep_ud, seconds);
}

int ord_ctx_init(ord_ctx *ctx, char *const *envp, const char *home,
		 const char *cwd)
{
	size_t n = 0, i;

	memset(ctx, 0, sizeof(*ctx));
	ctx->fs = &ord_fs_posix;
	ctx->now = real_now;
	ctx->sleep = real_sleep;
	ctx->timeout = 10; /* network: lib/http (api_base NULL, perform NULL) */
	while (envp && envp[n])
		n++;
	ctx->env = calloc(n + 1, sizeof(char *));
	if (!ctx->env)
		return ENOMEM;
	for (i = 0; i < n; i++) {
		ctx->env[i] = strdup(envp[i]);
		if (!ctx->env[i]) {
			ord_ctx_release(ctx);
			return ENOMEM;
		}
		ctx->env_len++;
	}
	if (!home)
		home = ord_env_get(ctx, "HOME");
	ctx->home = strdup(home && *home ? home : "/");
	ctx->cwd = strdup(cwd && *cwd ? cwd : "/");
	ctx->etc = strdup("/etc");
	if (!ctx->home || !ctx->cwd || !ctx->etc) {
		ord_ctx_release(ctx);
		return ENOMEM;
	}
	return 0;
}

void ord_ctx_release(ord_ctx *ctx)
{
	size_t i;

	if (ctx->http_release)
		ctx->http_release(ctx); /* the connection pool */
	for (i = 0; ctx->env && i < ctx->env_len; i++)
		ord_free_secret(ctx->env[i]);
	free(ctx->env);
	free(ctx->home);
	free(ctx->cwd);
	free(ctx->etc);
	for (i = 0; i < ctx->nwarnings; i++)
		free(ctx->warnings[i].text);
	free(ctx->warnings);
	memset(ctx, 0, sizeof(*ctx));
}

static ssize_t env_index(const ord_ctx *ctx, const char *name)
{
	size_t nl = strlen(name), i;

	for (i = 0; i < ctx->env_len; i++)
		if (!strncmp(ctx->env[i], name, nl) && ctx->env[i][nl] == '=')
			return (ssize_t)i;
	return -1;
}

const char *ord_env_get(const ord_ctx *ctx, const char *name)
{
	ssize_t i = env_index(ctx, name);

	return i < 0 ? NULL : ctx->env[i] + strlen(name) + 1;
}

int ord_env_set(ord_ctx *ctx, const char *name, const char *value)
{
	ssize_t i = env_index(ctx, name);
	size_t len = strlen(name) + strlen(value) + 2;
	char *s = malloc(len), **n;

	if (!s)
		return ENOMEM;
	snprintf(s, len, "%s=%s", name, value);
	if (i >= 0) {
		ord_free_secret(ctx->env[i]);
		ctx->env[i] = s;
		return 0;
	}
	n = realloc(ctx->env, (ctx->env_len + 2) * sizeof(char *));
	if (!n) {
		ord_free_secret(s);
		return ENOMEM;
	}
	ctx->env = n;
	ctx->env[ctx->env_len++] = s;
	ctx->env[ctx->env_len] = NULL;
	return 0;
}

time_t ord_now(const ord_ctx *ctx)
{
	return ctx->now(ctx->now_ud);
}

void ord_warn(ord_ctx *ctx, const char *fmt, ...)
{
	ord_buf b = ORD_BUF_INIT(4096);
	va_list ap;
	char *text;
	size_t i;

	va_start(ap, fmt);
	ord_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	text = ord_buf_detach(&b, NULL);
	if (!text)
		return;
	/* One line: a path with a newline in it must not forge a second one. */
	for (i = 0; text[i]; i++)
		if (text[i] == '\n' || text[i] == '\r')
			text[i] = '?';
	/* The same warning twice (a file reached by two routes) says nothing
	 * new. */
	for (i = 0; i < ctx->nwarnings; i++)
		if (!strcmp(ctx->warnings[i].text, text)) {
			free(text);
			return;
		}
	if (ctx->nwarnings == ctx->warnings_cap) {
		size_t nc = ctx->warnings_cap ? ctx->warnings_cap * 2 : 8;
		ord_warning *n = realloc(ctx->warnings, nc * sizeof(*n));
		if (!n) {
			free(text);
			return;
		}
		ctx->warnings = n;
		ctx->warnings_cap = nc;
	}
	ctx->warnings[ctx->nwarnings++].text = text;
}

int ord_read_file(ord_ctx *ctx, const char *path, size_t cap, ord_buf *out,
		  int *truncated)
{
	int t = 0, rc = ctx->fs->read(ctx->fs_ud, path, cap, out, &t);

	if (truncated)
		*truncated = t;
	return rc;
}

int ord_stat(ord_ctx *ctx, const char *path, struct stat *st)
{
	return ctx->fs->stat(ctx->fs_ud, path, st);
}

int ord_lstat(ord_ctx *ctx, const char *path, struct stat *st)
{
	return ctx->fs->lstat(ctx->fs_ud, path, st);
}

int ord_list_dir(ord_ctx *ctx, const char *path,
		 int (*fn)(void *arg, const char *name), void *arg)
{
	return ctx->fs->list(ctx->fs_ud, path, fn, arg);
}

typedef struct names {
	char **v;
	size_t n, cap, max;
	const char *suffix;
} names;

static int collect_name(void *arg, const char *name)
{
	names *ns = arg;
	size_t nl = strlen(name), sl = ns->suffix ? strlen(ns->suffix) : 0;

	if (sl && (nl <= sl || strcmp(name + nl - sl, ns->suffix)))
		return 0;
	if (ns->n >= ns->max)
		return 1;
	if (ns->n == ns->cap) {
		size_t nc = ns->cap ? ns->cap * 2 : 32;
		char **nv = realloc(ns->v, nc * sizeof(*nv));
		if (!nv)
			return 1;
		ns->v = nv;
		ns->cap = nc;
	}
	ns->v[ns->n] = strdup(name);
	if (ns->v[ns->n])
		ns->n++;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ord_list_dir_sorted(ord_ctx *ctx, const char *path, const char *suffix,
			size_t max, char ***out, size_t *n)
{
	names ns = {NULL, 0, 0, max, suffix};
	int rc = ord_list_dir(ctx, path, collect_name, &ns);

	if (rc) {
		ord_names_free(ns.v, ns.n);
		*out = NULL;
		*n = 0;
		return rc;
	}
	if (ns.n)
		qsort(ns.v, ns.n, sizeof(*ns.v), cmp_name);
	*out = ns.v;
	*n = ns.n;
	return 0;
}

void ord_names_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int ord_write_file(ord_ctx *ctx, const char *path, const void *data,
		   size_t len)
{
	if (!ctx->fs->write)
		return ENOSYS;
	return ctx->fs->write(ctx->fs_ud, path, data, len);
}

int ord_rewrite_file(ord_ctx *ctx, const char *path, const void *expect, size_t expect_len,
		     const void *data, size_t len, const char *backup)
{
	if (!ctx->fs->rewrite)
		return ENOSYS;
	return ctx->fs->rewrite(ctx->fs_ud, path, expect, expect_len, data, len, backup);
}

int ord_path_up(char *dir)
{
	char *slash = strrchr(dir, '/');

	if (!slash || !strcmp(dir, "/"))
		return 0;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return 1;
}

char *ord_path_join(const char *dir, const char *rel)
{
	size_t dl = strlen(dir);
	char *s;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	while (*rel == '/')
		rel++;
	s = malloc(dl + strlen(rel) + 2);
	if (!s)
		return NULL;
	memcpy(s, dir, dl);
	if (dl == 1 && dir[0] == '/')
		strcpy(s + 1, rel);
	else {
		s[dl] = '/';
		strcpy(s + dl + 1, rel);
	}
	return s;
}

char *ord_path_home(const ord_ctx *ctx, const char *rel)
{
	if (rel[0] == '~' && rel[1] == '/')
		rel += 2;
	return ord_path_join(ctx->home, rel);
}

char *ord_git_root(ord_ctx *ctx)
{
	char *dir = ctx->cwd ? strdup(ctx->cwd) : NULL;

	while (dir) {
		char *g = ord_path_join(dir, ".git");
		struct stat st;
		int found = g && !ord_stat(ctx, g, &st);

		free(g);
		if (found)
			return dir;
		if (!ord_path_up(dir))
			break;
	}
	free(dir);
	return NULL;
}
