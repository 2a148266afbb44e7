/* cli/help: what `ordoctor CMD --help`, `ordoctor CMD -h` and `ordoctor
 * help CMD` print (usage, options, examples), and the options each command
 * takes, which is also what an unknown option is compared with for "did you
 * mean".  One table, so the help and the suggestions cannot disagree. */
#include "cli.h"

#include <string.h>

#include "lib/probe.h"
#include "mock/mock.h"

#define STR2(x) #x
#define STR(x) STR2(x)

typedef struct help {
	const char *cmd;
	const char *text;          /* usage, what it does, options, examples */
	const char *const *opts;   /* the command's own options */
} help;

static const char *const check_opts[] = {"--tool", "--context", "--chat", "--list-checks", "--error", "--no-state", NULL};
static const char *const keys_opts[] = {"--scan", NULL};
static const char *const tools_opts[] = {"--all", "--list-ids", "--context", NULL};
static const char *const env_opts[] = {NULL};
static const char *const probe_opts[] = {"--tool", "--env", "--key-file", "--model", "-n", "--interval",
					 "--allow-cost", NULL};
static const char *const verify_opts[] = {"--stdin", "--key-file", "--env", NULL};
static const char *const explain_opts[] = {"--top", "--no-progress", "--signatures", "--known-bugs",
					   "--check", "--tool", NULL};
static const char *const proxy_opts[] = {"--listen", "--upstream", "--tool", "--log-bodies",
					 "--max-body", "--upstream-timeout", NULL};
static const char *const mock_opts[] = {"--keys", "--listen", "--latency-ms", "--incident", "--flaky",
					"--redirect-http", "--request-log", "--legacy-missing-auth",
					"--management-status", "--credits-any-key", "--now", NULL};
static const char *const report_opts[] = {"-o", "--output", "--force", "--no-state", NULL};
static const char *const fix_opts[] = {"--apply", "--tool", "--no-state", NULL};
static const char *const no_opts[] = {NULL};
/* Global options (cli/main.c), valid with every command. */
static const char *const global_opts[] = {"--json", "--format", "--offline", "--no-state", "--home", "--etc",
					  "--api-base", "--timeout", "--no-color", "--quiet",
					  "--verbose", "--help", "--version", NULL};

