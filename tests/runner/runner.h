/* The scenario runner: one tests/cases/NAME.case file = one scenario.
 *
 * The format is documented in tests/cases/README.md.  The pieces:
 *   case.c   parsing a case file into an rc_case
 *   util.c   allocation helpers, the fixture keys file, word splitting,
 *            C escapes, @...@ substitution
 *   setup.c  laying out the case root, the fault-injecting file table,
 *            removing the root
 *   exec.c   the mock child, the command child (in-process or execve),
 *            reading what it printed
 *   check.c  text assertions, the secret check, the failure report
 *   json.c   JSON paths and conditions (json.h)
 *   jsonassert.c  the Json/Json-Any/Json-None forms, parsing stdout
 *   selftest.c  `--self-test`: checks of the runner's own engine
 *   runner.c main(): options, the loop over case files, the summary line
 *
 * Only runner.c and case.c are listed in tests/meson.build; runner.c
 * includes the other .c files (one translation unit each way is fine, and
 * ninja's depfiles track the includes).
 */
#ifndef ORD_RUNNER_H
#define ORD_RUNNER_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "cli/cli.h"

/* ---- small helpers (util.c) ------------------------------------------- */

typedef struct rc_strv {
	char **v;
	size_t n, cap;
} rc_strv;

void rc_strv_push(rc_strv *sv, char *s);     /* takes ownership */
void rc_strv_free(rc_strv *sv);
void *rc_xmalloc(size_t n);
void *rc_xrealloc(void *p, size_t n);
char *rc_xstrdup(const char *s);
char *rc_xstrndup(const char *s, size_t n);
char *rc_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- fixture keys ------------------------------------------------------ */

typedef struct rc_key {
	char *name;
	char *value;
} rc_key;

typedef struct rc_keys {
	rc_key *v;
	size_t n;
} rc_keys;

/* Load "NAME VALUE" lines; returns 0 or -1 with *err set (malloc'd). */
int rc_keys_load(rc_keys *keys, const char *path, char **err);
void rc_keys_add(rc_keys *keys, const char *name, const char *value);
const char *rc_keys_get(const rc_keys *keys, const char *name);
void rc_keys_free(rc_keys *keys);
/* Add every literal "sk-or-v1-" + 64 lowercase hex found in text, named
 * LITERAL_<line>, unless an equal value is already present. */
void rc_keys_add_literals(rc_keys *keys, const char *text);

/* ---- the parsed case --------------------------------------------------- */

enum rc_step_kind {
	RC_STEP_FILE,
	RC_STEP_FILE_RAW,
	RC_STEP_MKDIR,
	RC_STEP_SYMLINK,
	RC_STEP_SPARSE,
	RC_STEP_CHMOD,
	RC_STEP_FIXTURE,  /* copy tests/fixtures/<path> into the root */
};

typedef struct rc_step {
	int kind;
	int line;
	char *path;       /* relative to the case root */
	char *body;       /* File/File-Raw body, Symlink target */
	long long size;   /* Sparse */
	unsigned mode;    /* Chmod */
} rc_step;

enum {
	RC_FAULT_READ = 1,
	RC_FAULT_STAT = 2,
	RC_FAULT_LSTAT = 4,
	RC_FAULT_LIST = 8,
	RC_FAULT_WRITE = 16,
};

typedef struct rc_fault {
	int ops;          /* RC_FAULT_* mask */
	char *path;       /* relative to the case root */
	int err;
} rc_fault;

enum rc_assert_kind {
	RC_A_EXIT,
	RC_A_STDOUT_CONTAINS,
	RC_A_STDOUT_NOT_CONTAINS,
	RC_A_STDERR_CONTAINS,
	RC_A_STDERR_NOT_CONTAINS,
	RC_A_STDOUT_MATCHES,
	RC_A_STDERR_MATCHES,
	RC_A_STDOUT_NOT_MATCHES,
	RC_A_STDERR_NOT_MATCHES,
	RC_A_STDOUT_LINES,
	RC_A_STDERR_LINES,
	RC_A_JSON,
	RC_A_JSON_ANY,
	RC_A_JSON_NONE,
	RC_A_MOCK_REQUEST,
	RC_A_MOCK_NO_REQUEST,
	RC_A_MOCK_REQUESTS,
	RC_A_FILE_CONTAINS,
	RC_A_FILE_NOT_CONTAINS,
	RC_A_FILE_MISSING,
};

typedef struct rc_assert {
	int kind;
	int line;
	const char *directive;   /* as spelled in the format, for messages */
	char *text;
} rc_assert;

typedef struct rc_case {
	char *file;           /* path of the .case file ("" for self-test) */
	char *name;
	char *text;           /* the whole file, for the literal-key scan */
	char *error;          /* parse error, or NULL */

	int has_command;
	rc_strv words;        /* Command, split, not yet substituted */
	rc_strv env;          /* NAME=value in order (raw values decoded) */
	rc_strv env_unset;
	char *cwd;            /* relative to the root; default "work" */
	rc_step *steps;
	size_t nsteps;
	rc_fault *faults;
	size_t nfaults;
	/* Key-File: files the command is meant to write a key into (fix
	 * --apply and its backups), left out of the secret check; a final
	 * '*' matches any ending */
	rc_strv key_files;
	char *stdin_body;     /* NULL: /dev/null; substituted at run time */
	int stdin_raw;        /* Stdin-Raw: decode escapes after substitution */
	int has_mock;
	char *mock_keys;      /* body of Mock-Keys ("" when only Mock-Args) */
	rc_strv mock_args;    /* split, not yet substituted */
	int timeout;          /* seconds */
	int exec;             /* Exec: yes */
	int has_now;
	time_t now;
	rc_assert *asserts;
	size_t nasserts;
} rc_case;

