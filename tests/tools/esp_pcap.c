/* Test tool: writes ESP/AH tunnel-mode packets made by the engine's data
 * plane into Ethernet pcaps (with libpcap), with what independent
 * validators need to check them:
 *   DIR/CASE.pcap      3 packets (sequence 1..3), inner ICMP echo
 *                      192.168.1.10 -> 192.168.2.10
 *   DIR/CASE-bad.pcap  1 packet whose last ICV byte is flipped
 *   DIR/CASE.uat       the Wireshark esp_sa record (ESP only)
 *   DIR/CASE.xfrm      `ip xfrm` arguments (state, inbound policy) for a receiving
 *                      kernel (IPv4 cases without NAT-T)
 *   DIR/CASE.n         the number of packets in CASE.pcap (for the kernel check)
 *   DIR/all.pcap, DIR/all-bad.pcap, DIR/all.uat: every ESP case at once
 *   DIR/cases.txt      one line per case: NAME PROTO
 * Each case has its own SPI so the records of all.uat never collide.
 * Usage: esp_pcap DIR */
#include "config.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/esp.h"
#include "engine/ipsec_internal.h"

struct tcase {
	const char *name;
	enum ipsec_protocol proto;
	enum encryption enc;
	enum integrity integ;
	int family;
	bool udp;
	const char *kernel_enc;         /* ip xfrm algorithm text; NULL: not for the kernel */
};

static const struct tcase cases[] = {
	{ "aes128-gcm", IPSEC_ESP, ENC_AES128_GCM, INTEG_NONE, 4, false, "aead 'rfc4106(gcm(aes))'" },
	{ "aes256-gcm", IPSEC_ESP, ENC_AES256_GCM, INTEG_NONE, 4, false, "aead 'rfc4106(gcm(aes))'" },
	{ "aes128-cbc-sha1", IPSEC_ESP, ENC_AES128, INTEG_SHA1, 4, false, "enc 'cbc(aes)'" },
	{ "aes256-cbc-sha256", IPSEC_ESP, ENC_AES256, INTEG_SHA256, 4, false, "enc 'cbc(aes)'" },
	{ "aes192-cbc-sha384", IPSEC_ESP, ENC_AES192, INTEG_SHA384, 4, false, "enc 'cbc(aes)'" },
	{ "aes256-cbc-sha512", IPSEC_ESP, ENC_AES256, INTEG_SHA512, 4, false, "enc 'cbc(aes)'" },
	{ "3des-sha1", IPSEC_ESP, ENC_3DES, INTEG_SHA1, 4, false, "enc 'cbc(des3_ede)'" },
	{ "aes128-cbc-md5", IPSEC_ESP, ENC_AES128, INTEG_MD5, 4, false, "enc 'cbc(aes)'" },
	{ "null-sha1", IPSEC_ESP, ENC_NULL, INTEG_SHA1, 4, false, "enc 'ecb(cipher_null)'" },
	{ "null-sha256", IPSEC_ESP, ENC_NULL, INTEG_SHA256, 4, false, "enc 'ecb(cipher_null)'" },
	{ "v6-aes128-gcm", IPSEC_ESP, ENC_AES128_GCM, INTEG_NONE, 6, false, NULL },
	{ "v6-aes256-cbc-sha256", IPSEC_ESP, ENC_AES256, INTEG_SHA256, 6, false, NULL },
	{ "natt-aes128-gcm", IPSEC_ESP, ENC_AES128_GCM, INTEG_NONE, 4, true, NULL },
	{ "natt-aes128-cbc-sha1", IPSEC_ESP, ENC_AES128, INTEG_SHA1, 4, true, NULL },
	{ "ah-sha1", IPSEC_AH, ENC_NULL, INTEG_SHA1, 4, false, "" },
	{ "ah-sha256", IPSEC_AH, ENC_NULL, INTEG_SHA256, 4, false, "" },
	{ "ah-md5", IPSEC_AH, ENC_NULL, INTEG_MD5, 4, false, "" },
};

static const char *const kernel_auth[INTEG__COUNT] = {
	[INTEG_MD5] = "hmac(md5)", [INTEG_SHA1] = "hmac(sha1)", [INTEG_SHA256] = "hmac(sha256)",
	[INTEG_SHA384] = "hmac(sha384)", [INTEG_SHA512] = "hmac(sha512)",
};

