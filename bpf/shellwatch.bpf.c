// SPDX-License-Identifier: GPL-2.0
/* shellwatch.bpf.c: the live sensor's kernel half. It watches the system calls that turn a shell
 * into a remote shell (accept, connect, the dup family, exec) and process lineage (fork, exit), and
 * writes struct wire_* records (include/wire.h) into one ring buffer.
 *
 * Syscalls are hooked at sys_exit only: the arguments come from the task's saved user registers
 * (bpf_task_pt_regs), the result from the tracepoint, so no enter program and no per-thread map sit
 * on the hot path. Exec is reported at sched_process_exec, after it succeeded, with argv read from
 * the new mm and what fds 0-2 are. Filters run here so user space only sees events a rule can use;
 * every rejected hook run is counted in "counters", every ring-buffer overflow too. docs/live.md
 * explains the filters and the wake-up policy.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "wire.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define F_DUPFD 0
#define F_DUPFD_CLOEXEC 1030
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define PIPEFS_MAGIC 0x50495045
#define MINORBITS 20

/* Configuration, fixed at load time by the loader (user/sources/live.c). The verifier prunes the branches
 * of filters that are off. */
const volatile __u32 self_tgid = 0;      /* our own process: never reported */
const volatile __u32 filter_pid = 0;     /* only this tgid, when non-zero */
const volatile __u8 filter_comm_on = 0;  /* only tasks whose comm is filter_comm */
const volatile char filter_comm[WIRE_COMM_LEN] = {};
const volatile __u64 wake_bytes = 1 << 20; /* wake the reader once this much data waits */
const volatile __u8 kill_remote_shell = 0; /* SIGKILL an interpreter exec'd to read its commands
					       from an inet socket on stdin and stdout (run --kill) */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

/* Exec records only: a flood of dups, connects or forks in "events" cannot push an exec out nor
 * make it wait behind them (user space reads this ring first, docs/live.md). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} execs SEC(".maps");

/* The exec record is built here, then copied into "execs": the kill decision never depends on
 * room in a ring buffer. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wire_exec);
} exec_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wire_counters);
} counters SEC(".maps");

/* Who created each pipe and socketpair (its inode -> tgid): that process holds the other end, on
 * whatever fd, so a shell fed by a pipe can be tied to it without walking fd tables. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct wire_inode);
	__type(value, __u32);
} owners SEC(".maps");

/* The host's installed interpreters (shells, python, perl, ...), by file: the loader fills it
 * (user/sources/interpid.c) before attaching. The value is the interpreter kind. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, struct wire_inode);
	__type(value, __u8);
} interps SEC(".maps");

static __always_inline struct wire_counters *counters_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

static __always_inline int filtered(void)
{
	struct wire_counters *c = counters_get();

	if (c)
		c->filtered++;
	return 0;
}

static __always_inline int dropped(void)
{
	struct wire_counters *c = counters_get();

	if (c)
		c->dropped++;
	return 0;
}

/* True when the current task must not be reported (our own process, --pid, --comm). */
static __always_inline bool skip_task(__u32 tgid)
{
	if (tgid == self_tgid)
		return true;
	if (filter_pid && tgid != filter_pid)
		return true;
	if (filter_comm_on) {
		char comm[WIRE_COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
		for (int i = 0; i < WIRE_COMM_LEN; i++) {
			if (comm[i] != filter_comm[i])
				return true;
			if (!comm[i])
				break;
		}
	}
	return false;
}

/* Ring-buffer flags. Exec wakes the reader at once (a detection is decided there); other events
 * do not (live_poll collects them every LIVE_FLUSH_MS, or the next exec's wake-up does), except
 * the one whose reservation makes the waiting data cross wake_bytes, so a burst cannot overflow
 * the buffer before the reader looks. Only the crossing wakes: a wake-up is an irq_work (a
 * self-IPI), about 10-20 us per event in a VM, too much for every dup of a slow reader's backlog,
 * about 2% of an exec. size: the bytes of the record being submitted. */
static __always_inline __u64 wake_flags(bool urgent, __u64 size)
{
	__u64 avail;

	if (urgent)
		return BPF_RB_FORCE_WAKEUP;
	avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	if (avail >= wake_bytes && avail < wake_bytes + size + 8)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void fill_hdr(struct wire_hdr *h, __u16 type, __u16 call, __u32 size,
				     struct task_struct *task)
{
	h->type = type;
	h->call = call;
	h->size = size;
	h->ktime = bpf_ktime_get_ns();
	/* plain loads from the BTF task pointer: cheaper than one helper call each */
	h->pid = task->tgid;
	h->tid = task->pid;
	h->ppid = task->real_parent->tgid;
	h->uid = task->cred->uid.val;
	__builtin_memcpy(h->comm, task->comm, sizeof(h->comm));
	h->start = task->group_leader->start_boottime;
}

/* The open file behind fd in task's fd table, or NULL. task is a BTF pointer, so the walk to the
 * fd array is plain loads (the verifier makes them fault-safe); only the array slot needs a
 * helper, as the verifier does not index pointer arrays. */
static __always_inline struct file *fd_file(struct task_struct *task, long fd)
{
	struct fdtable *fdt = task->files->fdt;
	struct file **arr;
	struct file *f = NULL;

	if (!fdt || fd < 0 || (unsigned long)fd >= fdt->max_fds)
		return NULL;
	arr = fdt->fd;
	bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]);
	return f;
}

