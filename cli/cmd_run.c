/* `ordoctor run -- CMD…`: start the proxy on a free port, point the base-URL
 * variables that tools read at it, run CMD (stdin, stdout, stderr and the
 * exit status passed through), then print what CMD sent and the verdict. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "lib/resolve.h"
#include "lib/causes.h"
#include "lib/judge.h"
#include "lib/verdict.h"
#include "proxy_out.h"

static const struct {
	const char *name, *suffix;
} base_vars[] = {
	{"OPENROUTER_BASE_URL", "/api/v1"},
	{"OPENROUTER_API_BASE", "/api/v1"},
	{"OPENAI_BASE_URL", "/api/v1"},
	{"OPENAI_API_BASE", "/api/v1"},
	{"ANTHROPIC_BASE_URL", "/api"},
};
#define NBASE (sizeof(base_vars) / sizeof(*base_vars))

static int is_ours(const char *entry)
{
	size_t i, n;

	for (i = 0; i < NBASE; i++) {
		n = strlen(base_vars[i].name);
		if (!strncmp(entry, base_vars[i].name, n) && entry[n] == '=')
			return 1;
	}
	return !strncmp(entry, "ORDOCTOR_PROXY_URL=", 19) ||
	       !strncmp(entry, "NO_PROXY=", 9) || !strncmp(entry, "no_proxy=", 9);
}

static const char *env_value(char **envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++)
		if (!strncmp(*envp, name, n) && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/* CMD's environment: ours plus the base URLs; every string malloc'd. */
static char **child_env(ord_cli *cli, const char *url)
{
	size_t n = 0, k = 0, i;
	char **env, **e;
	const char *np = env_value(cli->envp, "NO_PROXY");
	const char *lp = env_value(cli->envp, "no_proxy");

	for (e = cli->envp; e && *e; e++)
		n++;
	env = calloc(n + NBASE + 5, sizeof(*env));
	if (!env)
		return NULL;
	for (e = cli->envp; e && *e; e++)
		if (!is_ours(*e))
			env[k++] = strdup(*e);
	for (i = 0; i < NBASE; i++)
		if (asprintf(&env[k++], "%s=%s%s", base_vars[i].name, url, base_vars[i].suffix) < 0)
			env[--k] = NULL;
	if (asprintf(&env[k++], "ORDOCTOR_PROXY_URL=%s", url) < 0)
		env[--k] = NULL;
	/* Loopback never through a corporate proxy. */
	if (asprintf(&env[k++], "NO_PROXY=127.0.0.1,localhost%s%s", np && *np ? "," : "", np ? np : "") < 0)
		env[--k] = NULL;
	if (asprintf(&env[k++], "no_proxy=127.0.0.1,localhost%s%s", lp && *lp ? "," : "", lp ? lp : "") < 0)
		env[--k] = NULL;
	return env;
}

static void free_env(char **env)
{
	char **e;

	for (e = env; e && *e; e++)
		free(*e);
	free(env);
}

/* The program file for CMD, searched in PATH of CMD's environment. */
static char *find_program(char **env, const char *cmd)
{
	const char *path = env_value(env, "PATH"), *p, *c;
	char *f;

	if (strchr(cmd, '/'))
		return strdup(cmd);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = c + 1) {
		size_t n;

		c = strchr(p, ':');
		n = c ? (size_t)(c - p) : strlen(p);
		if (asprintf(&f, "%.*s/%s", (int)(n ? n : 1), n ? p : ".", cmd) >= 0) {
			if (!access(f, X_OK))
				return f;
			free(f);
		}
		if (!c)
			break;
	}
	return NULL;
}

static const char *form_suffix(const ord_profile *p)
{
	return p->base_form == ORD_FORM_ANTHROPIC ? "/api" :
	       p->base_form == ORD_FORM_FULL ? "/api/v1/chat/completions" : "/api/v1";
}

/* The tool's base URL comes from one of its own files, which beats the
 * variables this run sets. */
static int config_base_wins(const ord_tool_res *t)
{
	return t->bwin >= 0 && (size_t)t->bwin < t->nbases &&
	       t->bases[t->bwin].src->kind != ORD_PSRC_ENV && t->bases[t->bwin].hit >= 0;
}

