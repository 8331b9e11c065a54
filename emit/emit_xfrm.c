/* Linux: a POSIX shell script of `ip xfrm` / `ip route` / `nft` commands
 * (emitters-research.md §4).
 *
 * A tunnel keyed by IKE (the default) is negotiated by charon from
 * GATEWAY.swanctl.conf (emit_swanctl.c), which installs its SAs and
 * policies: this script gives it forwarding, routes and the NAT exemption.
 * A tunnel that says `keying manual;` gets two manually keyed SAs whose
 * keys are derived from the tunnel's pre-shared key and whose SPIs from the
 * names alone (src/model/manual_keys.c), or both as its key file gives
 * them (SAs imported from a configuration), so both ends install the same two
 * states; the key material goes to `ip
 * -batch` on standard input (a here-document), never on a command line
 * where /proc/PID/cmdline would show it.  The policies come from the
 * model's SPD (out, in and fwd: a forwarded, decrypted packet is checked
 * against `dir fwd`).  Re-running the script replaces what it installed
 * before and nothing else: its states are deleted by SPI first, policies are
 * written with `update` (add or replace, by selector), routes with
 * `replace`, and the NAT table is tunc's own. */
#include "config.h"
#include "emit/common.h"
#include "emit/manual.h"
#include "emit/nft_filter.h"
#include "emit/tunnel_iface.h"
#include "emit/targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NL "\n"
#define CMT "#"

/* The kernel's algorithm names and key lengths come from src/model/manual_keys.c:
 * they are also the HKDF labels, so every end that keys by hand (this one,
 * and IOS/PIX toward it) derives the same SAs. */

/* tunc's reqids: "tu" in the high half, the tunnel's place in the file in
 * the low half -- apart from the small reqids IKE daemons hand out. */
#define REQID_BASE 0x74750000u

struct xfrm {
	struct emit_ctx *ctx;
	const struct model_gateway *mg;
	struct strbuf *out;
	bool ok;
};

static void fail(struct xfrm *s, const struct model_tunnel *mt, struct tunc_loc loc,
		 const char *what)
{
	struct diag *d = emit_error(s->ctx, s->mg, "platform-unsupported", loc, "the xfrm emitter cannot write %s for %s",
				    what, s->mg->ir->name);
	if (mt)
		diag_tunnel(d, mt->ir->name);
	s->ok = false;
}

static unsigned reqid_of(const struct xfrm *s, const struct model_tunnel *mt)
{
	/* The model knows the place: no scan of every tunnel for each one. */
	const struct ir *ir = s->ctx->model->ir;
	if (mt->ir_index < ir->tunnels.n && ir->tunnels.v[mt->ir_index] == mt->ir)
		return REQID_BASE + (unsigned)mt->ir_index + 1;
	return REQID_BASE;
}

static void put_hex(struct strbuf *out, const unsigned char *b, size_t n)
{
	if (!n) {
		strbuf_puts(out, "''");
		return;
	}
	strbuf_puts(out, "0x");
	for (size_t i = 0; i < n; i++)
		strbuf_printf(out, "%02x", b[i]);
}

/* Lower priority values are taken first (believed, not documented): the
 * more specific a selector, the lower its number. */
static unsigned priority_of(const struct selector *sel)
{
	unsigned max = addr_max_len(&sel->src.addr);
	unsigned p = 1000 + (2 * max - sel->src.len - sel->dst.len) * 4;
	if (sel->proto == PROTO_ANY)
		p += 2;
	if (!sel->port_lo && !sel->port_hi)
		p += 1;
	return p;
}

static void put_selector(struct xfrm *s, const struct model_tunnel *mt, const struct selector *sel)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	prefix_format(&sel->src, a, sizeof(a), false);
	prefix_format(&sel->dst, b, sizeof(b), false);
	strbuf_printf(s->out, "src %s dst %s", a, b);
	if (sel->proto != PROTO_ANY) {
		const char *pn = protocol_name(sel->proto);
		if (pn && strcmp(pn, "icmpv6") == 0)
			pn = "ipv6-icmp";
		if (pn)
			strbuf_printf(s->out, " proto %s", pn);
		else
			strbuf_printf(s->out, " proto %u", sel->proto);
		if (sel->port_lo || sel->port_hi) {
			if (sel->port_lo != sel->port_hi)
				fail(s, mt, ir_end_written(mt->here)->protocol_loc,
				     "a port range in an xfrm selector (one port only)");
			strbuf_printf(s->out, " dport %u", sel->port_lo);
		}
	}
}

