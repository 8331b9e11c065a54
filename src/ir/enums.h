/* Every enumerable thing of the language, each as one X-macro list: the enum,
 * its keyword table and its printing all come from here. */
#ifndef TUNC_ENUMS_H
#define TUNC_ENUMS_H

#include <stdbool.h>

/* X(ID, keyword, key bits, is AEAD) */
#define TUNC_ENCRYPTIONS(X)                                                    \
	X(ENC_NULL, "null", 0, false)                                          \
	X(ENC_DES, "des", 64, false)                                           \
	X(ENC_3DES, "3des", 192, false)                                        \
	X(ENC_AES128, "aes128", 128, false)                                    \
	X(ENC_AES192, "aes192", 192, false)                                    \
	X(ENC_AES256, "aes256", 256, false)                                    \
	X(ENC_AES128_GCM, "aes128-gcm", 128, true)                             \
	X(ENC_AES256_GCM, "aes256-gcm", 256, true)

/* X(ID, keyword, ICV bits truncated as IPsec uses it, digest bits) */
#define TUNC_INTEGRITIES(X)                                                    \
	X(INTEG_NONE, "none", 0, 0)                                            \
	X(INTEG_MD5, "md5", 96, 128)                                           \
	X(INTEG_SHA1, "sha1", 96, 160)                                         \
	X(INTEG_SHA256, "sha256", 128, 256)                                    \
	X(INTEG_SHA384, "sha384", 192, 384)                                    \
	X(INTEG_SHA512, "sha512", 256, 512)

/* X(group number, name) — the Diffie-Hellman groups the language accepts */
#define TUNC_DH_GROUPS(X)                                                      \
	X(1, "modp768")                                                        \
	X(2, "modp1024")                                                       \
	X(5, "modp1536")                                                       \
	X(14, "modp2048")                                                      \
	X(15, "modp3072")                                                      \
	X(16, "modp4096")                                                      \
	X(19, "ecp256")                                                        \
	X(20, "ecp384")                                                        \
	X(21, "ecp521")

/* X(ID, keyword) */
#define TUNC_PLATFORMS(X)                                                      \
	X(PLAT_GENERIC, "generic")                                             \
	X(PLAT_IOS, "ios")                                                     \
	X(PLAT_PIX, "pix")                                                     \
	X(PLAT_WINDOWS, "windows")                                             \
	X(PLAT_ISA, "isa")                                                     \
	X(PLAT_LINUX, "linux")

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
