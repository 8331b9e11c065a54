#include "config.h"
#include "util/symtab.h"
#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;        /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void symtab_init(struct symtab *t)
{
	t->slots = NULL;
	t->cap = t->n = 0;
}

void symtab_free(struct symtab *t)
{
	free(t->slots);
	symtab_init(t);
}

static struct symtab_slot *find(const struct symtab *t, const char *key)
{
	size_t mask = t->cap - 1;
	for (size_t i = hash_str(key) & mask;; i = (i + 1) & mask)
		if (!t->slots[i].key || strcmp(t->slots[i].key, key) == 0)
			return &t->slots[i];
}

void *symtab_get(const struct symtab *t, const char *key)
{
	if (!t->cap)
		return NULL;
	struct symtab_slot *s = find(t, key);
	return s->key ? s->value : NULL;
}

static void grow(struct symtab *t)
{
	struct symtab old = *t;
	t->cap = old.cap ? old.cap * 2 : 16;
	t->slots = xcalloc(t->cap, sizeof(*t->slots));
	t->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(t, old.slots[i].key) = old.slots[i], t->n++;
	free(old.slots);
}

void *symtab_put(struct symtab *t, const char *key, void *value)
{
	if ((t->n + 1) * 2 > t->cap)
		grow(t);
	struct symtab_slot *s = find(t, key);
	if (s->key)
		return s->value;
	s->key = key;
	s->value = value;
	t->n++;
	return NULL;
}
