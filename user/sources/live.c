/* live.c: the loader. open -> configure rodata -> load -> attach, then the consumer of the two
 * ring buffers (execs, events): records are queued (livequeue.c), handed on in time order, each
 * decoded once (live_decode) for the caller's callback. One cleanup
 * path (live_close) frees whatever was set up. Errors come back as one line naming the problem and
 * what to do; libbpf's own messages are printed only with opts->verbose.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "interpid.h"
#include "live.h"
#include "livequeue.h"
#include "probe.h"
#include "shellwatch.skel.h"

#define LIVE_MAX_LINKS 24

struct live {
	struct shellwatch_bpf *skel;
	struct ring_buffer *rb_exec; /* the execs ring: always read first */
	struct ring_buffer *rb_ev;   /* the events ring: read while the queue has room */
	int epfd;                    /* waits on both (their epoll fds) */
	int backlog;                 /* the queue filled up: the events ring may hold more */
	struct livequeue *q;
	struct bpf_link *links[LIVE_MAX_LINKS];
	int nlinks;
	int ncpus;
	live_event_fn on_event;
	void *cb_ctx;
	struct interpid *interps;    /* the host's interpreters (interpid.h) */
	struct live_stats st;
	char scratch[WIRE_ARGV_MAX + WIRE_EXE_MAX + 1024];
};

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return vfprintf(stderr, fmt, ap);
}

static void say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

static int configure(struct live *lv, const struct live_opts *o, char *why, size_t len)
{
	struct shellwatch_bpf *s = lv->skel;
	uint32_t mb = o->ringbuf_mb ? o->ringbuf_mb : 8;
	int err;

	if (mb & (mb - 1) || mb > 1024) {
		say(why, len, "ring buffer size %u MiB is not a power of 2 up to 1024", mb);
		return -1;
	}
	err = bpf_map__set_max_entries(s->maps.events, mb << 20);
	if (err) {
		say(why, len, "cannot size the ring buffer: %s", strerror(-err));
		return -1;
	}
	s->rodata->self_tgid = getpid();
	s->rodata->filter_pid = o->pid;
	s->rodata->kill_remote_shell = o->kill_remote_shell;
	s->rodata->wake_bytes = (uint64_t)(mb << 20) / 4;
	if (o->comm) {
		if (strlen(o->comm) >= WIRE_COMM_LEN) {
			say(why, len, "comm '%s' is longer than %d bytes, the kernel's limit", o->comm,
			    WIRE_COMM_LEN - 1);
			return -1;
		}
		s->rodata->filter_comm_on = 1;
		memcpy((char *)s->rodata->filter_comm, o->comm, strlen(o->comm) + 1);
	}
	return 0;
}

/* Turn off programs whose hook this kernel lacks (one warning each); -1 when none is left. */
static int drop_missing(struct live *lv, char *why, size_t len)
{
	int on = sw_probe_disable_missing(lv->skel->obj, stderr);

	if (on <= 0) {
		say(why, len, "this kernel has none of the tracepoints shellwatch needs%s%s",
		    on < 0 ? ": " : "", on < 0 ? strerror(-on) : "");
		return -1;
	}
	return 0;
}

static int attach_all(struct live *lv, char *why, size_t len)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, lv->skel->obj) {
		struct bpf_link *link;

		if (!bpf_program__autoload(prog) ||
		    bpf_program__expected_attach_type(prog) == BPF_TRACE_ITER)
			continue;   /* the start-up scan runs its iterator itself (live_scan) */
		if (lv->nlinks == LIVE_MAX_LINKS) {
			say(why, len, "too many BPF programs (%d max)", LIVE_MAX_LINKS);
			return -1;
		}
		link = bpf_program__attach(prog);
		if (!link) {
			int err = errno;

			say(why, len, "cannot attach to %s: %s (is the tracepoint in this kernel? "
				      "CONFIG_FTRACE_SYSCALLS=y is needed)",
			    bpf_program__section_name(prog), strerror(err));
			return -1;
		}
		lv->links[lv->nlinks++] = link;
	}
	return 0;
}

uint64_t live_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct live *lv = ctx;
	const struct wire_hdr *h = data;
	struct sw_event ev;

	if (live_decode(data, size, &ev, lv->scratch, sizeof(lv->scratch))) {
		lv->st.bad++;
		return 0;
	}
	if (h->type == WIRE_EXEC) {
		const struct wire_exec *w = data;
		uint64_t lat = live_clock_ns() - h->ktime;

		interpid_annotate(lv->interps, &ev, w->exe_dev, w->exe_ino);
		lv->st.execs++;
		lv->st.exec_lat_sum_ns += lat;
		if (lat > lv->st.exec_lat_max_ns)
			lv->st.exec_lat_max_ns = lat;
	}
	ev.seq = ++lv->st.events;
	return lv->on_event ? lv->on_event(lv->cb_ctx, &ev) : 0;
}

