/*
 * sri_charref.h -- HTML character references in attribute values.
 *
 * Why: src="https://cdn&#46;example.org/x.js" and src="a.js?x=1&amp;y=2"
 * are what the browser fetches after decoding, so URL resolution needs the
 * decoded value.  Attribute values follow the WHATWG rules, including the
 * legacy one: a named reference without ';' followed by '=' or an ASCII
 * alphanumeric is left as written (&copy=1 stays "&copy=1").
 */
#ifndef SRI_CHARREF_H
#define SRI_CHARREF_H

#include <stddef.h>
#include <apr_pools.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Decode s[0,n) as an attribute value into UTF-8, NUL-terminated, allocated
   from p; *out_len (if not NULL) receives the length.  Never fails: invalid
   references decode as the spec says (U+FFFD, or left as text). */
char *sri_charref_decode_attr(apr_pool_t *p, const char *s, size_t n,
                              size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif /* SRI_CHARREF_H */