static __always_inline __u16 file_mode(struct file *f)
{
	return BPF_CORE_READ(f, f_inode, i_mode);
}

static __always_inline void sock_fill(struct wire_fd *out, struct file *f)
{
	struct socket *so = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(so, sk);
	struct sock_common *c = &sk->__sk_common;

	out->kind = WIRE_FD_SOCK;
	out->family = BPF_CORE_READ(c, skc_family);
	if (out->family == AF_INET) {
		bpf_core_read(out->laddr, 4, &c->skc_rcv_saddr);
		bpf_core_read(out->paddr, 4, &c->skc_daddr);
	} else if (out->family == AF_INET6) {
		bpf_core_read(out->laddr, 16, &c->skc_v6_rcv_saddr);
		bpf_core_read(out->paddr, 16, &c->skc_v6_daddr);
	} else {
		return;
	}
	out->lport = BPF_CORE_READ(c, skc_num);
	out->pport = bpf_ntohs(BPF_CORE_READ(c, skc_dport));
}

static __always_inline __u32 owner_of(struct inode *ino)
{
	struct wire_inode key = {};
	__u32 *tgid;

	key.ino = BPF_CORE_READ(ino, i_ino);
	key.dev = BPF_CORE_READ(ino, i_sb, s_dev);
	tgid = bpf_map_lookup_elem(&owners, &key);
	return tgid ? *tgid : 0;
}

/* Describe the file behind fd: kind, and for sockets family and endpoints. */
static __always_inline void file_describe(struct wire_fd *out, struct file *f)
{
	__u16 mode;
	__u32 major;

	if (!f) {
		out->kind = WIRE_FD_NONE;
		return;
	}
	mode = file_mode(f) & S_IFMT;
	switch (mode) {
	case S_IFSOCK:
		sock_fill(out, f);
		if (out->family == AF_UNIX)
			out->owner = owner_of(BPF_CORE_READ(f, f_inode));
		return;
	case S_IFIFO:
		out->kind = BPF_CORE_READ(f, f_inode, i_sb, s_magic) == PIPEFS_MAGIC ? WIRE_FD_PIPE :
										      WIRE_FD_FIFO;
		out->ino = BPF_CORE_READ(f, f_inode, i_ino);
		out->dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
		out->owner = out->kind == WIRE_FD_PIPE ? owner_of(BPF_CORE_READ(f, f_inode)) : 0;
		return;
	case S_IFREG:
		out->kind = WIRE_FD_FILE;
		return;
	case S_IFCHR:
		/* tty 4, /dev/tty and ptmx 5, pty slaves 136-143; /dev/null and friends are "other" */
		major = BPF_CORE_READ(f, f_inode, i_rdev) >> MINORBITS;
		out->kind = major == 4 || major == 5 || (major >= 136 && major <= 143) ?
				    WIRE_FD_TTY : WIRE_FD_OTHER;
		return;
	default:
		out->kind = WIRE_FD_OTHER;
	}
}

static __always_inline void fd_describe(struct wire_fd *out, struct task_struct *task, long fd)
{
	file_describe(out, fd_file(task, fd));
}

/* Every socket file has the same file operations (socket_file_ops, not a symbol BPF can name
 * on every kernel): learnt from the first file whose inode says socket (the loader primes it with
 * a connect of its own), it turns the test into one read of f->f_op instead of two (f->f_inode,
 * then i_mode) on the dup hot path. All CPUs store the same value, so the unsynchronised write is
 * harmless. */
