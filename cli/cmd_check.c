/* `ordoctor check`: being written. */
#include "cli.h"

int cmd_check(ord_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	(void)cli;
	return ORD_EXIT_OK;
}
