/*
 * test_cache.c -- the rewritten-page cache: hits and misses, the byte
 * bound (drop all when full), oversized pages, counters kept.
 */
#include <string.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "sri_check.h"
#include "sri_cache.h"

static apr_pool_t *pool;

static void setup(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
    apr_terminate();
}

START_TEST(test_cache_hit_miss)
{
    sri_cache *c = sri_cache_create(pool, 1 << 20);
    sri_counters n = { 3, 1, 2, 0, 9, 0, 0 }, got;
    char *data;
    apr_size_t len;
    apr_size_t bytes;
    unsigned entries;
    unsigned long hits, misses;

    ck_assert_int_eq(sri_cache_get(c, "k1", pool, &data, &len, &got), 0);
    sri_cache_put(c, "k1", "<p>page</p>", 11, &n);
    ck_assert_int_eq(sri_cache_get(c, "k1", pool, &data, &len, &got), 1);
    ck_assert_uint_eq(len, 11);
    ck_assert_str_eq(data, "<p>page</p>");
    ck_assert_uint_eq(got.pinned, 3);
    ck_assert_uint_eq(got.unknown, 2);
    ck_assert_int_eq(sri_cache_get(c, "k2", pool, &data, &len, &got), 0);
    sri_cache_stats(c, &bytes, &entries, &hits, &misses);
    ck_assert_uint_eq(entries, 1);
    ck_assert_uint_eq(hits, 1);
    ck_assert_uint_eq(misses, 2);
}
END_TEST

START_TEST(test_cache_bound)
{
    sri_cache *c = sri_cache_create(pool, 10000);
    char *page = apr_palloc(pool, 4000), *data;
    apr_size_t len, bytes;
    unsigned entries;
    unsigned long hits, misses;
    int i;

    memset(page, 'x', 4000);
    sri_cache_put(c, "a", page, 4000, NULL);
    sri_cache_put(c, "b", page, 4000, NULL);
    sri_cache_stats(c, &bytes, &entries, &hits, &misses);
    ck_assert_uint_eq(entries, 2);
    /* the third does not fit: everything is dropped, then it is kept */
    sri_cache_put(c, "c", page, 4000, NULL);
    ck_assert_int_eq(sri_cache_get(c, "a", pool, &data, &len, NULL), 0);
    ck_assert_int_eq(sri_cache_get(c, "c", pool, &data, &len, NULL), 1);
    sri_cache_stats(c, &bytes, &entries, &hits, &misses);
    ck_assert_uint_le(bytes, 10000);
    /* larger than the bound: never kept */
    sri_cache_put(c, "huge", apr_pcalloc(pool, 20000), 20000, NULL);
    ck_assert_int_eq(sri_cache_get(c, "huge", pool, &data, &len, NULL), 0);
    /* many puts stay under the bound */
    for (i = 0; i < 1000; i++)
        sri_cache_put(c, apr_psprintf(pool, "k%d", i), page, 1000, NULL);
    sri_cache_stats(c, &bytes, &entries, &hits, &misses);
    ck_assert_uint_le(bytes, 10000);
}
END_TEST

static Suite *cache_suite(void)
{
    Suite *s = suite_create("cache");
    TCase *tc = tcase_create("cache");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_cache_hit_miss);
    tcase_add_test(tc, test_cache_bound);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(cache_suite)
