/* `netsh interface ip set address` and `add address` (Windows 2000 and
 * 2003; `interface ipv4` on 2008 and later), in their documented forms,
 * named or positional:
 *   set address [name=]IF [source=]static [addr=]A [mask=]M [[gateway=]G [gwmetric=]N]
 *   add address [name=]IF [addr=]A [mask=]M [[gateway=]G [gwmetric=]N]
 * An interface's address, and with gateway= the default route through it.
 * The first address of an interface is its address; DHCP and further
 * addresses get a note; so do the other changes, but for tunc's
 * `set interface IF forwarding=enabled`. */
#include "config.h"
#include "import/netsh/netsh.h"

#include <string.h>
#include <strings.h>

#include "ir/addr.h"

#define A(r) ((r)->arena)

enum { F_NAME, F_SOURCE, F_ADDR, F_MASK, F_GATEWAY, F_GWMETRIC, F_N };

static const char *const keys[F_N] = {"name", "source", "addr", "mask", "gateway", "gwmetric"};

void netsh_iface_cmd(struct imp_read *r, struct netsh_rras *st, const struct netsh_cmd *c)
{
	bool set = netsh_word(c, 3, "set"), add = netsh_word(c, 3, "add");
	if (!(set || add) || !netsh_word(c, 4, "address")) {
		/* `set interface IF forwarding=enabled` (tunc's 2008 scripts): a
		 * gateway forwards, which the .tun says by being one. */
		const struct imp_text *fw = netsh_opt(c, "forwarding");
		bool forwarding = set && netsh_word(c, 4, "interface") && fw &&
				  strcasecmp(fw->s, "enabled") == 0 && c->n == 7;
		if (!forwarding && (set || add || netsh_word(c, 3, "delete")))
			imp_unmodelled(r, c->loc, "this netsh interface ip command");
		return;
	}
	const struct imp_text *f[F_N] = {0};
	size_t next = 0;
	for (size_t i = 5; i < c->n; i++) {
		const struct netsh_arg *a = &c->a[i];
		size_t k = F_N;
		if (a->key.s) {
			for (k = 0; k < F_N && strcasecmp(a->key.s, keys[k]) != 0; k++)
				;
			if (k == F_N) {
				diag_front(r->diags, "syntax", a->key.loc, "unknown parameter '%s'", a->key.s);
				return;
			}
		} else {
			/* Positional: the next field (add address has no source). */
			if (!set && next == F_SOURCE)
				next++;
			while (next < F_N && f[next])
				next++;
			k = next;
			if (k == F_N) {
				diag_front(r->diags, "syntax", a->val.loc, "too many parameters");
				return;
			}
		}
		f[k] = &a->val;
	}
	if (!f[F_NAME]) {
		diag_front(r->diags, "syntax", c->loc, "incomplete statement: name= is missing");
		return;
	}
	if (set && f[F_SOURCE] && strcasecmp(f[F_SOURCE]->s, "dhcp") == 0) {
		imp_unmodelled(r, f[F_SOURCE]->loc, "an address from DHCP (the interface's address is not in the script)");
		return;
	}
	if (!f[F_ADDR] || !f[F_MASK]) {
		diag_front(r->diags, "syntax", c->loc, "incomplete statement: %s= is missing",
			   f[F_ADDR] ? "mask" : "addr");
		return;
	}
	struct ip_addr ip;
	if (!addr_parse(f[F_ADDR]->s, &ip) || ip.family != AF_V4) {
		diag_front(r->diags, "invalid-value", f[F_ADDR]->loc, "'%s' is not an IPv4 address",
			   f[F_ADDR]->s);
		return;
	}
	int len = imp_mask_len(f[F_MASK]->s, false);
	if (len < 0) {
		diag_front(r->diags, "invalid-value", f[F_MASK]->loc, "'%s' is not a netmask", f[F_MASK]->s);
		return;
	}
	const struct imp_text *gw = f[F_GATEWAY];
	if (gw && strcasecmp(gw->s, "none") == 0)
		gw = NULL;
	if (gw && (!addr_parse(gw->s, &ip) || ip.family != AF_V4)) {
		diag_front(r->diags, "invalid-value", gw->loc, "'%s' is not an IPv4 address", gw->s);
		return;
	}
	if (f[F_GWMETRIC] && !netsh_number(f[F_GWMETRIC]->s, 9999)) {
		diag_front(r->diags, "invalid-value", f[F_GWMETRIC]->loc, "gwmetric must be a number");
		return;
	}
	struct netsh_addr x = {.name = *f[F_NAME],
			       .address = {imp_prefix(A(r), f[F_ADDR]->s, len), f[F_ADDR]->loc},
			       .gateway = gw != NULL};
	size_t i = 0;
	while (i < st->addrs.n && strcasecmp(st->addrs.v[i].name.s, x.name.s) != 0)
		i++;
	if (i == st->addrs.n)
		arena_vec_push(A(r), &st->addrs, x);
	else if (set)
		st->addrs.v[i] = x;     /* set address replaces the address */
	else {
		imp_unmodelled(r, f[F_ADDR]->loc, "a second address on an interface");
		return;
	}
	if (gw) {
		struct imp_route rt = {.dst = {"0.0.0.0/0", gw->loc}, .via = *gw, .dev = *f[F_NAME],
				       .loc = c->loc};
		if (f[F_GWMETRIC])
			rt.metric = *f[F_GWMETRIC];
		arena_vec_push(A(r), &r->dev->routes, rt);
	}
}
