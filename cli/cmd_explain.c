/* `ordoctor explain [FILE...]`: classify a pasted error message or whole
 * logs, offline (issue 5).
 *
 * Input: the files named (plain or gzip), "-" or nothing for stdin.  Every
 * signature of data/signatures (plus --signatures FILE) is compiled once
 * into one Vectorscan database and matched in one streaming pass.
 *
 * Exit (design.md): 1 a problem identified (some signature or the error
 * decoder recognised the input); 0 the input is a successful answer with
 * no failure in it; 3 nothing recognised (generic next steps are printed);
 * 2 usage error, or no input could be read.
 */
#include "cli.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "explain_machine.h"
#include "lib/explain.h"
#include "lib/knownbugs.h"
#include "lib/logscan.h"
#include "lib/sigdb.h"

#define SIGFILE_CAP (1024 * 1024)
#define PROGRESS_MIN (64ull * 1024 * 1024)
#define TL_WIDTH 60

typedef struct progress {
	ord_gate *err;
	uint64_t total;
	int shown;
} progress;


static void on_progress(void *ud, uint64_t bytes)
{
	progress *p = ud;
	unsigned pct = p->total ? (unsigned)(bytes * 100 / p->total) : 0;
	char bar[31], line[96];
	unsigned i;

	if (pct > 100)
		pct = 100;
	for (i = 0; i < 30; i++)
		bar[i] = i < pct * 30 / 100 ? '#' : '.';
	bar[30] = '\0';
	snprintf(line, sizeof(line), "[%s] %3u%%  %llu / %llu MB", bar, pct,
		 (unsigned long long)(bytes >> 20), (unsigned long long)(p->total >> 20));
	ord_gate_status(p->err, line);
	p->shown = 1;
}

static void human(uint64_t n, char *out, size_t cap)
{
	if (n >= 1000ull * 1000 * 1000)
		snprintf(out, cap, "%.1f GB", (double)n / 1e9);
	else if (n >= 1000 * 1000)
		snprintf(out, cap, "%.1f MB", (double)n / 1e6);
	else if (n >= 1000)
		snprintf(out, cap, "%.1f kB", (double)n / 1e3);
	else
		snprintf(out, cap, "%llu bytes", (unsigned long long)n);
}

static void wrapped(ord_cli *cli, const char *head, const char *text)
{
	ord_cli_wrap(cli, head, ord_cli_cols(head, strlen(head)), text);
}

static void print_causes(ord_cli *cli, const ord_explain *x, size_t top)
{
	size_t i, k, n = top && top < x->ncauses ? top : x->ncauses;

	if (!n)
		return;
	fprintf(cli->out, "\n%smost likely causes%s\n", ord_c(cli, ORD_C_BOLD), ord_c(cli, ORD_C_RESET));
	for (i = 0; i < n; i++) {
		const ord_xcause *c = &x->causes[i];

		fprintf(cli->out, "%2zu. %s%s%s  %.2f  %s\n", i + 1, ord_c(cli, ORD_C_BOLD), c->id,
			ord_c(cli, ORD_C_RESET), c->score, c->category ? c->category : "");
		if (c->meaning)
			wrapped(cli, "    ", c->meaning);
		if (c->check)
			wrapped(cli, "    check   ", c->check);
		if (c->fix)
			wrapped(cli, "    fix     ", c->fix);
		for (k = 0; k < c->nsources && k < 2; k++)
			fprintf(cli->out, "    source  %s\n", c->sources[k]);
	}
}

