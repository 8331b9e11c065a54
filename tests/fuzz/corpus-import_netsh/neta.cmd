REM Tunnel from NetA (192.168.10.0/24, behind this server, 198.51.100.10)
REM to NetB (192.168.20.0/24, behind a strongSwan box, 203.0.113.20): KB 252735
netsh ipsec static add policy name="NetA-NetB" mmsecmethods="3DES-SHA1-3" mmlifetime=480 assign=no
netsh ipsec static add filterlist name="NetA to NetB"
netsh ipsec static add filter filterlist="NetA to NetB" srcaddr=192.168.10.0 srcmask=255.255.255.0 dstaddr=192.168.20.0 dstmask=255.255.255.0 protocol=ANY mirrored=no
netsh ipsec static add filterlist name="NetB to NetA"
netsh ipsec static add filter filterlist="NetB to NetA" srcaddr=192.168.20.0 srcmask=255.255.255.0 dstaddr=192.168.10.0 dstmask=255.255.255.0 protocol=ANY mirrored=no
netsh ipsec static add filteraction name="ESP 3DES SHA1" qmpfs=no inpass=no soft=no action=negotiate qmsecmethods="ESP[3DES,SHA1]:100000k/3600s"
netsh ipsec static add rule name="NetA to NetB" policy="NetA-NetB" filterlist="NetA to NetB" filteraction="ESP 3DES SHA1" tunnel=203.0.113.20 conntype=all psk="kb252735-not-a-real-key"
netsh ipsec static add rule name="NetB to NetA" policy="NetA-NetB" filterlist="NetB to NetA" filteraction="ESP 3DES SHA1" tunnel=198.51.100.10 conntype=all psk="kb252735-not-a-real-key"
netsh ipsec static set policy name="NetA-NetB" assign=yes
