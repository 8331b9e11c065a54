#include "config.h"
#include "ir/enums.h"

#include <string.h>

#define TABLE_LOOKUP(table, count, name, out)                                  \
	do {                                                                   \
		for (unsigned i_ = 0; i_ < (count); i_++)                      \
			if (strcmp((table)[i_], (name)) == 0) {                \
				*(out) = i_;                                   \
				return true;                                   \
			}                                                      \
		return false;                                                  \
	} while (0)

#define X_NAME(id, name, ...) name,
#define X_BITS(id, name, bits, ...) bits,
static const char *const enc_names[] = {TUNC_ENCRYPTIONS(X_NAME)};
static const unsigned enc_bits[] = {TUNC_ENCRYPTIONS(X_BITS)};
static const char *const integ_names[] = {TUNC_INTEGRITIES(X_NAME)};
static const unsigned integ_icv[] = {TUNC_INTEGRITIES(X_BITS)};
static const char *const platform_names[] = {TUNC_PLATFORMS(X_NAME)};
static const char *const verdict_names[] = {TUNC_VERDICTS(X_NAME)};
#undef X_NAME
#undef X_BITS
#define X_AEAD(id, name, bits, aead, ...) aead,
static const bool enc_aead[] = {TUNC_ENCRYPTIONS(X_AEAD)};
#undef X_AEAD

const char *encryption_name(enum encryption e)
{
	return e < ENC__COUNT ? enc_names[e] : "?";
}

unsigned encryption_key_bits(enum encryption e)
{
	return e < ENC__COUNT ? enc_bits[e] : 0;
}

bool encryption_is_aead(enum encryption e)
{
	return e < ENC__COUNT && enc_aead[e];
}

bool encryption_lookup(const char *name, enum encryption *out)
{
	TABLE_LOOKUP(enc_names, ENC__COUNT, name, out);
}

const char *integrity_name(enum integrity i)
{
	return i < INTEG__COUNT ? integ_names[i] : "?";
}

unsigned integrity_icv_bits(enum integrity i)
{
	return i < INTEG__COUNT ? integ_icv[i] : 0;
}

bool integrity_lookup(const char *name, enum integrity *out)
{
	TABLE_LOOKUP(integ_names, INTEG__COUNT, name, out);
}

bool dh_group_valid(unsigned group)
{
	return dh_group_name(group) != NULL;
}

const char *dh_group_name(unsigned group)
{
#define X_CASE(n, name, ...) case n: return name;
	switch (group) {
	TUNC_DH_GROUPS(X_CASE)
	default: return NULL;
	}
#undef X_CASE
}

/* ---- the algorithm table's strength columns ---- */

#define X_ENC_INFO(id, name, bits, aead, strength, r8221, r8247, weak)         \
	{name, strength, r8221, r8247, weak},
#define X_INTEG_INFO(id, name, icv, digest, strength, r8221, r8247, weak)      \
	{name, strength, r8221, r8247, weak},
static const struct alg_info enc_info[] = {TUNC_ENCRYPTIONS(X_ENC_INFO)};
static const struct alg_info integ_info[] = {TUNC_INTEGRITIES(X_INTEG_INFO)};
#undef X_ENC_INFO
#undef X_INTEG_INFO
/* RFC 8221 does not rate DH groups (ESP's PFS uses IKE's). */
#define X_GROUP_INFO(n, name, strength, r8247, what) {name, strength, NULL, r8247, what},
static const struct alg_info group_info[] = {TUNC_DH_GROUPS(X_GROUP_INFO)};
#undef X_GROUP_INFO
#define X_GROUP_NUMBER(n, ...) n,
static const unsigned group_numbers[] = {TUNC_DH_GROUPS(X_GROUP_NUMBER)};
#undef X_GROUP_NUMBER

const struct alg_info *encryption_info(enum encryption e)
{
	return e < ENC__COUNT ? &enc_info[e] : NULL;
}

const struct alg_info *integrity_info(enum integrity i)
{
	return i < INTEG__COUNT ? &integ_info[i] : NULL;
}

const struct alg_info *dh_group_info(unsigned group)
{
	for (size_t i = 0; i < sizeof(group_numbers) / sizeof(group_numbers[0]); i++)
		if (group_numbers[i] == group)
			return &group_info[i];
	return NULL;
}

bool alg_stronger(const struct alg_info *a, const struct alg_info *b)
{
	if (a->strength != b->strength)
		return a->strength > b->strength;
	/* Rows are listed weakest first within a strength. */
	return a > b;
}

const char *platform_name(enum platform_id p)
{
	return p < PLAT__COUNT ? platform_names[p] : "?";
}

bool platform_lookup_name(const char *name, enum platform_id *out)
{
	TABLE_LOOKUP(platform_names, PLAT__COUNT, name, out);
}

const char *verdict_name(enum verdict v)
{
	return v < VERDICT__COUNT ? verdict_names[v] : "?";
}

bool verdict_lookup(const char *name, enum verdict *out)
{
	TABLE_LOOKUP(verdict_names, VERDICT__COUNT, name, out);
}

const char *protocol_name(unsigned proto)
{
#define X_CASE(n, name) case n: return name;
	switch (proto) {
	TUNC_PROTOCOLS(X_CASE)
	default: return NULL;
	}
#undef X_CASE
}

bool protocol_lookup(const char *name, unsigned *out)
{
#define X_CMP(n, nm) if (strcmp(name, nm) == 0) { *out = n; return true; }
	TUNC_PROTOCOLS(X_CMP)
#undef X_CMP
	return false;
}
