#!/bin/sh
# The PIX and ASA readers (issue 11): a hand-written ASA 9.8 head office and
# PIX 6.3 branch in the style `show running-config` prints, read without
# --from; each broken variant gives its finding at the line at fault; the
# import keeps keys out of the .tun; bad input fails located, exit 2.
. "${top_srcdir}/tests/lib.sh"
src="$top_srcdir/tests/import-asa"

lint_pair() {   # lint of $TMP/hq-asa.cfg and $TMP/branch-pix.cfg into $TMP/out.txt
	set +e
	"$TUNC" lint "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" >"$TMP/out.txt" 2>&1
	rc=$?
	set -e
}
fresh() { cp "$src/hq-asa.cfg" "$src/branch-pix.cfg" "$TMP/"; }

# 1. The pair as written: no error; IPsec lines not modelled are noted,
#    unrelated ones (logging, SNMP, fixup) are not.
fresh
lint_pair
[ $rc -le 1 ] || { cat "$TMP/out.txt"; fail "lint of the pair exited $rc"; }
! grep -q 'error:' "$TMP/out.txt" || { cat "$TMP/out.txt"; fail "the sound pair has an error"; }
grep -q 'hq-asa.cfg:55:1: note: an interface access list (access-group) .*\[-Wnot-modelled\]' \
	"$TMP/out.txt" || fail "no note for access-group"
! grep -Eq 'hq-asa.cfg:(47|48|62):|branch-pix.cfg:(10|11|17|32):' "$TMP/out.txt" ||
	fail "a note for a line unrelated to IPsec"
grep -q 'tunnel outside_map-10' "$TMP/out.txt" || fail "the two ends were not paired"

# 2. Broken variants: CODE FILE:LINE:COL of the first error, the edit.
variant() {     # NAME CODE LOCATION FILE SED-SCRIPT
	fresh
	sed -i "$5" "$TMP/$4"
	lint_pair
	[ $rc -eq 1 ] || { cat "$TMP/out.txt"; fail "$1: lint exited $rc, not 1"; }
	grep -q "$3: error: .*\[-W$2\]" "$TMP/out.txt" ||
		{ cat "$TMP/out.txt"; fail "$1: no $2 error at $3"; }
}
variant mirror selector-mirror 'branch-pix.cfg:14:1' branch-pix.cfg \
	's/^\(access-list 101 .* 10.1.0.0\) 255.255.0.0/\1 255.255.255.0/'
variant proposal ipsec-mismatch 'branch-pix.cfg:35:43' branch-pix.cfg \
	's/esp-aes-256 esp-sha-hmac/esp-3des esp-md5-hmac/'
variant pfs-one-side ipsec-mismatch 'branch-pix.cfg:36:12' branch-pix.cfg '/set pfs group5/d'
variant pix-nat-not-exempt nat-not-exempt 'branch-pix.cfg:26:1' branch-pix.cfg \
	'/^nat (inside) 0 access-list nonat/d'
variant asa-nat-not-exempt nat-not-exempt 'hq-asa.cfg:53:2' hq-asa.cfg \
	'/^nat (inside,outside) source static/d'
variant psk psk-mismatch 'branch-pix.cfg:44:12' hq-asa.cfg 's/Key-4711$/Key-4712/'
variant ike ike-mismatch 'branch-pix.cfg:47:1' branch-pix.cfg \
	's/^isakmp policy 10 encryption aes-256/isakmp policy 10 encryption 3des/'
grep -q 'branch-pix.cfg:49:1: note: .*ike branch-pix-ikev1' "$TMP/out.txt" ||
	grep -q 'note: .*hq-asa' "$TMP/out.txt" || fail "ike: no related location"

# 3. import of the NAT variant: a commented .tun whose lint finds the same
#    errors; keys in 0600 files beside it, never in it.
mkdir "$TMP/imp"
"$TUNC" import "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" -o "$TMP/imp/estate.tun"
grep -q 'platform asa 9.8(4);  # .*hq-asa.cfg:6' "$TMP/imp/estate.tun" || fail "no ASA version from 'ASA Version'"
grep -q 'platform pix 6.3(5);' "$TMP/imp/estate.tun" || fail "no PIX version"
grep -q 'exempt 10.1.0.0/16 -> 10.20.0.0/24;  # .*hq-asa.cfg:51' "$TMP/imp/estate.tun" ||
	fail "twice NAT not read as an exemption"
