/*
 * test_importmap.c -- the "integrity" section planned for import maps:
 * valid JSON out, every original byte kept, nothing done to maps we do not
 * fully understand.
 */
#include <string.h>
#include <malloc.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "sri_check.h"
#include "sri_registry_fixture.h"
#include "rewrite/sri_importmap.h"
#include "url/sri_url.h"

#define T_A "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
#define T_B "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
#define BASE "https://shop.example/app/page.html"

static const char *registry_text =
    "https://cdn.example.org/lodash.js\n"
    "    integrity " T_A "\n"
    "https://cdn.example.org/pkg/a.js\n"
    "    integrity " T_A "\n"
    "https://cdn.example.org/pkg/b/c.js\n"
    "    integrity " T_B "\n"
    "https://cdn.example.org/pkgzzz.js\n"
    "    integrity " T_B "\n"
    "https://shop.example/app/local.js\n"
    "    integrity " T_B "\n";

SRI_REGISTRY_FIXTURE(registry_text)

typedef struct {
    const char *in;
    int         pinned;     /* expected return */
    const char *want;       /* expected map after the edit (when pinned > 0) */
    int         repaired, kept, mismatch;
    int         replace;    /* SRIExisting replace */
} map_case;

#define LODASH "\"https://cdn.example.org/lodash.js\""
#define IMPORTS_LODASH "{\"imports\":{\"a\":" LODASH "},"
/* ours, when the author wrote the plain key: after all of the author's */
#define LODASH_DOT "\"https://cdn.example.org/./lodash.js\""

