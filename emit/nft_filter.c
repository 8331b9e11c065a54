/* Interface filters on Linux as nftables chains, rule for rule as the
 * engine runs them (first match, else the default).
 *
 * Where they sit, as the model's Linux pipeline has them (platform.c): a
 * forwarded packet is filtered in the forward hook, after an inbound ESP
 * packet was decrypted (the policy-based xfrm path keeps the outside
 * interface as its input interface) and before an outbound one is
 * encrypted; the gateway's own packets, IKE and the ESP packets themselves,
 * pass the input and output hooks.  So `filter in` on IF is one chain that
 * the input and forward hooks jump to for `iifname IF`, `filter out` one for
 * `oifname IF` from the forward and output hooks.  Sources: nft(8)
 * (https://www.netfilter.org/projects/nftables/manpage.html), "Netfilter
 * hooks" in the nftables wiki (https://wiki.nftables.org/wiki-nftables/
 * index.php/Netfilter_hooks). */
#include "config.h"
#include "emit/nft_filter.h"
#include "emit/common.h"
#include "emit/filter_walk.h"
#include "model/filters.h"

#include <stdio.h>

#define NL "\n"
#define CMT "#"

/* nft identifiers: letters, digits and '_'. */
static void nft_ident(const char *prefix, const char *name, char *buf, size_t size)
{
	emit_name(buf, size, prefix, name);
	for (char *p = buf; *p; p++)
		if (*p == '-' || *p == '.')
			*p = '_';
}

static void chain_name(const struct ir_interface *ifc, const struct ir_filter *f, char *buf,
		       size_t size)
{
	char raw[EMIT_NAME_MAX];
	snprintf(raw, sizeof(raw), "%s_%s", f->dir == FILTER_IN ? "in" : "out", ifc->name);
	nft_ident("", raw, buf, size);
}

static void put_addr(struct strbuf *out, const char *which, const struct ip_prefix *p)
{
	if (p->len == 0)
		return;
	char a[ADDR_STRLEN];
	prefix_format(p, a, sizeof(a), true);
	strbuf_printf(out, " %s %s %s", p->addr.family == AF_V6 ? "ip6" : "ip", which, a);
}

static void put_rule(struct strbuf *out, const struct ir_filter_rule *r)
{
	/* The family is always said: `any -> any` matches IPv4 only, as the
	 * engine has it (ir_resolve gives `any` its partner's family). */
	strbuf_printf(out, "\t\tmeta nfproto %s", filter_rule_family(r) == AF_V6 ? "ipv6" : "ipv4");
	put_addr(out, "saddr", &r->src.p);
	put_addr(out, "daddr", &r->dst.p);
	if (r->port_lo || r->port_hi) {
		const char *l4 = r->proto == 6 ? "tcp" : "udp";
		if (r->port_lo == r->port_hi)
			strbuf_printf(out, " %s dport %u", l4, r->port_lo);
		else
			strbuf_printf(out, " %s dport %u-%u", l4, r->port_lo, r->port_hi);
	} else if (r->proto != PROTO_ANY) {
		strbuf_printf(out, " meta l4proto %u", r->proto);
	}
	strbuf_puts(out, r->action == FILTER_PERMIT ? " accept" NL : " drop" NL);
}

struct nft_chains {
	struct emit_ctx *ctx;
	struct strbuf *out;
};

static void write_chain(void *arg, const struct ir_interface *ifc, const struct ir_filter *f)
{
	struct nft_chains *w = arg;
	char chain[EMIT_NAME_MAX], where[512];
	chain_name(ifc, f, chain, sizeof(chain));
	emit_loc_text(w->ctx, f->loc, where, sizeof(where));
	strbuf_printf(w->out, "\tchain %s {" NL "\t\t# filter %s on %s (%s)" NL, chain,
		      f->dir == FILTER_IN ? "in" : "out", ifc->name, where);
	for (size_t r = 0; r < f->rules.n; r++)
		put_rule(w->out, &f->rules.v[r]);
	strbuf_puts(w->out, f->default_action == FILTER_PERMIT ? "\t\taccept" NL : "\t\tdrop" NL);
	strbuf_puts(w->out, "\t}" NL);
}

bool emit_nft_filters(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	const struct ir_gateway *g = mg->ir;
	bool any = false;
	for (size_t i = 0; i < g->interfaces.n; i++)
		any |= ir_iface_written(g->interfaces.v[i])->filter_in || ir_iface_written(g->interfaces.v[i])->filter_out;
	if (!any)
		return true;
	char table[EMIT_NAME_MAX];
	nft_ident("tunc_filter_", g->name, table, sizeof(table));
	strbuf_printf(out, CMT " Interface filters, first match as described.  Table inet %s is "
		      "tunc's own: it is deleted and rebuilt, nothing else is touched." NL, table);
	strbuf_puts(out, "nft -f - <<'TUNC_NFT'" NL);
	strbuf_printf(out, "table inet %s" NL "delete table inet %s" NL "table inet %s {" NL, table,
		      table, table);
	/* One chain per filter, its rules then its default. */
	struct nft_chains w = {ctx, out};
	bool ok = emit_each_filter(ctx, mg, "xfrm", write_chain, &w);
	/* The hooks: which packets each chain sees (see the top of this file). */
	static const struct {
		const char *hook;
		bool in, out;
	} hooks[] = {{"input", true, false}, {"forward", true, true}, {"output", false, true}};
	for (size_t h = 0; h < sizeof(hooks) / sizeof(hooks[0]); h++) {
		strbuf_printf(out, "\tchain %s {" NL "\t\ttype filter hook %s priority 0; "
			      "policy accept;" NL, hooks[h].hook, hooks[h].hook);
		for (size_t i = 0; i < g->interfaces.n; i++) {
			const struct ir_interface *ifc = g->interfaces.v[i];
			char chain[EMIT_NAME_MAX];
			if (hooks[h].in && ir_iface_written(ifc)->filter_in) {
				chain_name(ifc, ir_iface_written(ifc)->filter_in, chain, sizeof(chain));
				strbuf_printf(out, "\t\tiifname \"%s\" jump %s" NL, ifc->name, chain);
			}
			if (hooks[h].out && ir_iface_written(ifc)->filter_out) {
				chain_name(ifc, ir_iface_written(ifc)->filter_out, chain, sizeof(chain));
				strbuf_printf(out, "\t\toifname \"%s\" jump %s" NL, ifc->name, chain);
			}
		}
		strbuf_puts(out, "\t}" NL);
	}
	strbuf_puts(out, "}" NL "TUNC_NFT" NL);
	return ok;
}
