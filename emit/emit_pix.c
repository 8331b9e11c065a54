/* Cisco PIX 6.3: flat lines (no sub-modes), netmask access lists, `nat 0`
 * for the exemption, `sysopt connection permit-ipsec`, transform sets with
 * no `mode` line, and the crypto map bound to its interface last
 * (emitters-research.md §1; seed 000).
 *
 * A tunnel whose far end is keyed by hand (Linux) becomes an `ipsec-manual`
 * map entry with the same two SAs, and gets no `isakmp` lines. */
#include "config.h"
#include "emit/common.h"
#include "emit/fidelity.h"
#include "emit/manual.h"
#include "emit/tunnel_iface.h"
#include "emit/targets.h"
#include "emit/filter_walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NL "\n"
#define CMT ":"

static const char *const ike_enc[ENC__COUNT] = {
	[ENC_DES] = "des", [ENC_3DES] = "3des", [ENC_AES128] = "aes",
	[ENC_AES192] = "aes-192", [ENC_AES256] = "aes-256",
};
static const char *const ike_hash[INTEG__COUNT] = {
	[INTEG_MD5] = "md5", [INTEG_SHA1] = "sha",
};
static const char *const esp_enc[ENC__COUNT] = {
	[ENC_NULL] = "esp-null", [ENC_DES] = "esp-des", [ENC_3DES] = "esp-3des",
	[ENC_AES128] = "esp-aes", [ENC_AES192] = "esp-aes-192", [ENC_AES256] = "esp-aes-256",
};
static const char *const esp_auth[INTEG__COUNT] = {
	[INTEG_MD5] = "esp-md5-hmac", [INTEG_SHA1] = "esp-sha-hmac",
};
static const char *const ah_auth[INTEG__COUNT] = {
	[INTEG_MD5] = "ah-md5-hmac", [INTEG_SHA1] = "ah-sha-hmac",
};

struct pix {
	struct emit_ctx *ctx;
	const struct model_gateway *mg;
	struct strbuf *out;
	bool ok;
	struct emit_set maps;           /* interface names carrying a crypto map */
	unsigned map_seq[64];
};

static void fail(struct pix *s, const struct model_tunnel *mt, struct tunc_loc loc,
		 const char *what)
{
	struct diag *d = emit_error(s->ctx, s->mg, "platform-unsupported", loc,
				    "the pix emitter cannot write %s for %s (PIX 6.3)",
				    what, s->mg->ir->name);
	if (mt)
		diag_tunnel(d, mt->ir->name);
	s->ok = false;
}

/* ---- interface names ----
 * PIX commands name an interface by its nameif.  A description that uses
 * the hardware names (ethernet0, gb-ethernet1) gets the usual nameifs:
 * the outside interface `outside`, the first inside one `inside`, others
 * `intfN`; any other name is taken as the nameif itself. */

static bool hw_name(const char *n)
{
	const char *p = strncmp(n, "gb-ethernet", 11) == 0 ? n + 11
			: strncmp(n, "ethernet", 8) == 0 ? n + 8 : NULL;
	if (!p || !*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static void ifname(const struct ir_gateway *g, const struct ir_interface *ifc, char *buf, size_t size)
{
	if (!ifc) {
		snprintf(buf, size, "outside");
		return;
	}
	if (!hw_name(ifc->name)) {
		emit_name(buf, size, "", ifc->name);
		return;
	}
	bool first = true;
	for (size_t i = 0; i < g->interfaces.n && g->interfaces.v[i] != ifc; i++)
		if (g->interfaces.v[i]->outside == ifc->outside)
			first = false;
	if (first)
		snprintf(buf, size, "%s", ifc->outside ? "outside" : "inside");
	else {
		size_t idx = 0;
		while (idx < g->interfaces.n && g->interfaces.v[idx] != ifc)
			idx++;
		snprintf(buf, size, "intf%zu", idx);
	}
}

static const struct ir_interface *first_inside(const struct ir_gateway *g)
{
	for (size_t i = 0; i < g->interfaces.n; i++)
		if (!g->interfaces.v[i]->outside)
			return g->interfaces.v[i];
	return NULL;
}

static void iface_of_prefix(const struct pix *s, const struct ip_prefix *p, char *buf, size_t size)
{
	struct ip_addr a = prefix_first_host(p);
	const struct ir_interface *ifc = emit_iface_for(s->mg, &a);
	if (!ifc)
		ifc = first_inside(s->mg->ir);
	if (ifc)
		ifname(s->mg->ir, ifc, buf, size);
	else
		snprintf(buf, size, "inside");
}

static void write_interfaces(struct pix *s)
{
	const struct ir_gateway *g = s->mg->ir;
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		char n[EMIT_NAME_MAX];
		ifname(g, ifc, n, sizeof(n));
		if (hw_name(ifc->name)) {
			unsigned sec = ifc->outside ? 0 : strcmp(n, "inside") == 0 ? 100 : 50;
			strbuf_printf(s->out, "nameif %s %s security%u" NL, ifc->name, n, sec);
		}
	}
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		if (!ifc->has_address || ifc->address.addr.family != AF_V4)
			continue;
		char n[EMIT_NAME_MAX], a[ADDR_STRLEN], m[ADDR_STRLEN];
		ifname(g, ifc, n, sizeof(n));
		emit_addr(&ifc->address.addr, a, sizeof(a));
		v4_mask_format(ifc->address.len, false, m, sizeof(m));
		strbuf_printf(s->out, "ip address %s %s %s" NL, n, a, m);
	}
}

