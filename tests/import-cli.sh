#!/bin/sh
# Issue 11's done-when on examples/import-ios-strongswan (an IOS router and
# a strongSwan box whose selectors do not mirror): `tunc lint` of the two
# configurations reports the mismatch at the IOS ACL line, with the source
# line and a caret, and swanctl.conf's remote_ts as the related location,
# with its line and caret; `tunc import` of the pair writes a .tun whose
# lint gives the same finding, located at the statements whose comments
# name the same two lines.  Then `--from FORMAT` on run, test and graph.
. "${top_srcdir}/tests/lib.sh"
ex="$top_srcdir/examples/import-ios-strongswan"
cp "$ex/rtr-a.cfg" "$ex/fw-b.swanctl.conf" "$TMP/"
cd "$TMP"

lint() {        # OUT FILE... : NO_COLOR text lint; its exit status in $rc
	out=$1
	shift
	rc=0
	NO_COLOR=1 "$TUNC" lint "$@" >"$out" 2>&1 || rc=$?
}
# after OUT LINE N TEXT: the N-th line after the first line equal to LINE is TEXT.
after() {
	got=$(awk -v l="$2" -v n="$3" 'f && ++k == n { print; exit } $0 == l { f = 1 }' "$1")
	[ "$got" = "$4" ] || { cat "$1"; fail "line $3 after '$2': '$got', want '$4'"; }
}

# 1. lint of the configurations: the error, its line and caret, the
#    related location in the other file with its line and caret.
lint cfg.txt rtr-a.cfg fw-b.swanctl.conf
[ $rc -eq 1 ] || { cat cfg.txt; fail "lint of the pair exited $rc, not 1"; }
[ "$(grep -c '\[-Wselector-mirror\]' cfg.txt)" -eq 1 ] || { cat cfg.txt; fail "not one selector-mirror"; }
err=$(grep '\[-Wselector-mirror\]' cfg.txt)
case $err in
"rtr-a.cfg:38:2: error: fw-b protects 10.2.0.0/16 -> 10.1.0.0/24 in tunnel lan-lan, but rtr-a has no mirror"*) ;;
*) fail "selector-mirror is not at the IOS ACL line: $err" ;;
esac
after cfg.txt "$err" 1 '   38 |  permit ip 10.1.0.0 0.0.0.255 10.2.0.0 0.0.0.255'
after cfg.txt "$err" 2 '      |  ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~'
after cfg.txt "$err" 3 "fw-b.swanctl.conf:17:17: note: fw-b's selectors for lan-lan are configured here"
after cfg.txt "$err" 4 '   17 |                 remote_ts = 10.1.0.0/24'
after cfg.txt "$err" 5 '      |                 ^~~~~~~~~~~~~~~~~~~~~~~'

# 2. import of the pair: lint of the .tun gives the same finding, at the
#    statements that came from the same two lines.
mkdir imp
"$TUNC" import rtr-a.cfg fw-b.swanctl.conf -o imp/pair.tun || fail "import of the pair failed"
lint tun.txt imp/pair.tun
[ $rc -eq 1 ] || { cat tun.txt; fail "lint of the imported .tun exited $rc, not 1"; }
[ "$(grep -c '\[-Wselector-mirror\]' tun.txt)" -eq 1 ] || { cat tun.txt; fail "not one selector-mirror in the .tun"; }
terr=$(grep '\[-Wselector-mirror\]' tun.txt)
[ "${terr#*: error: }" = "${err#*: error: }" ] || fail "the .tun's finding differs: $terr"
line=$(echo "$terr" | cut -d: -f2)
sed -n "${line}p" imp/pair.tun | grep -q '# rtr-a.cfg:38$' || fail "the .tun's error is not at the statement from rtr-a.cfg:38"
rel=$(awk -v l="$terr" 'f && ++k == 3 { print; exit } $0 == l { f = 1 }' tun.txt)
case $rel in
"imp/pair.tun:"*": note: fw-b's selectors for lan-lan are configured here") ;;
*) fail "no related location in the .tun: $rel" ;;
esac
rline=$(echo "$rel" | cut -d: -f2)
sed -n "${rline}p" imp/pair.tun | grep -q '# fw-b.swanctl.conf:17$' ||
	fail "the related location is not the statement from fw-b.swanctl.conf:17"

# 3. --from FORMAT on run, test and graph: the files are read as FORMAT
#    whatever their names or content say.  rtr-a.cfg named .tun is a
#    policy without --from (a syntax error) and an IOS configuration with it.
cp rtr-a.cfg rtr-a.tun
for cmd in "graph" "test" "run --send 10.1.0.5->10.2.0.9"; do
	set -- $cmd
	rc=0
	"$TUNC" "$@" rtr-a.tun >plain.out 2>&1 || rc=$?
	[ $rc -eq 2 ] || { cat plain.out; fail "tunc $1 of rtr-a.tun as a .tun exited $rc, not 2"; }
	rc=0
	"$TUNC" "$@" --from ios rtr-a.tun >from.out 2>&1 || rc=$?
	[ $rc -le 1 ] || { cat from.out; fail "tunc $1 --from ios rtr-a.tun exited $rc"; }
	# A swanctl.conf forced to be an ipsec.conf is a located syntax error.
	rc=0
	"$TUNC" "$@" --from ipsecconf fw-b.swanctl.conf >bad.out 2>&1 || rc=$?
	[ $rc -eq 2 ] || { cat bad.out; fail "tunc $1 --from ipsecconf of a swanctl.conf exited $rc, not 2"; }
	grep -q "^fw-b.swanctl.conf:2:1: error: expected 'config setup'" bad.out ||
		{ cat bad.out; fail "tunc $1 --from ipsecconf: no error at fw-b.swanctl.conf:2:1"; }
done
grep -q 'rtr-a' from.out || { cat from.out; fail "run --from ios: rtr-a not in the trace"; }
"$TUNC" graph --from=ios rtr-a.tun | grep -q '"rtr-a"' || fail "graph --from=ios: no rtr-a node"
# The readers' own diagnostics are in the registry: explained, named in
# SARIF's rules, and refused by -Wno- as the front end's are (they are
# reported before any check runs), not "unknown check".
for n in not-modelled peer-sheet-differs; do
	"$TUNC" explain "$n" | grep -q "cannot be disabled" || fail "tunc explain $n"
	rc=0
	"$TUNC" lint "-Wno-$n" rtr-a.cfg fw-b.swanctl.conf >wno.out 2>&1 || rc=$?
	[ $rc -eq 2 ] && grep -q "'$n' reports what reading the configurations found: it cannot be disabled" wno.out ||
		{ cat wno.out; fail "-Wno-$n: exit $rc"; }
done
"$TUNC" lint --format sarif rtr-a.cfg fw-b.swanctl.conf | grep -q '"id": "not-modelled"' ||
	fail "SARIF names no not-modelled rule"
echo "import-cli: ok"
