/*
 * test_charref.c -- tests of sri_charref_decode_attr (HTML character
 * references in attribute values).
 *
 * Why: a decoding difference from the browser means resolving a different
 * URL than the one fetched.  Rows follow the WHATWG tokenizer's character
 * reference state for attribute values; the table sweep checks that every
 * one of the 2231 names is found by the longest-match lookup and that the
 * legacy "&copy=" rule applies to exactly the names without ';'.
 */
#include <string.h>
#include <apr_general.h>

#include "sri_check.h"
#include "html/sri_charref.h"
#include "html/sri_charref_table.h"

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

static const struct { const char *in, *out; } cases[] = {
    /* no '&': copied */
    {"", ""},
    {"https://cdn.example.org/x.js", "https://cdn.example.org/x.js"},
    /* named, with ';' */
    {"a.js?x=1&amp;y=2", "a.js?x=1&y=2"},
    {"&lt;&gt;&quot;&apos;", "<>\"'"},
    {"&copy;", "\xc2\xa9"},
    {"&NotEqualTilde;", "\xe2\x89\x82\xcc\xb8"},       /* two code points */
    {"&nGt;", "\xe2\x89\xab\xe2\x83\x92"},
    {"&Afr;", "\xf0\x9d\x94\x84"},                       /* astral */
    {"&CounterClockwiseContourIntegral;", "\xe2\x88\xb3"}, /* longest name */
    {"&period;", "."},
    {"cdn&period;example&period;org", "cdn.example.org"},
    /* named without ';': decoded unless followed by '=' or alphanumeric */
    {"&amp", "&"},
    {"&amp y", "& y"},
    {"?a=1&ampb=2", "?a=1&ampb=2"},
    {"?a=1&amp=2", "?a=1&amp=2"},
    {"?a=1&amp;b=2", "?a=1&b=2"},
    {"&copy=1", "&copy=1"},
    {"&copy1", "&copy1"},
    {"&copy-1", "\xc2\xa9-1"},
    {"&copy;=1", "\xc2\xa9=1"},
    {"&AMP", "&"},
    {"&notin", "&notin"},                  /* "&not" then 'i': kept */
    {"&notin;", "\xe2\x88\x89"},
    {"&notit;", "&notit;"},                /* longest match "&not" + 'i' */
    {"&noti;", "&noti;"},
    {"&not!", "\xc2\xac!"},
    {"&lang=", "&lang="},                  /* needs ';': not a legacy name */
    {"&lang", "&lang"},
    {"&lang;", "\xe2\x9f\xa8"},
    /* not references */
    {"&", "&"},
    {"&&", "&&"},
    {"& amp;", "& amp;"},
    {"&;", "&;"},
    {"&unknown;", "&unknown;"},
    {"&Amp;", "&Amp;"},                    /* names are case-sensitive */
    {"&&amp;", "&&"},
    {"a&b&c", "a&b&c"},
    /* numeric */
    {"&#46;", "."},
    {"&#46", "."},
    {"&#046;", "."},
    {"&#x2e;", "."},
    {"&#X2E;", "."},
    {"&#x2Ejs", ".js"},                    /* hex digits stop at 'j' */
    {"&#46js", ".js"},
    {"&#x41;&#X61;", "Aa"},
    {"&#233;", "\xc3\xa9"},
    {"&#x20AC;", "\xe2\x82\xac"},
    {"&#x1F600;", "\xf0\x9f\x98\x80"},
    {"&#x10FFFF;", "\xf4\x8f\xbf\xbf"},
    {"&#0;", "\xef\xbf\xbd"},
    {"&#x0", "\xef\xbf\xbd"},
    {"&#x110000;", "\xef\xbf\xbd"},
    {"&#99999999999999999999;", "\xef\xbf\xbd"},
    {"&#xFFFFFFFFFFFFFFFFFFFF;", "\xef\xbf\xbd"},
    {"&#xD800;", "\xef\xbf\xbd"},
    {"&#xDFFF;", "\xef\xbf\xbd"},
    {"&#128;", "\xe2\x82\xac"},            /* windows-1252 table */
    {"&#x80;", "\xe2\x82\xac"},
    {"&#x82;", "\xe2\x80\x9a"},
    {"&#x9F;", "\xc5\xb8"},
    {"&#x81;", "\xc2\x81"},                /* not in the table: kept */
    {"&#x8D;", "\xc2\x8d"},
    {"&#x9D;", "\xc2\x9d"},
    {"&#xA0;", "\xc2\xa0"},
    {"&#x7F;", "\x7f"},
    {"&#x0D;", "\r"},
    {"&#xFFFE;", "\xef\xbf\xbe"},          /* noncharacter: kept */
    {"&#9;", "\t"},
    /* numeric without digits: left as text */
    {"&#", "&#"},
    {"&#;", "&#;"},
    {"&#x", "&#x"},
    {"&#x;", "&#x;"},
    {"&#xg;", "&#xg;"},
    {"&#a;", "&#a;"},
    {"&#-1;", "&#-1;"},
    /* mixed */
    {"https://cdn&#46;example&period;org/a.js?x=1&amp;y=2&z",
     "https://cdn.example.org/a.js?x=1&y=2&z"},
    {"\xc3\xa9&eacute;", "\xc3\xa9\xc3\xa9"},
};

