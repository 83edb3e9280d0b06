/*
 * npm.c -- second-source check of CDN files against npm package tarballs.
 *
 * Why: see npm.h.  Steps: map the CDN URL to PKG, VERSION, PATH; fetch the
 * package metadata from the npm registry (configurable, so a mirror or a
 * test stand-in can serve it); fetch the tarball and check it against the
 * metadata's dist.integrity (or dist.shasum); gunzip it (with the system's
 * gzip, run without a shell) and read the tar stream ourselves to find
 * PATH; compare its hash with what the CDN served.
 */
#include "npm.h"
#include "json.h"
#include "url/sri_url.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <apr_strings.h>

#define NPM_DEFAULT_REGISTRY "https://registry.npmjs.org"
#define NPM_MAX_UNPACKED (256L * 1024 * 1024)
#define NPM_MAX_DOWNLOAD (64L * 1024 * 1024)

void npm_opts_default(apr_pool_t *p, npm_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->registry = NPM_DEFAULT_REGISTRY;
    o->cdns = apr_array_make(p, 2, sizeof(const char *));
}

int npm_option(npm_opts *o, int c, const char *arg)
{
    switch (c) {
    case NPM_OPT_NO_CHECK: o->disabled = 1; return 1;
    case NPM_OPT_REGISTRY:
        if (strncmp(arg, "https://", 8) && strncmp(arg, "http://", 7))
            return -1;
        o->registry = arg;
        return 1;
    case NPM_OPT_CDN: {
        const char *eq = strchr(arg, '=');
        if (!eq || eq == arg || (strcmp(eq + 1, "jsdelivr")
                                 && strcmp(eq + 1, "unpkg")
                                 && strcmp(eq + 1, "cdnjs")))
            return -1;
        APR_ARRAY_PUSH(o->cdns, const char *) = arg;
        return 1;
    }
    }
    return 0;
}

const char *npm_source(npm_result r)
{
    switch (r) {
    case NPM_OK:          return "npm-ok";
    case NPM_MISMATCH:    return "npm-MISMATCH";
    case NPM_BAD_TARBALL: return "npm-BAD-TARBALL";
    case NPM_NO_FILE:     return "npm-no-file";
    case NPM_UNAVAILABLE: return "npm-unavailable";
    default:              return NULL;
    }
}

int npm_is_tampering(npm_result r)
{
    return r == NPM_MISMATCH || r == NPM_BAD_TARBALL;
}

/* "1.2.3", "1.2.3-beta.1": an exact version, not a range or a tag. */
static int exact_version(const char *v)
{
    int dots = 0;
    const char *s = v;
    if (!(*s >= '0' && *s <= '9'))
        return 0;
    for (; *s && *s != '-' && *s != '+'; s++) {
        if (*s == '.')
            dots++;
        else if (*s < '0' || *s > '9')
            return 0;
    }
    return dots == 2 && s[-1] != '.';
}

static char *pct_decode(apr_pool_t *p, const char *s)
{
    char *out = apr_pstrdup(p, s), *o = out;
    for (; *s; s++) {
        if (s[0] == '%' && s[1] && s[2] && strchr("0123456789abcdefABCDEF", s[1])
            && strchr("0123456789abcdefABCDEF", s[2])) {
            char h[3] = { s[1], s[2], 0 };
            *o++ = (char)strtol(h, NULL, 16);
            s += 2;
        } else
            *o++ = *s;
    }
    *o = '\0';
    return out;
}

static const char *cdn_style(const npm_opts *no, const char *hostport)
{
    int i;
    if (!strcmp(hostport, "cdn.jsdelivr.net")
        || !strcmp(hostport, "fastly.jsdelivr.net")
        || !strcmp(hostport, "gcore.jsdelivr.net"))
        return "jsdelivr";
    if (!strcmp(hostport, "unpkg.com"))
        return "unpkg";
    if (!strcmp(hostport, "cdnjs.cloudflare.com"))
        return "cdnjs";
    for (i = 0; no->cdns && i < no->cdns->nelts; i++) {
        const char *c = APR_ARRAY_IDX(no->cdns, i, const char *);
        const char *eq = strchr(c, '=');
        if ((size_t)(eq - c) == strlen(hostport)
            && !strncasecmp(c, hostport, (size_t)(eq - c)))
            return eq + 1;
    }
    return NULL;
}

