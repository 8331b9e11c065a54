/* Arena allocation for the AST/IR and the model: everything built from one
 * input is freed at once, so no node needs an owner of its own. */
#ifndef TUNC_ARENA_H
#define TUNC_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t total;                /* bytes handed out, for the benchmarks */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
/* Zeroed memory, aligned for any type; aborts on out-of-memory. */
void *arena_alloc(struct arena *a, size_t size);
/* Zeroed room for one T aligned for T alone, not for any type: an IR node
 * of 72 or 88 bytes took 80 or 96 when every block was rounded to 16
 * (a hub's spoke holds a dozen).  ALIGN is a power of two, at most
 * _Alignof(max_align_t). */
void *arena_alloc_aligned(struct arena *a, size_t size, size_t align);
#define arena_new(a, T) ((T *)arena_alloc_aligned((a), sizeof(T), _Alignof(T)))
char *arena_strdup(struct arena *a, const char *s);
/* Forgets everything allocated, keeping the newest chunk for reuse. */
void arena_reset(struct arena *a);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A growable array in an arena: ARENA_VEC(T) declares {T *v; uint32_t n, cap;}
 * (16 bytes, not 24: a hub's spoke holds a dozen such lists in the IR and
 * as many in the model; no list comes near 2^32 elements, the input being
 * at most 1 GiB, and growing past it stops as out of memory).
 * arena_vec_push grows geometrically; the old block stays in the arena.
 * A list's block is aligned for its element alone (the lowest set bit of
 * its size, at most _Alignof(max_align_t)): a list of one 36-byte prefix
 * takes 36 bytes, not 48.
 * Only v[0, n) is defined: the room beyond is not zeroed. */
#define ARENA_VEC(T) struct { T *v; uint32_t n, cap; }
void *arena_vec_grow(struct arena *a, void *v, uint32_t *cap, size_t elem);
#define arena_vec_push(a, vec, item)                                           \
	do {                                                                   \
		if ((vec)->n == (vec)->cap)                                    \
			(vec)->v = arena_vec_grow((a), (vec)->v, &(vec)->cap,  \
						  sizeof(*(vec)->v));          \
		(vec)->v[(vec)->n++] = (item);                                 \
	} while (0)

/* The same shape of vector on the heap (freed by its owner with free(v)),
 * for the few lists that grow to one element per tunnel: doubling one in
 * an arena left every old block behind (as much again as the last), where
 * realloc gives the old block back or, for a big one, moves its pages
 * (mremap) without a copy. */
void *heap_vec_grow(void *v, uint32_t *cap, size_t elem);
#define heap_vec_push(vec, item)                                               \
	do {                                                                   \
		if ((vec)->n == (vec)->cap)                                    \
			(vec)->v = heap_vec_grow((vec)->v, &(vec)->cap,        \
						 sizeof(*(vec)->v));           \
		(vec)->v[(vec)->n++] = (item);                                 \
	} while (0)

/* Room for at least WANT elements in VEC (one block of that size). */
void *arena_vec_reserve_to(struct arena *a, void *v, size_t n, uint32_t *cap, size_t elem,
			   size_t want);
#define arena_vec_reserve(a, vec, want)                                        \
	((vec)->v = arena_vec_reserve_to((a), (vec)->v, (vec)->n, &(vec)->cap,  \
					 sizeof(*(vec)->v), (want)))

/* Gives back the room of VEC beyond its N elements when its block is the
 * arena's newest allocation (a list just parsed), so that a one-prefix
 * list keeps room for one, not four. */
size_t arena_vec_fit(struct arena *a, void *v, size_t n, size_t cap, size_t elem);
#define arena_vec_shrink(a, vec)                                               \
	((vec)->cap = arena_vec_fit((a), (vec)->v, (vec)->n, (vec)->cap,       \
				    sizeof(*(vec)->v)))

/* Heap helpers that abort instead of returning NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

#endif