static void print_evidence(ord_cli *cli, const ord_explain *x, const ord_sigdb *db, ord_logscan *ls)
{
	const ord_evidence *ev = &x->ev;
	size_t i, also = 0;

	if (x->top_sig >= 0) {
		const ord_sig *s = &db->sigs[x->top_sig];

		fprintf(cli->out, "what it says  %s%s%s  [%s]\n", ord_c(cli, ORD_C_BOLD), s->title,
			ord_c(cli, ORD_C_RESET), s->id);
		wrapped(cli, "means         ", s->meaning);
		if (x->sig_check)
			wrapped(cli, "check         ", x->sig_check);
	}
	for (i = 0; i < db->nsigs; i++)
		if ((long)i != x->top_sig && ord_explain_sig_count(x, ls, i) &&
		    db->sigs[i].role != ORD_SIGROLE_EVIDENCE)
			fprintf(cli->out, "%s%s", also++ ? ", " : "also matched  ", db->sigs[i].id);
	if (also)
		fputc('\n', cli->out);
	if (ev->status)
		fprintf(cli->out, "status        %ld (%s)\n", ev->status, ev->status_from ? ev->status_from : "?");
	if (ev->message[0])
		wrapped(cli, "message       ", ev->message);
	if (ev->have_body && ev->body.raw_message[0])
		wrapped(cli, "upstream      ", ev->body.raw_message);
	if (ev->provider[0])
		fprintf(cli->out, "provider      %s\n", ev->provider);
	if (ev->model[0])
		fprintf(cli->out, "model         %s\n", ev->model);
	for (i = 0; i < ev->nfrags; i++)
		fprintf(cli->out, "%s%s%s", i ? ", " : "key           ", ev->frags[i].text,
			i + 1 == ev->nfrags ? "\n" : "");
	if (x->mode == ORD_XMODE_LOGS)
		fprintf(cli->out, "key accepted  in %llu of %llu failure lines\n", (unsigned long long)x->key_ok_lines,
			(unsigned long long)x->failure_lines);
	else
		fprintf(cli->out, "key accepted  %s\n", !x->key_ok ? "not shown by this input" :
			ev->user_id_present ? "yes (the answer names the account: user_id)" :
			"yes (this answer only comes after OpenRouter accepted the key)");
	if (strcmp(ev->wrapper, "none"))
		fprintf(cli->out, "wrapper       %s%s%s\n", ev->wrapper, ev->wrapper_vendor[0] ? ", labelled " : "",
			ev->wrapper_vendor);
	if (strcmp(ev->encoding, "none"))
		fprintf(cli->out, "body          %s\n", ev->encoding);
	for (i = 0; i < x->nurls; i++)
		fprintf(cli->out, "url           %s\n", x->urls[i].url);
	if (x->rate.have) {
		fprintf(cli->out, "rate limit    ");
		if (x->rate.limit >= 0)
			fprintf(cli->out, "limit %lld  ", x->rate.limit);
		if (x->rate.remaining >= 0)
			fprintf(cli->out, "remaining %lld  ", x->rate.remaining);
		if (x->rate.reset_utc[0])
			fprintf(cli->out, "resets %s", x->rate.reset_utc);
		fputc('\n', cli->out);
	}
	for (i = 0; i < x->nnotes; i++) {
		char head[64];

		snprintf(head, sizeof(head), "%s!%s ", ord_c(cli, ORD_C_YELLOW), ord_c(cli, ORD_C_RESET));
		ord_cli_wrap(cli, head, 2, x->notes[i]);
	}
}

static void print_logs(ord_cli *cli, const ord_explain *x, const ord_sigdb *db, ord_logscan *ls)
{
	char *sym = calloc(db->nsigs ? db->nsigs : 1, 1), a[32], b[32];
	const ord_namecount *nc;
	ord_alternation alt[4];
	long kinds[TL_WIDTH];
	uint64_t counts[TL_WIDTH], other;
	int by_time;
	int64_t start, end;
	size_t i, n;

	(void)x;
	if (!sym)
		return;
	ord_explain_symbols(ls, db, sym);
	fprintf(cli->out, "\n%s%-3s %-44s %9s  %-23s %s%s\n", ord_c(cli, ORD_C_BOLD), "", "signature",
		"count", "first seen", "last seen", ord_c(cli, ORD_C_RESET));
	for (i = 0; i < db->nsigs; i++) {
		const ord_sigstat *st = ord_logscan_stat(ls, i);

		if (!st || !st->count)
			continue;
		fprintf(cli->out, " %c  %-44.44s %9llu  %-23s %s\n", sym[i] ? sym[i] : ' ', db->sigs[i].title,
			(unsigned long long)st->count, st->first.t == INT64_MIN ? "-" : st->first.text,
			st->last.t == INT64_MIN ? "-" : st->last.text);
	}
	if (ord_logscan_timeline(ls, TL_WIDTH, kinds, counts, &by_time, &start, &end)) {
		uint64_t mx = 1;
		static const char dens[] = " .:-=+*#%@";

		for (i = 0; i < TL_WIDTH; i++)
			mx = counts[i] > mx ? counts[i] : mx;
		if (by_time) {
			ord_explain_time(start, a, sizeof(a));
			ord_explain_time(end, b, sizeof(b));
			fprintf(cli->out, "\ntimeline  %s .. %s (%.0f s per column)\n  |", a, b,
				(double)(end - start + 1) / TL_WIDTH);
		} else
			fprintf(cli->out, "\ntimeline  by position in the input (no timestamps)\n  |");
		for (i = 0; i < TL_WIDTH; i++)
			fputc(kinds[i] >= 0 && sym[kinds[i]] ? sym[kinds[i]] : '.', cli->out);
		fprintf(cli->out, "|\n  |");
		for (i = 0; i < TL_WIDTH; i++)
			fputc(counts[i] ? dens[1 + (counts[i] * 8) / mx] : ' ', cli->out);
		fprintf(cli->out, "|  (density)\n");
	}
	n = ord_logscan_alternations(ls, alt, 4);
	for (i = 0; i < n; i++)
		fprintf(cli->out, "alternates between \"%s\" and \"%s\" (%llu switches)\n",
			db->sigs[alt[i].a].title, db->sigs[alt[i].b].title, (unsigned long long)alt[i].switches);
	n = ord_logscan_providers(ls, &nc, &other);
	for (i = 0; i < n && i < 8; i++)
		fprintf(cli->out, "%s%s %llu%s", i ? " · " : "providers  ", nc[i].name,
			(unsigned long long)nc[i].count, i + 1 == n || i == 7 ? "\n" : "");
	n = ord_logscan_models(ls, &nc, &other);
	for (i = 0; i < n && i < 8; i++)
		fprintf(cli->out, "%s%s %llu%s", i ? " · " : "models     ", nc[i].name,
			(unsigned long long)nc[i].count, i + 1 == n || i == 7 ? "\n" : "");
	free(sym);
}

