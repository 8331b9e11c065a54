#!/bin/sh
# The bash completion in completion/tunc: commands, per-command options,
# option values, check names (from `tunc explain --list`), gateway names
# from the policy, and .tun files.  Driven through COMP_WORDS/COMP_CWORD
# as bash itself drives it, against a stub tunc (so that the completion's
# own logic is tested) and, when it lists checks, the built tunc.
. "$top_srcdir/tests/lib.sh"

command -v bash >/dev/null 2>&1 || skip "bash is not installed"

# A stub that answers `explain --list` like tunc: one check a line, with
# trailing columns the completion must ignore.
cat > "$TMP/tunc" <<'EOF'
#!/bin/sh
if [ "$1" = explain ] && [ "$2" = --list ]; then
	printf 'selector-mirror    error    A selector pair has no mirror\n'
	printf 'gateway-own-traffic error   ...\n'
	printf 'no-pfs             note     ...\n'
	exit 0
fi
exit 2
EOF
chmod +x "$TMP/tunc"

mkdir -p "$TMP/work/sub"
cp "$top_srcdir/examples/seed002-w2k-third-party/fixed.tun" "$TMP/work/site.tun"
: > "$TMP/work/other.tun"
: > "$TMP/work/engine.xml"
: > "$TMP/work/notes.txt"

cat > "$TMP/run.bash" <<'EOF'
source "$COMPLETION"
# complete LINE: the words of LINE, the cursor after the last one ("" = a
# new empty word); prints the sorted candidates on one line.
complete_line()
{
	local line=$1
	read -r -a COMP_WORDS <<< "$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_tunc
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
fails=0
check()
{
	local got
	got=$(complete_line "$1")
	if [[ $got != "$2" ]]; then
		printf 'FAIL: "%s" completes to "%s", want "%s"\n' "$1" "$got" "$2"
		fails=$((fails + 1))
	fi
}
T=$STUB
cd "$WORK"
check "$T " "--help --version bench compile explain graph import lint run test"
check "$T co" "compile"
check "$T lint -" "--all --format --from --help --output -W -Werror -Wno- -o"
check "$T compile -" "--force --gateway --help --output --target -g -o -t"
check "$T compile site.tun --target x" "xfrm"
check "$T compile --gateway " ""
check "$T compile site.tun --gateway w" "w2k-gw"
check "$T explain --" "--help --list --verbose"
check "$T run --" "--count --counters --format --from --help --keylog --pcap --seed --send"
check "$T test --" "--format --from --help"
check "$T graph -" "--from --help --output -o"
check "$T import -" "--from --help --output -o"
# --from FORMAT: the readers; then any files, several of them.
check "$T run --from " "asa ios ipsecconf netsh pix powershell swanctl xfrm"
check "$T import --from i" "ios ipsecconf"
check "$T graph --from ios " "engine.xml notes.txt other.tun site.tun sub"
check "$T test --from=ios site.tun n" "notes.txt"
check "$T import site.tun " "engine.xml notes.txt other.tun site.tun sub"
check "$T import -o " "other.tun site.tun sub"
check "$T bench --alg aes" "aes128-cbc-sha1 aes128-gcm aes256-cbc-sha256 aes256-gcm"
check "$T lint site.tun --format " "json junit sarif text"
check "$T test site.tun --format " "json junit text"
check "$T run site.tun --format " "json text"
check "$T compile site.tun -t " "engine ios netsh pix swanctl xfrm"
check "$T compile site.tun -g " "partner-gw w2k-gw"
check "$T compile -g " ""
check "$T lint site.tun -W " "gateway-own-traffic no-pfs selector-mirror"
check "$T lint site.tun -Wno-s" "-Wno-selector-mirror"
check "$T lint site.tun -Wg" "-Wgateway-own-traffic"
check "$T lint site.tun -We" "-Werror"
check "$T explain " "gateway-own-traffic no-pfs selector-mirror"
check "$T lint " "other.tun site.tun sub"
check "$T run " "engine.xml other.tun site.tun sub"
check "$T lint site.tun " ""
check "$T run site.tun --pcap " "sub"
if [[ -n $REAL && -x $REAL ]] && "$REAL" explain --list 2>/dev/null | grep -q '^selector-mirror'; then
	got=$(complete_line "$REAL lint site.tun -Wno-selector-m")
	[[ $got == "-Wno-selector-mirror" ]] || { echo "FAIL: real tunc: got \"$got\""; fails=$((fails + 1)); }
	echo "checked check names from $REAL explain --list"
else
	echo "note: the built tunc does not list checks yet; names came from the stub"
fi
exit $((fails > 0))
EOF

COMPLETION="$top_srcdir/completion/tunc" STUB="$TMP/tunc" WORK="$TMP/work" REAL="$TUNC" \
	bash --norc --noprofile "$TMP/run.bash" || fail "bash completion"
echo "bash completion: all cases pass"
