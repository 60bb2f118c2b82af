/* probe_guarded.bpf.c: a program for tests/unit/test_probe.c that calls a helper no kernel has, but
 * only behind a CO-RE check of enum bpf_func_id (the way a program falls back on older kernels):
 * the verifier drops the dead call, so the prober must not turn the program off. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* The kernel's enum bpf_func_id, with one value no kernel has (a CO-RE flavour of the enum). */
enum bpf_func_id___sw {
	BPF_FUNC_sw_no_such_helper = 9999,
};

static long (*sw_no_such_helper)(void) = (void *)9999;

SEC("tp/syscalls/sys_enter_connect")
int guarded(void *ctx)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id___sw, BPF_FUNC_sw_no_such_helper))
		return sw_no_such_helper();
	return 0;
}
