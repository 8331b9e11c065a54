/* What the PIX 6.3 reader (pix.c) and the ASA 8.4+ reader (asa.c) share:
 * the two run the same firewall command language with different NAT, IKE
 * policy and key statements.  common.c reads the statements both know
 * (`name`, `route`, `access-list`, `object-group network`, transform sets,
 * crypto map entries and their binding) and turns the crypto map entries
 * into tunnel ends once the file is read; each reader handles its own
 * statements first and hands the rest to fw_top(). */
#ifndef TUNC_IMPORT_PIX_ASA_FW_H
#define TUNC_IMPORT_PIX_ASA_FW_H

#include "import/cisco.h"

/* A named set of networks: `name`, `object network`, `object-group network`. */
struct fw_object {
	const char *name;
	bool alias;                     /* `name ADDR NAME`: nets holds the bare address */
	imp_text_vec nets;              /* "NET/LEN" */
	struct tunc_loc loc;
};

/* A transform set (IKEv1) or IKEv2 IPsec proposal. */
struct fw_tset {
	const char *name;
	bool ikev2;
	struct imp_proposal p;          /* protocol, encryption, integrity */
};

struct fw_map {
	struct imp_text map, seq;
	struct tunc_loc loc;
	struct imp_text peer, pfs, acl;
	imp_text_vec tsets;
	unsigned ike_version;           /* from `set ikev1|ikev2 ...`; 0: the only one, else 1 */
	uint64_t lifetime_s, lifetime_kb;
	struct tunc_loc lifetime_loc, lifetime_kb_loc;
	bool skip;                      /* a kind of entry tunc does not model (noted) */
	bool manual;                    /* ipsec-manual: the SAs are sa[0] in, sa[1] out */
	struct imp_manual_sa sa[2];
};

struct fw_binding {
	struct imp_text map, nameif;
};
/* An ASA VTI: `interface TunnelN` with `tunnel source interface NAMEIF`,
 * `tunnel destination`, `tunnel protection ipsec profile NAME`. */
struct fw_vti {
	struct imp_text name;           /* the interface's hardware name */
	struct imp_text source, dest, profile;
};
/* `access-group ACL in|out interface NAMEIF`. */
struct fw_filter {
	struct imp_text acl, nameif;
	int dir;
	struct tunc_loc loc;
};

/* What indented lines belong to; the readers number theirs from FW_READER. */
enum { FW_NONE, FW_OTHER, FW_OBJECT_GROUP, FW_READER };

struct fw {
	struct imp_read *r;
	int ctx;
	ARENA_VEC(const char *) nameifs;        /* parallel to dev->ifaces */
	ARENA_VEC(struct fw_object) objects;
	size_t object;                  /* the one fw_new_object() last opened */
	cisco_acl_vec acls;
	ARENA_VEC(struct fw_tset) tsets;
	ARENA_VEC(struct fw_map) maps;
	ARENA_VEC(struct fw_binding) bindings;
	ARENA_VEC(struct fw_filter) filters;
	ARENA_VEC(struct fw_vti) vtis;
	ARENA_VEC(struct fw_map) profiles;      /* crypto ipsec profile: entries without peer or ACL */
	ARENA_VEC(struct imp_text) route_nameifs;       /* parallel to dev->routes */
	cisco_key_vec keys[3];          /* by IKE version; [0] unused */
	imp_text_vec nat0_acls;         /* `nat (IF) 0 access-list ACL`, resolved at the end */
	int ike[3];                     /* merged IKEv1 / IKEv2 proposal, -1 none */
	struct imp_text mss;            /* `sysopt connection tcpmss N`: every end's tcp-mss */
	cisco_key_vec dpds;             /* a tunnel group's `isakmp keepalive`: "Ns" by peer */
};

#define FW_A(s) ((s)->r->arena)
#define FW_DEV(s) ((s)->r->dev)

void fw_init(struct fw *s, struct imp_read *r, const char *platform);
/* The statements both know; false when L is none of them.  fw_top() sets
 * s->ctx; fw_sub() reads an indented line of a common block. */
