/*
 * sri_cache.c -- a byte-bounded, drop-all-when-full page cache.
 *
 * Why: see sri_cache.h.  Entries live in a subpool that is destroyed and
 * recreated when the bound would be exceeded, so memory never grows past
 * the bound plus one pool's slack, and no per-entry bookkeeping is needed.
 */
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

#include "sri_cache.h"

typedef struct {
    char         *data;
    apr_size_t    len;
    sri_counters  counters;
} cache_entry;

struct sri_cache {
    apr_pool_t         *pool;       /* owns the mutex                      */
    apr_pool_t         *store;      /* owns entries; recreated when full   */
    apr_hash_t         *map;
    apr_thread_mutex_t *mutex;
    apr_size_t          max, used;
    unsigned long       hits, misses;
};

static void reset_store(sri_cache *c)
{
    if (c->store)
        apr_pool_destroy(c->store);
    apr_pool_create(&c->store, c->pool);
    c->map = apr_hash_make(c->store);
    c->used = 0;
}

sri_cache *sri_cache_create(apr_pool_t *p, apr_size_t max_bytes)
{
    sri_cache *c = apr_pcalloc(p, sizeof(*c));

    c->pool = p;
    c->max = max_bytes;
    if (apr_thread_mutex_create(&c->mutex, APR_THREAD_MUTEX_DEFAULT, p)
        != APR_SUCCESS)
        return NULL;
    reset_store(c);
    return c;
}

int sri_cache_get(sri_cache *c, const char *key, apr_pool_t *p,
                  char **data, apr_size_t *len, sri_counters *counters)
{
    cache_entry *e;
    int hit = 0;

    apr_thread_mutex_lock(c->mutex);
    e = apr_hash_get(c->map, key, APR_HASH_KEY_STRING);
    if (e) {
        *data = apr_pmemdup(p, e->data, e->len + 1);
        *len = e->len;
        if (counters)
            *counters = e->counters;
        c->hits++;
        hit = 1;
    } else {
        c->misses++;
    }
    apr_thread_mutex_unlock(c->mutex);
    return hit;
}

void sri_cache_put(sri_cache *c, const char *key, const char *data,
                   apr_size_t len, const sri_counters *counters)
{
    apr_size_t klen = strlen(key), need = len + klen + sizeof(cache_entry);
    cache_entry *e;

    if (need > c->max)
        return;
    apr_thread_mutex_lock(c->mutex);
    if (!apr_hash_get(c->map, key, APR_HASH_KEY_STRING)) {
        if (c->used + need > c->max)
            reset_store(c);
        e = apr_palloc(c->store, sizeof(*e));
        e->data = apr_palloc(c->store, len + 1);
        memcpy(e->data, data, len);
        e->data[len] = '\0';
        e->len = len;
        if (counters)
            e->counters = *counters;
        else
            memset(&e->counters, 0, sizeof(e->counters));
        apr_hash_set(c->map, apr_pstrmemdup(c->store, key, klen), klen, e);
        c->used += need;
    }
    apr_thread_mutex_unlock(c->mutex);
}

void sri_cache_stats(sri_cache *c, apr_size_t *bytes, unsigned *entries,
                     unsigned long *hits, unsigned long *misses)
{
    apr_thread_mutex_lock(c->mutex);
    *bytes = c->used;
    *entries = apr_hash_count(c->map);
    *hits = c->hits;
    *misses = c->misses;
    apr_thread_mutex_unlock(c->mutex);
}
