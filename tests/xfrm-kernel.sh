#!/bin/sh
# The emitted xfrm scripts on a real Linux kernel with ESP (QEMU, TCG):
# examples/hq-branch-linux compiled for both gateways, loaded into two
# gateway namespaces with a router between and a host behind each; a ping
# from one site to the other must be answered, and a capture on the
# router's link must see only ESP (tests/vm/xfrm-two-sites.sh).  The same
# for a route-based pair (tests/route-based/linux-xfrmi.tun): each gateway
# an xfrm interface, the ping routed through them (issue 13).  Both pairs
# run in one VM boot (tests/vm/xfrm-pairs.sh).  The route-based pair clamps
# TCP's MSS (`tcp-mss auto`, the script's nft table): a SYN sent with MSS
# 1460 must arrive through the xfrm interfaces with the clamped MSS, and
# its SYN-ACK come back clamped (tcpdump on both hosts' links).
# SKIPs visibly when qemu or the VM image (tests/vm/vm-setup.sh) is missing.
. "$top_srcdir/tests/lib.sh"
[ -z "${TUNC_NO_VM:-}" ] || skip "TUNC_NO_VM is set"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
VMDIR=${VMDIR:-/tmp/tunc-vm}; export VMDIR
# An image from before nft was in it (tests/vm/vm-setup.sh writes
# image-version) is rebuilt: the MSS clamping below needs nft.
if [ ! -f "$VMDIR/base.cpio.gz" ] || ! grep -q nft "$VMDIR/image-version" 2>/dev/null; then
	bash "$top_srcdir/tests/vm/vm-setup.sh" >"$TMP/setup.log" 2>&1 ||
		skip "cannot build the VM image (tests/vm/vm-setup.sh needs the Debian mirrors): $(tail -1 "$TMP/setup.log")"
fi
mkdir -p "$TMP/files/policy" "$TMP/files/xfrmi"
cp "$top_srcdir/tests/vm/xfrm-two-sites.sh" "$TMP/files/"
(cd "$top_srcdir/examples/hq-branch-linux" && "$TUNC" compile -t xfrm hq-branch.tun -o "$TMP/files/policy") >/dev/null ||
	fail "compile of examples/hq-branch-linux failed"
cp "$top_srcdir/tests/route-based/linux-xfrmi.tun" "$top_srcdir/tests/route-based/xfrmi.psk" "$TMP/"
chmod 600 "$TMP/xfrmi.psk"
(cd "$TMP" && "$TUNC" compile -t xfrm linux-xfrmi.tun -o "$TMP/files/xfrmi") >/dev/null ||
	fail "compile of tests/route-based/linux-xfrmi.tun failed"
for p in policy xfrmi; do
	[ "$(ls "$TMP/files/$p"/*.xfrm.sh | wc -l)" -eq 2 ] || fail "$p: expected two xfrm scripts"
done
grep -q '^ip link add ipsec1 type xfrm dev eth0 if_id 1$' "$TMP/files/xfrmi/rtr-a.xfrm.sh" ||
	fail "the route-based script creates no xfrm interface"
rc=0
bash "$top_srcdir/tests/vm/vm-run.sh" -f "$TMP/files" -o "$TMP/out" "$top_srcdir/tests/vm/xfrm-pairs.sh" >"$TMP/vm.log" 2>&1 || rc=$?
cat "$TMP/vm.log"
[ "$rc" -ne 125 ] || skip "the VM produced no result (see $VMDIR/last-console.log)"
[ "$rc" -eq 0 ] || fail "the emitted scripts did not carry the ping over ESP (exit $rc)"
[ "$(grep -c '^PASS the link carries only ESP' "$TMP/vm.log")" -eq 2 ] || fail "no ESP verdict for both pairs"
[ "$(grep -c '^PASS xfrm interface ipsec1 of G[12]: ' "$TMP/vm.log")" -eq 2 ] ||
	fail "the ping did not go through both xfrm interfaces"
mss=$(sed -n 's/.*tcp option maxseg size set \([0-9]*\) .*/\1/p' "$TMP/files/xfrmi/rtr-a.xfrm.sh" | head -1)
[ -n "$mss" ] || fail "the route-based scripts clamp no MSS (linux-xfrmi.tun has tcp-mss auto)"
grep -q "^PASS tcp-mss: the SYN left H1 with mss 1460 and reached H2 with mss $mss;" "$TMP/vm.log" ||
	fail "the kernel did not clamp the SYN's MSS to $mss through the xfrm interfaces"
echo "PASS: emitted xfrm scripts work on a real kernel, policy-based and over xfrm interfaces (MSS clamped by nft)"

# The captured ESP, decrypted on the host by an independent implementation
# (tshark) with the keys read from the emitted script: every packet's ICV
# checks and the inner packets are the ICMP echo requests and replies.
if ! command -v tshark >/dev/null; then
	echo "SKIP-PART: no tshark to decrypt the capture"
	exit 0
fi
for p in policy xfrmi; do
[ -f "$TMP/out/$p/wire.pcap" ] || fail "$p: the VM returned no capture"
script=$(ls "$TMP/files/$p"/*.xfrm.sh | head -1)
grep '^xfrm state add ' "$script" >"$TMP/states"
while read -r _x _s _a _src src _dst dst _p proto _spi spi rest; do
	[ "$proto" = esp ] || fail "unexpected proto $proto"
	ek=$(echo "$rest" | sed -n "s/.*enc 'cbc(aes)' \(0x[0-9a-f]*\).*/\1/p")
	ak=$(echo "$rest" | sed -n "s/.*auth-trunc 'hmac(sha256)' \(0x[0-9a-f]*\) 128.*/\1/p")
	[ -n "$ek" ] && [ -n "$ak" ] || fail "the example is expected to use cbc(aes) with hmac(sha256)"
	printf '"IPv4","%s","%s","%s","AES-CBC [RFC3602]","%s","HMAC-SHA-256-128 [RFC4868]","%s"\n' \
		"$src" "$dst" "$spi" "$ek" "$ak"
done <"$TMP/states" >"$TMP/esp_sa"
mkdir -p "$TMP/ws/wireshark"
cp "$TMP/esp_sa" "$TMP/ws/wireshark/esp_sa"
printf 'esp.enable_encryption_decode: TRUE\nesp.enable_authentication_check: TRUE\n' >"$TMP/ws/wireshark/preferences"
XDG_CONFIG_HOME="$TMP/ws" tshark -r "$TMP/out/$p/wire.pcap" -T fields -e esp.icv_good -e icmp.type \
	2>/dev/null >"$TMP/dec"
good=$(awk '$1 == 1 && ($2 == 8 || $2 == 0)' "$TMP/dec" | wc -l)
total=$(wc -l <"$TMP/dec")
[ "$total" -ge 6 ] && [ "$good" -eq "$total" ] ||
	fail "$p: tshark decrypted $good of $total packets with the emitted keys"
echo "PASS: $p: tshark decrypts all $total captured ESP packets with the keys of the emitted scripts (ICV good, ICMP inside)"
done