static void print_text(ord_cli *cli, const ord_explain *x, const ord_sigdb *db, ord_logscan *ls, size_t top)
{
	char sz[32];
	size_t i;

	human(ord_logscan_bytes(ls), sz, sizeof(sz));
	if (x->mode == ORD_XMODE_LOGS)
		fprintf(cli->out, "explain: %d input%s, %llu lines, %s, %llu failure line%s\n\n",
			ord_logscan_inputs(ls), ord_logscan_inputs(ls) == 1 ? "" : "s",
			(unsigned long long)ord_logscan_lines(ls), sz, (unsigned long long)x->failure_lines,
			x->failure_lines == 1 ? "" : "s");
	if (!ord_logscan_bytes(ls)) {
		fprintf(cli->out, "nothing to explain: the input is empty\n");
		return;
	}
	if (!x->recognised) {
		fprintf(cli->out, "%s no known signature matched this input%s\n",
			x->success ? "✓ a successful answer:" : "?", x->success ? ", and it holds no error" : "");
		if (!x->success) {
			fprintf(cli->out, "next steps:\n");
			for (i = 0; ord_explain_next_steps[i]; i++)
				fprintf(cli->out, "  - %s\n", ord_explain_next_steps[i]);
		}
		return;
	}
	print_evidence(cli, x, db, ls);
	print_causes(cli, x, top);
	if (x->mode == ORD_XMODE_LOGS || x->failure_lines > 2)
		print_logs(cli, x, db, ls);
}

/* gen/sigdb-compile's output: the built-in signatures, compiled. */
extern const unsigned char ord_sigdb_precompiled[];
extern const size_t ord_sigdb_precompiled_len;

/* A user's data file (--signatures, --known-bugs) into b: 0, or -1 after a
 * one-line warning (unreadable, or over the cap) and the run goes on. */
static int read_data_file(ord_cli *cli, const char *kind, const char *path, ord_buf *b)
{
	int trunc = 0, e = ord_read_file(&cli->ctx, path, SIGFILE_CAP, b, &trunc);

	if (e)
		ord_warn(&cli->ctx, "cannot read %s file '%s': %s", kind, path, strerror(e));
	else if (trunc)
		ord_warn(&cli->ctx, "%s file '%s' is larger than 1 MiB: not loaded", kind, path);
	return e || trunc ? -1 : 0;
}

static int load_sigs(ord_cli *cli, ord_sigdb *db, char **files, size_t nfiles)
{
	size_t i;
	int rc = ord_sigdb_load_builtin(db);

	for (i = 0; !rc && i < nfiles; i++) {
		ord_buf b = ORD_BUF_INIT(SIGFILE_CAP);

		if (!read_data_file(cli, "signature", files[i], &b))
			rc = ord_sigdb_parse(db, files[i], ord_buf_str(&b), b.len);
		ord_buf_release(&b);
	}
	if (!rc) {
		ord_sigdb_set_precompiled(db, ord_sigdb_precompiled, ord_sigdb_precompiled_len);
		rc = ord_sigdb_compile(db);
	}
	for (i = 0; i < db->nerrors; i++)
		ord_warn(&cli->ctx, "%s", db->errors[i]);
	if (db->errors_dropped)
		ord_warn(&cli->ctx, "%zu more signature errors", db->errors_dropped);
	return rc;
}

