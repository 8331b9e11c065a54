/* Unit tests of the diagnostic writers and the check registry, on
 * hand-built diagnostic lists (no parser needed). */
#include "config.h"
#include "check/check.h"
#include "diag/write.h"
#include "diag/write_impl.h"

#include <check.h>
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <wchar.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct source_set src;
static struct diag_list dl;
static struct strbuf out;

static void setup(void)
{
	source_set_init(&src);
	diag_list_init(&dl);
	strbuf_reset(&out);
}

static void teardown(void)
{
	diag_list_free(&dl);
	source_set_free(&src);
	strbuf_free(&out);
}

static uint32_t add(const char *name, const char *text)
{
	return source_add_buffer(&src, name, text, strlen(text));
}

/* The location of NEEDLE in file FILE, LEN bytes long. */
static struct tunc_loc at(uint32_t file, const char *needle, uint32_t len)
{
	const char *text = src.files[file].text;
	const char *p = strstr(text, needle);
	ck_assert_ptr_nonnull(p);
	return (struct tunc_loc){file, (uint32_t)(p - text), len};
}

static const char *render(enum diag_format fmt, bool color, bool summary)
{
	struct diag_rule *rules = check_rules_new(NULL);
	struct diag_write_opts o = {.color = color, .summary = summary, .rules = rules,
				    .n_rules = check_count};
	strbuf_reset(&out);
	diag_write(&out, fmt, &dl, &src, &o);
	free(rules);
	return strbuf_cstr(&out);
}

/* --- text --- */

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* One check's finding repeated for many gateways: text shows 3 and counts
 * the rest (only when at least two would be hidden); another kind of the
 * same check, front-end errors and JSON are never folded. */
START_TEST(text_folds_repeated_findings)
{
	static const char fmt[] = "%s's own traffic leaves in clear";
	uint32_t f = add("hub.tun", "tunnel t0 { }\ntunnel t1 { }\ntunnel t2 { }\n"
			 "tunnel t3 { }\ntunnel t4 { }\n");
	const char *gw[] = {"s0", "s1", "s2", "s3", "s4"};
	const char *line[] = {"t0", "t1", "t2", "t3", "t4"};
	for (int i = 0; i < 5; i++)
		diag_add(&dl, DIAG_NOTE, "gateway-own-traffic", at(f, line[i], 2), fmt, gw[i]);
	diag_add(&dl, DIAG_NOTE, "gateway-own-traffic", at(f, "t4", 2), "another kind");
	for (int i = 0; i < 5; i++)
		diag_front(&dl, "syntax", at(f, line[i], 2), "bad %d", i);
	struct diag_write_opts o = {.repeat_limit = 3, .repeat_hint = "tunc lint --all"};
	strbuf_reset(&out);
	diag_write(&out, DIAG_FORMAT_TEXT, &dl, &src, &o);
	const char *s = strbuf_cstr(&out);
	ck_assert_uint_eq(count(s, "own traffic leaves in clear"), 3);
	ck_assert_ptr_nonnull(strstr(s, "s2's own"));
	ck_assert_ptr_null(strstr(s, "s3's own"));
	ck_assert_ptr_nonnull(strstr(s, "hub.tun:4:8: note: 2 more gateway-own-traffic notes like "
				      "the 3 above, the next one here, are not shown; 'tunc lint "
				      "--all' shows every one\n"));
	ck_assert_uint_eq(count(s, "another kind"), 1);
	ck_assert_uint_eq(count(s, ": error: bad "), 5);
	/* No limit: everything. */
	o.repeat_limit = 0;
	strbuf_reset(&out);
	diag_write(&out, DIAG_FORMAT_TEXT, &dl, &src, &o);
	ck_assert_uint_eq(count(strbuf_cstr(&out), "own traffic leaves in clear"), 5);
	ck_assert_ptr_null(strstr(strbuf_cstr(&out), "more gateway-own-traffic"));
	/* JSON keeps every finding whatever the limit. */
	o.repeat_limit = 3;
	strbuf_reset(&out);
	diag_write(&out, DIAG_FORMAT_JSON, &dl, &src, &o);
	ck_assert_uint_eq(count(strbuf_cstr(&out), "own traffic leaves in clear"), 5);
}
END_TEST

/* A list told to keep only the first 4 findings of each kind (what the
 * text report shows of a kind folded at 3, and where the 4th is) writes
 * the same text and counts the same as a list that keeps them all, whatever
 * order the findings come in: random kinds, severities, locations (ties
 * too), notes and fixes, some front-end errors and findings of no check,
 * and -Werror for part of them. */
static uint32_t lcg(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 16;
}

