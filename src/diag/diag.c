#include "config.h"
#include "diag/diag.h"
#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *l)
{
	*l = (struct diag_list){0};
	arena_init(&l->text);
}

void diag_list_free(struct diag_list *l)
{
	free(l->v);
	free(l->kinds);
	free(l->slots);
	arena_free(&l->text);
	diag_list_init(l);
}

/* --- keeping the first few of each kind --- */

static bool kept_always(const char *check, bool front_end)
{
	return !check || front_end;
}

bool diag_has_kind(const struct diag *d)
{
	return !kept_always(d->check, d->front_end);
}

bool diag_same_kind(const struct diag *a, const struct diag *b)
{
	return diag_has_kind(a) && diag_has_kind(b) && a->check == b->check &&
	       a->message.fmt == b->message.fmt && a->severity == b->severity;
}

static size_t kind_hash(const char *check, const char *fmt, enum diag_severity sev)
{
	uintptr_t h = (uintptr_t)check * 31u + (uintptr_t)fmt;
	h = h * 31u + (uintptr_t)sev;
	h ^= h >> 17;
	h *= 0xed5ad4bbu;
	h ^= h >> 11;
	return (size_t)h;
}

/* The slot of the kind, or of the empty slot where it would go. */
static size_t kind_slot(const struct diag_list *l, const char *check, const char *fmt,
			enum diag_severity sev)
{
	size_t s = kind_hash(check, fmt, sev) & (l->n_slots - 1);
	for (; l->slots[s] != SIZE_MAX; s = (s + 1) & (l->n_slots - 1)) {
		const struct diag_kind *k = &l->kinds[l->slots[s]];
		if (k->check == check && k->fmt == fmt && k->severity == sev)
			break;
	}
	return s;
}

static struct diag_kind *kind_of(struct diag_list *l, const char *check, const char *fmt,
				 enum diag_severity sev)
{
	if (2 * (l->n_kinds + 1) > l->n_slots) {
		free(l->slots);
		l->n_slots = l->n_slots ? 2 * l->n_slots : 64;
		l->slots = xmalloc(l->n_slots * sizeof(*l->slots));
		for (size_t i = 0; i < l->n_slots; i++)
			l->slots[i] = SIZE_MAX;
		for (size_t i = 0; i < l->n_kinds; i++) {
			const struct diag_kind *k = &l->kinds[i];
			l->slots[kind_slot(l, k->check, k->fmt, k->severity)] = i;
		}
	}
	size_t s = kind_slot(l, check, fmt, sev);
	if (l->slots[s] == SIZE_MAX) {
		if (l->n_kinds == l->kinds_cap) {
			l->kinds_cap = l->kinds_cap ? 2 * l->kinds_cap : 16;
			l->kinds = xrealloc(l->kinds, l->kinds_cap * sizeof(*l->kinds));
		}
		l->kinds[l->n_kinds] = (struct diag_kind){.check = check, .fmt = fmt, .severity = sev};
		l->slots[s] = l->n_kinds++;
	}
	return &l->kinds[l->slots[s]];
}

/* diag_sort's order of locations (the order of adding breaks ties). */
static bool loc_before(struct tunc_loc a, struct tunc_loc b)
{
	return a.file != b.file ? a.file < b.file : a.offset < b.offset;
}

static bool of_kind(const struct diag *d, const struct diag_kind *k)
{
	return d->check == k->check && d->message.fmt == k->fmt && d->severity == k->severity &&
	       !kept_always(d->check, d->front_end);
}

/* The index of K's last finding in diag_sort's order (the last added among
 * equal locations). */
static size_t last_of_kind(const struct diag_list *l, const struct diag_kind *k)
{
	size_t last = SIZE_MAX;
	for (size_t i = 0; i < l->n; i++)
		if (of_kind(&l->v[i], k) &&
		    (last == SIZE_MAX || !loc_before(l->v[i].loc, l->v[last].loc)))
			last = i;
	return last;
}

static void count_kept(struct diag_kind *k, struct tunc_loc loc)
{
	if (k->kept++ == 0 || !loc_before(loc, k->last))
		k->last = loc;
}

