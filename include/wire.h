/* wire.h: the kernel/user contract, the records bpf/shellwatch.bpf.c writes into the ring buffer.
 *
 * Every record starts with struct wire_hdr; hdr.type says which body follows and hdr.size how many
 * bytes the whole record has. Exec records have a ring buffer of their own ("execs"), so no volume
 * of other events can push them out or make them wait; every other record is in "events". Only fixed-width types, explicit padding, no implicit holes: the
 * _Static_asserts below are compiled on both sides (BPF and user space), so a layout change that
 * would make them disagree fails the build instead of garbling events.
 */
#ifndef SW_WIRE_H
#define SW_WIRE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define WIRE_COMM_LEN 16
#define WIRE_EXE_MAX 256     /* bytes of the exec'd file name kept (NUL included) */
#define WIRE_ARGV_MAX 4096   /* bytes of the command line kept (NUL-separated, as in the mm) */
#define WIRE_RECV_MAX 128    /* bytes kept of the latest data a task received on an inet socket */
#define WIRE_CWD_MAX 256     /* bytes kept of the working directory's path (its end, when longer) */
#define WIRE_CWD_DEPTH 24    /* steps of the kernel's walk up to the root: path components and
				mount crossings (a deeper path is cut like a longer one) */
#define WIRE_CGROUP_NAME 96  /* bytes kept of a cgroup directory's name (a container id and its
				prefix: `cri-containerd-<64 hex>.scope` is 84) */

/* hdr.type: the body that follows the header. */
enum wire_type {
	WIRE_SOCK = 1,  /* struct wire_sock_ev: accept, accept4, connect */
	WIRE_DUP = 2,   /* struct wire_dup: dup, dup2, dup3, fcntl(F_DUPFD*) */
	WIRE_EXEC = 3,  /* struct wire_exec: execve, execveat (after success) */
	WIRE_FORK = 4,  /* struct wire_fork: a new process (not a thread) */
	WIRE_EXIT = 5,  /* struct wire_exit: the last thread of a process exited */
};

/* hdr.call: the system call or process event, named as in docs/trace-format.md. */
enum wire_call {
	WIRE_C_ACCEPT = 1,
	WIRE_C_ACCEPT4,
	WIRE_C_CONNECT,
	WIRE_C_DUP,
	WIRE_C_DUP2,
	WIRE_C_DUP3,
	WIRE_C_FCNTL,
	WIRE_C_EXECVE,
	WIRE_C_EXECVEAT,
	WIRE_C_FORK,
	WIRE_C_EXIT,
	WIRE_C_MAX,
};

/* wire_fd.kind: what an open file descriptor refers to. */
enum wire_fd_kind {
	WIRE_FD_NONE = 0,  /* not open */
	WIRE_FD_SOCK,      /* socket; family and addresses in wire_fd */
	WIRE_FD_PIPE,      /* anonymous pipe */
	WIRE_FD_FIFO,      /* named pipe */
	WIRE_FD_TTY,       /* terminal: a tty, console or pseudo-terminal character device */
	WIRE_FD_FILE,      /* regular file */
	WIRE_FD_OTHER,     /* anything else (/dev/null, directories, eventfd, ...) */
};

/* Common header of every record. */
struct wire_hdr {
	__u16 type;        /* enum wire_type */
	__u16 call;        /* enum wire_call */
	__u32 size;        /* bytes in the whole record, header included */
	__u64 ktime;       /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 pid;         /* thread-group id (what user space calls the pid) */
	__u32 tid;         /* thread id */
	__u32 ppid;        /* thread-group id of the real parent */
	__u32 uid;         /* real uid */
	char comm[WIRE_COMM_LEN];
	__u64 start;       /* the process's start time (its leader's start_boottime, ns since boot):
			      with pid, the process's identity (/proc/PID/stat field 22 in ticks) */
};

/* A file descriptor and, for an inet/inet6 socket, both endpoints. IPv4 addresses use the first
 * four bytes of laddr/paddr. Ports are in host byte order. For a pipe or fifo, which one it is
 * (inode number and the kernel's dev_t of its file system), so user space can tell which
 * processes share it. For a pipe, and a unix socket made by socketpair, the process that created
 * it, when the sensor saw the creation: it holds the other end, whatever its fd numbers. */
