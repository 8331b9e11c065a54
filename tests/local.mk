# Test harness: Check unit tests and shell tests, run by `make check`.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
UNIT_LDADD = $(TUNC_LIBS) $(CHECK_LIBS)
EXTRA_DIST += tests/lib.sh

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_frontend
TESTS += tests/unit/check_frontend
tests_unit_check_frontend_SOURCES = tests/unit/check_frontend.c tests/unit/frontend_util.h
tests_unit_check_frontend_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_frontend_LDADD = $(UNIT_LDADD)
endif
# The engine and lint's probes on one table of packets (src/model/match.h).
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_matchers
TESTS += tests/unit/check_matchers
tests_unit_check_matchers_SOURCES = tests/unit/check_matchers.c tests/unit/frontend_util.h
tests_unit_check_matchers_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_matchers_LDADD = $(UNIT_LDADD)
endif
EXTRA_DIST += tests/fuzz/run-fuzzers.sh tests/fuzz/fuzz_parser.c
TESTS += tests/golden-reject.sh tests/examples-parse.sh
EXTRA_DIST += tests/golden-reject.sh tests/examples-parse.sh tests/golden/reject
TESTS += tests/graph.sh
EXTRA_DIST += tests/graph.sh
EXTRA_DIST += tests/scale/bench-lint.sh
# Which layer may use which (src/diag below src/check; one policy loader).
TESTS += tests/layering.sh
EXTRA_DIST += tests/layering.sh
# Lint knows what compile knows: every example and test policy, both ways.
TESTS += tests/lint-compile-agree.sh
EXTRA_DIST += tests/lint-compile-agree.sh tests/limits
# Messages built to their length: long names are never cut.
TESTS += tests/long-names.sh
EXTRA_DIST += tests/long-names.sh
# Lint's fix suggestions, followed, break no gateway (tests/advice/).
TESTS += tests/lint-advice.sh
EXTRA_DIST += tests/lint-advice.sh tests/advice
# Findings at scale: 10,000 spokes lint to a short text report, JSON holds all.
TESTS += tests/lint-scale.sh
EXTRA_DIST += tests/lint-scale.sh
TESTS += tests/lint-linear.sh
EXTRA_DIST += tests/lint-linear.sh
# psk-file-mode and psk-reuse on modes and variables set by the test.
TESTS += tests/lint-keys.sh
EXTRA_DIST += tests/lint-keys.sh
TESTS += tests/hardening-io.sh tests/compile-atomic.sh
EXTRA_DIST += tests/hardening-io.sh tests/compile-atomic.sh
TESTS += tests/import.sh
EXTRA_DIST += tests/import.sh tests/import-roundtrip.list tests/import-roundtrip-differs.list
TESTS += tests/import-asa.sh
TESTS += tests/import-ios.sh
TESTS += tests/import-behind-nat.sh
TESTS += tests/import-xfrm.sh tests/import-manual-keys.sh tests/import-write.sh
EXTRA_DIST += tests/import-manual-keys.sh tests/import-write.sh
EXTRA_DIST += tests/import-xfrm.sh tests/import-xfrm/west.sh tests/import-xfrm/east.sh \
	tests/import-xfrm/east-ios.cfg \
	tests/fuzz/fuzz_import_xfrm.c tests/fuzz/corpus-import_xfrm/west.sh \
	tests/fuzz/corpus-import_xfrm/tunc-emitted-route-based.sh \
	tests/fuzz/corpus-import_xfrm/tunc-emitted-manual.sh \
	tests/fuzz/corpus-import_ios/tunc-emitted-vti.cfg \
	tests/fuzz/corpus-import_ios/tunc-emitted-route-map-nat.cfg \
	tests/fuzz/corpus-import_ios/hq-vti.cfg \
	tests/fuzz/corpus-import_ios/tunc-emitted-filters.cfg \
	tests/fuzz/corpus-import_asa/tunc-emitted-filters.asa.cfg \
	tests/fuzz/corpus-import_asa/tunc-emitted-filters.pix.cfg \
	tests/fuzz/corpus-import_ios/tunc-emitted-manual.cfg \
	tests/fuzz/corpus-import_ios/tunc-emitted-peer.cfg \
	tests/fuzz/corpus-import_asa/tunc-emitted-manual.pix.cfg \
	tests/fuzz/corpus-import_asa/tunc-emitted-vti.asa.cfg
