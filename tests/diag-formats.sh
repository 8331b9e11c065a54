#!/bin/sh
# The JSON, SARIF and JUnit writers, on a hand-built list of nasty findings
# (tests/unit/diag_dump.c: quotes, control characters, invalid UTF-8, XML
# markup, a file name with spaces, a finding without a location), validated
# by independent tools: jq and Python's json parser, the official SARIF
# 2.1.0 JSON schema with python3-jsonschema, and xmllint.
#
# The SARIF schema is not vendored (its licence is OASIS's, not ours): it is
# taken from the npm package @microsoft/jest-sarif (MIT) when that is
# installed (`npm install -g @microsoft/jest-sarif`), or from $SARIF_SCHEMA.
# Without it the SARIF structure is still checked with jq, and the test says
# so; under CI (CI=true) a missing schema or validator is a failure.
. "$top_srcdir/tests/lib.sh"

DUMP="$top_builddir/tests/unit/diag_dump"
[ -x "$DUMP" ] || fail "$DUMP is not built"
command -v jq >/dev/null 2>&1 || skip "jq is not installed (apt-get install jq)"
command -v xmllint >/dev/null 2>&1 || skip "xmllint is not installed (apt-get install libxml2-utils)"
# Debian's python3 (with python3-jsonschema) rather than one on PATH without it.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)
[ -n "$PY" ] || skip "python3 is not installed"

"$DUMP" json >"$TMP/n.json"
"$DUMP" json empty >"$TMP/e.json"
"$DUMP" sarif >"$TMP/n.sarif"
"$DUMP" sarif empty >"$TMP/e.sarif"
"$DUMP" junit >"$TMP/n.xml"
"$DUMP" junit empty >"$TMP/e.xml"

# --- JSON: one valid document, exactly CLI.md's fields ---
for f in n.json e.json n.sarif e.sarif; do
	[ -s "$TMP/$f" ] && jq -e . "$TMP/$f" >/dev/null || fail "$f: jq cannot parse it"
	"$PY" -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))' \
		"$TMP/$f" || fail "$f: not strict UTF-8 JSON"
done
jq -e '.version == 1 and (.findings | length) == 6
	and .summary == {"errors": 2, "warnings": 2, "notes": 2}' "$TMP/n.json" >/dev/null ||
	fail "json: wrong version, findings or summary"
jq -e '.findings == [] and .summary == {"errors": 0, "warnings": 0, "notes": 0}' \
	"$TMP/e.json" >/dev/null || fail "json: empty list"
keys='["check","severity","file","line","column","end_line","end_column","message","gateways","tunnel","fix","related"]'
jq -e --argjson k "$keys" 'all(.findings[]; keys_unsorted == $k)' "$TMP/n.json" >/dev/null ||
	fail "json: a finding's keys differ from CLI.md"
jq -e 'all(.findings[].related[]; keys_unsorted == ["file","line","column","message"])' \
	"$TMP/n.json" >/dev/null || fail "json: a related location's keys differ from CLI.md"
# The message comes back exactly, control characters and all.
want=$(printf 'rtr-a protects 192.168.1.0/24 -> 192.168.2.0/24 but rtr-b'"'"'s "remote" is 192.168.1.0/25 \\ tab\there, bell\a, nl\nend')
got=$(jq -r '.findings[] | select(.check == "selector-mirror") | .message' "$TMP/n.json")
[ "$got" = "$want" ] || fail "json: message did not round-trip: $got"
jq -e '.findings[] | select(.check == "selector-mirror")
	| .gateways == ["rtr-a","rtr-b"] and .tunnel == "hq-branch" and .line == 4 and .column == 10
	  and .related[0].message == "the tunnel is defined here </failure>]]> & <x>"' \
	"$TMP/n.json" >/dev/null || fail "json: selector-mirror finding"
jq -e '.findings[] | select(.check == "io-error") | .file == null and .line == null and .fix == null' \
	"$TMP/n.json" >/dev/null || fail "json: a finding without location must have null positions"
# Invalid UTF-8 in a message becomes U+FFFD.
jq -e '.findings[] | select(.check == "weak-cipher") | .message | contains("\ufffd\ufffd")' \
	"$TMP/n.json" >/dev/null || fail "json: invalid UTF-8 was not replaced"

# --- SARIF: the official schema when we have it, the structure always ---
schema=${SARIF_SCHEMA:-}
if [ -z "$schema" ] && command -v npm >/dev/null 2>&1; then
	root=$(npm root -g 2>/dev/null || true)
	for s in "$root/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json" \
		 "$root"/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0*.json; do
		[ -f "$s" ] && { schema=$s; break; }
	done
fi
if [ -n "$schema" ] && "$PY" -c 'import jsonschema' 2>/dev/null; then
	for f in n.sarif e.sarif; do
		"$PY" - "$schema" "$TMP/$f" <<'EOF' || fail "$f: not valid SARIF 2.1.0"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errors = list(jsonschema.Draft4Validator(schema).iter_errors(doc))