static void add_random(struct diag_list *l, uint32_t seed, uint32_t file, size_t n)
{
	static const char *const checks[] = {"gateway-own-traffic", "psk-reuse", "nat-t"};
	static const char *const names[] = {"s0", "s1", "s2", "s3"};
	uint32_t st = seed;
	for (size_t i = 0; i < n; i++) {
		uint32_t r = lcg(&st);
		struct tunc_loc loc = r % 13 == 0 ? LOC_NONE
						  : (struct tunc_loc){file, 14 * (lcg(&st) % 40), 6};
		l->warnings_as_errors = i > n / 2 && r % 5 == 0;
		if (r % 17 == 0) {
			diag_front(l, "syntax", loc, "bad %zu", i);
			continue;
		}
		const char *check = r % 19 == 0 ? NULL : checks[lcg(&st) % 3];
		enum diag_severity sev = (enum diag_severity)(lcg(&st) % 3);
		struct diag *d;
		switch (lcg(&st) % 3) {
		/* A kind is its format (one literal, one pointer). */
		case 0: d = diag_add(l, sev, check, loc, "%s's own traffic", names[i % 4]); break;
		case 1: d = diag_add(l, sev, check, loc, "reused %s", "key"); break;
		default: d = diag_add(l, sev, check, loc, "kind %d", (int)i); break;
		}
		if (r % 3 == 0)
			diag_related(d, loc, "related %zu", i);
		if (r % 4 == 0)
			diag_fix(d, "fix %zu", i);
		diag_gateway(d, names[r % 4]);
		diag_tunnel(d, names[(r >> 3) % 4]);
	}
	l->warnings_as_errors = false;
}

START_TEST(keeping_first_of_a_kind_writes_the_same)
{
	char text[14 * 40 + 1];
	for (int i = 0; i < 40; i++)
		snprintf(text + 14 * i, 15, "tunnel t%02u { }", (unsigned)i % 100u);  /* two digits: i < 40 */
	for (int i = 0; i < 40; i++)
		text[14 * i + 13] = '\n';
	uint32_t f = add("hub.tun", text);
	struct diag_write_opts o = {.summary = true, .repeat_limit = 3,
				    .repeat_hint = "tunc lint --all"};
	for (uint32_t seed = 1; seed <= 40; seed++) {
		size_t n = 200 + seed * 25;
		struct diag_list all, first;
		diag_list_init(&all);
		diag_list_init(&first);
		/* Some before the list is told (they count as kept), most after. */
		add_random(&all, seed, f, n / 10);
		add_random(&first, seed, f, n / 10);
		diag_list_keep_first(&first, 4);
		add_random(&all, seed * 7919u, f, n);
		add_random(&first, seed * 7919u, f, n);
		ck_assert_uint_lt(first.n, all.n);
		diag_sort(&all);
		diag_sort(&first);
		for (int sev = DIAG_NOTE; sev <= DIAG_ERROR; sev++)
			ck_assert_uint_eq(diag_count(&first, (enum diag_severity)sev),
					  diag_count(&all, (enum diag_severity)sev));
		/* The kept ones: the first 4 of each kind in order, and the count of the rest. */
		size_t k = 0;
		for (size_t i = 0; i < all.n; i++) {
			const struct diag *a = &all.v[i];
			size_t before = 0, total = 0;
			for (size_t j = 0; j < all.n; j++) {
				const struct diag *b = &all.v[j];
				bool same = a->check && !a->front_end && b->check == a->check &&
					    !b->front_end && b->message.fmt == a->message.fmt &&
					    b->severity == a->severity;
				before += same && j < i;
				total += same;
			}
			if (a->check && !a->front_end && before >= 4)
				continue;
			ck_assert_uint_lt(k, first.n);
			const struct diag *b = &first.v[k++];
			ck_assert_str_eq(diag_message(b), diag_message(a));
			ck_assert_uint_eq(b->loc.offset, a->loc.offset);
			ck_assert_int_eq(b->severity, a->severity);
			ck_assert_uint_eq(b->n_related, a->n_related);
			if (a->check && !a->front_end)
				ck_assert_uint_eq(diag_unkept(&first, b), (total > 4 ? total - 4 : 0));
		}
		ck_assert_uint_eq(k, first.n);
		strbuf_reset(&out);
		diag_write(&out, DIAG_FORMAT_TEXT, &all, &src, &o);
		char *want = strdup(strbuf_cstr(&out));
		strbuf_reset(&out);
		diag_write(&out, DIAG_FORMAT_TEXT, &first, &src, &o);
		ck_assert_msg(strcmp(strbuf_cstr(&out), want) == 0, "text differs (seed %u)", seed);
		ck_assert_ptr_nonnull(strstr(want, "are not shown"));
		free(want);
		diag_list_free(&all);
		diag_list_free(&first);
	}
}
END_TEST

