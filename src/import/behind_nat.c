/* Behind NAT, read from the pair: when a device's end knows its partner by
 * the partner's own endpoint, but the partner knows the device by another
 * address, the device's endpoint is translated on the way, and the NAT in
 * front of it shows the address the partner names (`behind-nat ADDR;` on
 * the interface holding the endpoint).  Whether the NAT also translates
 * ports no configuration says: one-to-one NAT is taken (doc/import.md). */
#include "config.h"
#include "import/end_settings.h"

#include <stdint.h>
#include <stdlib.h>

#include "ir/addr.h"
#include "util/arena.h"
#include "util/u64map.h"

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

/* The key of the address TEXT in the index of ends by local address; false
 * when TEXT is no address. */
static bool addr_key(const struct imp_text *text, uint64_t *key)
{
	struct ip_addr a = {0};
	if (!text->s || !addr_parse(text->s, &a))
		return false;
	*key = u64map_mix_bytes(a.family, a.b, a.family == AF_V4 ? 4 : 16);
	return true;
}

/* Where an end is: device and end, numbered in file order. */
struct end_at {
	size_t dev, end;
};

struct ends_index {
	struct end_at *at;              /* every end, in file order */
	struct u64map locals;           /* local address -> end number + 1 */
	struct u64map pairs;            /* (local, peer) -> end number + 1 */
	struct u64map nat;              /* local address -> nat_choice number + 1 */
	struct nat_choice {
		size_t first, other;    /* end numbers + 1; OTHER on another device than FIRST */
	} *choice;
	size_t n_choice;
};

static const struct imp_end *end_of(struct imp_device *devs, const struct ends_index *ix, size_t x)
{
	return &devs[ix->at[x].dev].ends.v[ix->at[x].end];
}

/* Some end's local address is TEXT. */
static bool is_local(struct imp_device *devs, const struct ends_index *ix, const struct imp_text *text)
{
	uint64_t key;
	struct u64map_iter it;
	size_t v;
	if (!addr_key(text, &key))
		return false;
	for (bool more = u64map_first(&ix->locals, key, &it, &v); more; more = u64map_next(&it, &v))
		if (same(text, &end_of(devs, ix, v - 1)->local_addr))
			return true;
	return false;
}

/* The NAT choices under end F's local address, or NULL. */
static struct nat_choice *choice_of(struct imp_device *devs, struct ends_index *ix,
				    const struct imp_text *local)
{
	uint64_t key;
	struct u64map_iter it;
	size_t v;
	if (!addr_key(local, &key))
		return NULL;
	for (bool more = u64map_first(&ix->nat, key, &it, &v); more; more = u64map_next(&it, &v))
		if (same(local, &end_of(devs, ix, ix->choice[v - 1].first - 1)->local_addr))
			return &ix->choice[v - 1];
	return NULL;
}

static void index_ends(struct imp_device *devs, size_t n, struct ends_index *ix)
{
	size_t total = 0, x = 0;
	for (size_t i = 0; i < n; i++)
		total += devs[i].ends.n;
	ix->at = xmalloc((total ? total : 1) * sizeof(*ix->at));
	ix->choice = xmalloc((total ? total : 1) * sizeof(*ix->choice));
	ix->n_choice = 0;
	u64map_init(&ix->locals);
	u64map_init(&ix->pairs);
	u64map_init(&ix->nat);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < devs[i].ends.n; k++, x++) {
			const struct imp_end *f = &devs[i].ends.v[k];
			uint64_t l, p;
			ix->at[x] = (struct end_at){i, k};
			if (!addr_key(&f->local_addr, &l))
				continue;
			u64map_add(&ix->locals, l, x + 1);
			if (addr_key(&f->peer_addr, &p))
				u64map_add(&ix->pairs, u64map_mix(l, p), x + 1);
		}
	/* An end whose peer address is no end's own address knows its partner
	 * by a translated address: it is the partner, under its local address,
	 * of the ends that name that address and find no exact pair.  The first
	 * such end in file order, and the first on another device (so an end
	 * never takes its own device's). */
	for (x = 0; x < total; x++) {
		const struct imp_end *f = end_of(devs, ix, x);
		uint64_t l;
		struct ip_addr a;
		if (!f->peer_addr.s || !addr_parse(f->peer_addr.s, &a) || !addr_key(&f->local_addr, &l) ||
		    is_local(devs, ix, &f->peer_addr))
			continue;
		struct nat_choice *c = choice_of(devs, ix, &f->local_addr);
		if (!c) {
			ix->choice[ix->n_choice] = (struct nat_choice){x + 1, 0};
			u64map_add(&ix->nat, l, ++ix->n_choice);
		} else if (!c->other && ix->at[c->first - 1].dev != ix->at[x].dev)
			c->other = x + 1;
	}
}

static void index_free(struct ends_index *ix)
{
	u64map_free(&ix->locals);
	u64map_free(&ix->pairs);
	u64map_free(&ix->nat);
	free(ix->at);
	free(ix->choice);
}

/* An end of another device than I pairs with E exactly. */
static bool pairs_exactly(struct imp_device *devs, const struct ends_index *ix, size_t i,
			  const struct imp_end *e)
{
	uint64_t l, p;
	struct u64map_iter it;
	size_t v;
	if (!addr_key(&e->peer_addr, &l) || !addr_key(&e->local_addr, &p))
		return false;
	for (bool more = u64map_first(&ix->pairs, u64map_mix(l, p), &it, &v); more;
	     more = u64map_next(&it, &v)) {
		const struct imp_end *f = end_of(devs, ix, v - 1);
		if (ix->at[v - 1].dev != i && same(&e->peer_addr, &f->local_addr) &&
		    same(&f->peer_addr, &e->local_addr))
			return true;
	}
	return false;
}

/* Ends are found through hashes of their addresses, so a hub of 10,000
 * spokes costs a few probes per end instead of a scan of every end
 * (quadratic: 73 % of `tunc import` at 10,000 spokes). */
void imp_infer_behind_nat(struct imp_device *devs, size_t n)
{
	struct ends_index ix;
	index_ends(devs, n, &ix);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < devs[i].ends.n; k++) {
			const struct imp_end *e = &devs[i].ends.v[k];
			if (pairs_exactly(devs, &ix, i, e))
				continue;
			struct nat_choice *c = choice_of(devs, &ix, &e->peer_addr);
			size_t f = !c ? 0 : ix.at[c->first - 1].dev != i ? c->first : c->other;
			struct imp_iface *iface = f ? iface_of(&devs[i], &e->local_addr) : NULL;
			if (iface && !iface->behind_nat.s)
				iface->behind_nat = end_of(devs, &ix, f - 1)->peer_addr;
		}
	index_free(&ix);
}