int npm_map(apr_pool_t *p, const npm_opts *no, const char *url,
            const char **pkg, const char **version, const char **path,
            int *cdnjs, int *exact)
{
    const char *h = strstr(url, "://"), *slash, *style, *rest, *at, *sl;
    char *hostport, *spec;

    *cdnjs = 0;
    *exact = 0;
    if (!h || strchr(url, '?'))
        return 0;
    h += 3;
    slash = strchr(h, '/');
    if (!slash)
        return 0;
    hostport = apr_pstrmemdup(p, h, (size_t)(slash - h));
    if (!(style = cdn_style(no, hostport)))
        return 0;
    if (!strcmp(style, "cdnjs")) {
        /* /ajax/libs/NAME/VERSION/PATH */
        const char *n, *v, *f;
        if (strncmp(slash, "/ajax/libs/", 11))
            return 0;
        n = slash + 11;
        v = strchr(n, '/');
        f = v ? strchr(v + 1, '/') : NULL;
        if (!v || !f || !f[1])
            return 0;
        *pkg = apr_pstrmemdup(p, n, (size_t)(v - n));
        *version = apr_pstrmemdup(p, v + 1, (size_t)(f - v - 1));
        *path = pct_decode(p, f + 1);
        *cdnjs = 1;
        *exact = exact_version(*version);
        return 1;
    }
    if (!strcmp(style, "jsdelivr")) {
        if (strncmp(slash, "/npm/", 5))
            return 0;
        rest = slash + 5;
    } else
        rest = slash + 1;
    /* [@scope/]name@version/path: skip the scope's '/' first. */
    sl = rest;
    if (rest[0] == '@') {
        sl = strchr(rest, '/');
        if (!sl)
            return 0;
        sl++;
    }
    sl = strchr(sl, '/');
    if (!sl || !sl[1])
        return 0;
    spec = apr_pstrmemdup(p, rest, (size_t)(sl - rest));
    at = strrchr(spec, '@');
    if (!at || at == spec)
        return 0;
    *pkg = pct_decode(p, apr_pstrmemdup(p, spec, (size_t)(at - spec)));
    *version = apr_pstrdup(p, at + 1);
    *path = pct_decode(p, sl + 1);
    *exact = exact_version(*version);
    return 1;
}

/* ---- tarball handling --------------------------------------------------- */

