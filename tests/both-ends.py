#!/usr/bin/python3
"""Both ends agree: read back the files `tunc compile` wrote for both ends of
every tunnel -- from the emitted text only, one small parser per target --
and check that the selectors mirror, the ESP proposals are equal, a common
IKE proposal exists and the keys agree (strongSwan's swanctl.conf, the
ASA's configuration and Windows' PowerShell script with its key file
included), and, where both files say, the IKE version, that each end names
the other's address as its peer, and the phase 2 lifetimes.  Keys are pre-shared keys between
negotiating ends, and the static SAs between manually keyed ends: an `ip
xfrm` script's two states against the other script's, or against the `set
session-key` lines of a Cisco `ipsec-manual` entry, SA by SA (sender,
receiver, SPI, algorithms and keys) -- so a swapped inbound/outbound fails.

usage: both-ends.py LINT.json OUTDIR

An aspect may differ only where `tunc lint` (LINT.json) reports the
mismatch for that tunnel: the emitters write what was described, mistakes
included, and lint is what must say so.  Exit 1 on any unexplained
disagreement."""

import ipaddress
import json
import os
import re
import sys

ENC = {  # target spelling -> canonical
    "ios": {"esp-null": "null", "esp-des": "des", "esp-3des": "3des", "esp-aes 128": "aes128",
            "esp-aes 192": "aes192", "esp-aes 256": "aes256", "esp-gcm 128": "aes128-gcm",
            "esp-gcm 256": "aes256-gcm"},
    "pix": {"esp-null": "null", "esp-des": "des", "esp-3des": "3des", "esp-aes": "aes128",
            "esp-aes-192": "aes192", "esp-aes-256": "aes256"},
}
AUTH = {"esp-md5-hmac": "md5", "esp-sha-hmac": "sha1", "esp-sha256-hmac": "sha256",
        "esp-sha384-hmac": "sha384", "esp-sha512-hmac": "sha512", "ah-md5-hmac": "ah-md5",
        "ah-sha-hmac": "ah-sha1", "ah-sha256-hmac": "ah-sha256", "ah-sha384-hmac": "ah-sha384",
        "ah-sha512-hmac": "ah-sha512"}
IKE1_ENC = {"des": "des", "3des": "3des", "aes 128": "aes128", "aes 192": "aes192",
            "aes 256": "aes256", "aes": "aes128", "aes-192": "aes192", "aes-256": "aes256"}
IKE_HASH = {"md5": "md5", "sha": "sha1", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384",
            "sha512": "sha512"}
IKE2_ENC = {"des": "des", "3des": "3des", "aes-cbc-128": "aes128", "aes-cbc-192": "aes192",
            "aes-cbc-256": "aes256", "aes-gcm-128": "aes128-gcm", "aes-gcm-256": "aes256-gcm"}
WIN_GROUP = {"1": 1, "2": 2, "3": 14}
AF_GROUP = {"dhgroup1": 1, "dhgroup2": 2, "dhgroup14": 14, "ecdhp256": 19, "ecdhp384": 20}
XFRM_AUTH = {"hmac(md5)": "md5", "hmac(sha1)": "sha1", "hmac(sha256)": "sha256",
             "hmac(sha384)": "sha384", "hmac(sha512)": "sha512"}


def net(addr, mask=None, wildcard=False):
    """A prefix from an access-list address: 'any', 'host A', 'A MASK', 'A/N'."""
    if addr == "any":
        return ipaddress.ip_network("0.0.0.0/0")
    if mask is None:
        return ipaddress.ip_network(addr, strict=False)
    if wildcard:
        inv = int(ipaddress.IPv4Address(mask)) ^ 0xFFFFFFFF
        mask = str(ipaddress.IPv4Address(inv))
    return ipaddress.ip_network(f"{addr}/{mask}", strict=False)


def acl_pair(words, wildcard):
    """src and dst prefixes from the words after the protocol."""
    out = []
    i = 0
    while len(out) < 2:
        w = words[i]
        if w == "any":
            out.append(net("any"))
            i += 1
        elif w == "host":
            out.append(net(words[i + 1] + "/32"))
            i += 2
        else:
            out.append(net(w, words[i + 1], wildcard))
            i += 2
    return out[0], out[1]


class End:
    def __init__(self, gateway, peer, target):
        self.gateway, self.peer, self.target = gateway, peer, target
        self.out = set()        # (src, dst) this end sends into the tunnel
        self.inb = set()        # (src, dst) it accepts from the tunnel
        self.esp = set()        # (enc, integ)
        self.ike = None         # set of (enc, integ, group) or None (no IKE)
        self.pfs = None
        self.psk = None
        self.sas = None         # xfrm: set of state lines
        self.manual = None      # static SAs: {(from, to, proto, spi, enc, key, integ, key)}
        self.extra = set()      # selectors the platform adds on its own (ISA, seed 001)
        self.peer_addr = None   # the peer address the file names (set peer, -RemoteTunnelEndpoint)
        self.self_addrs = None  # the addresses the file gives this gateway
        self.esp_life = None    # phase 2 lifetime in seconds, where the file says
        self.ike_version = None # 1 or 2, where the file says per tunnel


BANNER = re.compile(r"^(?:!|:|#|REM) tunnel (\S+) \([^)]*\): (\S+) <-> (\S+)\s*$")


def session_key(w):
    """`inbound|outbound esp SPI [cipher HEX] [authenticator HEX]` or
    `inbound|outbound ah SPI HEX` -> (direction, proto, spi, enc key, auth key);
    the SPI is decimal."""
    direction, proto, spi = w[0], w[1], int(w[2], 10)
    if proto == "ah":
        return direction, proto, spi, "", w[3].lower()
    rest = dict(zip(w[3::2], w[4::2]))
    return (direction, proto, spi, rest.get("cipher", "").lower(),
            rest.get("authenticator", "").lower())


