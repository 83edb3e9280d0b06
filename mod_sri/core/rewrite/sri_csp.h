/*
 * sri_csp.h -- does a Content-Security-Policy allow inline scripts by hash?
 *
 * Why: an import map is an inline script.  When the page's policy allows
 * inline scripts by hash ('sha256-...'), the author listed the hash of the
 * map as written; adding an "integrity" section changes its bytes, so the
 * browser would block the map -- and every module it maps.  The module
 * leaves such maps alone; this is the question it asks, answered the way
 * CSP Level 3 parses policies.
 */
#ifndef SRI_CSP_H
#define SRI_CSP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* value[0,len) is one Content-Security-Policy header value: one or more
   serialized policies separated by ','.  Returns 1 when any of them
   governs inline <script> elements with a directive -- script-src-elem,
   else script-src, else default-src (CSP3's fallback list) -- whose source
   list holds a hash source ('sha256-…', 'sha384-…' or 'sha512-…'; the
   algorithm in any case); else 0. */
int sri_csp_hashes_inline_scripts(const char *value, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* SRI_CSP_H */
