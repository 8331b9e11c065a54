/* IR -> .tun text for `tunc import`: every statement followed by a
 * comment naming the line of the configuration it came from, keys in 0600
 * files beside the .tun (never in it), which the caller writes with the
 * .tun as one set. */
#include "config.h"
#include "import/import.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ir/addr.h"
#include "util/symtab.h"

static void origin(struct strbuf *o, const struct ir *ir, struct tunc_loc loc)
{
	unsigned line, col;
	source_line_col(ir->sources, loc, &line, &col);
	if (line)
		strbuf_printf(o, "  # %s:%u", source_path(ir->sources, loc), line);
	strbuf_putc(o, '\n');
}

static void prefix(struct strbuf *o, const struct ir_prefix *p)
{
	char buf[ADDR_STRLEN + 8];
	prefix_format(&p->p, buf, sizeof(buf), false);
	strbuf_puts(o, p->is_any ? "any" : buf);
}

/* `filter in|out { RULE...; default ACTION; }` in an interface block. */
static void filter(struct strbuf *o, const struct ir *ir, const struct ir_filter *f,
		   const char *dir)
{
	if (!f)
		return;
	strbuf_printf(o, "            filter %s {", dir);
	origin(o, ir, f->loc);
	for (size_t i = 0; i < f->rules.n; i++) {
		const struct ir_filter_rule *r = &f->rules.v[i];
		strbuf_printf(o, "                %s ", r->action == FILTER_PERMIT ? "permit" : "drop");
		prefix(o, &r->src);
		strbuf_puts(o, " -> ");
		prefix(o, &r->dst);
		if (r->proto != PROTO_ANY) {
			const char *name = protocol_name(r->proto);
			if (name)
				strbuf_printf(o, " %s", name);
			else
				strbuf_printf(o, " %u", r->proto);
		}
		if (r->port_lo && r->port_lo == r->port_hi)
			strbuf_printf(o, " %u", r->port_lo);
		else if (r->port_lo || r->port_hi)
			strbuf_printf(o, " %u-%u", r->port_lo, r->port_hi);
		strbuf_putc(o, ';');
		origin(o, ir, r->loc);
	}
	strbuf_printf(o, "                default %s;",
		      f->default_action == FILTER_PERMIT ? "permit" : "drop");
	origin(o, ir, f->default_loc);
	strbuf_puts(o, "            }\n");
}

static void prefix_list(struct strbuf *o, const ir_prefix_vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			strbuf_puts(o, ", ");
		prefix(o, &v->v[i]);
	}
}

static void proposal(struct strbuf *o, const struct ir *ir, bool ike, const char *name,
		     struct tunc_loc loc, const ir_enc_vec *enc, struct tunc_loc eloc,
		     const ir_integ_vec *integ, struct tunc_loc iloc)
{
	strbuf_printf(o, "%s \"%s\" {", ike ? "ike" : "ipsec", name);
	origin(o, ir, loc);
	if (enc->n) {
		strbuf_puts(o, "    encryption ");
		for (size_t i = 0; i < enc->n; i++)
			strbuf_printf(o, "%s%s", i ? ", " : "", encryption_name(enc->v[i]));
		strbuf_putc(o, ';');
		origin(o, ir, eloc);
	}
	if (integ->n) {
		strbuf_puts(o, "    integrity ");
		for (size_t i = 0; i < integ->n; i++)
			strbuf_printf(o, "%s%s", i ? ", " : "", integrity_name(integ->v[i]));
		strbuf_putc(o, ';');
		origin(o, ir, iloc);
	}
}

static void proposals(struct strbuf *o, const struct ir *ir)
{
	for (size_t i = 0; i < ir->ikes.n; i++) {
		const struct ir_ike *p = ir->ikes.v[i];
		proposal(o, ir, true, p->name, p->loc, &p->encryption, p->encryption_loc,
			 &p->integrity, p->integrity_loc);
		strbuf_printf(o, "    version %u;", p->version);
		origin(o, ir, p->version_loc.file ? p->version_loc : p->loc);
		if (p->group.n) {
			strbuf_puts(o, "    group ");
			for (size_t k = 0; k < p->group.n; k++)
				strbuf_printf(o, "%s%u", k ? ", " : "", p->group.v[k]);
			strbuf_putc(o, ';');
			origin(o, ir, p->group_loc);
		}
		strbuf_printf(o, "    lifetime %llus;", (unsigned long long)p->lifetime_s);
		origin(o, ir, p->lifetime_loc.file ? p->lifetime_loc : p->loc);
		strbuf_puts(o, "}\n\n");
	}
	for (size_t i = 0; i < ir->ipsecs.n; i++) {
		const struct ir_ipsec *p = ir->ipsecs.v[i];
		proposal(o, ir, false, p->name, p->loc, &p->encryption, p->encryption_loc,
			 &p->integrity, p->integrity_loc);
		strbuf_printf(o, "    protocol %s;", p->protocol == IPSEC_AH ? "ah" : "esp");
		origin(o, ir, p->protocol_loc.file ? p->protocol_loc : p->loc);
		if (p->pfs)
			strbuf_printf(o, "    pfs %u;", p->pfs);
		else
			strbuf_puts(o, "    pfs none;");
		origin(o, ir, p->pfs_loc.file ? p->pfs_loc : p->loc);
		strbuf_printf(o, "    lifetime %llus", (unsigned long long)p->lifetime_s);
		if (p->lifetime_kb)
			strbuf_printf(o, " %lluK", (unsigned long long)p->lifetime_kb);
		strbuf_putc(o, ';');
		origin(o, ir, p->lifetime_loc.file ? p->lifetime_loc : p->loc);
		strbuf_puts(o, "}\n\n");
	}
}

