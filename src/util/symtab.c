#include "config.h"
#include "util/symtab.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;        /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	/* The top bits of a Fibonacci product: home() reads a hash's top
	 * bits, where FNV-1a barely moves for names that differ in their
	 * last characters ("spoke1", "spoke2"). */
	return (uint32_t)((h * 0x9e3779b97f4a7c15ull) >> 32);
}

void symtab_init(struct symtab *t)
{
	t->slots = NULL;
	t->hashes = NULL;
	t->cap = t->n = 0;
}

void symtab_free(struct symtab *t)
{
	free(t->slots);
	free(t->hashes);
	symtab_init(t);
}

/* Where H's probe starts: the hash's share of the table (a multiply and a
 * shift, Lemire's range reduction), so that a table need not be a power of
 * two and one sized for a known count is three quarters full, not between
 * three eighths and three quarters (a table of 100,001 names took 262,144
 * slots, 5.2 MB, where 133,335 do). */
static inline size_t home(uint32_t h, size_t cap)
{
	return (size_t)(((uint64_t)h * cap) >> 32);
}

/* KEY's slot, or the empty slot where it would go. */
static size_t find(const struct symtab *t, const char *key, uint32_t h)
{
	for (size_t i = home(h, t->cap);;) {
		if (!t->slots[i].key || (t->hashes[i] == h && strcmp(t->slots[i].key, key) == 0))
			return i;
		if (++i == t->cap)
			i = 0;
	}
}

void *symtab_get(const struct symtab *t, const char *key)
{
	if (!t->cap)
		return NULL;
	size_t i = find(t, key, hash_str(key));
	return t->slots[i].key ? t->slots[i].value : NULL;
}

static void resize(struct symtab *t, size_t cap)
{
	struct symtab old = *t;
	t->cap = cap;
	t->slots = xcalloc(t->cap, sizeof(*t->slots));
	t->hashes = xmalloc(t->cap * sizeof(*t->hashes));
	for (size_t k = 0; k < old.cap; k++) {
		if (!old.slots[k].key)
			continue;
		/* Keys are distinct: the first empty slot is the key's. */
		size_t i = home(old.hashes[k], t->cap);
		while (t->slots[i].key)
			if (++i == t->cap)
				i = 0;
		t->slots[i] = old.slots[k];
		t->hashes[i] = old.hashes[k];
	}
	free(old.slots);
	free(old.hashes);
}

/* At most three quarters full: the stored hashes keep the longer probe
 * runs cheap, and the tables of a big policy's names take half the memory
 * (and page faults) they did at one half. */
static bool fits(size_t n, size_t cap)
{
	return n * 4 <= cap * 3;
}

void symtab_reserve(struct symtab *t, size_t more)
{
	size_t n = t->n + more;
	if (fits(n, t->cap))
		return;
	size_t cap = (n * 4 + 2) / 3;           /* the least that fits */
	resize(t, cap < 16 ? 16 : cap);
}

void *symtab_put(struct symtab *t, const char *key, void *value)
{
	if (!fits(t->n + 1, t->cap))
		resize(t, t->cap ? t->cap * 2 : 16);
	uint32_t h = hash_str(key);
	size_t i = find(t, key, h);
	if (t->slots[i].key)
		return t->slots[i].value;
	t->slots[i].key = key;
	t->slots[i].value = value;
	t->hashes[i] = h;
	t->n++;
	return NULL;
}
