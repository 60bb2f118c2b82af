/* match_incr.c: the incremental matcher (beyond the paper), a matcher of engine_priv.h: partial
 * matches advanced per event.
 *
 * Each stream holds partial matches (rule, step, items matched, bindings). Every kept event may
 * extend each of them (the unextended one stays too: the match is sparse, a later event may suit
 * it better) or start a new one; a completed match is reported at once, so the delay is zero in
 * events after the last one of the instance. Partials older than the rule's span are dropped; a
 * cap per stream bounds memory (drops counted). Work = item match attempts.
 */
#include <stdlib.h>
#include <string.h>
#include "engine_priv.h"

static const struct ev_rec gone = { .text = "(event no longer held)" };

static const struct ev_rec *find_rec(const struct stream *s, uint64_t n)
{
	uint64_t first;

	if (!s->len)
		return &gone;
	first = stream_rec(s, 0)->n;
	if (n < first || n - first >= s->len)
		return &gone;
	return stream_rec(s, (uint32_t)(n - first));
}

static bool same_state(const struct partial *a, const struct partial *b)
{
	if (a->rule != b->rule || a->step != b->step || a->mask != b->mask || a->bound != b->bound)
		return false;
	for (uint32_t v = a->bound; v; v &= v - 1)
		if (a->bind[__builtin_ctz(v)] != b->bind[__builtin_ctz(v)])
			return false;
	return true;
}

/* Add q: a partial in the same state is replaced (the newer one lives longer); at the cap the
 * oldest goes. */
static void add_partial(struct engine *e, struct stream *s, const struct partial *q)
{
	uint32_t oldest = 0;

	for (uint32_t i = 0; i < s->nparts; i++) {
		if (same_state(&s->parts[i], q)) {
			if (q->first_time >= s->parts[i].first_time)
				s->parts[i] = *q;
			return;
		}
		if (s->parts[i].first_time < s->parts[oldest].first_time)
			oldest = i;
	}
	if (s->nparts == s->partcap && s->partcap < e->o.max_partials) {
		uint32_t cap = s->partcap ? s->partcap * 2 : 4;
		struct partial *np;

		cap = cap < e->o.max_partials ? cap : e->o.max_partials;
		np = realloc(s->parts, cap * sizeof(*np));
		if (np) {
			e->st.bytes += (uint64_t)(cap - s->partcap) * sizeof(*np);
			if (e->st.bytes > e->st.bytes_max)
				e->st.bytes_max = e->st.bytes;
			s->parts = np, s->partcap = cap;
		}
	}
	if (s->nparts < s->partcap) {
		s->parts[s->nparts++] = *q;
		return;
	}
	e->st.partials_dropped++;
	s->parts[oldest] = *q;
}

static void report(struct engine *e, struct stream *s, const struct partial *q, const struct ev_rec *r)
{
	const struct rule *rule = &e->o.rules->rules[q->rule];
	const struct ev_rec *m[RULE_MAX_ITEMS];

	if (r->n < s->det_n || r->n < s->own_n)
		return;
	for (unsigned i = 0; i < rule->nitems; i++)
		m[i] = q->n[i] == r->n ? r : find_rec(s, q->n[i]);
	engine_report(e, s, rule, m, rule->nitems, r->time, -1);
	s->nparts = 0; /* their events are spent: a new instance starts after this one */
}

/* Try to extend p with event r by each open item of its step; q is scratch. */
static void extend(struct engine *e, struct stream *s, const struct partial *p, const struct ev_rec *r)
{
	const struct rule *rule = &e->o.rules->rules[p->rule];
	unsigned lo = rule->step_start[p->step], hi = rule->step_start[p->step + 1];
	struct partial q;

	for (unsigned j = lo; j < hi; j++) {
		uint32_t newly = 0;

		if (p->mask & (1u << (j - lo)))
			continue;
		e->st.searched++;
		q = *p;
		if (!match_item(&rule->items[j], r, q.bind, &q.bound, &newly))
			continue;
		q.n[j] = r->n;
		q.mask |= (uint16_t)(1u << (j - lo));
		if (q.mask == (1u << (hi - lo)) - 1) {
			q.step++, q.mask = 0;
			if (q.step == rule->nsteps) {
				report(e, s, &q, r);
				continue;
			}
		}
		add_partial(e, s, &q);
	}
}

static void incr_feed(struct engine *e, struct stream *s, const struct ev_rec *r)
{
	struct partial fresh;
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->nparts; i++) {
		const struct rule *rule = &e->o.rules->rules[s->parts[i].rule];

		if (r->time - s->parts[i].first_time <= engine_within(e, rule))
			e->pscratch[n++] = s->parts[i];
	}
	/* the survivors, then extend copies: extend() adds to s->parts */
	if (n)
		memcpy(s->parts, e->pscratch, n * sizeof(*s->parts));
	s->nparts = n;
	for (uint32_t i = 0; i < n; i++)
		extend(e, s, &e->pscratch[i], r);
	for (unsigned ri = 0; ri < e->o.rules->nrules; ri++) {
		memset(&fresh, 0, sizeof(fresh));
		fresh.rule = (uint16_t)ri;
		fresh.first_time = r->time;
		extend(e, s, &fresh, r);
	}
}

static void incr_copy(struct engine *e, struct stream *dst, const struct stream *src)
{
	for (uint32_t i = 0; i < src->nparts; i++)
		add_partial(e, dst, &src->parts[i]);
}

static void incr_idle(struct engine *e, struct stream *s, uint64_t now)
{
	(void)e, (void)s, (void)now;   /* partial matches advance on events only */
}

static void incr_finish(struct engine *e, struct stream *s)
{
	(void)e, (void)s;              /* a match is reported at its last event: nothing is open */
}

/* A partial match spans at most L_max from its first event to the newest. */
static uint64_t incr_horizon(const struct engine *e, const struct stream *s, uint64_t *now)
{
	*now = s->len ? stream_rec(s, s->len - 1)->time : 0;
	return e->o.l_max + 1;
}

/* Everything a child could continue is in the partial matches: without one, the parent's events
 * can never be part of the child's match, and copying them into every child of a busy parent (a
 * fork storm) would only cost memory. */
static bool incr_inherits(const struct stream *p)
{
	return p->nparts > 0;
}

static void incr_inherited(struct engine *e, struct stream *c, const struct stream *p, bool had_own)
{
	if (!had_own)
		incr_copy(e, c, p);
}

const struct matcher incr_matcher = {
	.before_append = incr_idle, .appended = incr_feed, .advance = incr_idle,
	.finish = incr_finish, .horizon = incr_horizon, .inherits = incr_inherits,
	.inherited = incr_inherited, .by_time = false,
};
