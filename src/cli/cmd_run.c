/* tunc run FILE.tun|ENGINE.xml|CONFIG... [--from FORMAT] [--send 'SRC -> DST [PROTO [PORT]] [size N] [df]']... [--count N]
 *          [--counters] [--pcap DIR] [--keylog FILE] [--seed N] [--format text|json] */
#include "config.h"
#include "cli/cli.h"
#include "policy/policy_import.h"
#include "cli/options.h"
#include "engine/engine.h"
#include "engine/xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char run_details[] =
	"Sends packets through the simulated network built from the policy: each\n"
	"gateway processes them in its platform's order (ROUTE, FILTER, NAT, SPD, IKE,\n"
	"ESP, WIRE; inbound DECAP, INBOUND-CHECK, DELIVER), and the trace shows every\n"
	"stage with the statement that decided it.  An ICMP echo is a round trip.\n"
	"\n"
	"Options:\n"
	"  --send 'SRC -> DST [PROTO [PORT]]'  a packet to send (repeatable); SRC and DST\n"
	"                       are hosts, gateways, addresses or prefixes; PROTO is icmp\n"
	"                       (default), tcp, udp, ... or a number; `size N` (68-9000\n"
	"                       bytes) and `df` (Don't Fragment) as in expect.  Without\n"
	"                       --send, the traffic of the file's expect statements is sent.\n"
	"  --count N            send each packet N times (default 1)\n"
	"  --counters           print no traces: for each packet sent, how many times\n"
	"                       each round-trip verdict came, then the counters (text)\n"
	"  --pcap DIR           write one capture per link, DIR/GATEWAY-IFACE.pcap\n"
	"  --keylog FILE        write the SAs as Wireshark esp_sa lines (mode 0600)\n"
	"  --seed N             seed of negotiated SPIs and keys, and of IVs (default 1)\n"
	"  --format text|json   output format (default text)\n"
	"  --from FORMAT        read the FILEs as device configurations of FORMAT (ios,\n"
	"                       swanctl, pix, asa, ipsecconf, netsh, powershell, xfrm,\n"
	"                       sheet);\n"
	"                       without it several files, or one that is not a .tun\n"
	"                       or engine.xml, are recognised by their content (see\n"
	"                       'tunc import')\n";

/* A number in decimal: "010" is ten, not eight, and "0x10" is refused. */
static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (*s < '0' || *s > '9')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

/* The keylog is written when the run ends: refuse a path that cannot be
 * written before any packet is sent, not after the traces are printed. */
static bool keylog_writable(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return false;
	}
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *d = slash ? (slash == dir ? "/" : (*slash = '\0', dir)) : ".";
	bool ok = access(d, W_OK | X_OK) == 0;
	free(dir);
	return ok;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

enum { OPT_SEND = CLI_LONG_ONLY, OPT_COUNT, OPT_PCAP, OPT_KEYLOG, OPT_SEED, OPT_FORMAT,
       OPT_COUNTERS, OPT_FROM };

static const struct cli_option run_options[] = {
	{"send", OPT_SEND, true, "a value", true},
	{"count", OPT_COUNT, true, "a value", true},
	{"pcap", OPT_PCAP, true, "a directory", false},
	{"keylog", OPT_KEYLOG, true, "a file name", false},
	{"seed", OPT_SEED, true, "a value", true},
	{"format", OPT_FORMAT, true, "a value", true},
	{"counters", OPT_COUNTERS, false, NULL, false},
	{"from", OPT_FROM, true, NULL, false},
	{0},
};

/* Where run_option puts what it parses (cmd_run's locals). */
struct run_args {
	const char **sends;
	size_t n_sends;
	uint64_t *count;
	struct engine_options *opts;
	const char **format;
	const char **from;
};

static int run_option(int key, const char *v, void *arg)
{
	struct run_args *ra = arg;
	switch (key) {
	case OPT_SEND:
		ra->sends[ra->n_sends++] = v;
		break;
	case OPT_COUNT:
		if (!parse_u64(v, ra->count) || *ra->count < 1 || *ra->count > 65535)
			return cli_usage_error("run", "--count: '%s' is not a number from 1 to 65535", v);
		break;
	case OPT_PCAP:
		ra->opts->pcap_dir = v;
		break;
	case OPT_KEYLOG:
		ra->opts->keylog_path = v;
		break;
	case OPT_SEED:
		if (!parse_u64(v, &ra->opts->seed))
			return cli_usage_error("run", "--seed: '%s' is not a number", v);
		break;
	case OPT_FORMAT:
		*ra->format = v;
		break;
	case OPT_COUNTERS:
		ra->opts->no_traces = true;
		break;
	case OPT_FROM:
		return cli_from_option("run", v, ra->from);
	}
	return -1;
}

/* --counters: how a packet sent COUNT times fared, one line per verdict
 * that came ("protected by t0 50000"), in the order of enum verdict. */
static void run_tally_text(struct strbuf *out, const char *text, uint64_t count,
			   const uint64_t *tally, const struct ir_tunnel *const *tunnel)
{
	strbuf_printf(out, "%s: sent %llu time%s\n", text, (unsigned long long)count,
		      count == 1 ? "" : "s");
	for (int v = 0; v < VERDICT__COUNT; v++) {
		if (!tally[v])
			continue;
		strbuf_printf(out, "  %s%s%s: %llu\n", verdict_name((enum verdict)v),
			      tunnel[v] ? " by " : "", tunnel[v] ? tunnel[v]->name : "",
			      (unsigned long long)tally[v]);
	}
	strbuf_putc(out, '\n');
}

