/* What a reader learns from one configuration file, before the files are
 * paired: a neutral description of one device.  Strings live in the IR's
 * arena; every item keeps the location of its text in the original file, and
 * src/import/assemble.c hands them to the .tun builder (src/ir/build.h) so
 * that resolve, the model and the checks see an IR like any other. */
#ifndef TUNC_IMPORT_DEVICE_H
#define TUNC_IMPORT_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/build.h"

/* A word of the original text and where it is. */
struct imp_text {
	const char *s;                  /* NULL when absent */
	struct tunc_loc loc;
};
typedef ARENA_VEC(struct imp_text) imp_text_vec;

/* An interface filter (an ACL bound by `ip access-group`, `access-group`):
 * first match wins, then the default. */
struct imp_filter_rule {
	bool permit;
	struct imp_text src, dst;       /* "NET/LEN" */
	struct imp_text proto;          /* a .tun protocol word, NULL: any */
	struct imp_text port;           /* destination port "N" or "LO-HI", NULL: any */
	struct tunc_loc loc;
};
struct imp_filter {
	bool set;
	ARENA_VEC(struct imp_filter_rule) rules;
	bool default_permit;
	struct tunc_loc loc, default_loc;
};

struct imp_iface {
	struct imp_text name;
	struct imp_text address;        /* "ADDR/LEN" */
	bool outside;                   /* carries a crypto map, or `ip nat outside` */
	/* The address a paired device knows this one by, when not its own
	 * (src/import/behind_nat.c): the NAT in front of it shows that. */
	struct imp_text behind_nat;
	struct imp_filter filter[2];    /* indexed by enum filter_dir: in, out */
};

struct imp_route {
	struct imp_text dst;            /* "NET/LEN" */
	struct imp_text via;
	struct imp_text dev, metric;    /* the interface and metric when the file says */
	struct tunc_loc loc;
};

struct imp_nat {
	enum nat_kind kind;             /* NAT_EXEMPT, NAT_OVERLOAD or NAT_STATIC */
	struct imp_text src, dst, iface;        /* NAT_STATIC: src -> dst, addresses */
	struct tunc_loc loc;
};
typedef ARENA_VEC(struct imp_nat) imp_nat_vec;

/* An IKE or IPsec proposal; the words are already .tun names ("aes256"). */
struct imp_proposal {
	bool ike;
	const char *name;               /* unique in the import, set by the reader */
	struct tunc_loc loc;
	unsigned version;               /* IKE: 1 or 2, 0 = unknown */
	word_vec enc, integ, group;
	struct tunc_loc enc_loc, integ_loc, group_loc;
	struct imp_text protocol;       /* IPsec: "esp" or "ah" */
	struct imp_text pfs;            /* IPsec: group number or "none" */
	uint64_t lifetime_s;            /* 0 = default */
	uint64_t lifetime_kb;           /* IPsec, with lifetime_s: 0 = no volume limit */
	struct tunc_loc lifetime_loc;
	struct imp_text mode;           /* IKE: "aggressive", NULL = main */
};

/* One direction of a tunnel keyed by hand, as a configuration writes it:
 * SPI (decimal or 0x hex), keys in hex (with or without 0x). */
struct imp_manual_sa {
	struct imp_text spi, enc, auth;
	struct tunc_loc loc;
};

/* One tunnel as this device configures it. */
struct imp_end {
	const char *name;               /* crypto map entry, connection name */
	/* The name is the one an engineer gave (a crypto map entry's access
	 * list, a tunnel interface's IPsec profile), not MAP-SEQ or the
	 * interface: on a device with generic_end_names it is kept. */
	bool given_name;
	struct tunc_loc loc;
	struct imp_text local_addr;     /* this device's endpoint */
	struct imp_text peer_addr;      /* the far end's endpoint */
	imp_text_vec local_ts, remote_ts;       /* "NET/LEN" each */
	struct tunc_loc local_loc, remote_loc;  /* the statements that set them */
	int ike, ipsec;                 /* index into the device's proposals, -1 none */
	struct imp_text psk;            /* the key itself (never written to a .tun) */
	/* Keyed by hand: the SAs this device sends with and receives with
	 * (imp_manual_end); psk is written from them by assemble.c. */
	struct imp_manual_sa manual_out, manual_in;
	int pair;                       /* assemble.c: index of the device paired with */
	/* Route-based (an IOS tunnel interface): its link "NET/LEN"; the
	 * selectors are then any to any unless the file says. */
	struct imp_text route_based;
	imp_text_vec routed;            /* route-based: what the file routes into it */
	struct imp_text tcp_mss;        /* "N": the MSS clamp applied, NULL none */
	struct imp_text dpd;            /* "Ns": dead-peer detection, NULL none */
	struct imp_text keying;         /* "manual": static SAs, NULL: IKE */
	/* The file names this end's address only as `%defaultroute` (here):
	 * local_addr is NULL until src/import/defaultroute.c finds it. */
	struct tunc_loc local_unknown;
	/* The file names both ends and nothing said which is this host's
	 * (ipsec.conf: left by convention): orient.c may turn it round. */
	bool side_guessed;
	/* This end's selectors narrowed to a protocol (a .tun protocol word or
	 * number) and destination port ("N"), NULL: any (a Windows tunnel
	 * filter's protocol= and dstport=). */
	struct imp_text proto, port;
	struct tunc_loc proto_stmt;
	/* Windows: the tunnel filter is Mirrored, the filter action accepts
	 * unsecured communication (located at the words that say so). */
	bool mirrored, accept_unsecured;
	struct tunc_loc mirrored_loc, accept_unsecured_loc;
	/* NAT traversal as the file says it ("on", "off"; NULL: auto), a
	 * tunnel-level setting (a peer sheet's). */
	struct imp_text nat_traversal;
};

/* The key of E, keyed by hand (imp_manual_end, import/reader.h), as gateway SELF's end of
 * a tunnel toward gateway PEER: the same text at both ends when their SAs
 * agree (src/import/manual.c). */
const char *imp_manual_key(struct arena *a, const struct imp_end *e, const char *self,
			   const char *peer);

struct imp_device {
	uint32_t file;
	const char *reader;             /* "ios", "swanctl" */
	const char *platform;           /* a .tun platform name, NULL for none */
	struct imp_text version;        /* the platform's version when the file says */
	bool generic_end_names;         /* ends named MAP-SEQ unless given_name: a partner's name says more */
	struct imp_text name;           /* hostname, or from the file name */
	ARENA_VEC(struct imp_iface) ifaces;
	ARENA_VEC(struct imp_route) routes;
	imp_nat_vec nat;                /* in the order the device applies them */
	ARENA_VEC(struct imp_proposal) proposals;
	ARENA_VEC(struct imp_end) ends;
	/* The file holds no interfaces: each end's local address becomes an
	 * outside interface once orient.c has settled the sides. */
	bool ifaces_from_ends;
	/* A far end tunc does not configure (a peer sheet): built as a `peer`
	 * whose address is its ends' local address (src/import/peer.c). */
	bool peer;
};

#endif
