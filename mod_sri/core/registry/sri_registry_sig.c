/*
 * sri_registry_sig.c -- parse and verify REGISTRY.sig (see the header).
 *
 * Why here, in the core: the module (at startup and at every reload) and
 * `sri-registry pull` ask the same question -- "is this pair of files a
 * registry signed by a key we trust, and is it newer than ours?" -- and
 * must get the same answer.  Strict on purpose: one spelling of each line,
 * so what a verifier accepts is exactly what the signer wrote.
 */
#include "registry/sri_registry_sig.h"
#include "registry/sri_registry.h"
#include "registry/sri_registry_private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <apr_strings.h>
#include <openssl/evp.h>

const char *sri_regsig_status_text(sri_regsig_status s)
{
    switch (s) {
    case SRI_REGSIG_OK:        return "signature verified";
    case SRI_REGSIG_MISSING:   return "no signature";
    case SRI_REGSIG_MALFORMED: return "malformed signature file";
    case SRI_REGSIG_MISMATCH:  return "the registry does not match its "
                                      "signature (changed after signing)";
    case SRI_REGSIG_UNTRUSTED: return "signed by a key that is not trusted";
    case SRI_REGSIG_BAD:       return "the signature does not verify";
    case SRI_REGSIG_IOERR:     return "cannot read";
    }
    return "unknown signature status";
}

char *sri_regsig_path(apr_pool_t *p, const char *registry)
{
    return apr_pstrcat(p, registry, SRI_REGSIG_SUFFIX, NULL);
}

int sri_regsig_sha256_hex(const void *data, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0, i;

    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32)
        return -1;
    for (i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
    return 0;
}

/* Expect "PREFIX" then a value of exactly want bytes (any length when
   want is 0) then LF at *pos; the value is returned through v/vn. */
static int line(const char *t, size_t len, size_t *pos, const char *prefix,
                const char **v, size_t *vn)
{
    size_t pl = strlen(prefix), s = *pos, e;

    if (len - s < pl || memcmp(t + s, prefix, pl))
        return -1;
    s += pl;
    for (e = s; e < len && t[e] != '\n'; e++)
        ;
    if (e == len)
        return -1;                          /* no LF: truncated */
    *v = t + s;
    *vn = e - s;
    *pos = e + 1;
    return 0;
}

int sri_regsig_parse(const char *t, size_t len, sri_regsig *out,
                     const char **why)
{
    size_t pos = 0, vn, i;
    const char *v;
    unsigned char sig[3 * (88 / 4)];

    memset(out, 0, sizeof(*out));
    if (len > SRI_REGSIG_MAX) {
        *why = "too long";
        return -1;
    }
    if (memchr(t, '\0', len)) {
        *why = "NUL byte";
        return -1;
    }
    if (line(t, len, &pos, SRI_REGSIG_FORMAT, &v, &vn) || vn) {
        *why = "first line is not \"" SRI_REGSIG_FORMAT "\"";
        return -1;
    }
    if (line(t, len, &pos, "registry-sha256 ", &v, &vn) || vn != 64) {
        *why = "second line is not \"registry-sha256 <64 hex digits>\"";
        return -1;
    }
    for (i = 0; i < 64; i++) {
        if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f'))) {
            *why = "registry-sha256 is not 64 lower-case hex digits";
            return -1;
        }
    }
    memcpy(out->sha256, v, 64);
    out->sha256[64] = '\0';
    if (line(t, len, &pos, "signed-at ", &v, &vn)
        || !sri_time_valid(v, vn)) {
        *why = "third line is not \"signed-at YYYY-MM-DDTHH:MM:SSZ\"";
        return -1;
    }
    memcpy(out->signed_at, v, 20);
    out->signed_at[20] = '\0';
    if (line(t, len, &pos, "key ", &v, &vn)
        || !sri_ed25519_token_parse(v, vn, out->key, NULL)) {
        *why = "fourth line is not \"key ed25519-<base64 public key>\"";
        return -1;
    }
    memcpy(out->key_token, v, vn);
    out->key_token[vn] = '\0';
    out->signed_len = pos;
    if (line(t, len, &pos, "signature ", &v, &vn) || vn != 88
        || sri_b64_decode(v, vn, sig) != SRI_ED25519_SIG_LEN) {
        *why = "fifth line is not \"signature <base64 of 64 bytes>\"";
        return -1;
    }
    memcpy(out->sig, sig, SRI_ED25519_SIG_LEN);
    if (pos != len) {
        *why = "text after the signature line";
        return -1;
    }
    return 0;
}

sri_regsig_status sri_regsig_verify(const char *sig_text, size_t sig_len,
                                    const void *reg, size_t len,
                                    const apr_array_header_t *keys,
                                    sri_regsig *out, const char **why)
{
    sri_regsig s, *sp = out ? out : &s;
    const char *w = NULL;
    char hex[65];
    int i, known = 0;

    if (!why)
        why = &w;
    *why = NULL;
    if (sri_regsig_parse(sig_text, sig_len, sp, why))
        return SRI_REGSIG_MALFORMED;
    for (i = 0; keys && i < keys->nelts; i++)
        if (!memcmp(keys->elts + (size_t)i * SRI_ED25519_KEY_LEN, sp->key,
                    SRI_ED25519_KEY_LEN))
            known = 1;
    if (!known) {
        *why = "the key on its key line is not one of the trusted keys";
        return SRI_REGSIG_UNTRUSTED;
    }
    /* The signature first: a valid signature over another digest says
       "changed after signing", an invalid one says "forged or damaged". */
    if (sri_ed25519_verify_raw(sp->key, sig_text, sp->signed_len, sp->sig,
                               SRI_ED25519_SIG_LEN) != 1) {
        *why = "Ed25519 verification failed";
        return SRI_REGSIG_BAD;
    }
    if (sri_regsig_sha256_hex(reg, len, hex)) {
        *why = "cannot compute SHA-256";
        return SRI_REGSIG_BAD;
    }
    if (strcmp(hex, sp->sha256)) {
        *why = "registry-sha256 differs from the SHA-256 of the registry";
        return SRI_REGSIG_MISMATCH;
    }
    return SRI_REGSIG_OK;
}