static void iv_counter(void *ctx, uint8_t *iv, size_t len)
{
	uint32_t *n = ctx;
	(*n)++;
	for (size_t i = 0; i < len; i++)
		iv[i] = (uint8_t)(*n * 17 + i);
}

/* IPv4 ICMP echo request 192.168.1.10 -> 192.168.2.10 with valid checksums. */
static size_t icmp_echo(uint8_t *p, uint16_t seq)
{
	static const char data[] = "tunc-esp-check-0123456789abcdef";
	size_t dlen = sizeof(data) - 1, len = 20 + 8 + dlen;
	memset(p, 0, len);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)len);
	put16(p + 4, (uint16_t)(0x100 + seq));
	put16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = 1;
	static const uint8_t src[4] = { 192, 168, 1, 10 }, dst[4] = { 192, 168, 2, 10 };
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	put16(p + 10, ipsec_ip_checksum(p, 20, 0));
	uint8_t *icmp = p + 20;
	icmp[0] = 8;
	put16(icmp + 4, 0x1234);
	put16(icmp + 6, seq);
	memcpy(icmp + 8, data, dlen);
	put16(icmp + 2, ipsec_ip_checksum(icmp, 8 + dlen, 0));
	return len;
}

static void dump(pcap_dumper_t *d, const uint8_t *pkt, size_t len, int family, unsigned n)
{
	uint8_t frame[2048];
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 }, src[6] = { 2, 0, 0, 0, 0, 1 };
	memcpy(frame, dst, 6);
	memcpy(frame + 6, src, 6);
	put16(frame + 12, family == 6 ? 0x86dd : 0x0800);
	memcpy(frame + 14, pkt, len);
	struct pcap_pkthdr h = { .caplen = (bpf_u_int32)(len + 14), .len = (bpf_u_int32)(len + 14) };
	h.ts.tv_sec = 1700000000 + n;   /* fixed: the files are reproducible */
	pcap_dump((u_char *)d, &h, frame);
}

static pcap_dumper_t *open_dump(pcap_t *pd, const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	pcap_dumper_t *d = pcap_dump_open(pd, path);
	if (!d) {
		fprintf(stderr, "esp_pcap: %s: %s\n", path, pcap_geterr(pd));
		exit(2);
	}
	return d;
}

static FILE *open_text(const char *dir, const char *name, const char *ext)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "esp_pcap: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return f;
}

