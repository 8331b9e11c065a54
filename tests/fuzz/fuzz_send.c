/* libFuzzer target: the command line's --send parser (engine_parse_send,
 * "SRC -> DST [PROTO [PORT]]" with hosts, gateways, addresses, prefixes),
 * on an engine built once from a small policy with hosts, sites and a peer.
 * What parses is sent once, with no trace, and must come to a verdict. */
#include "config.h"
#include "engine/engine.h"
#include "policy/policy.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char policy_text[] =
	"ike k { version 2; encryption aes256; integrity sha256; group 19; }\n"
	"ipsec p { encryption aes256-gcm; integrity none; pfs 19; }\n"
	"site hq { subnet 192.168.1.0/24; subnet 2001:db8:1::/48;\n"
	"  host pc1 192.168.1.10;\n"
	"  gateway rtr-a { platform ios 15.4;\n"
	"    interface Gi0/0 { address 198.51.100.1/24; outside; }\n"
	"    interface Gi0/1 { address 192.168.1.1/24; }\n"
	"    route default via 198.51.100.254; } }\n"
	"site branch { subnet 192.168.2.0/24;\n"
	"  host srv 192.168.2.20;\n"
	"  gateway rtr-b { platform linux;\n"
	"    interface eth0 { address 203.0.113.1/24; outside; }\n"
	"    interface eth1 { address 192.168.2.1/24; }\n"
	"    route default via 203.0.113.254; } }\n"
	"tunnel t { between rtr-a and rtr-b; ike k; ipsec p; psk env \"TUNC_FUZZ_PSK\"; }\n";

static struct policy pol;
static struct engine *engine;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The policy and the engine are made once, before the first input, so
 * that libFuzzer's per-input leak check does not count them
 * (policy_load_buffer initialises the policy). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TUNC_FUZZ_PSK", "q7Rv2Xk9Lw4Tz8Nc3Hp6Ys1Fb5Jm0Gd+Ue/Ka7Wc2Q", 1);
	if (!policy_load_buffer(&pol, "fuzz.tun", policy_text, sizeof(policy_text) - 1,
				POLICY_MODELLED) || !policy_check_keys(&pol))
		abort();
	struct engine_options o = {.seed = 1, .no_traces = true};
	char err[256];
	engine = engine_new(pol.model, &o, err, sizeof(err));
	if (!engine)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct engine_send s;
	char err[512];
	if (engine_parse_send(engine, text, &s, err, sizeof(err))) {
		struct packet_result *r = engine_send(engine, &s, 1);
		if (!r || !r->decided)
			abort();        /* every packet comes to a verdict */
		engine_forget_traces(engine);
	} else if (!err[0]) {
		abort();                /* a refusal says why */
	}
	free(text);
	return 0;
}
