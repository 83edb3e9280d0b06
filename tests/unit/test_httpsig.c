/*
 * test_httpsig.c -- signature-based SRI headers: the spec's and Chromium's
 * vectors, round trips, and every way a response must be refused.
 *
 * Why: a browser runs a key-pinned script only if these headers are exactly
 * right, and our verifier (the tool's add --key and refresh) must refuse
 * what the browser refuses.  Pinned to published bytes: the WICG
 * signature-based-sri spec's worked example (RFC 9421 test key, tag "sri")
 * and the signature Chromium's unit tests expect for tag
 * "ed25519-integrity" (sri_message_signatures_unittest.cc, kSignature).
 */
#include "sri_check.h"
#include "sign/sri_httpsig.h"
#include "sign/sri_sfv.h"

#include <stdio.h>
#include <string.h>

#define B14_PRIV "-----BEGIN PRIVATE KEY-----\n" \
    "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n" \
    "-----END PRIVATE KEY-----\n"
#define B14_B64 "JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs="
#define BODY "{\"hello\": \"world\"}"
#define DIGEST "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
/* The spec's example (section "Examples"): label "signature", tag "sri". */
#define SPEC_INPUT "signature=(\"unencoded-digest\";sf);keyid=\"" B14_B64 \
    "\";tag=\"sri\""
#define SPEC_SIG "signature=:gHim9e5Pk2H7c9BStOmxSmkyc8+ioZgoxynu3d4INAT4dwfj" \
    "5LhvaV9DFnEQ9p7C0hzW4o4Qpkm5aApd6WLLCw==:"
/* Chromium's expected signature for the same digest, tag
   "ed25519-integrity" (the label is not part of the signature base). */
#define CR_SIG "SbCdPUyjc0IBJjFbVRWs81ucEUcFz87b37nQ63d6kDW+/" \
    "JvDmET6O5cSdwlddePvlwemLdaWFuY6pQGO+hrkAg=="

static sri_ed25519_key *rfc_key(void)
{
    sri_ed25519_key *k = sri_ed25519_private_from_pem(B14_PRIV,
                                                      strlen(B14_PRIV), NULL);
    ck_assert_ptr_nonnull(k);
    return k;
}

START_TEST(spec_example_verifies)
{
    sri_httpsig_result res;
    unsigned char pub[32];

    ck_assert_int_eq(sri_httpsig_verify(DIGEST, SPEC_INPUT, SPEC_SIG, BODY,
                                        strlen(BODY), 0, &res),
                     SRI_SIG_VALID);
    ck_assert_int_eq(res.nkeys, 1);
    ck_assert(sri_ed25519_b64_parse(B14_B64, strlen(B14_B64), pub, NULL));
    ck_assert(sri_httpsig_signed_by(&res, pub));
    pub[0] ^= 1;
    ck_assert(!sri_httpsig_signed_by(&res, pub));
}
END_TEST

START_TEST(we_sign_what_chromium_expects)
{
    sri_ed25519_key *k = rfc_key();
    sri_httpsig h;
    sri_httpsig_result res;

    /* Our writer, given the spec body's SHA-256, produces Chromium's
       expected signature bytes for tag "ed25519-integrity". */
    ck_assert_int_eq(sri_httpsig_from_token(k,
        "sha256-X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", &h), 0);
    ck_assert_str_eq(h.unencoded_digest, DIGEST);
    ck_assert_str_eq(h.signature_input, "sig=(\"unencoded-digest\";sf);keyid=\""
                     B14_B64 "\";tag=\"ed25519-integrity\"");
    ck_assert_str_eq(h.signature, "sig=:" CR_SIG ":");
    ck_assert_int_eq(sri_httpsig_verify(h.unencoded_digest, h.signature_input,
                                        h.signature, BODY, strlen(BODY), 0,
                                        &res), SRI_SIG_VALID);
    sri_ed25519_free(k);
}
END_TEST

