# emit: the emitters behind one table (emit_table.c), their shared helpers,
# and the Cisco form of manually keyed entries (their keys: src/model/manual_keys.c).
libtunc_a_SOURCES += \
	emit/emit.h emit/targets.h emit/emit_table.c \
	emit/common.c emit/common.h \
	emit/filter_walk.c emit/filter_walk.h \
	emit/manual.c emit/manual.h \
	emit/fidelity.c emit/fidelity.h \
	emit/nft_filter.c emit/nft_filter.h \
	emit/tunnel_iface.c emit/tunnel_iface.h \
	emit/emit_ios.c \
	emit/emit_pix.c \
	emit/emit_asa.c \
	emit/emit_netsh.c \
	emit/emit_powershell.c \
	emit/emit_xfrm.c \
	emit/emit_swanctl.c
# The whole topology for `tunc run ENGINE.xml`, valid against data/engine.rng
# (installed in $(pkgdatadir), where the loader finds it).
libtunc_a_SOURCES += emit/emit_engine.c
# The peer sheet, written for every peer (PEER.peer.txt).
libtunc_a_SOURCES += emit/emit_peer_sheet.c
dist_pkgdata_DATA += data/engine.rng
EXTRA_DIST += doc/engine-xml.md

# Tests of the emitters and `tunc compile`.
TESTS += tests/golden-emit.sh tests/both-ends.sh tests/compile-cli.sh tests/powershell.sh \
	tests/powershell-filters.sh \
	tests/xfrm-netns.sh tests/xfrm-kernel.sh tests/swanctl-charon.sh \
	tests/swanctl-differential.sh tests/emit-selectors.sh tests/manual-spi.sh
EXTRA_DIST += tests/golden-emit.sh tests/both-ends.sh tests/both-ends.py tests/powershell.sh \
	tests/powershell-filters.sh \
	tests/emit-selectors.sh tests/emit-selectors.py tests/manual-spi.sh \
	tests/compile-cli.sh tests/xfrm-netns.sh tests/xfrm-kernel.sh \
	tests/swanctl-charon.sh tests/swanctl-differential.sh tests/charon-pair.sh \
	tests/vm/xfrm-two-sites.sh tests/vm/xfrm-pairs.sh tests/emit tests/golden/emit
EXTRA_DIST += doc/emitters.md
# Issue 10: one check per defect (filters, Windows, IOS as pasted, round trips).
TESTS += tests/fidelity.sh
EXTRA_DIST += tests/fidelity.sh
