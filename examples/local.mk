# examples: every example policy, its keys and its README, shipped in the
# distribution (the acceptance tests and the editor tests read them).
EXTRA_DIST += \
	examples/README.md \
	examples/asa-branch/README.md \
	examples/asa-branch/asa-hq.psk \
	examples/asa-branch/asa-hq.tun \
	examples/asa-branch/no-exempt.tun \
	examples/branch-behind-pat/README.md \
	examples/branch-behind-pat/hq-branch.psk \
	examples/branch-behind-pat/hq-branch.tun \
	examples/branch-behind-pat/no-initiator.tun \
	examples/hq-branch-linux/README.md \
	examples/hq-branch-linux/hq-branch.psk \
	examples/hq-branch-linux/hq-branch.tun \
	examples/import-ios-strongswan/README.md \
	examples/import-ios-strongswan/rtr-a.cfg \
	examples/import-ios-strongswan/fw-b.swanctl.conf \
	examples/ios-aws/README.md \
	examples/ios-aws/one-pair.tun \
	examples/ios-aws/two-pairs.tun \
	examples/ios-aws/vpc-t1.psk \
	examples/ios-aws/vpc-t2.psk \
	examples/ios-aws/vpc.tun \
	examples/ios-ipv6-vti/README.md \
	examples/ios-ipv6-vti/crypto-map.tun \
	examples/ios-ipv6-vti/hq-branch.psk \
	examples/ios-ipv6-vti/vti.tun \
	examples/ios-vti-pix/README.md \
	examples/ios-vti-pix/vti-pix.psk \
	examples/ios-vti-pix/vti-pix.tun \
	examples/language-tour.tun \
	examples/linux-ikev2/README.md \
	examples/linux-ikev2/hq-branch.psk \
	examples/linux-ikev2/ios-linux.tun \
	examples/linux-ikev2/ipv6.tun \
	examples/linux-ikev2/site-to-site.tun \
	examples/linux-route-based/README.md \
	examples/linux-route-based/hq-branch.psk \
	examples/linux-route-based/hq-branch.tun \
	examples/pix-outside-inside/README.md \
	examples/pix-outside-inside/branch-hq.psk \
	examples/pix-outside-inside/pix-ios.tun \
	examples/seed000-isa-pix-null/3des-sha1.tun \
	examples/seed000-isa-pix-null/README.md \
	examples/seed000-isa-pix-null/null-sha1.tun \
	examples/seed000-isa-pix-null/pix-isa.psk \
	examples/seed001-isa-own-traffic/README.md \
	examples/seed001-isa-own-traffic/a-b.psk \
	examples/seed001-isa-own-traffic/broken.tun \
	examples/seed001-isa-own-traffic/fixed.tun \
	examples/seed002-w2k-third-party/README.md \
	examples/seed002-w2k-third-party/accept-unsecured.tun \
	examples/seed002-w2k-third-party/default-route.tun \
	examples/seed002-w2k-third-party/fixed.tun \
	examples/seed002-w2k-third-party/mirrored.tun \
	examples/seed002-w2k-third-party/neta-netb.psk \
	examples/seed002-w2k-third-party/port-filter.tun \
	examples/seed003-ios-hq-branch/README.md \
	examples/seed003-ios-hq-branch/ah-behind-nat.tun \
	examples/seed003-ios-hq-branch/hq-branch.psk \
	examples/seed003-ios-hq-branch/hq-branch.tun \
	examples/seed003-ios-hq-branch/no-exempt.tun \
	examples/seed004-windows-static-route/README.md \
	examples/seed004-windows-static-route/broken.tun \
	examples/seed004-windows-static-route/fixed.tun \
	examples/seed004-windows-static-route/gw-partner.psk \
	examples/windows-asa/README.md \
	examples/windows-asa/dc-asa.psk \
	examples/windows-asa/w2022-asa.tun \
	examples/tour/defaults.tun \
	examples/tour/hq-branch.psk \
	examples/tour/hq-partner.psk \
	examples/tour/lab-dc.psk \
	examples/tour/partner-copy.psk

# The seeds' acceptance scenarios, as the READMEs state them.
TESTS += tests/examples-acceptance.sh
EXTRA_DIST += tests/examples-acceptance.sh
