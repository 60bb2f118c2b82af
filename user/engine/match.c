/* match.c: the pattern search on one window (the "detect" black box of PWW) and item matching,
 * which the incremental matcher shares.
 *
 * Depth-first search over the window: a step's items are taken by increasing positions in any item
 * order, steps in order, unrelated events skipped (sparse match). Variables bind at first use and
 * two variables never bind the same value; bindings are undone on backtrack. The search is bounded
 * by a budget of item attempts (counted when exhausted) so no window can take unbounded time.
 * Events up to the end of the last instance reported for the stream are not used again, so an
 * instance is reported once and later execs of the same shell do not re-use its events; and an
 * instance must end on the stream's own event: one that ends among the events a child inherited
 * is its parent's, reported there.
 */
#include <string.h>
#include "engine_priv.h"

struct msearch {
	const struct rule *r;
	const struct ev_rec **w;
	unsigned n;
	uint64_t min_n, min_last, within, budget;
	bool exhausted;
	uint64_t bind[RULE_MAX_VARS];
	uint32_t bound;
	const struct ev_rec **m;
};

static bool value_match(const struct rule_value *v, uint64_t val, uint64_t *bind, uint32_t *bound,
			uint32_t *newly)
{
	bool in_alts = v->nalts == 0;

	for (unsigned i = 0; i < v->nalts && !in_alts; i++)
		in_alts = v->alts[i] == val;
	if (v->var < 0)
		return v->any || in_alts;
	if (*bound & (1u << v->var))
		return bind[v->var] == val;
	if (!in_alts)
		return false;
	for (uint32_t b = *bound; b; b &= b - 1)
		if (bind[__builtin_ctz(b)] == val)
			return false;
	bind[v->var] = val;
	*bound |= 1u << v->var;
	*newly |= 1u << v->var;
	return true;
}

bool match_item(const struct rule_item *it, const struct ev_rec *ev, uint64_t *bind,
		uint32_t *bound, uint32_t *newly)
{
	uint32_t mine = 0;

	if (it->calls && (ev->call < 0 || !(it->calls & (1ULL << ev->call))))
		return false;
	for (unsigned i = 0; i < it->ncons; i++) {
		const struct rule_cons *c = &it->cons[i];

		if (!(ev->argmask & (1u << c->slot))) {
			if (c->optional)
				continue;
			goto undo;
		}
		if (!value_match(&c->v, ev->arg[c->slot], bind, bound, &mine))
			goto undo;
	}
	if (it->has_ret && (!ev->has_ret || !value_match(&it->ret, ev->ret, bind, bound, &mine)))
		goto undo;
	*newly |= mine;
	return true;
undo:
	*bound &= ~mine;
	return false;
}

static uint64_t step_calls(const struct rule *r, unsigned step)
{
	uint64_t c = 0;

	for (unsigned i = r->step_start[step]; i < r->step_start[step + 1]; i++) {
		if (!r->items[i].calls)
			return ~0ULL;
		c |= r->items[i].calls;
	}
	return c;
}

static bool complete(struct msearch *ms)
{
	const struct ev_rec *first = NULL, *last = NULL;

	for (unsigned i = 0; i < ms->r->nitems; i++) {
		if (!first || ms->m[i]->n < first->n)
			first = ms->m[i];
		if (!last || ms->m[i]->n > last->n)
			last = ms->m[i];
	}
	return last->n >= ms->min_last && last->time - first->time <= ms->within;
}

static bool search(struct msearch *ms, unsigned step, uint32_t mask, unsigned pos)
{
	const struct rule *r = ms->r;
	unsigned lo = r->step_start[step], hi = r->step_start[step + 1];
	uint64_t calls;

	if (mask == (1u << (hi - lo)) - 1) {
		if (step + 1 == r->nsteps)
			return complete(ms);
		return search(ms, step + 1, 0, pos);
	}
	calls = step_calls(r, step);
	/* Between the first and the last step, an item that matched binding nothing new and led
	 * nowhere cannot do better on a later event (fewer events remain, same bindings, the first
	 * and last events of the match do not depend on it): skip it. */
	uint32_t dead = 0;

	for (unsigned i = pos; i < ms->n; i++) {
		const struct ev_rec *ev = ms->w[i];

		if (ev->call < 0 ? calls != ~0ULL : !(calls & (1ULL << ev->call)))
			continue;
		if (ev->n < ms->min_n)
			continue; /* part of an instance already reported */
		for (unsigned j = lo; j < hi; j++) {
			uint32_t newly = 0;

			if ((mask | dead) & (1u << (j - lo)))
				continue;
			if (!ms->budget--) {
				ms->exhausted = true;
				return false;
			}
			if (!match_item(&r->items[j], ev, ms->bind, &ms->bound, &newly))
				continue;
			ms->m[j] = ev;
			if (search(ms, step, mask | (1u << (j - lo)), i + 1))
				return true;
			ms->bound &= ~newly;
			if (ms->exhausted)
				return false;
			if (!newly && step > 0 && step + 1 < r->nsteps)
				dead |= 1u << (j - lo);
		}
	}
	return false;
}

bool match_window(struct engine *e, const struct rule *r, const struct ev_rec **w, unsigned n,
		  uint64_t min_n, uint64_t min_last, const struct ev_rec **m)
{
	struct msearch ms = {
		.r = r, .w = w, .n = n, .min_n = min_n, .min_last = min_last,
		.within = engine_within(e, r),
		.budget = e->o.search_budget, .m = m,
	};
	bool found;

	if (n < r->nitems)
		return false;
	found = search(&ms, 0, 0, 0);
	if (ms.exhausted)
		e->st.budget_exhausted++;
	return found;
}
