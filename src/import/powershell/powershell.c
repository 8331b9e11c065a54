/* Windows Server 2012 and later: PowerShell scripts of NetSecurity and
 * NetTCPIP cmdlets, as tunc's powershell target writes them (GW.ps1 with its
 * keys in GW.keys beside it) and as Microsoft documents them by hand.
 *
 * The script is evaluated as far as the tunnels need: `$var = ...`
 * assignments of the objects the New-NetIPsec* cmdlets return, comma lists
 * and @( ) arrays, hash tables and splatting, ( ) subexpressions, and sets
 * named by `$set.Name` or by their -Name.  Statements inside if / foreach
 * blocks are read as if they ran once.  Each `New-NetIPsecRule -Mode
 * Tunnel` is one tunnel end, with the main-mode rule toward its remote
 * endpoint (or a -Default main-mode set), its quick-mode set and its
 * phase-1 auth set.  What gets a note: doc/import.md. */
#include "config.h"
#include "import/powershell/ps.h"
#include "import/lines.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ir/addr.h"

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

struct ps {
	struct imp_read *r;
	ps_token_vec tok;
	size_t p;
	ARENA_VEC(struct obj) objs;
	ARENA_VEC(struct var) vars;
	ps_key_vec keys;
	bool keys_read;                 /* a key file was named (loaded or not) */
	bool keys_ok;
};

/* A main-mode SA's lifetime when the set does not say (New-NetIPsecMainModeCryptoSet). */
#define WINDOWS_MM_MINUTES 480

#define A(s) ((s)->r->arena)
#define DEV(s) ((s)->r->dev)

/* ---- detection ---- */

static const char *find_ci(const char *text, size_t size, const char *w)
{
	size_t n = strlen(w);
	for (size_t i = 0; i + n <= size; i++)
		if (strncasecmp(text + i, w, n) == 0)
			return text + i;
	return NULL;
}

int powershell_detect(const char *text, size_t size)
{
	if (find_ci(text, size, "New-NetIPsecRule") || find_ci(text, size, "New-NetIPsecMainModeRule") ||
	    find_ci(text, size, "New-NetIPsecQuickModeCryptoSet"))
		return 95;
	if (find_ci(text, size, "#Requires -Modules NetSecurity") ||
	    find_ci(text, size, "-NetIPsec"))
		return 60;
	return 0;
}

/* ---- tokens to values ---- */

static const struct ps_token *tk(struct ps *s)
{
	return &s->tok.v[s->p];
}

static void advance(struct ps *s)
{
	if (s->tok.v[s->p].t != PT_EOF)
		s->p++;
}

static bool stmt_end(enum ps_tok t)
{
	return t == PT_END || t == PT_EOF || t == PT_RPAREN || t == PT_RBRACE || t == PT_PIPE;
}

static struct val *find_var(struct ps *s, const char *name)
{
	for (size_t i = s->vars.n; i-- > 0;)
		if (strcasecmp(s->vars.v[i].name, name) == 0)
			return &s->vars.v[i].v;
	return NULL;
}

static void set_var(struct ps *s, const char *name, struct val v)
{
	struct val *old = find_var(s, name);
	if (old)
		*old = v;
	else
		arena_vec_push(A(s), &s->vars, ((struct var){name, v}));
}

static struct val pipeline(struct ps *s);

/* Skips a { } block or ( ) group whose opening token is current. */
static void skip_group(struct ps *s)
{
	int depth = 0;
	do {
		enum ps_tok t = tk(s)->t;
		if (t == PT_LBRACE || t == PT_HASH || t == PT_LPAREN || t == PT_ARRAY)
			depth++;
		else if (t == PT_RBRACE || t == PT_RPAREN)
			depth--;
		else if (t == PT_EOF)
			return;
		advance(s);
	} while (depth > 0);
}

static struct val element(struct ps *s);
static struct val command(struct ps *s);

/* A value and the values after its commas: a list. */
static struct val value(struct ps *s)
{
	struct val first = element(s);
	if (tk(s)->t != PT_COMMA)
		return first;
	ARENA_VEC(struct val) items = {0};
	arena_vec_push(A(s), &items, first);
	while (tk(s)->t == PT_COMMA) {
		advance(s);
		arena_vec_push(A(s), &items, element(s));
	}
	struct val v = {.k = V_LIST, .items = items.v, .n = items.n, .loc = first.loc};
	v.loc = loc_span(first.loc, items.v[items.n - 1].loc);
	return v;
}

static struct val element(struct ps *s)
{
	const struct ps_token *t = tk(s);
	struct val v = {.k = V_NONE, .loc = t->loc, .obj = -1};
	switch (t->t) {
	case PT_STR:
		v.k = V_STR;
		v.s = t->s;
		v.loc = t->sloc.length ? t->sloc : t->loc;
		advance(s);
		return v;
	case PT_WORD:
		v.k = V_STR;
		v.s = t->s;
		advance(s);
		return v;
	case PT_VAR: {
		advance(s);
		if (t->index) {
			v.k = V_KEYREF;
			v.s = t->index;
			v.loc = t->sloc;
			return v;
		}
		const struct val *known = find_var(s, t->s);
		if (!t->member && (strcasecmp(t->s, "true") == 0 || strcasecmp(t->s, "false") == 0)) {
			v.k = V_STR;
			v.s = strcasecmp(t->s, "true") == 0 ? "$true" : "$false";
			return v;
		}
		if (!known) {
			v.k = V_VAR;
			v.s = t->s;
			return v;
		}
		v = *known;
		if (v.k != V_OBJ)
			v.loc = t->loc;
		return v;
	}
	case PT_LPAREN: {
		advance(s);
		while (tk(s)->t == PT_END)
			advance(s);
		v = pipeline(s);
		while (tk(s)->t != PT_RPAREN && tk(s)->t != PT_EOF) {
			/* The rest (`$x in Get-Content (Join-Path ...)`, more
			 * statements in $( )): its cmdlets run, their values unused. */
			enum ps_tok k = tk(s)->t;
			if (k == PT_LPAREN || k == PT_ARRAY || k == PT_HASH)
				element(s);
			else if (k == PT_WORD && strchr(tk(s)->s, '-') && isalpha((unsigned char)tk(s)->s[0]))
				command(s);
			else if (k == PT_LBRACE)
				skip_group(s);
			else
				advance(s);
		}
		advance(s);
		return v;
	}
	case PT_ARRAY: {
		advance(s);
		ARENA_VEC(struct val) items = {0};
		while (tk(s)->t != PT_RPAREN && tk(s)->t != PT_EOF) {
			if (tk(s)->t == PT_COMMA || tk(s)->t == PT_END) {
				advance(s);
				continue;
			}
			size_t at = s->p;
			struct val e = element(s);
			if (s->p == at)
				advance(s);
			if (e.k == V_LIST)
				for (size_t i = 0; i < e.n; i++)
					arena_vec_push(A(s), &items, e.items[i]);
			else
				arena_vec_push(A(s), &items, e);
		}
		advance(s);
		v.k = V_LIST;
		v.items = items.v;
		v.n = items.n;
		return v;
	}
	case PT_HASH: {
		advance(s);
		ARENA_VEC(struct val) items = {0};
		while (tk(s)->t != PT_RBRACE && tk(s)->t != PT_EOF) {
			if (tk(s)->t == PT_END) {
				advance(s);
				continue;
			}
			struct val key = element(s);
			if (tk(s)->t != PT_EQ || key.k != V_STR) {
				/* Not KEY = VALUE: skip to the next entry. */
				while (!stmt_end(tk(s)->t) || tk(s)->t == PT_PIPE)
					advance(s);
				continue;
			}
			advance(s);
			struct val e = value(s);
			arena_vec_push(A(s), &items, key);
			arena_vec_push(A(s), &items, e);
		}
		advance(s);
		v.k = V_HASH;
		v.items = items.v;
		v.n = items.n;
		return v;
	}
	case PT_LBRACE:
		skip_group(s);          /* a script block */
		return v;
	default:
		return v;
	}
}

