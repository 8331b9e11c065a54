/* Captures (libpcap) and the keylog.  One pcap file per link, named
 * GATEWAY-IFACE.pcap, Ethernet frames with deterministic MAC addresses and
 * timestamps (a fixed epoch plus one millisecond per frame), so two runs
 * with the same --seed write byte-identical files. */
#include "config.h"
#include "engine/engine_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <pcap/pcap.h>

#define CAPTURE_EPOCH 1700000000        /* 2023-11-14 22:13:20 UTC */
#define CAPTURE_STEP_US 1000

/* A file name from a gateway and an interface name: '/' and other
 * characters a path cannot hold become '_' (GigabitEthernet0/0). */
static char *link_name(struct engine *e, const char *gw, const char *iface)
{
	char *s = arena_printf(&e->arena, "%s-%s", gw, iface);
	for (char *c = s; *c; c++)
		if (*c == '/' || *c == '\\' || *c == ' ' || *c == ':' || (unsigned char)*c < 0x20)
			*c = '_';
	return s;
}

/* mkdir -p DIR: `--pcap DIR` into a directory that does not exist yet,
 * parents included.  False with errno set. */
static bool make_dirs(struct engine *e, const char *dir)
{
	char *path = arena_printf(&e->arena, "%s", dir);
	for (char *p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return false;
		*p = c;
		if (!c)
			break;
	}
	struct stat st;
	if (stat(dir, &st) != 0)
		return false;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return false;
	}
	return true;
}

bool capture_open(struct engine *e, char *err, size_t err_size)
{
	if (!make_dirs(e, e->opts.pcap_dir)) {
		snprintf(err, err_size, "cannot create %s: %s", e->opts.pcap_dir, strerror(errno));
		return false;
	}
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (!dead) {
		snprintf(err, err_size, "libpcap: cannot open a capture handle");
		return false;
	}
	e->pcap_dead = dead;
	for (size_t i = 0; i < e->m->gateways.n; i++) {
		const struct model_gateway *mg = e->m->gateways.v[i];
		for (size_t j = 0; j < mg->ir->interfaces.n; j++) {
			const struct ir_interface *ifc = mg->ir->interfaces.v[j];
			struct link_capture lc;
			memset(&lc, 0, sizeof(lc));
			lc.name = link_name(e, mg->ir->name, ifc->name);
			lc.mg = mg;
			lc.iface = ifc;
			char *path = arena_printf(&e->arena, "%s/%s.pcap", e->opts.pcap_dir, lc.name);
			lc.dumper = pcap_dump_open(dead, path);
			if (!lc.dumper) {
				/* libpcap's message starts with the path */
				snprintf(err, err_size, "cannot write %s", pcap_geterr(dead));
				return false;
			}
			arena_vec_push(&e->arena, &e->links, lc);
		}
	}
	return true;
}

void capture_frame(struct engine *e, const struct model_gateway *mg, const struct ir_interface *iface,
		   const uint8_t src_mac[6], const uint8_t dst_mac[6], const struct pkt *p)
{
	uint64_t t = e->events++;
	if (!e->pcap_dead || !iface)
		return;
	struct link_capture *lc = NULL;
	for (size_t i = 0; i < e->links.n && !lc; i++)
		if (e->links.v[i].mg == mg && e->links.v[i].iface == iface)
			lc = &e->links.v[i];
	if (!lc || !lc->dumper || p->len > ENGINE_BUF)
		return;
	uint8_t frame[14 + ENGINE_BUF];
	memcpy(frame, dst_mac, 6);
	memcpy(frame + 6, src_mac, 6);
	bool v6 = p->len && (p->buf[0] >> 4) == 6;
	frame[12] = v6 ? 0x86 : 0x08;
	frame[13] = v6 ? 0xdd : 0x00;
	memcpy(frame + 14, p->buf, p->len);
	struct pcap_pkthdr h;
	memset(&h, 0, sizeof(h));
	uint64_t us = t * CAPTURE_STEP_US;
	h.ts.tv_sec = (time_t)(CAPTURE_EPOCH + us / 1000000);
	h.ts.tv_usec = (suseconds_t)(us % 1000000);
	h.caplen = h.len = (bpf_u_int32)(14 + p->len);
	pcap_dump((u_char *)lc->dumper, &h, frame);
	lc->frames++;
}

void capture_close(struct engine *e)
{
	for (size_t i = 0; i < e->links.n; i++) {
		struct link_capture *lc = &e->links.v[i];
		if (!lc->dumper)
			continue;
		if (pcap_dump_flush(lc->dumper) != 0 && !e->pcap_error[0])
			snprintf(e->pcap_error, sizeof(e->pcap_error), "cannot write %s.pcap", lc->name);
		pcap_dump_close(lc->dumper);
		lc->dumper = NULL;
	}
	if (e->pcap_dead) {
		pcap_close(e->pcap_dead);
		e->pcap_dead = NULL;
	}
}

/* Every ESP SA once, in the order they were installed, outbound first;
 * then the receiver's copy where it differs: the outer source after a NAT
 * device, or (keyed by hand) the receiver's own SPI, keys and algorithms. */
bool keylog_write(struct engine *e, char *err, size_t err_size)
{
	struct strbuf out = STRBUF_INIT;
	for (size_t i = 0; i < e->bundles.n; i++) {
		const struct sa_bundle *b = e->bundles.v[i];
		for (int s = 0; s < 2; s++) {
			if (!b->ready[s])
				continue;
			char line[512];
			int n = ipsec_sa_keylog_line(&b->out[s], line, sizeof(line));
			if (n < 0 || (size_t)n >= sizeof(line))
				continue;       /* AH: Wireshark has no record for it */
			strbuf_puts(&out, line);
			strbuf_putc(&out, '\n');
			char other[512];
			n = ipsec_sa_keylog_line(&b->in[1 - s], other, sizeof(other));
			if (n >= 0 && (size_t)n < sizeof(other) && strcmp(line, other) != 0) {
				strbuf_puts(&out, other);
				strbuf_putc(&out, '\n');
			}
			OPENSSL_cleanse(line, sizeof(line));
			OPENSSL_cleanse(other, sizeof(other));
		}
	}
	int rc = strbuf_write_file(&out, e->opts.keylog_path, 0600);
	int saved = errno;
	/* The buffer held keys: wipe it before it goes back to the heap. */
	if (out.s)
		memset(out.s, 0, out.cap);
	strbuf_free(&out);
	if (rc != 0) {
		snprintf(err, err_size, "cannot write %s: %s", e->opts.keylog_path, strerror(saved));
		return false;
	}
	return true;
}
