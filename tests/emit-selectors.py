#!/usr/bin/python3
"""Every emitted selector is the model's: read the SPD that `tunc compile`
wrote into engine.xml (each gateway's derived SPD, straight from the model)
and, from the emitted text only, every selector each per-gateway file
installs -- IOS and PIX crypto access lists, netsh filter lists and
connection security rules, `ip xfrm policy` lines -- and compare them,
tunnel by tunnel and direction by direction.  An emitter that invents a
selector, drops one, or changes a prefix, protocol or port fails.

usage: emit-selectors.py OUTDIR

What each target writes, and so what it is compared with:
  ios, pix   the crypto map's access list          SPD out (ordered)
  xfrm       `ip xfrm policy` lines, out/in/fwd     SPD out/in/fwd (ordered), for
             the tunnels keyed by hand (the others are in swanctl.conf)
  swanctl    children's local_ts x remote_ts        SPD out (as a set)
  netsh      filter lists TUNNEL-out / TUNNEL-in    SPD out / in (ordered)
  netsh      a consec rule (endpoint1 x endpoint2)  SPD out (as a set)
Only PROTECT entries with a tunnel are compared: the bypass defaults are
no target's selectors.  Exit 1 on any difference."""

import ipaddress
import os
import re
import sys
import xml.etree.ElementTree as ET

PROTO = {"icmp": 1, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51, "ahp": 51,
         "icmpv6": 58, "ipv6-icmp": 58, "icmpv4": 1}
EXT = {".ios.cfg": "ios", ".pix.cfg": "pix", ".xfrm.sh": "xfrm", ".netsh.cmd": "netsh",
       ".swanctl.conf": "swanctl"}
BANNER = re.compile(r"^(?:!|:|#|REM) tunnel (.+) \([^)]*\): (\S+) <-> (\S+)\s*$")


def proto_of(word):
    if word in (None, "", "ip", "any", "ANY"):
        return None
    w = word.lower()
    return PROTO[w] if w in PROTO else int(w, 10)


def sel(src, dst, proto=None, ports=None):
    """The canonical selector: (src, dst, protocol or None, (lo, hi) or None)."""
    return (str(ipaddress.ip_network(src, strict=False)),
            str(ipaddress.ip_network(dst, strict=False)), proto, ports)


def ports_of(text):
    if not text:
        return None
    lo, _, hi = text.partition("-")
    return (int(lo), int(hi or lo))


def file_name(name):
    out = "".join(c if c.isalnum() and c.isascii() or c in "_.-" else "_" for c in name)
    return "_" + out[1:] if out.startswith(".") else out


# ---- the model: engine.xml ----

route_based = {}   # gateway -> tunnels it ends route-based (filled by model_spd)


def model_spd(path):
    """{gateway: {dir: {tunnel: [selector, ...]}}} of PROTECT entries."""
    spd = {}
    root = ET.parse(path).getroot()
    for gw in root.iter():
        if gw.tag not in ("gateway", "peer") or "name" not in gw.attrib:
            continue
        dirs = spd.setdefault(gw.get("name"), {"out": {}, "in": {}, "fwd": {}})
        for block in gw.findall("spd"):
            for e in block.findall("entry"):
                if e.get("action") != "protect" or not e.get("tunnel"):
                    continue
                dirs[block.get("dir")].setdefault(e.get("tunnel"), []).append(
                    sel(e.get("from"), e.get("to"), proto_of(e.get("protocol")),
                        ports_of(e.get("port"))))
        # A route-based end's pairs sit on its tunnel interface: outbound as
        # written, inbound and forwarded mirrored.
        for ti in gw.findall("tunnel-interface"):
            t = ti.get("tunnel")
            route_based.setdefault(gw.get("name"), set()).add(t)
            for p in ti.findall("pair"):
                proto, ports = proto_of(p.get("protocol")), ports_of(p.get("port"))
                dirs["out"].setdefault(t, []).append(sel(p.get("from"), p.get("to"), proto, ports))
                for d in ("in", "fwd"):
                    dirs[d].setdefault(t, []).append(sel(p.get("to"), p.get("from"), proto, ports))
    return spd


# ---- the emitted text ----

def acl_addr(words, i, wildcard):
    """An access-list address at words[i]: (prefix, next index)."""
    w = words[i]
    if w == "any":
        return "0.0.0.0/0", i + 1
    if w == "host":
        return words[i + 1], i + 2
    if "/" in w:
        return w, i + 1
    mask = words[i + 1]
    if wildcard:
        mask = str(ipaddress.IPv4Address(int(ipaddress.IPv4Address(mask)) ^ 0xFFFFFFFF))
    return f"{w}/{mask}", i + 2


