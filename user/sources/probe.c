/* probe.c: kernel feature probing. Before loading, find what this kernel lacks (privileges, BTF,
 * ring buffer, a tracepoint, a program type, a helper) and turn off only the programs that need it,
 * each with one warning line saying what the user loses, so older kernels run with less coverage
 * instead of failing with a verifier dump. Probing uses libbpf's own feature probes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "probe.h"

#define SW_TRACEFS_MAIN "/sys/kernel/tracing"
#define SW_TRACEFS_DEBUG "/sys/kernel/debug/tracing"
#define SW_MAX_PROG_TYPE 64
#define SW_CAP_BPF 39
#define SW_CAP_PERFMON 38

/* Effective capabilities allow loading and attaching tracing programs? */
static int caps_ok(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };
	unsigned long long eff;

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	eff = (unsigned long long)data[1].effective << 32 | data[0].effective;
	if (eff & (1ULL << CAP_SYS_ADMIN))
		return 1;
	return (eff & (1ULL << SW_CAP_BPF)) && (eff & (1ULL << SW_CAP_PERFMON));
}

/* Probing state for one sw_probe_disable_missing call: caches, not globals. */
struct probe_ctx {
	const char *tracefs;  /* NULL when no tracefs is mounted */
	struct btf *btf;      /* vmlinux BTF or NULL */
	FILE *warn;
	int can_load;         /* kernel probes work here (else their answers mean nothing) */
	int guarded;          /* the object checks helpers itself (CO-RE on enum bpf_func_id) */
	signed char type_ok[SW_MAX_PROG_TYPE]; /* 0 unknown yet, 1 yes, -1 no */
	struct {
		int type, id, ok;
	} helpers[64]; /* helper probes done so far: programs share most helpers */
	int nhelpers;
};

/* Helper names by id, from the uapi header this was built with. */
#define SW_HELPER_NAME(x) [BPF_FUNC_##x] = "bpf_" #x
static const char *const helper_names[__BPF_FUNC_MAX_ID] = { __BPF_FUNC_MAPPER(SW_HELPER_NAME) };

static const char *helper_name(int id, char *buf, size_t len)
{
	if (id > 0 && id < __BPF_FUNC_MAX_ID && helper_names[id])
		return helper_names[id];
	snprintf(buf, len, "#%d", id);
	return buf;
}