/* Tools that will not follow the variables: say what to set instead.
 * Said before the tool starts (on stderr, whatever the format) and again
 * under the summary; `adapted`: the profile's run: lines were applied. */
static void base_advice(ord_cli *cli, FILE *f, const ord_facts *d, const char *tool,
			const char *url, int adapted)
{
	const ord_tool_res *t = d->tools ? ord_tools_find(d->tools, tool) : NULL;
	const char *suffix;
	size_t i, j;
	int reads = 0;

	if (!t)
		return;
	suffix = form_suffix(t->p);
	if (adapted) {
		fprintf(f, "note: %s does not take its base URL from the variables this run sets; "
			"run pointed it at %s%s with the run: lines of its profile "
			"(%s)\n", t->p->name ? t->p->name : tool, url, suffix, t->p->file ? t->p->file : tool);
		return;
	}
	if (t->p->base_form == ORD_FORM_FIXED) {
		fprintf(f, "note: %s hard-codes its base URL: its requests cannot be sent through the "
			"proxy, so this run will show none of them\n", t->p->name ? t->p->name : tool);
		return;
	}
	for (i = 0; i < t->p->nbases; i++)
		for (j = 0; j < NBASE; j++)
			if ((t->p->bases[i].kind == ORD_PSRC_ENV ||
			     t->p->bases[i].kind == ORD_PSRC_DOTENV) &&
			    t->p->bases[i].field && !strcmp(t->p->bases[i].field, base_vars[j].name))
				reads = 1;
	if (!reads && !config_base_wins(t)) {
		const ord_psrc *s = t->p->nbases ? &t->p->bases[t->p->nbases - 1] : NULL;

		fprintf(f, "note: %s does not read its base URL from any of the variables "
			"this run sets; ", t->p->name ? t->p->name : tool);
		if (s && s->path)
			fprintf(f, "set %s in %s to %s%s for this run (or run 'ordoctor proxy' and point it there)\n",
				s->field ? s->field : "the base URL", s->path, url, suffix);
		else
			fprintf(f, "point its base URL at %s%s for this run\n", url, suffix);
		return;
	}
	if (config_base_wins(t)) {
		ord_buf b = ORD_BUF_INIT(4096);
		size_t ul = strlen(url);

		/* already pointed at this proxy (its port chosen with --listen) */
		if (t->base_url && !strncmp(t->base_url, url, ul) &&
		    (!t->base_url[ul] || t->base_url[ul] == '/'))
			return;

		ord_hit_where(&cli->ctx, &d->hits.v[t->bases[t->bwin].hit], &b);
		fprintf(f, "note: %s takes its base URL from %s, which beats the environment: "
			"its requests may bypass the proxy; set it to %s%s for this run\n",
			t->p->name ? t->p->name : tool, ord_buf_str(&b), url, suffix);
		ord_buf_release(&b);
	}
}

/* {base} (the proxy in the tool's base form) and {proxy} in a run: word. */
static char *expand_run(const char *s, const char *url, const char *suffix)
{
	ord_buf b = ORD_BUF_INIT(256);
	char *r;

	while (*s) {
		if (!strncmp(s, "{base}", 6)) {
			ord_buf_adds(&b, url);
			ord_buf_adds(&b, suffix);
			s += 6;
		} else if (!strncmp(s, "{proxy}", 7)) {
			ord_buf_adds(&b, url);
			s += 7;
		} else
			ord_buf_addc(&b, *s++);
	}
	r = strdup(ord_buf_str(&b));
	ord_buf_release(&b);
	return r;
}

static int is_tool_command(const ord_profile *p, const char *cmd)
{
	const char *base = strrchr(cmd, '/');
	size_t i;

	base = base ? base + 1 : cmd;
	for (i = 0; i < p->npresent; i++)
		if (!strncmp(p->present[i], "command\t", 8) && !strcmp(p->present[i] + 8, base))
			return 1;
	return 0;
}

/* The variables this run sets reach the tool: it reads one of them and no
 * base URL of its own config beats them. */