/* ---- NAT, routes ---- */

static void write_nat(struct pix *s)
{
	const struct ir_gateway *g = s->mg->ir;
	struct emit_nat_list nat;
	emit_nat_expand(s->mg, &nat);
	bool exempt = false, after_overload = false, overload_seen = false;
	for (size_t i = 0; i < nat.n; i++) {
		const struct emit_nat_line *o = &nat.v[i];
		if (o->kind == NAT_OVERLOAD)
			overload_seen = true;
		if (o->kind != NAT_EXEMPT || o->src.addr.family != AF_V4)
			continue;
		exempt = true;
		after_overload |= overload_seen;
		strbuf_puts(s->out, "access-list tunc-nonat permit ip ");
		emit_acl_addr(s->out, &o->src, false);
		strbuf_putc(s->out, ' ');
		emit_acl_addr(s->out, &o->dst, false);
		strbuf_puts(s->out, NL);
	}
	if (after_overload)
		strbuf_puts(s->out, CMT " Note: an exemption follows an overload in the description; "
				    "on the PIX `nat 0` applies before any `nat 1`." NL);
	if (exempt) {
		/* Every inside interface: the access list selects the traffic. */
		bool any = false;
		for (size_t i = 0; i < g->interfaces.n; i++) {
			if (g->interfaces.v[i]->outside)
				continue;
			char n[EMIT_NAME_MAX];
			ifname(g, g->interfaces.v[i], n, sizeof(n));
			strbuf_printf(s->out, "nat (%s) 0 access-list tunc-nonat" NL, n);
			any = true;
		}
		if (!any)
			strbuf_puts(s->out, "nat (inside) 0 access-list tunc-nonat" NL);
	}
	unsigned id = 0;
	for (size_t i = 0; i < nat.n; i++) {
		const struct emit_nat_line *o = &nat.v[i];
		char in[EMIT_NAME_MAX], outif[EMIT_NAME_MAX], a[ADDR_STRLEN], m[ADDR_STRLEN];
		if (o->kind == NAT_OVERLOAD) {
			if (o->src.addr.family != AF_V4) {
				fail(s, NULL, o->rule->loc, "IPv6 NAT");
				continue;
			}
			iface_of_prefix(s, &o->src, in, sizeof(in));
			ifname(g, o->rule->iface.target, outif, sizeof(outif));
			emit_net(&o->src, a, sizeof(a));
			v4_mask_format(o->src.len, false, m, sizeof(m));
			id++;
			strbuf_printf(s->out, "nat (%s) %u %s %s 0 0" NL, in, id, a, m);
			strbuf_printf(s->out, "global (%s) %u interface" NL, outif, id);
		} else if (o->kind == NAT_STATIC) {
			if (o->src.addr.family != AF_V4) {
				fail(s, NULL, o->rule->loc, "IPv6 NAT");
				continue;
			}
			char from[ADDR_STRLEN], to[ADDR_STRLEN];
			iface_of_prefix(s, &o->src, in, sizeof(in));
			const struct ir_interface *out_ifc = NULL;
			for (size_t k = 0; k < g->interfaces.n && !out_ifc; k++)
				if (g->interfaces.v[k]->outside)
					out_ifc = g->interfaces.v[k];
			ifname(g, out_ifc, outif, sizeof(outif));
			emit_addr(&o->src.addr, from, sizeof(from));
			emit_addr(&o->dst.addr, to, sizeof(to));
			strbuf_printf(s->out, "static (%s,%s) %s %s netmask 255.255.255.255 0 0" NL,
				      in, outif, to, from);
		}
	}
	emit_nat_free(&nat);
}