__u64 sock_fops = 0;

static __always_inline bool is_socket(struct file *f)
{
	if (!f)
		return false;
	if (sock_fops)
		return (__u64)BPF_CORE_READ(f, f_op) == sock_fops;
	if ((file_mode(f) & S_IFMT) != S_IFSOCK)
		return false;
	sock_fops = (__u64)BPF_CORE_READ(f, f_op);
	return true;
}

static __always_inline struct pt_regs *user_regs(struct task_struct *task)
{
	return (struct pt_regs *)bpf_task_pt_regs(task);
}

/* dup family at sys_exit. Kept when the new fd is 0-2 (stdio being replaced) or the old fd is a
 * socket (a socket being copied around); failed calls and other fcntl commands are dropped. */
static __always_inline int on_dup(struct trace_event_raw_sys_exit *ctx, __u16 call)
{
	struct task_struct *task;
	struct pt_regs *regs;
	struct wire_dup *e;
	long ret = ctx->ret, cmd = 0, newfd = -1;
	__u8 sock;

	task = bpf_get_current_task_btf();
	if (ret < 0 || skip_task(task->tgid))
		return filtered();
	if (call == WIRE_C_FCNTL) {
		regs = user_regs(task);
		cmd = PT_REGS_PARM2_SYSCALL(regs);
		if (cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC)
			return filtered();
		newfd = PT_REGS_PARM3_SYSCALL(regs);
	}
	/* on success ret and the old fd share one open file: look at ret */
	sock = is_socket(fd_file(task, ret));
	if (ret > 2 && !sock)
		return filtered();
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return dropped();
	fill_hdr(&e->hdr, WIRE_DUP, call, sizeof(*e), task);
	regs = user_regs(task);
	e->oldfd = PT_REGS_PARM1_SYSCALL(regs);
	if (call == WIRE_C_DUP2 || call == WIRE_C_DUP3)
		newfd = ret;  /* on success the fd asked for is the fd returned */
	e->newfd = newfd;
	e->ret = ret;
	e->flags = call == WIRE_C_DUP3 ? PT_REGS_PARM3_SYSCALL(regs) : cmd;
	e->sock = sock;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	bpf_ringbuf_submit(e, wake_flags(false, sizeof(*e)));
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_dup")
int exit_dup(struct trace_event_raw_sys_exit *ctx)
{
	return on_dup(ctx, WIRE_C_DUP);
}

SEC("tracepoint/syscalls/sys_exit_dup2")
int exit_dup2(struct trace_event_raw_sys_exit *ctx)
{
	return on_dup(ctx, WIRE_C_DUP2);
}

SEC("tracepoint/syscalls/sys_exit_dup3")
int exit_dup3(struct trace_event_raw_sys_exit *ctx)
{
	return on_dup(ctx, WIRE_C_DUP3);
}

SEC("tracepoint/syscalls/sys_exit_fcntl")
int exit_fcntl(struct trace_event_raw_sys_exit *ctx)
{
	return on_dup(ctx, WIRE_C_FCNTL);
}

/* Reserve a socket event with its header filled and no socket facts yet; NULL when full. */
static __always_inline struct wire_sock_ev *sock_ev_reserve(__u16 call, struct task_struct *task)
{
	struct wire_sock_ev *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return NULL;
	__builtin_memset(&e->sock, 0, sizeof(e->sock));
	fill_hdr(&e->hdr, WIRE_SOCK, call, sizeof(*e), task);
	return e;
}

/* accept/accept4 at sys_exit: successful accepts only, peer and local end read from the new
 * socket (works whether or not the caller asked for the address). */
static __always_inline int on_accept(struct trace_event_raw_sys_exit *ctx, __u16 call)
{
	struct task_struct *task;
	struct wire_sock_ev *e;
	long ret = ctx->ret;

	if (skip_task(bpf_get_current_pid_tgid() >> 32) || ret < 0)
		return filtered();
	task = bpf_get_current_task_btf();
	e = sock_ev_reserve(call, task);
	if (!e)
		return dropped();
	e->fd = PT_REGS_PARM1_SYSCALL(user_regs(task));
	e->ret = ret;
	fd_describe(&e->sock, task, ret);
	bpf_ringbuf_submit(e, wake_flags(false, sizeof(*e)));
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept")
int exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept(ctx, WIRE_C_ACCEPT);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept(ctx, WIRE_C_ACCEPT4);
}

/* connect at sys_exit: every attempt (also failed and in-progress ones) to an inet, inet6 or unix
 * address; the destination is read from the caller's sockaddr, still mapped at exit. */
SEC("tracepoint/syscalls/sys_exit_connect")
int exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	union {
		__u16 family;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		__u8 raw[32];
	} sa = {};
	struct task_struct *task;
	struct pt_regs *regs;
	struct wire_sock_ev *e;
	void *uaddr;
	__u64 alen;

	task = bpf_get_current_task_btf();
	regs = user_regs(task);
	if (!sock_fops)   /* learn socket_file_ops (the loader's own priming connect does it) */
		is_socket(fd_file(task, PT_REGS_PARM1_SYSCALL(regs)));
	if (skip_task(task->tgid))
		return filtered();
	uaddr = (void *)PT_REGS_PARM2_SYSCALL(regs);
	alen = PT_REGS_PARM3_SYSCALL(regs);
	if (alen > sizeof(struct sockaddr_in6))
		alen = sizeof(struct sockaddr_in6);
	if (bpf_probe_read_user(&sa, alen & 31, uaddr) ||
	    (sa.family != AF_INET && sa.family != AF_INET6 && sa.family != AF_UNIX))
		return filtered();
	e = sock_ev_reserve(WIRE_C_CONNECT, task);
	if (!e)
		return dropped();
	e->fd = PT_REGS_PARM1_SYSCALL(regs);
	e->ret = ctx->ret;
	e->sock.kind = WIRE_FD_SOCK;
	e->sock.family = sa.family;
	if (sa.family == AF_INET) {
		__builtin_memcpy(e->sock.paddr, &sa.in.sin_addr, 4);
		e->sock.pport = bpf_ntohs(sa.in.sin_port);
	} else if (sa.family == AF_INET6) {
		__builtin_memcpy(e->sock.paddr, &sa.in6.sin6_addr, 16);
		e->sock.pport = bpf_ntohs(sa.in6.sin6_port);
	}
	bpf_ringbuf_submit(e, wake_flags(false, sizeof(*e)));
	return 0;
}

