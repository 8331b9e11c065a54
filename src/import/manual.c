/* Tunnels keyed by hand, whatever the reader (xfrm, IOS, PIX): the key the
 * imported .tun carries and the IKE proposal it must name.  No pre-shared
 * key derives the SAs a configuration holds, so the imported key is those
 * SAs' SPIs and keys themselves, in the form the model takes as they are
 * (model/manual_keys.h, doc/files-and-keys.md), written to its 0600 key
 * file like any key: the recompiled tunnel installs the same SAs
 * (doc/import.md). */
#include "config.h"
#include "import/reader.h"
#include "model/manual_keys.h"

#include <ctype.h>
#include <stdbool.h>
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

void imp_manual_end(struct imp_end *e, const struct imp_manual_sa *out,
		    const struct imp_manual_sa *in)
{
	e->manual_out = *out;
	e->manual_in = *in;
	struct tunc_loc at = out->enc.s ? out->enc.loc : out->auth.s ? out->auth.loc : out->loc;
	e->psk = (struct imp_text){"", at};     /* imp_manual_key writes it */
}

/* "from FROM to TO spi 0xSPI enc HEX auth HEX" (an unreadable SPI as it
 * is: the model then says what is wrong with it). */
static const char *sa_line(struct arena *a, const struct imp_manual_sa *x, const char *from,
			   const char *to)
{
	char *end = NULL;
	unsigned long long spi = x->spi.s ? strtoull(x->spi.s, &end, 0) : 0;
	const char *spi_text = end && !*end && spi <= 0xffffffffull
			       ? arena_printf(a, "0x%08llx", spi) : hex(a, x->spi.s);
	return arena_printf(a, "from %s to %s spi %s%s%s%s%s\n", from, to, spi_text,
			    x->enc.s ? " enc " : "", hex(a, x->enc.s), x->auth.s ? " auth " : "",
			    hex(a, x->auth.s));
}

const char *imp_manual_key(struct arena *a, const struct imp_end *e, const char *self,
			   const char *peer)
{
	const char *o = sa_line(a, &e->manual_out, self, peer);
	const char *i = sa_line(a, &e->manual_in, peer, self);
	/* The same text at both ends: the lines in the order of their sender's
	 * name (a gateway to itself: of the lines). */
	int c = strcmp(self, peer);
	bool out_first = c < 0 || (c == 0 && strcmp(o, i) <= 0);
	return arena_printf(a, "%s\n%s%s", MANUAL_GIVEN_HEADER, out_first ? o : i,
			    out_first ? i : o);
}

int imp_unused_ike(struct arena *a, struct imp_device *dev, const char *end, unsigned version,
		   struct tunc_loc loc)
{
	struct imp_proposal ike = {.ike = true, .loc = loc, .version = version,
				   .name = arena_printf(a, "%s-%s-unused", dev->name.s, end)};
	arena_vec_push(a, &dev->proposals, ike);
	return (int)dev->proposals.n - 1;
}
