/* cli: the only layer that parses argv, prints and chooses exit codes.
 *
 * ord_cli_main() is the whole program minus main(): the ordoctor binary and
 * the scenario runner (tests/runner) both call it, the runner in-process
 * with an injected environment and captured streams.
 */
#ifndef ORD_CLI_H
#define ORD_CLI_H

#include <stdio.h>

#include "lib/ctx.h"
#include "lib/gate.h"

/* Exit codes (design.md): the same whatever the output format. */
enum {
	ORD_EXIT_OK = 0,        /* no problem found */
	ORD_EXIT_PROBLEM = 1,   /* a problem found */
	ORD_EXIT_USAGE = 2,     /* usage or internal error */
	ORD_EXIT_UNDECIDED = 3, /* could not decide (offline, network down) */
};

typedef enum ord_format { ORD_FMT_TEXT, ORD_FMT_JSON, ORD_FMT_MARKDOWN } ord_format;

typedef struct ord_cli {
	ord_ctx ctx;
	/* out and err are the output gate's streams (lib/gate.h): every byte
	 * printed through them is scrubbed of keys, control characters and
	 * invalid UTF-8.  The descriptors below them are for isatty() and for
	 * handing to a child (run), never for writing. */
	FILE *in, *out, *err;
	ord_gate *gout, *gerr;
	int out_fd, err_fd;
	char **envp;          /* the environment given to ord_cli_main */
	ord_format format;
	const char *format_opt; /* how the format was asked for: "--json", "markdown" */
	int color;            /* ANSI colours on out */
	int quiet, verbose;
	int offline;
	int no_state;         /* --no-state: no last good state read or written */
	int run_helpers;      /* --run-helpers: run the commands keys come from */
	double timeout;       /* seconds, for every network operation */
	const char *api_base; /* --api-base / ORDOCTOR_API_BASE, or NULL */
	int api_base_opt;     /* it came from --api-base */
	const char *home;     /* --home */
	const char *etc;      /* --etc: another system's /etc (a container image) */
	const char *ha_config;/* --ha-config (issue 4) */
	const char *argv0;
	const char *chdir_arg;/* -C DIR as typed */
	char *chdir;          /* -C DIR made absolute: the working directory inspected */
	char *paths[16];      /* ord_cli_path's results, freed at exit */
	size_t npaths;
} ord_cli;

/* The formats a command can print (ord_cmd.formats). */
#define ORD_FMTS_TEXT (1u << ORD_FMT_TEXT)
#define ORD_FMTS_JSON (1u << ORD_FMT_JSON)
#define ORD_FMTS_MARKDOWN (1u << ORD_FMT_MARKDOWN)

typedef struct ord_cmd {
	const char *name;
	int (*run)(ord_cli *cli, int argc, char **argv);
	const char *summary;
	unsigned formats;     /* ORD_FMTS_*: any other --format is refused */
} ord_cmd;

int ord_cli_main(int argc, char **argv, char **envp, FILE *in, FILE *out,
		 FILE *err);

/* What the scenario runner may replace: the file-access table (to inject
 * faults such as EACCES, which root cannot otherwise provoke) and the
 * clock.  NULL members keep the defaults. */
typedef struct ord_cli_hooks {
	const ord_fs_ops *fs;
	void *fs_ud;
	time_t (*now)(void *ud);
	void *now_ud;
} ord_cli_hooks;

int ord_cli_main_ex(int argc, char **argv, char **envp, FILE *in, FILE *out,
		    FILE *err, const ord_cli_hooks *hooks);

/* cli/util.c: what the commands and the mock share. */

/* Print "ordoctor: <msg>" on stderr; returns ORD_EXIT_USAGE.  Like every
 * output it passes the gate, so a key typed where it does not belong is
 * never echoed whole. */
