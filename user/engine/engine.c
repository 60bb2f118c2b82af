/* engine.c: the detection engine's front: options, the table of process streams, event intake
 * (prefilter by call name, compact records), fork inheritance, exit, counters and reporting.
 * The search itself is a matcher (engine_priv.h): pww.c (windows) or match_incr.c (per event);
 * match.c matches items.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "engine_priv.h"
#include "pidtab.h"
#include "trace_fmt.h"

#define TIME_MAX (1ULL << 62)  /* event times are clamped here so window arithmetic never wraps */

static uint32_t ring_limit(const struct engine *e);

struct engine_opts engine_opts_default(enum engine_clock clock)
{
	struct engine_opts o = {
		.mode = ENGINE_PWW, .clock = clock,
		.t = clock == ENGINE_TIME ? 50000000ULL : 5,          /* 50 ms or 5 events */
		.l_max = clock == ENGINE_TIME ? 10000000000ULL : 100, /* 10 s or 100 events */
		.max_streams = 16384, .max_events = 1024, .max_partials = 64,
		.max_bytes = 24u << 20,                               /* all streams together */
		.search_budget = 200000, .keep_text = true, .inherit_on_fork = true,
	};
	return o;
}

uint64_t engine_within(const struct engine *e, const struct rule *r)
{
	uint64_t w = e->o.clock == ENGINE_TIME ? r->within_ns : r->within_count;

	return w && w < e->o.l_max ? w : e->o.l_max;
}

static int check_opts(const struct engine_opts *o)
{
	if (!o->rules || !o->rules->nrules || !o->t || !o->l_max || o->t > (1ULL << 50) ||
	    o->l_max > (1ULL << 50) || o->l_max / o->t > 65536 || o->max_streams < 1 ||
	    o->max_events < 8 || o->max_events > (1u << 24) || !o->search_budget ||
	    (o->mode == ENGINE_INCREMENTAL && !o->max_partials))
		return -1;
	return 0;
}

struct engine *engine_new(const struct engine_opts *o)
{
	struct engine *e;

	if (check_opts(o)) {
		errno = EINVAL;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->o = *o;
	e->m = o->mode == ENGINE_PWW ? &pww_matcher : &incr_matcher;
	e->levels = 1;
	e->t_top = o->t;
	while (e->t_top < o->l_max)
		e->t_top <<= 1, e->levels++;
	e->tab = pidtab_new(o->max_streams);
	e->pool = calloc(o->max_streams, sizeof(*e->pool));
	e->free_slots = malloc(o->max_streams * sizeof(*e->free_slots));
	e->win = malloc(ring_limit(e) * sizeof(*e->win));
	e->pscratch = malloc((o->max_partials ? o->max_partials : 1) * sizeof(*e->pscratch));
	if (!e->tab || !e->pool || !e->free_slots || !e->win || !e->pscratch) {
		engine_free(e);
		errno = ENOMEM;
		return NULL;
	}
	for (uint32_t i = 0; i < o->max_streams; i++)
		e->free_slots[e->nfree++] = o->max_streams - 1 - i;
	e->hash_fork = rule_hash("fork", 4);
	e->hash_exit = rule_hash("exit", 4);
	e->hash_child = rule_hash("child", 5);
	return e;
}

static uint64_t stream_bytes(const struct stream *s)
{
	return (uint64_t)s->cap * sizeof(struct ev_rec) + (uint64_t)s->partcap * sizeof(struct partial);
}

static void account(struct engine *e, int64_t delta)
{
	e->st.bytes += (uint64_t)delta;
	if (e->st.bytes > e->st.bytes_max)
		e->st.bytes_max = e->st.bytes;
}

static void stream_free(struct engine *e, struct stream *s)
{
	pidtab_del(e->tab, s->pid);
	account(e, -(int64_t)stream_bytes(s));
	free(s->ring);
	free(s->parts);
	memset(s, 0, sizeof(*s));
	e->free_slots[e->nfree++] = (uint32_t)(s - e->pool);
	e->st.streams--;
}

/* Evict the least recently touched of 16 streams other than keep (a clock hand over the pool),
 * after a last search. False when there is no other stream. */
static bool evict_one(struct engine *e, const struct stream *keep)
{
	struct stream *victim = NULL;
	unsigned seen = 0;

	for (uint32_t k = 0; k < e->o.max_streams && seen < 16; k++) {
		struct stream *s = &e->pool[e->hand++ % e->o.max_streams];

		if (!s->used || s == keep)
			continue;
		seen++;
		if (!victim || s->touched < victim->touched)
			victim = s;
	}
	if (!victim)
		return false;
	e->m->finish(e, victim);
	stream_free(e, victim);
	e->st.streams_evicted++;
	return true;
}

static struct stream *stream_get(struct engine *e, uint32_t pid, bool create)
{
	int32_t slot = pidtab_get(e->tab, pid);
	struct stream *s;

