#include "config.h"
#include "util/source.h"
#include "util/arena.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Released files are read back a window at a time: findings are written
 * in file order, so one window read ahead serves the next ones too: `tunc
 * lint --all` of 20,000 findings reads a 3 MB hub in some fifty preads,
 * not 20,000.  A few windows, for notes in other files (includes). */
#define WINDOW_AHEAD (64u * 1024)      /* read from a line on, at least */
#define WINDOW_BEHIND (4u * 1024)      /* and before it (a related note's line) */

/* A file's text of at least this many bytes is mapped by tunc itself, not
 * by malloc: malloc would map it too, but freeing it early (source_release)
 * would then raise malloc's threshold for mapping to the text's size, and
 * the blocks of the checks that follow would come from the heap, zeroed
 * by calloc, instead of from fresh zero pages (1.6 M more instructions at
 * 10,000 spokes). */
#define TEXT_MAP_MIN (128u * 1024)

/* N bytes for a file's text; *MAPPED is the mapping's length, 0 if
 * malloc'd. */
static char *text_new(size_t n, size_t *mapped)
{
	*mapped = 0;
	if (n >= TEXT_MAP_MIN) {
		void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED) {
			*mapped = n;
			return p;
		}
	}
	return xmalloc(n);
}

static void text_free(struct source_file *f)
{
	if (f->text_mapped)
		munmap(f->text, f->text_mapped);
	else
		free(f->text);
	f->text = NULL;
	f->text_mapped = 0;
}

void source_set_init(struct source_set *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < SOURCE_WINDOWS; i++)
		s->window[i].fd = -1;
	s->cap = 16;
	s->files = xcalloc(s->cap, sizeof(*s->files));
	s->n = 1;
	s->files[0].path = xstrdup("<none>");
	s->files[0].text = xstrdup("");
	s->files[0].line_blocks = xcalloc(1, sizeof(uint32_t));
	s->files[0].line_rel = xcalloc(1, sizeof(uint16_t));
	s->files[0].n_lines = 1;
}

void source_set_free(struct source_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->files[i].path);
		text_free(&s->files[i]);
		free(s->files[i].line_blocks);
		free(s->files[i].line_rel);
		free(s->files[i].line_wide);
		free(s->files[i].secrets);
	}
	free(s->files);
	s->files = NULL;
	s->n = 0;
	for (size_t i = 0; i < SOURCE_WINDOWS; i++) {
		if (s->window[i].fd >= 0)
			close(s->window[i].fd);
		free(s->window[i].buf);
		memset(&s->window[i], 0, sizeof(s->window[i]));
		s->window[i].fd = -1;
	}
}

/* The offset of line I (0-based) of F. */
static inline uint32_t line_start(const struct source_file *f, size_t i)
{
	uint32_t b = f->line_blocks[i / SOURCE_LINE_BLOCK];
	if (b & SOURCE_LINES_WIDE)
		return f->line_wide[(b & ~SOURCE_LINES_WIDE) + i % SOURCE_LINE_BLOCK];
	return b + f->line_rel[i];
}

/* The offset of the first line of block B of F. */
static inline uint32_t block_start(const struct source_file *f, size_t b)
{
	uint32_t v = f->line_blocks[b];
	return v & SOURCE_LINES_WIDE ? f->line_wide[v & ~SOURCE_LINES_WIDE] : v;
}

/* The index being built (N: the line being added). */
struct line_index {
	size_t n, n_blocks, blocks_cap, rel_cap, wide_n, wide_cap;
};

/* Line N of the index starts a block at OFFSET. */
static void start_block(struct source_file *f, struct line_index *x, uint32_t offset)
{
	if (x->n_blocks == x->blocks_cap)
		f->line_blocks = xrealloc(f->line_blocks,
					  (x->blocks_cap = 2 * x->blocks_cap + 16) * sizeof(uint32_t));
	if (x->n + SOURCE_LINE_BLOCK > x->rel_cap) {
		/* Past 16 Ki lines the room goes straight to 64 Ki (128 KiB,
		 * which malloc maps): no heap block of 64 KiB or more is freed
		 * on the way, which would make malloc consolidate its free
		 * lists (165,000 instructions at 10,000 spokes). */
		x->rel_cap = x->rel_cap >= 16384 && x->rel_cap < 65536 ? 65536
			     : 2 * x->rel_cap + 1024;
		f->line_rel = xrealloc(f->line_rel, x->rel_cap * sizeof(uint16_t));
	}
	f->line_blocks[x->n_blocks++] = offset;
}

