/* bench_replay.c: replay throughput and engine memory.
 *   bench_replay BACKGROUND.strace[.gz] [EVENTS]   (default 4,000,000)
 * 1. Throughput: the background (a real workload, pids dropped) repeated to EVENTS lines of the
 *    seed format, with a shell-code instance every 100,000 lines, held in memory and read with the
 *    same code as `shellwatch replay` (trace_read_file + engine, built-in rules): CPU time on one
 *    core, events/s, for PWW and the incremental matcher; then our record form (pid=, t=, 64
 *    processes) with time windows. Every injected instance must be found.
 * 2. Memory: 10,000 processes each with 12 events the rules use, interleaved, so all streams live
 *    at once: the engine's own bytes and the process's peak RSS growth.
 */
#include <argp.h>
#include <sys/resource.h>
#include <time.h>
#include "background.h"
#include "engine.h"
#include "shellcode.h"

struct text {
	char *p;
	size_t len, cap;
};

static void put(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n + 2 > t->cap) {
		t->cap = (t->cap + n + 2) * 2;
		t->p = realloc(t->p, t->cap);
		if (!t->p)
			abort();
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len++] = '\n';
}

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void count_detection(void *ctx, const struct sw_detection *d)
{
	(void)d;
	(*(uint64_t *)ctx)++;
}

static int feed(void *ctx, const struct sw_event *ev)
{
	engine_feed(ctx, ev);
	return 0;
}

/* Replay text once; prints events/s. */
static void run(const char *what, const struct text *t, struct engine_opts o, uint64_t want)
{
	uint64_t found = 0;
	struct sw_read_stats rs = { 0 };
	struct engine_stats st;
	struct engine *e;
	FILE *f = fmemopen(t->p, t->len, "r");
	double t0;

	o.on_detect = count_detection, o.ctx = &found;
	e = engine_new(&o);
	t0 = cpu_now();
	trace_read_file(f, what, false, trace_parse_line, NULL, feed, e, &rs);
	engine_flush(e);
	t0 = cpu_now() - t0;
	engine_stats(e, &st);
	printf("%-34s %10llu events %6.2f s CPU %6.2f M events/s, %llu detections for %llu injected, "
	       "%llu kept\n", what, (unsigned long long)rs.events, t0, (double)rs.events / t0 / 1e6,
	       (unsigned long long)found, (unsigned long long)want, (unsigned long long)st.kept);
	engine_free(e);
	fclose(f);
}

/* Insert " pid=P t=T" after the call name of a seed line. */
static void put_record(struct text *t, const char *line, unsigned pid, uint64_t ns)
{
	char buf[1200];
	const char *sp = strchr(line, ' ');
	int n = sp ? (int)(sp - line) : (int)strlen(line);

	snprintf(buf, sizeof(buf), "%.*s pid=%u t=%llu%s", n, line, pid, (unsigned long long)ns,
		 sp ? sp : "");
	put(t, buf);
}

/* EVENTS lines: the background over and over, an instance spread over 50 lines every 100,000. */
static uint64_t build(struct text *seed, struct text *rec, const struct background *b, size_t events)
{
	char inst[SHELLCODE_LEN][SHELLCODE_LINE];
	unsigned off[SHELLCODE_LEN];
	uint64_t rng = 88172645463325252ULL, instances = 0;
	size_t bi = 0, start = (size_t)-1, k = SHELLCODE_LEN;

	for (size_t i = 0; i < events; i++) {
		const char *line;
		unsigned pid;

		if (i % 100000 == 50000) {
			shellcode_gen(&rng, inst);
			shellcode_spread(&rng, 50, off);
			start = i, k = 0, instances++;
		}
		if (k < SHELLCODE_LEN && i - start == off[k]) {
			line = inst[k++];
			pid = 100000 + (unsigned)instances;
		} else {
			line = b->lines[bi++ % b->n];
			pid = 1000 + (unsigned)(i % 64);
		}
		put(seed, line);
		put_record(rec, line, pid, 1000000000ULL + i * 1000); /* 1 us apart */
	}
	return instances;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void memory(const struct ruleset *rs)
{
	static const char *ev[][2] = {
		{ "connect", "fd=3 family=inet addr=10.0.0.1 port=80 => 0" }, { "dup", "fd=3 => 4" },
		{ "dup2", "fd=4 newfd=10 => 10" }, { "fcntl", "fd=3 cmd=F_DUPFD arg=20 => 20" },
		{ "accept4", "fd=5 family=inet addr=10.0.0.2 port=5555 => 6" },
		{ "dup3", "fd=6 newfd=11 flags=0 => 11" }, { "dup2", "fd=1 newfd=12 => 12" },
		{ "connect", "fd=7 family=inet6 addr=::1 port=443 => -115" }, { "dup", "fd=7 => 8" },
		{ "dup2", "fd=8 newfd=13 => 13" }, { "execve", "exe=/usr/bin/true argv=true => 0" },
		{ "dup", "fd=9 => 14" },
	};
	struct engine_opts o = engine_opts_default(ENGINE_COUNT);
	struct engine_stats st;
	struct engine *e;
	long rss0 = maxrss_kb();
	char line[256];
	struct sw_event sev;
	const char *why;

	o.rules = rs;
	o.max_bytes = 0;  /* the cost per stream, without the cap that would evict them */
	e = engine_new(&o);
	for (unsigned r = 0; r < sizeof(ev) / sizeof(ev[0]); r++)
		for (unsigned pid = 1; pid <= 10000; pid++) {
			snprintf(line, sizeof(line), "%s pid=%u %s", ev[r][0], pid, ev[r][1]);
			if (trace_parse_line(NULL, line, strlen(line), &sev, &why) == 1)
				engine_feed(e, &sev);
		}
	engine_stats(e, &st);
	printf("memory: %llu streams at once, %llu events held, engine %.1f MiB (%.0f bytes per "
	       "stream); peak RSS grew %.1f MiB\n", (unsigned long long)st.streams_max,
	       (unsigned long long)st.kept, (double)st.bytes_max / 1048576.0,
	       (double)st.bytes_max / (double)st.streams_max, (double)(maxrss_kb() - rss0) / 1024.0);
	engine_free(e);
}

int main(int argc, char **argv)
{
	struct background b = { 0 };
	struct text seed = { 0 }, rec = { 0 };
	struct ruleset rs = { 0 };
	struct engine_opts o;
	size_t events = argc > 2 ? strtoul(argv[2], NULL, 10) : 4000000;
	uint64_t want;
	char err[256];

	if (argc < 2) {
		fprintf(stderr, "usage: bench_replay BACKGROUND.strace[.gz] [EVENTS]\n");
		return 2;
	}
	if (rules_load_default(&rs, err, sizeof(err)) || background_load(&b, argv[1], true))
		return 1;
	want = build(&seed, &rec, &b, events);
	printf("background %s: %zu events, repeated to %zu lines (%.0f MiB of text)\n", argv[1], b.n,
	       events, (double)seed.len / 1048576.0);
	o = engine_opts_default(ENGINE_COUNT);
	o.rules = &rs;
	run("seed format, PWW", &seed, o, want);
	o.mode = ENGINE_INCREMENTAL;
	run("seed format, incremental", &seed, o, want);
	o = engine_opts_default(ENGINE_TIME);
	o.rules = &rs;
	run("records pid= t=, PWW, time windows", &rec, o, want);
	memory(&rs);
	free(seed.p);
	free(rec.p);
	background_free(&b);
	rules_free(&rs);
	return 0;
}