static const map_case cases[] = {
    { "{\"imports\":{\"lodash\":\"https://cdn.example.org/lodash.js\"}}", 1,
      "{\"imports\":{\"lodash\":\"https://cdn.example.org/lodash.js\"},"
      "\"integrity\":{\"https://cdn.example.org/lodash.js\":\"" T_A "\"}}", 0, 0, 0, 0 },
    /* whitespace and relative URLs resolved against the base */
    { " {\n  \"imports\": { \"l\": \"./local.js\" }\n}\n", 1,
      " {\n  \"imports\": { \"l\": \"./local.js\" }\n,\"integrity\":{"
      "\"https://shop.example/app/local.js\":\"" T_B "\"}}\n", 0, 0, 0, 0 },
    /* escapes in strings */
    { "{\"imports\":{\"l\":\"https:\\/\\/cdn.example.org\\/lodash.js\"}}", 1,
      "{\"imports\":{\"l\":\"https:\\/\\/cdn.example.org\\/lodash.js\"},"
      "\"integrity\":{\"https://cdn.example.org/lodash.js\":\"" T_A "\"}}", 0, 0, 0, 0 },
    /* prefix mapping: every registered URL under the prefix, not pkgzzz */
    { "{\"imports\":{\"pkg/\":\"https://cdn.example.org/pkg/\"}}", 2,
      "{\"imports\":{\"pkg/\":\"https://cdn.example.org/pkg/\"},"
      "\"integrity\":{\"https://cdn.example.org/pkg/a.js\":\"" T_A "\","
      "\"https://cdn.example.org/pkg/b/c.js\":\"" T_B "\"}}", 0, 0, 0, 0 },
    /* scopes */
    { "{\"scopes\":{\"/x/\":{\"l\":\"https://cdn.example.org/lodash.js\"}}}", 1,
      "{\"scopes\":{\"/x/\":{\"l\":\"https://cdn.example.org/lodash.js\"}},"
      "\"integrity\":{\"https://cdn.example.org/lodash.js\":\"" T_A "\"}}", 0, 0, 0, 0 },
    /* an existing integrity section: ours go at its end (the last entry
       for a URL is the one browsers use); an author's entry that pins
       something stands */
    { "{\"imports\":{\"a\":\"https://cdn.example.org/lodash.js\",\"b\":\"https://cdn.example.org/pkg/a.js\"},"
      "\"integrity\":{\"https://cdn.example.org/lodash.js\":\"" T_A "\"}}", 1,
      "{\"imports\":{\"a\":\"https://cdn.example.org/lodash.js\",\"b\":\"https://cdn.example.org/pkg/a.js\"},"
      "\"integrity\":{\"https://cdn.example.org/lodash.js\":\"" T_A "\","
      "\"https://cdn.example.org/pkg/a.js\":\"" T_A "\"}}", 0, 1, 0, 0 },
    /* ... even one that pins other bytes (mismatch: kept, reported) */
    { IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_B "\"}}", 0, NULL,
      0, 1, 1, 0 },
    /* ... unless SRIExisting replace: ours after it */
    { IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_B "\"}}", 1,
      IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_B "\"," LODASH_DOT ":\""
      T_A "\"}}", 0, 0, 0, 1 },
    /* entries with no usable token are outdone, whatever the policy, as
       tags' attributes are: fail-open (an unknown algorithm, empty) or
       refusing everything (a malformed digest) */
    { "{\"imports\":{\"a\":\"https://cdn.example.org/lodash.js\",\"b\":\"https://cdn.example.org/pkg/a.js\"},"
      "\"integrity\":{\"https://cdn.example.org/lodash.js\":\"sha256-mine\"}}", 2,
      "{\"imports\":{\"a\":\"https://cdn.example.org/lodash.js\",\"b\":\"https://cdn.example.org/pkg/a.js\"},"
      "\"integrity\":{\"https://cdn.example.org/lodash.js\":\"sha256-mine\","
      LODASH_DOT ":\"" T_A "\","
      "\"https://cdn.example.org/pkg/a.js\":\"" T_A "\"}}", 1, 0, 0, 0 },
    { IMPORTS_LODASH "\"integrity\":{" LODASH ":\"md5-AAAAAAAAAAAAAAAAAAAAAA==\"}}", 1,
      IMPORTS_LODASH "\"integrity\":{" LODASH ":\"md5-AAAAAAAAAAAAAAAAAAAAAA==\","
      LODASH_DOT ":\"" T_A "\"}}", 1, 0, 0, 0 },
    { IMPORTS_LODASH "\"integrity\":{" LODASH ":\"\"}}", 1,
      IMPORTS_LODASH "\"integrity\":{" LODASH ":\"\"," LODASH_DOT ":\"" T_A
      "\"}}", 1, 0, 0, 0 },
    /* the last of duplicate keys is the author's entry: a good one
       followed by a fail-open one is fail-open */
    { IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_A "\"," LODASH
      ":\"sha1-x\"}}", 1,
      IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_A "\"," LODASH
      ":\"sha1-x\"," LODASH_DOT ":\"" T_A "\"}}", 1, 0, 0, 0 },
    /* ... and so is the last of two keys for one URL; ours must then come
       after both, so it cannot share the first one's place: it is spelled
       with "./" (the same URL) */
    { "{\"imports\":{\"a\":\"./x.js\",\"b\":\"https://shop.example/app/local.js\"},"
      "\"integrity\":{\"https://shop.example/app/local.js\":\"" T_B "\","
      "\"./local.js\":\"sha384-\"}}", 1,
      "{\"imports\":{\"a\":\"./x.js\",\"b\":\"https://shop.example/app/local.js\"},"
      "\"integrity\":{\"https://shop.example/app/local.js\":\"" T_B "\","
      "\"./local.js\":\"sha384-\",\"https://shop.example/./app/local.js\":\""
      T_B "\"}}", 1, 0, 0, 0 },
    /* a key keeps the place it first came, with its last value: here the
       second key is the last, and it is fail-open */
    { IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_A "\","
      "\"//cdn.example.org/lodash.js\":\"sha1-x\"," LODASH ":\"" T_A "\"}}", 1,
      IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_A "\","
      "\"//cdn.example.org/lodash.js\":\"sha1-x\"," LODASH ":\"" T_A "\","
      "\"https://cdn.example.org/./lodash.js\":\"" T_A "\"}}", 1, 0, 0, 0 },
    /* ... "./" spellings the author took already are skipped */
    { IMPORTS_LODASH "\"integrity\":{" LODASH ":\"x\","
      "\"https://cdn.example.org/./lodash.js\":\"sha1-x\"}}", 1,
      IMPORTS_LODASH "\"integrity\":{" LODASH ":\"x\","
      "\"https://cdn.example.org/./lodash.js\":\"sha1-x\","
      "\"https://cdn.example.org/././lodash.js\":\"" T_A "\"}}", 1, 0, 0, 0 },
    /* a value that is no string drops only its own key: the other
       spelling's entry (for other bytes) stands */
    { IMPORTS_LODASH "\"integrity\":{\"//cdn.example.org/lodash.js\":\""
      T_B "\"," LODASH ":5}}", 0, NULL, 0, 1, 1, 0 },
    /* a NUL: in a value, it is part of the token (no usable token); in a
       key, the key is another URL */
    { IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_A "\\u0000x\"}}", 1,
      IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_A "\\u0000x\","
      LODASH_DOT ":\"" T_A "\"}}", 1, 0, 0, 0 },
    { IMPORTS_LODASH "\"integrity\":{\"https://cdn.example.org/lodash.js"
      "\\u0000a\":\"" T_A "\"}}", 1,
      IMPORTS_LODASH "\"integrity\":{\"https://cdn.example.org/lodash.js"
      "\\u0000a\":\"" T_A "\"," LODASH ":\"" T_A "\"}}", 0, 0, 0, 0 },
    /* ... and in a member's name, "integrity" is another member */
    { IMPORTS_LODASH "\"integrity\\u0000\":{}}", 1,
      IMPORTS_LODASH "\"integrity\\u0000\":{},\"integrity\":{" LODASH
      ":\"" T_A "\"}}", 0, 0, 0, 0 },
    /* a registered URL with an entry in a map that does not map it (with
       several maps, the first map's entry for a URL is the one browsers
       keep): judged all the same */
    { "{\"integrity\":{" LODASH ":\"sha1-x\"}}", 1,
      "{\"integrity\":{" LODASH ":\"sha1-x\"," LODASH_DOT ":\"" T_A "\"}}",
      1, 0, 0, 0 },
    { "{\"integrity\":{\"https://cdn.example.org/other.js\":\"sha1-x\"}}",
      0, NULL, 0, 0, 0, 0 },
    /* an entry whose value is no string, or whose key is not URL-like
       (no "/", "./" or "../", not absolute), is dropped by the browser:
       no entry at all */
    { IMPORTS_LODASH "\"integrity\":{" LODASH ":[\"" T_A "\"]}}", 1,
      IMPORTS_LODASH "\"integrity\":{" LODASH ":[\"" T_A "\"]," LODASH_DOT ":\""
      T_A "\"}}", 0, 0, 0, 0 },
    { "{\"imports\":{\"l\":\"./local.js\"},\"integrity\":{\"local.js\":\"" T_B "\"}}", 1,
      "{\"imports\":{\"l\":\"./local.js\"},\"integrity\":{\"local.js\":\"" T_B "\","
      "\"https://shop.example/app/local.js\":\"" T_B "\"}}", 0, 0, 0, 0 },
    { "{\"imports\":{\"a\":\"https://cdn.example.org/lodash.js\"},\"integrity\":{}}", 1,
      "{\"imports\":{\"a\":\"https://cdn.example.org/lodash.js\"},\"integrity\":{"
      "\"https://cdn.example.org/lodash.js\":\"" T_A "\"}}", 0, 0, 0, 0 },
    /* a fragment is part of the URL a module is fetched as, and of the
       key its integrity is found under */
    { "{\"imports\":{\"a\":\"https://cdn.example.org/lodash.js#v2\"}}", 1,
      "{\"imports\":{\"a\":\"https://cdn.example.org/lodash.js#v2\"},"
      "\"integrity\":{\"https://cdn.example.org/lodash.js#v2\":\"" T_A "\"}}",
      0, 0, 0, 0 },
    { IMPORTS_LODASH "\"integrity\":{\"https://cdn.example.org/lodash.js#x\":\""
      T_A "\"}}", 1,
      IMPORTS_LODASH "\"integrity\":{\"https://cdn.example.org/lodash.js#x\":\""
      T_A "\"," LODASH ":\"" T_A "\"}}", 0, 1, 0, 0 },
    /* what Blink's JSON reader takes: "\\v", and a NUL in the page (which
       the HTML tokenizer turned into U+FFFD) */
    { IMPORTS_LODASH "\"x\":\"\\v\"}", 1,
      IMPORTS_LODASH "\"x\":\"\\v\",\"integrity\":{" LODASH ":\"" T_A "\"}}",
      0, 0, 0, 0 },
    /* two "integrity" members: the last is the map's */
    { IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_A "\"},\"integrity\":{}}", 1,
      IMPORTS_LODASH "\"integrity\":{" LODASH ":\"" T_A "\"},\"integrity\":{"
      LODASH ":\"" T_A "\"}}", 0, 0, 0, 0 },
    { IMPORTS_LODASH "\"integrity\":5,\"integrity\":{}}", 1,
      IMPORTS_LODASH "\"integrity\":5,\"integrity\":{" LODASH ":\"" T_A "\"}}",
      0, 0, 0, 0 },
    { IMPORTS_LODASH "\"integrity\":{},\"integrity\":5}", -1, NULL,
      0, 0, 0, 0 },
    /* nothing registered, nothing to do */
    { "{\"imports\":{\"x\":\"https://cdn.example.org/other.js\"}}", 0, NULL, 0, 0, 0, 0 },
    { "{}", 0, NULL, 0, 0, 0, 0 },
    { " { \"imports\" : { } } ", 0, NULL, 0, 0, 0, 0 },
    /* left alone: not JSON, not an object, odd integrity, trailing text */
    { "{\"imports\":{\"l\":\"https://cdn.example.org/lodash.js\",}}", -1, NULL, 0, 0, 0, 0 },
    { "[\"https://cdn.example.org/lodash.js\"]", -1, NULL, 0, 0, 0, 0 },
    { "{,}", -1, NULL, 0, 0, 0, 0 },
    { "{\"imports\":{\"l\":\"https://cdn.example.org/lodash.js\"},}", -1, NULL, 0, 0, 0, 0 },
    { "{\"imports\":{\"l\":\"https://cdn.example.org/lodash.js\" \"m\":\"./m.js\"}}", -1, NULL, 0, 0, 0, 0 },
    { "{\"imports\":{\"l\":\"https://cdn.example.org/lodash.js\"},\"integrity\":[]}", -1, NULL, 0, 0, 0, 0 },
    { "{\"imports\":{\"l\":\"https://cdn.example.org/lodash.js\"}} x", -1, NULL, 0, 0, 0, 0 },
    { "{\"imports\":{\"l\":\"https://cdn.example.org/lodash.js\"}", -1, NULL, 0, 0, 0, 0 },
    { "{\"a\":\"\x01\"}", -1, NULL, 0, 0, 0, 0 },
    { "", -1, NULL, 0, 0, 0, 0 },
};

