#include "config.h"
#include "util/suggest.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Words longer than this are not typos of a keyword or a name; comparing
 * them would cost O(len^2) for nothing. */
#define MAX_LEN 64

unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > MAX_LEN || lb > MAX_LEN)
		return (unsigned)-1;
	/* Three rows: the swap looks two rows back. */
	unsigned rows[3][MAX_LEN + 1];
	unsigned *pp = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			cur[j] = best;
		}
		unsigned *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

void suggest_init(struct suggest *s, const char *word)
{
	*s = (struct suggest){.word = word, .best = (unsigned)-1};
}

/* A typo, not another word: at most a third of the word changed (one edit
 * in a short one), and never the whole of it. */
static bool close_enough(const char *word, unsigned d)
{
	size_t len = strlen(word);
	size_t limit = len < 6 ? 1 : len / 3;
	return d > 0 && d <= limit && d < len;
}

void suggest_consider(struct suggest *s, const char *candidate)
{
	unsigned d = edit_distance(s->word, candidate);
	if (!close_enough(s->word, d) || d > s->best)
		return;
	if (d < s->best) {
		s->best = d;
		s->n = 0;
	}
	for (unsigned i = 0; i < s->n && i < SUGGEST_MAX; i++)
		if (strcmp(s->pick[i], candidate) == 0)
			return;
	if (s->n < SUGGEST_MAX)
		s->pick[s->n] = candidate;
	s->n++;
}

const char *suggest_best(const struct suggest *s)
{
	return s->n == 1 ? s->pick[0] : NULL;
}

const char *suggest_text(const struct suggest *s, struct arena *a)
{
	if (s->n == 0 || s->n > SUGGEST_MAX)
		return NULL;
	if (s->n == 1)
		return arena_printf(a, "did you mean '%s'?", s->pick[0]);
	/* Two: in a stable order, whatever order they were offered in. */
	const char *x = s->pick[0], *y = s->pick[1];
	if (strcmp(x, y) > 0) {
		const char *t = x;
		x = y;
		y = t;
	}
	return arena_printf(a, "did you mean '%s' or '%s'?", x, y);
}
