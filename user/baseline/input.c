/* input.c: command lines for the baseline from lines, auditd logs and text traces
 * (include/bl_input.h), on the readers the other commands use. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auditd_read.h"
#include "bl_input.h"
#include "trace_read.h"

struct in {
	bl_input_fn fn;
	void *ctx;
	struct bl_input_stats *st;
	struct auditd_reader *ar;  /* --format auditd */
	char *buf;                /* auditd's quoted command line; a trace exec's quoted code */
	size_t cap;
};

int bl_format_of(const char *s, enum bl_format *f)
{
	static const char *const names[] = { "lines", "auditd", "trace" };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*f = (enum bl_format)i;
			return 0;
		}
	return -1;
}

static void one_line(struct in *in, const char *s, size_t n)
{
	struct bl_cmd c;

	bl_cmd_from_line(&c, s, n);
	in->st->commands++;
	in->fn(in->ctx, &c, s, n);
}

static int grow(struct in *in, size_t need)
{
	char *nb;

	if (need <= in->cap)
		return 0;
	if (!(nb = realloc(in->buf, need)))
		return -1;
	in->buf = nb, in->cap = need;
	return 0;
}

static void on_auditd(void *ctx, const struct auditd_exec *ex)
{
	struct in *in = ctx;
	size_t n = auditd_cmdline_grow(ex, &in->buf, &in->cap);

	in->st->partial += ex->partial;
	one_line(in, in->buf ? in->buf : "", n);   /* out of memory: what fits */
}

static int on_event(void *ctx, const struct sw_event *ev)
{
	struct in *in = ctx;
	const struct sw_exec_facts *x = &ev->exec;
	struct bl_cmd c;

	if (ev->kind != SW_EV_EXEC)
		return 0;
	if (grow(in, 4 * (size_t)x->argv.len + 8))
		return -1;
	bl_cmd_from_exec(&c, x->exe, x->interp, x->argv, in->buf, in->cap);
	in->st->commands++;
	in->fn(in->ctx, &c, x->argv.p, x->argv.len);
	return 0;
}

static int on_line(void *ctx, char *line, size_t len, bool cut)
{
	struct in *in = ctx;

	if (in->ar && cut)
		auditd_feed_cut(in->ar);
	else if (in->ar)
		auditd_feed_line(in->ar, line, len);
	else
		one_line(in, line, len);   /* a cut line: its first SW_LINE_MAX bytes */
	return 0;
}

/* Lines or auditd records, on the line loop every text input shares (trace_read_lines). */
static int read_plain(FILE *f, const char *name, struct in *in, enum bl_format fmt)
{
	struct sw_read_stats rs = { 0 };
	int rc;

	in->ar = fmt == BL_IN_AUDITD ? auditd_new(on_auditd, in) : NULL;
	if (fmt == BL_IN_AUDITD && !in->ar)
		return -1;
	rc = trace_read_lines(f, name, on_line, in, &rs);
	if (in->ar) {
		auditd_finish(in->ar);
		in->st->bad += auditd_stats(in->ar)->bad_records;
		auditd_free(in->ar);
	}
	in->st->cut += rs.cut;
	return rc;
}

int bl_input_read(const char *path, enum bl_format fmt, bl_input_fn fn, void *ctx,
		  struct bl_input_stats *st)
{
	struct in in = { .fn = fn, .ctx = ctx, .st = st };
	struct sw_read_stats rs = { 0 };
	FILE *f = trace_open(path);
	int rc, err;

	if (!f)
		return -1;
	if (fmt == BL_IN_TRACE) {
		rc = trace_read_file(f, strcmp(path, "-") ? path : "stdin", false, trace_parse_line,
				     NULL, on_event, &in, &rs);
		st->bad += rs.bad;
		st->cut += rs.cut;
	} else {
		rc = read_plain(f, strcmp(path, "-") ? path : "stdin", &in, fmt);
	}
	err = rc ? (errno ? errno : EIO) : 0;
	fclose(f);
	free(in.buf);
	errno = err;
	return rc ? -1 : 0;
}