/* The first offer of a proposal: manually keyed SAs negotiate nothing. */
static bool pick_suite(struct xfrm *s, const struct model_tunnel *mt, bool *ah,
		       enum encryption *enc, enum integrity *integ)
{
	const struct ir_ipsec *ps = model_tunnel_ipsec(mt);
	*ah = ps->protocol == IPSEC_AH;
	*enc = ENC_NULL;
	*integ = ps->integrity.n ? ps->integrity.v[0] : INTEG_NONE;
	if (!*ah) {
		if (!ps->encryption.n) {
			fail(s, mt, ps->loc, "ESP without an encryption");
			return false;
		}
		*enc = ps->encryption.v[0];
		if (encryption_is_aead(*enc)) {
			/* Refused even under --force: writing it would be unsafe. */
			struct diag *d = emit_error(s->ctx, s->mg, "manual-key-aead",
				ps->encryption_loc.file ? ps->encryption_loc : ps->loc,
				"the xfrm emitter does not write manually keyed %s for %s, even "
				"with --force: with static keys the GCM nonce repeats after every "
				"restart (RFC 4106 §8.1 forbids manual keys)",
				encryption_name(*enc), s->mg->ir->name);
			diag_tunnel(d, mt->ir->name);
			diag_fix(d, "use a CBC cipher with HMAC here: encryption aes256; integrity sha256;");
			s->ok = false;
			return false;
		}
		size_t key_len;
		if (!manual_enc_label(*enc, &key_len)) {
			fail(s, mt, ps->encryption_loc, "this encryption");
			return false;
		}
	}
	size_t auth_len;
	if (*integ != INTEG_NONE && !manual_auth_label(*integ, &auth_len)) {
		fail(s, mt, ps->integrity_loc, "this integrity");
		return false;
	}
	if (*ah && *integ == INTEG_NONE) {
		fail(s, mt, ps->loc, "AH without integrity");
		return false;
	}
	return true;
}

static void write_state(struct xfrm *s, const struct model_tunnel *mt, const char *src,
			const char *dst, const struct sa_keys *k, unsigned reqid, bool ah,
			enum encryption enc, enum integrity integ)
{
	unsigned if_id = mt->route_based ? emit_xfrm_if_id(s->mg, mt) : 0;
	const char *proto = ah ? "ah" : "esp";
	size_t key_len;
	/* A line of `ip -batch`: no leading "ip". */
	strbuf_printf(s->out, "xfrm state add src %s dst %s proto %s spi 0x%08x reqid %u "
		      "mode tunnel replay-window 32", src, dst, proto, k->spi, reqid);
	if (!ah) {
		strbuf_printf(s->out, " enc '%s' ", manual_enc_label(enc, &key_len));
		put_hex(s->out, k->enc, k->enc_len);
	}
	if (integ != INTEG_NONE) {
		strbuf_printf(s->out, " auth-trunc '%s' ", manual_auth_label(integ, &key_len));
		put_hex(s->out, k->auth, k->auth_len);
		strbuf_printf(s->out, " %u", integrity_icv_bits(integ));
	}
	if (mt->nat_traversal && !ah)
		strbuf_puts(s->out, " encap espinudp 4500 4500 0.0.0.0");
	if (if_id)
		strbuf_printf(s->out, " if_id %u", if_id);
	strbuf_puts(s->out, NL);
}

/* ---- route-based ends: an xfrm interface (Linux 4.19+; ip-link(8) `type
 * xfrm dev PHYS if_id ID`).  Its SAs and policies carry the same if_id:
 * the policies are any to any but match only packets routed into the
 * interface, and decrypted packets come out of it. */

/* The interface, created afresh (a re-run replaces it), addressed from the
 * tunnel's link prefix and up. */
