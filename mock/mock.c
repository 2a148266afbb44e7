/* mock: being written (issue 3). */
#include "cli/cli.h"

int cmd_mock(ord_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ord_cli_usage_error(cli, "mock: not built yet");
}
