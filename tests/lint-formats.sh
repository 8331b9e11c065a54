#!/bin/sh
# `tunc lint` end to end: every format on a policy with a syntax error, a
# missing file and the shipped examples; the exit statuses; -o; the -W
# options; colour on a terminal and NO_COLOR; and `tunc explain`.
# Output is validated with jq, xmllint and (when installed) the SARIF 2.1.0
# schema, as in tests/diag-formats.sh.
. "$top_srcdir/tests/lib.sh"

command -v jq >/dev/null 2>&1 || skip "jq is not installed (apt-get install jq)"
command -v xmllint >/dev/null 2>&1 || skip "xmllint is not installed (apt-get install libxml2-utils)"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)

schema=${SARIF_SCHEMA:-}
if [ -z "$schema" ] && command -v npm >/dev/null 2>&1; then
	s="$(npm root -g 2>/dev/null || true)/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"
	[ -f "$s" ] && schema=$s
fi
[ -n "$schema" ] && [ -n "$PY" ] && "$PY" -c 'import jsonschema' 2>/dev/null || schema=
if [ -z "$schema" ]; then
	[ "${CI:-}" = true ] && fail "SARIF schema or python3-jsonschema missing under CI"
	echo "NOTE: SARIF 2.1.0 schema not found: SARIF checked with jq only"
fi

