/* What to send: `--send 'SRC -> DST [PROTO [PORT]]'` and `expect` lines.
 * SRC and DST are hosts, gateways (a gateway's own traffic), addresses or
 * prefixes (their first host address). */
#include "config.h"
#include "engine/engine_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The address a packet to gateway G is sent to: the interface facing the
 * sender when the sender is on one of its links, else its tunnel endpoint. */
static struct ip_addr gateway_address(const struct engine *e, const struct ir_gateway *g,
				      const struct ip_addr *from)
{
	if (g->kind == GW_PEER)
		return g->address;
	for (size_t i = 0; from && i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		if (ifc->has_address && prefix_contains_addr(&ifc->address, from))
			return ifc->address.addr;
	}
	const struct model_gateway *mg = model_gateway_of(e->m, g);
	if (mg && mg->tunnels.n && model_tunnel_local_ep(mg->tunnels.v[0])->family)
		return *model_tunnel_local_ep(mg->tunnels.v[0]);
	for (size_t i = 0; i < g->interfaces.n; i++)
		if (g->interfaces.v[i]->outside && g->interfaces.v[i]->has_address)
			return g->interfaces.v[i]->address.addr;
	struct ip_addr none;
	memset(&none, 0, sizeof(none));
	return g->interfaces.n ? g->interfaces.v[0]->address.addr : none;
}

struct point {
	struct ip_addr addr;
	const struct ir_gateway *gw;
	const struct ir_host *host;
};

static bool parse_point(const struct engine *e, const char *text, struct point *p, char *err,
			size_t err_size)
{
	memset(p, 0, sizeof(*p));
	struct ip_prefix pre;
	if (addr_parse(text, &p->addr))
		return true;
	if (prefix_parse(text, &pre)) {
		p->addr = prefix_first_host(&pre);
		return true;
	}
	p->host = ir_find_host(e->ir, text);
	if (p->host) {
		p->addr = p->host->addr;
		return true;
	}
	p->gw = ir_find_gateway(e->ir, text);
	if (p->gw)
		return true;
	snprintf(err, err_size, "'%s' is not a host, a gateway, an address or a prefix", text);
	(void)e;
	return false;
}

bool engine_parse_send(struct engine *e, const char *text, struct engine_send *out,
		       char *err, size_t err_size)
{
	memset(out, 0, sizeof(*out));
	const char *arrow = strstr(text, "->");
	if (!arrow) {
		snprintf(err, err_size, "'%s': expected 'SRC -> DST [PROTO [PORT]]'", text);
		return false;
	}
	char src[256], rest[512];
	const char *s = text;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = (size_t)(arrow - s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(src)) {
		snprintf(err, err_size, "'%s': the source is missing", text);
		return false;
	}
	memcpy(src, s, n);
	src[n] = '\0';
	snprintf(rest, sizeof(rest), "%s", arrow + 2);

	/* SRC -> DST [PROTO [PORT]], then `size N` and `df` in either order. */
	char *tok[3] = {NULL};
	int ntok = 0;
	const char *size_text = NULL;
	for (char *save = NULL, *t = strtok_r(rest, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (ntok && strcmp(t, "df") == 0) {
			out->df = true;
			continue;
		}
		if (ntok && strcmp(t, "size") == 0) {
			size_text = strtok_r(NULL, " \t", &save);
			if (!size_text) {
				snprintf(err, err_size, "'%s': 'size' needs a number of bytes", text);
				return false;
			}
			continue;
		}
		if (ntok == 3 || out->df || size_text) {
			snprintf(err, err_size, "'%s': unexpected '%s'%s", text, t,
				 ntok == 3 ? " after the port" : "");
			return false;
		}
		tok[ntok++] = t;
	}
	if (size_text) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(size_text, &end, 10);
		if (!*size_text || *end || errno || v < IR_PACKET_SIZE_MIN || v > IR_PACKET_SIZE_MAX) {
			snprintf(err, err_size, "'%s': size '%s' is not a packet length (%u-%u bytes)",
				 text, size_text, IR_PACKET_SIZE_MIN, IR_PACKET_SIZE_MAX);
			return false;
		}
		out->size = (unsigned)v;
	}
	if (ntok == 0) {
		snprintf(err, err_size, "'%s': the destination is missing", text);
		return false;
	}
	if (strchr(src, ' ') || strchr(src, '\t')) {
		snprintf(err, err_size, "'%s': the source must be one word", text);
		return false;
	}
	struct point ps, pd;
	char why[300];
	if (!parse_point(e, src, &ps, why, sizeof(why)) ||
	    !parse_point(e, tok[0], &pd, why, sizeof(why))) {
		snprintf(err, err_size, "'%s': %s", text, why);
		return false;
	}
	out->proto = PROTO_ANY;
	if (ntok >= 2) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(tok[1], &end, 10);
		if (protocol_lookup(tok[1], &out->proto)) {
			/* named */
		} else if (*tok[1] && !*end && !errno && v >= 1 && v <= 255) {
			out->proto = (unsigned)v;
		} else {
			snprintf(err, err_size, "'%s': unknown protocol '%s'", text, tok[1]);
			return false;
		}
	}
	if (ntok == 3) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(tok[2], &end, 10);
		if (!*tok[2] || *end || errno || v > 65535 ||
		    (out->proto != 6 && out->proto != 17)) {
			snprintf(err, err_size, "'%s': '%s' is not a port (0-65535, tcp or udp only)",
				 text, tok[2]);
			return false;
		}
		out->port = (uint16_t)v;
	}
	out->src_gw = ps.gw;
	out->src_host = ps.host;
	if (ps.gw) {
		out->src = gateway_address(e, ps.gw, NULL);
	} else {
		out->src = ps.addr;
	}
	out->dst = pd.gw ? gateway_address(e, pd.gw, &out->src) : pd.addr;
	if (out->src.family != out->dst.family) {
		snprintf(err, err_size, "'%s': the source and the destination are of different address families",
			 text);
		return false;
	}
	out->text = arena_strdup(&e->arena, text);
	return true;
}

