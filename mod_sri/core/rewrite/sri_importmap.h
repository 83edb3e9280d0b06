/*
 * sri_importmap.h -- integrity for modules loaded through an import map.
 *
 * Why: `import "lodash"` fetches whatever URL the page's
 * <script type="importmap"> maps "lodash" to, and no <script> tag carries
 * an integrity attribute for it.  Import maps have their own "integrity"
 * section (URL -> metadata); this adds one for every mapped URL that is in
 * the registry, by inserting text before the map's closing brace, so the
 * JSON stays valid and every other byte stays as it was.
 */
#ifndef SRI_IMPORTMAP_H
#define SRI_IMPORTMAP_H

#include <stddef.h>
#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_hash.h>
#include "registry/sri_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the plan did with the registered URLs a map maps (arrays of
   const char *, from p). */
typedef struct {
    int pinned;         /* given the registry's integrity, repaired too    */
    int repaired;       /* ... over an author's entry that pinned nothing  */
    int kept;           /* the author's entry left to stand, mismatch too  */
    int mismatch;       /* ... though it holds none of the approved tokens */
    apr_array_header_t *repaired_urls, *mismatch_urls;
    apr_array_header_t *unknown_urls;   /* http(s) URLs mapped, not in the
                                           registry (without fragment)    */
} sri_importmap_result;

/* Plan the edit for an import map's JSON text.  URLs are resolved against
   base_url.  On success returns the number of URLs pinned (0: nothing to
   do) and, when > 0, sets *off (where to insert, in json) and *ins
   (NUL-terminated text from p); *res says what was done with each
   registered URL.  An author's entry in an existing "integrity" section
   is judged as a tag's integrity attribute is (sri_author_integrity_of()):
   one that pins nothing (no usable token, an empty string) is outdone by
   ours, and so is any with replace_existing (SRIExisting replace); one
   that pins something is left to stand.  Ours go at the end of the
   section: the last entry for a URL is the one browsers use.  Returns -1
   if json is not an import map we can edit safely (not a JSON object,
   invalid JSON, an "integrity" member that is not an object or comes
   twice): the caller leaves it alone.  With same_origin_of set (a
   normalised URL), URLs of that origin are not pinned (SRIScope
   third-party). */
int sri_importmap_plan(apr_pool_t *p, const char *json, size_t len,
                       const char *base_url, const sri_registry *reg,
                       const char *same_origin_of, int replace_existing,
                       size_t *off, char **ins, sri_importmap_result *res);

/* The URLs the map's "imports" and "scopes" map to, resolved against
   base_url (const char *, from p; a URL ending in '/' maps a prefix), for
   `sri-registry scan`; NULL when the map is not one sri_importmap_plan()
   would edit.  *entries (if entries is not NULL) gets the author's
   "integrity" entries as browsers read them: resolved URL -> value. */
apr_array_header_t *sri_importmap_urls(apr_pool_t *p, const char *json,
                                       size_t len, const char *base_url,
                                       apr_hash_t **entries);

/* An sri_attrs getter whose "integrity" is the author's entry ctx (a
   value from *entries, or NULL for none): what sri_author_integrity_of()
   makes of it is what sri_importmap_plan() does. */
const char *sri_importmap_author_value(void *ctx, apr_pool_t *p,
                                       const char *lname, size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* SRI_IMPORTMAP_H */