static void gateway(struct strbuf *o, const struct ir *ir, const struct ir_gateway *g)
{
	char buf[ADDR_STRLEN + 8];
	strbuf_printf(o, "    gateway \"%s\" {", g->name);
	origin(o, ir, g->loc);
	if (g->has_platform) {
		strbuf_printf(o, "        platform %s%s%s;", platform_name(g->platform),
			      g->version ? " " : "", g->version ? g->version : "");
		origin(o, ir, g->platform_loc);
	}
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *f = g->interfaces.v[i];
		strbuf_printf(o, "        interface \"%s\" {", f->name);
		origin(o, ir, f->loc);
		if (f->has_address) {
			prefix_format(&f->address, buf, sizeof(buf), false);
			strbuf_printf(o, "            address %s;", buf);
			origin(o, ir, f->address_loc);
		}
		if (f->outside)
			strbuf_puts(o, "            outside;\n");
		if (ir_iface_written(f)->behind_nat) {
			addr_format(&ir_iface_written(f)->nat_address, buf, sizeof(buf));
			strbuf_printf(o, "            behind-nat %s;", buf);
			origin(o, ir, ir_iface_written(f)->behind_nat_loc);
		}
		filter(o, ir, ir_iface_written(f)->filter_in, "in");
		filter(o, ir, ir_iface_written(f)->filter_out, "out");
		strbuf_puts(o, "        }\n");
	}
	for (size_t i = 0; i < g->routes.n; i++) {
		const struct ir_route *r = &g->routes.v[i];
		strbuf_puts(o, "        route ");
		prefix(o, &r->dst);
		addr_format(&r->via, buf, sizeof(buf));
		strbuf_printf(o, " via %s", buf);
		if (r->dev.name)
			strbuf_printf(o, " dev \"%s\"", r->dev.name);
		if (r->metric)
			strbuf_printf(o, " metric %u", r->metric);
		strbuf_putc(o, ';');
		origin(o, ir, r->loc);
	}
	if (g->nat.n) {
		strbuf_puts(o, "        nat {\n");
		for (size_t i = 0; i < g->nat.n; i++) {
			const struct ir_nat_rule *n = &g->nat.v[i];
			if (n->kind == NAT_STATIC) {
				addr_format(&n->static_from, buf, sizeof(buf));
				strbuf_printf(o, "            static %s to ", buf);
				addr_format(&n->static_to, buf, sizeof(buf));
				strbuf_printf(o, "%s;", buf);
				origin(o, ir, n->loc);
				continue;
			}
			strbuf_puts(o, n->kind == NAT_OVERLOAD ? "            overload " :
				    "            exempt ");
			prefix(o, &n->src);
			if (n->kind == NAT_OVERLOAD)
				strbuf_printf(o, " on \"%s\";", n->iface.name);
			else {
				strbuf_puts(o, " -> ");
				prefix(o, &n->dst);
				strbuf_putc(o, ';');
			}
			origin(o, ir, n->loc);
		}
		strbuf_puts(o, "        }\n");
	}
	strbuf_puts(o, "    }\n");
}

