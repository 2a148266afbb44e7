/* setup.c: the case root (mkdtemp), laying out File/Mkdir/Symlink/Sparse/
 * Chmod in order, the fault-injecting ord_fs_ops table, and removal.
 * Included by runner.c (see runner.h). */
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *rc_normalize_path(const char *base, const char *path)
{
	char *joined = path[0] == '/' ? rc_xstrdup(path)
				      : rc_xasprintf("%s/%s", base, path);
	char *out = rc_xmalloc(strlen(joined) + 2);
	size_t n = 0;
	const char *s = joined;

	while (*s) {
		size_t len;

		while (*s == '/')
			s++;
		len = strcspn(s, "/");
		if (!len)
			break;
		if (len == 1 && s[0] == '.') {
			/* nothing */
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			out[n++] = '/';
			memcpy(out + n, s, len);
			n += len;
		}
		s += len;
	}
	if (!n)
		out[n++] = '/';
	out[n] = '\0';
	free(joined);
	return out;
}

int rc_errno_from_name(const char *name)
{
	int e;

	for (e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);

		if (n && !strcmp(n, name))
			return e;
	}
	return -1;
}

/* mkdir -p of path itself (parent_only: of its directory). */
static int mkdir_p(const char *path, int parent_only)
{
	char *p = rc_xstrdup(path), *s;
	int rc = 0;

	if (parent_only) {
		s = strrchr(p, '/');
		if (s)
			*s = '\0';
	}
	for (s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0755) && errno != EEXIST) {
				rc = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

static int write_all(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return close(fd);
}

int rc_setup_root(rc_run *r)
{
	const char *tmp = getenv("TMPDIR");
	char *tpl, real[PATH_MAX];
	char *work;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	tpl = rc_xasprintf("%s/ordoctor-case.XXXXXX", tmp);
	if (!mkdtemp(tpl)) {
		rc_failf(r, "mkdtemp %s: %s", tpl, strerror(errno));
		free(tpl);
		return -1;
	}
	/* The real path, so @ROOT@ equals what getcwd() says in the child. */
	if (!realpath(tpl, real)) {
		rc_failf(r, "realpath %s: %s", tpl, strerror(errno));
		r->root = tpl;
		return -1;
	}
	free(tpl);
	r->root = rc_xstrdup(real);
	r->home = rc_xasprintf("%s/home", r->root);
	work = rc_xasprintf("%s/work", r->root);
	r->work = rc_normalize_path(r->root, r->c->cwd);
	if (mkdir_p(r->home, 0) || mkdir_p(work, 0) || mkdir_p(r->work, 0)) {
		rc_failf(r, "cannot create %s: %s", r->work, strerror(errno));
		free(work);
		return -1;
	}
	free(work);
	return 0;
}

/* Fixture: copy every file below src into dst, with @...@ substitution
 * (fixture files write keys as @KEY:NAME@). */
static int copy_tree(rc_run *r, const char *src, const char *dst, int line)
{
	DIR *d = opendir(src);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		rc_failf(r, "line %d: Fixture: cannot open %s: %s", line, src, strerror(errno));
		return -1;
	}
	while (!rc && (e = readdir(d))) {
		char *s, *t, *text, *body;
		size_t tlen = 0;
		struct stat sb;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, "README.md"))
			continue;
		s = rc_xasprintf("%s/%s", src, e->d_name);
		t = rc_xasprintf("%s/%s", dst, e->d_name);
		if (lstat(s, &sb))
			rc = -1;
		else if (S_ISDIR(sb.st_mode))
			rc = mkdir_p(t, 0) ? -1 : copy_tree(r, s, t, line);
		else if (S_ISREG(sb.st_mode)) {
			text = rc_read_file(s, &tlen, 1 << 20);
			body = text ? rc_subst(r, text) : NULL;
			if (!body || mkdir_p(t, 1) || write_all(t, body, strlen(body))) {
				rc_failf(r, "line %d: Fixture: cannot copy %s", line, s);
				rc = -1;
			}
			free(text);
			free(body);
		}
		free(s);
		free(t);
	}
	closedir(d);
	return rc;
}