/* Line N starts at OFFSET, 64 KiB or more past its block's first line:
 * the block's offsets go to line_wide, 32 bits each. */
static void add_wide(struct source_file *f, struct line_index *x, uint32_t offset)
{
	size_t first = x->n - x->n % SOURCE_LINE_BLOCK;
	uint32_t *v = &f->line_blocks[x->n_blocks - 1];
	if (!(*v & SOURCE_LINES_WIDE)) {
		if (x->wide_n + SOURCE_LINE_BLOCK > x->wide_cap) {
			x->wide_cap = 2 * x->wide_cap + SOURCE_LINE_BLOCK;
			f->line_wide = xrealloc(f->line_wide, x->wide_cap * sizeof(uint32_t));
		}
		for (size_t j = first; j < x->n; j++)
			f->line_wide[x->wide_n + j - first] = *v + f->line_rel[j];
		*v = SOURCE_LINES_WIDE | (uint32_t)x->wide_n;
		x->wide_n += SOURCE_LINE_BLOCK;
	}
	f->line_wide[(*v & ~SOURCE_LINES_WIDE) + x->n - first] = offset;
	f->line_rel[x->n] = 0;
}

static void index_lines(struct source_file *f)
{
	struct line_index x = {0};
	f->line_blocks = NULL;
	f->line_rel = NULL;
	f->line_wide = NULL;
	start_block(f, &x, 0);
	f->line_rel[0] = 0;
	/* A line costs what a plain table's would: the loop's state is in
	 * locals (X only for the calls), and memchr looks no further than 64
	 * KiB past the block's first line, so that a line found fits in 16
	 * bits without a compare; not finding one there is the rare wide
	 * block.  memchr skips a line in a few instructions (a byte loop took
	 * 2 % of linting a big policy). */
	const char *text = f->text, *end = text + f->size, *p = text;
	const char *lim = f->size > UINT16_MAX ? text + UINT16_MAX : end;
	uint16_t *rel = f->line_rel;
	uint32_t base = 0;
	size_t n = 1;
	for (;;) {
		const char *q = memchr(p, '\n', (size_t)(lim - p));
		if (!q) {
			if (lim == end || !(q = memchr(lim, '\n', (size_t)(end - lim))))
				break;
			if (n % SOURCE_LINE_BLOCK != 0) {
				/* This block is wide: its lines to the next block. */
				bool more = true;
				do {
					x.n = n++;
					add_wide(f, &x, (uint32_t)(q + 1 - text));
					p = q + 1;
				} while (n % SOURCE_LINE_BLOCK != 0 &&
					 (more = (q = memchr(p, '\n', (size_t)(end - p))) != NULL));
				if (!more)
					break;
				lim = end;      /* the next line starts a block */
				continue;
			}
		}
		p = q + 1;
		uint32_t offset = (uint32_t)(p - text);
		if (n % SOURCE_LINE_BLOCK == 0) {
			x.n = n;
			start_block(f, &x, offset);
			rel = f->line_rel;
			base = offset;
			lim = end - p > UINT16_MAX ? p + UINT16_MAX : end;
		}
		rel[n++] = (uint16_t)(offset - base);
	}
	x.n = n;
	f->n_lines = x.n;
	/* Only the room used: the doubling leaves up to half of each unused. */
	f->line_blocks = xrealloc(f->line_blocks, x.n_blocks * sizeof(uint32_t));
	f->line_rel = xrealloc(f->line_rel, x.n * sizeof(uint16_t));
	if (f->line_wide)
		f->line_wide = xrealloc(f->line_wide, x.wide_n * sizeof(uint32_t));
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '/' || c == '-';
}

/* The index of the first span of F at or after OFFSET (spans are sorted;
 * marks come in file order nearly always, so the last one is tried first). */
