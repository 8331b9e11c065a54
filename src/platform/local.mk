# The platform table: below the IR (the resolver checks platform names and
# versions against it) and above nothing but ir/enums.h.
libtunc_a_SOURCES += src/platform/platform.c src/platform/platform.h