/* pipe, pipe2, socketpair at sys_exit: the creator of both ends, by inode, into "owners". No
 * event: only the exec program reads it back. fds: the user array of the two new fds. */
static __always_inline int on_pair(long ret, int *fds)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = task->tgid;
	int fd[2];

	if (ret != 0 || skip_task(tgid) || bpf_probe_read_user(fd, sizeof(fd), fds))
		return 0;
	for (int i = 0; i < 2; i++) {
		struct file *f = fd_file(task, fd[i]);
		struct wire_inode key = {};

		if (!f)
			continue;
		key.ino = BPF_CORE_READ(f, f_inode, i_ino);
		key.dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
		bpf_map_update_elem(&owners, &key, &tgid, BPF_ANY);
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_pipe2")
int exit_pipe2(struct trace_event_raw_sys_exit *ctx)
{
	return on_pair(ctx->ret, (int *)PT_REGS_PARM1_CORE_SYSCALL(user_regs(bpf_get_current_task_btf())));
}

SEC("tracepoint/syscalls/sys_exit_pipe")
int exit_pipe(struct trace_event_raw_sys_exit *ctx)
{
	return on_pair(ctx->ret, (int *)PT_REGS_PARM1_CORE_SYSCALL(user_regs(bpf_get_current_task_btf())));
}

SEC("tracepoint/syscalls/sys_exit_socketpair")
int exit_socketpair(struct trace_event_raw_sys_exit *ctx)
{
	return on_pair(ctx->ret, (int *)PT_REGS_PARM4_CORE_SYSCALL(user_regs(bpf_get_current_task_btf())));
}

/* Threads inside execveat (sys_enter to sys_exit). At sched_process_exec nothing else tells
 * execveat from execve: the saved syscall number is already reset by the new image's start-up. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} in_execveat SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execveat")
int enter_execveat(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u8 one = 1;

	bpf_map_update_elem(&in_execveat, &tid, &one, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int exit_execveat(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&in_execveat, &tid);
	return 0;
}

/* old_tid: the exec'ing thread's id before the exec (a non-leader thread takes the leader's). */
static __always_inline __u16 exec_call(__u32 old_tid)
{
	if (!bpf_map_lookup_elem(&in_execveat, &old_tid))
		return WIRE_C_EXECVE;
	bpf_map_delete_elem(&in_execveat, &old_tid);
	return WIRE_C_EXECVEAT;
}

static __always_inline void exec_argv(struct wire_exec *e, struct task_struct *task)
{
	struct mm_struct *mm = task->mm;
	unsigned long start = mm->arg_start;
	__u64 len = mm->arg_end - start;

	e->argv_trunc = 0;
	if (len > WIRE_ARGV_MAX) {
		len = WIRE_ARGV_MAX;
		e->argv_trunc = 1;
	}
	if (len == 0 || bpf_probe_read_user(e->argv, len, (void *)start))
		len = 0;
	e->argv_len = len;
}

/* Per task (thread): the start of the latest data it received on an inet socket. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct wire_recv);
} recvs SEC(".maps");

/* Data received on an inet socket, whatever syscall read it (sock_recv_length, Linux 6.3+): the
 * first WIRE_RECV_MAX bytes, read back from the caller's buffer through the syscall's saved
 * registers (read, recvfrom: argument 2; recvmsg: the first iovec of its msghdr; readv: its first
 * iovec), kept in the task's storage. At an exec, the exec program reports it (the task's own, or
 * its parent's) and user space compares it with the new command line: a program run with what
 * just came off the wire. */
#if defined(__TARGET_ARCH_x86)
#define NR_READ 0
#define NR_READV 19
#define NR_RECVFROM 45
#define NR_RECVMSG 47
#define SYSCALL_NR_FIELD orig_ax
#elif defined(__TARGET_ARCH_arm64)
#define NR_READ 63
#define NR_READV 65
#define NR_RECVFROM 207
#define NR_RECVMSG 212
#define SYSCALL_NR_FIELD syscallno
#endif

#ifdef SYSCALL_NR_FIELD
/* The user buffer the syscall in flight received into, and its size. The registers are read
 * with CO-RE probe reads, into plain values: loads through the task's pt_regs pointer on one path
 * and through the stack on the other would meet in one instruction the verifier refuses. */
static __always_inline void *recv_buffer(struct task_struct *task, __u64 *size)
{
	struct pt_regs *regs = user_regs(task);
	struct user_msghdr msg;
	struct iovec iov;
	long nr = BPF_CORE_READ(regs, SYSCALL_NR_FIELD);
	void *arg2 = (void *)PT_REGS_PARM2_CORE_SYSCALL(regs);

	if (nr == NR_READ || nr == NR_RECVFROM) {
		*size = PT_REGS_PARM3_CORE_SYSCALL(regs);
		return arg2;
	}
	if (nr == NR_RECVMSG) {
		if (bpf_probe_read_user(&msg, sizeof(msg), arg2))
			return NULL;
		arg2 = msg.msg_iov;
	} else if (nr != NR_READV) {
		return NULL;
	}
	if (bpf_probe_read_user(&iov, sizeof(iov), arg2))
		return NULL;
	*size = iov.iov_len;
	return iov.iov_base;
}

/* Where the new data goes: after what is kept when that is the start of a line still arriving
 * (bash's `read` takes a socket one byte a call), else at 0. At most WIRE_RECV_MAX - 1. */
static __always_inline __u64 recv_append_at(struct wire_recv *r, __u64 now)
{
	__u32 len = r->len;

	if (len == 0 || len >= WIRE_RECV_MAX || now - r->t > 1000000000ull)
		return 0;
	if (r->data[(len - 1) & (WIRE_RECV_MAX - 1)] == '\n')
		return 0;
	return len & (WIRE_RECV_MAX - 1);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(on_recv, struct sock *sk, int ret, int flags)
{
	struct task_struct *task;
	struct wire_recv *r;
	__u16 family;
	__u64 size = 0, n, off, now;
	void *buf;

	if (ret <= 0)
		return 0;
	family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return 0;
	task = bpf_get_current_task_btf();
	if (skip_task(task->tgid))
		return 0;
	buf = recv_buffer(task, &size);
	if (!buf)
		return 0;
	r = bpf_task_storage_get(&recvs, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!r)
		return 0;
	now = bpf_ktime_get_ns();
	n = (__u64)ret < size ? (__u64)ret : size;
	off = recv_append_at(r, now);
	if (n > WIRE_RECV_MAX - off)
		n = WIRE_RECV_MAX - off;
	if (n == 0 || bpf_probe_read_user(r->data + off, n, buf))
		return 0;
	r->len = off + n;
	r->t = now;
	return 0;
}
#endif

/* The latest data the exec'ing task, or the thread that forked it, received: the more recent. */
static __always_inline void exec_recv(struct wire_exec *e, struct task_struct *task)
{
	struct wire_recv *own = bpf_task_storage_get(&recvs, task, 0, 0);
	struct wire_recv *par = bpf_task_storage_get(&recvs, task->real_parent, 0, 0);
	struct wire_recv *r = own;
	__u32 n;

	e->recv_from = own ? 1 : 0;
	if (par && (!own || par->t > own->t)) {
		r = par;
		e->recv_from = 2;
	}
	e->recv_len = 0;
	e->recv_age = 0;
	if (!r)
		return;
	n = r->len;
	if (n > WIRE_RECV_MAX)
		n = WIRE_RECV_MAX;
	__builtin_memcpy(e->recv, r->data, WIRE_RECV_MAX);
	e->recv_len = n;
	e->recv_age = bpf_ktime_get_ns() - r->t;
}

/* kernfs_node's parent pointer was renamed __parent in Linux 6.15. */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

/* The task's cgroup: the default hierarchy's, or, when that is the root (a v1-only layout that
 * leaves the unified hierarchy unused), its memory controller's cgroup. */
static __always_inline struct cgroup *task_cgroup(struct task_struct *task)
{
	struct cgroup *cg = BPF_CORE_READ(task, cgroups, dfl_cgrp);
	int mem = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);

	if ((!cg || BPF_CORE_READ(cg, level) == 0) &&
	    bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id) && mem >= 0 &&
	    mem < CGROUP_SUBSYS_COUNT) {
		struct cgroup_subsys_state *css = BPF_CORE_READ(task, cgroups, subsys[mem]);

		if (css)
			cg = BPF_CORE_READ(css, cgroup);
	}
	return cg;
}

