/* The peer sheet's algorithm and proposal lines (src/import/sheet/): the
 * partner's names mapped back to tunc's through the platform row's own
 * vocabulary tables (platform_vocab, which the emitter writes from), or
 * tunc's names where the row has none, including the emitter's "(not in
 * ...'s list)" form.  A name neither holds is a located error. */
#include "config.h"
#include "import/sheet/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- algorithm names, through the platform's tables ---- */

static const struct platform_name *vocab_list(const struct sheet *s, enum col c)
{
	const struct platform_vocab *v = s->vocab;
	if (!v)
		return NULL;
	const struct platform_name *lists[] = {v->ike_enc, v->ike_integ, v->ike_groups,
					       v->esp_enc, v->esp_integ, v->pfs_groups};
	return lists[c];
}

static bool is_group_col(enum col c)
{
	return c == C_IKE_GROUP || c == C_PFS;
}

/* tunc's name for ID in column C, as the emitter falls back to it (JOINED:
 * inside a strongSwan-style proposal string, where a group is its bare
 * name), in BUF. */
static const char *tunc_name(enum col c, unsigned id, bool joined, char *buf, size_t size)
{
	if (is_group_col(c)) {
		if (joined)
			return dh_group_name(id);
		snprintf(buf, size, "group %u (%s)", id, dh_group_name(id));
		return buf;
	}
	return c == C_IKE_ENC || c == C_ESP_ENC ? encryption_name((enum encryption)id)
						: integrity_name((enum integrity)id);
}

static bool id_valid(enum col c, unsigned id)
{
	if (is_group_col(c))
		return dh_group_valid(id);
	return c == C_IKE_ENC || c == C_ESP_ENC ? id < ENC__COUNT : id < INTEG__COUNT;
}

#define NAME_MAX_LEN 256

/* The candidate names of ID in column C, in OUT (BUF their room): how the
 * emitter's put_name writes it (the vocabulary's name, or tunc's with
 * "(not in ...'s list)"), and for ESP integrity the line of a GCM cipher. */
static size_t names_of(const struct sheet *s, enum col c, unsigned id, bool joined,
		       const char *out[3], char buf[2][NAME_MAX_LEN])
{
	size_t n = 0;
	const struct platform_name *list = vocab_list(s, c);
	const char *tn = tunc_name(c, id, joined, buf[0], NAME_MAX_LEN);
	if (list) {
		const char *v = platform_vocab_name(list, id);
		if (v)
			out[n++] = v;
		snprintf(buf[1], NAME_MAX_LEN, "%.100s (not in %.100s's list)", tn, s->plat->description);
		out[n++] = buf[1];
	} else {
		out[n++] = tn;
	}
	if (c == C_ESP_INTEG && id == INTEG_NONE && !joined)
		out[n++] = "none (the GCM cipher authenticates)";
	return n;
}

/* The name of column C that V holds at I, followed by the end, ", " or
 * (JOIN) the joining string: the longest; its id in *ID and length in
 * *LEN.  False when none is. */
static bool match(const struct sheet *s, enum col c, const char *v, size_t i, const char *join,
		  unsigned *id, size_t *len)
{
	size_t best = 0;
	unsigned top = is_group_col(c) ? 64 : c == C_IKE_ENC || c == C_ESP_ENC ? ENC__COUNT
										: INTEG__COUNT;
	for (unsigned k = 0; k < top; k++) {
		if (!id_valid(c, k))
			continue;
		const char *names[3];
		char buf[2][NAME_MAX_LEN];
		size_t n = names_of(s, c, k, join != NULL, names, buf);
		for (size_t m = 0; m < n; m++) {
			size_t l = strlen(names[m]);
			if (l <= best || strncmp(v + i, names[m], l) != 0)
				continue;
			const char *after = v + i + l;
			if (*after && strncmp(after, ", ", 2) != 0 &&
			    !(join && strncmp(after, join, strlen(join)) == 0))
				continue;
			best = l;
			*id = k;
		}
	}
	*len = best;
	return best > 0;
}

/* The length of the word at I that no name matched, for the message. */
static size_t unknown_len(const char *v, size_t i, const char *join)
{
	size_t n = strcspn(v + i, ",");
	if (join) {
		size_t j = strcspn(v + i, join);
		n = j < n ? j : n;
	}
	return n;
}

static void push_word(struct sheet *s, word_vec *w, struct tunc_loc *where, const char *text,
		      struct tunc_loc loc)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->v[i].text, text) == 0)
			return;
	if (!w->n)
		*where = loc;
	arena_vec_push(A(s), w, ((struct word){text, loc}));
}

