/*
 * sri_cache.h -- rewritten static pages, kept per process.
 *
 * Why: a static page is rewritten the same way every time until the file,
 * the registry or the policy changes.  Keeping the rewritten bytes under a
 * key made of all three (file identity: device, inode, size, mtime;
 * registry version; policy; document URL) turns the scan into one copy.
 * The cache is bounded in bytes; when a new page does not fit, the whole
 * cache is dropped (simple, and a full cache means a working set larger
 * than the bound anyway).  Thread-safe; plain APR, unit-tested alone.
 */
#ifndef SRI_CACHE_H
#define SRI_CACHE_H

#include <apr_pools.h>
#include "rewrite/sri_rewrite.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sri_cache sri_cache;

/* max_bytes: bound on the bytes kept (keys and pages). */
sri_cache *sri_cache_create(apr_pool_t *p, apr_size_t max_bytes);

/* On a hit, copy the page into p and return 1; else 0. */
int sri_cache_get(sri_cache *c, const char *key, apr_pool_t *p,
                  char **data, apr_size_t *len, sri_counters *counters);

/* Keep a copy of data under key (a page larger than the bound is not
   kept). */
void sri_cache_put(sri_cache *c, const char *key, const char *data,
                   apr_size_t len, const sri_counters *counters);

/* Statistics for mod_status. */
void sri_cache_stats(sri_cache *c, apr_size_t *bytes, unsigned *entries,
                     unsigned long *hits, unsigned long *misses);

#ifdef __cplusplus
}
#endif
#endif /* SRI_CACHE_H */
