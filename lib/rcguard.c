/* rcguard: the line where a bash start-up file stops for non-interactive
 * shells.  Debian's and Ubuntu's default ~/.bashrc begins with
 *
 *     case $- in
 *         *i*) ;;
 *           *) return;;
 *     esac
 *
 * and others write `[ -z "$PS1" ] && return` or `[[ $- != *i* ]] && return`.
 * A shell started by cron, a systemd unit, an IDE task or `bash -c` returns
 * there, so an export below it exists only in interactive terminals.  The
 * simulation in rcfile.c reads every line as if it ran; this finds the guard
 * so that the exports below it can be told apart.
 *
 * Written by hand, line by line: the forms are a handful of fixed idioms at
 * the start of a line, compared with blanks and quotes removed; a shell
 * parser would not make them more certain. */
#include <string.h>

#include "rcfile.h"

/* The line with blanks and quotes removed, at most cap-1 bytes. */
static size_t compact(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < cap; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '"' && s[i] != '\'' && s[i] != '\r')
			out[o++] = s[i];
	out[o] = '\0';
	return o;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t l = strlen(suffix);
	return n >= l && !memcmp(s + n - l, suffix, l);
}

/* `[ -z "$PS1" ] && return`, `[[ $- != *i* ]] && return`,
 * `[ -n "$PS1" ] || return`, `test -z "$PS1" && return` */
static int test_guard(const char *c, size_t n)
{
	int about_interactive = strstr(c, "$PS1") || strstr(c, "${PS1") || strstr(c, "$-");

	if (!about_interactive || !(c[0] == '[' || !strncmp(c, "test", 4)))
		return 0;
	return ends_with(c, n, "&&return") || ends_with(c, n, "||return") ||
	       ends_with(c, n, "&&return0") || ends_with(c, n, "||return0") ||
	       ends_with(c, n, "&&return;") || ends_with(c, n, "||return;");
}

unsigned ord_rc_interactive_guard(const char *data, size_t len, unsigned *start)
{
	size_t i = 0;
	unsigned line = 0, case_line = 0, returns = 0;
	char c[256];

	while (i < len) {
		size_t e = i, n;

		while (e < len && data[e] != '\n')
			e++;
		line++;
		/* only at the start of a line: an indented one may sit in a
		 * function or a block that does not always run */
		n = compact(data + i, e - i, c, sizeof(c));
		if (case_line) {
			if (!strncmp(c, "*)return", 8))
				returns = 1;
			else if (!strcmp(c, "esac") || !strcmp(c, "esac;")) {
				if (returns) {
					*start = case_line;
					return line;
				}
				case_line = 0;
			} else if (line - case_line > 8)
				case_line = returns = 0;
		} else if (i < len && data[i] != ' ' && data[i] != '\t') {
			if (!strcmp(c, "case$-in"))
				case_line = line;
			else if ((!strncmp(c, "case$-in", 8) && strstr(c, "*)return") && ends_with(c, n, "esac")) ||
				 test_guard(c, n)) {
				*start = line; /* one line */
				return line;
			}
		}
		i = e + 1;
	}
	return 0;
}
