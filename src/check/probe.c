/* Probes: the model's answer per stage (pre-checks) and the engine's
 * answer per packet (see probe.h). */
#include "config.h"
#include "model/filters.h"
#include "check/probe.h"

#include <stdio.h>
#include <string.h>

#include "check/util.h"
#include "engine/engine.h"
#include "util/strbuf.h"

struct probe_pkt probe_pkt_of(const struct selector *s)
{
	struct probe_pkt p;
	memset(&p, 0, sizeof(p));
	p.src = prefix_first_host(&s->src);
	p.dst = prefix_first_host(&s->dst);
	p.proto = s->proto == PROTO_ANY ? 1 : s->proto;
	p.dport = s->port_lo;
	return p;
}

const struct model_route *probe_route(const struct model_gateway *mg, const struct ip_addr *dst,
				      struct model_route *scratch)
{
	if (!mg || !dst->family)
		return NULL;
	return model_route_lookup(mg, dst, scratch);
}

const struct ir_interface *probe_route_iface(const struct model_gateway *mg,
					     const struct model_route *r)
{
	if (!r)
		return NULL;
	if (r->iface)
		return r->iface;
	if (!r->via.family || !mg)
		return NULL;
	const struct ir_gateway *g = mg->ir;
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		if (ifc->has_address && prefix_contains_addr(&ifc->address, &r->via))
			return ifc;
	}
	return NULL;
}

/* The packet as the model's matchers see it: ports only where the wire
 * packet has them (TCP, UDP), as the engine's parser finds them. */
static struct match_pkt match_view(const struct probe_pkt *p)
{
	unsigned proto = p->proto == PROTO_ANY ? 1 : p->proto;
	bool ports = proto == 6 || proto == 17;
	return (struct match_pkt){.src = p->src, .dst = p->dst, .proto = proto,
				  .has_ports = ports, .dport = ports ? p->dport : 0};
}

struct filter_verdict probe_filter(const struct platform_info *pl, const struct ir_filter *f,
				   bool own, const struct probe_pkt *p)
{
	if (pl && !filter_sees(pl, own))
		return (struct filter_verdict){FILTER_PERMIT, NULL};
	struct match_pkt m = match_view(p);
	return filter_match(pl, f, &m);
}

const struct ir_nat_rule *probe_nat(const struct model_gateway *mg, const struct probe_pkt *p,
				    const struct ir_interface *egress)
{
	if (!mg)
		return NULL;
	struct match_pkt m = match_view(p);
	return nat_match(mg, &m, egress).rule;
}

const struct spd_entry *probe_spd_tunnel(const struct ck_spd_out *out, const struct probe_pkt *p)
{
	for (size_t i = 0; i < out->refs.n; i++) {
		const struct spd_entry *e = ck_spd_out_at(out, i);
		if (spd_entry_matches(e, &p->src, &p->dst, p->proto, p->dport))
			return e;
	}
	return NULL;
}

/* ---- the engine ---- */

void probe_send_text(const struct probe_pkt *p, char *buf, size_t size)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];
	addr_format(&p->src, src, sizeof(src));
	addr_format(&p->dst, dst, sizeof(dst));
	unsigned proto = p->proto == PROTO_ANY ? 1 : p->proto;
	const char *name = protocol_name(proto);
	char pr[16];
	if (!name) {
		snprintf(pr, sizeof(pr), "%u", proto);
		name = pr;
	}
	if ((proto == 6 || proto == 17) && p->dport)
		snprintf(buf, size, "%s -> %s %s %u", src, dst, name, (unsigned)p->dport);
	else
		snprintf(buf, size, "%s -> %s %s", src, dst, name);
}

static bool gateway_has_address(const struct ir_gateway *g, const struct ip_addr *a)
{
	if (!g)
		return false;
	if (g->kind == GW_PEER)
		return addr_equal(&g->address, a);
	for (size_t i = 0; i < g->interfaces.n; i++)
		if (g->interfaces.v[i]->has_address && addr_equal(&g->interfaces.v[i]->address.addr, a))
			return true;
	return false;
}

struct ip_addr probe_host_of(const struct ip_prefix *p, const struct ir_gateway *g1,
			     const struct ir_gateway *g2)
{
	struct ip_addr first = prefix_first_host(p), a = first;
	for (int tries = 0; tries < 4; tries++) {
		if (!gateway_has_address(g1, &a) && !gateway_has_address(g2, &a))
			return a;
		struct ip_addr next = a;
		for (int i = (int)addr_max_len(&a) / 8 - 1; i >= 0; i--)
			if (++next.b[i] != 0)
				break;
		if (!prefix_contains_addr(p, &next))
			break;
		a = next;
	}
	return first;
}

/* The run's engine (check_cache), built on the first probe; without a
 * cache, one for this probe that the caller frees (*OWNED). */
static struct engine *probe_engine(struct check_ctx *ctx, bool *owned)
{
	*owned = false;
	if (ctx->cache && ctx->cache->engine)
		return ctx->cache->engine;
	if (!ctx->model)
		return NULL;
	/* No captures, no keylog: a probe writes nothing. */
	struct engine_options opts = {.seed = 1, .pcap_dir = NULL, .keylog_path = NULL};
	char err[256];
	struct engine *e = engine_new(ctx->model, &opts, err, sizeof(err));
	if (ctx->cache)
		ctx->cache->engine = e;
	else
		*owned = e != NULL;
	return e;
}

