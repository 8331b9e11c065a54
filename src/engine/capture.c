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
#include <unistd.h>

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

/* One capture file: written under a temporary name and renamed when the
 * run ends, so a failed run leaves no empty or truncated capture. */
static bool open_link(struct engine *e, struct link_capture *lc, char *err, size_t err_size)
{
	char *path = arena_printf(&e->arena, "%s/%s.pcap", e->opts.pcap_dir, lc->name);
	if (outfile_open(&lc->file, path, 0644) != 0) {
		snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
		return false;
	}
	/* libpcap closes its stream; the outfile keeps its own descriptor. */
	int fd = dup(lc->file.fd);
	FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (fp)
		lc->dumper = pcap_dump_fopen(e->pcap_dead, fp);
	if (!lc->dumper) {
		snprintf(err, err_size, "cannot write %s: %s", path,
			 fp ? pcap_geterr(e->pcap_dead) : strerror(errno));
		if (fp)
			fclose(fp);
		else if (fd >= 0)
			close(fd);
		outfile_abort(&lc->file);
		return false;
	}
	return true;
}

bool capture_open(struct engine *e, char *err, size_t err_size)
{
	if (make_dirs(e->opts.pcap_dir, 0777) != 0) {
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
			lc.file.fd = -1;
			lc.name = link_name(e, mg->ir->name, ifc->name);
			lc.mg = mg;
			lc.iface = ifc;
			if (!open_link(e, &lc, err, err_size))
				return false;
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

/* Flushes and closes LC's stream; false (with the reason in errno) when
 * any write failed. */
static bool close_stream(struct link_capture *lc)
{
	FILE *fp = pcap_dump_file(lc->dumper);
	errno = 0;
	bool ok = pcap_dump_flush(lc->dumper) == 0 && !ferror(fp);
	int err = errno ? errno : EIO;
	pcap_dump_close(lc->dumper);    /* fclose: our descriptor stays open */
	lc->dumper = NULL;
	errno = err;
	return ok;
}

static void release(struct engine *e)
{
	if (e->pcap_dead) {
		pcap_close(e->pcap_dead);
		e->pcap_dead = NULL;
	}
}

void capture_close(struct engine *e)
{
	bool failed = false;
	for (size_t i = 0; i < e->links.n; i++) {
		struct link_capture *lc = &e->links.v[i];
		if (!lc->dumper)
			continue;
		if (!close_stream(lc) && !failed) {
			snprintf(e->pcap_error, sizeof(e->pcap_error), "cannot write %s: %s",
				 lc->file.target, strerror(errno));
			failed = true;
		}
	}
	/* All or none: after one failure every capture is removed. */
	for (size_t i = 0; i < e->links.n; i++) {
		struct link_capture *lc = &e->links.v[i];
		if (lc->file.fd < 0)
			continue;
		if (failed) {
			outfile_abort(&lc->file);
			continue;
		}
		char *target = xstrdup(lc->file.target);
		if (outfile_commit(&lc->file, false) != 0) {
			snprintf(e->pcap_error, sizeof(e->pcap_error), "cannot write %s: %s",
				 target, strerror(errno));
			failed = true;
		}
		free(target);
	}
	release(e);
}

void capture_discard(struct engine *e)
{
	for (size_t i = 0; i < e->links.n; i++) {
		struct link_capture *lc = &e->links.v[i];
		if (lc->dumper) {
			pcap_dump_close(lc->dumper);
			lc->dumper = NULL;
		}
		if (lc->file.fd >= 0)
			outfile_abort(&lc->file);
	}
	release(e);
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
