/* cli/util: what every command shares (colours, usage errors, warnings,
 * option values).  It calls no command, so the commands, the mock and the
 * dispatcher in main.c all stand on it. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

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

void ord_cli_md_row(FILE *out, size_t ncells, ...)
{
	va_list ap;
	size_t i;

	va_start(ap, ncells);
	fputc('|', out);
	for (i = 0; i < ncells; i++) {
		const char *s = va_arg(ap, const char *);

		fputc(' ', out);
		for (; s && *s; s++) {
			if (*s == '|')
				fputs("\\|", out);
			else
				fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
		}
		fputs(" |", out);
	}
	fputc('\n', out);
	va_end(ap);
}

const char *ord_cli_path(ord_cli *cli, const char *p)
{
	char *abs;

	if (!p || p[0] == '/' || !cli->chdir || cli->npaths >= sizeof(cli->paths) / sizeof(*cli->paths))
		return p;
	abs = ord_path_join(cli->chdir, p); /* set before the context is */
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

/* The terminal's width for commands that wrap only for a reader: COLUMNS,
 * else the tty's; 0 when the output goes to a pipe or file (a script or grep
 * gets one line per item). */
int ord_cli_term_width(ord_cli *cli)
{
	const char *c = ord_env_get(&cli->ctx, "COLUMNS");
	struct winsize ws;
	long w = 0;

	if (c && *c) {
		char *end;
		w = strtol(c, &end, 10);
		if (*end)
			w = 0;
	}
	/* cli->out is the gate's stream; the terminal is the descriptor
	 * under it. */
	if (w <= 0 && isatty(cli->out_fd) && !ioctl(cli->out_fd, TIOCGWINSZ, &ws))
		w = ws.ws_col;
	if (w <= 0)
		return 0;
	return w < 40 ? 40 : w > 400 ? 400 : (int)w;
}

/* The width explain wraps to: the terminal's, else 80 (not a terminal:
 * the output is the same on every machine). */
int ord_cli_width(ord_cli *cli)
{
	int w = ord_cli_term_width(cli);

	return w ? w : 80;
}

/* Characters (not bytes) in s[0..n). */
size_t ord_cli_cols(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Print head (its width is the indent) then text, word-wrapped so no line
 * passes the width; a word longer than a line (a URL) stays whole. */
void ord_cli_wrap(ord_cli *cli, const char *head, size_t indent, const char *text)
{
	size_t at, width = (size_t)ord_cli_width(cli);
	const char *p = text;

	fputs(head, cli->out);
	at = indent;
	while (*p) {
		const char *w = p;
		size_t n, c;

		while (*w == ' ')
			w++;
		if (!*w)
			break;
		n = strcspn(w, " ");
		c = ord_cli_cols(w, n);
		if (at > indent && at + 1 + c > width) {
			fprintf(cli->out, "\n%*s", (int)indent, "");
			at = indent;
		} else if (at > indent) {
			fputc(' ', cli->out);
			at++;
		}
		fwrite(w, 1, n, cli->out);
		at += c;
		p = w + n;
	}
	fputc('\n', cli->out);
}
