/* fix: the verdict's fix as an edit of one user-owned text file.
 *
 * ord_fix_plan() reads the judgment `check` made (d->main, its claim's
 * place and the key rows' liveness) and never diagnoses on its own: the
 * place to change is the verdict's hit, the key to put there is one the
 * live check proved working.  The edit is one of two, both a single span
 * of bytes so comments and formatting stay as they were:
 *   - replace the stale key's bytes at that file and line with the working
 *     key (.env, startup files, JSON/JSONC/YAML/TOML tool configs);
 *   - comment out a line that shadows the working key (a .env or startup
 *     file line, when the verdict is a shadowing story).
 * The new text is parsed back with the reader that found the key (dotenv,
 * rcfile, cfg) and must yield the new key (or no value) at the same place;
 * otherwise the plan is refused.  Stores a tool owns, files outside the
 * home and the working directory, and verdicts no file edit fixes are
 * refused with the step to take by hand.
 *
 * ord_fix_apply() writes through the ctx's file table (rewrite: temporary
 * file, fsync, rename, mode and owner kept, backup beside the file).
 */
#ifndef ORD_FIX_H
#define ORD_FIX_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef enum ord_fix_action {
	ORD_FIX_NONE,     /* nothing to write (see refusal) */
	ORD_FIX_REPLACE,  /* the stale key's bytes become the working key */
	ORD_FIX_COMMENT,  /* the shadowing line is commented out */
} ord_fix_action;

typedef enum ord_fix_refusal {
	ORD_FIX_OK,
	ORD_FIX_CLEAN,       /* check found no problem: nothing to fix */
	ORD_FIX_UNDECIDED,   /* check could not decide: nothing to act on */
	ORD_FIX_NOT_A_FILE,  /* the cause is not fixed by editing a file */
	ORD_FIX_NO_KEY,      /* no key is proven working */
	ORD_FIX_TOOL_STORE,  /* a store the tool owns (its UI or command changes it) */
	ORD_FIX_NOT_USER,    /* no file, or a file outside the home and working dir */
	ORD_FIX_UNPARSABLE,  /* the key's bytes are not there as found, or the
			      * edited text does not parse back to the new key */
	ORD_FIX_UNREADABLE,  /* the file cannot be read */
} ord_fix_refusal;

const char *ord_fix_refusal_id(ord_fix_refusal r); /* "tool_store", … */
const char *ord_fix_action_id(ord_fix_action a);   /* "replace", "comment", "none" */

typedef struct ord_fix_plan {
	ord_fix_action action;
	ord_fix_refusal refusal;
	long claim;          /* the verdict's claim, or -1 */
	long hit;            /* the place edited (or that would be), or -1 */
	long good_row;       /* the working key's row, or -1 */
	char *path;          /* the file, absolute; NULL when none */
	unsigned line;
	char good_redacted[48];
	char good_fp[16];
	char old_redacted[48];
	char *where;         /* "~/.bashrc line 3", for sentences */
	char *good_where;    /* where the working key was found */
	char *why;           /* a refusal's reason, one sentence */
	char *manual;        /* the step to take by hand, one sentence */
	ord_buf before;      /* the file as read (secret: wiped) */
	ord_buf after;       /* the file as it would be written */
	size_t span_off;     /* the bytes of `before` replaced ... */
	size_t span_len;
	size_t new_len;      /* ... by these many bytes of `after` */
} ord_fix_plan;

void ord_fix_plan_init(ord_fix_plan *p);
void ord_fix_plan_release(ord_fix_plan *p);

/* Plan the fix of d->main's verdict.  Reads the file through the ctx.
 * Returns 0 (p->refusal says whether there is something to write) or
 * ENOMEM. */
int ord_fix_plan_make(ord_ctx *ctx, const ord_diag *d, ord_fix_plan *p);

/* A store a program keeps for itself whatever the profiles say (Home
 * Assistant's .storage/, SQLite and VS Code state databases): never
 * edited. */
int ord_fix_tool_owned_path(const char *path);

/* The unified diff of the plan (three lines of context), keys shown in
 * their label form.  `label` is the file's name for the headers. */
void ord_fix_diff(const ord_fix_plan *p, const char *label, ord_buf *out);

/* Write p->after over p->path: the backup FILE.ordoctor-backup-YYYYMMDD-
 * HHMMSS (the ctx clock, UTC; "-2", "-3"… when taken) is made first, and
 * the file must still hold p->before.  The backup's path is copied to
 * backup.  Returns 0 or an errno value (EAGAIN: the file changed since it
 * was read; ENOSYS: the file table cannot rewrite). */
int ord_fix_apply(ord_ctx *ctx, const ord_fix_plan *p, char *backup, size_t cap);

#endif
