/* The engine's record of a packet: the hops of its trace, its verdict
 * (decided once, by the first stage that decides), and the drop counters.
 * The stages that forward it are in forward.c; the writers of a trace in
 * trace.c. */
#include "config.h"
#include "engine/engine_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *addr_text(struct engine *e, const struct ip_addr *a)
{
	char buf[ADDR_STRLEN];
	addr_format(a, buf, sizeof(buf));
	return arena_strdup(&e->arena, buf);
}

/* FMT is trace_add's, checked by the compiler at each call (format
 * attribute on trace_add); passed on as a va_list here. */
__attribute__((format(printf, 2, 0)))
static char *vformat(struct engine *e, const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	return arena_strdup(&e->trace_arena, buf);
}

void trace_add(struct engine *e, const char *node, enum stage st, struct tunc_loc loc,
	       const char *fmt, ...)
{
	if (!e->cur || e->opts.no_traces)
		return;
	va_list ap;
	va_start(ap, fmt);
	struct trace_hop h = {node, st, vformat(e, fmt, ap), loc};
	va_end(ap);
	arena_vec_push(&e->trace_arena, &e->cur->hops, h);
}

void count_drop(struct engine *e, struct gw_state *gs, const char *reason)
{
	if (!gs)
		return;
	for (size_t i = 0; i < gs->drops.n; i++) {
		if (strcmp(gs->drops.v[i].reason, reason) == 0) {
			gs->drops.v[i].n++;
			return;
		}
	}
	struct reason_count rc = {arena_strdup(&e->arena, reason), 1};
	arena_vec_push(&e->arena, &gs->drops, rc);
}

static void decide(struct engine *e, enum verdict v, const char *node, enum stage st,
		   const char *reason)
{
	struct packet_result *r = e->cur;
	if (!r || r->decided)
		return;
	r->decided = true;
	r->verdict = v;
	r->at_node = node;
	r->at_stage = st;
	r->reason = reason;
}

void packet_drop(struct engine *e, struct gw_state *gs, const char *node, enum stage st,
		 struct tunc_loc loc, const char *category, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *why = vformat(e, fmt, ap);
	va_end(ap);
	trace_add(e, node, st, loc, "DROP %s", why);
	count_drop(e, gs, category);
	decide(e, VERDICT_DROPPED, node, st, why);
}

void packet_unreachable(struct engine *e, const char *node, enum stage st,
			struct tunc_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *why = vformat(e, fmt, ap);
	va_end(ap);
	trace_add(e, node, st, loc, "UNREACHABLE %s", why);
	decide(e, VERDICT_UNREACHABLE, node, st, why);
}

void packet_delivered(struct engine *e, const struct pkt *p)
{
	if (e->cur && !e->cur->decided)
		e->cur->tunnel = p->tunnel;
	decide(e, p->tunnel ? VERDICT_PROTECTED : VERDICT_CLEAR, NULL, STAGE_DELIVER,
	       p->tunnel ? NULL : "delivered without IPsec");
}

void packet_left_clear(struct engine *e, const struct pkt *p, const char *where)
{
	(void)p;
	decide(e, VERDICT_CLEAR, NULL, STAGE_WIRE, arena_strdup(&e->arena, where));
}

void packet_lost(struct engine *e, const char *node)
{
	decide(e, VERDICT_DROPPED, node, STAGE_WIRE, "lost");
}

struct packet_result *result_new(struct engine *e, const char *text)
{
	/* Without traces a reply's result is reused like its request's. */
	if (e->opts.no_traces && e->scratch_result[1] && e->cur == e->scratch_result[0]) {
		struct packet_result *r = e->scratch_result[1];
		*r = (struct packet_result){.send = text};
		return r;
	}
	struct packet_result *r = arena_alloc(&e->trace_arena, sizeof(*r));
	r->send = text;
	return r;
}


static int verdict_rank(enum verdict v)
{
	/* How well a packet fared: protected > clear > dropped/unreachable. */
	return v == VERDICT_PROTECTED ? 3 : v == VERDICT_CLEAR ? 2 : 1;
}

enum verdict packet_overall_verdict(const struct packet_result *r, const struct ir_tunnel **tunnel)
{
	enum verdict v = r->verdict;
	const struct ir_tunnel *t = r->tunnel;
	bool delivered = v == VERDICT_PROTECTED || (v == VERDICT_CLEAR && !r->at_node &&
						    r->at_stage == STAGE_DELIVER);
	if (delivered && r->reply) {
		const struct packet_result *rp = r->reply;
		if (verdict_rank(rp->verdict) < verdict_rank(v)) {
			v = rp->verdict;
			t = rp->tunnel;
		} else if (v == VERDICT_PROTECTED && rp->verdict == VERDICT_PROTECTED &&
			   rp->tunnel != r->tunnel) {
			t = r->tunnel;  /* asymmetric but protected both ways */
		}
	}
	/* TCP with `size`: the data segment after the handshake decides too. */
	const struct packet_result *sg = r->segment;
	if (sg && verdict_rank(sg->verdict) < verdict_rank(v)) {
		v = sg->verdict;
		t = sg->tunnel;
	}
	if (tunnel)
		*tunnel = v == VERDICT_PROTECTED ? t : NULL;
	return v;
}