START_TEST(test_decode)
{
    size_t len = 12345;
    const char *in = cases[_i].in, *expect = cases[_i].out;
    char *got = sri_charref_decode_attr(pool, in, strlen(in), &len);

    ck_assert_msg(strcmp(got, expect) == 0, "[%s]: got [%s], expected [%s]",
                  in, got, expect);
    ck_assert_uint_eq(len, strlen(expect));
}
END_TEST

/* n is honoured (the input need not be NUL-terminated) and NULs are data. */
START_TEST(test_length)
{
    size_t len;
    char *got = sri_charref_decode_attr(pool, "&amp;tail", 4, &len);

    ck_assert_str_eq(got, "&");          /* "&amp" at the end of input */
    ck_assert_uint_eq(len, 1);
    got = sri_charref_decode_attr(pool, "&amp;tail", 5, &len);
    ck_assert_str_eq(got, "&");
    got = sri_charref_decode_attr(pool, "a\0&lt;", 6, &len);
    ck_assert_uint_eq(len, 3);
    ck_assert(memcmp(got, "a\0<", 4) == 0);
    got = sri_charref_decode_attr(pool, "plain", 3, NULL);
    ck_assert_str_eq(got, "pla");
}
END_TEST

/* Every name of the table: found, decoded, and the legacy rule applies to
   the names without ';' only. */
START_TEST(test_table_sweep)
{
    size_t k;

    for (k = 0; k < sri_charref_entity_count; k++) {
        const sri_charref_entity *e = &sri_charref_entities[k];
        int semicolon = e->name[e->name_len - 1] == ';';
        char in[64], expect[64];
        size_t len;
        char *got;

        /* "&name" alone */
        in[0] = '&';
        memcpy(in + 1, e->name, e->name_len);
        got = sri_charref_decode_attr(pool, in, e->name_len + 1, &len);
        ck_assert_msg(len == e->value_len && memcmp(got, e->value, len) == 0,
                      "&%s", e->name);
        /* "&name=" : legacy rule only without ';' */
        in[e->name_len + 1] = '=';
        got = sri_charref_decode_attr(pool, in, e->name_len + 2, &len);
        if (semicolon) {
            memcpy(expect, e->value, e->value_len);
            expect[e->value_len] = '=';
            ck_assert_msg(len == e->value_len + 1u
                          && memcmp(got, expect, len) == 0, "&%s=", e->name);
        } else {
            ck_assert_msg(len == e->name_len + 2u && memcmp(got, in, len) == 0,
                          "&%s= should stay", e->name);
        }
    }
    /* the table is sorted (binary search relies on it) */
    for (k = 1; k < sri_charref_entity_count; k++)
        ck_assert_msg(strcmp(sri_charref_entities[k - 1].name,
                             sri_charref_entities[k].name) < 0,
                      "unsorted at %s", sri_charref_entities[k].name);
    ck_assert_uint_eq(sri_charref_entity_count, 2231);
}
END_TEST

/* Worst-case growth: the output buffer bound holds. */
START_TEST(test_growth)
{
    size_t n = 5 * 1000, k, len;
    char *in = apr_palloc(pool, n);
    char *got;

    for (k = 0; k < n; k += 5)
        memcpy(in + k, "&nGt;", 5);
    got = sri_charref_decode_attr(pool, in, n, &len);
    ck_assert_uint_eq(len, 6 * 1000);
    ck_assert(memcmp(got + len - 6, "\xe2\x89\xab\xe2\x83\x92", 6) == 0);
    ck_assert(got[len] == '\0');
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *charref_suite(void)
{
    Suite *s = suite_create("charref");
    TCase *tc = tcase_create("charref");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_decode, 0, N(cases));
    tcase_add_test(tc, test_length);
    tcase_add_test(tc, test_table_sweep);
    tcase_add_test(tc, test_growth);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(charref_suite)