static void write_xfrm_iface(struct xfrm *s, const struct model_tunnel *mt)
{
	char name[32], addr[ADDR_STRLEN];
	emit_xfrm_if_name(s->mg, mt, name, sizeof(name));
	for (size_t i = 0; i < s->mg->ir->interfaces.n; i++)
		if (strcmp(s->mg->ir->interfaces.v[i]->name, name) == 0) {
			fail(s, mt, ir_end_route_based(mt->here)->loc,
			     "an xfrm interface named like one of its own interfaces");
			return;
		}
	const struct ir_interface *ifc = mt->here->endpoint_iface;
	if (!ifc) {
		fail(s, mt, ir_end_route_based(mt->here)->loc, "an xfrm interface without an outside interface");
		return;
	}
	emit_addr(&ir_end_tunnel_address(mt->here)->addr, addr, sizeof(addr));
	strbuf_printf(s->out, CMT " Route-based: xfrm interface %s (if_id %u) over %s; what is "
		      "routed into it is protected." NL, name, emit_xfrm_if_id(s->mg, mt), ifc->name);
	strbuf_printf(s->out, "ip link del %s 2>/dev/null || true" NL, name);
	strbuf_printf(s->out, "ip link add %s type xfrm dev %s if_id %u" NL, name, ifc->name,
		      emit_xfrm_if_id(s->mg, mt));
	strbuf_printf(s->out, "ip addr add %s/%u dev %s" NL, addr, ir_end_tunnel_address(mt->here)->len, name);
	strbuf_printf(s->out, "ip link set %s up" NL, name);
}

/* The routes through the interface: the model's (implied to the far
 * subnets, and any `route ... via tunnel`). */
static void write_iface_routes(struct xfrm *s, const struct model_tunnel *mt)
{
	char name[32];
	emit_xfrm_if_name(s->mg, mt, name, sizeof(name));
	struct ip_addr hint;
	bool has_hint = emit_inside_addr(s->mg, &mt->here->local, &hint);
	struct model_route scratch;
	for (size_t i = 0, n_routes = model_route_count(s->mg); i < n_routes; i++) {
		const struct model_route *r = model_route_at(s->mg, i, &scratch);
		if (r->tunnel != mt)
			continue;
		char dst[ADDR_STRLEN];
		prefix_format(&r->dst, dst, sizeof(dst), false);
		strbuf_printf(s->out, "ip route replace %s dev %s", dst, name);
		if (has_hint && hint.family == r->dst.addr.family) {
			char h[ADDR_STRLEN];
			emit_addr(&hint, h, sizeof(h));
			strbuf_printf(s->out, " src %s", h);
		}
		strbuf_puts(s->out, NL);
	}
}

static void write_routes(struct xfrm *s, const struct model_tunnel *mt)
{
	struct ip_addr hint;
	bool has_hint = emit_inside_addr(s->mg, &mt->here->local, &hint);
	struct emit_set done = {0};
	struct spd_refs mine = model_tunnel_spd(mt, SPD_OUT);
	for (size_t i = 0; i < mine.n; i++) {
		const struct spd_entry *e = model_spd_entry(s->mg, SPD_OUT, mine.v[i]);
		const struct selector sel = spd_entry_sel(e);
		char dst[ADDR_STRLEN];
		prefix_format(&sel.dst, dst, sizeof(dst), false);
		if (!emit_set_add(&done, dst))
			continue;
		struct ip_addr probe = prefix_first_host(&sel.dst);
		struct model_route scratch;
		const struct model_route *r = model_route_lookup(s->mg, &probe, &scratch);
		if (!r || (!r->via.family && !r->iface)) {
			strbuf_printf(s->out, CMT " %s: no route described toward it, none written" NL,
				      dst);
			continue;
		}
		if (r->connected && r->dst.len >= sel.dst.len) {
			strbuf_printf(s->out, CMT " %s: reached on a connected interface, no route "
				      "needed" NL, dst);
			continue;
		}
		strbuf_printf(s->out, "ip route replace %s", dst);
		if (r->via.family) {
			char via[ADDR_STRLEN];
			emit_addr(&r->via, via, sizeof(via));
			strbuf_printf(s->out, " via %s", via);
		}
		if (r->iface)
			strbuf_printf(s->out, " dev %s", r->iface->name);
		if (has_hint && hint.family == sel.dst.addr.family) {
			char h[ADDR_STRLEN];
			emit_addr(&hint, h, sizeof(h));
			strbuf_printf(s->out, " src %s", h);
		}
		strbuf_puts(s->out, NL);
	}
	if (!has_hint && done.n)
		strbuf_puts(s->out, CMT " No inside address lies in the local selectors: the routes "
				    "carry no `src` hint, so traffic this gateway sends itself "
				    "leaves with its outside address and misses the policy." NL);
	emit_set_free(&done);
}

