/* RRAS packet filters, `netsh routing ip add|delete|set filter` (Windows
 * 2000 and 2003; KB 252735's "How to Configure RRAS Filtering", and tunc's
 * netsh target): per interface and direction a list of filters that all
 * take the action opposite to the list's default (`set filter ...
 * action=drop`: "drop all packets except those that meet the criteria
 * below").  They become that interface's filters in the IR; the interface
 * is the one whose filters name this host's tunnel endpoint (the article's
 * W2KextIP -> 3rdExtIP filter for IKE), since the script never says an
 * interface's address.  What gets a note: doc/import.md. */
#include "config.h"
#include "import/netsh/netsh.h"

#include <string.h>
#include <strings.h>

#include "ir/addr.h"

#define A(r) ((r)->arena)

static struct netsh_rras_if *iface(struct imp_read *r, struct netsh_rras *st,
				   const struct imp_text *name)
{
	for (size_t i = 0; i < st->ifs.n; i++)
		if (strcasecmp(st->ifs.v[i].name.s, name->s) == 0)
			return &st->ifs.v[i];
	struct netsh_rras_if f = {.name = *name};
	arena_vec_push(A(r), &st->ifs, f);
	return &st->ifs.v[st->ifs.n - 1];
}

static const struct imp_text *need(struct imp_read *r, const struct netsh_cmd *c, const char *key)
{
	const struct imp_text *v = netsh_opt(c, key);
	if (!v)
		diag_front(r->diags, "syntax", c->loc, "incomplete statement: %s= is missing", key);
	return v;
}

/* filtertype=input|output -> the direction; dial (demand-dial) gets a note. */
static int direction(struct imp_read *r, const struct netsh_cmd *c)
{
	const struct imp_text *t = need(r, c, "filtertype");
	if (!t)
		return -1;
	if (strcasecmp(t->s, "input") == 0)
		return FILTER_IN;
	if (strcasecmp(t->s, "output") == 0)
		return FILTER_OUT;
	if (strcasecmp(t->s, "dial") == 0) {
		imp_unmodelled(r, t->loc, "a demand-dial packet filter (filtertype=dial)");
		return -1;
	}
	diag_front(r->diags, "invalid-value", t->loc, "filtertype must be input, output or dial");
	return -1;
}

/* srcaddr= and srcmask= (or dst): "NET/LEN", any for 0.0.0.0/0.0.0.0. */
static bool network(struct imp_read *r, const struct netsh_cmd *c, const char *which,
		    struct imp_text *out)
{
	const struct imp_text *a = need(r, c, arena_printf(A(r), "%saddr", which));
	const struct imp_text *m = need(r, c, arena_printf(A(r), "%smask", which));
	if (!a || !m)
		return false;
	struct ip_addr ip;
	if (!addr_parse(a->s, &ip) || ip.family != AF_V4) {
		diag_front(r->diags, "invalid-value", a->loc, "'%s' is not an IPv4 address", a->s);
		return false;
	}
	int len = imp_mask_len(m->s, false);
	if (len < 0) {
		diag_front(r->diags, "invalid-value", m->loc, "'%s' is not a netmask", m->s);
		return false;
	}
	*out = (struct imp_text){imp_prefix(A(r), a->s, len), a->loc};
	return true;
}

/* A port word: 0 (or absent) is any. */
static bool port_any(const struct imp_text *p)
{
	return !p || strspn(p->s, "0") == strlen(p->s);
}

/* proto= with its ports or ICMP type and code.  False: the filter is
 * narrower than a .tun filter rule can say (a note says so; the rule is
 * left out rather than widened). */
