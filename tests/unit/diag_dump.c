/* Writes a hand-built diagnostic list in one format, for tests/diag-formats.sh
 * to validate with real tools (jq, python3 json/jsonschema, xmllint) without
 * the parser.  The "nasty" list has what breaks careless writers: quotes,
 * backslashes, control characters, invalid UTF-8, XML markup, a file name
 * with spaces, a finding without a location, an unregistered check name.
 *
 * usage: diag_dump text|json|sarif|junit [nasty|empty] */
#include "config.h"
#include "check/check.h"
#include "diag/write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char policy[] =
	"# a policy\n"
	"tunnel hq-branch {\n"
	"\tbetween rtr-a and rtr-b;\n"
	"\trtr-b { remote 192.168.1.0/25; }\n"
	"}\n"
	"site caf\xc3\xa9 { subnet 10.0.0.0/8; }\n"
	"bad \xff byte\n";

static struct tunc_loc at(uint32_t file, const char *needle, uint32_t len)
{
	const char *p = strstr(policy, needle);
	return (struct tunc_loc){file, (uint32_t)(p - policy), len};
}

static void build_nasty(struct diag_list *l, struct source_set *s)
{
	uint32_t f = source_add_buffer(s, "my policy \"1\".tun", policy, sizeof(policy) - 1);
	struct diag *d = diag_add(l, DIAG_ERROR, "selector-mirror", at(f, "remote", 24),
				  "rtr-a protects 192.168.1.0/24 -> 192.168.2.0/24 but rtr-b's "
				  "\"remote\" is 192.168.1.0/25 \\ tab\there, bell\a, nl\nend");
	diag_gateway(d, "rtr-a");
	diag_gateway(d, "rtr-b");
	diag_tunnel(d, "hq-branch");
	diag_related(d, at(f, "between", 7), "the tunnel is defined here </failure>]]> & <x>");
	diag_fix(d, "add 192.168.1.128/25 to rtr-b's remote");
	d = diag_add(l, DIAG_WARNING, "weak-cipher", at(f, "caf\xc3\xa9", 5),
		     "site caf\xc3\xa9 uses 3DES \xff\xfe (invalid UTF-8)");
	diag_fix(d, "use aes256");
	diag_related(d, at(f, "caf\xc3\xa9", 5), "use aes256");
	diag_add(l, DIAG_NOTE, "no-pfs", at(f, "tunnel", 40), "multi-line location");
	diag_add(l, DIAG_NOTE, "no-pfs", at(f, "tunnel", 40), "multi-line location");
	diag_front(l, "io-error", LOC_NONE, "cannot read 'secrets/x.psk': No such file");
	diag_add(l, DIAG_WARNING, "not-in-registry", at(f, "bad", 3), "control \x01\x1f\x7f chars");
	diag_sort(l);
}

int main(int argc, char **argv)
{
	enum diag_format fmt;
	if (argc < 2 || !diag_format_lookup(argv[1], &fmt)) {
		fputs("usage: diag_dump text|json|sarif|junit [nasty|empty]\n", stderr);
		return 2;
	}
	struct source_set s;
	struct diag_list l;
	source_set_init(&s);
	diag_list_init(&l);
	if (argc < 3 || strcmp(argv[2], "empty") != 0)
		build_nasty(&l, &s);
	struct strbuf out = STRBUF_INIT;
	struct diag_rule *rules = check_rules_new(NULL);
	struct diag_write_opts opts = {.color = false, .summary = true, .rules = rules,
				       .n_rules = check_count};
	diag_write(&out, fmt, &l, &s, &opts);
	free(rules);
	fwrite(out.s ? out.s : "", 1, out.len, stdout);
	strbuf_free(&out);
	diag_list_free(&l);
	source_set_free(&s);
	return 0;
}
