#!/bin/sh
# `tunc import -o FILE.tun` writes the .tun and its key files as one set
# (doc/files-and-keys.md, "Import: one set"): each under a temporary name,
# one sync pass, then renamed into place; on a failure nothing is written
# and no temporary file is left; a link is followed; a stale temporary
# file of a killed run is removed.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/import-ios-strongswan"
cd "$TMP"
cfgs="$ex/rtr-a.cfg $ex/fw-b.swanctl.conf"

# leftovers DIR: the temporary files a run left there.
leftovers() { find "$1" -name '.*.tunc-tmp-*' | head -1; }

# 1. The set: the .tun 0644, its keys 0600, nothing else; DIR is created.
"$TUNC" import $cfgs -o new/dir/pair.tun
[ "$(ls new/dir | wc -l)" -eq 3 ] || { ls -la new/dir; fail "not the .tun and its two keys"; }
[ "$(stat -c %a new/dir/pair.tun)" = 644 ] || fail "the .tun is not 0644"
for k in new/dir/*.psk; do
	[ "$(stat -c %a "$k")" = 600 ] || fail "$k is not 0600"
done
[ -z "$(leftovers new)" ] || fail "a temporary file is left: $(leftovers new)"

# One sync pass for the set, not one fsync per file.
if command -v strace >/dev/null 2>&1; then
	# (LeakSanitizer cannot run under ptrace: off for this run of a
	# sanitizer build.)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -c -e trace=fsync,fdatasync,syncfs -o trace.txt "$TUNC" import $cfgs -o st/pair.tun
	syncs=$(awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' trace.txt)
	grep -q ' syncfs$' trace.txt || { cat trace.txt; fail "no syncfs"; }
	[ "$syncs" -le 2 ] || { cat trace.txt; fail "$syncs fsyncs for a set of 3 files"; }
else
	echo "SKIP: strace is not installed: the number of syncs is not counted"
fi

# 2. A key file's name taken by a directory: refused before anything is
#    written; the old .tun stays as it was, no temporary file is left.
mkdir busy && echo "old" >busy/pair.tun
mkdir busy/lan-lan.rtr-a.psk
set +e
"$TUNC" import $cfgs -o busy/pair.tun >out.txt 2>&1
rc=$?
set -e
[ $rc -eq 2 ] || { cat out.txt; fail "a directory in the way: exit $rc, not 2"; }
grep -q "cannot write '.*busy/lan-lan.rtr-a.psk': Is a directory" out.txt || { cat out.txt; fail "no clear error"; }
[ "$(cat busy/pair.tun)" = old ] || fail "the old .tun was replaced"
[ ! -e busy/lan-lan.fw-b.psk ] || fail "a key was written although the set failed"
[ -z "$(leftovers busy)" ] || fail "a temporary file is left: $(leftovers busy)"

# 3. A directory that cannot be written: nothing written, exit 2.
if [ "$(id -u)" != 0 ]; then
	mkdir ro && chmod 555 ro
	set +e
	"$TUNC" import $cfgs -o ro/pair.tun >out.txt 2>&1
	rc=$?
	set -e
	[ $rc -eq 2 ] && [ -z "$(ls ro)" ] || { cat out.txt; fail "a read-only directory: exit $rc"; }
fi

# 4. A link is followed: the .tun it leads to is replaced and its keys lie
#    beside that .tun, which names them relative to itself.
mkdir real && echo "old" >real/pair.tun && ln -s real/pair.tun link.tun
"$TUNC" import $cfgs -o link.tun
[ -L link.tun ] || fail "the link was replaced"
grep -q '^# Imported by tunc from:' real/pair.tun || fail "the .tun the link leads to was not written"
[ -f real/lan-lan.rtr-a.psk ] && [ ! -e lan-lan.rtr-a.psk ] || fail "the keys are not beside the .tun"

# 5. A killed run's temporary key file (its process gone) is removed; a
#    live one's is not.
mkdir stale
printf 'secret\n' >stale/.lan-lan.rtr-a.psk.tunc-tmp-999999999-abcdef
printf 'secret\n' >stale/.lan-lan.rtr-a.psk.tunc-tmp-$$-abcdef
"$TUNC" import $cfgs -o stale/pair.tun
[ ! -e stale/.lan-lan.rtr-a.psk.tunc-tmp-999999999-abcdef ] || fail "a stale temporary file is kept"
[ -e stale/.lan-lan.rtr-a.psk.tunc-tmp-$$-abcdef ] || fail "a live run's temporary file was removed"

# 6. Without keys, /dev/null takes the .tun in place and stays a device.
printf 'hostname r\ninterface Gi0/0\n ip address 192.0.2.1 255.255.255.0\n' >nokey.cfg
if [ -w /dev/null ]; then
	"$TUNC" import --from ios nokey.cfg -o /dev/null
	[ -c /dev/null ] || fail "/dev/null is no longer a device"
fi
echo "PASS: import writes its .tun and keys as one set"