/* A manually keyed route-based end's policies: its selector pairs (any
 * to any unless its block narrows them) out, and mirrored in and fwd, all
 * bound to the interface's if_id. */
static void write_iface_policies(struct xfrm *s, const struct model_tunnel *mt, const char *local,
				 const char *remote, const char *proto, unsigned reqid)
{
	struct selector_pairs pairs = model_tunnel_selectors(mt, 0);
	static const char *const dirs[] = {"out", "in", "fwd"};
	for (int d = 0; d < 3; d++)
		for (size_t i = 0; i < pairs.n; i++) {
			struct selector sel = pairs.v[i].sel;
			if (d) {
				struct ip_prefix t = sel.src;
				sel.src = sel.dst;
				sel.dst = t;
			}
			strbuf_puts(s->out, "ip xfrm policy update ");
			put_selector(s, mt, &sel);
			strbuf_printf(s->out, " dir %s priority %u if_id %u tmpl src %s dst %s proto %s "
				      "reqid %u mode tunnel" NL, dirs[d], priority_of(&sel),
				      emit_xfrm_if_id(s->mg, mt), d ? remote : local, d ? local : remote,
				      proto, reqid);
		}
}

static void write_tunnel(struct xfrm *s, const struct model_tunnel *mt)
{
	emit_tunnel_banner(s->ctx, mt, s->out, CMT, NL);
	if (mt->route_based) {
		write_xfrm_iface(s, mt);
		if (!s->ok)
			return;
	}
	if (!manual_toward_peer(mt)) {
		char conf[EMIT_NAME_MAX + 32];
		emit_file_name(conf, sizeof(conf), s->mg->ir->name, ".swanctl.conf");
		if (mt->route_based) {
			strbuf_printf(s->out, CMT " Keyed by IKE: charon negotiates the SAs from %s "
				      "with this if_id and installs their policies; here the "
				      "routes through the interface." NL, conf);
			write_iface_routes(s, mt);
			return;
		}
		strbuf_printf(s->out, CMT " Keyed by IKE: charon negotiates the SAs from %s "
			      "and installs their policies; here only the routes." NL, conf);
		write_routes(s, mt);
		return;
	}
	if (!model_tunnel_ipsec(mt)) {
		fail(s, mt, mt->ir->loc, "a tunnel without an IPsec proposal");
		return;
	}
	if (!model_tunnel_local_ep(mt)->family || !model_tunnel_remote_ep(mt)->family) {
		fail(s, mt, mt->ir->loc, "SAs without both tunnel endpoints");
		return;
	}
	bool ah;
	enum encryption enc;
	enum integrity integ;
	if (!pick_suite(s, mt, &ah, &enc, &integ))
		return;
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	if (ipsec->encryption.n > 1 || ipsec->integrity.n > 1)
		strbuf_printf(s->out, CMT " Manually keyed SAs negotiate nothing: the first offer "
			      "of ipsec %s is used." NL, ipsec->name ? ipsec->name : "");
	strbuf_printf(s->out, CMT " Manually keyed SAs (%s %s%s%s): no IKE, no rekeying, no PFS; "
		      "%s." NL,
		      ah ? "AH" : "ESP", ah ? "" : encryption_name(enc),
		      ah || integ == INTEG_NONE ? "" : "/", integ == INTEG_NONE ? "" : integrity_name(integ),
		      mt->manual_given ? "SPIs and keys as the tunnel's key file gives them"
		      : "keys derived from the tunnel's pre-shared key with HKDF-SHA-256, SPIs from "
		      "the names alone");
	if (mt->nat_traversal && !ah)
		strbuf_puts(s->out, CMT " NAT traversal: the states carry `encap espinudp`; the kernel "
				    "receives ESP-in-UDP only on a UDP socket bound to port 4500 with "
				    "the UDP_ENCAP option, which an IKE daemon normally holds." NL);
	strbuf_puts(s->out, CMT " The replay window restarts with the states: re-run this script on "
			    "both ends after either restarts." NL);

	struct manual_suite suite = {ah, ah ? ENC_NULL : enc, integ};
	struct sa_keys outk, ink;
	if (!manual_keys(s->ctx, mt, &suite, &outk, &ink)) {
		s->ok = false;
		return;
	}

	char local[ADDR_STRLEN], remote[ADDR_STRLEN];
	emit_addr(model_tunnel_local_ep(mt), local, sizeof(local));
	emit_addr(model_tunnel_remote_ep(mt), remote, sizeof(remote));
	unsigned reqid = reqid_of(s, mt);
	const char *proto = ah ? "ah" : "esp";
	strbuf_printf(s->out, "ip xfrm state delete src %s dst %s proto %s spi 0x%08x 2>/dev/null || true" NL,
		      local, remote, proto, outk.spi);
	strbuf_printf(s->out, "ip xfrm state delete src %s dst %s proto %s spi 0x%08x 2>/dev/null || true" NL,
		      remote, local, proto, ink.spi);
	strbuf_puts(s->out, CMT " The keys reach ip on standard input, never on its command "
			    "line." NL "ip -batch - <<'TUNC_SA'" NL);
	write_state(s, mt, local, remote, &outk, reqid, ah, enc, integ);
	write_state(s, mt, remote, local, &ink, reqid, ah, enc, integ);
	strbuf_puts(s->out, "TUNC_SA" NL);
	keys_wipe(&outk);
	keys_wipe(&ink);

	if (mt->route_based) {
		write_iface_policies(s, mt, local, remote, proto, reqid);
		write_iface_routes(s, mt);
		return;
	}
	static const char *const dirs[] = {[SPD_OUT] = "out", [SPD_IN] = "in", [SPD_FWD] = "fwd"};
	for (int dir = SPD_OUT; dir <= SPD_FWD; dir++) {
		struct spd_refs mine = model_tunnel_spd(mt, (enum spd_dir)dir);
		for (size_t i = 0; i < mine.n; i++) {
			const struct spd_entry *e = model_spd_entry(s->mg, dir, mine.v[i]);
			const struct selector sel = spd_entry_sel(e);
			bool out = dir == SPD_OUT;
			strbuf_puts(s->out, "ip xfrm policy update ");
			put_selector(s, mt, &sel);
			strbuf_printf(s->out, " dir %s priority %u tmpl src %s dst %s proto %s reqid %u "
				      "mode tunnel" NL, dirs[dir], priority_of(&sel),
				      out ? local : remote, out ? remote : local, proto, reqid);
		}
	}
	write_routes(s, mt);
}

