/* Findings at scale: which findings the text form shows when one check
 * repeats the same finding for many gateways (a hub's 10,000 spokes each
 * get the same note).  Findings are "the same" when they share check,
 * severity and kind (the message's format, diag.message.fmt).  Front-end errors
 * are never folded: each is its own mistake.  JSON, SARIF and JUnit keep
 * every finding; only text folds them.  A list told to keep only the first
 * LIMIT + 1 of each kind (diag_list_keep_first) holds what is shown, the
 * first finding not shown, and the count of the others. */
#include "config.h"
#include "diag/write_impl.h"

#include <stdint.h>
#include <stdlib.h>

static size_t hash_key(const struct diag *d)
{
	uintptr_t h = (uintptr_t)d->check * 31u + (uintptr_t)d->message.fmt;
	h = h * 31u + (uintptr_t)d->severity;
	h ^= h >> 17;
	h *= 0xed5ad4bbu;
	h ^= h >> 11;
	return (size_t)h;
}

static bool same_key(const struct diag *a, const struct diag *b)
{
	return diag_same_kind(a, b);
}

void diag_repeats_init(struct diag_repeats *r, const struct diag_list *l, size_t limit)
{
	*r = (struct diag_repeats){.limit = limit};
	if (!limit || !l->n)
		return;
	r->group = xmalloc(l->n * sizeof(*r->group));
	/* Each group's first member, its size and its (LIMIT+1)-th member;
	 * at most one group per finding. */
	size_t *first = xmalloc(l->n * sizeof(*first));
	r->total = xcalloc(l->n, sizeof(*r->total));
	r->first_hidden = xmalloc(l->n * sizeof(*r->first_hidden));
	size_t n_slots = 16;
	while (n_slots < 2 * l->n)
		n_slots *= 2;
	size_t *slots = xmalloc(n_slots * sizeof(*slots));
	for (size_t i = 0; i < n_slots; i++)
		slots[i] = SIZE_MAX;
	size_t n_groups = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct diag *d = &l->v[i];
		if (!diag_has_kind(d)) {
			r->group[i] = SIZE_MAX;
			continue;
		}
		size_t s = hash_key(d) & (n_slots - 1);
		while (slots[s] != SIZE_MAX && !same_key(&l->v[first[slots[s]]], d))
			s = (s + 1) & (n_slots - 1);
		if (slots[s] == SIZE_MAX) {
			slots[s] = n_groups;
			first[n_groups++] = i;
		}
		size_t g = slots[s];
		r->group[i] = g;
		if (r->total[g]++ == limit)
			r->first_hidden[g] = i;
	}
	/* A list that keeps only the first few of a kind counted the rest. */
	for (size_t g = 0; g < n_groups; g++)
		r->total[g] += diag_unkept(l, &l->v[first[g]]);
	r->shown = xcalloc(n_groups ? n_groups : 1, sizeof(*r->shown));
	free(slots);
	free(first);
}

void diag_repeats_free(struct diag_repeats *r)
{
	free(r->group);
	free(r->total);
	free(r->first_hidden);
	free(r->shown);
	*r = (struct diag_repeats){0};
}

/* Hiding a single finding saves nothing: a group is folded when at least
 * two would be hidden. */
static bool folded(const struct diag_repeats *r, size_t g)
{
	return g != SIZE_MAX && r->total[g] > r->limit + 1;
}

bool diag_repeats_show(struct diag_repeats *r, size_t i)
{
	if (!r->limit || r->group[i] == SIZE_MAX)
		return true;
	size_t g = r->group[i];
	if (folded(r, g) && r->shown[g] >= r->limit)
		return false;
	r->shown[g]++;
	return true;
}

size_t diag_repeats_hidden_after(const struct diag_repeats *r, size_t i, size_t *next)
{
	if (!r->limit || r->group[i] == SIZE_MAX)
		return 0;
	size_t g = r->group[i];
	if (!folded(r, g) || r->shown[g] != r->limit)
		return 0;
	*next = r->first_hidden[g];
	return r->total[g] - r->limit;
}
