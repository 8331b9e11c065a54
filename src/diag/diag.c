#include "config.h"
#include "diag/diag.h"
#include "util/arena.h"

#include <stdarg.h>
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
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].gateways);
		free(l->v[i].related);
	}
	free(l->v);
	arena_free(&l->text);
	diag_list_init(l);
}

__attribute__((format(printf, 2, 0)))
static char *vformat(struct arena *a, const char *fmt, va_list ap)
{
	/* One formatting pass for the usual message that fits the stack
	 * buffer (lint of a big policy makes hundreds of thousands). */
	char small[512];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0) {
		n = 0;
		small[0] = '\0';
	}
	char *s = arena_alloc(a, (size_t)n + 1);
	if ((size_t)n < sizeof(small))
		memcpy(s, small, (size_t)n + 1);
	else
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
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
	d->message = vformat(d->text, fmt, ap);
	d->kind = fmt;
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

void diag_related(struct diag *d, struct tunc_loc loc, const char *fmt, ...)
{
	/* Room doubles at each power of two: the keys-unread note of a hub
	 * linted without its key file names one statement per tunnel, and a
	 * copy per note made that quadratic where realloc cannot grow in place. */
	size_t n = d->n_related;
	if ((n & (n - 1)) == 0)
		d->related = xrealloc(d->related, (n ? 2 * n : 1) * sizeof(*d->related));
	va_list ap;
	va_start(ap, fmt);
	d->related[d->n_related].loc = loc;
	d->related[d->n_related].message = vformat(d->text, fmt, ap);
	va_end(ap);
	d->n_related++;
}

void diag_fix(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	d->fix = vformat(d->text, fmt, ap);
	va_end(ap);
}

void diag_gateway(struct diag *d, const char *name)
{
	for (size_t i = 0; i < d->n_gateways; i++)
		if (strcmp(d->gateways[i], name) == 0)
			return;
	d->gateways = xrealloc(d->gateways, (d->n_gateways + 1) * sizeof(char *));
	d->gateways[d->n_gateways++] = arena_strdup(d->text, name);
}

void diag_tunnel(struct diag *d, const char *name)
{
	d->tunnel = arena_strdup(d->text, name);
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

static void merge_sort(struct diag *v, struct diag *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	merge_sort(v, tmp, h);
	merge_sort(v + h, tmp, n - h);
	/* Checks mostly report in file order: halves already in order need
	 * no merge (and stay stable). */
	if (diag_cmp(&v[h], &v[h - 1]) >= 0)
		return;
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = diag_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

void diag_sort(struct diag_list *l)
{
	if (l->n < 2)
		return;
	struct diag *tmp = xmalloc(l->n * sizeof(*tmp));
	merge_sort(l->v, tmp, l->n);
	free(tmp);
}

const char *diag_severity_name(enum diag_severity s)
{
	switch (s) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	default: return "note";
	}
}
