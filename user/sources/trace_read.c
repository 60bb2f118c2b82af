/* trace_read.c: the seed text-format reader and the line loop every reader shares (lines cut at
 * SW_LINE_MAX, the rest skipped and counted; NUL bytes and cut lines are bad lines; bad lines
 * reported SW_SHOW_BAD times, then counted).
 *
 *   system-call [name=value ...] [=> return-value]
 *
 * Our records carry pid=, ppid=, uid=, t= and start= (ns), which become event fields; the seed's
 * bare form has none of them (one stream, the line number is the position). Quoted values are
 * decoded in place with trace_unquote(), the one definition of the quoting. The header comment
 * `# shellwatch-trace 1 host=... boot_id=...` that `record` writes first becomes a "meta" event.
 * Typed facts come from the arguments (sw_event_facts).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "trace_fmt.h"
#include "trace_read.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Scan one value at s[*i]: bare up to a space, or quoted (decoded in place). */
static int take_value(char *s, size_t len, size_t *i, struct sw_str *out, const char **why)
{
	size_t start = *i;

	if (start < len && s[start] == '"') {
		size_t dlen = 0;
		long used = trace_unquote(s + start, len - start, s + start, len - start, &dlen);

		if (used < 0) {
			*why = "unterminated or malformed quoted value";
			return -1;
		}
		*i = start + (size_t)used;
		if (*i < len && !is_space(s[*i])) {
			*why = "text right after a closing quote";
			return -1;
		}
		*out = (struct sw_str){ s + start, (uint32_t)dlen };
		return 0;
	}
	while (*i < len && !is_space(s[*i]))
		(*i)++;
	*out = (struct sw_str){ s + start, (uint32_t)(*i - start) };
	return 0;
}

