#!/usr/bin/env python3
"""Turn a capture and key log written by `tunc run` into a case for the
kernel check (tests/vm/kernel-esp-rx.sh), standard library only.

usage: capture_case.py PCAP KEYLOG RECEIVER SRC_NET DST_NET DST_HOST DIR CASE

PCAP is one link's capture (GATEWAY-IFACE.pcap, Ethernet); its IPv4 ESP
frames toward RECEIVER (the far tunnel endpoint) are the case, everything
else on the link (the ESP coming back, clear traffic) is left out.  They
must all belong to one SA, whose keys KEYLOG (Wireshark esp_sa lines) holds.
Writes:
  DIR/CASE.pcap      every such frame but the last, unchanged
  DIR/CASE-bad.pcap  the last one with its last byte (the end of the ICV)
                     flipped: a sequence number the kernel has not seen, so
                     it fails the integrity check rather than the replay check
  DIR/CASE.xfrm      `ip xfrm` arguments for the receiver: the SA, and the
                     in/fwd policies for SRC_NET -> DST_NET
  DIR/CASE.n         the number of frames in CASE.pcap
  DIR/CASE.env       the receiver's addresses and the frames' MAC address
"""
import csv
import ipaddress
import os
import struct
import sys

# Wireshark's esp_sa names -> the kernel's (crypto API) names.
ENC = {
    "NULL": "ecb(cipher_null)",
    "DES-CBC [RFC2405]": "cbc(des)",
    "TripleDES-CBC [RFC2451]": "cbc(des3_ede)",
    "AES-CBC [RFC3602]": "cbc(aes)",
    "AES-CTR [RFC3686]": "rfc3686(ctr(aes))",
}
AEAD = {
    "AES-GCM with 8 octet ICV [RFC4106]": ("rfc4106(gcm(aes))", 64),
    "AES-GCM with 12 octet ICV [RFC4106]": ("rfc4106(gcm(aes))", 96),
    "AES-GCM with 16 octet ICV [RFC4106]": ("rfc4106(gcm(aes))", 128),
}
AUTH = {  # name, ICV bits
    "HMAC-MD5-96 [RFC2403]": ("hmac(md5)", 96),
    "HMAC-SHA-1-96 [RFC2404]": ("hmac(sha1)", 96),
    "HMAC-SHA-256-128 [RFC4868]": ("hmac(sha256)", 128),
    "HMAC-SHA-384-192 [RFC4868]": ("hmac(sha384)", 192),
    "HMAC-SHA-512-256 [RFC4868]": ("hmac(sha512)", 256),
}


def die(msg):
    sys.stderr.write("capture_case: %s\n" % msg)
    sys.exit(2)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        die("%s: not a pcap file" % path)
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        die("%s: not a pcap file" % path)
    if struct.unpack(end + "I", data[20:24])[0] != 1:
        die("%s: not an Ethernet capture" % path)
    records, off = [], 24
    while off + 16 <= len(data):
        caplen = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        records.append((data[off:off + 16], data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return data[:24], end, records


def esp_toward(frame, receiver):
    """(src, spi, seq) of an IPv4 ESP frame sent to receiver, else None."""
    if len(frame) < 14 + 20 + 8 or frame[12:14] != b"\x08\x00":
        return None
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    if ip[0] >> 4 != 4 or ip[9] != 50 or len(ip) < ihl + 8:
        return None
    if ipaddress.IPv4Address(ip[16:20]) != receiver:
        return None
    spi, seq = struct.unpack(">II", ip[ihl:ihl + 8])
    return ipaddress.IPv4Address(ip[12:16]), spi, seq


def write_pcap(path, header, end, records):
    with open(path, "wb") as f:
        f.write(header)
        for rh, frame in records:
            f.write(rh[:8] + struct.pack(end + "II", len(frame), len(frame)) + frame)


def main(argv):
    if len(argv) != 9:
        die("usage: capture_case.py PCAP KEYLOG RECEIVER SRC_NET DST_NET DST_HOST DIR CASE")
    pcap, keylog, receiver, src_net, dst_net, dst_host, out, case = argv[1:]
    receiver = ipaddress.IPv4Address(receiver)
    src_net = ipaddress.IPv4Network(src_net)
    dst_net = ipaddress.IPv4Network(dst_net)
    dst_host = ipaddress.IPv4Address(dst_host)
    if dst_host not in dst_net:
        die("%s is not in %s" % (dst_host, dst_net))
    header, end, records = read_pcap(pcap)

    kept, sa = [], None
    for rh, frame in records:
        esp = esp_toward(frame, receiver)
        if esp is None:
            continue
        if sa is None:
            sa = esp[:2]
        elif esp[:2] != sa:
            die("%s: ESP toward %s from more than one SA" % (pcap, receiver))
        kept.append((rh, frame, esp[2]))
    if len(kept) < 2:
        die("%s: %d ESP frame(s) toward %s, need at least 2" % (pcap, len(kept), receiver))
    seqs = [k[2] for k in kept]
    if seqs != list(range(seqs[0], seqs[0] + len(seqs))):
        die("%s: ESP sequence numbers not consecutive: %s" % (pcap, seqs))
    src, spi = sa

    key = None
    with open(keylog, newline="") as f:
        for row in csv.reader(f):
            if (len(row) == 8 and row[0] == "IPv4" and row[1] == str(src)
                    and row[2] == str(receiver) and int(row[3], 16) == spi):
                key = row
                break
    if key is None:
        die("%s: no SA %s -> %s spi 0x%08x" % (keylog, src, receiver, spi))
    _, _, _, _, enc, ekey, auth, akey = key

    state = ("state add src %s dst %s proto esp spi 0x%08x mode tunnel replay-window 64"
             % (src, receiver, spi))
    if enc in AEAD:
        name, bits = AEAD[enc]
        if auth != "NULL":
            die("%s: %s with an integrity algorithm (%s)" % (keylog, enc, auth))
        state += " aead '%s' %s %d" % (name, ekey, bits)
    elif enc in ENC and auth in AUTH:
        name, bits = AUTH[auth]
        state += " enc '%s' %s auth-trunc '%s' %s %d" % (
            ENC[enc], ekey or "''", name, akey, bits)
    else:
        die("%s: no kernel name for %s / %s" % (keylog, enc, auth))

    frames = [(k[0], k[1]) for k in kept]
    bad_rh, bad = frames.pop()
    bad = bad[:-1] + bytes([bad[-1] ^ 1])
    old = os.umask(0o077)           # the .xfrm file holds keys
    try:
        write_pcap(os.path.join(out, case + ".pcap"), header, end, frames)
        write_pcap(os.path.join(out, case + "-bad.pcap"), header, end, [(bad_rh, bad)])
        with open(os.path.join(out, case + ".xfrm"), "w") as f:
            f.write(state + "\n")
            for d in ("in", "fwd"):
                f.write("policy update src %s dst %s dir %s tmpl src %s dst %s proto esp mode tunnel\n"
                        % (src_net, dst_net, d, src, receiver))
        with open(os.path.join(out, case + ".n"), "w") as f:
            f.write("%d\n" % len(frames))
        mac = ":".join("%02x" % b for b in kept[0][1][:6])
        with open(os.path.join(out, case + ".env"), "w") as f:
            f.write("OUTER_SRC=%s\nOUTER_DST=%s\nINNER_SRC=%s\nINNER_DST=%s\nMAC=%s\n"
                    % (src, receiver, src_net, dst_host, mac))
    finally:
        os.umask(old)


if __name__ == "__main__":
    main(sys.argv)
