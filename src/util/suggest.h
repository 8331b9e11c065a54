/* "Did you mean ...?": the candidates closest to a misspelt word, by edit
 * distance, when they are close enough to be a typo of it.  One helper for
 * the parser (keywords), the IR builder (algorithms, groups, platforms) and
 * the resolver (names). */
#ifndef TUNC_SUGGEST_H
#define TUNC_SUGGEST_H

#include "util/arena.h"

#define SUGGEST_MAX 2           /* more equally close candidates: no suggestion */

struct suggest {
	const char *word;
	unsigned best;                  /* edit distance of pick[] */
	unsigned n;                     /* candidates at that distance */
	const char *pick[SUGGEST_MAX];
};

void suggest_init(struct suggest *s, const char *word);
/* CANDIDATE must outlive S (it is kept, not copied). */
void suggest_consider(struct suggest *s, const char *candidate);
/* "did you mean 'aes256'?" or "did you mean '14' or '21'?" (in A), or NULL
 * when nothing is close. */
const char *suggest_text(const struct suggest *s, struct arena *a);
/* The single closest candidate, or NULL (none, or a tie). */
const char *suggest_best(const struct suggest *s);

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of two neighbours ("encrpytion") count one each. */
unsigned edit_distance(const char *a, const char *b);

#endif