/* ---- commands ---- */

static const char *const switches[] = {
	"Machine", "User", "Default", "AsJob", "WhatIf", "Confirm", "Force", "PassThru",
	"Anonymous", "Kerberos", "Ntlm", "Cert", "ForceDiffieHellman", "RequireFipsCompliance",
	"Recurse",
};

static bool is_switch(const char *name)
{
	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
		if (strcasecmp(switches[i], name) == 0)
			return true;
	return false;
}

static bool value_start(enum ps_tok t)
{
	return t == PT_STR || t == PT_WORD || t == PT_VAR || t == PT_LPAREN || t == PT_ARRAY ||
	       t == PT_HASH;
}

static void dispatch(struct ps *s, struct cmd *c, struct val *out);

/* CMDLET ARGS...: the arguments evaluated, @splat expanded. */
static struct val command(struct ps *s)
{
	struct cmd c = {.name = tk(s)->s, .loc = tk(s)->loc};
	struct tunc_loc last = tk(s)->loc;
	advance(s);
	while (!stmt_end(tk(s)->t)) {
		const struct ps_token *t = tk(s);
		struct arg a = {0};
		if (t->t == PT_PARAM) {
			a.name = (struct imp_text){t->s, t->loc};
			last = t->loc;
			advance(s);
			if (!is_switch(a.name.s) && value_start(tk(s)->t)) {
				a.v = value(s);
				a.has_v = true;
				last = s->tok.v[s->p - 1].loc;
			}
		} else if (t->t == PT_SPLAT) {
			const struct val *h = find_var(s, t->s);
			last = t->loc;
			advance(s);
			for (size_t i = 0; h && h->k == V_HASH && i + 1 < h->n; i += 2) {
				struct arg e = {{h->items[i].s, h->items[i].loc}, h->items[i + 1], true};
				arena_vec_push(A(s), &c.a, e);
			}
			continue;
		} else if (value_start(t->t)) {
			a.v = value(s);
			a.has_v = true;
			last = s->tok.v[s->p - 1].loc;
		} else {
			if (t->t == PT_LBRACE)
				skip_group(s);
			else
				advance(s);
			last = s->tok.v[s->p - 1].loc;
			continue;
		}
		arena_vec_push(A(s), &c.a, a);
	}
	if (last.file == c.loc.file && last.offset >= c.loc.offset)
		c.loc = loc_span(c.loc, last);
	struct val v = {.k = V_NONE, .loc = c.loc, .obj = -1};
	dispatch(s, &c, &v);
	return v;
}

static struct val pipeline(struct ps *s)
{
	struct val v = {.k = V_NONE, .loc = tk(s)->loc, .obj = -1};
	const struct ps_token *t = tk(s);
	if (t->t == PT_WORD && (isalpha((unsigned char)t->s[0]) || t->s[0] == '&'))
		v = command(s);
	else if (value_start(t->t))
		v = value(s);
	while (tk(s)->t == PT_PIPE) {
		advance(s);
		if (tk(s)->t == PT_WORD)
			command(s);     /* | Out-Null, | Remove-NetIPsecRule */
		while (!stmt_end(tk(s)->t))
			advance(s);
	}
	return v;
}

static void statement(struct ps *s)
{
	const struct ps_token *t = tk(s);
	if (t->t == PT_VAR && s->tok.v[s->p + 1].t == PT_EQ) {
		const char *name = t->index ? NULL : t->s;
		advance(s);
		advance(s);
		while (tk(s)->t == PT_END)
			advance(s);
		struct val v = pipeline(s);
		if (name)
			set_var(s, name, v);
		return;
	}
	if (t->t == PT_WORD) {
		static const char *const cond[] = {"foreach", "if", "elseif", "while", "for", "switch"};
		static const char *const bare_kw[] = {"else", "try", "finally", "do", "begin",
						      "process", "end", "catch"};
		for (size_t i = 0; i < sizeof(cond) / sizeof(cond[0]); i++)
			if (strcasecmp(t->s, cond[i]) == 0) {
				advance(s);
				if (tk(s)->t == PT_LPAREN)
					element(s);
				return;
			}
		for (size_t i = 0; i < sizeof(bare_kw) / sizeof(bare_kw[0]); i++)
			if (strcasecmp(t->s, bare_kw[i]) == 0) {
				advance(s);
				if (tk(s)->t == PT_WORD && tk(s)->s[0] == '[')
					advance(s);
				return;
			}
		if (strcasecmp(t->s, "function") == 0 || strcasecmp(t->s, "filter") == 0) {
			advance(s);
			advance(s);
			return;
		}
		if (strcasecmp(t->s, "param") == 0 && s->tok.v[s->p + 1].t == PT_LPAREN) {
			advance(s);
			skip_group(s);
			return;
		}
	}
	if (t->t == PT_PARAM) {
		diag_front(s->r->diags, "syntax", t->loc, "a statement cannot start with -%s: does "
			   "the line before end with a backtick followed by blanks (which does not "
			   "continue a line)?", t->s);
		while (!stmt_end(tk(s)->t))
			advance(s);
		return;
	}
	pipeline(s);
}

/* ---- arguments ---- */

static const struct arg *arg(const struct cmd *c, const char *name)
{
	for (size_t i = 0; i < c->a.n; i++)
		if (c->a.v[i].name.s && strcasecmp(c->a.v[i].name.s, name) == 0)
			return &c->a.v[i];
	return NULL;
}