	if (slot >= 0 || !create)
		return slot >= 0 ? &e->pool[slot] : NULL;
	if (!e->nfree)
		evict_one(e, NULL);
	slot = (int32_t)e->free_slots[--e->nfree];
	pidtab_put(e->tab, pid, slot);   /* room: the table holds max_streams, the pool's size */
	s = &e->pool[slot];
	memset(s, 0, sizeof(*s));
	s->pid = pid;
	s->used = true;
	s->touched = e->tick;
	if (++e->st.streams > e->st.streams_max)
		e->st.streams_max = e->st.streams;
	return s;
}

static uint32_t ring_limit(const struct engine *e)
{
	uint32_t l = 8;

	while (l < e->o.max_events)
		l <<= 1;
	return l;
}

/* Move the ring to a buffer of cap records (cap >= len, a power of two). */
static int ring_resize(struct engine *e, struct stream *s, uint32_t cap)
{
	struct ev_rec *r = malloc(cap * sizeof(*r));

	if (!r)
		return -1;
	for (uint32_t i = 0; i < s->len; i++)
		r[i] = *stream_rec(s, i);
	account(e, (int64_t)(cap - s->cap) * (int64_t)sizeof(*r));
	free(s->ring);
	s->ring = r;
	s->cap = cap;
	s->head = 0;
	return 0;
}

/* Drop events no future window or partial match can use, then make room for one more. */
static int ring_make_room(struct engine *e, struct stream *s)
{
	uint64_t now, horizon = e->m->horizon(e, s, &now);

	while (s->len && now > horizon && stream_rec(s, 0)->time < now - horizon)
		s->head = (s->head + 1) & (s->cap - 1), s->len--;
	if (s->len < s->cap)
		return 0;
	if (s->cap < ring_limit(e))
		return ring_resize(e, s, s->cap ? s->cap * 2 : 8);
	s->head = (s->head + 1) & (s->cap - 1), s->len--;
	e->st.events_dropped++;
	return 0;
}

static void rec_fill(const struct engine *e, struct ev_rec *r, const struct sw_event *ev, int call)
{
	r->seq = ev->seq;
	r->call = (int16_t)call;
	r->argmask = 0;
	for (uint32_t i = 0; i < ev->nargs && i < SW_EVENT_MAX_ARGS; i++) {
		const struct sw_arg *a = &ev->args[i];
		int slot = rules_arg_slot(e->o.rules, rule_hash(a->name.p, a->name.len));

		if (slot >= 0) {
			r->arg[slot] = rule_hash(a->val.p, a->val.len);
			r->argmask |= (uint16_t)(1u << slot);
		}
	}
	r->has_ret = ev->has_ret;
	r->ret = ev->has_ret ? rule_hash(ev->ret.p, ev->ret.len) : 0;
	r->text[0] = '\0';
	if (e->o.keep_text)
		trace_format(ev, r->text, EV_TEXT);
}

static uint64_t event_time(const struct engine *e, const struct stream *s, const struct sw_event *ev)
{
	uint64_t newest = s->len ? stream_rec(s, s->len - 1)->time : 0;
	uint64_t t;

	if (e->o.clock == ENGINE_COUNT)
		return s->count;
	t = ev->has_time ? ev->t_ns : newest;
	if (t > TIME_MAX)
		t = TIME_MAX;
	return t < newest ? newest : t; /* out of order: keep the stream's time monotonic */
}

static void append(struct engine *e, struct stream *s, const struct sw_event *ev, int call)
{
	uint64_t time = event_time(e, s, ev);
	struct ev_rec *r;

	e->m->before_append(e, s, time);
	if (ring_make_room(e, s))
		return;
	r = stream_rec(s, s->len++);
	rec_fill(e, r, ev, call);
	r->time = time;
	r->n = s->next_n++;
	s->count++;
	e->st.kept++;
	e->m->appended(e, s, r);
}

static bool parse_pid(const struct sw_str *v, uint32_t *pid)
{
	uint64_t n = 0;

	if (!v || v->len == 0 || v->len > 10)
		return false;
	for (uint32_t i = 0; i < v->len; i++) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return false;
		n = n * 10 + (uint64_t)(v->p[i] - '0');
	}
	if (n > UINT32_MAX)
		return false;
	*pid = (uint32_t)n;
	return true;
}