static const char *word_of(struct sheet *s, enum col c, unsigned id)
{
	if (is_group_col(c))
		return arena_printf(A(s), "%u", id);
	return c == C_IKE_ENC || c == C_ESP_ENC ? encryption_name((enum encryption)id)
						: integrity_name((enum integrity)id);
}

static const char *col_what(enum col c)
{
	static const char *const what[] = {"an IKE encryption", "an IKE integrity", "a DH group",
					   "an ESP encryption", "an ESP integrity", "a PFS group"};
	return what[c];
}

/* ---- the end's proposals ---- */

static struct imp_proposal *proposal(struct sheet *s, bool ike, struct tunc_loc loc)
{
	struct imp_device *d = s->r->dev;
	int *ix = ike ? &s->end->ike : &s->end->ipsec;
	if (*ix < 0) {
		struct imp_proposal p = {.ike = ike, .name = ike ? "peer-ike" : "peer-ipsec",
					 .loc = loc};
		if (!ike)
			p.protocol = (struct imp_text){"esp", loc};
		arena_vec_push(A(s), &d->proposals, p);
		*ix = (int)d->proposals.n - 1;
	}
	return &d->proposals.v[*ix];
}

/* "A, B, C": names of column C, each added to W. */
static void name_list(struct sheet *s, const struct val *v, enum col c, word_vec *w,
		      struct tunc_loc *where)
{
	size_t i = 0;
	while (v->s[i]) {
		unsigned id;
		size_t len;
		if (!match(s, c, v->s, i, NULL, &id, &len)) {
			char what[96];
			snprintf(what, sizeof(what), "not %s name of %s", col_what(c),
				 s->vocab ? s->vocab->label : "tunc's");
			bad(s, v, i, unknown_len(v->s, i, NULL), what);
			return;
		}
		push_word(s, w, where, word_of(s, c, id), at(s, v, i, len));
		i += len;
		if (v->s[i])
			i += 2;         /* ", " */
	}
}

void sheet_ike_enc(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, true, at(s, v, 0, 0));
	name_list(s, v, C_IKE_ENC, &p->enc, &p->enc_loc);
}

void sheet_ike_integ(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, true, at(s, v, 0, 0));
	name_list(s, v, C_IKE_INTEG, &p->integ, &p->integ_loc);
}

void sheet_ike_groups(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, true, at(s, v, 0, 0));
	name_list(s, v, C_IKE_GROUP, &p->group, &p->group_loc);
}

void sheet_esp_enc(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, false, at(s, v, 0, 0));
	name_list(s, v, C_ESP_ENC, &p->enc, &p->enc_loc);
}

void sheet_esp_integ(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, false, at(s, v, 0, 0));
	name_list(s, v, C_ESP_INTEG, &p->integ, &p->integ_loc);
}

/* "A-B-C, ...": whole proposals joined as the platform joins them
 * (strongSwan "aes256-sha256-modp2048"), the columns in COLS; a column
 * marked optional may be left out (an AEAD cipher has no integrity). */
struct joined_col {
	enum col c;
	bool optional;
	word_vec *w;
	struct tunc_loc *where;
};

static void joined(struct sheet *s, const struct val *v, const struct joined_col *cols, size_t n)
{
	if (!s->vocab || !s->vocab->join) {     /* the emitter writes columns for it */
		bad(s, v, 0, 0, "whole proposals on one line, where the sheet's platform's "
		    "names are written a column a line");
		return;
	}
	const char *join = s->vocab->join;
	size_t i = 0, jl = strlen(join);
	while (v->s[i]) {
		for (size_t k = 0; k < n; k++) {
			unsigned id;
			size_t len;
			if (!match(s, cols[k].c, v->s, i, join, &id, &len)) {
				if (cols[k].optional)
					continue;
				char what[96];
				snprintf(what, sizeof(what), "not %s name of %s", col_what(cols[k].c),
					 s->vocab->label);
				bad(s, v, i, unknown_len(v->s, i, join), what);
				return;
			}
			push_word(s, cols[k].w, cols[k].where, word_of(s, cols[k].c, id),
				  at(s, v, i, len));
			i += len;
			if (strncmp(v->s + i, join, jl) == 0 && k + 1 < n)
				i += jl;
			else
				break;
		}
		if (strncmp(v->s + i, ", ", 2) == 0)
			i += 2;
		else if (v->s[i]) {
			bad(s, v, i, unknown_len(v->s, i, NULL), "not a proposal of this sheet's form");
			return;
		}
	}
}

void sheet_ike_proposals(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, true, at(s, v, 0, 0));
	struct joined_col cols[] = {{C_IKE_ENC, false, &p->enc, &p->enc_loc},
				    {C_IKE_INTEG, false, &p->integ, &p->integ_loc},
				    {C_IKE_GROUP, false, &p->group, &p->group_loc}};
	joined(s, v, cols, 3);
}

