/* The engine's life: building it on a model, sending a packet into it
 * (forward.c carries the packet, record.c records its fate), rewinding and
 * freeing it. */
#include "config.h"
#include "engine/engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct gw_state *gw_state_find(const struct engine *e, const struct model_gateway *mg)
{
	/* A lookup only: the pointer order never shows in any output. */
	uintptr_t want = (uintptr_t)mg;
	size_t lo = 0, hi = e->gws.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uintptr_t at = (uintptr_t)e->gws_by_mg[mid]->mg;
		if (at == want)
			return e->gws_by_mg[mid];
		if (at < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct gw_state *gw_state_of(struct engine *e, const struct model_gateway *mg)
{
	return gw_state_find(e, mg);
}

long gateway_index(const struct engine *e, const struct model_gateway *mg)
{
	const struct gw_state *gs = gw_state_find(e, mg);
	return gs ? (long)(gs - e->gws.v) : -1;   /* gws is indexed like m->gateways */
}

static int gw_state_ptr_cmp(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)(*(struct gw_state *const *)x)->mg;
	uintptr_t b = (uintptr_t)(*(struct gw_state *const *)y)->mg;
	return a < b ? -1 : a > b;
}

/* ---- the engine ---- */

struct engine *engine_new(const struct model *m, const struct engine_options *opts,
			  char *err, size_t err_size)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	arena_init(&e->arena);
	arena_init(&e->trace_arena);
	e->m = m;
	e->ir = m->ir;
	e->opts = *opts;
	drbg_init(&e->keys, opts->seed, "tunc engine keys");
	drbg_init(&e->ivs, opts->seed, "tunc engine ivs");
	for (size_t i = 0; i < m->gateways.n; i++) {
		struct gw_state gs;
		memset(&gs, 0, sizeof(gs));
		gs.mg = m->gateways.v[i];
		arena_vec_push(&e->arena, &e->gws, gs);
	}
	e->gws_by_mg = arena_alloc(&e->arena, (e->gws.n ? e->gws.n : 1) * sizeof(*e->gws_by_mg));
	for (size_t i = 0; i < e->gws.n; i++)
		e->gws_by_mg[i] = &e->gws.v[i];
	qsort(e->gws_by_mg, e->gws.n, sizeof(*e->gws_by_mg), gw_state_ptr_cmp);
	topology_build(e);
	if (opts->pcap_dir && !capture_open(e, err, err_size)) {
		engine_free(e);
		return NULL;
	}
	return e;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	capture_discard(e);
	sa_free_all(e);
	u64map_free(&e->sa_out_ix);
	u64map_free(&e->sa_in_ix);
	u64map_free(&e->spi_ix);
	u64map_free(&e->policy_tunnel_ix);
	u64map_free(&e->policy_peer_ix);
	u64map_free(&e->inner_ix);
	u64map_free(&e->pat_ix);
	arena_free(&e->trace_arena);
	arena_free(&e->arena);
	free(e);
}

void engine_rewind(struct engine *e)
{
	sa_free_all(e);
	pat_reset(e);
	drbg_init(&e->keys, e->opts.seed, "tunc engine keys");
	drbg_init(&e->ivs, e->opts.seed, "tunc engine ivs");
	e->ip_id = 0;
	e->events = 0;
}

void engine_forget_traces(struct engine *e)
{
	arena_reset(&e->trace_arena);
}

bool engine_finish(struct engine *e, char *err, size_t err_size)
{
	capture_close(e);
	if (e->pcap_error[0]) {
		snprintf(err, err_size, "%s", e->pcap_error);
		return false;
	}
	if (e->opts.keylog_path && !keylog_write(e, err, err_size))
		return false;
	return true;
}

/* The address a gateway sources its own traffic to DST from: the address of
 * the interface its route to DST leaves by (LANGUAGE.md: "as its platform
 * sources it"). */
static struct ip_addr own_source(const struct model_gateway *mg, const struct ip_addr *dst)
{
	const struct ir_gateway *g = mg->ir;
	if (g->kind == GW_PEER)
		return g->address;
	struct model_route scratch;
	const struct model_route *r = model_route_lookup(mg, dst, &scratch);
	if (r && r->iface && r->iface->has_address &&
	    r->iface->address.addr.family == dst->family)
		return r->iface->address.addr;
	for (size_t i = 0; i < g->interfaces.n; i++)
		if (g->interfaces.v[i]->outside && g->interfaces.v[i]->has_address)
			return g->interfaces.v[i]->address.addr;
	return g->interfaces.n ? g->interfaces.v[0]->address.addr : g->address;
}

