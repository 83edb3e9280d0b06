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

/* The same, and *map (from p): (*map)[k] is the offset in s of what decoded
   byte k came from (a reference's '&' for each of its bytes), and
   (*map)[*out_len] is n; so a run of decoded bytes that begins and ends at
   such boundaries can be taken from s as written. */
char *sri_charref_decode_attr_map(apr_pool_t *p, const char *s, size_t n,
                                  size_t *out_len, size_t **map);

#ifdef __cplusplus
}
#endif
#endif /* SRI_CHARREF_H */
