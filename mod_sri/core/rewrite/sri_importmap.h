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
#include "registry/sri_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Plan the edit for an import map's JSON text.  URLs are resolved against
   base_url.  On success returns the number of URLs pinned (0: nothing to
   do) and, when > 0, sets *off (where to insert, in json) and *ins
   (NUL-terminated text from p).  URLs already listed in an existing
   "integrity" section are left to it.  Returns -1 if json is not an
   import map we can edit safely (not a JSON object, invalid JSON, an
   "integrity" member that is not an object): the caller leaves it alone.
   With same_origin_of set (a normalised URL), URLs of that origin are not
   pinned (SRIScope third-party). */
int sri_importmap_plan(apr_pool_t *p, const char *json, size_t len,
                       const char *base_url, const sri_registry *reg,
                       const char *same_origin_of, size_t *off, char **ins);

/* The URLs the map's "imports" and "scopes" map to, resolved against
   base_url (const char *, from p; a URL ending in '/' maps a prefix), for
   `sri-registry scan`; NULL when the map is not one sri_importmap_plan()
   would edit. */
apr_array_header_t *sri_importmap_urls(apr_pool_t *p, const char *json,
                                       size_t len, const char *base_url);

#ifdef __cplusplus
}
#endif
#endif /* SRI_IMPORTMAP_H */