/* The value of -NAME as one string (NULL when absent or not a string). */
static const struct val *str_arg(struct ps *s, const struct cmd *c, const char *name)
{
	const struct arg *a = arg(c, name);
	if (!a)
		return NULL;
	if (!a->has_v) {
		diag_front(s->r->diags, "syntax", a->name.loc, "-%s takes a value", name);
		return NULL;
	}
	if (a->v.k == V_LIST && a->v.n)
		return a->v.items[0].k == V_STR ? &a->v.items[0] : NULL;
	return a->v.k == V_STR ? &a->v : NULL;
}

static const struct val *positional(const struct cmd *c, size_t n)
{
	for (size_t i = 0; i < c->a.n; i++)
		if (!c->a.v[i].name.s && n-- == 0)
			return &c->a.v[i].v;
	return NULL;
}

/* Every parameter of C not in KNOWN gets a note: it may change what the
 * cmdlet does, and tunc does not model it. */
static void check_params(struct ps *s, const struct cmd *c, const char *const *known)
{
	static const char *const always[] = {
		"DisplayName", "Name", "ID", "Description", "Group", "PolicyStore", "GPOSession",
		"CimSession", "ThrottleLimit", "AsJob", "WhatIf", "Confirm", "ErrorAction",
		"PassThru", "Profile", "Platform", NULL,
	};
	for (size_t i = 0; i < c->a.n; i++) {
		const char *n = c->a.v[i].name.s;
		bool ok = !n;
		for (size_t k = 0; !ok && always[k]; k++)
			ok = strcasecmp(always[k], n) == 0;
		for (size_t k = 0; !ok && known[k]; k++)
			ok = strcasecmp(known[k], n) == 0;
		if (!ok)
			imp_unmodelled(s->r, c->a.v[i].name.loc,
				       arena_printf(A(s), "-%s of %s", n, c->name));
	}
}

struct map {
	const char *ps, *tun;
};

/* The .tun word for the value of -PARAM, from TABLE; an error for a value
 * Windows does not take, a note (NULL, *skip) for one tunc does not model. */
static const char *lookup(struct ps *s, const struct cmd *c, const struct val *v, const char *param,
			  const struct map *table, bool *skip)
{
	for (size_t i = 0; table[i].ps; i++)
		if (strcasecmp(table[i].ps, v->s) == 0) {
			if (!table[i].tun) {
				imp_unmodelled(s->r, v->loc, arena_printf(A(s), "-%s %s of %s", param,
									     v->s, c->name));
				*skip = true;
			}
			return table[i].tun;
		}
	char known[256] = "";
	for (size_t i = 0; table[i].ps; i++)
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s", i ? ", " : "",
			 table[i].ps);
	diag_front(s->r->diags, "invalid-value", v->loc, "unknown value '%s' for -%s (%s)", v->s,
		   param, known);
	*skip = true;
	return NULL;
}

static const struct map mm_enc[] = {
	{"DES", "des"}, {"DES3", "3des"}, {"AES128", "aes128"}, {"AES192", "aes192"},
	{"AES256", "aes256"}, {"None", "null"}, {NULL, NULL},
};
static const struct map qm_enc[] = {
	{"None", "null"}, {"DES", "des"}, {"DES3", "3des"}, {"AES128", "aes128"},
	{"AES192", "aes192"}, {"AES256", "aes256"}, {"AESGCM128", "aes128-gcm"},
	{"AESGCM192", NULL}, {"AESGCM256", "aes256-gcm"}, {NULL, NULL},
};
static const struct map hashes[] = {
	{"None", "none"}, {"MD5", "md5"}, {"SHA1", "sha1"}, {"SHA256", "sha256"},
	{"SHA384", "sha384"}, {"AESGMAC128", "gmac"}, {"AESGMAC192", NULL},
	{"AESGMAC256", "gmac"}, {NULL, NULL},
};
static const struct map groups[] = {
	{"DH1", "1"}, {"DH2", "2"}, {"DH14", "14"}, {"DH19", "19"}, {"DH20", "20"},
	{"DH24", "24"}, {"None", NULL}, {NULL, NULL},
};
static const struct map pfs_groups[] = {
	{"None", "none"}, {"DH1", "1"}, {"DH2", "2"}, {"DH14", "14"}, {"DH19", "19"},
	{"DH20", "20"}, {"DH24", "24"}, {"SameAsMainMode", "mainmode"}, {NULL, NULL},
};
static const struct map encaps[] = {{"ESP", "esp"}, {"AH", "ah"}, {NULL, NULL}};
static const struct map modes[] = {
	{"Tunnel", "tunnel"}, {"Transport", NULL}, {"None", NULL}, {NULL, NULL},
};
static const struct map key_modules[] = {
	{"Default", "1"}, {"IKEv1", "1"}, {"IKEv2", "2"}, {"AuthIP", NULL}, {NULL, NULL},
};
static const struct map securities[] = {
	{"Require", "require"}, {"Request", NULL}, {"None", NULL}, {NULL, NULL},
};
static const struct map booleans[] = {
	{"True", "true"}, {"False", "false"}, {"Enabled", "true"}, {"Disabled", "false"},
	{"$true", "true"}, {"$false", "false"}, {"1", "true"}, {"0", "false"}, {NULL, NULL},
};

static void push(struct ps *s, word_vec *v, struct tunc_loc *where, const char *w, struct tunc_loc loc)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].text, w) == 0)
			return;
	if (!v->n)
		*where = loc;
	arena_vec_push(A(s), v, ((struct word){w, loc}));
}

/* -PARAM's value(s) through TABLE into V. */
static void algs(struct ps *s, struct obj *o, const char *param, const struct map *table,
		 word_vec *v, struct tunc_loc *where)
{
	const struct arg *a = arg(&o->c, param);
	if (!a || !a->has_v)
		return;
	const struct val *items = a->v.k == V_LIST ? a->v.items : &a->v;
	size_t n = a->v.k == V_LIST ? a->v.n : 1;
	for (size_t i = 0; i < n; i++) {
		if (items[i].k != V_STR) {
			imp_unmodelled(s->r, items[i].loc, arena_printf(A(s), "-%s not given literally", param));
			o->skip = true;
			continue;
		}
		const char *w = lookup(s, &o->c, &items[i], param, table, &o->skip);
		if (w)
			push(s, v, where, w, items[i].loc);
	}
}