/* Read a whole file (at most max bytes when max > 0) into p. */
static int slurp(apr_pool_t *p, const char *path, size_t max, char **buf,
                 size_t *len, int *eno)
{
    struct stat st;
    size_t n = 0;
    char *b;
    /* O_NONBLOCK: a FIFO put in a file's place must not hang the reader
       (the regular-file check below then refuses it). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0 || fstat(fd, &st)) {
        *eno = errno;
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (max && (size_t)st.st_size > max)) {
        *eno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
        close(fd);
        return -1;
    }
    b = apr_palloc(p, (size_t)st.st_size + 1);
    while (n < (size_t)st.st_size) {
        ssize_t r = read(fd, b + n, (size_t)st.st_size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *eno = errno;
            close(fd);
            return -1;
        }
        if (r == 0)
            break;                          /* shrank while reading */
        n += (size_t)r;
    }
    close(fd);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

sri_regsig_status sri_regsig_load(apr_pool_t *p, const char *registry,
                                  const apr_array_header_t *keys,
                                  char **reg, size_t *len, sri_regsig *out,
                                  char **err)
{
    char *sigpath = sri_regsig_path(p, registry), *sig, *r;
    size_t siglen, rlen;
    const char *why = NULL;
    sri_regsig_status st;
    int eno = 0;

    if (slurp(p, sigpath, SRI_REGSIG_MAX, &sig, &siglen, &eno)) {
        if (eno == ENOENT) {
            *err = apr_psprintf(p, "%s: no signature (%s is missing; sign "
                                "the registry with sri-registry "
                                "sign-registry)", registry, sigpath);
            return SRI_REGSIG_MISSING;
        }
        *err = apr_psprintf(p, "%s: cannot read: %s", sigpath,
                            eno == EFBIG ? "too large for a signature file"
                                         : strerror(eno));
        return eno == EFBIG ? SRI_REGSIG_MALFORMED : SRI_REGSIG_IOERR;
    }
    if (slurp(p, registry, SRI_REGISTRY_MAX_BYTES, &r, &rlen, &eno)) {
        *err = apr_psprintf(p, "%s: cannot read: %s", registry,
                            eno == EFBIG ? "file too large"
                            : eno == EINVAL ? "not a regular file"
                            : strerror(eno));
        return SRI_REGSIG_IOERR;
    }
    st = sri_regsig_verify(sig, siglen, r, rlen, keys, out, &why);
    if (st != SRI_REGSIG_OK) {
        *err = apr_psprintf(p, "%s: %s (%s: %s)", registry,
                            sri_regsig_status_text(st), sigpath,
                            why ? why : "");
        return st;
    }
    *reg = r;
    *len = rlen;
    return SRI_REGSIG_OK;
}

char *sri_regsig_text(apr_pool_t *p, const sri_regsig *s)
{
    char b64[4 * ((SRI_ED25519_SIG_LEN + 2) / 3) + 1];

    sri_b64_encode(s->sig, SRI_ED25519_SIG_LEN, b64);
    return apr_psprintf(p, SRI_REGSIG_FORMAT "\nregistry-sha256 %s\n"
                        "signed-at %s\nkey %s\nsignature %s\n", s->sha256,
                        s->signed_at, s->key_token, b64);
}

int sri_regsig_compare(const sri_regsig *cur, const sri_regsig *cand)
{
    /* Validated fixed-width UTC times compare as strings. */
    int c = strcmp(cand->signed_at, cur->signed_at);

    if (c != 0)
        return c > 0 ? 1 : -1;
    return strcmp(cand->sha256, cur->sha256) ? -1 : 0;
}

int sri_regsig_read_key(const char *path, unsigned char *raw, char *err,
                        size_t errlen)
{
    apr_pool_t *p;
    char *pem;
    size_t len;
    const char *why = NULL;
    sri_ed25519_key *k;
    int eno = 0, rv = -1;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    if (slurp(p, path, 65536, &pem, &len, &eno)) {
        snprintf(err, errlen, "%s: cannot read: %s", path,
                 eno == EFBIG ? "too large for a key file" : strerror(eno));
    } else if (strstr(pem, "PRIVATE KEY")) {
        /* Do not leave the secret in the pool's memory. */
        memset(pem, 0, len);
        snprintf(err, errlen, "%s holds a private key: give the public key "
                 "(openssl pkey -in KEY -pubout); the private key belongs "
                 "to the signer only", path);
    } else if (!(k = sri_ed25519_public_from_pem(pem, len, &why))) {
        snprintf(err, errlen, "%s: %s", path, why ? why : "invalid key");
    } else {
        rv = sri_ed25519_public_raw(k, raw);
        if (rv)
            snprintf(err, errlen, "%s: cannot read the public key", path);
        sri_ed25519_free(k);
    }
    apr_pool_destroy(p);
    return rv;
}
