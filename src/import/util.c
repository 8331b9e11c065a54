/* Helpers every reader uses: locations, netmasks, addresses, the "not
 * modelled" note, the read's index. */
#include "config.h"
#include "import/reader.h"
#include "import/assemble.h"

#include <stdio.h>
#include <string.h>

#include "ir/addr.h"

struct tunc_loc imp_loc(const struct imp_read *r, size_t offset, size_t length)
{
	return (struct tunc_loc){r->file, (uint32_t)offset, (uint32_t)(length ? length : 1)};
}

struct imp_text imp_word(const struct imp_read *r, const char *s, size_t len, size_t offset)
{
	return (struct imp_text){arena_strndup(r->arena, s, len), imp_loc(r, offset, len)};
}

bool imp_text_addr(const struct imp_text *t, struct ip_addr *a)
{
	return t->s && addr_parse(t->s, a);
}

int imp_mask_len(const char *mask, bool wildcard)
{
	struct ip_addr a;
	if (!addr_parse(mask, &a) || a.family != AF_V4)
		return -1;
	uint32_t m = ((uint32_t)a.b[0] << 24) | ((uint32_t)a.b[1] << 16) |
		     ((uint32_t)a.b[2] << 8) | a.b[3];
	if (wildcard)
		m = ~m;
	int len = 0;
	while (len < 32 && (m & (0x80000000u >> len)))
		len++;
	/* Anything set past the ones is not a contiguous mask. */
	if (len < 32 && (m << len) != 0)
		return -1;
	return len;
}

const char *imp_prefix(struct arena *a, const char *addr, int len)
{
	return arena_printf(a, "%s/%d", addr, len);
}

uint64_t imp_index_key(const void *table, const void *p, size_t n)
{
	return u64map_mix_bytes(u64map_mix(0, (uint64_t)(uintptr_t)table), p, n);
}

void imp_mark_secret(const struct imp_read *r, struct tunc_loc loc)
{
	source_mark_secret(r->sources, loc);
}

void imp_unmodelled(struct imp_read *r, struct tunc_loc loc, const char *what)
{
	uint64_t key = u64map_mix(u64map_mix(loc.file, loc.offset),
				  u64map_mix_bytes(0, what, strlen(what)));
	struct u64map_iter it;
	size_t k;
	for (bool more = u64map_first(&r->noted, key, &it, &k); more; more = u64map_next(&it, &k)) {
		const struct imp_noted *n = &r->noted_v.v[k];
		if (n->loc.file == loc.file && n->loc.offset == loc.offset &&
		    strcmp(n->what, what) == 0)
			return;
	}
	u64map_add(&r->noted, key, r->noted_v.n);
	arena_vec_push(r->arena, &r->noted_v, ((struct imp_noted){loc, arena_strdup(r->arena, what)}));
	diag_add(r->diags, DIAG_NOTE, "not-modelled", loc,
		 "%s bears on IPsec but tunc does not model it: it is left out of the import", what);
}
