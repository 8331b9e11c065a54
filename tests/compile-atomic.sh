#!/bin/sh
# Compile is all or nothing (issue 15): after SIGINT or SIGKILL at several
# points, and on a full filesystem, the output directory holds the previous
# set or the complete new one, never a mixture; no key is left in a stray
# file; what a SIGKILL leaves is a 0700 temporary directory that the next
# run removes.
. "$top_srcdir/tests/lib.sh"
gen="$top_srcdir/tests/scale/gen-hub.py"
command -v python3 > /dev/null || skip "python3 is needed to generate the hub"
cd "$TMP"
old_key='Old-Key-5f2a9c7e1b3d8f4a6c0e2b7d'
new_key='New-Key-8e1c4a7f2d9b3e6a0c5f1d8b'

# A hub with N spokes keyed with KEY, in DIR.
hub() {
	mkdir -p "$1"
	python3 "$gen" "$2" -o "$1/hub.tun"
	printf '%s\n' "$3" > "$1/hub.psk"
	chmod 600 "$1/hub.psk"
}
# The state of directory $1: every file's name and contents.
state() {
	(cd "$1" && find . -type f | sort | xargs -r sha256sum)
}

hub old 400 "$old_key"
hub new 400 "$new_key"
"$TUNC" compile old/hub.tun -o ref-old > /dev/null || fail "cannot compile the old set"
"$TUNC" compile new/hub.tun -o ref-new > /dev/null || fail "cannot compile the new set"
state ref-old > old.state
state ref-new > new.state
[ "$(wc -l < old.state)" -gt 400 ] || fail "the old set is too small"
! cmp -s old.state new.state || fail "the old and new sets are the same"

# No file outside the sets and the key files holds the new key, except
# (after SIGKILL) the temporary directory, which must be private.
no_stray_key() {
	for f in $(grep -rlF -- "$new_key" . | grep -v '^\./ref-new/\|^\./new/\|^\./out/'); do
		case $f in
		./.out.tunc-tmp-*/*)
			d=${f%/*}
			[ "$(stat -c %a "$d")" = 700 ] || fail "$1: $d is mode $(stat -c %a "$d")"
			[ "$(stat -c %a "$f")" = 600 ] || fail "$1: $f holds a key, mode $(stat -c %a "$f")";;
		*) fail "$1: a stray file holds the key: $f";;
		esac
	done
}

sigs="INT KILL"
default_int="env --default-signal=INT"
if ! env --default-signal=INT true 2>/dev/null; then
	echo "SKIP: the SIGINT cases: env --default-signal is missing (coreutils < 8.31)"
	sigs=KILL
	default_int=
fi
for sig in $sigs; do
	for delay in 0.02 0.1 0.3 0.6 1.2; do
		rm -rf out
		cp -a ref-old out
		# A background job of sh ignores SIGINT: give tunc the default.
		$default_int "$TUNC" compile new/hub.tun -o out > /dev/null 2>&1 &
		pid=$!
		sleep $delay
		kill -$sig $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		state out > now.state
		if cmp -s now.state old.state; then
			echo "SIG$sig after ${delay}s: the previous set"
		elif cmp -s now.state new.state; then
			echo "SIG$sig after ${delay}s: the new set"
		else
			diff old.state now.state | head -5
			fail "SIG$sig after ${delay}s: a mixture of the sets"
		fi
		no_stray_key "SIG$sig after ${delay}s"
		if [ $sig = INT ] && ls -d .out.tunc-tmp-* > /dev/null 2>&1; then
			fail "SIGINT after ${delay}s left a temporary directory"
		fi
	done
done
# The next run removes what the killed ones left, and completes the set.
"$TUNC" compile new/hub.tun -o out > /dev/null || fail "compile after the kills failed"
state out | cmp -s - new.state || fail "compile after the kills: not the new set"
! ls -d .out.tunc-tmp-* > /dev/null 2>&1 || fail "the next run left a temporary directory"

# Files of the directory that the set does not replace are kept.
echo mine > out/README
"$TUNC" compile old/hub.tun -o out > /dev/null || fail "compile over a set failed"
[ "$(cat out/README)" = mine ] || fail "compile dropped a file it does not write"

# A full filesystem: a small tmpfs in a private mount namespace.
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	echo "SKIP: full filesystem case: needs root and unshare -m"
	exit 0
fi
hub old-s 100 "$old_key"
hub new-s 100 "$new_key"
mkdir small
cat > full.sh <<'EOS'
set -eu
mount -t tmpfs -o size=1m tmpfs small || exit 77
"$TUNC" compile old-s/hub.tun -o small/out > /dev/null || { echo "old set does not fit"; exit 1; }
(cd small/out && find . -type f | sort | xargs sha256sum) > old-s.state
rc=0
"$TUNC" compile new-s/hub.tun -o small/out > full.out 2>&1 || rc=$?
[ $rc = 2 ] || { cat full.out; echo "full filesystem: exit $rc, want 2"; exit 1; }
grep -q "No space left on device" full.out || { cat full.out; echo "no reason given"; exit 1; }
grep -q "small/out" full.out || { cat full.out; echo "the path is not named"; exit 1; }
(cd small/out && find . -type f | sort | xargs sha256sum) | cmp -s - old-s.state ||
	{ echo "full filesystem: the previous set was changed"; exit 1; }
! ls -a small | grep -q tunc-tmp || { ls -a small; echo "a temporary directory was left"; exit 1; }
! grep -rqF -- "$NEW_KEY" small || { echo "the new key is left on the filesystem"; exit 1; }
EOS
rc=0
NEW_KEY=$new_key TUNC=$TUNC unshare -m sh full.sh || rc=$?
[ $rc != 77 ] || { echo "SKIP: full filesystem case: cannot mount a tmpfs"; exit 0; }
[ $rc = 0 ] || fail "full filesystem case"
echo "PASS: compile is all or nothing"
