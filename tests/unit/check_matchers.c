/* One table of packets, two paths, the same answers.
 *
 * Each row is a packet sent two ways: through the engine, exactly as lint's
 * probes ask it (`tunc run --send` of the packet's text, probe_send_text),
 * and through lint's model-level pre-checks (probe_filter, probe_nat in
 * src/check/probe.c).  Both must name the same deciding filter rule (or the
 * default) with the same action, and the same NAT rule (or none): lint and
 * `tunc run` cannot disagree (doc/engine.md, "Filter and NAT matching").
 *
 * Rows marked "differed" are the cases where the engine and the probes each
 * had their own matcher and answered differently. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/probe.h"
#include "engine/engine.h"
#include "frontend_util.h"
#include "model/model.h"

#define PROPOSALS                                                              \
	"ike k { version 1; encryption aes128; integrity sha256; group 14; }\n" \
	"ipsec p { encryption aes128; integrity sha256; pfs 14; }\n"

/* ra (Linux: route, filter, SPD, IKE, NAT) with an IPv4 outside interface,
 * an IPv4 and an IPv6 inside, a tunnel to rb for 192.168.1.0/24 <->
 * 192.168.2.0/24; EXTRA goes into ra, OUTSIDE_EXTRA into its outside
 * interface. */
#define POLICY(outside_extra, extra)                                           \
	PROPOSALS                                                              \
	"site a { subnet 192.168.1.0/24; subnet 2001:db8:1::/48;\n"            \
	"  gateway ra { platform linux;\n"                                     \
	"    interface g0 { address 198.51.100.1/24; outside; " outside_extra " }\n" \
	"    interface g1 { address 192.168.1.1/24; }\n"                       \
	"    interface g2 { address 2001:db8:1::1/64; }\n"                     \
	"    route default via 198.51.100.254;\n"                              \
	"    route 2001:db8:99::/48 via 2001:db8:ff::fe dev g0;\n"             \
	"    " extra " } }\n"                                                  \
	"site b { subnet 192.168.2.0/24; host srv1 192.168.2.10;\n"            \
	"  gateway rb { platform ios;\n"                                       \
	"    interface e0 { address 203.0.113.1/24; outside; }\n"              \
	"    interface e1 { address 192.168.2.1/24; }\n"                       \
	"    route default via 203.0.113.254; } }\n"                           \
	"tunnel t { between ra and rb; ike k; ipsec p; psk \"0123456789abcdefghij\"; }\n"

static const char FILTER_POLICY[] = POLICY(
	"filter out {"
	" drop any -> 203.0.113.66;"            /* rule 0 */
	" permit any -> any tcp 80;"            /* rule 1 */
	" drop any -> any icmp 8;"              /* rule 2: a port on a protocol without ports */
	" drop any -> any udp 1000-2000;"       /* rule 3 */
	" default permit; }", "");

static const char NAT_POLICY[] = POLICY("",
	"nat {"
	" exempt 192.168.1.0/24 -> 10.9.0.0/16;" /* rule 0 */
	" exempt tunnels;"                       /* rule 1 */
	" static 192.168.1.5 to 198.51.100.5;"   /* rule 2 */
	" overload 192.168.1.0/24 on g0;"        /* rule 3 */
	" overload 2001:db8:1::/48 on g0;"       /* rule 4: g0 has no IPv6 address */
	" }");

#define DEFAULT_RULE (-1)       /* the filter's default decided */
#define NO_NAT (-1)             /* no NAT rule matched */

struct row {
	const char *src, *dst;
	unsigned proto;
	uint16_t dport;         /* as the probe packet carries it */
	int rule;               /* the deciding rule, or DEFAULT_RULE / NO_NAT */
	enum filter_action action;      /* filter rows */
};

