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
# its SYN-ACK come back clamped (tcpdump on both hosts' links).  Where the
# image has charon (vm-setup.sh copies the host's), two more pairs keyed by
# IKE: charon with kernel-netlink negotiates tunc's swanctl.conf and the
# VM kernel carries the ESP, policy-based and over xfrm interfaces.
# SKIPs visibly when qemu or the VM image (tests/vm/vm-setup.sh) is missing.
. "$top_srcdir/tests/lib.sh"
[ -z "${TUNC_NO_VM:-}" ] || skip "TUNC_NO_VM is set"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
VMDIR=${VMDIR:-/tmp/tunc-vm}; export VMDIR
# An image from before nft was in it (tests/vm/vm-setup.sh writes
# image-version) is rebuilt: the MSS clamping below needs nft; so is one
# without charon when this host has charon to copy in.
host_charon=no
[ -x /usr/lib/ipsec/charon ] && command -v swanctl >/dev/null && host_charon=yes
if [ ! -f "$VMDIR/base.cpio.gz" ] || ! grep -q nft "$VMDIR/image-version" 2>/dev/null ||
   { [ $host_charon = yes ] && ! grep -q charon "$VMDIR/image-version"; }; then
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
# Keyed by IKE: charon (kernel-netlink, the VM kernel's ESP) negotiates
# tunc's swanctl.conf, policy-based (examples/linux-ikev2/site-to-site.tun)
# and over xfrm interfaces (linux-xfrmi.tun without `keying manual;`: the
# CHILD_SA carries if_id_in/if_id_out); the scripts make the interfaces,
# routes and the MSS clamp.
pairs=2
if grep -q charon "$VMDIR/image-version" 2>/dev/null; then
	pairs=4
	mkdir -p "$TMP/files/charon" "$TMP/files/charon-xfrmi"
	(cd "$top_srcdir/examples/linux-ikev2" && "$TUNC" compile site-to-site.tun -o "$TMP/charon-out") >/dev/null ||
		fail "compile of examples/linux-ikev2/site-to-site.tun failed"
	sed '/keying manual;/d' "$TMP/linux-xfrmi.tun" >"$TMP/linux-ike.tun"
	(cd "$TMP" && "$TUNC" compile linux-ike.tun -o "$TMP/charon-xfrmi-out") >/dev/null ||
		fail "compile of linux-xfrmi.tun keyed by IKE failed"
	for p in charon charon-xfrmi; do
		cp "$TMP/$p-out"/*.xfrm.sh "$TMP/$p-out"/*.swanctl.conf "$TMP/files/$p/"
		[ "$(ls "$TMP/files/$p"/*.swanctl.conf | wc -l)" -eq 2 ] || fail "$p: expected two swanctl.conf"
	done
else
	echo "SKIP-PART: the VM image has no charon (this host has none to copy in: apt-get install strongswan-charon strongswan-swanctl libstrongswan-standard-plugins)"
fi
rc=0
bash "$top_srcdir/tests/vm/vm-run.sh" -f "$TMP/files" -o "$TMP/out" "$top_srcdir/tests/vm/xfrm-pairs.sh" >"$TMP/vm.log" 2>&1 || rc=$?
cat "$TMP/vm.log"
[ "$rc" -ne 125 ] || skip "the VM produced no result (see $VMDIR/last-console.log)"
[ "$rc" -eq 0 ] || fail "the emitted scripts did not carry the ping over ESP (exit $rc)"
[ "$(grep -c '^PASS the link carries only ESP' "$TMP/vm.log")" -eq $pairs ] || fail "no ESP verdict for all $pairs pairs"
[ "$(grep -c '^PASS xfrm interface ipsec1 of G[12]: ' "$TMP/vm.log")" -eq $pairs ] ||
	fail "the ping did not go through the xfrm interfaces of every route-based pair"
if [ $pairs -eq 4 ]; then
	[ "$(grep -c '^PASS charon in G1 initiated CHILD_SA hq-branch: CHILD_SA hq-branch{[0-9]*} established' "$TMP/vm.log")" -eq 2 ] ||
		fail "charon did not establish both CHILD_SAs in the kernel"
	grep -q 'established with SPIs .* and TS 0.0.0.0/0 === 0.0.0.0/0' "$TMP/vm.log" ||
		fail "the route-based CHILD_SA is not any to any"
	grep -q 'established with SPIs .* and TS 192.168.1.0/24 === 192.168.2.0/24' "$TMP/vm.log" ||
		fail "the policy-based CHILD_SA is not the model's selector pair"
	echo "PASS: charon negotiates tunc's swanctl.conf with the VM kernel's ESP (kernel-netlink), policy-based and over xfrm interfaces"
fi
mss=$(sed -n 's/.*tcp option maxseg size set \([0-9]*\) .*/\1/p' "$TMP/files/xfrmi/rtr-a.xfrm.sh" | head -1)
[ -n "$mss" ] || fail "the route-based scripts clamp no MSS (linux-xfrmi.tun has tcp-mss auto)"
[ "$(grep -c "^PASS tcp-mss: the SYN left H1 with mss 1460 and reached H2 with mss $mss;" "$TMP/vm.log")" -eq $((pairs / 2)) ] ||
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
