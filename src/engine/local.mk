# src/engine: files are added here
# IPsec data plane (ESP/AH with OpenSSL)
libtunc_a_SOURCES += \
	src/engine/esp.h src/engine/ipsec_internal.h \
	src/engine/sa.c src/engine/esp.c src/engine/ah.c
