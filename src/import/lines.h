/* Splitting a configuration into lines of words, with offsets, for the
 * line-oriented readers. */
#ifndef TUNC_IMPORT_LINES_H
#define TUNC_IMPORT_LINES_H

#include <stddef.h>

#include "import/reader.h"

#define IMP_MAX_WORDS 48

struct imp_line {
	size_t off, len;                /* the line without its newline */
	unsigned indent;                /* leading blanks */
	size_t n;                       /* words */
	struct { const char *s; size_t len, off; } w[IMP_MAX_WORDS];
};

/* Reads the line at *POS into L and moves *POS past it; false at the end. */
bool imp_next_line(const struct imp_read *r, size_t *pos, struct imp_line *l);
/* Word I of L is TEXT (case-sensitive, as the devices print it). */
bool imp_is(const struct imp_line *l, size_t i, const char *text);
/* Word I as a located, arena-owned string (absent past the end). */
struct imp_text imp_lw(const struct imp_read *r, const struct imp_line *l, size_t i);
/* Words I..J as one location. */
struct tunc_loc imp_lspan(const struct imp_read *r, const struct imp_line *l, size_t i, size_t j);
struct tunc_loc imp_lloc(const struct imp_read *r, const struct imp_line *l);
/* Words I..I+N-1 of L are a key (imp_mark_secret); words past the end are
 * not there to mark. */
void imp_secret_words(const struct imp_read *r, const struct imp_line *l, size_t i, size_t n);
/* Word I of L and all that follows it on the line, words past IMP_MAX_WORDS
 * too, may be a key. */
void imp_secret_rest(const struct imp_read *r, const struct imp_line *l, size_t i);
/* The device's name when the file does not say: its file name up to the
 * first dot ("rtr-a.ios.cfg" -> "rtr-a"). */
const char *imp_name_from_path(struct arena *a, const char *path);

#endif
