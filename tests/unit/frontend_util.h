/* Helpers for the unit tests: load a string through the library's one
 * loader (src/policy), count diagnostics. */
#ifndef TUNC_TEST_FRONTEND_UTIL_H
#define TUNC_TEST_FRONTEND_UTIL_H

#include <string.h>

#include "diag/diag.h"
#include "ir/ir.h"
#include "policy/policy.h"

/* A policy loaded from a string, and whether every stage asked for
 * succeeded.  The tests name the policy's fields directly (p.ir, p.diags,
 * p.model): the anonymous struct shares the policy's layout (a common
 * initial sequence, C11 6.5.2.3), so both names reach the same fields. */
struct parsed {
	union {
		struct policy pol;
		struct {
			struct source_set sources;
			struct ir ir;
			struct model *model;
			struct diag_list diags;
		};
	};
	bool ok;
};
_Static_assert(sizeof(struct policy) == sizeof(((struct parsed *)0)->pol),
	       "struct parsed mirrors struct policy");

static inline void load_text(struct parsed *p, const char *text, enum policy_stage upto)
{
	p->ok = policy_load_buffer(&p->pol, "test.tun", text, strlen(text), upto);
}

/* Parses TEXT, and resolves it when RESOLVE (no model). */
static inline void parse_text(struct parsed *p, const char *text, bool resolve)
{
	load_text(p, text, resolve ? POLICY_RESOLVED : POLICY_PARSED);
}

static inline void parsed_free(struct parsed *p)
{
	policy_free(&p->pol);
}

static inline size_t count_check(const struct parsed *p, const char *check)
{
	size_t n = 0;
	for (size_t i = 0; i < p->diags.n; i++)
		n += strcmp(p->diags.v[i].check, check) == 0;
	return n;
}

/* Line and column of diagnostic I. */
static inline void diag_pos(const struct parsed *p, size_t i, unsigned *line, unsigned *col)
{
	source_line_col(&p->sources, p->diags.v[i].loc, line, col);
}

#endif
