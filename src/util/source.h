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
};

struct source_set {
	struct source_file *files;      /* files[0] is a placeholder for "none" */
	size_t n;
};

void source_set_init(struct source_set *s);
void source_set_free(struct source_set *s);
/* Reads PATH; returns the new file index, or 0 with errno set. */
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
const char *source_path(const struct source_set *s, struct tunc_loc loc);

/* The smallest location covering A and B (same file). */
struct tunc_loc loc_span(struct tunc_loc a, struct tunc_loc b);

#endif