static int reads_our_vars(const ord_tool_res *t)
{
	size_t i, j;

	if (config_base_wins(t))
		return 0;
	for (i = 0; i < t->p->nbases; i++)
		for (j = 0; j < NBASE; j++)
			if ((t->p->bases[i].kind == ORD_PSRC_ENV ||
			     t->p->bases[i].kind == ORD_PSRC_DOTENV) &&
			    t->p->bases[i].field && !strcmp(t->p->bases[i].field, base_vars[j].name))
				return 1;
	return 0;
}

/* The data-driven adapter: when the variables this run sets do not reach
 * the tool, apply the run: lines of its profile (those marked
 * when=config-base only while its own config names the base): their words
 * go after the program name, their variables into its environment.
 * Returns the new argv (NULL: unchanged; the words it adds are malloc'd
 * and listed in *owned) and sets *adapted. */
static char **adapt(ord_cli *cli, const ord_facts *d, const char *tool, char **cmd,
		    char ***envp, const char *url, char ***owned, int *adapted)
{
	const ord_tool_res *t = d->tools && tool ? ord_tools_find(d->tools, tool) : NULL;
	size_t i, nargs = 0, nlines = 0, nenv = 0, ncmd = 0, k = 0, o = 0;
	char **argv, **env, **e;
	int cfg;

	*adapted = 0;
	*owned = NULL;
	if (!t || !t->p->nruns || t->p->base_form == ORD_FORM_FIXED || reads_our_vars(t))
		return NULL;
	cfg = config_base_wins(t);
	for (i = 0; i < t->p->nruns; i++)
		if (cfg || !t->p->runs[i].config_base) {
			nlines++;
			nargs += !t->p->runs[i].is_env;
		}
	if (!nlines)
		return NULL;
	if (nargs && !is_tool_command(t->p, cmd[0])) {
		fprintf(cli->err, "note: %s does not take its base URL from the variables this run sets; "
			"run would add the arguments of its profile's run: lines, but the command is not %s "
			"itself: its requests may bypass the proxy\n", t->p->name ? t->p->name : tool, t->p->id);
		return NULL;
	}
	while (cmd[ncmd])
		ncmd++;
	for (e = *envp; *e; e++)
		nenv++;
	argv = calloc(ncmd + nargs + 1, sizeof(*argv));
	env = calloc(nenv + nlines + 1, sizeof(*env));
	*owned = calloc(nargs + 1, sizeof(**owned));
	if (!argv || !env || !*owned) {
		free(argv);
		free(env);
		free(*owned);
		*owned = NULL;
		return NULL;
	}
	argv[k++] = cmd[0];
	for (i = 0; i < t->p->nruns; i++)
		if ((cfg || !t->p->runs[i].config_base) && !t->p->runs[i].is_env &&
		    (argv[k] = expand_run(t->p->runs[i].value, url, form_suffix(t->p))))
			(*owned)[o++] = argv[k++];
	for (i = 1; i < ncmd; i++)
		argv[k++] = cmd[i];
	/* the variables: a run: env line replaces the one CMD would get */
	k = 0;
	for (e = *envp; *e; e++) {
		int drop = 0;

		for (i = 0; i < t->p->nruns; i++) {
			const ord_run_line *r = &t->p->runs[i];
			size_t nl;

			if (!r->is_env || (!cfg && r->config_base))
				continue;
			nl = strlen(r->name);
			if (!strncmp(*e, r->name, nl) && (*e)[nl] == '=')
				drop = 1;
		}
		if (drop)
			free(*e);
		else
			env[k++] = *e;
	}
	for (i = 0; i < t->p->nruns; i++) {
		const ord_run_line *r = &t->p->runs[i];
		char *v;

		if (!r->is_env || (!cfg && r->config_base))
			continue;
		v = expand_run(r->value, url, form_suffix(t->p));
		if (v && asprintf(&env[k], "%s=%s", r->name, v) >= 0)
			k++;
		free(v);
	}
	env[k] = NULL;
	free(*envp);
	*envp = env;
	*adapted = 1;
	return argv;
}

/* The child of this run, for the signal forwarder (one run at a time in a
 * process; the in-process test runner forks for each case). */
static volatile sig_atomic_t child_pid;

/* `timeout 60 ordoctor run -- tool` sends SIGTERM to us: pass it on, so the
 * tool stops and we still print what it sent and the verdict. */
static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill((pid_t)child_pid, sig);
}

