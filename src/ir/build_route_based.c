/* The parser's actions for route-based tunnels and their sizes:
 * `route-based PREFIX;`, `tcp-mss auto|N|off;` and `dpd DURATION;` in a
 * tunnel or a per-end block, `mtu N;` in an interface (LANGUAGE.md,
 * doc/route-based.md).  Values are checked here, at their tokens. */
#include "config.h"
#include "ir/build.h"

#include <string.h>

/* The smallest IPv4 MTU a host must accept (RFC 791: 68); the largest an
 * IP packet can be. */
#define MTU_MIN 68
#define MTU_MAX 65535
/* An MSS leaves room for at least the 40 bytes of IPv4 and TCP headers in
 * the largest packet; below 88 (RFC 9293's 536 less everything optional)
 * no TCP stack clamps. */
#define MSS_MIN 88
#define MSS_MAX 65495
/* Dead-peer detection more often than each second or less than each hour
 * is not detection any platform offers (IOS keepalive: 10-3600 s). */
#define DPD_MIN_S 1
#define DPD_MAX_S 3600

void build_if_mtu(struct parse_ctx *c, const char *text, struct tunc_loc vloc, struct tunc_loc loc)
{
	uint64_t v;
	if (!build_number(c, text, vloc, MTU_MAX, &v))
		return;
	if (v < MTU_MIN) {
		diag_front(c->diags, "invalid-value", vloc,
			   "an MTU of %s is below the %u bytes every IPv4 link carries", text, MTU_MIN);
		return;
	}
	struct ir_iface_written *w = build_iface_written(c);
	w->mtu = (unsigned)v;
	w->mtu_loc = loc;
}

const struct ir_link_settings ir_link_settings_none;

struct ir_link_settings *ir_link_settings_mut(struct arena *a, struct ir_link_settings **slot)
{
	if (!*slot)
		*slot = arena_new(a, struct ir_link_settings);
	return *slot;
}

/* Where the statement being parsed writes: its per-end block's, else its
 * tunnel's settings. */
static struct ir_link_settings *link_settings(struct parse_ctx *c)
{
	return ir_link_settings_mut(&c->ir->arena, c->cur_end ? &c->cur_end->link : &c->cur_tunnel->link);
}

/* A point-to-point link: IPv4 /30 or /31, IPv6 /126 or /127. */
static bool link_length(const struct ip_prefix *p)
{
	if (p->addr.family == AF_V4)
		return p->len == 30 || p->len == 31;
	return p->len == 126 || p->len == 127;
}

void build_route_based(struct parse_ctx *c, const char *text, struct tunc_loc ploc,
		       struct tunc_loc loc)
{
	struct ir_prefix p;
	if (!build_prefix(c, text, ploc, false, &p))
		return;
	if (!link_length(&p.p)) {
		struct diag *d = diag_front(c->diags, "invalid-value", ploc,
					    "the tunnel interfaces' link '%s' is not a point-to-point "
					    "prefix", text);
		diag_fix(d, "use an IPv4 /30 or /31 or an IPv6 /126 or /127");
		return;
	}
	struct ir_route_based *rb = &link_settings(c)->route_based;
	rb->set = true;
	rb->prefix = p;
	rb->loc = loc;
}

void build_tcp_mss(struct parse_ctx *c, const char *text, struct tunc_loc vloc, struct tunc_loc loc)
{
	struct ir_tcp_mss v = {.loc = loc};
	if (strcmp(text, "auto") == 0)
		v.mode = TCP_MSS_AUTO;
	else if (strcmp(text, "off") == 0)
		v.mode = TCP_MSS_OFF;
	else if (text[0] >= '0' && text[0] <= '9') {
		uint64_t n;
		if (!build_number(c, text, vloc, MSS_MAX, &n))
			return;
		if (n < MSS_MIN) {
			diag_front(c->diags, "invalid-value", vloc,
				   "a TCP MSS of %s is below %u bytes", text, MSS_MIN);
			return;
		}
		v.mode = TCP_MSS_FIXED;
		v.value = (unsigned)n;
	} else {
		diag_front(c->diags, "invalid-value", vloc,
			   "tcp-mss is auto, off or a number of bytes, not '%s'", text);
		return;
	}
	link_settings(c)->tcp_mss = v;
}

void build_dpd(struct parse_ctx *c, const char *text, struct tunc_loc vloc, struct tunc_loc loc)
{
	uint64_t s;
	if (!build_duration(c, text, vloc, &s))
		return;
	if (s < DPD_MIN_S || s > DPD_MAX_S) {
		diag_front(c->diags, "invalid-value", vloc,
			   "dpd every %s is outside 1s to 1h", text);
		return;
	}
	struct ir_dpd *d = &link_settings(c)->dpd;
	d->set = true;
	d->interval_s = s;
	d->loc = loc;
}

void build_expect_size(struct parse_ctx *c, const struct expect_size_src *s)
{
	if (!c->ir->expects.n)
		return;
	struct ir_expect *e = &c->ir->expects.v[c->ir->expects.n - 1];
	e->df = s->df;
	if (!s->size)
		return;
	uint64_t n;
	if (!build_number(c, s->size, s->size_loc, IR_PACKET_SIZE_MAX, &n))
		return;
	if (n < IR_PACKET_SIZE_MIN) {
		diag_front(c->diags, "invalid-value", s->size_loc,
			   "a packet of %s bytes cannot hold its headers (at least %u)", s->size,
			   IR_PACKET_SIZE_MIN);
		return;
	}
	e->size = (unsigned)n;
	e->size_loc = s->size_loc;
}

void build_route_tunnel(struct parse_ctx *c, const struct ir_prefix *dst, const char *tunnel,
			struct tunc_loc tloc, struct tunc_loc loc)
{
	struct ir_route r;
	memset(&r, 0, sizeof(r));
	r.dst = *dst;
	r.loc = loc;
	r.tunnel = arena_new(&c->ir->arena, struct ir_ref);
	*r.tunnel = (struct ir_ref){tunnel, tloc, NULL};
	arena_vec_push(&c->ir->arena, &c->cur_gw->routes, r);
}
