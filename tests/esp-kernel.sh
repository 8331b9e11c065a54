#!/bin/sh
# A real Linux kernel (Debian's esp4/ah4 in a QEMU TCG guest) receives the
# engine's ESP and AH packets with the same SAs: it must accept and deliver
# every inner ICMP echo, and count the copy with a corrupted ICV as an
# integrity failure.  Two sources of packets:
#  - tests/tools/esp_pcap: the engine's ESP/AH library for every suite the
#    kernel has (SAs and keys chosen by the tool);
#  - the captures `tunc run --send ... --count 4 --pcap DIR --keylog FILE`
#    writes for examples (manual keys, IKE-simulated SAs; AES-CBC, 3DES and
#    NULL encryption): the sending gateway's outside link, its ESP toward the
#    far endpoint; the SA's keys from the keylog (Wireshark's algorithm
#    names mapped back to the kernel's by tests/tools/capture_case.py); the
#    fourth packet, its ICV corrupted, is the bad copy.
# All cases run in one VM boot (about a minute under TCG), each in fresh
# network namespaces (tests/vm/kernel-esp-rx.sh).
# Needs qemu-system-x86, python3, and apt-get access to Debian's kernel
# package the first time (tests/vm/vm-setup.sh builds $TUNC_VMDIR, default
# /tmp/tunc-vm).  TUNC_NO_VM=1 skips it.
. "$top_srcdir/tests/lib.sh"
[ -z "${TUNC_NO_VM:-}" ] || skip "TUNC_NO_VM is set"
command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
command -v bash >/dev/null 2>&1 || skip "bash not found"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
TOOL=${top_builddir:-.}/tests/tools/esp_pcap
[ -x "$TOOL" ] || fail "$TOOL not built"
VMDIR=${TUNC_VMDIR:-/tmp/tunc-vm}; export VMDIR
VM=$top_srcdir/tests/vm

if [ ! -f "$VMDIR/base.cpio.gz" ] || [ ! -f "$VMDIR/vmlinuz" ]; then
	bash "$VM/vm-setup.sh" > "$TMP/setup.log" 2>&1 ||
		skip "could not build the VM image (Debian kernel package via apt-get): $(tail -1 "$TMP/setup.log")"
fi

mkdir "$TMP/all" "$TMP/files"
"$TOOL" "$TMP/all" || fail "esp_pcap failed"
n=0
for x in "$TMP"/all/*.xfrm; do
	c=$(basename "$x" .xfrm)
	cp "$x" "$TMP/all/$c.n" "$TMP/all/$c.pcap" "$TMP/all/$c-bad.pcap" "$TMP/files/"
	n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "expected at least 10 kernel cases from esp_pcap, got $n"

# CASE EXAMPLE SEND CAPTURE RECEIVER SRC_NET DST_NET DST_HOST: run the
# example, keep CAPTURE's ESP toward RECEIVER (the far endpoint); the
# receiving kernel's policies cover SRC_NET -> DST_NET and it owns DST_HOST.
from_run() {
	out=$TMP/run-$1
	"$TUNC" run "$top_srcdir/examples/$2" --send "$3" --count 4 \
		--pcap "$out" --keylog "$out.keys" --seed 1 > "$out.trace" 2>&1 ||
		{ cat "$out.trace"; fail "$1: tunc run failed"; }
	grep -q '^  verdict: protected by' "$out.trace" || { cat "$out.trace"; fail "$1: not protected"; }
	python3 "$top_srcdir/tests/tools/capture_case.py" "$out/$4" "$out.keys" "$5" "$6" "$7" "$8" \
		"$TMP/files" "$1" || fail "$1: no kernel case from $4"
	n=$((n + 1))
}
from_run run-hq-branch-linux hq-branch-linux/hq-branch.tun 'pc1 -> srv1 icmp' \
	rtr-a-eth0.pcap 203.0.113.1 192.168.1.0/24 192.168.2.0/24 192.168.2.10
from_run run-seed003-ios seed003-ios-hq-branch/hq-branch.tun 'pc1 -> srv1 icmp' \
	rtr-a-GigabitEthernet0_0.pcap 203.0.113.1 192.168.1.0/24 192.168.2.0/24 192.168.2.10
from_run run-seed000-null-sha1 seed000-isa-pix-null/null-sha1.tun 'client -> server icmp' \
	pix-fw-ethernet0.pcap 198.51.100.1 10.0.2.0/24 10.0.1.0/24 10.0.1.10
from_run run-seed000-3des-sha1 seed000-isa-pix-null/3des-sha1.tun 'client -> server icmp' \
	pix-fw-ethernet0.pcap 198.51.100.1 10.0.2.0/24 10.0.1.0/24 10.0.1.10

rc=0
bash "$VM/vm-run.sh" -f "$TMP/files" "$VM/kernel-esp-rx.sh" > "$TMP/vm.out" 2>&1 || rc=$?
cat "$TMP/vm.out"
[ "$rc" -ne 125 ] || skip "the VM gave no result (timeout or boot failure; see $VMDIR/last-console.log)"
pass=$(grep -c '^PASS ' "$TMP/vm.out" || true)
[ "$rc" -eq 0 ] || fail "the kernel did not behave as expected (exit $rc)"
[ "$pass" -eq "$n" ] || fail "expected $n PASS lines, got $pass"
echo "kernel: $pass cases (ESP/AH suites, tunc run captures) accepted and delivered, corrupted copies rejected"
