/* The dispatch table and the global options: the top of the CLI.  What
 * the commands share is in util.c, so that no command calls back here. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/helper.h"
#include "lib/http.h"
#include "ord_config.h"

static int cmd_help(ord_cli *cli, int argc, char **argv);
static int cmd_version(ord_cli *cli, int argc, char **argv);

#define TJ (ORD_FMTS_TEXT | ORD_FMTS_JSON)
#define TJM (ORD_FMTS_TEXT | ORD_FMTS_JSON | ORD_FMTS_MARKDOWN)
static const ord_cmd commands[] = {
	{"check", cmd_check, "diagnose why OpenRouter answers 401 (the default)", TJM},
	{"keys", cmd_keys, "list every credential found, where, and what is wrong with it", TJM},
	{"tools", cmd_tools, "the tools found, and the key and base URL each would send", TJM},
	{"verify", cmd_verify, "check one key live (from stdin, --key-file or --env)", TJ},
	{"mock", cmd_mock, "run a local OpenRouter simulator", ORD_FMTS_TEXT},
	{"explain", cmd_explain, "classify a pasted error message or whole logs, offline", TJM},
	{"proxy", cmd_proxy, "a loopback proxy that shows which key each request really sent", TJ},
	{"run", cmd_run, "run a command through the proxy, then show what it sent", TJ},
	{"probe", cmd_probe, "repeat one-token requests and classify the pattern of failures", TJ},
	{"env", cmd_env, "what each way of starting a program (terminal, cron, systemd, bash -c) sees of a key variable", TJ},
	{"fix", cmd_fix, "show (or --apply) the verdict's fix: a key replaced or a shadowing line commented out", TJ},
	{"report", cmd_report, "a redacted markdown report to paste into an issue (-o FILE)", ORD_FMTS_TEXT | ORD_FMTS_MARKDOWN},
	{"help", cmd_help, "show this help, or one command's ('ordoctor help keys')", ORD_FMTS_TEXT},
	{"version", cmd_version, "print the version", TJ},
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static const ord_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int unknown_command(ord_cli *cli, const char *name)
{
	const char *names[NCOMMANDS], *near;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	near = ord_suggest(name, names, NCOMMANDS);
	if (near)
		return ord_cli_usage_error(cli, "unknown command '%s' (did you mean '%s'?)", name, near);
	return ord_cli_usage_error(cli, "unknown command '%s' (see 'ordoctor help')", name);
}

static int cmd_help(ord_cli *cli, int argc, char **argv)
{
	size_t i;

	if (argc > 2)
		return ord_cli_usage_error(cli, "help: one command at most (usage: ordoctor help [COMMAND])");
	if (argc == 2) {
		if (argv[1][0] == '-')
			return ord_cli_unknown_option(cli, "help", argv[1]);
		if (!find_command(argv[1]))
			return unknown_command(cli, argv[1]);
		return ord_cli_help(cli, argv[1]);
	}
	fprintf(cli->out,
		"usage: ordoctor [global options] [command] [options]\n\n"
		"Finds out why an OpenRouter API key gets HTTP 401 and says what to change.\n\n"
		"commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(cli->out, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(cli->out,
		"\nglobal options:\n"
		"  --json, --format text|json|markdown   output format (a command that cannot\n"
		"                     print one refuses it)\n"
		"  -C DIR             run as if started in DIR (its .env files, relative paths)\n"
		"  --offline          no network at all\n"
		"  --no-state         neither read nor record the last good state\n"
		"  --run-helpers      run the commands keys come from (apiKeyHelper, $(pass …),\n"
		"                     op://), without a shell, within --timeout\n"
		"  --home DIR         inspect another home directory\n"
		"  --etc DIR          inspect another system configuration directory (default /etc)\n"
		"  --api-base URL     talk to another OpenRouter endpoint (also ORDOCTOR_API_BASE)\n"
		"  --timeout SECONDS  limit for every network operation and helper (default 10)\n"
		"  --no-color         no colours (also NO_COLOR)\n"
		"  -q, -v             quieter, more verbose\n"
		"  -h, --help         this help; 'ordoctor COMMAND --help' for one command\n"
		"\nexit codes: 0 no problem, 1 problem found, 2 usage or internal error,\n"
		"3 could not decide.  See ordoctor(1).\n");
	return ORD_EXIT_OK;
}

static int cmd_version(ord_cli *cli, int argc, char **argv)
{
	if (argc > 1)
		return argv[1][0] == '-' ? ord_cli_unknown_option(cli, "version", argv[1]) :
		       ord_cli_usage_error(cli, "version: unexpected argument '%s'", argv[1]);
	if (cli->format == ORD_FMT_JSON)
		fprintf(cli->out, "{\"schema\":\"ordoctor.version/1\",\"version\":\"%s\"}\n", ORD_VERSION);
	else
		fprintf(cli->out, "ordoctor %s\n", ORD_VERSION);
	return ORD_EXIT_OK;
}

static const char *env_of(char **envp, const char *name)
{
	size_t nl = strlen(name);

	for (; envp && *envp; envp++)
		if (!strncmp(*envp, name, nl) && (*envp)[nl] == '=')
			return *envp + nl + 1;
	return NULL;
}

/* Pull the global options out of argv wherever they stand (before "--"),
 * so `ordoctor keys --json` and `ordoctor --json keys` both work.  The
 * remaining words are compacted in place; returns the new argc or -1. */