def parse_cisco(path, target, gateway, ends):
    wildcard = target == "ios"
    ike, tsets, acls, maps = set(), {}, {}, {}
    own = set()
    tunnel = None
    block = None
    ike2 = None
    for raw in open(path, encoding="ascii"):
        line = raw.rstrip("\n")
        m = BANNER.match(line)
        if m:
            tunnel = m.group(1)
            ends[tunnel] = End(m.group(2), m.group(3), target)
            continue
        w = line.split()
        if not w or line.startswith(("!", ":")):
            continue
        indented = line.startswith(" ")
        if not indented:
            block = None
        # ---- IOS sub-mode blocks ----
        if target == "ios":
            if w[:3] == ["crypto", "isakmp", "policy"]:
                block = {"kind": "isakmp"}
                continue
            if w[:3] == ["crypto", "ikev2", "proposal"]:
                block = {"kind": "ikev2"}
                continue
            if w[:2] == ["ip", "access-list"]:
                block = {"kind": "acl", "name": w[3]}
                acls.setdefault(w[3], [])
                continue
            if w[:3] == ["crypto", "ipsec", "profile"]:
                # A virtual tunnel interface's profile: the SA settings of a
                # map entry, no access list (it proposes any to any).
                block = {"kind": "map", "tunnel": tunnel, "sessions": []}
                maps[("profile", w[3])] = block
                continue
            if w[:2] == ["crypto", "map"] and len(w) == 5 and w[4] in ("ipsec-isakmp",
                                                                    "ipsec-manual"):
                block = {"kind": "map", "tunnel": tunnel, "sessions": []}
                maps[(w[2], w[3])] = block
                continue
            if indented and w[0] == "pre-shared-key" and tunnel:
                ends[tunnel].psk = w[1]
                continue
            if indented and w[:2] == ["ip", "address"] and len(w) >= 4:
                own.add(w[2])
                continue
            if indented and block:
                k = block["kind"]
                if k == "isakmp":
                    if w[0] == "encryption":
                        block["enc"] = IKE1_ENC[" ".join(w[1:])]
                    elif w[0] == "hash":
                        block["integ"] = IKE_HASH[w[1]]
                    elif w[0] == "group":
                        block["group"] = int(w[1])
                        ike.add((block["enc"], block["integ"], block["group"]))
                elif k == "ikev2":
                    if w[0] == "encryption":
                        block["enc"] = [IKE2_ENC[x] for x in w[1:]]
                    elif w[0] in ("integrity", "prf"):
                        block["integ"] = [IKE_HASH[x] for x in w[1:]]
                    elif w[0] == "group":
                        for e in block["enc"]:
                            for i in block["integ"]:
                                for g in w[1:]:
                                    ike.add((e, i, int(g)))
                elif k == "acl" and w[0] == "permit":
                    acls[block["name"]].append(acl_pair(w[2:], True))
                elif k == "map":
                    if w[:2] == ["set", "peer"]:
                        block["peer"] = w[2]
                    elif w[:4] == ["set", "security-association", "lifetime", "seconds"]:
                        block["life"] = int(w[4])
                    elif w[:2] == ["set", "transform-set"]:
                        block["ts"] = w[2:]
                    elif w[:2] == ["match", "address"]:
                        block["acl"] = w[2]
                    elif w[:2] == ["set", "pfs"]:
                        block["pfs"] = int(w[2][5:])
                    elif w[:2] == ["set", "session-key"]:
                        block["sessions"].append(session_key(w[2:]))
                continue
            if w[:3] == ["crypto", "isakmp", "key"] and tunnel:
                ends[tunnel].psk = w[3]
            elif w[:3] == ["crypto", "ipsec", "transform-set"]:
                rest = " ".join(w[4:])
                enc = next((ENC["ios"][k] for k in sorted(ENC["ios"], key=len, reverse=True)
                            if rest.startswith(k)), "none")
                auth = next((AUTH[x] for x in w[4:] if x in AUTH), "none")
                tsets[w[3]] = (enc, auth)
            continue
        # ---- PIX flat lines ----
        if w[0] == "access-list":
            acls.setdefault(w[1], []).append(acl_pair(w[4:], False))
        elif w[:3] == ["crypto", "ipsec", "transform-set"]:
            enc = next((ENC["pix"][x] for x in w[4:] if x in ENC["pix"]), "none")
            auth = next((AUTH[x] for x in w[4:] if x in AUTH), "none")
            tsets[w[3]] = (enc, auth)
        elif w[:2] == ["crypto", "map"] and len(w) > 3 and w[3] != "interface":
            b = maps.setdefault((w[2], w[3]), {"kind": "map", "tunnel": tunnel, "sessions": []})
            if w[4:6] == ["set", "session-key"]:
                b["sessions"].append(session_key(w[6:]))
            elif w[4:6] == ["match", "address"]:
                b["acl"] = w[6]
            elif w[4:6] == ["set", "transform-set"]:
                b["ts"] = w[6:]
            elif w[4:6] == ["set", "pfs"]:
                b["pfs"] = int(w[6][5:])
        elif w[:2] == ["isakmp", "key"] and tunnel:
            ends[tunnel].psk = w[2]
        elif w[:2] == ["isakmp", "policy"]:
            pol = maps.setdefault(("isakmp", w[2]), {})
            if w[3] == "encryption":
                pol["enc"] = IKE1_ENC[w[4]]
            elif w[3] == "hash":
                pol["integ"] = IKE_HASH[w[4]]
            elif w[3] == "group":
                pol["group"] = int(w[4])
    for key, b in maps.items():
        if key[0] == "isakmp":
            ike.add((b["enc"], b["integ"], b["group"]))
    for b in maps.values():
        if b.get("kind") != "map" or not b.get("tunnel"):
            continue
        e = ends[b["tunnel"]]
        for src, dst in acls.get(b.get("acl"), []):
            e.out.add((src, dst))
            e.inb.add((dst, src))
        e.esp |= {tsets[t] for t in b.get("ts", [])}
        e.pfs = b.get("pfs", 0)
        if target == "ios":
            e.peer_addr = b.get("peer")
            e.esp_life = b.get("life")
        if b["sessions"]:
            # A manual entry names one transform set: the SAs' algorithms.
            enc, integ = tsets[b["ts"][0]] if len(b.get("ts", [])) == 1 else ("?", "?")
            e.manual = set()
            for direction, proto, spi, enc_key, auth_key in b["sessions"]:
                ends_ = (e.peer, e.gateway) if direction == "inbound" else (e.gateway, e.peer)
                e.manual.add(ends_ + (proto, spi, enc, enc_key, integ, auth_key))
    for e in ends.values():
        if e.target == target and e.ike is None:
            e.ike = ike
        if target == "ios" and own:
            e.self_addrs = own


# ---- Cisco ASA (asa target) ----
ASA_IKE_ENC = {"des": "des", "3des": "3des", "aes": "aes128", "aes-192": "aes192",
               "aes-256": "aes256", "aes-gcm": "aes128-gcm", "aes-gcm-256": "aes256-gcm"}
ASA_ESP1_ENC = {"esp-null": "null", "esp-des": "des", "esp-3des": "3des", "esp-aes": "aes128",
                "esp-aes-192": "aes192", "esp-aes-256": "aes256"}
