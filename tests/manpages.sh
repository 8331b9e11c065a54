#!/bin/sh
# The manual pages render without a groff warning, and man(1) shows them.
. "$top_srcdir/tests/lib.sh"

command -v groff >/dev/null 2>&1 || skip "groff is not installed (apt-get install groff-base)"

for page in "$top_srcdir/doc/tunc.1" "$top_srcdir/doc/tunc.tun.5"; do
	[ -f "$page" ] || fail "missing $page"
	groff -man -Tutf8 -ww -z "$page" 2>"$TMP/warnings" || fail "groff failed on $page"
	if [ -s "$TMP/warnings" ]; then
		cat "$TMP/warnings"
		fail "groff warns about $page"
	fi
	# The rendered page has its NAME section and no unknown macro left.
	groff -man -Tascii -P-cbou "$page" 2>/dev/null | grep -q '^NAME' || fail "$page renders no NAME section"
done

# Every command and option of tunc(1)'s synopsis is described in the page.
rendered=$(groff -man -Tascii -P-cbou "$top_srcdir/doc/tunc.1" 2>/dev/null)
for word in compile lint run test bench explain graph import --from \
	--force --format --send --count --pcap --keylog --seed --spd --alg --size --packets \
	-Werror -Wno- NO_COLOR "EXIT STATUS"; do
	printf '%s\n' "$rendered" | grep -q -e "$word" || fail "tunc.1 does not mention $word"
done

# Every check the built tunc knows is described in tunc(1) (the source,
# with roff's \- made plain, so that line breaks do not matter).
if [ -x "$TUNC" ] && "$TUNC" explain --list >"$TMP/checks" 2>/dev/null && [ -s "$TMP/checks" ]; then
	sed 's/\\-/-/g' "$top_srcdir/doc/tunc.1" >"$TMP/tunc.1.txt"
	while read -r name; do
		grep -q -e "^\.B $name\>" -e "^\.BR $name\>" "$TMP/tunc.1.txt" \
			|| fail "tunc.1 does not describe the check $name"
	done <"$TMP/checks"
	echo "tunc.1 describes all $(wc -l <"$TMP/checks") checks of 'tunc explain --list'"
fi

if command -v man >/dev/null 2>&1; then
	MANPAGER=cat MANWIDTH=80 man -l "$top_srcdir/doc/tunc.1" 2>/dev/null | grep -q 'tunc lint' \
		|| fail "man -l doc/tunc.1 does not show the page"
fi
echo "manual pages: no groff warning"
