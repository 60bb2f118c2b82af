/* main.c: entry point; picks the subcommand (run is the default) and hands it the rest of argv. */
#include <argp.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "version.h"

const char *argp_program_version = "shellwatch " SW_VERSION;

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "run", cmd_run, "detect remote shells on this machine, live (default; needs root)" },
	{ "record", cmd_record, "write live system-call events as a text trace (needs root)" },
	{ "replay", cmd_replay, "detect remote shells in a recorded trace (seed format or strace)" },
	{ "score", cmd_score, "score command lines for how likely they are malicious" },
	{ "baseline", cmd_baseline, "learn this host's interpreter command lines; score against them" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: shellwatch [COMMAND] [OPTION...]\n\n"
		   "Catches remote shells (reverse and bind shells) as they start.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].what);
	fprintf(f, "\n`shellwatch COMMAND --help` lists a command's options. With no command, or with\n"
		   "options only, shellwatch runs `run`.\n");
}

int main(int argc, char **argv)
{
	char name[64];

	argp_err_exit_status = SW_EXIT_USAGE;
	/* The engine allocates and frees stream buffers all the time; trimming the heap top at every
	 * free made a fifth of replay's time page faults and brk calls. Keep a few MiB. */
	mallopt(M_TRIM_THRESHOLD, 4 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
			 !strcmp(argv[1], "help"))) {
		usage(stdout);
		return SW_EXIT_OK;
	}
	if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("%s\n", argp_program_version);
		return SW_EXIT_OK;
	}
	for (size_t i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		snprintf(name, sizeof(name), "shellwatch %s", commands[i].name);
		argv[1] = name;
		return commands[i].fn(argc - 1, argv + 1);
	}
	if (argc > 1 && argv[1][0] != '-') {
		fprintf(stderr, "shellwatch: unknown command '%s' (try shellwatch --help)\n", argv[1]);
		return SW_EXIT_USAGE;
	}
	argv[0] = "shellwatch run";
	return cmd_run(argc, argv);
}
