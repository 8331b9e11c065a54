#!/bin/sh
# Advice that works: the fixes lint suggests for weak proposals (weak-cipher,
# weak-integrity, weak-dh-group, no-pfs) hold for every gateway that uses
# the proposal.  For each file, every fix of the form "use 'KEYWORD VALUE;'
# in ike|ipsec NAME" (or "set 'pfs N;' ...") is applied to a copy, and the
# copy is linted again: following the advice must not bring a
# platform-unsupported, no-common-proposal, ike-mismatch or ipsec-mismatch
# finding that was not there before.
#
# tests/advice/shared-pix.tun shares its proposals between an IOS hub's
# tunnels to an IOS spoke and to a PIX 6.3 spoke: no stronger integrity or
# group fits both, so the advice must be to give the tunnels their own
# proposals (the PIX tunnel keeps the shared one).  shared-ios.tun is the
# same with two IOS spokes: there the advice, applied, leaves no weak
# finding at all.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read lint's JSON"
[ -x "$TUNC" ] || skip "tunc is not built"

# Work on copies, key files private (as a checkout's are not).
mkdir "$TMP/advice" "$TMP/examples"
cp "$top_srcdir"/tests/advice/* "$TMP/advice/"
cp -R "$top_srcdir"/examples/. "$TMP/examples/"
find "$TMP" -name '*.psk' -exec chmod 600 {} +

python3 - "$TUNC" "$TMP" <<'PY'
import glob, json, os, re, subprocess, sys

tunc, tmp = sys.argv[1], sys.argv[2]
WEAK = {"weak-cipher", "weak-integrity", "weak-dh-group", "no-pfs"}
BROKEN = {"platform-unsupported", "no-common-proposal", "ike-mismatch", "ipsec-mismatch"}
FIX = re.compile(r"^(?:use|set) '([a-z]+) ([a-z0-9-]+);' in (ike|ipsec) ([A-Za-z0-9_.-]+)")

def lint(path):
    r = subprocess.run([tunc, "lint", "--format", "json", os.path.basename(path)],
                       cwd=os.path.dirname(path), capture_output=True, text=True)
    if r.returncode > 1:
        sys.exit(f"FAIL {path}: tunc lint exited {r.returncode}: {r.stderr}")
    return json.loads(r.stdout)["findings"]

def apply(text, kw, value, kind, name):
    """KEYWORD VALUE; in the block of proposal KIND NAME."""
    block = re.compile(r"(\b%s\s+%s\s*\{)(.*?)(\})" % (kind, re.escape(name)), re.S)
    m = block.search(text)
    if not m:
        sys.exit(f"FAIL: no block '{kind} {name}' to apply the advice to")
    body, stmt = m.group(2), re.compile(r"\b%s\b[^;]*;" % kw)
    body = stmt.sub(f"{kw} {value};", body, 1) if stmt.search(body) else body + f" {kw} {value}; "
    return text[:m.start(2)] + body + text[m.end(2):]

failed = 0
def fail(msg):
    global failed
    print("FAIL " + msg)
    failed += 1

def follow(path):
    """Applies every direct fix to the file holding the proposal (an
    include, maybe), lints PATH again and restores the files; returns
    (findings before, after, [(finding, fix match)])."""
    before = lint(path)
    fixes = [(f, FIX.match(f.get("fix") or "")) for f in before if f["check"] in WEAK]
    originals, applied = {}, []
    for f, m in fixes:
        if not m:
            continue
        target = os.path.join(os.path.dirname(path), f["file"])
        originals.setdefault(target, open(target).read())
        edited = apply(open(target).read(), *m.groups())
        open(target, "w").write(edited)
        applied.append(m.group(0))
    after = lint(path)
    for target, text in originals.items():
        open(target, "w").write(text)
    broke = [f for f in after if f["check"] in BROKEN]
    had = [f for f in before if f["check"] in BROKEN]
    if len(broke) > len(had):
        fail(f"{path}: following the advice ({'; '.join(applied)}) gives: " +
             " | ".join(f["message"] for f in broke))
    return before, after, fixes

# The shared proposal with a PIX spoke: split advice for what the PIX lacks.
before, after, fixes = follow(f"{tmp}/advice/shared-pix.tun")
for f, m in fixes:
    if any(w in f["message"] for w in ("sha1 integrity", "group 2", "perfect forward")):
        if "their own" not in (f.get("fix") or "") or "hq-shop" not in f["fix"]:
            fail(f"shared-pix.tun: {f['check']}: the fix should be to give the tunnels "
                 f"their own proposals and keep it for hq-shop: {f.get('fix')}")
        if m:
            fail(f"shared-pix.tun: {f['check']}: suggests '{m.group(0)}' for a PIX 6.3 tunnel")

# The same with IOS spokes only: the advice applies to the shared proposals.
before, after, fixes = follow(f"{tmp}/advice/shared-ios.tun")
if not fixes or not all(m for _, m in fixes):
    fail("shared-ios.tun: every weak finding should suggest a value for the shared proposal: "
         + " | ".join(str(f.get("fix")) for f, _ in fixes))
left = [f for f in after if f["check"] in WEAK]
if left:
    fail("shared-ios.tun: weak findings left after following the advice: "
         + " | ".join(f["message"] for f in left))

# Every example: following its advice breaks nothing.
for path in sorted(glob.glob(f"{tmp}/examples/**/*.tun", recursive=True)):
    follow(path)

print(f"{'FAIL' if failed else 'PASS'}: advice checked, {failed} failures")
sys.exit(1 if failed else 0)
PY