static int take_globals(ord_cli *cli, int argc, char **argv)
{
	int i, o = 1;
	const char *v;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < argc)
				argv[o++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--json")) {
			cli->format = ORD_FMT_JSON;
			cli->format_opt = "--json";
		} else if (!strncmp(a, "-C", 2)) {
			const char *d = a[2] ? a + 2 : i + 1 < argc ? argv[++i] : NULL;

			if (!d || !*d) {
				ord_cli_usage_error(cli, "option '-C' needs a directory");
				return -1;
			}
			cli->chdir_arg = d;
		} else if ((v = ord_opt_value(argc, argv, &i, "--format"))) {
			cli->format_opt = v;
			if (!strcmp(v, "json"))
				cli->format = ORD_FMT_JSON;
			else if (!strcmp(v, "text"))
				cli->format = ORD_FMT_TEXT;
			else if (!strcmp(v, "markdown"))
				cli->format = ORD_FMT_MARKDOWN;
			else {
				ord_cli_usage_error(cli, "unknown format '%s' (text, json or markdown)", v);
				return -1;
			}
		} else if (!strcmp(a, "--no-color") || !strcmp(a, "--no-colour"))
			cli->color = 0;
		else if (!strcmp(a, "--offline"))
			cli->offline = 1;
		else if (!strcmp(a, "--no-state"))
			cli->no_state = 1;
		else if (!strcmp(a, "--run-helpers"))
			cli->run_helpers = 1;
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			cli->quiet = 1;
		else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
			cli->verbose++;
		else if ((v = ord_opt_value(argc, argv, &i, "--home")))
			cli->home = v;
		else if ((v = ord_opt_value(argc, argv, &i, "--etc")))
			cli->etc = v;
		else if ((v = ord_opt_value(argc, argv, &i, "--api-base"))) {
			cli->api_base = v;
			cli->api_base_opt = 1;
		}
		else if ((v = ord_opt_value(argc, argv, &i, "--ha-config")))
			cli->ha_config = v;
		else if ((v = ord_opt_value(argc, argv, &i, "--timeout"))) {
			char *end;
			double t;

			errno = 0;
			t = strtod(v, &end);
			if (errno || *end || t <= 0 || t > 3600) {
				ord_cli_usage_error(cli, "invalid --timeout '%s' (seconds, 0 < t <= 3600)", v);
				return -1;
			}
			cli->timeout = t;
		} else if (!strcmp(a, "--home") || !strcmp(a, "--api-base") ||
			   !strcmp(a, "--timeout") || !strcmp(a, "--format") ||
			   !strcmp(a, "--ha-config") || !strcmp(a, "--etc")) {
			ord_cli_usage_error(cli, "option '%s' needs a value", a);
			return -1;
		} else
			argv[o++] = argv[i];
	}
	argv[o] = NULL;
	return o;
}

