#!/bin/sh
# Secrets are never printed (issues 11 and 15): for every reader, a key on
# a line that draws an error or a note, or a lint finding, is shown as '*'
# by `tunc import` and `tunc lint` in every format, and is not in the
# written .tun.  Each key holds Xk9QvLm2Zt; no five characters of it may
# appear anywhere.
. "$top_srcdir/tests/lib.sh"
[ -x "$TUNC" ] || skip "tunc is not built"
cd "$TMP"
core=Xk9QvLm2Zt

# leaked FILE...: true when any 5 characters in a row of the key are there.
leaked() {
	i=1
	while [ $i -le 6 ]; do
		piece=$(printf '%s' "$core" | cut -c$i-$((i + 4)))
		if grep -q -F -e "$piece" "$@" 2>/dev/null; then
			echo "'$piece' found in: $(grep -l -F -e "$piece" "$@" 2>/dev/null | tr '\n' ' ')"
			return 0
		fi
		i=$((i + 1))
	done
	return 1
}

# check NAME WHERE... -- FILE...: import and lint FILEs (text, json, sarif,
# junit): each WHERE (FILE:LINE) is in lint's text report (which holds
# the import's errors and notes too), so the key's line was really shown;
# no part of the key is anywhere.
check() {
	name=$1
	shift
	wants=
	while [ "$1" != -- ]; do
		wants="$wants $1"
		shift
	done
	shift
	set +e
	NO_COLOR=1 "$TUNC" import "$@" -o "$name.tun" >"$name.import.out" 2>"$name.import.err"
	for fmt in text json sarif junit; do
		NO_COLOR=1 "$TUNC" lint --format "$fmt" "$@" >"$name.lint.$fmt" 2>&1
	done
	set -e
	for w in $wants; do
		grep -q -F "$w:" "$name.lint.text" ||
			{ cat "$name.lint.text"; fail "$name: lint says nothing at $w"; }
	done
	if out=$(leaked "$name".import.* "$name".lint.* "$name.tun"); then
		cat "$name".lint.text "$name".import.err
		fail "$name: the key is printed: $out"
	fi
	echo "ok: $name"
}

# ---- Cisco IOS ----
cat >ios-bad.cfg <<'EOF'
hostname rtr-a
crypto isakmp key Xk9QvLm2Zt address
crypto isakmp key 6 Xk9QvLm2Zt-6
EOF
check ios-bad ios-bad.cfg:2 ios-bad.cfg:3 -- ios-bad.cfg

cat >ios.cfg <<'EOF'
hostname rtr-a
interface GigabitEthernet0/0
 ip address 192.0.2.1 255.255.255.0
 crypto map OUT
interface GigabitEthernet0/1
 ip address 10.1.0.1 255.255.255.0
ip access-list extended VPN
 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
crypto isakmp policy 10
 encryption aes 256
 hash sha256
 authentication pre-share
 group 14
crypto isakmp key Xk9QvLm2Zt-a address 198.51.100.2
crypto isakmp key Xk9QvLm2Zt-b hostname peer.example.com
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
crypto map OUT 10 ipsec-isakmp
 set peer 198.51.100.2
 set transform-set TS
 match address VPN
crypto ikev2 keyring KR
 peer far
  address 203.0.113.9
  pre-shared-key local Xk9QvLm2Zt-kr
crypto keyring OLD
 pre-shared-key address 203.0.113.10 key Xk9QvLm2Zt-old
ip route 0.0.0.0 0.0.0.0 192.0.2.254
EOF
# 14: lint's inline-secret and weak-psk at the key; 15: a note on its line.
check ios ios.cfg:14 ios.cfg:15 -- ios.cfg

cat >ios-manual.cfg <<'EOF'
hostname rtr-m
interface GigabitEthernet0/0
 ip address 192.0.2.1 255.255.255.0
 crypto map OUT
crypto map OUT 20 ipsec-manual
 set peer 198.51.100.2
 set session-key sideways esp 300 cipher 0123Xk9QvLm2Zt authenticator 4567Xk9QvLm2Zt
 set session-key outbound esp 301 cipher 89abXk9QvLm2Zt
EOF
# 7: an error on the manual keys' line.
check ios-manual ios-manual.cfg:7 -- ios-manual.cfg

