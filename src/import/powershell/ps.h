/* Windows Server 2012+ PowerShell scripts (NetSecurity / NetTCPIP cmdlets):
 * the tokens of the script (lex.c) and what the reader makes of them
 * (powershell.c, keys.c). */
#ifndef TUNC_IMPORT_POWERSHELL_PS_H
#define TUNC_IMPORT_POWERSHELL_PS_H

#include "import/reader.h"

enum ps_tok {
	PT_END,         /* end of a statement: newline, ';' */
	PT_EOF,
	PT_WORD,        /* a bare word: cmdlet, value, address */
	PT_PARAM,       /* -Name */
	PT_STR,         /* '...' or "...", unquoted in s */
	PT_VAR,         /* $name, $name.Member, $name['index'] */
	PT_SPLAT,       /* @name */
	PT_COMMA, PT_PIPE, PT_EQ,
	PT_LPAREN,      /* ( and $( */
	PT_ARRAY,       /* @( */
	PT_HASH,        /* @{ */
	PT_RPAREN, PT_LBRACE, PT_RBRACE,
};

struct ps_token {
	enum ps_tok t;
	const char *s;                  /* WORD, PARAM (without '-'), STR, VAR and SPLAT name */
	const char *member;             /* VAR: .Member, NULL when none */
	const char *index;              /* VAR: [index] unquoted, NULL when none */
	struct tunc_loc loc;            /* the whole token */
	struct tunc_loc sloc;           /* STR: the text inside the quotes; VAR: the index */
};
typedef ARENA_VEC(struct ps_token) ps_token_vec;

/* The tokens of R's file; false after a front-end error (an unclosed
 * string, a continuation at the end of the file). */
bool ps_lex(struct imp_read *r, ps_token_vec *out);

/* Keys a script reads from a file beside it (tunc's GW.keys: NAME KEY). */
struct ps_key {
	const char *name;
	struct imp_text key;            /* located in the key file */
};
typedef ARENA_VEC(struct ps_key) ps_key_vec;

/* Loads the key file NAME beside R's script into KEYS; false (with a note
 * at FROM) when it cannot be read. */
bool ps_keys_load(struct imp_read *r, const char *name, struct tunc_loc from, ps_key_vec *keys);

/* ---- the script evaluated (script.c, cmdlets.c, powershell.c) ---- */

enum vkind { V_NONE, V_STR, V_OBJ, V_LIST, V_HASH, V_KEYREF, V_VAR };

struct val {
	enum vkind k;
	const char *s;                  /* STR: text; KEYREF: the key's name; VAR: name */
	struct tunc_loc loc;            /* STR: the text (inside quotes) */
	int obj;
	struct val *items;              /* LIST; HASH: key, value, key, value... */
	size_t n;
};

enum okind { O_MMPROP, O_QMPROP, O_AUTH, O_MMSET, O_QMSET, O_P1SET, O_MMRULE, O_RULE };

struct arg {
	struct imp_text name;           /* NULL: positional */
	struct val v;
	bool has_v;
};

struct cmd {
	const char *name;
	struct tunc_loc loc;
	ARENA_VEC(struct arg) a;
};

struct obj {
	enum okind k;
	struct cmd c;                   /* the statement that made it */
	const char *name;               /* -Name (the set's identity) */
	struct imp_proposal p;          /* proposals: their algorithms */
	bool skip;                      /* a proposal tunc cannot model (noted) */
	ARENA_VEC(int) members;         /* sets: their proposals */
	struct imp_text psk;            /* AUTH */
	bool is_default;                /* MMSET -Default */
	int prop[3];                    /* sets: imported proposal per IKE version */
};

struct var {
	const char *name;
	struct val v;
};

struct ps_route_alias {
	const char *dst;                /* "NET/LEN" */
	struct imp_text alias;
};

/* New-NetFirewallRule, attached to its -InterfaceAlias once the script's
 * interfaces are known. */
struct ps_fw_rule {
	struct imp_text alias;
	int dir;                        /* FILTER_IN, FILTER_OUT */
	struct imp_filter_rule rule;
	const char *name, *display;     /* -Name, -DisplayName: what Set-NetFirewallRule names */
	bool disabled;                  /* -Enabled False: filters nothing until enabled */
};

struct ps {
	struct imp_read *r;
	ps_token_vec tok;
	size_t p;
	ARENA_VEC(struct obj) objs;
	ARENA_VEC(struct var) vars;
	ps_key_vec keys;
	bool keys_read;                 /* a key file was named (loaded or not) */
	bool keys_ok;
	/* New-NetRoute's -InterfaceAlias by destination: which interface
	 * reaches a peer, when the script gives no New-NetIPAddress. */
	ARENA_VEC(struct ps_route_alias) route_aliases;
	ARENA_VEC(struct ps_fw_rule) fw_rules;
	/* Set-NetFirewallProfile -DefaultInboundAction / -DefaultOutboundAction:
	 * "Allow" or "Block", every filter's default in that direction. */
	struct imp_text fw_default[2];
};

struct map {
	const char *ps, *tun;
};

/* A main-mode SA's lifetime when the set does not say (New-NetIPsecMainModeCryptoSet). */
#define WINDOWS_MM_MINUTES 480
#define PS_ARENA(s) ((s)->r->arena)
#define PS_DEV(s) ((s)->r->dev)

/* script.c: runs every statement, calling ps_dispatch for each cmdlet. */
void ps_run(struct ps *s);
/* cmdlets.c: what cmdlet C does; OUT is the object it returns, if any. */
void ps_dispatch(struct ps *s, struct cmd *c, struct val *out);
/* The firewall rules read, as the filters of the interfaces they name
 * (once the interfaces are known). */
void ps_attach_firewall(struct ps *s);
const char *ps_find_ci(const char *text, size_t size, const char *w);
const struct arg *ps_arg(const struct cmd *c, const char *name);
/* The value of -NAME when it is one string, NULL otherwise. */
const struct val *ps_str_arg(struct ps *s, const struct cmd *c, const char *name);
/* The .tun word for the value V of -PARAM, from TABLE; an error for a
 * value Windows does not take, a note (NULL, *skip) for one tunc does not
 * model. */
const char *ps_lookup(struct ps *s, const struct cmd *c, const struct val *v, const char *param,
		      const struct map *table, bool *skip);
void ps_push(struct ps *s, word_vec *v, struct tunc_loc *where, const char *w, struct tunc_loc loc);
bool ps_is_false(struct ps *s, const struct cmd *c, const char *param);
/* "10.1.0.0/16", "203.0.113.10" -> "NET/LEN"; NULL when neither. */
const char *ps_prefix_text(struct ps *s, const char *t);
extern const struct map ps_modes[], ps_key_modules[], ps_securities[];

#endif
