/* u64map (src/util/u64map.h) holds every value added under a key, across
 * growth and for keys that share their low bits (aligned pointers), and
 * nothing else: compared with a list of every (key, value) pair added. */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "util/u64map.h"

/* The values under KEY, as a bit set over 0..n-1; false when one is out
 * of range or comes twice.  (Plain tests in the loops: each ck_assert
 * writes a checkpoint, too slow for millions.) */
static bool collect(const struct u64map *m, uint64_t key, unsigned char *seen, size_t n)
{
	struct u64map_iter it;
	size_t v;
	for (size_t i = 0; i < n; i++)
		seen[i] = 0;
	for (bool more = u64map_first(m, key, &it, &v); more; more = u64map_next(&it, &v)) {
		if (v >= n || seen[v])
			return false;
		seen[v] = 1;
	}
	return true;
}

START_TEST(test_matches_reference)
{
	enum { N = 5000 };
	static uint64_t keys[N];
	static unsigned char seen[N];
	struct u64map m;
	u64map_init(&m);
	/* Keys 4096 apart (as aligned pointers are), some shared by many values. */
	for (size_t i = 0; i < N; i++) {
		keys[i] = (uint64_t)(i % (_i ? 7 : 1500)) << 12;
		u64map_add(&m, keys[i], i);
	}
	ck_assert_uint_eq(m.n, N);
	size_t wrong = 0;
	for (size_t i = 0; i < N; i++) {
		if (!collect(&m, keys[i], seen, N))
			wrong++;
		for (size_t j = 0; j < N; j++)
			wrong += seen[j] != (keys[j] == keys[i]);
	}
	ck_assert_uint_eq(wrong, 0);
	ck_assert(collect(&m, (uint64_t)1 << 40, seen, N));
	for (size_t j = 0; j < N; j++)
		wrong += seen[j];
	ck_assert_uint_eq(wrong, 0);
	u64map_clear(&m);
	ck_assert_uint_eq(m.n, 0);
	ck_assert(collect(&m, keys[0], seen, N));
	for (size_t j = 0; j < N; j++)
		wrong += seen[j];
	ck_assert_uint_eq(wrong, 0);
	u64map_add(&m, 42, 7);
	ck_assert(collect(&m, 42, seen, N));
	ck_assert_uint_eq(seen[7], 1);
	u64map_free(&m);
}
END_TEST

START_TEST(test_empty)
{
	struct u64map m;
	u64map_init(&m);
	struct u64map_iter it;
	size_t v;
	ck_assert(!u64map_first(&m, 0, &it, &v));
	u64map_clear(&m);
	u64map_free(&m);
}
END_TEST

/* A table reserved for a known count is sized once, three quarters full
 * (not a power of two), holds every value across the wrap from its last
 * slot to its first, and still grows when given more. */
START_TEST(test_reserved)
{
	enum { N = 100001 };
	static unsigned char seen[N];
	struct u64map m;
	u64map_init(&m);
	u64map_reserve(&m, N);
	const struct u64map_slot *slots = m.slots;
	size_t cap = m.cap;
	ck_assert_uint_ge(cap * 3, (size_t)N * 4);
	ck_assert_uint_le(cap, (size_t)N * 4 / 3 + 1);
	/* Keys 4096 apart, every 10th shared with the one before. */
	for (size_t i = 0; i < N; i++)
		u64map_add(&m, (uint64_t)(i - (i % 10 == 9)) << 12, i);
	ck_assert_ptr_eq(m.slots, slots);       /* no growth */
	ck_assert_uint_eq(m.cap, cap);
	bool wrapped = false;                   /* some run crosses the end */
	for (size_t i = 0; i < 64 && !wrapped; i++)
		wrapped = m.slots[cap - 1].val && m.slots[i].val;
	ck_assert(wrapped);
	size_t wrong = 0;
	for (size_t i = 0; i < N; i += 1 + (i % 10 == 8)) {
		struct u64map_iter it;
		size_t v, count = 0;
		for (bool more = u64map_first(&m, (uint64_t)i << 12, &it, &v); more;
		     more = u64map_next(&it, &v), count++)
			wrong += v != i && v != i + 1;
		wrong += count != (size_t)(1 + (i % 10 == 8 && i + 1 < N));
	}
	ck_assert_uint_eq(wrong, 0);
	ck_assert(collect(&m, (uint64_t)1 << 40, seen, N));
	u64map_reserve(&m, 0);                  /* room enough: nothing moves */
	ck_assert_ptr_eq(m.slots, slots);
	for (size_t i = 0; i < N; i++)
		u64map_add(&m, ((uint64_t)1 << 40) + i, i);
	ck_assert_uint_gt(m.cap, cap);
	ck_assert(collect(&m, ((uint64_t)1 << 40) + 77, seen, N));
	ck_assert_uint_eq(seen[77], 1);
	u64map_free(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("u64map");
	TCase *tc = tcase_create("u64map");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_matches_reference, 0, 2);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_reserved);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
