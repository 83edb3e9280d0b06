/*
 * sri_ed25519.c -- Ed25519 through OpenSSL EVP: keys, PEM files, signing,
 * verification, strict "ed25519-<base64>" tokens.
 *
 * Why: one small, general primitive (sign/verify arbitrary bytes) for the
 * module's SRISign, the tool's keygen/sign/add --key and, later, signed
 * registries.  No hand-written crypto: EVP_PKEY_ED25519 with a NULL digest
 * (pure Ed25519, RFC 8032 -- what browsers verify).  Parsing is strict for
 * the same reason hash tokens are (sri_integrity.c): a key token a browser
 * cannot parse is skipped, and with nothing left the script loads unchecked,
 * so one key has exactly one spelling we accept and write.
 */
#include "sign/sri_ed25519.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#define PEM_MAX (64 * 1024)

struct sri_ed25519_key {
    EVP_PKEY *pkey;
    int       has_private;
};

/* ---- base64 (canonical) ---------------------------------------------- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

size_t sri_b64_encode(const unsigned char *in, size_t n, char *out)
{
    return (size_t)EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

long sri_b64_decode(const char *s, size_t len, unsigned char *out)
{
    size_t npad = 0, i, data;
    int last, n;

    if (len % 4 || len > 0x3fffffff)
        return -1;
    if (len == 0)
        return 0;
    while (npad < 2 && s[len - 1 - npad] == '=')
        npad++;
    data = len - npad;
    for (i = 0; i < data; i++)
        if (b64_value((unsigned char)s[i]) < 0)
            return -1;
    /* Zero unused bits: one byte sequence, one spelling. */
    if (npad) {
        last = b64_value((unsigned char)s[data - 1]);
        if (last & ((1 << (npad * 2)) - 1))
            return -1;
    }
    n = EVP_DecodeBlock(out, (const unsigned char *)s, (int)len);
    if (n < 0)
        return -1;
    return (long)n - (long)npad;
}

int sri_ed25519_b64_parse(const char *s, size_t len, unsigned char *pub,
                          const char **why)
{
    unsigned char buf[33];

    if (!s || len == 0) {
        if (why) *why = "empty public key";
        return 0;
    }
    if (len != SRI_ED25519_B64_LEN) {
        if (why) *why = "an Ed25519 public key is 32 bytes: 44 base64 "
                        "characters ending in '='";
        return 0;
    }
    if (sri_b64_decode(s, len, buf) != SRI_ED25519_KEY_LEN) {
        if (why) *why = "public key is not canonical base64 (allowed: "
                        "A-Z a-z 0-9 + /, one '=', zero trailing bits)";
        return 0;
    }
    if (pub)
        memcpy(pub, buf, SRI_ED25519_KEY_LEN);
    if (why) *why = NULL;
    return 1;
}

int sri_ed25519_token_parse(const char *tok, size_t len, unsigned char *pub,
                            const char **why)
{
    size_t pl = sizeof(SRI_ED25519_PREFIX) - 1;

    if (!tok || len < pl || memcmp(tok, SRI_ED25519_PREFIX, pl) != 0) {
        if (why) *why = "not an \"ed25519-\" token (lower case)";
        return 0;
    }
    return sri_ed25519_b64_parse(tok + pl, len - pl, pub, why);
}

/* ---- keys ------------------------------------------------------------ */

static sri_ed25519_key *wrap(EVP_PKEY *pkey, int has_private)
{
    sri_ed25519_key *k;

    if (!pkey)
        return NULL;
    if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    k = calloc(1, sizeof(*k));
    if (!k) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    k->pkey = pkey;
    k->has_private = has_private;
    return k;
}

sri_ed25519_key *sri_ed25519_generate(void)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);

    if (!ctx)
        return NULL;
    if (EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_keygen(ctx, &pkey) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    return wrap(pkey, 1);
}

sri_ed25519_key *sri_ed25519_from_seed(const unsigned char *seed)
{
    return wrap(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
                                             SRI_ED25519_KEY_LEN), 1);
}

sri_ed25519_key *sri_ed25519_from_public(const unsigned char *pub)
{
    return wrap(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
                                            SRI_ED25519_KEY_LEN), 0);
}

/* A passphrase callback that refuses: an encrypted key is an error here,
   never a prompt on a terminal (httpd and the tool run unattended). */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf; (void)size; (void)rwflag; (void)u;
    return -1;
}

