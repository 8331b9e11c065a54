/* Behind NAT, read from the pair: when a device's end knows its partner by
 * the partner's own endpoint, but the partner knows the device by another
 * address, the device's endpoint is translated on the way, and the NAT in
 * front of it shows the address the partner names (`behind-nat ADDR;` on
 * the interface holding the endpoint).  Whether the NAT also translates
 * ports no configuration says: one-to-one NAT is taken (doc/import.md). */
#include "config.h"
#include "import/end_settings.h"

#include "ir/addr.h"

static bool same(const struct imp_text *a, const struct imp_text *b)
{
	struct ip_addr x, y;
	return a->s && b->s && addr_parse(a->s, &x) && addr_parse(b->s, &y) && addr_equal(&x, &y);
}

/* The interface of D whose address is ADDR, or NULL. */
static struct imp_iface *iface_of(struct imp_device *d, const struct imp_text *addr)
{
	struct ip_addr a, f;
	if (!addr->s || !addr_parse(addr->s, &a))
		return NULL;
	for (size_t i = 0; i < d->ifaces.n; i++) {
		struct ip_prefix p;
		if (d->ifaces.v[i].address.s && prefix_parse(d->ifaces.v[i].address.s, &p)) {
			f = p.addr;
			if (addr_equal(&a, &f))
				return &d->ifaces.v[i];
		}
	}
	return NULL;
}

/* Some end of another device than I pairs with E exactly. */
static bool pairs_exactly(const struct imp_device *devs, size_t n, size_t i,
			  const struct imp_end *e)
{
	for (size_t j = 0; j < n; j++)
		for (size_t k = 0; j != i && k < devs[j].ends.n; k++)
			if (same(&e->peer_addr, &devs[j].ends.v[k].local_addr) &&
			    same(&devs[j].ends.v[k].peer_addr, &e->local_addr))
				return true;
	return false;
}

void imp_infer_behind_nat(struct imp_device *devs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < devs[i].ends.n; k++) {
			const struct imp_end *e = &devs[i].ends.v[k];
			if (pairs_exactly(devs, n, i, e))
				continue;
			for (size_t j = 0; j < n; j++)
				for (size_t m = 0; j != i && m < devs[j].ends.n; m++) {
					const struct imp_end *f = &devs[j].ends.v[m];
					struct imp_iface *at = iface_of(&devs[i], &e->local_addr);
					if (at && !at->behind_nat.s && same(&e->peer_addr, &f->local_addr) &&
					    f->peer_addr.s && !same(&f->peer_addr, &e->local_addr))
						at->behind_nat = f->peer_addr;
				}
		}
}
