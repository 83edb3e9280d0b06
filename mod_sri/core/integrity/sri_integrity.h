/*
 * sri_integrity.h -- Subresource Integrity metadata: tokens and hashing.
 *
 * Why: a malformed integrity value does not fail closed: browsers skip tokens
 * they cannot parse and, with none left, load the resource unchecked.  So
 * every token mod_sri writes or reads is validated here (known algorithm,
 * canonical base64 of exactly the digest length), and hashing uses OpenSSL's
 * EVP so that the tool and the tests compute what the browser compares.
 */
#ifndef SRI_INTEGRITY_H
#define SRI_INTEGRITY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SRI_ALGO_NONE   = 0,
    SRI_ALGO_SHA256 = 1,
    SRI_ALGO_SHA384 = 2,
    SRI_ALGO_SHA512 = 3        /* ordered by strength */
} sri_algo;

/* "sha512-" + 88 base64 chars + NUL, with room to spare */
#define SRI_TOKEN_MAX 100

/* "sha256" etc. -> algorithm; SRI_ALGO_NONE if unknown. */
sri_algo    sri_algo_from_name(const char *name, size_t len);
const char *sri_algo_name(sri_algo a);
size_t      sri_algo_digest_len(sri_algo a);

/* Validate one token "ALGO-BASE64" (no options).  Returns 1 if valid and
   sets *algo; otherwise 0 and *why (if not NULL) to a static message. */
int sri_token_valid(const char *tok, size_t len, sri_algo *algo,
                    const char **why);

/* Hash a buffer and write the token into out (SRI_TOKEN_MAX bytes).
   Returns 0 on success, -1 on an OpenSSL failure. */
int sri_hash_buffer(sri_algo a, const void *data, size_t len, char *out);

/* Streaming hasher for files and downloads. */
typedef struct sri_hasher sri_hasher;
sri_hasher *sri_hasher_new(sri_algo a);
int         sri_hasher_update(sri_hasher *h, const void *data, size_t len);
int         sri_hasher_final(sri_hasher *h, char *out); /* frees h */
void        sri_hasher_free(sri_hasher *h);

/* One token of an integrity attribute value (or of npm's dist.integrity),
   read as the SRI spec's "parse metadata" reads it: split on ASCII
   whitespace, "?options" after the digest ignored. */
typedef struct {
    sri_algo algo;      /* SRI_ALGO_NONE: not a digest browsers compare
                           (unknown or upper-case algorithm such as sha1 or
                           md5, no '-', no digest, a digest that is not
                           base64), or a key                                */
    int      key;       /* an "ed25519-" public key (signature-based SRI:
                           Chromium checks the response's signature with
                           it; browsers without it skip the token)          */
    int      usable;    /* the digest (key) decodes -- standard or
                           base64url alphabet, padding optional -- to
                           exactly the algorithm's length (32 bytes for a
                           key): some bytes (signer) can match it           */
    char     canon[SRI_TOKEN_MAX]; /* usable: the canonical spelling, as
                           the registry writes tokens ("sha384-" or
                           "ed25519-" + standard base64 with padding), so
                           tokens compare as strings                        */
} sri_metadata;

/* The next token of value[0,len) from *pos on (advanced past it) into *m;
   0 when there is none left. */
int sri_integrity_next(const char *value, size_t len, size_t *pos,
                       sri_metadata *m);

/* The strongest algorithm among the usable tokens of an integrity
   attribute value; SRI_ALGO_NONE if none is usable.  An attribute without
   a usable token pins nothing: browsers load the resource unchecked when
   they skip every token, and block it whatever it serves when a token they
   read can match no bytes (a digest of the wrong length). */
sri_algo sri_integrity_strongest(const char *value, size_t len);

/* The algorithm browsers compare with: the strongest among the tokens
   they read (algo != SRI_ALGO_NONE), usable or not.  Bytes are accepted
   only when they match a token of this algorithm. */
sri_algo sri_integrity_compared(const char *value, size_t len);

/* What a registry entry may pin: a digest ("sha384-...", sri_token_valid)
   or a signer's Ed25519 public key ("ed25519-<base64>", signature-based
   SRI; strict: sign/sri_ed25519.h).  Returns SRI_PIN_HASH or SRI_PIN_KEY
   for a valid token, SRI_PIN_NONE (and *why) otherwise. */
typedef enum { SRI_PIN_NONE = 0, SRI_PIN_HASH = 1, SRI_PIN_KEY = 2 } sri_pin;
sri_pin sri_pin_token(const char *tok, size_t len, const char **why);

#ifdef __cplusplus
}
#endif
#endif /* SRI_INTEGRITY_H */
