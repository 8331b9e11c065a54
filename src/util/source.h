/* Source buffers and locations.  A location is (file, byte offset, length);
 * line and column are computed only when a diagnostic is printed, from the
 * buffers kept here for the whole run. */
#ifndef TUNC_SOURCE_H
#define TUNC_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct tunc_loc {
	uint32_t file;                  /* index into the source set; 0 = none */
	uint32_t offset;                /* byte offset of the first character */
	uint32_t length;                /* bytes covered (at least 1 when known) */
};

#define LOC_NONE ((struct tunc_loc){0, 0, 0})

struct source_file {
	char *path;                     /* as the user or the include named it */
	char *text;                     /* NUL-terminated contents */
	size_t size;
	uint32_t *line_starts;          /* offset of each line's first byte */
	size_t n_lines;
	struct tunc_loc included_from;  /* where an include named it */
	uint64_t dev, ino;              /* identity on disk (0 for buffers) */
	/* Inline keys, never shown: sorted by offset, one span per offset. */
	struct source_span { uint32_t offset, length; } *secrets;
	size_t n_secrets, secrets_cap;
	uint32_t secrets_longest;       /* the longest span's length */
};

/* What one run may read in all, whatever the includes do: a file that
 * includes the next twice, 31 deep, would otherwise read 2^31 files. */
#define SOURCE_MAX_SIZE (1u << 30)      /* one file: offsets are 32-bit */
#define SOURCE_MAX_TOTAL (1ull << 30)   /* all files together */
#define SOURCE_MAX_FILES 10000

struct source_set {
	struct source_file *files;      /* files[0] is a placeholder for "none" */
	size_t n, cap;
	uint64_t total;                 /* bytes read so far */
	/* Files read because another named them (includes, ipsec.conf's
	 * include, secrets beside a configuration): at most
	 * SOURCE_MAX_FILES.  The files named on the command line do not count
	 * (`tunc lint` of a hub and its 10,000 spokes' configurations). */
	size_t n_included;
	bool over_budget;               /* a load was refused for the totals */
	char error[160];                /* why the last source_load failed */
};

void source_set_init(struct source_set *s);
void source_set_free(struct source_set *s);
/* Reads PATH, which must be a regular file (a FIFO, device or directory is
 * refused at once, before any read) within the size limits above; returns
 * the new file index, or 0 with errno set and the reason in S->error. */
uint32_t source_load(struct source_set *s, const char *path, struct tunc_loc from);
/* Adds an in-memory buffer (tests, fuzzing). */
uint32_t source_add_buffer(struct source_set *s, const char *name,
			   const char *text, size_t size);
const struct source_file *source_get(const struct source_set *s, uint32_t file);

/* 1-based line and column (column counts bytes). */
void source_line_col(const struct source_set *s, struct tunc_loc loc,
		     unsigned *line, unsigned *col);
/* The end of LOC (last covered character), 1-based. */
void source_end_line_col(const struct source_set *s, struct tunc_loc loc,
			 unsigned *line, unsigned *col);
/* The text of line LINE (without newline) and its length. */
const char *source_line_text(const struct source_set *s, uint32_t file,
			     unsigned line, size_t *len);
/* The text of line LINE as a diagnostic may show it: each key (an inline
 * key, the string after `psk`, or one an import reader marked) replaced by
 * SOURCE_MASK_LEN '*', whatever its length, so that not even the length
 * of a key shows.  FROM and TO (0-based byte columns of the line, TO
 * exclusive; either may be NULL) are moved to the same places in the
 * shown line: a column inside a key goes to its mask.  Points into the
 * source when the line holds no key, else into *TO_FREE, which the caller
 * frees (NULL otherwise). */
#define SOURCE_MASK_LEN 8
const char *source_line_shown(const struct source_set *s, uint32_t file,
			      unsigned line, size_t *len, char **to_free, size_t *from,
			      size_t *to);
const char *source_path(const struct source_set *s, struct tunc_loc loc);
/* LOC holds a key (an imported configuration's): shown as '*' like an
 * inline .tun key.  Marking an offset again keeps the longer span.  O(1)
 * amortised for marks made in file order, O(log n) for a repeated one. */
void source_mark_secret(struct source_set *s, struct tunc_loc loc);

/* The smallest location covering A and B (same file). */
struct tunc_loc loc_span(struct tunc_loc a, struct tunc_loc b);

#endif
