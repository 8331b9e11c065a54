#!/bin/sh
# Golden emitted files: compile every example and emitter fixture (with
# --force, so broken examples show what was described, mistakes included)
# and compare each file written with tests/golden/emit/NAME/FILE, where NAME
# is the policy's path with '/' as '.'.  `_written` lists each file with its
# mode (0600 for files holding keys) and `_status` compile's exit status.
# The output must also be byte-identical when compiled twice.
# TUNC_REGEN=1 rewrites the goldens instead (review the diff).
. "$top_srcdir/tests/lib.sh"
GOLD="$top_srcdir/tests/golden/emit"
TUNC_TEST_PSK=Env-supplied-key-9876543210; export TUNC_TEST_PSK
status=0
count=0
for tun in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun "$top_srcdir"/tests/emit/*.tun; do
	[ -f "$tun" ] || continue
	rel=${tun#"$top_srcdir"/}
	name=$(printf '%s' "${rel%.tun}" | tr / .)
	dir=$(dirname "$tun"); base=$(basename "$tun")
	out="$TMP/out/$name"; again="$TMP/again/$name"
	rc=0
	(cd "$dir" && "$TUNC" compile --force "$base" -o "$out") >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
	(cd "$dir" && "$TUNC" compile --force "$base" -o "$again") >/dev/null 2>&1 || true
	mkdir -p "$out"
	echo "$rc" >"$out/_status"
	(cd "$out" && for f in *; do
		case $f in _*) continue ;; esac
		printf '%s %s\n' "$(stat -c %a "$f")" "$f"
	done) >"$out/_written"
	# Determinism: a second compile gives the same bytes.
	for f in "$out"/*; do
		b=$(basename "$f")
		case $b in _*) continue ;; esac
		cmp -s "$f" "$again/$b" || { echo "FAIL $rel: $b differs between two compiles"; status=1; }
	done
	# Every path printed was written, under the output directory.
	while read -r p; do
		[ -f "$p" ] || { echo "FAIL $rel: printed '$p' but no such file"; status=1; }
	done <"$TMP/stdout"
	if [ -n "${TUNC_REGEN:-}" ]; then
		rm -rf "$GOLD/$name"; mkdir -p "$GOLD/$name"
		cp "$out"/* "$out"/_* "$GOLD/$name/" 2>/dev/null || true
		echo "regenerated $GOLD/$name"
	elif [ ! -d "$GOLD/$name" ]; then
		echo "FAIL $rel: no golden directory tests/golden/emit/$name (TUNC_REGEN=1 makes it)"
		status=1
	elif ! diff -r -u "$GOLD/$name" "$out" >"$TMP/diff"; then
		echo "FAIL $rel: emitted files differ from tests/golden/emit/$name:"
		head -60 "$TMP/diff"
		status=1
	else
		echo "ok   $rel ($(wc -l <"$out/_written") files, exit $rc)"
	fi
	count=$((count + 1))
done
[ "$count" -gt 0 ] || fail "no policy found"
# A golden directory whose policy is gone would be compared with nothing.
for d in "$GOLD"/*/; do
	name=$(basename "$d")
	[ -d "$TMP/out/$name" ] || { echo "FAIL tests/golden/emit/$name: no policy compiles into it (remove it)"; status=1; }
done
exit $status
