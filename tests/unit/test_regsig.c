/*
 * test_regsig.c -- signed registries: REGISTRY.sig parsing, verification
 * against trusted keys, rollback order, signing-time ordering, and the safe
 * writers (sign after save, install a fetched pair).
 *
 * Why: the module and `sri-registry pull` refuse a registry on the answer
 * of these functions alone, so each way a fleet can be fed a wrong
 * registry -- altered after signing, an altered .sig, another key, no .sig,
 * an older signed registry, the same time over other bytes -- must give
 * the refusal it names, and a good pair must pass.
 */
#include "sri_check.h"
#include "registry/sri_registry.h"
#include "registry/sri_registry_sig.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <apr_general.h>
#include <apr_strings.h>

#define T_A "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
#define T_B "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
#define REG_A "https://cdn.example.org/a.js\n  integrity " T_A "\n"
#define REG_B "https://cdn.example.org/a.js\n  integrity " T_B "\n"

static apr_pool_t *pool;
static sri_ed25519_key *k1, *k2;
static apr_array_header_t *trust1, *trust12, *trust2;
static char dir[256];

static sri_ed25519_key *seeded(unsigned char fill)
{
    unsigned char seed[32];
    memset(seed, fill, sizeof(seed));
    return sri_ed25519_from_seed(seed);
}

static apr_array_header_t *trust(int n, ...)
{
    apr_array_header_t *a = apr_array_make(pool, 2, SRI_ED25519_KEY_LEN);
    va_list ap;
    int i;

    va_start(ap, n);
    for (i = 0; i < n; i++) {
        sri_ed25519_key *k = va_arg(ap, sri_ed25519_key *);
        ck_assert_int_eq(sri_ed25519_public_raw(k, apr_array_push(a)), 0);
    }
    va_end(ap);
    return a;
}

static void setup(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    k1 = seeded(1);
    k2 = seeded(2);
    ck_assert_ptr_nonnull(k1);
    ck_assert_ptr_nonnull(k2);
    trust1 = trust(1, k1);
    trust2 = trust(1, k2);
    trust12 = trust(2, k2, k1);
    snprintf(dir, sizeof(dir), "/tmp/sri-regsig-test.%ld", (long)getpid());
    mkdir(dir, 0755);
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    sri_ed25519_free(k1);
    sri_ed25519_free(k2);
    apr_pool_destroy(pool);
    apr_terminate();
}

static char *make(sri_ed25519_key *k, const char *reg, const char *when,
                  size_t *len)
{
    char *err = NULL;
    char *s = sri_regsig_make(pool, k, reg, strlen(reg), when, len, &err);
    ck_assert_msg(s != NULL, "make: %s", err ? err : "?");
    return s;
}

