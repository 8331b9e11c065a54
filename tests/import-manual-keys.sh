#!/bin/sh
# SAs keyed by hand survive `tunc import` (issue 11; doc/files-and-keys.md,
# "SAs given by hand"): the imported key file gives the SAs themselves
# (tunc-manual-sa v1), and compile and run of the imported .tun use those
# SPIs and keys, not new ones derived from a key.
#
# (a) compile -> import -> compile gives the very `ip xfrm state` lines,
#     keys included, and the same scripts;
# (b) `tunc run` of the imported .tun installs those SAs (its keylog holds
#     the scripts' states) and decrypts both ways (ICV ok);
# (c) an IOS ipsec-manual entry and a script across formats: the
#     recompiled router holds the same `set session-key` lines;
# (d) bad material: lint reports manual-key-material at the psk statement
#     (exit 1), compile refuses with exit 2 even under --force, no key
#     shown; an SPI given twice at one gateway; a given key of zeros is
#     manual-key-entropy.
. "$top_srcdir/tests/lib.sh"
ex="$top_srcdir/examples/hq-branch-linux"
cd "$TMP"


# ---- (a) the same states, keys included ----
"$TUNC" compile "$ex/hq-branch.tun" -t xfrm -t swanctl -o out >/dev/null 2>&1 ||
	fail "compile of the example failed"
mkdir imp
"$TUNC" import out/* -o imp/x.tun
for k in imp/*.psk; do
	[ "$(stat -c %a "$k")" = 600 ] || fail "$k is not mode 0600"
	[ "$(head -n 1 "$k")" = "tunc-manual-sa v1" ] || fail "$k does not give the SAs"
done
! grep -q -i -E '[0-9a-f]{32}' imp/x.tun || fail "a key was written into the .tun"
"$TUNC" compile imp/x.tun -t xfrm -t swanctl -o back >/dev/null 2>&1 ||
	fail "compile of the imported .tun failed"
for f in rtr-a.xfrm.sh rtr-b.xfrm.sh; do
	a=$(grep 'xfrm state add' "out/$f") b=$(grep 'xfrm state add' "back/$f")
	[ -n "$a" ] && [ "$a" = "$b" ] || fail "$f: the states differ after the round trip"
	grep -v '^ *#' "out/$f" >a.txt
	grep -v '^ *#' "back/$f" >b.txt
	cmp -s a.txt b.txt || { diff a.txt b.txt; fail "$f differs after the round trip"; }
done
grep -q '^# Manually keyed SAs .*SPIs and keys as the tunnel.s key file gives them' back/rtr-a.xfrm.sh ||
	fail "the script does not say its SAs are the key file's"

# ---- (b) run decrypts with the imported keys ----
"$TUNC" run imp/x.tun --send '192.168.1.10 -> 192.168.2.10' --keylog keys >run.txt ||
	fail "run of the imported .tun failed"
grep -q 'manual keys (no negotiation): .*as given in rtr-a.s key file' run.txt ||
	fail "the trace does not say the SAs are the key file's"
[ "$(grep -c 'DECAP .*ICV ok' run.txt)" -eq 2 ] || { cat run.txt; fail "not decrypted both ways"; }
grep -q '^round trip: protected by hq-branch' run.txt || fail "no protected round trip"
xfrm_states out/rtr-a.xfrm.sh out/rtr-b.xfrm.sh >st.txt
keylog_states keys >kl.txt
[ "$(wc -l <st.txt)" -eq 2 ] && cmp -s st.txt kl.txt ||
	fail "the engine's SAs are not the scripts':
$(cat st.txt)
--
$(cat kl.txt)"

# One end's key file gives another key for the same SA: the packet is
# dropped at decapsulation, and the hint says the given SAs differ (not
# that SPIs come from the names: these SPIs are the key files').
cp imp/hq-branch.rtr-b.psk rtr-b.good
awk 'NR == 2 { for (i = 1; i < NF; i++) if ($i == "enc") $(i + 1) = (substr($(i + 1), 1, 1) == "0" ? "1" : "0") substr($(i + 1), 2) } { print }' \
	rtr-b.good >imp/hq-branch.rtr-b.psk
cmp -s rtr-b.good imp/hq-branch.rtr-b.psk && fail "the key was not changed"
"$TUNC" run imp/x.tun --send '192.168.1.10 -> 192.168.2.10' >diff.txt 2>&1 || true
grep -q 'DECAP .*tunnel hq-branch is keyed by hand and the SAs the key files of rtr-a and rtr-b give differ in their keys' diff.txt ||
	{ cat diff.txt; fail "no hint that the given SAs differ"; }
! grep -q 'come from the names' diff.txt || fail "the hint says the given SPIs come from the names"
cp rtr-b.good imp/hq-branch.rtr-b.psk

# ---- (c) across formats: IOS ipsec-manual and a script ----
mkdir ios ios/imp
cp "$top_srcdir/tests/import-xfrm/west.sh" "$top_srcdir/tests/import-xfrm/east-ios.cfg" ios/
"$TUNC" import ios/west.sh ios/east-ios.cfg -o ios/imp/e.tun
"$TUNC" compile ios/imp/e.tun -o ios/out >/dev/null 2>&1 || fail "compile of the IOS pair failed"
a=$(grep 'set session-key' ios/east-ios.cfg | sed 's/^ *//')
b=$(grep 'set session-key' ios/out/east.ios.cfg | sed 's/^ *//')
[ -n "$a" ] && [ "$a" = "$b" ] || fail "the session keys differ after the round trip:
$a
--
$b"
# west.sh is written by hand (continued lines, `auth sha256`): its SPIs
# and keys, whatever the layout.
material() { grep -o -i -E 'spi 0x[0-9a-f]+|0x[0-9a-f]{32,}' "$1" | tr 'A-F' 'a-f' | sort -u; }
a=$(material ios/west.sh) b=$(material ios/out/west.xfrm.sh)
[ "$(echo "$a" | wc -l)" -eq 6 ] && [ "$a" = "$b" ] || fail "west's SAs differ after the round trip"

