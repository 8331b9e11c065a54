/* The peer sheet (`peer-sheet`, PEER.peer.txt): for a peer tunc does not
 * configure, the parameters its administrator must set to match, as the
 * table partners and cloud providers exchange (EMITTERS.md, doc/emitters.md).
 * Everything comes from the peer's side of the model (its model_tunnel:
 * endpoints, proposals, selectors, NAT-T, DPD, inside addresses), in the
 * partner's vocabulary where its platform row has one (platform_vocab), and
 * each line ends with the .tun line it comes from.  The key is never
 * written: only where it is kept. */
#include "config.h"
#include "emit/common.h"
#include "emit/targets.h"

#include <stdio.h>
#include <string.h>

#define KEY_WIDTH 26

struct sheet {
	struct emit_ctx *ctx;
	const struct model_gateway *mg;
	const struct platform_vocab *vocab;     /* NULL: tunc's words */
	struct strbuf *out;
};

/* "  KEY  VALUE  (FILE:LINE)": one parameter and where it is described. */
static void line(struct sheet *s, const char *key, const char *value, struct tunc_loc loc)
{
	char where[512] = "";
	if (loc.file)
		emit_loc_text(s->ctx, loc, where, sizeof(where));
	strbuf_printf(s->out, "  %-*s %s", KEY_WIDTH, key, value);
	if (where[0])
		strbuf_printf(s->out, "  (%s)", where);
	strbuf_puts(s->out, "\n");
}

/* LOC where the statement was written, else FALLBACK (the proposal's name). */
static struct tunc_loc at_or(struct tunc_loc loc, struct tunc_loc fallback)
{
	return loc.file ? loc : fallback;
}

/* How the partner names ID, from LIST; tunc's NAME when the vocabulary has
 * no entry (and says the platform does not list it). */
static void put_name(struct sheet *s, struct strbuf *b, const struct platform_name *list,
		     unsigned id, const char *tunc_name)
{
	const char *n = s->vocab ? platform_vocab_name(list, id) : NULL;
	if (n)
		strbuf_puts(b, n);
	else if (s->vocab && list)
		strbuf_printf(b, "%s (not in %s's list)", tunc_name, s->mg->platform->description);
	else
		strbuf_puts(b, tunc_name);
}

static const struct platform_name *vocab_list(const struct sheet *s, int which)
{
	const struct platform_vocab *v = s->vocab;
	if (!v)
		return NULL;
	const struct platform_name *lists[] = {v->ike_enc, v->ike_integ, v->ike_groups,
					       v->esp_enc, v->esp_integ, v->pfs_groups};
	return lists[which];
}
enum { V_IKE_ENC, V_IKE_INTEG, V_IKE_GROUP, V_ESP_ENC, V_ESP_INTEG, V_PFS };

static void group_text(struct sheet *s, struct strbuf *b, int which, unsigned g)
{
	char tn[32];
	snprintf(tn, sizeof(tn), "group %u (%s)", g, dh_group_name(g));
	put_name(s, b, vocab_list(s, which), g, tn);
}

