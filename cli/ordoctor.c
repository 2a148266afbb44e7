/* main(): hand the real process environment to the CLI core.  This is the
 * only place that reads `environ`; the library sees it through ord_ctx. */
#include <stdio.h>
#include <sys/resource.h>

#include "cli.h"

extern char **environ;

int main(int argc, char **argv)
{
	/* A crash must not leave a core file full of keys behind. */
	struct rlimit no_core = {0, 0};

	setrlimit(RLIMIT_CORE, &no_core);
	return ord_cli_main(argc, argv, environ, stdin, stdout, stderr);
}
