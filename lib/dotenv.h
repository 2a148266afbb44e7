/* dotenv: parse .env files the way python-dotenv and Node dotenv do. */
#ifndef ORD_DOTENV_H
#define ORD_DOTENV_H

#include "assign.h"

/* Calls fn for every assignment in file order (duplicates included: the
 * caller decides that the last one wins), err for every line it skips.
 * Handles a UTF-8 BOM, CRLF, "export ", comments, single/double/backtick
 * quotes, multi-line quoted values.  Returns 0, or what fn returned.
 *
 * The grammar is python-dotenv 1.2.4's (what a fresh pip install loads);
 * lib/dotenv.c notes where Node dotenv and older python-dotenv differ.
 * What the caller can rely on:
 * - value is what python-dotenv hands the program, before interpolation;
 *   raw is the value's bytes in the file (quotes included, no comment, no
 *   line break).  name and raw point into data; value may point into a
 *   scratch buffer that is wiped after fn returns.  None is NUL-terminated.
 * - line is where the statement starts; a multi-line value's next
 *   statement gets its own true line.  err lines are statement starts too.
 * - A bare "NAME" or "export NAME" is python-dotenv's NAME=None: nothing
 *   is set, and an earlier NAME=value of the file is dropped (load_dotenv
 *   sets nothing for NAME).  It is reported with ORD_ASSIGN_UNSET, an
 *   empty value and raw; a caller that takes the last assignment must
 *   take it as "not set".
 * - An unclosed ' or " quote: err "unterminated … quote", and the
 *   assignment is still reported with ORD_ASSIGN_UNTERMINATED, its value
 *   the rest of the line after the quote, for the linter, although
 *   python-dotenv sets nothing.  When the quote only closes on a later line
 *   and text follows it, python-dotenv drops every line up to there; so
 *   does this parser (one err, the first line's value reported the same).
 * - Backticks are Node's quoting; python-dotenv keeps them in the value,
 *   and so does value (read as unquoted text, comment rules included).
 *   ORD_ASSIGN_QUOTED_BACKTICK says Node's dotenv would strip them (the
 *   closing one ends its line, after blanks and a comment).  An unclosed
 *   backtick is unquoted text for both: no err, ORD_ASSIGN_UNTERMINATED.
 * - Other lines python-dotenv rejects (text after a closing quote, no '='
 *   after a name, "NAME: value") give one err and no assignment.
 * - ORD_ASSIGN_EXPANSION: the value holds ${NAME} or ${NAME:-default}
 *   (python-dotenv expands these, in single quotes too) or $NAME (Node's
 *   dotenv-expand and shells do; python-dotenv does not: value[1] tells).
 * - Invalid UTF-8 gives one err (python-dotenv fails to read such a file)
 *   before the assignments, which are still reported. */
int ord_dotenv_parse(const char *data, size_t len, ord_assign_fn fn,
		     ord_parse_error_fn err, void *arg);

#endif