struct wire_fd {
	__u8 kind;         /* enum wire_fd_kind */
	__u8 pad0;
	__u16 family;      /* AF_* when kind == WIRE_FD_SOCK */
	__u16 lport;
	__u16 pport;
	__u32 owner;       /* tgid that created the pipe or socketpair (the "owners" map), 0 unknown */
	__u32 pad2;
	union {
		struct {
			__u8 laddr[16];
			__u8 paddr[16];
		};
		struct {
			__u64 ino;     /* kind == WIRE_FD_PIPE or WIRE_FD_FIFO */
			__u32 dev;     /* i_sb->s_dev: MAJOR << 20 | MINOR */
			__u32 pad1;
		};
	};
};

/* accept, accept4 (peer of the new socket), connect (destination asked for). */
struct wire_sock_ev {
	struct wire_hdr hdr;
	__s32 fd;          /* listening fd (accept) or connecting fd (connect) */
	__s32 ret;         /* new fd (accept), 0 or -errno (connect) */
	struct wire_fd sock;
};

/* dup (newfd -1), dup2, dup3 (flags), fcntl (newfd = lowest fd asked for, flags = cmd). */
struct wire_dup {
	struct wire_hdr hdr;
	__s32 oldfd;
	__s32 newfd;
	__s32 ret;
	__u32 flags;
	__u8 sock;         /* 1 when oldfd is a socket */
	__u8 pad[7];
};

struct wire_exec {
	struct wire_hdr hdr;
	__u32 argv_len;    /* bytes used in argv[], trailing NUL included */
	__u16 exe_len;     /* bytes used in exe[], NUL included */
	__u8 argv_trunc;   /* 1 when the command line was longer than WIRE_ARGV_MAX */
	__u8 killed;       /* 1 when the kernel sent SIGKILL (kill_remote_shell, run --kill) */
	__u64 pstart;      /* the real parent's start time, like hdr.start */
	__u64 exe_ino;     /* the exec'd file: inode number */
	__u32 exe_dev;     /* and its file system's device (MAJOR << 20 | MINOR) */
	__u8 interp;       /* enum interp_kind when the file is an installed interpreter (the
			      "interps" map the loader fills), else 0 */
	__u8 recv_from;    /* whose received data recv[] is: 0 none, 1 the task itself (before its
			      exec), 2 its parent (the thread that forked it) */
	__u16 recv_len;    /* bytes in recv[] */
	__u64 recv_age;    /* ns from that receive to this exec */
	char recv[WIRE_RECV_MAX]; /* the start of the latest data received on an inet socket */
	struct wire_fd fds[3];  /* what fds 0, 1, 2 are right after the exec */
	__u64 cgroup_id;   /* the task's cgroup (the default hierarchy's; a v1 memory cgroup when
			      the default one is the root): its kernfs id, the inode in cgroupfs */
	__u32 pidns;       /* inode numbers of its pid and network namespaces (as in /proc/PID/ns) */
	__u32 netns;
	__u32 ns_pid;      /* its pid as its own pid namespace sees it */
	__u32 cgroup_level; /* depth of the cgroup (0: the root) */
	char cgroup[3][WIRE_CGROUP_NAME]; /* names of the cgroup, its parent, its grandparent
					     ("" above the root) */
	__u16 cwd_len;     /* bytes of the working directory's path at the start of cwd[] (no NUL) */
	__u8 cwd_trunc;    /* 1 when the path was longer than WIRE_CWD_MAX or deeper than
			      WIRE_CWD_DEPTH: cwd[] holds its end, from a '/' on */
	__u8 pad1[5];
	char cwd[WIRE_CWD_MAX]; /* the working directory (task->fs->pwd) up to the root of its mount
				   namespace, "/" for the root itself; "" when unreadable */
	char exe[WIRE_EXE_MAX];
	char argv[WIRE_ARGV_MAX];
};

/* Value of the "recvs" task storage: the start of the latest data a task received on an inet
 * socket (bpf/shellwatch.bpf.c on_recv). */
struct wire_recv {
	__u64 t;           /* bpf_ktime_get_ns() of the receive */
	__u32 len;         /* bytes in data (at most WIRE_RECV_MAX) */
	__u32 pad;
	char data[2 * WIRE_RECV_MAX]; /* the second half only lets the verifier see that an append
					 at any offset below WIRE_RECV_MAX stays inside */
};

/* A record of the start-up scan (the iter/task_file program scan_files): one fd of a process,
 * fds 0-2 whatever they are, other fds when they are inet sockets. */
struct wire_scan {
	__u32 pid;         /* thread-group id */
	__s32 fd;
	__u8 listening;    /* a socket in the listening state */
	__u8 pad[7];
	struct wire_fd f;
};