static int layout_fixture(rc_run *r, const rc_step *st)
{
	const char *file = r->c->file ? r->c->file : "";
	const char *slash = strrchr(file, '/');
	char *src = slash ? rc_xasprintf("%.*s/../fixtures/%s", (int)(slash - file), file, st->path) :
			    rc_xasprintf("../fixtures/%s", st->path);
	int rc = copy_tree(r, src, r->root, st->line);

	free(src);
	return rc;
}

static int layout_step(rc_run *r, const rc_step *st)
{
	char *abs = rc_xasprintf("%s/%s", r->root, st->path);
	char *body = NULL, *dec = NULL, *err = NULL;
	const char *what = "";
	long len;
	int fd, rc = -1;
	struct stat sb;

	if (st->kind == RC_STEP_FIXTURE) {
		free(abs);
		return layout_fixture(r, st);
	}
	switch (st->kind) {
	case RC_STEP_FILE:
	case RC_STEP_FILE_RAW:
		what = "write";
		if (!(body = rc_subst(r, st->body)))
			goto out_quiet;
		len = (long)strlen(body);
		if (st->kind == RC_STEP_FILE_RAW) {
			len = rc_decode_escapes(body, &dec, &err);
			if (len < 0) {
				rc_failf(r, "line %d: File-Raw %s: %s", st->line, st->path, err);
				free(err);
				goto out_quiet;
			}
		}
		if (mkdir_p(abs, 1) || write_all(abs, dec ? dec : body, (size_t)len))
			goto out;
		break;
	case RC_STEP_MKDIR:
		what = "mkdir";
		if (mkdir_p(abs, 0))
			goto out;
		break;
	case RC_STEP_SYMLINK:
		what = "symlink";
		if (!(body = rc_subst(r, st->body)))
			goto out_quiet;
		if (mkdir_p(abs, 1) || symlink(body, abs))
			goto out;
		break;
	case RC_STEP_SPARSE:
		what = "create sparse file";
		if (mkdir_p(abs, 1))
			goto out;
		fd = open(abs, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			goto out;
		if (ftruncate(fd, (off_t)st->size)) {
			close(fd);
			goto out;
		}
		close(fd);
		break;
	case RC_STEP_CHMOD:
		what = "chmod";
		if (lstat(abs, &sb))
			goto out;
		if (S_ISLNK(sb.st_mode)) {
			errno = ELOOP;
			goto out;
		}
		if (chmod(abs, st->mode))
			goto out;
		break;
	}
	rc = 0;
	goto out_quiet;
out:
	rc_failf(r, "line %d: cannot %s %s: %s", st->line, what, st->path,
		 strerror(errno));
out_quiet:
	free(body);
	free(dec);
	free(abs);
	return rc;
}

int rc_layout(rc_run *r)
{
	size_t i;

	for (i = 0; i < r->c->nsteps; i++)
		if (layout_step(r, &r->c->steps[i]))
			return -1;
	return 0;
}

static void rm_at(int dfd, const char *name)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return;
	if (S_ISDIR(st.st_mode)) {
		int fd;
		DIR *d;
		struct dirent *e;

		fchmodat(dfd, name, 0700, 0);
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && (d = fdopendir(fd))) {
			while ((e = readdir(d)))
				if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
					rm_at(dirfd(d), e->d_name);
			closedir(d);
		} else if (fd >= 0)
			close(fd);
		unlinkat(dfd, name, AT_REMOVEDIR);
	} else
		unlinkat(dfd, name, 0);
}

void rc_remove_tree(const char *path)
{
	/* Only ever our own mkdtemp roots. */
	if (!path || !strstr(path, "/ordoctor-case."))
		return;
	rm_at(AT_FDCWD, path);
}