START_TEST(text_does_not_fold_to_hide_one)
{
	uint32_t f = add("hub.tun", "tunnel t0 { }\n");
	for (int i = 0; i < 4; i++)
		diag_add(&dl, DIAG_WARNING, "psk-reuse", at(f, "t0", 2), "reused %s", "key");
	struct diag_write_opts o = {.repeat_limit = 3};
	strbuf_reset(&out);
	diag_write(&out, DIAG_FORMAT_TEXT, &dl, &src, &o);
	ck_assert_uint_eq(count(strbuf_cstr(&out), "reused key"), 4);
	ck_assert_ptr_null(strstr(strbuf_cstr(&out), " more "));
}
END_TEST

START_TEST(text_caret_under_culprit)
{
	uint32_t f = add("site.tun", "site a {\n        remote 10.1.0.0/16;\n}\n");
	diag_add(&dl, DIAG_ERROR, "gateway-own-traffic", at(f, "remote", 19), "no mirror");
	ck_assert_str_eq(render(DIAG_FORMAT_TEXT, false, false),
			 "site.tun:2:9: error: no mirror [-Wgateway-own-traffic]\n"
			 "    2 |         remote 10.1.0.0/16;\n"
			 "      |         ^" "~~~~~~~~~~~~~~~~~~\n");   /* 1 + 18 */
}
END_TEST

START_TEST(text_tabs_are_copied)
{
	uint32_t f = add("t.tun", "x {\n\t\tpsk \"k\";\n}\n");
	diag_add(&dl, DIAG_WARNING, "inline-secret", at(f, "psk", 3), "inline");
	/* The inline key itself is masked (source_line_shown). */
	ck_assert_str_eq(render(DIAG_FORMAT_TEXT, false, false),
			 "t.tun:2:3: warning: inline [-Winline-secret]\n"
			 "    2 | \t\tpsk \"********\";\n"
			 "      | \t\t^~~\n");
}
END_TEST

/* A key is shown as a mask of one length, whatever its own: two keys of
 * different lengths give the same line, and a caret after the key, or on
 * it, stays under what it points at. */
START_TEST(text_mask_hides_the_length)
{
	uint32_t f = add("t.tun", "psk \"k\"; ike a;\npsk \"a-much-longer-key\"; ike a;\n");
	diag_add(&dl, DIAG_WARNING, "inline-secret", at(f, "ike", 3), "after");
	diag_add(&dl, DIAG_WARNING, "inline-secret", at(f, "a-much", 17), "on");
	ck_assert_str_eq(render(DIAG_FORMAT_TEXT, false, false),
			 "t.tun:1:10: warning: after [-Winline-secret]\n"
			 "    1 | psk \"********\"; ike a;\n"
			 "      |                 ^~~\n"
			 "t.tun:2:6: warning: on [-Winline-secret]\n"
			 "    2 | psk \"********\"; ike a;\n"
			 "      |      ^~~~~~~~\n");
}
END_TEST

START_TEST(text_utf8_one_column_per_character)
{
	uint32_t f = add("u.tun", "site caf\xc3\xa9 x;\n");
	diag_add(&dl, DIAG_NOTE, "unused", at(f, "x;", 1), "n");
	const char *s = render(DIAG_FORMAT_TEXT, false, false);
	/* "site café " is 10 characters (11 bytes): 10 spaces before the caret. */
	ck_assert_ptr_nonnull(strstr(s, "\n      |           ^\n"));
	ck_assert_ptr_nonnull(strstr(s, "u.tun:1:12: note: n"));
}
END_TEST

START_TEST(text_multiline_underlines_to_end_of_first_line)
{
	uint32_t f = add("m.tun", "tunnel t {\n  between a and b;\n}\n");
	diag_add(&dl, DIAG_ERROR, "selector-mirror", at(f, "t {", 20), "spans lines");
	const char *s = render(DIAG_FORMAT_TEXT, false, false);
	ck_assert_ptr_nonnull(strstr(s, "    1 | tunnel t {\n"
					"      |        ^~~\n"));
	ck_assert_ptr_null(strstr(s, "between"));
}
END_TEST

START_TEST(text_empty_location_gets_a_caret)
{
	uint32_t f = add("e.tun", "ike x {\n");
	diag_front(&dl, "syntax", (struct tunc_loc){f, 7, 0}, "unexpected end of file");
	ck_assert_str_eq(render(DIAG_FORMAT_TEXT, false, false),
			 "e.tun:1:8: error: unexpected end of file\n"
			 "    1 | ike x {\n"
			 "      |        ^\n");
}
END_TEST

START_TEST(text_gutter_grows_with_line_number)
{
	struct strbuf big = STRBUF_INIT;
	for (int i = 0; i < 123456; i++)
		strbuf_puts(&big, "x;\n");
	uint32_t f = source_add_buffer(&src, "big.tun", big.s, big.len);
	strbuf_free(&big);
	diag_add(&dl, DIAG_NOTE, "unused", (struct tunc_loc){f, 3 * 123455, 1}, "last");
	const char *s = render(DIAG_FORMAT_TEXT, false, false);
	ck_assert_ptr_nonnull(strstr(s, "big.tun:123456:1: note: last [-Wunused]\n"
					"123456 | x;\n"
					"       | ^\n"));
}
END_TEST

