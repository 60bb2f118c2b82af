/* commands.h: the subcommands of the shellwatch binary, one source file each (user/cmd_*.c).
 * Each takes the arguments after the subcommand name (argv[0] is "shellwatch <cmd>") and returns
 * the process exit code: 0 ok, 1 runtime error, 2 usage error. */
#ifndef SW_COMMANDS_H
#define SW_COMMANDS_H

#define SW_EXIT_OK 0
#define SW_EXIT_RUNTIME 1
#define SW_EXIT_USAGE 2

int cmd_run(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_baseline(int argc, char **argv);

#endif /* SW_COMMANDS_H */