/* ---- fault injection: wraps ord_fs_posix ------------------------------ */

typedef struct rc_fault_ud {
	const rc_case *c;
	char **abs;    /* normalized absolute path of each fault */
	char **real;   /* its realpath(), or NULL when it does not resolve */
} rc_fault_ud;

static rc_fault_ud fault_ud; /* one per (child) process */

static int fault_for(const char *path, int op)
{
	char cwd[PATH_MAX], real[PATH_MAX], *norm;
	int have_real = -1, e = 0;
	size_t i;

	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	norm = rc_normalize_path(cwd, path);
	for (i = 0; i < fault_ud.c->nfaults && !e; i++) {
		const rc_fault *f = &fault_ud.c->faults[i];

		if (!(f->ops & op))
			continue;
		if (!strcmp(norm, fault_ud.abs[i])) {
			e = f->err;
			break;
		}
		if (op == RC_FAULT_LSTAT)
			continue; /* lstat is about the link itself */
		if (have_real < 0)
			have_real = realpath(path, real) != NULL;
		if (have_real && fault_ud.real[i] && !strcmp(real, fault_ud.real[i]))
			e = f->err;
	}
	free(norm);
	return e;
}

static int fault_stat(void *ud, const char *path, struct stat *st)
{
	int e = fault_for(path, RC_FAULT_STAT);

	return e ? e : ord_fs_posix.stat(ud, path, st);
}

static int fault_lstat(void *ud, const char *path, struct stat *st)
{
	int e = fault_for(path, RC_FAULT_LSTAT);

	return e ? e : ord_fs_posix.lstat(ud, path, st);
}

static int fault_read(void *ud, const char *path, size_t cap, ord_buf *out,
		      int *truncated)
{
	int e = fault_for(path, RC_FAULT_READ);

	if (e) {
		*truncated = 0;
		return e;
	}
	return ord_fs_posix.read(ud, path, cap, out, truncated);
}

static int fault_list(void *ud, const char *path,
		      int (*fn)(void *arg, const char *name), void *arg)
{
	int e = fault_for(path, RC_FAULT_LIST);

	return e ? e : ord_fs_posix.list(ud, path, fn, arg);
}

static int fault_write(void *ud, const char *path, const void *data,
		       size_t len)
{
	int e = fault_for(path, RC_FAULT_WRITE);

	if (e)
		return e;
	return ord_fs_posix.write ? ord_fs_posix.write(ud, path, data, len) : ENOSYS;
}

/* fix --apply's rewrite is a write too: `Fault: write` covers it */
static int fault_rewrite(void *ud, const char *path, const void *expect, size_t expect_len,
			 const void *data, size_t len, const char *backup)
{
	int e = fault_for(path, RC_FAULT_WRITE);

	if (e)
		return e;
	return ord_fs_posix.rewrite ? ord_fs_posix.rewrite(ud, path, expect, expect_len, data, len, backup) :
				      ENOSYS;
}

static const ord_fs_ops fault_ops = {
	.stat = fault_stat,
	.lstat = fault_lstat,
	.read = fault_read,
	.list = fault_list,
	.write = fault_write,
	.rewrite = fault_rewrite,
};

/* Called in the command child, after the layout. */
const ord_fs_ops *rc_fault_fs(rc_run *r, void **ud)
{
	size_t i;
	char real[PATH_MAX];

	*ud = NULL;
	if (!r->c->nfaults)
		return NULL;
	fault_ud.c = r->c;
	fault_ud.abs = rc_xmalloc(r->c->nfaults * sizeof(char *));
	fault_ud.real = rc_xmalloc(r->c->nfaults * sizeof(char *));
	for (i = 0; i < r->c->nfaults; i++) {
		fault_ud.abs[i] = rc_normalize_path(r->root, r->c->faults[i].path);
		fault_ud.real[i] = realpath(fault_ud.abs[i], real) ? rc_xstrdup(real) : NULL;
	}
	return &fault_ops;
}
