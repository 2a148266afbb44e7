/* `ordoctor fix`: the verdict's fix, shown as a diff (the default) or
 * written (--apply), then the check again.  The planning and the writing
 * are lib/fix.c; this file parses options, prints and picks the exit
 * code. */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/causes.h"
#include "lib/fix.h"
#include "lib/judge.h"
#include "lib/verdict.h"

/* The exit code of a plan that writes nothing (design.md's contract): no
 * problem 0; a problem that stays 1; nothing to go on (undecided, no
 * working key) 3. */
static int refusal_exit(ord_fix_refusal r)
{
	switch (r) {
	case ORD_FIX_CLEAN: return ORD_EXIT_OK;
	case ORD_FIX_UNDECIDED:
	case ORD_FIX_NO_KEY: return ORD_EXIT_UNDECIDED;
	default: return ORD_EXIT_PROBLEM;
	}
}

static json_object *verdict_json(const ord_diag *d)
{
	const ord_judgment *j = &d->main;
	json_object *o = json_object_new_object();
	const ord_claim *c = j->verdict >= 0 ? &d->claims[j->verdict] : NULL;

	json_object_object_add(o, "outcome", json_object_new_string(
		j->outcome == ORD_OUTCOME_CLEAN ? "clean" : j->outcome == ORD_OUTCOME_PROBLEM ? "problem" : "undecided"));
	json_object_object_add(o, "cause", c ? json_object_new_string(c->cause) : NULL);
	json_object_object_add(o, "summary", c && c->summary ? json_object_new_string(c->summary) : NULL);
	json_object_object_add(o, "fix", c ? json_object_new_string(c->fix ? c->fix : ord_cause_fix(c->cause)) : NULL);
	return o;
}

static void print_verdict(ord_cli *cli, const char *when, const ord_diag *d)
{
	const ord_judgment *j = &d->main;

	if (j->verdict < 0) {
		fprintf(cli->out, "%sVerdict %s:%s %s\n", ord_c(cli, ORD_C_BOLD), when, ord_c(cli, ORD_C_RESET),
			j->outcome == ORD_OUTCOME_CLEAN ? "no problem found." :
			"undecided: not every fact could be observed (see 'ordoctor check').");
		return;
	}
	const ord_claim *c = &d->claims[j->verdict];
	fprintf(cli->out, "%sVerdict %s: %s%s%s\n  %s\n", ord_c(cli, ORD_C_BOLD), when, ord_c(cli, ORD_C_RED),
		c->cause, ord_c(cli, ORD_C_RESET), c->summary ? c->summary : "");
}

/* A terminal started before the edit keeps the old value of a line it ran. */
static int env_from(const ord_diag *d, long hit)
{
	size_t i;

	for (i = 0; i < d->f.hits.n; i++)
		if (d->f.hits.v[i].kind == ORD_SRC_ENV && d->f.hits.v[i].origin == hit)
			return 1;
	return 0;
}

typedef struct fix_out {
	ord_buf diff;
	char label[4096];
	char backup[4096];
	char backup_where[4096];
	int applied;
	int werr;
} fix_out;

static void print_plan_text(ord_cli *cli, const ord_fix_plan *p, const fix_out *o)
{
	if (p->action == ORD_FIX_NONE) {
		fprintf(cli->out, "\nNothing to change: %s.\n", p->why ? p->why : "no fix");
		if (p->manual && *p->manual)
			fprintf(cli->out, "  By hand: %s\n", p->manual);
		return;
	}
	if (p->action == ORD_FIX_REPLACE)
		fprintf(cli->out, "\nFix: replace %s at %s with %s (fingerprint %s, proven working; found in %s).\n",
			p->old_redacted, p->where, p->good_redacted, p->good_fp, p->good_where);
	else
		fprintf(cli->out, "\nFix: comment out %s, which hides %s (fingerprint %s, proven working; in %s).\n",
			p->where, p->good_redacted, p->good_fp, p->good_where);
	fprintf(cli->out, "\n%s", ord_buf_str(&o->diff));
	if (!o->applied && !o->werr)
		fprintf(cli->out, "\nNothing changed.  Run 'ordoctor fix --apply' to write it (a backup is kept beside the file).\n");
}

static json_object *plan_json(const ord_fix_plan *p, const fix_out *o, const ord_diag *before,
			      const ord_diag *after)
{
	json_object *doc = json_object_new_object();

	json_object_object_add(doc, "schema", json_object_new_string("ordoctor.fix/1"));
	json_object_object_add(doc, "action", p->action == ORD_FIX_NONE ? NULL :
				json_object_new_string(ord_fix_action_id(p->action)));
	json_object_object_add(doc, "applied", json_object_new_boolean(o->applied));
	json_object_object_add(doc, "refused", p->action == ORD_FIX_NONE ?
				json_object_new_string(ord_fix_refusal_id(p->refusal)) : NULL);
	json_object_object_add(doc, "reason", p->why ? json_object_new_string(p->why) : NULL);
	json_object_object_add(doc, "manual", p->manual && *p->manual ? json_object_new_string(p->manual) : NULL);
	json_object_object_add(doc, "path", p->path ? json_object_new_string(p->path) : NULL);
	json_object_object_add(doc, "line", p->hit >= 0 ? json_object_new_int((int)p->line) : NULL);
	if (p->good_row >= 0) {
		json_object *k = json_object_new_object();
		json_object_object_add(k, "redacted", json_object_new_string(p->good_redacted));
		json_object_object_add(k, "fingerprint", json_object_new_string(p->good_fp));
		json_object_object_add(k, "where", json_object_new_string(p->good_where ? p->good_where : ""));
		json_object_object_add(doc, "key", k);
	} else
		json_object_object_add(doc, "key", NULL);
	json_object_object_add(doc, "diff", p->action == ORD_FIX_NONE ? NULL :
				json_object_new_string(ord_buf_str(&o->diff)));
	json_object_object_add(doc, "backup", o->applied ? json_object_new_string(o->backup) : NULL);
	json_object_object_add(doc, "before", verdict_json(before));
	json_object_object_add(doc, "after", after ? verdict_json(after) : NULL);
	return doc;
}

