/* Unit tests of the model (src/model/model.c): routes, tunnels, selector
 * pairs, the SPD in order with its origins, the platform's implicit
 * entries, lookups; and the one key type (src/util/secret.c). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend_util.h"
#include "ir/psk.h"
#include "model/manual_keys.h"
#include "model/model.h"
#include "model/spd_index.h"
#include "util/secret.h"
#include "util/strbuf.h"

static const char isa_pair[] =
	"ike k { version 1; encryption 3des; integrity sha1; group 14; }\n"
	"ipsec p { encryption 3des; integrity sha1; }\n"
	"site a { subnet 10.1.0.0/16; host ha 10.1.0.10;\n"
	"  gateway isa-a { platform isa 2004;\n"
	"    interface External { address 198.51.100.1/24; outside; }\n"
	"    interface Internal { address 10.1.0.1/16; }\n"
	"    route default via 198.51.100.254; } }\n"
	"site b { subnet 10.2.0.0/16; host hb 10.2.0.10;\n"
	"  gateway isa-b { platform isa 2004;\n"
	"    interface External { address 203.0.113.1/24; outside; }\n"
	"    interface Internal { address 10.2.0.1/16; }\n"
	"    route default via 203.0.113.254;\n"
	"    route 10.50.0.0/16 via 10.2.0.254 metric 5;\n"
	"    route 10.50.0.0/16 via 10.2.0.253 metric 2; } }\n"
	"tunnel a-b { between isa-a and isa-b; ike k; ipsec p; psk \"0123456789abcdefghij\";\n"
	"  isa-a { remote 10.2.0.0/16; } }\n";

static struct model *load(struct parsed *p, const char *text)
{
	load_text(p, text, POLICY_MODELLED);
	ck_assert_msg(p->ok, "the test policy must load");
	ck_assert_ptr_nonnull(p->model);
	return p->model;
}

static struct model_gateway *gw(struct model *m, struct parsed *p, const char *name)
{
	struct ir_gateway *g = ir_find_gateway(&p->ir, name);
	ck_assert_ptr_nonnull(g);
	struct model_gateway *mg = model_gateway_of(m, g);
	ck_assert_ptr_nonnull(mg);
	ck_assert_ptr_eq(mg->ir, g);
	return mg;
}

/* Entry E's selector (spd_entry_sel), in one of a few rotating buffers so
 * that two may be compared in one call. */
static const struct selector *esel(const struct spd_entry *e)
{
	static struct selector buf[4];
	static unsigned next;
	struct selector *s = &buf[next++ % 4];
	*s = spd_entry_sel(e);
	return s;
}

static struct ip_addr A(const char *s)
{
	struct ip_addr a;
	ck_assert_msg(addr_parse(s, &a), "bad test address %s", s);
	return a;
}

/* Every tunnel end's model_tunnel_spd list is exactly what a scan of its
 * gateway's SPD for its PROTECT entries finds, in the same order; the
 * lookups of a gateway and of a tunnel end (hashed places, a hub's
 * tunnels too) find what a scan of the lists finds; a gateway not of the
 * model is not found. */
static void assert_tunnel_lists(const struct model *m)
{
	struct ir_gateway stranger = {0};
	ck_assert_ptr_null(model_gateway_of(m, &stranger));
	for (size_t g = 0; g < m->gateways.n; g++) {
		const struct model_gateway *mg = m->gateways.v[g];
		ck_assert_ptr_eq(model_gateway_of(m, mg->ir), mg);
		size_t n_tunnels = 0;
		for (size_t t = 0; t < m->ir->tunnels.n; t++) {
			const struct ir_tunnel *it = m->ir->tunnels.v[t];
			const struct model_tunnel *scan = NULL;
			for (size_t k = 0; k < mg->tunnels.n && !scan; k++)
				if (mg->tunnels.v[k]->ir == it)
					scan = mg->tunnels.v[k];
			ck_assert_ptr_eq(model_tunnel_of(mg, it), scan);
			n_tunnels += scan != NULL;
		}
		ck_assert_uint_eq(n_tunnels, mg->tunnels.n);
		for (size_t t = 0; t < mg->tunnels.n; t++) {
			const struct model_tunnel *mt = mg->tunnels.v[t];
			ck_assert_ptr_eq(mt->peer_model, model_gateway_of(m, model_tunnel_peer(mt)));
			for (int dir = SPD_OUT; dir <= SPD_FWD; dir++) {
				struct spd_refs refs = model_tunnel_spd(mt, (enum spd_dir)dir);
				size_t k = 0;
				for (size_t i = 0; i < model_spd_count(mg, dir); i++) {
					const struct spd_entry *e = model_spd_entry(mg, dir, i);
					if (e->tunnel != mt || e->action != SPD_PROTECT)
						continue;
					ck_assert_uint_lt(k, refs.n);
					ck_assert_uint_eq(refs.v[k], i);
					k++;
				}
				ck_assert_uint_eq(k, refs.n);
			}
		}
	}
}