START_TEST(text_related_and_fix)
{
	uint32_t f = add("r.tun", "a;\nb;\n");
	struct diag *d = diag_add(&dl, DIAG_ERROR, "selector-mirror", at(f, "a", 1), "main");
	diag_related(d, at(f, "b", 1), "the other end");
	diag_fix(d, "do this");
	const char *s = render(DIAG_FORMAT_TEXT, false, false);
	ck_assert_str_eq(s, "r.tun:1:1: error: main [-Wselector-mirror]\n"
			    "    1 | a;\n"
			    "      | ^\n"
			    "r.tun:2:1: note: the other end\n"
			    "    2 | b;\n"
			    "      | ^\n"
			    "r.tun:1:1: note: fix: do this\n");
	/* A related note that states the fix is not repeated. */
	diag_related(d, at(f, "b", 1), "do this");
	s = render(DIAG_FORMAT_TEXT, false, false);
	ck_assert_ptr_null(strstr(s, "fix:"));
	ck_assert_ptr_nonnull(strstr(s, "r.tun:2:1: note: do this\n"));
}
END_TEST

START_TEST(text_no_location_and_front_end)
{
	diag_front(&dl, "io-error", LOC_NONE, "cannot read 'x.tun'");
	ck_assert_str_eq(render(DIAG_FORMAT_TEXT, false, false),
			 "tunc: error: cannot read 'x.tun'\n");
}
END_TEST

START_TEST(text_control_characters_do_not_escape)
{
	uint32_t f = add("c.tun", "a\x1b[31m;\n");
	diag_add(&dl, DIAG_ERROR, "syntax", at(f, "a", 1), "bad\nline\x1b");
	const char *s = render(DIAG_FORMAT_TEXT, false, false);
	ck_assert_ptr_null(strchr(s, '\x1b'));
	ck_assert_ptr_nonnull(strstr(s, "error: bad line  [-Wsyntax]\n"));
}
END_TEST

START_TEST(text_colour)
{
	uint32_t f = add("c.tun", "a;\n");
	diag_add(&dl, DIAG_ERROR, "syntax", at(f, "a", 1), "e");
	diag_add(&dl, DIAG_WARNING, "weak-cipher", at(f, "a", 1), "w");
	const char *s = render(DIAG_FORMAT_TEXT, false, true);
	ck_assert_ptr_null(strchr(s, '\033'));
	s = render(DIAG_FORMAT_TEXT, true, true);
	ck_assert_ptr_nonnull(strstr(s, "\033[1mc.tun:1:1:\033[m \033[1;31merror:\033[m e"));
	ck_assert_ptr_nonnull(strstr(s, "\033[1;35mwarning:\033[m w [\033[1;35m-Wweak-cipher\033[m]"));
	ck_assert_ptr_nonnull(strstr(s, "| \033[1;32m^\033[m\n"));
}
END_TEST

START_TEST(text_summary)
{
	uint32_t f = add("s.tun", "a;\n");
	struct tunc_loc l = at(f, "a", 1);
	ck_assert_str_eq(render(DIAG_FORMAT_TEXT, false, true), "no findings\n");
	ck_assert_str_eq(render(DIAG_FORMAT_TEXT, false, false), "");
	diag_add(&dl, DIAG_ERROR, "x", l, "m");
	ck_assert_ptr_nonnull(strstr(render(DIAG_FORMAT_TEXT, false, true), "\n1 error\n"));
	diag_add(&dl, DIAG_ERROR, "x", l, "m");
	diag_add(&dl, DIAG_WARNING, "x", l, "m");
	ck_assert_ptr_nonnull(strstr(render(DIAG_FORMAT_TEXT, false, true), "\n2 errors, 1 warning\n"));
	diag_add(&dl, DIAG_NOTE, "x", l, "m");
	diag_add(&dl, DIAG_NOTE, "x", l, "m");
	diag_add(&dl, DIAG_NOTE, "x", l, "m");
	ck_assert_ptr_nonnull(strstr(render(DIAG_FORMAT_TEXT, false, true),
				     "\n2 errors, 1 warning, 3 notes\n"));
	diag_list_free(&dl);
	diag_add(&dl, DIAG_WARNING, "x", l, "m");
	diag_add(&dl, DIAG_NOTE, "x", l, "m");
	const char *s = render(DIAG_FORMAT_TEXT, false, true);
	ck_assert_str_eq(s + strlen(s) - strlen("\n1 warning, 1 note\n"), "\n1 warning, 1 note\n");
}
END_TEST

/* --- JSON --- */

