/* `ordoctor tools`: the tools ordoctor knows, which are present, and for
 * each the key and base URL it would send, with the candidates it
 * shadows and why they lose. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/judge.h"
#include "lib/profile.h"
#include "lib/report.h"
#include "lib/rules.h"

static const char *live_of(const ord_facts *f, long hit)
{
	long row = ord_facts_row_of_hit(f, hit);

	return ord_live_id(row >= 0 ? f->keys[row].live : ORD_LIVE_NOT_CHECKED);
}

static void where(ord_cli *cli, const ord_hit *h, ord_buf *b)
{
	if (h->kind == ORD_SRC_ENV)
		ord_buf_addf(b, "env %s", h->name);
	else {
		ord_hit_where(&cli->ctx, h, b);
		if (h->kind == ORD_SRC_CONFIG && h->name)
			ord_buf_addf(b, " %s", h->name);
		else if (h->kind == ORD_SRC_DOTENV && h->name)
			ord_buf_addf(b, " %s", h->name);
	}
}

/* The cells of a tool's winning key, for the table and the markdown:
 * the redacted key (into red), its place (into from), its status. */
static const char *winner_cells(ord_cli *cli, const ord_facts *f, const ord_tool_res *tr,
				char red[ORD_REDACT_MAX], ord_buf *from)
{
	const ord_hit *h;

	if (tr->win < 0) {
		ord_buf_adds(from, "no key found");
		return "-";
	}
	h = &f->hits.v[tr->keys[tr->win].hit];
	ord_key_redact(&h->key, red);
	where(cli, h, from);
	return live_of(f, tr->keys[tr->win].hit);
}

static void print_table(ord_cli *cli, const ord_diag *d, int all)
{
	const ord_facts *f = &d->f;
	const ord_tools *t = f->tools;
	size_t i, j, shown = 0;

	fprintf(cli->out, "%s%-19s %-8s %-20s %-12s %s%s\n", ord_c(cli, ORD_C_BOLD), "TOOL",
		"PRESENT", "KEY", "STATUS", "FROM", ord_c(cli, ORD_C_RESET));
	for (i = 0; t && i < t->n; i++) {
		const ord_tool_res *tr = &t->v[i];
		ord_buf b = ORD_BUF_INIT(4096);
		char red[ORD_REDACT_MAX] = "-";
		const char *st;

		if (!tr->present && !all)
			continue;
		shown++;
		st = winner_cells(cli, f, tr, red, &b);
		fprintf(cli->out, "%-19s %-8s %-20s %-12s %s\n", tr->p->id, tr->present ? "yes" : "no",
			red, st, ord_buf_str(&b));
		if (tr->base_url)
			fprintf(cli->out, "%-19s base %s%s\n", "", tr->base_url,
				tr->base_default ? " (default)" : "");
		/* "this project": the code that builds the client is the evidence */
		if (tr->present_why && tr->p->npresent && !strncmp(tr->p->present[0], "code\t", 5))
			fprintf(cli->out, "%-19s code %s\n", "", tr->present_why);
		for (j = 0; j < tr->nkeys; j++) {
			const ord_cand *c = &tr->keys[j];
			const ord_hit *h = &f->hits.v[c->hit];

			if ((long)j == tr->win)
				continue;
			ord_buf_reset(&b);
			ord_key_redact(&h->key, red);
			where(cli, h, &b);
			fprintf(cli->out, "%-19s %s%s %s (%s) from %s: %s%s\n", "",
				ord_c(cli, ORD_C_DIM), (long)j == tr->also ? "also sends" : "shadows", red,
				live_of(f, c->hit), ord_buf_str(&b), c->why ? c->why : "", ord_c(cli, ORD_C_RESET));
		}
		for (j = 0; cli->verbose && j < tr->p->nstores; j++)
			fprintf(cli->out, "%-19s %scannot read %s: use `ordoctor run` to see the key on the wire%s\n",
				"", ord_c(cli, ORD_C_DIM), tr->p->stores[j], ord_c(cli, ORD_C_RESET));
		if (d->tools[i].verdict >= 0) {
			const ord_claim *c = &d->claims[d->tools[i].verdict];
			fprintf(cli->out, "%-19s %s%s%s: %s\n", "", ord_c(cli, ORD_C_RED), c->cause,
				ord_c(cli, ORD_C_RESET), c->fix ? c->fix : "");
		} else if (tr->present && d->tools[i].outcome == ORD_OUTCOME_UNDECIDED) {
			for (j = 0; j < d->tools[i].ngaps; j++)
				fprintf(cli->out, "%-19s %snot verified: %s (%s)%s\n", "", ord_c(cli, ORD_C_YELLOW),
					d->gaps[d->tools[i].gaps[j]].what, d->gaps[d->tools[i].gaps[j]].how,
					ord_c(cli, ORD_C_RESET));
			for (j = 0; j < d->tools[i].ncandidates; j++) {
				const ord_claim *c = &d->claims[d->tools[i].candidates[j]];
				fprintf(cli->out, "%-19s %slikely: %s: %s%s\n", "", ord_c(cli, ORD_C_YELLOW),
					c->cause, c->summary, ord_c(cli, ORD_C_RESET));
			}
		} else if (tr->present && ord_rules_not_for_openrouter(f, (long)i))
			fprintf(cli->out, "%-19s %sset up for its own vendor, not for OpenRouter%s\n", "",
				ord_c(cli, ORD_C_DIM), ord_c(cli, ORD_C_RESET));
		ord_buf_release(&b);
	}
	if (!shown)
		fprintf(cli->out, "no known tool is installed or configured here (--all lists them all)\n");
}

