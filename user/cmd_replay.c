/* cmd_replay.c: `shellwatch replay` (placeholder until its issue lands). */
#include <stdio.h>
#include "commands.h"

int cmd_replay(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "%s: not implemented yet\n", argv[0]);
	return SW_EXIT_RUNTIME;
}