/* One connect of our own lets the programs learn the file operations every socket shares
 * (sock_fops in bpf/shellwatch.bpf.c) before the first dup depends on it: a UDP socket "connected"
 * to 127.0.0.1:9, which sends nothing. Best effort: without it they learn from the first
 * connect anyone makes. */
static void prime_socket_ops(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	(void)connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
}

/* The kernel's map of installed interpreters (bpf/shellwatch.bpf.c "interps"), from the scan.
 * Best effort: without it the exec program says 0 and user space still looks the file up. */
static void fill_interps(struct live *lv)
{
	for (size_t i = 0; i < interpid_count(lv->interps); i++) {
		const struct interp_file *f = interpid_at(lv->interps, i);
		struct wire_inode key = { .ino = f->ino, .dev = f->dev };
		__u8 kind = (__u8)f->kind;

		bpf_map__update_elem(lv->skel->maps.interps, &key, sizeof(key), &kind, sizeof(kind),
				     BPF_ANY);
	}
}

/* Two ring_buffer managers, not one with both rings: libbpf stops a poll at the first callback
 * error, so with one manager a full queue of events (-ENOSPC from the events ring) could keep the
 * execs ring from ever being read during a flood. */
static int open_rings(struct live *lv)
{
	struct epoll_event e = { .events = EPOLLIN };

	lv->rb_exec = ring_buffer__new(bpf_map__fd(lv->skel->maps.execs), livequeue_take_exec,
				       lv->q, NULL);
	lv->rb_ev = ring_buffer__new(bpf_map__fd(lv->skel->maps.events), livequeue_take_event,
				     lv->q, NULL);
	lv->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!lv->rb_exec || !lv->rb_ev || lv->epfd < 0)
		return -1;
	if (epoll_ctl(lv->epfd, EPOLL_CTL_ADD, ring_buffer__epoll_fd(lv->rb_exec), &e) ||
	    epoll_ctl(lv->epfd, EPOLL_CTL_ADD, ring_buffer__epoll_fd(lv->rb_ev), &e))
		return -1;
	return 0;
}

/* Take what the rings hold into the queue: every exec, and other events while there is room (a
 * full queue is -ENOSPC from the callback: the rest waits in the kernel). */
static int take(struct live *lv)
{
	int a = ring_buffer__consume(lv->rb_exec), b;

	if (a < 0 && a != -ENOSPC)
		return a;
	b = livequeue_events_full(lv->q) ? 0 : ring_buffer__consume(lv->rb_ev);
	if (b < 0 && b != -ENOSPC)
		return b;
	lv->backlog = livequeue_events_full(lv->q);
	return (a > 0 ? a : 0) + (b > 0 ? b : 0);
}

static int load_and_attach(struct live *lv, const struct live_opts *o, char *why, size_t len)
{
	int err;

	lv->skel = shellwatch_bpf__open();
	if (!lv->skel) {
		say(why, len, "cannot open the BPF object: %s", strerror(errno));
		return -1;
	}
	if (configure(lv, o, why, len) || drop_missing(lv, why, len))
		return -1;
	err = shellwatch_bpf__load(lv->skel);
	if (err) {
		say(why, len, "the kernel refused the BPF programs (%s): it needs Linux 5.15 or newer "
			      "with BTF and BPF ring buffers; run with -v for the verifier's log",
		    strerror(-err));
		return -1;
	}
	fill_interps(lv);
	if (attach_all(lv, why, len))
		return -1;
	prime_socket_ops();
	lv->q = livequeue_new();
	if (!lv->q || open_rings(lv)) {
		say(why, len, "cannot read the ring buffers: %s", lv->q ? strerror(errno) :
			      "out of memory");
		return -1;
	}
	return 0;
}

struct live *live_open(const struct live_opts *o, char *why, size_t len)
{
	struct live *lv;

	libbpf_set_print(o->verbose ? print_libbpf : NULL);
	if (sw_probe_basics(why, len))  /* privileges, BTF, ring buffer: one line when not */
		return NULL;
	lv = calloc(1, sizeof(*lv));
	if (!lv) {
		say(why, len, "out of memory");
		return NULL;
	}
	lv->epfd = -1;
	lv->on_event = o->on_event;
	lv->cb_ctx = o->cb_ctx;
	lv->interps = interpid_scan("/");
	lv->ncpus = libbpf_num_possible_cpus();
	if (lv->ncpus <= 0) {
		say(why, len, "cannot count the CPUs: %s", strerror(-lv->ncpus));
		live_close(lv);
		return NULL;
	}
	if (load_and_attach(lv, o, why, len)) {
		live_close(lv);
		return NULL;
	}
	return lv;
}

