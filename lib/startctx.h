/* startctx: which start-up files each way of starting a program runs, and
 * so what each one sees of a variable (issue 17, `ordoctor env`,
 * `check --context`).
 *
 * A key exported in ~/.bashrc is in a terminal's environment, but not in a
 * cron job's, a systemd user service's or an IDE task's.  For each context
 * this keeps the ordered list of files it runs (lib/startctx_gather.c:
 * ZDOTDIR followed as zsh does, environment.d's directory order, the user's
 * crontab and systemd units, pam_env's user_readenv) and finds the last
 * assignment of a variable among them, honouring the interactive-only guard
 * of ~/.bashrc (lib/rcguard.c), bash's choice of the first login file and
 * whether ~/.profile sources ~/.bashrc.  The files discovery already read
 * give their hits; the others are read here into `extra`.  What cannot be
 * known from files (an unreadable crontab, a ZDOTDIR computed by a command)
 * is "unknown" with the way to find out, never guessed.
 */
#ifndef ORD_STARTCTX_H
#define ORD_STARTCTX_H

#include "ctx.h"
#include "source.h"

typedef enum ord_startctx_id {
	ORD_SC_BASH_INTERACTIVE, /* a terminal: bash -i */
	ORD_SC_BASH_LOGIN,       /* ssh, a console, bash -l in a terminal */
	ORD_SC_BASH_LOGIN_CMD,   /* bash -lc CMD: login, not interactive */
	ORD_SC_BASH_CMD,         /* bash -c CMD, sh -c: BASH_ENV only */
	ORD_SC_ZSH,              /* an interactive zsh (not login) */
	ORD_SC_ZSH_LOGIN,        /* a login zsh: ssh, macOS terminals */
	ORD_SC_ZSH_CMD,          /* zsh -c CMD: .zshenv only */
	ORD_SC_FISH,             /* fish, a terminal or fish -c */
	ORD_SC_CRON,             /* a cron job */
	ORD_SC_SYSTEMD_USER,     /* a systemd --user service (no unit setting) */
	ORD_SC_GRAPHICAL,        /* the desktop session: launchers, IDEs */
	ORD_SC_COUNT
} ord_startctx_id;

typedef struct ord_startctx_file {
	char *path;
	char how;         /* ' ', 'L' first existing login file, 'B' if sourced */
	const char *kind; /* "sh", "environment", "fish", "fishvars", … */
} ord_startctx_file;

typedef struct ord_startctx_unit {
	char *name;        /* "llm.service" */
	size_t first, end; /* its hits in extra */
} ord_startctx_unit;

typedef struct ord_startctx {
	ord_hits extra;            /* assignments only the contexts read */
	ord_startctx_file *files[ORD_SC_COUNT];
	size_t nfiles[ORD_SC_COUNT];
	int unknown[ORD_SC_COUNT]; /* the files cannot tell: note says why */
	char *note[ORD_SC_COUNT];  /* what is not simulated, how to find out */
	ord_startctx_unit *units;
	size_t nunits;
} ord_startctx;

typedef struct ord_startctx_value {
	const ord_hit *hit; /* the assignment that wins, or NULL: unset */
	int maybe;          /* it sits in a conditional block */
	int unknown;        /* the files cannot tell (see the context's note) */
} ord_startctx_value;

const char *ord_startctx_name(ord_startctx_id c);   /* "bash -c CMD, sh -c CMD" */
const char *ord_startctx_id_str(ord_startctx_id c); /* "bash-c", for --context */
/* The context of an id ("cron", "zsh-login"), or -1. */
int ord_startctx_lookup(const char *id);

void ord_startctx_init(ord_startctx *sc);
/* Work out every context's files and read what discovery did not (hits:
 * discovery's).  Returns 0 or ENOMEM. */
int ord_startctx_gather(ord_ctx *ctx, const ord_hits *hits, ord_startctx *sc);
void ord_startctx_release(ord_startctx *sc);

/* What context c sees of variable name. */
void ord_startctx_value_of(const ord_startctx *sc, const ord_hits *hits, ord_startctx_id c,
			   const char *name, ord_startctx_value *out);
/* What the service of unit u sees: environment.d, then its own lines.
 * Returns 1 when the unit itself sets name. */
int ord_startctx_unit_value(const ord_startctx *sc, const ord_hits *hits, size_t u,
			    const char *name, ord_startctx_value *out);
/* The unit named name ("llm.service" or "llm"), or -1. */
long ord_startctx_unit_lookup(const ord_startctx *sc, const char *name);

/* The contexts (bit 1 << id) whose start-up files include path, from the
 * file names alone (ZDOTDIR taken as the home): for sentences such as
 * "only zsh terminals run that file". */
unsigned ord_startctx_readers(const ord_ctx *ctx, const char *path);
/* "zsh terminals", "cron jobs", … */
const char *ord_startctx_who(ord_startctx_id c);

/* Replace ctx's environment by what context c (or, with unit >= 0, that
 * systemd unit) would start a program with: the current environment minus
 * every key and base-URL variable, plus what the context's files set.
 * Values from a command, and contexts that are unknown, set nothing.
 * Returns 0 or ENOMEM. */
int ord_startctx_apply(ord_ctx *ctx, const ord_startctx *sc, const ord_hits *hits,
		       ord_startctx_id c, long unit);

#endif