/* The built-in data/known-bugs, then each --known-bugs FILE: a bad line
 * is a one-line warning, never the end of the run. */
static ord_kbugs *load_bugs(ord_cli *cli, char **files, size_t nfiles)
{
	ord_kbugs *kb = malloc(sizeof(*kb));
	size_t i;

	if (!kb)
		return NULL;
	ord_kbugs_init(kb);
	ord_kbugs_load_builtin(kb);
	for (i = 0; i < nfiles; i++) {
		ord_buf b = ORD_BUF_INIT(SIGFILE_CAP);

		if (!read_data_file(cli, "known-bugs", files[i], &b))
			ord_kbugs_parse(kb, files[i], ord_buf_str(&b), b.len);
		ord_buf_release(&b);
	}
	for (i = 0; i < kb->nerrors; i++)
		ord_warn(&cli->ctx, "%s", kb->errors[i]);
	if (kb->errors_dropped)
		ord_warn(&cli->ctx, "%zu more known-bugs errors", kb->errors_dropped);
	return kb;
}

static int scan_inputs(ord_cli *cli, ord_logscan *ls, char **files, size_t nfiles, int *failed)
{
	size_t i;

	for (i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *f = nfiles ? files[i] : "-";
		uint64_t size;
		int fd, rc, own = 0;

		if (!strcmp(f, "-")) {
			fd = fileno(cli->in);
			if (fd >= 0 && isatty(fd) && !cli->quiet)
				fprintf(cli->err, "reading the terminal: paste the error message or log, then press Ctrl-D\n");
			if (fd < 0) {
				ord_warn(&cli->ctx, "cannot read stdin");
				(*failed)++;
				continue;
			}
		} else if ((rc = ord_log_open(&cli->ctx, f, &fd, &size))) {
			ord_warn(&cli->ctx, "cannot read '%s': %s", f, strerror(rc));
			(*failed)++;
			continue;
		} else
			own = 1;
		rc = ord_logscan_read_fd(ls, fd, f);
		if (rc == EBADMSG)
			ord_warn(&cli->ctx, "'%s': corrupt or truncated gzip data (scanned what could be read)", f);
		else if (rc)
			ord_warn(&cli->ctx, "error reading '%s': %s (scanned what could be read)", f, strerror(rc));
		if (own)
			close(fd);
	}
	return nfiles && (size_t)*failed == nfiles;
}

static uint64_t total_size(ord_cli *cli, char **files, size_t nfiles)
{
	uint64_t t = 0;
	struct stat st;
	size_t i;

	for (i = 0; i < (nfiles ? nfiles : 1); i++) {
		if (!nfiles || !strcmp(files[i], "-")) {
			if (fileno(cli->in) >= 0 && !fstat(fileno(cli->in), &st) && S_ISREG(st.st_mode))
				t += (uint64_t)st.st_size;
		} else if (!ord_stat(&cli->ctx, files[i], &st) && S_ISREG(st.st_mode))
			t += (uint64_t)st.st_size;
	}
	return t;
}