grep -q 'static 10.1.0.80 to 198.51.100.2;' "$TMP/imp/estate.tun" || fail "object static NAT not read"
! grep -q 'Key-47' "$TMP/imp/estate.tun" || fail "a key was written into the .tun"
for k in "$TMP"/imp/*.psk; do
	[ "$(stat -c %a "$k")" = 600 ] || fail "$k is not 0600"
done
set +e
"$TUNC" lint "$TMP/imp/estate.tun" >"$TMP/tun.txt" 2>&1
set -e
a=$(grep -o 'error: .*\[-W[a-z-]*\]' "$TMP/out.txt" | grep -o '\[-W.*' | sort)
b=$(grep -o 'error: .*\[-W[a-z-]*\]' "$TMP/tun.txt" | grep -o '\[-W.*' | sort)
[ -n "$a" ] && [ "$a" = "$b" ] || { cat "$TMP/tun.txt"; fail "lint of the imported .tun: $b, not $a"; }

# 4. Bad input: exit 2, located, nothing written.
bad() {         # NAME FILE-SUFFIX CONTENT EXPECTED-REGEX
	printf "$3" >"$TMP/bad.$2"
	set +e
	"$TUNC" import "$TMP/bad.$2" -o "$TMP/bad.tun" >"$TMP/bad.txt" 2>&1
	rc=$?
	set -e
	[ $rc -eq 2 ] || { cat "$TMP/bad.txt"; fail "$1: exit $rc, not 2"; }
	grep -Eq "$4" "$TMP/bad.txt" || { cat "$TMP/bad.txt"; fail "$1: not $4"; }
	[ ! -e "$TMP/bad.tun" ] || fail "$1: output written"
}
pix='PIX Version 6.3(5)\nnameif ethernet0 outside security0\nip address outside 192.0.2.1 255.255.255.0\n'
asa='ASA Version 9.8(4)\ninterface G1\n nameif outside\n security-level 0\n ip address 192.0.2.1 255.255.255.0\n'
bad pix-truncated cfg "${pix}crypto map M 10 set peer\n" 'bad.cfg:4:1: error: incomplete statement'
bad pix-mask cfg "${pix}ip address inside 10.0.0.1 255.0.255.0\n" 'bad.cfg:4:28: error: .*not a netmask'
bad pix-alg cfg "${pix}crypto ipsec transform-set T esp-aes-512 esp-sha-hmac\n" \
	'bad.cfg:4:30: error: unknown algorithm'
bad pix-nat cfg "${pix}nat inside 1 10.0.0.0 255.0.0.0\n" 'bad.cfg:4:5: error: expected .\(INSIDE,OUTSIDE\)'
bad pix-acl cfg "${pix}crypto map M 10 ipsec-isakmp\ncrypto map M 10 match address NOPE\ncrypto map M 10 set peer 198.51.100.1\ncrypto map M 10 set transform-set T\ncrypto map M interface outside\n" \
	"bad.cfg:5:31: error: access list 'NOPE' is not defined"
bad asa-object cfg "${asa}access-list A extended permit ip object NOPE any\n" \
	"bad.cfg:6:41: error: object 'NOPE' is not defined"
bad asa-tset cfg "${asa}access-list A extended permit ip any any\ncrypto map M 10 match address A\ncrypto map M 10 set peer 198.51.100.1\ncrypto map M 10 set ikev2 ipsec-proposal P\ncrypto map M interface outside\n" \
	"bad.cfg:9:42: error: IPsec proposal 'P' is not defined"
bad asa-alg cfg "${asa}crypto ikev2 policy 10\n encryption aes-1024\n" 'bad.cfg:7:13: error: unknown algorithm'
bad asa-peer cfg "${asa}crypto map M 10 set peer\n" 'bad.cfg:6:1: error: incomplete statement'

# 5. --from forces the reader; a key `show running-config` masks is noted.
printf "${asa}tunnel-group 198.51.100.1 ipsec-attributes\n ikev1 pre-shared-key *****\n" >"$TMP/masked.txt"
set +e
"$TUNC" lint --from asa "$TMP/masked.txt" >"$TMP/masked.out" 2>&1
set -e
grep -q 'masked.txt:7:23: note: a pre-shared key hidden as asterisks' "$TMP/masked.out" ||
	{ cat "$TMP/masked.out"; fail "no note for a masked key"; }
# 6. run, test and graph take the configurations as lint does.
fresh
"$TUNC" run "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" --send '10.20.0.5 -> 10.1.0.9 icmp' >"$TMP/run.txt" 2>&1 ||
	{ cat "$TMP/run.txt"; fail "run of the configurations failed"; }
grep -q 'branch-pix: sent [0-9]*, .*encapsulated 1,' "$TMP/run.txt" || { cat "$TMP/run.txt"; fail "run: not encapsulated"; }
grep -q 'hq-asa: .*decapsulated 1, delivered 1' "$TMP/run.txt" || { cat "$TMP/run.txt"; fail "run: not delivered"; }
"$TUNC" graph "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" >"$TMP/graph.dot" || fail "graph of the configurations failed"
grep -q '"branch-pix"\|branch-pix' "$TMP/graph.dot" && grep -q 'hq-asa' "$TMP/graph.dot" || fail "graph: no gateways"
"$TUNC" test "$TMP/hq-asa.cfg" "$TMP/branch-pix.cfg" >/dev/null || fail "test of the configurations failed"
set +e
"$TUNC" graph "$TMP/hq-asa.cfg" "$top_srcdir/examples/asa-branch/asa-hq.tun" >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "graph of a .tun among configurations: exit $rc, not 2"

# 7. Without -o, keys would land in the current directory: refused, nothing written.
mkdir "$TMP/cwd"
set +e
(cd "$TMP/cwd" && "$TUNC" import "$src/hq-asa.cfg" "$src/branch-pix.cfg" >"$TMP/stdout.txt" 2>"$TMP/stderr.txt")
rc=$?
set -e
[ $rc -eq 2 ] && grep -q 'give -o FILE.tun' "$TMP/stderr.txt" || fail "import without -o and with keys: exit $rc"
[ -z "$(ls "$TMP/cwd")" ] && [ ! -s "$TMP/stdout.txt" ] || fail "import without -o wrote something"
echo "import-asa: ok"