/* Copy src[0..n) into dst (size cap) NUL-terminated; -EINVAL when empty or too long. */
static int copy_part(char *dst, size_t cap, const char *src, size_t n)
{
	if (n == 0 || n >= cap)
		return -EINVAL;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static const char *skip_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

int sw_probe_parse_section(const char *sec, struct sw_attach *out)
{
	const char *rest, *slash;

	memset(out, 0, sizeof(*out));
	if (!sec)
		return -EINVAL;
	if ((rest = skip_prefix(sec, "tp/")) || (rest = skip_prefix(sec, "tracepoint/"))) {
		out->kind = SW_ATTACH_TP;
		slash = strchr(rest, '/');
		if (!slash || strchr(slash + 1, '/'))
			return -EINVAL;
		if (copy_part(out->cat, sizeof(out->cat), rest, slash - rest))
			return -EINVAL;
		return copy_part(out->name, sizeof(out->name), slash + 1, strlen(slash + 1));
	}
	if ((rest = skip_prefix(sec, "tp_btf/")) || (rest = skip_prefix(sec, "tp_btf.s/")))
		out->kind = SW_ATTACH_TP_BTF;
	else if ((rest = skip_prefix(sec, "raw_tp/")) || (rest = skip_prefix(sec, "raw_tracepoint/")) ||
		 (rest = skip_prefix(sec, "raw_tp.w/")) || (rest = skip_prefix(sec, "raw_tracepoint.w/")))
		out->kind = SW_ATTACH_RAW_TP;
	else if ((rest = skip_prefix(sec, "iter/")) || (rest = skip_prefix(sec, "iter.s/")))
		out->kind = SW_ATTACH_ITER;
	else
		return 0;
	if (strchr(rest, '/'))
		return -EINVAL;
	return copy_part(out->name, sizeof(out->name), rest, strlen(rest));
}

/* What each traced call gives the user; matched on the tracepoint name's tail. */
static const struct {
	const char *call;
	const char *loss;
} losses[] = {
	{ "sock_recv_length", "what processes receive is not compared with the commands they run "
			      "(command-from-network needs Linux 6.3; popen loops are then caught "
			      "only by their relays and scores)" },
	{ "connect", "outgoing connections are not seen (reverse shells go undetected)" },
	{ "accept4", "accepted connections via accept4 are not seen (bind shells may go undetected)" },
	{ "accept", "accepted connections are not seen (bind shells may go undetected)" },
	{ "pipe2", "pipe creators are not known (a relay through another process's pipes "
		   "is not tied to its connection)" },
	{ "pipe", "pipe creators are not known for pipe(2) (pipe2 still is)" },
	{ "socketpair", "socketpair creators are not known (relays through AF_UNIX pairs are "
			"not tied to their connection)" },
	{ "dup3", "dup3 redirections are not seen" },
	{ "dup2", "dup2 redirections of a socket onto stdio are not seen" },
	{ "dup", "dup of sockets is not seen" },
	{ "fcntl", "F_DUPFD copies of sockets are not seen" },
	{ "execveat", "execveat program starts are not seen" },
	{ "execve", "program starts are not seen (no shell is ever reported)" },
	{ "process_exec", "program starts and their stdio sockets are not seen" },
	{ "process_fork", "process lineage is lost (children are not tied to their parents)" },
	{ "process_exit", "exits are not seen (per-process state is kept until it ages out)" },
	{ "task_file", "the processes running before the sensor are read from /proc instead: "
		       "their fds 0-2, and sockets of the sensor's own network namespace only" },
	{ "sys_enter", "raw system-call entries are not seen" },
	{ "sys_exit", "raw system-call results are not seen" },
};

const char *sw_probe_loss(const char *name)
{
	size_t i, n = name ? strlen(name) : 0, m;

	for (i = 0; i < sizeof(losses) / sizeof(losses[0]); i++) {
		m = strlen(losses[i].call);
		if (n >= m && strcmp(name + n - m, losses[i].call) == 0 &&
		    (n == m || name[n - m - 1] == '_'))
			return losses[i].loss;
	}
	return "the events of this program are not recorded";
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *find_tracefs(const char *wanted)
{
	char path[512];

	if (wanted) {
		snprintf(path, sizeof(path), "%s/events", wanted);
		return is_dir(path) ? wanted : NULL;
	}
	snprintf(path, sizeof(path), "%s/events", SW_TRACEFS_MAIN);
	if (is_dir(path))
		return SW_TRACEFS_MAIN;
	snprintf(path, sizeof(path), "%s/events", SW_TRACEFS_DEBUG);
	return is_dir(path) ? SW_TRACEFS_DEBUG : NULL;
}

static int tracefs_event_exists(const char *root, const char *cat, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/events/%s/%s/id", root, cat, name);
	return access(path, F_OK) == 0;
}

/* Is there an event NAME in any tracefs category (raw_tp takes no category)? */
static int tracefs_event_anywhere(const char *root, const char *name)
{
	char path[512];
	struct dirent *de;
	DIR *d;
	int found = 0;

	snprintf(path, sizeof(path), "%s/events", root);
	d = opendir(path);
	if (!d)
		return 0;
	while (!found && (de = readdir(d)))
		found = de->d_name[0] != '.' && tracefs_event_exists(root, de->d_name, name);
	closedir(d);
	return found;
}

/* Does the kernel's BTF name PREFIX<name> as a type of this kind? */
static int btf_has(const struct btf *btf, const char *prefix, const char *name, __u32 kind)
{
	char tname[160];

	snprintf(tname, sizeof(tname), "%s%s", prefix, name);
	return btf && btf__find_by_name_kind(btf, tname, kind) > 0;
}

static int btf_has_trace_type(const struct btf *btf, const char *name)
{
	return btf_has(btf, "btf_trace_", name, BTF_KIND_TYPEDEF);
}

/* 1 when the attach point exists; 0 and a reason in why[] otherwise. */
static int attach_point_ok(struct probe_ctx *ctx, const struct sw_attach *at, char *why, size_t len)
{
	switch (at->kind) {
	case SW_ATTACH_TP:
		if (!ctx->tracefs) {
			snprintf(why, len, "no readable tracefs (mount -t tracefs nodev %s, as root)",
				 SW_TRACEFS_MAIN);
			return 0;
		}
		if (tracefs_event_exists(ctx->tracefs, at->cat, at->name))
			return 1;
		snprintf(why, len, "this kernel has no tracepoint %s/%s", at->cat, at->name);
		return 0;
	case SW_ATTACH_TP_BTF:
		if (btf_has_trace_type(ctx->btf, at->name))
			return 1;
		snprintf(why, len, ctx->btf ? "this kernel's BTF has no tracepoint %s"
					   : "no kernel BTF to attach tp_btf/%s", at->name);
		return 0;
	case SW_ATTACH_RAW_TP:
		if (btf_has_trace_type(ctx->btf, at->name) ||
		    (ctx->tracefs && tracefs_event_anywhere(ctx->tracefs, at->name)))
			return 1;
		snprintf(why, len, "this kernel has no raw tracepoint %s", at->name);
		return 0;
	case SW_ATTACH_ITER:
		if (btf_has(ctx->btf, "bpf_iter__", at->name, BTF_KIND_STRUCT))
			return 1;
		snprintf(why, len, ctx->btf ? "this kernel's BTF has no BPF iterator %s"
					   : "no kernel BTF to attach iter/%s", at->name);
		return 0;
	default:
		return 1;
	}
}

/* 1 supported, 0 not, -1 unknown (probe failed, e.g. without privileges). libbpf cannot probe
 * BTF-attached types without a target; for tp_btf the BTF lookup of the target stands in (kernels
 * that emit btf_trace_* types all support tp_btf). */
static int prog_type_ok(struct probe_ctx *ctx, enum bpf_prog_type type)
{
	int r;

	if (!ctx->can_load || (unsigned)type >= SW_MAX_PROG_TYPE || type == BPF_PROG_TYPE_TRACING ||
	    type == BPF_PROG_TYPE_EXT || type == BPF_PROG_TYPE_LSM ||
	    type == BPF_PROG_TYPE_STRUCT_OPS)
		return -1;
	if (!ctx->type_ok[type]) {
		r = libbpf_probe_bpf_prog_type(type, NULL);
		ctx->type_ok[type] = r > 0 ? 1 : r == 0 ? -1 : 0;
		if (r < 0)
			return -1;
	}
	return ctx->type_ok[type] > 0;
}

/* libbpf cannot probe helpers for BTF-attached types; raw_tp and kprobe share their helper set
 * closely enough: the helper counts as missing only when both lack it. */
static int probe_helper(enum bpf_prog_type type, int id)
{
	int a;

	if (type == BPF_PROG_TYPE_TRACING &&
	    (id == BPF_FUNC_seq_write || id == BPF_FUNC_seq_printf || id == BPF_FUNC_seq_printf_btf))
		return 1;   /* iterators' own helpers: the iterator's BTF type was found, so they do */
	if (type != BPF_PROG_TYPE_TRACING)
		return libbpf_probe_bpf_helper(type, id, NULL);
	a = libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, id, NULL);
	if (a != 0)
		return a;
	return libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, id, NULL);
}

