#include "config.h"
#include "util/symtab.h"
#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;        /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (uint32_t)(h ^ (h >> 32));
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

/* KEY's slot, or the empty slot where it would go. */
static size_t find(const struct symtab *t, const char *key, uint32_t h)
{
	size_t mask = t->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask)
		if (!t->slots[i].key || (t->hashes[i] == h && strcmp(t->slots[i].key, key) == 0))
			return i;
}

void *symtab_get(const struct symtab *t, const char *key)
{
	if (!t->cap)
		return NULL;
	size_t i = find(t, key, hash_str(key));
	return t->slots[i].key ? t->slots[i].value : NULL;
}

static void grow(struct symtab *t)
{
	struct symtab old = *t;
	t->cap = old.cap ? old.cap * 2 : 16;
	t->slots = xcalloc(t->cap, sizeof(*t->slots));
	t->hashes = xmalloc(t->cap * sizeof(*t->hashes));
	size_t mask = t->cap - 1;
	for (size_t k = 0; k < old.cap; k++) {
		if (!old.slots[k].key)
			continue;
		/* Keys are distinct: the first empty slot is the key's. */
		size_t i = old.hashes[k] & mask;
		while (t->slots[i].key)
			i = (i + 1) & mask;
		t->slots[i] = old.slots[k];
		t->hashes[i] = old.hashes[k];
	}
	free(old.slots);
	free(old.hashes);
}

void *symtab_put(struct symtab *t, const char *key, void *value)
{
	/* At most three quarters full: the stored hashes keep the longer
	 * probe runs cheap, and the tables of a big policy's names take
	 * half the memory (and page faults) they did at one half. */
	if ((t->n + 1) * 4 > t->cap * 3)
		grow(t);
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
