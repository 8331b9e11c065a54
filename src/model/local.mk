libtunc_a_SOURCES += \
	src/model/platform.c src/model/platform.h
libtunc_a_SOURCES += src/model/model.c
