/* A finding's message, fix and notes kept as their printf format and
 * arguments, formatted only when a writer prints them.  Linting a hub of
 * 10,000 spokes makes 20,000 notes of which the text report shows three:
 * formatting each when it was made was a fifth of the run's instructions
 * and most of the findings' memory.
 *
 * Capturing walks the format as printf would and keeps each argument by
 * its type (strings copied, since a check may pass a buffer on its stack);
 * writing prints each conversion on its own, which gives the bytes one
 * vsnprintf of the whole format would (printf's conversions are
 * independent of one another). */
#include "config.h"
#include "diag/diag.h"
#include "util/arena.h"
#include "util/strbuf.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* One conversion of a format: its text (from '%' to the conversion
 * character), what it takes and how it is printed. */
enum conv_class { CONV_NONE, CONV_INT, CONV_UINT, CONV_CHAR, CONV_STR, CONV_PTR, CONV_DOUBLE,
		  CONV_BAD };

struct conv {
	const char *start, *end;        /* "%-8s": start at '%', end after 's' */
	enum conv_class cls;
	char length[3];                 /* "", "hh", "h", "l", "ll", "j", "z", "t" */
	bool width_star, prec_star;
	long prec;                      /* -1: none (or '*') */
	bool plain;                     /* no flag, width or precision */
};

static bool is_flag(char c)
{
	return c == '-' || c == '+' || c == ' ' || c == '#' || c == '0' || c == '\'';
}

static bool is_length(char c)
{
	return c == 'h' || c == 'l' || c == 'j' || c == 'z' || c == 't' || c == 'L' || c == 'q';
}

/* Parses the conversion at PCT (a '%'). */
static void conv_parse(const char *pct, struct conv *c)
{
	c->start = pct;
	c->prec = -1;
	c->width_star = c->prec_star = false;
	const char *p = pct + 1;
	while (is_flag(*p))
		p++;
	if (*p == '*') {
		c->width_star = true;
		p++;
	} else {
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			c->prec_star = true;
			p++;
		} else {
			long v = 0;
			while (*p >= '0' && *p <= '9')
				v = v * 10 + (*p++ - '0');
			c->prec = v;
		}
	}
	c->plain = p == pct + 1;
	size_t nl = 0;
	while (nl < 2 && is_length(*p))
		c->length[nl++] = *p++;
	c->length[nl] = '\0';
	switch (*p) {
	case 'd': case 'i': c->cls = CONV_INT; break;
	case 'u': case 'o': case 'x': case 'X': c->cls = CONV_UINT; break;
	case 'c': c->cls = nl ? CONV_BAD : CONV_CHAR; break;
	case 's': c->cls = nl ? CONV_BAD : CONV_STR; break;
	case 'p': c->cls = CONV_PTR; break;
	case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
		c->cls = nl ? CONV_BAD : CONV_DOUBLE;
		break;
	case '%': c->cls = c->plain && !nl ? CONV_NONE : CONV_BAD; break;
	default: c->cls = CONV_BAD; break;     /* %n, %m, wide characters, ... */
	}
	if ((c->cls == CONV_INT || c->cls == CONV_UINT) && (c->length[0] == 'L' || c->length[0] == 'q'))
		c->cls = CONV_BAD;
	c->end = *p ? p + 1 : p;
}

/* The next conversion at or after P, or NULL. */
static const char *next_pct(const char *p)
{
	return strchr(p, '%');
}

static long long take_int(const struct conv *c, va_list *ap)
{
	const char *l = c->length;
	if (!l[0])
		return va_arg(*ap, int);
	if (l[0] == 'h')
		return l[1] == 'h' ? (signed char)va_arg(*ap, int) : (short)va_arg(*ap, int);
	if (l[0] == 'l')
		return l[1] == 'l' ? va_arg(*ap, long long) : va_arg(*ap, long);
	if (l[0] == 'j')
		return (long long)va_arg(*ap, intmax_t);
	if (l[0] == 'z')
		return (long long)va_arg(*ap, ssize_t);
	return (long long)va_arg(*ap, ptrdiff_t);
}

static unsigned long long take_uint(const struct conv *c, va_list *ap)
{
	const char *l = c->length;
	if (!l[0])
		return va_arg(*ap, unsigned);
	if (l[0] == 'h')
		return l[1] == 'h' ? (unsigned char)va_arg(*ap, unsigned)
				   : (unsigned short)va_arg(*ap, unsigned);
	if (l[0] == 'l')
		return l[1] == 'l' ? va_arg(*ap, unsigned long long) : va_arg(*ap, unsigned long);
	if (l[0] == 'j')
		return (unsigned long long)va_arg(*ap, uintmax_t);
	if (l[0] == 'z')
		return (unsigned long long)va_arg(*ap, size_t);
	/* %tu: the unsigned type of ptrdiff_t's size */
	return (unsigned long long)(size_t)va_arg(*ap, ptrdiff_t);
}

