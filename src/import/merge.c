/* A Linux host is described by two files tunc writes (and engineers keep):
 * NAME.swanctl.conf (or an ipsec.conf) for what charon negotiates, and
 * NAME.xfrm.sh for the interfaces and routes the host has, its NAT and the
 * SAs keyed by hand.  Both are read on their own; here the script's device
 * is folded into the IKE file's device of the same name: the script's
 * interfaces replace the `ADDR/0` stand-ins the IKE file gives (it says
 * nothing of routing), and its routes, NAT and ends are added. */
#include "config.h"
#include "import/merge.h"

#include <string.h>

static void fold(struct arena *a, struct imp_device *into, const struct imp_device *x)
{
	if (x->ifaces.n) {
		into->ifaces = x->ifaces;
		into->ifaces_from_ends = false;
	}
	into->routes = x->routes;
	into->nat = x->nat;
	size_t base = into->proposals.n;
	for (size_t i = 0; i < x->proposals.n; i++)
		arena_vec_push(a, &into->proposals, x->proposals.v[i]);
	for (size_t i = 0; i < x->ends.n; i++) {
		struct imp_end e = x->ends.v[i];
		if (e.ike >= 0)
			e.ike += (int)base;
		if (e.ipsec >= 0)
			e.ipsec += (int)base;
		arena_vec_push(a, &into->ends, e);
	}
}

void imp_merge_hosts(struct arena *a, struct imp_device *devs, size_t *n)
{
	bool *folded = arena_alloc(a, (*n ? *n : 1) * sizeof(*folded));
	for (size_t i = 0; i < *n; i++) {
		folded[i] = false;
		if (strcmp(devs[i].reader, "xfrm") != 0)
			continue;
		for (size_t k = 0; k < *n && !folded[i]; k++)
			if (k != i && strcmp(devs[k].reader, "xfrm") != 0 &&
			    devs[k].platform && strcmp(devs[k].platform, "linux") == 0 &&
			    strcmp(devs[k].name.s, devs[i].name.s) == 0) {
				fold(a, &devs[k], &devs[i]);
				folded[i] = true;
			}
	}
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++)
		if (!folded[i])
			devs[kept++] = devs[i];
	*n = kept;
}
