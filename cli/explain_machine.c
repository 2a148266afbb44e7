/* `explain --check` and `check --error`: the pasted error read with this
 * machine's facts (lib/xmachine.h).  The facts are the judgment `check`
 * makes (ord_diag_run), so the two commands cannot disagree. */
#include "cli.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>

#include "explain_machine.h"
#include "lib/judge.h"

int ord_explain_machine_begin(ord_cli *cli, ord_explain_machine *em, const char *tool_id,
			      ord_explain *x, ord_logscan *ls)
{
	ord_diag_opts o;
	const char *text;
	size_t len = 0;
	int complete = 0, rc;
	long tool = -1;

	memset(&o, 0, sizeof(o));
	memset(em, 0, sizeof(*em));
	ord_diag_init(&em->d);
	em->active = 1;
	o.tool = tool_id;
	ord_cli_warn_api_base(cli);
	rc = ord_diag_run(&cli->ctx, &em->d, &o);
	if (rc == ENOENT)
		return ord_cli_usage_error(cli, "unknown tool '%s' (see 'ordoctor tools --all')", tool_id);
	if (rc)
		return ord_cli_usage_error(cli, "out of memory");
	if (tool_id)
		tool = ord_diag_tool_index(&em->d, tool_id);
	text = ord_logscan_head(ls, &len, &complete);
	if (ord_xmachine_run(&em->m, x, &em->d, &cli->ctx, tool, text, len))
		return ord_cli_usage_error(cli, "out of memory");
	return 0;
}

void ord_explain_machine_json(ord_explain_machine *em, json_object *doc)
{
	if (em->active)
		json_object_object_add(doc, "machine", ord_xmachine_json(&em->m, &em->d));
}

void ord_explain_machine_text(ord_cli *cli, const ord_explain_machine *em)
{
	const ord_xmachine *m = &em->m;
	size_t i;

	if (!em->active)
		return;
	fprintf(cli->out, "\n%son this machine%s (explain --check)\n", ord_c(cli, ORD_C_BOLD),
		ord_c(cli, ORD_C_RESET));
	if (m->tool >= 0)
		fprintf(cli->out, "  tool        %s (%s)\n", em->d.f.tools->v[m->tool].p->name,
			m->tool_from_text ? "named in the text" : "--tool");
	for (i = 0; i < m->nfacts; i++)
		fprintf(cli->out, "  %s %s\n", i ? "           " : "facts      ", m->facts[i]);
	switch (m->outcome) {
	case ORD_XM_DECIDED:
		fprintf(cli->out, "  %sdecided%s     %s: %s\n", ord_c(cli, ORD_C_RED), ord_c(cli, ORD_C_RESET),
			m->cause, m->decided_by);
		fprintf(cli->out, "  fix         %s\n", m->fix ? m->fix : "");
		break;
	case ORD_XM_ELSEWHERE:
		fprintf(cli->out, "  reading     %s (the causes above are re-ranked)\n", m->decided_by);
		fprintf(cli->out, "  missing     %s\n", m->missing);
		break;
	case ORD_XM_MISSING:
		fprintf(cli->out, "  missing     %s\n", m->missing);
		break;
	case ORD_XM_NOT_KEY:
		fprintf(cli->out, "  reading     %s\n", m->decided_by);
		break;
	}
}

int ord_explain_machine_exit(const ord_explain_machine *em, const ord_explain *x)
{
	return em->active ? ord_xmachine_exit(&em->m, x) : ord_explain_exit(x);
}

void ord_explain_machine_release(ord_explain_machine *em)
{
	if (!em->active)
		return;
	ord_xmachine_release(&em->m);
	ord_diag_release(&em->d);
	em->active = 0;
}
