REM Gateway w2k-gw (Windows 2000, site net-a)
REM KB 252735, "How to Configure IPSec Tunneling in Windows 2000", as
REM commands: NetA 192.168.10.0/24 behind this gateway (W2KextIP
REM 198.51.100.10 on "Local Area Connection 2"), NetB 192.168.20.0/24
REM behind a third-party gateway (3rdExtIP 203.0.113.20).
REM How to Build a Filter List from NetA to NetB / from NetB to NetA
netsh ipsec static add filterlist name="NetA to NetB"
netsh ipsec static add filter filterlist="NetA to NetB" srcaddr=192.168.10.0 srcmask=255.255.255.0 dstaddr=192.168.20.0 dstmask=255.255.255.0 protocol=ANY mirrored=no
netsh ipsec static add filterlist name="NetB to NetA"
netsh ipsec static add filter filterlist="NetB to NetA" srcaddr=192.168.20.0 srcmask=255.255.255.0 dstaddr=192.168.10.0 dstmask=255.255.255.0 protocol=ANY mirrored=no
REM Configure a Rule: "Negotiate security", Accept unsecured communication cleared
netsh ipsec static add filteraction name="Tunnel ESP" qmpfs=no inpass=yes soft=yes action=negotiate qmsecmethods="ESP[3DES,SHA1]:100000k/3600s"
netsh ipsec static add policy name="NetA-NetB tunnel" mmpfs=no mmlifetime=480 activatedefaultrule=no mmsecmethods="3DES-SHA1-2"
netsh ipsec static add rule name="NetA to NetB" policy="NetA-NetB tunnel" filterlist="NetA to NetB" filteraction="Tunnel ESP" tunnel=203.0.113.20 conntype=lan psk="kb252735-w2k-not-a-key"
netsh ipsec static add rule name="NetB to NetA" policy="NetA-NetB tunnel" filterlist="NetB to NetA" filteraction="Tunnel ESP" tunnel=198.51.100.10 conntype=lan psk="kb252735-w2k-not-a-key"
netsh ipsec static set policy name="NetA-NetB tunnel" assign=yes
REM How to Configure RRAS Filtering: output, then input, on W2KextIP's interface
netsh routing ip add filter name="Local Area Connection 2" filtertype=output srcaddr=192.168.10.0 srcmask=255.255.255.0 dstaddr=192.168.20.0 dstmask=255.255.255.0 proto=any
netsh routing ip add filter name="Local Area Connection 2" filtertype=output srcaddr=198.51.100.10 srcmask=255.255.255.255 dstaddr=203.0.113.20 dstmask=255.255.255.255 proto=any
netsh routing ip set filter name="Local Area Connection 2" filtertype=output action=drop
netsh routing ip add filter name="Local Area Connection 2" filtertype=input srcaddr=192.168.20.0 srcmask=255.255.255.0 dstaddr=192.168.10.0 dstmask=255.255.255.0 proto=any
netsh routing ip add filter name="Local Area Connection 2" filtertype=input srcaddr=203.0.113.20 srcmask=255.255.255.255 dstaddr=198.51.100.10 dstmask=255.255.255.255 proto=any
netsh routing ip set filter name="Local Area Connection 2" filtertype=input action=drop
REM How to Configure Static Routes: NetB through the external interface
route -p add 0.0.0.0 mask 0.0.0.0 198.51.100.1
route -p add 192.168.20.0 mask 255.255.255.0 198.51.100.1 metric 1
netsh routing ip delete filter name="Local Area Connection 2" filtertype=output srcaddr=192.168.10.0 srcmask=255.255.255.0 dstaddr=192.168.20.0 dstmask=255.255.255.0 proto=any
netsh routing ip add filter name="Local Area Connection 2" filtertype=dial srcaddr=0.0.0.0 srcmask=0.0.0.0 dstaddr=0.0.0.0 dstmask=0.0.0.0 proto=any
netsh routing ip add filter name="Local Area Connection 2" filtertype=input srcaddr=0.0.0.0 srcmask=0.0.0.0 dstaddr=0.0.0.0 dstmask=0.0.0.0 proto=icmp type=8 code=0
netsh routing ip add filter name="Local Area Connection" filtertype=output srcaddr=192.168.10.0 srcmask=255.255.255.0 dstaddr=0.0.0.0 dstmask=0.0.0.0 proto=tcp srcport=0 dstport=25
netsh routing ip set filter name="Local Area Connection" filtertype=output action=forward fragcheck=enable
netsh routing ip add persistentroute dest=10.9.0.0 mask=255.255.0.0 name="Local Area Connection" nhop=192.168.10.254
route -p add 10.8.0.0 mask 255.255.0.0 198.51.100.254 metric 3 IF 2
netsh interface ip set address name="Local Area Connection 2" source=static addr=198.51.100.10 mask=255.255.255.0 gateway=none
netsh interface ip set address "Backup" static 192.0.2.10 255.255.255.0 192.0.2.1 1
netsh interface ip add address name="Backup" addr=192.0.2.11 mask=255.255.255.0
netsh interface ipv4 set address name="Local Area Connection 3" source=dhcp
netsh interface ip set dns name="Backup" static 192.0.2.53
