/*
 * sri_integrity.c -- SRI tokens: validation, hashing, "strongest algorithm".
 *
 * Why: a malformed integrity value does not fail closed (browsers skip tokens
 * they cannot parse), so every token mod_sri reads from its registry or
 * writes into a page must be exactly what a browser compares.  Two levels of
 * strictness, on purpose (see docs/registry-format.md, "Tokens"):
 *
 *  - sri_token_valid() is what we WRITE and what the registry may contain:
 *    lower-case algorithm (sha256|sha384|sha512), '-', canonical standard
 *    base64 (alphabet A-Z a-z 0-9 + /, exact '=' padding, zero unused bits,
 *    no whitespace, no "?options"), decoding to exactly the digest length.
 *    One spelling per digest means the registry can compare tokens as strings.
 *
 *  - sri_integrity_next() reads what authors wrote in pages (and npm's
 *    dist.integrity), following the SRI spec's "parse metadata": split on
 *    ASCII whitespace, drop "?options", and a token counts for browsers
 *    when its algorithm is sha256/sha384/sha512 (lower case, as Chromium
 *    and Firefox compare it) and its digest fits the CSP grammar's
 *    base64-value.  Such a token is *usable* when its digest also decodes
 *    (standard or base64url alphabet, padding optional, zero unused bits)
 *    to exactly the digest length: only then can some bytes match it.
 *    sri_integrity_strongest() is the strongest usable algorithm;
 *    sri_integrity_compared() the strongest one browsers compare with.
 *    An attribute with no usable token pins nothing -- browsers load the
 *    resource unchecked when they skip every token (sha1-..., empty,
 *    "sha384-"), and block it whatever it serves when a token they read
 *    can never match ("sha256-xx") -- so for a registered URL the module
 *    replaces it by the approved tokens (SRI_OUTCOME_REPAIRED).
 */
#include "integrity/sri_integrity.h"
#include "sign/sri_ed25519.h"
#include "sri_text.h"

#include <string.h>
#include <stdlib.h>
#include <openssl/evp.h>

struct sri_hasher {
    EVP_MD_CTX *ctx;
    sri_algo    algo;
};

static const struct {
    const char *name;
    size_t      digest_len;
} algos[] = {
    { NULL, 0 },
    { "sha256", 32 },
    { "sha384", 48 },
    { "sha512", 64 },
};

sri_algo sri_algo_from_name(const char *name, size_t len)
{
    int a;
    for (a = SRI_ALGO_SHA256; a <= SRI_ALGO_SHA512; a++) {
        if (len == 6 && memcmp(name, algos[a].name, 6) == 0)
            return (sri_algo)a;
    }
    return SRI_ALGO_NONE;
}

const char *sri_algo_name(sri_algo a)
{
    return (a >= SRI_ALGO_SHA256 && a <= SRI_ALGO_SHA512) ? algos[a].name
                                                          : NULL;
}

size_t sri_algo_digest_len(sri_algo a)
{
    return (a >= SRI_ALGO_SHA256 && a <= SRI_ALGO_SHA512)
        ? algos[a].digest_len : 0;
}

static const EVP_MD *algo_md(sri_algo a)
{
    switch (a) {
    case SRI_ALGO_SHA256: return EVP_sha256();
    case SRI_ALGO_SHA384: return EVP_sha384();
    case SRI_ALGO_SHA512: return EVP_sha512();
    default:              return NULL;
    }
}

/* Value of one base64 character, or -1.  url: also accept '-' and '_'. */
static int b64_value(unsigned char c, int url)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || (url && c == '-')) return 62;
    if (c == '/' || (url && c == '_')) return 63;
    return -1;
}

/* Check that s[0,len) is base64 of exactly want bytes.  strict: standard
   alphabet, exact padding, zero unused bits.  Otherwise: base64url letters
   too and padding optional (but never wrong).  Returns NULL or a reason. */
