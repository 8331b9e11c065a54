/* The netsh reader's parts: one script line as words (netsh.c), the
 * RRAS packet filters of `netsh routing ip` (rras.c) and the interfaces'
 * addresses of `netsh interface ip` (iface.c). */
#ifndef TUNC_IMPORT_NETSH_H
#define TUNC_IMPORT_NETSH_H

#include "import/reader.h"

#define NETSH_MAX_ARGS 48

struct netsh_arg {
	struct imp_text key, val;       /* key NULL: a positional word */
};

/* One line: its words, KEY=VALUE split, quotes off the values. */
struct netsh_cmd {
	size_t n;
	struct netsh_arg a[NETSH_MAX_ARGS];
	struct tunc_loc loc;
};

/* Positional word I of C is W (any case). */
bool netsh_word(const struct netsh_cmd *c, size_t i, const char *w);
/* S is a decimal number up to MAX. */
bool netsh_number(const char *s, unsigned long max);
/* The value of KEY= (any case), NULL when absent. */
const struct imp_text *netsh_opt(const struct netsh_cmd *c, const char *key);

/* The RRAS packet filters of one interface, as the script adds them. */
struct netsh_rras_if {
	struct imp_text name;
	struct imp_filter filter[2];    /* enum filter_dir: input, output */
	/* `set filter ... action=`: the default; the filters take the other. */
	bool action_set[2];
};
/* An interface's address as `netsh interface ip set|add address` gives it. */
struct netsh_addr {
	struct imp_text name, address;  /* address "ADDR/LEN" */
	bool gateway;                   /* it has the default gateway: it faces out */
	bool outside;                   /* tunc's tunc-iface line says it faces out */
};
struct netsh_rras {
	ARENA_VEC(struct netsh_rras_if) ifs;
	ARENA_VEC(struct netsh_addr) addrs;
};

/* `netsh routing ip ...` (words 0-2 already checked). */
void netsh_rras_cmd(struct imp_read *r, struct netsh_rras *st, const struct netsh_cmd *c);
/* `netsh interface ip|ipv4 set|add address ...` (words 0-1 checked, iface.c):
 * the interface's address and its default gateway (a route). */
void netsh_iface_cmd(struct imp_read *r, struct netsh_rras *st, const struct netsh_cmd *c);
/* Once the tunnels are read: the interfaces whose address the script sets,
 * with their filters; of the other filtered interfaces, each that names one
 * of this host's tunnel endpoints becomes the interface holding it, and the
 * rest get a note (their address is not in the script). */
void netsh_rras_interfaces(struct imp_read *r, struct netsh_rras *st);

#endif
