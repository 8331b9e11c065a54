#include "config.h"
#include "util/strbuf.h"
#include "util/arena.h"
#include "util/outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void strbuf_reset(struct strbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

static void reserve(struct strbuf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void strbuf_putc(struct strbuf *b, char c)
{
	if (b->len + 2 > b->cap)
		reserve(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	/* Format straight into the free space; only text longer than that
	 * is formatted a second time, after growing (big reports call this
	 * hundreds of thousands of times). */
	reserve(b, 64);
	size_t room = b->cap - b->len;
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(b->s + b->len, room, fmt, cp);
	va_end(cp);
	if (n <= 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		reserve(b, (size_t)n);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Does byte C need an escape in a JSON string? */
static bool json_escaped(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
}

void strbuf_json_escape(struct strbuf *b, unsigned char c)
{
	switch (c) {
	case '"': strbuf_puts(b, "\\\""); break;
	case '\\': strbuf_puts(b, "\\\\"); break;
	case '\n': strbuf_puts(b, "\\n"); break;
	case '\r': strbuf_puts(b, "\\r"); break;
	case '\t': strbuf_puts(b, "\\t"); break;
	default:
		if (json_escaped(c))
			strbuf_printf(b, "\\u%04x", c);
		else
			strbuf_putc(b, (char)c);
		break;
	}
}

void strbuf_json_string(struct strbuf *b, const char *s)
{
	strbuf_putc(b, '"');
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	for (;;) {
		/* Runs that need no escape are copied whole (a big report is
		 * megabytes of them). */
		const unsigned char *run = p;
		while (*p && !json_escaped(*p))
			p++;
		strbuf_add(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		strbuf_json_escape(b, *p++);
	}
	strbuf_putc(b, '"');
}

const char *strbuf_cstr(struct strbuf *b)
{
	return b->s ? b->s : "";
}

int strbuf_write_file(const struct strbuf *b, const char *path, unsigned mode)
{
	struct outfile of;
	if (outfile_open(&of, path, mode) != 0)
		return -1;
	if (outfile_write(&of, b->s, b->len) != 0) {
		outfile_abort(&of);
		return -1;
	}
	return outfile_commit(&of, true);
}