START_TEST(test_importmap_table)
{
    const map_case *c = &cases[_i];
    size_t off = 0;
    char *ins = NULL;
    sri_importmap_result res;
    int n = sri_importmap_plan(pool, c->in, strlen(c->in), BASE, reg, NULL,
                               c->replace, &off, &ins, &res);

    ck_assert_msg(n == c->pinned, "case %d: got %d want %d", _i, n, c->pinned);
    if (n >= 0) {
        ck_assert_msg(res.pinned == n && res.repaired == c->repaired
                      && res.kept == c->kept && res.mismatch == c->mismatch,
                      "case %d: pinned %d repaired %d kept %d mismatch %d",
                      _i, res.pinned, res.repaired, res.kept, res.mismatch);
        ck_assert_int_eq(res.repaired_urls->nelts, c->repaired);
        ck_assert_int_eq(res.mismatch_urls->nelts, c->mismatch);
    }
    if (n > 0) {
        char *out = apr_pstrcat(pool, apr_pstrndup(pool, c->in, off), ins,
                                c->in + off, NULL);
        ck_assert_msg(strcmp(out, c->want) == 0,
                      "case %d\n got:  %s\n want: %s", _i, out, c->want);
    }
}
END_TEST

/* Memory grows with the map, not with its square: each string gets its
   own length (a 1.3 MB map of 40,000 entries once asked for 100 GB). */
