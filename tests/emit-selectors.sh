#!/bin/sh
# Every emitted selector is the model's: compile every example and emitter
# fixture, then compare each crypto access list, filter list, connection
# security rule and xfrm policy that the per-gateway files install with the
# SPD the model derived (engine.xml), tunnel by tunnel and direction by
# direction (tests/emit-selectors.py).  Then show that the comparison can
# fail: a dropped, an invented and a changed selector are each caught.
. "$top_srcdir/tests/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY"
TUNC_TEST_PSK=Env-supplied-key-9876543210; export TUNC_TEST_PSK
status=0
n=0
for tun in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun "$top_srcdir"/tests/emit/*.tun; do
	[ -f "$tun" ] || continue
	dir=$(dirname "$tun"); base=$(basename "$tun")
	out="$TMP/$n"; n=$((n + 1))
	rel=${tun#"$top_srcdir"/}
	if ! (cd "$dir" && "$TUNC" compile --force "$base" -o "$out") >"$TMP/log" 2>&1; then
		[ -e "$out/engine.xml" ] && { echo "FAIL $rel: compile refused but wrote files"; status=1; }
		echo "--   $rel (compile refused: nothing written to compare)"
		continue
	fi
	if "$PY" "$top_srcdir/tests/emit-selectors.py" "$out" >"$TMP/res" 2>&1; then
		echo "ok   $rel: $(tail -1 "$TMP/res" | sed 's/^ok: //')"
	else
		echo "FAIL $rel:"; sed 's/^/   /' "$TMP/res"; status=1
	fi
	ls "$out" >>"$TMP/written"
done
[ "$n" -gt 0 ] || fail "no policy to compile"
# Every per-gateway target was compared somewhere.
for ext in .ios.cfg .pix.cfg .netsh.cmd .xfrm.sh .swanctl.conf; do
	grep -q -- "$ext\$" "$TMP/written" || { echo "FAIL no example writes a $ext file"; status=1; }
done

# The comparison must be able to fail.
expect_fail() { # WHAT FILE SED-SCRIPT
	rm -rf "$TMP/mut"; cp -r "$TMP/src" "$TMP/mut"
	sed -i "$3" "$TMP/mut/$2"
	cmp -s "$TMP/src/$2" "$TMP/mut/$2" && fail "self-check '$1' changed nothing in $2"
	if "$PY" "$top_srcdir/tests/emit-selectors.py" "$TMP/mut" >"$TMP/mres" 2>&1; then
		cat "$TMP/mres"; fail "self-check: $1 in $2 went unnoticed"
	fi
	grep -q "^FAIL .*$4" "$TMP/mres" || { cat "$TMP/mres"; fail "self-check: $1 not named"; }
	echo "ok   self-check: $1 in $2 is caught"
}
(cd "$top_srcdir/examples/seed003-ios-hq-branch" && "$TUNC" compile --force hq-branch.tun -o "$TMP/src") \
	>/dev/null 2>&1 || fail "seed003 hq-branch did not compile"
expect_fail "a dropped ACL line" rtr-a.ios.cfg '/^ permit ip 192.168.1.0 0.0.0.255 192.168.2.0/d' drops
expect_fail "an invented ACL line" rtr-a.ios.cfg \
	'/^ip access-list extended tunc-hq-branch/a\ permit ip 192.168.1.0 0.0.0.255 10.9.0.0 0.0.255.255' invents
expect_fail "a widened ACL line" rtr-b.ios.cfg \
	's/^ permit ip 192.168.2.0 0.0.0.255 192.168.1.0 0.0.0.255/ permit ip 192.168.2.0 0.0.0.255 192.168.0.0 0.0.255.255/' invents
rm -rf "$TMP/src"
(cd "$top_srcdir/examples/hq-branch-linux" && "$TUNC" compile --force hq-branch.tun -o "$TMP/src") \
	>/dev/null 2>&1 || fail "hq-branch-linux did not compile"
expect_fail "a dropped fwd policy" rtr-a.xfrm.sh '/^ip xfrm policy update .* dir fwd /d' drops
expect_fail "a port added to a policy" rtr-b.xfrm.sh \
	's/^\(ip xfrm policy update src [^ ]* dst [^ ]*\) dir out/\1 proto tcp dport 22 dir out/' invents
rm -rf "$TMP/src"
(cd "$top_srcdir/examples/seed002-w2k-third-party" && "$TUNC" compile --force port-filter.tun -o "$TMP/src") \
	>/dev/null 2>&1 || fail "seed002 port-filter did not compile"
expect_fail "a filter's protocol dropped" w2k-gw.netsh.cmd '0,/protocol=TCP/s//protocol=ANY/' invents
rm -rf "$TMP/src"
(cd "$top_srcdir/examples/seed000-isa-pix-null" && "$TUNC" compile --force 3des-sha1.tun -o "$TMP/src") \
	>/dev/null 2>&1 || fail "seed000 3des-sha1 did not compile"
expect_fail "a dropped PIX ACL line" pix-fw.pix.cfg '/^access-list tunc-pix-isa permit .* host 198.51.100.1$/d' drops
expect_fail "a dropped platform filter" isa-srv.netsh.cmd \
	'/filterlist="tunc-pix-isa-in" srcaddr=10.0.2.0 srcmask=255.255.255.0 dstaddr=198.51.100.1/d' drops
rm -rf "$TMP/src"
(cd "$top_srcdir/examples" && "$TUNC" compile --force language-tour.tun -o "$TMP/src") \
	>/dev/null 2>&1 || fail "language-tour did not compile"
expect_fail "a changed traffic selector" v6-a.swanctl.conf \
	's|remote_ts = 2001:db8:6b::/48|remote_ts = 2001:db8:6c::/48|' invents
exit $status
