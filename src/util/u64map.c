#include "config.h"
#include "util/u64map.h"
#include "util/arena.h"

#include <stdlib.h>
#include <string.h>

/* Values are stored plus one, so that 0 marks an empty slot. */

void u64map_init(struct u64map *m)
{
	memset(m, 0, sizeof(*m));
}

void u64map_free(struct u64map *m)
{
	free(m->slots);
	u64map_init(m);
}

void u64map_clear(struct u64map *m)
{
	if (m->slots)
		memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->n = 0;
}

/* Keys may be pointers or small numbers: their low bits alone would pile
 * up in a few slots.  The mixed key's top bits pick the slot by a multiply
 * and a shift (Lemire's range reduction), so that a table need not be a
 * power of two: one reserved for a known count is three quarters full (a
 * hub's 100,000 tunnels took 262,144 slots, 4.2 MB, where 133,334 do). */
static size_t home(uint64_t key, size_t cap)
{
	return (size_t)((u64map_mix(0, key) >> 32) * cap >> 32);
}

static inline size_t after(size_t i, size_t cap)
{
	return i + 1 == cap ? 0 : i + 1;
}

static void place(struct u64map_slot *slots, size_t cap, uint64_t key, size_t stored)
{
	size_t i = home(key, cap);
	while (slots[i].val)
		i = after(i, cap);
	slots[i].key = key;
	slots[i].val = stored;
}

static void resize(struct u64map *m, size_t cap, size_t room)
{
	struct u64map_slot *s = xcalloc(cap, sizeof(*s));
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].val)
			place(s, cap, m->slots[i].key, m->slots[i].val);
	free(m->slots);
	m->slots = s;
	m->cap = cap;
	m->room = room;
}

void u64map_reserve(struct u64map *m, size_t more)
{
	size_t n = m->n + more;
	if (n <= m->room)
		return;
	size_t cap = (n * 4 + 2) / 3;           /* the least three quarters full */
	if (cap < 64)
		cap = 64;
	resize(m, cap, cap * 3 / 4);
}

void u64map_add(struct u64map *m, uint64_t key, size_t val)
{
	/* Grown, it is at most half full: the engine's per-packet lookups
	 * that miss walk to an empty slot. */
	if (m->n + 1 > m->room)
		resize(m, m->cap ? 2 * m->cap : 64, m->cap ? m->cap : 32);
	place(m->slots, m->cap, key, val + 1);
	m->n++;
}

static bool scan(struct u64map_iter *it, size_t *val)
{
	const struct u64map *m = it->m;
	for (; m->slots[it->at].val; it->at = after(it->at, m->cap)) {
		if (m->slots[it->at].key == it->key) {
			*val = m->slots[it->at].val - 1;
			it->at = after(it->at, m->cap);
			return true;
		}
	}
	return false;
}

bool u64map_first(const struct u64map *m, uint64_t key, struct u64map_iter *it, size_t *val)
{
	it->m = m;
	it->key = key;
	it->at = m->cap ? home(key, m->cap) : 0;
	return m->cap && scan(it, val);
}

bool u64map_next(struct u64map_iter *it, size_t *val)
{
	return scan(it, val);
}
