/* helper: keys that come from a command (issue 17, item 5).
 *
 * `export OPENROUTER_API_KEY=$(pass show openrouter)`, Claude Code's
 * `apiKeyHelper`, a 1Password `op://vault/item/field` reference: the key
 * exists, as the output of a command.  Without --run-helpers ordoctor names
 * the command and never says "no key".  With it (ctx->run_helpers), the
 * command runs once, with a timeout, and its output is the key.
 *
 * A command is never handed to a shell: its text is split into words here
 * and executed directly (ctx->run).  Text that needs a shell to mean what
 * it says (a pipe, a redirection, `$VAR`, a glob, `;`, `&&`, a nested
 * `$(…)`) is not run: ord_helper_run says why, and the user runs it.  That
 * keeps a file's contents from ever becoming shell code of ours.
 */
#ifndef ORD_HELPER_H
#define ORD_HELPER_H

#include "buf.h"
#include "ctx.h"
#include "source.h"

/* Seconds a helper may take when ctx->timeout is not set; otherwise
 * --timeout applies (1Password's `op` may wait for a desktop unlock; a
 * prompt that never comes must not hang a check). */
#define ORD_HELPER_TIMEOUT 10.0
/* Bytes of a helper's output kept: a key is ~73; the rest is noise. */
#define ORD_HELPER_OUT_CAP 65536

/* The command inside a value that is one `$(…)` or `…` substitution,
 * optionally quoted ("$(pass show x)"): a malloc'd copy, or NULL. */
char *ord_helper_subst_command(const char *value, size_t len);

/* The command that reads an op:// reference (`op read op://v/i/f`, also
 * inside `{{ … }}`), malloc'd, or NULL when value is no reference. */
char *ord_helper_op_command(const char *value, size_t len);

/* Split cmd into words (single quotes, double quotes without expansions,
 * backslash escapes; a leading `~/` is the inspected home).  Returns 0 and
 * a NULL-terminated vector to free with ord_helper_argv_free(), or -1 and
 * *why ("it needs a shell: '|'"). */
int ord_helper_argv(const ord_ctx *ctx, const char *cmd, char ***argv, const char **why);
void ord_helper_argv_free(char **argv);

/* Run cmd (when ctx->run_helpers and ctx->run are set) and put its output,
 * trailing newlines removed, into out.  Returns 0, or -1 with a one-line
 * reason in why ("not run: it needs a shell ('|')", "exited with status
 * 1", "timed out after 15 s").  The output is a secret: out is wiped on
 * release like every ord_buf. */
int ord_helper_run(ord_ctx *ctx, const char *cmd, ord_buf *out, char *why, size_t whylen);

/* Every key hit whose value is a command's output ($(…), an op://
 * reference): with --run-helpers, run it and make the output the hit's
 * value (ORD_HIT_FROM_HELPER); otherwise, or when it fails, the note names
 * the command and why it was not read. */
void ord_helpers_apply(ord_ctx *ctx, ord_hits *hits);

/* The POSIX runner (fork, execve after a PATH search in envp, a pipe read
 * with poll until timeout, then SIGKILL to the process group).  Returns 0
 * and the exit status in *status, or an errno value (ETIMEDOUT, ENOENT). */
int ord_run_posix(void *ud, char *const argv[], char *const envp[], double timeout,
		  ord_buf *out, int *status);

#endif