START_TEST(test_importmap_large_map_linear)
{
    apr_pool_t *p;
    apr_array_header_t *parts = apr_array_make(pool, 40002, sizeof(char *));
    sri_importmap_result res;
    size_t off;
    char *ins = NULL, *json;
    int i;

    *(const char **)apr_array_push(parts) =
        "{\"imports\":{\"a\":\"https://cdn.example.org/lodash.js\"},"
        "\"integrity\":{";
    for (i = 0; i < 40000; i++)
        *(const char **)apr_array_push(parts) = apr_psprintf(pool,
            "%s\"https://cdn.example.org/m/%05d.js\":\"sha1-x\"",
            i ? "," : "", i);
    *(const char **)apr_array_push(parts) = "}}";
    json = apr_array_pstrcat(pool, parts, 0);
    ck_assert_uint_gt(strlen(json), 1300000);
    apr_pool_create(&p, NULL);
    ck_assert_int_eq(sri_importmap_plan(p, json, strlen(json), BASE, reg,
                                        NULL, 0, &off, &ins, &res), 1);
    /* a few times the text, not its square (glibc's count of what is
       allocated; under a sanitizer's allocator it counts nothing) */
    {
        struct mallinfo2 mi = mallinfo2();
        ck_assert_uint_lt(mi.uordblks + mi.hblkhd, 256u * 1024 * 1024);
    }
    apr_pool_destroy(p);
}
END_TEST