ASA_ESP1_AUTH = {"esp-none": "none", "esp-md5-hmac": "md5", "esp-sha-hmac": "sha1"}
ASA_ESP2_ENC = {"null": "null", "des": "des", "3des": "3des", "aes": "aes128", "aes-192": "aes192",
                "aes-256": "aes256", "aes-gcm": "aes128-gcm", "aes-gcm-256": "aes256-gcm"}
ASA_ESP2_INTEG = {"null": "none", "md5": "md5", "sha-1": "sha1", "sha-256": "sha256",
                  "sha-384": "sha384", "sha-512": "sha512"}


def parse_asa(path, gateway, ends):
    """An ASA configuration: global IKE policies, transform sets and IKEv2
    IPsec proposals, network objects, crypto ACLs over objects, crypto map
    entries (flat lines) or VTI profiles, tunnel-groups with their keys."""
    tunnel = None
    block = None
    ike, objects, acls, maps, tsets, props, keys = set(), {}, {}, {}, {}, {}, {}
    own = set()
    for raw in open(path, encoding="ascii"):
        line = raw.rstrip("\n")
        m = BANNER.match(line)
        if m:
            tunnel = m.group(1)
            ends[tunnel] = End(m.group(2), m.group(3), "asa")
            continue
        w = line.split()
        if not w or line.startswith("!"):
            continue
        if not line.startswith(" "):
            if block and block["kind"] in ("ike1", "ike2"):
                ike.update(policy_suites(block))
            block = None
        else:
            if not block:
                continue
            k = block["kind"]
            if k == "object":
                if w[0] == "subnet":
                    objects[block["name"]] = net(w[1], w[2] if len(w) > 2 else None)
                elif w[0] == "host":
                    objects[block["name"]] = net(w[1])
            elif k in ("ike1", "ike2"):
                block.setdefault(w[0], w[1:])
            elif k == "prop" and w[:2] == ["protocol", "esp"]:
                props[block["name"]][w[2]] = w[3:]
            elif k == "profile":
                if w[:3] == ["set", "ikev2", "ipsec-proposal"]:
                    block["props"] = w[3:]
                elif w[:2] == ["set", "pfs"]:
                    block["pfs"] = int(w[2][5:])
                elif w[:4] == ["set", "security-association", "lifetime", "seconds"]:
                    block["life"] = int(w[4])
            elif k == "group":
                if "pre-shared-key" in w:
                    keys[block["peer"]] = w[w.index("pre-shared-key") + 1]
            elif k == "iface" and w[:2] in (["ip", "address"], ["ipv6", "address"]):
                own.add(w[2].split("/")[0])
            continue
        if w[0] == "interface":
            block = {"kind": "iface"}
        elif w[:2] == ["object", "network"]:
            block = {"kind": "object", "name": w[2]}
        elif w[:3] in (["crypto", "ikev1", "policy"], ["crypto", "ikev2", "policy"]):
            block = {"kind": "ike1" if w[1] == "ikev1" else "ike2"}
        elif w[:4] == ["crypto", "ipsec", "ikev2", "ipsec-proposal"]:
            block = {"kind": "prop", "name": w[4]}
            props[w[4]] = {}
        elif w[:4] == ["crypto", "ipsec", "ikev1", "transform-set"]:
            tsets[w[4]] = {(ASA_ESP1_ENC.get(w[5], "?"), ASA_ESP1_AUTH.get(w[6], "none")
                            if len(w) > 6 else "none")}
        elif w[:3] == ["crypto", "ipsec", "profile"]:
            block = {"kind": "profile", "tunnel": tunnel}
            maps[("profile", w[3])] = block
        elif w[0] == "tunnel-group" and len(w) == 3 and w[2] == "ipsec-attributes":
            block = {"kind": "group", "peer": w[1]}
        elif w[0] == "access-list" and len(w) >= 8 and w[2:4] == ["extended", "permit"] \
                and w[5] == "object" and w[7] == "object":
            acls.setdefault(w[1], []).append((w[6], w[8]))
        elif w[:2] == ["crypto", "map"] and len(w) > 5 and w[3] != "interface":
            b = maps.setdefault((w[2], w[3]), {"kind": "map", "tunnel": tunnel})
            rest = w[4:]
            if rest[:2] == ["match", "address"]:
                b["acl"] = rest[2]
            elif rest[:2] == ["set", "peer"]:
                b["peer"] = rest[2]
            elif rest[:3] == ["set", "ikev1", "transform-set"]:
                b["ts"] = rest[3:]
            elif rest[:3] == ["set", "ikev2", "ipsec-proposal"]:
                b["props"] = rest[3:]
            elif rest[:2] == ["set", "pfs"]:
                b["pfs"] = int(rest[2][5:])
            elif rest[:4] == ["set", "security-association", "lifetime", "seconds"]:
                b["life"] = int(rest[4])
    if block and block["kind"] in ("ike1", "ike2"):
        ike.update(policy_suites(block))
    for b in maps.values():
        if not b.get("tunnel") or b["tunnel"] not in ends:
            continue
        e = ends[b["tunnel"]]
        for src, dst in acls.get(b.get("acl"), []):
            e.out.add((objects[src], objects[dst]))
            e.inb.add((objects[dst], objects[src]))
        for t in b.get("ts", []):
            e.esp |= tsets.get(t, set())
        e.ike_version = 2 if b.get("props") else 1 if b.get("ts") else None
        for pname in b.get("props", []):
            p = props.get(pname, {})
            for x in p.get("encryption", []):
                enc = ASA_ESP2_ENC.get(x, "?")
                for i in p.get("integrity", ["null"]):
                    e.esp.add((enc, "none" if enc.endswith("-gcm") else ASA_ESP2_INTEG.get(i, "?")))
        e.pfs = b.get("pfs", 0)
        e.esp_life = b.get("life")
        if b.get("peer"):
            e.peer_addr = b["peer"]
    for e in ends.values():
        if e.target != "asa":
            continue
        e.ike = ike
        e.self_addrs = own
        if e.peer_addr in keys:
            e.psk = keys[e.peer_addr]


def policy_suites(block):
    """The (enc, integ, group) suites of an ASA IKEv1 or IKEv2 policy block."""
    encs = [ASA_IKE_ENC.get(x, "?") for x in block.get("encryption", [])]
    if block["kind"] == "ike1":
        integs = [IKE_HASH.get(x, "?") for x in block.get("hash", ["sha"])]
    else:
        # The PRF list names the hash an AEAD policy keys with, as IOS's.
        integs = [IKE_HASH.get(x, "?") for x in block.get("prf", block.get("integrity", []))]
    groups = [int(g) for g in block.get("group", [])]
    return {(x, i, g) for x in encs for i in integs for g in groups}