int cmd_explain(ord_cli *cli, int argc, char **argv)
{
	char **files = calloc((size_t)argc + 1, sizeof(char *)), **sigfiles = calloc((size_t)argc + 1, sizeof(char *));
	char **bugfiles = calloc((size_t)argc + 1, sizeof(char *));
	size_t nfiles = 0, nsig = 0, nbug = 0;
	ord_kbugs *kb = NULL;
	long top = 5;
	int i, dump = 0, no_progress = 0, rc, failed = 0, machine = 0;
	const char *tool_id = NULL;
	char tool_buf[64];
	ord_explain_machine em;
	ord_logscan_opts lo;
	ord_logscan *ls = NULL;
	ord_explain *x = NULL;
	progress pr;
	ord_sigdb db;
	const char *v;

	ord_sigdb_init(&db);
	memset(&em, 0, sizeof(em));
	if (!files || !sigfiles || !bugfiles) {
		free(files);
		free(sigfiles);
		free(bugfiles);
		return ord_cli_usage_error(cli, "out of memory");
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((v = ord_opt_value(argc, argv, &i, "--top"))) {
			char *end;
			top = strtol(v, &end, 10);
			if (*end || top < 1 || top > ORD_X_CAUSES) {
				rc = ord_cli_usage_error(cli, "explain: --top needs a number 1..%d", ORD_X_CAUSES);
				goto out;
			}
		} else if ((v = ord_opt_value(argc, argv, &i, "--signatures")))
			sigfiles[nsig++] = (char *)ord_cli_path(cli, v);
		else if ((v = ord_opt_value(argc, argv, &i, "--tool")))
			tool_id = v;
		else if (!strcmp(a, "--check"))
			machine = 1;
		else if ((v = ord_opt_value(argc, argv, &i, "--known-bugs")))
			bugfiles[nbug++] = (char *)ord_cli_path(cli, v);
		else if (!strcmp(a, "--no-progress"))
			no_progress = 1;
		else if (!strcmp(a, "--dump-patterns"))
			dump = 1;
		else if (!strcmp(a, "--top") || !strcmp(a, "--signatures") || !strcmp(a, "--known-bugs") ||
			 !strcmp(a, "--tool")) {
			rc = ord_cli_usage_error(cli, "explain: option '%s' needs a value", a);
			goto out;
		} else if (a[0] == '-' && a[1]) {
			rc = ord_cli_unknown_option(cli, "explain", a);
			goto out;
		} else
			files[nfiles++] = (char *)(strcmp(a, "-") ? ord_cli_path(cli, a) : a);
	}
	if (tool_id && machine && ord_cli_tool_id(cli, tool_id, tool_buf, sizeof(tool_buf))) {
		rc = ORD_EXIT_USAGE;
		goto out;
	}
	if (tool_id && machine)
		tool_id = tool_buf;
	if (tool_id && !machine) {
		rc = ord_cli_usage_error(cli, "explain: --tool needs --check (it names the tool whose key the machine checks)");
		goto out;
	}
	rc = load_sigs(cli, &db, sigfiles, nsig);
	if (rc) {
		rc = ord_cli_usage_error(cli, "explain: %s", rc == ENOTSUP ?
					 "this CPU lacks the instructions Vectorscan needs" :
					 rc == ENOMEM ? "out of memory" : "no usable signature");
		goto out;
	}
	if (dump) {
		ord_buf b = ORD_BUF_INIT(16 * 1024 * 1024);

		rc = ord_sigdb_dump_patterns(&db, &b) ? ord_cli_usage_error(cli, "out of memory") : ORD_EXIT_OK;
		fputs(ord_buf_str(&b), cli->out);
		ord_buf_release(&b);
		goto out;
	}
	memset(&lo, 0, sizeof(lo));
	memset(&pr, 0, sizeof(pr));
	lo.now = (int64_t)ord_now(&cli->ctx);
	pr.err = cli->gerr;
	pr.total = total_size(cli, files, nfiles);
	if (!no_progress && !cli->quiet && pr.total > PROGRESS_MIN && isatty(cli->err_fd)) {
		lo.progress = on_progress;
		lo.progress_ud = &pr;
	}
	x = calloc(1, sizeof(*x));
	if (!x || ord_logscan_new(&db, &lo, &ls)) {
		rc = ord_cli_usage_error(cli, "out of memory");
		goto out;
	}
	if (scan_inputs(cli, ls, files, nfiles, &failed)) {
		ord_cli_flush_warnings(cli);
		rc = ord_cli_usage_error(cli, "explain: no input could be read");
		goto out;
	}
	if (pr.shown)
		ord_gate_status(cli->gerr, "");
	kb = load_bugs(cli, bugfiles, nbug);
	if (!kb || ord_explain_run(x, ls, &db, kb)) {
		rc = ord_cli_usage_error(cli, "out of memory");
		goto out;
	}
	if (machine && (rc = ord_explain_machine_begin(cli, &em, tool_id, x, ls)))
		goto out;
	if (cli->format == ORD_FMT_JSON) {
		json_object *doc = ord_explain_json(x, ls, &db, (size_t)top);

		ord_explain_machine_json(&em, doc);
		json_object_object_add(doc, "exit", json_object_new_int(ord_explain_machine_exit(&em, x)));

		fprintf(cli->out, "%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
			JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	} else {
		if (cli->format == ORD_FMT_MARKDOWN) {
			cli->color = 0;
			fprintf(cli->out, "### ordoctor explain\n\n```\n");
		}
		print_text(cli, x, &db, ls, (size_t)top);
		ord_explain_machine_text(cli, &em);
		if (cli->format == ORD_FMT_MARKDOWN)
			fprintf(cli->out, "```\n");
	}
	rc = ord_explain_machine_exit(&em, x);
out:
	ord_explain_machine_release(&em);
	if (x)
		ord_explain_release(x);
	free(x);
	ord_logscan_free(ls);
	ord_sigdb_release(&db);
	free(kb);
	free(files);
	free(sigfiles);
	free(bugfiles);
	return rc;
}