static void write_routes(struct pix *s)
{
	struct model_route scratch;
	for (size_t i = 0, n_routes = model_route_count(s->mg); i < n_routes; i++) {
		const struct model_route *r = model_route_at(s->mg, i, &scratch);
		if (r->connected || r->dst.addr.family != AF_V4 || !r->via.family)
			continue;
		char n[EMIT_NAME_MAX], net[ADDR_STRLEN], m[ADDR_STRLEN], via[ADDR_STRLEN];
		ifname(s->mg->ir, r->iface, n, sizeof(n));
		emit_net(&r->dst, net, sizeof(net));
		v4_mask_format(r->dst.len, false, m, sizeof(m));
		emit_addr(&r->via, via, sizeof(via));
		strbuf_printf(s->out, "route %s %s %s %s %u" NL, n, net, m, via,
			      r->metric ? r->metric : 1);
	}
}

/* ---- IPsec ---- */

static void write_transform_sets(struct pix *s)
{
	struct emit_set written = {0};
	bool null_noted = false;
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		struct emit_esp_combo c[EMIT_COMBOS_MAX];
		size_t n = manual_map_combos(mt, c);
		for (size_t i = 0; i < n; i++) {
			char name[EMIT_NAME_MAX];
			emit_tset_name(&c[i], name, sizeof(name));
			if (!emit_set_add(&written, name))
				continue;
			const char *enc = c[i].ah ? NULL : esp_enc[c[i].enc];
			const char *auth = c[i].ah ? ah_auth[c[i].integ] : esp_auth[c[i].integ];
			if ((!c[i].ah && !enc) || (c[i].ah && !auth) ||
			    (c[i].integ != INTEG_NONE && !auth)) {
				char what[128];
				snprintf(what, sizeof(what), "a transform set with %s/%s",
					 c[i].ah ? "ah" : encryption_name(c[i].enc),
					 integrity_name(c[i].integ));
				fail(s, mt, model_tunnel_ipsec(mt)->loc, what);
				continue;
			}
			if (!c[i].ah && c[i].enc == ENC_NULL && !null_noted) {
				strbuf_puts(s->out, CMT " Uncertain: esp-null on 6.3 is documented only "
						    "by the seed 000 captures, not the command reference." NL);
				null_noted = true;
			}
			/* Tunnel mode is the PIX default: no `mode` line. */
			strbuf_printf(s->out, "crypto ipsec transform-set %s", name);
			if (enc)
				strbuf_printf(s->out, " %s", enc);
			if (auth)
				strbuf_printf(s->out, " %s", auth);
			strbuf_puts(s->out, NL);
		}
	}
	emit_set_free(&written);
}

static void map_name(const char *iface, char *buf, size_t size)
{
	emit_name(buf, size, "tunc-", iface);
}

/* A tunnel toward a far end keyed by hand: the same two SAs, no IKE. */
static void write_manual_entry(struct pix *s, const struct model_tunnel *mt,
			       const struct manual_suite *ms, const char *map, unsigned seq,
			       const char *peer, const char *acl)
{
	struct sa_keys outk, ink;
	if (!manual_keys(s->ctx, mt, ms, &outk, &ink)) {
		s->ok = false;
		return;
	}
	manual_cisco_comment(s->out, CMT, mt, ms);
	strbuf_printf(s->out, "crypto map %s %u ipsec-manual" NL, map, seq);
	strbuf_printf(s->out, "crypto map %s %u match address %s" NL, map, seq, acl);
	strbuf_printf(s->out, "crypto map %s %u set peer %s" NL, map, seq, peer);
	struct emit_esp_combo c = {.ah = ms->ah, .enc = ms->enc, .integ = ms->integ};
	char ts[EMIT_NAME_MAX], prefix[2 * EMIT_NAME_MAX];
	emit_tset_name(&c, ts, sizeof(ts));
	strbuf_printf(s->out, "crypto map %s %u set transform-set %s" NL, map, seq, ts);
	snprintf(prefix, sizeof(prefix), "crypto map %s %u ", map, seq);
	/* Inbound: what the far end sends with (its outbound state). */
	manual_cisco_session_key(s->out, prefix, "inbound", ms, &ink);
	manual_cisco_session_key(s->out, prefix, "outbound", ms, &outk);
	keys_wipe(&outk);
	keys_wipe(&ink);
}