static int parse_u64(struct sw_str v, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;

	if (v.len == 0 || v.len > 20)
		return -1;
	for (uint32_t k = 0; k < v.len; k++) {
		if (v.p[k] < '0' || v.p[k] > '9')
			return -1;
		if (n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(v.p[k] - '0');
	}
	if (n > max)
		return -1;
	*out = n;
	return 0;
}

/* pid=, ppid=, uid=, t=, start= go to the event's fields. Returns 1 if taken, 0 if ordinary, -1
 * if bad. */
static int take_common(struct sw_event *ev, struct sw_str name, struct sw_str val)
{
	uint64_t n;

	if (sw_str_eqc(name, "t") || sw_str_eqc(name, "start")) {
		if (parse_u64(val, UINT64_MAX, &n))
			return -1;
		if (name.len == 1)
			ev->t_ns = n, ev->has_time = true;
		else
			ev->start_ns = n, ev->has_start = true;
		return 1;
	}
	if (!sw_str_eqc(name, "pid") && !sw_str_eqc(name, "ppid") && !sw_str_eqc(name, "uid"))
		return 0;
	if (parse_u64(val, UINT32_MAX, &n))
		return -1;
	if (name.p[0] == 'p' && name.len == 3)
		ev->pid = (uint32_t)n, ev->has_pid = true;
	else if (name.p[0] == 'p')
		ev->ppid = (uint32_t)n;
	else
		ev->uid = (uint32_t)n, ev->has_uid = true;
	return 1;
}

static int take_arg(struct sw_event *ev, char *s, size_t len, size_t *i, const char **why)
{
	size_t start = *i;
	struct sw_str name, val;
	int r;

	while (*i < len && s[*i] != '=' && !is_space(s[*i]) && s[*i] != '"')
		(*i)++;
	if (*i >= len || s[*i] != '=' || *i == start) {
		*why = "expected name=value";
		return -1;
	}
	name = (struct sw_str){ s + start, (uint32_t)(*i - start) };
	(*i)++;
	if (take_value(s, len, i, &val, why))
		return -1;
	r = take_common(ev, name, val);
	if (r < 0) {
		*why = "pid=, ppid=, uid=, t= and start= take a decimal number";
		return -1;
	}
	if (r > 0)
		return 0;
	if (ev->nargs >= SW_EVENT_MAX_ARGS) {
		*why = "too many arguments";
		return -1;
	}
	ev->args[ev->nargs++] = (struct sw_arg){ name, val };
	return 0;
}

/* "# shellwatch-trace 1 " at s[*i]: moves past the version; false for any other comment. */
static bool take_header(const char *s, size_t len, size_t *i)
{
	static const char tag[] = "# shellwatch-trace ";
	size_t n = sizeof(tag) - 1, k;

	if (len - *i < n || memcmp(s + *i, tag, n))
		return false;
	for (k = *i + n; k < len && !is_space(s[k]); k++)
		;
	*i = k;
	return true;
}

int trace_parse_line(void *state, char *s, size_t len, struct sw_event *ev, const char **why)
{
	size_t i = 0;

	(void)state;
	ev->nargs = 0;
	ev->has_ret = ev->has_pid = ev->has_uid = ev->has_time = ev->has_start = false;
	ev->pid = ev->ppid = ev->uid = 0;
	ev->t_ns = ev->start_ns = 0;
	while (i < len && is_space(s[i]))
		i++;
	if (i < len && s[i] == '#' && take_header(s, len, &i)) {
		ev->call = sw_str_c("meta");
	} else {
		if (i >= len || s[i] == '#')
			return 0;
		if (take_value(s, len, &i, &ev->call, why))
			return -1;
		if (ev->call.len == 0) {
			*why = "empty call name";
			return -1;
		}
	}
	for (;;) {
		while (i < len && is_space(s[i]))
			i++;
		if (i >= len) {
			sw_event_facts(ev);
			return 1;
		}
		if (len - i >= 2 && s[i] == '=' && s[i + 1] == '>')
			break;
		if (take_arg(ev, s, len, &i, why))
			return -1;
	}
	i += 2;
	while (i < len && is_space(s[i]))
		i++;
	if (i >= len) {
		*why = "no return value after =>";
		return -1;
	}
	if (take_value(s, len, &i, &ev->ret, why))
		return -1;
	ev->has_ret = true;
	while (i < len && is_space(s[i]))
		i++;
	if (i < len) {
		*why = "text after the return value";
		return -1;
	}
	sw_event_facts(ev);
	return 1;
}

struct linebuf {
	char *p;
	size_t cap;            /* grows by doubling up to SW_LINE_MAX + 1 (the NUL) */
};

/* Room for one more byte and the NUL after it; false when the line is as long as it may be. */
static bool room(struct linebuf *b, size_t n)
{
	size_t cap;
	char *p;

	if (n + 1 < b->cap)
		return true;
	if (b->cap > SW_LINE_MAX)
		return false;
	cap = b->cap ? 2 * b->cap : 4096;
	cap = cap > SW_LINE_MAX + 1 ? SW_LINE_MAX + 1 : cap;
	if (!(p = realloc(b->p, cap)))
		return false;  /* out of memory: the line is cut shorter */
	b->p = p, b->cap = cap;
	return n + 1 < b->cap;
}

/* The next line into b (NUL-terminated): 1 with *len and *cut set, 0 at the end of input. Of a
 * line longer than SW_LINE_MAX the rest is skipped (counted in *skipped). getc_unlocked reads
 * what the stream has, so a pipe is read line by line as it comes. */
static int next_line(FILE *f, struct linebuf *b, size_t *len, bool *cut, uint64_t *skipped)
{
	uint64_t over = 0;
	size_t n = 0;
	int c;

	while ((c = getc_unlocked(f)) != EOF && c != '\n') {
		if (n + 1 < b->cap)             /* the common case: room without a call */
			b->p[n++] = (char)c;
		else if (!over && room(b, n))
			b->p[n++] = (char)c;
		else
			over++;
	}
	if (!b->p && !room(b, 0))
		return 0;
	b->p[n] = '\0';
	*len = n;
	*cut = over > 0;
	*skipped += over;
	return n || over || c == '\n';
}

int trace_read_lines(FILE *f, const char *name, sw_line_fn fn, void *ctx, struct sw_read_stats *st)
{
	struct linebuf b = { NULL, 0 };
	size_t len;
	bool cut;
	int rc = 0;

	while (!rc && next_line(f, &b, &len, &cut, &st->skipped)) {
		st->lines++;
		st->cut += cut;
		rc = fn(ctx, b.p, len, cut);
	}
	if (!rc && ferror(f)) {
		fprintf(stderr, "%s: read error: %s\n", name, strerror(errno));
		rc = -1;
	}
	free(b.p);
	return rc;
}

void trace_bad_line(const char *name, uint64_t line, const char *why, struct sw_read_stats *st)
{
	if (++st->bad <= SW_SHOW_BAD)
		fprintf(stderr, "%s:%llu: %s\n", name, (unsigned long long)line, why);
	else if (st->bad == SW_SHOW_BAD + 1)
		fprintf(stderr, "%s:%llu: more bad lines from here on: counted, not shown\n", name,
			(unsigned long long)line);
}

struct file_loop {
	const char *name;
	bool strict;
	sw_line_parser parse;
	void *pstate;
	sw_event_cb cb;
	void *ctx;
	struct sw_read_stats *st;
	struct sw_event ev;
};

_Static_assert(SW_LINE_MAX == 256u << 10, "the message below names SW_LINE_MAX");

static int parse_one(void *ctx, char *line, size_t len, bool cut)
{
	struct file_loop *l = ctx;
	const char *why = "bad line";
	int r;

	if (cut)
		why = "line longer than 256 KiB (SW_LINE_MAX): cut", r = -1;
	else if (memchr(line, '\0', len))
		why = "NUL byte in the line", r = -1;
	else
		r = l->parse(l->pstate, line, len, &l->ev, &why);
	if (r < 0) {
		trace_bad_line(l->name, l->st->lines, why, l->st);
		return l->strict ? -1 : 0;
	}
	if (r == 0)
		return 0;
	l->ev.seq = l->st->lines;
	l->st->events++;
	return l->cb(l->ctx, &l->ev);
}

int trace_read_file(FILE *f, const char *name, bool strict, sw_line_parser parse, void *pstate,
		    sw_event_cb cb, void *ctx, struct sw_read_stats *st)
{
	struct file_loop l = { .name = name, .strict = strict, .parse = parse, .pstate = pstate,
			       .cb = cb, .ctx = ctx, .st = st };

	return trace_read_lines(f, name, parse_one, &l, st);
}

static ssize_t gz_cookie_read(void *c, char *buf, size_t size)
{
	int n = gzread((gzFile)c, buf, size > (1u << 30) ? 1u << 30 : (unsigned)size);

	if (n < 0)
		errno = EIO;
	return n;
}

static int gz_cookie_close(void *c)
{
	return gzclose((gzFile)c) == Z_OK ? 0 : EOF;
}

FILE *trace_open(const char *path)
{
	static const cookie_io_functions_t io = { .read = gz_cookie_read, .close = gz_cookie_close };
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : dup(0);
	gzFile gz;
	FILE *f;

	if (fd < 0)
		return NULL;
	gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	gzbuffer(gz, 1 << 17);
	f = fopencookie(gz, "r", io);
	if (!f)
		gzclose(gz);
	return f;
}