/* A raw NUL in a string (the page's byte; the browser reads U+FFFD);
   mapped URLs not in the registry; a prefix named many times. */
START_TEST(test_importmap_nul_unknown_prefixes)
{
    static const char nul[] = "{\"imports\":{\"a\":\"https://cdn.example.org/"
                              "lodash.js\",\"b\":\"x\0y\"}}";
    const char *many = "{\"imports\":{\"p/\":\"https://cdn.example.org/pkg/\","
                       "\"q/\":\"https://cdn.example.org/pkg/\","
                       "\"r/\":\"https://cdn.example.org/pkg/#f\","
                       "\"u\":\"https://cdn.example.org/unknown.js#f\","
                       "\"v\":\"https://cdn.example.org/unknown.js\","
                       "\"d\":\"data:text/javascript,1\"}}";
    sri_importmap_result res;
    size_t off;
    char *ins = NULL;

    ck_assert_int_eq(sri_importmap_plan(pool, nul, sizeof(nul) - 1, BASE, reg,
                                        NULL, 0, &off, &ins, &res), 1);
    ck_assert_int_eq(sri_importmap_plan(pool, many, strlen(many), BASE, reg,
                                        NULL, 0, &off, &ins, &res), 2);
    ck_assert_int_eq(res.unknown_urls->nelts, 1);
    ck_assert_str_eq(((const char **)res.unknown_urls->elts)[0],
                     "https://cdn.example.org/unknown.js");
}
END_TEST

/* The "./" spellings resolve to the URL they stand for. */
START_TEST(test_importmap_spelling_resolves)
{
    ck_assert_str_eq(sri_url_resolve(pool, NULL,
                                     "https://cdn.example.org/././lodash.js",
                                     37), "https://cdn.example.org/lodash.js");
    ck_assert_str_eq(sri_url_resolve(pool, NULL,
                                     "https://shop.example/./app/local.js",
                                     35), "https://shop.example/app/local.js");
}
END_TEST

START_TEST(test_importmap_depth_bounded)
{
    char *deep = apr_palloc(pool, 20010);
    size_t off;
    char *ins;
    sri_importmap_result res;
    int i, n = 0;

    memcpy(deep, "{\"a\":", 5);
    n = 5;
    for (i = 0; i < 10000; i++)
        deep[n++] = '[';
    for (i = 0; i < 10000; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    ck_assert_int_eq(sri_importmap_plan(pool, deep, (size_t)n, BASE, reg,
                                        NULL, 0, &off, &ins, &res), -1);
}
END_TEST

START_TEST(test_importmap_third_party_only)
{
    const char *map = "{\"imports\":{\"l\":\"./local.js\","
                      "\"d\":\"https://cdn.example.org/lodash.js\"}}";
    size_t off;
    char *ins = NULL;
    sri_importmap_result res;

    ck_assert_int_eq(sri_importmap_plan(pool, map, strlen(map), BASE, reg,
                                        BASE, 0, &off, &ins, &res), 1);
    ck_assert_ptr_nonnull(strstr(ins, "lodash.js"));
    ck_assert_ptr_null(strstr(ins, "local.js"));
}
END_TEST

static Suite *importmap_suite(void)
{
    Suite *s = suite_create("importmap");
    TCase *tc = tcase_create("plan");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_importmap_table, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_importmap_depth_bounded);
    tcase_add_test(tc, test_importmap_spelling_resolves);
    tcase_add_test(tc, test_importmap_nul_unknown_prefixes);
    tcase_add_test(tc, test_importmap_large_map_linear);
    tcase_add_test(tc, test_importmap_third_party_only);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(importmap_suite)
