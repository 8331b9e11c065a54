/* What the writers (write_*.c) share; not for other modules. */
#ifndef TUNC_DIAG_WRITE_IMPL_H
#define TUNC_DIAG_WRITE_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/write.h"

/* A location as line and column numbers, both ends inclusive (the end is
 * the last character covered).  KNOWN is false for file 0 ("none"). */
struct diag_span {
	bool known;
	unsigned line, col, end_line, end_col;
};
void diag_span_of(const struct source_set *s, struct tunc_loc loc, struct diag_span *out);

/* S if it is valid UTF-8 (and, for XML, holds no character XML 1.0
 * forbids); otherwise a copy in TMP with each bad byte replaced by U+FFFD.
 * NULL stays NULL. */
const char *diag_clean_text(const char *s, bool xml, struct strbuf *tmp);

struct diag_counts {
	size_t errors, warnings, notes;
};
void diag_count_all(const struct diag_list *l, struct diag_counts *out);

/* A small JSON writer: commas, escaping and indentation.  Containers nested
 * deeper than PRETTY_DEPTH are written on one line. */
struct jw {
	struct strbuf *b;
	unsigned depth, pretty_depth;
	bool need_comma, after_key;
};
void jw_init(struct jw *j, struct strbuf *b, unsigned pretty_depth);
void jw_open(struct jw *j, char bracket);       /* '{' or '[' */
void jw_close(struct jw *j, char bracket);      /* '}' or ']' */
void jw_key(struct jw *j, const char *key);
void jw_str(struct jw *j, const char *s);       /* NULL -> null */
void jw_uint(struct jw *j, unsigned long v);
void jw_null(struct jw *j);
void jw_bool(struct jw *j, bool v);

/* Text output at scale (repeats.c): the first LIMIT findings of each kind
 * are shown, the rest counted.  Call diag_repeats_show() for each finding
 * in order; after showing finding I, diag_repeats_hidden_after() gives how
 * many of its kind are not shown (0: none, or not yet the place to say so)
 * and the first of them in *NEXT. */
struct diag_repeats {
	size_t limit;                   /* 0: show everything */
	size_t *group;                  /* per finding: its kind, SIZE_MAX: never folded */
	size_t *total, *shown, *first_hidden;   /* per kind */
};
void diag_repeats_init(struct diag_repeats *r, const struct diag_list *l, size_t limit);
void diag_repeats_free(struct diag_repeats *r);
bool diag_repeats_show(struct diag_repeats *r, size_t i);
size_t diag_repeats_hidden_after(const struct diag_repeats *r, size_t i, size_t *next);

void diag_write_text(struct strbuf *out, const struct diag_list *diags,
		     const struct source_set *sources, const struct diag_write_opts *opts);
/* One finding in the text form (location line, excerpt, notes). */
void diag_text_one(struct strbuf *out, const struct diag *d,
		   const struct source_set *sources, bool color);
void diag_write_json(struct strbuf *out, const struct diag_list *diags,
		     const struct source_set *sources, const struct diag_write_opts *opts);
/* Between two findings: hands OUT to opts->flush once it is big enough. */
void diag_flush_point(struct strbuf *out, const struct diag_write_opts *opts);
void diag_write_sarif(struct strbuf *out, const struct diag_list *diags,
		      const struct source_set *sources, const struct diag_write_opts *opts);
void diag_write_junit(struct strbuf *out, const struct diag_list *diags,
		      const struct source_set *sources, const struct diag_write_opts *opts);

#endif