# ---- Cisco ASA ----
cat >asa.cfg <<'EOF'
ASA Version 9.8(4)
hostname fw-b
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 198.51.100.2 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.2.0.1 255.255.255.0
access-list VPN extended permit ip 10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0
crypto ipsec ikev2 ipsec-proposal P
 protocol esp encryption aes-256
 protocol esp integrity sha-256
crypto map OUT 10 match address VPN
crypto map OUT 10 set peer 192.0.2.1
crypto map OUT 10 set ikev2 ipsec-proposal P
crypto map OUT interface outside
crypto ikev2 policy 10
 encryption aes-256
 integrity sha256
 group 14
crypto ikev2 enable outside
tunnel-group 192.0.2.1 type ipsec-l2l
tunnel-group 192.0.2.1 ipsec-attributes
 ikev2 local-authentication pre-shared-key Xk9QvLm2Zt-local
 ikev2 remote-authentication pre-shared-key Xk9QvLm2Zt-remote
route outside 0.0.0.0 0.0.0.0 198.51.100.254
EOF
# 26: lint at the key; 27: the remote key noted.
check asa asa.cfg:26 asa.cfg:27 -- asa.cfg
cat >asa-manual.cfg <<'EOF'
ASA Version 9.8(4)
hostname fw-m
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 198.51.100.2 255.255.255.0
crypto map OUT 20 ipsec-manual
crypto map OUT 20 set peer 192.0.2.1
crypto map OUT 20 set session-key sideways esp 300 cipher 0123Xk9QvLm2Zt authenticator 4567Xk9QvLm2Zt
crypto map OUT 20 set session-key outbound esp 301 cipher 89abXk9QvLm2Zt
crypto map OUT interface outside
EOF
# 9: something said of the manual keys' line.
check asa-manual asa-manual.cfg:9 -- asa-manual.cfg

# ---- Cisco PIX ----
cat >pix.cfg <<'EOF'
PIX Version 6.3(5)
nameif ethernet0 outside security0
nameif ethernet1 inside security100
hostname pix-c
ip address outside 203.0.113.2 255.255.255.0
ip address inside 10.3.0.1 255.255.255.0
access-list VPN permit ip 10.3.0.0 255.255.0.0 10.1.0.0 255.255.0.0
crypto ipsec transform-set TS esp-aes-256 esp-sha-hmac
crypto map OUT 10 ipsec-isakmp
crypto map OUT 10 match address VPN
crypto map OUT 10 set peer 192.0.2.1
crypto map OUT 10 set transform-set TS
crypto map OUT interface outside
isakmp enable outside
isakmp key Xk9QvLm2Zt-p1 address 192.0.2.1 netmask 255.255.255.255
isakmp key Xk9QvLm2Zt-p2 address 192.0.2.0 netmask 255.255.255.0
isakmp policy 10 authentication pre-share
isakmp policy 10 encryption aes-256
isakmp policy 10 hash sha
isakmp policy 10 group 5
route outside 0.0.0.0 0.0.0.0 203.0.113.254
EOF
# 15: lint at the key; 16: a key for a range of peers noted.
check pix pix.cfg:15 pix.cfg:16 -- pix.cfg
cat >pix-bad.cfg <<'EOF'
PIX Version 6.3(5)
nameif ethernet0 outside security0
isakmp key Xk9QvLm2Zt address
EOF
check pix-bad pix-bad.cfg:3 -- pix-bad.cfg

# ---- strongSwan swanctl.conf ----
cat >sw.swanctl.conf <<'EOF'
connections {
	west {
		local_addrs = 198.51.100.20
		remote_addrs = 192.0.2.10
		proposals = aes256-sha256-modp2048
		local { auth = psk }
		remote { auth = psk }
		children {
			net {
				local_ts = 10.20.0.0/16
				remote_ts = 10.10.0.0/16
				esp_proposals = aes256-sha256-modp2048
			}
		}
	}
}
secrets {
	ike-west {
		id-1 = 192.0.2.10
		secret = "Xk9QvLm2Zt-sw"
	}
	ike-bad {
		secret "Xk9QvLm2Zt-noeq"
	}
}
EOF
# 20: lint at the key; 23: a syntax error on the key's line.
check swanctl sw.swanctl.conf:23 -- sw.swanctl.conf
sed '/ike-bad/,/^	}/d' sw.swanctl.conf >sw2.swanctl.conf
check swanctl-lint sw2.swanctl.conf:20 -- sw2.swanctl.conf