int cmd_fix(ord_cli *cli, int argc, char **argv)
{
	ord_diag d, d2;
	ord_diag_opts dopts = {0};
	ord_fix_plan p;
	fix_out o;
	const char *v;
	char tool_buf[64];
	int i, apply = 0, rc, have_after = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--apply")) {
			apply = 1;
			continue;
		}
		if ((v = ord_opt_value(argc, argv, &i, "--tool"))) {
			dopts.tool = v;
			continue;
		}
		if (!strcmp(argv[i], "--tool"))
			return ord_cli_usage_error(cli, "option '--tool' needs a tool id (see 'ordoctor tools --all')");
		if (!strcmp(argv[i], "--no-state")) {
			cli->no_state = 1;
			continue;
		}
		return ord_cli_unknown_option(cli, "fix", argv[i]);
	}
	if (dopts.tool) {
		if (ord_cli_tool_id(cli, dopts.tool, tool_buf, sizeof(tool_buf)))
			return ORD_EXIT_USAGE;
		dopts.tool = tool_buf;
	}
	if (cli->offline) {
		/* the fix puts in a key OpenRouter accepted: offline nothing is
		 * proven to work, and a guess written into a file is worse than
		 * none */
		fprintf(cli->err, "ordoctor: fix: --offline cannot prove any key works, so there is nothing safe to put in a file; run 'ordoctor fix' without --offline (GET /key costs nothing)\n");
		return ORD_EXIT_UNDECIDED;
	}
	ord_cli_warn_api_base(cli);
	ord_diag_init(&d);
	rc = ord_diag_run(&cli->ctx, &d, &dopts);
	if (rc) {
		ord_diag_release(&d);
		return rc == ENOENT ? ord_cli_usage_error(cli, "unknown tool '%s' (see 'ordoctor tools --all')", dopts.tool) :
				      ord_cli_usage_error(cli, "out of memory");
	}
	ord_fix_plan_init(&p);
	memset(&o, 0, sizeof(o));
	ord_buf_init(&o.diff, 1 << 20);
	if (ord_fix_plan_make(&cli->ctx, &d, &p)) {
		ord_fix_plan_release(&p);
		ord_diag_release(&d);
		return ord_cli_usage_error(cli, "out of memory");
	}
	if (p.path) {
		ord_buf w = ORD_BUF_INIT(4096);
		ord_path_where(&cli->ctx, p.path, &w);
		snprintf(o.label, sizeof(o.label), "%s", ord_buf_str(&w));
		ord_buf_release(&w);
	}
	ord_fix_diff(&p, o.label, &o.diff);
	if (apply && p.action != ORD_FIX_NONE) {
		rc = ord_fix_apply(&cli->ctx, &p, o.backup, sizeof(o.backup));
		if (rc) {
			o.werr = rc;
		} else {
			ord_buf w = ORD_BUF_INIT(4096);
			o.applied = 1;
			ord_path_where(&cli->ctx, o.backup, &w);
			snprintf(o.backup_where, sizeof(o.backup_where), "%s", ord_buf_str(&w));
			ord_buf_release(&w);
		}
	}
	if (o.applied) {
		/* the check again, from scratch: the same judgment as `check` */
		ord_diag_init(&d2);
		have_after = !ord_diag_run(&cli->ctx, &d2, &dopts);
		if (have_after)
			ord_cli_last_state(cli, &d2, 1);
	}
	if (cli->format == ORD_FMT_JSON) {
		json_object *doc = plan_json(&p, &o, &d, have_after ? &d2 : NULL);
		fprintf(cli->out, "%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
			JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	} else {
		print_verdict(cli, "before", &d);
		print_plan_text(cli, &p, &o);
		if (o.applied) {
			fprintf(cli->out, "\nWrote %s (backup: %s).\n", o.label, o.backup_where);
			if (p.action == ORD_FIX_REPLACE || p.action == ORD_FIX_COMMENT)
				if (env_from(&d, p.hit))
					fprintf(cli->out, "  This shell still holds the old value: open a new terminal (or run 'source %s').\n",
						o.label);
			if (have_after) {
				fputc('\n', cli->out);
				print_verdict(cli, "after", &d2);
			}
		}
	}
	if (o.werr) {
		rc = ord_cli_usage_error(cli, "cannot write '%s': %s%s", o.label,
					 o.werr == EAGAIN ? "it changed since it was read; run 'ordoctor fix' again" :
					 strerror(o.werr), o.werr == EEXIST ? " (a backup of that name exists)" : "");
	} else if (o.applied)
		rc = have_after ? ord_verdict_exit(&d2.main) : ORD_EXIT_USAGE;
	else if (p.action != ORD_FIX_NONE)
		rc = ORD_EXIT_PROBLEM; /* shown, not written: the problem stays */
	else
		rc = refusal_exit(p.refusal);
	if (o.applied)
		ord_diag_release(&d2);
	ord_buf_release(&o.diff);
	ord_fix_plan_release(&p);
	ord_diag_release(&d);
	return rc;
}