static void ike_lines(struct sheet *s, const struct ir_ike *ike)
{
	struct strbuf b = STRBUF_INIT;
	strbuf_printf(&b, "IKEv%u", ike->version);
	line(s, "IKE version", strbuf_cstr(&b), at_or(ike->version_loc, ike->loc));
	if (ike->version == 1) {
		line(s, "IKE mode", ike->mode == IKE_MODE_AGGRESSIVE ? "aggressive" : "main",
		     at_or(ike->mode_loc, ike->loc));
	}
	if (s->vocab && s->vocab->join) {
		/* One proposal string per suite, in order of preference. */
		struct emit_ike_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ike_combos(ike, c, EMIT_COMBOS_MAX);
		strbuf_reset(&b);
		for (size_t i = 0; i < n; i++) {
			if (i)
				strbuf_puts(&b, ", ");
			put_name(s, &b, s->vocab->ike_enc, c[i].enc, encryption_name(c[i].enc));
			strbuf_puts(&b, s->vocab->join);
			put_name(s, &b, s->vocab->ike_integ, c[i].integ, integrity_name(c[i].integ));
			strbuf_puts(&b, s->vocab->join);
			put_name(s, &b, s->vocab->ike_groups, c[i].group, dh_group_name(c[i].group));
		}
		line(s, "IKE proposals", strbuf_cstr(&b), ike->loc);
	} else {
		strbuf_reset(&b);
		for (size_t i = 0; i < ike->encryption.n; i++) {
			if (i)
				strbuf_puts(&b, ", ");
			put_name(s, &b, vocab_list(s, V_IKE_ENC), ike->encryption.v[i],
				 encryption_name(ike->encryption.v[i]));
		}
		line(s, "Phase 1 encryption", strbuf_cstr(&b), at_or(ike->encryption_loc, ike->loc));
		strbuf_reset(&b);
		for (size_t i = 0; i < ike->integrity.n; i++) {
			if (i)
				strbuf_puts(&b, ", ");
			put_name(s, &b, vocab_list(s, V_IKE_INTEG), ike->integrity.v[i],
				 integrity_name(ike->integrity.v[i]));
		}
		line(s, "Phase 1 integrity", strbuf_cstr(&b), at_or(ike->integrity_loc, ike->loc));
		strbuf_reset(&b);
		for (size_t i = 0; i < ike->group.n; i++) {
			if (i)
				strbuf_puts(&b, ", ");
			group_text(s, &b, V_IKE_GROUP, ike->group.v[i]);
		}
		line(s, "Phase 1 DH groups", strbuf_cstr(&b), at_or(ike->group_loc, ike->loc));
	}
	strbuf_reset(&b);
	strbuf_printf(&b, "%llu s", (unsigned long long)ike->lifetime_s);
	line(s, "Phase 1 lifetime", strbuf_cstr(&b), at_or(ike->lifetime_loc, ike->loc));
	strbuf_free(&b);
}

static void ipsec_lines(struct sheet *s, const struct ir_ipsec *ps)
{
	struct strbuf b = STRBUF_INIT;
	line(s, "Phase 2 protocol", ps->protocol == IPSEC_AH ? "AH, tunnel mode" : "ESP, tunnel mode",
	     at_or(ps->protocol_loc, ps->loc));
	if (s->vocab && s->vocab->join) {
		struct emit_esp_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ipsec_combos(ps, c, EMIT_COMBOS_MAX);
		for (size_t i = 0; i < n; i++) {
			if (i)
				strbuf_puts(&b, ", ");
			if (!c[i].ah)
				put_name(s, &b, s->vocab->esp_enc, c[i].enc, encryption_name(c[i].enc));
			if (c[i].integ != INTEG_NONE) {
				if (!c[i].ah)
					strbuf_puts(&b, s->vocab->join);
				put_name(s, &b, s->vocab->esp_integ, c[i].integ,
					 integrity_name(c[i].integ));
			}
			if (ps->pfs) {
				strbuf_puts(&b, s->vocab->join);
				put_name(s, &b, s->vocab->pfs_groups, ps->pfs, dh_group_name(ps->pfs));
			}
		}
		line(s, "Phase 2 proposals", strbuf_cstr(&b), ps->loc);
	} else {
		if (ps->protocol == IPSEC_ESP) {
			for (size_t i = 0; i < ps->encryption.n; i++) {
				if (i)
					strbuf_puts(&b, ", ");
				put_name(s, &b, vocab_list(s, V_ESP_ENC), ps->encryption.v[i],
					 encryption_name(ps->encryption.v[i]));
			}
			line(s, "Phase 2 encryption", strbuf_cstr(&b),
			     at_or(ps->encryption_loc, ps->loc));
		}
		strbuf_reset(&b);
		for (size_t i = 0; i < ps->integrity.n; i++) {
			if (i)
				strbuf_puts(&b, ", ");
			if (ps->integrity.v[i] == INTEG_NONE)
				strbuf_puts(&b, "none (the GCM cipher authenticates)");
			else
				put_name(s, &b, vocab_list(s, V_ESP_INTEG), ps->integrity.v[i],
					 integrity_name(ps->integrity.v[i]));
		}
		line(s, "Phase 2 integrity", strbuf_cstr(&b), at_or(ps->integrity_loc, ps->loc));
	}
	strbuf_reset(&b);
	if (ps->pfs)
		group_text(s, &b, V_PFS, ps->pfs);
	else
		strbuf_puts(&b, "none");
	line(s, "PFS", strbuf_cstr(&b), at_or(ps->pfs_loc, ps->loc));
	strbuf_reset(&b);
	strbuf_printf(&b, "%llu s", (unsigned long long)ps->lifetime_s);
	if (ps->lifetime_kb)
		strbuf_printf(&b, " or %llu KB", (unsigned long long)ps->lifetime_kb);
	line(s, "Phase 2 lifetime", strbuf_cstr(&b), at_or(ps->lifetime_loc, ps->loc));
	strbuf_free(&b);
}

