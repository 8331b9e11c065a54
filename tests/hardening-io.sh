#!/bin/sh
# Bounded input and careful output (issue 15): an include bomb, FIFOs and
# devices as include or key file are refused at once with their location;
# key files outside the policy's directory or behind links are refused
# unless trusted with --allow-key-path; -o onto a device, FIFO or link
# never replaces it; an inline key is printed in no format.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/seed003-ios-hq-branch"
[ -f "$ex/hq-branch.tun" ] || skip "examples not present"
mkdir "$TMP/pol" "$TMP/elsewhere"
cp "$ex/hq-branch.tun" "$ex/hq-branch.psk" "$TMP/pol/"
chmod 600 "$TMP/pol/hq-branch.psk"
cd "$TMP"
F=pol/hq-branch.tun
grep -q 'psk file "hq-branch.psk"' $F || fail "the example no longer has 'psk file'"

# A command that must end within 10 s with STATUS and print EXPECT.
t() {
	want=$1 expect=$2
	shift 2
	rc=0
	timeout ${LIMIT:-10} "$TUNC" "$@" > out.txt 2>&1 || rc=$?
	[ $rc -ne 124 ] || fail "tunc $*: still running after ${LIMIT:-10} s"
	[ $rc -eq "$want" ] || { cat out.txt; fail "tunc $*: exit $rc, want $want"; }
	[ -z "$expect" ] || grep -qF -- "$expect" out.txt ||
		{ cat out.txt; fail "tunc $*: no '$expect'"; }
}

# Include bomb: 31 files, each including the next twice (2^31 reads).
mkdir bomb
i=0
while [ $i -lt 31 ]; do
	printf 'include "f%d.tun";\ninclude "f%d.tun";\n' $((i + 1)) $((i + 1)) > bomb/f$i.tun
	i=$((i + 1))
done
: > bomb/f31.tun
# Before the budget it read for hours; natively now well under a second
# (the bound allows for sanitizers on a loaded machine).
start=$(date +%s%N)
LIMIT=60 t 2 "bomb/f29.tun:2:9: error: cannot read 'bomb/f30.tun': more than 10000 files" lint bomb/f0.tun
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "include bomb refused in $ms ms"
[ $ms -lt 30000 ] || fail "include bomb took $ms ms"

# FIFOs and devices as configuration, include and key file.
mkfifo pol/fifo.tun pol/fifo.psk
printf 'include "fifo.tun";\n' > pol/inc-fifo.tun
printf 'include "/dev/zero";\n' > pol/inc-zero.tun
t 2 "pol/inc-fifo.tun:1:9: error: cannot read 'pol/fifo.tun': it is a FIFO" lint pol/inc-fifo.tun
t 2 "pol/inc-zero.tun:1:9: error: cannot read '/dev/zero': it is a character device" \
	lint pol/inc-zero.tun
t 2 "cannot read 'pol/fifo.tun': it is a FIFO" lint pol/fifo.tun
sed 's|psk file "hq-branch.psk"|psk file "fifo.psk"|' $F > pol/key-fifo.tun
t 2 "cannot read 'pol/fifo.psk': not a regular file" compile pol/key-fifo.tun -o o1
t 2 "cannot read 'pol/fifo.psk': not a regular file" run pol/key-fifo.tun --send "pc1 -> srv1"

