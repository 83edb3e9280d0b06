/*
 * sri_url.c -- URL resolution, normalisation and origins (WHATWG URL).
 *
 * Why: mod_sri must decide which URL the browser will fetch for a
 * <script src> or <link href>, and registry keys must be spelled the same
 * way, so both go through one parser (sri_url_parse.c).  This file is the
 * API on top of it: resolve a reference against a base with one pool
 * allocation in the common case, skip the base for absolute http(s)
 * references (which never read it), normalise, and compare origins.
 */
#include <string.h>
#include <apr_strings.h>

#include "url/sri_url.h"
#include "url/sri_url_parse.h"

/* Scratch space for the common case, so that a resolution costs one pool
   allocation (the result). */
#define SCRATCH_ON_STACK 16384

/* Does the (preprocessed) input begin with "http://" or "https://", in
   any case?  Then the base plays no part in the result: the scheme state
   goes to "special authority ignore slashes" whatever the base (base's
   scheme equal or not), and nothing after it reads the base.  Third-party
   URLs are nearly all of this form, and the base need not be parsed. */
static int absolute_http(const char *in, size_t n)
{
    size_t k = sri_url_http_scheme_len(in, n);

    return k && n - k >= 3 && in[k + 1] == '/' && in[k + 2] == '/';
}

/* One resolution with host_cap bytes for each host (0: the usual room).
   On failure, *need is the host room that was missing, or 0. */
static char *resolve_once(apr_pool_t *p, const char *base, const char *ref,
                          size_t ref_len, size_t host_cap, size_t *need)
{
    char stack[SCRATCH_ON_STACK];
    size_t base_len = base ? strlen(base) : 0;
    /* Each input byte becomes at most three (percent-encoding); a host
       can grow to an IPv4/IPv6 serialisation; base parts are copied. */
    size_t base_cap = 3 * base_len + 64;
    size_t cap = 3 * ref_len + base_cap;
    size_t extra = (host_cap > cap ? host_cap - cap : 0)
        + (base && host_cap > base_cap ? host_cap - base_cap : 0);
    size_t total = ref_len + base_len + 7 * cap + (base ? 7 * base_cap : 0)
        + extra;
    char *mem = total <= sizeof(stack) ? stack : apr_palloc(p, total);
    char *in_base = NULL, *in_ref;
    size_t n_base = 0, n_ref;
    sri_url_parts base_url, url;
    const sri_url_parts *basep = NULL;

    *need = 0;
    in_ref = mem;
    mem += ref_len;
    n_ref = sri_url_preprocess(ref, ref_len, in_ref);
    if (base && !absolute_http(in_ref, n_ref)) {
        in_base = mem;
        mem += base_len;
        n_base = sri_url_preprocess(base, base_len, in_base);
        sri_url_parts_init(&base_url, &mem, base_cap, host_cap);
        if (sri_url_parse_parts(&base_url, in_base, n_base, NULL))
            basep = &base_url;
        else if (base_url.host_need) {
            *need = base_url.host_need;       /* valid, but needs room */
            return NULL;
        }                                     /* invalid base: none */
    }
    sri_url_parts_init(&url, &mem, cap, host_cap);
    if (!sri_url_parse_parts(&url, in_ref, n_ref, basep)) {
        *need = url.host_need;
        return NULL;
    }
    return sri_url_serialize(p, &url);
}

char *sri_url_resolve(apr_pool_t *p, const char *base,
                      const char *ref, size_t ref_len)
{
    size_t host_cap = 0, need;
    int tries;

    /* The usual room fits every host but the ASCII form of a non-ASCII
       domain of many short labels; such a one is parsed again with the
       room it asked for (the base's, then the reference's host). */
    for (tries = 0; tries < 3; tries++) {
        char *url = resolve_once(p, base, ref, ref_len, host_cap, &need);
        if (url || need <= host_cap)
            return url;
        host_cap = need;
    }
    return NULL;
}

const char *sri_url_without_fragment(apr_pool_t *p, const char *url)
{
    const char *hash = strchr(url, '#');

    return hash ? apr_pstrndup(p, url, (size_t)(hash - url)) : url;
}

char *sri_url_normalize(apr_pool_t *p, const char *url)
{
    return sri_url_resolve(p, NULL, url, strlen(url));
}

/* Split a normalised URL with a tuple origin into scheme and host[:port]
   spans; 0 when the origin is opaque. */
static int origin_parts(const char *url, size_t *scheme_len,
                        const char **hostport, size_t *hostport_len)
{
    const char *colon, *auth, *end, *at, *q;
    long port;

    if (!url || !(colon = strchr(url, ':')))
        return 0;
    port = sri_url_special_port(url, (size_t)(colon - url));
    if (port < 0)
        return 0;                             /* not special, or file: */
    if (colon[1] != '/' || colon[2] != '/')
        return 0;
    auth = colon + 3;
    end = auth + strcspn(auth, "/?#");
    at = auth;
    for (q = auth; q < end; q++)
        if (*q == '@')
            at = q + 1;
    *scheme_len = (size_t)(colon - url);
    *hostport = at;
    *hostport_len = (size_t)(end - at);
    return *hostport_len > 0;
}

char *sri_url_origin(apr_pool_t *p, const char *url)
{
    size_t scheme_len, hostport_len;
    const char *hostport;
    char *out;

    if (!origin_parts(url, &scheme_len, &hostport, &hostport_len))
        return NULL;
    out = apr_palloc(p, scheme_len + 3 + hostport_len + 1);
    memcpy(out, url, scheme_len);
    memcpy(out + scheme_len, "://", 3);
    memcpy(out + scheme_len + 3, hostport, hostport_len);
    out[scheme_len + 3 + hostport_len] = '\0';
    return out;
}

int sri_url_same_origin(const char *a, const char *b)
{
    size_t sa, sb, ha, hb;
    const char *pa, *pb;

    if (!origin_parts(a, &sa, &pa, &ha) || !origin_parts(b, &sb, &pb, &hb))
        return 0;
    return sa == sb && memcmp(a, b, sa) == 0
        && ha == hb && memcmp(pa, pb, ha) == 0;
}

int sri_url_is_http(const char *url)
{
    return url && sri_url_http_scheme_len(url, strlen(url)) != 0;
}