/* Gunzip with the system's gzip (no shell), into malloc'd memory. */
static int gunzip(apr_pool_t *p, const char *gz, size_t gzlen, char **out,
                  size_t *outlen, const char **err)
{
    char tmpl[] = "/tmp/sri-registry-npm.XXXXXX";
    int fd = mkstemp(tmpl), pfd[2];
    pid_t pid;
    size_t cap = 1 << 20, n = 0, off = 0;
    char *buf;
    int status;

    if (fd < 0) {
        *err = "cannot create a temporary file";
        return -1;
    }
    unlink(tmpl);                           /* gone when closed */
    while (off < gzlen) {
        ssize_t w = write(fd, gz + off, gzlen - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            *err = "cannot write a temporary file";
            return -1;
        }
        off += (size_t)w;
    }
    lseek(fd, 0, SEEK_SET);
    if (pipe(pfd)) {
        close(fd);
        *err = "pipe failed";
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        dup2(fd, 0);
        dup2(pfd[1], 1);
        close(pfd[0]);
        close(pfd[1]);
        close(fd);
        execlp("gzip", "gzip", "-dc", (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    close(fd);
    if (pid < 0) {
        close(pfd[0]);
        *err = "fork failed";
        return -1;
    }
    buf = malloc(cap);
    while (buf) {
        ssize_t r = read(pfd[0], buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n == cap) {
            char *nb;
            if (cap >= (size_t)NPM_MAX_UNPACKED) {
                free(buf);
                buf = NULL;
                break;
            }
            nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    close(pfd[0]);
    waitpid(pid, &status, 0);
    if (!buf || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(buf);
        *err = "the tarball is not valid gzip (or too large)";
        return -1;
    }
    *out = apr_pmemdup(p, buf, n);
    *outlen = n;
    free(buf);
    return 0;
}

static size_t octal(const char *s, size_t n)
{
    size_t v = 0, i;
    for (i = 0; i < n && (s[i] == ' ' || s[i] == '\0'); i++)
        ;
    for (; i < n && s[i] >= '0' && s[i] <= '7'; i++)
        v = v * 8 + (size_t)(s[i] - '0');
    return v;
}

/* The "path=" record of a pax extended header, or NULL. */
static char *pax_path(apr_pool_t *p, const char *d, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t len = 0, j = i;
        while (j < n && d[j] >= '0' && d[j] <= '9')
            len = len * 10 + (size_t)(d[j++] - '0');
        if (len == 0 || i + len > n || j >= n || d[j] != ' ')
            return NULL;
        if (i + len - (j + 1) > 5 && !strncmp(d + j + 1, "path=", 5))
            return apr_pstrmemdup(p, d + j + 6, i + len - (j + 6) - 1);
        i += len;
    }
    return NULL;
}

/* Find PATH in a tar stream (entries are "package/PATH"; the first path
   component is npm's wrapper directory, whatever its name). */
static int tar_find(apr_pool_t *p, const char *tar, size_t n,
                    const char *want, const char **data, size_t *len)
{
    size_t off = 0;
    char *longname = NULL;

    while (off + 512 <= n) {
        const char *h = tar + off;
        size_t size = octal(h + 124, 12);
        char type = h[156];
        char *name;
        const char *slash;

        if (h[0] == '\0')
            return 0;                           /* end of archive */
        if (off + 512 + size > n || size > n)
            return 0;                           /* truncated */
        if (type == 'x' || type == 'L') {
            longname = type == 'x' ? pax_path(p, h + 512, size)
                                   : apr_pstrmemdup(p, h + 512, strnlen(h + 512, size));
            off += 512 + ((size + 511) / 512) * 512;
            continue;
        }
        if (longname)
            name = longname;
        else if (!memcmp(h + 257, "ustar", 5) && h[345])
            name = apr_pstrcat(p, apr_pstrmemdup(p, h + 345, strnlen(h + 345, 155)),
                               "/", apr_pstrmemdup(p, h, strnlen(h, 100)), NULL);
        else
            name = apr_pstrmemdup(p, h, strnlen(h, 100));
        longname = NULL;
        slash = strchr(name, '/');
        if ((type == '0' || type == '\0' || type == '7') && slash
            && !strcmp(slash + 1, want)) {
            *data = h + 512;
            *len = size;
            return 1;
        }
        off += 512 + ((size + 511) / 512) * 512;
    }
    return 0;
}

/* Does the tarball match the metadata?  dist.integrity (SRI tokens, any
   of which may match) or, for old packages, dist.shasum (sha1 hex). */
static int tarball_ok(const char *body, size_t len, const char *integrity,
                      const char *shasum)
{
    if (integrity) {
        /* SRI metadata, read as pages' integrity attributes are */
        sri_metadata m;
        size_t pos = 0;
        char mine[SRI_TOKEN_MAX];
        while (sri_integrity_next(integrity, strlen(integrity), &pos, &m))
            if (m.usable && sri_hash_buffer(m.algo, body, len, mine) == 0
                && !strcmp(mine, m.canon))
                return 1;
        return 0;
    }
    if (shasum && strlen(shasum) == 40) {
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned int dl = 0, i;
        char hex[41];
        if (!EVP_Digest(body, len, d, &dl, EVP_sha1(), NULL) || dl != 20)
            return 0;
        for (i = 0; i < 20; i++)
            sprintf(hex + 2 * i, "%02x", d[i]);
        return !strcasecmp(hex, shasum);
    }
    return 0;
}

npm_result npm_cross_check(apr_pool_t *p, const fetch_opts *fo,
                           const npm_opts *no, const char *url,
                           const char *cdn_token, const char **detail)
{
    const char *pkg, *ver, *path, *file;
    char *pkgpath, *tarball, *integrity, *shasum, *tar, mine[SRI_TOKEN_MAX];
    size_t tarlen, flen;
    int cdnjs, exact;
    fetch_opts o = *fo;
    fetch_job j;
    sri_algo algo;
    const char *err = NULL;

    if (no->disabled || !npm_map(p, no, url, &pkg, &ver, &path, &cdnjs,
                                 &exact))
        return NPM_NOT_APPLICABLE;
    if (!exact) {
        *detail = apr_psprintf(p, "%s@%s is not an exact version", pkg, ver);
        return NPM_NO_FILE;
    }
    if (!sri_token_valid(cdn_token, strlen(cdn_token), &algo, NULL)) {
        *detail = "bad CDN token";
        return NPM_UNAVAILABLE;
    }
    /* Package metadata: scoped names keep '@' and encode the '/'. */
    pkgpath = apr_pstrdup(p, pkg);
    if (pkg[0] == '@' && strchr(pkg, '/')) {
        *strchr(pkgpath, '/') = '\0';
        pkgpath = apr_pstrcat(p, pkgpath, "%2f", strchr(pkg, '/') + 1, NULL);
    }
    memset(&j, 0, sizeof(j));
    j.url = apr_pstrcat(p, no->registry,
                        no->registry[strlen(no->registry) - 1] == '/' ? ""
                                                                      : "/",
                        pkgpath, NULL);
    j.algo = SRI_ALGO_SHA256;
    j.keep_body = 1;
    o.origin = NULL;
    o.progress = 0;
    if (o.max_size < NPM_MAX_DOWNLOAD)
        o.max_size = NPM_MAX_DOWNLOAD;
    fetch_run(p, &o, &j, 1);
    if (!j.ok) {
        *detail = apr_psprintf(p, "npm metadata %s: %s", j.url, j.error);
        return NPM_UNAVAILABLE;
    }
    {
        const char *tp[] = { "versions", ver, "dist", "tarball", NULL };
        const char *ip[] = { "versions", ver, "dist", "integrity", NULL };
        const char *sp[] = { "versions", ver, "dist", "shasum", NULL };
        json_t *meta = tool_json_parse(j.body, j.body_len);
        const char *t, *i, *s;
        if (!meta) {
            *detail = apr_psprintf(p, "npm metadata %s is not valid JSON",
                                   j.url);
            return NPM_UNAVAILABLE;
        }
        t = tool_json_path(meta, tp);
        i = tool_json_path(meta, ip);
        s = tool_json_path(meta, sp);
        tarball = t ? apr_pstrdup(p, t) : NULL;
        integrity = i ? apr_pstrdup(p, i) : NULL;
        shasum = s ? apr_pstrdup(p, s) : NULL;
        json_decref(meta);
    }
    if (!tarball) {
        *detail = apr_psprintf(p, "%s@%s is not in the npm registry", pkg,
                               ver);
        return NPM_NO_FILE;
    }
    memset(&j, 0, sizeof(j));
    j.url = tarball;
    j.algo = SRI_ALGO_SHA512;
    j.keep_body = 1;
    fetch_run(p, &o, &j, 1);
    if (!j.ok) {
        *detail = apr_psprintf(p, "npm tarball %s: %s", tarball, j.error);
        return NPM_UNAVAILABLE;
    }
    if (!tarball_ok(j.body, j.body_len, integrity, shasum)) {
        *detail = apr_psprintf(p, "the tarball %s does not match the "
                               "registry's dist.%s", tarball,
                               integrity ? "integrity" : "shasum");
        return NPM_BAD_TARBALL;
    }
    if (gunzip(p, j.body, j.body_len, &tar, &tarlen, &err)) {
        *detail = apr_psprintf(p, "%s: %s", tarball, err);
        return NPM_BAD_TARBALL;
    }
    if (!tar_find(p, tar, tarlen, path, &file, &flen)
        && !(cdnjs && tar_find(p, tar, tarlen,
                               path = apr_pstrcat(p, "dist/", path, NULL),
                               &file, &flen))) {
        *detail = apr_psprintf(p, "%s is not in %s@%s", path, pkg, ver);
        return NPM_NO_FILE;
    }
    if (sri_hash_buffer(algo, file, flen, mine)) {
        *detail = "hashing failed";
        return NPM_UNAVAILABLE;
    }
    if (strcmp(mine, cdn_token)) {
        *detail = apr_psprintf(p, "the CDN serves %s but %s@%s/%s is %s",
                               cdn_token, pkg, ver, path, mine);
        return NPM_MISMATCH;
    }
    *detail = apr_psprintf(p, "identical to %s@%s/%s in the npm registry",
                           pkg, ver, path);
    return NPM_OK;
}
