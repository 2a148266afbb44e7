/* rcfile: find environment assignments in shell startup files. */
#ifndef ORD_RCFILE_H
#define ORD_RCFILE_H

#include "assign.h"

typedef enum ord_rc_dialect {
	ORD_RC_SH,          /* bash, zsh, sh, ~/.profile: export/declare/typeset */
	ORD_RC_FISH,        /* set -gx NAME value, set -Ux … */
	ORD_RC_CSH,         /* setenv NAME value */
	ORD_RC_ENVIRONMENT, /* /etc/environment, environment.d/ *.conf: NAME=value */
} ord_rc_dialect;

/* Reports every assignment of a variable (exported or not, since a later
 * "export NAME" or `set -a` may export it), with its line, in file order,
 * duplicates included.  Returns 0, what fn returned (non-zero stops), or
 * ENOMEM; EINVAL for a bad argument.
 *
 * What counts as an assignment:
 *   sh    NAME=v (several per line; before a command word it only reaches
 *         that command, so it is flagged CONDITIONAL); export/declare/
 *         typeset/readonly NAME=v (EXPORT for export, -x, not for -n/+x;
 *         readonly is reported unexported; local is ignored: function
 *         scope); "export NAME" alone is not one.  NAME=(…) arrays, NAME+=v
 *         and NAME[i]=v are skipped.
 *   fish  set [-g|-U|-x|-u|--export|--global|--universal] NAME [v…], the
 *         values joined by one space; set -e/-q/-n/-a/-p/-l/-f/-S are not
 *         assignments; "export NAME=v" and "NAME=v cmd" as in sh.
 *   csh   setenv NAME [v] (EXPORT); set NAME=v, set NAME = v (not exported).
 *   environment  NAME=value per systemd's env-file reader (environment.d):
 *         quotes anywhere in the value, concatenated; backslash escapes;
 *         trailing blanks dropped; CR ends a line (the value keeps no CR,
 *         ORD_ASSIGN_CRLF still says the file has them); '#' only at line
 *         start; $X ${X} ${X:-d} flagged as references.  "export NAME=v" is
 *         accepted as pam_env does.  Always flagged EXPORT.
 *
 * Shell words are decoded as the shell would: '…' literal (fish: \' \\),
 * "…" with \" \\ \$ \` and backslash-newline, $'…' C escapes (bash/zsh),
 * backslash outside quotes (fish: \n \t \xHH … too), concatenation.  A
 * word ends at unquoted blank, newline, ; & | < > and, outside fish, ( ).
 * A CR before LF stays in the value, as bash keeps it (ORD_ASSIGN_CRLF);
 * fish reads an unquoted CR as a blank, so there it ends the word.
 * $X ${…} $((…)) are kept as written (EXPANSION); $(…), `…` and fish (…) are
 * kept as written (COMMAND_SUBST).  Heredoc bodies are skipped.
 *
 * CONDITIONAL: inside if/while/until/for/select/case/function bodies and
 * (…) subshells, after && or || (even across a newline), after | (subshell),
 * fish and/or, csh one-line "if (…) cmd".  Limits, by choice: the command
 * before a | and "cmd &" are not flagged; a { … } group is flagged only as a
 * function body or after &&/||; source/. files, eval strings, aliases and
 * `set -a` are not followed; declaration words written with quotes
 * (export "A=1") are not recognised; heredocs inside $(…) are not seen.
 *
 * Errors (err, never quoting the file): an unterminated quote, $(…), ${…},
 * backquote or array/arithmetic parenthesis.  The assignment is still
 * reported with UNTERMINATED, its value cut at the end of that line, and
 * parsing resumes on the next line; after 64 of these that ran to the end of
 * the file the rest is skipped (to stay linear).  csh quotes end at the line.
 * A UTF-8 byte order mark is reported: the shell reads it as part of the
 * first word; fish skips it, and so does the fish dialect (no err).  Ordinary commands are ignored silently. */
/* The last line of a bash start-up file's interactive-only guard (`case $-
 * in … *) return;; esac`, `[ -z "$PS1" ] && return`), its first in *start:
 * a non-interactive shell stops there.  0 when the file has none
 * (lib/rcguard.c). */
unsigned ord_rc_interactive_guard(const char *data, size_t len, unsigned *start);

int ord_rc_parse(const char *data, size_t len, ord_rc_dialect dialect,
		 ord_assign_fn fn, ord_parse_error_fn err, void *arg);

#endif