static const char *judged_status(const ord_diag *d, size_t i)
{
	const ord_tool_res *tr = &d->f.tools->v[i];

	if (!tr->present)
		return "absent";
	if (ord_rules_not_for_openrouter(&d->f, (long)i))
		return "not for OpenRouter";
	return d->tools[i].outcome == ORD_OUTCOME_PROBLEM ? "problem" :
	       d->tools[i].outcome == ORD_OUTCOME_UNDECIDED ? "undecided" : "ok";
}

/* The table as markdown, to paste into an issue: one row per tool, the
 * verdict's cause and fix in the last column. */
static void print_markdown(ord_cli *cli, const ord_diag *d, int all)
{
	const ord_facts *f = &d->f;
	const ord_tools *t = f->tools;
	size_t i, shown = 0;

	fprintf(cli->out, "## ordoctor tools\n\n"
		"| tool | present | key | key status | from | base URL | judgment |\n"
		"|---|---|---|---|---|---|---|\n");
	for (i = 0; t && i < t->n; i++) {
		const ord_tool_res *tr = &t->v[i];
		ord_buf b = ORD_BUF_INIT(4096);
		char red[ORD_REDACT_MAX] = "-";
		const char *st;

		if (!tr->present && !all)
			continue;
		shown++;
		st = winner_cells(cli, f, tr, red, &b);
		{
			ord_buf judged = ORD_BUF_INIT(8192);
			char key[ORD_REDACT_MAX + 2];

			snprintf(key, sizeof(key), "`%s`", red);
			ord_buf_adds(&judged, judged_status(d, i));
			if (d->tools[i].verdict >= 0) {
				const ord_claim *c = &d->claims[d->tools[i].verdict];
				ord_buf_addf(&judged, ": `%s`: %s", c->cause, c->fix ? c->fix : "");
			}
			ord_cli_md_row(cli->out, 7, tr->p->id, tr->present ? "yes" : "no", key, st,
				       ord_buf_str(&b), tr->base_url ? tr->base_url : "-", ord_buf_str(&judged));
			ord_buf_release(&judged);
		}
		ord_buf_release(&b);
	}
	if (!shown)
		fprintf(cli->out, "\nNo known tool is installed or configured here.\n");
}

/* `tools --list-ids`: one profile id a line, the embedded ones and the
 * user's, nothing else looked at: what shell completion offers after
 * --tool (contrib/completions). */
static int list_ids(ord_cli *cli)
{
	ord_profiles ps;
	size_t i;

	if (cli->format != ORD_FMT_TEXT)
		return ord_cli_usage_error(cli, "tools: --list-ids prints plain text, one id a line (no --json or --format)");
	ord_profiles_load_ids(&cli->ctx, &ps);
	for (i = 0; i < ps.n; i++)
		fprintf(cli->out, "%s\n", ps.v[i].id);
	ord_profiles_release(&ps);
	return ORD_EXIT_OK;
}

int cmd_tools(ord_cli *cli, int argc, char **argv)
{
	ord_diag d;
	int i, all = 0, rc = ORD_EXIT_OK;
	const char *v, *context = NULL;
	char label[160];

	for (i = 1; i < argc; i++) {
		if ((v = ord_opt_value(argc, argv, &i, "--context")))
			context = v;
		else if (!strcmp(argv[i], "--context"))
			return ord_cli_usage_error(cli, "option '--context' needs a start context (see 'ordoctor env')");
		else if (!strcmp(argv[i], "--all"))
			all = 1;
		else if (!strcmp(argv[i], "--list-ids"))
			return list_ids(cli);
		else
			return ord_cli_unknown_option(cli, "tools", argv[i]);
	}
	if (context && (rc = ord_cli_context(cli, context, label, sizeof(label))))
		return rc;
	ord_diag_init(&d);
	if (ord_facts_gather(&cli->ctx, &d.f) || ord_diag_probe(&cli->ctx, &d, NULL)) {
		ord_diag_release(&d);
		return ord_cli_usage_error(cli, "out of memory");
	}
	if (!cli->offline)
		ord_cli_warn_api_base(cli);
	ord_diag_judge(&cli->ctx, &d, -1);
	d.context = context ? label : NULL;
	if (cli->format == ORD_FMT_JSON) {
		char *json = ord_report_json(&cli->ctx, &d, "tools");
		if (json)
			fprintf(cli->out, "%s\n", json);
		free(json);
	} else {
		if (context && !cli->quiet)
			fprintf(cli->out, "As started from: %s\n\n", label);
		if (cli->format == ORD_FMT_MARKDOWN)
			print_markdown(cli, &d, all);
		else
			print_table(cli, &d, all);
	}
	/* Like `gh auth status`: a present tool whose request would fail is a
	 * problem found (the tools[].status "problem" of the JSON). */
	for (i = 0; d.f.tools && (size_t)i < d.f.tools->n; i++)
		if (d.f.tools->v[i].present && !ord_rules_not_for_openrouter(&d.f, i) &&
		    d.tools && d.tools[i].outcome == ORD_OUTCOME_PROBLEM)
			rc = ORD_EXIT_PROBLEM;
	/* a present tool whose key could not be verified (--offline, no
	 * answer, a store ordoctor cannot read): undecided, as check says */
	for (i = 0; rc == ORD_EXIT_OK && d.f.tools && (size_t)i < d.f.tools->n; i++)
		if (d.f.tools->v[i].present && !ord_rules_not_for_openrouter(&d.f, i) &&
		    d.tools && d.tools[i].outcome == ORD_OUTCOME_UNDECIDED)
			rc = ORD_EXIT_UNDECIDED;
	ord_diag_release(&d);
	return rc;
}
