#include "config.h"
#include "util/source.h"
#include "util/arena.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void source_set_init(struct source_set *s)
{
	s->files = xcalloc(1, sizeof(*s->files));
	s->n = 1;
	s->files[0].path = xstrdup("<none>");
	s->files[0].text = xstrdup("");
	s->files[0].line_starts = xcalloc(1, sizeof(uint32_t));
	s->files[0].n_lines = 1;
}

void source_set_free(struct source_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->files[i].path);
		free(s->files[i].text);
		free(s->files[i].line_starts);
	}
	free(s->files);
	s->files = NULL;
	s->n = 0;
}

static void index_lines(struct source_file *f)
{
	size_t cap = 64, n = 0;
	f->line_starts = xmalloc(cap * sizeof(uint32_t));
	f->line_starts[n++] = 0;
	for (size_t i = 0; i < f->size; i++) {
		if (f->text[i] != '\n')
			continue;
		if (n == cap)
			f->line_starts = xrealloc(f->line_starts, (cap *= 2) * sizeof(uint32_t));
		f->line_starts[n++] = (uint32_t)(i + 1);
	}
	f->n_lines = n;
}

static uint32_t add_file(struct source_set *s, const char *name, char *text,
			 size_t size, struct tunc_loc from)
{
	s->files = xrealloc(s->files, (s->n + 1) * sizeof(*s->files));
	struct source_file *f = &s->files[s->n];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(name);
	f->text = text;
	f->size = size;
	f->included_from = from;
	index_lines(f);
	return (uint32_t)s->n++;
}

/* Inputs above this size are refused: offsets are 32-bit and nobody writes
 * a policy this large by hand. */
#define SOURCE_MAX_SIZE (1u << 30)

uint32_t source_load(struct source_set *s, const char *path, struct tunc_loc from)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	size_t cap = 65536, size = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (cap - size < 4096) {
			if (cap >= SOURCE_MAX_SIZE) {
				free(buf);
				fclose(fp);
				errno = EFBIG;
				return 0;
			}
			buf = xrealloc(buf, cap *= 2);
		}
		errno = 0;
		size_t got = fread(buf + size, 1, cap - size - 1, fp);
		size += got;
		if (got == 0)
			break;
	}
	/* fread's errno says why (EISDIR for a directory); EIO if it did not. */
	int err = ferror(fp) ? (errno ? errno : EIO) : 0;
	fclose(fp);
	if (err) {
		free(buf);
		errno = err;
		return 0;
	}
	buf[size] = '\0';
	return add_file(s, path, buf, size, from);
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

static void offset_line_col(const struct source_file *f, uint32_t off,
			    unsigned *line, unsigned *col)
{
	size_t lo = 0, hi = f->n_lines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (unsigned)lo + 1;
	*col = (unsigned)(off - f->line_starts[lo]) + 1;
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

const char *source_line_text(const struct source_set *s, uint32_t file,
			     unsigned line, size_t *len)
{
	const struct source_file *f = source_get(s, file);
	if (line == 0 || line > f->n_lines) {
		*len = 0;
		return "";
	}
	uint32_t start = f->line_starts[line - 1];
	size_t end = line < f->n_lines ? f->line_starts[line] - 1 : f->size;
	if (end > start && f->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return f->text + start;
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