static struct ip_addr point_addr(const struct ir_expect_point *p)
{
	if (p->kind == EXPECT_PREFIX)
		return prefix_first_host(&p->prefix.p);
	return p->addr;
}

/* The packet an expectation sends, in --send form ("pc1 -> 192.168.2.10
 * icmp"), as CLI.md's run JSON shows it. */
static const char *expect_point_text(const struct ir_expect_point *p, char *buf, size_t size)
{
	if (p->kind != EXPECT_PREFIX)
		return p->ref.name ? p->ref.name : "?";
	prefix_format(&p->prefix.p, buf, size, true);
	return buf;
}

static const char *expect_send_text(struct engine *e, const struct ir_expect *x)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN], proto[16] = "", port[8] = "";
	const char *pname = protocol_name(x->proto);
	if (x->proto != PROTO_ANY && pname)
		snprintf(proto, sizeof(proto), " %s", pname);
	else if (x->proto != PROTO_ANY)
		snprintf(proto, sizeof(proto), " %u", x->proto);
	if (x->port)
		snprintf(port, sizeof(port), " %u", x->port);
	char size[24] = "";
	if (x->size)
		snprintf(size, sizeof(size), " size %u", x->size);
	return arena_printf(&e->arena, "%s -> %s%s%s%s%s", expect_point_text(&x->src, src, sizeof(src)),
			    expect_point_text(&x->dst, dst, sizeof(dst)), proto, port, size,
			    x->df ? " df" : "");
}

void engine_send_of_expect(struct engine *e, const struct ir_expect *x, struct engine_send *out)
{
	memset(out, 0, sizeof(*out));
	out->src = point_addr(&x->src);
	if (x->src.kind == EXPECT_GATEWAY)
		out->src_gw = x->src.ref.target;
	else if (x->src.kind == EXPECT_HOST)
		out->src_host = x->src.ref.target;
	if (x->dst.kind == EXPECT_GATEWAY && x->dst.ref.target)
		out->dst = gateway_address(e, x->dst.ref.target, &out->src);
	else
		out->dst = point_addr(&x->dst);
	out->proto = x->proto;
	out->port = x->port;
	out->reply = x->reply;
	out->size = x->size;
	out->df = x->df;
	out->text = expect_send_text(e, x);
}