START_TEST(test_spd_order_and_implicit)
{
	struct parsed p;
	struct model *m = load(&p, isa_pair);
	struct model_gateway *a = gw(m, &p, "isa-a");
	/* OUT: the tunnel's pair, ISA's own-address entry, then the defaults. */
	ck_assert_uint_eq(model_spd_count(a, SPD_OUT), 1 + 1 + 2);
	const struct spd_entry *e0 = model_spd_entry(a, SPD_OUT, 0);
	char buf[200];
	struct strbuf nb = STRBUF_INIT;
	selector_format(esel(e0), buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.1.0.0/16 -> 10.2.0.0/16");
	ck_assert_int_eq(e0->action, SPD_PROTECT);
	ck_assert_int_eq(e0->origin, ORIGIN_TUNNEL);
	ck_assert_ptr_null(model_spd_note(a, e0, &nb));
	ck_assert_str_eq(e0->tunnel->ir->name, "a-b");
	unsigned line, col;
	source_line_col(&p.sources, e0->loc, &line, &col);
	ck_assert_uint_eq(line, 16);    /* isa-a's `remote` */

	const struct spd_entry *e1 = model_spd_entry(a, SPD_OUT, 1);
	selector_format(esel(e1), buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.51.100.1 -> 10.2.0.0/16");
	ck_assert_int_eq(e1->origin, ORIGIN_PLATFORM);
	ck_assert_str_eq(model_spd_note(a, e1, &nb),
			 "ISA Server 2004 adds isa-a (198.51.100.1) > 10.2.0.0/16");
	source_line_col(&p.sources, e1->loc, &line, &col);
	ck_assert_uint_eq(line, 4);     /* the platform statement */

	/* The defaults, last: IPv4, then IPv6; the same two on every gateway. */
	const struct spd_entry *last = model_spd_entry(a, SPD_OUT, 3);
	ck_assert_int_eq(last->origin, ORIGIN_DEFAULT);
	ck_assert_int_eq(last->action, SPD_BYPASS);
	selector_format(esel(model_spd_entry(a, SPD_OUT, 2)), buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.0.0.0/0 -> 0.0.0.0/0");
	selector_format(esel(last), buf, sizeof(buf));
	ck_assert_str_eq(buf, "::/0 -> ::/0");
	ck_assert_int_eq(last->dir, SPD_OUT);
	ck_assert_str_eq(model_spd_note(a, last, &nb), "default: not IPsec traffic");
	ck_assert_ptr_eq(last, model_spd_entry(gw(m, &p, "isa-b"), SPD_OUT,
					      model_spd_count(gw(m, &p, "isa-b"), SPD_OUT) - 1));

	/* IN mirrors OUT, with ISA's "<" entry. */
	selector_format(esel(model_spd_entry(a, SPD_IN, 0)), buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.2.0.0/16 -> 10.1.0.0/16");
	selector_format(esel(model_spd_entry(a, SPD_IN, 1)), buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.2.0.0/16 -> 198.51.100.1");
	ck_assert_ptr_nonnull(strstr(model_spd_note(a, model_spd_entry(a, SPD_IN, 1), &nb),
				     "isa-a (198.51.100.1) < 10.2.0.0/16"));
	strbuf_free(&nb);
	ck_assert_uint_eq(model_spd_count(a, SPD_FWD), 0);        /* no forward direction on ISA */

	/* Lookups: first match wins. */
	struct ip_addr own = A("198.51.100.1"), hb = A("10.2.0.10"), ha = A("10.1.0.10");
	const struct spd_entry *hit = model_spd_lookup(a, SPD_OUT, &own, &hb, 1, 0);
	ck_assert_ptr_eq(hit, e1);
	hit = model_spd_lookup(a, SPD_OUT, &ha, &hb, 1, 0);
	ck_assert_ptr_eq(hit, e0);
	struct ip_addr out = A("8.8.8.8");
	hit = model_spd_lookup(a, SPD_OUT, &ha, &out, 6, 443);
	ck_assert_int_eq(hit->origin, ORIGIN_DEFAULT);

	/* The tunnel's own entries: its pair and ISA's entry, not the defaults. */
	struct spd_refs refs = model_tunnel_spd(e0->tunnel, SPD_OUT);
	ck_assert_uint_eq(refs.n, 2);
	ck_assert_uint_eq(refs.v[0], 0);
	ck_assert_uint_eq(refs.v[1], 1);
	ck_assert_uint_eq(model_tunnel_spd(e0->tunnel, SPD_FWD).n, 0);
	assert_tunnel_lists(m);
	parsed_free(&p);
}
END_TEST

START_TEST(test_routes)
{
	struct parsed p;
	struct model *m = load(&p, isa_pair);
	struct model_gateway *b = gw(m, &p, "isa-b");
	struct ip_addr x = A("10.2.3.4");
	struct model_route scratch;
	const struct model_route *r = model_route_lookup(b, &x, &scratch);
	ck_assert_ptr_nonnull(r);
	ck_assert(r->connected);
	ck_assert_str_eq(r->iface->name, "Internal");
	x = A("10.50.1.1");             /* equal prefixes: the lower metric */
	r = model_route_lookup(b, &x, &scratch);
	char via[ADDR_STRLEN];
	addr_format(&r->via, via, sizeof(via));
	ck_assert_str_eq(via, "10.2.0.253");
	ck_assert_uint_eq(r->metric, 2);
	x = A("192.0.2.1");
	r = model_route_lookup(b, &x, &scratch);
	ck_assert_uint_eq(r->dst.len, 0);
	ck_assert_str_eq(r->iface->name, "External");
	struct ip_addr v6 = A("2001:db8::1");
	ck_assert_ptr_null(model_route_lookup(b, &v6, &scratch));
	parsed_free(&p);
}
END_TEST

START_TEST(test_tunnels_and_natt)
{
	static const char text[] =
		"ike k { version 2; encryption aes128; integrity sha256; group 14; }\n"
		"ipsec p { encryption aes128-gcm; integrity none; }\n"
		"site a { subnet 10.1.0.0/16;\n"
		"  gateway ra { platform linux;\n"
		"    interface eth0 { address 198.51.100.1/24; outside; behind-nat 192.0.2.7; }\n"
		"    interface eth1 { address 10.1.0.1/16; }\n"
		"    route default via 198.51.100.254; } }\n"
		"peer pb { address 203.0.113.9; subnet 10.9.0.0/16, 10.8.0.0/16; }\n"
		"tunnel t { between ra and pb; ike k; ipsec p; psk \"0123456789abcdefghij\";\n"
		"  ra { protocol tcp 443; } }\n";
	struct parsed p;
	struct model *m = load(&p, text);
	struct model_gateway *ra = gw(m, &p, "ra"), *pb = gw(m, &p, "pb");
	ck_assert_uint_eq(ra->tunnels.n, 1);
	struct model_tunnel *mt = ra->tunnels.v[0];
	ck_assert_ptr_eq(model_tunnel_of(ra, mt->ir), mt);
	ck_assert(mt->behind_nat_here);
	ck_assert(!mt->behind_nat_there);
	ck_assert(mt->nat_traversal);   /* auto and an end behind NAT */
	ck_assert_ptr_eq(mt->peer_model, pb);
	char ep[ADDR_STRLEN];
	addr_format(model_tunnel_remote_ep(mt), ep, sizeof(ep));
	ck_assert_str_eq(ep, "203.0.113.9");
	/* Linux: a forward direction; one pair per (local x remote) prefix. */
	ck_assert_uint_eq(model_spd_count(ra, SPD_FWD), 2 + 2);
	ck_assert_uint_eq(model_spd_count(ra, SPD_OUT), 2 + 2);
	char buf[200];
	selector_format(esel(model_spd_entry(ra, SPD_OUT, 1)), buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.1.0.0/16 -> 10.8.0.0/16 tcp 443");
	/* The port restricts the destination port in both directions. */
	selector_format(esel(model_spd_entry(ra, SPD_IN, 0)), buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.9.0.0/16 -> 10.1.0.0/16 tcp 443");
	struct ip_addr s = A("10.1.2.3"), d = A("10.9.0.1");
	ck_assert(selector_matches(esel(model_spd_entry(ra, SPD_OUT, 0)), &s, &d, 6, 443));
	ck_assert(!selector_matches(esel(model_spd_entry(ra, SPD_OUT, 0)), &s, &d, 6, 80));
	ck_assert(!selector_matches(esel(model_spd_entry(ra, SPD_OUT, 0)), &s, &d, 17, 443));
	/* The peer: generic platform, the mirror entries, routes to its subnets
	 * and "reached directly" for the rest. */
	ck_assert_int_eq(pb->platform->id, PLAT_GENERIC);
	selector_format(esel(model_spd_entry(pb, SPD_OUT, 0)), buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.9.0.0/16 -> 10.1.0.0/16");
	struct ip_addr far = A("192.0.2.55");
	struct model_route scratch;
	const struct model_route *r = model_route_lookup(pb, &far, &scratch);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->dst.len, 0);
	ck_assert_ptr_null(r->iface);
	parsed_free(&p);
}
END_TEST

static bool same_loc(struct tunc_loc a, struct tunc_loc b)
{
	return a.file == b.file && a.offset == b.offset && a.length == b.length;
}

static bool same_sel(const struct selector *a, const struct selector *b)
{
	return prefix_equal(&a->src, &b->src) && prefix_equal(&a->dst, &b->dst) &&
	       a->proto == b->proto && a->port_lo == b->port_lo && a->port_hi == b->port_hi;
}

/* Selector pairs are built once, per address family, and the SPD's tunnel
 * entries are exactly those pairs (outbound as they are, inbound mirrored). */
START_TEST(test_selector_pairs)
{
	static const char text[] =
		"ike k { version 2; encryption aes128; integrity sha256; group 14; }\n"
		"ipsec p { encryption aes128; integrity sha256; }\n"
		"site a { subnet 10.1.0.0/16;\n"
		"  gateway ra { platform linux;\n"
		"    interface eth0 { address 198.51.100.1/24; outside; }\n"
		"    interface eth1 { address 10.1.0.1/16; }\n"
		"    route default via 198.51.100.254; } }\n"
		"peer pb { address 203.0.113.9; subnet 10.9.0.0/16; }\n"
		"tunnel t { between ra and pb; ike k; ipsec p; psk \"0123456789abcdefghij\";\n"
		"  ra { local 10.1.0.0/16, 2001:db8:1::/48;\n"
		"       remote 2001:db8:9::/48, 10.9.0.0/16, 10.8.0.0/16; } }\n";
	struct parsed p;
	struct model *m = load(&p, text);
	struct model_gateway *ra = gw(m, &p, "ra");
	const struct model_tunnel *mt = ra->tunnels.v[0];
	struct selector_pairs v4 = model_tunnel_selectors(mt, AF_V4);
	struct selector_pairs v6 = model_tunnel_selectors(mt, AF_V6);
	struct selector_pairs all = model_tunnel_selectors(mt, 0);
	ck_assert_uint_eq(v4.n, 2);
	ck_assert_uint_eq(v6.n, 1);
	ck_assert_uint_eq(all.n, 3);
	ck_assert_ptr_eq(all.v, v4.v);
	ck_assert_ptr_eq(v6.v, all.v + 2);
	char buf[200];
	/* In the order written, IPv4 first. */
	selector_format(&all.v[0].sel, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.1.0.0/16 -> 10.9.0.0/16");
	selector_format(&all.v[1].sel, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.1.0.0/16 -> 10.8.0.0/16");
	selector_format(&all.v[2].sel, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2001:db8:1::/48 -> 2001:db8:9::/48");
	/* Each pair knows the prefixes as written and the statement behind it. */
	ck_assert_ptr_eq(all.v[1].remote, &mt->here->remote.v[2]);
	ck_assert_ptr_eq(all.v[2].local, &mt->here->local.v[1]);
	ck_assert(same_loc(model_tunnel_selectors_loc(mt), ir_end_written(mt->here)->remote_loc));
	/* The SPD: one PROTECT entry per pair and direction, from the pair. */
	size_t out = 0;
	for (size_t i = 0; i < model_spd_count(ra, SPD_OUT); i++) {
		const struct spd_entry *e = model_spd_entry(ra, SPD_OUT, i);
		if (e->action != SPD_PROTECT)
			continue;
		ck_assert_uint_lt(out, all.n);
		ck_assert(same_sel(esel(e), &all.v[out].sel));
		ck_assert(same_loc(e->loc, model_tunnel_selectors_loc(mt)));
		out++;
	}
	ck_assert_uint_eq(out, all.n);
	const struct spd_entry *in = model_spd_entry(ra, SPD_IN, 2);
	selector_format(esel(in), buf, sizeof(buf));
	ck_assert_str_eq(buf, "2001:db8:9::/48 -> 2001:db8:1::/48");
	/* Linux has a forward direction: three entries each way. */
	for (int dir = SPD_OUT; dir <= SPD_FWD; dir++)
		ck_assert_uint_eq(model_tunnel_spd(mt, (enum spd_dir)dir).n, 3);
	assert_tunnel_lists(m);
	parsed_free(&p);
}
END_TEST

/* One key type: psk_load fills a struct secret that every reader compares
 * with secret_equal and frees with secret_free. */
START_TEST(test_secret_keys)
{
	struct ir_psk inline_psk = {.source = PSK_INLINE, .value = "same key value 0123"};
	struct ir_psk env_psk = {.source = PSK_ENV, .value = "TUNC_UNIT_SECRET"};
	setenv("TUNC_UNIT_SECRET", "same key value 0123", 1);
	struct secret a, b;
	char err[200];
	ck_assert(psk_load(NULL, &inline_psk, &a, err, sizeof(err)));
	ck_assert(psk_load(NULL, &env_psk, &b, err, sizeof(err)));
	ck_assert_uint_eq(a.len, 19);
	ck_assert_uint_eq(a.bytes[a.len], 0);
	ck_assert(secret_equal(&a, &b));
	ck_assert(secret_printable(&a, true, NULL));
	ck_assert(!secret_printable(&a, false, NULL));     /* it holds spaces */
	b.bytes[18] ^= 1;
	ck_assert(!secret_equal(&a, &b));
	struct secret shorter;
	secret_set(&shorter, a.bytes, a.len - 1);
	ck_assert(!secret_equal(&a, &shorter));
	secret_free(&shorter);
	secret_free(&a);
	secret_free(&b);
	ck_assert_ptr_null(a.bytes);
	ck_assert_uint_eq(a.len, 0);
	secret_free(&a);                /* freeing an empty secret is harmless */
	unsetenv("TUNC_UNIT_SECRET");
	ck_assert(!psk_load(NULL, &env_psk, &b, err, sizeof(err)));
	ck_assert_ptr_null(b.bytes);
	ck_assert_ptr_null(strstr(err, "same key"));
}
END_TEST

/* SAs given in a key file (manual_given_parse): the form import writes,
 * and every way it can be wrong, with messages that never hold a key. */
static enum manual_given given(const char *text, const struct manual_suite *s,
			       struct sa_keys *out, struct sa_keys *in, char *err, size_t size)
{
	struct secret k;
	secret_set(&k, text, strlen(text));
	err[0] = '\0';
	enum manual_given g = manual_given_parse(&k, "rtr-a", "rtr-b", s, out, in, err, size);
	secret_free(&k);
	return g;
}

#define ENC16 "00112233445566778899aabbccddeeff"
#define AUTH32 "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

START_TEST(test_manual_given_keys)
{
	struct manual_suite aes = {false, ENC_AES128, INTEG_SHA256};
	struct manual_suite ah = {true, ENC_NULL, INTEG_SHA256};
	struct sa_keys out, in;
	char err[300];
	/* The form, in any order of the lines, with comments and CRLF. */
	ck_assert_int_eq(given("tunc-manual-sa v1\r\n# imported\n\n"
			       "from rtr-b to rtr-a spi 4098 enc 0x" ENC16 " auth " AUTH32 "\r\n"
			       "from rtr-a to rtr-b spi 0x1001 auth " AUTH32 " enc " ENC16 "\n",
			       &aes, &out, &in, err, sizeof(err)), MANUAL_GIVEN);
	ck_assert_uint_eq(out.spi, 0x1001);
	ck_assert_uint_eq(in.spi, 4098);
	ck_assert_uint_eq(out.enc_len, 16);
	ck_assert_uint_eq(out.auth_len, 32);
	ck_assert_uint_eq(in.enc[0], 0x00);
	ck_assert_uint_eq(in.enc[15], 0xff);
	ck_assert_uint_eq(out.auth[0], 0x0f);
	keys_wipe(&out);
	keys_wipe(&in);
	/* AH: the integrity key alone. */
	ck_assert_int_eq(given("tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 auth " AUTH32
			       "\nfrom rtr-b to rtr-a spi 301 auth " AUTH32 "\n", &ah, &out, &in,
			       err, sizeof(err)), MANUAL_GIVEN);
	/* Any other key is a pre-shared key: derived, never an error. */
	ck_assert_int_eq(given("from rtr-a to rtr-b spi 300", &aes, &out, &in, err, sizeof(err)),
			 MANUAL_DERIVED);
	ck_assert_int_eq(given("tunc-manual-sa v10\nx", &aes, &out, &in, err, sizeof(err)),
			 MANUAL_DERIVED);
	ck_assert_int_eq(given("tunc-manual-sa v", &aes, &out, &in, err, sizeof(err)),
			 MANUAL_DERIVED);
	static const struct {
		const char *text, *why;
	} bad[] = {
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 enc " ENC16 " auth " AUTH32 "\n",
		 "no SA from rtr-b to rtr-a"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-c spi 300 enc " ENC16 " auth " AUTH32 "\n",
		 "line 2: an SA that is not between rtr-a and rtr-b"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 enc " ENC16 " auth " AUTH32
		 "\nfrom rtr-a to rtr-b spi 301 enc " ENC16 " auth " AUTH32 "\n",
		 "line 3: a second SA of the same direction"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 255 enc " ENC16 " auth " AUTH32 "\n",
		 "line 2: SPI 255 is reserved"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 0x1ffffffff enc " ENC16 "\n",
		 "line 2: the SPI is not a 32-bit number"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 12ab enc " ENC16 "\n",
		 "line 2: the SPI is not a 32-bit number"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 enc " ENC16 "g auth " AUTH32 "\n",
		 "line 2: the enc key is not hex bytes"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 enc " ENC16 "0 auth " AUTH32 "\n",
		 "line 2: the enc key is not hex bytes"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 enc " ENC16 " enc " ENC16 "\n",
		 "line 2: a second enc key"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 key " ENC16 "\n",
		 "line 2, word 7: not 'enc HEX' or 'auth HEX'"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 enc " AUTH32 AUTH32 AUTH32 "\n",
		 "line 2: the enc key is longer than 64 bytes"},
		{"tunc-manual-sa v1\nrtr-a rtr-b 300 " ENC16 "\n",
		 "line 2: not 'from GATEWAY to GATEWAY spi SPI"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 enc " ENC16 " auth " AUTH32
		 "\nfrom rtr-b to rtr-a spi 301 enc " ENC16 ENC16 " auth " AUTH32 "\n",
		 "the SA from rtr-b to rtr-a has an encryption key of 32 bytes: aes128 takes 16"},
		{"tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 enc " ENC16
		 "\nfrom rtr-b to rtr-a spi 301 enc " ENC16 " auth " AUTH32 "\n",
		 "the SA from rtr-a to rtr-b has no integrity key: sha256 takes 32 bytes"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum manual_given g = given(bad[i].text, &aes, &out, &in, err, sizeof(err));
		ck_assert_msg(g == MANUAL_GIVEN_BAD, "case %zu was accepted", i);
		ck_assert_msg(strstr(err, bad[i].why), "case %zu: '%s'", i, err);
		ck_assert_msg(!strstr(err, "00112233") && !strstr(err, "0f1e2d3c"),
			      "case %zu shows a key", i);
		ck_assert_uint_eq(out.enc_len + out.auth_len + in.enc_len + in.auth_len, 0);
	}
	/* AH takes no encryption key. */
	ck_assert_int_eq(given("tunc-manual-sa v1\nfrom rtr-a to rtr-b spi 300 enc " ENC16
			       " auth " AUTH32 "\nfrom rtr-b to rtr-a spi 301 auth " AUTH32 "\n",
			       &ah, &out, &in, err, sizeof(err)), MANUAL_GIVEN_BAD);
	ck_assert_ptr_nonnull(strstr(err, "has an encryption key: AH takes none"));
}
END_TEST

/* Manually keyed SPIs at scale: a Linux hub with many spokes (100,000 by
 * default, TUNC_SPI_SPOKES to change) keys every tunnel by hand.  Among that
 * many SAs arriving at the hub, 32-bit candidates collide (about one
 * expected pair at 100,000); every SPI arriving at the hub must still be
 * unique, each spoke must send with what the hub receives with, and at
 * least one SPI must have been derived again (else the test proves
 * nothing). */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

START_TEST(test_manual_spis_unique_at_scale)
{
	const char *env = getenv("TUNC_SPI_SPOKES");
	size_t n = env ? (size_t)strtoul(env, NULL, 10) : 100000;
	struct strbuf t = {0};
	strbuf_puts(&t, "ike k { version 2; encryption aes128; integrity sha256; group 14; }\n"
			"ipsec p { encryption aes128; integrity sha256; }\n"
			"site hub { subnet 192.168.0.0/16;\n"
			"  gateway hub { platform linux;\n"
			"    interface e0 { address 198.51.100.1/24; outside; }\n"
			"    interface e1 { address 192.168.0.1/16; }\n"
			"    route default via 198.51.100.254; } }\n");
	for (size_t i = 0; i < n; i++) {
		uint32_t net = 0x0a000000u + (uint32_t)(i + 1) * 32, out = 0x64400000u + (uint32_t)i * 4 + 1;
		strbuf_printf(&t, "peer p%zu { address %u.%u.%u.%u; subnet %u.%u.%u.%u/27; }\n"
			      "tunnel t%zu { between hub and p%zu; ike k; ipsec p; keying manual;\n"
			      "  psk env \"K\"; }\n",
			      i, out >> 24, (out >> 16) & 255, (out >> 8) & 255, out & 255,
			      net >> 24, (net >> 16) & 255, (net >> 8) & 255, net & 255, i, i);
	}
	struct parsed p;
	struct model *m = load(&p, strbuf_cstr(&t));
	struct model_gateway *hub = gw(m, &p, "hub");
	ck_assert_uint_eq(hub->tunnels.n, n);
	uint32_t *spi = malloc(n * sizeof(*spi));
	ck_assert_ptr_nonnull(spi);
	size_t again = 0;
	for (size_t i = 0; i < n; i++) {
		const struct model_tunnel *mt = hub->tunnels.v[i];
		spi[i] = mt->manual_spi_in;
		ck_assert_uint_ge(spi[i], 0x100);
		ck_assert_ptr_nonnull(mt->peer_tunnel);
		ck_assert_uint_eq(mt->peer_tunnel->manual_spi_out, spi[i]);
		ck_assert_uint_eq(mt->manual_spi_out, mt->peer_tunnel->manual_spi_in);
		again += spi[i] != manual_spi_candidate(mt->ir->name, model_tunnel_peer(mt)->name, "hub", 0);
	}
	qsort(spi, n, sizeof(*spi), cmp_u32);
	for (size_t i = 1; i < n; i++)
		ck_assert_msg(spi[i] != spi[i - 1], "two SAs arrive at the hub with spi 0x%08x",
			      spi[i]);
	if (!env)
		ck_assert_msg(again > 0, "no candidate clashed: the test shows nothing");
	free(spi);
	parsed_free(&p);
	strbuf_free(&t);
}
END_TEST

/* Many tunnels: the lookup goes through the SPD index, and must give what
 * a linear scan gives. */
START_TEST(test_index_agrees_with_scan)
{
	struct strbuf t = STRBUF_INIT;
	strbuf_puts(&t, "ike k { version 2; encryption aes128; integrity sha256; group 14; }\n"
			"ipsec p { encryption aes128; integrity sha256; }\n"
			"site a { subnet 10.0.0.0/8;\n  gateway ra { platform ios;\n"
			"    interface g0 { address 198.51.100.1/24; outside; }\n"
			"    interface g1 { address 10.0.0.1/8; }\n"
			"    route default via 198.51.100.254; } }\n");
	for (int i = 0; i < 60; i++) {
		strbuf_printf(&t, "peer p%d { address 203.0.%d.1; subnet 172.16.%d.0/24; }\n", i, i, i);
		strbuf_printf(&t, "tunnel t%d { between ra and p%d; ike k; ipsec p; psk \"0123456789abcdefghij\";"
			      " ra { local 10.%d.0.0/16; } }\n", i, i, i);
	}
	struct parsed p;
	struct model *m = load(&p, strbuf_cstr(&t));
	struct model_gateway *ra = gw(m, &p, "ra");
	ck_assert_ptr_nonnull(ra->ix);
	/* Each direction's index is built by its first lookup, not before
	 * (lint looks up outbound entries only). */
	for (int dir = SPD_OUT; dir <= SPD_IN; dir++)
		ck_assert_ptr_null(ra->ix->spd[dir]);
	for (int dir = SPD_OUT; dir <= SPD_IN; dir++) {
		for (int i = 0; i < 70; i++) {
			char sa[32], da[32];
			snprintf(sa, sizeof(sa), "10.%d.1.1", i % 64);
			snprintf(da, sizeof(da), "172.16.%d.9", (i * 7) % 64);
			struct ip_addr s = A(sa), d = A(da);
			if (dir == SPD_IN) {
				struct ip_addr x = s;
				s = d;
				d = x;
			}
			const struct spd_entry *want = NULL;
			for (size_t k = 0; k < model_spd_count(ra, dir) && !want; k++)
				if (selector_matches(esel(model_spd_entry(ra, dir, k)), &s, &d, 1, 0))
					want = model_spd_entry(ra, dir, k);
			ck_assert_ptr_eq(model_spd_lookup(ra, dir, &s, &d, 1, 0), want);
			ck_assert_ptr_nonnull(ra->ix->spd[dir]);
			ck_assert_uint_eq(spd_index_size(ra->ix->spd[dir]), ra->n_spd[dir]);
		}
		if (dir == SPD_OUT)
			ck_assert_ptr_null(ra->ix->spd[SPD_IN]);
	}
	assert_tunnel_lists(m);
	parsed_free(&p);
	strbuf_free(&t);
}
END_TEST

/* ---- routes read through the accessors ---- */

/* MG's routes as model_build stored them before the connected routes
 * became implied (the route order LANGUAGE.md gives), worked out here from
 * the IR alone: a peer's subnets and "the rest directly"; a gateway's
 * written routes (not into a tunnel), then one per addressed interface;
 * then each route-based end's far subnets and the routes written into its
 * tunnel.  Returns how many (at most CAP into OUT). */
static size_t routes_as_stored(const struct model_gateway *mg, struct model_route *out, size_t cap)
{
	const struct ir_gateway *g = mg->ir;
	size_t n = 0;
#define PUT(...)                                                                       \
	do {                                                                           \
		ck_assert_uint_lt(n, cap);                                             \
		out[n++] = (struct model_route){__VA_ARGS__};                          \
	} while (0)
	if (g->kind == GW_PEER) {
		for (size_t i = 0; i < g->subnets.n; i++)
			PUT(.dst = prefix_network(&g->subnets.v[i].p), .connected = true,
			    .loc = g->subnets.v[i].loc);
		if (g->address.family)
			PUT(.dst = prefix_any(g->address.family), .connected = true,
			    .loc = g->address_loc);
	} else {
		for (size_t i = 0; i < g->routes.n; i++) {
			const struct ir_route *r = &g->routes.v[i];
			if (r->tunnel)
				continue;
			const struct ir_interface *ifc = r->dev.target;
			for (size_t k = 0; !ifc && k < g->interfaces.n; k++)
				if (g->interfaces.v[k]->has_address &&
				    prefix_contains_addr(&g->interfaces.v[k]->address, &r->via))
					ifc = g->interfaces.v[k];
			PUT(.dst = prefix_network(&r->dst.p), .via = r->via, .iface = ifc,
			    .iface_written = r->dev.name != NULL, .metric = r->metric, .loc = r->loc);
		}
		for (size_t i = 0; i < g->interfaces.n; i++) {
			const struct ir_interface *ifc = g->interfaces.v[i];
			if (ifc->has_address)
				PUT(.dst = prefix_network(&ifc->address), .iface = ifc, .connected = true,
				    .loc = ifc->address_loc.file ? ifc->address_loc : ifc->loc);
		}
	}
	for (size_t t = 0; t < mg->tunnels.n; t++) {
		struct model_tunnel *mt = mg->tunnels.v[t];
		if (!mt->route_based)
			continue;
		for (size_t r = 0; r < mt->here->remote.n; r++)
			PUT(.dst = prefix_network(&mt->here->remote.v[r].p), .tunnel = mt,
			    .loc = ir_end_route_based(mt->here)->loc);
		for (size_t i = 0; i < g->routes.n; i++)
			if (g->routes.v[i].tunnel && g->routes.v[i].tunnel->target == mt->ir)
				PUT(.dst = prefix_network(&g->routes.v[i].dst.p), .tunnel = mt,
				    .metric = g->routes.v[i].metric, .loc = g->routes.v[i].loc);
	}
#undef PUT
	return n;
}

/* The longest-prefix match of the old stored list, by scan: its place. */
static size_t scan_lookup(const struct model_route *v, size_t n, const struct ip_addr *dst)
{
	size_t best = MODEL_ROUTE_NONE;
	for (size_t i = 0; i < n; i++) {
		if (!prefix_contains_addr(&v[i].dst, dst))
			continue;
		if (best == MODEL_ROUTE_NONE || v[i].dst.len > v[best].dst.len ||
		    (v[i].dst.len == v[best].dst.len && v[i].metric < v[best].metric))
			best = i;
	}
	return best;
}

static void assert_same_route(const struct model_route *a, const struct model_route *b,
			      const char *gw_name, size_t i)
{
	ck_assert_msg(a->iface == b->iface && a->tunnel == b->tunnel &&
		      prefix_equal(&a->dst, &b->dst) && a->via.family == b->via.family &&
		      (!a->via.family || addr_equal(&a->via, &b->via)) &&
		      a->iface_written == b->iface_written && a->connected == b->connected &&
		      a->metric == b->metric && same_loc(a->loc, b->loc),
		      "%s: route %zu differs from the one stored before", gw_name, i);
}

/* Every gateway's routes through model_route_count/_at are the old stored
 * list, in order, field for field; only the written and tunnel routes take
 * room; and model_route_find (and _lookup) answer what a scan of the old
 * list answers, for every route's first host, every interface address,
 * every tunnel endpoint and a few addresses of no route. */
static void assert_routes_as_stored(const struct model *m)
{
	enum { CAP = 64 };
	struct model_route old[CAP];
	for (size_t g = 0; g < m->gateways.n; g++) {
		const struct model_gateway *mg = m->gateways.v[g];
		const char *name = mg->ir->name;
		size_t n = routes_as_stored(mg, old, CAP);
		ck_assert_uint_eq(model_route_count(mg), n);
		size_t connected = 0;
		for (size_t i = 0; i < n; i++) {
			struct model_route scratch;
			memset(&scratch, 0xa5, sizeof(scratch));
			const struct model_route *r = model_route_at(mg, i, &scratch);
			assert_same_route(r, &old[i], name, i);
			connected += mg->ir->kind == GW_GATEWAY && old[i].connected;
		}
		ck_assert_uint_eq(mg->n_connected_routes, connected);
		ck_assert_uint_eq(mg->n_stored_routes, n - connected);

		struct ip_addr probes[3 * CAP + 8];
		size_t np = 0;
		for (size_t i = 0; i < n; i++)
			probes[np++] = prefix_first_host(&old[i].dst);
		for (size_t i = 0; i < mg->ir->interfaces.n && np < 2 * CAP; i++)
			if (mg->ir->interfaces.v[i]->has_address)
				probes[np++] = mg->ir->interfaces.v[i]->address.addr;
		for (size_t t = 0; t < mg->tunnels.n && np < 3 * CAP; t++)
			if (model_tunnel_remote_ep(mg->tunnels.v[t])->family)
				probes[np++] = *model_tunnel_remote_ep(mg->tunnels.v[t]);
		probes[np++] = A("192.0.2.200");
		probes[np++] = A("10.255.255.254");
		probes[np++] = A("2001:db8:ffff::1");
		for (size_t k = 0; k < np; k++) {
			size_t want = scan_lookup(old, n, &probes[k]);
			ck_assert_uint_eq(model_route_find(mg, &probes[k]), want);
			struct model_route scratch;
			const struct model_route *r = model_route_lookup(mg, &probes[k], &scratch);
			if (want == MODEL_ROUTE_NONE)
				ck_assert_ptr_null(r);
			else
				assert_same_route(r, &old[want], name, want);
		}
	}
}

START_TEST(test_routes_implied_as_stored)
{
	/* Written routes with `dev`, an interface without an address (no
	 * connected route: the scan for the K-th addressed one; resolve
	 * rejects it in a file, so its address is taken away before the
	 * model is built), an IPv6 interface, a peer, and a route-based end
	 * with a route written into its tunnel. */
	static const char text[] =
		"ike k { version 2; encryption aes128; integrity sha256; group 14; }\n"
		"ipsec p { encryption aes128-gcm; integrity none; }\n"
		"site a { subnet 10.1.0.0/16;\n"
		"  gateway ra { platform linux;\n"
		"    interface eth0 { address 198.51.100.1/24; outside; }\n"
		"    interface eth9 { address 192.0.2.1/24; outside; }\n"
		"    interface eth1 { address 10.1.0.1/16; }\n"
		"    interface eth2 { address 2001:db8:1::1/64; }\n"
		"    route 10.60.0.0/16 via 10.1.0.254 dev eth1 metric 3;\n"
		"    route 10.70.0.0/16 via tunnel t;\n"
		"    route default via 198.51.100.254; } }\n"
		"peer pb { address 203.0.113.9; subnet 10.9.0.0/16, 10.8.0.0/16; }\n"
		"tunnel t { between ra and pb; ike k; ipsec p; psk \"0123456789abcdefghij\";\n"
		"  ra { route-based 169.254.1.0/30; } }\n";
	struct parsed p;
	load_text(&p, text, POLICY_RESOLVED);
	ck_assert(p.ok);
	struct ir_gateway *g = ir_find_gateway(&p.ir, "ra");
	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(g->interfaces.v[1]->name, "eth9");
	g->interfaces.v[1]->has_address = false;
	ck_assert(policy_build_model(&p.pol));
	struct model *m = p.model;
	struct model_gateway *ra = gw(m, &p, "ra");
	ck_assert_uint_eq(ra->n_connected_routes, 3);
	ck_assert_uint_eq(ra->n_written_routes, 2);
	ck_assert_uint_eq(model_route_count(ra), 2 + 3 + 2 + 1);
	assert_routes_as_stored(m);
	parsed_free(&p);

	/* Files of the tree: `dev IFACE` routes (the language tour),
	 * route-based pairs (Linux xfrm interfaces, IOS VTIs, a route into
	 * a tunnel), AWS's two tunnels. */
	static const char *const files[] = {
		"examples/language-tour.tun",
		"examples/linux-route-based/hq-branch.tun",
		"examples/ios-vti-pix/vti-pix.tun",
		"examples/ios-ipv6-vti/vti.tun",
		"examples/ios-aws/vpc.tun",
		"tests/golden/checks/tunnel-route-missing.sound.tun",
		"tests/golden/checks/egress-address.sound.tun",
	};
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", TUNC_SRCDIR, files[f]);
		struct parsed q;
		memset(&q, 0, sizeof(q));
		q.ok = policy_load(&q.pol, path);
		ck_assert_msg(q.ok && q.model, "%s must load", files[f]);
		assert_routes_as_stored(q.model);
		parsed_free(&q);
	}
}
END_TEST

/* An SPD entry holds no selector of its own (spd_entry_sel reads its
 * pair's, mirrored inbound): on policies with forward policies (Linux),
 * ISA's own entries, manual keying, route-based ends and IPv6, every
 * stored entry reads what the model stored before, when each entry held a
 * copy: tunnel_entries' pairs in order (out as they are, in and forward
 * with source and destination swapped), then implicit_entries' own
 * address to a remote prefix and back. */
START_TEST(test_spd_entries_read_from_pairs)
{
	static const char *const files[] = {
		"examples/hq-branch-linux/hq-branch.tun",       /* forward policies, manual keys */
		"examples/linux-route-based/hq-branch.tun",     /* route-based: no entries */
		"examples/seed001-isa-own-traffic/broken.tun",  /* ISA's own entries */
		"examples/seed000-isa-pix-null/3des-sha1.tun",
		"examples/linux-ikev2/ipv6.tun",
		"tests/emit/manual-multi-pair.tun",
		"examples/asa-branch/asa-hq.tun",               /* one pair an end */
	};
	size_t fwd = 0, platform = 0, inline_refs = 0, block_refs = 0, unequal = 0;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", TUNC_SRCDIR, files[f]);
		struct parsed p;
		ck_assert_msg(policy_load(&p.pol, path), "%s must load", path);
		const struct model *m = p.model;
		for (size_t g = 0; g < m->gateways.n; g++) {
			const struct model_gateway *mg = m->gateways.v[g];
			for (int dir = SPD_OUT; dir <= SPD_FWD; dir++) {
				size_t i = 0, n = mg->n_spd[dir];
				/* The tunnels' pairs, in the order tunnel_entries added them. */
				for (size_t t = 0; t < mg->tunnels.n; t++) {
					const struct model_tunnel *mt = mg->tunnels.v[t];
					if (mt->route_based || !model_spd_has_dir(mg, dir))
						continue;
					struct selector_pairs sp = model_tunnel_selectors(mt, 0);
					for (size_t k = 0; k < sp.n; k++, i++) {
						ck_assert_uint_lt(i, n);
						const struct spd_entry *e = model_spd_entry(mg, dir, i);
						const struct selector *o = &sp.v[k].sel;
						struct selector old = dir == SPD_OUT ? *o
							: (struct selector){o->dst, o->src, o->proto,
									    o->port_lo, o->port_hi};
						ck_assert(same_sel(esel(e), &old));
						ck_assert(same_loc(e->loc, model_tunnel_selectors_loc(mt)));
						ck_assert_ptr_eq(e->tunnel, mt);
						ck_assert_int_eq(e->origin, ORIGIN_TUNNEL);
						ck_assert_int_eq(e->dir, dir);
						fwd += dir == SPD_FWD;
					}
				}
				/* Then the platform's own: its address to a remote prefix, and back. */
				for (; i < n; i++) {
					const struct spd_entry *e = model_spd_entry(mg, dir, i);
					ck_assert_int_eq(e->origin, ORIGIN_PLATFORM);
					struct ip_prefix own = prefix_host(model_tunnel_local_ep(e->tunnel));
					const struct selector *s = esel(e);
					ck_assert(prefix_equal(dir == SPD_OUT ? &s->src : &s->dst, &own));
					ck_assert_uint_eq(s->proto, PROTO_ANY);
					platform++;
				}
				/* The copy-free readers say the same as the selector. */
				for (i = 0; i < model_spd_count(mg, dir); i++) {
					const struct spd_entry *e = model_spd_entry(mg, dir, i);
					struct selector s = spd_entry_sel(e);
					ck_assert(prefix_equal(spd_entry_src(e), &s.src));
					ck_assert(prefix_equal(spd_entry_dst(e), &s.dst));
					struct ip_addr in_src = prefix_first_host(&s.src);
					struct ip_addr in_dst = prefix_first_host(&s.dst);
					/* Inside, swapped, and each other entry's own packet. */
					for (size_t j = 0; j < model_spd_count(mg, dir); j++) {
						struct selector x = spd_entry_sel(model_spd_entry(mg, dir, j));
						struct ip_addr xs = prefix_first_host(&x.src);
						struct ip_addr xd = prefix_first_host(&x.dst);
						const struct ip_addr *srcs[] = {&in_src, &in_dst, &xs};
						const struct ip_addr *dsts[] = {&in_dst, &in_src, &xd};
						for (int c = 0; c < 3; c++) {
							unsigned proto = c == 2 ? 6 : x.proto;
							bool want = selector_matches(&s, srcs[c], dsts[c], proto, x.port_lo);
							ck_assert(spd_entry_matches(e, srcs[c], dsts[c], proto,
										    x.port_lo) == want);
							unequal += !want;
						}
					}
				}
			}
			for (size_t t = 0; t < mg->tunnels.n; t++) {
				const struct model_tunnel *mt = mg->tunnels.v[t];
				unsigned all = mt->n_spd_refs[SPD_OUT] + mt->n_spd_refs[SPD_IN] +
					       mt->n_spd_refs[SPD_FWD];
				ck_assert(mt->spd_refs_inline == (all <= MODEL_SPD_REFS_INLINE));
				inline_refs += all && mt->spd_refs_inline;
				block_refs += !mt->spd_refs_inline;
				/* The other end read from the IR is the other end's own. */
				if (mt->peer_tunnel) {
					ck_assert_ptr_eq(model_tunnel_there(mt), mt->peer_tunnel->here);
					ck_assert_ptr_eq(model_tunnel_there(mt->peer_tunnel), mt->here);
				}
				ck_assert_ptr_eq(model_tunnel_psk(mt), mt->ir->end[mt->end].psk);
			}
		}
		assert_tunnel_lists(m);
		policy_free(&p.pol);
	}
	/* Each case was met. */
	ck_assert_uint_gt(fwd, 0);
	ck_assert_uint_gt(platform, 0);
	ck_assert_uint_gt(inline_refs, 0);
	ck_assert_uint_gt(block_refs, 0);
	ck_assert_uint_gt(unequal, 0);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("model");
	tcase_add_test(tc, test_spd_order_and_implicit);
	tcase_add_test(tc, test_routes);
	tcase_add_test(tc, test_routes_implied_as_stored);
	tcase_add_test(tc, test_tunnels_and_natt);
	tcase_add_test(tc, test_index_agrees_with_scan);
	tcase_add_test(tc, test_spd_entries_read_from_pairs);
	tcase_add_test(tc, test_selector_pairs);
	tcase_add_test(tc, test_secret_keys);
	tcase_add_test(tc, test_manual_given_keys);
	suite_add_tcase(s, tc);
	TCase *scale = tcase_create("scale");
	tcase_set_timeout(scale, 600);
	tcase_add_test(scale, test_manual_spis_unique_at_scale);
	suite_add_tcase(s, scale);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(model_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