/* nft identifiers: letters, digits and '_'. */
static void nft_table_name(const char *gw, char *buf, size_t size)
{
	emit_name(buf, size, "tunc_", gw);
	for (char *p = buf; *p; p++)
		if (*p == '-' || *p == '.')
			*p = '_';
}

static void write_nat(struct xfrm *s)
{
	const struct ir_gateway *g = s->mg->ir;
	if (!g->nat.n)
		return;
	struct emit_nat_list nat;
	emit_nat_expand(s->mg, &nat);
	char table[EMIT_NAME_MAX];
	nft_table_name(g->name, table, sizeof(table));
	strbuf_printf(s->out, CMT " NAT as described, in rule order.  Table ip %s is tunc's own: "
		      "it is deleted and rebuilt, nothing else is touched." NL, table);
	strbuf_puts(s->out, "nft -f - <<'TUNC_NFT'" NL);
	strbuf_printf(s->out, "table ip %s" NL "delete table ip %s" NL "table ip %s {" NL, table,
		      table, table);
	strbuf_puts(s->out, "\tchain postrouting {" NL
			    "\t\ttype nat hook postrouting priority 100; policy accept;" NL);
	bool dnat = false;
	for (size_t i = 0; i < nat.n; i++) {
		const struct emit_nat_line *o = &nat.v[i];
		char a[ADDR_STRLEN], b[ADDR_STRLEN];
		if (o->src.addr.family != AF_V4) {
			fail(s, o->tunnel, o->rule->loc, "IPv6 NAT (table ip)");
			continue;
		}
		prefix_format(&o->src, a, sizeof(a), true);
		prefix_format(&o->dst, b, sizeof(b), true);
		switch (o->kind) {
		case NAT_EXEMPT:
			strbuf_printf(s->out, "\t\tip saddr %s ip daddr %s accept", a, b);
			if (o->tunnel)
				strbuf_printf(s->out, " comment \"exempt tunnel %s\"", o->tunnel->ir->name);
			strbuf_puts(s->out, NL);
			break;
		case NAT_OVERLOAD: {
			const struct ir_interface *ifc = o->rule->iface.target;
			strbuf_printf(s->out, "\t\tip saddr %s oifname \"%s\" masquerade" NL, a,
				      ifc ? ifc->name : o->rule->iface.name ? o->rule->iface.name : "?");
			break;
		}
		case NAT_STATIC:
			strbuf_printf(s->out, "\t\tip saddr %s snat to %s" NL, a, b);
			dnat = true;
			break;
		default:
			break;
		}
	}
	strbuf_puts(s->out, "\t}" NL);
	if (dnat) {
		strbuf_puts(s->out, "\tchain prerouting {" NL
				    "\t\ttype nat hook prerouting priority -100; policy accept;" NL);
		for (size_t i = 0; i < nat.n; i++) {
			const struct emit_nat_line *o = &nat.v[i];
			if (o->kind != NAT_STATIC || o->src.addr.family != AF_V4)
				continue;
			char a[ADDR_STRLEN], b[ADDR_STRLEN];
			emit_addr(&o->src.addr, a, sizeof(a));
			emit_addr(&o->dst.addr, b, sizeof(b));
			strbuf_printf(s->out, "\t\tip daddr %s dnat to %s" NL, b, a);
		}
		strbuf_puts(s->out, "\t}" NL);
	}
	strbuf_puts(s->out, "}" NL "TUNC_NFT" NL);
	emit_nat_free(&nat);
}