# ---- ipsec.conf with its secrets ----
cat >west.ipsec.conf <<'EOF'
conn west-east
	left=198.51.100.20
	leftsubnet=10.20.0.0/16
	right=192.0.2.10
	rightsubnet=10.10.0.0/16
	authby=secret
	ike=aes256-sha2_256;modp2048
	esp=aes256-sha2_256;modp2048
	auto=start
EOF
printf '198.51.100.20 192.0.2.10 : PSK "Xk9QvLm2Zt-ok"\n' >west.ipsec.secrets
check ipsecconf west.ipsec.secrets:1 -- west.ipsec.conf
printf '198.51.100.20 192.0.2.10 : PSK "Xk9QvLm2Zt-open\n' >west.ipsec.secrets
check ipsecconf-quote west.ipsec.secrets:1 -- west.ipsec.conf
printf '198.51.100.20 192.0.2.10 PSK "Xk9QvLm2Zt-nocolon"\n' >west.ipsec.secrets
check ipsecconf-colon west.ipsec.secrets:1 -- west.ipsec.conf
printf '198.51.100.20 192.0.2.10 : PSK ""\n: PSK "Xk9QvLm2Zt-any"\n' >extra.secrets
printf '198.51.100.20 192.0.2.10 : PSK "Xk9QvLm2Zt-ok"\n' >west.ipsec.secrets
check ipsecconf-given extra.secrets:1 -- west.ipsec.conf extra.secrets

# ---- netsh ----
cat >neta.cmd <<'EOF'
netsh ipsec static add policy name="P" mmsecmethods="3DES-SHA1-3" mmlifetime=480 assign=no
netsh ipsec static add filterlist name="A to B"
netsh ipsec static add filter filterlist="A to B" srcaddr=192.168.10.0 srcmask=255.255.255.0 dstaddr=192.168.20.0 dstmask=255.255.255.0 protocol=ANY mirrored=no
netsh ipsec static add filterlist name="B to A"
netsh ipsec static add filter filterlist="B to A" srcaddr=192.168.20.0 srcmask=255.255.255.0 dstaddr=192.168.10.0 dstmask=255.255.255.0 protocol=ANY mirrored=no
netsh ipsec static add filteraction name="F" qmpfs=no inpass=no soft=no action=negotiate qmsecmethods="ESP[3DES,SHA1]:100000k/3600s"
netsh ipsec static add rule name="A to B" policy="P" filterlist="A to B" filteraction="F" tunnel=203.0.113.20 conntype=all psk="Xk9QvLm2Zt-ns"
netsh ipsec static add rule name="B to A" policy="P" filterlist="B to A" filteraction="F" tunnel=198.51.100.10 conntype=all psk="Xk9QvLm2Zt-ns"
netsh ipsec dynamic add rule srcaddr=any dstaddr=any psk=Xk9QvLm2Zt-dyn
netsh advfirewall consec add rule name=x endpoint1=any endpoint2=any action=requireinrequireout auth1=computerkerb auth1psk=Xk9QvLm2Zt-af
EOF
# 7: lint at the key; 9, 10: notes on the keys' lines.
check netsh neta.cmd:7 neta.cmd:9 neta.cmd:10 -- neta.cmd
cat >netb.cmd <<'EOF'
netsh ipsec static add policy name="P" mmsecmethods="3DES-SHA1-3"
netsh ipsec static add rule name="A to B" policy="P" filterlist="A to B" filteraction="F" tunnel=203.0.113.20 psk="Xk9QvLm2Zt-open
EOF
check netsh-quote netb.cmd:2 -- netb.cmd