/* Parse text (NUL-terminated) as a case named after file.  Never fails as
 * such: a malformed case comes back with ->error set. */
rc_case *rc_case_parse(const char *file, const char *text);
rc_case *rc_case_load(const char *file);
void rc_case_free(rc_case *c);

/* Split a Command/Mock-Args value into words.  Returns 0 or -1 (*err). */
int rc_split_words(const char *s, rc_strv *out, char **err);
/* Decode \n \r \t \\ \xHH \0 (and \" \e).  Returns the decoded length or
 * -1 with *err set. */
long rc_decode_escapes(const char *in, char **out, char **err);

/* ---- one run of one case ----------------------------------------------- */

typedef int (*rc_main_fn)(int argc, char **argv, char **envp, FILE *in,
			  FILE *out, FILE *err, const ord_cli_hooks *hooks);

typedef struct rc_opts {
	const char *binary;   /* --binary, or NULL */
	int keep, verbose;
	rc_main_fn main_fn;   /* ord_cli_main_ex unless the self-test says */
} rc_opts;

typedef struct rc_file {
	char *path;           /* relative to the root */
	struct timespec mtime;
	off_t size;
} rc_file;

typedef struct rc_run {
	const rc_case *c;
	const rc_opts *o;
	rc_keys keys;         /* fixture keys + the case's literal keys */
	char *root, *home, *work, *mock_url;
	char *fail;           /* first failure, malloc'd */

	pid_t mock_pid;
	int mock_started;
	char *out, *err, *mock_log, *mock_err;
	size_t out_len, err_len, mock_log_len, mock_err_len;
	int ran;              /* the command ran and was reaped */
	int exit_code;        /* valid when ran && !signaled */
	int signaled;
	int timed_out;
	double seconds;

	/* Every regular file of the root before the command (rc_snapshot),
	 * to find the files it wrote. */
	struct rc_file *files;
	size_t nfiles;

	void *json;           /* parsed stdout (json_object *), lazily */
	char *json_error;
	int json_tried;
} rc_run;

/* Set r->fail unless already set (first failure wins). */
void rc_failf(rc_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Substitute @ROOT@ @HOME@ @WORK@ @MOCK@ @KEY:NAME@; NULL + rc_failf on
 * an unknown key or @MOCK@ without a mock. */
char *rc_subst(rc_run *r, const char *in);

/* setup.c */
int rc_setup_root(rc_run *r);
int rc_layout(rc_run *r);
void rc_remove_tree(const char *path);
const ord_fs_ops *rc_fault_fs(rc_run *r, void **ud);
int rc_errno_from_name(const char *name);
char *rc_normalize_path(const char *base, const char *path);

/* exec.c */
/* Process groups of the children now running (mock, command), killed by
 * the runner's SIGINT/SIGTERM handler. */
extern volatile pid_t rc_live_groups[2];
int rc_mock_start(rc_run *r);
void rc_mock_stop(rc_run *r);
int rc_run_command(rc_run *r);
char *rc_read_file(const char *path, size_t *len, size_t cap);
/* Is e (NAME=value) one of libfaketime's variables, the only part of the
 * runner's environment that reaches a case (make test-timeshift)? */
int rc_faketime_var(const char *e);

/* check.c */
void rc_check_asserts(rc_run *r);
void rc_check_secrets(rc_run *r);
/* Remember the root's files before the command runs. */
void rc_snapshot(rc_run *r);
/* The output gate's other promises, on every case: stdout, stderr and the
 * mock's request log are valid UTF-8 (no surrogates, no overlong forms)
 * and hold no control character but tab and newline. */
void rc_check_clean(rc_run *r);
/* Print the captured stdout/stderr (and mock stderr) indented, every key
 * of r->keys replaced with [FIXTURE KEY NAME]. */
void rc_print_captured(rc_run *r, FILE *f);
/* A copy of buf with every key replaced with [FIXTURE KEY NAME]. */
char *rc_redact(const rc_keys *keys, const char *buf, size_t len,
		size_t *outlen);
/* The first key of keys that occurs in buf in full, or NULL. */
const rc_key *rc_leak_find(const rc_keys *keys, const char *buf, size_t len);
size_t rc_count_lines(const char *buf, size_t len);

/* json.c */
/* Evaluate one Json/Json-Any/Json-None assertion text (already
 * substituted) against doc (json_object *).  Returns 1 when it holds, 0
 * when not (*why set), -1 on a syntax error (*why set). */
int rc_json_assert(int kind, const char *text, void *doc, char **why);
/* Parse stdout as one JSON document, or as JSON lines (an array). */
void *rc_json_parse_output(const char *buf, size_t len, char **err);
void rc_json_put(void *doc);

/* runner.c: run one parsed case; prints "ok   NAME" / "FAIL NAME: ..."
 * (and the captured output) on f; returns 1 when it passed. */
int rc_run_case(const rc_case *c, const rc_keys *fixture, const rc_opts *o,
		FILE *f);

/* selftest.c */
int rc_self_test(void);

#endif