static const struct row filter_rows[] = {
	{"192.168.1.10", "203.0.113.66", 1, 0, 0, FILTER_DROP},
	{"192.168.1.10", "203.0.113.50", 6, 80, 1, FILTER_PERMIT},
	{"192.168.1.10", "203.0.113.50", 6, 81, DEFAULT_RULE, FILTER_PERMIT},
	/* A TCP packet without a port (port 0) is not "TCP to 80". */
	{"192.168.1.10", "203.0.113.50", 6, 0, DEFAULT_RULE, FILTER_PERMIT},
	{"192.168.1.10", "203.0.113.50", 17, 1500, 3, FILTER_DROP},
	{"192.168.1.10", "203.0.113.50", 17, 2001, DEFAULT_RULE, FILTER_PERMIT},
	{"192.168.1.10", "203.0.113.50", 1, 0, DEFAULT_RULE, FILTER_PERMIT},
	/* Differed: a port rule and a packet without ports.  Lint's packet for
	 * a tunnel's `protocol icmp 8` carries 8 in its port field; the wire
	 * packet has no ports, so `icmp 8` never matches it (the probe said
	 * rule 2 dropped it). */
	{"192.168.1.10", "203.0.113.50", 1, 8, DEFAULT_RULE, FILTER_PERMIT},
	/* `any -> any` is IPv4 unless the other side is IPv6. */
	{"2001:db8:1::10", "2001:db8:99::1", 6, 80, DEFAULT_RULE, FILTER_PERMIT},
};

static const struct row nat_rows[] = {
	{"192.168.1.10", "10.9.0.1", 1, 0, 0, 0},
	{"192.168.1.10", "192.168.2.10", 1, 0, 1, 0},
	{"192.168.1.5", "203.0.113.50", 1, 0, 2, 0},
	{"192.168.1.10", "203.0.113.50", 6, 443, 3, 0},
	{"192.168.1.99", "203.0.113.50", 17, 53, 3, 0},
	/* Differed: an overload whose interface has no address of the packet's
	 * family has nothing to translate to (the probe said rule 4). */
	{"2001:db8:1::10", "2001:db8:99::1", 1, 0, NO_NAT, 0},
	/* Differed: a packet with no route leaves by no interface, so no
	 * `overload ... on IFACE` applies (the probe, given no egress, said
	 * rule 4). */
	{"2001:db8:1::10", "2001:db8:77::1", 1, 0, NO_NAT, 0},
};

struct world {
	struct parsed p;
	struct model *m;
	struct engine *e;
	struct model_gateway *ra;
};

static void world_open(struct world *w, const char *text)
{
	load_text(&w->p, text, POLICY_MODELLED);
	ck_assert_msg(w->p.ok, "the test policy must load");
	w->m = w->p.model;
	struct engine_options o = {.seed = 1};
	char err[200];
	w->e = engine_new(w->m, &o, err, sizeof(err));
	ck_assert_ptr_nonnull(w->e);
	w->ra = model_gateway_of(w->m, ir_find_gateway(&w->p.ir, "ra"));
	ck_assert_ptr_nonnull(w->ra);
}

static void world_close(struct world *w)
{
	engine_free(w->e);
	parsed_free(&w->p);     /* and the model */
}

static struct probe_pkt pkt_of(const struct row *r)
{
	struct probe_pkt p;
	memset(&p, 0, sizeof(p));
	ck_assert(addr_parse(r->src, &p.src));
	ck_assert(addr_parse(r->dst, &p.dst));
	p.proto = r->proto;
	p.dport = r->dport;
	return p;
}

static bool same_loc(struct tunc_loc a, struct tunc_loc b)
{
	return a.file == b.file && a.offset == b.offset;
}

/* The engine's hop at ra for stage ST, sending P as lint's probes do. */
static const struct trace_hop *engine_hop(struct world *w, const struct probe_pkt *p,
					  enum stage st, char *text, size_t size)
{
	probe_send_text(p, text, size);
	struct engine_send s;
	char err[300];
	engine_rewind(w->e);
	ck_assert_msg(engine_parse_send(w->e, text, &s, err, sizeof(err)), "%s", err);
	const struct packet_result *r = engine_send(w->e, &s, 1);
	for (size_t i = 0; i < r->hops.n; i++)
		if (r->hops.v[i].stage == st && strcmp(r->hops.v[i].node, "ra") == 0)
			return &r->hops.v[i];
	return NULL;
}