static size_t secret_at_or_after(const struct source_file *f, uint32_t offset)
{
	if (f->n_secrets == 0 || f->secrets[f->n_secrets - 1].offset < offset)
		return f->n_secrets;
	size_t lo = 0, hi = f->n_secrets - 1;   /* secrets[hi].offset >= offset */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->secrets[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Adds the span OFFSET+LENGTH to F's secrets, in order; an offset marked
 * before keeps the longer of the two spans. */
static void add_secret(struct source_file *f, uint32_t offset, uint32_t length)
{
	size_t i = secret_at_or_after(f, offset);
	if (i < f->n_secrets && f->secrets[i].offset == offset) {
		if (length > f->secrets[i].length)
			f->secrets[i].length = length;
	} else {
		if (f->n_secrets == f->secrets_cap) {
			f->secrets_cap = f->secrets_cap ? 2 * f->secrets_cap : 8;
			f->secrets = xrealloc(f->secrets, f->secrets_cap * sizeof(*f->secrets));
		}
		memmove(&f->secrets[i + 1], &f->secrets[i], (f->n_secrets - i) * sizeof(*f->secrets));
		f->secrets[i] = (struct source_span){offset, length};
		f->n_secrets++;
	}
	if (length > f->secrets_longest)
		f->secrets_longest = length;
}

/* The string after each `psk` keyword (skipping blanks and comments, as
 * the scanner does): an inline key, whatever else is wrong with the file.
 * An unterminated string is a key to the end of its line. */
static void find_secrets(struct source_file *f)
{
	const char *t = f->text, *end = t + f->size;
	for (const char *p = t; (p = memchr(p, 'p', (size_t)(end - p))) != NULL; p++) {
		if (end - p < 3 || p[1] != 's' || p[2] != 'k' ||
		    (p > t && is_name_char(p[-1])) || (p + 3 < end && is_name_char(p[3])))
			continue;
		const char *q = p + 3;
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n' || *q == '#')) {
			if (*q == '#')
				while (q < end && *q != '\n')
					q++;
			else
				q++;
		}
		if (q >= end || *q != '"')
			continue;
		const char *k = ++q;
		while (q < end && *q != '"' && *q != '\n')
			q += (*q == '\\' && q + 1 < end && q[1] != '\n') ? 2 : 1;
		if (q == k)
			continue;
		add_secret(f, (uint32_t)(k - t), (uint32_t)(q - k));
		p = q - 1;
	}
}

static uint32_t add_file(struct source_set *s, const char *name, char *text,
			 size_t size, struct tunc_loc from)
{
	if (s->n == s->cap)
		s->files = xrealloc(s->files, (s->cap *= 2) * sizeof(*s->files));
	struct source_file *f = &s->files[s->n];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(name);
	f->text = text;
	f->size = size;
	f->included_from = from;
	index_lines(f);
	find_secrets(f);
	return (uint32_t)s->n++;
}

static uint32_t refuse(struct source_set *s, int err, const char *why)
{
	snprintf(s->error, sizeof(s->error), "%s", why);
	errno = err;
	return 0;
}

static const char *kind_of(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
	       : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* A big file's buffer is mapped in one call before the read fills it,
 * which would fault its pages in one at a time (730 faults for a 3 MB
 * policy).  MADV_POPULATE_WRITE is Linux 5.14's; elsewhere, or if the call
 * fails, the pages fault in as before. */
static void prefault(char *buf, size_t size)
{
#ifdef MADV_POPULATE_WRITE
	long page = sysconf(_SC_PAGESIZE);
	if (page <= 0 || size < 64 * (size_t)page)
		return;
	uintptr_t mask = (uintptr_t)page - 1;
	uintptr_t from = ((uintptr_t)buf + mask) & ~mask, to = ((uintptr_t)buf + size) & ~mask;
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
	(void)buf;
	(void)size;
#endif
}

/* Reads SIZE bytes from FD (a regular file: a shorter read means it shrank). */
static bool read_all(int fd, char *buf, size_t size, size_t *got)
{
	*got = 0;
	while (*got < size) {
		ssize_t r = read(fd, buf + *got, size - *got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return false;
		if (r == 0)
			break;
		*got += (size_t)r;
	}
	return true;
}

uint32_t source_load(struct source_set *s, const char *path, struct tunc_loc from)
{
	s->error[0] = '\0';
	if (from.file && s->n_included >= SOURCE_MAX_FILES) {
		s->over_budget = true;
		snprintf(s->error, sizeof(s->error), "more than %d files read in all: "
			 "is an include repeated?", SOURCE_MAX_FILES);
		errno = EMFILE;
		return 0;
	}
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return refuse(s, errno, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int err = errno;
		close(fd);
		return refuse(s, err, strerror(err));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return refuse(s, EISDIR, strerror(EISDIR));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		char why[80];
		snprintf(why, sizeof(why), "it is %s: only regular files are read",
			 kind_of(st.st_mode));
		return refuse(s, EINVAL, why);
	}
	/* Sizes are checked before anything is read. */
	if ((uint64_t)st.st_size >= SOURCE_MAX_SIZE) {
		close(fd);
		return refuse(s, EFBIG, "larger than 1 GiB");
	}
	if (s->total + (uint64_t)st.st_size > SOURCE_MAX_TOTAL) {
		close(fd);
		s->over_budget = true;
		return refuse(s, EFBIG, "the files read in all exceed 1 GiB: "
			      "is an include repeated?");
	}
	size_t size = (size_t)st.st_size, got, mapped;
	char *buf = text_new(size + 1, &mapped);
	prefault(buf, size);
	bool ok = read_all(fd, buf, size, &got);
	int err = errno;
	close(fd);
	if (!ok) {
		if (mapped)
			munmap(buf, mapped);
		else
			free(buf);
		return refuse(s, err, strerror(err));
	}
	buf[got] = '\0';
	s->total += got;
	uint32_t file = add_file(s, path, buf, got, from);
	if (from.file)
		s->n_included++;
	struct source_file *f = &s->files[file];
	f->text_mapped = mapped;
	f->dev = (uint64_t)st.st_dev;
	f->ino = (uint64_t)st.st_ino;
	f->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	f->ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
	f->disk_size = (uint64_t)st.st_size;
	f->on_disk = true;
	return file;
}

void source_release(struct source_set *s, uint32_t first)
{
	for (size_t i = first ? first : 1; i < s->n; i++) {
		struct source_file *f = &s->files[i];
		if (!f->on_disk || !f->text)
			continue;
		text_free(f);
	}
}

/* FD is still the file F was read from, as it was then: same inode, size,
 * modification and change times (a write changes both; the change time
 * cannot be set back). */
static bool unchanged(int fd, const struct source_file *f)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_dev == f->dev &&
	       (uint64_t)st.st_ino == f->ino && (uint64_t)st.st_size == f->disk_size &&
	       (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec == f->mtime_ns &&
	       (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec == f->ctime_ns;
}

/* Fills W with bytes [FROM, TO) of file F; false if they cannot be read
 * as they were parsed (the file was replaced, changed or shrank). */
static bool window_fill(struct source_window *w, const struct source_file *f, size_t from,
			size_t to)
{
	if (w->fd < 0) {
		/* By path again, checked by identity: holding every file open
		 * from its load would run out of descriptors with includes. */
		w->fd = open(f->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (w->fd < 0)
			return false;
	}
	if (!unchanged(w->fd, f))
		return false;
	if (to - from > w->cap) {
		w->cap = to - from;
		free(w->buf);
		w->buf = xmalloc(w->cap);
	}
	size_t got = 0;
	while (got < to - from) {
		ssize_t r = pread(w->fd, w->buf + got, to - from - got, (off_t)(from + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;   /* an error, or it shrank since the check */
		got += (size_t)r;
	}
	w->from = from;
	w->n = got;
	return true;
}

/* Window I of WS becomes the first (the one used last). */
static struct source_window *to_front(struct source_window *ws, size_t i)
{
	if (i) {
		struct source_window w = ws[i];
		memmove(&ws[1], &ws[0], i * sizeof(*ws));
		ws[0] = w;
	}
	return &ws[0];
}

/* Bytes [START, END) of released FILE through the windows other than the
 * first (text_range): another window's, or read into the one of FILE (its
 * descriptor kept) or else the one used longest ago. */
static const char *window_move(const struct source_set *s, uint32_t file, size_t start,
			       size_t end)
{
	/* The set is const to the readers; the windows are only a cache. */
	struct source_window *ws = (struct source_window *)s->window;
	size_t i;
	for (i = 1; i < SOURCE_WINDOWS; i++)
		if (ws[i].file == file && start >= ws[i].from && end <= ws[i].from + ws[i].n) {
			struct source_window *w = to_front(ws, i);
			return w->buf + (start - w->from);
		}
	struct source_file *f = &s->files[file];   /* a cache too: F's flag */
	if (f->unreadable)
		return NULL;
	for (i = 0; i < SOURCE_WINDOWS - 1 && ws[i].file != file; i++)
		;
	struct source_window *w = to_front(ws, i);
	if (w->file != file) {
		if (w->fd >= 0)
			close(w->fd);
		w->fd = -1;
		w->n = 0;
		w->file = file;
	}
	size_t from = start > WINDOW_BEHIND ? (start - WINDOW_BEHIND) & ~(size_t)4095 : 0;
	size_t to = end - from > WINDOW_AHEAD ? end : from + WINDOW_AHEAD;
	if (to > f->size)
		to = f->size;
	if (to <= from)
		return "";
	if (!window_fill(w, f, from, to)) {
		f->unreadable = true;
		if (w->fd >= 0)
			close(w->fd);
		w->fd = -1;
		w->n = 0;
		w->file = 0;
		return NULL;
	}
	return w->buf + (start - w->from);
}

/* Bytes [START, END) of FILE (END at most its size): in its text while it
 * is kept, else read back through the set's windows.  NULL when a released
 * file cannot be read back; it is then marked so that every later line of
 * it is left out alike, not some shown and some not. */
static inline const char *text_range(const struct source_set *s, uint32_t file,
				     size_t start, size_t end)
{
	const struct source_file *f = &s->files[file];
	if (f->text)
		return f->text + start;
	const struct source_window *w = &s->window[0];
	if (w->file == file && start >= w->from && end <= w->from + w->n)
		return w->buf + (start - w->from);
	return window_move(s, file, start, end);
}

uint32_t source_add_buffer(struct source_set *s, const char *name,
			   const char *text, size_t size)
{
	char *buf = xmalloc(size + 1);
	memcpy(buf, text, size);
	buf[size] = '\0';
	return add_file(s, name, buf, size, LOC_NONE);
}

const struct source_file *source_get(const struct source_set *s, uint32_t file)
{
	return file < s->n ? &s->files[file] : &s->files[0];
}

/* F's LINE_HINT is the line found last: a finding's end is nearly always
 * on its start's line, and findings are written in file order. */
static void offset_line_col(struct source_file *f, uint32_t off, unsigned *line, unsigned *col)
{
	size_t lo = f->line_hint, hi;
	uint32_t at = line_start(f, lo);
	if (at <= off && (lo + 1 == f->n_lines || off < line_start(f, lo + 1)))
		goto found;
	/* The last block starting at or before OFF, then its last line. */
	lo = 0;
	hi = (f->n_lines + SOURCE_LINE_BLOCK - 1) / SOURCE_LINE_BLOCK;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (block_start(f, mid) <= off)
			lo = mid;
		else
			hi = mid;
	}
	lo *= SOURCE_LINE_BLOCK;
	hi = lo + SOURCE_LINE_BLOCK < f->n_lines ? lo + SOURCE_LINE_BLOCK : f->n_lines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (line_start(f, mid) <= off)
			lo = mid;
		else
			hi = mid;
	}
	f->line_hint = lo;
	at = line_start(f, lo);
found:
	*line = (unsigned)lo + 1;
	*col = (unsigned)(off - at) + 1;
}

uint32_t source_line_start(const struct source_set *s, uint32_t file, unsigned line)
{
	const struct source_file *f = source_get(s, file);
	return line >= 1 && line <= f->n_lines ? line_start(f, line - 1) : 0;
}

void source_line_col(const struct source_set *s, struct tunc_loc loc,
		     unsigned *line, unsigned *col)
{
	if (loc.file == 0 || loc.file >= s->n) {
		*line = *col = 0;
		return;
	}
	offset_line_col(&s->files[loc.file], loc.offset, line, col);
}

void source_end_line_col(const struct source_set *s, struct tunc_loc loc,
			 unsigned *line, unsigned *col)
{
	if (loc.file == 0 || loc.file >= s->n) {
		*line = *col = 0;
		return;
	}
	uint32_t last = loc.offset + (loc.length ? loc.length - 1 : 0);
	offset_line_col(&s->files[loc.file], last, line, col);
}

bool source_each_piece(const struct source_set *s, uint32_t file,
		       void (*take)(void *arg, const char *piece, size_t n), void *arg)
{
	if (file == 0 || file >= s->n)
		return false;
	size_t size = s->files[file].size;
	for (size_t at = 0; at < size; ) {
		size_t n = size - at < WINDOW_AHEAD ? size - at : WINDOW_AHEAD;
		const char *piece = text_range(s, file, at, at + n);
		if (!piece)
			return false;
		take(arg, piece, n);
		at += n;
	}
	return true;
}

/* Line LINE of FILE: its text (NULL if it cannot be read back), length
 * and first byte's offset; "" at 0 for a line out of range. */
static const char *line_at(const struct source_set *s, uint32_t file, unsigned line,
			   size_t *len, size_t *start)
{
	const struct source_file *f = source_get(s, file);
	*len = 0;
	*start = 0;
	if (line == 0 || line > f->n_lines)
		return "";
	if (file >= s->n)
		file = 0;
	size_t from = line_start(f, line - 1);
	size_t end = line < f->n_lines ? line_start(f, line) - 1 : f->size;
	const char *text = text_range(s, file, from, end);
	if (!text)
		return NULL;
	if (end > from && text[end - from - 1] == '\r')
		end--;
	*len = end - from;
	*start = from;
	return text;
}

const char *source_line_text(const struct source_set *s, uint32_t file,
			     unsigned line, size_t *len)
{
	size_t start;
	const char *text = line_at(s, file, line, len, &start);
	return text ? text : "";
}

/* Where column X (0-based, of the line) goes in the line as shown, for the
 * masked span [A, B) now at SHOWN_A, SHIFT being how much longer the shown
 * line is before the span: before it, shifted; inside it, the mask's start
 * (or, for an exclusive END inside it, the mask's end).  *DONE once set. */
static void place(size_t *x, bool *done, bool end, size_t a, size_t b, size_t shown_a,
		  long shift)
{
	if (*done)
		return;
	if (*x < a) {
		*x = (size_t)((long)*x + shift);
		*done = true;
	} else if (*x < b) {
		*x = end && *x > a ? shown_a + SOURCE_MASK_LEN : shown_a;
		*done = true;
	}
}

const char *source_line_shown(const struct source_set *s, uint32_t file,
			      unsigned line, size_t *len, char **to_free, size_t *from,
			      size_t *to)
{
	const struct source_file *f = source_get(s, file);
	*to_free = NULL;
	size_t start;
	const char *text = line_at(s, file, line, len, &start);
	if (!text)
		return NULL;
	size_t stop = start + *len;
	size_t pos = start;             /* next byte of the line to copy */
	long shift = 0;                 /* shown length minus original length so far */
	size_t out_n = 0, cap = 0;
	size_t dummy = 0;
	bool from_done = !from, to_done = !to;
	if (!from)
		from = &dummy;
	if (!to)
		to = &dummy;
	/* Only a span that starts at most the longest span's length before the
	 * line can reach into it. */
	uint32_t lo = start > f->secrets_longest ? (uint32_t)(start - f->secrets_longest) : 0;
	for (size_t i = secret_at_or_after(f, lo); i < f->n_secrets; i++) {
		size_t a = f->secrets[i].offset, b = a + f->secrets[i].length;
		if (a >= stop)
			break;
		if (a < pos)
			a = pos;        /* overlapping spans, or one from lines before */
		if (b > stop)
			b = stop;
		if (b <= a)
			continue;
		size_t keep = a - pos;
		if (out_n + keep + SOURCE_MASK_LEN + 1 > cap) {
			cap = 2 * (out_n + keep + SOURCE_MASK_LEN + 1) + *len;
			*to_free = xrealloc(*to_free, cap);
		}
		memcpy(*to_free + out_n, text + (pos - start), keep);
		out_n += keep;
		place(from, &from_done, false, a - start, b - start, out_n, shift);
		place(to, &to_done, true, a - start, b - start, out_n, shift);
		memset(*to_free + out_n, '*', SOURCE_MASK_LEN);
		out_n += SOURCE_MASK_LEN;
		shift += (long)SOURCE_MASK_LEN - (long)(b - a);
		pos = b;
	}
	if (!from_done)
		*from = (size_t)((long)*from + shift);
	if (!to_done)
		*to = (size_t)((long)*to + shift);
	if (!*to_free)
		return text;
	size_t rest = stop - pos;
	if (out_n + rest + 1 > cap) {
		cap = out_n + rest + 1;
		*to_free = xrealloc(*to_free, cap);
	}
	memcpy(*to_free + out_n, text + (pos - start), rest);
	out_n += rest;
	(*to_free)[out_n] = '\0';
	*len = out_n;
	return *to_free;
}

void source_mark_secret(struct source_set *s, struct tunc_loc loc)
{
	if (!loc.file || loc.file >= s->n || !loc.length)
		return;
	add_secret(&s->files[loc.file], loc.offset, loc.length);
}

const char *source_path(const struct source_set *s, struct tunc_loc loc)
{
	return source_get(s, loc.file)->path;
}

struct tunc_loc loc_span(struct tunc_loc a, struct tunc_loc b)
{
	if (a.file == 0)
		return b;
	if (b.file == 0 || b.file != a.file)
		return a;
	uint32_t start = a.offset < b.offset ? a.offset : b.offset;
	uint32_t end_a = a.offset + a.length, end_b = b.offset + b.length;
	uint32_t end = end_a > end_b ? end_a : end_b;
	return (struct tunc_loc){a.file, start, end - start};
}