static uint64_t minutes(struct ps *s, const struct cmd *c, struct tunc_loc *loc)
{
	const struct val *m = str_arg(s, c, "MaxMinutes");
	if (!m)
		return 0;
	char *end;
	unsigned long long n = strtoull(m->s, &end, 10);
	if (*end || !n) {
		diag_front(s->r->diags, "invalid-value", m->loc, "-MaxMinutes takes a number of minutes");
		return 0;
	}
	*loc = m->loc;
	return n * 60;
}

static int new_obj(struct ps *s, enum okind k, const struct cmd *c)
{
	struct obj o = {.k = k, .c = *c, .prop = {-1, -1, -1}};
	const struct val *n = str_arg(s, c, "Name");
	if (!n)
		n = str_arg(s, c, "ID");
	o.name = n ? n->s : NULL;
	arena_vec_push(A(s), &s->objs, o);
	return (int)s->objs.n - 1;
}

static void mm_proposal(struct ps *s, struct obj *o)
{
	static const char *const known[] = {"Encryption", "Hash", "KeyExchange", NULL};
	check_params(s, &o->c, known);
	algs(s, o, "Encryption", mm_enc, &o->p.enc, &o->p.enc_loc);
	algs(s, o, "Hash", hashes, &o->p.integ, &o->p.integ_loc);
	algs(s, o, "KeyExchange", groups, &o->p.group, &o->p.group_loc);
}

static void qm_proposal(struct ps *s, struct obj *o)
{
	static const char *const known[] = {"Encapsulation", "Encryption", "ESPHash", "AHHash",
					    "MaxMinutes", "MaxKiloBytes", NULL};
	check_params(s, &o->c, known);
	word_vec enc = {0};
	struct tunc_loc where;
	algs(s, o, "Encapsulation", encaps, &enc, &where);
	if (enc.n > 1) {
		imp_unmodelled(s->r, where, "AH and ESP together in one quick-mode proposal");
		o->skip = true;
	}
	o->p.protocol = (struct imp_text){enc.n ? enc.v[0].text : "esp", enc.n ? where : o->c.loc};
	bool ah = strcmp(o->p.protocol.s, "ah") == 0;
	if (ah) {
		algs(s, o, "AHHash", hashes, &o->p.integ, &o->p.integ_loc);
	} else {
		algs(s, o, "Encryption", qm_enc, &o->p.enc, &o->p.enc_loc);
		algs(s, o, "ESPHash", hashes, &o->p.integ, &o->p.integ_loc);
	}
	/* GCM carries its own integrity (GMAC of the same key, as the emitter
	 * pairs them); GMAC without GCM is integrity-only ESP tunc lacks. */
	bool gcm = o->p.enc.n && strstr(o->p.enc.v[0].text, "gcm");
	for (size_t i = 0; i < o->p.integ.n; i++)
		if (strcmp(o->p.integ.v[i].text, "gmac") == 0) {
			if (gcm)
				o->p.integ.v[i].text = "none";
			else {
				imp_unmodelled(s->r, o->p.integ.v[i].loc, "an AES-GMAC ESP hash without AES-GCM");
				o->skip = true;
			}
		}
	if (gcm && !o->p.integ.n)
		push(s, &o->p.integ, &o->p.integ_loc, "none", o->p.enc_loc);
	o->p.lifetime_s = minutes(s, &o->c, &o->p.lifetime_loc);
}

/* -Proposal $a,$b or (New-...): the proposals of a set, of kind K. */
static void members(struct ps *s, struct obj *o, enum okind k)
{
	const struct arg *a = arg(&o->c, "Proposal");
	if (!a || !a->has_v) {
		diag_front(s->r->diags, "syntax", o->c.loc, "incomplete statement: -Proposal is missing");
		return;
	}
	const struct val *items = a->v.k == V_LIST ? a->v.items : &a->v;
	size_t n = a->v.k == V_LIST ? a->v.n : 1;
	for (size_t i = 0; i < n; i++) {
		if (items[i].k == V_OBJ && s->objs.v[items[i].obj].k == k) {
			arena_vec_push(A(s), &o->members, items[i].obj);
		} else if (items[i].k == V_VAR) {
			diag_front(s->r->diags, "undefined", items[i].loc, "$%s is not set before "
				   "(to a New-NetIPsec*Proposal)", items[i].s);
		} else {
			diag_front(s->r->diags, "invalid-value", items[i].loc,
				   "-Proposal takes the proposals New-NetIPsec%sProposal returns",
				   k == O_MMPROP ? "MainModeCrypto" : k == O_QMPROP ? "QuickModeCrypto" : "Auth");
		}
	}
}

static void auth_proposal(struct ps *s, int idx)
{
	static const char *const known[] = {"Machine", "PreSharedKey", NULL};
	struct obj *o = &s->objs.v[idx];
	check_params(s, &o->c, known);
	const struct arg *k = arg(&o->c, "PreSharedKey");
	if (!k) {
		imp_unmodelled(s->r, o->c.loc, "authentication other than a pre-shared key");
		return;
	}
	if (!k->has_v) {
		diag_front(s->r->diags, "syntax", k->name.loc, "-PreSharedKey takes a value");
		return;
	}
	if (k->v.k == V_STR) {
		o->psk = (struct imp_text){k->v.s, k->v.loc};
	} else if (k->v.k == V_KEYREF) {
		for (size_t i = 0; i < s->keys.n; i++)
			if (strcmp(s->keys.v[i].name, k->v.s) == 0)
				o->psk = s->keys.v[i].key;
		if (!o->psk.s && s->keys_ok)
			diag_front(s->r->diags, "undefined", k->v.loc, "the key file the script reads "
				   "has no key '%s'", k->v.s);
		else if (!o->psk.s && !s->keys_read)
			imp_unmodelled(s->r, k->v.loc, "a key read from a table the script does not "
				       "fill from a key file beside it");
	} else {
		imp_unmodelled(s->r, k->v.loc, "a pre-shared key not given literally (nor from "
			       "the key file beside the script)");
	}
}

