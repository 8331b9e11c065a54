#!/bin/bash
# Build a tiny Debian-kernel VM image (kernel + initramfs) for running shell
# scripts as root under a real Linux kernel that has ESP/XFRM (esp4, xfrm_user...).
# Everything downloaded/built lives under $VMDIR (default /tmp/tunc-vm).
# Needs: apt-get (Debian 12 mirrors), cpio, gzip, qemu-system-x86 (installed separately:
#   apt-get install -y --no-install-recommends qemu-system-x86).
set -euo pipefail
VMDIR=${VMDIR:-/tmp/tunc-vm}
mkdir -p "$VMDIR/debs"
cd "$VMDIR/debs"
if ! ls linux-image-*.deb tcpreplay_*.deb >/dev/null 2>&1; then
  KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
  apt-get download "$KPKG" busybox-static tcpdump libpcap0.8 tcpreplay libdumbnet1 2>&1 | grep -v unsandboxed || true
fi
cd "$VMDIR"
rm -rf x root && mkdir -p x root
for d in debs/*.deb; do dpkg-deb -x "$d" x; done
KV=$(ls x/lib/modules | head -1)
cp x/boot/vmlinuz-"$KV" vmlinuz
R=$VMDIR/root
mkdir -p $R/{bin,sbin,usr/bin,usr/sbin,lib64,lib/x86_64-linux-gnu,proc,sys,dev,tmp,run,var/run/netns,etc,job,out,mnt}
cp x/bin/busybox $R/bin/busybox
# dynamic binaries + their libs: iproute2 'ip' (xfrm support) from the host, tcpdump/libpcap from the debs
copy_with_libs() { # $1 = binary, $2 = dest inside root, extra LD path in $3
  cp -L "$1" "$R/$2"
  LD_LIBRARY_PATH=${3:-} ldd "$1" | awk '/=> \//{print $3} /^\s*\/lib64/{print $1}' | while read -r l; do
    mkdir -p "$R$(dirname "$l")"; cp -Ln "$l" "$R$l" 2>/dev/null || true
    case $l in "$VMDIR"/*) cp -L "$l" "$R/lib/x86_64-linux-gnu/";; esac
  done
}
copy_with_libs /usr/sbin/ip sbin/ip
copy_with_libs /bin/bash usr/bin/bash
copy_with_libs x/usr/bin/tcpdump usr/sbin/tcpdump "$VMDIR/x/usr/lib/x86_64-linux-gnu"
copy_with_libs x/usr/bin/tcpreplay usr/bin/tcpreplay "$VMDIR/x/usr/lib/x86_64-linux-gnu"
# nftables (the emitted scripts' NAT and MSS clamping): the host's nft, as for ip
command -v nft >/dev/null || { echo "vm-setup: no nft on the host (apt-get install nftables)" >&2; exit 1; }
copy_with_libs "$(command -v nft)" usr/sbin/nft
# strongSwan's charon and swanctl with the plugins tunc's charon tests load
# (kernel-netlink: the VM's kernel has ESP), when the host has them
# (apt-get install strongswan-charon strongswan-swanctl
# libstrongswan-standard-plugins); image-version says whether they are in.
CHARON_PLUGINS="random nonce openssl aes sha1 sha2 md5 hmac gcm gmp kdf pem pkcs1 x509 pubkey kernel-netlink socket-default vici"
charon=no
if [ -x /usr/lib/ipsec/charon ] && command -v swanctl >/dev/null; then
  charon=yes
  mkdir -p $R/usr/lib/ipsec/plugins $R/etc/strongswan.d
  copy_with_libs /usr/lib/ipsec/charon usr/lib/ipsec/charon
  copy_with_libs "$(command -v swanctl)" usr/sbin/swanctl
  for p in $CHARON_PLUGINS; do
    f=/usr/lib/ipsec/plugins/libstrongswan-$p.so
    [ -f "$f" ] || { charon=no; echo "vm-setup: no charon plugin $p" >&2; continue; }
    copy_with_libs "$f" "usr/lib/ipsec/plugins/libstrongswan-$p.so"
  done
  # glibc loads it at pthread_cancel (charon's and swanctl's threads); ldd does not list it
  cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 $R/lib/x86_64-linux-gnu/
  printf 'charon {\n  load_modular = no\n  load = %s\n}\n' "$CHARON_PLUGINS" > $R/etc/strongswan.conf
fi
rm -rf "$R$VMDIR" 2>/dev/null || true
mkdir -p $R/lib64 && cp -L /lib64/ld-linux-x86-64.so.2 $R/lib64/
# kernel modules subset (net, crypto, veth/dummy) + busybox depmod so request_module works
M=lib/modules/$KV
mkdir -p $R/$M/kernel/drivers/net $R/$M/kernel/arch/x86
cp -a x/$M/kernel/{net,crypto,lib} $R/$M/kernel/
# net/netfilter stays: nf_tables and its expressions (nft_exthdr for
# `tcp option maxseg size set`) for the scripts' nft tables.
rm -rf $R/$M/kernel/net/{bridge,sched,wireless,mac80211,bluetooth,ceph,rxrpc,sunrpc,vmw_vsock,mac802154,ieee802154,nfc,rds,tipc,sctp,smc,openvswitch,batman-adv,dsa,can,9p,atm,ax25,rose,netrom,llc,802,l2tp,mpls,mptcp,psample,qrtr,ncsi}
cp -a x/$M/kernel/arch/x86/crypto $R/$M/kernel/arch/x86/
cp x/$M/kernel/drivers/net/{veth,dummy}.ko $R/$M/kernel/drivers/net/
cp x/$M/modules.{order,builtin}* $R/$M/ 2>/dev/null || true
x/bin/busybox depmod -b $R "$KV"
ln -sf /bin/busybox $R/sbin/modprobe
printf 'root:x:0:0:root:/root:/bin/sh\n' > $R/etc/passwd; printf 'root:x:0:\n' > $R/etc/group
cat > $R/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp; mount -t tmpfs run /run; mkdir -p /run/netns /var/run
echo /sbin/modprobe > /proc/sys/kernel/modprobe
for m in esp4 ah4 esp6 ah6 xfrm4_tunnel xfrm6_tunnel tunnel4 xfrm_user xfrm_interface af_key veth dummy authenc authencesn echainiv seqiv gcm ghash_generic ctr sha512_generic sha256_generic sha1_generic md5 des3_ede des_generic aesni_intel ghash_clmulni_intel chacha20poly1305 ccm cmac xcbc nf_tables nft_exthdr nft_chain_nat nft_masq nft_nat; do modprobe -q $m 2>/dev/null; done
ip link set lo up
echo TUNC_VM_BEGIN_OUTPUT
cd /job
# bash (not busybox sh: Debian busybox-static prefers its own applets, e.g. its xfrm-less ip)
/usr/bin/bash /job/run.sh > /tmp/job.out 2>&1
rc=$?
echo "TUNC_VM_STDOUT_B64"; base64 /tmp/job.out; echo "TUNC_VM_STDOUT_END"
if [ -n "$(ls -A /out 2>/dev/null)" ]; then echo "TUNC_VM_OUT_TGZ_B64"; tar -C /out -czf - . | base64; echo "TUNC_VM_OUT_END"; fi
echo "TUNC_VM_EXIT=$rc"
sync; poweroff -f
INIT
chmod +x $R/init
(cd $R && find . | $R/bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) > base.cpio.gz
rm -rf x
# What this image holds, for the tests to rebuild an older one.
if [ "$charon" = yes ]; then echo "tunc-vm 3: nft charon" > image-version
else echo "tunc-vm 3: nft" > image-version; fi
echo "kernel: $VMDIR/vmlinuz ($KV)  initramfs: $VMDIR/base.cpio.gz ($(du -h base.cpio.gz | cut -f1))"
