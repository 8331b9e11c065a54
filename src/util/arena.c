#include "config.h"
#include "util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ARENA_MIN_CHUNK (64 * 1024)
#define ARENA_ALIGN _Alignof(max_align_t)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	size_t ready;                   /* data[0, ready) is mapped (or needs no prefault) */
	_Alignas(max_align_t) unsigned char data[];
};

/* Running out of memory is an environment error like an unreadable file:
 * say so and exit with status 2 rather than dump core. */
static _Noreturn void out_of_memory(void)
{
	fputs("tunc: out of memory\n", stderr);
	exit(2);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

/* Big inputs fill their arenas with millions of small nodes; touching each
 * new page one fault at a time is then a good part of the run.  Ahead of
 * the allocation point, the pages of a big chunk are mapped in windows of
 * ARENA_PREFAULT with one madvise(MADV_POPULATE_WRITE) each (Linux 5.14;
 * elsewhere the call fails and pages fault in as usual).  The memory it
 * maps early is at most one window per arena.  A chunk's `ready` is how far
 * allocations may go without coming back here: its end for a small chunk,
 * which is not prefaulted. */
#define ARENA_PREFAULT (256 * 1024)

static void prefault(struct arena_chunk *c, size_t upto)
{
#ifdef MADV_POPULATE_WRITE
	static long page;
	if (!page)
		page = sysconf(_SC_PAGESIZE);
	if (page <= 0 || c->size < 4 * ARENA_PREFAULT) {
		c->ready = c->size;
		return;
	}
	uintptr_t base = (uintptr_t)c->data;
	uintptr_t from = (base + c->ready + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
	size_t ready = upto + ARENA_PREFAULT;
	if (ready > c->size)
		ready = c->size;
	uintptr_t to = (base + ready) & ~((uintptr_t)page - 1);
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
	c->ready = ready;
#else
	(void)upto;
	c->ready = c->size;
#endif
}

/* What alloc_raw does not do inline: a new chunk, or the next window of
 * prefaulted pages.  Kept out of line so that the common case needs no
 * saved registers (it was 43 instructions an allocation, 370,000 of them
 * for a 10,000-spoke hub). */
static __attribute__((noinline)) void *alloc_slow(struct arena *a, size_t size, size_t align)
{
	struct arena_chunk *c = a->head;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < size) {
		size_t want = size > ARENA_MIN_CHUNK ? size : ARENA_MIN_CHUNK;
		/* Chunks double with the arena so big inputs need few mallocs. */
		if (c && c->size * 2 > want && c->size < 16 * 1024 * 1024)
			want = c->size * 2;
		c = xmalloc(sizeof(*c) + want);
		c->size = want;
		c->used = 0;
		c->ready = 0;
		c->next = a->head;
		a->head = c;
		at = 0;
	}
	void *p = c->data + at;
	c->used = at + size;
	if (c->used > c->ready || !c->ready)
		prefault(c, c->used);
	a->total += size;
	return p;
}

/* SIZE bytes aligned to ALIGN (a power of two, at most ARENA_ALIGN), not
 * zeroed: for the copies below, which write every byte they hand out
 * (zeroing first was a good part of lint's time).  Strings ask for no
 * alignment: rounding each name to 16 bytes cost a third of their room. */
static inline void *alloc_raw(struct arena *a, size_t size, size_t align)
{
	struct arena_chunk *c = a->head;
	if (c) {
		size_t at = (c->used + align - 1) & ~(align - 1);
		if (at <= c->ready && c->ready - at >= size) {
			c->used = at + size;
			a->total += size;
			return c->data + at;
		}
	}
	return alloc_slow(a, size, align);
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = alloc_raw(a, size, ARENA_ALIGN);
	memset(p, 0, size);
	return p;
}

void *arena_alloc_aligned(struct arena *a, size_t size, size_t align)
{
	void *p = alloc_raw(a, size, align);
	memset(p, 0, size);
	return p;
}

/* The alignment an array of ELEM-byte elements needs: sizeof(T) is a
 * multiple of _Alignof(T), a power of two, so its lowest set bit is at
 * least T's alignment. */
static inline size_t elem_align(size_t elem)
{
	size_t low = elem & (0 - elem);
	return low && low < ARENA_ALIGN ? low : ARENA_ALIGN;
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *keep = a->head;
	if (!keep)
		return;
	struct arena_chunk *c = keep->next;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	keep->next = NULL;
	keep->used = 0;
	a->total = 0;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = alloc_raw(a, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	/* Most texts fit the stack buffer: format once, copy once. */
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	if ((size_t)n < sizeof(small))
		return arena_strndup(a, small, (size_t)n);
	char *p = alloc_raw(a, (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* The next room of a vector of CAP (ARENA_VEC counts in 32 bits). */
static uint32_t vec_next_cap(uint32_t cap, uint32_t first)
{
	if (cap > UINT32_MAX / 2)
		out_of_memory();
	return cap ? cap * 2 : first;
}

void *arena_vec_grow(struct arena *a, void *v, uint32_t *cap, size_t elem)
{
	uint32_t ncap = vec_next_cap(*cap, 4);
	/* Only [0, n) of a vector is ever read: the new part need not be zeroed. */
	void *nv = alloc_raw(a, (size_t)ncap * elem, elem_align(elem));
	if (v)
		memcpy(nv, v, *cap * elem);
	*cap = ncap;
	return nv;
}

void *heap_vec_grow(void *v, uint32_t *cap, size_t elem)
{
	uint32_t ncap = vec_next_cap(*cap, 16);
	v = xrealloc(v, (size_t)ncap * elem);
	*cap = ncap;
	return v;
}

size_t arena_vec_fit(struct arena *a, void *v, size_t n, size_t cap, size_t elem)
{
	struct arena_chunk *c = a->head;
	if (!v || !n || n >= cap || !c)
		return cap;
	unsigned char *end = (unsigned char *)v + cap * elem;
	if (end != c->data + c->used)
		return cap;
	c->used -= (cap - n) * elem;
	a->total -= (cap - n) * elem;
	return n;
}

void *arena_vec_reserve_to(struct arena *a, void *v, size_t n, uint32_t *cap, size_t elem,
			   size_t want)
{
	if (want <= *cap)
		return v;
	if (want > UINT32_MAX)
		out_of_memory();
	void *nv = alloc_raw(a, want * elem, elem_align(elem));
	if (n)
		memcpy(nv, v, n * elem);
	*cap = (uint32_t)want;
	return nv;
}
