#!/bin/sh
# A real Linux kernel (Debian's esp4/ah4 in a QEMU TCG guest) receives the
# ESP and AH packets made by the engine's data plane, for every suite the
# kernel has: it must accept and deliver every inner ICMP echo, and count the
# copy with a corrupted ICV as an integrity failure.  All cases run in one
# VM boot (about a minute under TCG).
# Needs qemu-system-x86 and apt-get access to Debian's kernel package the
# first time (tests/vm/vm-setup.sh builds $TUNC_VMDIR, default /tmp/tunc-vm).
# TUNC_NO_VM=1 skips it.
. "$top_srcdir/tests/lib.sh"
[ -z "${TUNC_NO_VM:-}" ] || skip "TUNC_NO_VM is set"
command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
command -v bash >/dev/null 2>&1 || skip "bash not found"
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
[ "$n" -ge 10 ] || fail "expected at least 10 kernel cases, got $n"

rc=0
bash "$VM/vm-run.sh" -f "$TMP/files" "$VM/kernel-esp-rx.sh" > "$TMP/vm.out" 2>&1 || rc=$?
cat "$TMP/vm.out"
[ "$rc" -ne 125 ] || skip "the VM gave no result (timeout or boot failure; see $VMDIR/last-console.log)"
pass=$(grep -c '^PASS ' "$TMP/vm.out" || true)
[ "$rc" -eq 0 ] || fail "the kernel did not behave as expected (exit $rc)"
[ "$pass" -eq "$n" ] || fail "expected $n PASS lines, got $pass"
echo "kernel: $pass ESP/AH suites accepted and delivered, corrupted copies rejected"