/* `tcp-mss`: TCP SYNs forwarded into or out of a tunnel get their MSS
 * lowered to the tunnel's value (nftables' `tcp option maxseg size set`,
 * nft(8) "EXTENSION HEADER EXPRESSIONS"; never raised).  A route-based
 * tunnel is its xfrm interface; a policy-based one its remote subnets.
 * Table inet tunc_mss_GW is tunc's own, deleted and rebuilt. */
static void mss_rule(struct xfrm *s, const char *match, unsigned mss, const char *tunnel)
{
	strbuf_printf(s->out, "\t\t%s tcp flags syn / syn,rst tcp option maxseg size > %u "
		      "tcp option maxseg size set %u comment \"tcp-mss of tunnel %s\"" NL, match, mss,
		      mss, tunnel);
}

static void write_mss(struct xfrm *s)
{
	bool any = false;
	for (size_t t = 0; t < s->mg->tunnels.n; t++)
		any |= emit_tcp_mss(s->mg, s->mg->tunnels.v[t], AF_V4) != 0;
	if (!any)
		return;
	char table[EMIT_NAME_MAX];
	emit_name(table, sizeof(table), "tunc_mss_", s->mg->ir->name);
	for (char *p = table; *p; p++)
		if (*p == '-' || *p == '.')
			*p = '_';
	strbuf_printf(s->out, CMT " TCP MSS clamping (tcp-mss).  Table inet %s is tunc's own: it "
		      "is deleted and rebuilt, nothing else is touched." NL, table);
	strbuf_puts(s->out, "nft -f - <<'TUNC_NFT'" NL);
	strbuf_printf(s->out, "table inet %s" NL "delete table inet %s" NL "table inet %s {" NL,
		      table, table, table);
	strbuf_puts(s->out, "\tchain forward {" NL
			    "\t\ttype filter hook forward priority mangle; policy accept;" NL);
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		if (!emit_tcp_mss(s->mg, mt, AF_V4))
			continue;
		char m[EMIT_NAME_MAX + 32];
		if (mt->route_based) {
			char name[32];
			emit_xfrm_if_name(s->mg, mt, name, sizeof(name));
			unsigned mss = emit_tcp_mss(s->mg, mt, emit_inner_family(mt));
			snprintf(m, sizeof(m), "oifname \"%s\"", name);
			mss_rule(s, m, mss, mt->ir->name);
			snprintf(m, sizeof(m), "iifname \"%s\"", name);
			mss_rule(s, m, mss, mt->ir->name);
			continue;
		}
		const ir_prefix_vec *r = &mt->here->remote;
		for (size_t i = 0; i < r->n; i++) {
			const struct ip_prefix *p = &r->v[i].p;
			char net[ADDR_STRLEN];
			prefix_format(p, net, sizeof(net), true);
			const char *fam = p->addr.family == AF_V6 ? "ip6" : "ip";
			unsigned mss = emit_tcp_mss(s->mg, mt, p->addr.family);
			snprintf(m, sizeof(m), "%s daddr %s", fam, net);
			mss_rule(s, m, mss, mt->ir->name);
			snprintf(m, sizeof(m), "%s saddr %s", fam, net);
			mss_rule(s, m, mss, mt->ir->name);
		}
	}
	strbuf_puts(s->out, "\t}" NL "}" NL "TUNC_NFT" NL);
}

