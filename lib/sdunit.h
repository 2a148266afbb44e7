/* sdunit: the environment a systemd unit file gives its service:
 * `Environment=` and `EnvironmentFile=` in the [Service] section of
 * ~/.config/systemd/user/NAME.service and its drop-ins NAME.service.d/ *.conf.
 */
#ifndef ORD_SDUNIT_H
#define ORD_SDUNIT_H

#include "assign.h"

/* EnvironmentFile=PATH (optional: a leading '-' means a missing file is
 * fine); path is as written, specifiers (%h) not expanded. */
typedef void (*ord_sdunit_file_fn)(void *arg, unsigned line, const char *path, size_t path_len, int optional);
/* An empty `Environment=`: every earlier assignment of the unit is dropped. */
typedef void (*ord_sdunit_reset_fn)(void *arg, unsigned line);

typedef struct ord_sdunit_cb {
	ord_assign_fn assign;     /* each NAME=value word of Environment= */
	ord_sdunit_file_fn file;  /* may be NULL */
	ord_sdunit_reset_fn reset;/* may be NULL */
	ord_parse_error_fn err;   /* may be NULL */
} ord_sdunit_cb;

/* As systemd reads a unit file: sections, '#'/';' comments, a trailing
 * backslash continues the line (joined with a blank), keys compared as
 * written.  Environment= values are split into words with systemd's quoting
 * ("…" and '…', C escapes \n \t \\ \" \' \xHH inside and outside quotes); a
 * word without '=' or with a bad name is an error and skipped, as systemd
 * skips it.  Specifiers (%h, %%) are kept as written (EXPANSION).  Every
 * assignment is exported.  Returns 0, what cb->assign returned (non-zero
 * stops), ENOMEM or EINVAL. */
int ord_sdunit_parse(const char *data, size_t len, const ord_sdunit_cb *cb, void *arg);

#endif
