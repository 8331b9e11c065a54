# emit: the emitters behind one table (emit_table.c), their shared helpers,
# and the key derivation of the xfrm target.
libtunc_a_SOURCES += \
	emit/emit.h emit/targets.h emit/emit_table.c \
	emit/common.c emit/common.h \
	emit/keys.c emit/keys.h \
	emit/emit_ios.c \
	emit/emit_pix.c \
	emit/emit_netsh.c \
	emit/emit_xfrm.c
# ---- engine emitter: add emit/emit_engine.c here ----