/* What the script expects to find: it configures tunnels, not the
 * interfaces.  The `tunc-iface` / `tunc-route` lines are stable for tools
 * (the namespace tests build a gateway from them). */
static void write_expectations(struct xfrm *s)
{
	const struct ir_gateway *g = s->mg->ir;
	if (!g->interfaces.n)
		return;
	strbuf_puts(s->out, CMT " This script expects the interfaces and routes as described "
			    "(it does not configure them):" NL);
	emit_iface_lines(g, s->out, CMT, NL, false);
	struct model_route scratch;
	for (size_t i = 0, n_routes = model_route_count(s->mg); i < n_routes; i++) {
		const struct model_route *r = model_route_at(s->mg, i, &scratch);
		if (r->connected || r->tunnel)
			continue;       /* a tunnel interface's: the script writes them */
		char d[ADDR_STRLEN], v[ADDR_STRLEN] = "-";
		prefix_format(&r->dst, d, sizeof(d), false);
		if (r->via.family)
			emit_addr(&r->via, v, sizeof(v));
		strbuf_printf(s->out, CMT "   tunc-route %s via %s dev %s" NL, d, v,
			      r->iface ? r->iface->name : "-");
	}
}

bool emit_xfrm(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	struct xfrm s = {.ctx = ctx, .mg = mg, .out = out, .ok = true};
	strbuf_puts(out, "#!/bin/sh" NL);
	bool keys = false;
	for (size_t t = 0; t < mg->tunnels.n; t++)
		keys |= manual_toward_peer(mg->tunnels.v[t]);
	emit_header(ctx, mg, out, CMT, NL, keys);
	write_expectations(&s);
	strbuf_puts(out, "set -eu" NL);
	bool v4 = false, v6 = false;
	for (size_t i = 0; i < model_spd_count(mg, SPD_OUT); i++) {
		const struct spd_entry *e = model_spd_entry(mg, SPD_OUT, i);
		if (e->tunnel && e->action == SPD_PROTECT) {
			v4 |= e->stored_sel->src.addr.family == AF_V4;  /* mirrored or not: */
			v6 |= e->stored_sel->src.addr.family == AF_V6;  /* one family */
		}
	}
	for (size_t t = 0; t < mg->tunnels.n; t++) {
		const struct model_tunnel *mt = mg->tunnels.v[t];
		if (mt->route_based) {
			v4 |= emit_inner_family(mt) == AF_V4;
			v6 |= emit_inner_family(mt) == AF_V6;
		}
	}
	strbuf_puts(out, CMT " A gateway forwards." NL);
	if (v4 || !v6)
		strbuf_puts(out, "sysctl -w net.ipv4.ip_forward=1 >/dev/null" NL);
	if (v6)
		strbuf_puts(out, "sysctl -w net.ipv6.conf.all.forwarding=1 >/dev/null" NL);
	for (size_t t = 0; t < mg->tunnels.n; t++)
		write_tunnel(&s, mg->tunnels.v[t]);
	write_nat(&s);
	write_mss(&s);
	if (!emit_nft_filters(ctx, mg, out))
		s.ok = false;
	return s.ok;
}
