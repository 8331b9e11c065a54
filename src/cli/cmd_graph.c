/* tunc graph: the topology as Graphviz DOT.  Sites are clusters holding their
 * gateways, peers stand apart, tunnels are edges labelled with the proposals
 * each end runs, and anything a finding names is drawn in its severity's
 * colour with the check names beside it. */
#include "config.h"
#include "check/check.h"
#include "cli/cli.h"
#include "policy/policy_import.h"
#include "cli/options.h"
#include "util/strbuf.h"
#include "util/symtab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char graph_details[] =
	"Writes DOT to standard output, or to FILE.dot with -o (--output).  Render it with\n"
	"`dot -Tsvg FILE.dot -o topology.svg`.  Gateways and tunnels that lint\n"
	"findings name are drawn red (error) or orange (warning) and labelled with\n"
	"the checks.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE   write the DOT to FILE\n"
	"  --from FORMAT       read the FILEs as device configurations of FORMAT (ios,\n"
	"                      swanctl, pix, asa, ipsecconf, netsh, powershell, xfrm,\n"
	"                      sheet);\n"
	"                      without it they are recognised by their content\n";

/* A DOT quoted string: only '"' and '\\' need escaping; "\n" is a line break. */
static void dot_string(struct strbuf *b, const char *s)
{
	strbuf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_putc(b, '\\');
		if (*s == '\n') {
			strbuf_puts(b, "\\n");
			continue;
		}
		strbuf_putc(b, *s);
	}
	strbuf_putc(b, '"');
}

/* The worst severity and the check names of the findings about THING (a
 * gateway when IS_TUNNEL is false, else a tunnel). */
struct marks {
	int worst;                      /* -1: none */
	struct strbuf checks;
};


/* The findings (not notes) about each gateway and each tunnel, by name, in
 * report order: built once, so that drawing 100,000 tunnels does not read
 * every finding for each of them. */
struct finding_list {
	size_t *v, n, cap;
};

struct finding_ix {
	struct symtab by_gateway, by_tunnel;    /* name -> struct finding_list * */
	struct finding_list **all;              /* to free them */
	size_t n_all;
};