START_TEST(json_fields_and_escapes)
{
	uint32_t f = add("dir/a b.tun", "x;\n  yy;\n");
	struct diag *d = diag_add(&dl, DIAG_WARNING, "weak-psk", at(f, "yy", 2),
				  "q\"b\\t\tn\nc\x01 bad\xff ok\xc3\xa9");
	diag_gateway(d, "g1");
	diag_gateway(d, "g\"2");
	diag_related(d, LOC_NONE, "nowhere");
	const char *s = render(DIAG_FORMAT_JSON, false, false);
	ck_assert_ptr_nonnull(strstr(s, "{\"check\":\"weak-psk\",\"severity\":\"warning\","
					"\"file\":\"dir/a b.tun\",\"line\":2,\"column\":3,"
					"\"end_line\":2,\"end_column\":4,"
					"\"message\":\"q\\\"b\\\\t\\tn\\nc\\u0001 bad\xef\xbf\xbd ok\xc3\xa9\","
					"\"gateways\":[\"g1\",\"g\\\"2\"],\"tunnel\":null,\"fix\":null,"
					"\"related\":[{\"file\":null,\"line\":null,\"column\":null,"
					"\"message\":\"nowhere\"}]}"));
	ck_assert_ptr_nonnull(strstr(s, "\"summary\": {"));
	ck_assert_ptr_nonnull(strstr(s, "\"warnings\": 1"));
	ck_assert_int_eq(s[strlen(s) - 1], '\n');
}
END_TEST

