/* Filters as each platform's configuration can write them (filters.h). */
#include "config.h"
#include "model/filters.h"

#include <stdio.h>

bool filter_rule_redundant(const struct ir_filter *f, size_t r)
{
	if (f->rules.v[r].action != f->default_action)
		return false;
	for (size_t j = r + 1; j < f->rules.n; j++)
		if (f->rules.v[j].action != f->default_action)
			return false;
	return true;
}

static bool has_ports(const struct ir_filter_rule *r)
{
	return r->port_lo || r->port_hi;
}

bool filter_expressible(const struct platform_info *p, const struct ir_filter *f,
			const struct ir_filter_rule **rule, char *why, size_t size)
{
	*rule = NULL;
	if (!p->emit_target)
		return true;
	if (p->filter_form == FILTER_FORM_NONE) {
		snprintf(why, size, "%s filters with its own policy, which no tunc target writes",
			 p->description);
		return false;
	}
	if (f->dir == FILTER_OUT && !p->filter_out) {
		snprintf(why, size, "%s binds access lists to inbound traffic only "
			 "(access-group NAME in interface IF)", p->description);
		return false;
	}
	for (size_t i = 0; i < f->rules.n; i++) {
		const struct ir_filter_rule *r = &f->rules.v[i];
		*rule = r;
		if (filter_rule_family(r) == AF_V6 && !p->filter_ipv6) {
			snprintf(why, size, "%s's filters tunc writes are IPv4 only", p->description);
			return false;
		}
		if (has_ports(r) && r->proto != 6 && r->proto != 17) {
			snprintf(why, size, "a port is matched only on TCP or UDP");
			return false;
		}
		if (has_ports(r) && r->port_lo != r->port_hi && !p->filter_port_range) {
			snprintf(why, size, "%s filters match one port, not a range", p->description);
			return false;
		}
		if (p->filter_form == FILTER_FORM_ONE_ACTION && r->action == f->default_action &&
		    !filter_rule_redundant(f, i)) {
			snprintf(why, size, "%s filters take one action per list, the opposite of "
				 "the default (\"drop all except\" / \"receive all except\"), so a "
				 "rule with the default's action cannot come before one without",
				 p->description);
			return false;
		}
	}
	*rule = NULL;
	return true;
}
