/* What every emitter shares: the traceability comments, platform-safe names,
 * address forms and the pre-shared key read at compile time. */
#ifndef TUNC_EMIT_COMMON_H
#define TUNC_EMIT_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "emit/emit.h"
#include "util/secret.h"

#define EMIT_NAME_MAX 128

/* The file header: tunc's version, the source file, the gateway and its
 * platform, and whether the file holds keys.  CMT starts each comment line
 * ("!", "#", "REM"); EOL ends every line ("\n" or "\r\n"). */
void emit_header(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out,
		 const char *cmt, const char *eol, bool holds_keys);
/* The comment opening a tunnel's section: its name, its source line and its
 * two ends ("tunnel hq-branch (site.tun:42): rtr-a -> rtr-b"). */
void emit_tunnel_banner(struct emit_ctx *ctx, const struct model_tunnel *mt, struct strbuf *out,
			const char *cmt, const char *eol);
/* "FILE:LINE" of LOC ("?" when unknown). */
void emit_loc_text(const struct emit_ctx *ctx, struct tunc_loc loc, char *buf, size_t size);

/* PREFIX followed by NAME with every character outside [A-Za-z0-9_.-]
 * replaced by '_': names (ACLs, maps, filter lists) derive from the tunnel
 * and gateway names, stable across compiles. */
void emit_name(char *buf, size_t size, const char *prefix, const char *name);
/* The name of a file for gateway NAME: the same character set, and never
 * starting with '.'. */
void emit_file_name(char *buf, size_t size, const char *name, const char *ext);

/* The lines `CMT   tunc-iface NAME PREFIX [outside]`, one per interface of
 * G (PREFIX "-" when it has no address), NAME in double quotes when QUOTE:
 * the scripts that address no interface (xfrm, PowerShell, netsh) say what
 * they expect, and `tunc import` reads the interfaces back from them. */
void emit_iface_lines(const struct ir_gateway *g, struct strbuf *out, const char *cmt,
		      const char *nl, bool quote);

/* Address text. */
void emit_addr(const struct ip_addr *a, char *buf, size_t size);
/* The network address of P (host bits cleared), as text. */
void emit_net(const struct ip_prefix *p, char *buf, size_t size);
static inline bool emit_is_v4(const struct ip_prefix *p)
{
	return p->addr.family == AF_V4;
}

/* The pre-shared key of MT's end, read now (psk_load: `psk file` relative
 * to the directory of the file that names it, `psk env` or inline).  The
 * bytes are never printed; on failure a diagnostic (without the key) goes
 * to ctx->diags and false is returned.  secret_free wipes them. */
bool emit_psk_read(struct emit_ctx *ctx, const struct model_tunnel *mt, struct secret *out);
/* The diagnostic of emit_psk_read for a key that cannot be read (ERR: why,
 * never key material). */
void emit_psk_error(struct emit_ctx *ctx, const struct model_tunnel *mt, const char *err);

/* An error that stops this emitter: the model describes something the
 * target's syntax cannot express (CHECK: "platform-unsupported",
 * "manual-key-aead").  Compile is refused (exit 1). */
struct diag *emit_error(struct emit_ctx *ctx, const struct model_gateway *mg, const char *check,
			struct tunc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The rules of a gateway's `nat` block with `exempt tunnels` expanded: each
 * entry is one exemption src -> dst (from an `exempt` rule or one tunnel
 * selector pair), an overload or a static mapping, in rule order. */
struct emit_nat_line {
	enum nat_kind kind;             /* NAT_EXEMPT (also for expanded tunnels), NAT_OVERLOAD, NAT_STATIC */
	struct ip_prefix src, dst;
	const struct ir_nat_rule *rule;
	const struct model_tunnel *tunnel;      /* set for lines from `exempt tunnels` */
};
struct emit_nat_list {
	struct emit_nat_line *v;
	size_t n, cap;
};
void emit_nat_expand(const struct model_gateway *mg, struct emit_nat_list *out);
void emit_nat_free(struct emit_nat_list *l);

/* The interface of MG that holds ADDR in its subnet (NULL: none). */
const struct ir_interface *emit_iface_for(const struct model_gateway *mg, const struct ip_addr *addr);
/* MG's own address inside one of the prefixes of LIST (the `src` hint of a
 * route): the address of a non-outside interface that lies in LIST.  False
 * when there is none. */
bool emit_inside_addr(const struct model_gateway *mg, const ir_prefix_vec *list, struct ip_addr *out);

/* An ordered set of strings (names already written), for deduplication. */
struct emit_set {
	char **v;
	size_t n, cap;
};
/* Adds KEY; true when it was not there yet. */
bool emit_set_add(struct emit_set *s, const char *key);
/* The index of KEY, or -1. */
long emit_set_index(const struct emit_set *s, const char *key);
void emit_set_free(struct emit_set *s);

/* One address of an access list: "host A", "any" or "A MASK", with a
 * netmask (PIX) or a wildcard mask (IOS); IPv6 as "A/LEN". */
void emit_acl_addr(struct strbuf *out, const struct ip_prefix *p, bool wildcard);
/* "ip", a protocol keyword, or its number.  AH_WORD is how the target spells
 * AH ("ahp" on IOS, "ah" on PIX). */
void emit_acl_proto(struct strbuf *out, unsigned proto, const char *ah_word);
/* " eq N" or " range LO HI" for a destination port restriction (nothing when
 * LO and HI are 0). */
void emit_acl_ports(struct strbuf *out, uint16_t lo, uint16_t hi);

/* The suites a proposal offers, one per combination, in order of preference
 * (encryption first, then integrity, then group), without repeats.  ESP
 * with an AEAD cipher or `integrity none` has integ INTEG_NONE; AH has enc
 * ENC_NULL.  Returns how many were written (at most MAX). */
#define EMIT_COMBOS_MAX 64
struct emit_esp_combo {
	bool ah;
	enum encryption enc;
	enum integrity integ;
};
size_t emit_ipsec_combos(const struct ir_ipsec *ps, struct emit_esp_combo *out, size_t max);
/* The name of the Cisco transform set (IOS, PIX) for suite C:
 * "tunc-aes256-sha256", "tunc-aes256-gcm", "tunc-ah-sha256". */
void emit_tset_name(const struct emit_esp_combo *c, char *buf, size_t size);
/* " NAME" for each of the N suites of C: a crypto map's transform-set list. */
void emit_tset_list(struct strbuf *out, const struct emit_esp_combo *c, size_t n);
struct emit_ike_combo {
	enum encryption enc;
	enum integrity integ;
	unsigned group;
};
size_t emit_ike_combos(const struct ir_ike *ike, struct emit_ike_combo *out, size_t max);

/* Lifetimes. */
static inline unsigned long long emit_minutes(uint64_t seconds)
{
	return (unsigned long long)((seconds + 59) / 60);
}

#endif