/* probe_helper, remembered per (type, helper). */
static int helper_ok(struct probe_ctx *ctx, enum bpf_prog_type type, int id)
{
	int i, ok;

	for (i = 0; i < ctx->nhelpers; i++)
		if (ctx->helpers[i].type == (int)type && ctx->helpers[i].id == id)
			return ctx->helpers[i].ok;
	ok = probe_helper(type, id);
	if (ctx->nhelpers < (int)(sizeof(ctx->helpers) / sizeof(ctx->helpers[0]))) {
		ctx->helpers[ctx->nhelpers].type = type;
		ctx->helpers[ctx->nhelpers].id = id;
		ctx->helpers[ctx->nhelpers++].ok = ok;
	}
	return ok;
}

/* First helper the program calls that this kernel lacks, or 0. */
static int missing_helper(struct probe_ctx *ctx, const struct bpf_program *prog)
{
	const struct bpf_insn *insn = bpf_program__insns(prog);
	size_t i, n = bpf_program__insn_cnt(prog);
	enum bpf_prog_type type = bpf_program__type(prog);

	for (i = 0; insn && i < n; i++) {
		if (insn[i].code != (BPF_JMP | BPF_CALL) || insn[i].src_reg != 0)
			continue; /* not a helper call (subprogram and kfunc calls have src_reg set) */
		if (helper_ok(ctx, type, insn[i].imm) == 0)
			return insn[i].imm;
	}
	return 0;
}

/* Does the object test helper existence itself (bpf_core_enum_value_exists on enum bpf_func_id,
 * or a ___flavour of it)? Then a call to a missing helper may be dead code the verifier drops, and
 * the instructions alone cannot tell: helper checks are left to the verifier. */
static int object_guards_helpers(const struct bpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj);
	__u32 i, n = btf ? btf__type_cnt(btf) : 0;
	const char *name;

	for (i = 1; i < n; i++) {
		if (!btf_is_any_enum(btf__type_by_id(btf, i)))
			continue;
		name = btf__name_by_offset(btf, btf__type_by_id(btf, i)->name_off);
		if (name && !strncmp(name, "bpf_func_id", 11) &&
		    (!name[11] || !strncmp(name + 11, "___", 3)))
			return 1;
	}
	return 0;
}