int ord_cli_main(int argc, char **argv, char **envp, FILE *in, FILE *out,
		 FILE *err)
{
	return ord_cli_main_ex(argc, argv, envp, in, out, err, NULL);
}

static int api_base_usable(const char *u)
{
	size_t n = !strncasecmp(u, "https://", 8) ? 8 : !strncasecmp(u, "http://", 7) ? 7 : 0;

	return n && u[n] && !strchr("/?#", u[n]);
}

/* `CMD --help` or `CMD -h` anywhere among CMD's own options: before "--",
 * and for run before the command it runs (whose --help is its own). */
static int wants_help(const ord_cmd *cmd, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		if (cmd->run == cmd_run && argv[i][0] != '-')
			break;
	}
	return 0;
}

/* Everything after the gates are open. */
static int run(ord_cli *cli, int argc, char **argv, const ord_cli_hooks *hooks)
{
	const ord_cmd *cmd;
	char cwd[PATH_MAX];
	int rc;

	argc = take_globals(cli, argc, argv);
	if (argc < 0)
		return ORD_EXIT_USAGE;
	/* A base URL ordoctor cannot use is refused, not "talked to": a key
	 * pasted after --api-base, or `--api-base openrouter.ai`, would
	 * otherwise turn into a diagnosis of a host that does not exist. */
	if (cli->api_base && !api_base_usable(cli->api_base))
		return ord_cli_usage_error(cli, "%s '%s' is not an http:// or https:// URL with a host",
					   cli->api_base_opt ? "--api-base" : "ORDOCTOR_API_BASE",
					   cli->api_base);
	if (!cli->color) {
		ord_gate_set_flags(cli->gout, 0);
		ord_gate_set_flags(cli->gerr, 0);
	}
	if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		argv[1] = (char *)"version";
		argc = 2;
	} else if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		argv[1] = (char *)"help";
	}

	if (argc < 2 || argv[1][0] == '-') {
		/* `ordoctor` and `ordoctor --tool aider` mean check. */
		cmd = find_command("check");
		argv[0] = (char *)"check";
	} else {
		cmd = find_command(argv[1]);
		if (!cmd)
			return unknown_command(cli, argv[1]);
		argc--;
		argv++;
	}
	/* Every command honours the format asked for or refuses it: a report
	 * silently printed as text where JSON was asked breaks a script later,
	 * and less clearly. */
	if (!(cmd->formats & (1u << cli->format)))
		return ord_cli_usage_error(cli, "%s: '%s%s' is not supported (formats: %s%s%s)", cmd->name,
					   cli->format_opt && strcmp(cli->format_opt, "--json") ? "--format " : "",
					   cli->format_opt ? cli->format_opt : "?", "text",
					   cmd->formats & ORD_FMTS_JSON ? ", json" : "",
					   cmd->formats & ORD_FMTS_MARKDOWN ? ", markdown" : "");
	if (wants_help(cmd, argc, argv))
		return ord_cli_help(cli, cmd->name);
	/* --run-helpers changes what discovery reads: a command that reads
	 * no key source would ignore it, so it refuses it */
	if (cli->run_helpers && !strstr(" check keys tools env report probe proxy run fix ",
					 cmd->name))
		return ord_cli_usage_error(cli, "%s: '--run-helpers' does not apply (it reads no key source)",
					   cmd->name);

	if (cli->chdir_arg) {
		struct stat st;

		cli->chdir = realpath(cli->chdir_arg, NULL);
		if (!cli->chdir || stat(cli->chdir, &st) || !S_ISDIR(st.st_mode))
			return ord_cli_usage_error(cli, "cannot use -C '%s': %s", cli->chdir_arg,
						   cli->chdir ? strerror(ENOTDIR) : strerror(errno));
		snprintf(cwd, sizeof(cwd), "%s", cli->chdir);
	} else if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	/* like git -C: every relative path given on the command line is
	 * relative to DIR */
	cli->home = ord_cli_path(cli, cli->home);
	cli->etc = ord_cli_path(cli, cli->etc);
	cli->ha_config = ord_cli_path(cli, cli->ha_config);
	if (ord_ctx_init(&cli->ctx, cli->envp, cli->home, cwd))
		return ord_cli_usage_error(cli, "out of memory");
	cli->ctx.verbose = cli->verbose;
	if (cli->etc) {
		char *e = strdup(cli->etc);
		if (e) {
			free(cli->ctx.etc);
			cli->ctx.etc = e;
		}
	}
	/* the network block of the context (lib/http) */
	cli->ctx.api_base = cli->api_base;
	cli->ctx.timeout = cli->timeout;
	cli->ctx.offline = cli->offline;
	if (cli->run_helpers) {
		cli->ctx.run_helpers = 1;
		cli->ctx.run = ord_run_posix;
	}
	if (hooks && hooks->fs) {
		cli->ctx.fs = hooks->fs;
		cli->ctx.fs_ud = hooks->fs_ud;
	}
	if (hooks && hooks->now) {
		cli->ctx.now = hooks->now;
		cli->ctx.now_ud = hooks->now_ud;
	}
	rc = cmd->run(cli, argc, argv);
	ord_http_release(&cli->ctx);
	ord_cli_flush_warnings(cli);
	ord_ctx_release(&cli->ctx);
	return rc;
}

int ord_cli_main_ex(int argc, char **argv, char **envp, FILE *in, FILE *out,
		    FILE *err, const ord_cli_hooks *hooks)
{
	ord_cli cli;
	const char *v;
	unsigned flags;
	int rc;

	memset(&cli, 0, sizeof(cli));
	cli.in = in;
	cli.envp = envp;
	cli.argv0 = argc > 0 ? argv[0] : "ordoctor";
	cli.timeout = 10;
	cli.out_fd = fileno(out);
	cli.err_fd = fileno(err);
	cli.color = isatty(cli.out_fd) && !env_of(envp, "NO_COLOR");
	if ((v = env_of(envp, "NO_COLOR")) && !*v)
		cli.color = isatty(cli.out_fd); /* NO_COLOR="" does not disable */
	if ((v = env_of(envp, "TERM")) && !strcmp(v, "dumb"))
		cli.color = 0;
	cli.api_base = env_of(envp, "ORDOCTOR_API_BASE");
	if (cli.api_base && !*cli.api_base)
		cli.api_base = NULL;

	/* From here on nothing reaches out or err but through the gate. */
	flags = cli.color ? ORD_GATE_SGR : 0;
	fflush(out);
	fflush(err);
	cli.gout = ord_gate_open(out, flags);
	cli.gerr = ord_gate_open(err, flags);
	if (!cli.gout || !cli.gerr) {
		ord_gate_close(cli.gout);
		ord_gate_close(cli.gerr);
		return ORD_EXIT_USAGE;
	}
	cli.out = ord_gate_file(cli.gout);
	cli.err = ord_gate_file(cli.gerr);
	/* As stdio does: a terminal sees each line as it is finished, and
	 * errors are never held back. */
	if (isatty(cli.out_fd))
		setvbuf(cli.out, NULL, _IOLBF, 0);
	setvbuf(cli.err, NULL, _IOLBF, 0);

	rc = run(&cli, argc, argv, hooks);
	free(cli.chdir);
	while (cli.npaths)
		free(cli.paths[--cli.npaths]);
	ord_gate_close(cli.gout);
	ord_gate_close(cli.gerr);
	return rc;
}