int cmd_run(int argc, char **argv)
{
	const char *file = NULL, *format = "text", *from = NULL;
	const char **sends = xcalloc((size_t)argc + 1, sizeof(*sends));
	size_t n_sends = 0;
	uint64_t count = 1;
	struct engine_options opts = {.seed = 1};
	int status = EXIT_OK;

	struct run_args ra = {.sends = sends, .count = &count, .opts = &opts, .format = &format,
			      .from = &from};
	int first;
	status = cli_parse("run", run_details, argc, argv, run_options, run_option, &ra, &first);
	if (status >= 0) {
		free(sends);
		return status;
	}
	status = EXIT_OK;
	n_sends = ra.n_sends;
	const char *const *files = (const char *const *)argv + first;
	size_t n_files = (size_t)(argc - first);
	if (policy_files_tun(files, n_files)) {
		free(sends);
		return cli_usage_error("run", "more than one file given ('%s', '%s')", argv[first],
				       argv[first + 1]);
	}
	if (first < argc)
		file = argv[first];
	if (!file) {
		free(sends);
		return cli_usage_error("run", "no policy file given");
	}
	bool json = strcmp(format, "json") == 0;
	if (!json && strcmp(format, "text") != 0) {
		free(sends);
		return cli_usage_error("run", "--format: '%s' is not text or json", format);
	}
	if (opts.keylog_path && !keylog_writable(opts.keylog_path)) {
		fprintf(stderr, "tunc: cannot write %s: %s\n", opts.keylog_path, strerror(errno));
		free(sends);
		return EXIT_USAGE;
	}

	struct policy pol;
	struct model *xml_model = NULL;
	bool loaded;
	if (!from && ends_with(file, ".xml")) {
		/* engine.xml: validated and loaded by the engine.xml loader. */
		policy_init(&pol);
		xml_model = engine_xml_load(file, &pol.ir, &pol.diags);
		pol.model = xml_model;
		loaded = xml_model != NULL;
	} else {
		loaded = policy_load_files(&pol, files, n_files, from);
	}
	if (!loaded || !policy_check_keys(&pol)) {
		policy_print_errors(&pol);
		policy_free(&pol);
		free(sends);
		return EXIT_USAGE;
	}
	if (!xml_model)
		cli_note_lint_errors(&pol, file);

	char err[512];
	struct engine *e = engine_new(pol.model, &opts, err, sizeof(err));
	if (!e) {
		fprintf(stderr, "tunc: %s\n", err);
		policy_free(&pol);
		free(sends);
		return EXIT_USAGE;
	}

	/* What to send: --send, or the expectations' traffic. */
	size_t n_items = n_sends ? n_sends : pol.ir.expects.n;
	struct engine_send *items = xcalloc(n_items + 1, sizeof(*items));
	for (size_t i = 0; i < n_sends; i++) {
		if (!engine_parse_send(e, sends[i], &items[i], err, sizeof(err))) {
			fprintf(stderr, "tunc: --send %s\n", err);
			status = EXIT_USAGE;
			goto out;
		}
	}
	if (!n_sends)
		for (size_t i = 0; i < n_items; i++)
			engine_send_of_expect(e, &pol.ir.expects.v[i], &items[i]);
	if (!n_items) {
		fprintf(stderr, "tunc: %s: nothing to send: give --send or write expect statements\n", file);
		status = EXIT_USAGE;
		goto out;
	}

	if (opts.no_traces && json) {
		status = cli_usage_error("run", "--counters prints text only (no --format json)");
		goto out;
	}
	/* Each packet's trace is written as soon as it is made (64 KiB at a
	 * time), not kept until the run ends. */
	struct strbuf out = STRBUF_INIT;
	bool write_ok = true;
	if (json)
		strbuf_puts(&out, "{\"version\":1,\"packets\":[");
	size_t k = 0;
	for (size_t i = 0; i < n_items; i++) {
		uint64_t tally[VERDICT__COUNT] = {0};
		const struct ir_tunnel *tally_tunnel[VERDICT__COUNT] = {0};
		for (uint64_t c = 1; c <= count; c++) {
			struct packet_result *r = engine_send(e, &items[i], (uint16_t)c);
			if (opts.no_traces) {
				const struct ir_tunnel *t = NULL;
				enum verdict v = packet_overall_verdict(r, &t);
				if (v < VERDICT__COUNT) {
					tally[v]++;
					if (!tally_tunnel[v])
						tally_tunnel[v] = t;
				}
			} else if (json) {
				if (k)
					strbuf_putc(&out, ',');
				engine_trace_json(&out, e, r);
			} else {
				engine_trace_text(&out, e, r);
				strbuf_putc(&out, '\n');
			}
			engine_forget_traces(e);        /* written or counted: nothing is kept */
			k++;
			if (out.len >= 65536) {
				write_ok &= fwrite(out.s, 1, out.len, stdout) == out.len;
				out.len = 0;
			}
		}
		if (opts.no_traces)
			run_tally_text(&out, items[i].text, count, tally, tally_tunnel);
	}
	if (json)
		strbuf_puts(&out, "]}\n");
	else
		engine_counters_text(&out, e);
	if (!engine_finish(e, err, sizeof(err))) {
		fprintf(stderr, "tunc: %s\n", err);
		status = EXIT_USAGE;
	}
	write_ok &= fwrite(strbuf_cstr(&out), 1, out.len, stdout) == out.len;
	if (!write_ok || fflush(stdout) != 0) {
		fprintf(stderr, "tunc: cannot write the traces: %s\n", strerror(errno));
		status = EXIT_USAGE;
	}
	strbuf_free(&out);
out:
	engine_free(e);
	free(items);
	policy_free(&pol);
	free(sends);
	return status;
}