static void sites(struct strbuf *o, const struct ir *ir)
{
	char buf[ADDR_STRLEN + 8];
	for (size_t i = 0; i < ir->sites.n; i++) {
		const struct ir_site *s = ir->sites.v[i];
		strbuf_printf(o, "site \"%s\" {", s->name);
		origin(o, ir, s->loc);
		if (s->subnets.n) {
			strbuf_puts(o, "    subnet ");
			prefix_list(o, &s->subnets);
			strbuf_putc(o, ';');
			origin(o, ir, s->subnets.v[0].loc);
		}
		for (size_t k = 0; k < s->gateways.n; k++)
			gateway(o, ir, s->gateways.v[k]);
		strbuf_puts(o, "}\n\n");
	}
	for (size_t i = 0; i < ir->gateways.n; i++) {
		const struct ir_gateway *g = ir->gateways.v[i];
		if (g->kind != GW_PEER)
			continue;
		/* From a peer sheet, or the far end of an end whose partner
		 * is not among the files. */
		strbuf_printf(o, "# A far end tunc does not configure, as the files describe it.\n"
			      "peer \"%s\" {", g->name);
		origin(o, ir, g->loc);
		addr_format(&g->address, buf, sizeof(buf));
		strbuf_printf(o, "    address %s;", buf);
		origin(o, ir, g->address_loc);
		if (g->has_platform) {  /* a peer sheet says it */
			strbuf_printf(o, "    platform %s%s%s;", platform_name(g->platform),
				      g->version && *g->version ? " " : "", g->version ? g->version : "");
			origin(o, ir, g->platform_loc);
		}
		if (g->subnets.n) {
			strbuf_puts(o, "    subnet ");
			prefix_list(o, &g->subnets);
			strbuf_puts(o, ";\n");
		}
		strbuf_puts(o, "}\n\n");
	}
}

/* `psk file "NAME";` with the key added to KEYS as NAME
 * (TUNNEL[.GATEWAY].psk); false when NAME is taken already. */
static bool psk_stmt(struct strbuf *o, const struct ir *ir, const struct ir_tunnel *t,
		     const char *gw, const struct ir_psk *psk, const char *indent,
		     const char *keyref, import_key_files *keys, struct symtab *names,
		     char *err, size_t errlen)
{
	struct arena *a = (struct arena *)&ir->arena;
	char *name = arena_printf(a, "%s%s%s.psk", t->name, gw ? "." : "", gw ? gw : "");
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	if (symtab_put(names, name, name)) {
		snprintf(err, errlen, "two keys would share the file '%s' (tunnel %s%s%s): rename "
			 "a tunnel or a gateway", name, t->name, gw ? ", gateway " : "", gw ? gw : "");
		return false;
	}
	char *data = arena_printf(a, "%s\n", psk->value);
	arena_vec_push(a, keys, ((struct import_key_file){name, data, strlen(data)}));
	strbuf_printf(o, "%spsk file \"%s%s%s\";", indent, keyref, *keyref ? "/" : "", name);
	origin(o, ir, psk->loc);
	return true;
}

/* What src/import/end_settings.c gave the end: keying, route-based, tcp-mss, dpd,
 * protocol, mirrored, accept-unsecured. */
static void end_settings(struct strbuf *o, const struct ir *ir, const struct ir_tunnel_end *e)
{
	char buf[ADDR_STRLEN + 8];
	if (e->keying_set && e->keying == KEYING_MANUAL) {
		strbuf_puts(o, "        keying manual;");
		origin(o, ir, e->keying_loc);
	}
	if (ir_end_route_based(e)->set) {
		prefix_format(&ir_end_route_based(e)->prefix.p, buf, sizeof(buf), false);
		strbuf_printf(o, "        route-based %s;", buf);
		origin(o, ir, ir_end_route_based(e)->loc);
	}
	if (ir_end_tcp_mss(e)->mode == TCP_MSS_FIXED) {
		strbuf_printf(o, "        tcp-mss %u;", ir_end_tcp_mss(e)->value);
		origin(o, ir, ir_end_tcp_mss(e)->loc);
	}
	if (ir_end_dpd(e)->set) {
		strbuf_printf(o, "        dpd %llus;", (unsigned long long)ir_end_dpd(e)->interval_s);
		origin(o, ir, ir_end_dpd(e)->loc);
	}
	if (e->proto != PROTO_ANY) {
		const char *name = protocol_name(e->proto);
		if (name)
			strbuf_printf(o, "        protocol %s", name);
		else
			strbuf_printf(o, "        protocol %u", e->proto);
		if (e->port_lo && e->port_lo == e->port_hi)
			strbuf_printf(o, " %u", e->port_lo);
		else if (e->port_lo || e->port_hi)
			strbuf_printf(o, " %u-%u", e->port_lo, e->port_hi);
		strbuf_putc(o, ';');
		origin(o, ir, ir_end_written(e)->protocol_loc);
	}
	if (ir_end_written(e)->mirrored) {
		strbuf_puts(o, "        mirrored;");
		origin(o, ir, ir_end_written(e)->mirrored_loc);
	}
	if (ir_end_written(e)->accept_unsecured) {
		strbuf_puts(o, "        accept-unsecured;");
		origin(o, ir, ir_end_written(e)->accept_unsecured_loc);
	}
}

