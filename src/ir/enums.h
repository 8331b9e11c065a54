/* Every enumerable thing of the language, each as one X-macro list: the enum,
 * its keyword table and its printing all come from here. */
#ifndef TUNC_ENUMS_H
#define TUNC_ENUMS_H

#include <stdbool.h>
#include <stddef.h>

/* The algorithm table: every algorithm and group the language names, with
 * its strength and its status in RFC 8221 (ESP and AH) and RFC 8247 (IKEv2,
 * which tunc holds IKEv1 configurations to as well).  The weak-* checks and
 * their advice read these columns and nothing else.  A status may carry the
 * RFC's qualifier ("MUST-" is on its way out); WEAKNESS says, for an
 * algorithm below STRENGTH_GOOD, what is wrong with it. */
enum strength {
	STRENGTH_NONE,          /* no protection at all (null encryption) */
	STRENGTH_BROKEN,        /* practically broken: MUST NOT */
	STRENGTH_LEGACY,        /* deprecated: SHOULD NOT, MUST- */
	STRENGTH_GOOD,          /* MUST, SHOULD or MAY */
};

/* X(ID, keyword, key bits, is AEAD, strength, RFC 8221, RFC 8247, weakness) */
#define TUNC_ENCRYPTIONS(X)                                                    \
	X(ENC_NULL, "null", 0, false, STRENGTH_NONE, "MUST", "MUST NOT",       \
	  "no encryption at all: ESP authenticates but anyone on the path "    \
	  "reads the traffic (fine for a capture, as in seed 000, never in "   \
	  "production)")                                                       \
	X(ENC_DES, "des", 64, false, STRENGTH_BROKEN, "MUST NOT", "MUST NOT",  \
	  "DES, whose 56-bit keys are broken")                                 \
	X(ENC_3DES, "3des", 192, false, STRENGTH_LEGACY, "SHOULD NOT",         \
	  "MAY, for old peers only", "3DES, deprecated for its 64-bit blocks") \
	X(ENC_AES128, "aes128", 128, false, STRENGTH_GOOD, "MUST", "MUST", NULL) \
	X(ENC_AES192, "aes192", 192, false, STRENGTH_GOOD, "MAY", "MAY", NULL) \
	X(ENC_AES256, "aes256", 256, false, STRENGTH_GOOD, "MUST", "MUST", NULL) \
	X(ENC_AES128_GCM, "aes128-gcm", 128, true, STRENGTH_GOOD, "MUST",      \
	  "SHOULD", NULL)                                                      \
	X(ENC_AES256_GCM, "aes256-gcm", 256, true, STRENGTH_GOOD, "MUST",      \
	  "SHOULD", NULL)

/* X(ID, keyword, ICV bits truncated as IPsec uses it, digest bits, strength,
 *   RFC 8221, RFC 8247, weakness) */
#define TUNC_INTEGRITIES(X)                                                    \
	X(INTEG_NONE, "none", 0, 0, STRENGTH_GOOD, "MAY, beside AEAD only",    \
	  "MAY, beside AEAD only", NULL)                                       \
	X(INTEG_MD5, "md5", 96, 128, STRENGTH_BROKEN, "MUST NOT", "MUST NOT",  \
	  "HMAC-MD5")                                                          \
	X(INTEG_SHA1, "sha1", 96, 160, STRENGTH_LEGACY,                        \
	  "MUST-, to be phased out", "MUST-, to be phased out", "HMAC-SHA-1")  \
	X(INTEG_SHA256, "sha256", 128, 256, STRENGTH_GOOD, "MUST", "MUST", NULL) \
	X(INTEG_SHA384, "sha384", 192, 384, STRENGTH_GOOD, "MAY", "MAY", NULL) \
	X(INTEG_SHA512, "sha512", 256, 512, STRENGTH_GOOD, "SHOULD", "SHOULD", NULL)

/* X(group number, name, strength, RFC 8247, what it is) — the
 * Diffie-Hellman groups the language accepts.  Among groups of one
 * strength, a later row is the stronger. */
