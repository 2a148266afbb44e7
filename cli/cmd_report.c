/* `ordoctor report [-o FILE] [--force]`: a markdown report to paste into an
 * issue.  The verdict, the checks, the tools, the versions found in files
 * (never by running a tool), and what changed since it last worked.
 * Everything in it is redacted, the home directory is written "~", and no
 * user or host name is looked up. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lib/causes.h"
#include "lib/judge.h"
#include "lib/laststate.h"
#include "lib/sysinfo.h"
#include "lib/verdict.h"
#include "lib/words.h"
#include "ord_config.h"

#define REPORT_CAP (4 * 1024 * 1024)

/* A table cell: one line, no column break. */
static void cell(ord_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			ord_buf_adds(b, "\\|");
		else
			ord_buf_addc(b, *s == '\n' || *s == '\r' ? ' ' : *s);
	}
	ord_buf_adds(b, " | ");
}

static void verdict_md(const ord_diag *d, ord_buf *b)
{
	const ord_judgment *j = &d->main;
	size_t i;

	if (j->verdict >= 0) {
		const ord_claim *c = &d->claims[j->verdict];
		const char *cat = ord_cause_category(c->cause);

		ord_buf_addf(b, "**Verdict:** `%s` (%s)\n\n%s\n\n**Fix:** %s\n\n", c->cause,
			     cat ? cat : "?", c->summary ? c->summary : "",
			     c->fix ? c->fix : ord_cause_fix(c->cause));
	} else
		ord_buf_addf(b, "**Verdict:** %s.\n\n", j->outcome == ORD_OUTCOME_UNDECIDED ?
			     "undecided: not every fact could be observed" : "no problem found");
	for (i = 0; i < j->ngaps; i++)
		ord_buf_addf(b, "- **Missing:** %s (to get it: %s)\n%s", d->gaps[j->gaps[i]].what,
			     d->gaps[j->gaps[i]].how, i + 1 == j->ngaps ? "\n" : "");
	for (i = 0; i < j->ncandidates; i++) {
		const ord_claim *c = &d->claims[j->candidates[i]];

		ord_buf_addf(b, "%s- `%s`: %s\n%s", i ? "" : "Other candidates:\n\n", c->cause,
			     c->summary ? c->summary : "", i + 1 == j->ncandidates ? "\n" : "");
	}
}

static void since_md(const ord_diag *d, ord_buf *b)
{
	char date[11];
	size_t i;

	if (!d->since)
		return;
	ord_words_since_date(d->since, date);
	ord_buf_addf(b, "### Since it last worked (%s)\n\n", date);
	if (!d->since->n)
		ord_buf_adds(b, "Nothing ordoctor records has changed.\n");
	for (i = 0; i < d->since->n; i++)
		ord_buf_addf(b, "- %s\n", d->since->v[i].text);
	ord_buf_addc(b, '\n');
}

static void checks_md(const ord_diag *d, ord_buf *b)
{
	size_t i, k;

	ord_buf_adds(b, "### Checks\n\n| check | status | message |\n|---|---|---|\n");
	for (i = 0; i < d->nchecks; i++) {
		ord_buf_adds(b, "| ");
		cell(b, d->checks[i].id);
		cell(b, ord_status_id(d->checks[i].status));
		cell(b, d->checks[i].message);
		b->len--; /* the last cell's trailing blank */
		ord_buf_addc(b, '\n');
	}
	ord_buf_addc(b, '\n');
	for (i = 0; i < d->nchecks; i++)
		for (k = 0; k < d->checks[i].nevidence; k++)
			ord_buf_addf(b, "- %s: %s\n", d->checks[i].id, d->checks[i].evidence[k]);
	ord_buf_addc(b, '\n');
}

static void tools_md(ord_cli *cli, const ord_diag *d, ord_buf *b)
{
	const ord_tools *t = d->f.tools;
	size_t i;

	ord_buf_adds(b, "### Tools\n\n| tool | found because | key sent | from | base URL | status |\n"
		     "|---|---|---|---|---|---|\n");
	for (i = 0; t && i < t->n; i++) {
		const ord_tool_res *tr = &t->v[i];
		const ord_judgment *j = d->tools ? &d->tools[i] : NULL;
		char red[ORD_REDACT_MAX] = "none";
		ord_buf from = ORD_BUF_INIT(4096);

		if (!tr->present)
			continue;
		if (tr->win >= 0) {
			const ord_hit *h = &d->f.hits.v[tr->keys[tr->win].hit];

			ord_key_redact(&h->key, red);
			ord_hit_where(&cli->ctx, h, &from);
			if (h->kind == ORD_SRC_ENV && h->name)
				ord_buf_addf(&from, " (%s)", h->name);
		}
		ord_buf_adds(b, "| ");
		cell(b, tr->p->id);
		cell(b, tr->present_why);
		cell(b, red);
		cell(b, from.len ? ord_buf_str(&from) : "-");
		cell(b, tr->base_url ? tr->base_url : "-");
		cell(b, !j ? "-" : j->outcome == ORD_OUTCOME_PROBLEM && j->verdict >= 0 ?
		     d->claims[j->verdict].cause : j->outcome == ORD_OUTCOME_UNDECIDED ? "undecided" : "ok");
		b->len--;
		ord_buf_addc(b, '\n');
		ord_buf_release(&from);
	}
	ord_buf_addc(b, '\n');
}

