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

/* False when P's emitter cannot write F, a filter of gateway G: *RULE is
 * the first rule it cannot write (NULL: the filter as a whole) and WHY says
 * why, in words that follow "cannot write this filter: ".  A platform
 * without an emitter writes nothing and so is never asked.  Where rules
 * have no order (FILTER_FORM_BLOCK_WINS), a filter is written only when its
 * order changes nothing (no permit rule ahead of a drop rule that overlaps
 * it) and its default can be the device's one default for the direction
 * (every filter of G in that direction has it; a drop default needs a
 * filter on every interface), so that the engine's verdict is the
 * description's. */
bool filter_expressible(const struct platform_info *p, const struct ir_gateway *g,
			const struct ir_filter *f, const struct ir_filter_rule **rule, char *why,
			size_t size);

/* Does an interface filter of P see a packet?  OWN: to or from the device
 * itself (its IKE, ESP, management traffic), else routed through it.  The
 * ASA's access-groups are for through-the-box traffic (filters_skip_own),
 * Windows Firewall for the server's own (filters_host_only). */
static inline bool filter_sees(const struct platform_info *p, bool own)
{
	return own ? !p->filters_skip_own : !p->filters_host_only;
}

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