/* The translating NAT rule of gateway NODE whose statement is at LOC. */
static const struct ir_nat_rule *nat_rule_at(const struct ir *ir, const char *node,
					     struct tunc_loc loc)
{
	const struct ir_gateway *g = ir_find_gateway(ir, node);
	for (size_t i = 0; g && loc_known(loc) && i < g->nat.n; i++)
		if (loc_same(g->nat.v[i].loc, loc) && nat_rule_translates(&g->nat.v[i]))
			return &g->nat.v[i];
	return NULL;
}

/* The verdict line of `tunc run`'s trace, so the wording is the engine's own. */
static void fate_text(const struct engine *e, const struct packet_result *r, char *buf,
		      size_t size)
{
	struct strbuf t = STRBUF_INIT;
	engine_trace_text(&t, e, r);
	const char *s = strbuf_cstr(&t);
	const char *v = strstr(s, "\n  verdict: ");
	buf[0] = '\0';
	if (v) {
		v += strlen("\n  verdict: ");
		size_t n = strcspn(v, "\n");
		snprintf(buf, size, "%.*s", (int)n, v);
	}
	strbuf_free(&t);
}

bool probe_send(struct check_ctx *ctx, const char *send, struct probe_result *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->send, sizeof(out->send), "%s", send);
	out->loc = LOC_NONE;
	bool owned;
	struct engine *e = probe_engine(ctx, &owned);
	if (!e)
		return false;
	engine_rewind(e);
	struct engine_send s;
	char err[300];
	if (engine_parse_send(e, send, &s, err, sizeof(err))) {
		const struct packet_result *r = engine_send(e, &s, 1);
		out->ran = true;
		out->verdict = r->verdict;
		out->tunnel = r->tunnel;
		out->at_stage = r->at_stage;
		if (r->at_node)
			snprintf(out->at_node, sizeof(out->at_node), "%s", r->at_node);
		fate_text(e, r, out->fate, sizeof(out->fate));
		/* The deciding statement: the last hop at the node and stage
		 * that decided, else the last hop. */
		for (size_t i = r->hops.n; i-- > 0;) {
			const struct trace_hop *h = &r->hops.v[i];
			if (r->at_node && (h->stage != r->at_stage || strcmp(h->node, r->at_node) != 0))
				continue;
			out->loc = h->loc;
			break;
		}
		for (size_t i = 0; i < r->hops.n && !out->nat; i++) {
			const struct trace_hop *h = &r->hops.v[i];
			if (h->stage != STAGE_NAT)
				continue;
			out->nat = nat_rule_at(ctx->ir, h->node, h->loc);
			if (out->nat) {
				out->nat_node = ir_find_gateway(ctx->ir, h->node)->name;
				snprintf(out->nat_text, sizeof(out->nat_text), "%s", h->result);
			}
		}
	}
	engine_rewind(e);       /* its SAs' keys are wiped now, not at the end */
	if (owned)
		engine_free(e);
	return out->ran;
}

void probe_note(struct diag *d, const struct probe_result *pr, struct tunc_loc fallback)
{
	if (!d || !pr->ran)
		return;
	struct tunc_loc at = loc_known(pr->loc) ? pr->loc : fallback;
	if (pr->nat)
		diag_related(d, at, "the engine (tunc run --send '%s'): %s; on the way: %s NAT %s",
			     pr->send, pr->fate, pr->nat_node, pr->nat_text);
	else
		diag_related(d, at, "the engine (tunc run --send '%s'): %s", pr->send, pr->fate);
}

/* The subnets behind a tunnel end: its site's, or a peer's own. */
static const ir_prefix_vec *end_subnets(const struct ir_gateway *g)
{
	if (!g)
		return NULL;
	return g->kind == GW_PEER ? &g->subnets : g->site ? &g->site->subnets : NULL;
}

bool probe_from_end(struct check_ctx *ctx, const struct tview *tv, int a, struct probe_result *pr)
{
	if (!tv->mt[a])
		return false;
	struct selector_pairs sp = model_tunnel_selectors(tv->mt[a], 0);
	if (!sp.n)
		return false;
	struct selector sel = sp.v[0].sel;
	/* A route-based end's pair is any to any: its site's and the other
	 * end's first subnets stand for it. */
	const ir_prefix_vec *here = end_subnets(tv_gw(tv, a)), *there = end_subnets(tv_gw(tv, 1 - a));
	if (!sel.src.len && here && here->n)
		sel.src = here->v[0].p;
	if (!sel.dst.len && there && there->n)
		sel.dst = there->v[0].p;
	struct probe_pkt p = probe_pkt_of(&sel);
	p.src = probe_host_of(&sel.src, tv_gw(tv, 0), tv_gw(tv, 1));
	p.dst = probe_host_of(&sel.dst, tv_gw(tv, 0), tv_gw(tv, 1));
	char send[200];
	probe_send_text(&p, send, sizeof(send));
	return probe_send(ctx, send, pr);
}

void probe_note_from_end(struct check_ctx *ctx, struct diag *d, const struct tview *tv, int a)
{
	struct probe_result pr;
	if (probe_from_end(ctx, tv, a, &pr))
		probe_note(d, &pr, tv->t->loc);
}