valid_sarif() {
	jq -e '.version == "2.1.0" and (.runs | length) == 1
		and (.runs[0].tool.driver.rules | length) > 0' "$1" >/dev/null || return 1
	[ -z "$schema" ] && return 0
	"$PY" - "$schema" "$1" <<'EOF'
import json, sys, jsonschema
errors = list(jsonschema.Draft4Validator(json.load(open(sys.argv[1]))).iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:10]:
    print("  %s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:300]))
sys.exit(1 if errors else 0)
EOF
}

# lint FILE ARGS...: runs tunc lint, stdout to $TMP/out, status in $rc.
lint() {
	rc=0
	"$TUNC" lint "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
}

# --- A syntax error: every format still writes one report, exit 2 ---
cat >"$TMP/bad.tun" <<'EOF'
ike x {
	encryption aes256
	group 14;
}
EOF
lint "$TMP/bad.tun"
[ $rc = 2 ] || fail "syntax error: exit $rc, want 2"
grep -q "^$TMP/bad.tun:[0-9]*:[0-9]*: error: " "$TMP/out" || fail "text: no located error: $(cat "$TMP/out")"
grep -q '^      | [ 	]*^' "$TMP/out" || fail "text: no caret line"
tail -n 1 "$TMP/out" | grep -Eq '^[0-9]+ errors?$' || fail "text: summary line"
grep -q "$(printf '\033')" "$TMP/out" && fail "text: colour when not on a terminal"

lint "$TMP/bad.tun" --format json
[ $rc = 2 ] || fail "json: exit $rc"
jq -e '.version == 1 and (.findings | length) >= 1 and .findings[0].check == "syntax"
	and .findings[0].severity == "error" and .summary.errors >= 1' "$TMP/out" >/dev/null ||
	fail "json: syntax finding: $(cat "$TMP/out")"
cp "$TMP/out" "$TMP/bad.json"
lint --format=json "$TMP/bad.tun"
cmp -s "$TMP/out" "$TMP/bad.json" || fail "--format=json differs from --format json"

lint "$TMP/bad.tun" --format sarif
[ $rc = 2 ] || fail "sarif: exit $rc"
valid_sarif "$TMP/out" || fail "sarif: invalid for a syntax error"
jq -e '.runs[0].results[0].ruleId == "syntax" and .runs[0].results[0].level == "error"' \
	"$TMP/out" >/dev/null || fail "sarif: syntax result"

lint "$TMP/bad.tun" --format junit
[ $rc = 2 ] || fail "junit: exit $rc"
xmllint --noout "$TMP/out" || fail "junit: not well-formed"
[ "$(xmllint --xpath 'count(//testcase[@name="syntax"]/failure[@type="error"]) >= 1' "$TMP/out")" = true ] ||
	fail "junit: no syntax failure"

# --- A missing file: exit 2, still one valid document ---
lint "$TMP/no-such.tun" --format json
[ $rc = 2 ] || fail "missing file: exit $rc"
jq -e '(.findings | length) >= 1 and .findings[0].severity == "error"' "$TMP/out" >/dev/null ||
	fail "missing file: json"
lint "$TMP/no-such.tun"
grep -q 'error: ' "$TMP/out" || fail "missing file: text"

# --- A file named with spaces: SARIF URIs are relative and %-encoded ---
mkdir -p "$TMP/my dir"
cp "$TMP/bad.tun" "$TMP/my dir/b c.tun"
(cd "$TMP" && "$TUNC" lint "my dir/b c.tun" --format sarif >sp.sarif) && fail "spaces: exit 0"
jq -e '.runs[0].results[0].locations[0].physicalLocation.artifactLocation
	| .uri == "my%20dir/b%20c.tun" and .uriBaseId == "%SRCROOT%"' "$TMP/sp.sarif" >/dev/null ||
	fail "sarif: relative %-encoded uri"

# --- -o writes the report whole, mode 0644, nothing on stdout ---
lint "$TMP/bad.tun" --format json -o "$TMP/report.json"
[ $rc = 2 ] || fail "-o: exit $rc"
[ -s "$TMP/out" ] && fail "-o: report also on stdout"
cmp -s "$TMP/report.json" "$TMP/bad.json" || fail "-o: report differs from stdout's"
[ "$(stat -c %a "$TMP/report.json")" = 644 ] || fail "-o: mode $(stat -c %a "$TMP/report.json")"
lint "$TMP/bad.tun" -o "$TMP/no-such-dir/r.txt"
[ $rc = 2 ] || fail "-o into a missing directory: exit $rc"
grep -q "cannot write" "$TMP/err" || fail "-o failure: no message"

# --- Usage errors: exit 2 with the usage line ---
for args in "" "--format xml $TMP/bad.tun" "-Wbogus-check $TMP/bad.tun" "-Wno-syntax $TMP/bad.tun" \
	"$TMP/bad.tun $TMP/bad.tun" "--frobnicate $TMP/bad.tun" "$TMP/bad.tun -o" "$TMP/bad.tun --format"; do
	# shellcheck disable=SC2086
	lint $args
	[ $rc = 2 ] || fail "'lint $args': exit $rc, want 2"
	grep -q '^usage: tunc lint' "$TMP/err" || fail "'lint $args': no usage line"
done
lint -Wselector-mirorr "$TMP/bad.tun"
grep -q "did you mean 'selector-mirror'" "$TMP/err" || fail "-W typo: no suggestion"
"$TUNC" lint --help | grep -q -- '-Werror' || fail "lint --help"

# --- The examples: exit status agrees with the findings; options work ---
n_examples=0
disabled_tested=no werror_tested=no
for f in "$top_srcdir"/examples/*.tun "$top_srcdir"/examples/*/*.tun; do
	[ -f "$f" ] || continue
	n_examples=$((n_examples + 1))
	lint "$f" --format json
	[ $rc -le 2 ] || fail "$f: tunc lint crashed (exit $rc): $(tail -n 3 "$TMP/err")"
	[ -s "$TMP/out" ] && jq -e . "$TMP/out" >/dev/null || fail "$f: invalid JSON"
	errors=$(jq '.summary.errors' "$TMP/out")
	warnings=$(jq '.summary.warnings' "$TMP/out")
	[ "$(jq '[.findings[] | select(.severity == "error")] | length' "$TMP/out")" = "$errors" ] ||
		fail "$f: summary.errors does not count the errors"
	cp "$TMP/out" "$TMP/ex.json"
	if [ $rc = 2 ]; then
		fail "$f: a shipped example does not load: $(jq -c '.findings[0]' "$TMP/ex.json")"
	elif [ "$errors" -gt 0 ]; then
		[ $rc = 1 ] || fail "$f: $errors errors but exit $rc"
	else
		[ $rc = 0 ] || fail "$f: no errors but exit $rc"
	fi
	lint "$f" --format sarif
	valid_sarif "$TMP/out" || fail "$f: invalid SARIF"
	[ "$(jq '.runs[0].results | length' "$TMP/out")" = "$(jq '.findings | length' "$TMP/ex.json")" ] ||
		fail "$f: SARIF and JSON disagree on the number of findings"
	lint "$f" --format junit
	xmllint --noout "$TMP/out" || fail "$f: JUnit not well-formed"
	lint "$f"
	summary=$(tail -n 1 "$TMP/out")
	case $summary in
	"no findings") [ "$(jq '.findings | length' "$TMP/ex.json")" = 0 ] || fail "$f: 'no findings' with findings" ;;
	*error*|*warning*|*note*) ;;
	*) fail "$f: text summary line '$summary'" ;;
	esac

	# -Wno-NAME removes that check's findings and nothing else.
	check=$(jq -r 'first(.findings[] | .check) // empty' "$TMP/ex.json")
	if [ -n "$check" ] && [ $disabled_tested = no ]; then
		lint "$f" --format json "-Wno-$check"
		[ "$(jq --arg c "$check" '[.findings[] | select(.check == $c)] | length' "$TMP/out")" = 0 ] ||
			fail "$f: -Wno-$check left its findings"
		[ "$(jq --arg c "$check" '[.findings[] | select(.check != $c)] | length' "$TMP/out")" = \
		  "$(jq --arg c "$check" '[.findings[] | select(.check != $c)] | length' "$TMP/ex.json")" ] ||
			fail "$f: -Wno-$check changed other findings"
		disabled_tested=yes
	fi
	# -Werror: warnings become errors, in the output and the exit status.
	if [ "$errors" = 0 ] && [ "$warnings" -gt 0 ] && [ $werror_tested = no ]; then
		lint "$f" --format json -Werror
		[ $rc = 1 ] || fail "$f: -Werror with warnings: exit $rc"
		[ "$(jq '.summary.errors' "$TMP/out")" = "$warnings" ] || fail "$f: -Werror: warnings not shown as errors"
		werror_tested=yes
	fi
