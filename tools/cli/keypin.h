/*
 * keypin.h -- is a fetched response validly signed by a pinned key?
 *
 * Why: a registry entry that pins a vendor's Ed25519 key ("ed25519-...")
 * accepts any body the vendor signed, so `add --key` and `refresh`/`verify`
 * must ask what a browser enforcing signature-based SRI asks -- are the
 * response's Unencoded-Digest and RFC 9421 signature valid, and made with
 * one of the pinned keys? -- and get the same answer.  The checking itself
 * is the core's sri_httpsig_verify() (the code the tests hold to Chromium's
 * behaviour); this file only maps a fetch_job and a set of key tokens onto
 * it, and says in one line why a response does not pass.
 */
#ifndef SRI_TOOL_KEYPIN_H
#define SRI_TOOL_KEYPIN_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "fetch.h"
#include "tool.h"

typedef enum {
    KEYPIN_SIGNED = 0,  /* validly signed by one of the keys (any key when
                           none was given) */
    KEYPIN_UNSIGNED,    /* no signature-based SRI signature at all */
    KEYPIN_INVALID,     /* a signature or Unencoded-Digest fails: Chromium
                           refuses the response whatever the page pins */
    KEYPIN_OTHER_KEY    /* validly signed, but by none of the keys */
} keypin_status;

typedef struct {
    keypin_status status;
    const char   *signer;    /* "ed25519-<base64>": the pinned key that
                                signed (SIGNED), the first valid signer
                                (OTHER_KEY); NULL otherwise */
    int           nsigners;  /* keys whose signatures verified */
    const char   *reason;    /* one line unless SIGNED, e.g. "not signed
                                (no Signature/Signature-Input)" */
} keypin_result;

/* Check a fetched response (j->ok, fetched with keep_body) against the
   key tokens keys[0..n) ("ed25519-..."); n == 0 accepts any valid signer
   (r->signer is then the first).  Returns r->status. */
keypin_status keypin_check(apr_pool_t *p, const fetch_job *j,
                           const char *const *keys, int n, keypin_result *r);

/* Why a browser refuses this response whatever the page pins -- its
   Unencoded-Digest does not match the body, by the rules Chromium applies
   to every response (sri_unencoded_digest_refusal(); shown in a browser
   by tests/browser/signed.sh) -- or NULL.  For entries that pin only
   hashes: the hash can match while the browser still refuses the script. */
const char *keypin_refused(const fetch_job *j);

/* The "ed25519-" tokens among an array of sri_reg_token (e->approved or
   e->pending), as an array of const char *. */
apr_array_header_t *keypin_keys(apr_pool_t *p, const apr_array_header_t *a);

/* A key given on the command line: an "ed25519-<base64>" token, or a PEM
   file holding an Ed25519 public key (KEYFILE.pub from keygen) or private
   key (its public half).  0 and the token in out (SRI_ED25519_TOKEN_LEN+1
   bytes), or EXIT_LOCAL after printing why. */
int keypin_parse_arg(const char *arg, char *out);

#endif
