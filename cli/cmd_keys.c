/* `ordoctor keys`: every credential found, one row per (key x place), like
 * `aws configure list` or `git config --show-origin`. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/judge.h"
#include "lib/report.h"

static void lint_cell(const ord_hit *h, ord_buf *b)
{
	int l, first = 1;

	for (l = 0; l < ORD_LINT_COUNT; l++)
		if (h->key.lint & ORD_LINT_BIT(l)) {
			ord_buf_addf(b, "%s%s", first ? "" : ",", ord_lint_id(l));
			if (l == ORD_LINT_FOREIGN_PROVIDER && h->key.provider)
				ord_buf_addf(b, "(%s)", h->key.provider);
			first = 0;
		}
	if (first)
		ord_buf_adds(b, "-");
}

/* Why OpenRouter's answer about a key is not known: the JSON's
 * unknown_why, and the reason when there is one. */
static const char *unknown_why(const ord_keyrow *k)
{
	if (k->message[0])
		return k->message;
	switch (k->why) {
	case ORD_WHY_OFFLINE: return "not asked (--offline)";
	case ORD_WHY_NO_ANSWER: return "OpenRouter did not answer";
	case ORD_WHY_NOT_SENT: return "not sent: not a well-formed OpenRouter key";
	default: return "no answer about this key";
	}
}

/* The same rows as a markdown table, to paste into an issue. */
/* Where a key is set, as the tables show it ("environment" for the
 * process environment). */
static void where_cell(ord_cli *cli, const ord_hit *h, ord_buf *where)
{
	if (h->kind == ORD_SRC_ENV)
		ord_buf_adds(where, "environment");
	else
		ord_hit_where(&cli->ctx, h, where);
}

static void print_markdown(ord_cli *cli, const ord_facts *d)
{
	size_t i, j;

	fprintf(cli->out, "## ordoctor keys\n\n");
	if (!d->nkeys) {
		fprintf(cli->out, "No OpenRouter key (or look-alike) found.\n");
		return;
	}
	fprintf(cli->out, "| key | fingerprint | status | where | name | lint |\n|---|---|---|---|---|---|\n");
	for (i = 0; i < d->nkeys; i++) {
		const ord_keyrow *k = &d->keys[i];

		for (j = 0; j < k->nhits; j++) {
			const ord_hit *h = &d->hits.v[k->hits[j]];
			ord_buf where = ORD_BUF_INIT(4096), lint = ORD_BUF_INIT(512);

			where_cell(cli, h, &where);
			lint_cell(h, &lint);
			char key[ORD_REDACT_MAX + 2], fp[ORD_FP_LEN + 3], status[1024];

			snprintf(key, sizeof(key), "`%s`", k->redacted);
			snprintf(fp, sizeof(fp), "`%s`", k->fingerprint);
			snprintf(status, sizeof(status), "%s%s%s", ord_live_id(k->live),
				 k->live == ORD_LIVE_UNKNOWN ? ": " : "",
				 k->live == ORD_LIVE_UNKNOWN ? unknown_why(k) : "");
			ord_cli_md_row(cli->out, 6, key, fp, status, ord_buf_str(&where),
				       h->field ? h->field : h->name ? h->name : "-", ord_buf_str(&lint));
			ord_buf_release(&where);
			ord_buf_release(&lint);
		}
	}
}

static void print_table(ord_cli *cli, const ord_facts *d, int scanned)
{
	size_t i, j, rows = 0;

	if (!d->nkeys) {
		fprintf(cli->out, "%s\n", scanned ? "no OpenRouter key (or look-alike) found in the files scanned" :
			"no OpenRouter key (or look-alike) found in the environment, startup files, .env files or ~/.netrc");
		return;
	}
	fprintf(cli->out, "%s%-22s %-12s %-11s %-34s %-24s %s%s\n",
		ord_c(cli, ORD_C_BOLD), "KEY", "FINGERPRINT", "STATUS", "WHERE",
		"NAME", "LINT", ord_c(cli, ORD_C_RESET));
	for (i = 0; i < d->nkeys; i++) {
		const ord_keyrow *k = &d->keys[i];

		for (j = 0; j < k->nhits; j++) {
			const ord_hit *h = &d->hits.v[k->hits[j]];
			ord_buf where = ORD_BUF_INIT(4096), lint = ORD_BUF_INIT(512);

			where_cell(cli, h, &where);
			if (h->flags & ORD_HIT_SHADOWED_IN_FILE)
				ord_buf_adds(&where, " (overridden)");
			lint_cell(h, &lint);
			fprintf(cli->out, "%-22s %-12s %-11s %-34s %-24s %s\n",
				j ? "" : k->redacted, j ? "" : k->fingerprint,
				j ? "" : ord_live_id(k->live), ord_buf_str(&where),
				h->field ? h->field : h->name ? h->name : "-", ord_buf_str(&lint));
			if (h->note && cli->verbose)
				fprintf(cli->out, "%-47s %s-> %s%s\n", "", ord_c(cli, ORD_C_DIM),
					h->note, ord_c(cli, ORD_C_RESET));
			ord_buf_release(&where);
			ord_buf_release(&lint);
			rows++;
		}
		if (k->used_by && cli->verbose)
			fprintf(cli->out, "%-47s %sread by: %s%s\n", "", ord_c(cli, ORD_C_DIM),
				k->used_by, ord_c(cli, ORD_C_RESET));
		if (k->live == ORD_LIVE_UNKNOWN)
			fprintf(cli->out, "%-47s %sunknown: %s%s\n", "", ord_c(cli, ORD_C_YELLOW),
				unknown_why(k), ord_c(cli, ORD_C_RESET));
	}
	if (!cli->quiet)
		fprintf(cli->out, "\n%zu distinct value%s in %zu place%s%s\n", d->nkeys,
			d->nkeys == 1 ? "" : "s", rows, rows == 1 ? "" : "s",
			cli->verbose ? "" : " (-v shows notes and the tools that read each one)");
}

