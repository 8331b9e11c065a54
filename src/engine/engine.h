/* The reference enforcement engine (ENGINE.md): real packets through each
 * gateway's model, stage by stage in its platform's order, with simulated
 * IKE, real ESP/AH (engine/esp.h), captures and a trace per packet.
 *
 *   struct engine *e = engine_new(model, &opts);
 *   struct engine_send s;  engine_parse_send(e, "pc1 -> 192.168.2.10 icmp", &s, err, n);
 *   struct packet_result *r = engine_send(e, &s, 1);   (owned by the engine)
 *   engine_finish(e, err, n);                           (writes pcaps, keylog)
 *   engine_free(e);
 */
#ifndef TUNC_ENGINE_H
#define TUNC_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"
#include "model/model.h"
#include "platform/platform.h"
#include "util/strbuf.h"

struct engine_options {
	uint64_t seed;                  /* negotiated SAs' SPIs and keys, IVs (default 1) */
	const char *pcap_dir;           /* one GATEWAY-IFACE.pcap per link; NULL: none */
	const char *keylog_path;        /* Wireshark esp_sa lines, mode 0600; NULL: none */
	bool no_traces;                 /* verdicts and counters only: no trace lines are
					 * recorded (`run --counters`), and a packet's result
					 * lives until the next engine_send */
};

/* One line of a trace: at NODE, STAGE gave RESULT, decided by the statement at LOC. */
struct trace_hop {
	const char *node;
	enum stage stage;
	const char *result;
	struct tunc_loc loc;            /* LOC_NONE when no statement decided it */
};

struct packet_result {
	const char *send;               /* "pc1 -> 192.168.2.10 icmp" */
	enum verdict verdict;
	const struct ir_tunnel *tunnel; /* the SA's tunnel, when it travelled in one */
	const char *reason;             /* dropped/unreachable: why; clear: where it left */
	const char *at_node;            /* dropped/unreachable: where */
	enum stage at_stage;
	ARENA_VEC(struct trace_hop) hops;
	struct packet_result *reply;    /* the answer to an echo request, a TCP SYN or a
					 * UDP datagram sent with `reply`; NULL: none */
	struct packet_result *segment;  /* TCP with `size N`: the data segment sent once the
					 * SYN was answered, as large as the MSS allows */
	bool wants_reply;               /* a UDP datagram whose destination answers */
	uint16_t mss_received;          /* a SYN-ACK: the MSS option its receiver read */
	bool decided;                   /* the verdict is set */
};

/* What to send. */
struct engine_send {
	const char *text;               /* for reports */
	struct ip_addr src, dst;
	const struct ir_gateway *src_gw;        /* a gateway's own traffic */
	const struct ir_host *src_host;
	unsigned proto;                 /* PROTO_ANY is sent as ICMP echo */
	uint16_t port;
	bool reply;                     /* UDP: the destination answers (`expect ... reply`) */
	unsigned size;                  /* `size N`: the inner IP packet's length; 0: default */
	bool df;                        /* `df`: Don't Fragment */
};

struct engine;

/* NULL with a message in ERR when a capture file cannot be created. */
struct engine *engine_new(const struct model *m, const struct engine_options *opts,
			  char *err, size_t err_size);
void engine_free(struct engine *e);

/* Parses "SRC -> DST [PROTO [PORT]] [size N] [df]" (hosts, gateways, addresses, prefixes).
 * False with a message in ERR when the text is not valid. */
bool engine_parse_send(struct engine *e, const char *text, struct engine_send *out,
		       char *err, size_t err_size);
/* The same from an `expect`. */
void engine_send_of_expect(struct engine *e, const struct ir_expect *x, struct engine_send *out);

/* Sends one packet (SEQ numbers echo requests) and follows it, and its
 * reply, through the network.  The result lives until engine_forget_traces
 * or engine_free (with no_traces, until the next engine_send). */
struct packet_result *engine_send(struct engine *e, const struct engine_send *s, uint16_t seq);

/* Forgets every packet result made so far (their traces are written):
 * a long run keeps only the trace being written. */
void engine_forget_traces(struct engine *e);

/* Forgets the SAs negotiated so far and restarts the generators (SPIs,
 * keys, IVs, IP ids): the next packet fares, trace and all, as the first
 * packet of a new run.  For lint's probes (src/check/probe.c), each of
 * which must fare as `tunc run --send` of it alone. */
void engine_rewind(struct engine *e);

/* The verdict of a round trip: the request's, unless it was delivered and
 * the reply failed (then the reply's), or one way was clear (then clear). */
enum verdict packet_overall_verdict(const struct packet_result *r,
				    const struct ir_tunnel **tunnel);

/* Writes the captures and the keylog.  False with ERR on an I/O error. */
bool engine_finish(struct engine *e, char *err, size_t err_size);

/* Output. */
void engine_trace_text(struct strbuf *out, const struct engine *e, const struct packet_result *r);
void engine_trace_json(struct strbuf *out, const struct engine *e, const struct packet_result *r);
/* Per-SA and per-gateway counters, like `show crypto ipsec sa`. */
void engine_counters_text(struct strbuf *out, const struct engine *e);

#endif
