/* study.c: the case study of PWW (docs/engine.md) on our own background trace.
 *   study [-o DIR] [-n SAMPLES] [-L LMAX] [-s SEED] [--strace] BACKGROUND
 * 1. Work against the initial batch duration t = 5, 10, ..., 640: R_fixed (a fixed window of
 *    2 L_max moved by L_max), the bound B_PWW(t) = 2 R_fixed T / (t W) with W = T / (2 L_max) - 1,
 *    and the measured R_PWW(t) (events searched); the incremental matcher's work (item match
 *    attempts) for reference. -> DIR/work.csv
 * 2. Detection delay against the episode duration d = 5, 10, ... < L_max: one generated instance
 *    (tools/shellcode.h) spread over d events at a random place, SAMPLES times per d, with PWW
 *    (t = 5, the shell code's length) and with the incremental matcher; delay = events between
 *    the last event of the match (the instance's execve, or an exec of the background that lands
 *    after its dups and completes it earlier) and the detection. -> DIR/delay.csv, the slope.
 * One stream, one system call per time unit, every call kept (no prefilter), as in the paper.
 */
#include <argp.h>
#include "background.h"
#include "engine.h"
#include "shellcode.h"

struct study {
	struct background bg;
	struct ruleset rs;
	unsigned long samples, l_max, seed;
	const char *dir, *file;
	bool strace;
	uint64_t rng;
	/* the current delay run */
	uint64_t first_pos;   /* output index of the instance's accept */
	bool found;
	uint64_t delay;
};

static void on_detect(void *ctx, const struct sw_detection *d)
{
	struct study *s = ctx;

	if (!s->found && d->first_seq == s->first_pos + 1) {
		s->found = true;
		s->delay = d->delay ? d->delay - 1 : 0; /* 0: found right after its last event */
	}
}

static struct engine *study_engine(struct study *s, enum engine_mode mode, uint64_t t)
{
	struct engine_opts o = engine_opts_default(ENGINE_COUNT);
	uint64_t top = t;

	while (top < s->l_max)
		top <<= 1;
	o.rules = &s->rs, o.mode = mode, o.t = t, o.l_max = s->l_max;
	o.keep_all = true, o.keep_text = false, o.max_events = (uint32_t)(2 * top + 2 * t + 64);
	o.on_detect = on_detect, o.ctx = s;
	return engine_new(&o);
}

static void feed(struct engine *e, const char *line, uint64_t seq)
{
	char buf[BACKGROUND_LINE];
	struct sw_event ev;
	const char *why;
	size_t n = strlen(line); /* < BACKGROUND_LINE */

	memcpy(buf, line, n + 1);
	if (trace_parse_line(NULL, buf, n, &ev, &why) == 1) {
		ev.seq = seq;
		engine_feed(e, &ev);
	}
}

/* Events searched by one run over the whole background. */
static uint64_t work(struct study *s, enum engine_mode mode, uint64_t t)
{
	struct engine *e = study_engine(s, mode, t);
	struct engine_stats st;

	for (size_t i = 0; i < s->bg.n; i++)
		feed(e, s->bg.lines[i], i + 1);
	engine_flush(e);
	engine_stats(e, &st);
	engine_free(e);
	return st.searched;
}

static int study_work(struct study *s, FILE *csv)
{
	double T = (double)s->bg.n, W = T / (2.0 * (double)s->l_max) - 1;
	uint64_t r_fixed = work(s, ENGINE_PWW, s->l_max), r_incr = work(s, ENGINE_INCREMENTAL, 5);

	if (W < 1) {
		fprintf(stderr, "study: the background (%zu events) is too short for L_max %lu\n",
			s->bg.n, s->l_max);
		return -1;
	}
	fprintf(csv, "t,R_fixed,B_PWW,R_PWW,R_incremental\n");
	for (uint64_t t = 5; t <= 640; t *= 2) {
		uint64_t r = work(s, ENGINE_PWW, t);

		fprintf(csv, "%llu,%llu,%.0f,%llu,%llu\n", (unsigned long long)t,
			(unsigned long long)r_fixed, 2.0 * (double)r_fixed * T / ((double)t * W),
			(unsigned long long)r, (unsigned long long)r_incr);
		printf("work t=%-4llu R_PWW=%-9llu R_fixed=%llu\n", (unsigned long long)t,
		       (unsigned long long)r, (unsigned long long)r_fixed);
	}
	return 0;
}

/* One instance spread over d events at a random place; true when found, with its delay. */
static bool sample(struct study *s, enum engine_mode mode, unsigned d, uint64_t *delay)
{
	char inst[SHELLCODE_LEN][SHELLCODE_LINE];
	unsigned off[SHELLCODE_LEN];
	size_t start, bi = 0, k = 0;
	struct engine *e = study_engine(s, mode, SHELLCODE_LEN);

	shellcode_gen(&s->rng, inst);
	shellcode_spread(&s->rng, d, off);
	start = (size_t)(sc_rand(&s->rng) % (s->bg.n > d ? s->bg.n - d + 1 : 1));
	s->found = false;
	s->first_pos = start;
	for (size_t out = 0; (bi < s->bg.n || k < SHELLCODE_LEN) && !s->found; out++) {
		bool mine = k < SHELLCODE_LEN && out >= start && out - start == off[k];

		feed(e, mine ? inst[k++] : bi < s->bg.n ? s->bg.lines[bi++] : "nop", out + 1);
	}
	if (!s->found)
		engine_flush(e);
	engine_free(e);
	*delay = s->delay;
	return s->found;
}