static void write_tunnel(struct pix *s, const struct model_tunnel *mt)
{
	const struct ir_ike *ike = model_tunnel_ike(mt);
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	emit_tunnel_banner(s->ctx, mt, s->out, CMT, NL);
	bool manual = manual_toward_peer(mt);
	if (!ipsec || (!manual && !ike)) {
		fail(s, mt, mt->ir->loc, "a tunnel without IKE and IPsec proposals");
		return;
	}
	struct manual_suite ms;
	if (manual) {
		char what[300];
		struct tunc_loc loc;
		if (!manual_cisco_check(mt, &ms, what, sizeof(what), &loc)) {
			fail(s, mt, loc, what);
			return;
		}
	} else if (ike->version != 1) {
		fail(s, mt, ike->version_loc.file ? ike->version_loc : ike->loc,
		     "IKEv2 (PIX 6.3 speaks IKEv1 only)");
		return;
	}
	if (model_tunnel_remote_ep(mt)->family != AF_V4) {
		fail(s, mt, mt->ir->loc, "a peer without an IPv4 address");
		return;
	}
	char peer[ADDR_STRLEN];
	emit_addr(model_tunnel_remote_ep(mt), peer, sizeof(peer));

	char acl[EMIT_NAME_MAX];
	emit_name(acl, sizeof(acl), "tunc-", mt->ir->name);
	const struct ir_tunnel_end *e = mt->here;
	struct selector_pairs v6 = model_tunnel_selectors(mt, AF_V6);
	for (size_t i = 0; i < v6.n; i++)
		fail(s, mt, v6.v[i].local->loc, "an IPv6 selector");
	struct selector_pairs v4 = model_tunnel_selectors(mt, AF_V4);
	for (size_t i = 0; i < v4.n; i++) {
		const struct selector *sel = &v4.v[i].sel;
		strbuf_printf(s->out, "access-list %s permit ", acl);
		emit_acl_proto(s->out, sel->proto, "ah");
		strbuf_putc(s->out, ' ');
		emit_acl_addr(s->out, &sel->src, false);
		strbuf_putc(s->out, ' ');
		emit_acl_addr(s->out, &sel->dst, false);
		emit_acl_ports(s->out, sel->port_lo, sel->port_hi);
		strbuf_puts(s->out, NL);
	}
	if (!v4.n)
		strbuf_puts(s->out, CMT " no selector pair: this tunnel protects nothing" NL);

	char ifn[EMIT_NAME_MAX];
	ifname(s->mg->ir, e->endpoint_iface, ifn, sizeof(ifn));
	emit_set_add(&s->maps, ifn);
	long mi = emit_set_index(&s->maps, ifn);
	unsigned seq = s->ctx->base + (mi >= 0 && mi < 64 ? (s->map_seq[mi] += 10) : 10);
	char map[EMIT_NAME_MAX];
	map_name(ifn, map, sizeof(map));
	if (manual) {
		write_manual_entry(s, mt, &ms, map, seq, peer, acl);
		return;
	}
	strbuf_printf(s->out, "crypto map %s %u ipsec-isakmp" NL, map, seq);
	strbuf_printf(s->out, "crypto map %s %u match address %s" NL, map, seq, acl);
	strbuf_printf(s->out, "crypto map %s %u set peer %s" NL, map, seq, peer);
	strbuf_printf(s->out, "crypto map %s %u set transform-set", map, seq);
	struct emit_esp_combo c[EMIT_COMBOS_MAX];
	size_t n = manual_map_combos(mt, c);
	emit_tset_list(s->out, c, n);
	strbuf_puts(s->out, NL);
	if (ipsec->pfs)
		strbuf_printf(s->out, "crypto map %s %u set pfs group%u" NL, map, seq, ipsec->pfs);
	strbuf_printf(s->out, "crypto map %s %u set security-association lifetime seconds %llu",
		      map, seq, (unsigned long long)ipsec->lifetime_s);
	if (ipsec->lifetime_kb)
		strbuf_printf(s->out, " kilobytes %llu", (unsigned long long)ipsec->lifetime_kb);
	strbuf_puts(s->out, NL);

	struct secret key;
	if (!emit_psk_read(s->ctx, mt, &key)) {
		s->ok = false;
		return;
	}
	if (!secret_printable(&key, true, s->mg->platform->limits.psk_forbidden)) {
		fail(s, mt, model_tunnel_psk(mt)->loc,
		     "this pre-shared key: the PIX takes no space, '?', '\"' "
		     "or non-printable character in a key");
		secret_free(&key);
		return;
	}
	s->ctx->holds_key = true;
	if (ike->mode == IKE_MODE_AGGRESSIVE)
		strbuf_puts(s->out, CMT " Aggressive mode is described; PIX 6.3 chooses it "
				    "per peer only as a responder (uncertain)." NL);
	strbuf_printf(s->out, "isakmp key %.*s address %s netmask 255.255.255.255" NL,
		      (int)key.len, (const char *)key.bytes, peer);
	secret_free(&key);
}