/* The child starts with its parent's recent events (before any it already has: strace may show
 * a vfork child's events before the parent's vfork returns). A ring stays in time order: the
 * child's own events earlier than the parent's newest take its time, as out-of-order events do. */
static void inherit(struct engine *e, struct stream *p, uint32_t child_pid)
{
	struct stream *c, old;
	uint32_t limit = ring_limit(e), cap = 8, skip;
	uint64_t floor = p->len ? stream_rec(p, p->len - 1)->time : 0;

	if (!e->o.inherit_on_fork || child_pid == p->pid || !e->m->inherits(p))
		return;
	c = stream_get(e, child_pid, true);
	if (c == p)
		return;
	old = *c;
	while (cap < p->len + old.len && cap < limit)
		cap <<= 1;
	c->ring = malloc(cap * sizeof(*c->ring));
	if (!c->ring) {
		c->ring = old.ring;
		return;
	}
	skip = p->len + old.len > cap ? p->len + old.len - cap : 0;
	c->cap = cap, c->head = 0, c->len = 0;
	for (uint32_t i = skip < p->len ? skip : p->len; i < p->len; i++)
		c->ring[c->len++] = *stream_rec(p, i);
	for (uint32_t i = skip > p->len ? skip - p->len : 0; i < old.len; i++) {
		struct ev_rec *r = &c->ring[c->len++];

		*r = *stream_rec(&old, i);
		r->n = p->next_n + i;
		if (e->o.clock == ENGINE_COUNT)
			r->time = p->count + i;
		else if (r->time < floor)
			r->time = floor;
	}
	c->count = e->o.clock == ENGINE_COUNT ? p->count + old.len : old.count;
	c->next_n = p->next_n + old.len;
	c->next_b = p->next_b;
	c->det_n = p->det_n;
	c->own_n = p->next_n;
	c->ppid = p->pid;
	account(e, (int64_t)cap * (int64_t)sizeof(*c->ring) - (int64_t)old.cap * (int64_t)sizeof(*c->ring));
	free(old.ring);
	e->m->inherited(e, c, p, old.nparts > 0);
	e->st.forks_inherited++;
}