done
[ $n_examples -gt 0 ] || echo "NOTE: no examples/*.tun found"
[ $disabled_tested = yes ] || echo "NOTE: no example has a finding yet: -Wno-NAME not exercised"
[ $werror_tested = yes ] || echo "NOTE: no example with warnings only: -Werror not exercised"

# --- Colour: on a terminal (script(1) gives one), and NO_COLOR turns it off ---
if command -v script >/dev/null 2>&1; then
	esc=$(printf '\033')
	TERM=xterm script -qec "'$TUNC' lint '$TMP/bad.tun'" /dev/null >"$TMP/tty" 2>&1 </dev/null || true
	grep -q "$esc\[1;31merror:" "$TMP/tty" || fail "no colour on a terminal: $(head -2 "$TMP/tty")"
	NO_COLOR=1 TERM=xterm script -qec "'$TUNC' lint '$TMP/bad.tun'" /dev/null >"$TMP/tty" 2>&1 </dev/null || true
	grep -q "error:" "$TMP/tty" || fail "NO_COLOR: no output"
	grep -q "$esc\[" "$TMP/tty" && fail "NO_COLOR=1 still coloured"
else
	echo "NOTE: script(1) not found: colour on a terminal not tested"
fi

# --- explain ---
"$TUNC" explain --list >"$TMP/list" || fail "explain --list"
lint "$TMP/bad.tun" --format sarif
[ "$(wc -l <"$TMP/list")" = "$(jq '.runs[0].tool.driver.rules | length' "$TMP/out")" ] ||
	fail "explain --list and the SARIF rules differ"
while read -r name; do
	"$TUNC" explain "$name" >"$TMP/ex" || fail "explain $name: exit $?"
	head -n 1 "$TMP/ex" | grep -q "^$name: " || fail "explain $name: first line"
	grep -q '^Example:' "$TMP/ex" && grep -q '^Fix:' "$TMP/ex" || fail "explain $name: sections"
done <"$TMP/list"
"$TUNC" explain selector-mirror | grep -q '^  003  IPsec reference' || fail "explain: seed title"
"$TUNC" explain --list --verbose | grep -Eq '^no-pfs +note +' || fail "explain --list --verbose"
rc=0; "$TUNC" explain no-such-check 2>"$TMP/err" || rc=$?
[ $rc = 2 ] || fail "explain of an unknown name: exit $rc"
grep -q 'explain --list' "$TMP/err" || fail "explain of an unknown name: no hint"
rc=0; "$TUNC" explain 2>/dev/null || rc=$?
[ $rc = 2 ] || fail "explain without NAME: exit $rc"

echo "PASS: tunc lint formats, options and explain ($n_examples examples)"