struct fit {
	double n, sx, sy, sxx, sxy;
};

static void fit_add(struct fit *f, double x, double y)
{
	f->n++, f->sx += x, f->sy += y, f->sxx += x * x, f->sxy += x * y;
}

static double fit_slope(const struct fit *f)
{
	double den = f->n * f->sxx - f->sx * f->sx;

	return den ? (f->n * f->sxy - f->sx * f->sy) / den : 0;
}

static void study_delay(struct study *s, FILE *csv)
{
	struct fit fit[2] = { 0 };

	fprintf(csv, "d,pww_mean,pww_max,incremental_mean,incremental_max,samples,pww_missed,"
		     "incremental_missed\n");
	for (unsigned d = SHELLCODE_LEN; d < s->l_max; d += SHELLCODE_LEN) {
		double sum[2] = { 0 };
		uint64_t max[2] = { 0 }, missed[2] = { 0 }, n[2] = { 0 };

		for (int m = 0; m < 2; m++)
			for (unsigned long i = 0; i < s->samples; i++) {
				uint64_t delay;

				if (!sample(s, m ? ENGINE_INCREMENTAL : ENGINE_PWW, d, &delay)) {
					missed[m]++;
					continue;
				}
				sum[m] += (double)delay, n[m]++;
				max[m] = delay > max[m] ? delay : max[m];
			}
		for (int m = 0; m < 2; m++)
			if (n[m])
				fit_add(&fit[m], d, sum[m] / (double)n[m]);
		fprintf(csv, "%u,%.3f,%llu,%.3f,%llu,%lu,%llu,%llu\n", d, n[0] ? sum[0] / (double)n[0] : 0,
			(unsigned long long)max[0], n[1] ? sum[1] / (double)n[1] : 0,
			(unsigned long long)max[1], s->samples, (unsigned long long)missed[0],
			(unsigned long long)missed[1]);
		printf("delay d=%-3u PWW mean %.2f max %llu missed %llu; incremental mean %.2f missed %llu\n",
		       d, n[0] ? sum[0] / (double)n[0] : 0, (unsigned long long)max[0],
		       (unsigned long long)missed[0], n[1] ? sum[1] / (double)n[1] : 0,
		       (unsigned long long)missed[1]);
	}
	printf("fitted delay slope: PWW %.3f (the paper reports about 0.5), incremental %.3f\n",
	       fit_slope(&fit[0]), fit_slope(&fit[1]));
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct study *s = st->input;
	char *end;

	switch (key) {
	case 'o': s->dir = arg; break;
	case 'S': s->strace = true; break;
	case 'n': case 'L': case 's':
		*(key == 'n' ? &s->samples : key == 'L' ? &s->l_max : &s->seed) = strtoul(arg, &end, 10);
		if (*end || !*arg || (key != 's' && !strtoul(arg, NULL, 10)))
			argp_error(st, "-%c takes a positive number", key);
		break;
	case ARGP_KEY_ARG:
		if (s->file)
			argp_error(st, "one background file");
		s->file = arg;
		break;
	case ARGP_KEY_END:
		if (!s->file)
			argp_error(st, "no background file");
		if (s->l_max < 2 * SHELLCODE_LEN || s->l_max > 10000)
			argp_error(st, "-L takes 10 to 10000");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static FILE *open_csv(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "study: %s: %s\n", path, strerror(errno));
	return f;
}

int main(int argc, char **argv)
{
	static const struct argp_option opts[] = {
		{ "out", 'o', "DIR", 0, "where work.csv and delay.csv go (default .)", 0 },
		{ "samples", 'n', "N", 0, "instances per episode duration (default 200)", 0 },
		{ "lmax", 'L', "N", 0, "L_max in events (default 100)", 0 },
		{ "seed", 's', "SEED", 0, "random seed (default 1)", 0 },
		{ "strace", 'S', 0, 0, "the background is strace -f output", 0 },
		{ 0 }
	};
	static const struct argp argp = { opts, parse_opt, "BACKGROUND",
		"Reproduce the PWW case study (work vs t, delay vs d) on a background trace.", 0, 0, 0 };
	struct study s = { .samples = 200, .l_max = 100, .seed = 1, .dir = "." };
	char err[256];
	FILE *w, *d;
	int rc = 1;

	argp_err_exit_status = 2;
	if (argp_parse(&argp, argc, argv, 0, 0, &s))
		return 2;
	s.rng = s.seed * 2654435761u + 88172645463325252ULL;
	if (rules_load_default(&s.rs, err, sizeof(err)) || background_load(&s.bg, s.file, s.strace))
		return 1;
	printf("background: %zu events (%s), L_max %lu, %lu samples per d\n", s.bg.n, s.file, s.l_max,
	       s.samples);
	w = open_csv(s.dir, "work.csv");
	d = open_csv(s.dir, "delay.csv");
	if (w && d && study_work(&s, w) == 0) {
		study_delay(&s, d);
		rc = 0;
	}
	if ((w && fclose(w)) || (d && fclose(d)))
		rc = 1;
	background_free(&s.bg);
	rules_free(&s.rs);
	return rc;
}