static bool end_block(struct strbuf *o, const struct ir *ir, const struct ir_tunnel *t,
		      const struct ir_tunnel_end *e, const char *keyref, import_key_files *keys,
		      struct symtab *names, char *err, size_t errlen)
{
	char buf[ADDR_STRLEN];
	strbuf_printf(o, "    \"%s\" {", e->gw.name);
	origin(o, ir, ir_end_written(e)->block_loc);
	if (e->local_set) {
		strbuf_puts(o, "        local ");
		prefix_list(o, &e->local);
		strbuf_putc(o, ';');
		origin(o, ir, ir_end_written(e)->local_loc);
	}
	if (e->remote_set) {
		strbuf_puts(o, "        remote ");
		prefix_list(o, &e->remote);
		strbuf_putc(o, ';');
		origin(o, ir, ir_end_written(e)->remote_loc);
	}
	if (ir_end_written(e)->local_endpoint_set) {
		addr_format(&e->local_endpoint, buf, sizeof(buf));
		strbuf_printf(o, "        local-endpoint %s;", buf);
		origin(o, ir, ir_end_written(e)->local_endpoint_loc);
	}
	if (ir_end_written(e)->remote_endpoint_set) {
		addr_format(&e->remote_endpoint, buf, sizeof(buf));
		strbuf_printf(o, "        remote-endpoint %s;", buf);
		origin(o, ir, ir_end_written(e)->remote_endpoint_loc);
	}
	const struct ir_end_written *w = ir_end_written(e);
	if (w->ike.name) {
		strbuf_printf(o, "        ike \"%s\";", w->ike.name);
		origin(o, ir, w->ike.loc);
	}
	if (w->ipsec.name) {
		strbuf_printf(o, "        ipsec \"%s\";", w->ipsec.name);
		origin(o, ir, w->ipsec.loc);
	}
	end_settings(o, ir, e);
	if (w->psk.source == PSK_INLINE &&
	    !psk_stmt(o, ir, t, e->gw.name, &w->psk, "        ", keyref, keys, names, err, errlen))
		return false;
	strbuf_puts(o, "    }\n");
	return true;
}

bool import_write_tun(const struct ir *ir, struct strbuf *o, const char *keyref,
		      import_key_files *keys, char *err, size_t errlen)
{
	struct symtab names;
	symtab_init(&names);
	bool ok = true;
	/* One file a line, in the order given (a hub and its 10,000 spokes
	 * would otherwise be one line of half a megabyte). */
	strbuf_puts(o, "# Imported by tunc from:\n");
	for (size_t f = 1; f < ir->sources->n; f++) {
		strbuf_puts(o, "#   ");
		/* A control character (a newline in a file name) would end the
		 * comment: '?' instead. */
		for (const char *p = ir->sources->files[f].path; *p; p++)
			strbuf_putc(o, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
		strbuf_putc(o, '\n');
	}
	strbuf_puts(o, "# Each statement names the line it came from; keys are in the .psk files.\n\n");
	proposals(o, ir);
	sites(o, ir);
	for (size_t i = 0; i < ir->tunnels.n; i++) {
		const struct ir_tunnel *t = ir->tunnels.v[i];
		strbuf_printf(o, "tunnel \"%s\" {", t->name);
		origin(o, ir, t->loc);
		strbuf_printf(o, "    between \"%s\" and \"%s\";", t->end[0].gw.name, t->end[1].gw.name);
		origin(o, ir, t->between_loc);
		if (t->ike.name) {
			strbuf_printf(o, "    ike \"%s\";", t->ike.name);
			origin(o, ir, t->ike.loc);
		}
		if (t->ipsec.name) {
			strbuf_printf(o, "    ipsec \"%s\";", t->ipsec.name);
			origin(o, ir, t->ipsec.loc);
		}
		if (t->psk.source == PSK_INLINE &&
		    !psk_stmt(o, ir, t, NULL, &t->psk, "    ", keyref, keys, &names, err, errlen))
			ok = false;
		if (ok && t->nat_traversal != NATT_AUTO) {      /* a peer sheet says it */
			strbuf_printf(o, "    nat-traversal %s;",
				      t->nat_traversal == NATT_ON ? "on" : "off");
			origin(o, ir, t->nat_traversal_loc);
		}
		for (size_t k = 0; ok && k < t->end_blocks.n; k++)
			ok = end_block(o, ir, t, t->end_blocks.v[k], keyref, keys, &names, err, errlen);
		if (!ok)
			break;
		strbuf_puts(o, "}\n\n");
	}
	symtab_free(&names);
	return ok;
}