sri_ed25519_key *sri_ed25519_private_from_pem(const char *pem, size_t len,
                                              const char **why)
{
    BIO *bio;
    EVP_PKEY *pkey;

    if (!pem || len == 0 || len > PEM_MAX) {
        if (why) *why = "empty or oversized PEM";
        return NULL;
    }
    bio = BIO_new_mem_buf(pem, (int)len);
    if (!bio) {
        if (why) *why = "out of memory";
        return NULL;
    }
    pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
    BIO_free(bio);
    if (!pkey) {
        if (why) *why = "not an unencrypted PEM private key "
                        "(\"BEGIN PRIVATE KEY\")";
        return NULL;
    }
    if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(pkey);
        if (why) *why = "the private key is not an Ed25519 key";
        return NULL;
    }
    if (why) *why = NULL;
    return wrap(pkey, 1);
}

sri_ed25519_key *sri_ed25519_public_from_pem(const char *pem, size_t len,
                                             const char **why)
{
    BIO *bio;
    EVP_PKEY *pkey;
    unsigned char raw[SRI_ED25519_KEY_LEN];
    size_t n = sizeof(raw);

    if (!pem || len == 0 || len > PEM_MAX) {
        if (why) *why = "empty or oversized PEM";
        return NULL;
    }
    if (strstr(pem, "PRIVATE KEY-----")) {
        sri_ed25519_key *priv = sri_ed25519_private_from_pem(pem, len, why);
        sri_ed25519_key *pub = NULL;
        if (priv && sri_ed25519_public_raw(priv, raw) == 0)
            pub = sri_ed25519_from_public(raw);
        sri_ed25519_free(priv);
        return pub;
    }
    bio = BIO_new_mem_buf(pem, (int)len);
    if (!bio) {
        if (why) *why = "out of memory";
        return NULL;
    }
    pkey = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
    BIO_free(bio);
    if (!pkey || EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519
        || EVP_PKEY_get_raw_public_key(pkey, raw, &n) <= 0) {
        EVP_PKEY_free(pkey);
        if (why) *why = "not a PEM Ed25519 public key (\"BEGIN PUBLIC KEY\")";
        return NULL;
    }
    if (why) *why = NULL;
    return wrap(pkey, 0);
}

/* Read a whole small file; NULL with err set. */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    char *buf;
    size_t got = 0;

    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > PEM_MAX) {
        snprintf(err, errlen, "%s is not a regular file of at most %d bytes",
                 path, PEM_MAX);
        close(fd);
        return NULL;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        snprintf(err, errlen, "out of memory reading %s", path);
        close(fd);
        return NULL;
    }
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(err, errlen, "cannot read %s: %s", path,
                     r < 0 ? strerror(errno) : "file shrank");
            free(buf);
            close(fd);
            return NULL;
        }
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    *len = got;
    return buf;
}

static sri_ed25519_key *read_pem(const char *path, int private_key,
                                 char *err, size_t errlen)
{
    size_t len = 0;
    const char *why = NULL;
    char *pem = slurp(path, &len, err, errlen);
    sri_ed25519_key *k;

    if (!pem)
        return NULL;
    k = private_key ? sri_ed25519_private_from_pem(pem, len, &why)
                    : sri_ed25519_public_from_pem(pem, len, &why);
    /* The PEM held the private key: do not leave it in freed memory. */
    OPENSSL_cleanse(pem, len);
    free(pem);
    if (!k)
        snprintf(err, errlen, "%s: %s", path, why ? why : "invalid key");
    return k;
}

sri_ed25519_key *sri_ed25519_read_private(const char *path, char *err,
                                          size_t errlen)
{
    return read_pem(path, 1, err, errlen);
}

sri_ed25519_key *sri_ed25519_read_public(const char *path, char *err,
                                         size_t errlen)
{
    return read_pem(path, 0, err, errlen);
}

static int write_pem(const sri_ed25519_key *k, const char *path, int priv,
                     char *err, size_t errlen)
{
    BIO *mem;
    char *data = NULL;
    long n;
    size_t off = 0;
    int fd, rv = -1;

    if (!k || (priv && !k->has_private)) {
        snprintf(err, errlen, "no %s key to write", priv ? "private"
                                                          : "public");
        return -1;
    }
    mem = BIO_new(BIO_s_mem());
    if (!mem || !(priv ? PEM_write_bio_PrivateKey(mem, k->pkey, NULL, NULL,
                                                  0, NULL, NULL)
                       : PEM_write_bio_PUBKEY(mem, k->pkey))) {
        snprintf(err, errlen, "cannot encode the key as PEM");
        BIO_free(mem);
        return -1;
    }
    n = BIO_get_mem_data(mem, &data);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY,
              priv ? 0600 : 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        goto out;
    }
    /* The umask may only remove bits; make the mode exact anyway. */
    if (fchmod(fd, priv ? 0600 : 0644)) {
        snprintf(err, errlen, "cannot chmod %s: %s", path, strerror(errno));
        goto fail;
    }
    while (off < (size_t)n) {
        ssize_t w = write(fd, data + off, (size_t)n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(err, errlen, "cannot write %s: %s", path,
                     strerror(errno));
            goto fail;
        }
        off += (size_t)w;
    }
    if (fsync(fd)) {
        snprintf(err, errlen, "cannot fsync %s: %s", path, strerror(errno));
        goto fail;
    }
    if (close(fd)) {
        fd = -1;
        snprintf(err, errlen, "cannot close %s: %s", path, strerror(errno));
        goto fail;
    }
    rv = 0;
    goto out;
