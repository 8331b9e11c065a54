/* The peer sheet reader's parts (src/import/sheet/): sheet.c reads the
 * sheet's header, sections and endpoint lines; proposals.c its algorithm
 * lines, through the platform's vocabulary tables. */
#ifndef TUNC_IMPORT_SHEET_H
#define TUNC_IMPORT_SHEET_H

#include <string.h>

#include "import/reader.h"
#include "platform/platform.h"

#define A(s) ((s)->r->arena)

/* The columns of algorithm names the sheet writes. */
enum col { C_IKE_ENC, C_IKE_INTEG, C_IKE_GROUP, C_ESP_ENC, C_ESP_INTEG, C_PFS };

struct sheet {
	struct imp_read *r;
	const struct platform_info *plat;       /* from the header; NULL before it */
	const struct platform_vocab *vocab;     /* NULL: tunc's own names */
	struct imp_end *end;                    /* the tunnel section being read */
	struct tunc_loc banner;                 /* its `# tunnel` line */
	unsigned seen;                          /* bit per keys[] row: lines it had */
	int last;                               /* the key a continuation line continues, -1 none */
	bool route_note;                        /* "(route-based: ...)" under its selectors */
};

/* One "KEY  VALUE" line: V is the value (its location suffix taken off),
 * at offset OFF of the file. */
struct val {
	const char *s;
	size_t off;
};

static inline struct tunc_loc at(const struct sheet *s, const struct val *v, size_t i, size_t n)
{
	return imp_loc(s->r, v->off + i, n ? n : 1);
}

static inline void bad(struct sheet *s, const struct val *v, size_t i, size_t n, const char *what)
{
	size_t len = n ? n : strlen(v->s + i);
	diag_front(s->r->diags, "invalid-value", at(s, v, i, len), "%s: '%.*s'", what, (int)len,
		   v->s + i);
}

/* The proposal lines (proposals.c): one per key of the sheet's table. */
void sheet_ike_version(struct sheet *s, const struct val *v);
void sheet_ike_mode(struct sheet *s, const struct val *v);
void sheet_ike_enc(struct sheet *s, const struct val *v);
void sheet_ike_integ(struct sheet *s, const struct val *v);
void sheet_ike_groups(struct sheet *s, const struct val *v);
void sheet_ike_proposals(struct sheet *s, const struct val *v);
void sheet_ike_lifetime(struct sheet *s, const struct val *v);
void sheet_esp_protocol(struct sheet *s, const struct val *v);
void sheet_esp_enc(struct sheet *s, const struct val *v);
void sheet_esp_integ(struct sheet *s, const struct val *v);
void sheet_esp_proposals(struct sheet *s, const struct val *v);
void sheet_esp_pfs(struct sheet *s, const struct val *v);
void sheet_esp_lifetime(struct sheet *s, const struct val *v);

#endif