/* One slice: wait up to ms for a wake-up, then take whatever is in the rings (the kernel side does
 * not wake us for ordinary events, so a timeout is the normal way out) into the queue, and hand
 * it on in time order. A full queue of other events (a flood) is not an error: the rest waits in
 * the kernel, and the execs taken so far go on now; the next slice then does not wait (events do
 * not wake us, so waiting would leave a backlog behind at a queue per slice). A signal also takes what is there: the caller
 * then tells the judge that time has moved on (judge_tick), which is only true once every event
 * from before is delivered. */
static int poll_slice(struct live *lv, int ms)
{
	struct epoll_event e[2];
	int n = epoll_wait(lv->epfd, e, 2, lv->backlog ? 0 : ms), m;

	if (n < 0 && errno != EINTR)
		return -errno;
	m = take(lv);
	if (m < 0)
		return m;
	m = livequeue_deliver(lv->q, on_record, lv);
	if (m < 0)
		return m;
	return n < 0 ? -EINTR : m;
}

int live_poll(struct live *lv, int timeout_ms)
{
	uint64_t deadline = live_clock_ns() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0) * 1000000;

	for (;;) {
		int64_t left_ms = ((int64_t)(deadline - live_clock_ns())) / 1000000;
		int n = poll_slice(lv, left_ms < LIVE_FLUSH_MS ? (left_ms > 0 ? left_ms : 0) :
								 LIVE_FLUSH_MS);

		if (n == -EINTR)
			return 0;
		if (n != 0 || left_ms <= 0)
			return n;
	}
}

int live_scan(struct live *lv, void (*fn)(void *ctx, const struct wire_scan *r), void *ctx)
{
	struct bpf_program *prog = lv->skel->progs.scan_files;
	struct bpf_link *link;
	char buf[256 * sizeof(struct wire_scan)];
	size_t have = 0, i;
	ssize_t n;
	int fd, err = 0;

	if (!bpf_program__autoload(prog))
		return -EOPNOTSUPP;
	if (!(link = bpf_program__attach_iter(prog, NULL)))
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		err = -errno;
		bpf_link__destroy(link);
		return err;
	}
	for (;;) {
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		have += (size_t)n;
		for (i = 0; i + sizeof(struct wire_scan) <= have; i += sizeof(struct wire_scan)) {
			struct wire_scan r;

			memcpy(&r, buf + i, sizeof(r));
			fn(ctx, &r);
		}
		memmove(buf, buf + i, have - i);
		have -= i;
	}
	close(fd);
	bpf_link__destroy(link);
	return err;
}

int live_drain(struct live *lv)
{
	int n = 0, m, round;

	/* Bounded: producers may go on writing while we read; 4096 rounds of a full queue is far
	 * more than both rings hold. */
	for (round = 0; round < 4096; round++) {
		m = take(lv);
		if (m < 0)
			return m;
		if (m == 0 && !lv->backlog)
			break;
		m = livequeue_deliver(lv->q, on_record, lv);
		if (m < 0)
			return m;
		n += m;
	}
	m = livequeue_deliver(lv->q, on_record, lv);
	return m < 0 ? m : n + m;
}

void live_stats(const struct live *lv, struct live_stats *st)
{
	struct wire_counters *c;
	uint32_t zero = 0;

	*st = lv->st;
	c = calloc(lv->ncpus, sizeof(*c));
	if (!c || bpf_map__lookup_elem(lv->skel->maps.counters, &zero, sizeof(zero), c,
				       sizeof(*c) * lv->ncpus, 0)) {
		free(c);
		return;
	}
	for (int i = 0; i < lv->ncpus; i++) {
		st->filtered += c[i].filtered;
		st->dropped += c[i].dropped;
		st->exec_dropped += c[i].exec_dropped;
	}
	st->bad += livequeue_bad(lv->q);
	free(c);
}

struct interpid *live_interps(struct live *lv)
{
	return lv->interps;
}

void live_close(struct live *lv)
{
	if (!lv)
		return;
	ring_buffer__free(lv->rb_exec);
	ring_buffer__free(lv->rb_ev);
	if (lv->epfd >= 0)
		close(lv->epfd);
	livequeue_free(lv->q);
	for (int i = 0; i < lv->nlinks; i++)
		bpf_link__destroy(lv->links[i]);
	shellwatch_bpf__destroy(lv->skel);
	interpid_free(lv->interps);
	free(lv);
}