START_TEST(sign_buffer_round_trip)
{
    sri_ed25519_key *k = sri_ed25519_generate(), *other =
        sri_ed25519_generate();
    const char *js = "console.log(1);\n";
    sri_httpsig h, h2;
    sri_httpsig_result res;
    unsigned char pub[32], opub[32];

    ck_assert_int_eq(sri_httpsig_sign_buffer(k, js, strlen(js), &h), 0);
    ck_assert_int_eq(strncmp(h.unencoded_digest, "sha-512=:", 9), 0);
    ck_assert_int_eq(sri_httpsig_verify(h.unencoded_digest, h.signature_input,
                                        h.signature, js, strlen(js), 0, &res),
                     SRI_SIG_VALID);
    sri_ed25519_public_raw(k, pub);
    sri_ed25519_public_raw(other, opub);
    ck_assert(sri_httpsig_signed_by(&res, pub));
    ck_assert(!sri_httpsig_signed_by(&res, opub));

    /* The same body always gets the same headers (no created/expires). */
    ck_assert_int_eq(sri_httpsig_sign_buffer(k, js, strlen(js), &h2), 0);
    ck_assert_str_eq(h.signature, h2.signature);

    /* Modified after signing: the digest no longer matches. */
    ck_assert_int_eq(sri_httpsig_verify(h.unencoded_digest, h.signature_input,
                                        h.signature, "console.log(2);\n",
                                        strlen(js), 0, &res),
                     SRI_SIG_INVALID);
    ck_assert_str_eq(res.why, "Unencoded-Digest does not match the body");
    /* A public-only key cannot sign. */
    {
        sri_ed25519_key *pk = sri_ed25519_from_public(pub);
        ck_assert_int_eq(sri_httpsig_sign_buffer(pk, js, strlen(js), &h2), -1);
        sri_ed25519_free(pk);
    }
    sri_ed25519_free(k);
    sri_ed25519_free(other);
}
END_TEST

static sri_sig_status check(const char *d, const char *in, const char *sig,
                            const char **why)
{
    sri_httpsig_result res;
    sri_sig_status st = sri_httpsig_verify(d, in, sig, BODY, strlen(BODY),
                                           1700000000LL, &res);
    *why = res.why;
    return st;
}

