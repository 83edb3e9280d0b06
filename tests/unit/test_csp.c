/*
 * test_csp.c -- "does this Content-Security-Policy allow inline scripts by
 * hash?", the question that decides whether import maps may be edited:
 * CSP3's directive fallback (script-src-elem, script-src, default-src),
 * first-of-duplicates, several policies per header value, case.
 */
#include <string.h>

#include "sri_check.h"
#include "rewrite/sri_csp.h"

typedef struct {
    const char *csp;
    int         want;
} csp_case;

static const csp_case cases[] = {
    { "", 0 },
    { "script-src 'self'", 0 },
    { "script-src 'self' 'sha256-abc='", 1 },
    { "script-src 'SHA384-abc' https://cdn.example.org", 1 },
    { "script-src 'unsafe-inline' 'sha512-abc'", 1 },
    { "default-src 'sha256-abc='", 1 },
    /* script-src governs inline scripts when present: default-src is not read */
    { "default-src 'sha256-abc='; script-src 'self' 'unsafe-inline'", 0 },
    { "default-src 'self'; script-src 'nonce-xyz' 'sha256-abc='", 1 },
    /* script-src-elem comes first */
    { "script-src-elem 'self'; script-src 'sha256-abc='", 0 },
    { "script-src 'self'; SCRIPT-SRC-ELEM 'sha384-abc'", 1 },
    /* the first of duplicate directives wins */
    { "script-src 'self'; script-src 'sha256-abc='", 0 },
    /* other directives never count */
    { "style-src 'sha256-abc='; img-src 'sha256-abc='", 0 },
    { "script-src-attr 'sha256-abc=' 'unsafe-hashes'", 0 },
    /* not hash sources */
    { "script-src sha256-abc= 'sha1-abc=' 'sha256-' 'nonce-sha256-x'", 0 },
    /* several policies: any one of them */
    { "script-src 'self', default-src 'sha256-abc='", 1 },
    { " ; ;script-src\t'sha256-abc=' ;", 1 },
};

START_TEST(test_csp_table)
{
    const csp_case *c = &cases[_i];
    ck_assert_msg(sri_csp_hashes_inline_scripts(c->csp, strlen(c->csp))
                      == c->want, "case %d: %s", _i, c->csp);
}
END_TEST

START_TEST(test_csp_len_bounds)
{
    const char *v = "script-src 'self'; default-src 'sha256-abc='";
    ck_assert_int_eq(sri_csp_hashes_inline_scripts(v, strlen(v)), 0);
    v = "default-src 'sha256-abc='; script-src 'self'";
    ck_assert_int_eq(sri_csp_hashes_inline_scripts(v, 26), 1);
}
END_TEST

static Suite *csp_suite(void)
{
    Suite *s = suite_create("csp");
    TCase *tc = tcase_create("inline script hashes");

    tcase_add_loop_test(tc, test_csp_table, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_csp_len_bounds);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(csp_suite)