/* `$x = ...` of a proposal or set: the object, for -Proposal and .Name. */
static void make(struct ps *s, enum okind k, struct cmd *c, struct val *out)
{
	int i = new_obj(s, k, c);
	out->k = V_OBJ;
	out->obj = i;
	struct obj *o = &s->objs.v[i];
	switch (k) {
	case O_MMPROP:
		mm_proposal(s, o);
		break;
	case O_QMPROP:
		qm_proposal(s, o);
		break;
	case O_AUTH:
		auth_proposal(s, i);
		break;
	case O_MMSET: {
		static const char *const known[] = {"Proposal", "MaxMinutes", "MaxSessions", "Default",
						    "ForceDiffieHellman", NULL};
		check_params(s, c, known);
		o->is_default = arg(c, "Default") != NULL;
		o->p.lifetime_s = minutes(s, c, &o->p.lifetime_loc);
		if (!o->p.lifetime_s) {
			/* Windows' default -MaxMinutes of a main-mode set. */
			o->p.lifetime_s = WINDOWS_MM_MINUTES * 60;
			o->p.lifetime_loc = c->loc;
		}
		members(s, o, O_MMPROP);
		break;
	}
	case O_QMSET: {
		static const char *const known[] = {"Proposal", "PerfectForwardSecrecyGroup", NULL};
		check_params(s, c, known);
		members(s, o, O_QMPROP);
		o = &s->objs.v[i];
		const struct val *g = str_arg(s, c, "PerfectForwardSecrecyGroup");
		bool skip = false;
		const char *w = g ? lookup(s, c, g, "PerfectForwardSecrecyGroup", pfs_groups, &skip) : "none";
		/* Windows' default: no PFS. */
		if (w)
			o->p.pfs = (struct imp_text){w, g ? g->loc : c->loc};
		break;
	}
	case O_P1SET: {
		static const char *const known[] = {"Proposal", NULL};
		check_params(s, c, known);
		members(s, o, O_AUTH);
		break;
	}
	case O_MMRULE: {
		static const char *const known[] = {"LocalAddress", "RemoteAddress", "MainModeCryptoSet",
						    "Phase1AuthSet", "Enabled", "InterfaceType", NULL};
		check_params(s, c, known);
		break;
	}
	case O_RULE: {
		static const char *const known[] = {
			"Mode", "LocalTunnelEndpoint", "RemoteTunnelEndpoint", "LocalAddress",
			"RemoteAddress", "InboundSecurity", "OutboundSecurity", "QuickModeCryptoSet",
			"Phase1AuthSet", "KeyModule", "Enabled", "Protocol", "LocalPort", "RemotePort",
			"InterfaceType", NULL,
		};
		check_params(s, c, known);
		break;
	}
	}
}

/* ---- routes, interfaces, registry ---- */

/* "10.1.0.0/16", "203.0.113.10" (a host) -> "NET/LEN"; NULL when neither. */
static const char *prefix_text(struct ps *s, const char *t)
{
	struct ip_prefix p;
	struct ip_addr a;
	if (strchr(t, '/'))
		return prefix_parse(t, &p) ? t : NULL;
	if (!addr_parse(t, &a))
		return NULL;
	return arena_printf(A(s), "%s/%u", t, addr_max_len(&a));
}

static void new_route(struct ps *s, const struct cmd *c)
{
	const struct val *d = str_arg(s, c, "DestinationPrefix"), *h = str_arg(s, c, "NextHop");
	if (!d) {
		diag_front(s->r->diags, "syntax", c->loc, "incomplete statement: -DestinationPrefix is missing");
		return;
	}
	const char *dst = prefix_text(s, d->s);
	if (!dst) {
		diag_front(s->r->diags, "invalid-value", d->loc, "'%s' is not an address prefix", d->s);
		return;
	}
	struct ip_addr a;
	static const uint8_t zero[16];
	if (!h || (addr_parse(h->s, &a) && memcmp(a.b, zero, sizeof(zero)) == 0)) {
		imp_unmodelled(s->r, c->loc, "an on-link route (no -NextHop)");
		return;
	}
	if (!addr_parse(h->s, &a)) {
		diag_front(s->r->diags, "invalid-value", h->loc, "'%s' is not an address", h->s);
		return;
	}
	struct imp_route r = {{dst, d->loc}, {h->s, h->loc}, c->loc};
	arena_vec_push(A(s), &DEV(s)->routes, r);
}

/* route.exe: `route [-p] add NET mask MASK GATEWAY [metric N] [if N]`. */
static void route_exe(struct ps *s, const struct cmd *c)
{
	size_t i = 0;
	const struct val *w = positional(c, i);
	if (w && w->k == V_STR && strcasecmp(w->s, "-p") == 0)
		w = positional(c, ++i);
	bool p = arg(c, "p") != NULL;
	(void)p;
	if (!w || w->k != V_STR || strcasecmp(w->s, "add") != 0)
		return;         /* print, delete: nothing to model */
	const struct val *net = positional(c, i + 1), *mk = positional(c, i + 2),
			 *mask = positional(c, i + 3), *gw = positional(c, i + 4);
	if (!net || !mk || !mask || !gw || mk->k != V_STR || strcasecmp(mk->s, "mask") != 0 ||
	    net->k != V_STR || mask->k != V_STR || gw->k != V_STR) {
		diag_front(s->r->diags, "syntax", c->loc, "incomplete statement: route add NET mask MASK GATEWAY");
		return;
	}
	int len = imp_mask_len(mask->s, false);
	struct ip_addr a;
	if (len < 0 || !addr_parse(net->s, &a) || !addr_parse(gw->s, &a)) {
		diag_front(s->r->diags, "invalid-value", len < 0 ? mask->loc : net->loc,
			   "expected route add NET mask MASK GATEWAY with addresses and a netmask");
		return;
	}
	struct imp_route r = {{imp_prefix(A(s), net->s, len), net->loc}, {gw->s, gw->loc}, c->loc};
	arena_vec_push(A(s), &DEV(s)->routes, r);
}

static void new_ip_address(struct ps *s, const struct cmd *c)
{
	const struct val *alias = str_arg(s, c, "InterfaceAlias"), *ip = str_arg(s, c, "IPAddress"),
			 *len = str_arg(s, c, "PrefixLength"), *gw = str_arg(s, c, "DefaultGateway");
	if (!alias || !ip || !len) {
		diag_front(s->r->diags, "syntax", c->loc, "incomplete statement: New-NetIPAddress "
			   "-InterfaceAlias A -IPAddress ADDR -PrefixLength N");
		return;
	}
	const char *pfx = arena_printf(A(s), "%s/%s", ip->s, len->s);
	struct ip_prefix p;
	if (!prefix_parse(pfx, &p)) {
		diag_front(s->r->diags, "invalid-value", loc_span(ip->loc, len->loc),
			   "'%s' is not an address and prefix length", pfx);
		return;
	}
	struct imp_iface f = {{alias->s, alias->loc}, {pfx, loc_span(ip->loc, len->loc)}, false};
	arena_vec_push(A(s), &DEV(s)->ifaces, f);
	if (gw) {
		struct imp_route r = {{p.addr.family == AF_V4 ? "0.0.0.0/0" : "::/0", gw->loc},
				      {gw->s, gw->loc}, c->loc};
		arena_vec_push(A(s), &DEV(s)->routes, r);
	}
}

