#!/bin/sh
# Reject cases: every tests/golden/reject/NAME.tun must fail with exit status 2
# and print exactly tests/golden/reject/NAME.expected (`tunc lint`, no colour),
# and its JSON report must be one valid document.
#   TUNC_REGEN=1 make check TESTS=tests/golden-reject.sh   rewrites the expectations
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to validate JSON"
dir="$top_srcdir/tests/golden/reject"
failed=0 passed=0
for tun in "$dir"/*.tun; do
	name=$(basename "$tun" .tun)
	rc=0
	(cd "$dir" && NO_COLOR=1 "$TUNC" lint "$name.tun" >"$TMP/$name.out" 2>&1) || rc=$?
	if [ "${TUNC_REGEN:-}" = 1 ]; then
		cp "$TMP/$name.out" "$dir/$name.expected"
	fi
	if [ "$rc" -ne 2 ]; then
		echo "FAIL $name: exit status $rc, expected 2"; failed=$((failed + 1)); continue
	fi
	if ! diff -u "$dir/$name.expected" "$TMP/$name.out"; then
		echo "FAIL $name: output differs"; failed=$((failed + 1)); continue
	fi
	rc=0
	(cd "$dir" && "$TUNC" lint --format json "$name.tun" >"$TMP/$name.json" 2>/dev/null) || rc=$?
	if [ "$rc" -ne 2 ] || ! python3 -m json.tool "$TMP/$name.json" >/dev/null; then
		echo "FAIL $name: JSON report invalid or exit $rc"; failed=$((failed + 1)); continue
	fi
	passed=$((passed + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