int ord_cli_usage_error(ord_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print every warning the library raised, "warning: …", on stderr. */
void ord_cli_flush_warnings(ord_cli *cli);
/* "warning: talking to URL, not OpenRouter" when --api-base names another
 * endpoint (not offline, not quiet). */
void ord_cli_warn_api_base(ord_cli *cli);
/* "warning: … reachable from the network" when url (http://HOST:PORT, as
 * bound) is not a loopback address; what names the server. */
void ord_cli_warn_listen(ord_cli *cli, const char *what, const char *url);
/* Colour helpers: return "" when colour is off. */
const char *ord_c(const ord_cli *cli, const char *ansi);
#define ORD_C_RESET "\033[0m"
#define ORD_C_BOLD "\033[1m"
#define ORD_C_DIM "\033[2m"
#define ORD_C_RED "\033[31m"
#define ORD_C_GREEN "\033[32m"
#define ORD_C_YELLOW "\033[33m"
#define ORD_C_CYAN "\033[36m"

/* Parse "--name=value" / "--name value" at argv[*i]; returns the value or
 * NULL when argv[*i] is not that option.  Advances *i past a separate
 * value. */
const char *ord_opt_value(int argc, char **argv, int *i, const char *name);

/* A path the user typed, as seen from the inspected working directory
 * (-C DIR): absolute paths are kept, relative ones are joined to
 * cli->ctx.cwd.  Returns a string owned by cli (freed at exit) or p. */
/* One markdown table row: "| a | b |\n", each cell with '|' escaped and
 * line breaks turned into blanks (a path or a message may hold either, and
 * would break the table). */
void ord_cli_md_row(FILE *out, size_t ncells, ...);
const char *ord_cli_path(ord_cli *cli, const char *p);
/* Text wrapping (COLUMNS, else the terminal's width, else 80): head, then
 * text word-wrapped with continuation lines indented by indent columns. */
int ord_cli_width(ord_cli *cli);
int ord_cli_term_width(ord_cli *cli); /* 0: not a terminal, no COLUMNS */
size_t ord_cli_cols(const char *s, size_t n);
void ord_cli_wrap(ord_cli *cli, const char *head, size_t indent, const char *text);

/* cli/util.c: the last good state around a judged diagnosis (unless
 * --no-state or --home): a clean check of the whole machine records it (when
 * `record`), any other outcome gets d->since, what changed since. */
struct ord_diag;
void ord_cli_last_state(ord_cli *cli, struct ord_diag *d, int record);

/* cli/help.c: `CMD --help`, `help CMD`; an unknown option with the nearest
 * known one ("keys: unknown option '--sacn' (did you mean '--scan'?)"). */
int ord_cli_help(ord_cli *cli, const char *cmd);
int ord_cli_unknown_option(ord_cli *cli, const char *cmd, const char *arg);
/* cli/tool.c: a --tool value, any case, checked against the profiles
 * before anything runs; the canonical id is copied to out.  Returns 0 or
 * prints "unknown tool 'X' (did you mean 'Y'?)" and returns ORD_EXIT_USAGE. */
int ord_cli_tool_id(ord_cli *cli, const char *given, char *out, size_t cap);

/* cli/context.c: --context ID (check, tools): replace the environment by
 * what that start context would start a tool with; label gets its name.
 * Returns 0, ORD_EXIT_USAGE for an unknown id (with the nearest one), or
 * ORD_EXIT_UNDECIDED when the context's files cannot tell. */
int ord_cli_context(ord_cli *cli, const char *id, char *label, size_t cap);

/* cli/suggest.c: edit distance (with swaps, case-insensitive) and the
 * nearest of n candidates, or NULL when none is near. */
size_t ord_edit_distance(const char *a, const char *b);
const char *ord_suggest(const char *word, const char *const *cands, size_t n);

/* One function per command (cli/cmd_*.c). */
int cmd_check(ord_cli *cli, int argc, char **argv);
int cmd_keys(ord_cli *cli, int argc, char **argv);
int cmd_tools(ord_cli *cli, int argc, char **argv);
int cmd_mock(ord_cli *cli, int argc, char **argv);
int cmd_verify(ord_cli *cli, int argc, char **argv);
int cmd_explain(ord_cli *cli, int argc, char **argv);
int cmd_proxy(ord_cli *cli, int argc, char **argv);
int cmd_run(ord_cli *cli, int argc, char **argv);
int cmd_probe(ord_cli *cli, int argc, char **argv);
int cmd_env(ord_cli *cli, int argc, char **argv);
int cmd_report(ord_cli *cli, int argc, char **argv);
int cmd_fix(ord_cli *cli, int argc, char **argv);

#endif
