/* `ordoctor verify`: one key, checked live (issue 3). */
#include "cli.h"

int cmd_verify(ord_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ord_cli_usage_error(cli, "verify: not built yet");
}
