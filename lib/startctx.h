/* startctx: which start-up files each way of starting a program runs, and
 * so what each one sees of a variable (issue 17, `ordoctor env`).
 *
 * A key exported in ~/.bashrc is in a terminal's environment, but not in a
 * cron job's, a systemd user service's or an IDE task's.  This computes,
 * from the assignments discovery already read (ord_hits of kind
 * ORD_SRC_RC), the last one each context runs, honouring the interactive-only
 * guard of ~/.bashrc (lib/rcguard.c), bash's choice of the first login file,
 * and whether ~/.profile sources ~/.bashrc.  What is not simulated (a
 * crontab's own VAR= lines, a unit's Environment=, fish's universal
 * variables, what a parent process passes on) is named in the context's
 * note, never guessed.
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
	ORD_SC_ZSH,              /* an interactive zsh */
	ORD_SC_FISH,             /* an interactive fish */
	ORD_SC_CRON,             /* a cron job */
	ORD_SC_SYSTEMD_USER,     /* a systemd --user service */
	ORD_SC_COUNT
} ord_startctx_id;

typedef struct ord_startctx_value {
	long hit;           /* the assignment that wins, or -1: unset */
	int maybe;          /* it sits in a conditional block */
} ord_startctx_value;

const char *ord_startctx_name(ord_startctx_id c);   /* "bash -c", "cron", … */
const char *ord_startctx_note(ord_startctx_id c);   /* what is not simulated */

/* What context c sees of variable name: the winning hit in hits. */
void ord_startctx_value_of(ord_ctx *ctx, const ord_hits *hits, ord_startctx_id c,
			   const char *name, ord_startctx_value *out);

#endif
