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

#endif
