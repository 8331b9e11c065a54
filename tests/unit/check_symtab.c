/* symtab (src/util/symtab.h) finds every key put, across growth and for
 * keys whose hashes collide in the low bits, returns the first value for a
 * key put twice, and finds no key it was not given. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/symtab.h"

enum { N = 40000 };

START_TEST(test_finds_what_was_put)
{
	static char keys[N][16], other[16];
	struct symtab t;
	symtab_init(&t);
	ck_assert_ptr_null(symtab_get(&t, "absent"));
	for (size_t i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "spoke%zu", i);
		if (symtab_put(&t, keys[i], &keys[i]) != NULL)
			ck_abort_msg("'%s' was there before it was put", keys[i]);
	}
	ck_assert_uint_eq(t.n, N);
	bool ok = true;
	for (size_t i = 0; i < N && ok; i++) {
		/* A copy of the key: found by content, not by pointer. */
		snprintf(other, sizeof(other), "spoke%zu", i);
		ok = symtab_get(&t, other) == &keys[i] && symtab_put(&t, other, NULL) == &keys[i];
		snprintf(other, sizeof(other), "spoke%zu", i + N);
		ok = ok && symtab_get(&t, other) == NULL;
	}
	ck_assert_msg(ok, "a key is lost, found twice or invented");
	ck_assert_uint_eq(t.n, N);
	/* Full to three quarters: a big policy's name tables are paid for in
	 * page faults (at most one half full, 40,000 names took 131,072 slots). */
	ck_assert_uint_ge(t.cap * 3, t.n * 4);
	ck_assert_uint_lt(t.cap, 2 * t.n);
	symtab_free(&t);
	ck_assert_ptr_null(symtab_get(&t, "spoke1"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("symtab");
	TCase *tc = tcase_create("symtab");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_finds_what_was_put);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