# ---- Windows Server 2012+ (powershell target) ----
PS_ENC = {"DES": "des", "DES3": "3des", "AES128": "aes128", "AES192": "aes192",
          "AES256": "aes256", "AESGCM128": "aes128-gcm", "AESGCM256": "aes256-gcm", "None": "null"}
PS_HASH = {"MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA384": "sha384", "None": "none",
           "AESGMAC128": "none", "AESGMAC256": "none"}
PS_DH = {"DH1": 1, "DH2": 2, "DH14": 14, "DH19": 19, "DH20": 20, "None": 0}


def ps_args(line):
    """-Name value pairs of a cmdlet line; a value may be a quoted list."""
    return {m.group(1): m.group(2) for m in
            re.finditer(r"-(\w+)(?::\S+)?\s+((?:'[^']*'(?:,'[^']*')*)|[^\s-][^\s]*)", line)}


def ps_list(value):
    return [x.strip("'") for x in value.split(",")]


def parse_powershell(path, gateway, ends):
    """GW.ps1: per tunnel the main-mode proposals and set, the quick-mode
    proposals and set (PFS), the auth proposal naming the key file's entry,
    and `New-NetIPsecRule -Mode Tunnel` with its addresses and endpoints; the
    keys are in GW.keys beside it."""
    keys = {}
    kpath = os.path.join(os.path.dirname(path), gateway + ".keys")
    if os.path.exists(kpath):
        for line in open(kpath, encoding="latin-1"):
            name, _, key = line.rstrip("\n").partition(" ")
            keys[name] = key
    tunnel = None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\r\n")
        m = BANNER.match(line)
        if m:
            tunnel = m.group(1)
            e = ends[tunnel] = End(m.group(2), m.group(3), "powershell")
            e.ike, e.pfs = set(), 0
            continue
        if not tunnel or line.startswith("#"):
            continue
        e = ends[tunnel]
        a = ps_args(line)
        if "New-NetIPsecMainModeCryptoProposal" in line:
            e.ike.add((PS_ENC[a["Encryption"]], PS_HASH[a["Hash"]], PS_DH[a["KeyExchange"]]))
        elif "New-NetIPsecQuickModeCryptoProposal" in line:
            if a.get("Encapsulation") == "AH":
                e.esp.add(("none", "ah-" + PS_HASH[a["AHHash"]]))
            else:
                e.esp.add((PS_ENC[a["Encryption"]], PS_HASH[a["ESPHash"]]))
            e.esp_life = int(a["MaxMinutes"]) * 60
        elif "New-NetIPsecQuickModeCryptoSet" in line:
            e.pfs = PS_DH[a["PerfectForwardSecrecyGroup"]]
        elif "New-NetIPsecAuthProposal" in line:
            m = re.search(r"\$tuncKeys\['([^']*)'\]", line)
            e.psk = keys.get(m.group(1)) if m else None
        elif line.startswith("New-NetIPsecRule "):
            local = [net(x) for x in ps_list(a["LocalAddress"])]
            remote = [net(x) for x in ps_list(a["RemoteAddress"])]
            for s_ in local:
                for d in remote:
                    if s_.version == d.version:
                        e.out.add((s_, d))
                        e.inb.add((d, s_))
            e.peer_addr = a["RemoteTunnelEndpoint"]
            e.self_addrs = {a["LocalTunnelEndpoint"]}
            e.ike_version = {"IKEv1": 1, "IKEv2": 2}.get(a.get("KeyModule"))


def kv(line):
    return dict(re.findall(r'(\w+)=("[^"]*"|\S+)', line))


def unq(s):
    return s[1:-1] if s.startswith('"') else s


def unq_key(s):
    """A key as a .cmd file holds it: '%' is doubled there."""
    return unq(s).replace("%%", "%")


def parse_netsh(path, gateway, ends):
    tunnel = None
    ike = set()
    lists, actions, rules = {}, {}, []
    platform_added = set()
    extra_next = False
    for raw in open(path, encoding="ascii", newline=""):
        line = raw.rstrip("\r\n")
        m = BANNER.match(line)
        if m:
            tunnel = m.group(1)
            ends[tunnel] = End(m.group(2), m.group(3), "netsh")
            continue
        if line.startswith("REM") and "the platform adds this filter" in line:
            extra_next = True
            continue
        if line.startswith("REM") or not line.startswith("netsh"):
            continue
        a = kv(line)
        if "add policy" in line:
            for item in unq(a["mmsecmethods"]).split():
                c, h, g = item.split("-")
                ike.add((c.lower(), h.lower(), WIN_GROUP[g]))
        elif "mainmode mmsecmethods" in line:
            spec = line.split("mmsecmethods ", 1)[1]
            group, items = spec.split(":", 1)
            for item in items.split(","):
                enc, integ = item.split("-")
                ike.add((enc, integ, AF_GROUP[group]))
        elif "add filter " in line and "filterlist=" in line:
            def pfx(which):
                if a[which + "addr"] == "any":
                    return net("any")
                return net(a[which + "addr"], a[which + "mask"])
            lists.setdefault(unq(a["filterlist"]), []).append((pfx("src"), pfx("dst")))
            if extra_next:
                platform_added.add((pfx("src"), pfx("dst")))
                extra_next = False
        elif "add filteraction" in line:
            suites = set()
            for offer in unq(a["qmsecmethods"]).split():
                m2 = re.match(r"ESP\[(\w+),(\w+)\]", offer)
                if m2:
                    enc = {"none": "null"}.get(m2.group(1).lower(), m2.group(1).lower())
                    suites.add((enc, m2.group(2).lower()))
                else:
                    suites.add(("none", "ah-" + re.match(r"AH\[(\w+)\]", offer).group(1).lower()))
            actions[unq(a["name"])] = (suites, a["qmpfs"] == "yes")
        elif "add rule" in line and "consec" not in line:
            rules.append((tunnel, unq(a["filterlist"]), unq(a["filteraction"]), unq_key(a["psk"]),
                          unq(a["name"]).endswith("-out")))
        elif "consec add rule" in line:
            e = ends[tunnel]
            l1 = [net(x) for x in a["endpoint1"].split(",")]
            l2 = [net(x) for x in a["endpoint2"].split(",")]
            for s in l1:
                for d in l2:
                    e.out.add((s, d))
                    e.inb.add((d, s))
            e.psk = unq_key(a["auth1psk"])
            e.pfs = AF_GROUP.get(a["qmpfs"], 0)
            for offer in a["qmsecmethods"].split(","):
                body = offer.split("+")[0]
                integ, enc = body[4:].split("-")
                if enc.startswith("aesgcm"):
                    enc, integ = "aes%s-gcm" % enc[6:], "none"
                e.esp.add(({"none": "null"}.get(enc, enc), integ))
    for tunnel, flist, action, psk, outbound in rules:
        e = ends[tunnel]
        (e.out if outbound else e.inb).update(lists.get(flist, []))
        e.extra |= platform_added & set(lists.get(flist, []))
        e.esp, pfs = actions[action]
        e.pfs = pfs
        e.psk = psk
    for e in ends.values():
        if e.target == "netsh" and e.ike is None:
            e.ike = ike


