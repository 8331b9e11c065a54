libtunc_a_SOURCES += \
	src/ir/addr.c src/ir/addr.h \
	src/ir/enums.c src/ir/enums.h \
	src/ir/ir.h
