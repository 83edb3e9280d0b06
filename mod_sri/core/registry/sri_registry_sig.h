/*
 * sri_registry_sig.h -- signed registries: the detached REGISTRY.sig file.
 *
 * Why: a fleet of web servers must all serve the pins one signer approved,
 * fetched from any mirror over plain HTTP(S), like apt's signed
 * repositories.  The signer (offline or CI, never a web server) writes a
 * small text file beside the registry; every server and every `pull`
 * verifies it against public keys given out of band, and refuses a
 * registry that is unsigned, altered, signed by another key, or older than
 * the one it has (rollback).  One parser and one verifier here, used by the
 * module and the tool alike.  Format and exactly what is signed:
 * docs/registry-format.md, "Signed registries".
 *
 *   format sri-registry-signature 1
 *   registry-sha256 <64 lower-case hex digits: SHA-256 of the registry bytes>
 *   signed-at <YYYY-MM-DDTHH:MM:SSZ>
 *   key ed25519-<base64 of the 32-byte public key>
 *   signature <base64 of the 64-byte Ed25519 signature>
 *
 * The signature covers the file's bytes from its start through the newline
 * that ends the `key` line (the first four lines, LF-terminated).
 */
#ifndef SRI_REGISTRY_SIG_H
#define SRI_REGISTRY_SIG_H

#include <stddef.h>
#include <apr_pools.h>
#include <apr_tables.h>
#include "sign/sri_ed25519.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRI_REGSIG_SUFFIX  ".sig"
#define SRI_REGSIG_FORMAT  "format sri-registry-signature 1"
#define SRI_REGSIG_MAX     1024     /* a .sig file is about 300 bytes */

typedef struct {
    char          sha256[65];       /* lower-case hex, NUL terminated     */
    char          signed_at[21];    /* YYYY-MM-DDTHH:MM:SSZ               */
    unsigned char key[SRI_ED25519_KEY_LEN];
    char          key_token[SRI_ED25519_TOKEN_LEN + 1];  /* ed25519-...   */
    unsigned char sig[SRI_ED25519_SIG_LEN];
    size_t        signed_len;       /* bytes of the .sig text signed      */
} sri_regsig;

typedef enum {
    SRI_REGSIG_OK = 0,
    SRI_REGSIG_MISSING,     /* no .sig file                                */
    SRI_REGSIG_MALFORMED,   /* not a signature file of this format         */
    SRI_REGSIG_MISMATCH,    /* the registry bytes are not the ones signed  */
    SRI_REGSIG_UNTRUSTED,   /* signed by a key that is not trusted         */
    SRI_REGSIG_BAD,         /* the signature does not verify               */
    SRI_REGSIG_IOERR        /* a file could not be read                    */
} sri_regsig_status;

/* A short English phrase for a status ("the signature does not verify"). */
const char *sri_regsig_status_text(sri_regsig_status s);

/* REGISTRY + ".sig", from p. */
char *sri_regsig_path(apr_pool_t *p, const char *registry);

/* SHA-256 of len bytes as 64 lower-case hex digits (out: 65 bytes).
   0, or -1 on an OpenSSL failure. */
int sri_regsig_sha256_hex(const void *data, size_t len, char *out);

/* Parse a .sig text strictly (exactly the five lines above, in that
   order, single spaces, LF line ends, nothing else).  0 and *out filled,
   or -1 with *why set to a static message.  Does not verify. */
int sri_regsig_parse(const char *text, size_t len, sri_regsig *out,
                     const char **why);

/* Verify that sig_text is a valid signature, by one of keys (an array of
   SRI_ED25519_KEY_LEN-byte raw public keys, apr_array elt_size 32), over
   exactly the len bytes at reg.  *out (if not NULL) gets the parsed
   signature whenever it parses; *why (if not NULL) a static detail. */
sri_regsig_status sri_regsig_verify(const char *sig_text, size_t sig_len,
                                    const void *reg, size_t len,
                                    const apr_array_header_t *keys,
                                    sri_regsig *out, const char **why);

/* Read REGISTRY.sig, then REGISTRY, and verify.  A reader that comes
   while a signer or a puller replaces the two files sees either a matching
   pair or SRI_REGSIG_MISMATCH (and then keeps what it has and looks again
   later); the registry bytes returned are always the ones verified.  On
   SRI_REGSIG_OK, *reg and *len hold the registry bytes (NUL terminated,
   from p).  On any other status *err is a message
   naming the file, from p.  *out as for sri_regsig_verify. */
sri_regsig_status sri_regsig_load(apr_pool_t *p, const char *registry,
                                  const apr_array_header_t *keys,
                                  char **reg, size_t *len, sri_regsig *out,
                                  char **err);

/* The .sig text of a parsed signature, from p: the same bytes as the file
   it was parsed from (the parser accepts one spelling of each line), so it
   verifies exactly when that file did.  For holding a verified pair in
   memory without the file. */
char *sri_regsig_text(apr_pool_t *p, const sri_regsig *s);

/* Rollback order of two valid signatures: > 0 when cand is newer than
   cur (later signed-at), 0 when it is the same signing (same signed-at and
   same registry digest), < 0 when it must be refused: older, or the same
   signed-at over different bytes. */
int sri_regsig_compare(const sri_regsig *cur, const sri_regsig *cand);

/* Read a public key for verification from a PEM file ("BEGIN PUBLIC
   KEY").  A file holding a private key is refused: private keys belong to
   the signer, never to the machines that verify.  0 and raw (32 bytes)
   filled, or -1 with a message naming the file in err[errlen]. */
int sri_regsig_read_key(const char *path, unsigned char *raw, char *err,
                        size_t errlen);

/* ---- Writing (libsriedit: the tool and the tests, never the module) --- */

/* The .sig text for len bytes at reg, signed by k (a private key) at
   signed_at (YYYY-MM-DDTHH:MM:SSZ).  NULL with *err on failure. */
char *sri_regsig_make(apr_pool_t *p, const sri_ed25519_key *k,
                      const void *reg, size_t len, const char *signed_at,
                      size_t *sig_len, char **err);

/* Sign the len bytes at reg (which must be what REGISTRY now holds) and
   write REGISTRY.sig safely (temp file, fsync, rename).  The signing time
   is now, or one second after the signed-at of the REGISTRY.sig already
   there when that is not earlier than now, so that successive signings
   are strictly ordered (verifiers refuse an equal time over other bytes).
   *signed_at (if not NULL) gets the time used.  0, or -1 with *err. */
int sri_regsig_write(apr_pool_t *p, const char *registry, const void *reg,
                     size_t len, const sri_ed25519_key *k, const char *now,
                     const char **signed_at, char **err);

/* Install a verified pair: both written to temp files and fsynced, then
   renamed, REGISTRY.sig first and REGISTRY last (the previous ones kept
   as REGISTRY.sig.bak and REGISTRY.bak), with SIGINT/SIGTERM/SIGHUP/
   SIGQUIT held off between the renames.  On failure the installed pair is
   left as it was.  0, or -1 with *err. */
int sri_regsig_install(apr_pool_t *p, const char *registry, const char *reg,
                       size_t len, const char *sig, size_t sig_len,
                       char **err);

#ifdef __cplusplus
}
#endif
#endif /* SRI_REGISTRY_SIG_H */
