#!/bin/sh
# Lint and the engine agree on packets' fates (ARCHITECTURE.md: a check that
# claims a packet's fate asks the engine).  For every example, and the
# triggering goldens of the checks concerned, each finding of
# gateway-own-traffic, nat-not-exempt, route-missing, pat-no-initiator,
# responder-only, mixed-pair-selectors and tunnel-route-missing is held
# against a separate `tunc run` of its packet:
#
# - an error names its packet in a note, "the engine (tunc run --send
#   'PKT'): FATE"; `tunc run FILE --send 'PKT'` must print the same FATE
#   as its verdict, and the fate must be the one the check claims:
#   gateway-own-traffic: dropped at the gateway's IKE with the negotiating
#   message the finding quotes; nat-not-exempt: translated by the
#   finding's gateway (a NAT hop rewriting the source) and not protected;
#   route-missing: not protected, and where the finding says the ESP is
#   handed to a router, dropped as a wrong next hop to that router;
#   pat-no-initiator: the far side's packet dropped at its IKE, no inbound
#   initiation through the PAT; responder-only: the cloud peer's side's
#   packet dropped at the peer's IKE, which does not start it.
# - tunnel-route-missing: the packet is not protected by the finding's
#   tunnel, and where the finding says it leaves in clear, its verdict is
#   clear.
# - mixed-pair-selectors has one such note per initiator (each run alone,
#   so that its side starts IKE): the side the finding says fails is
#   dropped at its own IKE, the side it says succeeds is protected.
# - gateway-own-traffic's note (its own traffic covered by neither end, a
#   model-level claim, doc/checks.md) is rerun as GATEWAY -> the first host
#   of each prefix it lists: the engine must send it in clear.
#
# Every example with such a packet claim is covered; the test fails when
# none is found (it could not fail otherwise).
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to read lint's and run's JSON"
[ -x "$TUNC" ] || skip "tunc is not built"

{
	find "$top_srcdir/examples" -name '*.tun' | sort
	for c in gateway-own-traffic nat-not-exempt route-missing pat-no-initiator responder-only \
		 mixed-pair-selectors tunnel-route-missing; do
		echo "$top_srcdir/tests/golden/checks/$c.tun"
	done
} > "$TMP/files"

TUNC="$TUNC" python3 - "$TMP/files" <<'EOF'
import ipaddress, json, os, re, subprocess, sys

tunc = os.environ["TUNC"]
files = [l.strip() for l in open(sys.argv[1]) if l.strip()]
NOTE = re.compile(r"^the engine \(tunc run --send '([^']+)'\): (.*)$")
CHECKS = ("gateway-own-traffic", "nat-not-exempt", "route-missing", "pat-no-initiator",
          "responder-only", "mixed-pair-selectors", "tunnel-route-missing")
failed = checked = 0


def fail(where, why):
    global failed
    failed += 1
    print("FAIL %s: %s" % (where, why))


def run(path, send):
    """tunc run of one packet: (the verdict line, the first packet's JSON)."""
    d, base = os.path.dirname(path), os.path.basename(path)
    text = subprocess.run([tunc, "run", base, "--send", send], cwd=d,
                          capture_output=True, text=True)
    js = subprocess.run([tunc, "run", base, "--send", send, "--format", "json"],
                        cwd=d, capture_output=True, text=True)
    if text.returncode != 0 or js.returncode != 0:
        return None, None
    verdict = None
    for line in text.stdout.splitlines():
        if line.startswith("  verdict: "):
            verdict = line[len("  verdict: "):]
            break
    return verdict, json.loads(js.stdout)["packets"][0]


