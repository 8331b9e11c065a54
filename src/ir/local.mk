libtunc_a_SOURCES += \
	src/ir/addr.c src/ir/addr.h \
	src/ir/enums.c src/ir/enums.h \
	src/ir/ir.h
libtunc_a_SOURCES += \
	src/ir/build.c src/ir/build.h \
	src/ir/build_route_based.c \
	src/ir/parse.c \
	src/ir/resolve.c \
	src/ir/psk.c src/ir/psk.h