#define TUNC_DH_GROUPS(X)                                                      \
	X(1, "modp768", STRENGTH_BROKEN, "MUST NOT", "768-bit MODP")           \
	X(2, "modp1024", STRENGTH_LEGACY, "SHOULD NOT", "1024-bit MODP")       \
	X(5, "modp1536", STRENGTH_LEGACY, "SHOULD NOT", "1536-bit MODP")       \
	X(14, "modp2048", STRENGTH_GOOD, "MUST", "2048-bit MODP")              \
	X(15, "modp3072", STRENGTH_GOOD, "MAY", "3072-bit MODP")               \
	X(16, "modp4096", STRENGTH_GOOD, "MAY", "4096-bit MODP")               \
	X(19, "ecp256", STRENGTH_GOOD, "SHOULD", "256-bit random ECP")         \
	X(20, "ecp384", STRENGTH_GOOD, "MAY", "384-bit random ECP")            \
	X(21, "ecp521", STRENGTH_GOOD, "MAY", "521-bit random ECP")

/* X(ID, keyword) */
#define TUNC_PLATFORMS(X)                                                      \
	X(PLAT_GENERIC, "generic")                                             \
	X(PLAT_IOS, "ios")                                                     \
	X(PLAT_PIX, "pix")                                                     \
	X(PLAT_ASA, "asa")                                                     \
	X(PLAT_WINDOWS, "windows")                                             \
	X(PLAT_ISA, "isa")                                                     \
	X(PLAT_LINUX, "linux")                                                 \
	X(PLAT_AWS, "aws")                                                     \
	X(PLAT_AZURE, "azure")                                                 \
	X(PLAT_GCP, "gcp")

/* X(ID, keyword) */
#define TUNC_VERDICTS(X)                                                       \
	X(VERDICT_PROTECTED, "protected")                                      \
	X(VERDICT_CLEAR, "clear")                                              \
	X(VERDICT_DROPPED, "dropped")                                          \
	X(VERDICT_UNREACHABLE, "unreachable")

#define X_ENUM(id, ...) id,
enum encryption { TUNC_ENCRYPTIONS(X_ENUM) ENC__COUNT };
enum integrity { TUNC_INTEGRITIES(X_ENUM) INTEG__COUNT };
enum platform_id { TUNC_PLATFORMS(X_ENUM) PLAT__COUNT };
enum verdict { TUNC_VERDICTS(X_ENUM) VERDICT__COUNT };
#undef X_ENUM

const char *encryption_name(enum encryption e);
unsigned encryption_key_bits(enum encryption e);
bool encryption_is_aead(enum encryption e);
bool encryption_lookup(const char *name, enum encryption *out);
const char *integrity_name(enum integrity i);
unsigned integrity_icv_bits(enum integrity i);
bool integrity_lookup(const char *name, enum integrity *out);
bool dh_group_valid(unsigned group);
const char *dh_group_name(unsigned group);

/* A row of the algorithm table, for the checks. */
struct alg_info {
	const char *name;               /* the keyword */
	enum strength strength;
	const char *rfc8221, *rfc8247;  /* status; NULL where the RFC is silent */
	const char *weakness;           /* what is wrong with it; for a group,
					   what it is ("1024-bit MODP") */
};
const struct alg_info *encryption_info(enum encryption e);
const struct alg_info *integrity_info(enum integrity i);
const struct alg_info *dh_group_info(unsigned group);   /* NULL: not a group */
/* Is A stronger than B, two rows of one table (by strength, then by row
 * within a strength)? */
bool alg_stronger(const struct alg_info *a, const struct alg_info *b);
const char *platform_name(enum platform_id p);
bool platform_lookup_name(const char *name, enum platform_id *out);
const char *verdict_name(enum verdict v);
bool verdict_lookup(const char *name, enum verdict *out);

/* IP protocol numbers the language names. */
#define TUNC_PROTOCOLS(X)                                                      \
	X(1, "icmp")                                                           \
	X(6, "tcp")                                                            \
	X(17, "udp")                                                           \
	X(47, "gre")                                                           \
	X(50, "esp")                                                           \
	X(51, "ah")                                                            \
	X(58, "icmpv6")

#define PROTO_ANY 0                     /* "no protocol given": any */
const char *protocol_name(unsigned proto); /* NULL when unnamed */
bool protocol_lookup(const char *name, unsigned *out);

#endif