static const char *check_base64(const char *s, size_t len, size_t want,
                                int strict)
{
    size_t data_chars = (want * 8 + 5) / 6;          /* without padding */
    size_t padded = ((want + 2) / 3) * 4;
    size_t npad = padded - data_chars;
    size_t i;
    int last;

    if (len == 0)
        return "empty digest";
    if (len != data_chars && len != padded)
        return "digest has the wrong length for its algorithm";
    if (strict && len != padded)
        return "base64 padding '=' missing";
    for (i = 0; i < data_chars; i++) {
        if (b64_value((unsigned char)s[i], !strict) < 0)
            return strict ? "not canonical base64 (allowed: A-Z a-z 0-9 + /)"
                          : "not base64";
    }
    for (; i < len; i++) {
        if (s[i] != '=')
            return "bad base64 padding";
    }
    /* Unused low bits of the last character must be zero, so that one
       digest has exactly one spelling. */
    if (npad) {
        last = b64_value((unsigned char)s[data_chars - 1], !strict);
        if (last & ((1 << (npad * 2)) - 1))
            return strict ? "not canonical base64 (non-zero trailing bits)"
                          : "not base64";
    }
    return NULL;
}

int sri_token_valid(const char *tok, size_t len, sri_algo *algo,
                    const char **why)
{
    const char *dash = tok ? memchr(tok, '-', len) : NULL;
    const char *reason;
    sri_algo a;

    if (!tok || len == 0) {
        if (why) *why = "empty token";
        return 0;
    }
    if (!dash) {
        if (why) *why = "no '-' between algorithm and digest";
        return 0;
    }
    a = sri_algo_from_name(tok, (size_t)(dash - tok));
    if (a == SRI_ALGO_NONE) {
        if (why) *why = "unknown algorithm (use sha256, sha384 or sha512, "
                        "in lower case)";
        return 0;
    }
    reason = check_base64(dash + 1, len - (size_t)(dash + 1 - tok),
                          sri_algo_digest_len(a), 1);
    if (reason) {
        if (why) *why = reason;
        return 0;
    }
    if (algo) *algo = a;
    if (why) *why = NULL;
    return 1;
}

/* Write "algo-" + canonical base64 of digest into out. */
static void format_token(sri_algo a, const unsigned char *digest,
                         unsigned int n, char *out)
{
    size_t nl = strlen(algos[a].name);
    memcpy(out, algos[a].name, nl);
    out[nl] = '-';
    EVP_EncodeBlock((unsigned char *)out + nl + 1, digest, (int)n);
}

int sri_hash_buffer(sri_algo a, const void *data, size_t len, char *out)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    const EVP_MD *md = algo_md(a);

    if (!md || !EVP_Digest(data, len, digest, &n, md, NULL))
        return -1;
    format_token(a, digest, n, out);
    return 0;
}

sri_hasher *sri_hasher_new(sri_algo a)
{
    const EVP_MD *md = algo_md(a);
    sri_hasher *h;

    if (!md)
        return NULL;
    h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->algo = a;
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || !EVP_DigestInit_ex(h->ctx, md, NULL)) {
        sri_hasher_free(h);
        return NULL;
    }
    return h;
}

int sri_hasher_update(sri_hasher *h, const void *data, size_t len)
{
    return (h && EVP_DigestUpdate(h->ctx, data, len)) ? 0 : -1;
}

int sri_hasher_final(sri_hasher *h, char *out)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    int rv = -1;

    if (h && EVP_DigestFinal_ex(h->ctx, digest, &n)) {
        format_token(h->algo, digest, n, out);
        rv = 0;
    }
    sri_hasher_free(h);
    return rv;
}

void sri_hasher_free(sri_hasher *h)
{
    if (h) {
        EVP_MD_CTX_free(h->ctx);
        free(h);
    }
}

/* The digest of a usable token: decode s[0,n) (standard or base64url,
   padding optional; already checked by check_base64) into out. */
static size_t decode_digest(const char *s, size_t n, unsigned char *out)
{
    size_t i, o = 0;
    unsigned long acc = 0;
    int bits = 0;

    for (i = 0; i < n && s[i] != '='; i++) {
        acc = (acc << 6) | (unsigned long)b64_value((unsigned char)s[i], 1);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1UL << bits) - 1;
        }
    }
    return o;
}

