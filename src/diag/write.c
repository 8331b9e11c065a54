/* The writers' entry point and what they share: format names, colour,
 * line/column spans, text cleaning for JSON and XML, and a JSON writer. */
#include "config.h"
#include "diag/write_impl.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	enum diag_format format;
} formats[] = {
	{"text", DIAG_FORMAT_TEXT},
	{"json", DIAG_FORMAT_JSON},
	{"sarif", DIAG_FORMAT_SARIF},
	{"junit", DIAG_FORMAT_JUNIT},
};

bool diag_format_lookup(const char *name, enum diag_format *out)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0) {
			*out = formats[i].format;
			return true;
		}
	return false;
}

void diag_write(struct strbuf *out, enum diag_format format, const struct diag_list *diags,
		const struct source_set *sources, const struct diag_write_opts *opts)
{
	static const struct diag_write_opts defaults = {.color = false, .summary = true};
	if (!opts)
		opts = &defaults;
	switch (format) {
	case DIAG_FORMAT_TEXT: diag_write_text(out, diags, sources, opts); break;
	case DIAG_FORMAT_JSON: diag_write_json(out, diags, sources, opts); break;
	case DIAG_FORMAT_SARIF: diag_write_sarif(out, diags, sources, opts); break;
	case DIAG_FORMAT_JUNIT: diag_write_junit(out, diags, sources, opts); break;
	}
}

void diag_flush_point(struct strbuf *out, const struct diag_write_opts *opts)
{
	if (opts && opts->flush && out->len >= DIAG_FLUSH_SIZE)
		opts->flush(out, opts->flush_arg);
}

/* https://no-color.org: any non-empty NO_COLOR disables colour.  A dumb
 * terminal gets none either, as with GCC. */
bool diag_use_color(int fd)
{
	const char *no_color = getenv("NO_COLOR");
	if (no_color && *no_color)
		return false;
	const char *term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fd) == 1;
}

void diag_span_of(const struct source_set *s, struct tunc_loc loc, struct diag_span *out)
{
	memset(out, 0, sizeof(*out));
	if (loc.file == 0 || loc.file >= s->n)
		return;
	out->known = true;
	source_line_col(s, loc, &out->line, &out->col);
	source_end_line_col(s, loc, &out->end_line, &out->end_col);
}

void diag_count_all(const struct diag_list *l, struct diag_counts *out)
{
	out->errors = diag_count(l, DIAG_ERROR);
	out->warnings = diag_count(l, DIAG_WARNING);
	out->notes = diag_count(l, DIAG_NOTE);
}

/* The length of the valid UTF-8 sequence at P (at most N bytes), or 0.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n, unsigned long *cp)
{
	size_t len;
	unsigned long c, min;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		len = 2, c = p[0] & 0x1f, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3, c = p[0] & 0x0f, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4, c = p[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static bool xml_allowed(unsigned long c)
{
	if (c < 0x20)
		return c == '\t' || c == '\n' || c == '\r';
	return c != 0xfffe && c != 0xffff;
}

const char *diag_clean_text(const char *s, bool xml, struct strbuf *tmp)
{
	if (!s)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	unsigned long cp;
	/* Most text is clean: scan first and copy only when needed.  ASCII
	 * is taken a byte at a time without decoding. */
	for (;;) {
		while (i < n && p[i] < 0x80 &&
		       (!xml || p[i] >= 0x20 || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
			i++;
		if (i == n)
			return s;
		size_t len = utf8_seq(p + i, n - i, &cp);
		if (len == 0 || (xml && !xml_allowed(cp)))
			break;
		i += len;
	}
	strbuf_reset(tmp);
	strbuf_add(tmp, s, i);
	while (i < n) {
		size_t len = utf8_seq(p + i, n - i, &cp);
		if (len == 0 || (xml && !xml_allowed(cp))) {
			strbuf_puts(tmp, "\xef\xbf\xbd");   /* U+FFFD */
			i += len ? len : 1;
		} else {
			strbuf_add(tmp, s + i, len);
			i += len;
		}
	}
	return strbuf_cstr(tmp);
}

/* --- JSON writer --- */

void jw_init(struct jw *j, struct strbuf *b, unsigned pretty_depth)
{
	memset(j, 0, sizeof(*j));
	j->b = b;
	j->pretty_depth = pretty_depth;
}

static void jw_newline(struct jw *j, unsigned depth)
{
	strbuf_putc(j->b, '\n');
	for (unsigned i = 0; i < depth; i++)
		strbuf_puts(j->b, "  ");
}

/* Before a key, or a value that is not a key's: a comma and, within the
 * pretty depth, a new line. */
static void jw_before_value(struct jw *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma)
		strbuf_putc(j->b, ',');
	if (j->depth > 0 && j->depth <= j->pretty_depth)
		jw_newline(j, j->depth);
}

void jw_open(struct jw *j, char bracket)
{
	jw_before_value(j);
	strbuf_putc(j->b, bracket);
	j->depth++;
	j->need_comma = false;
}

void jw_close(struct jw *j, char bracket)
{
	j->depth--;
	if (j->need_comma && j->depth < j->pretty_depth)
		jw_newline(j, j->depth);
	strbuf_putc(j->b, bracket);
	j->need_comma = true;
	if (j->depth == 0)
		strbuf_putc(j->b, '\n');
}

void jw_key(struct jw *j, const char *key)
{
	jw_before_value(j);
	strbuf_json_string(j->b, key);
	strbuf_puts(j->b, j->depth <= j->pretty_depth ? ": " : ":");
	j->after_key = true;
}

/* Can byte C go into a JSON string as it is (ASCII, no escape)? */
static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* S as a JSON string literal, cleaned as diag_clean_text(S, false) cleans
 * it and escaped as strbuf_json_string escapes, in one pass: plain ASCII
 * is copied a run at a time, valid UTF-8 as it is, and each byte that
 * starts no valid sequence becomes U+FFFD (a big report is megabytes of
 * text, which cleaning and escaping took byte by byte, twice). */
static void put_json_text(struct strbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	strbuf_putc(b, '"');
	for (;;) {
		const unsigned char *run = p;
		while (json_plain(*p))
			p++;
		strbuf_add(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p < 0x80) {
			strbuf_json_escape(b, *p++);
			continue;
		}
		/* A NUL ends a sequence early, as the end of S would. */
		unsigned long cp;
		size_t len = utf8_seq(p, 4, &cp);
		if (len) {
			strbuf_add(b, (const char *)p, len);
			p += len;
		} else {
			strbuf_puts(b, "\xef\xbf\xbd");     /* U+FFFD */
			p++;
		}
	}
	strbuf_putc(b, '"');
}

void jw_str(struct jw *j, const char *s)
{
	if (!s) {
		jw_null(j);
		return;
	}
	jw_before_value(j);
	put_json_text(j->b, s);
	j->need_comma = true;
}

void jw_uint(struct jw *j, unsigned long v)
{
	jw_before_value(j);
	/* "%lu" without printf: five numbers a finding. */
	char digits[24], *d = digits + sizeof(digits);
	do {
		*--d = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	strbuf_add(j->b, d, (size_t)(digits + sizeof(digits) - d));
	j->need_comma = true;
}

void jw_null(struct jw *j)
{
	jw_before_value(j);
	strbuf_puts(j->b, "null");
	j->need_comma = true;
}

void jw_bool(struct jw *j, bool v)
{
	jw_before_value(j);
	strbuf_puts(j->b, v ? "true" : "false");
	j->need_comma = true;
}
