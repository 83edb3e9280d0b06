/*
 * fuzz_regsig.c -- libFuzzer target for the parser and verifier of
 * REGISTRY.sig (signed registries).
 *
 * Why: `sri-registry pull` fetches the .sig file from a mirror and the
 * module reads it from disk before anything is verified, so the parser
 * sees whatever a mirror or an attacker sends.  Beyond "no crash": a parse
 * that succeeds fills every field in its documented form; the verifier
 * calls the text malformed exactly when the parser refuses it, and never
 * accepts it for registry bytes it does not sign; and the input, used as
 * registry bytes and signed with a fixed key, verifies against that key,
 * against no other, and not once one byte of it is changed.
 */
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "registry/sri_registry_sig.h"
#include "sign/sri_ed25519.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int is_lower_hex(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return s[n] == '\0';
}

static apr_array_header_t *keys_of(apr_pool_t *p, const sri_ed25519_key *k)
{
    apr_array_header_t *keys = apr_array_make(p, 1, SRI_ED25519_KEY_LEN);
    if (sri_ed25519_public_raw(k, apr_array_push(keys)) != 0)
        abort();
    return keys;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static int inited;
    static sri_ed25519_key *signer, *other;
    static const char *const reg = "https://cdn.example/a.js\n";
    apr_pool_t *p;
    sri_regsig sig;
    const char *why = NULL;
    const char *text = (const char *)data;
    sri_regsig_status st;
    char *made, *err = NULL, *changed;
    size_t made_len;
    int parsed;
    const apr_array_header_t *signer_keys, *other_keys;

    if (!inited) {
        unsigned char seed[SRI_ED25519_KEY_LEN];
        apr_initialize();
        memset(seed, 7, sizeof seed);
        signer = sri_ed25519_from_seed(seed);
        memset(seed, 9, sizeof seed);
        other = sri_ed25519_from_seed(seed);
        if (!signer || !other)
            abort();
        inited = 1;
    }
    apr_pool_create(&p, NULL);
    signer_keys = keys_of(p, signer);
    other_keys = keys_of(p, other);

    /* The input as a .sig text. */
    parsed = sri_regsig_parse(text, size, &sig, &why) == 0;
    if (parsed) {
        if (why || !is_lower_hex(sig.sha256, 64)
            || strlen(sig.signed_at) != 20 || sig.signed_at[19] != 'Z'
            || strncmp(sig.key_token, SRI_ED25519_PREFIX,
                       strlen(SRI_ED25519_PREFIX)) != 0
            || strlen(sig.key_token) != SRI_ED25519_TOKEN_LEN
            || sig.signed_len == 0 || sig.signed_len > size
            || sri_regsig_compare(&sig, &sig) != 0)
            abort();
    } else if (!why) {
        abort();                        /* every refusal says why */
    }
    st = sri_regsig_verify(text, size, reg, strlen(reg), signer_keys, NULL,
                           NULL);
    if ((st == SRI_REGSIG_MALFORMED) != !parsed || st == SRI_REGSIG_OK)
        abort();                        /* nobody signed reg with the seed-7
                                           key but the code below */

    /* The input as registry bytes, signed. */
    made = sri_regsig_make(p, signer, data, size, "2026-12-02T12:00:00Z",
                           &made_len, &err);
    if (!made)
        abort();
    if (sri_regsig_verify(made, made_len, data, size, signer_keys, &sig,
                          NULL) != SRI_REGSIG_OK
        || sri_regsig_verify(made, made_len, data, size, other_keys, NULL,
                             NULL) != SRI_REGSIG_UNTRUSTED)
        abort();
    if (size > 0) {
        changed = apr_pmemdup(p, data, size);
        changed[size / 2] ^= 1;
        if (sri_regsig_verify(made, made_len, changed, size, signer_keys,
                              NULL, NULL) != SRI_REGSIG_MISMATCH)
            abort();
    }
    apr_pool_destroy(p);
    return 0;
}
