/* fishvars: fish's universal variables file, ~/.config/fish/fish_variables.
 *
 * `set -Ux NAME value` writes `SETUVAR --export NAME:value` there, and every
 * fish that starts (a terminal, `fish -c`) reads it before config.fish: an
 * exported universal variable is in the environment of whatever fish starts,
 * an unexported one (`SETUVAR NAME:value`) is not.
 */
#ifndef ORD_FISHVARS_H
#define ORD_FISHVARS_H

#include "assign.h"

/* Reports each SETUVAR line (and fish 2's SET / SET_EXPORT) as one
 * assignment, in file order, with ORD_ASSIGN_EXPORT for --export.  The value
 * is decoded as fish does: \xHH, \uHHHH, \UHHHHHHHH (as UTF-8), \\ and the
 * other backslash escapes; list elements (separated by \x1e) are joined by
 * one space, or by ':' for a --path variable, as fish exports them.  raw is
 * the value as written.  Lines fish would skip (comments, other words, no
 * ':') are skipped; a bad escape or a NUL is an error (err) and the line is
 * skipped.  Returns 0, what fn returned (non-zero stops), ENOMEM or EINVAL. */
int ord_fishvars_parse(const char *data, size_t len, ord_assign_fn fn,
		       ord_parse_error_fn err, void *arg);

#endif
