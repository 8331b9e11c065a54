#!/bin/sh
# Import at scale (issue 11, item 6): a hub's running-config with 10,000
# crypto map entries and its 10,000 spokes' configurations (Cisco IOS and
# strongSwan, tests/scale/gen-hub-configs.py --style hand), named on one
# command line of 10,001 files.  Every spoke pairs with its own hub entry,
# and lint of the configurations gives the findings lint of the imported
# .tun gives.  `tunc import` itself runs at 1,000 spokes: it writes a key
# file per tunnel end, each synced to disk, which costs wall time the
# suite need not spend twice.  The timings are in doc/performance.md
# ("Import at scale"); this test asserts no speed.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to generate the configurations"

cd "$TMP"
for n in 1000 10000; do
	python3 "$top_srcdir/tests/scale/gen-hub-configs.py" "$n" --style hand -o e$n ||
		fail "gen-hub-configs.py failed"
	[ "$(ls e$n/configs | wc -l)" -eq $((n + 1)) ] || fail "not $((n + 1)) configuration files"
done

# lint of 10,001 files: every end paired with the other, by name.
cd e10000
rc=0
"$TUNC" lint --format json configs/* >configs.json 2>lint.err || rc=$?
[ "$rc" -le 1 ] || { cat lint.err; fail "tunc lint of 10001 files exited $rc"; }
python3 - 10000 <<'PY' || exit 1
import json, sys
n = int(sys.argv[1])
own = [f for f in json.load(open("configs.json"))["findings"] if f["check"] == "gateway-own-traffic"]
pairs = sorted(tuple(sorted(f["gateways"])) for f in own)
want = sorted(("hub", "spoke%d" % i) for i in range(n) for _ in (0, 1))
if pairs != want:
    sys.exit(f"FAIL: {len(pairs)} gateway-own-traffic notes; not one per end of hub-spokeN for every N")
PY
cd ..

# import of 1,001 files, and lint of the .tun it writes gives the same findings.
cd e1000
mkdir imp
"$TUNC" import configs/* -o imp/estate.tun 2>import.err || { cat import.err; fail "tunc import failed"; }
tunnels=$(grep -c '^tunnel ' imp/estate.tun)
[ "$tunnels" -eq 1000 ] || fail "the import holds $tunnels tunnels, want 1000"
! grep -q '^peer ' imp/estate.tun || fail "a spoke did not pair with its hub entry"
grep -q 'between "hub" and "spoke999";  # configs/hub.cfg:' imp/estate.tun ||
	fail "the last spoke is not paired with the hub"
rc=0
"$TUNC" lint --format json configs/* >configs.json 2>/dev/null || rc=$?
[ "$rc" -le 1 ] || fail "tunc lint of the configurations exited $rc"
rc=0
"$TUNC" lint --format json imp/estate.tun >tun.json 2>/dev/null || rc=$?
[ "$rc" -le 1 ] || fail "tunc lint of the imported .tun exited $rc"
python3 - <<'PY' || exit 1
import collections, json, sys
def checks(path):
    return collections.Counter(f["check"] for f in json.load(open(path))["findings"])
cfg, tun = checks("configs.json"), checks("tun.json")
# The configurations hold their keys inline; the .tun names key files.
cfg.pop("inline-secret", None)
if cfg != tun or not cfg:
    sys.exit(f"FAIL: lint of the configurations {dict(cfg)} != lint of the .tun {dict(tun)}")
PY
echo "import-scale: ok"
