/* Diagnostics as data.  Every stage (parser, resolver, checks, compile)
 * appends to one diag_list; a writer (text, JSON, SARIF, JUnit) prints the
 * list once at the end. */
#ifndef TUNC_DIAG_H
#define TUNC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/source.h"

enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* A message, fix or note kept as its printf format and arguments, and
 * formatted only when written (src/diag/text.c): a big policy's lint makes
 * tens of thousands of findings, and the text report shows few of them. */
union diag_arg {
	long long i;
	unsigned long long u;
	double d;
	const char *s;                  /* a copy, in the list's arena */
	const void *p;
};
struct diag_text {
	const char *fmt;                /* NULL: no text */
	const union diag_arg *args;     /* one per conversion and per '*' */
};

struct diag_related {
	struct tunc_loc loc;
	struct diag_text message;
};

struct diag {
	struct tunc_loc loc;            /* the statement to change */
	enum diag_severity severity : 8;
	bool front_end : 1;             /* parse/resolve error: exit status 2 */
	uint32_t n_gateways, n_related;
	const char *check;              /* stable name: "syntax", "selector-mirror", ... */
	/* The message.  Its format (message.fmt, compared as a pointer) is
	 * the finding's kind: what makes findings of one check "the same
	 * finding" for many gateways (text output shows the first few of a
	 * kind and counts the rest). */
	struct diag_text message;
	struct diag_text fix;           /* a concrete fix, or fmt NULL */
	const char **gateways;          /* names involved (in the list's arena) */
	const char *tunnel;             /* the tunnel involved, or NULL */
	struct diag_related *related;   /* in the list's arena */
	struct arena *text;             /* where its strings live (its list's) */
};

/* Findings of one kind (check, message format and severity, as the text
 * writer folds them: src/diag/repeats.c) in a list that keeps only the
 * first few of each kind. */
struct diag_kind {
	const char *check, *fmt;
	enum diag_severity severity;
	size_t total, kept;
	struct tunc_loc last;           /* the last kept one, in diag_sort's order */
};

struct diag_list {
	struct diag *v;
	size_t n, cap;
	/* The findings' arguments, names and notes: a big policy's lint
	 * makes hundreds of thousands, freed together. */
	struct arena text;
	/* Warnings added while set are errors (-Werror). */
	bool warnings_as_errors;
	/* 0: every finding is kept.  Else only the first KEEP of each kind
	 * (in diag_sort's order: file, offset, then the order they were
	 * added) are kept and the others counted: what the text report of
	 * `tunc lint` shows (3 of a kind, and where the 4th is) without the
	 * 20,000 notes of a 10,000-spoke hub.  Front-end errors and findings
	 * of no check are always kept. */
	size_t keep;
	struct diag_kind *kinds;
	size_t n_kinds, kinds_cap;
	size_t *slots, n_slots;         /* hash of kinds: index, or SIZE_MAX */
	struct diag discarded;          /* what diag_add returns for a finding not kept */
};

/* Keeps FMT and its arguments in T (strings copied into A). */
void diag_text_set(struct diag_text *t, struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_text_vset(struct diag_text *t, struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Appends T as vsnprintf would have formatted it. */
struct strbuf;
void diag_text_put(struct strbuf *out, const struct diag_text *t);
/* T formatted: its one string, or the text in TMP; NULL for no text. */
const char *diag_text_cstr(const struct diag_text *t, struct strbuf *tmp);
/* T formatted into a string of A (NULL for no text). */
char *diag_text_format(const struct diag_text *t, struct arena *a);

/* A finding's texts formatted, as strings in its list's arena (each call
 * makes a new one: for tests and single findings, not for a loop over a
 * big list, which should use diag_text_put). */
const char *diag_message(const struct diag *d);
const char *diag_fix_text(const struct diag *d);
const char *diag_related_message(const struct diag *d, size_t i);

void diag_list_init(struct diag_list *l);
void diag_list_free(struct diag_list *l);
/* Keep only the first KEEP findings of each kind (see diag_list.keep),
 * those already in the list too. */
void diag_list_keep_first(struct diag_list *l, size_t keep);
/* Findings of one kind: same check, message format (compared as a
 * pointer) and severity.  Front-end errors and findings of no check are
 * each their own (never folded, always kept). */
bool diag_has_kind(const struct diag *d);
bool diag_same_kind(const struct diag *a, const struct diag *b);
/* How many findings of D's kind were added but not kept. */
size_t diag_unkept(const struct diag_list *l, const struct diag *d);

/* Appends a diagnostic and returns it for diag_related()/diag_fix()/...
 * (a finding the list does not keep is returned as a stand-in on which
 * those calls do nothing: valid until the next diag_add). */
struct diag *diag_add(struct diag_list *l, enum diag_severity sev,
		      const char *check, struct tunc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
struct diag *diag_vadd(struct diag_list *l, enum diag_severity sev,
		       const char *check, struct tunc_loc loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
/* A front-end error (syntax, names, values): severity error, exit status 2. */
struct diag *diag_front(struct diag_list *l, const char *check,
			struct tunc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_related(struct diag *d, struct tunc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_fix(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_gateway(struct diag *d, const char *name);
void diag_tunnel(struct diag *d, const char *name);

/* Counts every finding added, kept or not. */
size_t diag_count(const struct diag_list *l, enum diag_severity sev);
bool diag_has_front_end_errors(const struct diag_list *l);
/* Sorts by file, offset, then insertion order (stable), for deterministic output. */
void diag_sort(struct diag_list *l);

const char *diag_severity_name(enum diag_severity s);

#endif
