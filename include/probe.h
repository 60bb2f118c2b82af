/* probe.h: kernel feature probing at start-up. The loader calls sw_probe_basics() before opening the
 * BPF object and sw_probe_disable_missing() between bpf_object__open and bpf_object__load, so a
 * kernel that lacks something gets one clear line per lost feature instead of a verifier dump.
 * See docs/kernels.md for what each kernel version supports. */
#ifndef SW_PROBE_H
#define SW_PROBE_H

#include <stddef.h>
#include <stdio.h>

struct bpf_object;

/* 0 when this process can run the sensor at all (privileges, BTF, ring buffer, bpf() itself);
 * otherwise -1 with a one-line reason and what to do in why[len] (no trailing newline).
 * Mounts tracefs at /sys/kernel/tracing when none is mounted (tracepoints are found there). */
int sw_probe_basics(char *why, size_t len);

/* For each program of obj whose attach point (SEC "tp/<cat>/<name>", "tracepoint/<cat>/<name>",
 * "tp_btf/<name>", "raw_tp/<name>", "raw_tracepoint/<name>") is missing on this kernel, whose
 * program type is not supported, or that calls a helper this kernel lacks: turn its autoload off
 * and write one warning line to warn (if not NULL) naming it and what the user loses.
 * Returns how many programs are left on (0: the caller fails with a clear error), or -errno. */
int sw_probe_disable_missing(struct bpf_object *obj, FILE *warn);

/* The same with explicit places to look, for tests and for unusual mounts. */
struct sw_probe_opts {
	const char *tracefs;  /* tracefs root; NULL: /sys/kernel/tracing, then /sys/kernel/debug/tracing */
	const char *btf_path; /* vmlinux BTF file; NULL: the running kernel's */
};
int sw_probe_disable_missing_opts(struct bpf_object *obj, FILE *warn,
				  const struct sw_probe_opts *opts);

/* How a program attaches, parsed from its section name. */
enum sw_attach_kind {
	SW_ATTACH_OTHER,   /* kprobe, fentry, ...: only the program type is probed */
	SW_ATTACH_TP,      /* tp/<cat>/<name>, tracepoint/<cat>/<name>: tracefs event */
	SW_ATTACH_TP_BTF,  /* tp_btf/<name>: BTF type btf_trace_<name> */
	SW_ATTACH_RAW_TP,  /* raw_tp/<name>, raw_tracepoint/<name>: BTF or any tracefs category */
	SW_ATTACH_ITER,    /* iter/<name>: BTF struct bpf_iter__<name> */
};

struct sw_attach {
	enum sw_attach_kind kind;
	char cat[64];   /* tracefs category (SW_ATTACH_TP only) */
	char name[128]; /* tracepoint name */
};

/* Parse a section name; 0 on success (kind may be SW_ATTACH_OTHER), -EINVAL when a tracepoint
 * section is malformed (missing or too long category/name). */
int sw_probe_parse_section(const char *sec, struct sw_attach *out);

/* What the user loses when the tracepoint NAME (e.g. "sys_enter_connect") is not traced. */
const char *sw_probe_loss(const char *name);

#endif /* SW_PROBE_H */
