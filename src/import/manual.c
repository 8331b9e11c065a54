/* Tunnels keyed by hand, whatever the reader (xfrm, IOS, PIX): the key the
 * imported .tun carries and the IKE proposal it must name.  The .tun derives
 * a tunnel's static SAs from its key (HKDF-SHA-256, doc/engine.md), so no
 * key gives back the SAs a configuration holds: the imported key is those
 * SAs' SPIs and keys themselves, written to its 0600 key file like any key,
 * and a recompiled tunnel gets new SAs (doc/import.md). */
#include "config.h"
#include "import/reader.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Lower-case hex without 0x. */
static const char *hex(struct arena *a, const char *k)
{
	if (!k)
		return "";
	if (k[0] == '0' && (k[1] == 'x' || k[1] == 'X'))
		k += 2;
	char *out = arena_strdup(a, k);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

struct imp_text imp_manual_key(struct arena *a, const struct imp_manual_sa *x,
			       const struct imp_manual_sa *y)
{
	unsigned long sx = x->spi.s ? strtoul(x->spi.s, NULL, 0) : 0;
	unsigned long sy = y->spi.s ? strtoul(y->spi.s, NULL, 0) : 0;
	const struct imp_manual_sa *lo = sx <= sy ? x : y, *hi = sx <= sy ? y : x;
	struct tunc_loc at = x->enc.s ? x->enc.loc : x->auth.s ? x->auth.loc : x->loc;
	return (struct imp_text){arena_printf(a, "%lu-%s-%s-%lu-%s-%s", sx <= sy ? sx : sy,
					      hex(a, lo->enc.s), hex(a, lo->auth.s),
					      sx <= sy ? sy : sx, hex(a, hi->enc.s),
					      hex(a, hi->auth.s)), at};
}

int imp_unused_ike(struct arena *a, struct imp_device *dev, const char *end, unsigned version,
		   struct tunc_loc loc)
{
	struct imp_proposal ike = {.ike = true, .loc = loc, .version = version,
				   .name = arena_printf(a, "%s-%s-unused", dev->name.s, end)};
	arena_vec_push(a, &dev->proposals, ike);
	return (int)dev->proposals.n - 1;
}
