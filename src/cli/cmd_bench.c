/* tunc bench [--spd N] [--alg ALG]... [--size BYTES] [--packets N] [--format text|json]
 *
 * Measures the engine's data plane on this machine: SPD lookups per second
 * through the SPD index with N random selectors shaped like a large
 * site-to-site gateway's, and ESP encapsulation / decapsulation per
 * algorithm suite.  Buffers and OpenSSL contexts are prepared before the
 * clock starts; nothing is allocated per packet.  A measurement, not a
 * test: nothing here asserts a speed. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "engine/esp.h"
#include "model/spd_index.h"
#include "model/model.h"
#include "util/arena.h"

static const char bench_details[] =
	"Options:\n"
	"  --spd N          SPD entries (default 100000, at most 50000000; 0 skips the SPD\n"
	"                   measurement)\n"
	"  --alg ALG        an ESP suite, repeatable (default: all of aes128-gcm aes256-gcm\n"
	"                   aes128-cbc-sha1 aes256-cbc-sha256 3des-sha1 null-sha1); also\n"
	"                   accepted: ENC-INTEG with ENC aes128|aes192|aes256 (optionally\n"
	"                   followed by -cbc), 3des, null and INTEG md5|sha1|sha256|sha384|sha512\n"
	"  --size BYTES     inner packet size (default 1400, 20 to 65000)\n"
	"  --packets N      ESP packets per suite (default 200000); the SPD measurement\n"
	"                   makes 10 lookups per packet\n"
	"  --format text|json  output format (default text)\n"
	"\nJSON: {\"version\":1,\"spd\":{\"entries\",\"lookups_per_s\"},\"esp\":[{\"alg\",\"size\",\n"
	"\"encap_pps\",\"decap_pps\",\"encap_bytes_per_s\",\"decap_bytes_per_s\"}]}\n"
	"Bytes are inner packet bytes.  Times are the process's CPU time, as `openssl speed`\n"
	"measures; compare ESP with `openssl speed -evp aes-128-gcm` (doc/performance.md).\n";

static const char *const default_algs[] = {
	"aes128-gcm", "aes256-gcm", "aes128-cbc-sha1", "aes256-cbc-sha256", "3des-sha1", "null-sha1",
};

/* CPU time of this (single-threaded) process, the way `openssl speed`
 * measures by default (without -elapsed): the figures are per core and do
 * not drop when other work shares the machine. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: the workload is the same on every run. */
static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dULL) >> 32);
}

/* "aes128-gcm", "aes256-cbc-sha256", "3des-sha1", "null-sha1", ... */
static bool parse_alg(const char *name, enum encryption *enc, enum integrity *integ)
{
	if (encryption_lookup(name, enc) && encryption_is_aead(*enc)) {
		*integ = INTEG_NONE;
		return true;
	}
	const char *dash = strrchr(name, '-');
	if (!dash || !integrity_lookup(dash + 1, integ) || *integ == INTEG_NONE)
		return false;
	char part[32];
	size_t n = (size_t)(dash - name);
	if (n >= sizeof(part))
		return false;
	memcpy(part, name, n);
	part[n] = '\0';
	if (n > 4 && strcmp(part + n - 4, "-cbc") == 0)
		part[n - 4] = '\0';
	return encryption_lookup(part, enc) && !encryption_is_aead(*enc) && *enc != ENC_DES;
}

