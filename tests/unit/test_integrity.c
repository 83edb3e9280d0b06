/*
 * test_integrity.c -- SRI token validation, hashing and "strongest".
 *
 * Why: a token the browser cannot parse is skipped, so these tests pin what
 * we accept and write: known vectors (the SRI spec's example, NIST "abc"),
 * every way a token can be subtly wrong, and the spec's strongest-metadata
 * rule on author-written attribute values.
 */
#include "sri_check.h"
#include "integrity/sri_integrity.h"

#include <string.h>

#define SPEC_384 "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
#define ABC_256  "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
#define EMPTY_512 "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="

static int valid(const char *t)
{
    return sri_token_valid(t, strlen(t), NULL, NULL);
}

START_TEST(spec_example_sha384)
{
    const char *js = "alert('Hello, world.');";
    char out[SRI_TOKEN_MAX];
    ck_assert_int_eq(sri_hash_buffer(SRI_ALGO_SHA384, js, strlen(js), out), 0);
    ck_assert_str_eq(out, SPEC_384);
}
END_TEST

START_TEST(known_vectors)
{
    char out[SRI_TOKEN_MAX];
    ck_assert_int_eq(sri_hash_buffer(SRI_ALGO_SHA256, "abc", 3, out), 0);
    ck_assert_str_eq(out, ABC_256);
    ck_assert_int_eq(sri_hash_buffer(SRI_ALGO_SHA512, "", 0, out), 0);
    ck_assert_str_eq(out, EMPTY_512);
    ck_assert_int_eq(sri_hash_buffer(SRI_ALGO_NONE, "", 0, out), -1);
}
END_TEST

START_TEST(streaming_equals_buffer)
{
    const char *js = "alert('Hello, world.');";
    char out[SRI_TOKEN_MAX];
    size_t i;
    sri_hasher *h = sri_hasher_new(SRI_ALGO_SHA384);
    ck_assert_ptr_nonnull(h);
    for (i = 0; i < strlen(js); i++)
        ck_assert_int_eq(sri_hasher_update(h, js + i, 1), 0);
    ck_assert_int_eq(sri_hasher_final(h, out), 0);
    ck_assert_str_eq(out, SPEC_384);
    ck_assert_ptr_null(sri_hasher_new(SRI_ALGO_NONE));
    sri_hasher_free(sri_hasher_new(SRI_ALGO_SHA256));   /* no leak, no crash */
}
END_TEST

START_TEST(algorithms)
{
    ck_assert_int_eq(sri_algo_from_name("sha256", 6), SRI_ALGO_SHA256);
    ck_assert_int_eq(sri_algo_from_name("sha384", 6), SRI_ALGO_SHA384);
    ck_assert_int_eq(sri_algo_from_name("sha512", 6), SRI_ALGO_SHA512);
    ck_assert_int_eq(sri_algo_from_name("SHA384", 6), SRI_ALGO_NONE);
    ck_assert_int_eq(sri_algo_from_name("sha1", 4), SRI_ALGO_NONE);
    ck_assert_int_eq(sri_algo_from_name("md5", 3), SRI_ALGO_NONE);
    ck_assert_int_eq(sri_algo_from_name("sha3845", 6), SRI_ALGO_SHA384);
    ck_assert_str_eq(sri_algo_name(SRI_ALGO_SHA512), "sha512");
    ck_assert_ptr_null(sri_algo_name(SRI_ALGO_NONE));
    ck_assert_uint_eq(sri_algo_digest_len(SRI_ALGO_SHA256), 32);
    ck_assert_uint_eq(sri_algo_digest_len(SRI_ALGO_SHA384), 48);
    ck_assert_uint_eq(sri_algo_digest_len(SRI_ALGO_SHA512), 64);
}
END_TEST

START_TEST(valid_tokens)
{
    sri_algo a = SRI_ALGO_NONE;
    const char *why = "x";
    ck_assert(sri_token_valid(SPEC_384, strlen(SPEC_384), &a, &why));
    ck_assert_int_eq(a, SRI_ALGO_SHA384);
    ck_assert_ptr_null(why);
    ck_assert(valid(ABC_256));
    ck_assert(valid(EMPTY_512));
}
END_TEST

START_TEST(invalid_tokens)
{
    const char *why = NULL;
    static const char *bad[] = {
        "",
        "sha384",
        "sha384-",
        "SHA384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO",
        "sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=",
        /* one character short, one too many */
        "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6x",
        "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xOA",
        /* base64url letters are not what we write */
        "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t-eX6xO",
        /* padding missing, doubled, or in the middle */
        "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0",
        "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0==",
        "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAF=a0",
        /* non-zero unused bits: decodes to the same digest, not canonical */
        "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa1=",
        /* whitespace, options */
        "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6x ",
        "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO?x",
        /* algorithm/length mismatch: a sha256 digest labelled sha384 */
        "sha384-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
    };
    size_t i;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why = NULL;
        ck_assert_msg(!sri_token_valid(bad[i], strlen(bad[i]), NULL, &why),
                      "accepted %s", bad[i]);
        ck_assert_msg(why != NULL, "no reason for %s", bad[i]);
    }
    ck_assert(!sri_token_valid(NULL, 0, NULL, NULL));
}
END_TEST

/* Tokens of author-written values, one at a time: what browsers read,
   what is usable, and the canonical spelling to compare with the registry. */