/* Key of the "interps" hash map: an installed interpreter's file. */
struct wire_inode {
	__u64 ino;
	__u32 dev;
	__u32 pad;
};

struct wire_fork {
	struct wire_hdr hdr;
	__u32 child;       /* pid of the new process */
	__u32 pad0;
};

struct wire_exit {
	struct wire_hdr hdr;
	__u32 status;      /* wait status: exit code << 8 | terminating signal */
	__u32 pad0;
};

/* Counters in the per-CPU array map "counters" (index 0); user space sums them over CPUs. */
struct wire_counters {
	__u64 filtered;    /* hook runs that sent nothing because a filter said no */
	__u64 dropped;     /* events lost because the "events" ring buffer was full */
	__u64 exec_dropped; /* execs lost because the "execs" ring buffer was full */
};

_Static_assert(sizeof(struct wire_hdr) == 56, "wire_hdr layout");
_Static_assert(__builtin_offsetof(struct wire_hdr, ktime) == 8, "wire_hdr.ktime");
_Static_assert(__builtin_offsetof(struct wire_hdr, comm) == 32, "wire_hdr.comm");
_Static_assert(__builtin_offsetof(struct wire_hdr, start) == 48, "wire_hdr.start");
_Static_assert(sizeof(struct wire_fd) == 48, "wire_fd layout");
_Static_assert(__builtin_offsetof(struct wire_fd, owner) == 8, "wire_fd.owner");
_Static_assert(__builtin_offsetof(struct wire_fd, laddr) == 16, "wire_fd.laddr");
_Static_assert(__builtin_offsetof(struct wire_fd, ino) == 16, "wire_fd.ino");
_Static_assert(sizeof(struct wire_sock_ev) == 112, "wire_sock_ev layout");
_Static_assert(__builtin_offsetof(struct wire_sock_ev, sock) == 64, "wire_sock_ev.sock");
_Static_assert(sizeof(struct wire_dup) == 80, "wire_dup layout");
_Static_assert(__builtin_offsetof(struct wire_dup, sock) == 72, "wire_dup.sock");
_Static_assert(__builtin_offsetof(struct wire_exec, pstart) == 64, "wire_exec.pstart");
_Static_assert(__builtin_offsetof(struct wire_exec, exe_ino) == 72, "wire_exec.exe_ino");
_Static_assert(__builtin_offsetof(struct wire_exec, interp) == 84, "wire_exec.interp");
_Static_assert(__builtin_offsetof(struct wire_exec, recv_age) == 88, "wire_exec.recv_age");
_Static_assert(__builtin_offsetof(struct wire_exec, recv) == 96, "wire_exec.recv");
_Static_assert(__builtin_offsetof(struct wire_exec, fds) == 96 + WIRE_RECV_MAX, "wire_exec.fds");
_Static_assert(__builtin_offsetof(struct wire_exec, cgroup_id) == 240 + WIRE_RECV_MAX,
	       "wire_exec.cgroup_id");
_Static_assert(__builtin_offsetof(struct wire_exec, cwd_len) ==
	       264 + WIRE_RECV_MAX + 3 * WIRE_CGROUP_NAME, "wire_exec.cwd_len");
_Static_assert(__builtin_offsetof(struct wire_exec, cwd) ==
	       272 + WIRE_RECV_MAX + 3 * WIRE_CGROUP_NAME, "wire_exec.cwd");
_Static_assert(__builtin_offsetof(struct wire_exec, exe) ==
	       272 + WIRE_RECV_MAX + 3 * WIRE_CGROUP_NAME + WIRE_CWD_MAX, "wire_exec.exe");
_Static_assert(sizeof(struct wire_exec) ==
	       272 + WIRE_RECV_MAX + 3 * WIRE_CGROUP_NAME + WIRE_CWD_MAX + WIRE_EXE_MAX +
	       WIRE_ARGV_MAX, "wire_exec layout");
_Static_assert(sizeof(struct wire_recv) == 16 + 2 * WIRE_RECV_MAX, "wire_recv layout");
_Static_assert(sizeof(struct wire_inode) == 16, "wire_inode layout");
_Static_assert(sizeof(struct wire_scan) == 16 + sizeof(struct wire_fd), "wire_scan layout");
_Static_assert(sizeof(struct wire_fork) == 64, "wire_fork layout");
_Static_assert(sizeof(struct wire_exit) == 64, "wire_exit layout");
_Static_assert(sizeof(struct wire_counters) == 24, "wire_counters layout");

#endif /* SW_WIRE_H */