/* Which container the task is in, for user space to name (include/container.h): its cgroup's
 * id, depth and the names of it and two ancestors; its pid and network namespaces. */
static __always_inline void exec_container(struct wire_exec *e, struct task_struct *task)
{
	struct cgroup *cg = task_cgroup(task);
	struct kernfs_node *kn = cg ? BPF_CORE_READ(cg, kn) : NULL;
	struct pid *pid = task->thread_pid;
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid up = {};

	e->cgroup_id = kn ? BPF_CORE_READ(kn, id) : 0;
	e->cgroup_level = cg ? BPF_CORE_READ(cg, level) : 0;
	for (int i = 0; i < 3; i++) {
		e->cgroup[i][0] = '\0';
		if (kn && i < (int)e->cgroup_level + 1 &&
		    bpf_probe_read_kernel_str(e->cgroup[i], WIRE_CGROUP_NAME, BPF_CORE_READ(kn, name)) < 0)
			e->cgroup[i][0] = '\0';
		kn = kn ? kn_parent(kn) : NULL;
	}
	bpf_core_read(&up, sizeof(up), &pid->numbers[level & 31]);
	e->ns_pid = up.nr;
	e->pidns = up.ns ? BPF_CORE_READ(up.ns, ns.inum) : 0;
	e->netns = BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
}

