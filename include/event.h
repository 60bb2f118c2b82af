/* event.h: the one event record every source yields (live capture, /proc scan, text trace,
 * strace, auditd), and the only thing the engine and the judge consume.
 *
 * An event has two faces:
 *   - the generic one: a call name and named arguments (strings), what the rule language matches
 *     and what the text trace writes (docs/trace-format.md);
 *   - typed facts (kind and the struct of that kind): what the judge reasons on (stdio kinds,
 *     socket endpoints, pipe identity, process start times).
 * A source fills both. The live decoder sets the facts straight from the kernel's record; every
 * text source fills the arguments and calls sw_event_facts(), which derives the facts from them,
 * so a trace written by `record` and read back gives the judge the same facts as the live events
 * did (tests/unit/test_live_decode.c checks it for every kind).
 *
 * Strings are borrowed: they point into storage owned by whoever produced the event and stay valid
 * only for the duration of the call that receives it; keep a copy of anything you need later.
 * Strings are NOT NUL-terminated in general: use len.
 */
#ifndef SW_EVENT_H
#define SW_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#define SW_EVENT_MAX_ARGS 40

struct sw_str {
	const char *p;
	uint32_t len;
};

struct sw_arg {
	struct sw_str name;
	struct sw_str val;
};

/* What an event is, for the judge. */
enum sw_kind {
	SW_EV_OTHER = 0,  /* a call the judge has no use for (strace background, unknown names) */
	SW_EV_SOCK,       /* accept, accept4, connect */
	SW_EV_DUP,        /* dup, dup2, dup3, fcntl(F_DUPFD, F_DUPFD_CLOEXEC) */
	SW_EV_EXEC,       /* execve, execveat, after success */
	SW_EV_FORK,       /* a new process (not a thread) */
	SW_EV_EXIT,       /* the last thread of a process ended */
	SW_EV_PROC,       /* a process already running when the capture started (/proc scan) */
	SW_EV_META,       /* about the capture itself: the host it was made on */
};

/* What a file descriptor is. UNKNOWN: the source cannot tell (strace without -yy, auditd). */
enum sw_fd_kind {
	SW_FD_UNKNOWN = 0,
	SW_FD_NONE,       /* not open */
	SW_FD_SOCK,       /* a socket; family 0 when the source could not tell which */
	SW_FD_PIPE,       /* an anonymous pipe */
	SW_FD_FIFO,       /* a named pipe */
	SW_FD_TTY,        /* a terminal, console or pseudo-terminal */
	SW_FD_FILE,       /* a regular file */
	SW_FD_OTHER,      /* anything else (/dev/null, eventfd, a directory...) */
};

/* One file descriptor. Sockets: family and, for inet/inet6, both ends (IPv4 in the first four
 * bytes; ports in host order; 0 when unknown). Pipes and fifos: which one (inode, and the device
 * of its file system in the kernel's encoding MAJOR << 20 | MINOR; dev 0 when the source knows
 * only the inode, as strace does). Pipes and unix socketpairs may name the process that created
 * them (owner). */
struct sw_fd {
	uint8_t kind;              /* enum sw_fd_kind */
	uint8_t pad0;
	uint16_t family;
	uint16_t lport, pport;
	uint8_t laddr[16], paddr[16];
	uint64_t ino;
	uint32_t dev;
	uint32_t owner;            /* pipes and socketpairs: the process that created it (it holds
				      the other end), 0 unknown */
};

struct sw_sock_facts {
	bool accepted;             /* accept, accept4 (false: connect) */
	int32_t fd;                /* connect: the socket; accept: the listening socket */
	int32_t ret;               /* connect: 0 or -errno; accept: the new fd or -errno */
	struct sw_fd sock;         /* connect: the destination; accept: the new connection */
};

struct sw_dup_facts {
	int32_t oldfd, newfd, ret; /* newfd -1 for dup; fcntl: the lowest fd asked for */
	uint32_t flags;            /* dup3: flags; fcntl: the command */
	struct sw_fd src;          /* what oldfd is, as far as the source says */
};