static int run_child(ord_cli *cli, char **cmd, char **env, int *status)
{
	char *prog = find_program(env, cmd[0]);
	struct sigaction ign, oint, oquit, fwd, oterm, ohup;
	pid_t pid;
	int st = 0;

	if (!prog) {
		fprintf(cli->err, "ordoctor: run: command not found: %s\n", cmd[0]);
		*status = 127;
		return -1;
	}
	fflush(cli->out);
	fflush(cli->err);
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		if (cli->in && fileno(cli->in) != 0)
			dup2(fileno(cli->in), 0);
		/* CMD's own output is CMD's: it goes to the descriptors
		 * below ordoctor's gated streams. */
		if (cli->out_fd >= 0 && cli->out_fd != 1)
			dup2(cli->out_fd, 1);
		if (cli->err_fd >= 0 && cli->err_fd != 2)
			dup2(cli->err_fd, 2);
		/* -C DIR: the tool starts where its files were looked for, so it
		 * reads the .env the prediction read. */
		if (cli->chdir && chdir(cli->chdir))
			_exit(126);
		execve(prog, cmd, env);
		_exit(errno == ENOENT ? 127 : 126);
	}
	free(prog);
	memset(&fwd, 0, sizeof(fwd));
	fwd.sa_handler = forward_signal;
	sigemptyset(&fwd.sa_mask);
	child_pid = pid;
	sigaction(SIGTERM, &fwd, &oterm);
	sigaction(SIGHUP, &fwd, &ohup);
	if (pid < 0) {
		child_pid = 0;
		sigaction(SIGTERM, &oterm, NULL);
		sigaction(SIGHUP, &ohup, NULL);
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		fprintf(cli->err, "ordoctor: run: cannot start %s: %s\n", cmd[0], strerror(errno));
		*status = 126;
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	child_pid = 0;
	sigaction(SIGTERM, &oterm, NULL);
	sigaction(SIGHUP, &ohup, NULL);
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
	return 0;
}

/* What the requests showed becomes facts, and the verdict comes from the
 * same rules as `check --tool`: a dead key on the wire is told with the
 * place it came from and the candidates it beat. */
static void judge_wire(ord_cli *cli, proxy_out *out, ord_diag *d, const char *tool)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		const ord_proxy_record *r = &out->recs[i];
		ord_wire_fact w;

		if (r->event)
			continue;
		memset(&w, 0, sizeof(w));
		w.hit = r->cred.match;
		w.predicted = r->predicted;
		w.differs = r->differs;
		w.status = r->status;
		w.cause = r->cause;
		snprintf(w.message, sizeof(w.message), "%s", r->message);
		snprintf(w.problem, sizeof(w.problem), "%s", r->problem);
		snprintf(w.what, sizeof(w.what), "%s %.140s", r->method, r->path);
		ord_facts_add_wire(&d->f, &w);
	}
	/* no tool named or guessed: the requests are the scope, so a present
	 * tool's static story does not become the verdict of this program */
	ord_diag_judge(&cli->ctx, d, tool ? ord_diag_tool_index(d, tool) :
				     d->f.nwire ? ORD_SCOPE_WIRE : -1);
}