for e in errors[:20]:
    print("  %s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:300]))
sys.exit(1 if errors else 0)
EOF
	done
	echo "SARIF validated against $(basename "$schema")"
elif [ "${CI:-}" = true ]; then
	fail "SARIF schema or python3-jsonschema missing (npm install -g @microsoft/jest-sarif; apt-get install python3-jsonschema)"
else
	echo "NOTE: SARIF 2.1.0 schema or python3-jsonschema not found: structure checked with jq only"
fi
jq -e '."$schema" == "https://json.schemastore.org/sarif-2.1.0.json" and .version == "2.1.0"
	and (.runs | length) == 1 and .runs[0].tool.driver.name == "tunc"
	and (.runs[0].results | length) == 6' "$TMP/n.sarif" >/dev/null || fail "sarif: header"
# Every ruleIndex points at the rule of that id; rule ids are unique.
jq -e '.runs[0] as $r | all($r.results[] | select(has("ruleIndex"));
	$r.tool.driver.rules[.ruleIndex].id == .ruleId)
	and ([$r.tool.driver.rules[].id] | length == (unique | length))' "$TMP/n.sarif" >/dev/null ||
	fail "sarif: ruleIndex does not match ruleId"
jq -e 'all(.runs[0].results[]; .level == "error" or .level == "warning" or .level == "note")' \
	"$TMP/n.sarif" >/dev/null || fail "sarif: level"
jq -e 'all(.runs[0].results[].locations[].physicalLocation;
	.artifactLocation.uri == "my%20policy%20%221%22.tun" and .artifactLocation.uriBaseId == "%SRCROOT%"
	and .region.startLine >= 1
	and (.region.endColumn > .region.startColumn or .region.endLine > .region.startLine))' "$TMP/n.sarif" >/dev/null ||
	fail "sarif: artifact locations"
# The one without a location has none; the fix is in properties and text.
jq -e '.runs[0].results[] | select(.ruleId == "io-error") | .locations == []' "$TMP/n.sarif" >/dev/null ||
	fail "sarif: a finding without location"
jq -e '.runs[0].results[] | select(.ruleId == "selector-mirror")
	| .properties.fix == "add 192.168.1.128/25 to rtr-b'"'"'s remote"
	  and (.message.text | endswith("\nFix: add 192.168.1.128/25 to rtr-b'"'"'s remote"))
	  and .relatedLocations[0].id == 1' "$TMP/n.sarif" >/dev/null || fail "sarif: fix or related"
# café: columns are code points (c at 6, end exclusive after é at 10).
jq -e '.runs[0].columnKind == "unicodeCodePoints" and (.runs[0].results[]
	| select(.ruleId == "weak-cipher") | .locations[0].physicalLocation.region
	| .startColumn == 6 and .endColumn == 10)' "$TMP/n.sarif" >/dev/null || fail "sarif: columns"
# Fingerprints are stable and tell identical findings apart.
jq -e '[.runs[0].results[].partialFingerprints["tuncFinding/v1"]] | length == (unique | length)' \
	"$TMP/n.sarif" >/dev/null || fail "sarif: fingerprints collide"
"$DUMP" sarif | cmp -s - "$TMP/n.sarif" || fail "sarif: output is not deterministic"

# --- JUnit: well-formed, counts agree with the testcases ---
xmllint --noout "$TMP/n.xml" "$TMP/e.xml" || fail "junit: not well-formed XML"
x() { xmllint --xpath "$1" "$2"; }
[ "$(x 'string(/testsuites/testsuite/@name)' "$TMP/n.xml")" = "tunc lint" ] || fail "junit: suite name"
[ "$(x 'count(//testsuite/testcase) = //testsuite/@tests' "$TMP/n.xml")" = true ] ||
	fail "junit: tests attribute does not count the testcases"
[ "$(x 'count(//testcase[failure]) = //testsuite/@failures' "$TMP/n.xml")" = true ] ||
	fail "junit: failures attribute does not count the failed testcases"
[ "$(x 'count(//failure)' "$TMP/n.xml")" = 4 ] || fail "junit: one failure per error or warning"
[ "$(x 'count(//failure[@type != "error" and @type != "warning"])' "$TMP/n.xml")" = 0 ] ||
	fail "junit: failure type"
[ "$(x 'count(//testcase[@name="no-pfs"]/failure)' "$TMP/n.xml")" = 0 ] || fail "junit: a note failed"
x 'string(//testcase[@name="no-pfs"]/system-out)' "$TMP/n.xml" | grep -q 'note: multi-line location' ||
	fail "junit: notes belong in system-out"
x 'string(//testcase[@name="selector-mirror"]/failure[1]/@message)' "$TMP/n.xml" |
	grep -q 'is 192.168.1.0/25' || fail "junit: failure message"
x 'string(//testcase[@name="selector-mirror"]/failure[1])' "$TMP/n.xml" |
	grep -q 'note: the tunnel is defined here </failure>]]> & <x>' || fail "junit: markup in text"
[ "$(x 'count(//testcase[@name="not-in-registry"])' "$TMP/n.xml")" = 1 ] ||
	fail "junit: an unregistered check gets its testcase"
[ "$(x 'count(//testcase[@classname != "tunc.lint"])' "$TMP/n.xml")" = 0 ] || fail "junit: classname"
[ "$(x 'string(//testsuite/@failures)' "$TMP/e.xml")" = 0 ] || fail "junit: empty list fails"

echo "PASS: JSON, SARIF and JUnit writers"
