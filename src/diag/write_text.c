/* The text form, as GCC and Clang print diagnostics:
 *
 *   site.tun:41:9: error: MESSAGE [-Wcheck-name]
 *      41 |         remote 10.1.0.0/16;
 *         |         ^~~~~~~~~~~~~~~~~~~
 *   site.tun:52:9: note: RELATED MESSAGE
 *   ...
 *   2 errors, 1 warning
 *
 * Columns count bytes.  The caret line copies the tabs of the source line
 * and gives each UTF-8 character one column, so the caret stays under the
 * culprit whatever the tab width. */
#include "config.h"
#include "diag/write_impl.h"

#include <stdlib.h>
#include <string.h>

/* Source lines longer than this are shown as a window of this many bytes,
 * starting this many before the culprit. */
enum { EXCERPT_MAX = 240, EXCERPT_BEFORE = 80 };

#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[1;32m"
#define C_RESET "\033[m"

static const char *severity_color(enum diag_severity s)
{
	switch (s) {
	case DIAG_ERROR: return C_RED;
	case DIAG_WARNING: return C_MAGENTA;
	default: return C_CYAN;
	}
}

static bool is_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static unsigned digits(unsigned v)
{
	unsigned n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* "FILE:LINE:COL: SEVERITY: " (or "tunc: SEVERITY: " with no location). */
static void put_head(struct strbuf *out, const struct source_set *s, struct tunc_loc loc,
		     enum diag_severity sev, bool color)
{
	struct diag_span sp;
	diag_span_of(s, loc, &sp);
	if (color)
		strbuf_puts(out, C_BOLD);
	if (sp.known)
		strbuf_printf(out, "%s:%u:%u:", source_path(s, loc), sp.line, sp.col);
	else
		strbuf_puts(out, "tunc:");
	if (color)
		strbuf_puts(out, C_RESET);
	strbuf_putc(out, ' ');
	if (color)
		strbuf_puts(out, severity_color(sev));
	strbuf_printf(out, "%s:", diag_severity_name(sev));
	if (color)
		strbuf_puts(out, C_RESET);
	strbuf_putc(out, ' ');
}

static bool is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* LEN bytes of TEXT, each control character as one space; clean runs are
 * copied whole. */
static void put_clean(struct strbuf *out, const char *text, size_t len)
{
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		if (!is_control((unsigned char)text[i]))
			continue;
		strbuf_add(out, text + run, i - run);
		strbuf_putc(out, ' ');
		run = i + 1;
	}
	strbuf_add(out, text + run, len - run);
}

/* The source line of LOC under a line-number gutter, and the caret line:
 * '^' under the first character, '~' under the rest of the location on
 * that line (a location spanning lines is underlined to the end of its
 * first line). */
static void put_excerpt(struct strbuf *out, const struct source_set *s, struct tunc_loc loc,
			bool color)
{
	struct diag_span sp;
	diag_span_of(s, loc, &sp);
	if (!sp.known)
		return;
	size_t len;
	char *shown;                    /* a key masked */
	size_t start = sp.col - 1;
	size_t end = sp.end_line == sp.line ? sp.end_col : SIZE_MAX;      /* exclusive */
	const char *text = source_line_shown(s, loc.file, sp.line, &len, &shown, &start,
					     end == SIZE_MAX ? NULL : &end);
	if (!text)
		return;         /* the file changed since it was parsed: no excerpt */
	if (end == SIZE_MAX)
		end = len;
	int width = (int)(digits(sp.line) < 5 ? 5 : digits(sp.line));

	if (start > len)
		start = len;
	if (end > len)
		end = len;
	if (end <= start)
		end = start + 1;                /* at least the caret */

	/* A very long line (generated or binary input) is shown as a window
	 * around the culprit, cut at character boundaries. */
	bool cut_before = false, cut_after = false;
	if (len > EXCERPT_MAX) {
		size_t from = start > EXCERPT_BEFORE ? start - EXCERPT_BEFORE : 0;
		while (from > 0 && is_continuation((unsigned char)text[from]))
			from--;
		size_t to = from + EXCERPT_MAX < len ? from + EXCERPT_MAX : len;
		while (to < len && is_continuation((unsigned char)text[to]))
			to++;
		cut_before = from > 0;
		cut_after = to < len;
		text += from;
		len = to - from;
		start -= from;
		end = end - from < len + 1 ? end - from : len + 1;
	}

	strbuf_printf(out, "%*u | %s", width, sp.line, cut_before ? "..." : "");
	/* Control characters would move the cursor: one space each. */
	put_clean(out, text, len);
	strbuf_puts(out, cut_after ? "...\n" : "\n");

	strbuf_printf(out, "%*s | %s", width, "", cut_before ? "   " : "");
	for (size_t i = 0; i < start; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\t')
			strbuf_putc(out, '\t');
		else if (!is_continuation(c))
			strbuf_putc(out, ' ');
	}
	if (color)
		strbuf_puts(out, C_GREEN);
	strbuf_putc(out, '^');
	for (size_t i = start + 1; i < end; i++) {
		if (i >= len || !is_continuation((unsigned char)text[i]))
			strbuf_putc(out, '~');
	}
	if (color)
		strbuf_puts(out, C_RESET);
	strbuf_putc(out, '\n');
	free(shown);
}

