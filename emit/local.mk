# emit: the emitters behind one table (emit_table.c), their shared helpers,
# and the key derivation of the xfrm target.
libtunc_a_SOURCES += \
	emit/emit.h emit/targets.h emit/emit_table.c \
	emit/common.c emit/common.h \
	emit/keys.c emit/keys.h \
	emit/manual.c emit/manual.h \
	emit/emit_ios.c \
	emit/emit_pix.c \
	emit/emit_netsh.c \
	emit/emit_xfrm.c
# ---- engine emitter: add emit/emit_engine.c here ----

# Tests of the emitters and `tunc compile`.
TESTS += tests/golden-emit.sh tests/both-ends.sh tests/compile-cli.sh \
	tests/xfrm-netns.sh tests/xfrm-kernel.sh
EXTRA_DIST += tests/golden-emit.sh tests/both-ends.sh tests/both-ends.py \
	tests/compile-cli.sh tests/xfrm-netns.sh tests/xfrm-kernel.sh \
	tests/vm/xfrm-two-sites.sh tests/emit tests/golden/emit
EXTRA_DIST += doc/emitters.md