static void selector_lines(struct sheet *s, const struct model_tunnel *mt)
{
	struct selector_pairs sp = model_tunnel_selectors(mt, 0);
	const char *key = "Traffic selectors";
	if (!sp.n)
		line(s, key, "none", mt->ir->loc);
	for (size_t i = 0; i < sp.n; i++) {
		char t[200];
		selector_format(&sp.v[i].sel, t, sizeof(t));
		line(s, i ? "" : key, t, model_tunnel_selectors_loc(mt));
	}
	if (mt->route_based)
		line(s, "", "(route-based: routes through the tunnel interface decide what "
		     "enters it)", ir_end_route_based(mt->here)->loc);
	const struct platform_peer_rules *r = s->mg->platform->rules;
	if (r && r->selector_note)
		line(s, "", r->selector_note, LOC_NONE);
}

static void psk_line(struct sheet *s, const struct model_tunnel *mt)
{
	const struct ir_psk *k = model_tunnel_psk(mt);
	struct strbuf b = STRBUF_INIT;
	if (!k || k->source == PSK_NONE)
		strbuf_puts(&b, "none given");
	else if (k->source == PSK_FILE)
		strbuf_printf(&b, "in the file \"%s\" (not shown here; pass it to the partner "
			      "out of band)", k->value);
	else if (k->source == PSK_ENV)
		strbuf_printf(&b, "in the environment variable %s at compile time (not shown here)",
			      k->value);
	else
		strbuf_puts(&b, "written inline in the .tun file (not shown here; move it to a "
			    "key file)");
	line(s, "Pre-shared key", strbuf_cstr(&b), k ? k->loc : LOC_NONE);
	strbuf_free(&b);
}