# Key files: absolute paths elsewhere and symbolic links are refused.
cp pol/hq-branch.psk elsewhere/k.psk
sed "s|psk file \"hq-branch.psk\"|psk file \"$TMP/elsewhere/k.psk\"|" $F > pol/key-abs.tun
sed 's|psk file "hq-branch.psk"|psk file "../elsewhere/k.psk"|' $F > pol/key-up.tun
ln -s hq-branch.psk pol/link.psk
sed 's|psk file "hq-branch.psk"|psk file "link.psk"|' $F > pol/key-link.tun
t 2 "is outside the policy's directory" compile pol/key-abs.tun -o o2
t 2 "is outside the policy's directory" compile pol/key-up.tun -o o2
t 2 "'pol/link.psk' is a symbolic link" compile pol/key-link.tun -o o2
[ ! -e o2 ] || fail "a refused key file still wrote o2"
t 0 "o3/rtr-a.ios.cfg" compile --allow-key-path elsewhere pol/key-abs.tun -o o3
t 0 "o4/rtr-a.ios.cfg" compile pol/key-link.tun --allow-key-path=pol -o o4
grep "isakmp key" o3/rtr-a.ios.cfg > k3; grep "isakmp key" o4/rtr-a.ios.cfg > k4
cmp k3 k4 || { cat k3 k4; fail "a trusted key path read another key"; }

# Outputs that are not regular files are written in place, never replaced.
mkfifo report.fifo
cat report.fifo > fifo.txt &
t 0 "" lint $F -o report.fifo
wait
[ -p report.fifo ] || fail "lint -o FIFO replaced the FIFO"
grep -q "hq-branch.tun" fifo.txt || fail "lint -o FIFO: nothing read from the FIFO"
echo old > real.txt
ln -s real.txt link.txt
t 0 "" lint $F -o link.txt
[ -L link.txt ] || fail "lint -o LINK replaced the symbolic link"
grep -q "hq-branch.tun" real.txt || fail "lint -o LINK did not write the link's target"
ln -s nowhere dangling.txt
t 2 "cannot write 'dangling.txt'" graph $F -o dangling.txt
[ -L dangling.txt ] && [ ! -e nowhere ] || fail "graph -o DANGLING changed the link"
if [ "$(id -u)" = 0 ] && mknod null.dev c 1 3 2>/dev/null; then
	t 0 "" lint $F -o null.dev
	[ -c null.dev ] || fail "lint -o DEV turned the device into a regular file"
	t 0 "" graph $F -o null.dev
	[ -c null.dev ] || fail "graph -o DEV turned the device into a regular file"
	t 0 "" run $F --send "pc1 -> srv1" --keylog null.dev
	[ -c null.dev ] || fail "--keylog DEV turned the device into a regular file"
else
	echo "SKIP: mknod needs root: the character-device case is not run"
fi
if [ -c /dev/full ]; then
	t 2 "cannot write /dev/full: No space left on device" \
		run $F --send "pc1 -> srv1" --keylog /dev/full
fi

# --pcap DIR: created with its parents; after a write error no capture.
t 0 "" run $F --send "pc1 -> srv1" --pcap caps/a/b
ls caps/a/b/*.pcap > /dev/null || fail "--pcap DIR wrote no capture"
[ -z "$(find caps -name '*.tmp*')" ] || fail "--pcap left temporary files"

# An inline key is printed in no format, whatever the finding.
key='Zq8vLr2Xk9PwM4tY7nB3cQ6'
sed "s|psk file \"hq-branch.psk\"|psk \"$key\"|" $F > pol/inline.tun
sed "s|psk file \"hq-branch.psk\";|psk \"$key\" oops;|" $F > pol/inline-bad.tun
grep -q "$key" pol/inline.tun || fail "no inline key in the test policy"
for fmt in text json sarif junit; do
	for f in inline inline-bad; do
		"$TUNC" lint pol/$f.tun --format $fmt > lint.out 2>&1 || true
		grep -q 'psk "\*\*\*\|psk &quot;\*\*\*\|inline-secret\|syntax' lint.out ||
			fail "lint --format $fmt $f: no finding at the key's line"
		# No 4-character piece of the key appears.
		i=1
		while [ $i -le $((${#key} - 3)) ]; do
			piece=$(printf '%s' "$key" | cut -c$i-$((i + 3)))
			! grep -qF -- "$piece" lint.out || fail "lint --format $fmt $f printed '$piece' of the key"
			i=$((i + 1))
		done
	done
done
echo "PASS: bounded input, careful output, no key printed"
