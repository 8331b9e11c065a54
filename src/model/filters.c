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

/* Can one packet match both A and B? */
static bool rules_overlap(const struct ir_filter_rule *a, const struct ir_filter_rule *b)
{
	if (!prefix_overlaps(&a->src.p, &b->src.p) || !prefix_overlaps(&a->dst.p, &b->dst.p))
		return false;
	if (a->proto != PROTO_ANY && b->proto != PROTO_ANY && a->proto != b->proto)
		return false;
	if (has_ports(a) && has_ports(b) && (a->port_hi < b->port_lo || b->port_hi < a->port_lo))
		return false;
	return true;
}

/* The filter of G's interface IFC in direction DIR (NULL: none). */
static const struct ir_filter *filter_in_dir(const struct ir_interface *ifc, enum filter_dir dir)
{
	return dir == FILTER_IN ? ir_iface_written(ifc)->filter_in : ir_iface_written(ifc)->filter_out;
}

/* FILTER_FORM_BLOCK_WINS: one default per direction for the whole device
 * (the firewall profile's), and rules without order. */
static bool block_wins_expressible(const struct platform_info *p, const struct ir_gateway *g,
				   const struct ir_filter *f, const struct ir_filter_rule **rule,
				   char *why, size_t size)
{
	const char *dir = f->dir == FILTER_IN ? "inbound" : "outbound";
	for (size_t i = 0; g && i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		const struct ir_filter *o = filter_in_dir(ifc, f->dir);
		if (o && o->default_action != f->default_action) {
			snprintf(why, size, "%s has one default action for %s traffic, for all "
				 "interfaces (Set-NetFirewallProfile), and filter %s on %s has the "
				 "other", p->description, dir, f->dir == FILTER_IN ? "in" : "out",
				 ifc->name);
			return false;
		}
		if (!o && f->default_action == FILTER_DROP) {
			snprintf(why, size, "%s has one default action for %s traffic, for all "
				 "interfaces (Set-NetFirewallProfile): `default drop` would close %s "
				 "too, which has no filter %s", p->description, dir, ifc->name,
				 f->dir == FILTER_IN ? "in" : "out");
			return false;
		}
	}
	for (size_t j = 0; j < f->rules.n; j++) {
		const struct ir_filter_rule *d = &f->rules.v[j];
		if (d->action != FILTER_DROP)
			continue;
		for (size_t i = 0; i < j; i++)
			if (f->rules.v[i].action == FILTER_PERMIT && rules_overlap(&f->rules.v[i], d)) {
				*rule = d;
				snprintf(why, size, "%s firewall rules have no order, a matching "
					 "block rule wins over an allow rule, so this drop rule would "
					 "also drop what the permit rule ahead of it lets through",
					 p->description);
				return false;
			}
	}
	return true;
}

bool filter_expressible(const struct platform_info *p, const struct ir_gateway *g,
			const struct ir_filter *f, const struct ir_filter_rule **rule, char *why,
			size_t size)
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
	if (p->filter_form == FILTER_FORM_BLOCK_WINS)
		return block_wins_expressible(p, g, f, rule, why, size);
	return true;
}
