/*
 * sri_url.h -- URL parsing, resolution and normalisation.
 *
 * Why: "is this script third-party, and which registry entry pins it?" must
 * be answered for the URL the browser will actually fetch.  Browsers follow
 * the WHATWG URL standard: they strip surrounding whitespace, drop tabs and
 * newlines, resolve against <base href> or the document URL, treat '\' as
 * '/' in special schemes, lower-case the host (an international one is
 * converted to ASCII by UTS #46), drop default ports and remove dot
 * segments.  Registry keys go through the same function, so that
 * https://CDN.example.org:443/a/../a.js#x and https://cdn.example.org/a.js
 * are one key, and so are https://bücher.example/ and
 * https://xn--bcher-kva.example/.  The fragment never reaches the server
 * and is dropped.
 */
#ifndef SRI_URL_H
#define SRI_URL_H

#include <stddef.h>
#include <apr_pools.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Resolve ref (an attribute value with character references already
   decoded) against base (an absolute URL, or NULL when ref must be absolute).
   Returns the serialised, normalised absolute URL without its fragment,
   allocated from p, or NULL when the result is not a valid URL (the browser
   would not fetch it either). */
char *sri_url_resolve(apr_pool_t *p, const char *base,
                      const char *ref, size_t ref_len);

/* url without its fragment (url itself when it has none; from p). */
const char *sri_url_without_fragment(apr_pool_t *p, const char *url);

/* Normalise an absolute URL (registry keys, document URLs): the same as
   sri_url_resolve(p, NULL, url, strlen(url)). */
char *sri_url_normalize(apr_pool_t *p, const char *url);

/* The ASCII serialisation of url's origin ("https://cdn.example.org",
   with ":port" when not the default), or NULL for opaque origins
   (data:, blob:, javascript:, about:, ...).  url must be normalised. */
char *sri_url_origin(apr_pool_t *p, const char *url);

/* 1 when both normalised URLs have the same (non-opaque) origin. */
int sri_url_same_origin(const char *a, const char *b);

/* 1 when the normalised URL's scheme is http or https (the only URLs the
   registry can pin). */
int sri_url_is_http(const char *url);

#ifdef __cplusplus
}
#endif
#endif /* SRI_URL_H */