static void versions_md(ord_cli *cli, const ord_diag *d, ord_buf *b)
{
	const ord_tools *t = d->f.tools;
	char os[256], ver[64];
	size_t i;

	ord_os_release(&cli->ctx, os, sizeof(os));
	ord_buf_addf(b, "### Versions\n\n- ordoctor %s\n- OS: %s\n", ORD_VERSION, os);
	for (i = 0; t && i < t->n; i++) {
		char *from = NULL;

		if (!t->v[i].present)
			continue;
		if (!ord_tool_version(&cli->ctx, t->v[i].p, ver, sizeof(ver), &from)) {
			ord_buf_addf(b, "- %s %s (", t->v[i].p->id, ver);
			ord_path_where(&cli->ctx, from, b);
			ord_buf_adds(b, ")\n");
		} else
			ord_buf_addf(b, "- %s: version not found in its files\n", t->v[i].p->id);
		free(from);
	}
	ord_buf_addc(b, '\n');
}

static void warnings_md(const ord_ctx *ctx, ord_buf *b)
{
	size_t i;

	if (!ctx->nwarnings)
		return;
	ord_buf_adds(b, "### Warnings\n\n");
	for (i = 0; i < ctx->nwarnings; i++)
		ord_buf_addf(b, "- %s\n", ctx->warnings[i].text);
	ord_buf_addc(b, '\n');
}

/* Replace every `from` in `in` by `to`; with `segment`, only where from
 * is a whole path component ("/alice/" or "/alice" at the end). */
static void replace_all(const ord_buf *in, const char *from, const char *to, int segment,
			ord_buf *out)
{
	const char *p = ord_buf_str(in), *s = p, *hit;
	size_t fl = strlen(from);

	while (fl > 1 && (hit = strstr(s, from))) {
		char after = hit[fl];

		if (segment && (hit == p || hit[-1] != '/' || (after && after != '/' &&
		    after != ' ' && after != '\n' && after != ')' && after != '|'))) {
			s = hit + 1;
			continue;
		}
		ord_buf_add(out, p, (size_t)(hit - p));
		ord_buf_adds(out, to);
		p = s = hit + fl;
	}
	ord_buf_adds(out, p);
}

/* The home directory becomes "~" (it holds the user name), then the user
 * name wherever it is a path component ("/srv/alice/app"). */
static void depersonalize(const ord_ctx *ctx, const ord_buf *in, ord_buf *out)
{
	ord_buf mid = ORD_BUF_INIT(REPORT_CAP);
	const char *user = ord_env_get(ctx, "USER");

	if (!user || !*user)
		user = ord_env_get(ctx, "LOGNAME");
	replace_all(in, ctx->home, "~", 0, &mid);
	if (user && strlen(user) > 1)
		replace_all(&mid, user, "<user>", 1, out);
	else
		ord_buf_adds(out, ord_buf_str(&mid));
	ord_buf_release(&mid);
}

static int write_out(ord_cli *cli, const char *file, int force, const ord_buf *text)
{
	int fd, rc = 0;
	ssize_t n;

	if (!file) {
		fwrite(ord_buf_str(text), 1, text->len, cli->out);
		return 0;
	}
	fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (force ? O_TRUNC : O_EXCL), 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return ord_cli_usage_error(cli, "report: '%s' exists (--force replaces it)", file);
		return ord_cli_usage_error(cli, "report: cannot write '%s': %s", file, strerror(errno));
	}
	n = write(fd, ord_buf_str(text), text->len);
	if (n < 0 || (size_t)n != text->len)
		rc = n < 0 ? errno : EIO;
	if (close(fd) && !rc)
		rc = errno;
	if (rc)
		return ord_cli_usage_error(cli, "report: cannot write '%s': %s", file, strerror(rc));
	if (!cli->quiet)
		fprintf(cli->err, "report written to %s\n", file);
	return 0;
}

int cmd_report(ord_cli *cli, int argc, char **argv)
{
	ord_diag d;
	ord_diag_opts o = {0};
	ord_buf md = ORD_BUF_INIT(REPORT_CAP), home = ORD_BUF_INIT(REPORT_CAP),
		gated = ORD_BUF_INIT(REPORT_CAP);
	const char *file = NULL, *v;
	int i, force = 0, rc;

	for (i = 1; i < argc; i++) {
		if ((v = ord_opt_value(argc, argv, &i, "--output")) || (v = ord_opt_value(argc, argv, &i, "-o"))) {
			file = ord_cli_path(cli, v);
			continue;
		}
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output"))
			return ord_cli_usage_error(cli, "option '%s' needs a file name", argv[i]);
		if (!strcmp(argv[i], "--force")) {
			force = 1;
			continue;
		}
		if (!strcmp(argv[i], "--no-state")) {
			cli->no_state = 1;
			continue;
		}
		return ord_cli_unknown_option(cli, "report", argv[i]);
	}
	if (file && !force && !access(file, F_OK))
		return ord_cli_usage_error(cli, "report: '%s' exists (--force replaces it)", file);
	ord_cli_warn_api_base(cli);
	ord_diag_init(&d);
	if (ord_diag_run(&cli->ctx, &d, &o)) {
		ord_diag_release(&d);
		return ord_cli_usage_error(cli, "out of memory");
	}
	ord_cli_last_state(cli, &d, 0);
	ord_buf_adds(&md, "## ordoctor report\n\n");
	verdict_md(&d, &md);
	since_md(&d, &md);
	checks_md(&d, &md);
	tools_md(cli, &d, &md);
	versions_md(cli, &d, &md);
	warnings_md(&cli->ctx, &md);
	depersonalize(&cli->ctx, &md, &home);
	/* the file gets what the screen would: no key, no control character */
	rc = ord_gate_buf(ord_buf_str(&home), home.len, 0, &gated);
	if (!rc)
		rc = write_out(cli, file, force, &gated);
	else
		rc = ord_cli_usage_error(cli, "out of memory");
	if (!rc)
		rc = ord_verdict_exit(&d.main);
	ord_buf_release(&md);
	ord_buf_release(&home);
	ord_buf_release(&gated);
	ord_diag_release(&d);
	return rc;
}