static void tunnel_section(struct sheet *s, const struct model_tunnel *mt)
{
	const struct ir_ike *ike = model_tunnel_ike(mt);
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	struct strbuf b = STRBUF_INIT;
	const struct ir_tunnel_end *here = mt->here, *there = model_tunnel_there(mt);
	const char *other = model_tunnel_peer(mt) ? model_tunnel_peer(mt)->name : "?";
	char a[ADDR_STRLEN];

	strbuf_puts(s->out, "\n");
	emit_tunnel_banner(s->ctx, mt, s->out, "#", "\n");
	emit_addr(model_tunnel_local_ep(mt), a, sizeof(a));
	strbuf_printf(&b, "%s (%s)", a, model_tunnel_self(mt)->name);
	line(s, "Local endpoint", strbuf_cstr(&b),
	     ir_end_written(here)->local_endpoint_set ? ir_end_written(here)->local_endpoint_loc
						      : model_tunnel_self(mt)->address_loc);
	strbuf_reset(&b);
	emit_addr(model_tunnel_remote_ep(mt), a, sizeof(a));
	strbuf_printf(&b, "%s (%s)", a, other);
	line(s, "Remote endpoint", strbuf_cstr(&b),
	     ir_end_written(here)->remote_endpoint_set ? ir_end_written(here)->remote_endpoint_loc : mt->ir->between_loc);
	if (ike)
		ike_lines(s, ike);
	if (ipsec)
		ipsec_lines(s, ipsec);
	selector_lines(s, mt);

	const char *natt = mt->ir->nat_traversal == NATT_ON ? "on (UDP 4500 always)"
			 : mt->ir->nat_traversal == NATT_OFF ? "off (UDP 500 and ESP only)"
			 : mt->nat_traversal ? "auto: a NAT is described on the path, so UDP 4500"
					     : "auto (UDP 4500 only when a NAT is detected)";
	line(s, "NAT traversal", natt, mt->ir->nat_traversal_loc);

	const struct platform_peer_rules *r = s->mg->platform->rules;
	strbuf_reset(&b);
	if (ir_end_dpd(here)->set)
		strbuf_printf(&b, "every %llu s", (unsigned long long)ir_end_dpd(here)->interval_s);
	else
		strbuf_puts(&b, "not described for this end");
	if (ir_end_dpd(there)->set)
		strbuf_printf(&b, "; %s sends it every %llu s", other,
			      (unsigned long long)ir_end_dpd(there)->interval_s);
	if (r && r->dpd_timeout_s)
		strbuf_printf(&b, "; %s's timeout: %u s", s->mg->platform->description,
			      r->dpd_timeout_s);
	line(s, "Dead-peer detection", strbuf_cstr(&b),
	     ir_end_dpd(here)->set ? ir_end_dpd(here)->loc : ir_end_dpd(there)->loc);
	psk_line(s, mt);

	if (ir_end_route_based(here)->set || ir_end_route_based(there)->set) {
		char h[ADDR_STRLEN], t[ADDR_STRLEN];
		strbuf_reset(&b);
		if (ir_end_route_based(here)->set) {
			emit_addr(&ir_end_tunnel_address(here)->addr, h, sizeof(h));
			strbuf_printf(&b, "%s/%u (%s)", h, ir_end_tunnel_address(here)->len,
				      model_tunnel_self(mt)->name);
		}
		if (ir_end_route_based(there)->set) {
			emit_addr(&ir_end_tunnel_address(there)->addr, t, sizeof(t));
			strbuf_printf(&b, "%s%s/%u (%s)", b.len ? ", " : "", t,
				      ir_end_tunnel_address(there)->len, other);
		}
		line(s, "Tunnel inside addresses", strbuf_cstr(&b),
		     ir_end_route_based(here)->set ? ir_end_route_based(here)->loc : ir_end_route_based(there)->loc);
	}
	if (ir_end_tcp_mss(there)->mode == TCP_MSS_FIXED || ir_end_tcp_mss(there)->mode == TCP_MSS_AUTO) {
		strbuf_reset(&b);
		if (ir_end_tcp_mss(there)->mode == TCP_MSS_FIXED)
			strbuf_printf(&b, "%s clamps TCP MSS to %u", other, ir_end_tcp_mss(there)->value);
		else
			strbuf_printf(&b, "%s clamps TCP MSS to fit its MTU", other);
		line(s, "TCP MSS", strbuf_cstr(&b), ir_end_tcp_mss(there)->loc);
	}
	if (r && r->responder_only && r->initiator_note)
		line(s, "Who starts IKE", r->initiator_note, LOC_NONE);
	strbuf_free(&b);
}

bool emit_peer_sheet(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	const struct platform_info *p = mg->platform;
	struct sheet s = {ctx, mg, p->vocab, out};
	emit_header(ctx, mg, out, "#", "\n", false);
	strbuf_puts(out, "# What the administrator of this peer configures to match; each line "
			 "ends with the .tun line it comes from.\n");
	if (p->vocab)
		strbuf_printf(out, "# Names as %s writes them.\n", p->vocab->label);
	else
		strbuf_puts(out, "# Its platform is not described: names are tunc's (IKE and ESP "
				 "transform names of RFC 8221/8247).\n");
	if (p->rules && p->rules->source)
		strbuf_printf(out, "# %s's documented rules: %s\n", p->description, p->rules->source);
	if (!mg->tunnels.n)
		strbuf_puts(out, "\n# No tunnel names this peer.\n");
	for (size_t i = 0; i < mg->tunnels.n; i++)
		tunnel_section(&s, mg->tunnels.v[i]);
	return true;
}