/* A message on one line: control characters (a newline too) become spaces
 * so that they can neither break the one-finding-a-line form nor move the
 * terminal's cursor.  TMP holds the formatted text. */
static void put_message(struct strbuf *out, const struct diag_text *msg, struct strbuf *tmp)
{
	const char *s = diag_text_cstr(msg, tmp);
	if (s)
		put_clean(out, s, strlen(s));
}

static bool fix_in_related(const struct diag *d, struct strbuf *tmp)
{
	if (!d->n_related)
		return false;
	struct strbuf rel = STRBUF_INIT;
	const char *fix = diag_text_cstr(&d->fix, tmp);
	bool found = false;
	for (size_t i = 0; i < d->n_related && !found; i++) {
		const char *m = diag_text_cstr(&d->related[i].message, &rel);
		found = m && strcmp(m, fix) == 0;
	}
	strbuf_free(&rel);
	return found;
}

void diag_text_one(struct strbuf *out, const struct diag *d,
		   const struct source_set *sources, bool color)
{
	struct strbuf tmp = STRBUF_INIT;
	put_head(out, sources, d->loc, d->severity, color);
	put_message(out, &d->message, &tmp);
	/* Front-end errors cannot be disabled, so they name no -W flag (as
	 * compilers print none for hard errors); `tunc explain` still knows them. */
	if (d->check && !d->front_end) {
		strbuf_puts(out, " [");
		if (color)
			strbuf_puts(out, severity_color(d->severity));
		strbuf_printf(out, "-W%s", d->check);
		if (color)
			strbuf_puts(out, C_RESET);
		strbuf_putc(out, ']');
	}
	strbuf_putc(out, '\n');
	put_excerpt(out, sources, d->loc, color);

	for (size_t i = 0; i < d->n_related; i++) {
		put_head(out, sources, d->related[i].loc, DIAG_NOTE, color);
		put_message(out, &d->related[i].message, &tmp);
		strbuf_putc(out, '\n');
		put_excerpt(out, sources, d->related[i].loc, color);
	}
	/* A fix that no related note already states: a note at the finding's
	 * own location (its line was shown just above). */
	if (d->fix.fmt && !fix_in_related(d, &tmp)) {
		put_head(out, sources, d->loc, DIAG_NOTE, color);
		strbuf_puts(out, "fix: ");
		put_message(out, &d->fix, &tmp);
		strbuf_putc(out, '\n');
	}
	strbuf_free(&tmp);
}

/* "hub.tun:45:13: note: 9997 more gateway-own-traffic notes like the 3
 * above, the next one here, are not shown; 'tunc lint --all' shows every
 * one" (at the first finding not shown). */
static void put_hidden(struct strbuf *out, const struct diag *next, size_t hidden, size_t shown,
		       const struct source_set *sources, const struct diag_write_opts *opts)
{
	put_head(out, sources, next->loc, DIAG_NOTE, opts->color);
	strbuf_printf(out, "%zu more %s %ss like the %zu above, the next one here, are not shown",
		      hidden, next->check, diag_severity_name(next->severity), shown);
	if (opts->repeat_hint)
		strbuf_printf(out, "; '%s' shows every one", opts->repeat_hint);
	strbuf_putc(out, '\n');
}

static void put_count(struct strbuf *out, bool *first, size_t n, const char *what)
{
	if (n == 0)
		return;
	strbuf_printf(out, "%s%zu %s%s", *first ? "" : ", ", n, what, n == 1 ? "" : "s");
	*first = false;
}

void diag_write_text(struct strbuf *out, const struct diag_list *diags,
		     const struct source_set *sources, const struct diag_write_opts *opts)
{
	struct diag_repeats rep;
	diag_repeats_init(&rep, diags, opts->repeat_limit);
	for (size_t i = 0; i < diags->n; i++) {
		if (!diag_repeats_show(&rep, i))
			continue;
		diag_text_one(out, &diags->v[i], sources, opts->color);
		size_t next, hidden = diag_repeats_hidden_after(&rep, i, &next);
		if (hidden)
			put_hidden(out, &diags->v[next], hidden, rep.limit, sources, opts);
		diag_flush_point(out, opts);
	}
	diag_repeats_free(&rep);
	if (!opts->summary)
		return;
	struct diag_counts c;
	diag_count_all(diags, &c);
	bool first = true;
	put_count(out, &first, c.errors, "error");
	put_count(out, &first, c.warnings, "warning");
	put_count(out, &first, c.notes, "note");
	strbuf_puts(out, first ? "no findings\n" : "\n");
}
