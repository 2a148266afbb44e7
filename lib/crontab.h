/* crontab: a user's crontab (`crontab -l`, /var/spool/cron/crontabs/USER).
 *
 * cron runs a job with a small environment of its own (HOME, LOGNAME,
 * SHELL, PATH, and on Debian /etc/environment through pam_env) plus the
 * crontab's own NAME=value lines; it reads no shell start-up file.  A job
 * that sources one itself (`. $HOME/.profile; cmd`, `bash -lc cmd`) sees
 * what that file sets, which is reported so that it can be said.
 */
#ifndef ORD_CRONTAB_H
#define ORD_CRONTAB_H

#include "assign.h"

/* A job line that runs a start-up file: what is the file ("~/.profile",
 * or "a login shell" for bash -l), on which line. */
typedef void (*ord_crontab_source_fn)(void *arg, unsigned line, const char *what, size_t what_len);

/* NAME=value lines as Debian's cron reads them (env.c load_env): blanks
 * around the name and the '=' are dropped, a value wholly in matching
 * single or double quotes loses them, otherwise it runs to the end of the
 * line with trailing blanks dropped; no escapes, no expansion ($HOME stays
 * as written, ORD_ASSIGN_EXPANSION says so).  Every one is exported.  Job
 * lines (five time fields or @reboot/@daily…, then the command) go to src
 * when their command sources a file or starts a login shell; other lines
 * are skipped.  Returns 0, what fn returned (non-zero stops), ENOMEM or
 * EINVAL. */
int ord_crontab_parse(const char *data, size_t len, ord_assign_fn fn,
		      ord_crontab_source_fn src, void *arg);

#endif
