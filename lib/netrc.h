/* netrc: parse ~/.netrc (the format curl and python-requests read). */
#ifndef ORD_NETRC_H
#define ORD_NETRC_H

#include <stddef.h>

#include "assign.h"

typedef struct ord_netrc_entry {
	const char *machine; /* NULL for "default" */
	const char *login;   /* may be NULL */
	const char *password;/* may be NULL; a secret */
	unsigned line;       /* line of the machine/default token */
} ord_netrc_entry;

typedef int (*ord_netrc_fn)(void *arg, const ord_netrc_entry *e);

/* Calls fn per machine/default entry, in file order, when the entry ends
 * (the next machine/default/macdef or the end of the file); the strings are
 * NUL-terminated and valid only during the call.  macdef bodies (up to an
 * empty line) are skipped.  "user" is read as "login" (Python does), and
 * account is read but not reported.  Which entry wins is the caller's rule:
 * Python keeps the last one for a host, curl the first.  Returns 0, what fn
 * returned (non-zero stops), ENOMEM, or EINVAL for a bad argument.
 *
 * err (never quoting a token): a token outside any entry or an unknown
 * keyword inside one (Python rejects the whole file then, so requests uses
 * no netrc at all, while curl carries on), a missing machine name or value,
 * an unterminated quote, a macdef without its empty line. */
int ord_netrc_parse(const char *data, size_t len, ord_netrc_fn fn,
		    ord_parse_error_fn err, void *arg);

#endif