def xfrm_key(word):
    return "" if word in ("''", '""') else word[2:].lower() if word.startswith("0x") else word


def parse_xfrm(path, gateway, ends):
    tunnel = None
    states = {}         # tunnel -> [(src, dst, proto, spi, enc, key, integ, key)]
    local = {}          # tunnel -> this end's address (the `dir out` template's src)
    for raw in open(path, encoding="ascii"):
        line = raw.rstrip("\n")
        m = BANNER.match(line)
        if m:
            tunnel = m.group(1)
            ends[tunnel] = End(m.group(2), m.group(3), "xfrm")
            ends[tunnel].sas = set()
            continue
        if not tunnel:
            continue
        e = ends[tunnel]
        w = line.split()
        if w[:3] == ["xfrm", "state", "add"]:     # a line of `ip -batch`
            e.sas.add(" ".join(w[3:]))
            enc = integ = "none"
            if "enc" in w:
                name, key = w[w.index("enc") + 1].strip("'"), w[w.index("enc") + 2]
                bits = (len(key) - 2) * 4 if key.startswith("0x") else 0
                enc = {"cbc(aes)": "aes%d" % bits, "cbc(des3_ede)": "3des", "cbc(des)": "des",
                       "ecb(cipher_null)": "null"}[name]
            if "auth-trunc" in w:
                integ = XFRM_AUTH[w[w.index("auth-trunc") + 1].strip("'")]
            proto = w[w.index("proto") + 1]
            if proto == "ah":
                enc, integ = "none", "ah-" + integ
            e.esp.add((enc, integ))
            e.pfs = 0
            enc_key = xfrm_key(w[w.index("enc") + 2]) if "enc" in w else ""
            auth_key = xfrm_key(w[w.index("auth-trunc") + 2]) if "auth-trunc" in w else ""
            states.setdefault(tunnel, []).append(
                (w[w.index("src") + 1], w[w.index("dst") + 1], proto,
                 int(w[w.index("spi") + 1], 16), enc, enc_key, integ, auth_key))
        elif w[:4] == ["ip", "xfrm", "policy", "update"]:
            src, dst = net(w[w.index("src") + 1]), net(w[w.index("dst") + 1])
            d = w[w.index("dir") + 1]
            if d == "out":
                local.setdefault(tunnel, w[w.index("tmpl") + 2])
                e.out.add((src, dst))
            elif d == "in":
                e.inb.add((src, dst))
    for t, sas in states.items():
        e = ends[t]
        here = local.get(t, sas[0][0])  # without a policy: the script's first state is outbound
        e.manual = {((e.gateway, e.peer) if src == here else (e.peer, e.gateway)) + tuple(rest)
                    for src, dst, *rest in sas}


SWAN_ENC = {"null": "null", "des": "des", "3des": "3des", "aes128": "aes128", "aes192": "aes192",
            "aes256": "aes256", "aes128gcm16": "aes128-gcm", "aes256gcm16": "aes256-gcm"}
SWAN_INTEG = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384",
              "sha512": "sha512"}
SWAN_GROUP = {"modp768": 1, "modp1024": 2, "modp1536": 5, "modp2048": 14, "modp3072": 15,
              "modp4096": 16, "ecp256": 19, "ecp384": 20, "ecp521": 21}


def swan_proposal(text):
    """strongSwan's "aes256-aes128-sha256-ecp256" -> (encs, integs, groups);
    an AEAD proposal's "prfsha256" counts as its integrity."""
    encs, integs, groups = [], [], []
    for tok in text.split("-"):
        if tok in SWAN_ENC:
            encs.append(SWAN_ENC[tok])
        elif tok.startswith("prf") and tok[3:] in SWAN_INTEG:
            integs.append(SWAN_INTEG[tok[3:]])
        elif tok in SWAN_INTEG:
            integs.append(SWAN_INTEG[tok])
        elif tok in SWAN_GROUP:
            groups.append(SWAN_GROUP[tok])
        else:
            raise ValueError("unknown strongSwan algorithm " + tok)
    return encs, integs, groups


def parse_swanctl(path, gateway, ends):
    tunnel = None
    local, remote = [], []
    for raw in open(path, encoding="ascii"):
        line = raw.rstrip("\n")
        m = BANNER.match(line)
        if m:
            tunnel = m.group(1)
            ends[tunnel] = End(m.group(2), m.group(3), "swanctl")
            ends[tunnel].ike = set()
            ends[tunnel].pfs = 0
            continue
        m = re.match(r"^    # tunnel (\S+)'s pre-shared key", line)
        if m:
            tunnel = m.group(1)
            continue
        m = re.match(r"^\s*(\w+) = (.*)$", line)
        if not m or not tunnel:
            continue
        key, value = m.group(1), m.group(2)
        e = ends[tunnel]
        if key == "proposals":
            for prop in value.split(","):
                encs, integs, groups = swan_proposal(prop)
                e.ike |= {(x, i, g) for x in encs for i in integs for g in groups}
        elif key in ("esp_proposals", "ah_proposals"):
            for prop in value.split(","):
                encs, integs, groups = swan_proposal(prop)
                if key == "ah_proposals":
                    e.esp |= {("none", "ah-" + i) for i in integs}
                else:
                    e.esp |= {(x, "none" if x.endswith("-gcm") else i)
                              for x in encs for i in (integs or ["none"])}
                e.pfs = groups[0] if groups else 0
        elif key in ("local_ts", "remote_ts"):
            nets = [net(x.split("[")[0]) for x in value.split(",")]
            if key == "local_ts":
                local = nets
            else:
                for s_ in local:
                    for d in nets:
                        if s_.version == d.version:
                            e.out.add((s_, d))
                            e.inb.add((d, s_))
        elif key == "secret":
            e.psk = (bytes.fromhex(value[2:]).decode("latin-1") if value.startswith("0x")
                     else unq(value))


