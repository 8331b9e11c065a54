/* Source buffers and locations.  A location is (file, byte offset, length);
 * line and column are computed only when a diagnostic is printed, from the
 * line index kept here for the whole run.  A file's text is kept until its
 * parse is over (source_release); then the few lines a diagnostic shows are
 * read back from the file, which must still be the one that was parsed. */
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
	char *text;                     /* NUL-terminated contents; NULL once
					 * released (read back by line) */
	size_t size;
	size_t text_mapped;             /* length of TEXT's own mapping; 0: malloc'd */
	/* The line index, about 2 bytes a line (a 100,000-spoke hub has a
	 * million lines): per block of SOURCE_LINE_BLOCK lines its first
	 * line's offset, and per line its offset from there (16 bits).  A
	 * block spanning 64 KiB or more is "wide": its entry is
	 * SOURCE_LINES_WIDE | the index in line_wide of its lines' offsets.
	 * Read through source_line_start(). */
	uint32_t *line_blocks;
	uint16_t *line_rel;
	uint32_t *line_wide;
	size_t n_lines;
	size_t line_hint;               /* the line found last (a cache) */
	struct tunc_loc included_from;  /* where an include named it */
	uint64_t dev, ino;              /* identity on disk (0 for buffers) */
	/* What fstat said when the text was read: a read back needs the same
	 * file unchanged, else the line (and a key's mask) could be another's. */
	int64_t mtime_ns, ctime_ns;
	uint64_t disk_size;
	bool on_disk;                   /* read from a regular file: can be read back */
	bool unreadable;                /* a read back failed: lines are no longer shown */
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

#define SOURCE_LINE_BLOCK 64
#define SOURCE_LINES_WIDE 0x80000000u      /* offsets are below 1 GiB */
#define SOURCE_WINDOWS 4

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
	/* Released files' bytes [from, from + n), read back for the lines a
	 * diagnostic shows (src/util/source.c), the one used last first: a
	 * finding and its related notes may alternate between files.  A
	 * cache: the readers, which take the set as const, fill it. */
	struct source_window {
		uint32_t file;          /* whose bytes buf holds; 0 = none */
		int fd;                 /* open on that file, or -1 */
		size_t from, n;
		char *buf;
		size_t cap;
	} window[SOURCE_WINDOWS];
};

void source_set_init(struct source_set *s);
void source_set_free(struct source_set *s);
/* Reads PATH, which must be a regular file (a FIFO, device or directory is
 * refused at once, before any read) within the size limits above; returns
 * the new file index, or 0 with errno set and the reason in S->error. */
uint32_t source_load(struct source_set *s, const char *path, struct tunc_loc from);
/* Adds an in-memory buffer (tests, fuzzing).  A buffer has no file to be
 * read back from: it is never released. */
uint32_t source_add_buffer(struct source_set *s, const char *name,
			   const char *text, size_t size);
/* Frees the text of files FIRST..n-1 read from disk (their parse is over:
 * a 100,000-spoke hub's 30 MB would otherwise stay until the process
 * ends).  Line and column, paths and the keys' spans stay; the text of a
 * line is read back when a diagnostic shows it.  Buffers are kept. */
void source_release(struct source_set *s, uint32_t first);
const struct source_file *source_get(const struct source_set *s, uint32_t file);

/* 1-based line and column (column counts bytes). */
void source_line_col(const struct source_set *s, struct tunc_loc loc,
		     unsigned *line, unsigned *col);
/* The end of LOC (last covered character), 1-based. */
void source_end_line_col(const struct source_set *s, struct tunc_loc loc,
			 unsigned *line, unsigned *col);
/* The offset of line LINE's first byte (1-based; 0 out of range). */
uint32_t source_line_start(const struct source_set *s, uint32_t file, unsigned line);
/* The text of line LINE (without newline) and its length.  The pointer is
 * valid until the next call that reads the set's text (a released file's
 * line lives in a window read back); "" with *LEN 0 for a line out of range
 * or one that cannot be read back (the file changed, shrank or went). */
const char *source_line_text(const struct source_set *s, uint32_t file,
			     unsigned line, size_t *len);
/* The text of line LINE as a diagnostic may show it: each key (an inline
 * key, the string after `psk`, or one an import reader marked) replaced by
 * SOURCE_MASK_LEN '*', whatever its length, so that not even the length
 * of a key shows.  FROM and TO (0-based byte columns of the line, TO
 * exclusive; either may be NULL) are moved to the same places in the
 * shown line: a column inside a key goes to its mask.  Points into the
 * source (as source_line_text) when the line holds no key, else into
 * *TO_FREE, which the caller frees (NULL otherwise).  NULL, and *LEN 0,
 * when the line of a released file cannot be read back: show nothing. */
#define SOURCE_MASK_LEN 8
const char *source_line_shown(const struct source_set *s, uint32_t file,
			      unsigned line, size_t *len, char **to_free, size_t *from,
			      size_t *to);
/* Hands FILE's whole text, as it was parsed, to TAKE a piece at a time
 * (engine.xml's digest of each source); false, part handed or not, when a
 * released file cannot be read back unchanged. */
bool source_each_piece(const struct source_set *s, uint32_t file,
		       void (*take)(void *arg, const char *piece, size_t n), void *arg);
const char *source_path(const struct source_set *s, struct tunc_loc loc);
/* LOC holds a key (an imported configuration's): shown as '*' like an
 * inline .tun key.  Marking an offset again keeps the longer span.  O(1)
 * amortised for marks made in file order, O(log n) for a repeated one. */
void source_mark_secret(struct source_set *s, struct tunc_loc loc);

/* The smallest location covering A and B (same file). */
struct tunc_loc loc_span(struct tunc_loc a, struct tunc_loc b);

#endif