/* Scratch for the working directory's path, built backwards from its middle: twice the kept
 * size, so every write at an offset below WIRE_CWD_MAX of a name below WIRE_CWD_MAX bytes stays
 * inside whatever the verifier thinks the two are. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[2 * WIRE_CWD_MAX]);
} cwdbuf SEC(".maps");

/* The mount a vfsmount is embedded in (container_of, with the offset relocated). */
static __always_inline struct mount *real_mount(struct vfsmount *m)
{
	return (struct mount *)((void *)m - bpf_core_field_offset(struct mount, mnt));
}

/* The task's working directory as a path (no bpf_d_path here): up the d_parent chain, crossing
 * to the mount point at a mount's root, until the root of the mount namespace (a mount that is
 * its own parent). Each name goes in front of the ones already placed, ending at buf[MAX]; a
 * path longer than WIRE_CWD_MAX or deeper than WIRE_CWD_DEPTH keeps its end (cwd_trunc). */
static __always_inline void exec_cwd(struct wire_exec *e, struct task_struct *task)
{
	struct dentry *d = BPF_CORE_READ(task, fs, pwd.dentry), *parent, *root;
	struct vfsmount *vm = BPF_CORE_READ(task, fs, pwd.mnt);
	struct mount *m = vm ? real_mount(vm) : NULL, *up;
	__u32 zero = 0, off = WIRE_CWD_MAX, len;
	char *buf = bpf_map_lookup_elem(&cwdbuf, &zero);
	int i;

	e->cwd_len = 0;
	e->cwd_trunc = 1;
	if (!buf || !d || !m)
		return;
	root = BPF_CORE_READ(vm, mnt_root);   /* read again only when the walk changes mounts */
	for (i = 0; i < WIRE_CWD_DEPTH; i++) {
		parent = BPF_CORE_READ(d, d_parent);
		if (d == root || d == parent) {
			up = BPF_CORE_READ(m, mnt_parent);
			if (d != root || !up || up == m)
				break;     /* the namespace's root (or a detached mount) */
			d = BPF_CORE_READ(m, mnt_mountpoint);
			m = up;
			root = BPF_CORE_READ(up, mnt.mnt_root);
			continue;
		}
		len = BPF_CORE_READ(d, d_name.len);
		if (len + 1 > off)
			break;
		off = (off - len - 1) & (WIRE_CWD_MAX - 1);
		len &= WIRE_CWD_MAX - 1;
		if (bpf_probe_read_kernel(buf + off + 1, len, BPF_CORE_READ(d, d_name.name)))
			return;
		buf[off] = '/';
		d = parent;
	}
	e->cwd_trunc = i == WIRE_CWD_DEPTH || (d != root && d != parent);
	if (off == WIRE_CWD_MAX) {
		off = WIRE_CWD_MAX - 1;
		buf[off] = '/';
	}
	off &= WIRE_CWD_MAX - 1;
	if (bpf_probe_read_kernel(e->cwd, WIRE_CWD_MAX, buf + off))
		return;
	e->cwd_len = WIRE_CWD_MAX - off;
}