def acl_entry(words, wildcard):
    """`PROTO SRC DST [eq N | range A B]` -> selector."""
    proto = proto_of(words[0])
    src, i = acl_addr(words, 1, wildcard)
    dst, i = acl_addr(words, i, wildcard)
    ports = None
    if i < len(words) and words[i] == "eq":
        ports = (int(words[i + 1]), int(words[i + 1]))
    elif i < len(words) and words[i] == "range":
        ports = (int(words[i + 1]), int(words[i + 2]))
    return sel(src, dst, proto, ports)


def parse_cisco(path, target):
    """{tunnel: {"out": [selector, ...]}}: each crypto map entry's access list."""
    acls, uses = {}, []
    tunnel, acl = None, None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\r\n")
        m = BANNER.match(line)
        if m:
            tunnel = m.group(1)
            continue
        w = line.split()
        if not w or line.startswith(("!", ":")):
            continue
        if not line.startswith(" "):
            acl = None
        if w[:3] == ["ip", "access-list", "extended"]:
            acl = w[3]
            acls.setdefault(acl, [])
        elif acl and w[0] == "permit":
            acls[acl].append(acl_entry(w[1:], True))
        elif target == "pix" and w[0] == "access-list" and w[2] == "permit":
            acls.setdefault(w[1], []).append(acl_entry(w[3:], False))
        m = re.search(r"\bmatch address (\S+)", line)
        if m and tunnel:
            uses.append((tunnel, m.group(1)))
    got = {}
    for t, name in uses:
        got.setdefault(t, {})["out"] = acls.get(name, [])
    return got


def netsh_addr(kv, which):
    a = kv.get(which + "addr")
    if a in (None, "any"):
        return "0.0.0.0/0"
    return f"{a}/{kv[which + 'mask']}"


def parse_netsh(path):
    got = {}
    tunnel = None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\r\n")
        m = BANNER.match(line)
        if m:
            tunnel = m.group(1)
            continue
        kv = dict((k, v.strip('"')) for k, v in re.findall(r'(\w+)=("[^"]*"|\S+)', line))
        if line.startswith("netsh ipsec static add filter ") and tunnel:
            d = "out" if kv["filterlist"].endswith("-out") else "in"
            ports = None
            if "dstport" in kv:
                ports = (int(kv["dstport"]), int(kv["dstport"]))
            got.setdefault(tunnel, {}).setdefault(d, []).append(
                sel(netsh_addr(kv, "src"), netsh_addr(kv, "dst"), proto_of(kv.get("protocol")),
                    ports))
        elif line.startswith("netsh advfirewall consec add rule ") and tunnel:
            proto = proto_of(kv.get("protocol"))
            ports = ports_of(kv.get("port2"))
            pairs = set()
            for a in kv.get("endpoint1", "").split(","):
                for b in kv.get("endpoint2", "").split(","):
                    a_ = "0.0.0.0/0" if a == "any" else a
                    b_ = "0.0.0.0/0" if b == "any" else b
                    if a and b and ipaddress.ip_network(a_, strict=False).version == \
                            ipaddress.ip_network(b_, strict=False).version:
                        pairs.add(sel(a_, b_, proto, ports))
            got.setdefault(tunnel, {})["out-set"] = pairs
    return got


def ts_of(text):
    """`10.1.0.0/16[tcp/443]` -> (prefix, protocol, ports)."""
    m = re.match(r"^([^\[]+)(?:\[([^/\]]+)(?:/([0-9-]+))?\])?$", text)
    return m.group(1), proto_of(m.group(2)), ports_of(m.group(3))


def parse_swanctl(path):
    got = {}
    tunnel = None
    local = None
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        m = BANNER.match(line)
        if m:
            tunnel = m.group(1)
            continue
        if line.startswith("local_ts = "):
            local = [ts_of(x) for x in line[len("local_ts = "):].split(",")]
        elif line.startswith("remote_ts = ") and tunnel and local is not None:
            pairs = got.setdefault(tunnel, {}).setdefault("out-set", set())
            for r in line[len("remote_ts = "):].split(","):
                rp, proto, ports = ts_of(r)
                for lp, _, _ in local:
                    if ipaddress.ip_network(lp, strict=False).version == \
                            ipaddress.ip_network(rp, strict=False).version:
                        pairs.add(sel(lp, rp, proto, ports))
            local = None
    return got


