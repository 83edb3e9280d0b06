/*
 * sri_httpsig.c -- Unencoded-Digest + HTTP Message Signature (RFC 9421) in
 * the signature-based SRI profile: build the headers, check them.
 *
 * Why: see sri_httpsig.h.  Signing needs no parser: we write the one form
 * we sign, already in strict serialization.  Verification parses with
 * sri_sfv.c and rebuilds the signature base from the parsed values, the way
 * Chromium does (services/network/public/cpp/sri_message_signatures.cc), so
 * the tool refuses exactly what the browser would refuse for this profile.
 */
#include "sign/sri_httpsig.h"
#include "sign/sri_sfv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long sri_httpsig_base(const char *digest_sf, const char *params,
                      char *out, size_t outlen)
{
    int n = snprintf(out, outlen,
                     "\"unencoded-digest\";sf: %s\n\"@signature-params\": %s",
                     digest_sf, params);
    return (n < 0 || (size_t)n >= outlen) ? -1 : n;
}

/* "sha512-B64" -> "sha-512=:B64:" (the same base64). */
static int digest_field(const char *hash_token, char *out, size_t outlen)
{
    sri_algo a;
    const char *dash;
    int n;

    if (!hash_token
        || !sri_token_valid(hash_token, strlen(hash_token), &a, NULL))
        return -1;
    dash = strchr(hash_token, '-');
    n = snprintf(out, outlen, "sha-%s=:%s:", sri_algo_name(a) + 3, dash + 1);
    return (n < 0 || (size_t)n >= outlen) ? -1 : 0;
}

int sri_httpsig_from_token(const sri_ed25519_key *k, const char *hash_token,
                           sri_httpsig *out)
{
    char keyid[SRI_ED25519_B64_LEN + 1], params[150], base[400];
    unsigned char sig[SRI_ED25519_SIG_LEN];
    char sig64[90];
    long bl;
    int n;

    if (!sri_ed25519_has_private(k)
        || digest_field(hash_token, out->unencoded_digest,
                        sizeof(out->unencoded_digest))
        || sri_ed25519_public_b64(k, keyid))
        return -1;
    n = snprintf(params, sizeof(params),
                 "(\"unencoded-digest\";sf);keyid=\"%s\";tag=\"%s\"",
                 keyid, SRI_HTTPSIG_TAG);
    if (n < 0 || (size_t)n >= sizeof(params))
        return -1;
    bl = sri_httpsig_base(out->unencoded_digest, params, base, sizeof(base));
    if (bl < 0 || sri_ed25519_sign(k, base, (size_t)bl, sig))
        return -1;
    sri_b64_encode(sig, sizeof(sig), sig64);
    snprintf(out->signature_input, sizeof(out->signature_input), "%s=%s",
             SRI_HTTPSIG_LABEL, params);
    snprintf(out->signature, sizeof(out->signature), "%s=:%s:",
             SRI_HTTPSIG_LABEL, sig64);
    return 0;
}

int sri_httpsig_sign_buffer(const sri_ed25519_key *k, const void *body,
                            size_t len, sri_httpsig *out)
{
    char tok[SRI_TOKEN_MAX];

    if (sri_hash_buffer(SRI_ALGO_SHA512, body, len, tok))
        return -1;
    return sri_httpsig_from_token(k, tok, out);
}

/* ---- verification -------------------------------------------------------- */

static sri_sig_status invalid(sri_httpsig_result *res, const char *why)
{
    res->status = SRI_SIG_INVALID;
    res->why = why;
    return res->status;
}

/* One Unencoded-Digest member, labelled for algorithm a, against the
   body: 0 it matches, 1 it does not, -1 its value is not a byte sequence,
   -2 not one of a's length. */
static int digest_member_check(const sfv_member *m, sri_algo a,
                               const void *body, size_t len)
{
    char tok[SRI_TOKEN_MAX], want[SRI_TOKEN_MAX];

    if (m->inner || m->items[0].item.type != SFV_BYTES)
        return -1;
    snprintf(want, sizeof(want), "%s-%s", sri_algo_name(a),
             m->items[0].item.s);
    if (!sri_token_valid(want, strlen(want), NULL, NULL))
        return -2;
    return sri_hash_buffer(a, body, len, tok) || strcmp(tok, want) ? 1 : 0;
}

