/* A string-keyed hash table (open addressing).  Keys are borrowed: they must
 * outlive the table (they live in the IR arena). */
#ifndef TUNC_SYMTAB_H
#define TUNC_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

struct symtab {
	struct symtab_slot { const char *key; void *value; } *slots;
	/* Each slot's key hash, beside the slots: a probe compares hashes
	 * and reads a key only when they match, and growing rehashes no
	 * string. */
	uint32_t *hashes;
	size_t cap, n;
};

void symtab_init(struct symtab *t);
void symtab_free(struct symtab *t);
/* Room for MORE entries beyond those held, in one allocation: a caller that
 * knows how many names it will put sizes the table once (three quarters
 * full at the end) instead of doubling it. */
void symtab_reserve(struct symtab *t, size_t more);
void *symtab_get(const struct symtab *t, const char *key);
/* Inserts KEY unless present; returns the existing value, or NULL if added. */
void *symtab_put(struct symtab *t, const char *key, void *value);

#endif