START_TEST(clean_text)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *ok = "plain \xc3\xa9 \xf0\x9f\x94\x92";
	ck_assert_ptr_eq(diag_clean_text(ok, false, &tmp), ok);
	ck_assert_ptr_eq(diag_clean_text(ok, true, &tmp), ok);
	ck_assert_str_eq(diag_clean_text("a\xc0\xaf" "b", false, &tmp),
			 "a\xef\xbf\xbd\xef\xbf\xbd" "b");                /* overlong '/' */
	ck_assert_str_eq(diag_clean_text("\xed\xa0\x80", false, &tmp),
			 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");          /* surrogate */
	ck_assert_str_eq(diag_clean_text("x\xe2\x82", false, &tmp), "x\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(diag_clean_text("a\x01\tb\n", false, &tmp), "a\x01\tb\n");
	ck_assert_str_eq(diag_clean_text("a\x01\tb\n", true, &tmp), "a\xef\xbf\xbd\tb\n");
	ck_assert_ptr_null(diag_clean_text(NULL, true, &tmp));
	strbuf_free(&tmp);
}
END_TEST

/* --- SARIF and JUnit (structure; the tools validate in diag-formats.sh) --- */

START_TEST(sarif_rules_results_and_uris)
{
	uint32_t f = add("./my dir/caf\xc3\xa9.tun", "site caf\xc3\xa9 { x; }\n");
	struct diag *d = diag_add(&dl, DIAG_WARNING, "weak-cipher", at(f, "x;", 2), "m");
	diag_fix(d, "use aes");
	const char *s = render(DIAG_FORMAT_SARIF, false, false);
	ck_assert_ptr_nonnull(strstr(s, "\"version\": \"2.1.0\""));
	ck_assert_ptr_nonnull(strstr(s, "\"uri\": \"my%20dir/caf%C3%A9.tun\""));
	ck_assert_ptr_nonnull(strstr(s, "\"uriBaseId\": \"%SRCROOT%\""));
	/* "site café { " is 12 characters: x is at column 13, ends before 15. */
	ck_assert_ptr_nonnull(strstr(s, "\"startColumn\": 13"));
	ck_assert_ptr_nonnull(strstr(s, "\"endColumn\": 15"));
	ck_assert_ptr_nonnull(strstr(s, "\"text\": \"m\\nFix: use aes\""));
	const struct check_info *c = check_find("weak-cipher");
	char idx[64];
	snprintf(idx, sizeof(idx), "\"ruleIndex\": %zu", (size_t)(c - check_table));
	ck_assert_ptr_nonnull(strstr(s, idx));
	/* Every registry entry is a rule. */
	for (size_t i = 0; i < check_count; i++) {
		char id[96];
		snprintf(id, sizeof(id), "\"id\": \"%s\"", check_table[i].name);
		ck_assert_msg(strstr(s, id), "no rule for %s", check_table[i].name);
	}
}
END_TEST

START_TEST(sarif_absolute_path_is_file_uri)
{
	uint32_t f = add("/tmp/p q.tun", "x;\n");
	diag_add(&dl, DIAG_NOTE, "unused", at(f, "x", 1), "m");
	const char *s = render(DIAG_FORMAT_SARIF, false, false);
	ck_assert_ptr_nonnull(strstr(s, "\"uri\": \"file:///tmp/p%20q.tun\""));
	ck_assert_ptr_null(strstr(s, "\"uriBaseId\""));
}
END_TEST

START_TEST(junit_testcases_for_checks_that_ran)
{
	uint32_t f = add("j.tun", "x;\n");
	bool *ran = calloc(check_count, sizeof(bool));
	const struct check_info *syntax = check_find("syntax"), *nopfs = check_find("no-pfs");
	ran[syntax - check_table] = true;
	ran[nopfs - check_table] = true;
	diag_add(&dl, DIAG_NOTE, "no-pfs", at(f, "x", 1), "a note & <more>");
	diag_add(&dl, DIAG_WARNING, "weak-cipher", at(f, "x", 1), "w1");
	diag_add(&dl, DIAG_WARNING, "weak-cipher", at(f, "x", 1), "w2");
	struct diag_rule *rules = check_rules_new(ran);
	struct diag_write_opts o = {.rules = rules, .n_rules = check_count};
	diag_write(&out, DIAG_FORMAT_JUNIT, &dl, &src, &o);
	free(rules);
	const char *s = strbuf_cstr(&out);
	/* syntax and no-pfs ran; weak-cipher reported although not marked. */
	ck_assert_ptr_nonnull(strstr(s, "<testsuite name=\"tunc lint\" tests=\"3\" failures=\"1\" errors=\"0\""));
	ck_assert_ptr_nonnull(strstr(s, "<testcase classname=\"tunc.lint\" name=\"syntax\"/>"));
	ck_assert_ptr_nonnull(strstr(s, "<system-out>j.tun:1:1: note: a note &amp; &lt;more&gt; [-Wno-pfs]"));
	ck_assert_ptr_nonnull(strstr(s, "<failure message=\"w1\" type=\"warning\">"));
	ck_assert_ptr_nonnull(strstr(s, "<failure message=\"w2\" type=\"warning\">"));
	ck_assert_ptr_null(strstr(s, "name=\"selector-mirror\""));
	free(ran);
}
END_TEST

START_TEST(format_names)
{
	enum diag_format fm;
	ck_assert(diag_format_lookup("text", &fm) && fm == DIAG_FORMAT_TEXT);
	ck_assert(diag_format_lookup("json", &fm) && fm == DIAG_FORMAT_JSON);
	ck_assert(diag_format_lookup("sarif", &fm) && fm == DIAG_FORMAT_SARIF);
	ck_assert(diag_format_lookup("junit", &fm) && fm == DIAG_FORMAT_JUNIT);
	ck_assert(!diag_format_lookup("xml", &fm));
	ck_assert(!diag_format_lookup("", &fm));
}
END_TEST

START_TEST(colour_needs_terminal_and_no_NO_COLOR)
{
	/* The test's standard output is a pipe or file under make check. */
	setenv("NO_COLOR", "1", 1);
	ck_assert(!diag_use_color(1));
	setenv("NO_COLOR", "", 1);
	unsetenv("TERM");
	ck_assert(!diag_use_color(-1));        /* not a terminal */
	unsetenv("NO_COLOR");
}
END_TEST

/* --- registry --- */

START_TEST(registry_table_is_complete)
{
	static const char *const spec[] = {
		"selector-mirror", "gateway-own-traffic", "route-missing", "mixed-pair-selectors",
		"mtu-overhead", "tunnel-route-missing", "egress-address",
		"peer-unreachable", "nat-not-exempt", "windows-nat-tunnel",
		"tunnel-port-filter", "mirrored-tunnel-filter", "accept-unsecured",
		"ah-behind-nat", "nat-traversal-off", "pat-no-initiator", "ike-mismatch", "ipsec-mismatch",
		"lifetime-mismatch", "psk-mismatch", "platform-unsupported", "platform-limit",
		"keys-unread", "not-modelled", "peer-sheet-differs",
		"no-common-proposal", "weak-dh-group", "weak-cipher", "weak-integrity",
		"no-pfs", "ike-blocked", "filter-unsupported", "cleartext-leak", "selector-overlap",
		"manual-key-aead", "manual-keying", "manual-key-entropy", "manual-key-material",
		"keying-mismatch", "inline-secret",
		"weak-psk", "psk-file-mode", "psk-reuse", "aggressive-psk", "unused",
		"lifetime-range", "one-sa-pair", "dpd-required", "tunnel-mss", "inside-cidr",
		"second-tunnel", "responder-only",
		"syntax", "undefined-name", "duplicate-name", "host-bits", "invalid-value",
		"unknown-platform", "include-error", "io-error",
	};
	for (size_t i = 0; i < sizeof(spec) / sizeof(spec[0]); i++)
		ck_assert_msg(check_find(spec[i]), "%s missing", spec[i]);
	ck_assert_uint_eq(check_count, sizeof(spec) / sizeof(spec[0]));
	for (size_t i = 0; i < check_count; i++) {
		const struct check_info *c = &check_table[i];
		for (const char *p = c->name; *p; p++)
			ck_assert_msg(islower((unsigned char)*p) || *p == '-', "%s", c->name);
		ck_assert_ptr_eq(check_find(c->name), c);       /* unique */
		ck_assert_msg(*c->summary && *c->explanation && *c->example && *c->fix, "%s", c->name);
		ck_assert(c->severity == DIAG_ERROR || c->severity == DIAG_WARNING ||
			  c->severity == DIAG_NOTE);
		/* Every cited seed has a title. */
		for (const char *p = c->seeds; *p; p++)
			if (isdigit((unsigned char)*p)) {
				char num[4] = {p[0], p[1], p[2], 0};
				ck_assert_msg(check_seed_title(num), "%s cites %s", c->name, num);
				p += 2;
			}
	}
	ck_assert_int_eq(check_find("weak-cipher")->severity, DIAG_WARNING);
	ck_assert_int_eq(check_find("no-pfs")->severity, DIAG_NOTE);
	ck_assert_int_eq(check_find("selector-mirror")->severity, DIAG_ERROR);
	ck_assert(check_find("syntax")->front_end);
	ck_assert(!check_find("unused")->front_end);
	ck_assert_ptr_null(check_find("nope"));
	ck_assert_ptr_null(check_seed_title("999"));
}
END_TEST

START_TEST(registry_options)
{
	struct check_options o;
	check_options_init(&o);
	size_t i = (size_t)(check_find("no-pfs") - check_table);
	ck_assert(o.enabled[i]);
	ck_assert(check_options_set(&o, "no-pfs", false));
	ck_assert(!o.enabled[i]);
	ck_assert(check_options_set(&o, "no-pfs", true));
	ck_assert(o.enabled[i]);
	ck_assert(!check_options_set(&o, "no-such-check", true));
	ck_assert(!check_options_set(&o, "syntax", false));     /* cannot be disabled */
	ck_assert(check_options_set(&o, "syntax", true));
	ck_assert(!o.werror);
	check_options_free(&o);
}
END_TEST

START_TEST(registry_nearest)
{
	ck_assert_str_eq(check_nearest("selector-mirorr")->name, "selector-mirror");
	ck_assert_str_eq(check_nearest("weak-ciphers")->name, "weak-cipher");
	ck_assert_ptr_null(check_nearest("weak-cipher"));        /* exact: no suggestion */
	ck_assert_ptr_null(check_nearest("banana"));
}
END_TEST

START_TEST(registry_report_uses_current_check)
{
	uint32_t f = add("r.tun", "x;\n");
	struct check_ctx ctx = {.diags = &dl, .current = check_find("weak-cipher")};
	struct diag *d = check_report(&ctx, at(f, "x", 1), "uses %s", "3des");
	ck_assert_str_eq(d->check, "weak-cipher");
	ck_assert_int_eq(d->severity, DIAG_WARNING);
	ck_assert_str_eq(diag_message(d), "uses 3des");
	ck_assert(!d->front_end);
	d = check_report_sev(&ctx, DIAG_ERROR, at(f, "x", 1), "uses %s", "des");
	ck_assert_int_eq(d->severity, DIAG_ERROR);
	ck_assert_str_eq(d->check, "weak-cipher");
	ck_assert_uint_eq(dl.n, 2);
}
END_TEST

/* A text kept as format and arguments prints what one vsnprintf of the
 * whole format prints, whatever the conversions, and keeps copies of its
 * strings (a check may pass a buffer on its stack). */
__attribute__((format(printf, 2, 3)))
static void assert_same_as_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	char want[1024];
	vsnprintf(want, sizeof(want), fmt, cp);
	va_end(cp);
	struct diag_text t;
	diag_text_vset(&t, a, fmt, ap);
	va_end(ap);
	struct strbuf got = STRBUF_INIT;
	diag_text_put(&got, &t);
	ck_assert_str_eq(strbuf_cstr(&got), want);
	ck_assert_str_eq(diag_text_format(&t, a), want);
	strbuf_free(&got);
}