size_t diag_unkept(const struct diag_list *l, const struct diag *d)
{
	if (!l->n_kinds || kept_always(d->check, d->front_end))
		return 0;
	size_t s = kind_slot(l, d->check, d->message.fmt, d->severity);
	if (l->slots[s] == SIZE_MAX)
		return 0;
	const struct diag_kind *k = &l->kinds[l->slots[s]];
	return k->total - k->kept;
}

/* Whether a finding of CHECK, FMT and SEV at LOC is to be kept: counted,
 * and when its kind has all it keeps, kept in place of the last of them
 * if it comes before it (findings may come in any order). */
static bool keep(struct diag_list *l, enum diag_severity sev, const char *check,
		 struct tunc_loc loc, bool front_end, const char *fmt)
{
	if (!l->keep || kept_always(check, front_end))
		return true;
	struct diag_kind *k = kind_of(l, check, fmt, sev);
	k->total++;
	if (k->kept < l->keep) {
		count_kept(k, loc);
		return true;
	}
	if (!loc_before(loc, k->last))
		return false;
	size_t out = last_of_kind(l, k);
	memmove(&l->v[out], &l->v[out + 1], (l->n - out - 1) * sizeof(*l->v));
	l->n--;
	/* The new last: the remaining ones' or LOC. */
	size_t last = last_of_kind(l, k);
	k->last = last == SIZE_MAX || loc_before(l->v[last].loc, loc) ? loc : l->v[last].loc;
	return true;
}

void diag_list_keep_first(struct diag_list *l, size_t n)
{
	/* The findings already in the list go through as if added now, in
	 * the order they were added. */
	l->keep = n;
	size_t had = l->n;
	l->n = 0;
	for (size_t i = 0; i < had; i++) {
		struct diag d = l->v[i];
		if (keep(l, d.severity, d.check, d.loc, d.front_end, d.message.fmt))
			l->v[l->n++] = d;
	}
}

__attribute__((format(printf, 6, 0)))
static struct diag *vadd(struct diag_list *l, enum diag_severity sev,
			 const char *check, struct tunc_loc loc, bool front_end,
			 const char *fmt, va_list ap)
{
	if (sev == DIAG_WARNING && l->warnings_as_errors)
		sev = DIAG_ERROR;
	if (!keep(l, sev, check, loc, front_end, fmt)) {
		/* No text: diag_related() and the others skip it. */
		l->discarded = (struct diag){.loc = loc, .severity = sev, .check = check};
		return &l->discarded;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	struct diag *d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	d->severity = sev;
	d->front_end = front_end;
	d->check = check;
	d->loc = loc;
	d->text = &l->text;
	diag_text_vset(&d->message, d->text, fmt, ap);
	return d;
}

struct diag *diag_add(struct diag_list *l, enum diag_severity sev,
		      const char *check, struct tunc_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = vadd(l, sev, check, loc, false, fmt, ap);
	va_end(ap);
	return d;
}

struct diag *diag_vadd(struct diag_list *l, enum diag_severity sev,
		       const char *check, struct tunc_loc loc, const char *fmt, va_list ap)
{
	return vadd(l, sev, check, loc, false, fmt, ap);
}

struct diag *diag_front(struct diag_list *l, const char *check,
			struct tunc_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = vadd(l, DIAG_ERROR, check, loc, true, fmt, ap);
	va_end(ap);
	return d;
}

/* Room for N + 1 elements of SIZE in *V, which holds N: two at first (a
 * finding names two gateways, mostly), then doubling at each power of two
 * (the keys-unread note of a hub linted without its key file names one
 * statement per tunnel), in the list's arena. */
static void *grow(struct arena *a, void *v, size_t n, size_t size)
{
	if (n == 1 || (n & (n - 1)) != 0)
		return v;
	void *w = arena_alloc(a, (n ? 2 * n : 2) * size);
	if (n)
		memcpy(w, v, n * size);
	return w;
}

void diag_related(struct diag *d, struct tunc_loc loc, const char *fmt, ...)
{
	if (!d->text)
		return;
	d->related = grow(d->text, d->related, d->n_related, sizeof(*d->related));
	struct diag_related *r = &d->related[d->n_related++];
	r->loc = loc;
	va_list ap;
	va_start(ap, fmt);
	diag_text_vset(&r->message, d->text, fmt, ap);
	va_end(ap);
}

void diag_fix(struct diag *d, const char *fmt, ...)
{
	if (!d->text)
		return;
	va_list ap;
	va_start(ap, fmt);
	diag_text_vset(&d->fix, d->text, fmt, ap);
	va_end(ap);
}

void diag_gateway(struct diag *d, const char *name)
{
	if (!d->text)
		return;
	for (size_t i = 0; i < d->n_gateways; i++)
		if (strcmp(d->gateways[i], name) == 0)
			return;
	d->gateways = grow(d->text, d->gateways, d->n_gateways, sizeof(*d->gateways));
	d->gateways[d->n_gateways++] = arena_strdup(d->text, name);
}

void diag_tunnel(struct diag *d, const char *name)
{
	if (!d->text)
		return;
	d->tunnel = arena_strdup(d->text, name);
}

const char *diag_message(const struct diag *d)
{
	return diag_text_format(&d->message, d->text);
}

const char *diag_fix_text(const struct diag *d)
{
	return diag_text_format(&d->fix, d->text);
}

const char *diag_related_message(const struct diag *d, size_t i)
{
	return diag_text_format(&d->related[i].message, d->text);
}

size_t diag_count(const struct diag_list *l, enum diag_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].severity == sev;
	for (size_t i = 0; i < l->n_kinds; i++)
		if (l->kinds[i].severity == sev)
			n += l->kinds[i].total - l->kinds[i].kept;
	return n;
}

