/* --context ID (check, tools): judge as if the tool were started from that
 * start context (lib/startctx.h).  The environment ordoctor was started in
 * is replaced: its key and base-URL variables go, and what the context's
 * start-up files, crontab or unit set comes in.  An id that is not a
 * context gets the nearest one; a context the files cannot tell about (an
 * unreadable crontab) is refused rather than judged on a guess. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "lib/facts.h"
#include "lib/startctx.h"

int ord_cli_context(ord_cli *cli, const char *id, char *label, size_t cap)
{
	const char *cands[ORD_SC_COUNT + 1], *near;
	ord_facts f;
	ord_startctx sc;
	int c = ord_startctx_lookup(id), rc = 0, i;
	long unit = -1;

	ord_facts_init(&f);
	ord_startctx_init(&sc);
	if (ord_facts_gather(&cli->ctx, &f) || ord_startctx_gather(&cli->ctx, &f.hits, &sc)) {
		rc = ord_cli_usage_error(cli, "out of memory");
		goto out;
	}
	/* systemd:UNIT, the service of one of the user's units */
	if (c < 0 && !strncmp(id, "systemd:", 8)) {
		unit = ord_startctx_unit_lookup(&sc, id + 8);
		if (unit < 0) {
			rc = ord_cli_usage_error(cli, "no systemd user unit '%s' in ~/.config/systemd/user", id + 8);
			goto out;
		}
		c = ORD_SC_SYSTEMD_USER;
	}
	if (c < 0) {
		for (i = 0; i < ORD_SC_COUNT; i++)
			cands[i] = ord_startctx_id_str((ord_startctx_id)i);
		near = ord_suggest(id, cands, ORD_SC_COUNT);
		if (near)
			rc = ord_cli_usage_error(cli, "unknown context '%s' (did you mean '%s'?)", id, near);
		else
			rc = ord_cli_usage_error(cli, "unknown context '%s' (see 'ordoctor env': bash, bash-login, bash-lc, bash-c, zsh, zsh-login, zsh-c, fish, cron, systemd, systemd:UNIT, graphical)", id);
		goto out;
	}
	if (sc.unknown[c] && unit < 0) {
		fprintf(cli->err, "ordoctor: cannot judge as started from %s: %s\n", ord_startctx_name((ord_startctx_id)c),
			sc.note[c] ? sc.note[c] : "its files cannot tell");
		rc = ORD_EXIT_UNDECIDED;
		goto out;
	}
	if (ord_startctx_apply(&cli->ctx, &sc, &f.hits, (ord_startctx_id)c, unit)) {
		rc = ord_cli_usage_error(cli, "out of memory");
		goto out;
	}
	if (unit >= 0)
		snprintf(label, cap, "systemd unit %s", sc.units[unit].name);
	else
		snprintf(label, cap, "%s", ord_startctx_name((ord_startctx_id)c));
	/* a judgment of another context is not this machine's last state */
	cli->no_state = 1;
out:
	ord_startctx_release(&sc);
	ord_facts_release(&f);
	return rc;
}
