/* cli/tool: the --tool value of check, explain --check, proxy and run.
 * Tool ids are lowercase (design.md), but people type what the product is
 * called ("Claude-Code"), so the match ignores case; a typo gets the
 * nearest id.  Checked before anything runs, so a mistyped id costs no
 * network round trip. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/codescan.h"
#include "lib/profile.h"

/* "this project" exists only where its code builds a client: asked for
 * where it does not, there is nothing to judge (rather than the verdict
 * of a tool that is not there).  The scan's warnings are dropped: the run
 * that follows says them once. */
static int project_found(ord_cli *cli)
{
	ord_buf b = ORD_BUF_INIT(64 * 1024);
	size_t before = cli->ctx.nwarnings;
	int rc = ord_codescan_profile(&cli->ctx, &b);

	ord_buf_release(&b);
	while (cli->ctx.nwarnings > before)
		free(cli->ctx.warnings[--cli->ctx.nwarnings].text);
	return rc ? ORD_EXIT_USAGE + 100 : 0;
}

int ord_cli_tool_id(ord_cli *cli, const char *given, char *out, size_t cap)
{
	ord_profiles ps = {0};
	const char *cands[128], *near;
	size_t i, n = 0;
	int rc = ORD_EXIT_USAGE;

	ord_profiles_load_ids(&cli->ctx, &ps);
	for (i = 0; i < ps.n; i++) {
		if (!strcasecmp(ps.v[i].id, given) && strlen(ps.v[i].id) < cap) {
			snprintf(out, cap, "%s", ps.v[i].id);
			rc = 0;
			break;
		}
		if (n < sizeof(cands) / sizeof(*cands))
			cands[n++] = ps.v[i].id;
	}
	if (!rc && !strcmp(out, "project"))
		rc = project_found(cli);
	if (rc == ORD_EXIT_USAGE + 100) {
		rc = ord_cli_usage_error(cli, "this project (the code at '%s') builds no OpenAI, OpenRouter, "
					 "Anthropic or LiteLLM client and reads no key variable: nothing to judge "
					 "with --tool project", cli->ctx.cwd);
	} else if (rc) {
		near = ord_suggest(given, cands, n);
		if (near)
			ord_cli_usage_error(cli, "unknown tool '%s' (did you mean '%s'?)", given, near);
		else
			ord_cli_usage_error(cli, "unknown tool '%s' (see 'ordoctor tools --all')", given);
	}
	ord_profiles_release(&ps);
	return rc;
}
