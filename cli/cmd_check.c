/* `ordoctor check`: the doctor.  One glyph line per named check, evidence
 * indented under it, then the verdict with its fix and the runner-up
 * causes. */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/checks.h"
#include "lib/judge.h"
#include "lib/laststate.h"
#include "lib/report.h"
#include "lib/rules.h"
#include "lib/verdict.h"
#include "lib/words.h"

static const char *glyph(ord_status s)
{
	switch (s) {
	case ORD_ST_OK: return "\xe2\x9c\x93";   /* ✓ */
	case ORD_ST_WARN: return "!";
	case ORD_ST_FAIL: return "\xe2\x9c\x97"; /* ✗ */
	case ORD_ST_UNKNOWN: return "?";
	case ORD_ST_SKIP: return "-";
	}
	return "?";
}

static const char *colour(ord_status s)
{
	switch (s) {
	case ORD_ST_OK: return ORD_C_GREEN;
	case ORD_ST_WARN: return ORD_C_YELLOW;
	case ORD_ST_FAIL: return ORD_C_RED;
	default: return ORD_C_DIM;
	}
}

/* --list-checks in each format: JSON (schema ordoctor.checks/1) for
 * scripts, a markdown table, or one line per check. */
static int list_checks(ord_cli *cli)
{
	size_t n, i;
	const ord_check_def *defs = ord_check_defs(&n);

	if (cli->format == ORD_FMT_JSON) {
		json_object *doc = json_object_new_object(), *a = json_object_new_array();

		json_object_object_add(doc, "schema", json_object_new_string("ordoctor.checks/1"));
		for (i = 0; i < n; i++) {
			json_object *o = json_object_new_object(), *c = json_object_new_array();
			const char *p = defs[i].causes;

			while (*p) {
				size_t l = strcspn(p, " ,");
				if (l)
					json_object_array_add(c, json_object_new_string_len(p, (int)l));
				p += l;
				p += strspn(p, " ,");
			}
			json_object_object_add(o, "id", json_object_new_string(defs[i].id));
			json_object_object_add(o, "title", json_object_new_string(defs[i].title));
			json_object_object_add(o, "live", json_object_new_boolean(defs[i].live));
			json_object_object_add(o, "causes", c);
			json_object_array_add(a, o);
		}
		json_object_object_add(doc, "checks", a);
		fprintf(cli->out, "%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
			JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
		return ORD_EXIT_OK;
	}
	if (cli->format == ORD_FMT_MARKDOWN) {
		fprintf(cli->out, "| check | title | live | causes |\n|---|---|---|---|\n");
		for (i = 0; i < n; i++)
			ord_cli_md_row(cli->out, 4, defs[i].id, defs[i].title, defs[i].live ? "yes" : "no",
				       defs[i].causes);
		return ORD_EXIT_OK;
	}
	for (i = 0; i < n; i++)
		fprintf(cli->out, "%-16s %s%s%s%s\n", defs[i].id, defs[i].title,
			defs[i].live ? " (live)" : "",
			*defs[i].causes ? " -> " : "", defs[i].causes);
	return ORD_EXIT_OK;
}

static void item(ord_cli *cli, const char *head, size_t indent, const char *text);

static void print_missing(ord_cli *cli, const ord_diag *d, const ord_judgment *j)
{
	size_t i;

	for (i = 0; i < j->ngaps; i++) {
		const ord_gap *g = &d->gaps[j->gaps[i]];
		char head[64];

		snprintf(head, sizeof(head), "  %sMissing:%s ", ord_c(cli, ORD_C_BOLD), ord_c(cli, ORD_C_RESET));
		item(cli, head, 11, g->what);
		item(cli, "    to get it: ", 6, g->how);
	}
}

/* One item of the text answer: head (visible width indent) then text,
 * wrapped to the terminal's width when there is one (issue 15); to a pipe,
 * one line per item as before. */
static void item(ord_cli *cli, const char *head, size_t indent, const char *text)
{
	if (!ord_cli_term_width(cli)) {
		fprintf(cli->out, "%s%s\n", head, text);
		return;
	}
	ord_cli_wrap(cli, head, indent, text);
}

/* check -q: for a shell's start-up file, a pre-commit hook or CI.  Nothing
 * when no problem was found; nothing either when the only missing fact is
 * what --offline chose not to ask (the exit status, 3, still says so);
 * otherwise one line: the cause and the fix, or the missing fact. */
static void print_quiet(ord_cli *cli, const ord_diag *d)
{
	const ord_judgment *j = &d->main;
	size_t g;

	if (j->verdict >= 0) {
		const ord_claim *c = &d->claims[j->verdict];
		fprintf(cli->out, "ordoctor: %s: %s\n", c->cause, c->fix ? c->fix : ord_cause_fix(c->cause));
		return;
	}
	if (j->outcome == ORD_OUTCOME_CLEAN) {
		size_t i;

		/* no problem yet, but a key runs out within the week: at shell
		 * start that is the moment to say so (the exit status stays 0) */
		for (i = 0; i < d->nclaims; i++) {
			const ord_claim *c = &d->claims[i];
			if (c->story == ORD_STORY_EXPIRING && ord_verdict_in_scope(d, c, j->tool)) {
				fprintf(cli->out, "ordoctor: warning: %s %s\n", c->summary ? c->summary : "",
					c->fix ? c->fix : "");
				return;
			}
		}
	}
	if (j->outcome != ORD_OUTCOME_UNDECIDED)
		return;
	for (g = 0; g < j->ngaps; g++) {
		const ord_gap *gap = &d->gaps[j->gaps[g]];
		if (gap->kind == ORD_GAP_OFFLINE)
			continue;
		fprintf(cli->out, "ordoctor: undecided: missing %s (%s)\n", gap->what ? gap->what : "a fact",
			gap->how ? gap->how : "ordoctor check");
		return;
	}
}

/* "Since it last worked (2026-12-01): …", before the verdict. */
static void print_since(ord_cli *cli, const ord_since *s)
{
	char date[11];
	size_t i;

	if (!s)
		return;
	ord_words_since_date(s, date);
	fprintf(cli->out, "%sSince it last worked (%s):%s%s\n", ord_c(cli, ORD_C_BOLD), date,
		ord_c(cli, ORD_C_RESET), s->n ? "" : " nothing ordoctor records has changed.");
	for (i = 0; i < s->n; i++)
		fprintf(cli->out, "  - %s\n", s->v[i].text);
	fputc('\n', cli->out);
}

static void print_text(ord_cli *cli, const ord_diag *d)
{
	const ord_judgment *j = &d->main;
	size_t i, k;

	if (cli->quiet) {
		print_quiet(cli, d);
		return;
	}

	if (!cli->quiet) {
		for (i = 0; i < d->nchecks; i++) {
			const ord_check *c = &d->checks[i];

			char head[64];
			ord_buf line = ORD_BUF_INIT(8192);

			snprintf(head, sizeof(head), "%s%s%s ", ord_c(cli, colour(c->status)),
				 glyph(c->status), ord_c(cli, ORD_C_RESET));
			ord_buf_addf(&line, "%s: %s", c->title, c->message ? c->message : "");
			item(cli, head, 2, ord_buf_str(&line));
			ord_buf_release(&line);
			if (c->status == ORD_ST_OK && !cli->verbose)
				continue;
			for (k = 0; k < c->nevidence; k++)
				item(cli, "    ", 6, c->evidence[k]);
		}
		fputc('\n', cli->out);
	}
	print_since(cli, d->since);
	if (j->verdict < 0) {
		if (j->outcome == ORD_OUTCOME_UNDECIDED) {
			size_t g;
			int only_offline = d->f.offline;

			/* "offline" explains only the liveness gaps */
			for (g = 0; g < j->ngaps; g++)
				if (d->gaps[j->gaps[g]].kind != ORD_GAP_OFFLINE)
					only_offline = 0;
			fprintf(cli->out, "%sVerdict:%s %s\n", ord_c(cli, ORD_C_BOLD), ord_c(cli, ORD_C_RESET),
				only_offline ? "no problem found offline; whether OpenRouter accepts the keys was not checked." :
					       "undecided: no problem seen, but not every fact could be observed.");
			print_missing(cli, d, j);
		} else {
			fprintf(cli->out, "%sVerdict:%s no problem found.\n", ord_c(cli, ORD_C_BOLD),
				ord_c(cli, ORD_C_RESET));
			if (d->chat_hint && !cli->quiet)
				fprintf(cli->out, "  GET /key cannot show the account balance: `ordoctor check --chat` tests credits, quota and models with a one-token completion.\n");
		}
	} else {
		const ord_claim *f = &d->claims[j->verdict];
		const char *cat = ord_cause_category(f->cause);

		fprintf(cli->out, "%sVerdict: %s%s%s (%s)\n", ord_c(cli, ORD_C_BOLD),
			ord_c(cli, ORD_C_RED), f->cause, ord_c(cli, ORD_C_RESET), cat ? cat : "?");
		char head[64];

		item(cli, "  ", 2, f->summary);
		snprintf(head, sizeof(head), "  %sFix:%s ", ord_c(cli, ORD_C_BOLD), ord_c(cli, ORD_C_RESET));
		item(cli, head, 7, f->fix ? f->fix : ord_cause_fix(f->cause));
		if (!cli->quiet)
			print_missing(cli, d, j);
	}
	if (cli->quiet)
		return;
	if (d->scope_note) {
		char head[64];

		snprintf(head, sizeof(head), "%sNote:%s ", ord_c(cli, ORD_C_BOLD), ord_c(cli, ORD_C_RESET));
		fputc('\n', cli->out);
		item(cli, head, 6, d->scope_note);
	}
	for (i = 0; i < j->ncandidates; i++) {
		const ord_claim *f = &d->claims[j->candidates[i]];

		if (!i)
			fprintf(cli->out, "\n%s:\n", j->verdict >= 0 ? "Other candidates" : "Likely causes, pending the missing facts");
		char head[128];

		snprintf(head, sizeof(head), "  %s%s%s: ", ord_c(cli, ORD_C_CYAN), f->cause, ord_c(cli, ORD_C_RESET));
		item(cli, head, 4 + strlen(f->cause), f->summary);
		if (cli->verbose)
			fprintf(cli->out, "    Fix: %s\n", f->fix ? f->fix : ord_cause_fix(f->cause));
	}
}

/* A redacted report to paste into an issue. */
static void print_markdown(ord_cli *cli, const ord_diag *d)
{
	const ord_judgment *j = &d->main;
	size_t i, k;

	fprintf(cli->out, "## ordoctor check\n\n");
	if (d->since) {
		char date[11];

		ord_words_since_date(d->since, date);
		fprintf(cli->out, "**Since it last worked (%s):**%s\n", date,
			d->since->n ? "" : " nothing ordoctor records has changed.");
		for (i = 0; i < d->since->n; i++)
			fprintf(cli->out, "- %s\n", d->since->v[i].text);
		fputc('\n', cli->out);
	}
	if (j->verdict >= 0) {
		const ord_claim *f = &d->claims[j->verdict];
		fprintf(cli->out, "**Verdict:** `%s` (%s)\n\n%s\n\n**Fix:** %s\n\n", f->cause,
			ord_cause_category(f->cause) ? ord_cause_category(f->cause) : "?",
			f->summary, f->fix ? f->fix : ord_cause_fix(f->cause));
	} else
		fprintf(cli->out, "**Verdict:** %s.\n\n", j->outcome == ORD_OUTCOME_UNDECIDED ?
			"undecided: not every fact could be observed" : "no problem found");
	for (i = 0; i < j->ngaps; i++)
		fprintf(cli->out, "- **Missing:** %s (to get it: %s)\n%s", d->gaps[j->gaps[i]].what,
			d->gaps[j->gaps[i]].how, i + 1 == j->ngaps ? "\n" : "");
	if (d->scope_note)
		fprintf(cli->out, "**Note:** %s\n\n", d->scope_note);
	fprintf(cli->out, "| check | status | message |\n|---|---|---|\n");
	for (i = 0; i < d->nchecks; i++)
		ord_cli_md_row(cli->out, 3, d->checks[i].id, ord_status_id(d->checks[i].status),
			       d->checks[i].message ? d->checks[i].message : "");
	fprintf(cli->out, "\n");
	for (i = 0; i < d->nchecks; i++)
		for (k = 0; k < d->checks[i].nevidence; k++)
			fprintf(cli->out, "- %s: %s\n", d->checks[i].id, d->checks[i].evidence[k]);
}

int cmd_check(ord_cli *cli, int argc, char **argv)
{
	ord_diag d;
	ord_diag_opts o = {0};
	const char *v, *error_file = NULL, *context = NULL;
	char tool_buf[64], label[160];
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list-checks"))
			return list_checks(cli);
		if ((v = ord_opt_value(argc, argv, &i, "--tool"))) {
			o.tool = v;
			continue;
		}
		if (!strcmp(argv[i], "--tool"))
			return ord_cli_usage_error(cli, "option '--tool' needs a tool id (see 'ordoctor tools --all')");
		if ((v = ord_opt_value(argc, argv, &i, "--error"))) {
			error_file = strcmp(v, "-") ? ord_cli_path(cli, v) : v;
			continue;
		}
		if (!strcmp(argv[i], "--error"))
			return ord_cli_usage_error(cli, "option '--error' needs a file with the error text, or '-' for stdin");
		if ((v = ord_opt_value(argc, argv, &i, "--context"))) {
			context = v;
			continue;
		}
		if (!strcmp(argv[i], "--context"))
			return ord_cli_usage_error(cli, "option '--context' needs a start context (see 'ordoctor env')");
		if (!strcmp(argv[i], "--no-state")) {
			cli->no_state = 1;
			continue;
		}
		if (!strcmp(argv[i], "--chat")) {
			o.chat = 1;
			if (i + 1 < argc && argv[i + 1][0] != '-')
				o.chat_model = argv[++i];
			continue;
		}
		return ord_cli_unknown_option(cli, "check", argv[i]);
	}
	if (o.tool) {
		/* Before the network run: a typo costs no round trip. */
		if (ord_cli_tool_id(cli, o.tool, tool_buf, sizeof(tool_buf)))
			return ORD_EXIT_USAGE;
		o.tool = tool_buf;
	}
	if (context && error_file)
		return ord_cli_usage_error(cli, "check: --context cannot be combined with --error");
	if (context && (rc = ord_cli_context(cli, context, label, sizeof(label))))
		return rc;
	if (error_file) {
		/* `check --error FILE` is `explain --check FILE`: the text read
		 * with this machine's facts (cli/explain_machine.c). */
		char *xargv[6];
		int n = 0;

		if (o.chat)
			return ord_cli_usage_error(cli, "check: --chat cannot be combined with --error");
		xargv[n++] = (char *)"explain";
		xargv[n++] = (char *)"--check";
		if (o.tool) {
			xargv[n++] = (char *)"--tool";
			xargv[n++] = (char *)o.tool;
		}
		xargv[n++] = (char *)error_file;
		xargv[n] = NULL;
		return cmd_explain(cli, n, xargv);
	}
	ord_cli_warn_api_base(cli);
	ord_diag_init(&d);
	rc = ord_diag_run(&cli->ctx, &d, &o);
	if (rc == ENOENT) {
		ord_diag_release(&d);
		return ord_cli_usage_error(cli, "unknown tool '%s' (see 'ordoctor tools --all')", o.tool);
	}
	if (rc) {
		ord_diag_release(&d);
		return ord_cli_usage_error(cli, "out of memory");
	}
	ord_cli_last_state(cli, &d, 1);
	d.context = context ? label : NULL;
	if (cli->format == ORD_FMT_JSON) {
		char *json = ord_report_json(&cli->ctx, &d, "check");
		if (json)
			fprintf(cli->out, "%s\n", json);
		free(json);
	} else if (cli->format == ORD_FMT_MARKDOWN) {
		if (context)
			fprintf(cli->out, "Judged as started from: %s (the environment its start-up files give, not this shell's)\n\n", label);
		print_markdown(cli, &d);
	} else {
		if (context && !cli->quiet)
			fprintf(cli->out, "Judged as started from: %s (the environment its start-up files give, not this shell's)\n\n", label);
		print_text(cli, &d);
	}
	rc = ord_verdict_exit(&d.main);
	ord_diag_release(&d);
	return rc;
}