START_TEST(metadata_tokens)
{
    const char *v = "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t-eX6xO?opt "
                    "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0 "
                    "sha512-xx sha1-abc SHA256-abc sha256- sha256-ab!c nodash";
    size_t pos = 0;
    sri_metadata m;

    ck_assert(sri_integrity_next(v, strlen(v), &pos, &m));
    ck_assert_int_eq(m.algo, SRI_ALGO_SHA384);
    ck_assert(m.usable);
    ck_assert_str_eq(m.canon, SPEC_384);            /* base64url -> standard */
    ck_assert(sri_integrity_next(v, strlen(v), &pos, &m));
    ck_assert(m.usable);
    ck_assert_str_eq(m.canon, ABC_256);             /* padding restored */
    ck_assert(sri_integrity_next(v, strlen(v), &pos, &m));
    ck_assert_int_eq(m.algo, SRI_ALGO_SHA512);      /* read by browsers ... */
    ck_assert(!m.usable);                           /* ... but never matches */
    for (int k = 0; k < 5; k++) {                   /* skipped by browsers */
        ck_assert(sri_integrity_next(v, strlen(v), &pos, &m));
        ck_assert_int_eq(m.algo, SRI_ALGO_NONE);
        ck_assert(!m.usable);
    }
    ck_assert(!sri_integrity_next(v, strlen(v), &pos, &m));

    /* a signer's key: usable, canonical, not a digest algorithm */
    v = "ed25519-JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs ed25519-xx";
    pos = 0;
    ck_assert(sri_integrity_next(v, strlen(v), &pos, &m));
    ck_assert(m.key && m.usable && m.algo == SRI_ALGO_NONE);
    ck_assert_str_eq(m.canon, "ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=");
    ck_assert(sri_integrity_next(v, strlen(v), &pos, &m));
    ck_assert(m.key && !m.usable);
    ck_assert_int_eq(sri_integrity_strongest(v, strlen(v)), SRI_ALGO_NONE);
    v = "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t-eX6xO?opt "
        "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0 "
        "sha512-xx sha1-abc SHA256-abc sha256- sha256-ab!c nodash";

    /* the browser compares the strongest algorithm it reads, usable or not */
    ck_assert_int_eq(sri_integrity_strongest(v, strlen(v)), SRI_ALGO_SHA384);
    ck_assert_int_eq(sri_integrity_compared(v, strlen(v)), SRI_ALGO_SHA512);
    v = "sha1-abc md5-x";
    ck_assert_int_eq(sri_integrity_compared(v, strlen(v)), SRI_ALGO_NONE);
}
END_TEST

START_TEST(strongest)
{
    const char *v;
    ck_assert_int_eq(sri_integrity_strongest("", 0), SRI_ALGO_NONE);
    ck_assert_int_eq(sri_integrity_strongest("   ", 3), SRI_ALGO_NONE);
    v = ABC_256 " " SPEC_384;
    ck_assert_int_eq(sri_integrity_strongest(v, strlen(v)), SRI_ALGO_SHA384);
    v = "\t" SPEC_384 "\n" EMPTY_512 "\f";
    ck_assert_int_eq(sri_integrity_strongest(v, strlen(v)), SRI_ALGO_SHA512);
    /* options are ignored, unknown algorithms are skipped */
    v = "md5-abc sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0= " ABC_256 "?foo";
    ck_assert_int_eq(sri_integrity_strongest(v, strlen(v)), SRI_ALGO_SHA256);
    /* base64url and missing padding are read (the CSP grammar allows them) */
    v = "sha256-ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0";
    ck_assert_int_eq(sri_integrity_strongest(v, strlen(v)), SRI_ALGO_SHA256);
    /* a truncated sha512 does not count */
    v = ABC_256 " sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg";
    ck_assert_int_eq(sri_integrity_strongest(v, strlen(v)), SRI_ALGO_SHA256);
    v = "sha384-";
    ck_assert_int_eq(sri_integrity_strongest(v, strlen(v)), SRI_ALGO_NONE);
    /* len bounds the value: the rest is not read */
    v = ABC_256 " " EMPTY_512;
    ck_assert_int_eq(sri_integrity_strongest(v, strlen(ABC_256)),
                     SRI_ALGO_SHA256);
}
END_TEST

START_TEST(written_tokens_are_valid)
{
    /* Whatever we hash, the token we write passes our own validator. */
    char buf[300], out[SRI_TOKEN_MAX];
    int a;
    size_t n;
    for (n = 0; n < sizeof(buf); n++)
        buf[n] = (char)(n * 7 + 3);
    for (a = SRI_ALGO_SHA256; a <= SRI_ALGO_SHA512; a++)
        for (n = 0; n < sizeof(buf); n += 37) {
            ck_assert_int_eq(sri_hash_buffer((sri_algo)a, buf, n, out), 0);
            ck_assert_msg(valid(out), "%s", out);
            ck_assert_int_eq(sri_integrity_strongest(out, strlen(out)), a);
        }
}
END_TEST

static Suite *integrity_suite(void)
{
    Suite *s = suite_create("integrity");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, spec_example_sha384);
    tcase_add_test(tc, known_vectors);
    tcase_add_test(tc, streaming_equals_buffer);
    tcase_add_test(tc, algorithms);
    tcase_add_test(tc, valid_tokens);
    tcase_add_test(tc, invalid_tokens);
    tcase_add_test(tc, metadata_tokens);
    tcase_add_test(tc, strongest);
    tcase_add_test(tc, written_tokens_are_valid);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(integrity_suite)
