libtunc_a_SOURCES += \
	src/util/arena.c src/util/arena.h \
	src/util/outfile.c src/util/outfile.h \
	src/util/outset.c src/util/outset.h \
	src/util/source.c src/util/source.h \
	src/util/secret.c src/util/secret.h \
	src/util/strbuf.c src/util/strbuf.h \
	src/util/suggest.c src/util/suggest.h \
	src/util/symtab.c src/util/symtab.h