LINT_GROUPS = {
    "selectors": {"selector-mirror", "gateway-own-traffic", "selector-overlap"},
    "esp": {"ipsec-mismatch", "no-common-proposal", "platform-unsupported"},
    "ike": {"ike-mismatch", "no-common-proposal", "platform-unsupported"},
    "pfs": {"ipsec-mismatch", "no-common-proposal", "no-pfs"},
    "keys": {"psk-mismatch", "keying-mismatch"},
    "peer": {"peer-unreachable", "egress-address"},
    "lifetime": {"lifetime-mismatch", "ipsec-mismatch"},
}


# ---- filters and routes against the model ----------------------------------
# Each emitted gateway file's interface filters and routes, read back from
# the text, against the topology tunc compiled them from (engine.xml, the
# engine's own input): the same rules in the same order with the same
# default (an RRAS list: the rules with the action opposite to the default),
# and every written route with its next hop (and, on IOS, the interface
# written with `dev`).

PROTO = {"ip": None, "any": None, "icmp": 1, "tcp": 6, "udp": 17, "gre": 47, "esp": 50,
         "ah": 51, "ahp": 51}


def proto_num(word):
    return PROTO[word] if word in PROTO else int(word)


def anynet(p):
    return "any" if p in ("any", "0.0.0.0/0", "::/0") else str(ipaddress.ip_network(p, strict=False))


def ports(text):
    if not text:
        return (0, 0)
    lo, _, hi = text.partition("-")
    return (int(lo), int(hi or lo))


def model_of(outdir):
    """{gateway: {"filters": {(iface, dir): (rules, default)}, "routes": [...]}}"""
    import xml.etree.ElementTree as ET
    path = os.path.join(outdir, "engine.xml")
    if not os.path.exists(path):
        return {}
    gws = {}
    for g in ET.parse(path).getroot().iter("gateway"):
        d = gws.setdefault(g.get("name"), {"filters": {}, "routes": [], "nameif": {}})
        for ifc in g.iter("interface"):
            for f in ifc.iter("filter"):
                rules = [(r.get("action"), anynet(r.get("from")), anynet(r.get("to")),
                          proto_num(r.get("protocol", "any")), ports(r.get("port")))
                         for r in f.iter("rule")]
                d["filters"][(ifc.get("name"), f.get("dir"))] = (rules, f.get("default", "permit"))
        for r in g.findall("route"):
            d["routes"].append((anynet(r.get("to")), r.get("via"), r.get("dev")))
    return gws


def cisco_addr(words, wildcard):
    w = words.pop(0)
    if w == "any":
        return "any"
    if w == "host":
        return str(ipaddress.ip_network(words.pop(0)))
    return anynet(str(net(w, words.pop(0), wildcard)))


def cisco_ace(words, wildcard):
    action = "permit" if words.pop(0) == "permit" else "drop"
    proto = proto_num(words.pop(0))
    src = cisco_addr(words, wildcard)
    dst = cisco_addr(words, wildcard)
    pr = (0, 0)
    if words[:1] == ["eq"]:
        pr = (int(words[1]), int(words[1]))
    elif words[:1] == ["range"]:
        pr = (int(words[1]), int(words[2]))
    return (action, src, dst, proto, pr)


def as_filter(aces):
    """Rules and default from a Cisco list that ends with `permit|deny ip any any`."""
    if not aces or aces[-1][1:] != ("any", "any", None, (0, 0)):
        return None
    return (aces[:-1], aces[-1][0])


def emitted_cisco(path, target):
    filters, routes, lists, nameif = {}, [], {}, {}
    iface = None
    for raw in open(path):
        line = raw.rstrip("\n")
        w = line.split()
        if not w:
            continue
        if target == "ios":
            if w[0] == "ip" and w[1:3] == ["access-list", "extended"]:
                cur = lists.setdefault(w[3], []) if w[3].startswith("tunc-filter-") else None
                continue
            if line.startswith(" ") and w[0] in ("permit", "deny") and cur is not None:
                cur.append(cisco_ace(w, True))
                continue
            if w[0] == "interface":
                iface = w[1]
            elif w[0] == "ip" and w[1] == "access-group" and iface:
                filters[(iface, w[3])] = w[2]
            elif w[0] == "ip" and w[1] == "route":
                dst = anynet(str(net(w[2], w[3])))
                dev = w[4] if not w[4][0].isdigit() else None
                via = w[5] if dev and len(w) > 5 and w[5][0].isdigit() else (None if dev else w[4])
                routes.append((dst, via, dev))
            elif w[0] == "ipv6" and w[1] == "route":
                # ipv6 route PREFIX [IFACE] [NEXT-HOP]: a next hop has a ':'.
                dst = anynet(str(net(w[2])))
                dev = w[3] if ":" not in w[3] else None
                via = w[4] if dev and len(w) > 4 and ":" in w[4] else (None if dev else w[3])
                routes.append((dst, via, dev))
            if not line.startswith(" "):
                cur = None
        else:
            if target == "asa" and w[0] == "interface":
                iface = w[1]
            elif target == "asa" and w[0] == "nameif" and line.startswith(" "):
                nameif[w[1]] = iface
            elif w[0] == "nameif":
                nameif[w[2]] = w[1]
            elif w[0] == "access-list" and w[1].startswith("tunc-filter-"):
                if w[2] == "remark":
                    continue
                lists.setdefault(w[1], []).append(
                    cisco_ace(w[3:] if w[2] == "extended" else w[2:], False))
            elif w[0] == "access-group":
                filters[(w[4], w[2])] = w[1]
            elif w[0] == "route":
                routes.append((anynet(str(net(w[2], w[3]))), w[4], None))
    out = {}
    for (ifc, d), name in filters.items():
        out[(nameif.get(ifc, ifc), d)] = as_filter(lists.get(name, []))
    return out, routes