bool fw_top(struct fw *s, const struct imp_line *l);
void fw_sub(struct fw *s, const struct imp_line *l);
/* A `tunnel ...` line of interface block NAME (a VTI). */
void fw_vti_item(struct fw *s, struct imp_text name, const struct imp_line *l);
/* `crypto ipsec profile NAME` opens a profile; fw_profile_item() reads its
 * `set ...` lines (as a crypto map entry's). */
void fw_profile_begin(struct fw *s, const struct imp_line *l);
void fw_profile_item(struct fw *s, const struct imp_line *l);
/* After the whole file: crypto map entries -> tunnel ends. */
void fw_finish(struct fw *s);

/* `PIX Version 6.3(5)` / `ASA Version 9.8(4)`: the platform's version. */
bool fw_version(struct fw *s, const struct imp_line *l, const char *vendor);
/* How sure a reader is that TEXT is its dialect: MARKS are the starts of
 * lines only that dialect writes. */
int fw_detect(const char *text, size_t size, const char *const *marks, size_t n);

/* An interface by its nameif (created, named NAMEIF, when CREATE and absent). */
struct imp_iface *fw_iface(struct fw *s, const char *nameif, struct tunc_loc loc, bool create);
/* Adds an interface known by hardware name NAME and, when given, NAMEIF. */
struct imp_iface *fw_add_iface(struct fw *s, struct imp_text name, const char *nameif);
/* An object or object group, or NULL. */
struct fw_object *fw_object(struct fw *s, const char *name);
/* Opens object NAME (again: the ASA adds to it), made when new. */
struct fw_object *fw_new_object(struct fw *s, struct imp_text name);
/* An ADDRESS MASK pair at word *I where ADDRESS may be a `name`; *I moves past it. */
struct imp_text fw_addr_mask(struct fw *s, const struct imp_line *l, size_t *i);
/* An address in an access list or NAT rule at word *I: `any`, `any4`,
 * `host A`, `object N`, `object-group N`, `interface IF` or A MASK; the
 * networks go to OUT.  False after a located error. */
bool fw_acl_addr(struct fw *s, const struct imp_line *l, size_t *i, imp_text_vec *out);
/* `access-list NAME [extended] permit|deny ...` */
void fw_access_list(struct fw *s, const struct imp_line *l);
/* Adds NAT rules exempting each source of ACL's permit lines toward each
 * destination, located at the lines. */
void fw_nat_exempt_acl(struct fw *s, struct imp_text acl);
/* Appends a rule to TO: the device's, or a list the reader appends later
 * (the device's order of evaluation is the .tun's order). */
void fw_nat_push(struct fw *s, imp_nat_vec *to, enum nat_kind kind, struct imp_text src,
		 struct imp_text dst, struct imp_text iface, struct tunc_loc loc);
void fw_nat_append(struct fw *s, const imp_nat_vec *v);
/* A transform set's words from word I on (esp-aes-256 esp-sha-hmac ...). */
void fw_transform_set(struct fw *s, const struct imp_line *l, size_t name_at);
/* The device's IKEv1 or IKEv2 proposal, made on first use. */
struct imp_proposal *fw_ike(struct fw *s, unsigned version, struct tunc_loc loc);
/* Records KEY for peer ADDR (a name: DefaultL2LGroup is any peer) under
 * IKE VERSION; a key the device printed as asterisks gets a note. */
void fw_add_key(struct fw *s, unsigned version, struct imp_text addr, struct imp_text key);
/* An IKEv1 policy setting from word I on: PIX `isakmp policy N WORD VALUE`,
 * ASA ` WORD VALUE` under `crypto ikev1 policy N`. */
void fw_ikev1_item(struct fw *s, const struct imp_line *l, size_t i);
/* "(IN,OUT)" or "(IN)" at word I -> the nameifs (OUT NULL when absent). */
bool fw_nat_ifaces(struct fw *s, const struct imp_line *l, size_t i, struct imp_text *in,
		   struct imp_text *out);

#endif