for path in files:
    d, base = os.path.dirname(path), os.path.basename(path)
    where0 = os.path.relpath(path, os.environ["top_srcdir"])
    lint = subprocess.run([tunc, "lint", "--format", "json", base], cwd=d,
                          capture_output=True, text=True)
    if lint.returncode not in (0, 1):
        fail(where0, "tunc lint exit %d: %s" % (lint.returncode, lint.stderr))
        continue
    for f in json.loads(lint.stdout)["findings"]:
        if f["check"] not in CHECKS:
            continue
        where = "%s:%d %s" % (where0, f["line"], f["check"])
        notes = [NOTE.match(r["message"]) for r in f["related"]]
        notes = [m for m in notes if m]

        if f["check"] == "gateway-own-traffic" and f["severity"] == "note":
            m = re.search(r"^(\S+)'s own traffic from \S+ toward (.*) is covered by neither",
                          f["message"])
            if not m:
                fail(where, "unexpected note: " + f["message"])
                continue
            for pre in m.group(2).split(", "):
                host = ipaddress.ip_network(pre, strict=False)
                host = host[1] if host.num_addresses > 2 else host[0]
                send = "%s -> %s" % (m.group(1), host)
                verdict, pkt = run(path, send)
                checked += 1
                if pkt is None or pkt["verdict"] != "clear":
                    fail(where, "the note says %s leaves in clear; tunc run --send '%s': %s"
                         % (m.group(1), send, verdict))
            continue

        if f["check"] == "mixed-pair-selectors":
            if len(notes) != 2:
                fail(where, "not one engine note per initiator: " + f["message"])
                continue
            for m in notes:
                send, fate = m.group(1), m.group(2)
                verdict, pkt = run(path, send)
                checked += 1
                if pkt is None or verdict != fate:
                    fail(where, "lint says the engine gives '%s', tunc run --send '%s' gives '%s'"
                         % (fate, send, verdict))
                    continue
                ike = [h["node"] for h in pkt["hops"] if h["stage"] == "IKE"]
                if not ike:
                    fail(where, "tunc run --send '%s' negotiated nothing" % send)
                    continue
                at = pkt.get("at") or {}
                fails = "%s initiating fails" % ike[0] in f["message"]
                dropped = pkt["verdict"] == "dropped" and at.get("stage") == "IKE" and \
                    at.get("node") == ike[0]
                if fails != dropped or (not fails and pkt["verdict"] != "protected"):
                    fail(where, "says %s initiating %s; tunc run --send '%s': %s"
                         % (ike[0], "fails" if fails else "succeeds", send, verdict))
            continue

        # pat-no-initiator's note (a PAT'd initiator without dpd) is about a
        # restart, which the engine does not model: no packet to replay.
        if f["check"] == "pat-no-initiator" and f["severity"] == "note":
            continue

        if len(notes) != 1:
            fail(where, "no note with the engine's answer: " + f["message"])
            continue
        send, fate = notes[0].group(1), notes[0].group(2)
        fate = fate.split("; on the way: ")[0]
        verdict, pkt = run(path, send)
        checked += 1
        if pkt is None:
            fail(where, "tunc run --send '%s' failed" % send)
            continue
        if verdict != fate:
            fail(where, "lint says the engine gives '%s', tunc run --send '%s' gives '%s'"
                 % (fate, send, verdict))
        gw = f["gateways"][0]
        if f["check"] == "gateway-own-traffic":
            m = re.search(r'stay at "([^"]+)" forever', f["message"])
            at = pkt.get("at") or {}
            if not m or pkt["verdict"] != "dropped" or at.get("stage") != "IKE" or \
               at.get("node") != gw or not (pkt["reason"] or "").startswith(m.group(1)):
                fail(where, "claims the ping negotiates forever; tunc run: %s" % verdict)
        elif f["check"] == "nat-not-exempt":
            nat = [h for h in pkt["hops"] if h["node"] == gw and h["stage"] == "NAT"
                   and re.match(r"(overload|static): source ", h["result"])]
            if not nat or pkt["verdict"] == "protected":
                fail(where, "claims %s translates the tunnel traffic; tunc run: %s"
                     % (gw, verdict))
        elif f["check"] == "route-missing":
            m = re.search(r"are handed to (\S+)$", f["message"])
            if pkt["verdict"] == "protected" or \
               (m and not (pkt["verdict"] == "dropped" and
                           "wrong next hop (ESP handed to %s," % m.group(1) in (pkt["reason"] or ""))):
                fail(where, "claims the traffic does not get through; tunc run: %s" % verdict)
        elif f["check"] == "tunnel-route-missing":
            if pkt["verdict"] == "protected" and pkt.get("tunnel") == f["tunnel"] or \
               (" in clear" in f["message"] and pkt["verdict"] != "clear"):
                fail(where, "claims the traffic misses tunnel %s; tunc run: %s"
                     % (f["tunnel"], verdict))
        elif f["check"] == "pat-no-initiator":
            at = pkt.get("at") or {}
            if pkt["verdict"] != "dropped" or at.get("stage") != "IKE" or \
               "no inbound initiation" not in (pkt["reason"] or ""):
                fail(where, "claims the far side cannot start IKE through the PAT; tunc run: %s"
                     % verdict)
        elif f["check"] == "responder-only":
            at = pkt.get("at") or {}
            if pkt["verdict"] != "dropped" or at.get("stage") != "IKE" or \
               at.get("node") != f["gateways"][1] or \
               "does not start IKE" not in (pkt["reason"] or ""):
                fail(where, "claims %s does not start IKE; tunc run: %s"
                     % (f["gateways"][1], verdict))

if checked == 0:
    fail("examples", "no finding of %s to compare" % ", ".join(CHECKS))
print("%d packet claims compared with tunc run, %d disagreements" % (checked, failed))
sys.exit(1 if failed else 0)
EOF