static bool is_false(struct ps *s, const struct cmd *c, const char *param)
{
	const struct val *v = str_arg(s, c, param);
	bool skip = false;
	const char *w = v ? lookup(s, c, v, param, booleans, &skip) : NULL;
	return w && strcmp(w, "false") == 0;
}

/* Set-ItemProperty: forwarding (IPEnableRouter) and the PolicyAgent's
 * NAT-traversal value. */
static void registry(struct ps *s, const struct cmd *c)
{
	const struct val *path = str_arg(s, c, "Path"), *name = str_arg(s, c, "Name"),
			 *v = str_arg(s, c, "Value");
	if (!path || !name)
		return;
	if (find_ci(path->s, strlen(path->s), "Tcpip\\Parameters") &&
	    strcasecmp(name->s, "IPEnableRouter") == 0) {
		if (v && strcmp(v->s, "0") == 0)
			imp_unmodelled(s->r, c->loc, "IPEnableRouter 0 (tunc takes a gateway to forward)");
		return;
	}
	if (find_ci(path->s, strlen(path->s), "PolicyAgent") || find_ci(path->s, strlen(path->s), "IPsec"))
		imp_unmodelled(s->r, c->loc, arena_printf(A(s), "the IPsec registry value %s (a "
							  "gateway behind NAT is not recognised from it)",
							  name->s));
}

static void join_path(struct ps *s, const struct cmd *c)
{
	const struct val *dir = positional(c, 0), *file = positional(c, 1);
	const struct arg *pa = arg(c, "Path"), *ca = arg(c, "ChildPath");
	if (pa && pa->has_v)
		dir = &pa->v;
	if (ca && ca->has_v)
		file = &ca->v;
	if (!dir || !file || dir->k != V_VAR || strcasecmp(dir->s, "PSScriptRoot") != 0 ||
	    file->k != V_STR || s->keys_read)
		return;
	s->keys_read = true;
	s->keys_ok = ps_keys_load(s->r, file->s, file->loc, &s->keys);
}

static bool prefix_of(const char *name, const char *verb)
{
	return strncasecmp(name, verb, strlen(verb)) == 0;
}

static void dispatch(struct ps *s, struct cmd *c, struct val *out)
{
	static const struct { const char *name; enum okind k; } makers[] = {
		{"New-NetIPsecMainModeCryptoProposal", O_MMPROP},
		{"New-NetIPsecQuickModeCryptoProposal", O_QMPROP},
		{"New-NetIPsecAuthProposal", O_AUTH},
		{"New-NetIPsecMainModeCryptoSet", O_MMSET},
		{"New-NetIPsecQuickModeCryptoSet", O_QMSET},
		{"New-NetIPsecPhase1AuthSet", O_P1SET},
		{"New-NetIPsecMainModeRule", O_MMRULE},
		{"New-NetIPsecRule", O_RULE},
	};
	for (size_t i = 0; i < sizeof(makers) / sizeof(makers[0]); i++)
		if (strcasecmp(c->name, makers[i].name) == 0) {
			make(s, makers[i].k, c, out);
			return;
		}
	const char *n = c->name;
	if (strcasecmp(n, "New-NetRoute") == 0)
		new_route(s, c);
	else if (strcasecmp(n, "route") == 0 || strcasecmp(n, "route.exe") == 0)
		route_exe(s, c);
	else if (strcasecmp(n, "New-NetIPAddress") == 0)
		new_ip_address(s, c);
	else if (strcasecmp(n, "Set-NetIPInterface") == 0) {
		if (arg(c, "Forwarding") && is_false(s, c, "Forwarding"))
			imp_unmodelled(s->r, c->loc, "forwarding disabled on an interface (tunc takes a "
				       "gateway to forward between its interfaces)");
	} else if (strcasecmp(n, "Set-ItemProperty") == 0 || strcasecmp(n, "New-ItemProperty") == 0)
		registry(s, c);
	else if (strcasecmp(n, "Join-Path") == 0)
		join_path(s, c);
	else if (strcasecmp(n, "netsh") == 0 || strcasecmp(n, "netsh.exe") == 0)
		imp_unmodelled(s->r, c->loc, "netsh in a PowerShell script (read the netsh commands "
			       "as their own script: --from netsh)");
	else if (strcasecmp(n, "New-NetFirewallRule") == 0 || strcasecmp(n, "Set-NetFirewallRule") == 0)
		imp_unmodelled(s->r, c->loc, "a firewall rule (filters are not imported from "
			       "PowerShell yet)");
	else if (find_ci(n, strlen(n), "-NetIPsec") && !prefix_of(n, "Get-") && !prefix_of(n, "Remove-"))
		imp_unmodelled(s->r, c->loc, arena_printf(A(s), "%s", n));
	else if (strcasecmp(n, "Set-NetFirewallSetting") == 0 && c->a.n)
		imp_unmodelled(s->r, c->loc, "global IPsec settings (Set-NetFirewallSetting)");
}

/* ---- tunnels ---- */

/* A set named by VAL: $set.Name (the object) or its -Name. */
static int set_ref(struct ps *s, const struct cmd *c, const char *param, enum okind k)
{
	const struct arg *a = arg(c, param);
	if (!a)
		return -1;
	const struct val *v = &a->v;
	if (a->has_v && v->k == V_OBJ && s->objs.v[v->obj].k == k)
		return v->obj;
	if (a->has_v && v->k == V_STR)
		for (size_t i = 0; i < s->objs.n; i++)
			if (s->objs.v[i].k == k && s->objs.v[i].name && strcasecmp(s->objs.v[i].name, v->s) == 0)
				return (int)i;
	diag_front(s->r->diags, "undefined", a->has_v ? v->loc : a->name.loc,
		   "-%s names no set this script makes (give $set.Name or the set's -Name)", param);
	return -1;
}

static const char *display(struct ps *s, const struct obj *o, const char *fallback)
{
	const struct val *d = str_arg(s, &o->c, "DisplayName");
	const char *n = d ? d->s : o->name ? o->name : fallback;
	return strncmp(n, "tunc-", 5) == 0 ? n + 5 : n;
}