static bool protocol(struct imp_read *r, const struct netsh_cmd *c, struct imp_filter_rule *fr)
{
	const struct imp_text *p = netsh_opt(c, "proto");
	if (!p || strcasecmp(p->s, "any") == 0)
		return true;
	if (strcasecmp(p->s, "tcp-est") == 0) {
		imp_unmodelled(r, p->loc, "proto=tcp-est (established TCP only) in a packet filter");
		return false;
	}
	static const char *const named[] = {"tcp", "udp", "icmp"};
	for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++)
		if (strcasecmp(p->s, named[k]) == 0)
			fr->proto = (struct imp_text){named[k], p->loc};
	if (!fr->proto.s) {
		if (!netsh_number(p->s, 255)) {
			diag_front(r->diags, "invalid-value", p->loc,
				   "proto must be any, tcp, tcp-est, udp, icmp or a number up to 255");
			return false;
		}
		fr->proto = *p;
		return true;
	}
	if (strcmp(fr->proto.s, "icmp") == 0) {
		const struct imp_text *type = netsh_opt(c, "type"), *code = netsh_opt(c, "code");
		if ((type && strcmp(type->s, "255") != 0) || (code && strcmp(code->s, "255") != 0)) {
			imp_unmodelled(r, (type ? type : code)->loc,
				       "a packet filter for one ICMP type or code");
			return false;
		}
		return true;
	}
	const struct imp_text *sp = netsh_opt(c, "srcport"), *dp = netsh_opt(c, "dstport");
	if (!port_any(sp)) {
		imp_unmodelled(r, sp->loc, "a packet filter on a source port");
		return false;
	}
	if (!port_any(dp)) {
		if (!netsh_number(dp->s, 65535)) {
			diag_front(r->diags, "invalid-value", dp->loc, "dstport must be a port number (0: any)");
			return false;
		}
		fr->port = *dp;
	}
	return true;
}

static bool same(struct imp_text a, struct imp_text b)
{
	return a.s == b.s || (a.s && b.s && strcasecmp(a.s, b.s) == 0);
}

static void filter_cmd(struct imp_read *r, struct netsh_rras *st, const struct netsh_cmd *c,
		       bool add)
{
	const struct imp_text *name = need(r, c, "name");
	int dir = name ? direction(r, c) : -1;
	if (dir < 0)
		return;
	struct imp_filter_rule fr = {.loc = c->loc};
	if (!network(r, c, "src", &fr.src) || !network(r, c, "dst", &fr.dst) || !protocol(r, c, &fr))
		return;
	struct imp_filter *f = &iface(r, st, name)->filter[dir];
	if (add) {
		if (!f->set) {
			f->set = true;
			f->loc = f->default_loc = c->loc;
			f->default_permit = true;       /* RRAS: forward unless `set filter action=drop` */
		}
		arena_vec_push(A(r), &f->rules, fr);
		return;
	}
	/* delete: the same filter added before goes (tunc deletes each one
	 * before adding it, so that a second run does not add it twice). */
	for (size_t i = 0; i < f->rules.n; i++) {
		const struct imp_filter_rule *o = &f->rules.v[i];
		if (same(o->src, fr.src) && same(o->dst, fr.dst) && same(o->proto, fr.proto) &&
		    same(o->port, fr.port)) {
			memmove(&f->rules.v[i], &f->rules.v[i + 1],
				(f->rules.n - i - 1) * sizeof(f->rules.v[0]));
			f->rules.n--;
			break;
		}
	}
}

/* `set filter name=X filtertype=input|output action=drop|forward`. */
static void set_cmd(struct imp_read *r, struct netsh_rras *st, const struct netsh_cmd *c)
{
	const struct imp_text *name = need(r, c, "name");
	int dir = name ? direction(r, c) : -1;
	if (dir < 0)
		return;
	if (netsh_opt(c, "fragcheck"))
		imp_unmodelled(r, netsh_opt(c, "fragcheck")->loc, "fragcheck= (fragment checking) of a packet filter");
	const struct imp_text *act = netsh_opt(c, "action");
	if (!act)
		return;
	bool drop = strcasecmp(act->s, "drop") == 0;
	if (!drop && strcasecmp(act->s, "forward") != 0) {
		diag_front(r->diags, "invalid-value", act->loc, "action must be drop or forward");
		return;
	}
	struct netsh_rras_if *ifc = iface(r, st, name);
	struct imp_filter *f = &ifc->filter[dir];
	if (!f->set) {
		f->set = true;
		f->loc = c->loc;
	}
	f->default_permit = !drop;
	f->default_loc = c->loc;
	ifc->action_set[dir] = true;
}

void netsh_rras_cmd(struct imp_read *r, struct netsh_rras *st, const struct netsh_cmd *c)
{
	bool filter = netsh_word(c, 4, "filter");
	if (filter && netsh_word(c, 3, "add"))
		filter_cmd(r, st, c, true);
	else if (filter && netsh_word(c, 3, "delete"))
		filter_cmd(r, st, c, false);
	else if (filter && netsh_word(c, 3, "set"))
		set_cmd(r, st, c);
	else if (!netsh_word(c, 3, "show") && !netsh_word(c, 3, "dump"))
		imp_unmodelled(r, c->loc, "this netsh routing ip command");
}

