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
if ENABLE_FUZZING
# libFuzzer target for ESP/AH decapsulation (CC=clang); the data-plane sources
# are compiled into it with the fuzzer's instrumentation.
check_PROGRAMS += tests/fuzz/fuzz_esp
tests_fuzz_fuzz_esp_SOURCES = tests/fuzz/fuzz_esp.c \
	src/engine/sa.c src/engine/esp.c src/engine/ah.c src/ir/addr.c src/ir/enums.c
tests_fuzz_fuzz_esp_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_esp_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_esp_LDADD = $(LIBCRYPTO_LIBS)
endif
# Writes engine-made ESP/AH pcaps + keys for the tshark and kernel checks.
check_PROGRAMS += tests/tools/esp_pcap
tests_tools_esp_pcap_SOURCES = tests/tools/esp_pcap.c
tests_tools_esp_pcap_LDADD = $(TUNC_LIBS)
