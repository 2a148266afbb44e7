/* ctx: everything libordoctor knows about the world outside the process.
 *
 * The library never calls getenv(), never prints and never exits (the idea
 * of pkgconf's client context).  The caller (cli/, the test runner, a fuzz
 * target) fills an ord_ctx with the environment, the home and working
 * directories, a clock and a file-access table, and collects the warnings
 * the library raised.  Tests replace the file table to inject faults that
 * root could not otherwise provoke (EACCES on a file root can read).
 */
#ifndef ORD_CTX_H
#define ORD_CTX_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"

/* Default cap on any one configuration-like file we read. */
#define ORD_FILE_CAP (1024 * 1024)

typedef struct ord_ctx ord_ctx;
struct ord_http_req;  /* lib/http.h */
struct ord_http_resp;

/* File access, replaceable by tests.  Every function returns 0 or an errno
 * value; none of them blocks on FIFOs or devices. */
typedef struct ord_fs_ops {
	/* stat() following links. */
	int (*stat)(void *ud, const char *path, struct stat *st);
	/* lstat(). */
	int (*lstat)(void *ud, const char *path, struct stat *st);
	/* Read at most cap bytes of a regular file into out; *truncated is
	 * set when the file is larger.  Non-regular files give EINVAL
	 * (directories EISDIR). */
	int (*read)(void *ud, const char *path, size_t cap, ord_buf *out,
		    int *truncated);
	/* Call fn for each entry name of a directory (not . or ..); stops
	 * early when fn returns non-zero. */
	int (*list)(void *ud, const char *path,
		    int (*fn)(void *arg, const char *name), void *arg);
	/* Replace a small file atomically (temporary file + rename), mode
	 * 0600, creating missing parent directories (0700).  Used only for
	 * ordoctor's own cache; may be NULL (then nothing is written). */
	int (*write)(void *ud, const char *path, const void *data, size_t len);
	/* Replace an existing regular file of the user's with data
	 * atomically (temporary file in its directory, fsync, rename),
	 * keeping its mode and owner, after copying it to backup (created,
	 * never overwritten: EEXIST).  EAGAIN when the file no longer holds
	 * expect.  Used only by `fix --apply`; may be NULL (ENOSYS). */
	int (*rewrite)(void *ud, const char *path, const void *expect, size_t expect_len,
		       const void *data, size_t len, const char *backup);
} ord_fs_ops;

typedef struct ord_warning {
	char *text;   /* one line, no trailing newline */
} ord_warning;

struct ord_ctx {
	char **env;            /* NAME=value, NULL-terminated; owned (copied) */
	size_t env_len;
	char *home;            /* the HOME being inspected (--home wins) */
	char *cwd;             /* working directory being inspected */
	char *etc;             /* system configuration directory (/etc) */
	const ord_fs_ops *fs;
	void *fs_ud;
	time_t (*now)(void *ud);
	void *now_ud;
	/* Wait that long (seconds); tests replace it so nothing really waits. */
	void (*sleep)(void *ud, double seconds);
	void *sleep_ud;
	int verbose;
	/* Keys that come from a command (lib/helper.h): run them only when
	 * the user asked (--run-helpers).  run is the process runner
	 * (ord_run_posix); tests may replace it. */
	int run_helpers;
	int (*run)(void *ud, char *const argv[], char *const envp[], double timeout,
		   ord_buf *out, int *status);
	void *run_ud;

	ord_warning *warnings;
	size_t nwarnings;
	size_t warnings_cap;

	/* network: lib/http (issue 3).  Defaults are set by ord_ctx_init;
	 * the caller (cli/) copies --api-base, --timeout and --offline here.
	 * ord_ctx_release frees the shared connection pool; a caller that is
	 * done with the network sooner may free it with ord_http_release
	 * (lib/http.h). */
	const char *api_base;  /* borrowed; NULL = https://openrouter.ai/api/v1 */
	double timeout;        /* seconds for any one network operation (10) */
	int offline;           /* no network at all: every request fails */
	/* The transport: NULL means libcurl (ord_http_perform_curl).  Tests
	 * replace it to serve canned answers; it must fill every response. */
	int (*perform)(ord_ctx *ctx, const struct ord_http_req *reqs,
		       struct ord_http_resp *resps, size_t n);
	void *perform_ud;
	void *http_multi;      /* lib/http's curl multi handle (lazy) */
	/* Set by lib/http along with http_multi: ctx sits below http, so
	 * ord_ctx_release can only free the pool through this. */
	void (*http_release)(ord_ctx *ctx);
	/* end of network block */
};

/* envp may be NULL.  home NULL means $HOME from envp; cwd NULL means "/".
 * Returns 0 or ENOMEM. */
int ord_ctx_init(ord_ctx *ctx, char *const *envp, const char *home,
		 const char *cwd);
void ord_ctx_release(ord_ctx *ctx);

/* The POSIX implementation of ord_fs_ops (ud unused). */
extern const ord_fs_ops ord_fs_posix;

/* The value of NAME in the injected environment, or NULL when unset.
 * An empty value is returned as "" (set but empty is a fact we report). */
const char *ord_env_get(const ord_ctx *ctx, const char *name);
/* Set or replace NAME (used by tests and by `--home`-style overrides). */
int ord_env_set(ord_ctx *ctx, const char *name, const char *value);

time_t ord_now(const ord_ctx *ctx);
/* Wait `seconds` through ctx->sleep (nanosleep by default); <= 0: no wait. */
void ord_sleep(const ord_ctx *ctx, double seconds);

/* Record a warning: one lowercase line that quotes its subject, such as
 * "cannot read '/x/.env': Permission denied".  Never include a secret. */
void ord_warn(ord_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Convenience wrappers around ctx->fs. */
int ord_read_file(ord_ctx *ctx, const char *path, size_t cap, ord_buf *out,
		  int *truncated);
int ord_stat(ord_ctx *ctx, const char *path, struct stat *st);
int ord_lstat(ord_ctx *ctx, const char *path, struct stat *st);
int ord_list_dir(ord_ctx *ctx, const char *path,
		 int (*fn)(void *arg, const char *name), void *arg);
/* The entries of a directory, sorted by name (so output is the same on
 * every file system), those ending in `suffix` when it is not NULL; at
 * most `max`.  Free with ord_names_free.  Returns 0 or an errno value. */
int ord_list_dir_sorted(ord_ctx *ctx, const char *path, const char *suffix,
			size_t max, char ***names, size_t *n);
void ord_names_free(char **names, size_t n);
/* ENOSYS when the file table has no write operation. */
int ord_write_file(ord_ctx *ctx, const char *path, const void *data,
		   size_t len);

/* ctx->fs->rewrite; ENOSYS when the file table has none. */
int ord_rewrite_file(ord_ctx *ctx, const char *path, const void *expect, size_t expect_len,
		     const void *data, size_t len, const char *backup);

/* Cut the last component of an absolute directory path in place
 * ("/a/b" -> "/a", "/a" -> "/"); returns 0 when dir was already "/". */
int ord_path_up(char *dir);
/* The nearest directory at or above the working directory that holds
 * .git (malloc'd), or NULL outside a repository. */
char *ord_git_root(ord_ctx *ctx);
/* Join a directory and a relative path into a new malloc'd string. */
char *ord_path_join(const char *dir, const char *rel);
/* Expand a leading "~/" against ctx->home; returns malloc'd string. */
char *ord_path_home(const ord_ctx *ctx, const char *rel);

#endif