static void write_isakmp(struct pix *s)
{
	size_t ike = 0;
	bool natt = false;
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		if (manual_toward_peer(mt))
			continue;
		ike++;
		natt |= mt->nat_traversal;
	}
	if (!ike)
		return;
	for (size_t i = 0; i < s->maps.n; i++)
		strbuf_printf(s->out, "isakmp enable %s" NL, s->maps.v[i]);
	strbuf_puts(s->out, "isakmp identity address" NL);
	if (natt)
		strbuf_puts(s->out, "isakmp nat-traversal 20" NL);
	const struct model_tunnel *dpd = emit_shortest_dpd(s->mg);
	if (dpd) {
		/* `isakmp keepalive SECONDS` (emitters-research.md, PIX); global
		 * here: the shortest of the tunnels' dpd. */
		char where[512];
		emit_loc_text(s->ctx, ir_end_dpd(dpd->here)->loc, where, sizeof(where));
		strbuf_printf(s->out, CMT " dpd of tunnel %s (%s); uncertain: that the keepalive is "
			      "global on 6.3 (not tried on a device)" NL "isakmp keepalive %llu" NL,
			      dpd->ir->name, where, (unsigned long long)ir_end_dpd(dpd->here)->interval_s);
	}
	struct emit_set seen = {0};
	struct emit_ike_policy pol[EMIT_COMBOS_MAX];
	size_t np = 0;
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		const struct ir_ike *proposal = model_tunnel_ike(mt);
		if (!proposal || proposal->version != 1 || manual_toward_peer(mt))
			continue;
		struct emit_ike_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ike_combos(proposal, c, EMIT_COMBOS_MAX);
		for (size_t i = 0; i < n; i++) {
			if (!ike_enc[c[i].enc] || !ike_hash[c[i].integ] ||
			    (c[i].group != 1 && c[i].group != 2 && c[i].group != 5)) {
				char what[128];
				snprintf(what, sizeof(what), "an IKE policy with %s/%s/group %u",
					 encryption_name(c[i].enc), integrity_name(c[i].integ),
					 c[i].group);
				fail(s, mt, proposal->loc, what);
				continue;
			}
			char key[64];
			snprintf(key, sizeof(key), "%d/%d/%u/%llu", (int)c[i].enc, (int)c[i].integ,
				 c[i].group, (unsigned long long)proposal->lifetime_s);
			if (!emit_set_add(&seen, key) || np == EMIT_COMBOS_MAX)
				continue;
			pol[np++] = (struct emit_ike_policy){c[i], proposal->lifetime_s, mt};
		}
	}
	/* Priority order is match order: the strongest suite first. */
	emit_ike_policies_sort(pol, np);
	for (size_t i = 0; i < np; i++) {
		unsigned p = emit_number(s->ctx, i + 1);
		strbuf_printf(s->out, "isakmp policy %u authentication pre-share" NL, p);
		strbuf_printf(s->out, "isakmp policy %u encryption %s" NL, p, ike_enc[pol[i].c.enc]);
		strbuf_printf(s->out, "isakmp policy %u hash %s" NL, p, ike_hash[pol[i].c.integ]);
		strbuf_printf(s->out, "isakmp policy %u group %u" NL, p, pol[i].c.group);
		strbuf_printf(s->out, "isakmp policy %u lifetime %llu" NL, p,
			      (unsigned long long)pol[i].lifetime_s);
	}
	emit_set_free(&seen);
}

