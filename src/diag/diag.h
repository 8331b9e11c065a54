/* Diagnostics as data.  Every stage (parser, resolver, checks, compile)
 * appends to one diag_list; a writer (text, JSON, SARIF, JUnit) prints the
 * list once at the end. */
#ifndef TUNC_DIAG_H
#define TUNC_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/source.h"

enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

struct diag_related {
	struct tunc_loc loc;
	char *message;
};

struct diag {
	enum diag_severity severity;
	const char *check;              /* stable name: "syntax", "selector-mirror", ... */
	char *message;
	struct tunc_loc loc;            /* the statement to change */
	char *fix;                      /* a concrete fix, or NULL */
	char **gateways;                /* names involved */
	size_t n_gateways;
	char *tunnel;                   /* the tunnel involved, or NULL */
	struct diag_related *related;
	size_t n_related;
	bool front_end;                 /* parse/resolve error: exit status 2 */
	/* What makes findings of one check "the same finding" for many
	 * gateways: the message's format (text output shows the first few
	 * of a kind and counts the rest).  Compared as a pointer. */
	const char *kind;
	struct arena *text;             /* where its strings live (its list's) */
};

struct diag_list {
	struct diag *v;
	size_t n, cap;
	/* The findings' strings (message, fix, names): a big policy's lint
	 * makes hundreds of thousands, freed together. */
	struct arena text;
};

void diag_list_init(struct diag_list *l);
void diag_list_free(struct diag_list *l);

/* Appends a diagnostic and returns it for diag_related()/diag_fix()/... */
struct diag *diag_add(struct diag_list *l, enum diag_severity sev,
		      const char *check, struct tunc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
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

size_t diag_count(const struct diag_list *l, enum diag_severity sev);
bool diag_has_front_end_errors(const struct diag_list *l);
/* Sorts by file, offset, then insertion order (stable), for deterministic output. */
void diag_sort(struct diag_list *l);

const char *diag_severity_name(enum diag_severity s);

#endif
