/* What the proposal checks share (checks_weak.c, checks_mismatch.c,
 * checks_platform.c): what a tunnel's two platforms can both run, which
 * tunnels use each proposal, and the text that names them. */
#ifndef TUNC_CHECK_PROPOSALS_H
#define TUNC_CHECK_PROPOSALS_H

#include "check/util.h"

/* ---- what platforms can run ---- */

struct caps {
	unsigned versions;
	uint32_t ike_enc, ike_integ, esp_enc, esp_integ;
	uint64_t groups;
	bool ah;
};

struct caps pr_platform_caps(const struct platform_info *p);
struct caps pr_caps_and(struct caps a, struct caps b);
void pr_caps_or(struct caps *a, struct caps b);
/* What both ends of a tunnel can run. */
struct caps pr_tunnel_caps(const struct tview *tv);

/* The kinds of algorithm lists, each a column of the algorithm table
 * (ir/enums.h) and a field of struct caps. */
enum cap_kind { CAP_IKE_ENC, CAP_ESP_ENC, CAP_IKE_INTEG, CAP_ESP_INTEG, CAP_GROUPS };

uint64_t pr_caps_mask(const struct caps *c, enum cap_kind k);
/* The algorithm table's row of V, an algorithm (or group) of kind K. */
const struct alg_info *pr_alg_info(enum cap_kind k, unsigned v);
const char *pr_alg_name(enum cap_kind k, unsigned v);
/* The members of MASK stronger than WEAK. */
uint64_t pr_stronger_than(enum cap_kind k, uint64_t mask, unsigned weak);
/* The member of MASK to recommend, most preferred first (RFC 8247: group
 * 19 SHOULD, 14 MUST; AES-GCM for ESP, AES-CBC for IKE); -1 when empty. */
int pr_best(enum cap_kind k, uint64_t mask);
static inline bool pr_good(enum cap_kind k, int v)
{
	return v >= 0 && pr_alg_info(k, (unsigned)v)->strength >= STRENGTH_GOOD;
}

/* ---- proposals and the tunnels that use them ---- */

/* Per proposal (ir order): what the tunnels using it can run, the first
 * tunnel end using it, how many ends do, and which tunnels. */
struct usage {
	struct caps all;                /* what every tunnel using it can run */
	struct caps any;                /* what some tunnel using it can run */
	size_t first_tv;
	int first_end;
	bool first_both;                /* both ends of the first tunnel use it */
	size_t ends;
	/* The tunnels using it (places in tvs), in order, each once: 32 bits
	 * (the tunnels' places are: model_tunnel's ir_index), the list cut to
	 * its size once built (a hub's two proposals held 2.1 MB at 100,000
	 * spokes as doubled size_t lists, 0.8 MB so). */
	uint32_t *tvs;
	size_t n_tvs, cap_tvs;
};

struct usages {
	struct usage *ike, *ipsec;
	size_t n_ike, n_ipsec;
	struct tviews tvs;
	bool shared;                    /* the run's (ctx->cache): not freed */
};

/* Who uses each proposal.  Built once per run when the checks share a
 * cache (five checks read it, none writes to it). */
void pr_usages_build(const struct check_ctx *ctx, struct usages *u);
void pr_usages_free(struct usages *u);
/* "tunnel t", "rtr-a in tunnel t" or "tunnel t and 3 other tunnel ends" */
void pr_fmt_users(const struct usages *u, const struct usage *us, char *buf, size_t size);

/* ---- text ---- */

/* Only ends whose platform is known: a peer without one may run anything. */
bool pr_platform_known(const struct ir_gateway *g);
/* A mask of kind K: "des, 3des" */
void pr_sb_mask(struct strbuf *b, enum cap_kind k, uint64_t mask);
/* "ISA Server 2004 (isa-a) offers des, 3des; Cisco PIX 6.3 (pix-fw) offers ..." */
void pr_sb_platforms(struct strbuf *b, const struct tview *tv, enum cap_kind k);
/* "rtr-a offers des, 3des, rtr-b offers aes128" for the masks M0 and M1. */
void pr_sb_offers_pair(struct strbuf *b, const char *g0, const char *g1, enum cap_kind k,
		       uint64_t m0, uint64_t m1);

/* ---- the two ends ---- */

/* Keyed by hand (model_keyed_by_hand): no IKE runs between the two ends,
 * each installs static SAs from its own first offer and key, so proposals
 * and keys are not negotiated but must simply be the same. */
bool pr_keyed_by_hand(const struct ir_tunnel *t);

#endif
