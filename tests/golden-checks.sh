#!/bin/sh
# Golden tests of the checks: tests/golden/checks/NAME.tun triggers check
# NAME, NAME.sound.tun is its near-identical sound twin.  Each is linted with
# `tunc lint --format json` and compared with NAME[.sound].expected.json.
# Whatever the goldens say, the triggering case must report NAME and the
# sound case must not, so a regenerated golden cannot hide a regression.
#
#
# The goldens are linted in a copy whose key files are private (mode 0600),
# as a checkout's are not, except NAME.open.psk (0644) for psk-file-mode.
#
#   TUNC_REGEN=1 make check TESTS=tests/golden-checks.sh   rewrites the goldens
. "$top_srcdir/tests/lib.sh"

src="$top_srcdir/tests/golden/checks"
dir="$TMP/goldens"
mkdir "$dir"
cp "$src"/*.tun "$src"/*.psk "$dir/"
chmod 600 "$dir"/*.psk
chmod 644 "$dir"/*.open.psk
failed=0
count=0
for tun in "$dir"/*.tun; do
	base=$(basename "$tun" .tun)
	name=${base%.sound}
	expected="$src/$base.expected.json"
	# Run from the golden's directory so that file names (and key files)
	# are relative and the output does not depend on the checkout path.
	status=0
	(cd "$dir" && "$TUNC" lint --format json "$base.tun") >"$TMP/out.json" 2>"$TMP/err" || status=$?
	if [ "$status" -gt 1 ]; then
		echo "FAIL: $base.tun: tunc lint exited $status"; cat "$TMP/err"
		failed=$((failed + 1)); continue
	fi
	count=$((count + 1))
	hits=$(grep -c "\"check\": *\"$name\"" "$TMP/out.json" || true)
	if [ "$base" = "$name" ] && [ "$hits" -eq 0 ]; then
		echo "FAIL: $base.tun does not trigger $name"
		failed=$((failed + 1))
	elif [ "$base" != "$name" ] && [ "$hits" -ne 0 ]; then
		echo "FAIL: $base.tun (the sound twin) triggers $name"
		failed=$((failed + 1))
	fi
	if [ -n "${TUNC_REGEN:-}" ]; then
		cp "$TMP/out.json" "$expected"
	elif [ ! -f "$expected" ]; then
		echo "FAIL: $base.expected.json is missing (TUNC_REGEN=1 writes it)"
		failed=$((failed + 1))
	elif ! diff -u "$expected" "$TMP/out.json"; then
		echo "FAIL: $base.tun: lint output differs from $base.expected.json"
		failed=$((failed + 1))
	fi
done
[ "$count" -gt 0 ] || fail "no goldens in $dir"
[ "$failed" -eq 0 ] || fail "$failed of $count golden checks failed"
echo "PASS: $count golden check files"