static sri_regsig_status verify(const char *sig, const char *reg,
                                const apr_array_header_t *keys)
{
    const char *why = NULL;
    return sri_regsig_verify(sig, strlen(sig), reg, strlen(reg), keys, NULL,
                             &why);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static char *get(const char *path)
{
    static char buf[8192];
    size_t n;
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return apr_pstrdup(pool, buf);
}

START_TEST(good_pair_verifies)
{
    size_t len;
    char *sig = make(k1, REG_A, "2026-12-02T13:00:00Z", &len);
    char hex[65], tok[SRI_ED25519_TOKEN_LEN + 1];
    sri_regsig s;
    const char *why = NULL;

    ck_assert_uint_eq(len, strlen(sig));
    ck_assert_int_eq(sri_regsig_verify(sig, len, REG_A, strlen(REG_A),
                                       trust1, &s, &why), SRI_REGSIG_OK);
    ck_assert_str_eq(s.signed_at, "2026-12-02T13:00:00Z");
    ck_assert_int_eq(sri_regsig_sha256_hex(REG_A, strlen(REG_A), hex), 0);
    ck_assert_str_eq(s.sha256, hex);
    ck_assert_int_eq(sri_ed25519_token(k1, tok), 0);
    ck_assert_str_eq(s.key_token, tok);
    /* The documented layout, line by line; the signature covers the first
       four lines exactly. */
    ck_assert_str_eq(sig, apr_psprintf(pool,
        "format sri-registry-signature 1\nregistry-sha256 %s\n"
        "signed-at 2026-12-02T13:00:00Z\nkey %s\nsignature %s",
        hex, tok, strstr(sig, "\nsignature ") + 11));
    ck_assert_uint_eq(s.signed_len,
                      (size_t)(strstr(sig, "\nsignature ") + 1 - sig));
    ck_assert_int_eq(sri_ed25519_verify(k1, sig, s.signed_len, s.sig, 64), 1);
    /* Ed25519 is deterministic: the same input signs to the same bytes. */
    ck_assert_str_eq(make(k1, REG_A, "2026-12-02T13:00:00Z", &len), sig);
    /* Any of several trusted keys (key rotation). */
    ck_assert_int_eq(verify(sig, REG_A, trust12), SRI_REGSIG_OK);
    /* The text of the parsed signature is the file's, byte for byte. */
    ck_assert_str_eq(sri_regsig_text(pool, &s), sig);
}
END_TEST

START_TEST(tampered_registry)
{
    size_t len;
    char *sig = make(k1, REG_A, "2026-12-02T13:00:00Z", &len);
    char *reg = apr_pstrdup(pool, REG_A);

    ck_assert_int_eq(verify(sig, REG_B, trust1), SRI_REGSIG_MISMATCH);
    reg[strlen(reg) - 1] = ' ';                 /* one byte */
    ck_assert_int_eq(verify(sig, reg, trust1), SRI_REGSIG_MISMATCH);
    ck_assert_int_eq(verify(sig, apr_pstrcat(pool, REG_A, "\n", NULL),
                            trust1), SRI_REGSIG_MISMATCH);
    ck_assert_int_eq(verify(sig, "", trust1), SRI_REGSIG_MISMATCH);
}
END_TEST

/* Replace the first occurrence of from by to in s. */
static char *subst(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    ck_assert_ptr_nonnull(at);
    return apr_psprintf(pool, "%.*s%s%s", (int)(at - s), s, to,
                        at + strlen(from));
}

START_TEST(tampered_sig)
{
    size_t len;
    char *sig = make(k1, REG_A, "2026-12-02T13:00:00Z", &len);
    char *sig_b = make(k1, REG_B, "2026-12-02T13:00:00Z", &len);
    char hex_b[65], *bad, *p;

    /* A later time, the same signature: refused (rollback protection
       cannot be fooled by editing the time). */
    ck_assert_int_eq(verify(subst(sig, "2026-12-02T13", "2027-12-02T13"),
                            REG_A, trust1), SRI_REGSIG_BAD);
    /* The digest of other bytes, the old signature. */
    ck_assert_int_eq(sri_regsig_sha256_hex(REG_B, strlen(REG_B), hex_b), 0);
    bad = apr_pstrdup(pool, sig);
    memcpy(strstr(bad, "registry-sha256 ") + 16, hex_b, 64);
    ck_assert_int_eq(verify(bad, REG_B, trust1), SRI_REGSIG_BAD);
    /* One signature character changed (still canonical base64). */
    bad = apr_pstrdup(pool, sig);
    p = strstr(bad, "\nsignature ") + 11;
    *p = *p == 'A' ? 'B' : 'A';
    ck_assert_int_eq(verify(bad, REG_A, trust1), SRI_REGSIG_BAD);
    /* Another registry's signature line spliced in. */
    bad = apr_pstrcat(pool, apr_pstrndup(pool, sig,
                      (size_t)(strstr(sig, "\nsignature ") + 1 - sig)),
                      strstr(sig_b, "\nsignature ") + 1, NULL);
    ck_assert_int_eq(verify(bad, REG_A, trust1), SRI_REGSIG_BAD);
    /* The key line swapped for another trusted key: the signature was not
       made by it. */
    {
        char tok2[SRI_ED25519_TOKEN_LEN + 1], tok1[SRI_ED25519_TOKEN_LEN + 1];
        ck_assert_int_eq(sri_ed25519_token(k1, tok1), 0);
        ck_assert_int_eq(sri_ed25519_token(k2, tok2), 0);
        ck_assert_int_eq(verify(subst(sig, tok1, tok2), REG_A, trust12),
                         SRI_REGSIG_BAD);
    }
}
END_TEST

START_TEST(wrong_key)
{
    size_t len;
    char *sig = make(k2, REG_A, "2026-12-02T13:00:00Z", &len);

    ck_assert_int_eq(verify(sig, REG_A, trust1), SRI_REGSIG_UNTRUSTED);
    ck_assert_int_eq(verify(sig, REG_A, trust2), SRI_REGSIG_OK);
    /* No trusted key at all: nothing is trusted. */
    ck_assert_int_eq(verify(sig, REG_A, NULL), SRI_REGSIG_UNTRUSTED);
    ck_assert_int_eq(verify(sig, REG_A, apr_array_make(pool, 1, 32)),
                     SRI_REGSIG_UNTRUSTED);
}
END_TEST

START_TEST(malformed)
{
    size_t len;
    char *sig = make(k1, REG_A, "2026-12-02T13:00:00Z", &len);
    char *crlf = apr_pstrdup(pool, ""), *p;
    const char *bad[16];
    int i, n = 0;

    for (p = sig; *p; p++)
        crlf = apr_pstrcat(pool, crlf, *p == '\n' ? "\r\n"
                           : apr_pstrndup(pool, p, 1), NULL);
    bad[n++] = "";
    bad[n++] = crlf;
    bad[n++] = apr_pstrcat(pool, sig, "\n", NULL);           /* extra line */
    bad[n++] = apr_pstrcat(pool, sig, "# note\n", NULL);
    bad[n++] = apr_pstrndup(pool, sig, len - 1);            /* no final LF */
    bad[n++] = subst(sig, "format sri-registry-signature 1",
                     "format sri-registry-signature 2");
    bad[n++] = subst(sig, "signed-at 2026-12-02T13:00:00Z",
                     "signed-at 2026-12-02 13:00:00");
    bad[n++] = subst(sig, "signed-at ", "signed-at  ");
    bad[n++] = subst(sig, "key ed25519-", "key ed448-");
    bad[n++] = subst(sig, "registry-sha256 ", "registry-sha384 ");
    bad[n++] = apr_pstrcat(pool, "\n", sig, NULL);
    /* Upper-case hex: one spelling only. */
    bad[n] = apr_pstrdup(pool, sig);
    for (p = strstr(bad[n], "registry-sha256 ") + 16; *p != '\n'; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    n++;
    /* Lines in another order. */
    {
        char *key = strstr(sig, "key "), *at = strstr(sig, "signed-at ");
        bad[n++] = apr_pstrcat(pool, apr_pstrndup(pool, sig, (size_t)(at - sig)),
                               apr_pstrndup(pool, key, 57),
                               apr_pstrndup(pool, at, 31),
                               strstr(sig, "\nsignature ") + 1, NULL);
    }
    for (i = 0; i < n; i++) {
        sri_regsig s;
        const char *why = NULL;
        ck_assert_msg(verify(bad[i], REG_A, trust1) == SRI_REGSIG_MALFORMED,
                      "case %d accepted", i);
        ck_assert_int_eq(sri_regsig_parse(bad[i], strlen(bad[i]), &s, &why), -1);
        ck_assert_ptr_nonnull(why);
    }
}
END_TEST

START_TEST(rollback_order)
{
    size_t len;
    sri_regsig a1, a2, b1, b2;
    const char *why;
    char *s;

    s = make(k1, REG_A, "2026-12-02T13:00:00Z", &len);
    ck_assert_int_eq(sri_regsig_parse(s, len, &a1, &why), 0);
    s = make(k2, REG_A, "2026-12-02T13:00:00Z", &len);
    ck_assert_int_eq(sri_regsig_parse(s, len, &a2, &why), 0);
    s = make(k1, REG_B, "2026-12-02T13:00:00Z", &len);
    ck_assert_int_eq(sri_regsig_parse(s, len, &b1, &why), 0);
    s = make(k1, REG_B, "2026-12-02T13:00:01Z", &len);
    ck_assert_int_eq(sri_regsig_parse(s, len, &b2, &why), 0);

    ck_assert_int_gt(sri_regsig_compare(&a1, &b2), 0);   /* newer */
    ck_assert_int_lt(sri_regsig_compare(&b2, &a1), 0);   /* older */
    ck_assert_int_lt(sri_regsig_compare(&b2, &b1), 0);   /* older, same bytes */
    ck_assert_int_eq(sri_regsig_compare(&a1, &a1), 0);   /* the same */
    ck_assert_int_eq(sri_regsig_compare(&a1, &a2), 0);   /* re-signed by
                                                            another key */
    ck_assert_int_lt(sri_regsig_compare(&a1, &b1), 0);   /* same time,
                                                            other bytes */
    ck_assert_int_lt(sri_regsig_compare(&b1, &a1), 0);
    /* Across a year, a month, a day: string order is time order. */
    s = make(k1, REG_A, "2027-01-01T00:00:00Z", &len);
    ck_assert_int_eq(sri_regsig_parse(s, len, &a2, &why), 0);
    s = make(k1, REG_A, "2026-12-31T23:59:59Z", &len);
    ck_assert_int_eq(sri_regsig_parse(s, len, &a1, &why), 0);
    ck_assert_int_gt(sri_regsig_compare(&a1, &a2), 0);
}
END_TEST

START_TEST(load_from_files)
{
    char *reg = apr_psprintf(pool, "%s/registry", dir), *bytes = NULL;
    char *err = NULL, *sig;
    size_t len = 0, slen;
    sri_regsig s;

    put(reg, REG_A);
    /* missing .sig */
    ck_assert_int_eq(sri_regsig_load(pool, reg, trust1, &bytes, &len, &s,
                                     &err), SRI_REGSIG_MISSING);
    ck_assert_ptr_nonnull(strstr(err, "registry.sig"));
    ck_assert_ptr_nonnull(strstr(err, "no signature"));
    /* good */
    sig = make(k1, REG_A, "2026-12-02T13:00:00Z", &slen);
    put(apr_pstrcat(pool, reg, ".sig", NULL), sig);
    ck_assert_int_eq(sri_regsig_load(pool, reg, trust1, &bytes, &len, &s,
                                     &err), SRI_REGSIG_OK);
    ck_assert_str_eq(bytes, REG_A);
    ck_assert_uint_eq(len, strlen(REG_A));
    ck_assert_str_eq(s.signed_at, "2026-12-02T13:00:00Z");
    /* wrong key, named in the message with the file */
    ck_assert_int_eq(sri_regsig_load(pool, reg, trust2, &bytes, &len, &s,
                                     &err), SRI_REGSIG_UNTRUSTED);
    ck_assert_ptr_nonnull(strstr(err, reg));
    /* registry changed after signing */
    put(reg, REG_B);
    ck_assert_int_eq(sri_regsig_load(pool, reg, trust1, &bytes, &len, &s,
                                     &err), SRI_REGSIG_MISMATCH);
    ck_assert_ptr_nonnull(strstr(err, "does not match"));
    /* a .sig too large to be one */
    put(apr_pstrcat(pool, reg, ".sig", NULL),
        apr_pstrcat(pool, sig, apr_psprintf(pool, "%2000s", "x"), NULL));
    ck_assert_int_eq(sri_regsig_load(pool, reg, trust1, &bytes, &len, &s,
                                     &err), SRI_REGSIG_MALFORMED);
    /* no registry at all */
    put(apr_pstrcat(pool, reg, ".sig", NULL), sig);
    unlink(reg);
    ck_assert_int_eq(sri_regsig_load(pool, reg, trust1, &bytes, &len, &s,
                                     &err), SRI_REGSIG_IOERR);
}
END_TEST

START_TEST(signing_time_strictly_increases)
{
    char *reg = apr_psprintf(pool, "%s/registry", dir), *err = NULL;
    char *bytes;
    const char *when = NULL;
    size_t len;
    sri_regsig s;

    put(reg, REG_A);
    ck_assert_int_eq(sri_regsig_write(pool, reg, REG_A, strlen(REG_A), k1,
                                      "2026-12-31T23:59:59Z", &when, &err), 0);
    ck_assert_str_eq(when, "2026-12-31T23:59:59Z");
    /* the same second again: one second later (over a year boundary) */
    put(reg, REG_B);
    ck_assert_int_eq(sri_regsig_write(pool, reg, REG_B, strlen(REG_B), k1,
                                      "2026-12-31T23:59:59Z", &when, &err), 0);
    ck_assert_str_eq(when, "2027-01-01T00:00:00Z");
    ck_assert_int_eq(sri_regsig_load(pool, reg, trust1, &bytes, &len, &s,
                                     &err), SRI_REGSIG_OK);
    ck_assert_str_eq(s.signed_at, "2027-01-01T00:00:00Z");
    /* a clock behind the last signing: still after it */
    ck_assert_int_eq(sri_regsig_write(pool, reg, REG_B, strlen(REG_B), k1,
                                      "2026-01-01T00:00:00Z", &when, &err), 0);
    ck_assert_str_eq(when, "2027-01-01T00:00:01Z");
    /* a clock ahead: its own time */
    ck_assert_int_eq(sri_regsig_write(pool, reg, REG_B, strlen(REG_B), k1,
                                      "2028-02-29T12:00:00Z", &when, &err), 0);
    ck_assert_str_eq(when, "2028-02-29T12:00:00Z");
    /* a public key cannot sign; a bad time is refused */
    {
        unsigned char raw[32];
        sri_ed25519_key *pub;
        ck_assert_int_eq(sri_ed25519_public_raw(k1, raw), 0);
        pub = sri_ed25519_from_public(raw);
        ck_assert_int_eq(sri_regsig_write(pool, reg, REG_B, strlen(REG_B),
                                          pub, "2029-01-01T00:00:00Z", NULL,
                                          &err), -1);
        sri_ed25519_free(pub);
    }
    ck_assert_int_eq(sri_regsig_write(pool, apr_pstrcat(pool, reg, "x", NULL),
                                      REG_B, strlen(REG_B), k1,
                                      "2029-13-01T00:00:00Z", NULL, &err), -1);
}
END_TEST

START_TEST(save_signed_and_install)
{
    char *reg = apr_psprintf(pool, "%s/registry", dir), *err = NULL;
    char *bytes, *sig;
    const char *when = NULL;
    sri_registry *r;
    size_t len, slen;
    sri_regsig s;
    struct stat st;

    ck_assert_int_eq(sri_registry_parse(pool, "t", REG_A, strlen(REG_A), &r,
                                        &err), 0);
    ck_assert_int_eq(sri_registry_save_signed(pool, r, reg, k1,
                                              "2026-12-02T13:00:00Z", &when,
                                              &err), 0);
    ck_assert_str_eq(when, "2026-12-02T13:00:00Z");
    ck_assert_int_eq(sri_regsig_load(pool, reg, trust1, &bytes, &len, &s,
                                     &err), SRI_REGSIG_OK);
    ck_assert_str_eq(bytes, get(reg));
    /* unsigned save leaves the old .sig, which no longer matches */
    ck_assert_int_eq(sri_registry_parse(pool, "t", REG_B, strlen(REG_B), &r,
                                        &err), 0);
    ck_assert_int_eq(sri_registry_save(pool, r, reg, &err), 0);
    ck_assert_int_eq(sri_regsig_load(pool, reg, trust1, &bytes, &len, &s,
                                     &err), SRI_REGSIG_MISMATCH);

    /* install: both files, previous registry kept as .bak, .sig 0644 */
    sig = make(k1, REG_B, "2026-12-03T00:00:00Z", &slen);
    ck_assert_int_eq(sri_regsig_install(pool, reg, REG_B, strlen(REG_B), sig,
                                        slen, &err), 0);
    ck_assert_int_eq(sri_regsig_load(pool, reg, trust1, &bytes, &len, &s,
                                     &err), SRI_REGSIG_OK);
    ck_assert_str_eq(s.signed_at, "2026-12-03T00:00:00Z");
    ck_assert_str_eq(get(apr_pstrcat(pool, reg, ".bak", NULL)), REG_B);
    ck_assert_int_eq(stat(apr_pstrcat(pool, reg, ".sig", NULL), &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0644);
}
END_TEST

START_TEST(key_files)
{
    char *pub = apr_psprintf(pool, "%s/pub.pem", dir);
    char *priv = apr_psprintf(pool, "%s/priv.pem", dir);
    char *junk = apr_psprintf(pool, "%s/junk.pem", dir);
    unsigned char raw[32], want[32];
    char err[512];

    ck_assert_int_eq(sri_ed25519_write_public(k1, pub, err, sizeof(err)), 0);
    ck_assert_int_eq(sri_ed25519_write_private(k1, priv, err, sizeof(err)), 0);
    put(junk, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    ck_assert_int_eq(sri_regsig_read_key(pub, raw, err, sizeof(err)), 0);
    ck_assert_int_eq(sri_ed25519_public_raw(k1, want), 0);
    ck_assert_mem_eq(raw, want, 32);
    /* a private key does not belong on a verifying machine */
    ck_assert_int_eq(sri_regsig_read_key(priv, raw, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "private key"));
    ck_assert_int_eq(sri_regsig_read_key(junk, raw, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, junk));
    ck_assert_int_eq(sri_regsig_read_key(apr_pstrcat(pool, dir, "/none", NULL),
                                         raw, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "No such file"));
}
END_TEST

static Suite *regsig_suite(void)
{
    Suite *s = suite_create("regsig");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, good_pair_verifies);
    tcase_add_test(tc, tampered_registry);
    tcase_add_test(tc, tampered_sig);
    tcase_add_test(tc, wrong_key);
    tcase_add_test(tc, malformed);
    tcase_add_test(tc, rollback_order);
    tcase_add_test(tc, load_from_files);
    tcase_add_test(tc, signing_time_strictly_increases);
    tcase_add_test(tc, save_signed_and_install);
    tcase_add_test(tc, key_files);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(regsig_suite)
