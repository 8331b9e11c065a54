/* What the Cisco readers (ios/, pix_asa/) share: checking a statement is
 * complete, ADDRESS MASK words, algorithm tables, access lists, and turning
 * a crypto map entry's access list and the device's keys into a tunnel end.
 * Kept here so that no reader copies another's code. */
#ifndef TUNC_IMPORT_CISCO_H
#define TUNC_IMPORT_CISCO_H

#include "import/lines.h"

/* True (after a located error) when L has fewer than NEED words. */
bool imp_incomplete(struct imp_read *r, const struct imp_line *l, size_t need, const char *usage);
/* Words I and I+1, ADDR MASK (WILDCARD: 0.0.0.255 form) -> "ADDR/LEN" at
 * the span of both; s is NULL after a located error. */
struct imp_text imp_addr_mask(struct imp_read *r, const struct imp_line *l, size_t i,
			      bool wildcard);
/* "ADDR/LEN" -> "ADDR", same location. */
struct imp_text imp_bare_addr(struct arena *a, struct imp_text prefix);
/* Appends TEXT to V unless it is there; *WHERE takes the first one's location. */
void imp_add_word(struct arena *a, word_vec *v, struct tunc_loc *where, const char *text,
		  struct tunc_loc loc);

/* The .tun name an engineer gave an object (an access list, transform set,
 * IPsec profile or proposal NAME), without the `tunc-` tunc's emitters put
 * before it; NULL when NAME says nothing: a number (a numbered access list,
 * an ASA `crypto ikev2 policy 10`) or a character a .tun name does not
 * keep (doc/import.md, "Names"). */
const char *cisco_given_name(struct arena *a, const char *name);

/* A device's algorithm word -> the .tun name. */
struct imp_alg { const char *dev, *tun; };
const char *imp_alg_find(const struct imp_alg *t, const char *w);
void imp_unknown_alg(struct imp_read *r, struct imp_text w);

/* An access list: each line's sources and destinations as "NET/LEN" (an
 * object group gives several). */
struct cisco_acl_line {
	bool permit;
	imp_text_vec src, dst;
	struct tunc_loc loc;
	const char *unmodelled;         /* why the line is left out (a note when used), or NULL */
	/* An entry for one protocol (unmodelled in a crypto or NAT ACL, a
	 * rule of an interface filter): .tun protocol and destination port. */
	struct imp_text proto, port;
	const char *not_filter;         /* why it cannot be a filter rule, or NULL */
};
struct cisco_acl {
	const char *name;
	ARENA_VEC(struct cisco_acl_line) lines;
};
/* Lists are found by name through R->index, so that a hub's 10,000 lists
 * and their 10,000 crypto map entries cost no search through the others. */
typedef struct {
	struct cisco_acl *v;
	uint32_t n, cap;                /* as ARENA_VEC's */
} cisco_acl_vec;
struct cisco_acl *cisco_acl_find(struct imp_read *r, cisco_acl_vec *v, const char *name,
				 bool create);
/* A crypto access list's permit lines -> E's local (sources) and remote
 * (destinations) selectors; a deny line gets a note. */
void cisco_acl_selectors(struct imp_read *r, const struct cisco_acl *acl, struct imp_end *e);

/* ACL, bound to interface IF in direction DIR (FILTER_IN, FILTER_OUT) at
 * LOC, as IF's filter: its lines in order, then the default (the last line
 * when it is `permit|deny ip any any`, else the implicit deny). */
void cisco_acl_filter(struct imp_read *r, const struct cisco_acl *acl, struct imp_iface *f,
		      int dir, struct tunc_loc loc);
/* A Cisco port word ("443", "www", "domain") -> the number, or -1. */
int cisco_port(const char *w);
/* A port operator at word *K of a tcp/udp entry: `eq P` and `range A B` give
 * PORT ("N", "A-B"); other operators set WHY (an unknown port is also a
 * located error).  *K moves past it; nothing happens at another word. */
void cisco_acl_port(struct imp_read *r, const struct imp_line *l, size_t *k, struct imp_text *port,
		    const char **why);
/* An access-list protocol word -> the .tun's ("ahp" -> "ah"), NULL when unnamed. */
const char *cisco_acl_protocol(const char *w);

/* `set session-key inbound|outbound esp SPI cipher KEY [authenticator KEY]`
 * or `... ah SPI KEY` from word I (after `set session-key`): into IN or
 * OUT, the key words marked secret. */
void cisco_session_key(struct imp_read *r, const struct imp_line *l, size_t i,
		       struct imp_manual_sa *in, struct imp_manual_sa *out);
/* An ipsec-manual entry at LOC with SA (inbound, outbound) as end E: keyed
 * by hand, the SAs its key, an unused IKE proposal; false after a located
 * error (a direction without its session key). */
bool cisco_manual_end(struct imp_read *r, struct tunc_loc loc, const struct imp_manual_sa *sa,
		      struct imp_end *e);

/* Marks the keys line L may hold secret (imp_mark_secret), before the
 * reader looks at it: the word after `[crypto] isakmp key` (and the
 * encryption type before it), all after `pre-shared-key` (IOS keyrings,
 * ASA tunnel groups), all after the SPI of `set session-key` (manual keys).
 * Every Cisco reader calls it on each line it reads. */
void cisco_mark_keys(const struct imp_read *r, const struct imp_line *l);

/* A pre-shared key for a peer address (0.0.0.0: any peer). */
struct cisco_key { struct imp_text addr, key; };
/* Readers push keys (arena_vec_push); cisco_key_for indexes them by
 * address in R->index as it meets them. */
typedef struct {
	struct cisco_key *v;
	uint32_t n, cap;                /* as ARENA_VEC's */
	size_t indexed;                 /* v[0, indexed) are in the index */
	size_t wildcard;                /* the first 0.0.0.0 key + 1; 0: none yet */
} cisco_key_vec;
/* The key for PEER: its own (the first given), else the first wildcard's;
 * s NULL when none. */
struct imp_text cisco_key_for(struct imp_read *r, cisco_key_vec *keys, const char *peer);

#endif
