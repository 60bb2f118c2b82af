// SPDX-License-Identifier: GPL-2.0
/* empty.bpf.c: the benchmark's floor. Programs that do nothing, on exactly the hooks
 * shellwatch.bpf.c attaches, so `make bench` can tell what the sensor's own work costs from what
 * merely having a BPF program on those tracepoints costs (tools/bench_empty.c loads it). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define EMPTY_TP(name)                                      \
	SEC("tracepoint/syscalls/sys_exit_" #name)          \
	int empty_##name(struct trace_event_raw_sys_exit *ctx) \
	{                                                   \
		return 0;                                   \
	}

EMPTY_TP(dup)
EMPTY_TP(dup2)
EMPTY_TP(dup3)
EMPTY_TP(fcntl)
EMPTY_TP(accept)
EMPTY_TP(accept4)
EMPTY_TP(connect)
EMPTY_TP(execveat)

SEC("tracepoint/syscalls/sys_enter_execveat")
int empty_enter_execveat(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(empty_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(empty_fork, struct task_struct *parent, struct task_struct *child)
{
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(empty_exit, struct task_struct *p)
{
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(empty_recv, struct sock *sk, int ret, int flags)
{
	return 0;
}
