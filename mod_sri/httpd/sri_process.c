/*
 * sri_process.c -- what each httpd process keeps: its counters, its cache of
 * rewritten static pages, the registries of its configuration, and the
 * mod_status section that shows them.
 *
 * Why here and not in the filter or the hooks: the filter updates these and
 * the hooks create and show them; keeping the state in one file below both
 * means neither calls into the other.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"
#include "apr_hash.h"
#include "apr_atomic.h"
#include "mod_status.h"

#include "mod_sri.h"

APLOG_USE_MODULE(sri);

sri_stats sri_process_stats;
sri_cache *sri_page_cache;

/* Warnings about page content (unregistered URLs, unprotected pages) are
   rate-limited per process: a busy page must not flood the error log. */
static volatile apr_uint32_t log_window;     /* apr_time_sec / 10          */
static volatile apr_uint32_t log_count;
#define SRI_LOG_PER_10S 20

int sri_log_allowed(void)
{
    apr_uint32_t now = (apr_uint32_t)(apr_time_sec(apr_time_now()) / 10);

    if (apr_atomic_read32(&log_window) != now) {
        apr_atomic_set32(&log_window, now);
        apr_atomic_set32(&log_count, 0);
    }
    return apr_atomic_inc32(&log_count) < SRI_LOG_PER_10S;
}
/* The registries of this configuration, for mod_status and the parent's
   checks, and how often the parent checks each. */
static apr_hash_t *process_lives, *parent_intervals;

void sri_process_set_registries(apr_hash_t *lives, apr_hash_t *intervals)
{
    process_lives = lives;
    parent_intervals = intervals;
}

void sri_process_child_init(apr_pool_t *pchild)
{
    apr_hash_index_t *hi;

    sri_page_cache = sri_page_cache_bytes
                     ? sri_cache_create(pchild, sri_page_cache_bytes) : NULL;
    /* What the parent saw of bad files, this child reports itself. */
    for (hi = process_lives ? apr_hash_first(pchild, process_lives) : NULL;
         hi; hi = apr_hash_next(hi)) {
        void *val;
        apr_hash_this(hi, NULL, NULL, &val);
        sri_live_child_init(val);
    }
}

/* Why the parent checks too: a child starts with the parent's copy of each
   registry.  A parent that kept the version it started with would start
   every new child (MaxConnectionsPerChild, spare-process changes) from
   it: each new child re-reads a registry that changed since, and, with
   SRIRegistryKey, takes an older validly signed pair put back on disk
   while older children refuse it as a rollback.  So the parent takes up a
   new version as the children do, with the same checks, and says nothing
   of bad files: each child reports those itself. */
int sri_process_monitor(apr_pool_t *p, server_rec *s)
{
    apr_hash_index_t *hi;
    apr_pool_t *tmp;
    int taken = 0;

    if (!process_lives || !parent_intervals
        || apr_pool_create(&tmp, p) != APR_SUCCESS)
        return 0;
    for (hi = apr_hash_first(tmp, process_lives); hi; hi = apr_hash_next(hi)) {
        void *val;
        sri_live *live;
        const apr_interval_time_t *iv;
        const sri_live_version *v;
        unsigned long before;

        apr_hash_this(hi, NULL, NULL, &val);
        live = val;
        iv = apr_hash_get(parent_intervals, &live, sizeof(live));
        if (iv && *iv <= 0)
            continue;                   /* 0 wherever it is used: never */
        v = sri_live_acquire(live, apr_time_now(), 0, tmp, NULL);
        before = v->generation;
        sri_live_release(live, v);
        v = sri_live_acquire(live, apr_time_now(), iv ? *iv
                             : apr_time_from_sec(SRI_DEFAULT_INTERVAL_SEC),
                             tmp, NULL);
        if (v->generation != before && ++taken)
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "SRI: registry %s: "
                         "version %s%s%s, %d entries, taken up by the parent "
                         "process: child processes started from now on "
                         "begin with it", sri_live_path(live), v->id,
                         v->signed_at ? " signed at " : "",
                         v->signed_at ? v->signed_at : "", v->entries);
        sri_live_release(live, v);
    }
    apr_pool_destroy(tmp);
    return taken;
}


/* The registry version for this request, checking the file when the
   interval has passed; a reload error is logged here. */
