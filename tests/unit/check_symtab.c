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

/* A table reserved for a known count is allocated once, three quarters
 * full (not a power of two), finds keys whose probe runs wrap from the
 * last slot to the first, and grows past its reservation. */
START_TEST(test_reserved)
{
	enum { M = 100001 };
	static char keys[M][16], other[16];
	struct symtab t;
	symtab_init(&t);
	symtab_reserve(&t, M);
	const void *slots = t.slots;
	size_t cap = t.cap;
	ck_assert_uint_ge(cap * 3, (size_t)M * 4);
	ck_assert_uint_le(cap, (size_t)M * 4 / 3 + 1);
	for (size_t i = 0; i < M; i++) {
		snprintf(keys[i], sizeof(keys[i]), "spoke%zu", i);
		if (symtab_put(&t, keys[i], &keys[i]) != NULL)
			ck_abort_msg("'%s' was there before it was put", keys[i]);
	}
	ck_assert_ptr_eq(t.slots, slots);       /* no growth */
	ck_assert(t.slots[cap - 1].key && t.slots[0].key);      /* a run wraps */
	bool ok = true;
	for (size_t i = 0; i < M && ok; i++) {
		snprintf(other, sizeof(other), "spoke%zu", i);
		ok = symtab_get(&t, other) == &keys[i];
		snprintf(other, sizeof(other), "hub%zu", i);
		ok = ok && symtab_get(&t, other) == NULL;
	}
	ck_assert_msg(ok, "a key is lost or invented");
	symtab_reserve(&t, 0);
	ck_assert_ptr_eq(t.slots, slots);
	ck_assert_ptr_null(symtab_put(&t, "hub", keys[0]));
	ck_assert_uint_gt(t.cap, cap);          /* grown past the reservation */
	ck_assert_ptr_eq(symtab_get(&t, "hub"), keys[0]);
	ck_assert_ptr_eq(symtab_get(&t, "spoke100000"), &keys[100000]);
	symtab_free(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("symtab");
	TCase *tc = tcase_create("symtab");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_finds_what_was_put);
	tcase_add_test(tc, test_reserved);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
