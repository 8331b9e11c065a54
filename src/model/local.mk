libtunc_a_SOURCES += \
	src/model/platform.c src/model/platform.h