/* The algorithm of an Unencoded-Digest label: sha-256 and sha-512, and
   sha-384 when with_384; else 0. */
static int digest_label(const char *key, int with_384, sri_algo *a)
{
    if (strcmp(key, "sha-256") && strcmp(key, "sha-512")
        && (!with_384 || strcmp(key, "sha-384")))
        return 0;
    *a = sri_algo_from_name(key[4] == '2' ? "sha256"
                            : key[4] == '3' ? "sha384" : "sha512", 6);
    return 1;
}

/* Every known digest in Unencoded-Digest must match the body; at least one
   must be known.  NULL if fine, else the reason. */
static const char *check_digests(const sfv_dict *d, const void *body,
                                 size_t len)
{
    int i, known = 0;

    for (i = 0; i < d->nmembers; i++) {
        sri_algo a;

        if (!digest_label(d->members[i].key, 1, &a))
            continue;                      /* unknown algorithms: ignored */
        switch (digest_member_check(&d->members[i], a, body, len)) {
        case -1: return "an Unencoded-Digest value is not a byte sequence";
        case -2: return "an Unencoded-Digest value has the wrong length";
        case 1:  return "Unencoded-Digest does not match the body";
        }
        known++;
    }
    return known ? NULL : "no sha-256, sha-384 or sha-512 in Unencoded-Digest";
}

static int is_sri_tag(const sfv_member *in)
{
    const sfv_param *t = sfv_param_get(in->params, in->nparams, "tag");
    return t && t->value.type == SFV_STRING
        && (!strcmp(t->value.s, SRI_HTTPSIG_TAG) || !strcmp(t->value.s, "sri"));
}

typedef struct {
    sfv_dict sigs, inputs, digest;
} dicts;