static void hexkey(FILE *f, const uint8_t *k, size_t n)
{
	fputs("0x", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", k[i]);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: esp_pcap DIR\n");
		return 2;
	}
	const char *dir = argv[1];
	umask(077);                     /* the .uat and .xfrm files hold keys */
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *all = open_dump(pd, dir, "all.pcap");
	pcap_dumper_t *all_bad = open_dump(pd, dir, "all-bad.pcap");
	FILE *all_uat = open_text(dir, "all", ".uat");
	FILE *list = open_text(dir, "cases", ".txt");
	unsigned frame_no = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *t = &cases[i];
		uint8_t ekey[IPSEC_MAX_KEY], akey[IPSEC_MAX_KEY];
		for (int k = 0; k < IPSEC_MAX_KEY; k++) {
			ekey[k] = (uint8_t)(0x40 + i * 7 + k * 3);
			akey[k] = (uint8_t)(0x90 + i * 5 + k * 11);
		}
		uint32_t ivn = (uint32_t)i * 1000;
		struct ipsec_sa_config c = {
			.dir = IPSEC_SA_OUT, .protocol = t->proto, .spi = 0x1001 + (uint32_t)i,
			.enc = t->enc, .integ = t->integ,
			.enc_key = ekey, .enc_key_len = t->proto == IPSEC_ESP ? ipsec_enc_key_len(t->enc) : 0,
			.auth_key = akey, .auth_key_len = ipsec_auth_key_len(t->integ),
			.udp_encap = t->udp, .sport = t->udp ? 4500 : 0, .iv_fn = iv_counter, .iv_ctx = &ivn,
		};
		addr_parse(t->family == 6 ? "2001:db8:1::1" : "198.51.100.1", &c.src);
		addr_parse(t->family == 6 ? "2001:db8:2::1" : "203.0.113.1", &c.dst);
		struct ipsec_sa sa;
		char err[200];
		if (!ipsec_sa_init(&sa, &c, err, sizeof(err))) {
			fprintf(stderr, "esp_pcap: %s: %s\n", t->name, err);
			return 1;
		}
		char name[128];
		pcap_dumper_t *d = open_dump(pd, dir, (snprintf(name, sizeof(name), "%s.pcap", t->name), name));
		pcap_dumper_t *bad = open_dump(pd, dir, (snprintf(name, sizeof(name), "%s-bad.pcap", t->name), name));
		uint8_t inner[256], outer[512];
		for (uint16_t s = 1; s <= 4; s++) {
			size_t ilen = icmp_echo(inner, s), olen;
			if (ipsec_encapsulate(&sa, inner, ilen, outer, sizeof(outer), &olen) != IPSEC_OK) {
				fprintf(stderr, "esp_pcap: %s: encapsulation failed\n", t->name);
				return 1;
			}
			if (s == 4) {           /* the fourth, corrupted, is the bad one */
				outer[olen - 1] ^= 0x01;
				dump(bad, outer, olen, t->family, ++frame_no);
				if (t->proto == IPSEC_ESP)
					dump(all_bad, outer, olen, t->family, frame_no);
			} else {
				dump(d, outer, olen, t->family, ++frame_no);
				if (t->proto == IPSEC_ESP)
					dump(all, outer, olen, t->family, frame_no);
			}
		}
		pcap_dump_close(d);
		pcap_dump_close(bad);

		char line[512];
		if (ipsec_sa_keylog_line(&sa, line, sizeof(line)) >= 0) {
			FILE *u = open_text(dir, t->name, ".uat");
			fprintf(u, "%s\n", line);
			fprintf(all_uat, "%s\n", line);
			fclose(u);
		}
		if (t->kernel_enc) {
			/* The receiving kernel's SA and an inbound policy for it (a
			 * tunnel-mode packet without one is dropped, XfrmInNoPols). */
			const char *proto = t->proto == IPSEC_AH ? "ah" : "esp";
			FILE *x = open_text(dir, t->name, ".xfrm");
			fprintf(x, "state add src 198.51.100.1 dst 203.0.113.1 proto %s spi 0x%08x "
				"mode tunnel replay-window 64 ", proto, (unsigned)c.spi);
			if (encryption_is_aead(t->enc)) {
				fprintf(x, "%s ", t->kernel_enc);
				hexkey(x, ekey, ipsec_enc_key_len(t->enc));
				fprintf(x, " 128");
			} else {
				if (t->proto == IPSEC_ESP) {
					fprintf(x, "%s ", t->kernel_enc);
					if (t->enc == ENC_NULL)
						fputs("''", x);
					else
						hexkey(x, ekey, ipsec_enc_key_len(t->enc));
					fputc(' ', x);
				}
				fprintf(x, "auth-trunc '%s' ", kernel_auth[t->integ]);
				hexkey(x, akey, ipsec_auth_key_len(t->integ));
				fprintf(x, " %u", integrity_icv_bits(t->integ));
				/* RFC 4302: 32-bit alignment over IPv4 (Linux pads to
				 * 64 bits unless told) */
				if (t->proto == IPSEC_AH)
					fputs(" flag align4", x);
			}
			fprintf(x, "\npolicy update src 192.168.1.0/24 dst 192.168.2.0/24 dir in "
				"tmpl src 198.51.100.1 dst 203.0.113.1 proto %s mode tunnel\n", proto);
			fclose(x);
			x = open_text(dir, t->name, ".n");      /* good packets in CASE.pcap */
			fprintf(x, "3\n");
			fclose(x);
		}
		fprintf(list, "%s %s\n", t->name, t->proto == IPSEC_AH ? "ah" : "esp");
		ipsec_sa_free(&sa);
	}
	pcap_dump_close(all);
	pcap_dump_close(all_bad);
	pcap_close(pd);
	fclose(all_uat);
	fclose(list);
	return 0;
}
