#!/bin/sh
# The engine's indexes (SAs by gateway and tunnel, by SPI, inner subnets,
# policies by tunnel and by peer, src/util/u64map.h) at scale: on a hub with
# 2,000 spokes of five platforms (tests/scale/gen-hub.py --platform mixed
# --expect), every spoke's expectation passes, and each packet of `tunc run`
# is protected by its own tunnel, with the hub's negotiations and manually
# keyed SAs side by side.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
n=2000
cd "$TMP"
# A random key: the manually keyed spokes need 128 bits (manual-key-entropy).
printf 'q7Rv2Xk9Lw4Tz8Nc3Hp6Ys1Fb5Jm0Gd+Ue/Ka==\n' >hub.psk
chmod 600 hub.psk
python3 "$top_srcdir/tests/scale/gen-hub.py" "$n" --platform mixed --expect -o hub.tun ||
	fail "gen-hub.py"

"$TUNC" lint hub.tun >lint.out 2>&1 || fail "lint reports errors: $(grep -m3 error: lint.out)"

out=$("$TUNC" test hub.tun) || fail "tunc test: $(echo "$out" | grep -m3 -A3 fail:)"
[ "$(echo "$out" | tail -1)" = "$n passed, 0 failed" ] || fail "tunc test: $(echo "$out" | tail -1)"
[ "$(echo "$out" | grep -c ': pass: expect ')" = "$n" ] || fail "not $n passes"

# Each round trip protected by the tunnel of its spoke, twice over (the
# second time on the SAs of the first).
"$TUNC" run hub.tun --count 2 >run.out || fail "tunc run"
[ "$(grep -c '^round trip: protected by t[0-9]*$' run.out)" = $((2 * n)) ] ||
	fail "run: $(grep -c '^round trip: protected' run.out) protected round trips of $((2 * n))"
for i in 0 1 2 3 4 1234 $((n - 1)); do
	grep -q "^round trip: protected by t$i\$" run.out || fail "run: t$i not protected"
done
# The hub keys its Linux spokes' SAs by hand and negotiates the others'.
grep -q 'manual keys (no negotiation)' run.out || fail "run: no manually keyed SA"
grep -q 'accepted by hub-gw' run.out || fail "run: no negotiated SA"