static sri_sig_status verify(dicts *dd, const char *unencoded_digest,
                             const char *signature_input,
                             const char *signature,
                             const void *body, size_t len, long long now,
                             sri_httpsig_result *res)
{
    sfv_dict *sigs = &dd->sigs, *inputs = &dd->inputs, *digest = &dd->digest;
    const char *why;
    char digest_sf[1024], params[1024], base[2200];
    int i, nsri = 0;

    if (unencoded_digest) {
        if (sfv_parse_dict(unencoded_digest, strlen(unencoded_digest),
                           digest, &why))
            return invalid(res, "Unencoded-Digest is not a structured "
                                "field dictionary");
        if ((why = check_digests(digest, body, len)))
            return invalid(res, why);
    }
    if (!signature && !signature_input) {
        res->status = SRI_SIG_UNSIGNED;
        res->why = unencoded_digest ? "Unencoded-Digest but no signature"
                                    : "no Signature/Signature-Input";
        return res->status;
    }
    if (!signature || !signature_input)
        return invalid(res, signature ? "Signature without Signature-Input"
                                      : "Signature-Input without Signature");
    if (sfv_parse_dict(signature, strlen(signature), sigs, &why))
        return invalid(res, "Signature is not a structured field dictionary");
    if (sfv_parse_dict(signature_input, strlen(signature_input), inputs,
                       &why))
        return invalid(res, "Signature-Input is not a structured field "
                            "dictionary");

    for (i = 0; i < sigs->nmembers; i++) {
        const sfv_member *s = &sigs->members[i];
        const sfv_member *in = sfv_dict_get(inputs, s->key);
        unsigned char sig[66], pub[SRI_ED25519_KEY_LEN];
        int j, have_key = 0, have_tag = 0;
        long bl;

        if (!in || !in->inner || !is_sri_tag(in))
            continue;                        /* not an SRI signature */
        nsri++;
        if (s->inner || s->items[0].item.type != SFV_BYTES || s->nparams
            || sri_b64_decode(s->items[0].item.s, s->items[0].item.n, sig)
               != SRI_ED25519_SIG_LEN)
            return invalid(res, "a Signature value is not a 64-byte "
                                "byte sequence");
        if (in->nitems < 1)
            return invalid(res, "a Signature-Input covers no component");
        for (j = 0; j < in->nitems; j++) {
            const sfv_item *c = &in->items[j];
            if (c->item.type != SFV_STRING
                || strcmp(c->item.s, "unencoded-digest") || c->nparams != 1
                || strcmp(c->params[0].key, "sf")
                || c->params[0].value.type != SFV_BOOLEAN
                || !c->params[0].value.i)
                return invalid(res, "a Signature-Input covers something "
                                    "other than (\"unencoded-digest\";sf)");
        }
        if (in->nitems != 1)
            return invalid(res, "a Signature-Input lists a component twice");
        for (j = 0; j < in->nparams; j++) {
            const sfv_param *p = &in->params[j];
            if ((!strcmp(p->key, "created") || !strcmp(p->key, "expires"))
                && p->value.type == SFV_INTEGER && p->value.i >= 0) {
                if (!strcmp(p->key, "expires") && p->value.i < now)
                    return invalid(res, "the signature has expired");
            } else if (!strcmp(p->key, "keyid")
                       && p->value.type == SFV_STRING) {
                if (!sri_ed25519_b64_parse(p->value.s, p->value.n, pub, NULL))
                    return invalid(res, "keyid is not the base64 of a "
                                        "32-byte Ed25519 key");
                have_key = 1;
            } else if (!strcmp(p->key, "nonce")
                       && p->value.type == SFV_STRING) {
                ;
            } else if (!strcmp(p->key, "tag")) {
                have_tag = 1;
            } else {
                return invalid(res, "a Signature-Input has a parameter the "
                                    "SRI profile forbids (e.g. alg)");
            }
        }
        if (!have_key || !have_tag)
            return invalid(res, "a Signature-Input lacks keyid or tag");
        if (!unencoded_digest)
            return invalid(res, "signed, but no Unencoded-Digest");
        if (sfv_serialize_dict(digest, digest_sf, sizeof(digest_sf)) < 0
            || sfv_serialize_member_value(in, params, sizeof(params)) < 0
            || (bl = sri_httpsig_base(digest_sf, params, base,
                                      sizeof(base))) < 0)
            return invalid(res, "signature headers too long");
        if (sri_ed25519_verify_raw(pub, base, (size_t)bl, sig,
                                   SRI_ED25519_SIG_LEN) != 1)
            return invalid(res, "the signature does not verify");
        if (res->nkeys < SRI_HTTPSIG_MAX_KEYS)
            memcpy(res->keys[res->nkeys++], pub, sizeof(pub));
    }
    if (!nsri) {
        res->status = SRI_SIG_UNSIGNED;
        res->why = "no signature with tag \"" SRI_HTTPSIG_TAG "\" (or \"sri\")";
        return res->status;
    }
    res->status = SRI_SIG_VALID;
    res->why = NULL;
    return res->status;
}

sri_sig_status sri_httpsig_verify(const char *unencoded_digest,
                                  const char *signature_input,
                                  const char *signature,
                                  const void *body, size_t len, long long now,
                                  sri_httpsig_result *res)
{
    /* The three dictionaries are some 60 kB: on the heap, not a stack. */
    dicts *dd = calloc(1, sizeof(*dd));
    sri_sig_status st;

    memset(res, 0, sizeof(*res));
    if (!dd)
        return invalid(res, "out of memory");
    st = verify(dd, unencoded_digest, signature_input, signature, body, len,
                now, res);
    free(dd);
    return st;
}

const char *sri_unencoded_digest_refusal(const char *unencoded_digest,
                                         const void *body, size_t len)
{
    sfv_dict *d;
    const char *why = NULL, *perr;
    sri_algo a;
    int i;

    if (!unencoded_digest)
        return NULL;
    if (!(d = calloc(1, sizeof(*d))))
        return "out of memory";
    if (sfv_parse_dict(unencoded_digest, strlen(unencoded_digest), d, &perr)
        == 0)
        for (i = 0; i < d->nmembers && !why; i++)
            if (digest_label(d->members[i].key, 0, &a)
                && digest_member_check(&d->members[i], a, body, len) == 1)
                why = "Unencoded-Digest does not match the body";
    free(d);
    return why;
}

int sri_httpsig_signed_by(const sri_httpsig_result *res,
                          const unsigned char *pub)
{
    int i;
    if (!res || res->status != SRI_SIG_VALID)
        return 0;
    for (i = 0; i < res->nkeys; i++)
        if (!memcmp(res->keys[i], pub, SRI_ED25519_KEY_LEN))
            return 1;
    return 0;
}
