/*
 * test_ed25519.c -- the Ed25519 primitive: RFC 8032 vectors, PEM files,
 * strict key tokens.
 *
 * Why: browsers verify pure Ed25519 (RFC 8032) and skip key tokens they
 * cannot parse, so these tests pin the signatures to the RFC's published
 * vectors (section 7.1, TEST 1-3), the key files to what OpenSSL writes and
 * reads (0600 private key, never overwritten), and the token parser to the
 * one canonical spelling of a key.
 */
#include "sri_check.h"
#include "sign/sri_ed25519.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void unhex(const char *hex, unsigned char *out, size_t *n)
{
    size_t i, len = strlen(hex);
    for (i = 0; i < len / 2; i++) {
        unsigned int v;
        ck_assert(sscanf(hex + 2 * i, "%2x", &v) == 1);
        out[i] = (unsigned char)v;
    }
    *n = len / 2;
}

/* RFC 8032, section 7.1, TEST 1, TEST 2, TEST 3. */
static const struct {
    const char *secret, *public, *message, *signature;
} rfc8032[] = {
    { "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
    { "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
      "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
    { "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
      "af82",
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
      "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
};

START_TEST(rfc8032_vectors)
{
    unsigned char seed[32], pub[32], msg[8], sig[64], got[64], raw[32];
    size_t n_seed, n_pub, n_msg, n_sig;
    sri_ed25519_key *k, *pk;

    unhex(rfc8032[_i].secret, seed, &n_seed);
    unhex(rfc8032[_i].public, pub, &n_pub);
    unhex(rfc8032[_i].message, msg, &n_msg);
    unhex(rfc8032[_i].signature, sig, &n_sig);
    ck_assert_uint_eq(n_seed, 32);
    ck_assert_uint_eq(n_sig, 64);

    k = sri_ed25519_from_seed(seed);
    ck_assert_ptr_nonnull(k);
    ck_assert(sri_ed25519_has_private(k));
    ck_assert_int_eq(sri_ed25519_public_raw(k, raw), 0);
    ck_assert_mem_eq(raw, pub, 32);             /* public key derivation */
    ck_assert_int_eq(sri_ed25519_sign(k, msg, n_msg, got), 0);
    ck_assert_mem_eq(got, sig, 64);             /* deterministic signature */

    pk = sri_ed25519_from_public(pub);
    ck_assert_ptr_nonnull(pk);
    ck_assert(!sri_ed25519_has_private(pk));
    ck_assert_int_eq(sri_ed25519_verify(pk, msg, n_msg, sig, 64), 1);
    ck_assert_int_eq(sri_ed25519_verify_raw(pub, msg, n_msg, sig, 64), 1);
    ck_assert(sri_ed25519_same_public(k, pk));
    /* A public-only key cannot sign. */
    ck_assert_int_eq(sri_ed25519_sign(pk, msg, n_msg, got), -1);

    /* Any flipped bit of signature or message fails; so does a wrong
       length or a longer message. */
    sig[_i * 7] ^= 0x01;
    ck_assert_int_eq(sri_ed25519_verify(pk, msg, n_msg, sig, 64), 0);
    sig[_i * 7] ^= 0x01;
    sig[63] ^= 0x80;
    ck_assert_int_eq(sri_ed25519_verify(pk, msg, n_msg, sig, 64), 0);
    sig[63] ^= 0x80;
    ck_assert_int_eq(sri_ed25519_verify(pk, msg, n_msg, sig, 63), 0);
    msg[n_msg] = 0;
    ck_assert_int_eq(sri_ed25519_verify(pk, msg, n_msg + 1, sig, 64), 0);
    if (n_msg) {
        msg[0] ^= 0x40;
        ck_assert_int_eq(sri_ed25519_verify(pk, msg, n_msg, sig, 64), 0);
    }
    sri_ed25519_free(k);
    sri_ed25519_free(pk);
}
END_TEST

START_TEST(generate_sign_verify)
{
    sri_ed25519_key *a = sri_ed25519_generate(), *b = sri_ed25519_generate();
    unsigned char sig[64];
    const char *text = "console.log(\"Hello, world!\");";
    char tok[SRI_ED25519_TOKEN_LEN + 1];
    unsigned char raw[32], parsed[32];

    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert(!sri_ed25519_same_public(a, b));
    ck_assert_int_eq(sri_ed25519_sign(a, text, strlen(text), sig), 0);
    ck_assert_int_eq(sri_ed25519_verify(a, text, strlen(text), sig, 64), 1);
    ck_assert_int_eq(sri_ed25519_verify(b, text, strlen(text), sig, 64), 0);

    /* The token of a generated key is valid and names the same key. */
    ck_assert_int_eq(sri_ed25519_token(a, tok), 0);
    ck_assert_uint_eq(strlen(tok), SRI_ED25519_TOKEN_LEN);
    ck_assert(sri_ed25519_token_parse(tok, strlen(tok), parsed, NULL));
    ck_assert_int_eq(sri_ed25519_public_raw(a, raw), 0);
    ck_assert_mem_eq(raw, parsed, 32);
    sri_ed25519_free(a);
    sri_ed25519_free(b);
    sri_ed25519_free(NULL);
}
END_TEST

/* RFC 9421 appendix B.1.4 (test-key-ed25519), the key the signature-based
   SRI spec uses in its examples. */
#define B14_PRIV "-----BEGIN PRIVATE KEY-----\n" \
    "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n" \
    "-----END PRIVATE KEY-----\n"
#define B14_PUB "-----BEGIN PUBLIC KEY-----\n" \
    "MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n" \
    "-----END PUBLIC KEY-----\n"
#define B14_B64 "JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs="

START_TEST(pem_in_memory)
{
    const char *why = NULL;
    char b64[SRI_ED25519_B64_LEN + 1];
    sri_ed25519_key *k = sri_ed25519_private_from_pem(B14_PRIV,
                                                      strlen(B14_PRIV), &why);
    sri_ed25519_key *p = sri_ed25519_public_from_pem(B14_PUB,
                                                     strlen(B14_PUB), &why);
    sri_ed25519_key *pp = sri_ed25519_public_from_pem(B14_PRIV,
                                                      strlen(B14_PRIV), &why);

    ck_assert_ptr_nonnull(k);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(pp);
    ck_assert(!sri_ed25519_has_private(pp));   /* only the public half */
    ck_assert_int_eq(sri_ed25519_public_b64(k, b64), 0);
    ck_assert_str_eq(b64, B14_B64);
    ck_assert_int_eq(sri_ed25519_public_b64(p, b64), 0);
    ck_assert_str_eq(b64, B14_B64);
    ck_assert(sri_ed25519_same_public(k, pp));

    /* A public key is not a private key; garbage is neither. */
    ck_assert_ptr_null(sri_ed25519_private_from_pem(B14_PUB,
                                                    strlen(B14_PUB), &why));
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_null(sri_ed25519_private_from_pem("nope", 4, &why));
    ck_assert_ptr_null(sri_ed25519_public_from_pem("nope", 4, &why));
    ck_assert_ptr_null(sri_ed25519_private_from_pem("", 0, &why));
    sri_ed25519_free(k);
    sri_ed25519_free(p);
    sri_ed25519_free(pp);
}
END_TEST

/* An EC P-256 key (openssl genpkey -algorithm EC
   -pkeyopt ec_paramgen_curve:P-256): a valid key of the wrong type. */
#define P256_PRIV "-----BEGIN PRIVATE KEY-----\n" \
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgtInjlznNfKmfenM8\n" \
    "fBGOsEWEHTK+BydZtgMcU+OBjdqhRANCAATmiIbEemqdYpwdu7SjUIRZcNHc1EtA\n" \
    "7pQJM7tqpUwjKncVTtBycQnTLuJ/MCuMMFoO3o3XkEj1gcalIpBF15tS\n" \
    "-----END PRIVATE KEY-----\n"

START_TEST(wrong_key_type)
{
    const char *why = NULL;
    ck_assert_ptr_null(sri_ed25519_private_from_pem(P256_PRIV,
                                                    strlen(P256_PRIV), &why));
    ck_assert_str_eq(why, "the private key is not an Ed25519 key");
    ck_assert_ptr_null(sri_ed25519_public_from_pem(P256_PRIV,
                                                   strlen(P256_PRIV), &why));
}
END_TEST

START_TEST(pem_files)
{
    char dir[] = "/tmp/test_ed25519.XXXXXX";
    char priv[128], pub[128], err[256];
    struct stat st;
    mode_t old = umask(0);          /* the writer must not rely on umask */
    sri_ed25519_key *k = sri_ed25519_generate(), *r, *rp;
    unsigned char sig[64];

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(priv, sizeof(priv), "%s/key.pem", dir);
    snprintf(pub, sizeof(pub), "%s/key.pub", dir);
    ck_assert_int_eq(sri_ed25519_write_private(k, priv, err, sizeof(err)), 0);
    ck_assert_int_eq(sri_ed25519_write_public(k, pub, err, sizeof(err)), 0);
    umask(old);
    ck_assert_int_eq(stat(priv, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0600);
    ck_assert_int_eq(stat(pub, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0644);

    /* Never overwrite an existing key. */
    ck_assert_int_eq(sri_ed25519_write_private(k, priv, err, sizeof(err)),
                     -1);
    ck_assert_ptr_nonnull(strstr(err, "File exists"));

    r = sri_ed25519_read_private(priv, err, sizeof(err));
    ck_assert_ptr_nonnull(r);
    rp = sri_ed25519_read_public(pub, err, sizeof(err));
    ck_assert_ptr_nonnull(rp);
    ck_assert(sri_ed25519_same_public(k, r));
    ck_assert(sri_ed25519_same_public(k, rp));
    ck_assert_int_eq(sri_ed25519_sign(r, "x", 1, sig), 0);
    ck_assert_int_eq(sri_ed25519_verify(rp, "x", 1, sig, 64), 1);

    /* The public file is no private key; a missing file says so. */
    ck_assert_ptr_null(sri_ed25519_read_private(pub, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, pub));
    ck_assert_ptr_null(sri_ed25519_read_private("/nonexistent/k.pem", err,
                                                sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "No such file"));
    /* A public-only key has no private half to write. */
    ck_assert_int_eq(sri_ed25519_write_private(rp, priv, err, sizeof(err)),
                     -1);

    sri_ed25519_free(k);
    sri_ed25519_free(r);
    sri_ed25519_free(rp);
    unlink(priv);
    unlink(pub);
    rmdir(dir);
}
END_TEST

START_TEST(token_parsing)
{
    unsigned char raw[32];
    const char *why = NULL;
    static const char *bad[] = {
        "",
        "ed25519-",
        "ed25519",
        "Ed25519-" B14_B64,                         /* upper case */
        "ED25519-" B14_B64,
        "ed25519_" B14_B64,
        "ed448-" B14_B64,
        "sha256-" B14_B64,
        "ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs",  /* no pad */
        "ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs==", /* extra */
        "ed25519-JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs=",  /* url */
        "ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bt=",  /* bits */
        "ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=?x",
        "ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0b=s",
        "ed25519- JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=",
        "ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs= ",
        "ed25519-X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE",   /* 43 */
        /* 48 bytes (a sha384 digest) is not a key */
        "ed25519-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO",
    };
    size_t i;

    ck_assert(sri_ed25519_token_parse("ed25519-" B14_B64,
                                      strlen("ed25519-" B14_B64), raw, &why));
    ck_assert_ptr_null(why);
    ck_assert_uint_eq(raw[0], 0x26);
    ck_assert_uint_eq(raw[31], 0xbb);
    ck_assert(sri_ed25519_b64_parse(B14_B64, strlen(B14_B64), NULL, NULL));
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why = NULL;
        ck_assert_msg(!sri_ed25519_token_parse(bad[i], strlen(bad[i]), raw,
                                               &why), "accepted %s", bad[i]);
        ck_assert_msg(why != NULL, "no reason for %s", bad[i]);
    }
    /* A length-limited view: the same bytes, cut, are invalid. */
    ck_assert(!sri_ed25519_token_parse("ed25519-" B14_B64, 20, raw, NULL));
    ck_assert(!sri_ed25519_token_parse(NULL, 0, raw, NULL));
}
END_TEST

START_TEST(base64_roundtrip)
{
    unsigned char in[70], out[72];
    char enc[100];
    size_t n, i;

    for (i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(i * 37 + 11);
    for (n = 0; n <= sizeof(in); n++) {
        size_t el = sri_b64_encode(in, n, enc);
        ck_assert_uint_eq(el, 4 * ((n + 2) / 3));
        ck_assert_int_eq(sri_b64_decode(enc, el, out), (long)n);
        ck_assert(n == 0 || memcmp(in, out, n) == 0);
    }
    ck_assert_int_eq(sri_b64_decode("YQ==", 4, out), 1);
    ck_assert_int_eq(sri_b64_decode("YR==", 4, out), -1);  /* stray bits */
    ck_assert_int_eq(sri_b64_decode("YQ", 2, out), -1);    /* no padding */
    ck_assert_int_eq(sri_b64_decode("Y===", 4, out), -1);
    ck_assert_int_eq(sri_b64_decode("Y-Q=", 4, out), -1);
    ck_assert_int_eq(sri_b64_decode("=YQ=", 4, out), -1);
}
END_TEST

static Suite *ed25519_suite(void)
{
    Suite *s = suite_create("ed25519");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, rfc8032_vectors, 0, 3);
    tcase_add_test(tc, generate_sign_verify);
    tcase_add_test(tc, pem_in_memory);
    tcase_add_test(tc, wrong_key_type);
    tcase_add_test(tc, pem_files);
    tcase_add_test(tc, token_parsing);
    tcase_add_test(tc, base64_roundtrip);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(ed25519_suite)