START_TEST(test_filter_table)
{
	struct world w;
	world_open(&w, FILTER_POLICY);
	const struct ir_interface *g0 = w.ra->ir->interfaces.v[0];
	const struct ir_filter *f = ir_iface_written(g0)->filter_out;
	ck_assert_ptr_nonnull(f);
	const struct row *row = &filter_rows[_i];
	struct probe_pkt p = pkt_of(row);
	char text[200];

	/* The engine. */
	const struct trace_hop *h = engine_hop(&w, &p, STAGE_FILTER, text, sizeof(text));
	ck_assert_msg(h, "%s: the engine applied no filter at ra", text);
	int engine_rule = DEFAULT_RULE;
	for (size_t i = 0; i < f->rules.n; i++)
		if (same_loc(h->loc, f->rules.v[i].loc))
			engine_rule = (int)i;
	enum filter_action engine_action = strncmp(h->result, "DROP", 4) == 0 ? FILTER_DROP
									   : FILTER_PERMIT;
	/* Lint's probe. */
	struct filter_verdict v = probe_filter(NULL, f, false, &p);
	int probe_rule = v.rule ? (int)(v.rule - f->rules.v) : DEFAULT_RULE;

	ck_assert_msg(engine_rule == row->rule && engine_action == row->action,
		      "%s: the engine decided by rule %d (%s), expected %d", text, engine_rule,
		      h->result, row->rule);
	ck_assert_msg(probe_rule == engine_rule && v.action == engine_action,
		      "%s: lint's probe decided by rule %d (%s), the engine by rule %d (%s)", text,
		      probe_rule, v.action == FILTER_DROP ? "drop" : "permit", engine_rule, h->result);
	world_close(&w);
}
END_TEST

START_TEST(test_nat_table)
{
	struct world w;
	world_open(&w, NAT_POLICY);
	const struct ir_gateway *g = w.ra->ir;
	const struct row *row = &nat_rows[_i];
	struct probe_pkt p = pkt_of(row);
	char text[200];

	/* The engine: the NAT hop at ra names the rule that decided, or no
	 * hop / the nat block when none did. */
	const struct trace_hop *h = engine_hop(&w, &p, STAGE_NAT, text, sizeof(text));
	int engine_rule = NO_NAT;
	for (size_t i = 0; h && i < g->nat.n; i++)
		if (same_loc(h->loc, g->nat.v[i].loc))
			engine_rule = (int)i;
	/* Lint's probe, with the egress interface as lint's checks find it. */
	struct model_route scratch;
	const struct model_route *rt = probe_route(w.ra, &p.dst, &scratch);
	const struct ir_interface *egress = probe_route_iface(w.ra, rt);
	const struct ir_nat_rule *n = probe_nat(w.ra, &p, egress);
	int probe_rule = n ? (int)(n - g->nat.v) : NO_NAT;

	ck_assert_msg(engine_rule == row->rule, "%s: the engine says NAT rule %d (%s), expected %d",
		      text, engine_rule, h ? h->result : "no NAT hop", row->rule);
	ck_assert_msg(probe_rule == engine_rule,
		      "%s: lint's probe says NAT rule %d, the engine rule %d (%s)", text,
		      probe_rule, engine_rule, h ? h->result : "no NAT hop");
	world_close(&w);
}
END_TEST

static Suite *matchers_suite(void)
{
	Suite *s = suite_create("matchers");
	TCase *tc = tcase_create("engine and lint agree");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_filter_table, 0,
			    (int)(sizeof(filter_rows) / sizeof(filter_rows[0])));
	tcase_add_loop_test(tc, test_nat_table, 0, (int)(sizeof(nat_rows) / sizeof(nat_rows[0])));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(matchers_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