def emitted_netsh(path):
    filters, routes = {}, []
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.strip()
        if line.startswith("netsh routing ip add filter "):
            a = kv(line)
            src = anynet(str(net(a["srcaddr"], a["srcmask"])))
            dst = anynet(str(net(a["dstaddr"], a["dstmask"])))
            pr = (int(a["dstport"]), int(a["dstport"])) if a.get("dstport", "0") != "0" else (0, 0)
            key = (unq(a["name"]), "in" if a["filtertype"] == "input" else "out")
            filters.setdefault(key, [[], None])[0].append((src, dst, proto_num(a["proto"]), pr))
        elif line.startswith("netsh routing ip set filter "):
            a = kv(line)
            key = (unq(a["name"]), "in" if a["filtertype"] == "input" else "out")
            filters.setdefault(key, [[], None])[1] = "drop" if a["action"] == "drop" else "permit"
        elif "route -p add " in line:
            w = line.split("route -p add ", 1)[1].split()
            routes.append((anynet(str(net(w[0], w[2]))), w[3], None))
    return {k: (v[0], v[1]) for k, v in filters.items()}, routes


def emitted_nft(path):
    filters, routes, chains = {}, [], {}
    chain = None
    for raw in open(path):
        line = raw.strip()
        w = line.split()
        if line.startswith("#   tunc-route "):
            routes.append((anynet(w[2]), None if w[4] == "-" else w[4], None))
        elif line.startswith("chain ") and (w[1].startswith("in_") or w[1].startswith("out_")):
            chain = chains.setdefault(w[1], [])
        elif line == "}":
            chain = None
        elif chain is not None and w and w[0] in ("meta", "accept", "drop"):
            chain.append(w)
        elif w[:1] in (["iifname"], ["oifname"]) and "jump" in w:
            filters[(w[1].strip('"'), "in" if w[0] == "iifname" else "out")] = w[-1]
    out = {}
    for key, name in filters.items():
        body = chains.get(name, [])
        rules = []
        for w in body[:-1]:
            src = dst = "any"
            proto, pr = None, (0, 0)
            i = 3
            while i < len(w) - 1:
                if w[i] in ("ip", "ip6"):
                    if w[i + 1] == "saddr":
                        src = anynet(w[i + 2])
                    else:
                        dst = anynet(w[i + 2])
                    i += 3
                elif w[i] in ("tcp", "udp"):
                    proto, pr = PROTO[w[i]], ports(w[i + 2])
                    i += 3
                elif w[i:i + 2] == ["meta", "l4proto"]:
                    proto = int(w[i + 2])
                    i += 3
                else:
                    i += 1
            rules.append(("permit" if w[-1] == "accept" else "drop", src, dst, proto, pr))
        default = ("permit" if body and body[-1] == ["accept"] else "drop") if body else None
        out[key] = (rules, default)
    return out, routes


def emitted_powershell(path):
    """Windows Firewall rules (New-NetFirewallRule), the profile defaults
    (Set-NetFirewallProfile) and routes (New-NetRoute) of a GW.ps1."""
    rules, defaults, routes = {}, {}, []
    protos = {"TCP": 6, "UDP": 17, "ICMPv4": 1, "ICMPv6": 58}
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\r\n")
        a = ps_args(line)
        if line.startswith("New-NetFirewallRule "):
            inbound = a["Direction"] == "Inbound"
            local = anynet(a["LocalAddress"].strip("'")) if "LocalAddress" in a else "any"
            remote = anynet(a["RemoteAddress"].strip("'")) if "RemoteAddress" in a else "any"
            port = a.get("LocalPort" if inbound else "RemotePort")
            proto = a.get("Protocol")
            proto = None if proto is None else protos.get(proto, None) or int(proto)
            rule = ("permit" if a["Action"] == "Allow" else "drop",
                    remote if inbound else local, local if inbound else remote, proto,
                    ports(port) if port else (0, 0))
            rules.setdefault((a["InterfaceAlias"].strip("'"), "in" if inbound else "out"),
                             []).append(rule)
        elif line.startswith("Set-NetFirewallProfile "):
            for d, k in (("in", "DefaultInboundAction"), ("out", "DefaultOutboundAction")):
                if k in a:
                    defaults[d] = "drop" if a[k] == "Block" else "permit"
        elif line.startswith("New-NetRoute "):
            routes.append((anynet(a["DestinationPrefix"].strip("'")), a.get("NextHop"),
                           a.get("InterfaceAlias", "").strip("'") or None))
    # Rules have no order on Windows (block wins): compared as sets.
    return {k: (sorted(v), defaults.get(k[1])) for k, v in rules.items()}, routes


def rras_view(rules, default):
    """What an RRAS list holds of a filter: the rules whose action is not the default's."""
    return sorted((r[1], r[2], r[3], r[4]) for r in rules if r[0] != default)


def check_filters_routes(outdir):
    model = model_of(outdir)
    failures = 0
    for name in sorted(os.listdir(outdir)):
        gw = name.split(".")[0]
        path = os.path.join(outdir, name)
        if gw not in model:
            continue
        if name.endswith(".ios.cfg"):
            filters, routes, kind = *emitted_cisco(path, "ios"), "acl"
        elif name.endswith(".pix.cfg"):
            filters, routes, kind = *emitted_cisco(path, "pix"), "acl"
        elif name.endswith(".netsh.cmd"):
            filters, routes, kind = *emitted_netsh(path), "rras"
        elif name.endswith(".xfrm.sh"):
            filters, routes, kind = *emitted_nft(path), "acl"
        elif name.endswith(".asa.cfg"):
            filters, routes, kind = *emitted_cisco(path, "asa"), "acl"
        elif name.endswith(".ps1"):
            filters, routes, kind = *emitted_powershell(path), "wfas"
        else:
            continue
        want = model[gw]["filters"]
        problems = []
        for key, (rules, default) in sorted(want.items()):
            got = filters.get(key)
            if got is None:
                problems.append(f"filter {key[1]} on {key[0]} not written")
            elif kind == "rras":
                if got[1] != default or sorted(got[0]) != rras_view(rules, default):
                    problems.append(f"filter {key[1]} on {key[0]}: {got} vs {rules} default {default}")
            elif kind == "wfas":
                # A filter with no rule is the profile default alone: it is
                # written as no New-NetFirewallRule (not checked here).
                if got != (sorted(rules), default):
                    problems.append(f"filter {key[1]} on {key[0]}: written {got}, described "
                                    f"{(sorted(rules), default)}")
            elif got != (rules, default):
                problems.append(f"filter {key[1]} on {key[0]}: written {got}, described {(rules, default)}")
        for key in sorted(set(filters) - set(want)):
            problems.append(f"filter {key[1]} on {key[0]} written but not described")
        for dst, via, dev in model[gw]["routes"]:
            ios = name.endswith(".ios.cfg")
            hit = [r for r in routes if r[0] == dst and (r[1] == via or not via)
                   and (not ios or r[2] == dev)]
            if not hit and (via or ios):
                problems.append(f"route {dst} via {via}{' dev ' + dev if dev else ''} not written")
        if problems:
            failures += 1
            print(f"FAIL {gw} ({name}): filters/routes differ from the description: {'; '.join(problems)}")
        else:
            print(f"ok   {gw} ({name}): {len(want)} filter(s) and {len(model[gw]['routes'])} "
                  f"route(s) as described")
    return failures


