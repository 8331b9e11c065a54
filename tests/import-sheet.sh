#!/bin/sh
# The peer sheet reader (issue 11): tunc's PEER.peer.txt read back as the
# `peer` it describes, with its platform, so that a compiled estate with a
# cloud or partner peer round-trips: for each platform's vocabulary (AWS,
# Azure, Google Cloud, strongSwan's joined proposals, tunc's own names) the
# sheet and the router's configuration are written again as they were; lint
# of the configurations gives the cloud checks, located in the sheet; the
# key is the router's, never read from or written under the sheet's name;
# bad input located, exit 2, nothing written.
. "${top_srcdir}/tests/lib.sh"

# Every line of a written file but comments and the "  (FILE:LINE)" ends.
body() {
	grep -v -E '^[[:space:]]*(!|#)' "$1" | sed -E 's/  \([^()]*:[0-9]+\)$//' || true
}

# 1. One router, one peer per platform: compile, import the router's
#    configuration and the sheet, compile again: the same files.
cat >"$TMP/base.tun" <<'EOF'
ike p1 { version 2; encryption aes256, aes128; integrity sha256, sha1; group 14, 19; lifetime 8h; }
ipsec p2 { protocol esp; encryption ENC; integrity INTEG; pfs 14; lifetime 1h 102400K; }
site hq {
    subnet 10.1.0.0/16;
    gateway rtr {
        platform ios 15.4;
        interface Gi0/0 { address 198.51.100.2/24; outside; }
        interface Gi0/1 { address 10.1.0.1/16; }
        route default via 198.51.100.1;
    }
}
peer far { address 203.0.113.10; subnet 172.31.0.0/16; PLATFORM }
tunnel t1 { between rtr and far; ike p1; ipsec p2; psk file "t1.psk"; dpd 10s; nat-traversal on; }
EOF
printf 'Sup3rSecretKey_99\n' >"$TMP/t1.psk"
chmod 600 "$TMP/t1.psk"
n=0
for row in "aws|platform aws;|aes256, aes128|sha256" "azure|platform azure;|aes256-gcm|none" \
	   "gcp|platform gcp;|aes256, aes128|sha256, sha1" "linux 6|platform linux;|aes256-gcm, aes128-gcm|none" \
	   "pix 6.3|platform pix 6.3;|aes256|sha1" "||aes128|sha256"; do
	want=${row%%|*}; rest=${row#*|}; plat=${rest%%|*}; rest=${rest#*|}
	enc=${rest%%|*}; integ=${rest#*|}
	n=$((n + 1))
	d="$TMP/v$n"
	mkdir -p "$d/back"
	sed "s/PLATFORM/$plat/; s/ENC/$enc/; s/INTEG/$integ/" "$TMP/base.tun" >"$d/x.tun"
	cp "$TMP/t1.psk" "$d/"
	"$TUNC" compile "$d/x.tun" -t ios -t peer-sheet --force -o "$d/out" >/dev/null 2>&1 ||
		fail "[$plat] the example does not compile"
	[ -f "$d/out/far.peer.txt" ] || fail "[$plat] no sheet written"
	"$TUNC" import "$d/out/far.peer.txt" "$d/out/rtr.ios.cfg" -o "$d/back/e.tun" 2>"$d/err" ||
		{ cat "$d/err"; fail "[$plat] import of the router and the sheet failed"; }
	if [ -n "$want" ]; then
		grep -q "^    platform $want;  # .*far.peer.txt:2$" "$d/back/e.tun" ||
			{ cat "$d/back/e.tun"; fail "[$plat] the peer has not its platform $want"; }
	else
		! grep -q "platform generic" "$d/back/e.tun" || fail "a generic peer got a platform"
	fi
	grep -q '^    nat-traversal on;  # .*far.peer.txt' "$d/back/e.tun" ||
		fail "[$plat] the sheet's NAT traversal is not the tunnel's"
	grep -q '^        dpd 10s;  # .*far.peer.txt' "$d/back/e.tun" || fail "[$plat] the sheet's DPD is lost"
	# The key is the router's, written as the tunnel's: never into the .tun.
	grep -q '^    psk file "t1.psk";  # .*rtr.ios.cfg' "$d/back/e.tun" || fail "[$plat] the key is not the tunnel's"
	! grep -q Sup3rSecretKey "$d/back/e.tun" || fail "[$plat] the key was written into the .tun"
	[ "$(cat "$d/back/t1.psk")" = Sup3rSecretKey_99 ] || fail "[$plat] t1.psk does not hold the router's key"
	"$TUNC" compile "$d/back/e.tun" -t ios -t peer-sheet --force -o "$d/back/out" >/dev/null 2>&1 ||
		fail "[$plat] the imported .tun does not compile"
	for f in far.peer.txt rtr.ios.cfg; do
		body "$d/out/$f" >"$d/was"
		body "$d/back/out/$f" >"$d/now"
		cmp -s "$d/was" "$d/now" || { diff "$d/was" "$d/now"; fail "[$plat] $f differs after the round trip"; }
	done
done
# The vocabularies were the partners' own words (mapped back, not copied).
grep -q 'Phase 1 integrity          SHA2-256, SHA1' "$TMP/v1/out/far.peer.txt" || fail "no AWS names in the AWS sheet"
grep -q 'PFS                        PFS2048' "$TMP/v2/out/far.peer.txt" || fail "no Azure names in the Azure sheet"
grep -q 'HMAC-SHA2-256-128' "$TMP/v3/out/far.peer.txt" || fail "no Google names in the GCP sheet"
grep -q 'Phase 2 proposals          aes256gcm16-modp2048, aes128gcm16-modp2048' "$TMP/v4/out/far.peer.txt" ||
	fail "no strongSwan proposal strings in the Linux sheet"
grep -q 'encryption aes256-gcm, aes128-gcm;  # .*far.peer.txt' "$TMP/v4/back/e.tun" ||
	fail "the joined ESP proposals are not read back"

# An algorithm the partner's platform does not list is written in tunc's
# name "(not in ...'s list)" (the emitter's put_name): read back too.
sed "s/^\(  Phase 1 encryption  *\)AES256, AES128/\1AES256, aes192 (not in AWS Site-to-Site VPN's list)/" \
	"$TMP/v1/out/far.peer.txt" >"$TMP/v1/odd.peer.txt"
"$TUNC" import "$TMP/v1/odd.peer.txt" "$TMP/v1/out/rtr.ios.cfg" -o "$TMP/v1/odd.tun" 2>"$TMP/v1/odd.err" ||
	{ cat "$TMP/v1/odd.err"; fail "a name not in the platform's list is not read"; }
grep -q 'encryption aes256, aes192;  # .*odd.peer.txt' "$TMP/v1/odd.tun" || fail "aes192 (not in AWS's list) is not aes192"

# 2. Lint of the configurations: the cloud checks come from the sheet's
#    platform, as for the .tun (second-tunnel, one-sa-pair).
"$TUNC" compile "$top_srcdir/examples/ios-aws/two-pairs.tun" -t ios -t peer-sheet --force \
	-o "$TMP/aws" >/dev/null 2>&1 || true
set +e
(cd "$TMP/aws" && "$TUNC" lint aws-t1.peer.txt rtr.ios.cfg) >"$TMP/aws.txt" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || { cat "$TMP/aws.txt"; fail "lint of two-pairs' configurations exited $rc, not 1"; }
grep -q '^rtr.ios.cfg:[0-9]*:[0-9]*: error: .*aws-t1 (AWS Site-to-Site VPN) takes one SA pair .*\[-Wone-sa-pair\]' \
	"$TMP/aws.txt" || { cat "$TMP/aws.txt"; fail "no one-sa-pair"; }
grep -q '^aws-t1.peer.txt:[0-9]*:[0-9]*: .*\[-Wsecond-tunnel\]' "$TMP/aws.txt" ||
	{ cat "$TMP/aws.txt"; fail "no second-tunnel located in the sheet"; }
# Without the sheet the far end is generic, and neither check can arise.
set +e
(cd "$TMP/aws" && "$TUNC" lint rtr.ios.cfg) >"$TMP/noaws.txt" 2>&1
set -e
! grep -q -e one-sa-pair -e second-tunnel "$TMP/noaws.txt" || fail "a cloud check without the sheet"

# A sheet whose peer no tunnel names: a note, and no peer without an address.
{ head -n 4 "$TMP/aws/aws-t1.peer.txt"; printf '\n# No tunnel names this peer.\n'; } >"$TMP/lonely.peer.txt"
(cd "$TMP/aws" && "$TUNC" lint "$TMP/lonely.peer.txt" rtr.ios.cfg) >"$TMP/lonely.txt" 2>&1 || true
grep -q 'lonely.peer.txt:2:8: note: a peer that no tunnel names .*\[-Wnot-modelled\]' "$TMP/lonely.txt" ||
	{ cat "$TMP/lonely.txt"; fail "no note for a sheet that names no tunnel"; }
! grep -q 'error:' "$TMP/lonely.txt" || { cat "$TMP/lonely.txt"; fail "an error for a sheet that names no tunnel"; }

# 2b. A peer's IOS configuration (tunc's `! Peer NAME` header: its crypto
#     map is bound only in a comment) and its sheet are one peer: its
#     entries are its ends, at the IKEv2 profile's local identity, with the
#     configuration's proposals (doc/import.md, "tunc's peer sheet").
tour="$TMP/tour"
"$TUNC" compile "$top_srcdir/examples/language-tour.tun" -t ios -t peer-sheet -o "$tour" >/dev/null 2>&1
(cd "$tour" && "$TUNC" import partner-gw.ios.cfg partner-gw.peer.txt rtr-hq.ios.cfg -o p.tun) ||
	fail "import of the partner's configuration, its sheet and rtr-hq"
[ "$(grep -c '^peer "partner-gw' "$tour/p.tun")" = 1 ] && grep -q '^peer "partner-gw" {' "$tour/p.tun" ||
	{ cat "$tour/p.tun"; fail "the partner's configuration and sheet are not one peer partner-gw"; }
sed -n '/^peer "partner-gw"/,/^}/p' "$tour/p.tun" >"$tour/peer.txt"
grep -q 'platform ios 15;' "$tour/peer.txt" && grep -q 'address 192.0.2.50;' "$tour/peer.txt" ||
	{ cat "$tour/peer.txt"; fail "peer partner-gw lacks its platform or address"; }
sed -n '/^    "partner-gw" {/,/^    }/p' "$tour/p.tun" >"$tour/end.txt"
grep -q 'ike "partner-v2";  # partner-gw.ios.cfg:' "$tour/end.txt" &&
	grep -q 'local-endpoint 192.0.2.50;  # partner-gw.ios.cfg:' "$tour/end.txt" &&
	grep -q 'ipsec "aes256-gcm[-0-9]*";  # partner-gw.ios.cfg:' "$tour/end.txt" ||
	{ cat "$tour/p.tun"; fail "partner-gw's end is not its configuration's crypto map entry"; }
! grep -q -e peer-ike -e peer-ipsec "$tour/p.tun" || fail "the sheet's proposals were kept beside the configuration's"
set +e
(cd "$tour" && "$TUNC" lint partner-gw.ios.cfg partner-gw.peer.txt rtr-hq.ios.cfg) >"$tour/lint.txt" 2>&1
set -e
! grep -q -e '\[-Wunused\]' -e 'on no interface' -e peer-sheet-differs "$tour/lint.txt" ||
	{ cat "$tour/lint.txt"; fail "the partner's crypto map is still unused or on no interface"; }
# A sheet that says otherwise than the configuration: a warning at the
# sheet's line, the configuration's as the related location.
sed 's/^\(  Phase 1 DH groups  *\)group 19/\1group 20/' "$tour/partner-gw.peer.txt" >"$tour/odd.peer.txt"
set +e
(cd "$tour" && "$TUNC" lint partner-gw.ios.cfg odd.peer.txt rtr-hq.ios.cfg) >"$tour/odd.txt" 2>&1
set -e
grep -q "^odd.peer.txt:9:[0-9]*: warning: partner-gw's peer sheet and its configuration differ in tunnel hq-partner's IKE proposal.*\[-Wpeer-sheet-differs\]" "$tour/odd.txt" &&
	grep -q "^partner-gw.ios.cfg:5:[0-9]*: note: partner-gw's configuration" "$tour/odd.txt" ||
	{ cat "$tour/odd.txt"; fail "a sheet that differs from the configuration is not reported"; }
# An IKEv1 peer's configuration names no address of its own (no IKEv2
# identity): without its sheet, its end takes the address rtr-hq's entry
# with the mirrored selectors sets as its peer.
sed -e '/^tunnel hq-partner/,/^}/{s/ike v2-offers;/ike v1-strong;/;s/ike partner-v2;/ike v1-strong;/}' \
	"$top_srcdir/examples/language-tour.tun" >"$tour/v1.tun"
cp -r "$top_srcdir/examples/tour" "$tour/tour"
"$TUNC" compile "$tour/v1.tun" -t ios -o "$tour/v1" >/dev/null 2>&1
(cd "$tour/v1" && "$TUNC" import partner-gw.ios.cfg rtr-hq.ios.cfg -o v1.tun) ||
	fail "import of an IKEv1 peer's configuration without its sheet"
sed -n '/^peer "partner-gw"/,/^}/p' "$tour/v1/v1.tun" | grep -q 'address 192.0.2.50;  # rtr-hq.ios.cfg:' ||
	{ cat "$tour/v1/v1.tun"; fail "the IKEv1 peer's address is not rtr-hq's set peer"; }
# A hand-written configuration whose crypto map is bound to no interface:
# still a located note, no end.
sed -e '/^! Peer /d' -e '/^! Generated by tunc/d' "$tour/partner-gw.ios.cfg" >"$tour/hand.cfg"
set +e
(cd "$tour" && "$TUNC" lint hand.cfg rtr-hq.ios.cfg) >"$tour/hand.txt" 2>&1
set -e
grep -q '^hand.cfg:[0-9]*:[0-9]*: note: a crypto map entry on no interface .*\[-Wnot-modelled\]' "$tour/hand.txt" ||
	{ cat "$tour/hand.txt"; fail "an unbound crypto map in a hand-written configuration is not noted"; }

# 3. Bad input: exit 2, located, nothing written.
sheet="$TMP/aws/aws-t1.peer.txt"
bad() {     # NAME FILE EXPECTED-REGEX [ARGS...]
	name=$1 file=$2 want=$3
	shift 3
	set +e
	"$TUNC" import "$@" "$file" "$TMP/aws/rtr.ios.cfg" -o "$TMP/bad.tun" >"$TMP/bad.txt" 2>&1
	rc=$?
	set -e
	[ $rc -eq 2 ] || { cat "$TMP/bad.txt"; fail "$name: exit $rc, not 2"; }
	grep -Eq "$want" "$TMP/bad.txt" || { cat "$TMP/bad.txt"; fail "$name: no $want"; }
	[ ! -e "$TMP/bad.tun" ] || fail "$name: output written"
}
line_of() { grep -n "$1" "$sheet" | head -1 | cut -d: -f1; }
# Cut short in the middle of its tunnel section.
head -n "$(line_of 'Phase 2 lifetime')" "$sheet" >"$TMP/short.peer.txt"
bad truncated "$TMP/short.peer.txt" \
	"short.peer.txt:$(line_of '^# tunnel'):1: error: the section of tunnel 'vpc-t1' has no 'Traffic selectors' line"
# A word that is no name of AWS's (nor tunc's).
sed 's/SHA2-256/SHA2-999/' "$sheet" >"$TMP/word.peer.txt"
bad unknown-word "$TMP/word.peer.txt" \
	"word.peer.txt:$(line_of 'Phase 1 integrity'):30: error: not an IKE integrity name of AWS .*'SHA2-999'"
sed 's/^  Local endpoint             203.0.113.10/  Local endpoint             203.0.113.300/' "$sheet" >"$TMP/addr.peer.txt"
bad address "$TMP/addr.peer.txt" \
	"addr.peer.txt:$(line_of 'Local endpoint'):30: error: not an IP address: '203.0.113.300'"
# Whole proposals on one line where the platform's names go a column a line
# (found by fuzz_import_sheet: the reader took a joining string AWS has not).
sed 's/^  Phase 1 encryption         AES256/  IKE proposals              AES256/' "$sheet" >"$TMP/joined.peer.txt"
bad joined "$TMP/joined.peer.txt" \
	"joined.peer.txt:$(line_of 'Phase 1 encryption'):30: error: whole proposals on one line"
sed 's/^  NAT traversal  /  NAT travesral  /' "$sheet" >"$TMP/key.peer.txt"
bad parameter "$TMP/key.peer.txt" \
	"key.peer.txt:$(line_of 'NAT traversal'):3: error: 'NAT travesral' is not a parameter"
sed 's/(AWS Site-to-Site VPN)/(AWS Site-to-Site VPN 2)/' "$sheet" >"$TMP/plat.peer.txt"
bad platform "$TMP/plat.peer.txt" "plat.peer.txt:2:1: error: expected '# Peer NAME \(PLATFORM\)"
{ head -n 1 "$sheet"; printf 'vpn-tunnel 1 up\n'; } >"$TMP/line.peer.txt"
bad foreign-line "$TMP/line.peer.txt" "line.peer.txt:2:1: error: not a line of tunc's peer sheet" --from sheet
# Binary: a NUL byte, and bytes that are no text with --from sheet.
{ head -n 3 "$sheet"; printf '\0\001\002\n'; } >"$TMP/nul.peer.txt"
bad binary "$TMP/nul.peer.txt" 'nul.peer.txt:4:1: error: NUL byte'
printf '\377\376\201\n\220\221' >"$TMP/bytes.peer.txt"
bad bytes "$TMP/bytes.peer.txt" "bytes.peer.txt:1:1: error: not a line of tunc's peer sheet" --from sheet
# Forced onto an IOS configuration: no sheet header.
set +e
"$TUNC" import --from sheet "$TMP/aws/rtr.ios.cfg" >"$TMP/bad.txt" 2>&1
rc=$?
set -e
[ $rc -eq 2 ] && grep -q "rtr.ios.cfg:1:1: error: .*no '# Peer NAME" "$TMP/bad.txt" ||
	{ cat "$TMP/bad.txt"; fail "--from sheet on an IOS configuration"; }
# A sheet alone: its far end is the gateway, whose configuration is missing.
set +e
"$TUNC" lint "$sheet" >"$TMP/bad.txt" 2>&1
rc=$?
set -e
[ $rc -eq 2 ] && grep -q "aws-t1.peer.txt:$(line_of '^# tunnel'):10: error: tunnel 'vpc-t1' of aws-t1's peer sheet pairs with no configuration" \
	"$TMP/bad.txt" || { cat "$TMP/bad.txt"; fail "a sheet alone"; }
echo "import-sheet: ok"