EXTRA_DIST += tests/import-behind-nat.sh
EXTRA_DIST += tests/import-ios.sh tests/import-ios/hq-vti.cfg tests/import-ios/branch-vti.cfg
EXTRA_DIST += tests/import-asa.sh tests/import-asa/hq-asa.cfg tests/import-asa/branch-pix.cfg
EXTRA_DIST += tests/fuzz/fuzz_import.h tests/fuzz/fuzz_import_ios.c tests/fuzz/fuzz_import_swanctl.c \
	tests/fuzz/corpus-import_ios/rtr-a.cfg tests/fuzz/corpus-import_ios/tunc-emitted.cfg \
	tests/fuzz/corpus-import_swanctl/fw-b.swanctl.conf \
	tests/fuzz/corpus-import_swanctl/tunc-emitted.conf
# Route-based tunnels: IOS VTIs for IPv6, refused crypto map and PIX (issue 13).
TESTS += tests/route-based.sh
TESTS += tests/route-based-engine.sh
EXTRA_DIST += tests/route-based-engine.sh tests/route-based-engine
EXTRA_DIST += tests/route-based.sh tests/route-based
# MSS clamping as emitted for Linux, on the host's nftables.
TESTS += tests/mss-clamp.sh
EXTRA_DIST += tests/mss-clamp.sh
EXTRA_DIST += tests/fuzz/fuzz_import_asa.c tests/fuzz/corpus-import_asa/hq-asa.cfg \
	tests/fuzz/corpus-import_asa/branch-pix.cfg tests/fuzz/corpus-import_asa/tunc-emitted.asa.cfg \
	tests/fuzz/corpus-import_asa/tunc-emitted.pix.cfg
# The ipsec.conf reader (strongSwan, Libreswan, Openswan) and its secrets.
TESTS += tests/import-ipsecconf.sh tests/import-ts-list.sh tests/import-scale.sh tests/import-cli.sh \
	tests/import-lookups.sh
EXTRA_DIST += tests/import-lookups.sh
EXTRA_DIST += tests/import-cli.sh
EXTRA_DIST += tests/import-scale.sh tests/scale/gen-hub-configs.py
EXTRA_DIST += tests/import-ts-list.sh
EXTRA_DIST += tests/import-ipsecconf.sh tests/import-conf
EXTRA_DIST += tests/fuzz/fuzz_import_ipsecconf.c tests/fuzz/corpus-import_ipsecconf/east.ipsec.conf \
	tests/fuzz/corpus-import_ipsecconf/hub.ipsec.conf \
	tests/fuzz/corpus-import_ipsecconf/defaultroute.ipsec.conf
TESTS += tests/cloud-peers.sh
EXTRA_DIST += tests/cloud-peers.sh
EXTRA_DIST += tests/fuzz/fuzz_send.c tests/fuzz/corpus-send tests/fuzz/engine_xml.dict
# The engine and lint predict the real IKE daemons (ike-behaviour.md, issue 14 item 5)
TESTS += tests/ike-behaviour.sh
EXTRA_DIST += tests/ike-behaviour.sh
# The netsh reader (netsh ipsec static, advfirewall consec).
TESTS += tests/import-netsh.sh
EXTRA_DIST += tests/import-netsh.sh tests/fuzz/fuzz_import_netsh.c \
	tests/fuzz/corpus-import_netsh/neta.cmd tests/fuzz/corpus-import_netsh/advfirewall.cmd
EXTRA_DIST += tests/fuzz/corpus-import_netsh/w2k-rras.cmd
EXTRA_DIST += tests/fuzz/corpus-import_netsh/w2k-tunc-iface.cmd
# The PowerShell reader (New-NetIPsec* cmdlets, GW.keys).
TESTS += tests/import-powershell.sh
EXTRA_DIST += tests/import-powershell.sh tests/fuzz/fuzz_import_powershell.c \
	tests/fuzz/corpus-import_powershell/dc-win.ps1 \
	tests/fuzz/corpus-import_powershell/tunc-output.ps1 \
	tests/fuzz/corpus-import_powershell/firewall-set.ps1
# Keys never printed by any reader, whatever is said of their lines.
TESTS += tests/import-secrets.sh
EXTRA_DIST += tests/import-secrets.sh
TESTS += tests/import-sheet.sh
EXTRA_DIST += tests/import-sheet.sh tests/fuzz/fuzz_import_sheet.c tests/fuzz/corpus-import_sheet \
	tests/fuzz/crashers/import_sheet/joined-proposals-unjoined-platform.peer.txt \
	tests/fuzz/crashers/import_asa/null-spd-refs-block \
	tests/fuzz/crashers/import_ios/null-spd-refs-block \
	tests/fuzz/crashers/import_xfrm/null-spd-refs-block \
	tests/fuzz/crashers/parser/null-spd-refs-block