void engine_feed(struct engine *e, const struct sw_event *ev)
{
	uint64_t h = rule_hash(ev->call.p, ev->call.len);
	uint32_t pid = ev->has_pid ? ev->pid : 0, child;
	int call = rules_call_id(e->o.rules, h);
	struct stream *s;

	e->st.fed++;
	e->tick++;
	if (h == e->hash_exit && ev->has_pid) { /* without a pid, the one stream stays */
		s = stream_get(e, pid, false);
		if (s)
			e->m->finish(e, s);
		if (s)
			stream_free(e, s);
		return;
	}
	if (call < 0 && !e->o.keep_all && h != e->hash_fork)
		return;
	if (call < 0 && h == e->hash_fork && !stream_get(e, pid, false))
		return; /* nothing to inherit */
	s = stream_get(e, pid, true);
	s->touched = e->tick;
	if (ev->has_pid) {
		s->has_pid = true;
		s->ppid = ev->ppid ? ev->ppid : s->ppid;
		s->uid = ev->uid;
		s->has_uid = ev->has_uid;
	}
	if (call >= 0 || e->o.keep_all)
		append(e, s, ev, call);
	if (h == e->hash_fork && ev->has_pid && parse_pid(sw_event_arg(ev, "child"), &child))
		inherit(e, s, child); /* without pids (the seed's bare form) there is one stream */
	while (e->o.max_bytes && e->st.bytes > e->o.max_bytes && evict_one(e, s))
		;  /* a fork chain or storm: streams x events would be too much together */
}

void engine_advance(struct engine *e, uint64_t now)
{
	if (e->o.clock != ENGINE_TIME || !e->m->by_time)
		return;
	for (uint32_t i = 0; i < e->o.max_streams; i++)
		if (e->pool[i].used)
			e->m->advance(e, &e->pool[i], now > TIME_MAX ? TIME_MAX : now);
}

void engine_flush(struct engine *e)
{
	for (uint32_t i = 0; i < e->o.max_streams; i++)
		if (e->pool[i].used)
			e->m->finish(e, &e->pool[i]);
}

void engine_stats(const struct engine *e, struct engine_stats *st)
{
	*st = e->st;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	for (uint32_t i = 0; e->pool && i < e->o.max_streams; i++) {
		free(e->pool[i].ring);
		free(e->pool[i].parts);
	}
	free(e->pool);
	pidtab_free(e->tab);
	free(e->free_slots);
	free(e->win);
	free(e->pscratch);
	free(e);
}

static int cmp_rec(const void *a, const void *b)
{
	const struct ev_rec *x = *(const struct ev_rec *const *)a, *y = *(const struct ev_rec *const *)b;

	return x->n < y->n ? -1 : x->n > y->n;
}

/* Processes of one tree share inherited events: an instance whose first event (the same source
 * position) was already reported by a parent, child or sibling is the same shell. */
static bool reported_before(struct engine *e, uint64_t first_seq)
{
	unsigned n = e->nreported < 64 ? e->nreported : 64;

	if (!first_seq)
		return false; /* a source without positions: no way to tell */
	for (unsigned i = 0; i < n; i++)
		if (e->reported[i] == first_seq)
			return true;
	e->reported[e->nreported++ % 64] = first_seq;
	return false;
}

void engine_report(struct engine *e, struct stream *s, const struct rule *r,
		   const struct ev_rec **m, unsigned nm, uint64_t detect_time, int level)
{
	struct sw_detection d = {
		.rule = r->name, .pid = s->pid, .ppid = s->ppid, .uid = s->uid, .has_pid = s->has_pid,
		.has_uid = s->has_uid,
		.clock = e->o.clock, .detect_time = detect_time, .level = level, .nmatched = nm,
	};
	const struct ev_rec *sorted[ENGINE_MAX_MATCHED];

	memcpy(sorted, m, nm * sizeof(*m));
	qsort(sorted, nm, sizeof(*sorted), cmp_rec);
	for (unsigned i = 0; i < nm; i++)
		d.matched[i] = sorted[i]->text;
	d.first_time = sorted[0]->time, d.first_seq = sorted[0]->seq;
	d.last_time = sorted[nm - 1]->time, d.last_seq = sorted[nm - 1]->seq;
	d.delay = detect_time > d.last_time ? detect_time - d.last_time : 0;
	s->det_n = sorted[nm - 1]->n + 1;
	if (reported_before(e, d.first_seq)) {
		e->st.duplicates++;
		return;
	}
	e->st.detections++;
	if (e->o.on_detect)
		e->o.on_detect(e->o.ctx, &d);
}