START_TEST(refusals)
{
    const char *why;
    char buf[512];

    ck_assert_int_eq(check(NULL, NULL, NULL, &why), SRI_SIG_UNSIGNED);
    ck_assert_int_eq(check(DIGEST, NULL, NULL, &why), SRI_SIG_UNSIGNED);
    ck_assert_int_eq(check(DIGEST, SPEC_INPUT, NULL, &why), SRI_SIG_INVALID);
    ck_assert_int_eq(check(DIGEST, NULL, SPEC_SIG, &why), SRI_SIG_INVALID);
    /* Signed but no digest header. */
    ck_assert_int_eq(check(NULL, SPEC_INPUT, SPEC_SIG, &why), SRI_SIG_INVALID);
    /* Another tag is not an SRI signature: unsigned as far as SRI goes. */
    ck_assert_int_eq(check(DIGEST, "signature=(\"unencoded-digest\";sf);"
                           "keyid=\"" B14_B64 "\";tag=\"foo\"", SPEC_SIG,
                           &why), SRI_SIG_UNSIGNED);
    /* alg is forbidden by the profile (and changes the base anyway). */
    ck_assert_int_eq(check(DIGEST, "signature=(\"unencoded-digest\";sf);"
                           "keyid=\"" B14_B64 "\";tag=\"sri\";alg=\"ed25519\"",
                           SPEC_SIG, &why), SRI_SIG_INVALID);
    ck_assert_ptr_nonnull(strstr(why, "forbids"));
    /* Expired (expires is before "now" = 1700000000). */
    ck_assert_int_eq(check(DIGEST, "signature=(\"unencoded-digest\";sf);"
                           "keyid=\"" B14_B64 "\";tag=\"sri\";expires=1",
                           SPEC_SIG, &why), SRI_SIG_INVALID);
    ck_assert_str_eq(why, "the signature has expired");
    /* Any parameter change breaks the signature. */
    ck_assert_int_eq(check(DIGEST, "signature=(\"unencoded-digest\";sf);"
                           "keyid=\"" B14_B64 "\";tag=\"sri\";created=5",
                           SPEC_SIG, &why), SRI_SIG_INVALID);
    ck_assert_str_eq(why, "the signature does not verify");
    /* Unsupported components. */
    ck_assert_int_eq(check(DIGEST, "signature=(\"unencoded-digest\");"
                           "keyid=\"" B14_B64 "\";tag=\"sri\"", SPEC_SIG,
                           &why), SRI_SIG_INVALID);
    ck_assert_int_eq(check(DIGEST, "signature=(\"content-type\";sf);"
                           "keyid=\"" B14_B64 "\";tag=\"sri\"", SPEC_SIG,
                           &why), SRI_SIG_INVALID);
    /* keyid must decode to 32 bytes. */
    ck_assert_int_eq(check(DIGEST, "signature=(\"unencoded-digest\";sf);"
                           "keyid=\"AAAA\";tag=\"sri\"", SPEC_SIG, &why),
                     SRI_SIG_INVALID);
    /* A signature of the wrong length, or not a byte sequence. */
    ck_assert_int_eq(check(DIGEST, SPEC_INPUT, "signature=:AAAA:", &why),
                     SRI_SIG_INVALID);
    ck_assert_int_eq(check(DIGEST, SPEC_INPUT, "signature=\"x\"", &why),
                     SRI_SIG_INVALID);
    /* Garbage. */
    ck_assert_int_eq(check(DIGEST, "((", SPEC_SIG, &why), SRI_SIG_INVALID);
    ck_assert_int_eq(check("sha-256=nope", SPEC_INPUT, SPEC_SIG, &why),
                     SRI_SIG_INVALID);
    /* A wrong digest of the right length. */
    ck_assert_int_eq(check("sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:",
                           SPEC_INPUT, SPEC_SIG, &why), SRI_SIG_INVALID);
    /* Only unknown digest algorithms. */
    ck_assert_int_eq(check("md5=:AAAA:", SPEC_INPUT, SPEC_SIG, &why),
                     SRI_SIG_INVALID);

    /* Spacing on the wire does not matter: the base uses the strict
       serialization (params may have spaces after ';'). */
    snprintf(buf, sizeof(buf), "signature=(\"unencoded-digest\";sf); "
             "keyid=\"%s\";  tag=\"sri\"", B14_B64);
    ck_assert_int_eq(check("  " DIGEST "  ", buf, " " SPEC_SIG, &why),
                     SRI_SIG_VALID);
    /* A second, valid SRI signature under another label: both verify. */
    ck_assert_int_eq(check(DIGEST, SPEC_INPUT ", other=(\"unencoded-digest\""
                           ";sf);keyid=\"" B14_B64 "\";tag=\"sri\"",
                           SPEC_SIG ", other=:gHim9e5Pk2H7c9BStOmxSmkyc8+ioZgoxy"
                           "nu3d4INAT4dwfj5LhvaV9DFnEQ9p7C0hzW4o4Qpkm5aApd6WLLCw==:",
                           &why), SRI_SIG_VALID);
    /* ... and one bad SRI signature beside a good one fails the whole. */
    ck_assert_int_eq(check(DIGEST, SPEC_INPUT ", other=(\"unencoded-digest\""
                           ";sf);keyid=\"" B14_B64 "\";tag=\"sri\"",
                           SPEC_SIG ", other=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==:",
                           &why), SRI_SIG_INVALID);
}
END_TEST

/* What a browser refuses on any response that carries Unencoded-Digest,
   pinned or not: Chromium counts only sha-256 and sha-512 byte sequences
   of the right length, and ignores a field it cannot parse, other labels
   (sha-384 too) and other values (unencoded_digests.cc and its unit
   test; Blink's CheckUnencodedDigests). */
