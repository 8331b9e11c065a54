/* strongSwan's traffic-selector lists: swanctl.conf's local_ts/remote_ts
 * and ipsec.conf's leftsubnet/rightsubnet share one syntax (subnets or
 * addresses separated by commas or spaces, each optionally narrowed to a
 * protocol and port in brackets), so both readers read them here. */
#include "config.h"
#include "import/reader.h"

#include <string.h>

#include "ir/addr.h"

void imp_ts_list(struct imp_read *r, imp_text_vec *out, struct imp_text list)
{
	const char *t = list.s;
	size_t i = 0, n = strlen(t);
	while (i < n) {
		while (i < n && (t[i] == ',' || t[i] == ' '))
			i++;
		size_t len = strcspn(t + i, ", ");
		if (!len)
			break;
		struct imp_text w = {arena_strndup(r->arena, t + i, len),
				     {list.loc.file, list.loc.offset + (uint32_t)i, (uint32_t)len}};
		i += len;
		if (strchr(w.s, '[')) {
			imp_unmodelled(r, w.loc, "a traffic selector restricted to a protocol or port");
			w.s = arena_strndup(r->arena, w.s, strcspn(w.s, "["));
		}
		struct ip_addr a;
		if (!strchr(w.s, '/') && addr_parse(w.s, &a)) {
			w.s = arena_printf(r->arena, "%s/%u", w.s, addr_max_len(&a));
		} else if (strcmp(w.s, "dynamic") == 0) {
			/* swanctl's "this host's own address": which one is
			 * only known at run time. */
			imp_unmodelled(r, w.loc, "a 'dynamic' traffic selector");
			continue;
		}
		arena_vec_push(r->arena, out, w);
	}
}