/* "ADDR/32" naming ADDR. */
static bool names(const struct imp_text *prefix, const char *addr)
{
	size_t n = strlen(addr);
	return prefix->s && strncmp(prefix->s, addr, n) == 0 && strcmp(prefix->s + n, "/32") == 0;
}

/* This host's tunnel endpoint that F's filters name (the address as the
 * first filter naming it has it), or NULL. */
static const struct imp_text *endpoint_named(const struct imp_device *d, const struct netsh_rras_if *f)
{
	for (size_t e = 0; e < d->ends.n; e++) {
		const struct imp_text *a = &d->ends.v[e].local_addr;
		for (int dir = FILTER_OUT; a->s && dir >= FILTER_IN; dir--)
			for (size_t k = 0; k < f->filter[dir].rules.n; k++) {
				const struct imp_filter_rule *fr = &f->filter[dir].rules.v[k];
				const struct imp_text *side = dir == FILTER_IN ? &fr->dst : &fr->src;
				if (names(side, a->s))
					return side;
			}
	}
	return NULL;
}

static bool holds_endpoint(const struct imp_device *d, const struct imp_text *address)
{
	size_t n = strcspn(address->s, "/");
	for (size_t e = 0; e < d->ends.n; e++) {
		const char *a = d->ends.v[e].local_addr.s;
		if (a && strlen(a) == n && strncmp(a, address->s, n) == 0)
			return true;
	}
	return false;
}

void netsh_rras_interfaces(struct imp_read *r, struct netsh_rras *st)
{
	/* The interfaces whose address the script sets, with their filters. */
	for (size_t i = 0; i < st->addrs.n; i++) {
		const struct netsh_addr *a = &st->addrs.v[i];
		struct imp_iface x = {.name = a->name, .address = a->address,
				      .outside = a->outside || a->gateway ||
						 holds_endpoint(r->dev, &a->address)};
		for (size_t k = 0; k < st->ifs.n; k++) {
			struct netsh_rras_if *f = &st->ifs.v[k];
			if (f->name.s && strcasecmp(f->name.s, a->name.s) == 0) {
				x.filter[FILTER_IN] = f->filter[FILTER_IN];
				x.filter[FILTER_OUT] = f->filter[FILTER_OUT];
				f->name.s = NULL;       /* placed */
			}
		}
		arena_vec_push(A(r), &r->dev->ifaces, x);
	}
	for (size_t i = 0; i < r->dev->ifaces.n; i++)
		for (int dir = FILTER_IN; dir <= FILTER_OUT; dir++) {
			struct imp_filter *f = &r->dev->ifaces.v[i].filter[dir];
			for (size_t k = 0; k < f->rules.n; k++)
				f->rules.v[k].permit = !f->default_permit;
		}
	/* The others: the interface whose filters name a tunnel endpoint. */
	for (size_t i = 0; i < st->ifs.n; i++) {
		struct netsh_rras_if *f = &st->ifs.v[i];
		if (!f->name.s)
			continue;
		for (int dir = FILTER_IN; dir <= FILTER_OUT; dir++)
			for (size_t k = 0; k < f->filter[dir].rules.n; k++)
				f->filter[dir].rules.v[k].permit = !f->filter[dir].default_permit;
		const struct imp_text *ep = endpoint_named(r->dev, f);
		if (!ep) {
			for (int dir = FILTER_IN; dir <= FILTER_OUT; dir++)
				if (f->filter[dir].set)
					imp_unmodelled(r, f->filter[dir].loc,
						       arena_printf(A(r), "a packet filter list on interface "
								    "'%s', which names none of this host's "
								    "tunnel endpoints (its address is not "
								    "in the script)", f->name.s));
			continue;
		}
		/* As for an end's address with no interface (orient.c): the
		 * host reaches its peers from it, its length unknown. */
		struct imp_iface x = {.name = f->name,
				      .address = {arena_printf(A(r), "%.*s/0", (int)strcspn(ep->s, "/"),
							       ep->s), ep->loc},
				      .outside = true};
		x.filter[FILTER_IN] = f->filter[FILTER_IN];
		x.filter[FILTER_OUT] = f->filter[FILTER_OUT];
		arena_vec_push(A(r), &r->dev->ifaces, x);
	}
}
