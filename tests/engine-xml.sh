#!/bin/sh
# engine.xml (doc/engine-xml.md): for every example, `tunc compile -t engine`
# writes a file that xmllint accepts against data/engine.rng, and `tunc run`
# on it prints exactly what `tunc run` on the .tun prints (text and JSON,
# captures and keylog; same seed, same exit status).  Moved away from its .tun, the file still
# runs, with locations in engine.xml.  Bad files of every kind (malformed,
# schema-invalid, undefined names, DOCTYPE, inline keys) exit 2 with the
# location, never a crash, and an inline key never reaches engine.xml.
. "$top_srcdir/tests/lib.sh"
SCHEMA="$top_srcdir/data/engine.rng"
[ -f "$SCHEMA" ] || fail "no schema at $SCHEMA"
TUNC_TEST_PSK=Env-supplied-key-9876543210; export TUNC_TEST_PSK
if command -v xmllint >/dev/null 2>&1; then
	have_xmllint=1
else
	have_xmllint=
	echo "note: xmllint not installed (apt-get install libxml2-utils): schema checks by tunc only"
fi
status=0
count=0
captured=0

# ---- round trip over every example ----
for tun in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun "$top_srcdir"/tests/emit/*.tun; do
	[ -f "$tun" ] || continue
	rel=${tun#"$top_srcdir"/}
	name=$(printf '%s' "${rel%.tun}" | tr / .)
	dir=$(dirname "$tun"); base=$(basename "$tun")
	out="$TMP/rt/$name"
	if ! (cd "$dir" && "$TUNC" compile --force -t engine -o "$out" "$base") >"$TMP/compile.out" 2>"$TMP/compile.err"; then
		if (cd "$dir" && "$TUNC" lint "$base") >/dev/null 2>&1 || [ $? -ne 2 ]; then
			echo "FAIL $rel: compile -t engine failed:"; cat "$TMP/compile.err"; status=1
		else
			echo "--   $rel: does not load; nothing to compare"
		fi
		continue
	fi
	[ -f "$out/engine.xml" ] || { echo "FAIL $rel: no engine.xml written"; status=1; continue; }
	[ "$(cat "$TMP/compile.out")" = "$out/engine.xml" ] || {
		echo "FAIL $rel: compile printed '$(cat "$TMP/compile.out")'"; status=1; }
	if [ -n "$have_xmllint" ] && ! xmllint --noout --relaxng "$SCHEMA" "$out/engine.xml" 2>"$TMP/xmllint.err"; then
		echo "FAIL $rel: xmllint rejects engine.xml:"; cat "$TMP/xmllint.err"; status=1
	fi
	# The file's expectations, or (without any) a ping from its first host
	# (or subnet) to each of the others.
	set --
	if ! grep -q '<expect ' "$out/engine.xml"; then
		hosts=$(sed -n 's/.*<host name="\([^"]*\)".*/\1/p' "$out/engine.xml")
		[ "$(echo "$hosts" | grep -c .)" -ge 2 ] ||
			hosts=$(sed -n 's/.*<subnet prefix="\([^"]*\)".*/\1/p' "$out/engine.xml" | grep -v '^any$' | uniq)
		first=$(echo "$hosts" | head -1)
		for h in $(echo "$hosts" | sed 1d); do set -- "$@" --send "$first -> $h"; done
		[ $# -gt 0 ] || { echo "--   $rel: no expectation and fewer than two hosts or subnets"; continue; }
	fi
	rc=0
	(cd "$dir" && "$TUNC" run "$base" --seed 7 "$@") >"$TMP/tun.txt" 2>/dev/null || rc=$?
	xrc=0
	(cd "$dir" && "$TUNC" run "$out/engine.xml" --seed 7 "$@") >"$TMP/xml.txt" 2>"$TMP/xml.err" || xrc=$?
	if grep -q '<psk source="inline"' "$out/engine.xml"; then
		# Refused: the key is not in the file (and must not be).
		key=$(sed -n 's/.*psk "\([^"]*\)".*/\1/p' "$tun" | head -1)
		if [ -n "$key" ] && grep -qF "$key" "$out/engine.xml"; then
			echo "FAIL $rel: the inline key is in engine.xml"; status=1
		elif [ "$xrc" -ne 2 ] || ! grep -q 'engine.xml:[0-9]*:[0-9]*: error: .*inline' "$TMP/xml.err"; then
			echo "FAIL $rel: an inline key should be refused (exit $xrc)"; status=1
		else
			echo "ok   $rel: inline key left out, and refused at run"
		fi
		continue
	fi
	if [ "$rc" != "$xrc" ] || ! diff -u "$TMP/tun.txt" "$TMP/xml.txt" >"$TMP/diff"; then
		echo "FAIL $rel: run on engine.xml (exit $xrc) differs from run on the .tun (exit $rc):"
		head -40 "$TMP/diff"; head -5 "$TMP/xml.err"; status=1; continue
	fi
	[ -s "$TMP/tun.txt" ] || { echo "FAIL $rel: no trace at all"; status=1; continue; }
	(cd "$dir" && "$TUNC" run "$base" --seed 7 --format json "$@") >"$TMP/tun.json" 2>/dev/null || true
	(cd "$dir" && "$TUNC" run "$out/engine.xml" --seed 7 --format json "$@") >"$TMP/xml.json" 2>/dev/null || true
	if ! cmp -s "$TMP/tun.json" "$TMP/xml.json"; then
		echo "FAIL $rel: JSON traces differ"; status=1; continue
	fi
	# Captures and SAs too.
	rm -rf "$TMP/p1" "$TMP/p2"; mkdir -p "$TMP/p1" "$TMP/p2"
	(cd "$dir" && "$TUNC" run "$base" --seed 7 --pcap "$TMP/p1" --keylog "$TMP/p1/keys" "$@") >/dev/null 2>&1 || true
	(cd "$dir" && "$TUNC" run "$out/engine.xml" --seed 7 --pcap "$TMP/p2" --keylog "$TMP/p2/keys" "$@") >/dev/null 2>&1 || true
	if ! diff -r "$TMP/p1" "$TMP/p2" >/dev/null; then
		echo "FAIL $rel: captures or keylog differ"; status=1; continue
	fi
	captured=$((captured + $(ls "$TMP/p2" | wc -l)))
	# Deterministic: a second compile writes the same bytes.
	(cd "$dir" && "$TUNC" compile --force -t engine -o "$out.again" "$base") >/dev/null 2>&1
	cmp -s "$out/engine.xml" "$out.again/engine.xml" || { echo "FAIL $rel: two compiles differ"; status=1; }
	echo "ok   $rel ($(wc -l <"$TMP/tun.txt") lines of trace, exit $rc)"
	count=$((count + 1))
done
[ "$count" -gt 3 ] || fail "only $count examples compared"
[ "$captured" -gt 0 ] || fail "no capture or keylog was compared"

# ---- moved away from its .tun: locations in engine.xml, keys beside it ----
ex="$top_srcdir/examples/seed003-ios-hq-branch"
mkdir -p "$TMP/moved"
(cd "$ex" && "$TUNC" compile --force -t engine -o "$TMP/moved" hq-branch.tun) >/dev/null
cp "$ex/hq-branch.psk" "$TMP/moved/"
(cd "$ex" && "$TUNC" run hq-branch.tun --seed 7) >"$TMP/m.tun" 2>&1
(cd "$TMP" && "$TUNC" run moved/engine.xml --seed 7) >"$TMP/m.xml" 2>&1 || fail "moved engine.xml does not run"
grep -q '(moved/engine.xml:[0-9]*:[0-9]*)' "$TMP/m.xml" || fail "moved engine.xml: locations do not name engine.xml"
if grep -q 'hq-branch.tun:' "$TMP/m.xml"; then fail "moved engine.xml: names a .tun it could not find"; fi
strip() { sed 's/  ([^()]*:[0-9]*:[0-9]*)$//' "$1"; }
strip "$TMP/m.tun" >"$TMP/m1"; strip "$TMP/m.xml" >"$TMP/m2"
diff -u "$TMP/m1" "$TMP/m2" >"$TMP/diff" || { head -30 "$TMP/diff"; fail "moved engine.xml behaves differently"; }
echo "ok   moved engine.xml: same traces, locations in engine.xml"
# A .tun that changed since: its locations are no longer trusted.
mkdir -p "$TMP/changed"
cp "$ex/hq-branch.tun" "$ex/hq-branch.psk" "$TMP/changed/"
(cd "$TMP/changed" && "$TUNC" compile --force -t engine -o out hq-branch.tun) >/dev/null
printf '\n# edited\n' >>"$TMP/changed/hq-branch.tun"
# Its keys are then looked for beside engine.xml, as for a moved one (a key
# tunc cannot read is an input error, exit 2).
cp "$ex/hq-branch.psk" "$TMP/changed/out/"
(cd "$TMP/changed" && "$TUNC" run out/engine.xml --seed 7) >"$TMP/c.xml" 2>&1 || fail "engine.xml of a changed .tun does not run"
grep -q '(out/engine.xml:' "$TMP/c.xml" || fail "changed .tun: locations should name engine.xml"
echo "ok   changed .tun: locations in engine.xml"

# ---- bad input: exit 2, a location, no crash ----
good="$TMP/moved/engine.xml"
expect_error() {        # NAME FILE PATTERN
	rc=0
	(cd "$TMP" && "$TUNC" run "$2" --seed 7) >"$TMP/bad.out" 2>"$TMP/bad.err" || rc=$?
	if [ "$rc" -ne 2 ]; then
		echo "FAIL $1: exit $rc, not 2"; cat "$TMP/bad.err"; status=1; return
	fi
	if ! grep -qE "$3" "$TMP/bad.err"; then
		echo "FAIL $1: stderr does not match /$3/:"; cat "$TMP/bad.err"; status=1; return
	fi
	[ -s "$TMP/bad.out" ] && { echo "FAIL $1: something was run"; status=1; return; }
	echo "ok   $1: $(grep -m1 -E "$3" "$TMP/bad.err")"
}
head -c 900 "$good" >"$TMP/truncated.xml"
expect_error "truncated XML" truncated.xml 'truncated.xml:[0-9]+:[0-9]+: error: .*not well-formed'
sed 's/<route /<rout /' "$good" >"$TMP/wrong-element.xml"
expect_error "wrong element" wrong-element.xml 'wrong-element.xml:[0-9]+:[0-9]+: error: .*schema'
sed 's/ via="[^"]*"//' "$good" >"$TMP/missing-attr.xml"
expect_error "missing attribute" missing-attr.xml 'missing-attr.xml:[0-9]+:[0-9]+: error: .*schema'
sed 's/<ike ref="strong"/<ike ref="nosuch"/' "$good" >"$TMP/undefined.xml"
grep -q 'ref="nosuch"' "$TMP/undefined.xml" || fail "test setup: no ike ref to change"
expect_error "undefined proposal" undefined.xml 'undefined.xml:[0-9]+:[0-9]+: error: .*nosuch'
sed 's/<between a="rtr-a"/<between a="rtr-zz"/' "$good" >"$TMP/undefined-gw.xml"
expect_error "undefined gateway" undefined-gw.xml 'undefined-gw.xml:[0-9]+:[0-9]+: error: .*rtr-zz'
sed 's/via="198.51.100.2"/via="198.51.100.300"/' "$good" >"$TMP/bad-address.xml"
expect_error "bad address" bad-address.xml 'bad-address.xml:[0-9]+:[0-9]+: error: .*198.51.100.300'
{ printf '<?xml version="1.0"?>\n<!DOCTYPE engine [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
  sed 1d "$good"; } >"$TMP/doctype.xml"
expect_error "DOCTYPE" doctype.xml 'doctype.xml:[0-9]+:[0-9]+: error: .*DOCTYPE'
printf '<engine version="2"/>\n' >"$TMP/version.xml"
expect_error "wrong version" version.xml 'version.xml:1:[0-9]+: error: .*schema'
: >"$TMP/empty.xml"
expect_error "empty file" empty.xml 'empty.xml.*error'
expect_error "no such file" nosuch.xml "cannot read 'nosuch.xml'"
rc=0
(cd "$TMP" && TUNC_SCHEMA_DIR="$TMP/nowhere" "$TUNC" run moved/engine.xml) >/dev/null 2>"$TMP/bad.err" || rc=$?
[ "$rc" -eq 2 ] && grep -q 'engine.rng' "$TMP/bad.err" || { echo "FAIL missing schema: exit $rc"; cat "$TMP/bad.err"; status=1; }
echo "ok   missing schema: $(head -1 "$TMP/bad.err")"

# ---- size: streamed, up to the source limit (1 GiB) ----
# More than the old 64 MiB limit (70,000 lines of comment inside the root
# element) loads and runs as the file without them; a file over the limit
# (sparse: nothing is written) is refused before it is read.
sed '$d' "$good" >"$TMP/moved/big.xml"
awk 'BEGIN { s = sprintf("%990s", ""); for (i = 0; i < 70000; i++) print "<!--" s "-->" }' \
	>>"$TMP/moved/big.xml"
tail -1 "$good" >>"$TMP/moved/big.xml"
(cd "$TMP" && "$TUNC" run moved/big.xml --seed 7) >"$TMP/big.out" 2>&1 || fail "a 70 MB engine.xml does not run"
sed 's|moved/big.xml|moved/engine.xml|g' "$TMP/big.out" | diff -u "$TMP/m.xml" - >"$TMP/diff" ||
	{ head -20 "$TMP/diff"; fail "a 70 MB engine.xml behaves differently"; }
rm -f "$TMP/moved/big.xml"
echo "ok   70 MB engine.xml: runs as the same file without its comments"
truncate -s 1100M "$TMP/huge.xml"
expect_error "over the limit" huge.xml "huge.xml' is not a regular file of at most 1023 MiB"
rm -f "$TMP/huge.xml"

# ---- an inline key stays out of engine.xml, and the loader refuses it ----
mkdir -p "$TMP/inline"
sed 's/psk file "hq-branch.psk";/psk "Inline-Secret-Key-42";/' "$ex/hq-branch.tun" >"$TMP/inline/inline.tun"
grep -q 'Inline-Secret-Key-42' "$TMP/inline/inline.tun" || fail "test setup: no psk to inline"
(cd "$TMP/inline" && "$TUNC" compile --force -t engine -o out inline.tun) >/dev/null 2>&1 || fail "compile with an inline key"
grep -q 'Inline-Secret-Key-42' "$TMP/inline/out/engine.xml" && fail "the inline key was written into engine.xml"
grep -q '<psk source="inline"' "$TMP/inline/out/engine.xml" || fail "no inline psk reference in engine.xml"
[ "$(stat -c %a "$TMP/inline/out/engine.xml")" = 644 ] || fail "engine.xml without keys should be mode 644"
expect_error "inline key" inline/out/engine.xml 'engine.xml:[0-9]+:[0-9]+: error: .*inline'

exit $status