/* More arguments than this are kept by formatting the text at once. */
enum { MAX_KEPT_ARGS = 32 };

/* A text formatted when it was made (set_formatted) holds this mark as its
 * first argument and the text as its second: its format stays its kind. */
static const char formatted_mark;

static const char *formatted_text(const struct diag_text *t)
{
	return t->args && t->args[0].p == &formatted_mark ? t->args[1].s : NULL;
}

/* Formats FMT now, into a string of A that T holds (formatted_text). */
__attribute__((format(printf, 3, 0)))
static void set_formatted(struct diag_text *t, struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int len = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *s = arena_alloc(a, len > 0 ? (size_t)len + 1 : 1);
	if (len > 0)
		vsnprintf(s, (size_t)len + 1, fmt, ap);
	union diag_arg *args = arena_alloc(a, 2 * sizeof(*args));
	args[0].p = &formatted_mark;
	args[1].s = s;
	t->fmt = fmt;
	t->args = args;
}

void diag_text_vset(struct diag_text *t, struct arena *a, const char *fmt, va_list ap)
{
	/* The arguments are taken in one pass into KEPT; the strings they
	 * name are copied only once the whole format is known to be kept. */
	union diag_arg kept[MAX_KEPT_ARGS];
	long str_prec[MAX_KEPT_ARGS];           /* per kept string: its precision, or -1 */
	bool is_str[MAX_KEPT_ARGS];
	size_t n = 0;
	struct conv c;
	va_list aq;
	va_copy(aq, ap);
	for (const char *p = next_pct(fmt); p; p = next_pct(c.end)) {
		conv_parse(p, &c);
		if (c.cls == CONV_NONE)
			continue;
		if (c.cls == CONV_BAD || n + 3 > MAX_KEPT_ARGS) {
			va_end(aq);
			set_formatted(t, a, fmt, ap);
			return;
		}
		if (c.width_star) {
			is_str[n] = false;
			kept[n++].i = va_arg(aq, int);
		}
		long prec = c.prec;
		if (c.prec_star) {
			int v = va_arg(aq, int);
			is_str[n] = false;
			kept[n++].i = v;
			prec = v < 0 ? -1 : v;
		}
		is_str[n] = c.cls == CONV_STR;
		switch (c.cls) {
		case CONV_INT: kept[n].i = take_int(&c, &aq); break;
		case CONV_UINT: kept[n].u = take_uint(&c, &aq); break;
		case CONV_CHAR: kept[n].i = va_arg(aq, int); break;
		case CONV_PTR: kept[n].p = va_arg(aq, void *); break;
		case CONV_DOUBLE: kept[n].d = va_arg(aq, double); break;
		default:
			kept[n].s = va_arg(aq, const char *);
			str_prec[n] = prec;
			break;
		}
		n++;
	}
	va_end(aq);
	t->fmt = fmt;
	t->args = NULL;
	if (!n)
		return;
	/* One block for the arguments and the strings after them. */
	size_t len[MAX_KEPT_ARGS], total = n * sizeof(union diag_arg);
	for (size_t k = 0; k < n; k++) {
		/* A precision may stop before a NUL, or name a buffer with none. */
		const char *s = kept[k].s;
		if (!is_str[k] || !s)
			continue;
		len[k] = str_prec[k] >= 0 ? strnlen(s, (size_t)str_prec[k]) : strlen(s);
		total += len[k] + 1;
	}
	union diag_arg *args = arena_alloc(a, total);
	char *text = (char *)(args + n);
	for (size_t k = 0; k < n; k++) {
		args[k] = kept[k];
		if (!is_str[k] || !kept[k].s)
			continue;
		memcpy(text, kept[k].s, len[k]);
		text[len[k]] = '\0';
		args[k].s = text;
		text += len[k] + 1;
	}
	t->args = args;
}

void diag_text_set(struct diag_text *t, struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_text_vset(t, a, fmt, ap);
	va_end(ap);
}

static void put_ull(struct strbuf *out, unsigned long long v)
{
	char buf[24];
	char *p = buf + sizeof(buf);
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	strbuf_add(out, p, (size_t)(buf + sizeof(buf) - p));
}