/* An address inside P (random host bits). */
static void addr_in(const struct ip_prefix *p, struct ip_addr *a)
{
	*a = p->addr;
	for (unsigned bit = p->len; bit < 32; bit++)
		if (rnd() & 1)
			a->b[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		else
			a->b[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
}

static void v4(struct ip_prefix *p, uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t len)
{
	memset(p, 0, sizeof(*p));
	p->addr.family = AF_V4;
	p->addr.b[0] = a;
	p->addr.b[1] = b;
	p->addr.b[2] = c;
	p->addr.b[3] = d;
	p->len = len;
	*p = prefix_network(p);
}

/* A large hub: local subnets 10.L.x.0/24 toward many remote sites (mostly
 * /24 subnets, some /16 aggregates, /32 hosts and /28s), some entries
 * narrowed to a protocol and port; the last entry is the 0/0 default. */
static void make_selectors(struct selector *s, size_t n)
{
	static const unsigned ports[] = { 22, 53, 80, 443, 1433, 3389, 8080 };
	for (size_t i = 0; i + 1 < n; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		uint32_t r = rnd() % 100;
		v4(&s[i].src, 10, (uint8_t)(rnd() % 16), (uint8_t)(rnd() % 256), 0, 24);
		uint8_t a = rnd() % 2 ? 172 : 192, b = (uint8_t)(a == 172 ? 16 + rnd() % 16 : 168);
		if (r < 65)
			v4(&s[i].dst, a, b, (uint8_t)rnd(), 0, 24);
		else if (r < 75)
			v4(&s[i].dst, (uint8_t)(100 + rnd() % 28), (uint8_t)rnd(), 0, 0, 16);
		else if (r < 93)
			v4(&s[i].dst, a, b, (uint8_t)rnd(), (uint8_t)rnd(), 32);
		else
			v4(&s[i].dst, a, b, (uint8_t)rnd(), (uint8_t)(rnd() % 16 * 16), 28);
		if (rnd() % 5 == 0) {
			s[i].proto = rnd() % 3 ? 6 : 17;
			s[i].port_lo = s[i].port_hi = (uint16_t)ports[rnd() % 7];
		}
	}
	if (n) {
		memset(&s[n - 1], 0, sizeof(s[n - 1]));
		v4(&s[n - 1].src, 0, 0, 0, 0, 0);
		v4(&s[n - 1].dst, 0, 0, 0, 0, 0);
	}
}

struct query {
	struct ip_addr src, dst;
	unsigned proto;
	uint16_t dport;
};

static int bench_spd(size_t entries, uint64_t lookups, double *lps, double *linear_lps)
{
	struct selector *sel = xcalloc(entries, sizeof(*sel));
	make_selectors(sel, entries);
	struct spd_index *ix = spd_index_build(sel, entries);
	enum { NQ = 1 << 14 };
	struct query *q = xcalloc(NQ, sizeof(*q));
	for (size_t i = 0; i < NQ; i++) {
		/* 9 in 10 aimed at an entry, the rest anywhere (mostly the default) */
		const struct selector *s = &sel[rnd() % entries];
		if (rnd() % 10 == 0) {
			struct ip_prefix any;
			v4(&any, 0, 0, 0, 0, 0);
			addr_in(&any, &q[i].src);
			addr_in(&any, &q[i].dst);
		} else {
			addr_in(&s->src, &q[i].src);
			addr_in(&s->dst, &q[i].dst);
		}
		q[i].proto = s->proto ? s->proto : (rnd() % 2 ? 6 : 1);
		q[i].dport = s->port_lo ? s->port_lo : (uint16_t)(1024 + rnd() % 60000);
	}
	/* The index must agree with a scan in order before it is timed: 200
	 * queries, fewer with a huge SPD (each scans it all), at least 4. */
	int status = EXIT_OK;
	size_t checked = 0, to_check = 200;
	if (entries > 500000)
		to_check = entries > 25000000 ? 4 : 100000000 / entries;
	double t_lin = now();
	for (size_t i = 0; i < to_check && i < NQ; i++, checked++) {
		size_t want = SPD_INDEX_NONE;
		for (size_t k = 0; k < entries; k++)
			if (selector_matches(&sel[k], &q[i].src, &q[i].dst, q[i].proto, q[i].dport)) {
				want = k;
				break;
			}
		if (spd_index_lookup(ix, &q[i].src, &q[i].dst, q[i].proto, q[i].dport) != want) {
			fprintf(stderr, "tunc: bench: the SPD index disagrees with a linear scan\n");
			status = EXIT_FINDINGS;
			break;
		}
	}
	t_lin = now() - t_lin;     /* mostly the scans: what the index replaces */
	*linear_lps = t_lin > 0 ? (double)checked / t_lin : 0;
	size_t sink = 0;
	double t0 = now();
	for (uint64_t i = 0; i < lookups; i++) {
		const struct query *x = &q[i & (NQ - 1)];
		sink += spd_index_lookup(ix, &x->src, &x->dst, x->proto, x->dport);
	}
	double dt = now() - t0;
	*lps = dt > 0 ? (double)lookups / dt : 0;
	if (sink == 42)
		fputc('\0', stderr);    /* keeps the loop from being optimized away */
	spd_index_free(ix);
	free(q);
	free(sel);
	return status;
}

struct esp_result {
	const char *alg;
	double encap_pps, decap_pps;
};

static void iv_counter(void *ctx, uint8_t *iv, size_t len)
{
	uint64_t *n = ctx;
	(*n)++;
	memset(iv, 0, len);
	memcpy(iv, n, len < sizeof(*n) ? len : sizeof(*n));
}

#define BATCH 256

static int bench_esp(const char *alg, size_t size, uint64_t packets, struct esp_result *r)
{
	enum encryption enc;
	enum integrity integ;
	if (!parse_alg(alg, &enc, &integ))
		return cli_usage_error("bench", "--alg: '%s' is not an ESP suite", alg);
	uint8_t ekey[IPSEC_MAX_KEY], akey[IPSEC_MAX_KEY];
	for (int i = 0; i < IPSEC_MAX_KEY; i++) {
		ekey[i] = (uint8_t)rnd();
		akey[i] = (uint8_t)rnd();
	}
	uint64_t ivn = 0;
	struct ipsec_sa_config c = {
		.dir = IPSEC_SA_OUT, .protocol = IPSEC_ESP, .spi = 0x1001, .enc = enc, .integ = integ,
		.enc_key = ekey, .enc_key_len = ipsec_enc_key_len(enc),
		.auth_key = akey, .auth_key_len = ipsec_auth_key_len(integ),
		.iv_fn = iv_counter, .iv_ctx = &ivn,
	};
	addr_parse("198.51.100.1", &c.src);
	addr_parse("203.0.113.1", &c.dst);
	struct ipsec_sa out, in;
	char err[200];
	if (!ipsec_sa_init(&out, &c, err, sizeof(err))) {
		fprintf(stderr, "tunc: bench: %s: %s\n", alg, err);
		return EXIT_USAGE;
	}
	c.dir = IPSEC_SA_IN;
	c.replay_window = 1024;
	if (!ipsec_sa_init(&in, &c, err, sizeof(err))) {
		ipsec_sa_free(&out);
		fprintf(stderr, "tunc: bench: %s: %s\n", alg, err);
		return EXIT_USAGE;
	}
	size_t cap = size + ipsec_overhead_max(&out);
	uint8_t *inner = xcalloc(1, size), *back = xcalloc(1, cap);
	uint8_t *ring = xcalloc(BATCH, cap);
	size_t *lens = xcalloc(BATCH, sizeof(*lens));
	inner[0] = 0x45;
	inner[2] = (uint8_t)(size >> 8);
	inner[3] = (uint8_t)size;
	inner[9] = 17;
	int status = EXIT_OK;

	double t0 = now();
	for (uint64_t i = 0; i < packets; i++)
		if (ipsec_encapsulate(&out, inner, size, ring, cap, &lens[0]) != IPSEC_OK)
			status = EXIT_FINDINGS;
	double encap_t = now() - t0;

	double decap_t = 0;
	for (uint64_t done = 0; done < packets && status == EXIT_OK;) {
		size_t b = packets - done < BATCH ? (size_t)(packets - done) : BATCH;
		for (size_t k = 0; k < b; k++)
			if (ipsec_encapsulate(&out, inner, size, ring + k * cap, cap, &lens[k]) !=
			    IPSEC_OK)
				status = EXIT_FINDINGS;
		double t1 = now();
		for (size_t k = 0; k < b; k++) {
			size_t n;
			if (ipsec_decapsulate(&in, ring + k * cap, lens[k], back, cap, &n) != IPSEC_OK ||
			    n != size)
				status = EXIT_FINDINGS;
		}
		decap_t += now() - t1;
		done += b;
	}
	if (status != EXIT_OK)
		fprintf(stderr, "tunc: bench: %s: a packet failed to encapsulate or decapsulate\n",
			alg);
	r->alg = alg;
	r->encap_pps = encap_t > 0 ? (double)packets / encap_t : 0;
	r->decap_pps = decap_t > 0 ? (double)packets / decap_t : 0;
	ipsec_sa_free(&out);
	ipsec_sa_free(&in);
	free(inner);
	free(back);
	free(ring);
	free(lens);
	return status;
}

/* The largest --spd: its selectors take about 100 bytes each. */
#define SPD_MAX 50000000
#define SPD_MAX_TEXT "50000000"

static bool parse_count(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

enum { OPT_SPD = CLI_LONG_ONLY, OPT_ALG, OPT_SIZE, OPT_PACKETS, OPT_FORMAT };

static const struct cli_option bench_options[] = {
	{"spd", OPT_SPD, true, "a value", false},
	{"alg", OPT_ALG, true, "a value", false},
	{"size", OPT_SIZE, true, "a value", false},
	{"packets", OPT_PACKETS, true, "a value", false},
	{"format", OPT_FORMAT, true, "a value", false},
	{0},
};

/* Where bench_option puts what it parses (cmd_bench's locals). */
struct bench_args {
	uint64_t *entries, *size, *packets;
	const char **format;
	const char **algs;
	size_t n_algs;
};

static int bench_option(int key, const char *v, void *arg)
{
	struct bench_args *ba = arg;
	bool ok = true;
	const char *want = "", *name = "";
	switch (key) {
	case OPT_SPD:
		ok = parse_count(v, 0, SPD_MAX, ba->entries);
		name = "--spd";
		want = "a number from 0 to " SPD_MAX_TEXT;
		break;
	case OPT_SIZE:
		ok = parse_count(v, 20, 65000, ba->size);
		name = "--size";
		want = "a size from 20 to 65000 bytes";
		break;
	case OPT_PACKETS:
		ok = parse_count(v, 1, UINT64_C(1) << 32, ba->packets);
		name = "--packets";
		want = "a number from 1 to 4294967296";
		break;
	case OPT_FORMAT:
		*ba->format = v;
		ok = !strcmp(v, "text") || !strcmp(v, "json");
		name = "--format";
		want = "text or json";
		break;
	case OPT_ALG: {
		enum encryption e;
		enum integrity g;
		ok = parse_alg(v, &e, &g);
		name = "--alg";
		want = "an ESP suite such as aes128-gcm or aes256-cbc-sha256 "
		       "(see 'tunc bench --help')";
		ba->algs[ba->n_algs++] = v;
		break;
	}
	}
	return ok ? -1 : cli_usage_error("bench", "%s: '%s' is not %s", name, v, want);
}

int cmd_bench(int argc, char **argv)
{
	uint64_t entries = 100000, size = 1400, packets = 200000;
	const char *format = "text";
	size_t n_default = sizeof(default_algs) / sizeof(default_algs[0]);
	const char **algs = xcalloc((size_t)argc + n_default, sizeof(*algs));
	size_t n_algs = 0;
	int status = EXIT_OK;
	struct bench_args ba = {.entries = &entries, .size = &size, .packets = &packets,
				.format = &format, .algs = algs};
	int first;
	status = cli_parse("bench", bench_details, argc, argv, bench_options, bench_option, &ba,
			   &first);
	if (status < 0 && first < argc)
		status = cli_usage_error("bench", "unexpected argument '%s' (bench reads no file)",
					 argv[first]);
	if (status >= 0) {
		free(algs);
		return status;
	}
	status = EXIT_OK;
	n_algs = ba.n_algs;
	if (!n_algs)
		for (size_t k = 0; k < n_default; k++)
			algs[n_algs++] = default_algs[k];
	bool json = !strcmp(format, "json");

	double lps = 0, linear_lps = 0;
	if (entries)
		status = bench_spd((size_t)entries, packets * 10, &lps, &linear_lps);
	struct esp_result *res = xcalloc(n_algs, sizeof(*res));
	for (size_t k = 0; k < n_algs; k++) {
		int st = bench_esp(algs[k], (size_t)size, packets, &res[k]);
		if (st != EXIT_OK)
			status = status == EXIT_OK ? st : status;
	}

	if (json) {
		printf("{\"version\":1,\"spd\":");
		if (entries)
			printf("{\"entries\":%" PRIu64 ",\"lookups_per_s\":%.0f}", entries, lps);
		else
			printf("null");
		printf(",\"esp\":[");
		for (size_t k = 0; k < n_algs; k++)
			printf("%s{\"alg\":\"%s\",\"size\":%" PRIu64 ",\"encap_pps\":%.0f,"
			       "\"decap_pps\":%.0f,\"encap_bytes_per_s\":%.0f,\"decap_bytes_per_s\":%.0f}",
			       k ? "," : "", res[k].alg, size, res[k].encap_pps, res[k].decap_pps,
			       res[k].encap_pps * (double)size, res[k].decap_pps * (double)size);
		printf("]}\n");
	} else {
		if (entries)
			printf("SPD lookup: %" PRIu64 " entries, %.2f million lookups/s "
			       "(a linear scan: %.0f lookups/s)\n", entries, lps / 1e6, linear_lps);
		printf("ESP, %" PRIu64 "-byte inner packets, %" PRIu64 " packets per suite:\n", size,
		       packets);
		printf("  %-20s %12s %12s %12s %12s\n", "suite", "encap pps", "encap MB/s",
		       "decap pps", "decap MB/s");
		for (size_t k = 0; k < n_algs; k++)
			printf("  %-20s %12.0f %12.1f %12.0f %12.1f\n", res[k].alg, res[k].encap_pps,
			       res[k].encap_pps * (double)size / 1e6, res[k].decap_pps,
			       res[k].decap_pps * (double)size / 1e6);
	}
	free(res);
	free(algs);
	return status;
}