/* The imported proposal of set SET (built once per IKE version). */
static int proposal(struct ps *s, int set, unsigned version)
{
	struct obj *o = &s->objs.v[set];
	if (o->prop[version] >= 0)
		return o->prop[version];
	bool ike = o->k == O_MMSET;
	struct imp_proposal p = {.ike = ike, .loc = o->c.loc, .version = ike ? version : 0,
				 .lifetime_s = o->p.lifetime_s, .lifetime_loc = o->p.lifetime_loc,
				 .pfs = o->p.pfs};
	p.name = arena_printf(A(s), "%s-%s", DEV(s)->name.s, display(s, o, ike ? "main-mode" : "quick-mode"));
	for (size_t i = 0; i < o->members.n; i++) {
		const struct obj *m = &s->objs.v[o->members.v[i]];
		if (m->skip)
			continue;
		for (size_t k = 0; k < m->p.enc.n; k++)
			push(s, &p.enc, &p.enc_loc, m->p.enc.v[k].text, m->p.enc.v[k].loc);
		for (size_t k = 0; k < m->p.integ.n; k++)
			push(s, &p.integ, &p.integ_loc, m->p.integ.v[k].text, m->p.integ.v[k].loc);
		for (size_t k = 0; k < m->p.group.n; k++)
			push(s, &p.group, &p.group_loc, m->p.group.v[k].text, m->p.group.v[k].loc);
		if (!ike && !p.protocol.s)
			p.protocol = m->p.protocol;
		else if (!ike && strcmp(p.protocol.s, m->p.protocol.s) != 0)
			imp_unmodelled(s->r, m->c.loc, "ESP and AH proposals in one quick-mode set "
				       "(the first one's protocol is taken)");
		if (!ike && !p.lifetime_s) {
			p.lifetime_s = m->p.lifetime_s;
			p.lifetime_loc = m->p.lifetime_loc;
		}
	}
	arena_vec_push(A(s), &DEV(s)->proposals, p);
	o->prop[version] = (int)DEV(s)->proposals.n - 1;
	return o->prop[version];
}

/* No main-mode set applies: Windows negotiates its built-in default,
 * `dhgroup2-aes128-sha1,dhgroup2-3des-sha1` (KB 949856, as netsh
 * advfirewall names it), located at the rule that relies on it. */
static int default_main_mode(struct ps *s, const struct cmd *rule, unsigned version)
{
	diag_add(s->r->diags, DIAG_NOTE, "not-modelled", rule->loc, "no main-mode crypto set "
		 "applies to this tunnel rule: Windows' default main mode (AES-128 or 3DES, SHA-1, "
		 "DH group 2) is taken");
	struct imp_proposal p = {.ike = true, .loc = rule->loc, .version = version,
				 .name = arena_printf(A(s), "%s-default-main-mode", DEV(s)->name.s)};
	push(s, &p.enc, &p.enc_loc, "aes128", rule->loc);
	push(s, &p.enc, &p.enc_loc, "3des", rule->loc);
	push(s, &p.integ, &p.integ_loc, "sha1", rule->loc);
	push(s, &p.group, &p.group_loc, "2", rule->loc);
	p.lifetime_s = WINDOWS_MM_MINUTES * 60;
	p.lifetime_loc = rule->loc;
	arena_vec_push(A(s), &DEV(s)->proposals, p);
	return (int)DEV(s)->proposals.n - 1;
}

/* -LocalAddress / -RemoteAddress: each prefix or address, Any. */
static bool selectors(struct ps *s, const struct obj *rule, const char *param, bool v6,
		      imp_text_vec *out, struct tunc_loc *loc)
{
	const struct arg *a = arg(&rule->c, param);
	if (!a || !a->has_v) {
		arena_vec_push(A(s), out, ((struct imp_text){v6 ? "::/0" : "0.0.0.0/0", rule->c.loc}));
		*loc = rule->c.loc;
		return true;
	}
	*loc = a->v.loc;
	const struct val *items = a->v.k == V_LIST ? a->v.items : &a->v;
	size_t n = a->v.k == V_LIST ? a->v.n : 1;
	for (size_t i = 0; i < n; i++) {
		const char *t = items[i].k == V_STR ? items[i].s : NULL;
		const char *pfx = t && strcasecmp(t, "Any") == 0 ? (v6 ? "::/0" : "0.0.0.0/0") :
				  t ? prefix_text(s, t) : NULL;
		if (!pfx) {
			imp_unmodelled(s->r, items[i].loc, arena_printf(A(s), "-%s %s (tunc reads "
				       "addresses, prefixes and Any)", param, t ? t : "not given literally"));
			continue;
		}
		arena_vec_push(A(s), out, ((struct imp_text){pfx, items[i].loc}));
	}
	return out->n > 0;
}

/* The main-mode rule toward PEER from SELF (Any or absent matches). */
static const struct obj *mm_rule(struct ps *s, const struct imp_text *self, const struct imp_text *peer)
{
	for (size_t i = 0; i < s->objs.n; i++) {
		const struct obj *o = &s->objs.v[i];
		if (o->k != O_MMRULE || (arg(&o->c, "Enabled") && is_false(s, &o->c, "Enabled")))
			continue;
		bool match = true;
		const char *params[2] = {"LocalAddress", "RemoteAddress"};
		const struct imp_text *want[2] = {self, peer};
		for (int k = 0; k < 2 && match; k++) {
			const struct arg *a = arg(&o->c, params[k]);
			if (!a || !a->has_v)
				continue;
			const struct val *items = a->v.k == V_LIST ? a->v.items : &a->v;
			size_t n = a->v.k == V_LIST ? a->v.n : 1;
			bool any = false;
			for (size_t j = 0; j < n && !any; j++) {
				struct ip_prefix p;
				struct ip_addr x;
				const char *t = items[j].k == V_STR ? prefix_text(s, items[j].s) : NULL;
				any = (items[j].k == V_STR && strcasecmp(items[j].s, "Any") == 0) ||
				      (t && prefix_parse(t, &p) && addr_parse(want[k]->s, &x) &&
				       prefix_contains_addr(&p, &x));
			}
			match = any;
		}
		if (match)
			return o;
	}
	return NULL;
}

static struct imp_text key_of(struct ps *s, int p1)
{
	const struct obj *o = &s->objs.v[p1];
	for (size_t i = 0; i < o->members.n; i++)
		if (s->objs.v[o->members.v[i]].psk.s)
			return s->objs.v[o->members.v[i]].psk;
	return (struct imp_text){0};
}

static bool one_address(struct ps *s, const struct obj *rule, const char *param, struct imp_text *out)
{
	const struct arg *a = arg(&rule->c, param);
	if (!a || !a->has_v) {
		diag_front(s->r->diags, "syntax", rule->c.loc, "incomplete statement: a tunnel rule "
			   "without -%s", param);
		return false;
	}
	struct ip_addr x;
	if (a->v.k != V_STR || !addr_parse(a->v.s, &x)) {
		imp_unmodelled(s->r, a->v.loc, arena_printf(A(s), "-%s other than one address "
							    "(a dynamic or multi-endpoint tunnel)", param));
		return false;
	}
	*out = (struct imp_text){a->v.s, a->v.loc};
	return true;
}