# ---- (d) bad material ----
key=imp/hq-branch.rtr-a.psk
cp "$key" good.psk
secret=$(sed -n 2p good.psk | awk '{print $8}')
refuse() {      # WHAT PATTERN: lint finds it, compile exits 2, no key shown
	set +e
	"$TUNC" lint imp/x.tun >lint.txt 2>&1
	lrc=$?
	"$TUNC" compile imp/x.tun -o bad >comp.txt 2>&1
	crc=$?
	"$TUNC" compile --force imp/x.tun -o bad >force.txt 2>&1
	frc=$?
	set -e
	[ $lrc -eq 1 ] || { cat lint.txt; fail "$1: lint exited $lrc, not 1"; }
	grep -q "x.tun:[0-9]*:[0-9]*: error: the key of tunnel hq-branch for rtr-a (file \"hq-branch.rtr-a.psk\") gives its SAs keyed by hand, wrongly: $2.*\[-Wmanual-key-material\]" lint.txt ||
		{ cat lint.txt; fail "$1: no manual-key-material finding"; }
	[ $crc -eq 2 ] && [ $frc -eq 2 ] || fail "$1: compile exited $crc (--force $frc), not 2"
	[ ! -e bad ] || fail "$1: compile wrote files"
	! grep -q -i "$secret" lint.txt comp.txt force.txt || fail "$1: a key was shown"
}
sed "2s/ enc \([0-9a-f]*\)[0-9a-f]\{8\} / enc \1 /" good.psk >"$key"
refuse short 'the SA from rtr-a to rtr-b has an encryption key of 12 bytes: aes128 takes 16'
sed "2s/ spi 0x[0-9a-f]* / spi 0x00000042 /" good.psk >"$key"
refuse reserved 'line 2: SPI 66 is reserved'
sed "2s/from rtr-a to rtr-b/from rtr-a to rtr-c/" good.psk >"$key"
refuse names "line 2: an SA that is not between rtr-a and rtr-b"
sed "3d" good.psk >"$key"
refuse missing "no SA from rtr-b to rtr-a"
sed "2s/ enc \([0-9a-f]*\) / enc \1zz /" good.psk >"$key"
refuse hex 'line 2: the enc key is not hex bytes'
cp good.psk "$key"

# An SPI given twice at one gateway: a second spoke's SAs copy the first's.
sed -n '/^tunnel "hq-branch"/,/^}/p' imp/x.tun |
	sed -e 's/"hq-branch"/"hq-branch2"/' -e 's/hq-branch\.rtr-/hq-branch2.rtr-/' >t2.txt
cat t2.txt >>imp/x.tun
for g in a b; do cp "imp/hq-branch.rtr-$g.psk" "imp/hq-branch2.rtr-$g.psk"; done
set +e
"$TUNC" lint imp/x.tun >lint.txt 2>&1
set -e
grep -q 'error: .*hq-branch2 for rtr-b .*wrongly: SPI 0x[0-9a-f]\{8\} arrives at rtr-b for tunnel hq-branch and for tunnel hq-branch2.*\[-Wmanual-key-material\]' lint.txt ||
	{ cat lint.txt; fail "an SPI given twice at rtr-b is not reported"; }

# A given key of zeros: manual-key-entropy names the SA and the key.
"$TUNC" import out/* -o imp/x.tun
sed "2s/ auth [0-9a-f]*/ auth $(printf '0%.0s' $(seq 64))/" good.psk >"$key"
set +e
"$TUNC" lint imp/x.tun >lint.txt 2>&1
set -e
grep -q 'error: tunnel hq-branch is keyed by hand with the SAs its key (file "hq-branch.rtr-a.psk") gives, and the integrity key of the SA from rtr-a to rtr-b counts about 8 bits of entropy, below 112 .*\[-Wmanual-key-entropy\]' lint.txt ||
	{ cat lint.txt; fail "a given key of zeros is not manual-key-entropy"; }
echo "PASS: SAs keyed by hand survive import, compile and run"