bool diag_has_front_end_errors(const struct diag_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].front_end)
			return true;
	return false;
}

/* Merge sort keeps insertion order among equal keys (qsort is not stable). */
static int diag_cmp(const struct diag *a, const struct diag *b)
{
	if (a->loc.file != b->loc.file)
		return a->loc.file < b->loc.file ? -1 : 1;
	if (a->loc.offset != b->loc.offset)
		return a->loc.offset < b->loc.offset ? -1 : 1;
	return 0;
}

/* Sorts the indexes IX[0, N) of the findings V (TMP: room for N). */
static void merge_sort(const struct diag *v, uint32_t *ix, uint32_t *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	merge_sort(v, ix, tmp, h);
	merge_sort(v, ix + h, tmp, n - h);
	/* Checks mostly report in file order: halves already in order need
	 * no merge (and stay stable). */
	if (diag_cmp(&v[ix[h]], &v[ix[h - 1]]) >= 0)
		return;
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = diag_cmp(&v[ix[j]], &v[ix[i]]) < 0 ? ix[j++] : ix[i++];
	while (i < h)
		tmp[k++] = ix[i++];
	while (j < n)
		tmp[k++] = ix[j++];
	memcpy(ix, tmp, n * sizeof(*ix));
}

void diag_sort(struct diag_list *l)
{
	if (l->n < 2)
		return;
	/* Indexes are sorted, then the findings moved into place along the
	 * permutation's cycles: a copy of the whole list (20,000 notes on a
	 * big hub) was as many fresh pages to fault in. */
	size_t n = l->n;
	uint32_t *ix = xmalloc(n * sizeof(*ix)), *tmp = xmalloc(n * sizeof(*tmp));
	for (size_t i = 0; i < n; i++)
		ix[i] = (uint32_t)i;
	merge_sort(l->v, ix, tmp, n);
	free(tmp);
	/* The finding at i is to be the one now at ix[i]. */
	for (size_t i = 0; i < n; i++) {
		if (ix[i] == i)
			continue;
		struct diag held = l->v[i];
		size_t j = i;
		while (ix[j] != i) {
			size_t from = ix[j];
			l->v[j] = l->v[from];
			ix[j] = (uint32_t)j;
			j = from;
		}
		l->v[j] = held;
		ix[j] = (uint32_t)j;
	}
	free(ix);
}

const char *diag_severity_name(enum diag_severity s)
{
	switch (s) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	default: return "note";
	}
}
