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

/* Calls fn per machine/default entry; macdef bodies are skipped. */
int ord_netrc_parse(const char *data, size_t len, ord_netrc_fn fn,
		    ord_parse_error_fn err, void *arg);

#endif
