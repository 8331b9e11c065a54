#!/usr/bin/python3
"""Writes a hub's running-config and its N spokes' configurations, for timing
`tunc import` and `tunc lint CONFIG...` at scale (doc/performance.md).

    gen-hub-configs.py N -o DIR [--style compiled|hand] [--tunc PATH]

The estate is gen-hub.py's: the hub (Cisco IOS, 198.51.100.1, site
192.168.0.0/16) and N spokes, spoke i with the /27 10.0.0.0/8 + (i+1)*32 and
the outside address 100.64.0.0/10 + i*4 + 1, one tunnel each to the hub.
Even spokes are Cisco IOS routers, odd ones strongSwan hosts (swanctl.conf).

--style compiled (the default) writes DIR/hubN.tun (gen-hub.py N --platform
ios-linux) and a random key DIR/hub.psk (0600), runs `tunc compile`, and
keeps the hub's IOS config (one crypto map, N entries, N IKEv2 keyrings and
profiles) and each spoke's ios.cfg or swanctl.conf in DIR/configs.

--style hand writes the same estate as an engineer would have typed it,
in the vendors' documented style, without tunc: IKEv1 (`crypto isakmp
policy`, one `crypto isakmp key ... address` per peer), named extended
ACLs, one transform set, one crypto map with N entries `set peer` / `set
transform-set` / `set pfs` / `match address`; spokes likewise, and
swanctl.conf files with a secrets section.  Each spoke's key is its own.

Either way every file is mode 0600 (they hold keys), and the N+1 files
are the only ones in DIR/configs: `tunc lint DIR/configs/*` reads the estate
(10,001 names fit the command line; Linux allows 2 MiB of arguments).
"""
import argparse
import hashlib
import importlib.util
import os
import secrets
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("gen_hub", os.path.join(HERE, "gen-hub.py"))
gen_hub = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_hub)

HUB = "198.51.100.1"


def private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def wildcard(bits):
    m = (1 << (32 - bits)) - 1
    return ".".join(str((m >> s) & 255) for s in (24, 16, 8, 0))


def compiled(args, cfg):
    tun = os.path.join(args.output, "hub%d.tun" % args.n)
    subprocess.run([sys.executable, os.path.join(HERE, "gen-hub.py"), str(args.n),
                    "--platform", "ios-linux", "-o", tun], check=True)
    private(os.path.join(args.output, "hub.psk"), secrets.token_urlsafe(24) + "\n")
    out = os.path.join(args.output, "compiled")
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([args.tunc, "compile", tun, "-o", out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    names = ["hub-gw.ios.cfg"] + ["spoke%d.%s" % (i, "ios.cfg" if i % 2 == 0 else "swanctl.conf")
                                  for i in range(args.n)]
    for name in names:
        os.replace(os.path.join(out, name), os.path.join(cfg, name))
    shutil.rmtree(out)
    return names


def hand(args, cfg):
    hub = ["! hub.cfg: Cisco IOS 15.4 running-config", "hostname hub", "!",
           "crypto isakmp policy 10", " encr aes 256", " hash sha256",
           " authentication pre-share", " group 14", " lifetime 86400", "!"]
    acls, entries = [], []
    names = ["hub.cfg"]
    for i in range(args.n):
        addr, net = gen_hub.spoke_addrs(i, False)
        key = hashlib.sha256(b"spoke %d" % i).hexdigest()[:32]   # not a secret
        hub.append("crypto isakmp key %s address %s" % (key, addr))
        acls += ["ip access-list extended VPN-SPOKE-%d" % i,
                 " permit ip 192.168.0.0 0.0.255.255 %s %s" % (net, wildcard(27)), "!"]
        entries += ["crypto map VPN %d ipsec-isakmp" % (10 * (i + 1)),
                    " description spoke %d" % i, " set peer %s" % addr,
                    " set transform-set AES256-SHA256", " set pfs group14",
                    " set security-association lifetime seconds 3600",
                    " match address VPN-SPOKE-%d" % i, "!"]
        gw, router = net + 1, addr + 1
        if i % 2 == 0:
            name = "spoke%d.cfg" % i
            private(os.path.join(cfg, name), "\n".join([
                "hostname spoke%d" % i, "!",
                "crypto isakmp policy 10", " encr aes 256", " hash sha256",
                " authentication pre-share", " group 14", " lifetime 86400",
                "crypto isakmp key %s address %s" % (key, HUB), "!",
                "crypto ipsec transform-set AES256-SHA256 esp-aes 256 esp-sha256-hmac",
                " mode tunnel", "!",
                "ip access-list extended VPN-HUB",
                " permit ip %s %s 192.168.0.0 0.0.255.255" % (net, wildcard(27)), "!",
                "crypto map VPN 10 ipsec-isakmp", " set peer %s" % HUB,
                " set transform-set AES256-SHA256", " set pfs group14",
                " set security-association lifetime seconds 3600",
                " match address VPN-HUB", "!",
                "interface GigabitEthernet0/0",
                " ip address %s 255.255.255.252" % addr, " crypto map VPN", "!",
                "interface GigabitEthernet0/1",
                " ip address %s 255.255.255.224" % gw, "!",
                "ip route 0.0.0.0 0.0.0.0 %s" % router, "end", ""]))
        else:
            name = "spoke%d.swanctl.conf" % i
            private(os.path.join(cfg, name), """\
# /etc/swanctl/swanctl.conf on spoke%d (strongSwan 5.9)
connections {
    hub {
        version = 1
        local_addrs = %s
        remote_addrs = %s
        proposals = aes256-sha256-modp2048
        rekey_time = 24h
        local {
            auth = psk
        }
        remote {
            auth = psk
        }
        children {
            hub-lan {
                local_ts = %s/27
                remote_ts = 192.168.0.0/16
                esp_proposals = aes256-sha256-modp2048
                life_time = 1h
                start_action = trap
            }
        }
    }
}
secrets {
    ike-hub {
        id-hub = %s
        secret = "%s"
    }
}
""" % (i, addr, HUB, net, HUB, key))
        names.append(name)
    hub += ["!", "crypto ipsec transform-set AES256-SHA256 esp-aes 256 esp-sha256-hmac",
            " mode tunnel", "!"] + acls + entries + [
            "interface GigabitEthernet0/0", " ip address %s 255.255.255.0" % HUB,
            " crypto map VPN", "!", "interface GigabitEthernet0/1",
            " ip address 192.168.0.1 255.255.0.0", "!",
            "ip route 0.0.0.0 0.0.0.0 198.51.100.254", "end", ""]
    private(os.path.join(cfg, "hub.cfg"), "\n".join(hub))
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of spokes")
    ap.add_argument("-o", "--output", required=True, help="directory to write")
    ap.add_argument("--style", choices=("compiled", "hand"), default="compiled")
    ap.add_argument("--tunc", default="./tunc", help="tunc to compile with (--style compiled)")
    args = ap.parse_args()
    if args.n < 1 or args.n > 500000:
        ap.error("N must be between 1 and 500000")
    cfg = os.path.join(args.output, "configs")
    os.makedirs(cfg, exist_ok=True)
    (compiled if args.style == "compiled" else hand)(args, cfg)


if __name__ == "__main__":
    main()
