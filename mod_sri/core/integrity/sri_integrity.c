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
 *  - sri_integrity_strongest() reads what authors wrote in pages, following
 *    the SRI spec's "parse metadata" and "get the strongest metadata": split
 *    on ASCII whitespace, drop "?options", keep tokens whose algorithm is
 *    known.  We also require the value to decode (standard or base64url
 *    alphabet, padding optional, as the CSP grammar allows) to the digest
 *    length, and the algorithm to be lower case.  Being stricter than a
 *    browser here is the safe direction: a value we call invalid is replaced
 *    by the registry's (when policy says so), never trusted.
 */
#include "integrity/sri_integrity.h"
#include "sign/sri_ed25519.h"

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

/* ASCII whitespace as the SRI spec splits on (Infra: TAB LF FF CR SPACE). */
static int is_ascii_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

sri_algo sri_integrity_strongest(const char *value, size_t len)
{
    sri_algo best = SRI_ALGO_NONE;
    size_t i = 0;

    while (i < len) {
        size_t start, end, vend;
        const char *dash;
        sri_algo a;

        while (i < len && is_ascii_ws(value[i]))
            i++;
        start = i;
        while (i < len && !is_ascii_ws(value[i]))
            i++;
        end = i;
        if (start == end)
            break;
        dash = memchr(value + start, '-', end - start);
        if (!dash)
            continue;
        a = sri_algo_from_name(value + start, (size_t)(dash - value - start));
        if (a == SRI_ALGO_NONE)
            continue;
        /* "?options" are ignored by the spec; the digest ends there. */
        vend = (size_t)(dash - value) + 1;
        while (vend < end && value[vend] != '?')
            vend++;
        if (check_base64(dash + 1, vend - (size_t)(dash + 1 - value),
                         sri_algo_digest_len(a), 0))
            continue;
        if (a > best)
            best = a;
    }
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