/* Scratch for the kill's look at argv (no room on the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[256]);
} argbuf SEC(".maps");

/* One option that keeps an interpreter reading stdin: "-", "--login", or a cluster of i, s, l
 * ("-i", "-is", "-li"); n: its length with the NUL. */
static __always_inline bool stdin_option(const char *a, long n)
{
	if (n < 2 || n > 8 || a[0] != '-')
		return false;
	if (n == 8)
		return a[1] == '-' && a[2] == 'l' && a[3] == 'o' && a[4] == 'g' && a[5] == 'i' &&
		       a[6] == 'n';
#pragma unroll
	for (int k = 1; k < 7; k++)
		if (k < n - 1 && a[k] != 'i' && a[k] != 's' && a[k] != 'l')
			return false;
	return true;
}

/* The command line says the interpreter takes its commands from stdin: no argument after
 * argv[0], or one of stdin_option's. Anything else says no, conservatively: the kill is then user
 * space's, at the alert (docs/run.md). Two string reads, no loop over the bytes. */
static __always_inline bool argv_reads_stdin(const struct wire_exec *e)
{
	__u32 zero = 0, len = e->argv_len;
	char *buf = bpf_map_lookup_elem(&argbuf, &zero);
	long n0, n1;

	if (!buf || len > WIRE_ARGV_MAX)
		return false;
	n0 = bpf_probe_read_kernel_str(buf, 256, e->argv);   /* argv[0] and its NUL */
	if (n0 <= 0 || n0 >= 256)
		return false;
	if ((__u32)n0 >= len)
		return true;
	n1 = bpf_probe_read_kernel_str(buf, 8, e->argv + (n0 & 255));
	return n1 > 1 && (__u32)(n0 + n1) >= len && stdin_option(buf, n1);
}

static __always_inline bool is_inet_fd(const struct wire_fd *f)
{
	return f->kind == WIRE_FD_SOCK && (f->family == AF_INET || f->family == AF_INET6);
}

/* run --kill, in the kernel: an installed interpreter exec'd with inet sockets on stdin and on
 * stdout or stderr, taking its commands from stdin. The signal is taken on the way back to user
 * space: the program dies before its first instruction. */
static __always_inline void kill_if_remote_shell(struct wire_exec *e)
{
	if (!kill_remote_shell || !e->interp || !is_inet_fd(&e->fds[0]) ||
	    !(is_inet_fd(&e->fds[1]) || is_inet_fd(&e->fds[2])) || !argv_reads_stdin(e))
		return;
	e->killed = !bpf_send_signal(9);
}