static void tunnel(struct ps *s, int idx)
{
	const struct obj *o = &s->objs.v[idx];
	const struct cmd *c = &o->c;
	bool skip = false;
	const struct val *mode = str_arg(s, c, "Mode");
	if (arg(c, "Enabled") && is_false(s, c, "Enabled")) {
		imp_unmodelled(s->r, c->loc, "a disabled IPsec rule (it is left out)");
		return;
	}
	if (!mode) {
		imp_unmodelled(s->r, c->loc, "a transport-mode IPsec rule");
		return;
	}
	if (!lookup(s, c, mode, "Mode", modes, &skip))
		return;
	struct imp_end e = {.name = display(s, o, "tunnel"), .loc = c->loc, .pair = -1, .ike = -1, .ipsec = -1};
	if (!one_address(s, o, "LocalTunnelEndpoint", &e.local_addr) ||
	    !one_address(s, o, "RemoteTunnelEndpoint", &e.peer_addr))
		return;
	struct ip_addr ep;
	addr_parse(e.local_addr.s, &ep);
	bool v6 = ep.family != AF_V4;
	if (!selectors(s, o, "LocalAddress", v6, &e.local_ts, &e.local_loc) ||
	    !selectors(s, o, "RemoteAddress", v6, &e.remote_ts, &e.remote_loc))
		return;
	const char *dirs[2] = {"InboundSecurity", "OutboundSecurity"};
	for (int k = 0; k < 2; k++) {
		const struct val *v = str_arg(s, c, dirs[k]);
		if (v)
			lookup(s, c, v, dirs[k], securities, &skip);
	}
	const char *ports[3] = {"Protocol", "LocalPort", "RemotePort"};
	for (int k = 0; k < 3; k++) {
		const struct val *v = str_arg(s, c, ports[k]);
		if (v && strcasecmp(v->s, "Any") != 0)
			imp_unmodelled(s->r, v->loc, "a tunnel rule for one protocol or port");
	}
	unsigned version = 1;
	const struct val *km = str_arg(s, c, "KeyModule");
	if (km) {
		const char *w = lookup(s, c, km, "KeyModule", key_modules, &skip);
		version = w && *w == '2' ? 2 : 1;
	}
	const struct obj *mm = mm_rule(s, &e.local_addr, &e.peer_addr);
	int mmset = mm ? set_ref(s, &mm->c, "MainModeCryptoSet", O_MMSET) : -1;
	for (size_t i = 0; mmset < 0 && i < s->objs.n; i++)
		if (s->objs.v[i].k == O_MMSET && s->objs.v[i].is_default)
			mmset = (int)i;
	if (mmset >= 0)
		e.ike = proposal(s, mmset, version);
	else
		e.ike = default_main_mode(s, c, version);
	int qm = set_ref(s, c, "QuickModeCryptoSet", O_QMSET);
	if (qm >= 0) {
		e.ipsec = proposal(s, qm, 0);
		struct imp_proposal *p = &DEV(s)->proposals.v[e.ipsec];
		/* SameAsMainMode: the main mode's (first) group. */
		if (p->pfs.s && strcmp(p->pfs.s, "mainmode") == 0) {
			const struct imp_proposal *ike = e.ike >= 0 ? &DEV(s)->proposals.v[e.ike] : NULL;
			p->pfs.s = ike && ike->group.n ? ike->group.v[0].text : "none";
		}
	}
	int p1 = set_ref(s, c, "Phase1AuthSet", O_P1SET);
	if (p1 < 0 && mm)
		p1 = set_ref(s, &mm->c, "Phase1AuthSet", O_P1SET);
	if (p1 >= 0)
		e.psk = key_of(s, p1);
	else
		imp_unmodelled(s->r, c->loc, "a tunnel rule with no phase-1 auth set (Windows' "
			       "default, Kerberos, is not a pre-shared key)");
	arena_vec_push(A(s), &DEV(s)->ends, e);
}

/* "# Gateway NAME (Windows Server 2022, site S)": tunc's header. */
static void header(struct ps *s)
{
	const char *t = s->r->src->text;
	size_t size = s->r->src->size < 4096 ? s->r->src->size : 4096;
	const char *g = find_ci(t, size, "# Gateway ");
	if (!g)
		return;
	const char *n = g + 10, *ne = n;
	while ((size_t)(ne - t) < size && *ne != ' ' && *ne != '\n')
		ne++;
	const char *w = find_ci(ne, size - (size_t)(ne - t), " (Windows Server ");
	const char *eol = memchr(n, '\n', size - (size_t)(n - t));
	if (!w || (eol && w > eol))
		return;
	const char *v = w + 17, *ve = v;
	while (isdigit((unsigned char)*ve))
		ve++;
	if (ve - v != 4 || ne == n)
		return;
	DEV(s)->name = imp_word(s->r, n, (size_t)(ne - n), (size_t)(n - t));
	DEV(s)->version = imp_word(s->r, v, (size_t)(ve - v), (size_t)(v - t));
}

void powershell_read(struct imp_read *r)
{
	struct ps s = {.r = r};
	r->dev->platform = "windows";
	r->dev->name = (struct imp_text){imp_name_from_path(r->arena, r->src->path), imp_loc(r, 0, 1)};
	/* No header: the oldest Windows with the NetSecurity cmdlets. */
	r->dev->version = (struct imp_text){"2012", r->dev->name.loc};
	header(&s);
	if (!ps_lex(r, &s.tok))
		return;

	while (tk(&s)->t != PT_EOF) {
		size_t at = s.p;
		enum ps_tok t = tk(&s)->t;
		if (t == PT_END || t == PT_LBRACE || t == PT_RBRACE || t == PT_RPAREN || t == PT_PIPE) {
			advance(&s);
			continue;
		}
		statement(&s);
		/* Whatever the statement left (an expression's operators). */
		while (!stmt_end(tk(&s)->t) && tk(&s)->t != PT_LBRACE) {
			if (tk(&s)->t == PT_HASH)
				skip_group(&s);
			else
				advance(&s);
		}
		if (s.p == at)
			advance(&s);
	}
	for (size_t i = 0; i < s.objs.n; i++)
		if (s.objs.v[i].k == O_RULE)
			tunnel(&s, (int)i);
	/* An interface holding a tunnel endpoint is outside. */
	for (size_t i = 0; i < r->dev->ifaces.n; i++)
		for (size_t k = 0; k < r->dev->ends.n; k++) {
			const char *a = r->dev->ends.v[k].local_addr.s, *f = r->dev->ifaces.v[i].address.s;
			if (strncmp(f, a, strlen(a)) == 0 && f[strlen(a)] == '/')
				r->dev->ifaces.v[i].outside = true;
		}
	r->dev->ifaces_from_ends = true;
}
