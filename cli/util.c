/* cli/util: what every command shares (colours, usage errors, warnings,
 * option values).  It calls no command, so the commands, the mock and the
 * dispatcher in main.c all stand on it. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/api.h"
#include "lib/diag.h"
#include "lib/laststate.h"
#include "lib/words.h"

const char *ord_c(const ord_cli *cli, const char *ansi)
{
	return cli->color ? ansi : "";
}

int ord_cli_usage_error(ord_cli *cli, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	/* A usage error quotes what the user typed, and users do paste keys
	 * where they do not belong: cli->err's gate never echoes one whole. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(cli->err, "ordoctor: %s\n", msg);
	ord_wipe(msg, sizeof(msg));
	return ORD_EXIT_USAGE;
}

void ord_cli_flush_warnings(ord_cli *cli)
{
	size_t i;

	if (cli->quiet)
		return;
	for (i = 0; i < cli->ctx.nwarnings; i++)
		fprintf(cli->err, "%swarning:%s %s\n",
			ord_c(cli, ORD_C_YELLOW), ord_c(cli, ORD_C_RESET),
			cli->ctx.warnings[i].text);
	/* Printed once. */
	for (i = 0; i < cli->ctx.nwarnings; i++)
		free(cli->ctx.warnings[i].text);
	cli->ctx.nwarnings = 0;
}

void ord_cli_warn_api_base(ord_cli *cli)
{
	char base[ORD_API_URL_MAX];

	if (cli->offline || cli->quiet)
		return;
	ord_api_base(&cli->ctx, base);
	if (!ord_api_base_is_default(base))
		fprintf(cli->err, "%swarning:%s talking to %s, not OpenRouter\n",
			ord_c(cli, ORD_C_YELLOW), ord_c(cli, ORD_C_RESET), base);
}

void ord_cli_warn_listen(ord_cli *cli, const char *what, const char *url)
{
	const char *h = strstr(url, "://");
	char host[128];
	size_t n;

	h = h ? h + 3 : url;
	n = *h == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":/");
	if (n >= sizeof(host))
		n = sizeof(host) - 1;
	memcpy(host, h, n);
	host[n] = '\0';
	/* Said even with -q: a server on the network is not what most people
	 * who type 0.0.0.0 expect. */
	if (!ord_url_is_loopback_host(host))
		fprintf(cli->err, "%swarning:%s %s listens on %s: the port is reachable from the network, "
			"not only from this machine\n", ord_c(cli, ORD_C_YELLOW), ord_c(cli, ORD_C_RESET),
			what, url);
}

const char *ord_opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t nl = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, nl))
		return NULL;
	if (a[nl] == '=')
		return a + nl + 1;
	if (a[nl] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

const char *ord_cli_path(ord_cli *cli, const char *p)
{
	char *abs;

	if (!p || p[0] == '/' || !cli->chdir || cli->npaths >= sizeof(cli->paths) / sizeof(*cli->paths))
		return p;
	abs = ord_path_join(cli->ctx.cwd, p);
	if (!abs)
		return p;
	cli->paths[cli->npaths++] = abs;
	return abs;
}

void ord_cli_last_state(ord_cli *cli, ord_diag *d, int record)
{
	/* --home inspects someone else's home (a container volume): its
	 * state is not this user's, and ordoctor writes nothing into it */
	if (cli->no_state || cli->home)
		return;
	if (d->main.outcome == ORD_OUTCOME_CLEAN) {
		if (record && d->main.tool < 0)
			ord_laststate_record(&cli->ctx, &d->f);
		return;
	}
	d->since = ord_since_compare(&cli->ctx, &d->f);
	ord_words_since(&cli->ctx, d->since);
}
