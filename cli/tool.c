/* cli/tool: the --tool value of check, explain --check, proxy and run.
 * Tool ids are lowercase (design.md), but people type what the product is
 * called ("Claude-Code"), so the match ignores case; a typo gets the
 * nearest id.  Checked before anything runs, so a mistyped id costs no
 * network round trip. */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/profile.h"

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
	if (rc) {
		near = ord_suggest(given, cands, n);
		if (near)
			ord_cli_usage_error(cli, "unknown tool '%s' (did you mean '%s'?)", given, near);
		else
			ord_cli_usage_error(cli, "unknown tool '%s' (see 'ordoctor tools --all')", given);
	}
	ord_profiles_release(&ps);
	return rc;
}
