/* The filter matcher (match.h): first match wins, else the default; where
 * the platform's rules have no order (FILTER_FORM_BLOCK_WINS: Windows
 * Firewall), a matching drop rule wins over a matching permit rule. */
#include "config.h"
#include "model/match.h"

#include <stddef.h>

static bool rule_matches(const struct ir_filter_rule *r, const struct match_pkt *p)
{
	/* prefix_contains_addr() also holds a rule to its address family. */
	if (!prefix_contains_addr(&r->src.p, &p->src) || !prefix_contains_addr(&r->dst.p, &p->dst))
		return false;
	if (r->proto != PROTO_ANY && r->proto != p->proto)
		return false;
	/* A port rule matches only a packet that has ports: `icmp 8` never
	 * matches an ICMP packet, as `tcp dport` in nftables or `eq` in a Cisco
	 * ACL only ever matches TCP or UDP. */
	if ((r->port_lo || r->port_hi) &&
	    (!p->has_ports || p->dport < r->port_lo || p->dport > r->port_hi))
		return false;
	return true;
}

struct filter_verdict filter_match(const struct platform_info *pl, const struct ir_filter *f,
				   const struct match_pkt *p)
{
	if (!f)
		return (struct filter_verdict){FILTER_PERMIT, NULL};
	if (pl && pl->filter_form == FILTER_FORM_BLOCK_WINS) {
		/* [MS-FASP] 2.2.34: block rules take precedence over allow rules. */
		const struct ir_filter_rule *allow = NULL;
		for (size_t i = 0; i < f->rules.n; i++) {
			const struct ir_filter_rule *r = &f->rules.v[i];
			if (!rule_matches(r, p))
				continue;
			if (r->action == FILTER_DROP)
				return (struct filter_verdict){FILTER_DROP, r};
			if (!allow)
				allow = r;
		}
		if (allow)
			return (struct filter_verdict){FILTER_PERMIT, allow};
		return (struct filter_verdict){f->default_action, NULL};
	}
	for (size_t i = 0; i < f->rules.n; i++)
		if (rule_matches(&f->rules.v[i], p))
			return (struct filter_verdict){f->rules.v[i].action, &f->rules.v[i]};
	return (struct filter_verdict){f->default_action, NULL};
}
