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

static bool same(const struct imp_text *a, const struct imp_text *b)
{
	struct ip_addr x, y;
	return a->s && b->s && addr_parse(a->s, &x) && addr_parse(b->s, &y) && addr_equal(&x, &y);
}

/* E and F are the two ends of one tunnel as written. */
static bool mirror(const struct imp_end *e, const struct imp_end *f)
{
	return same(&e->peer_addr, &f->local_addr) && same(&f->peer_addr, &e->local_addr);
}

static bool pairs_elsewhere(const struct imp_device *devs, size_t n, size_t self,
			    const struct imp_end *e)
{
	for (size_t j = 0; j < n; j++)
		for (size_t m = 0; j != self && m < devs[j].ends.n; m++)
			if (mirror(e, &devs[j].ends.v[m]))
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
	for (size_t i = 0; i < d->ends.n; i++) {
		const struct imp_text *a = &d->ends.v[i].local_addr;
		bool seen = false;
		for (size_t k = 0; k < d->ifaces.n && !seen; k++)
			seen = strncmp(d->ifaces.v[k].address.s, a->s, strlen(a->s)) == 0 &&
			       d->ifaces.v[k].address.s[strlen(a->s)] == '/';
		if (!a->s || seen)
			continue;
		/* The file says nothing of routing: the host is taken to reach
		 * its peers from this address (doc/import.md, as for swanctl). */
		struct imp_iface f = {
			.name = {arena_printf(&ir->arena, "eth%zu", d->ifaces.n), a->loc},
			.address = {arena_printf(&ir->arena, "%s/0", a->s), a->loc},
			.outside = true,
		};
		arena_vec_push(&ir->arena, &d->ifaces, f);
	}
}

void imp_orient(struct ir *ir, struct imp_device *devs, size_t n)
{
	for (size_t i = n; i-- > 0;)
		for (size_t k = 0; k < devs[i].ends.n; k++) {
			struct imp_end *e = &devs[i].ends.v[k];
			if (!e->side_guessed || pairs_elsewhere(devs, n, i, e))
				continue;
			turn(e);
			if (!pairs_elsewhere(devs, n, i, e))
				turn(e);        /* neither way: keep the file's convention */
		}
	for (size_t i = 0; i < n; i++)
		if (devs[i].ifaces_from_ends)
			add_ifaces(ir, &devs[i]);
}
