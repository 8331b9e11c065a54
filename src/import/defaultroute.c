/* `left=%defaultroute` (ipsec.conf): the end is this host's, at the address
 * of the interface its default route leaves by, which its file does not
 * say.  The other end's file does: the end there whose own address is this
 * end's peer names this host by its address.  Found before the files are
 * paired (src/import/assemble.c), so the host gets its outside interface
 * like any other; with no such file the conn is left out, with a note. */
#include "config.h"
#include "import/merge.h"

#include "ir/addr.h"

static bool same(const struct imp_text *a, const struct imp_text *b)
{
	struct ip_addr x, y;
	return a->s && b->s && addr_parse(a->s, &x) && addr_parse(b->s, &y) && addr_equal(&x, &y);
}

/* The address the other files know E (of device I) by, or NULL when none
 * or they disagree. */
static const struct imp_text *known_as(const struct imp_device *devs, size_t n, size_t i,
				       const struct imp_end *e)
{
	const struct imp_text *found = NULL;
	for (size_t j = 0; j < n; j++)
		for (size_t k = 0; j != i && k < devs[j].ends.n; k++) {
			const struct imp_end *f = &devs[j].ends.v[k];
			if (!same(&f->local_addr, &e->peer_addr) || !f->peer_addr.s)
				continue;
			if (found && !same(found, &f->peer_addr))
				return NULL;
			found = &f->peer_addr;
		}
	return found;
}

void imp_infer_defaultroute(struct imp_device *devs, size_t n, struct diag_list *diags)
{
	for (size_t i = 0; i < n; i++) {
		size_t kept = 0;
		for (size_t k = 0; k < devs[i].ends.n; k++) {
			struct imp_end *e = &devs[i].ends.v[k];
			if (e->local_unknown.file && !e->local_addr.s) {
				const struct imp_text *a = known_as(devs, n, i, e);
				if (!a) {
					diag_add(diags, DIAG_NOTE, "not-modelled", e->local_unknown,
						 "%%defaultroute bears on IPsec but no other file names "
						 "this host's address (or they disagree): conn %s is "
						 "left out of the import", e->name);
					continue;
				}
				e->local_addr = (struct imp_text){a->s, e->local_unknown};
			}
			devs[i].ends.v[kept++] = *e;
		}
		devs[i].ends.n = kept;
	}
}