#define A43 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define Z256 ":" A43 "=:"                       /* 32 zero bytes */
#define Z384 ":" A43 "AAAAAAAAAAAAAAAAAAAAA:"  /* 48 zero bytes, no pad */
#define Z512 ":" A43 A43 "==:"                  /* 64 zero bytes */
START_TEST(unencoded_digest_refusal)
{
    static const struct { const char *field; int refused; } rows[] = {
        { NULL, 0 },
        { DIGEST, 0 },                          /* matches */
        { "sha-256=" Z256, 1 },                 /* does not match */
        { "sha-512=" Z512, 1 },
        { DIGEST ", sha-512=" Z512, 1 },        /* one of two does not */
        { "sha-512=" Z512 ", " DIGEST, 1 },
        { "md5=" Z256 ", " DIGEST, 0 },         /* unknown label: ignored */
        { "sha-1=" Z256, 0 },
        { "sha-384=" Z384, 0 },                 /* sha-384 is not known */
        { "sha-256=:AAAA:", 0 },                /* the wrong length */
        { "sha-256=\"x\"", 0 },                 /* not a byte sequence */
        { "sha-256", 0 },                       /* a boolean */
        { "SHA-256=" Z256, 0 },                 /* not a dictionary */
        { "sha-256=" Z256 ",", 0 },
        { "", 0 },
    };
    const char *sig_why;
    size_t i;

    ck_assert_uint_eq(strlen(Z256), 46);
    ck_assert_uint_eq(strlen(Z384), 66);
    ck_assert_uint_eq(strlen(Z512), 90);
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *why = sri_unencoded_digest_refusal(rows[i].field, BODY,
                                                       strlen(BODY));
        ck_assert_msg(!why == !rows[i].refused, "%s: %s", rows[i].field
                      ? rows[i].field : "(none)", why ? why : "passes");
        if (why)
            ck_assert_str_eq(why, "Unencoded-Digest does not match the body");
    }
    /* The signed path is stricter: it refuses what a browser ignores. */
    ck_assert_int_eq(check("sha-384=" Z384, NULL, NULL, &sig_why),
                     SRI_SIG_INVALID);
}
END_TEST

START_TEST(sfv_dictionaries)
{
    sfv_dict d;
    char out[512];
    const char *why;
    const sfv_member *m;

    ck_assert_int_eq(sfv_parse_dict("a=1, b;x=?0, c=(\"s\\\"q\" tok :AQ==:);"
                                    "p=-2.50, d", 44 + 1, &d, &why), 0);
    ck_assert_int_eq(d.nmembers, 4);
    ck_assert_int_eq(sfv_serialize_dict(&d, out, sizeof(out)) > 0, 1);
    ck_assert_str_eq(out, "a=1, b;x=?0, c=(\"s\\\"q\" tok :AQ==:);p=-2.5, d");
    m = sfv_dict_get(&d, "c");
    ck_assert_ptr_nonnull(m);
    ck_assert(m->inner);
    ck_assert_int_eq(m->nitems, 3);
    ck_assert_str_eq(m->items[0].item.s, "s\"q");
    /* Duplicate keys: the later value wins, in the first position. */
    ck_assert_int_eq(sfv_parse_dict("a=1, b=2, a=3", 13, &d, &why), 0);
    sfv_serialize_dict(&d, out, sizeof(out));
    ck_assert_str_eq(out, "a=3, b=2");
    /* Errors. */
    ck_assert_int_eq(sfv_parse_dict("A=1", 3, &d, &why), -1);
    ck_assert_int_eq(sfv_parse_dict("a=1,", 4, &d, &why), -1);
    ck_assert_int_eq(sfv_parse_dict("a=\"x", 4, &d, &why), -1);
    ck_assert_int_eq(sfv_parse_dict("a=(1 2", 6, &d, &why), -1);
    ck_assert_int_eq(sfv_parse_dict("a=:AB*:", 7, &d, &why), -1);
    ck_assert_int_eq(sfv_parse_dict("a=1 b=2", 7, &d, &why), -1);
    ck_assert_ptr_nonnull(why);
    /* Too small an output buffer is an error, not a truncation. */
    ck_assert_int_eq(sfv_parse_dict("a=1", 3, &d, &why), 0);
    ck_assert_int_eq(sfv_serialize_dict(&d, out, 3), -1);
}
END_TEST

static Suite *httpsig_suite(void)
{
    Suite *s = suite_create("httpsig");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, spec_example_verifies);
    tcase_add_test(tc, we_sign_what_chromium_expects);
    tcase_add_test(tc, sign_buffer_round_trip);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, unencoded_digest_refusal);
    tcase_add_test(tc, sfv_dictionaries);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(httpsig_suite)
