/*
 * keypin.c -- signature checks of fetched responses for key-pinned
 * entries, and the Unencoded-Digest a browser checks whatever is pinned.
 *
 * Why: see keypin.h.  No parsing or cryptography here: the three headers
 * and the decoded body go to sri_httpsig_verify(), which checks the
 * response as Chromium does (every SRI signature must verify, every known
 * Unencoded-Digest must match, the profile's components and parameters);
 * this file decides only whether one of the given keys is among the
 * signers, and words the reason for people and the JSON output.
 */
#include "keypin.h"
#include "sign/sri_httpsig.h"
#include "registry/sri_registry.h"

#include <string.h>
#include <time.h>
#include <apr_strings.h>

static const char *key_token(apr_pool_t *p, const unsigned char *pub)
{
    char b64[SRI_ED25519_B64_LEN + 1];
    sri_b64_encode(pub, SRI_ED25519_KEY_LEN, b64);
    return apr_pstrcat(p, SRI_ED25519_PREFIX, b64, NULL);
}

keypin_status keypin_check(apr_pool_t *p, const fetch_job *j,
                           const char *const *keys, int n, keypin_result *r)
{
    sri_httpsig_result res;
    int i;

    memset(r, 0, sizeof(*r));
    /* The time only matters for a signature that carries "expires". */
    sri_httpsig_verify(j->unencoded_digest, j->signature_input, j->signature,
                       j->body ? j->body : "", j->body_len,
                       (long long)time(NULL), &res);
    if (res.status == SRI_SIG_UNSIGNED) {
        r->status = KEYPIN_UNSIGNED;
        r->reason = apr_psprintf(p, "not signed (%s)", res.why);
        return r->status;
    }
    if (res.status != SRI_SIG_VALID) {
        r->status = KEYPIN_INVALID;
        r->reason = apr_psprintf(p, "invalid signature: %s", res.why);
        return r->status;
    }
    r->nsigners = res.nkeys;
    if (n == 0) {
        r->status = KEYPIN_SIGNED;
        r->signer = key_token(p, res.keys[0]);
        return r->status;
    }
    for (i = 0; i < n; i++) {
        unsigned char pub[SRI_ED25519_KEY_LEN];
        if (sri_ed25519_token_parse(keys[i], strlen(keys[i]), pub, NULL)
            && sri_httpsig_signed_by(&res, pub)) {
            r->status = KEYPIN_SIGNED;
            r->signer = keys[i];
            return r->status;
        }
    }
    r->status = KEYPIN_OTHER_KEY;
    r->signer = key_token(p, res.keys[0]);
    r->reason = apr_psprintf(p, "signed by %s%s, not by a pinned key",
                             r->signer, res.nkeys > 1 ? " and others" : "");
    return r->status;
}

const char *keypin_refused(const fetch_job *j)
{
    if (!j->ok || j->not_modified || !j->body)
        return NULL;
    return sri_unencoded_digest_refusal(j->unencoded_digest, j->body,
                                        j->body_len);
}

apr_array_header_t *keypin_keys(apr_pool_t *p, const apr_array_header_t *a)
{
    apr_array_header_t *out = apr_array_make(p, 2, sizeof(const char *));
    int i;

    for (i = 0; i < a->nelts; i++) {
        const char *tok = APR_ARRAY_IDX(a, i, sri_reg_token).token;
        if (sri_pin_token(tok, strlen(tok), NULL) == SRI_PIN_KEY)
            APR_ARRAY_PUSH(out, const char *) = tok;
    }
    return out;
}

int keypin_parse_arg(const char *arg, char *out)
{
    char err[512];
    const char *why = NULL;
    sri_ed25519_key *k;
    int rc;

    if (!strncmp(arg, SRI_ED25519_PREFIX, strlen(SRI_ED25519_PREFIX))) {
        if (!sri_ed25519_token_parse(arg, strlen(arg), NULL, &why)) {
            tool_err("bad key token '%s': %s", arg, why);
            return EXIT_LOCAL;
        }
        apr_cpystrn(out, arg, SRI_ED25519_TOKEN_LEN + 1);
        return 0;
    }
    if (!(k = sri_ed25519_read_public(arg, err, sizeof(err)))) {
        tool_err("--key: %s (give a key file or an ed25519- token)", err);
        return EXIT_LOCAL;
    }
    rc = sri_ed25519_token(k, out);
    sri_ed25519_free(k);
    if (rc) {
        tool_err("--key: %s: cannot read the public key", arg);
        return EXIT_LOCAL;
    }
    return 0;
}