/* keys --scan PATH [PATH...]: directories are walked, files read; the
 * paths after the first are what pre-commit passes (the staged files). */
static void scan_mode(ord_cli *cli, ord_facts *d, char **paths, size_t n)
{
	ord_scan_opts o = {8 * 1024 * 1024, 64};
	size_t i;

	for (i = 0; i < n; i++) {
		/* relative to -C DIR when given, else as typed (messages quote it so) */
		char *abs = paths[i][0] != '/' && cli->chdir ? ord_path_join(cli->ctx.cwd, paths[i]) : NULL;
		ord_scan_tree(&cli->ctx, abs ? abs : paths[i], &o, &d->hits);
		free(abs);
	}
}

int cmd_keys(ord_cli *cli, int argc, char **argv)
{
	ord_diag d;
	const char *v;
	char **scan = NULL;
	size_t nscan = 0;
	int i, rc = ORD_EXIT_OK, scanned = 0;

	for (i = 1; i < argc; i++) {
		if ((v = ord_opt_value(argc, argv, &i, "--scan")) || (nscan && argv[i][0] != '-')) {
			char **grown = realloc(scan, (nscan + 1) * sizeof(*scan));
			if (!grown) {
				free(scan);
				return ord_cli_usage_error(cli, "out of memory");
			}
			scan = grown;
			scan[nscan++] = v ? (char *)v : argv[i];
		} else if (!strcmp(argv[i], "--scan")) {
			free(scan);
			return ord_cli_usage_error(cli, "option '--scan' needs a directory or file");
		} else {
			free(scan);
			return ord_cli_unknown_option(cli, "keys", argv[i]);
		}
	}
	ord_diag_init(&d);
	scanned = nscan > 0;
	if (nscan) {
		scan_mode(cli, &d.f, scan, nscan);
		free(scan);
		scan = NULL;
		if (ord_facts_group(&d.f)) {
			ord_diag_release(&d);
			return ord_cli_usage_error(cli, "out of memory");
		}
	} else if (ord_facts_gather(&cli->ctx, &d.f)) {
		ord_diag_release(&d);
		return ord_cli_usage_error(cli, "out of memory");
	}
	if (!cli->offline)
		ord_cli_warn_api_base(cli);
	ord_facts_probe(&cli->ctx, &d.f, ORD_PROBE_KEYS, NULL);
	if (cli->format == ORD_FMT_JSON) {
		char *json = ord_report_json(&cli->ctx, &d, "keys");
		if (json)
			fprintf(cli->out, "%s\n", json);
		free(json);
	} else if (cli->format == ORD_FMT_MARKDOWN)
		print_markdown(cli, &d.f);
	else
		print_table(cli, &d.f, scanned);
	/* Like `gh auth status`: a key OpenRouter rejects is a problem found,
	 * whatever the format, so a script can test the exit code.  A scan
	 * that finds an OpenRouter key in files is a finding too (a secret in
	 * a tree, as secret scanners exit): that is what blocks a commit. */
	for (i = 0; (size_t)i < d.f.nkeys; i++)
		if (d.f.keys[i].live == ORD_LIVE_INVALID || (scanned && d.f.keys[i].openrouter))
			rc = ORD_EXIT_PROBLEM;
	/* "No problem" only about what was observed (design.md): an OpenRouter
	 * key whose liveness is not known (--offline, no answer) makes the
	 * answer undecided, as check's is.  A scan answers another question
	 * (is a key in these files), decided without the network. */
	for (i = 0; !scanned && rc == ORD_EXIT_OK && (size_t)i < d.f.nkeys; i++)
		if (d.f.keys[i].openrouter &&
		    (d.f.keys[i].live == ORD_LIVE_NOT_CHECKED || d.f.keys[i].live == ORD_LIVE_UNKNOWN))
			rc = ORD_EXIT_UNDECIDED;
	ord_diag_release(&d);
	return rc;
}
