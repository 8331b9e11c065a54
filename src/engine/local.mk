# src/engine: files are added here
# IPsec data plane (ESP/AH with OpenSSL)
libtunc_a_SOURCES += \
	src/engine/esp.h src/engine/ipsec_internal.h \
	src/engine/sa.c src/engine/esp.c src/engine/ah.c
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_esp
TESTS += tests/unit/check_esp
tests_unit_check_esp_SOURCES = tests/unit/check_esp.c
tests_unit_check_esp_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_esp_LDADD = $(UNIT_LDADD)
endif
# The libFuzzer target tests/fuzz/fuzz_esp.c is built and run by
# tests/fuzz/run-fuzzers.sh (CI runs it for a bounded time).
EXTRA_DIST += tests/fuzz/fuzz_esp.c
# Writes engine-made ESP/AH pcaps + keys for the tshark and kernel checks.
check_PROGRAMS += tests/tools/esp_pcap
tests_tools_esp_pcap_SOURCES = tests/tools/esp_pcap.c
tests_tools_esp_pcap_LDADD = $(TUNC_LIBS)
# The engine: packets, topology, pipeline stages, IKE simulation, captures, traces
libtunc_a_SOURCES += \
	src/engine/engine.h src/engine/engine_internal.h src/engine/engine.c \
	src/engine/record.c src/engine/forward.c \
	src/engine/packet.h src/engine/packet.c \
	src/engine/drbg.h src/engine/drbg.c \
	src/engine/topology.c src/engine/pat.c src/engine/ike.c src/engine/manual.c \
	src/engine/policy_ix.c \
	src/engine/capture.c src/engine/trace.c src/engine/send.c \
	src/engine/xml.h
TESTS += tests/esp-tshark.sh tests/esp-kernel.sh
EXTRA_DIST += tests/esp-tshark.sh tests/esp-kernel.sh \
	tests/vm/vm-setup.sh tests/vm/vm-run.sh tests/vm/vm-kernel-rx-check.sh \
	tests/vm/kernel-esp-rx.sh tests/tools/capture_case.py
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_engine
TESTS += tests/unit/check_engine
tests_unit_check_engine_SOURCES = tests/unit/check_engine.c tests/unit/frontend_util.h
tests_unit_check_engine_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_engine_LDADD = $(UNIT_LDADD)
endif
TESTS += tests/engine-seeds.sh tests/engine-outputs.sh tests/engine-tshark.sh tests/engine-manual.sh
EXTRA_DIST += tests/engine-seeds.sh tests/engine-outputs.sh tests/engine-tshark.sh \
	tests/engine-manual.sh
EXTRA_DIST += doc/performance.md
EXTRA_DIST += doc/engine.md
# engine.xml loader: libxml2 + data/engine.rng, then the parser's actions
# (the emitter is emit/emit_engine.c; doc/engine-xml.md describes the file).
libtunc_a_SOURCES += src/engine/xml_internal.h src/engine/xml_load.c src/engine/xml_build.c
TESTS += tests/engine-xml.sh
EXTRA_DIST += tests/engine-xml.sh tests/fuzz/fuzz_engine_xml.c tests/fuzz/corpus-engine_xml
# The engine's lookup indexes on a 2,000-spoke hub of mixed platforms.
TESTS += tests/engine-scale.sh
EXTRA_DIST += tests/engine-scale.sh tests/scale/gen-hub.py tests/scale/snapshot-outputs.sh