static const help helps[] = {
	{"check",
	 "usage: ordoctor [check] [--tool ID] [--context ID] [--chat [MODEL]] [--error FILE|-]\n"
	 "                [--list-checks] [--no-state]\n\n"
	 "The doctor: named checks with their evidence, then one verdict with the fix and\n"
	 "the other candidates.  `ordoctor` alone runs it.  A check with no problem records\n"
	 "the last good state (fingerprints, places, base URLs; no key) in\n"
	 "$XDG_STATE_HOME/ordoctor/last-good.json (default ~/.local/state/ordoctor/); a\n"
	 "later failing check says what changed since.\n\n"
	 "options:\n"
	 "  --tool ID          judge one tool (aider, claude-code, opencode, ...; any case;\n"
	 "                     'ordoctor tools --all' lists them)\n"
	 "  --context ID       judge as if started from a start context: bash, bash-login,\n"
	 "                     bash-lc, bash-c, zsh, zsh-login, zsh-c, fish, cron, systemd,\n"
	 "                     systemd:UNIT, graphical ('ordoctor env' shows them); the\n"
	 "                     environment is what it would get, not this shell's\n"
	 "  --chat [MODEL]     add a one-token completion (tests credits, quota, models)\n"
	 "  --error FILE|-     read a pasted error with this machine's facts\n"
	 "                     (the same as 'ordoctor explain --check FILE')\n"
	 "  --list-checks      list the named checks and the causes each can find\n"
	 "  --no-state         neither read nor record the last good state\n"
	 "formats: text, json, markdown (a report to paste into an issue)\n\n"
	 "examples:\n"
	 "  ordoctor check\n"
	 "  ordoctor check --tool claude-code --offline\n"
	 "  ordoctor check --tool aider --context cron\n"
	 "  ordoctor check --json > report.json\n"
	 "  ordoctor -C ~/src/app check\n\n"
	 "exit: 0 no problem, 1 a problem found, 2 usage, 3 a fact could not be observed.\n",
	 check_opts},
	{"keys",
	 "usage: ordoctor keys [--scan PATH...]\n\n"
	 "Every credential found, one row per key and place: the redacted key, its\n"
	 "fingerprint, OpenRouter's answer about it, where it is set, lint flags.\n\n"
	 "options:\n"
	 "  --scan PATH...     every sk-or-v1- key in the text files of trees or files\n"
	 "  -v                 notes, and the tools that read each key\n"
	 "formats: text, json, markdown\n\n"
	 "examples:\n"
	 "  ordoctor keys\n"
	 "  ordoctor keys --offline --json\n"
	 "  ordoctor keys --scan ~/src\n\n"
	 "exit: 0 no dead key, 1 OpenRouter rejects a key (with --scan: a key was found), 2 usage.\n",
	 keys_opts},
	{"tools",
	 "usage: ordoctor tools [--all | --list-ids] [--context ID]\n\n"
	 "The tools found here, and for each the key and base URL it would send, from\n"
	 "where, and the candidates it shadows and why they lose.  'project' (this\n"
	 "project) is the code of the working directory's git root: the OpenAI,\n"
	 "OpenRouter, Anthropic or LiteLLM client it builds, the variable or literal it\n"
	 "passes, and how it loads .env (JavaScript/TypeScript and Python).\n\n"
	 "options:\n"
	 "  --all              every known tool, present or not\n"
	 "  --list-ids         only the tool ids, one a line (for shell completion)\n"
	 "  --context ID       as if started from that start context (see 'check --help')\n"
	 "formats: text, json, markdown\n\n"
	 "examples:\n"
	 "  ordoctor tools\n"
	 "  ordoctor tools --all --offline\n"
	 "  ordoctor tools --json\n\n"
	 "exit: 0 no tool would fail, 1 a present tool would fail, 2 usage.\n",
	 tools_opts},
	{"verify",
	 "usage: ordoctor verify [--stdin | --key-file FILE | --env NAME]\n\n"
	 "Reads one key (stdin by default; never from the command line, where other\n"
	 "users see it in ps and it stays in shell history) and checks it with\n"
	 "GET /api/v1/key: label, limit, usage, expiry.  Empty input is refused.\n\n"
	 "options:\n"
	 "  --stdin, -          read the key from stdin (the default)\n"
	 "  --key-file FILE     read it from FILE (one trailing newline is removed)\n"
	 "  --env NAME          take the value of the environment variable NAME\n"
	 "formats: text, json\n\n"
	 "examples:\n"
	 "  pbpaste | ordoctor verify\n"
	 "  ordoctor verify --env OPENROUTER_API_KEY\n"
	 "  ordoctor verify --key-file ~/.config/openrouter.key --json\n\n"
	 "exit: 0 valid and usable, 1 a problem, 2 usage, 3 could not tell.\n",
	 verify_opts},
	{"mock",
	 "usage: ordoctor mock [--keys FILE] [--listen HOST:PORT] [--latency-ms N]\n"
	 "                     [--incident] [--flaky PROVIDER:RATE] [--redirect-http]\n"
	 "                     [--request-log FILE] [--legacy-missing-auth]\n"
	 "                     [--management-status 401|403] [--credits-any-key]\n"
	 "                     [--now TIME]\n"
	 "\n"
	 "A local OpenRouter simulator.  Prints 'listening on http://HOST:PORT' once\n"
	 "ready and serves until interrupted.  Default listen address "
	 ORD_MOCK_DEFAULT_HOST ":" STR(ORD_MOCK_DEFAULT_PORT) "\n"
	 "(port 0: any free port).  --now fixes the mock's clock (expires_at, created\n"
	 "times, rate-limit resets, the request log) at TIME, epoch seconds or\n"
	 "YYYY-MM-DDTHH:MM:SSZ; default: the wall clock.  Routes, keys file and\n"
	 "trigger models: mock/README.md.\n"
	 "formats: text\n\n"
	 "examples:\n"
	 "  ordoctor mock --keys keys.txt --listen 127.0.0.1:0\n"
	 "  ordoctor mock --incident --latency-ms 100\n",
	 mock_opts},
	{"explain",
	 "usage: ordoctor explain [options] [FILE...]\n"
	 "  classifies a pasted error message or whole logs, offline: ranked causes with\n"
	 "  category, meaning, the check that separates them, the fix and sources; for logs,\n"
	 "  counts, first/last seen, a timeline, alternation and per-provider/model breakdowns.\n"
	 "  FILE may be gzip-compressed; '-' or no FILE reads stdin.\n\n"
	 "options:\n"
	 "  --json               one JSON document (schema ordoctor.explain/1)\n"
	 "  --top N              show the N most likely causes (default 5)\n"
	 "  --no-progress        no progress bar (shown on a terminal for inputs over 64 MB)\n"
	 "  --signatures FILE    also load this signature file (format: docs/signatures.md)\n"
	 "  --known-bugs FILE    also load this list of tools' known credential bugs\n"
	 "                       (format: data/known-bugs, docs/signatures.md)\n"
	 "  --check              read the text with this machine's facts: the key the tool\n"
	 "                       named in the text sends, and what OpenRouter says about it\n"
	 "                       (asks OpenRouter, as `ordoctor check` does; also\n"
	 "                       `ordoctor check --error FILE`)\n"
	 "  --tool ID            with --check: the tool that printed the error\n"
	 "formats: text, json, markdown\n\n"
	 "examples:\n"
	 "  pbpaste | ordoctor explain\n"
	 "  ordoctor explain --top 3 /var/log/app.log.gz\n"
	 "  ordoctor explain --check --tool aider error.txt\n\n"
	 "exit: 1 a problem identified, 0 a successful answer only, 3 nothing recognised\n"
	 "(with --check: a fact the answer needs is missing), 2 usage error or unreadable input.\n",
	 explain_opts},
	{"proxy",
	 "usage: ordoctor proxy [--listen HOST:PORT] [--upstream URL] [--tool NAME]\n"
	 "                      [--log-bodies] [--max-body BYTES] [--upstream-timeout S]\n\n"
	 "A plain-HTTP reverse proxy on loopback in front of OpenRouter: point a tool's\n"
	 "base URL at http://HOST:PORT/api/v1 (…/api for Claude Code); each request gets\n"
	 "one line: the credential (redacted), which key on this machine it is, OpenRouter's\n"
	 "answer and the cause.  Stops on Ctrl-C.\n"
	 "formats: text, json (one object per request)\n\n"
	 "examples:\n"
	 "  ordoctor proxy\n"
	 "  ordoctor proxy --listen 127.0.0.1:9000 --tool aider --json\n",
	 proxy_opts},
	{"run",
	 "usage: ordoctor run [--tool ID] [proxy options] -- CMD [ARG...]\n\n"
	 "Starts the proxy on a free port, sets the base-URL variables known tools read,\n"
	 "runs CMD, then shows every request it sent (the key, from where, OpenRouter's\n"
	 "answer) and the verdict.  Options after CMD are CMD's.\n\n"
	 "options:\n"
	 "  --tool ID            the tool CMD is (guessed from CMD's name otherwise)\n"
	 "  --listen, --upstream, --log-bodies, --max-body, --upstream-timeout\n"
	 "                       as for 'ordoctor proxy'\n"
	 "formats: text, json\n\n"
	 "examples:\n"
	 "  ordoctor run -- aider --message hi\n"
	 "  ordoctor run --tool claude-code -- claude -p hello\n\n"
	 "exit: 0 no problem, 1 a problem found, 2 usage, 3 could not decide.\n",
	 proxy_opts},
	{"probe",
	 "usage: ordoctor probe [--tool ID | --env NAME | --key-file FILE] [--model M]...\n"
	 "                      [-n N] [--interval SECONDS] [--allow-cost]\n\n"
	 "Sends N one-token chat requests (default " STR(ORD_PROBE_N_DEFAULT) ", at most " STR(ORD_PROBE_N_MAX) ") with the key a tool\n"
	 "would send, the key in variable NAME, the key on FILE's first line, or else each\n"
	 "distinct OpenRouter key found; then, per model and provider, the status\n"
	 "sequence, counts, the decoded error, rate-limit headers and latency, and the\n"
	 "pattern: one key of two failing, one provider failing, a rate limit, an\n"
	 "incident, a steady failure.  Keys never come from the command line.\n\n"
	 "options:\n"
	 "  --tool ID            the key that tool would send\n"
	 "  --env NAME           the key in environment variable NAME\n"
	 "  --key-file FILE      the key on FILE's first line\n"
	 "  --model M            a model to try (repeatable; default " ORD_PROBE_MODEL_DEFAULT ")\n"
	 "  -n N                 rounds of requests\n"
	 "  --interval SECONDS   wait between rounds\n"
	 "  --allow-cost         allow a model whose id does not end in ':free'\n"
	 "formats: text, json\n\n"
	 "examples:\n"
	 "  ordoctor probe\n"
	 "  ordoctor probe --tool aider -n 10 --interval 2\n\n"
	 "exit: 0 every request answered, 1 a problem, 2 usage, 3 nothing observed.\n",
	 probe_opts},
	{"env",
	 "usage: ordoctor env [NAME...]\n\n"
	 "For each key variable (default: OPENROUTER_API_KEY and every key or base-URL\n"
	 "variable a start-up file sets), what each way of starting a program sees of\n"
	 "it: bash (a terminal, a login shell, bash -lc, bash -c), zsh (a terminal, a\n"
	 "login shell, zsh -c; ZDOTDIR followed), fish (config.fish, conf.d, universal\n"
	 "variables), a cron job (the crontab's own lines), a systemd user service\n"
	 "(environment.d, and each unit that sets it itself) and the graphical session;\n"
	 "the redacted value and the file and line that set it.  ~/.bashrc's\n"
	 "interactive-only guard is honoured.  What the files cannot tell (a crontab\n"
	 "this user cannot read, a ZDOTDIR computed by a command) is \"unknown\", with\n"
	 "the command that tells.  The ids in --json are those of check --context.\n"
	 "With a Docker Compose project here, one more context per service (\"compose\n"
	 "service web\"): what that container gets and the entry, .env line or shell\n"
	 "variable that decided it.\n"
	 "formats: text, json\n\n"
	 "examples:\n"
	 "  ordoctor env\n"
	 "  ordoctor env OPENROUTER_API_KEY --json\n"
	 "  sudo ordoctor env   # root can read the crontab\n\n"
	 "exit: 0 (a listing), 2 usage.\n",
	 env_opts},
	{"report",
	 "usage: ordoctor report [-o FILE [--force]] [--no-state]\n\n"
	 "A markdown report ready to paste into an issue: the verdict, the checks, the\n"
	 "tools with the key (redacted) and base URL each sends, the versions (ordoctor's,\n"
	 "the OS from /etc/os-release, the tools' from their package.json; no tool is\n"
	 "run), and what changed since it last worked.  Keys are redacted, the home\n"
	 "directory is written ~, no user or host name is looked up.\n\n"
	 "options:\n"
	 "  -o, --output FILE  write the report to FILE (refused when it exists)\n"
	 "  --force            replace FILE when it exists\n"
	 "  --no-state         leave out what changed since it last worked\n"
	 "formats: markdown (the default; text is the same, json is refused)\n\n"
	 "examples:\n"
	 "  ordoctor report\n"
	 "  ordoctor report -o ordoctor-report.md\n"
	 "  ordoctor --offline report\n\n"
	 "exit: as check (0, 1, 3); 2 usage, or FILE exists or cannot be written.\n",
	 report_opts},
	{"fix",
	 "usage: ordoctor fix [--apply] [--tool ID] [--no-state]\n\n"
	 "The verdict's fix, applied safely.  It runs the check, and when the verdict is a\n"
	 "stale, dead or shadowing key in a file of yours (a .env, a shell start-up file, a\n"
	 "tool's JSON, JSONC, YAML or TOML config in the home or the working directory),\n"
	 "it shows a unified diff (keys redacted) of the one edit that fixes it: the stale\n"
	 "key's bytes replaced by a key the live check proved working, or the shadowing\n"
	 "line commented out.  Nothing else in the file changes.  With --apply it writes\n"
	 "the file atomically (mode and owner kept), leaves FILE.ordoctor-backup-DATE-TIME\n"
	 "beside it, and checks again.  It refuses, with the step to take by hand, for a\n"
	 "store the tool owns (Home Assistant's .storage, a database, a keychain), a file\n"
	 "it cannot read back, and a verdict no file edit fixes (an incident, a provider\n"
	 "key stored at OpenRouter, credits).  --offline is refused: offline no key is\n"
	 "proven working.\n\n"
	 "options:\n"
	 "  --apply            write the change (default: show it, change nothing)\n"
	 "  --tool ID          fix the key that tool sends (its verdict)\n"
	 "  --no-state         neither read nor record the last good state\n"
	 "formats: text, json\n\n"
	 "examples:\n"
	 "  ordoctor fix\n"
	 "  ordoctor fix --apply\n"
	 "  ordoctor fix --tool aider --apply\n\n"
	 "exit: 0 no problem (after --apply: the check passes), 1 a problem remains (shown,\n"
	 "refused, or still there after the change), 2 usage or the file cannot be written,\n"
	 "3 could not decide, or no working key is known (create one at\n"
	 "https://openrouter.ai/settings/keys).\n",
	 fix_opts},
	{"help",
	 "usage: ordoctor help [COMMAND]\n\n"
	 "The commands and global options, or one command's usage, options and examples\n"
	 "(the same as 'ordoctor COMMAND --help').\n"
	 "formats: text\n\n"
	 "examples:\n"
	 "  ordoctor help\n"
	 "  ordoctor help keys\n",
	 no_opts},
	{"version",
	 "usage: ordoctor version\n\n"
	 "The version of ordoctor (also 'ordoctor --version').\n"
	 "formats: text, json\n\n"
	 "examples:\n"
	 "  ordoctor version\n"
	 "  ordoctor version --json\n",
	 no_opts},
};