START_TEST(kept_text_prints_as_printf)
{
	struct arena a;
	arena_init(&a);
	char big[600];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	const char unterminated[3] = {'a', 'b', 'c'};
	assert_same_as_printf(&a, "no conversion, 100%% sure");
	assert_same_as_printf(&a, "%s and %s", "one", "two");
	assert_same_as_printf(&a, "%d %i %u %x %X %o %c", -42, 7, 4000000000u, 255u, 255u, 8u, 'q');
	assert_same_as_printf(&a, "%zu %zd %lu %ld %llu %lld %ju %td", (size_t)123456789012,
			      (ssize_t)-5, 99ul, -99l, 18446744073709551615ull, -9223372036854775807ll,
			      (uintmax_t)3, (ptrdiff_t)-8);
	assert_same_as_printf(&a, "%hhu %hhd %hu %hd", 300u, 200, 70000u, 40000);
	assert_same_as_printf(&a, "[%-8s] [%8s] [%.2s] [%.*s] [%*u] [%-*d] [%08x] [%+d] [% d]",
			      "ab", "ab", "abcdef", 3, unterminated, 6, 42u, -5, 7, 0xbeefu, 3, 4);
	assert_same_as_printf(&a, "%.0f %.2f %12.1f %e %g", 2.5, 3.14159, -1.25, 1e-7, 0.5);
	/* NULL as glibc prints it (hidden from the compiler, which warns). */
	const char *nul = getenv("TUNC_TEST_VARIABLE_NEVER_SET");
	assert_same_as_printf(&a, "%s|%.3s|%10s", nul, nul, nul);
	assert_same_as_printf(&a, "%s and %300s", big, "short");
	assert_same_as_printf(&a, "%p", (void *)&a);
	/* The strings are copies: the caller's buffer may change. */
	char buf[16] = "before";
	struct diag_text t;
	diag_text_set(&t, &a, "now %s", buf);
	strcpy(buf, "after");
	ck_assert_str_eq(diag_text_format(&t, &a), "now before");
	/* A conversion not kept as data (a wide string) is formatted at
	 * once, and the text keeps its format: the finding's kind. */
	static const char wide_fmt[] = "wide %ls, %d";
	assert_same_as_printf(&a, wide_fmt, L"text", 7);
	diag_text_set(&t, &a, wide_fmt, L"text", 7);
	ck_assert_ptr_eq(t.fmt, wide_fmt);
	ck_assert_str_eq(diag_text_format(&t, &a), "wide text, 7");
	/* No text. */
	struct diag_text none = {0};
	struct strbuf tmp = STRBUF_INIT;
	ck_assert_ptr_null(diag_text_cstr(&none, &tmp));
	ck_assert_ptr_null(diag_text_format(&none, &a));
	strbuf_free(&tmp);
	arena_free(&a);
}
END_TEST