# Every fuzz target replays its corpus and past crashers in `make check`
# (issue 15: "a corpus of every input that ever found a defect is replayed
# in the unit tests"); tests/fuzz/replay_main.c stands in for libFuzzer.
TESTS += tests/fuzz-replay.sh
EXTRA_DIST += tests/fuzz-replay.sh tests/fuzz/crashers/README tests/fuzz/corpus-esp
check_PROGRAMS += tests/fuzz/replay_engine_xml
tests_fuzz_replay_engine_xml_SOURCES = tests/fuzz/fuzz_engine_xml.c tests/fuzz/replay_main.c
tests_fuzz_replay_engine_xml_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_esp
tests_fuzz_replay_esp_SOURCES = tests/fuzz/fuzz_esp.c tests/fuzz/replay_main.c
tests_fuzz_replay_esp_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_import_asa
tests_fuzz_replay_import_asa_SOURCES = tests/fuzz/fuzz_import_asa.c tests/fuzz/replay_main.c
tests_fuzz_replay_import_asa_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_import_ios
tests_fuzz_replay_import_ios_SOURCES = tests/fuzz/fuzz_import_ios.c tests/fuzz/replay_main.c
tests_fuzz_replay_import_ios_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_import_ipsecconf
tests_fuzz_replay_import_ipsecconf_SOURCES = tests/fuzz/fuzz_import_ipsecconf.c tests/fuzz/replay_main.c
tests_fuzz_replay_import_ipsecconf_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_import_netsh
tests_fuzz_replay_import_netsh_SOURCES = tests/fuzz/fuzz_import_netsh.c tests/fuzz/replay_main.c
tests_fuzz_replay_import_netsh_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_import_xfrm
tests_fuzz_replay_import_xfrm_SOURCES = tests/fuzz/fuzz_import_xfrm.c tests/fuzz/replay_main.c
tests_fuzz_replay_import_xfrm_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_import_swanctl
tests_fuzz_replay_import_swanctl_SOURCES = tests/fuzz/fuzz_import_swanctl.c tests/fuzz/replay_main.c
tests_fuzz_replay_import_swanctl_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_parser
tests_fuzz_replay_parser_SOURCES = tests/fuzz/fuzz_parser.c tests/fuzz/replay_main.c
tests_fuzz_replay_parser_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_send
tests_fuzz_replay_send_SOURCES = tests/fuzz/fuzz_send.c tests/fuzz/replay_main.c
tests_fuzz_replay_send_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_manual_given
tests_fuzz_replay_manual_given_SOURCES = tests/fuzz/fuzz_manual_given.c tests/fuzz/replay_main.c
tests_fuzz_replay_manual_given_LDADD = $(TUNC_LIBS)
EXTRA_DIST += tests/fuzz/fuzz_manual_given.c tests/fuzz/corpus-manual_given/given-aes128.psk \
	tests/fuzz/corpus-manual_given/given-aes256.psk
check_PROGRAMS += tests/fuzz/replay_import_powershell
tests_fuzz_replay_import_powershell_SOURCES = tests/fuzz/fuzz_import_powershell.c tests/fuzz/replay_main.c
tests_fuzz_replay_import_powershell_LDADD = $(TUNC_LIBS)
check_PROGRAMS += tests/fuzz/replay_import_sheet
tests_fuzz_replay_import_sheet_SOURCES = tests/fuzz/fuzz_import_sheet.c tests/fuzz/replay_main.c
tests_fuzz_replay_import_sheet_LDADD = $(TUNC_LIBS)
# pat-no-initiator with route-based ends and dpd (issue 13)
TESTS += tests/pat-dpd.sh
EXTRA_DIST += tests/pat-dpd.sh
# Test data directories named like their scripts (tests/NAME/ beside
# tests/NAME.sh): an explicit rule with no prerequisites keeps make's
# built-in `%: %.sh` from "building" a directory over itself when the
# script is newer (make dist failed after an edit of the script).
tests/import-asa tests/import-ios tests/import-xfrm tests/route-based tests/route-based-engine: ; @:
