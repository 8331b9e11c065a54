# Readers of device configurations (tunc import, tunc lint CONFIG...).
libtunc_a_SOURCES += \
	src/import/import.c src/import/import.h \
	src/import/device.h src/import/reader.h \
	src/import/util.c src/import/ts_list.c src/import/lines.c src/import/lines.h \
	src/import/cisco.c src/import/cisco.h \
	src/import/assemble.c src/import/assemble.h \
	src/import/write_tun.c src/import/orient.c \
	src/import/proposal.c src/import/proposal.h \
	src/import/end_settings.c src/import/end_settings.h src/import/behind_nat.c \
	src/import/merge.c src/import/merge.h src/import/manual.c src/import/defaultroute.c \
	src/import/ios/ios.c \
	src/import/swanctl/swanctl.c \
	src/import/pix_asa/fw.h src/import/pix_asa/common.c \
	src/import/pix_asa/pix.c src/import/pix_asa/asa.c \
	src/import/ipsecconf/ipsecconf.c src/import/ipsecconf/secrets.c \
	src/import/ipsecconf/ipsecconf.h \
	src/import/netsh/netsh.c \
	src/import/xfrm/xfrm.c
libtunc_a_SOURCES += \
	src/import/peer.c src/import/peer.h src/import/sheet/sheet.h \
	src/import/sheet/sheet.c src/import/sheet/proposals.c
libtunc_a_SOURCES += \
	src/import/powershell/ps.h src/import/powershell/lex.c \
	src/import/powershell/script.c src/import/powershell/cmdlets.c \
	src/import/powershell/keys.c src/import/powershell/powershell.c
# The netsh reader's RRAS packet filters (netsh routing ip).
libtunc_a_SOURCES += src/import/netsh/netsh.h src/import/netsh/rras.c src/import/netsh/iface.c
