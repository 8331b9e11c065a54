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
 * up in a few slots. */
static size_t home(uint64_t key, size_t cap)
{
	return (size_t)u64map_mix(0, key) & (cap - 1);
}

static void place(struct u64map_slot *slots, size_t cap, uint64_t key, size_t stored)
{
	size_t i = home(key, cap);
	while (slots[i].val)
		i = (i + 1) & (cap - 1);
	slots[i].key = key;
	slots[i].val = stored;
}

void u64map_add(struct u64map *m, uint64_t key, size_t val)
{
	if (2 * (m->n + 1) > m->cap) {          /* at most half full */
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct u64map_slot *s = xcalloc(cap, sizeof(*s));
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].val)
				place(s, cap, m->slots[i].key, m->slots[i].val);
		free(m->slots);
		m->slots = s;
		m->cap = cap;
	}
	place(m->slots, m->cap, key, val + 1);
	m->n++;
}

static bool scan(struct u64map_iter *it, size_t *val)
{
	const struct u64map *m = it->m;
	for (; m->slots[it->at].val; it->at = (it->at + 1) & (m->cap - 1)) {
		if (m->slots[it->at].key == it->key) {
			*val = m->slots[it->at].val - 1;
			it->at = (it->at + 1) & (m->cap - 1);
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