/* What the exec'd file is: its inode, and the interpreter kind when it is an installed one. */
static __always_inline void exec_file(struct wire_exec *e, struct linux_binprm *bprm)
{
	struct inode *ino = bprm->file->f_inode;
	struct wire_inode key = {};
	__u8 *kind;

	key.ino = ino->i_ino;
	key.dev = ino->i_sb->s_dev;
	e->exe_ino = key.ino;
	e->exe_dev = key.dev;
	kind = bpf_map_lookup_elem(&interps, &key);
	e->interp = kind ? *kind : 0;
}

/* A successful exec: the new image's file name, command line, and what stdio is. Built in the
 * per-CPU scratch, the kill decided, then copied into its own ring ("execs"). */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct wire_counters *c;
	struct wire_exec *e;
	__u32 zero = 0;
	long n;

	if (skip_task(bpf_get_current_pid_tgid() >> 32))
		return filtered();
	e = bpf_map_lookup_elem(&exec_scratch, &zero);
	if (!e)
		return 0;
	fill_hdr(&e->hdr, WIRE_EXEC, exec_call(old_pid), sizeof(*e), task);
	n = bpf_probe_read_kernel_str(e->exe, sizeof(e->exe), bprm->filename);
	e->exe_len = n > 0 ? n : 0;
	e->killed = 0;
	e->pstart = task->real_parent->group_leader->start_boottime;
	exec_file(e, bprm);
	exec_recv(e, task);
	exec_container(e, task);
	exec_cwd(e, task);
	exec_argv(e, task);
	for (int i = 0; i < 3; i++) {
		__builtin_memset(&e->fds[i], 0, sizeof(e->fds[i]));
		fd_describe(&e->fds[i], task, i);
	}
	kill_if_remote_shell(e);
	if (bpf_ringbuf_output(&execs, e, sizeof(*e), BPF_RB_FORCE_WAKEUP) && (c = counters_get()))
		c->exec_dropped++;
	return 0;
}

/* A new process (threads are not reported: they share the parent's fds and memory). */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	struct wire_fork *e;
	__u32 child_pid = child->pid;

	if (child_pid != child->tgid || skip_task(bpf_get_current_pid_tgid() >> 32))
		return filtered();
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return dropped();
	fill_hdr(&e->hdr, WIRE_FORK, WIRE_C_FORK, sizeof(*e), bpf_get_current_task_btf());
	e->child = child_pid;
	e->pad0 = 0;
	bpf_ringbuf_submit(e, wake_flags(false, sizeof(*e)));
	return 0;
}

/* The last thread of a process exits (signal->live already dropped to 0). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p)
{
	struct wire_exit *e;

	if (p->signal->live.counter != 0 || skip_task(bpf_get_current_pid_tgid() >> 32))
		return filtered();
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return dropped();
	fill_hdr(&e->hdr, WIRE_EXIT, WIRE_C_EXIT, sizeof(*e), p);
	e->status = p->exit_code;
	e->pad0 = 0;
	bpf_ringbuf_submit(e, wake_flags(false, sizeof(*e)));
	return 0;
}

/* A socket in the listening state (TCP_LISTEN): not a connection, but it says which local ports
 * take connections (user space tells accepted sockets from connected ones by them). */
static __always_inline bool scan_listening(struct file *f)
{
	struct socket *so = BPF_CORE_READ(f, private_data);

	return BPF_CORE_READ(so, sk, __sk_common.skc_state) == 10;   /* TCP_LISTEN */
}

/* The processes that were running before the sensor (user/sources/live.c live_scan): every
 * process's fds 0-2 and its other inet sockets, read from its file table like the exec program
 * does. Through the kernel, not /proc: a sandbox with a network namespace of its own (systemd's
 * PrivateNetwork=) sees an empty /proc/net/tcp, and sockets off stdio or in other network
 * namespaces are found too. One wire_scan record per fd, written to the iterator's seq file. */
SEC("iter/task_file")
int scan_files(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct wire_scan r = {};
	bool inet;

	if (!task || !file || task->pid != task->tgid)
		return 0;
	file_describe(&r.f, file);
	inet = r.f.kind == WIRE_FD_SOCK && (r.f.family == AF_INET || r.f.family == AF_INET6);
	if (ctx->fd > 2 && !inet)
		return 0;
	r.pid = task->tgid;
	r.fd = ctx->fd;
	r.listening = inet && scan_listening(file);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