fail:
    if (fd >= 0)
        close(fd);
    unlink(path);
out:
    /* BIO_free releases the buffer; scrub it first (private key). */
    if (data && n > 0)
        OPENSSL_cleanse(data, (size_t)n);
    BIO_free(mem);
    return rv;
}

int sri_ed25519_write_private(const sri_ed25519_key *k, const char *path,
                              char *err, size_t errlen)
{
    return write_pem(k, path, 1, err, errlen);
}

int sri_ed25519_write_public(const sri_ed25519_key *k, const char *path,
                             char *err, size_t errlen)
{
    return write_pem(k, path, 0, err, errlen);
}

int sri_ed25519_has_private(const sri_ed25519_key *k)
{
    return k && k->has_private;
}

int sri_ed25519_public_raw(const sri_ed25519_key *k, unsigned char *out)
{
    size_t n = SRI_ED25519_KEY_LEN;

    if (!k || EVP_PKEY_get_raw_public_key(k->pkey, out, &n) <= 0
        || n != SRI_ED25519_KEY_LEN)
        return -1;
    return 0;
}

int sri_ed25519_public_b64(const sri_ed25519_key *k, char *out)
{
    unsigned char raw[SRI_ED25519_KEY_LEN];

    if (sri_ed25519_public_raw(k, raw))
        return -1;
    sri_b64_encode(raw, sizeof(raw), out);
    return 0;
}

int sri_ed25519_token(const sri_ed25519_key *k, char *out)
{
    size_t pl = sizeof(SRI_ED25519_PREFIX) - 1;

    memcpy(out, SRI_ED25519_PREFIX, pl);
    return sri_ed25519_public_b64(k, out + pl);
}

int sri_ed25519_sign(const sri_ed25519_key *k, const void *data, size_t len,
                     unsigned char *sig)
{
    EVP_MD_CTX *ctx;
    size_t siglen = SRI_ED25519_SIG_LEN;
    int rv = -1;

    if (!k || !k->has_private)
        return -1;
    ctx = EVP_MD_CTX_new();
    if (ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) > 0
        && EVP_DigestSign(ctx, sig, &siglen, data, len) > 0
        && siglen == SRI_ED25519_SIG_LEN)
        rv = 0;
    EVP_MD_CTX_free(ctx);
    return rv;
}

int sri_ed25519_verify(const sri_ed25519_key *k, const void *data,
                       size_t len, const unsigned char *sig, size_t siglen)
{
    EVP_MD_CTX *ctx;
    int rv;

    if (!k)
        return -1;
    if (siglen != SRI_ED25519_SIG_LEN)
        return 0;
    ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) <= 0) {
        EVP_MD_CTX_free(ctx);
        return -1;
    }
    rv = EVP_DigestVerify(ctx, sig, siglen, data, len);
    EVP_MD_CTX_free(ctx);
    /* 1 valid, 0 bad signature; a negative answer for a malformed
       signature is also just "invalid" to the caller. */
    return rv == 1 ? 1 : 0;
}

int sri_ed25519_verify_raw(const unsigned char *pub, const void *data,
                           size_t len, const unsigned char *sig,
                           size_t siglen)
{
    sri_ed25519_key *k = sri_ed25519_from_public(pub);
    int rv;

    if (!k)
        return 0;          /* not a point on the curve: nothing verifies */
    rv = sri_ed25519_verify(k, data, len, sig, siglen);
    sri_ed25519_free(k);
    return rv;
}

int sri_ed25519_same_public(const sri_ed25519_key *a,
                            const sri_ed25519_key *b)
{
    unsigned char ra[SRI_ED25519_KEY_LEN], rb[SRI_ED25519_KEY_LEN];

    return sri_ed25519_public_raw(a, ra) == 0
        && sri_ed25519_public_raw(b, rb) == 0
        && memcmp(ra, rb, sizeof(ra)) == 0;
}

void sri_ed25519_free(sri_ed25519_key *k)
{
    if (k) {
        EVP_PKEY_free(k->pkey);   /* OpenSSL clears private key material */
        free(k);
    }
}