# ---- PowerShell ----
cat >gw.ps1 <<'EOF'
Import-Module NetSecurity
$mm = New-NetIPsecMainModeCryptoProposal -Encryption AES256 -Hash SHA256 -KeyExchange DH14
$mmSet = New-NetIPsecMainModeCryptoSet -DisplayName "MM" -Proposal $mm
$qm = New-NetIPsecQuickModeCryptoProposal -Encapsulation ESP -Encryption AES256 -ESPHash SHA256
$qmSet = New-NetIPsecQuickModeCryptoSet -DisplayName "QM" -Proposal $qm -PerfectForwardSecrecyGroup DH14
$psk = New-NetIPsecAuthProposal -Machine -PreSharedKey "Xk9QvLm2Zt-ps" -Frobnicate 1
$auth = New-NetIPsecPhase1AuthSet -DisplayName "PSK" -Proposal $psk
New-NetIPsecMainModeRule -DisplayName "MM" -LocalAddress 192.0.2.10 -RemoteAddress 198.51.100.1 -MainModeCryptoSet $mmSet.Name -Phase1AuthSet $auth.Name
New-NetIPsecRule -DisplayName "T" -Mode Tunnel -LocalAddress 10.4.0.0/16 -RemoteAddress 10.1.0.0/16 -LocalTunnelEndpoint 192.0.2.10 -RemoteTunnelEndpoint 198.51.100.1 -Phase1AuthSet $auth.Name -QuickModeCryptoSet $qmSet.Name
EOF
# 6: a note on the key's line (and lint at the key).
check powershell gw.ps1:6 -- gw.ps1
printf 'Import-Module NetSecurity\n$psk = New-NetIPsecAuthProposal -Machine -PreSharedKey "Xk9QvLm2Zt-open\n' >gw-bad.ps1
check powershell-quote gw-bad.ps1:2 -- gw-bad.ps1

# tunc's own script, reading its keys from win-gw.keys beside it.
cp "$top_srcdir/tests/fuzz/corpus-import_powershell/tunc-output.ps1" win-gw.ps1
printf 'gw-partner Xk9QvLm2Zt-keys\n' >win-gw.keys
chmod 600 win-gw.keys
# 1: lint at the key in the key file.
check powershell-keys win-gw.keys:1 -- win-gw.ps1

# ---- ip xfrm scripts (keys by hand) ----
cat >x.sh <<'EOF'
#!/bin/sh
ip addr add 192.0.2.1/24 dev eth0
ip xfrm state add src 192.0.2.1 dst 198.51.100.1 proto esp reqid 1 mode tunnel \
	auth sha256 0x0123Xk9QvLm2Zt enc aes 0x4567Xk9QvLm2Zt
ip xfrm state add src 198.51.100.1 dst 192.0.2.1 proto esp spi 0x1002 mode transport auth sha256 0x89abXk9QvLm2Zt enc 0xcdefXk9QvLm2Zt
ip xfrm state allocspi src 198.51.100.1 dst 192.0.2.1 proto esp enc aes 0xfeedXk9QvLm2Zt
EOF
# 3: an error on a statement whose keys are on its next line; 5, 6: notes.
check xfrm x.sh:3 x.sh:5 x.sh:6 -- x.sh

# ---- the mask says nothing of a key's length ----
# One IOS router with two keys of different lengths in turn: every line
# lint shows is the same (the key a fixed run of '*'), and the caret of
# inline-secret at the key underlines the mask, not the key's length.
for n in short long; do
	k=Xk9QvLm2Zt-Pq8Wn3Rb7Jd5Hs
	[ $n = long ] && k=Xk9QvLm2Zt-Pq8Wn3Rb7Jd5Hs-Lf6Tc4Gy1Mz9Vb2Nk5Qw8Er0
	sed "s/^crypto isakmp key [^ ]* /crypto isakmp key $k /" \
		"$top_srcdir/examples/import-ios-strongswan/rtr-a.cfg" >$n.cfg
	NO_COLOR=1 "$TUNC" lint $n.cfg >$n.mask.txt 2>&1 || true
	grep -A1 '^ *14 | crypto isakmp key \*\*\*\*\*\*\*\* address 203.0.113.10$' $n.mask.txt |
		grep -q '^ *| *\^~~~~~~~$' ||
		{ cat $n.mask.txt; fail "$n.cfg: the key is not shown as the fixed mask"; }
	sed "s/$n\\.cfg/X.cfg/g" $n.mask.txt >$n.norm
done
cmp -s short.norm long.norm || { diff short.norm long.norm; fail "two keys of different lengths print differently"; }
! leaked short.mask.txt long.mask.txt || fail "a key was printed"