const sri_live_version *sri_acquire_registry(request_rec *r,
                                             const sri_dir_conf *c)
{
    char *reload_err = NULL;
    const sri_live_version *v;

    v = sri_live_acquire(c->live, apr_time_now(),
            c->interval < 0 ? apr_time_from_sec(SRI_DEFAULT_INTERVAL_SEC)
                            : c->interval, r->pool, &reload_err);
    if (reload_err)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "SRI: registry %s",
                      reload_err);
    return v;
}

/* This process's counters as mod_status shows them: the ?auto key, and
   what the HTML page says after the number.  One list for both, so that a
   new counter appears in both. */
static const struct {
    const char *key, *what;
    volatile apr_uint32_t *value;
} counters[] = {
    { "SRIResponses", "pages rewritten", &sri_process_stats.responses },
    { "SRIPinned", "tags pinned", &sri_process_stats.pinned },
    { "SRIKept", "kept", &sri_process_stats.kept },
    { "SRIUnknown", "unknown", &sri_process_stats.unknown },
    { "SRIBlocked", "blocked", &sri_process_stats.blocked },
    { "SRIOverflows", "oversized", &sri_process_stats.overflows },
    { "SRIUnprotected", "HTML pages sent unprotected",
      &sri_process_stats.unprotected },
    { "SRIRepaired", "fail-open author integrities repaired",
      &sri_process_stats.repaired },
    { "SRIMismatch", "author integrities not approved (mismatch)",
      &sri_process_stats.mismatch },
};

/* mod_status: one section per registry, and this process's counters. */
int sri_status_hook(request_rec *r, int flags)
{
    apr_hash_index_t *hi;
    int brief = flags & AP_STATUS_SHORT;
    apr_size_t k;

    if (!process_lives)
        return OK;
    if (!brief)
        ap_rputs("<hr />\n<h2>mod_sri</h2>\n<dl>\n", r);
    for (hi = apr_hash_first(r->pool, process_lives); hi;
         hi = apr_hash_next(hi)) {
        void *val;
        sri_live *live;
        const sri_live_version *v;
        char stamp[APR_CTIME_LEN];

        apr_hash_this(hi, NULL, NULL, &val);
        live = val;
        v = sri_live_acquire(live, apr_time_now(), 0, r->pool, NULL);
        apr_ctime(stamp, v->loaded);
        if (brief)
            ap_rprintf(r, "SRIRegistry: %s version=%s entries=%d "
                       "generation=%lu%s%s\n", sri_live_path(live), v->id,
                       v->entries, v->generation,
                       v->signed_at ? " signed-at=" : "",
                       v->signed_at ? v->signed_at : "");
        else
            ap_rprintf(r, "<dt>Registry %s</dt><dd>version %s, %d entries, "
                       "loaded %s (generation %lu in this process)%s%s"
                       "</dd>\n",
                       ap_escape_html(r->pool, sri_live_path(live)), v->id,
                       v->entries, stamp, v->generation,
                       v->signed_at ? ", signature verified, signed at " : "",
                       v->signed_at ? v->signed_at : "");
        sri_live_release(live, v);
    }
    if (sri_page_cache) {
        apr_size_t bytes;
        unsigned entries;
        unsigned long hits, misses;
        sri_cache_stats(sri_page_cache, &bytes, &entries, &hits, &misses);
        if (brief)
            ap_rprintf(r, "SRIStaticCacheEntries: %u\nSRIStaticCacheBytes: %"
                       APR_SIZE_T_FMT "\nSRIStaticCacheHits: %lu\n"
                       "SRIStaticCacheMisses: %lu\n", entries, bytes, hits,
                       misses);
        else
            ap_rprintf(r, "<dt>Static page cache</dt><dd>%u pages, %"
                       APR_SIZE_T_FMT " bytes, %lu hits, %lu misses</dd>\n",
                       entries, bytes, hits, misses);
    }
    for (k = 0; k < sizeof counters / sizeof counters[0]; k++) {
        apr_uint32_t n = apr_atomic_read32(counters[k].value);
        if (brief)
            ap_rprintf(r, "%s: %u\n", counters[k].key, n);
        else
            ap_rprintf(r, "%s%u %s", k ? ", " : "<dt>This process</dt><dd>",
                       n, counters[k].what);
    }
    if (!brief)
        ap_rputs("</dd>\n</dl>\n", r);
    return OK;
}