/* ---- interface filters ----
 * Each `filter in` as an access list, rule for rule with netmasks, ending
 * with its default, bound with `access-group NAME in interface IF`.  PIX 6.3
 * has inbound access-groups only (filter-unsupported reports `filter out`).
 * With `sysopt connection permit-ipsec` (written below) decrypted traffic
 * bypasses them, as the engine's FILTER stage has it. */

static void write_filter(void *arg, const struct ir_interface *ifc, const struct ir_filter *f)
{
	struct pix *s = arg;
	char acl[EMIT_NAME_MAX], n[EMIT_NAME_MAX], where[512];
	ifname(s->mg->ir, ifc, n, sizeof(n));
	emit_filter_acl_name(n, f, acl, sizeof(acl));
	emit_loc_text(s->ctx, f->loc, where, sizeof(where));
	strbuf_printf(s->out, CMT " filter in on %s (%s)" NL, ifc->name, where);
	for (size_t r = 0; r < f->rules.n; r++) {
		strbuf_printf(s->out, "access-list %s ", acl);
		emit_filter_ace(s->out, &f->rules.v[r], false, "ah");
		strbuf_puts(s->out, NL);
	}
	strbuf_printf(s->out, "access-list %s ", acl);
	emit_filter_default_ace(s->out, f);
	strbuf_puts(s->out, NL);
	strbuf_printf(s->out, "access-group %s in interface %s" NL, acl, n);
}

static void write_filters(struct pix *s)
{
	if (!emit_each_filter(s->ctx, s->mg, "pix", write_filter, s))
		s->ok = false;
}

bool emit_pix(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	struct pix s = {.ctx = ctx, .mg = mg, .out = out, .ok = true};
	emit_header(ctx, mg, out, CMT, NL, mg->tunnels.n > 0);
	strbuf_puts(out, CMT " Interfaces are named by their nameif; lines starting with ':' are "
			 "comments." NL);
	write_interfaces(&s);
	write_nat(&s);
	write_routes(&s);
	write_filters(&s);
	/* Decrypted traffic bypasses the interface access lists. */
	strbuf_puts(out, "sysopt connection permit-ipsec" NL);
	unsigned mss;
	const struct model_tunnel *clamp = emit_smallest_mss(mg, &mss);
	if (clamp) {
		/* `sysopt connection tcpmss BYTES`: every TCP connection through
		 * the PIX (PIX 6.3 command reference). */
		char where[512];
		emit_loc_text(ctx, ir_end_tcp_mss(clamp->here)->loc, where, sizeof(where));
		strbuf_printf(out, CMT " tcp-mss of tunnel %s (%s); global on the PIX: the smallest of "
			      "its tunnels'" NL "sysopt connection tcpmss %u" NL, clamp->ir->name, where,
			      mss);
	}
	write_transform_sets(&s);
	for (size_t t = 0; t < mg->tunnels.n; t++)
		write_tunnel(&s, mg->tunnels.v[t]);
	bool ike = false;
	for (size_t t = 0; t < mg->tunnels.n; t++)
		ike |= !manual_toward_peer(mg->tunnels.v[t]);
	if (ike)
		strbuf_puts(out, CMT " IKE" NL);
	write_isakmp(&s);
	/* Bound last: binding resynchronises the map with the lines above. */
	for (size_t i = 0; i < s.maps.n; i++) {
		char map[EMIT_NAME_MAX];
		map_name(s.maps.v[i], map, sizeof(map));
		strbuf_printf(out, "crypto map %s interface %s" NL, map, s.maps.v[i]);
	}
	emit_set_free(&s.maps);
	return s.ok;
}
