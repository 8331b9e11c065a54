#!/bin/sh
# The ipsec.conf reader (issue 11): strongSwan and Libreswan files with
# their secrets, sides settled by identity or by the other host's file,
# %default and also=, the findings each kind of difference gives, the
# keys never shown, and bad input.
. "${top_srcdir}/tests/lib.sh"
d="$top_srcdir/tests/import-conf/ipsecconf"
cp "$d"/* "$TMP/"
cd "$TMP"

lint() {        # OUT FILE... : lint, its exit status in $rc
	out=$1
	shift
	set +e
	"$TUNC" lint "$@" >"$out" 2>&1
	rc=$?
	set -e
}
findings() {    # the check names in FILE, without the notes of every import
	grep -o '\[-W[a-z-]*\]' "$1" | grep -v -e inline-secret -e not-modelled \
		-e gateway-own-traffic -e psk-file-mode | sort | uniq
}

# 1. A strongSwan host and a Libreswan host (keys in the ipsec.secrets
#    beside each): they agree, and the keys are never shown.
lint clean.txt east.ipsec.conf west.ipsec.conf
[ $rc -eq 0 ] || { cat clean.txt; fail "the agreeing pair exited $rc"; }
[ -z "$(findings clean.txt)" ] || { cat clean.txt; fail "findings on the agreeing pair"; }
grep -q 'east.ipsec.secrets:2:33: warning: .*\[-Winline-secret\]' clean.txt || fail "no inline-secret at the key in east.ipsec.secrets"
! grep -q 'n0t-a-real-key' clean.txt || fail "lint printed a key"
grep -q "east.ipsec.conf:18:2: note: dpddelay .*\[-Wnot-modelled\]" clean.txt || fail "no note for dpddelay"

# 2. import: the .tun pairs them, keys in 0600 files, never in the .tun.
mkdir imp
"$TUNC" import east.ipsec.conf west.ipsec.conf -o imp/pair.tun
grep -q 'between "east" and "west";  # east.ipsec.conf:11' imp/pair.tun || { cat imp/pair.tun; fail "the conns did not pair"; }
grep -q 'version 1;  # east.ipsec.conf:6' imp/pair.tun || fail "keyexchange=ikev1 from %default not read"
grep -q 'version 1;  # west.ipsec.conf:12' imp/pair.tun || fail "Libreswan ikev2=no not read as IKEv1"
grep -q 'pfs 14;  # west.ipsec.conf:14' imp/pair.tun || fail "the PFS group of phase2alg= not read"
grep -q 'lifetime 3600s;  # west.ipsec.conf:16' imp/pair.tun || fail "salifetime not read"
! grep -rq 'n0t-a-real-key' imp/pair.tun || fail "a key was written into the .tun"
[ "$(stat -c %a imp/east-west.east.psk)" = 600 ] || fail "key file is not 0600"
lint clean2.txt imp/pair.tun
[ $rc -eq 0 ] && [ -z "$(findings clean2.txt)" ] || { cat clean2.txt; fail "lint of the imported pair"; }

# 3. The same file on both hosts: the later file takes the other side.
mkdir same
for h in a b; do
	cp east.ipsec.conf same/$h.ipsec.conf
	cp east.ipsec.secrets same/$h.ipsec.secrets
done
"$TUNC" import same/a.ipsec.conf same/b.ipsec.conf -o same/x.tun
grep -q 'between "a" and "b"' same/x.tun || { cat same/x.tun; fail "one file on both hosts did not pair"; }
grep -A3 '^    "b" {' same/x.tun | grep -q 'local 10.20.0.0/16;  # same/b.ipsec.conf:15' \
	|| { cat same/x.tun; fail "b did not take the right side"; }

# 4. %default, also= templates, Libreswan aes_gcm and dhN, leftid=@hub
#    naming the side, a secret per peer, a road warrior left out with a note.
lint hub.txt hub.ipsec.conf br1.ipsec.conf
[ $rc -eq 0 ] && [ -z "$(findings hub.txt)" ] || { cat hub.txt; fail "hub and br1 should agree"; }
grep -q 'hub.ipsec.conf:39:2: note: right=%any .*\[-Wnot-modelled\]' hub.txt || fail "no note for the road warrior"
"$TUNC" import hub.ipsec.conf br1.ipsec.conf -o imp/hub.tun
grep -q 'tunnel "to-br1"' imp/hub.tun && grep -q 'tunnel "to-br2"' imp/hub.tun || fail "also= conns not read"
! grep -q 'branch-common\|roadwarrior' imp/hub.tun || fail "a template or road warrior became a tunnel"
grep -q 'peer "peer-198-51-100-12"' imp/hub.tun || fail "br2 (not among the files) is not a peer"
grep -q 'remote 10.12.0.0/24, 10.13.0.0/24;' imp/hub.tun || fail "a rightsubnet list not read"
[ "$(cat imp/to-br2.hub.psk)" = br2-not-a-real-key-0x2 ] || fail "br2's key is not the one naming br2"
# A secrets file given on the command line, after its ipsec.conf.
mkdir cl
cp br1.ipsec.conf cl/
sed 's/0x1/0x9/' br1.ipsec.secrets >cl/keys.txt
lint cl.txt hub.ipsec.conf cl/br1.ipsec.conf cl/keys.txt
grep -q 'cl/keys.txt:1:27: error: .*\[-Wpsk-mismatch\]' cl.txt || { cat cl.txt; fail "the key given on the command line was not used"; }

# 5. Each difference between the ends gives its finding, located in the files.
variant() {     # NAME EDIT... : apply the sed edits (FILE:EXPR) to copies and lint
	name=$1
	shift
	rm -rf v && mkdir v && cp east.* west.* v/
	for e in "$@"; do
		sed -i "${e#*:}" "v/${e%%:*}"
	done
	lint "$name.txt" v/east.ipsec.conf v/west.ipsec.conf
}
variant mirror 'west.ipsec.conf:s|leftsubnet=10.20.0.0/16|leftsubnet=10.20.0.0/24|'
# A Linux end negotiates through strongSwan, whose IKEv1 responder narrows
# the proxy IDs (ike-behaviour.md): a warning, not an error.
[ $rc -eq 0 ] || fail "mirror: exit $rc"
grep -q 'v/west.ipsec.conf:8:2: warning: .*narrows the IKEv1 proxy identities.*\[-Wselector-mirror\]' mirror.txt || { cat mirror.txt; fail "no selector-mirror at leftsubnet"; }
grep -q "v/east.ipsec.conf:15:2: note: east's selectors" mirror.txt || fail "no related location in east's file"
variant proposal 'west.ipsec.conf:s|^\tike=.*|\tike=aes128-sha1;modp2048|'
grep -q 'v/west.ipsec.conf:13:6: error: .*\[-Wike-mismatch\]' proposal.txt || { cat proposal.txt; fail "no ike-mismatch"; }
variant pfs 'west.ipsec.conf:s|^\tphase2alg=.*|\tphase2alg=aes256-sha2_256\n\tpfs=no|'
grep -q 'v/west.ipsec.conf:15:2: error: .*PFS group differs .*\[-Wipsec-mismatch\]' pfs.txt || { cat pfs.txt; fail "no PFS mismatch"; }
variant weak 'east.ipsec.conf:s|^\tesp=.*|\tesp=3des-md5-modp1024|' 'west.ipsec.conf:s|^\tphase2alg=.*|\tphase2alg=3des-md5;modp1024|'
for w in weak-cipher weak-integrity weak-dh-group; do
	grep -q "v/east.ipsec.conf:17:[0-9]*: warning: .*\[-W$w\]" weak.txt || { cat weak.txt; fail "no $w"; }
done
variant psk 'west.ipsec.secrets:s|east-west"|east-wesT"|'
grep -q 'v/west.ipsec.secrets:1:33: error: .*\[-Wpsk-mismatch\]' psk.txt || { cat psk.txt; fail "no psk-mismatch"; }
! grep -q 'n0t-a-real' psk.txt || fail "a key was shown"
# The imported .tun gives the same finding.
"$TUNC" import v/east.ipsec.conf v/west.ipsec.conf -o v/x.tun
lint psk2.txt v/x.tun
[ "$(findings psk.txt)" = "$(findings psk2.txt)" ] || { cat psk2.txt; fail "the imported .tun lints differently"; }

# 6. Bad input: exit 2 with the location, nothing written.
bad() {         # NAME FILE EXPECTED-REGEX [ARGS...]
	name=$1 file=$2 want=$3
	shift 3
	set +e
	"$TUNC" import "$@" "$file" -o "$TMP/bad.tun" >"$TMP/bad.txt" 2>&1
	rc=$?
	set -e
	[ $rc -eq 2 ] || { cat "$TMP/bad.txt"; fail "$name: exit $rc, not 2"; }
	grep -Eq "$want" "$TMP/bad.txt" || { cat "$TMP/bad.txt"; fail "$name: no $want"; }
	[ ! -e "$TMP/bad.tun" ] || fail "$name: output written"
}
printf 'conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tesp="aes128\n' >trunc.conf
bad truncated trunc.conf 'trunc.conf:4:6: error: the quote is not closed'
printf 'conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tike=aes999-sha1\n' >alg.conf
bad algorithm alg.conf 'alg.conf:4:6: error: unknown algorithm .aes999.'
printf 'conn a\n\talso=nosuch\n\tleft=192.0.2.1\n\tright=192.0.2.2\n' >also.conf
bad also also.conf 'also.conf:2:7: error: also=nosuch names no conn'
printf 'conn a\n\talso=b\n\tleft=192.0.2.1\n\tright=192.0.2.2\nconn b\n\talso=a\n' >loop.conf
bad loop loop.conf 'loop.conf:1:6: error: conn a includes itself'
printf 'conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\nfoo bar\n' >section.conf
bad section section.conf "section.conf:4:1: error: expected 'config setup'"
printf 'conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tkeyexchange=ikev3\n' >kx.conf
bad keyexchange kx.conf 'kx.conf:4:14: error: keyexchange=ikev3'
printf 'conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\0\0' >bin.conf
bad binary bin.conf 'bin.conf:4:1: error: NUL byte' --from ipsecconf
printf 'conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tlifetime=soon\n' >life.conf
bad lifetime life.conf "life.conf:4:11: error: 'soon' is not a lifetime"
printf 'conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\n' >k.conf
printf '192.0.2.1 192.0.2.2 : PSK "unterminated\n' >k.secrets
bad secrets-quote k.conf 'k.secrets:1:27: error: the key.s quote is not closed'
printf 'conn a\n\tleft=192.0.2.1\n\tright=192.0.2.2\ninclude nosuch.conf\n' >inc.conf
bad include inc.conf "inc.conf:4:9: error: cannot read '.*nosuch.conf'"
bad secrets-first east.ipsec.conf 'is an ipsec.secrets file: give it after' east.ipsec.secrets
# left=%defaultroute: west's own side, at the address east's file knows it
# by; alone, the conn is left out with a note.
rm -rf dr && mkdir dr && cp east.* west.* dr/
sed -i 's/^\tleft=198.51.100.20$/\tleft=%defaultroute/' dr/west.ipsec.conf
lint dr.txt dr/east.ipsec.conf dr/west.ipsec.conf
[ $rc -eq 0 ] && [ -z "$(findings dr.txt)" ] || { cat dr.txt; fail "left=%defaultroute: findings or exit $rc"; }
"$TUNC" import dr/east.ipsec.conf dr/west.ipsec.conf -o dr/pair.tun
grep -q 'local-endpoint 198.51.100.20;  # .*west.ipsec.conf:7' dr/pair.tun ||
	{ cat dr/pair.tun; fail "%defaultroute did not take the address east knows west by"; }
lint dr1.txt dr/west.ipsec.conf
grep -q "west.ipsec.conf:7:7: note: %defaultroute .*no other file names this host's address.*\[-Wnot-modelled\]" dr1.txt ||
	{ cat dr1.txt; fail "no note for %defaultroute alone"; }
echo "import-ipsecconf: ok"