static void warn_off(struct probe_ctx *ctx, const struct bpf_program *prog, const char *loss,
		     const char *why)
{
	if (ctx->warn)
		fprintf(ctx->warn, "shellwatch: warning: %s (%s) disabled: %s; %s\n",
			bpf_program__name(prog), bpf_program__section_name(prog), why, loss);
}

/* 1 when the program stays on, 0 when it was turned off (with a warning). */
static int check_program(struct probe_ctx *ctx, struct bpf_program *prog)
{
	struct sw_attach at;
	char why[256], hbuf[32];
	const char *loss;
	int id;

	if (!bpf_program__autoload(prog))
		return 0;
	if (sw_probe_parse_section(bpf_program__section_name(prog), &at)) {
		/* Let libbpf report the bad section name itself at load. */
		return 1;
	}
	loss = at.kind == SW_ATTACH_OTHER ? "the events of this program are not recorded"
					  : sw_probe_loss(at.name);
	if (!attach_point_ok(ctx, &at, why, sizeof(why)))
		goto off;
	if (prog_type_ok(ctx, bpf_program__type(prog)) == 0) {
		snprintf(why, sizeof(why), "this kernel does not support %s programs",
			 libbpf_bpf_prog_type_str(bpf_program__type(prog)));
		goto off;
	}
	id = ctx->can_load && !ctx->guarded ? missing_helper(ctx, prog) : 0;
	if (!id)
		return 1;
	snprintf(why, sizeof(why), "this kernel lacks the BPF helper %s",
		 helper_name(id, hbuf, sizeof(hbuf)));
off:
	bpf_program__set_autoload(prog, false);
	warn_off(ctx, prog, loss, why);
	return 0;
}

int sw_probe_disable_missing_opts(struct bpf_object *obj, FILE *warn,
				  const struct sw_probe_opts *opts)
{
	struct probe_ctx ctx = { .warn = warn };
	struct bpf_program *prog;
	int left = 0;

	if (!obj)
		return -EINVAL;
	/* libbpf's probes answer "no" when loading fails for any reason, e.g. no privileges: they are
	 * trusted only when the oldest program type loads. */
	ctx.can_load = caps_ok() && libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_SOCKET_FILTER, NULL) == 1;
	ctx.guarded = object_guards_helpers(obj);
	ctx.tracefs = find_tracefs(opts ? opts->tracefs : NULL);
	if (opts && opts->btf_path)
		ctx.btf = btf__parse(opts->btf_path, NULL);
	else
		ctx.btf = btf__load_vmlinux_btf();
	/* NULL when there is none: the tp_btf programs then go off with a warning */
	bpf_object__for_each_program(prog, obj)
		left += check_program(&ctx, prog);
	btf__free(ctx.btf);
	return left;
}

int sw_probe_disable_missing(struct bpf_object *obj, FILE *warn)
{
	return sw_probe_disable_missing_opts(obj, warn, NULL);
}

/* Mount tracefs where libbpf looks for it when nothing is mounted (as systemd does at boot);
 * failing is not fatal: the tracepoint programs are then turned off with a warning. */
static void mount_tracefs(void)
{
	if (!find_tracefs(NULL))
		(void)mount("nodev", SW_TRACEFS_MAIN, "tracefs", 0, NULL);
}

int sw_probe_basics(char *why, size_t len)
{
	struct btf *btf;
	int r;

	if (!caps_ok()) {
		snprintf(why, len, "not allowed to load BPF programs: run as root "
				   "(or with CAP_BPF and CAP_PERFMON)");
		return -1;
	}
	mount_tracefs();
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		snprintf(why, len, "no kernel BTF (/sys/kernel/btf/vmlinux): use a kernel built with "
				   "CONFIG_DEBUG_INFO_BTF=y (5.8 or newer, see docs/kernels.md)");
		return -1;
	}
	btf__free(btf);
	r = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL);
	if (r == 0) {
		snprintf(why, len, "this kernel has no BPF ring buffer: Linux 5.8 or newer is needed "
				   "(see docs/kernels.md)");
		return -1;
	}
	if (r < 0) {
		snprintf(why, len, "cannot use bpf(): %s (is BPF disabled by a security policy, e.g. "
				   "kernel.unprivileged_bpf_disabled or lockdown?)", strerror(-r));
		return -1;
	}
	return 0;
}
