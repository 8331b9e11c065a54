/* Helpers for the front-end unit tests: parse a string, count diagnostics. */
#ifndef TUNC_TEST_FRONTEND_UTIL_H
#define TUNC_TEST_FRONTEND_UTIL_H

#include <string.h>

#include "diag/diag.h"
#include "ir/ir.h"

struct parsed {
	struct source_set sources;
	struct ir ir;
	struct diag_list diags;
	bool ok;
};

static inline void parse_text(struct parsed *p, const char *text, bool resolve)
{
	source_set_init(&p->sources);
	ir_init(&p->ir, &p->sources);
	diag_list_init(&p->diags);
	p->ok = ir_parse_buffer(&p->ir, "test.tun", text, strlen(text), &p->diags);
	if (p->ok && resolve)
		p->ok = ir_resolve(&p->ir, &p->diags);
}

static inline void parsed_free(struct parsed *p)
{
	ir_free(&p->ir);
	diag_list_free(&p->diags);
	source_set_free(&p->sources);
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