static void ix_add(struct finding_ix *ix, struct symtab *t, const char *name, size_t i)
{
	struct finding_list *l = symtab_get(t, name);
	if (!l) {
		l = xcalloc(1, sizeof(*l));
		symtab_put(t, name, l);
		ix->all = xrealloc(ix->all, (ix->n_all + 1) * sizeof(*ix->all));
		ix->all[ix->n_all++] = l;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = i;
}

static void finding_ix_build(struct finding_ix *ix, const struct diag_list *diags)
{
	memset(ix, 0, sizeof(*ix));
	symtab_init(&ix->by_gateway);
	symtab_init(&ix->by_tunnel);
	for (size_t i = 0; i < diags->n; i++) {
		const struct diag *d = &diags->v[i];
		if (d->severity == DIAG_NOTE)
			continue;
		if (d->tunnel)
			ix_add(ix, &ix->by_tunnel, d->tunnel, i);
		/* the gateway a finding is about comes first; the rest are its peers */
		if (d->n_gateways)
			ix_add(ix, &ix->by_gateway, d->gateways[0], i);
	}
}

static void finding_ix_free(struct finding_ix *ix)
{
	for (size_t i = 0; i < ix->n_all; i++) {
		free(ix->all[i]->v);
		free(ix->all[i]);
	}
	free(ix->all);
	symtab_free(&ix->by_gateway);
	symtab_free(&ix->by_tunnel);
}

static void collect(const struct diag_list *diags, const struct finding_ix *ix,
		    const char *thing, bool is_tunnel, struct marks *m)
{
	m->worst = -1;
	m->checks = (struct strbuf)STRBUF_INIT;
	const struct finding_list *l = symtab_get(is_tunnel ? &ix->by_tunnel : &ix->by_gateway,
						  thing);
	for (size_t k = 0; l && k < l->n; k++) {
		const struct diag *d = &diags->v[l->v[k]];
		if ((int)d->severity > m->worst)
			m->worst = (int)d->severity;
		/* Each check once, in first-seen order. */
		const char *seen = strbuf_cstr(&m->checks);
		size_t n = strlen(d->check);
		bool dup = false;
		for (const char *p = strstr(seen, d->check); p && !dup; p = strstr(p + 1, d->check))
			dup = (p == seen || p[-1] == '\n') && (p[n] == '\0' || p[n] == '\n');
		if (!dup) {
			if (m->checks.len)
				strbuf_putc(&m->checks, '\n');
			strbuf_puts(&m->checks, d->check);
		}
	}
}

static void mark_attributes(struct strbuf *b, struct marks *m)
{
	if (m->worst < 0)
		return;
	const char *colour = m->worst == DIAG_ERROR ? "red" : "orange";
	strbuf_printf(b, ", color=%s, fontcolor=%s, penwidth=2, xlabel=", colour, colour);
	dot_string(b, strbuf_cstr(&m->checks));
}

static void proposal_text(struct strbuf *b, const struct ir_tunnel_end *e)
{
	const struct ir_ike *ike = ir_end_ike(e);
	const struct ir_ipsec *ipsec = ir_end_ipsec(e);
	if (ike) {
		strbuf_printf(b, "IKEv%u", ike->version);
		for (size_t i = 0; i < ike->encryption.n; i++)
			strbuf_printf(b, "%s%s", i ? "," : " ", encryption_name(ike->encryption.v[i]));
		for (size_t i = 0; i < ike->integrity.n; i++)
			strbuf_printf(b, "%s%s", i ? "," : " ", integrity_name(ike->integrity.v[i]));
		for (size_t i = 0; i < ike->group.n; i++)
			strbuf_printf(b, "%s%u", i ? "," : " g", ike->group.v[i]);
	}
	if (ipsec) {
		strbuf_puts(b, ipsec->protocol == IPSEC_AH ? " / AH" : " / ESP");
		for (size_t i = 0; i < ipsec->encryption.n; i++)
			strbuf_printf(b, "%s%s", i ? "," : " ", encryption_name(ipsec->encryption.v[i]));
		for (size_t i = 0; i < ipsec->integrity.n; i++)
			strbuf_printf(b, "%s%s", i ? "," : " ", integrity_name(ipsec->integrity.v[i]));
		if (ipsec->pfs)
			strbuf_printf(b, " pfs%u", ipsec->pfs);
	}
}

static void gateway_node(struct strbuf *out, const struct ir_gateway *g,
			 const struct diag_list *diags, const struct finding_ix *ix,
			 const char *indent)
{
	struct strbuf label = STRBUF_INIT;
	char addr[ADDR_STRLEN];
	strbuf_printf(&label, "%s%s\n%s%s%s", g->name, g->kind == GW_PEER ? " (peer)" : "",
		      platform_name(g->platform), g->version && *g->version ? " " : "",
		      g->version ? g->version : "");
	if (g->kind == GW_PEER) {
		addr_format(&g->address, addr, sizeof(addr));
		strbuf_printf(&label, "\n%s", addr);
		for (size_t i = 0; i < g->subnets.n; i++) {
			prefix_format(&g->subnets.v[i].p, addr, sizeof(addr), false);
			strbuf_printf(&label, "\n%s", addr);
		}
	} else {
		for (size_t i = 0; i < g->interfaces.n; i++)
			if (g->interfaces.v[i]->outside) {
				addr_format(&g->interfaces.v[i]->address.addr, addr, sizeof(addr));
				strbuf_printf(&label, "\n%s %s", g->interfaces.v[i]->name, addr);
			}
	}
	struct marks m;
	collect(diags, ix, g->name, false, &m);
	strbuf_printf(out, "%s", indent);
	dot_string(out, g->name);
	strbuf_printf(out, " [shape=%s, label=", g->kind == GW_PEER ? "box, style=dashed" : "box3d");
	dot_string(out, strbuf_cstr(&label));
	mark_attributes(out, &m);
	strbuf_puts(out, "];\n");
	strbuf_free(&label);
	strbuf_free(&m.checks);
}

static void write_dot(struct strbuf *out, const struct ir *ir, const struct diag_list *diags,
		      const char *source)
{
	char addr[ADDR_STRLEN];
	struct finding_ix ix;
	finding_ix_build(&ix, diags);
	strbuf_puts(out, "// tunc " PACKAGE_VERSION " topology of ");
	strbuf_puts(out, source);
	strbuf_puts(out, "\ngraph tunc {\n\tgraph [rankdir=LR, fontname=\"Helvetica\", forcelabels=true, label=");
	dot_string(out, source);
	strbuf_puts(out, "];\n\tnode [fontname=\"Helvetica\", fontsize=10];\n"
			 "\tedge [fontname=\"Helvetica\", fontsize=9];\n");
	for (size_t s = 0; s < ir->sites.n; s++) {
		const struct ir_site *site = ir->sites.v[s];
		struct strbuf label = STRBUF_INIT;
		strbuf_printf(&label, "site %s", site->name);
		for (size_t i = 0; i < site->subnets.n; i++) {
			prefix_format(&site->subnets.v[i].p, addr, sizeof(addr), false);
			strbuf_printf(&label, "\n%s", addr);
		}
		strbuf_printf(out, "\tsubgraph \"cluster_%zu\" {\n\t\tlabel=", s);
		dot_string(out, strbuf_cstr(&label));
		strbuf_puts(out, ";\n\t\tstyle=rounded;\n");
		for (size_t g = 0; g < site->gateways.n; g++)
			gateway_node(out, site->gateways.v[g], diags, &ix, "\t\t");
		for (size_t h = 0; h < site->hosts.n; h++) {
			const struct ir_host *host = site->hosts.v[h];
			struct strbuf hl = STRBUF_INIT;
			addr_format(&host->addr, addr, sizeof(addr));
			strbuf_printf(&hl, "%s\n%s", host->name, addr);
			strbuf_printf(out, "\t\t\"host %s\" [shape=ellipse, label=", host->name);
			dot_string(out, strbuf_cstr(&hl));
			strbuf_puts(out, "];\n");
			strbuf_free(&hl);
		}
		strbuf_puts(out, "\t}\n");
		strbuf_free(&label);
	}
	for (size_t i = 0; i < ir->gateways.n; i++)
		if (ir->gateways.v[i]->kind == GW_PEER)
			gateway_node(out, ir->gateways.v[i], diags, &ix, "\t");
	for (size_t t = 0; t < ir->tunnels.n; t++) {
		const struct ir_tunnel *tun = ir->tunnels.v[t];
		if (!tun->end[0].gw.target || !tun->end[1].gw.target)
			continue;
		struct strbuf label = STRBUF_INIT;
		strbuf_printf(&label, "%s\n%s: ", tun->name, tun->end[0].gw.name);
		proposal_text(&label, &tun->end[0]);
		strbuf_printf(&label, "\n%s: ", tun->end[1].gw.name);
		proposal_text(&label, &tun->end[1]);
		struct marks m;
		collect(diags, &ix, tun->name, true, &m);
		strbuf_puts(out, "\t");
		dot_string(out, tun->end[0].gw.name);
		strbuf_puts(out, " -- ");
		dot_string(out, tun->end[1].gw.name);
		strbuf_puts(out, " [style=bold, label=");
		dot_string(out, strbuf_cstr(&label));
		mark_attributes(out, &m);
		strbuf_puts(out, "];\n");
		strbuf_free(&label);
		strbuf_free(&m.checks);
	}
	strbuf_puts(out, "}\n");
	finding_ix_free(&ix);
}

enum { OPT_FROM = CLI_LONG_ONLY };

static const struct cli_option graph_options[] = {
	{"output", 'o', true, "a file name", false},
	{"from", OPT_FROM, true, NULL, false},
	{0},
};

struct graph_args {
	const char *output, *from;
};

static int graph_option(int key, const char *v, void *arg)
{
	struct graph_args *ga = arg;
	if (key == OPT_FROM)
		return cli_from_option("graph", v, &ga->from);
	ga->output = v;                 /* -o, --output */
	return -1;
}

int cmd_graph(int argc, char **argv)
{
	const char *file = NULL;
	struct graph_args ga = {NULL, NULL};
	int first;
	int status = cli_parse("graph", graph_details, argc, argv, graph_options, graph_option,
			       &ga, &first);
	if (status >= 0)
		return status;
	const char *output = ga.output;
	const char *const *files = (const char *const *)argv + first;
	size_t n = (size_t)(argc - first);
	if (policy_files_tun(files, n))
		return cli_usage_error("graph", "one policy file at a time ('%s' among configurations)",
				       policy_files_tun(files, n));
	if (first < argc)
		file = argv[first];
	if (!file)
		return cli_usage_error("graph", "no policy file given");

	struct policy p;
	if (!policy_load_files(&p, files, n, ga.from)) {
		policy_print_errors(&p);
		policy_free(&p);
		return EXIT_USAGE;
	}
	struct check_options opts;
	check_options_init(&opts);
	checks_run(&p.ir, p.model, &opts, &p.diags);
	check_options_free(&opts);

	struct strbuf out = STRBUF_INIT;
	write_dot(&out, &p.ir, &p.diags, file);
	int rc = EXIT_OK;
	if (output) {
		if (strbuf_write_file(&out, output, 0644) != 0) {
			fprintf(stderr, "tunc: cannot write '%s': %s\n", output, strerror(errno));
			rc = EXIT_USAGE;
		}
	} else {
		fputs(strbuf_cstr(&out), stdout);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "tunc: cannot write the graph: %s\n", strerror(errno));
			rc = EXIT_USAGE;
		}
	}
	strbuf_free(&out);
	policy_free(&p);
	return rc;
}
