#!/bin/sh
# Manually keyed SPIs reveal nothing about the key (issue 15): they travel
# in clear in every packet, so they come from the tunnel's and the
# gateways' names alone.  Compile every example and emitter fixture twice,
# the second time with every pre-shared key changed (key files, inline keys,
# the environment), and compare every SPI written (`ip xfrm state` lines,
# Cisco `set session-key` entries): all must stay, while the keys change.
# (Uniqueness among the SAs arriving at one gateway is checked at 100,000
# spokes by tests/unit/check_model.c.)
. "$top_srcdir/tests/lib.sh"
spis() { # DIR: every SPI of every file in DIR, with the file's name
	for f in "$1"/*; do
		case $f in *.xfrm.sh | *.cfg) ;; *) continue ;; esac
		{ grep -o 'spi 0x[0-9a-f]*' "$f"
		  grep -o 'session-key \(inbound\|outbound\) \(esp\|ah\) [0-9]*' "$f"; } |
			sed "s|^|$(basename "$f") |"
	done
}
n=0; total=0; changed=0
for dir in "$top_srcdir"/examples "$top_srcdir"/examples/*/ "$top_srcdir"/tests/emit; do
	dir=${dir%/}
	ls "$dir"/*.tun >/dev/null 2>&1 || continue
	n=$((n + 1))
	# The whole directory: a policy may include files and keys from below it.
	cp -r "$dir/." "$TMP/a$n"; cp -r "$dir/." "$TMP/b$n"
	find "$TMP/b$n" -name '*.psk' | while read -r k; do
		printf 'A-completely-different-key-%s\n' "$(basename "$k")" > "$k"
	done
	find "$TMP/b$n" -name '*.tun' -exec \
		sed -i 's/psk "\([^"\\]\|\\.\)*"/psk "Another-inline-key-0123456789abcdef"/g' {} +
	for tun in "$TMP/a$n"/*.tun; do
		base=$(basename "$tun" .tun)
		(cd "$TMP/a$n" && TUNC_TEST_PSK=Env-supplied-key-9876543210 \
			"$TUNC" compile --force "$base.tun" -o "out-$base") >/dev/null 2>&1 || continue
		(cd "$TMP/b$n" && TUNC_TEST_PSK=Quite-another-env-key-55555 \
			"$TUNC" compile --force "$base.tun" -o "out-$base") >/dev/null 2>&1 ||
			fail "$base.tun: compiles with one key and not with another"
		spis "$TMP/a$n/out-$base" > "$TMP/spi-a"
		spis "$TMP/b$n/out-$base" > "$TMP/spi-b"
		if ! cmp -s "$TMP/spi-a" "$TMP/spi-b"; then
			diff "$TMP/spi-a" "$TMP/spi-b" | head -10
			fail "${dir#"$top_srcdir"/}/$base.tun: changing only the keys changed an SPI"
		fi
		c=$(wc -l < "$TMP/spi-a")
		total=$((total + c))
		if [ "$c" -gt 0 ]; then
			for f in "$TMP/a$n/out-$base"/*; do
				cmp -s "$f" "$TMP/b$n/out-$base/$(basename "$f")" || changed=$((changed + 1))
			done
		fi
		echo "ok   ${dir#"$top_srcdir"/}/$base.tun: $c SPIs unchanged"
	done
done
[ "$total" -gt 0 ] || fail "no manually keyed SPI was written: the test shows nothing"
[ "$changed" -gt 0 ] || fail "the changed keys changed no file: the test shows nothing"
echo "ok   $total SPIs stay when only the keys change ($changed files with keys changed)"