static const help *find(const char *cmd)
{
	size_t i;

	for (i = 0; i < sizeof(helps) / sizeof(*helps); i++)
		if (!strcmp(helps[i].cmd, cmd))
			return &helps[i];
	return NULL;
}

int ord_cli_help(ord_cli *cli, const char *cmd)
{
	const help *h = find(cmd);

	if (!h)
		return ord_cli_usage_error(cli, "no help for '%s'", cmd);
	fputs(h->text, cli->out);
	fputs("\nglobal options (every command): see 'ordoctor help'.\n", cli->out);
	return ORD_EXIT_OK;
}

int ord_cli_unknown_option(ord_cli *cli, const char *cmd, const char *arg)
{
	const char *cands[64];
	const help *h = find(cmd);
	const char *near;
	size_t n = 0, i;

	for (i = 0; h && h->opts[i] && n < 48; i++)
		cands[n++] = h->opts[i];
	for (i = 0; global_opts[i] && n < 64; i++)
		cands[n++] = global_opts[i];
	near = arg[0] == '-' ? ord_suggest(arg, cands, n) : NULL;
	if (near)
		return ord_cli_usage_error(cli, "%s: unknown option '%s' (did you mean '%s'?)", cmd, arg, near);
	return ord_cli_usage_error(cli, "%s: unknown option '%s' (see 'ordoctor %s --help')", cmd, arg, cmd);
}