/* Sorting: by file, then offset, ties in the order reported, whatever the
 * order of the list (moved along the permutation's cycles). */
START_TEST(sort_is_stable_by_place)
{
	enum { N = 3000 };
	struct diag_list l;
	diag_list_init(&l);
	unsigned seed = 12345;
	for (unsigned i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		struct tunc_loc loc = {1 + (seed >> 16) % 3, (seed >> 8) % 97, 1};
		diag_add(&l, DIAG_NOTE, "x", loc, "%u", i);
	}
	diag_sort(&l);
	ck_assert_uint_eq(l.n, N);
	bool seen[N] = {false}, ok = true;
	for (size_t i = 0; i < N && ok; i++) {
		unsigned id = (unsigned)atoi(diag_message(&l.v[i]));
		ok = id < N && !seen[id];
		seen[id] = true;
		if (ok && i > 0) {
			const struct diag *a = &l.v[i - 1], *b = &l.v[i];
			unsigned ida = (unsigned)atoi(diag_message(a));
			ok = a->loc.file < b->loc.file ||
			     (a->loc.file == b->loc.file && (a->loc.offset < b->loc.offset ||
							     (a->loc.offset == b->loc.offset && ida < id)));
		}
	}
	ck_assert_msg(ok, "findings out of order, lost or repeated");
	diag_list_free(&l);
}
END_TEST

static Suite *diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *t = tcase_create("text");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, text_caret_under_culprit);
	tcase_add_test(t, text_folds_repeated_findings);
	tcase_add_test(t, text_does_not_fold_to_hide_one);
	tcase_add_test(t, keeping_first_of_a_kind_writes_the_same);
	tcase_add_test(t, text_tabs_are_copied);
	tcase_add_test(t, text_mask_hides_the_length);
	tcase_add_test(t, text_utf8_one_column_per_character);
	tcase_add_test(t, text_multiline_underlines_to_end_of_first_line);
	tcase_add_test(t, text_empty_location_gets_a_caret);
	tcase_add_test(t, text_gutter_grows_with_line_number);
	tcase_add_test(t, text_related_and_fix);
	tcase_add_test(t, text_no_location_and_front_end);
	tcase_add_test(t, text_control_characters_do_not_escape);
	tcase_add_test(t, text_colour);
	tcase_add_test(t, text_summary);
	suite_add_tcase(s, t);

	t = tcase_create("machine");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, json_fields_and_escapes);
	tcase_add_test(t, clean_text);
	tcase_add_test(t, sarif_rules_results_and_uris);
	tcase_add_test(t, sarif_absolute_path_is_file_uri);
	tcase_add_test(t, junit_testcases_for_checks_that_ran);
	tcase_add_test(t, format_names);
	tcase_add_test(t, colour_needs_terminal_and_no_NO_COLOR);
	suite_add_tcase(s, t);

	t = tcase_create("registry");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, registry_table_is_complete);
	tcase_add_test(t, registry_options);
	tcase_add_test(t, registry_nearest);
	tcase_add_test(t, registry_report_uses_current_check);
	tcase_add_test(t, kept_text_prints_as_printf);
	tcase_add_test(t, sort_is_stable_by_place);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(diag_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