/* A conversion with flags, width or precision: printf prints it, from its
 * own text with the length modifier made the one of the kept value. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void put_general(struct strbuf *out, const struct conv *c, const union diag_arg *args,
			size_t *k)
{
	char spec[64];
	size_t n = 0;
	/* The flags, width and precision as written ('*' taken from args). */
	const char *p = c->start;
	const char *conv = c->end - 1;
	while (p < conv && n < sizeof(spec) - 4) {
		if (strchr("hljztLq", *p) && p > c->start) {
			p++;
			continue;
		}
		spec[n++] = *p++;
	}
	if (c->cls == CONV_INT || c->cls == CONV_UINT) {
		spec[n++] = 'l';
		spec[n++] = 'l';
	}
	spec[n++] = *conv;
	spec[n] = '\0';
	int stars[2], ns = 0;
	if (c->width_star)
		stars[ns++] = (int)args[(*k)++].i;
	if (c->prec_star)
		stars[ns++] = (int)args[(*k)++].i;
	const union diag_arg *v = &args[(*k)++];
	char small[256];
	int len;
#define PUT(val)                                                                         \
	(ns == 0 ? snprintf(small, sizeof(small), spec, val)                             \
	 : ns == 1 ? snprintf(small, sizeof(small), spec, stars[0], val)                 \
		   : snprintf(small, sizeof(small), spec, stars[0], stars[1], val))
	switch (c->cls) {
	case CONV_INT: len = PUT(v->i); break;
	case CONV_UINT: len = PUT(v->u); break;
	case CONV_CHAR: len = PUT((int)v->i); break;
	case CONV_PTR: len = PUT(v->p); break;
	case CONV_DOUBLE: len = PUT(v->d); break;
	default: len = PUT(v->s); break;
	}
	if (len < 0)
		return;
	if ((size_t)len < sizeof(small)) {
		strbuf_add(out, small, (size_t)len);
		return;
	}
	char *big = xmalloc((size_t)len + 1);
	small[0] = '\0';
#undef PUT
#define PUT(val)                                                                         \
	(ns == 0 ? snprintf(big, (size_t)len + 1, spec, val)                             \
	 : ns == 1 ? snprintf(big, (size_t)len + 1, spec, stars[0], val)                 \
		   : snprintf(big, (size_t)len + 1, spec, stars[0], stars[1], val))
	switch (c->cls) {
	case CONV_INT: PUT(v->i); break;
	case CONV_UINT: PUT(v->u); break;
	case CONV_CHAR: PUT((int)v->i); break;
	case CONV_PTR: PUT(v->p); break;
	case CONV_DOUBLE: PUT(v->d); break;
	default: PUT(v->s); break;
	}
#undef PUT
	strbuf_add(out, big, (size_t)len);
	free(big);
}
#pragma GCC diagnostic pop

void diag_text_put(struct strbuf *out, const struct diag_text *t)
{
	if (!t->fmt)
		return;
	const char *done = formatted_text(t);
	if (done) {
		strbuf_puts(out, done);
		return;
	}
	const char *fmt = t->fmt;
	size_t k = 0;
	struct conv c;
	const char *p = fmt;
	for (const char *pct = next_pct(p); pct; pct = next_pct(p)) {
		strbuf_add(out, p, (size_t)(pct - p));
		conv_parse(pct, &c);
		p = c.end;
		if (c.cls == CONV_NONE) {
			strbuf_putc(out, '%');
		} else if (c.plain && c.cls == CONV_STR) {
			const char *s = t->args[k++].s;
			strbuf_puts(out, s ? s : "(null)");
		} else if (c.plain && c.cls == CONV_UINT && *(c.end - 1) == 'u') {
			put_ull(out, t->args[k++].u);
		} else if (c.plain && c.cls == CONV_INT) {
			long long v = t->args[k++].i;
			if (v < 0)
				strbuf_putc(out, '-');
			put_ull(out, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
		} else {
			put_general(out, &c, t->args, &k);
		}
	}
	strbuf_puts(out, p);
}

const char *diag_text_cstr(const struct diag_text *t, struct strbuf *tmp)
{
	if (!t->fmt)
		return NULL;
	/* A text that is one string is that string. */
	const char *done = formatted_text(t);
	if (done)
		return done;
	if (t->fmt[0] == '%' && t->fmt[1] == 's' && t->fmt[2] == '\0' && t->args[0].s)
		return t->args[0].s;
	strbuf_reset(tmp);
	diag_text_put(tmp, t);
	return strbuf_cstr(tmp);
}

char *diag_text_format(const struct diag_text *t, struct arena *a)
{
	if (!t->fmt)
		return NULL;
	struct strbuf b = STRBUF_INIT;
	diag_text_put(&b, t);
	char *s = arena_strndup(a, strbuf_cstr(&b), b.len);
	strbuf_free(&b);
	return s;
}