def main():
    lint = json.load(open(sys.argv[1]))
    flagged = {}
    for f in lint.get("findings", []):
        if f.get("tunnel"):
            flagged.setdefault(f["tunnel"], set()).add(f["check"])
    outdir = sys.argv[2]
    by_gateway = {}
    if not os.path.isdir(outdir):
        print("nothing written")
        return 0
    for name in sorted(os.listdir(outdir)):
        path = os.path.join(outdir, name)
        ends = {}
        gw = name.split(".")[0]
        if name.endswith(".ios.cfg"):
            parse_cisco(path, "ios", gw, ends)
        elif name.endswith(".pix.cfg"):
            parse_cisco(path, "pix", gw, ends)
        elif name.endswith(".netsh.cmd"):
            parse_netsh(path, gw, ends)
        elif name.endswith(".xfrm.sh"):
            parse_xfrm(path, gw, ends)
        elif name.endswith(".swanctl.conf"):
            parse_swanctl(path, gw, ends)
        elif name.endswith(".asa.cfg"):
            parse_asa(path, gw, ends)
        elif name.endswith(".ps1"):
            parse_powershell(path, gw, ends)
        else:
            continue
        for t, e in ends.items():
            # A tunnel keyed by IKE is in swanctl.conf; the xfrm script
            # holds only the static SAs of the manually keyed ones.
            if e.target == "xfrm" and not e.sas:
                continue
            by_gateway[(t, e.gateway)] = e
    # The address a gateway behind a NAT device is reached by: its NAT's.
    reached = {}
    xml = os.path.join(outdir, "engine.xml")
    if os.path.exists(xml):
        import xml.etree.ElementTree as ET
        for gw_ in ET.parse(xml).getroot().iter("gateway"):
            for ifc in gw_.iter("interface"):
                if ifc.get("behind-nat"):
                    reached.setdefault(gw_.get("name"), set()).add(ifc.get("behind-nat"))
    failures = compared = 0
    for (t, g), a in sorted(by_gateway.items()):
        b = by_gateway.get((t, a.peer))
        if not b or g > a.peer:
            continue        # one end only (a peer without platform), or seen already
        compared += 1
        differ = (a.out ^ b.inb) | (b.out ^ a.inb)
        if differ and differ <= (a.extra | b.extra):
            print(f"note {t}: {g} <-> {a.peer}: only selectors the platform adds on its own "
                  f"are unmatched (seed 001): {sorted(map(str, differ))}")
            differ = set()
        checks = [("selectors", not differ,
                   f"{g} sends {sorted(map(str, a.out))} / {a.peer} accepts {sorted(map(str, b.inb))}; "
                   f"{a.peer} sends {sorted(map(str, b.out))} / {g} accepts {sorted(map(str, a.inb))}"),
                  # Negotiated ends need a common suite; manually keyed
                  # ends (xfrm scripts, ipsec-manual entries) the very same one.
                  ("esp", a.esp == b.esp if a.manual is not None and b.manual is not None
                   else bool(a.esp & b.esp), f"{sorted(a.esp)} vs {sorted(b.esp)}")]
        if a.ike is not None and b.ike is not None:
            checks.append(("ike", bool(a.ike & b.ike), f"{sorted(a.ike)} vs {sorted(b.ike)}"))
        if a.ike_version and b.ike_version:
            checks.append(("ike", a.ike_version == b.ike_version,
                           f"IKEv{a.ike_version} vs IKEv{b.ike_version}"))
        # Each end names the other's address as its peer, where both files
        # say (behind NAT the peer is the NAT's address: lint's findings).
        for x, y in ((a, b), (b, a)):
            if x.peer_addr and y.self_addrs:
                checks.append(("peer", x.peer_addr in y.self_addrs | reached.get(y.gateway, set()),
                               f"{x.gateway} names peer {x.peer_addr}, {y.gateway}'s addresses "
                               f"are {sorted(y.self_addrs)}"))
        if a.esp_life is not None and b.esp_life is not None:
            # PowerShell writes minutes: equal to the minute.
            checks.append(("lifetime", abs(a.esp_life - b.esp_life) < 60,
                           f"phase 2 lifetime {a.esp_life} s vs {b.esp_life} s"))
        if a.sas is None and b.sas is None and a.manual is None and b.manual is None:
            checks.append(("pfs", bool(a.pfs) == bool(b.pfs), f"pfs {a.pfs} vs {b.pfs}"))
            checks.append(("keys", a.psk is not None and a.psk == b.psk, "pre-shared keys differ"))
        elif a.sas is not None and b.sas is not None:
            checks.append(("keys", a.sas == b.sas and len(a.sas) == 2,
                           "the two ends' `ip xfrm state` lines differ"))
        else:
            # One end keyed by hand (an xfrm script): the other must hold
            # the same two SAs, direction by direction.
            m, o = (a, b) if a.sas is not None else (b, a)
            if o.manual is None:
                detail = f"{o.gateway} ({o.target}) has no static SAs toward {m.gateway}"
            else:
                detail = (f"{a.gateway}'s SAs (from, to, proto, SPI) "
                          f"{sorted(x[:4] for x in a.manual)} vs {b.gateway}'s "
                          f"{sorted(x[:4] for x in b.manual)}, or their algorithms or keys")
            checks.append(("keys", o.manual is not None and a.manual == b.manual
                           and len(a.manual) == 2, detail))
        for aspect, ok, detail in checks:
            allowed = flagged.get(t, set()) & LINT_GROUPS[aspect]
            if ok:
                print(f"ok   {t}: {g} <-> {a.peer}: {aspect} agree")
            elif allowed:
                print(f"ok   {t}: {aspect} differ, as lint reports ({', '.join(sorted(allowed))})")
            else:
                failures += 1
                print(f"FAIL {t}: {g} <-> {a.peer}: {aspect} disagree and lint reports "
                      f"nothing: {detail}")
    print(f"{compared} tunnel(s) compared, {failures} disagreement(s)")
    failures += check_filters_routes(outdir)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
