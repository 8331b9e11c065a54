/* Whether a platform's configuration can hold an interface filter exactly
 * as the engine runs it (first matching rule, else the default).  The lint
 * check filter-unsupported and the emitters ask the same question here, so
 * a filter is either written with its meaning intact or reported. */
#ifndef TUNC_MODEL_FILTERS_H
#define TUNC_MODEL_FILTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "ir/ir.h"
#include "platform/platform.h"

/* False when P's emitter cannot write F: *RULE is the first rule it cannot
 * write (NULL: the filter as a whole) and WHY says why, in words that follow
 * "cannot write this filter: ".  A platform without an emitter writes
 * nothing and so is never asked. */
bool filter_expressible(const struct platform_info *p, const struct ir_filter *f,
			const struct ir_filter_rule **rule, char *why, size_t size);

/* With FILTER_FORM_ONE_ACTION: does rule R of F change anything?  A rule
 * whose action is the default's, after every rule with the other action,
 * decides nothing the default would not: such a list is written without it. */
bool filter_rule_redundant(const struct ir_filter *f, size_t r);

/* The family a rule applies to: `any` takes its partner's (IPv4 when both
 * are `any`), as ir_resolve sets it and the engine matches it. */
static inline unsigned filter_rule_family(const struct ir_filter_rule *r)
{
	return r->src.p.addr.family;
}

#endif
