/* Proposal strings of strongSwan (swanctl.conf and ipsec.conf) and of
 * Libreswan / Openswan (ipsec.conf): one parser, tables of the names each
 * dialect uses for tunc's algorithms. */
#include "config.h"
#include "import/proposal.h"

#include <stdlib.h>
#include <string.h>

static const struct { const char *name; unsigned group; } groups[] = {
	{"modp768", 1}, {"modp1024", 2}, {"modp1536", 5}, {"modp2048", 14}, {"modp3072", 15},
	{"modp4096", 16}, {"modp6144", 17}, {"modp8192", 18}, {"ecp256", 19}, {"ecp384", 20},
	{"ecp521", 21}, {"ecp192", 25}, {"ecp224", 26}, {"curve25519", 31}, {"x25519", 31},
};
/* strongSwan names, then Libreswan's (aes_cbc, aes_gcm with its ICV
 * suffixes a/b/c or 8/12/16: tunc models the 16-byte ICV only, the
 * default). */
static const struct { const char *sw, *tun; } encs[] = {
	{"aes128", "aes128"}, {"aes192", "aes192"}, {"aes256", "aes256"}, {"3des", "3des"},
	{"des", "des"}, {"null", "null"}, {"aes128gcm16", "aes128-gcm"}, {"aes256gcm16", "aes256-gcm"},
	{"aes128gcm", "aes128-gcm"}, {"aes256gcm", "aes256-gcm"}, {"aes", "aes128"},
	{"aes_cbc", "aes128"}, {"aes_cbc128", "aes128"}, {"aes_cbc192", "aes192"},
	{"aes_cbc256", "aes256"}, {"aes_cbc_128", "aes128"}, {"aes_cbc_192", "aes192"},
	{"aes_cbc_256", "aes256"}, {"aes_128", "aes128"}, {"aes_192", "aes192"},
	{"aes_256", "aes256"}, {"3des_cbc", "3des"},
	{"aes_gcm", "aes128-gcm"}, {"aes_gcm128", "aes128-gcm"}, {"aes_gcm256", "aes256-gcm"},
	{"aes_gcm_128", "aes128-gcm"}, {"aes_gcm_256", "aes256-gcm"},
	{"aes_gcm_c", "aes128-gcm"}, {"aes_gcm_c128", "aes128-gcm"}, {"aes_gcm_c256", "aes256-gcm"},
	{"aes_gcm_c_128", "aes128-gcm"}, {"aes_gcm_c_256", "aes256-gcm"},
	{"aes_gcm16", "aes128-gcm"}, {"aes_gcm16_128", "aes128-gcm"},
	{"aes_gcm16_256", "aes256-gcm"}, {"aes_gcm256_16", "aes256-gcm"},
};
static const struct { const char *sw, *tun; } integs[] = {
	{"md5", "md5"}, {"sha1", "sha1"}, {"sha", "sha1"}, {"sha256", "sha256"},
	{"sha384", "sha384"}, {"sha512", "sha512"}, {"sha2_256", "sha256"},
	{"sha2_384", "sha384"}, {"sha2_512", "sha512"}, {"sha2", "sha256"},
	{"md5_96", "md5"}, {"sha1_96", "sha1"},
};

static void add_word(struct imp_read *r, word_vec *v, struct tunc_loc *where, const char *text,
		     struct tunc_loc loc)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].text, text) == 0)
			return;
	if (v->n == 0)
		*where = loc;
	arena_vec_push(r->arena, v, ((struct word){arena_strdup(r->arena, text), loc}));
}

/* A DH group name: "modp2048", Libreswan's "dh14"; 0 when not one. */
static unsigned group_of(const char *w)
{
	for (size_t k = 0; k < sizeof(groups) / sizeof(groups[0]); k++)
		if (strcmp(groups[k].name, w) == 0)
			return groups[k].group;
	if (strncmp(w, "dh", 2) == 0 && w[2] >= '1' && w[2] <= '9' && strspn(w + 2, "0123456789") == strlen(w + 2))
		return (unsigned)atoi(w + 2);
	return 0;
}

void imp_proposals(struct imp_read *r, struct imp_proposal *p, struct imp_text v)
{
	const char *t = v.s;
	size_t i = 0, n = strlen(t);
	bool aead = false;              /* the current proposal's cipher is AEAD */
	while (i < n) {
		size_t len = strcspn(t + i, "-,; !");
		struct tunc_loc loc = {v.loc.file, v.loc.offset + (uint32_t)i, (uint32_t)(len ? len : 1)};
		char *w = arena_strndup(r->arena, t + i, len);
		for (char *c = w; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		bool known = len == 0 || strcmp(w, "esn") == 0 || strcmp(w, "noesn") == 0;
		/* A PRF: with an AEAD cipher in IKE, what tunc calls IKE integrity. */
		if (!known && strncmp(w, "prf", 3) == 0) {
			for (size_t k = 0; p->ike && aead && k < sizeof(integs) / sizeof(integs[0]); k++)
				if (strcmp(integs[k].sw, w + 3) == 0)
					add_word(r, &p->integ, &p->integ_loc, integs[k].tun, loc);
			known = true;
		}
		/* "null" after an AEAD cipher is Libreswan's "no integrity". */
		if (!known && aead && strcmp(w, "null") == 0) {
			add_word(r, &p->integ, &p->integ_loc, "none", loc);
			known = true;
		}
		for (size_t k = 0; !known && k < sizeof(encs) / sizeof(encs[0]); k++)
			if (strcmp(encs[k].sw, w) == 0) {
				add_word(r, &p->enc, &p->enc_loc, encs[k].tun, loc);
				aead = strstr(w, "gcm") != NULL;
				if (aead)
					add_word(r, &p->integ, &p->integ_loc, "none", loc);
				known = true;
			}
		for (size_t k = 0; !known && k < sizeof(integs) / sizeof(integs[0]); k++)
			if (strcmp(integs[k].sw, w) == 0) {
				add_word(r, &p->integ, &p->integ_loc, integs[k].tun, loc);
				known = true;
			}
		unsigned g = known ? 0 : group_of(w);
		if (g) {
			char *gs = arena_printf(r->arena, "%u", g);
			if (p->ike)
				add_word(r, &p->group, &p->group_loc, gs, loc);
			else if (!p->pfs.s)
				p->pfs = (struct imp_text){gs, loc};
			known = true;
		}
		if (!known)
			diag_front(r->diags, "invalid-value", loc, "unknown algorithm '%s'", w);
		if (i + len < n && t[i + len] == ',')
			aead = false;
		i += len + (i + len < n);
	}
	/* IKE with GCM: its integrity is the PRF, named or the default. */
	for (size_t k = 0; p->ike && k < p->integ.n;)
		if (strcmp(p->integ.v[k].text, "none") == 0) {
			memmove(&p->integ.v[k], &p->integ.v[k + 1], (p->integ.n - k - 1) * sizeof(p->integ.v[0]));
			p->integ.n--;
		} else {
			k++;
		}
	if (p->ike && p->integ.n)
		p->integ_loc = p->integ.v[0].loc;
}

bool imp_duration(const char *s, uint64_t *out)
{
	if (!s || *s < '0' || *s > '9')
		return false;
	char *end;
	unsigned long long n = strtoull(s, &end, 10);
	unsigned long long f = 1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		f = 60, end++;
	else if (*end == 'h')
		f = 3600, end++;
	else if (*end == 'd')
		f = 86400, end++;
	if (*end || n > UINT64_MAX / f)
		return false;
	*out = n * f;
	return true;
}
