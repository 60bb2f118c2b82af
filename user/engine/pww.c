/* pww.c: Progressive Window Widening on one process stream (docs/engine.md), a matcher of
 * engine_priv.h.
 *
 * Level k has batches of t_k = t * 2^k; its windows are two adjacent batches [B - 2 t_k, B) and
 * one closes at every multiple B of t_k. Levels run side by side up to the first t_K >= L_max, so
 * an instance no longer than L_max lies inside some window. The paper's combine() truncation (keep
 * the first and last L_max of a batch) never removes anything here because every batch we search
 * is at most 2 L_max long; memory is bounded instead by holding only the events a future window can
 * still contain (the last 2 t_K) and by max_events. A detection's time is the end B of the first
 * window whose search succeeds; the same instance is not reported again by wider windows.
 */
#include "engine_priv.h"

/* Index of the first event at or after time lo: a stream's ring is in time order (engine.c). */
static uint32_t first_at(const struct stream *s, uint64_t lo)
{
	uint32_t a = 0, b = s->len;

	while (a < b) {
		uint32_t m = a + (b - a) / 2;

		if (stream_rec(s, m)->time < lo)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

/* Search the window [B - 2 t_k, B) of s with every rule. */
static void search_window(struct engine *e, struct stream *s, uint64_t b, unsigned k)
{
	uint64_t span = (e->o.t << k) * 2, lo = b > span ? b - span : 0;
	const struct ev_rec *m[RULE_MAX_ITEMS];
	unsigned n = 0;
	uint32_t i;

	for (i = first_at(s, lo); i < s->len && stream_rec(s, i)->time < b; i++)
		e->win[n++] = stream_rec(s, i);
	if (n == 0)
		return;
	e->st.windows++;
	e->st.searched += n;
	for (unsigned ri = 0; ri < e->o.rules->nrules; ri++) {
		const struct rule *r = &e->o.rules->rules[ri];

		if (match_window(e, r, e->win, n, s->det_n, s->own_n, m))
			engine_report(e, s, r, m, r->nitems, b, (int)k);
	}
}

/* Close every window that ends at boundary b, narrowest first. */
static void close_boundary(struct engine *e, struct stream *s, uint64_t b)
{
	for (unsigned k = 0; k < e->levels; k++) {
		if (b % (e->o.t << k))
			break;
		search_window(e, s, b, k);
	}
}

/* Close the boundaries up to now. Boundaries whose windows are all empty (nothing in the widest
 * one, [B - 2 t_K, B)) are skipped to the first one after the next event, or after now: the cost
 * is in the events, never in the time between them (a clock that jumps by years is one step). */
static void pww_advance(struct engine *e, struct stream *s, uint64_t now)
{
	uint64_t t = e->o.t, span = 2 * e->t_top;

	while (s->next_b <= now) {
		uint64_t b = s->next_b, lo = b > span ? b - span : 0, after_now, skip;
		uint32_t i = first_at(s, lo);

		if (i < s->len && stream_rec(s, i)->time < b) {
			close_boundary(e, s, b);
			s->next_b += t;
			continue;
		}
		after_now = (now / t + 1) * t;
		skip = i < s->len ? stream_rec(s, i)->time / t * t + t : after_now;
		s->next_b = skip < after_now ? skip : after_now;
	}
}

static void pww_finish(struct engine *e, struct stream *s)
{
	if (s->len == 0)
		return;
	uint64_t newest = stream_rec(s, s->len - 1)->time, pad = 2 * e->t_top + e->o.t;

	pww_advance(e, s, newest > UINT64_MAX - pad ? UINT64_MAX : newest + pad);
}

static void pww_appended(struct engine *e, struct stream *s, const struct ev_rec *r)
{
	(void)e, (void)s, (void)r;
}

/* Windows reach 2 t_K back from the next boundary still to close. */
static uint64_t pww_horizon(const struct engine *e, const struct stream *s, uint64_t *now)
{
	*now = s->next_b;
	return 2 * e->t_top;
}

static bool pww_inherits(const struct stream *p)
{
	return p->len > 0;
}

/* The child's windows start where its newest event is. */
static void pww_inherited(struct engine *e, struct stream *c, const struct stream *p, bool had_own)
{
	(void)p, (void)had_own;
	if (c->len)
		pww_advance(e, c, stream_rec(c, c->len - 1)->time);
}

const struct matcher pww_matcher = {
	.before_append = pww_advance, .appended = pww_appended, .advance = pww_advance,
	.finish = pww_finish, .horizon = pww_horizon, .inherits = pww_inherits,
	.inherited = pww_inherited, .by_time = true,
};
