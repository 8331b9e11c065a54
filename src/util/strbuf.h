/* A growable text buffer: the output abstraction of the emitters and writers.
 * Output is built whole in memory and written (or compared) at the end, so a
 * failed run never leaves half a file behind. */
#ifndef TUNC_STRBUF_H
#define TUNC_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>

struct strbuf {
	char *s;
	size_t len, cap;
};

#define STRBUF_INIT {NULL, 0, 0}

void strbuf_free(struct strbuf *b);
void strbuf_reset(struct strbuf *b);
void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Appends byte C as a JSON string holds it: escaped when it must be. */
void strbuf_json_escape(struct strbuf *b, unsigned char c);
/* Appends S as a JSON string literal, quotes included. */
void strbuf_json_string(struct strbuf *b, const char *s);
/* A NUL-terminated view (never NULL). */
const char *strbuf_cstr(struct strbuf *b);

/* Writes the buffer to PATH whole: a temporary file in the same directory,
 * fsync, then rename; a device or FIFO is written in place and a symbolic
 * link keeps pointing where it did (see util/outfile.h).  MODE is the new
 * file's permission bits (0600 for files holding keys).  Returns 0, or -1
 * with errno set. */
int strbuf_write_file(const struct strbuf *b, const char *path, unsigned mode);

#endif
