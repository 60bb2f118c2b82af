/* probe_fixture.bpf.c: programs for tests/unit/test_probe.c, one per case the prober must tell
 * apart: attach points that exist on every kernel we support, ones that exist nowhere, and a call
 * to a helper id no kernel has. Built without vmlinux.h so it does not depend on the sensor's. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* No kernel has this helper: the prober must turn the program calling it off. */
static long (*sw_no_such_helper)(void) = (void *)9999;

SEC("tp/syscalls/sys_enter_connect")
int tp_present(void *ctx)
{
	return bpf_get_current_pid_tgid() == 0;
}

SEC("tracepoint/syscalls/sys_enter_no_such_call")
int tp_missing(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_process_exec")
int btf_present(unsigned long long *ctx)
{
	return 0;
}

SEC("tp_btf/no_such_tracepoint")
int btf_missing(unsigned long long *ctx)
{
	return 0;
}

SEC("raw_tp/sys_enter")
int raw_present(void *ctx)
{
	return 0;
}

SEC("raw_tp/no_such_raw_tracepoint")
int raw_missing(void *ctx)
{
	return 0;
}

SEC("tp/syscalls/sys_enter_dup2")
int helper_missing(void *ctx)
{
	return sw_no_such_helper();
}
