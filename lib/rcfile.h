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
 * "export NAME" or `set -a` may export it), with its line. */
int ord_rc_parse(const char *data, size_t len, ord_rc_dialect dialect,
		 ord_assign_fn fn, ord_parse_error_fn err, void *arg);

#endif