/* Puts the packet P of SPEC on its way from its sender (S's source). */
static void inject(struct engine *e, const struct engine_send *s, const struct pkt_spec *spec,
		   struct pkt *p, const char *src_name)
{
	if (s->src_gw) {
		struct model_gateway *mg = model_gateway_of(e->m, s->src_gw);
		start_pass(e, mg, NULL, p, true, true);
		return;
	}
	const struct ir_interface *iface = NULL;
	struct model_gateway *mg = inner_owner_of(e, &spec->src, &iface);
	const struct ir_interface *own_if = NULL;
	bool via_nat = false;
	struct model_gateway *owner = mg ? NULL : owner_of(e, &spec->src, &own_if, &via_nat);
	if (owner) {
		start_pass(e, owner, NULL, p, true, true);
	} else if (!mg) {
		packet_unreachable(e, src_name, STAGE_ROUTE, LOC_NONE,
				   "%s is in no site and behind no peer", src_name);
	} else {
		char desc[200] = "";
		if (trace_on(e)) {
			pkt_describe(&p->pi, desc, sizeof(desc));
			if (p->len > 200 || p->pi.df)
				snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc),
					 ", %zu bytes%s", p->len, p->pi.df ? ", DF" : "");
		}
		if (iface) {
			uint8_t smac[6], dmac[6];
			mac_of_addr(&spec->src, smac);
			mac_of_iface(e, mg, iface, dmac);
			capture_frame(e, mg, iface, smac, dmac, p);
			trace_add(e, src_name, STAGE_WIRE, LOC_NONE, "%s to %s (%s)", desc,
				  mg->ir->name, iface->name);
		} else {
			trace_add(e, src_name, STAGE_WIRE, LOC_NONE, "%s to %s", desc, mg->ir->name);
		}
		start_pass(e, mg, iface, p, true, false);
	}
}

/* TCP with `size N`: once the SYN was answered, the data segment, as large
 * as N or as the MSS the SYN-ACK brought back allows (RFC 9293 3.7.1). */
static void send_segment(struct engine *e, const struct engine_send *s, struct packet_result *r,
			 struct pkt_spec spec, const char *src_name)
{
	const struct packet_result *rp = r->reply;
	if (!rp || packet_overall_verdict(r, NULL) == VERDICT_DROPPED ||
	    packet_overall_verdict(r, NULL) == VERDICT_UNREACHABLE)
		return;
	size_t headers = (spec.src.family == AF_V6 ? 40 : 20) + 20;
	size_t size = s->size;
	if (rp->mss_received && rp->mss_received + headers < size)
		size = rp->mss_received + headers;
	spec.tcp_data = true;
	spec.mss = 0;
	spec.size = size;
	spec.ip_id = ++e->ip_id;
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];
	addr_format(&spec.src, src, sizeof(src));
	addr_format(&spec.dst, dst, sizeof(dst));
	struct packet_result *seg = result_new(e, arena_printf(&e->arena,
		"%s -> %s tcp %u (data, %zu bytes%s%s)", src, dst, spec.dport, size,
		size < s->size ? ": the MSS allows no more" : "", spec.df ? ", DF" : ""));
	r->segment = seg;
	e->cur = seg;
	struct pkt *p = xcalloc(1, sizeof(*p));
	p->len = pkt_build(&spec, p->buf, sizeof(p->buf));
	if (p->len && pkt_refresh(p))
		inject(e, s, &spec, p, src_name);
	if (!seg->decided)
		packet_lost(e, src_name);
	free(p);
	e->cur = r;
}

struct packet_result *engine_send(struct engine *e, const struct engine_send *s, uint16_t seq)
{
	struct packet_result *r;
	if (e->opts.no_traces) {
		/* One result, reused: nothing of it is kept but what the caller counts. */
		if (!e->scratch_result[0]) {
			e->scratch_result[0] = arena_alloc(&e->arena, sizeof(struct packet_result));
			e->scratch_result[1] = arena_alloc(&e->arena, sizeof(struct packet_result));
		}
		r = e->scratch_result[0];
		*r = (struct packet_result){.send = s->text};
	} else {
		r = result_new(e, s->text);
	}
	r->wants_reply = s->reply && s->proto == IPPROTO_UDP_;
	e->cur = r;

	struct pkt *p = xcalloc(1, sizeof(*p));
	struct pkt_spec spec;
	memset(&spec, 0, sizeof(spec));
	spec.src = s->src;
	spec.dst = s->dst;
	if (s->src_gw) {
		struct model_gateway *mg = model_gateway_of(e->m, s->src_gw);
		if (mg)
			spec.src = own_source(mg, &s->dst);
	}
	spec.proto = s->proto == PROTO_ANY ? IPPROTO_ICMP_ : s->proto;
	spec.sport = (uint16_t)(49152 + seq);
	spec.dport = s->port;
	spec.echo_id = 1;
	spec.echo_seq = seq;
	spec.ip_id = ++e->ip_id;
	spec.df = s->df;
	bool tcp_sized = spec.proto == IPPROTO_TCP_ && s->size;
	/* A TCP connection opens with a small SYN whose MSS says how big the
	 * sender's segments may be (the hosts' links carry SIZE); the segment
	 * of SIZE follows (send_segment).  Other protocols are SIZE at once. */
	size_t headers = (spec.src.family == AF_V6 ? 40 : 20) + 20;
	e->host_mss = tcp_sized ? (uint16_t)(s->size - headers) : 0;
	spec.mss = e->host_mss;
	spec.size = tcp_sized ? 0 : s->size;
	const char *src_name = s->src_gw ? s->src_gw->name : s->src_host ? s->src_host->name
									  : addr_text(e, &spec.src);
	if (spec.src.family != spec.dst.family) {
		packet_unreachable(e, src_name, STAGE_ROUTE, LOC_NONE,
				   "source and destination are of different address families");
		free(p);
		e->cur = NULL;
		return r;
	}
	p->len = pkt_build(&spec, p->buf, sizeof(p->buf));
	pkt_refresh(p);
	inject(e, s, &spec, p, src_name);
	if (!r->decided)
		packet_lost(e, src_name);
	free(p);
	if (tcp_sized)
		send_segment(e, s, r, spec, src_name);
	e->host_mss = 0;
	e->cur = NULL;
	return r;
}
