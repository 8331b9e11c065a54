#!/bin/sh
# east: a tunnel to west keyed by hand, as ip-xfrm(8) writes it.
# 10.1.0.0/24 -- west 192.0.2.1 ==== 198.51.100.1 east -- 10.2.0.0/24
set -e
ip addr add 198.51.100.1/24 dev eth0
ip addr add 10.2.0.1/24 dev eth1
ip route add default via 198.51.100.254 dev eth0
sysctl -w net.ipv4.ip_forward=1

ip xfrm state flush
ip xfrm policy flush
ip xfrm state add src 192.0.2.1 dst 198.51.100.1 proto esp spi 0x00001001 reqid 1 mode tunnel \
	auth sha256 0x6b8f0c3d2e1a4f5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d \
	enc aes 0x00112233445566778899aabbccddeeff
ip xfrm state add src 198.51.100.1 dst 192.0.2.1 proto esp spi 0x00001002 reqid 1 mode tunnel \
	auth sha256 0x0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0 \
	enc aes 0xffeeddccbbaa99887766554433221100
ip xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir out tmpl src 198.51.100.1 dst 192.0.2.1 proto esp reqid 1 mode tunnel
ip xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir in tmpl src 192.0.2.1 dst 198.51.100.1 proto esp reqid 1 mode tunnel
ip xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir fwd tmpl src 192.0.2.1 dst 198.51.100.1 proto esp reqid 1 mode tunnel
