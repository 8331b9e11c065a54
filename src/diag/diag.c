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
	l->v = NULL;
	l->n = l->cap = 0;
	arena_init(&l->text);
}

void diag_list_free(struct diag_list *l)
{
	free(l->v);
	arena_free(&l->text);
	diag_list_init(l);
}

__attribute__((format(printf, 5, 0)))
static struct diag *vadd(struct diag_list *l, enum diag_severity sev,
			 const char *check, struct tunc_loc loc,
			 const char *fmt, va_list ap)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	struct diag *d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	d->severity = sev;
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
	struct diag *d = vadd(l, sev, check, loc, fmt, ap);
	va_end(ap);
	return d;
}

struct diag *diag_vadd(struct diag_list *l, enum diag_severity sev,
		       const char *check, struct tunc_loc loc, const char *fmt, va_list ap)
{
	return vadd(l, sev, check, loc, fmt, ap);
}

struct diag *diag_front(struct diag_list *l, const char *check,
			struct tunc_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = vadd(l, DIAG_ERROR, check, loc, fmt, ap);
	va_end(ap);
	d->front_end = true;
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
	va_list ap;
	va_start(ap, fmt);
	diag_text_vset(&d->fix, d->text, fmt, ap);
	va_end(ap);
}

void diag_gateway(struct diag *d, const char *name)
{
	for (size_t i = 0; i < d->n_gateways; i++)
		if (strcmp(d->gateways[i], name) == 0)
			return;
	d->gateways = grow(d->text, d->gateways, d->n_gateways, sizeof(*d->gateways));
	d->gateways[d->n_gateways++] = arena_strdup(d->text, name);
}

void diag_tunnel(struct diag *d, const char *name)
{
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