void sheet_esp_proposals(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, false, at(s, v, 0, 0));
	bool ah = p->protocol.s && strcmp(p->protocol.s, "ah") == 0;
	word_vec pfs = {0};
	struct tunc_loc pfs_loc = LOC_NONE;
	struct joined_col esp[] = {{C_ESP_ENC, false, &p->enc, &p->enc_loc},
				   {C_ESP_INTEG, true, &p->integ, &p->integ_loc},
				   {C_PFS, true, &pfs, &pfs_loc}};
	joined(s, v, ah ? esp + 1 : esp, ah ? 2 : 3);
	/* An AEAD cipher's proposal names no integrity: tunc writes `none`. */
	if (!ah && !p->integ.n && p->enc.n)
		push_word(s, &p->integ, &p->integ_loc, "none", p->enc_loc);
	if (pfs.n && !p->pfs.s)
		p->pfs = (struct imp_text){pfs.v[0].text, pfs.v[0].loc};
}

void sheet_ike_version(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, true, at(s, v, 0, 0));
	if (strcmp(v->s, "IKEv1") == 0 || strcmp(v->s, "IKEv2") == 0)
		p->version = (unsigned)(v->s[4] - '0');
	else
		bad(s, v, 0, 0, "not an IKE version (IKEv1, IKEv2)");
}

void sheet_ike_mode(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, true, at(s, v, 0, 0));
	if (strcmp(v->s, "aggressive") == 0)
		p->mode = (struct imp_text){"aggressive", at(s, v, 0, 0)};
	else if (strcmp(v->s, "main") != 0)
		bad(s, v, 0, 0, "not an IKE mode (main, aggressive)");
}

/* "N s" at the start of TEXT -> N, and *REST what follows; false (and an
 * error) otherwise. */
static bool seconds(struct sheet *s, const struct val *v, const char *text, uint64_t *out,
		    const char **rest)
{
	char *end = NULL;
	if (*text >= '0' && *text <= '9') {
		unsigned long long n = strtoull(text, &end, 10);
		if (strncmp(end, " s", 2) == 0 && (!end[2] || end[2] == ' ') && n > 0) {
			*out = n;
			*rest = end + 2;
			return true;
		}
	}
	bad(s, v, (size_t)(text - v->s), 0, "not a lifetime ('N s')");
	return false;
}

void sheet_ike_lifetime(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, true, at(s, v, 0, 0));
	const char *rest;
	if (!seconds(s, v, v->s, &p->lifetime_s, &rest))
		return;
	p->lifetime_loc = at(s, v, 0, 0);
	if (*rest)
		bad(s, v, (size_t)(rest - v->s), 0, "not a lifetime ('N s')");
}

void sheet_esp_lifetime(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, false, at(s, v, 0, 0));
	const char *rest;
	if (!seconds(s, v, v->s, &p->lifetime_s, &rest))
		return;
	p->lifetime_loc = at(s, v, 0, 0);
	if (!*rest)
		return;
	char *end = NULL;
	unsigned long long n = strncmp(rest, " or ", 4) == 0 && rest[4] >= '0' && rest[4] <= '9'
			       ? strtoull(rest + 4, &end, 10) : 0;
	if (n == 0 || strcmp(end, " KB") != 0)
		bad(s, v, (size_t)(rest - v->s), 0, "not a lifetime ('N s or K KB')");
	else
		p->lifetime_kb = n;
}

void sheet_esp_protocol(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, false, at(s, v, 0, 0));
	if (strcmp(v->s, "ESP, tunnel mode") == 0)
		p->protocol = (struct imp_text){"esp", at(s, v, 0, 3)};
	else if (strcmp(v->s, "AH, tunnel mode") == 0)
		p->protocol = (struct imp_text){"ah", at(s, v, 0, 2)};
	else
		bad(s, v, 0, 0, "not an IPsec protocol ('ESP, tunnel mode', 'AH, tunnel mode')");
}

void sheet_esp_pfs(struct sheet *s, const struct val *v)
{
	struct imp_proposal *p = proposal(s, false, at(s, v, 0, 0));
	if (strcmp(v->s, "none") == 0) {
		p->pfs = (struct imp_text){"none", at(s, v, 0, 0)};
		return;
	}
	unsigned id;
	size_t len;
	if (match(s, C_PFS, v->s, 0, NULL, &id, &len) && !v->s[len])
		p->pfs = (struct imp_text){word_of(s, C_PFS, id), at(s, v, 0, len)};
	else
		bad(s, v, 0, 0, "not a PFS group name of this sheet's platform, nor 'none'");
}