/* The CSP grammar's base64-value, which the SRI spec's hash-expression
   uses: 1*( ALPHA / DIGIT / "+" / "/" / "-" / "_" ) *2( "=" ). */
static int base64_value_grammar(const char *s, size_t n)
{
    size_t i = 0, pad = 0;

    while (i < n && b64_value((unsigned char)s[i], 1) >= 0)
        i++;
    if (i == 0)
        return 0;
    while (i < n && s[i] == '=' && pad < 2) {
        i++;
        pad++;
    }
    return i == n;
}

int sri_integrity_next(const char *value, size_t len, size_t *pos,
                       sri_metadata *m)
{
    const char *tok, *dash, *digest;
    size_t n, dn;

    if (!sri_next_token(value, len, pos, &tok, &n))
        return 0;
    m->algo = SRI_ALGO_NONE;
    m->key = 0;
    m->usable = 0;
    m->canon[0] = '\0';
    dash = memchr(tok, '-', n);
    if (!dash)
        return 1;
    digest = dash + 1;
    dn = (size_t)(tok + n - digest);
    /* "?options" are ignored by the spec; the digest ends there. */
    if (memchr(digest, '?', dn))
        dn = (size_t)((const char *)memchr(digest, '?', dn) - digest);
    if (!base64_value_grammar(digest, dn))
        return 1;
    if ((size_t)(dash - tok) == sizeof(SRI_ED25519_PREFIX) - 2 &&
        !memcmp(tok, SRI_ED25519_PREFIX, (size_t)(dash - tok))) {
        /* a signer's public key (signature-based SRI): 32 bytes */
        m->key = 1;
        if (!check_base64(digest, dn, 32, 0)) {
            unsigned char d[32];
            size_t dl = decode_digest(digest, dn, d);
            memcpy(m->canon, SRI_ED25519_PREFIX,
                   sizeof(SRI_ED25519_PREFIX) - 1);
            EVP_EncodeBlock((unsigned char *)m->canon
                            + sizeof(SRI_ED25519_PREFIX) - 1, d, (int)dl);
            m->usable = 1;
        }
        return 1;
    }
    m->algo = sri_algo_from_name(tok, (size_t)(dash - tok));
    if (m->algo != SRI_ALGO_NONE &&
        !check_base64(digest, dn, sri_algo_digest_len(m->algo), 0)) {
        unsigned char d[64];
        size_t dl = decode_digest(digest, dn, d);
        format_token(m->algo, d, (unsigned int)dl, m->canon);
        m->usable = 1;
    }
    return 1;
}

sri_algo sri_integrity_strongest(const char *value, size_t len)
{
    sri_algo best = SRI_ALGO_NONE;
    sri_metadata m;
    size_t pos = 0;

    while (sri_integrity_next(value, len, &pos, &m))
        if (m.usable && m.algo > best)
            best = m.algo;
    return best;
}

sri_algo sri_integrity_compared(const char *value, size_t len)
{
    sri_algo best = SRI_ALGO_NONE;
    sri_metadata m;
    size_t pos = 0;

    while (sri_integrity_next(value, len, &pos, &m))
        if (m.algo > best)
            best = m.algo;
    return best;
}

/* Key tokens are told apart by their prefix: a token that starts with
   "ed25519-" is judged as a key (and its reason reported as such), any
   other as a digest. */
sri_pin sri_pin_token(const char *tok, size_t len, const char **why)
{
    size_t pl = sizeof(SRI_ED25519_PREFIX) - 1;

    if (tok && len >= pl && memcmp(tok, SRI_ED25519_PREFIX, pl) == 0)
        return sri_ed25519_token_parse(tok, len, NULL, why) ? SRI_PIN_KEY
                                                            : SRI_PIN_NONE;
    return sri_token_valid(tok, len, NULL, why) ? SRI_PIN_HASH
                                                : SRI_PIN_NONE;
}