XFRM = re.compile(r"^ip xfrm policy (?:add|update) src (\S+) dst (\S+)"
                  r"(?: proto (\S+))?(?: dport (\d+))? dir (out|in|fwd) ")


def parse_xfrm(path):
    got = {}
    tunnel = None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        m = BANNER.match(line)
        if m:
            tunnel = m.group(1)
            continue
        if line.startswith("ip xfrm policy ") and " tmpl " in line:
            m = XFRM.match(line)
            if not m:
                raise ValueError(f"{path}: unreadable policy: {line[:80]}")
            ports = (int(m.group(4)), int(m.group(4))) if m.group(4) else None
            got.setdefault(tunnel, {}).setdefault(m.group(5), []).append(
                sel(m.group(1), m.group(2), proto_of(m.group(3)), ports))
    return got


def compare(where, want, got):
    """Both lists in order; names what was invented and what was dropped."""
    if want == got:
        return []
    extra = [s for s in got if s not in want]
    missing = [s for s in want if s not in got]
    why = []
    if extra:
        why.append("invents " + ", ".join(fmt(s) for s in extra))
    if missing:
        why.append("drops " + ", ".join(fmt(s) for s in missing))
    if not why:
        why.append(f"order differs: {[fmt(s) for s in got]} vs {[fmt(s) for s in want]}")
    return [f"FAIL {where}: " + "; ".join(why)]


def fmt(s):
    text = f"{s[0]} -> {s[1]}"
    if s[2] is not None:
        text += f" proto {s[2]}"
    if s[3]:
        text += f" port {s[3][0]}" + (f"-{s[3][1]}" if s[3][1] != s[3][0] else "")
    return text


def main():
    outdir = sys.argv[1]
    xml = os.path.join(outdir, "engine.xml")
    if not os.path.exists(xml):
        print(f"FAIL {outdir}: no engine.xml")
        return 1
    spd = model_spd(xml)
    by_file = {}
    for gw in spd:
        for ext in EXT:
            by_file[file_name(gw) + ext] = gw
    problems, checked = [], 0
    for f in sorted(os.listdir(outdir)):
        ext = next((e for e in EXT if f.endswith(e)), None)
        if not ext:
            continue
        target = EXT[ext]
        gw = by_file.get(f)
        if gw is None:
            problems.append(f"FAIL {f}: names no gateway of the model")
            continue
        path = os.path.join(outdir, f)
        got = parse_xfrm(path) if target == "xfrm" else parse_netsh(path) \
            if target == "netsh" else parse_swanctl(path) if target == "swanctl" \
            else parse_cisco(path, target)
        model = spd[gw]
        dirs = {"ios": ["out"], "pix": ["out"], "xfrm": ["out", "in", "fwd"]}.get(target)
        tunnels = set(model["out"]) | set(model["in"]) | set(got)
        if target == "xfrm":
            # Tunnels keyed by IKE: charon installs their policies from
            # GATEWAY.swanctl.conf, compared there.
            swan = os.path.join(outdir, file_name(gw) + ".swanctl.conf")
            if os.path.exists(swan):
                tunnels -= set(parse_swanctl(swan))
        elif target == "swanctl":
            tunnels = set(got)
        for t in sorted(tunnels):
            g = got.get(t, {})
            if target in ("ios", "pix", "asa") and t in route_based.get(gw, ()):
                # A virtual tunnel interface proposes its pairs itself
                # (`tunnel mode ipsec`): there must be no crypto map ACL.
                if g:
                    problems.append(f"FAIL {f} tunnel {t}: a crypto map ACL for a route-based end")
                continue
            if target in ("netsh", "swanctl"):
                if "out-set" in g:
                    dirs_t = []
                    if g["out-set"] != set(model["out"].get(t, [])):
                        problems += compare(f"{f} tunnel {t} ({target} set)",
                                            sorted(model["out"].get(t, []), key=str),
                                            sorted(g["out-set"], key=str))
                    checked += len(g["out-set"])
                else:
                    dirs_t = ["out", "in"]
            else:
                dirs_t = dirs
            for d in dirs_t:
                want = model[d].get(t, [])
                have = g.get(d, [])
                problems += compare(f"{f} tunnel {t} dir {d}", want, have)
                checked += len(have)
    for p in problems:
        print(p)
    print(f"{'FAIL' if problems else 'ok'}: {checked} emitted selectors compared with the "
          f"model's SPD")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
