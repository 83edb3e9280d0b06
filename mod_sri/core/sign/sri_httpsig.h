/*
 * sri_httpsig.h -- signature-based SRI response headers: sign and verify.
 *
 * Why: a page that pins integrity="ed25519-<key>" runs a script only if its
 * response carries an Unencoded-Digest of the decoded body and an HTTP
 * Message Signature (RFC 9421) over that header, made with that key, in the
 * narrow profile of WICG "signature-based-sri" as Chromium enforces it.
 * The module (SRISign), the tool (sign, add --key, refresh/verify) and the
 * tests all build and check these headers here, so they agree byte for byte.
 *
 * What we write (one signature, label "sig", no created/expires so that a
 * body always gets the same headers):
 *   Unencoded-Digest: sha-512=:<base64 of SHA-512 of the identity body>:
 *   Signature-Input: sig=("unencoded-digest";sf);keyid="<base64 key>";
 *                    tag="ed25519-integrity"
 *   Signature: sig=:<base64 Ed25519 signature of the signature base>:
 * The signature base (RFC 9421 2.5) is
 *   "unencoded-digest";sf: <strict serialization of Unencoded-Digest>\n
 *   "@signature-params": ("unencoded-digest";sf);keyid="...";tag="..."
 */
#ifndef SRI_HTTPSIG_H
#define SRI_HTTPSIG_H

#include <stddef.h>
#include "integrity/sri_integrity.h"
#include "sign/sri_ed25519.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The tag the current spec and Chromium's Accept-Signature use; Chromium
   also still accepts the earlier "sri". */
#define SRI_HTTPSIG_TAG    "ed25519-integrity"
#define SRI_HTTPSIG_LABEL  "sig"

typedef struct {
    char unencoded_digest[100];   /* sha-512=:<88>: */
    char signature_input[160];
    char signature[110];          /* sig=:<88>: */
} sri_httpsig;

/* Headers for a body whose digest is already known, as an SRI token
   ("sha512-<base64>", what sri_hasher_final / sri_hash_buffer give).
   0 on success, -1 (bad token, key cannot sign). */
int sri_httpsig_from_token(const sri_ed25519_key *k, const char *hash_token,
                           sri_httpsig *out);

/* Headers for a body in memory (SHA-512). */
int sri_httpsig_sign_buffer(const sri_ed25519_key *k, const void *body,
                            size_t len, sri_httpsig *out);

/* The RFC 9421 signature base for a strictly serialized Unencoded-Digest
   value and serialized signature parameters; -1 if it does not fit. */
long sri_httpsig_base(const char *digest_sf, const char *params,
                      char *out, size_t outlen);

/* ---- verification (the tool and the tests) ------------------------------ */

typedef enum {
    SRI_SIG_UNSIGNED = 0,   /* no signature-based SRI signature at all */
    SRI_SIG_VALID    = 1,   /* every SRI signature verified, digests match */
    SRI_SIG_INVALID  = 2    /* a signature or digest failed (see why) */
} sri_sig_status;

#define SRI_HTTPSIG_MAX_KEYS 8

typedef struct {
    sri_sig_status status;
    const char    *why;                 /* static reason unless VALID */
    int            nkeys;               /* keys that validly signed */
    unsigned char  keys[SRI_HTTPSIG_MAX_KEYS][SRI_ED25519_KEY_LEN];
} sri_httpsig_result;

/* Check a response as a browser enforcing signature-based SRI does: the
   three header values (NULL when absent; several field lines joined with
   ", "), the decoded body, and the time now (seconds since the epoch, for
   "expires").  Signatures whose tag is not "ed25519-integrity" or "sri"
   are not SRI signatures and are ignored.  Every SRI signature must verify
   (profile: components ("unencoded-digest";sf) only, params keyid/tag/
   created/expires/nonce, no alg), and every Unencoded-Digest member must be
   a known algorithm matching the body.  Returns res->status. */
sri_sig_status sri_httpsig_verify(const char *unencoded_digest,
                                  const char *signature_input,
                                  const char *signature,
                                  const void *body, size_t len, long long now,
                                  sri_httpsig_result *res);

/* What a browser enforces on any response that carries Unencoded-Digest,
   whatever the page pins -- so also for a script pinned by hash only.
   Chromium (services/network unencoded_digests.cc, Blink's
   CheckUnencodedDigests) counts only members labelled sha-256 or sha-512
   whose value is a byte sequence of the right length, and refuses the
   response when one of them does not match the body; a field that does
   not parse, other labels (sha-384 among them) and other values are
   ignored (a DevTools issue, no refusal).  So this is looser than
   sri_httpsig_verify(), which checks a signed response and refuses all of
   those.  A field beyond what sri_sfv.c reads (over SFV_MAX_MEMBERS
   members or SFV_TEXT_MAX bytes) counts as one that does not parse: a
   refusal may then go unreported, never the reverse.  Returns NULL when
   the body passes, else why it is refused. */
const char *sri_unencoded_digest_refusal(const char *unencoded_digest,
                                         const void *body, size_t len);

/* 1 if res says VALID and pub is among the keys that signed. */
int sri_httpsig_signed_by(const sri_httpsig_result *res,
                          const unsigned char *pub);

#ifdef __cplusplus
}
#endif
#endif /* SRI_HTTPSIG_H */
