/*
 * sri_ed25519.h -- Ed25519 keys, signatures and "ed25519-<base64>" tokens.
 *
 * Why: signature-based SRI pins a vendor's public key instead of a digest
 * (integrity="ed25519-<base64 of the 32-byte key>"), Apache signs what it
 * serves (SRISign), the tool generates keys and checks live signatures, and
 * signed registries (later) need the same primitive.  One place, OpenSSL EVP
 * only, general over arbitrary bytes: nothing here knows about HTTP.
 *
 * Keys are opaque (an EVP_PKEY inside).  Public keys travel as 32 raw bytes
 * or their canonical base64 (44 characters, one '='); private keys as PKCS#8
 * PEM ("BEGIN PRIVATE KEY", what `openssl genpkey -algorithm ed25519`
 * writes), public keys as SPKI PEM ("BEGIN PUBLIC KEY").
 */
#ifndef SRI_ED25519_H
#define SRI_ED25519_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SRI_ED25519_KEY_LEN   32     /* raw public key, and private seed */
#define SRI_ED25519_SIG_LEN   64
#define SRI_ED25519_B64_LEN   44     /* canonical base64 of 32 bytes */
#define SRI_ED25519_PREFIX    "ed25519-"
#define SRI_ED25519_TOKEN_LEN (8 + SRI_ED25519_B64_LEN)   /* without NUL */

typedef struct sri_ed25519_key sri_ed25519_key;

/* A new random key pair (OpenSSL's RNG).  NULL on failure. */
sri_ed25519_key *sri_ed25519_generate(void);

/* Key from raw bytes: a private key from its 32-byte seed (RFC 8032's
   "secret key"), a public-only key from its 32 bytes.  NULL on failure. */
sri_ed25519_key *sri_ed25519_from_seed(const unsigned char *seed);
sri_ed25519_key *sri_ed25519_from_public(const unsigned char *pub);

/* Key from PEM text in memory.  private_from_pem accepts an unencrypted
   PKCS#8 Ed25519 private key only; public_from_pem an SPKI public key or,
   for convenience, a private key (its public half is used).  On failure
   NULL and *why (if not NULL) set to a static message. */
sri_ed25519_key *sri_ed25519_private_from_pem(const char *pem, size_t len,
                                              const char **why);
sri_ed25519_key *sri_ed25519_public_from_pem(const char *pem, size_t len,
                                             const char **why);

/* Read a PEM file (at most 64 kB).  On failure NULL and a message
   (naming the file, with errno text where relevant) in err[errlen]. */
sri_ed25519_key *sri_ed25519_read_private(const char *path, char *err,
                                          size_t errlen);
sri_ed25519_key *sri_ed25519_read_public(const char *path, char *err,
                                         size_t errlen);

/* Write PEM files.  The private key file is created with mode 0600 and
   O_EXCL (an existing file is never overwritten), written and fsynced; the
   public key file likewise with mode 0644.  0 on success, -1 with a message
   in err[errlen]. */
int sri_ed25519_write_private(const sri_ed25519_key *k, const char *path,
                              char *err, size_t errlen);
int sri_ed25519_write_public(const sri_ed25519_key *k, const char *path,
                             char *err, size_t errlen);

/* 1 if k holds a private key (can sign), else 0. */
int sri_ed25519_has_private(const sri_ed25519_key *k);

/* Public key as 32 raw bytes / canonical base64 (out: 45 bytes, NUL
   terminated) / "ed25519-<base64>" token (out: SRI_ED25519_TOKEN_LEN + 1).
   0 on success, -1 on failure. */
int sri_ed25519_public_raw(const sri_ed25519_key *k, unsigned char *out);
int sri_ed25519_public_b64(const sri_ed25519_key *k, char *out);
int sri_ed25519_token(const sri_ed25519_key *k, char *out);

/* Sign len bytes of data (pure Ed25519, RFC 8032: deterministic).  sig gets
   SRI_ED25519_SIG_LEN bytes.  0 on success, -1 (e.g. public-only key). */
int sri_ed25519_sign(const sri_ed25519_key *k, const void *data, size_t len,
                     unsigned char *sig);

/* Verify a signature.  1 valid, 0 invalid (wrong key, data or signature),
   -1 on an OpenSSL failure.  verify_raw takes the 32-byte public key. */
int sri_ed25519_verify(const sri_ed25519_key *k, const void *data,
                       size_t len, const unsigned char *sig, size_t siglen);
int sri_ed25519_verify_raw(const unsigned char *pub, const void *data,
                           size_t len, const unsigned char *sig,
                           size_t siglen);

/* 1 if two keys have the same public key, else 0. */
int sri_ed25519_same_public(const sri_ed25519_key *a,
                            const sri_ed25519_key *b);

void sri_ed25519_free(sri_ed25519_key *k);

/* Strict parsers: s[0,len) must be the canonical base64 of exactly 32 bytes
   (44 characters, standard alphabet, one '=', zero unused bits) -- or, for
   token_parse, "ed25519-" followed by it (lower-case prefix, no "?options",
   no whitespace).  1 and pub (if not NULL) filled on success; otherwise 0
   and *why (if not NULL) set to a static message. */
int sri_ed25519_b64_parse(const char *s, size_t len, unsigned char *pub,
                          const char **why);
int sri_ed25519_token_parse(const char *tok, size_t len, unsigned char *pub,
                            const char **why);

/* Canonical base64 of n bytes into out (4*((n+2)/3) + 1 bytes, NUL
   terminated); returns the length written.  Decode: strict inverse (exact
   padding, zero unused bits, standard alphabet); returns the decoded length
   or -1.  out must hold 3*(len/4) bytes.  Exposed for the HTTP signature
   code, which base64s digests and signatures the same way. */
size_t sri_b64_encode(const unsigned char *in, size_t n, char *out);
long   sri_b64_decode(const char *s, size_t len, unsigned char *out);

#ifdef __cplusplus
}
#endif
#endif /* SRI_ED25519_H */
