/* Which side of a conn is this host's.  An ipsec.conf names both ends
 * (left and right) and is often the same file on both hosts; the reader
 * takes left as local unless the file says otherwise (doc/import.md) and
 * marks the end as guessed.  Here, before pairing, a guessed end that pairs
 * with no end of another file as written, but does turned round, is turned
 * round: of two hosts holding the same conn, the later file's end turns.
 * Then a device whose file holds no interfaces gets one outside interface
 * per local address, as swanctl.conf's reader does. */
#include "config.h"
#include "import/assemble.h"

#include <string.h>

#include "ir/addr.h"
#include "util/symtab.h"
#include "util/u64map.h"

/* Every end by its (local, peer) addresses as they are now: an end turned
 * round is added again under its new key, and each candidate is checked
 * against its current addresses, so old entries are harmless. */
struct mirror_ix {
	struct u64map map;
	ARENA_VEC(struct mirror_ref { size_t dev; const struct imp_end *e; }) refs;
};

static bool key_of(const struct imp_text *local, const struct imp_text *peer, uint64_t *key)
{
	struct ip_addr l, p;
	if (!imp_text_addr(local, &l) || !imp_text_addr(peer, &p))
		return false;
	*key = u64map_mix_bytes(u64map_mix_bytes(0, &l, sizeof(l)), &p, sizeof(p));
	return true;
}

static void ix_add(struct arena *a, struct mirror_ix *ix, size_t dev, const struct imp_end *e)
{
	uint64_t key;
	if (!key_of(&e->local_addr, &e->peer_addr, &key))
		return;
	arena_vec_push(a, &ix->refs, ((struct mirror_ref){dev, e}));
	u64map_add(&ix->map, key, ix->refs.n - 1);
}

static bool same(const struct imp_text *a, const struct imp_text *b)
{
	struct ip_addr x, y;
	return imp_text_addr(a, &x) && imp_text_addr(b, &y) && addr_equal(&x, &y);
}

/* E and F are the two ends of one tunnel as written. */
static bool mirror(const struct imp_end *e, const struct imp_end *f)
{
	return same(&e->peer_addr, &f->local_addr) && same(&f->peer_addr, &e->local_addr);
}

/* Whether an end of another device than SELF mirrors E. */
static bool pairs_elsewhere(const struct mirror_ix *ix, size_t self, const struct imp_end *e)
{
	uint64_t key;
	struct u64map_iter it;
	size_t k;
	if (!key_of(&e->peer_addr, &e->local_addr, &key))
		return false;
	for (bool more = u64map_first(&ix->map, key, &it, &k); more; more = u64map_next(&it, &k))
		if (ix->refs.v[k].dev != self && mirror(e, ix->refs.v[k].e))
			return true;
	return false;
}

static void turn(struct imp_end *e)
{
	struct imp_text a = e->local_addr;
	e->local_addr = e->peer_addr;
	e->peer_addr = a;
	imp_text_vec v = e->local_ts;
	e->local_ts = e->remote_ts;
	e->remote_ts = v;
	struct tunc_loc l = e->local_loc;
	e->local_loc = e->remote_loc;
	e->remote_loc = l;
}

static void add_ifaces(struct ir *ir, struct imp_device *d)
{
	/* The addresses that have an interface, without their length. */
	struct symtab have;
	symtab_init(&have);
	for (size_t k = 0; k < d->ifaces.n; k++) {
		const char *s = d->ifaces.v[k].address.s;
		if (s)
			symtab_put(&have, arena_strndup(&ir->arena, s, strcspn(s, "/")), (void *)s);
	}
	for (size_t i = 0; i < d->ends.n; i++) {
		const struct imp_text *a = &d->ends.v[i].local_addr;
		if (!a->s || symtab_put(&have, a->s, (void *)a->s))
			continue;
		/* The file says nothing of routing: the host is taken to reach
		 * its peers from this address (doc/import.md, as for swanctl). */
		struct imp_iface f = {
			.name = {arena_printf(&ir->arena, "eth%zu", (size_t)d->ifaces.n), a->loc},
			.address = {arena_printf(&ir->arena, "%s/0", a->s), a->loc},
			.outside = true,
		};
		arena_vec_push(&ir->arena, &d->ifaces, f);
	}
	symtab_free(&have);
}

void imp_orient(struct ir *ir, struct imp_device *devs, size_t n)
{
	struct mirror_ix ix = {0};
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < devs[i].ends.n; k++)
			ix_add(&ir->arena, &ix, i, &devs[i].ends.v[k]);
	for (size_t i = n; i-- > 0;)
		for (size_t k = 0; k < devs[i].ends.n; k++) {
			struct imp_end *e = &devs[i].ends.v[k];
			if (!e->side_guessed || pairs_elsewhere(&ix, i, e))
				continue;
			turn(e);
			if (pairs_elsewhere(&ix, i, e))
				ix_add(&ir->arena, &ix, i, e);
			else
				turn(e);        /* neither way: keep the file's convention */
		}
	u64map_free(&ix.map);
	for (size_t i = 0; i < n; i++)
		if (devs[i].ifaces_from_ends)
			add_ifaces(ir, &devs[i]);
}