struct sw_exec_facts {
	struct sw_str exe;         /* the file name exec'd */
	struct sw_str argv;        /* the command line, arguments joined by spaces */
	struct sw_str argl;        /* the arguments' lengths ("2,2,7") when argv does not split back
				      at its spaces (an argument is empty or holds one); "" else
				      (include/argl.h) */
	bool argv_trunc;           /* the source cut the command line */
	struct sw_str cwd;         /* the working directory at the exec (or the scan), "" unknown;
				      a path whose start was cut is its end after "..."
				      (".../deep/dir"): a whole one starts with '/' */
	bool killed;               /* the kernel SIGKILLed it at the exec (run --kill) */
	bool stdio_known;          /* stdio[] holds what fds 0-2 are; false: the source cannot tell */
	struct sw_fd stdio[3];
	uint64_t pstart_ns;        /* the parent's start time (0 unknown), for its entity id */
	struct sw_str interp;      /* the interpreter the source identified the file as, by the
				      installed name it matched ("bash", "python3.11"); "" none */
	uint8_t interp_by;         /* enum interp_by (include/interp.h): how it knew */
	uint8_t cmd_from_net;      /* the command line is what the process itself (1) or its parent
				      (2) just received on an inet socket, verbatim; 0 no */
	uint8_t ctr_runtime;       /* enum ctr_runtime (include/container.h): CTR_NONE on the host */
	struct sw_str ctr_id;      /* the container's id (64 hex), "" on the host */
	struct sw_str pod_uid;     /* its Kubernetes pod's uid, "" none */
	uint32_t ns_pid;           /* in a container: its pid there, and the inode numbers of its */
	uint32_t pidns, netns;     /* pid and network namespaces; 0 unknown */
};

struct sw_meta_facts {
	struct sw_str host;        /* host name of the machine the capture was made on */
	struct sw_str boot_id;     /* its /proc/sys/kernel/random/boot_id */
};

struct sw_event {
	struct sw_str call;            /* system call or process event name: "dup2", "execve", "fork" */
	uint32_t nargs;                /* arguments in args[], in source order */
	struct sw_arg args[SW_EVENT_MAX_ARGS];
	struct sw_str ret;             /* return value text; valid when has_ret */
	bool has_ret;
	bool has_pid;                  /* pid and ppid known (live, pid=, strace -f) */
	bool has_uid;                  /* uid known (live, uid=; strace does not show it) */
	bool has_time;                 /* t_ns known (live, t=, strace -t/-tt/-ttt) */
	bool has_start;                /* start_ns known (live, start=) */
	uint32_t pid, ppid, uid;       /* process (tgid), parent, real uid */
	uint64_t t_ns;                 /* event time in ns (monotonic for live capture) */
	uint64_t start_ns;             /* the process's start time, ns since boot (boot clock) */
	uint64_t seq;                  /* position in the source: line number or event counter */

	/* Typed facts (see the top of this file). */
	enum sw_kind kind;
	struct sw_str comm;            /* the task's name, empty when unknown */
	union {
		struct sw_sock_facts sock;
		struct sw_dup_facts dup;
		struct sw_exec_facts exec; /* also SW_EV_PROC: the process's state at the scan */
		uint32_t fork_child;       /* SW_EV_FORK: the new process's pid */
		struct {
			int32_t code, sig; /* SW_EV_EXIT: exit status and terminating signal */
		} exit;
		struct sw_meta_facts meta;
	};
};

static inline struct sw_str sw_str_c(const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	return (struct sw_str){ s, n };
}

static inline bool sw_str_eq(struct sw_str a, struct sw_str b)
{
	if (a.len != b.len)
		return false;
	for (uint32_t i = 0; i < a.len; i++)
		if (a.p[i] != b.p[i])
			return false;
	return true;
}

static inline bool sw_str_eqc(struct sw_str a, const char *c)
{
	uint32_t i = 0;

	for (; i < a.len; i++)
		if (c[i] == '\0' || c[i] != a.p[i])
			return false;
	return c[i] == '\0';
}

/* The value of the named argument, or NULL if the event has none. */
static inline const struct sw_str *sw_event_arg(const struct sw_event *ev, const char *name)
{
	for (uint32_t i = 0; i < ev->nargs; i++)
		if (sw_str_eqc(ev->args[i].name, name))
			return &ev->args[i].val;
	return 0;
}

/* Derive kind and typed facts from the call name and the arguments (the vocabulary of
 * docs/trace-format.md). Every text source calls it after filling the arguments; strings of the
 * facts borrow from the arguments. A value that does not parse leaves its fact unknown. */
void sw_event_facts(struct sw_event *ev);

/* The kind of a call name ("connect" -> SW_EV_SOCK), SW_EV_OTHER for names the judge ignores. */
enum sw_kind sw_kind_of_call(struct sw_str call);

/* True for an inet or inet6 socket. */
static inline bool sw_fd_is_inet(const struct sw_fd *f)
{
	return f->kind == SW_FD_SOCK && (f->family == 2 /* AF_INET */ || f->family == 10 /* AF_INET6 */);
}

/* True for a pipe or fifo whose identity is known. */
static inline bool sw_fd_is_pipe(const struct sw_fd *f)
{
	return (f->kind == SW_FD_PIPE || f->kind == SW_FD_FIFO) && f->ino;
}

/* True when a and b are the same pipe or fifo. */
static inline bool sw_fd_same_pipe(const struct sw_fd *a, const struct sw_fd *b)
{
	return sw_fd_is_pipe(a) && sw_fd_is_pipe(b) && a->ino == b->ino && a->dev == b->dev;
}

#endif /* SW_EVENT_H */