static void summary(ord_cli *cli, proxy_out *out, ord_diag *d, const char *cmd,
		    const char *url, const char *tool)
{
	size_t i, nreq = 0;

	for (i = 0; i < out->n; i++)
		if (!out->recs[i].event)
			nreq++;
	if (out->json) {
		for (i = 0; i < out->n; i++)
			proxy_out_print(out, cli->out, &out->recs[i]);
		return;
	}
	fprintf(cli->out, "ordoctor run: %s sent %zu request%s through the proxy (%s)%s%s\n",
		cmd, nreq, nreq == 1 ? "" : "s", url, tool ? "; tool: " : "", tool ? tool : "");
	for (i = 0; i < out->n; i++)
		proxy_out_print(out, cli->out, &out->recs[i]);
	if (!nreq) {
		long t = ord_diag_tool_index(d, tool);
		const ord_tool_res *tr = t >= 0 ? &d->f.tools->v[t] : NULL;

		/* the likeliest first: a client that has no key refuses to
		 * send at all ("Missing credentials"), which looks the same */
		if (tr && tr->win < 0)
			fprintf(cli->out, "verdict: nothing reached the proxy: %s finds no key in any place it reads, "
				"and clients without a key usually stop before sending (\"Missing credentials\"); "
				"`ordoctor check --tool %s` says where to put it\n", tr->p->name, tr->p->id);
		else
			fprintf(cli->out, "verdict: nothing reached the proxy: %s failed before sending anything "
				"(look at its own error above: a missing key is the commonest), or it does not read "
				"OPENROUTER_BASE_URL, OPENAI_BASE_URL, ANTHROPIC_BASE_URL or the others; point its "
				"base URL at %s/api/v1 (Claude Code: %s/api)\n", cmd, url, url);
	} else if (d->main.verdict >= 0) {
		const ord_claim *c = &d->claims[d->main.verdict];

		fprintf(cli->out, "verdict: %s%s%s: %s\n  fix: %s\n", ord_c(cli, ORD_C_RED), c->cause,
			ord_c(cli, ORD_C_RESET), c->summary, c->fix ? c->fix : ord_cause_fix(c->cause));
	} else
		fprintf(cli->out, "verdict: %sno problem%s seen in %zu request%s\n", ord_c(cli, ORD_C_GREEN),
			ord_c(cli, ORD_C_RESET), nreq, nreq == 1 ? "" : "s");
}

int cmd_run(ord_cli *cli, int argc, char **argv)
{
	proxy_opts o;
	proxy_out out;
	ord_facts d;
	ord_diag judged;
	ord_proxy *px = NULL;
	char **env, **cmdv = NULL, **owned = NULL, url[128];
	int i, rc, status = 0, adapted = 0;
	const char *tool;

	proxy_opts_init(cli, &o);
	o.cfg.port = 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (argv[i][0] != '-')
			break;
		rc = proxy_opt(cli, &o, argc, argv, &i);
		if (rc < 0)
			return ORD_EXIT_USAGE;
		if (!rc)
			return ord_cli_unknown_option(cli, "run", argv[i]);
	}
	if (i >= argc)
		return ord_cli_usage_error(cli, "run: no command (usage: ordoctor run [--tool NAME] -- CMD...)");
	memset(&out, 0, sizeof(out));
	out.cli = cli;
	out.d = &d;
	out.schema = "ordoctor.run/1";
	out.json = cli->format == ORD_FMT_JSON;
	out.keep = 1;
	out.live = cli->verbose ? cli->err : NULL;
	ord_facts_init(&d);
	if (ord_facts_gather(&cli->ctx, &d)) {
		ord_facts_release(&d);
		return ord_cli_usage_error(cli, "out of memory");
	}
	ord_cli_flush_warnings(cli);
	tool = o.tool ? o.tool : ord_proxy_guess_tool(&d, argv[i]);
	o.tool = tool;
	rc = proxy_begin(cli, &o, &out, &d, &px);
	if (rc) {
		ord_facts_release(&d);
		return rc;
	}
	snprintf(url, sizeof(url), "%s", ord_proxy_url(px));
	ord_cli_warn_listen(cli, "the proxy", url);
	env = child_env(cli, url);
	if (!env) {
		ord_proxy_stop(px);
		ord_facts_release(&d);
		return ord_cli_usage_error(cli, "out of memory");
	}
	{
		const ord_tool_res *t = tool && d.tools ? ord_tools_find(d.tools, tool) : NULL;

		cmdv = adapt(cli, &d, tool, argv + i, &env, url, &owned, &adapted);
		/* before the tool starts: whether its requests can reach the proxy */
		if (t)
			base_advice(cli, cli->err, &d, tool, url, adapted);
	}
	run_child(cli, cmdv ? cmdv : argv + i, env, &status);
	if (owned) {
		char **w;

		for (w = owned; *w; w++)
			free(*w);
		free(owned);
	}
	free(cmdv);
	free_env(env);
	ord_proxy_stop(px); /* waits for requests still in flight */
	ord_diag_init(&judged);
	judged.f = d; /* the facts move into the judgment, with the wire */
	judge_wire(cli, &out, &judged, tool);
	summary(cli, &out, &judged, argv[i], url, tool);
	if (tool && !out.json)
		base_advice(cli, cli->out, &d, tool, url, adapted);
	proxy_out_release(&out);
	ord_diag_release(&judged);
	return status;
}
