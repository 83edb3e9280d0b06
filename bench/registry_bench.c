/*
 * bench/registry_bench.c -- how long a registry takes to load, and how fast
 * lookups are, in-process.
 *
 * Why: issue 6 wants 100,000 entries loaded in under 0.5 s (the module
 * reloads the file while serving) and lookups that stay O(1) as the file
 * grows, since every pinned tag costs one.  This links the core library
 * (libsricore) as the module does and times sri_registry_load() and
 * sri_registry_lookup() -- bare, and after sri_url_normalize(), which is
 * what a tag really costs -- for hits and misses.  bench/registry builds
 * and runs it; it is not a test (timings are not assertions).
 *
 * Usage: registry_bench REGISTRY [LOADS]
 * Prints one line: entries, load ms (min and median of LOADS), RSS growth
 * of one loaded copy, and lookups/s for hits and misses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "registry/sri_registry.h"
#include "url/sri_url.h"

#define HOT 64              /* URLs on a page, looked up again and again */

static double now_sec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Lookups per second over urls[0..n), repeated for at least 0.3 s.
   normalize: run sri_url_normalize() first, as the rewriter does. */
static double lookups_per_sec(apr_pool_t *p, const sri_registry *r,
                              const char **urls, int n, int normalize,
                              int want_hit, long *found)
{
    double t0 = now_sec(), t;
    long done = 0, hits = 0;
    apr_pool_t *scratch;

    apr_pool_create(&scratch, p);
    do {
        for (int i = 0; i < n; i++) {
            const char *u = urls[i];
            if (normalize)
                u = sri_url_normalize(scratch, u);
            if (u && sri_registry_lookup(r, u))
                hits++;
        }
        done += n;
        apr_pool_clear(scratch);
        t = now_sec() - t0;
    } while (t < 0.3);
    apr_pool_destroy(scratch);
    *found = hits;
    if ((want_hit && hits != done) || (!want_hit && hits != 0)) {
        fprintf(stderr, "registry_bench: %ld of %ld lookups hit, expected %s\n",
                hits, done, want_hit ? "all" : "none");
        exit(1);
    }
    return (double)done / t;
}

int main(int argc, char **argv)
{
    apr_pool_t *root, *p;
    sri_registry *reg = NULL;
    char *err = NULL;
    int loads = argc > 2 ? atoi(argv[2]) : 5, n;
    double *ms;
    long rss0, rss1, found;
    const char **hit_raw, **miss_raw;

    if (argc < 2 || loads < 1) {
        fprintf(stderr, "usage: %s REGISTRY [LOADS]\n", argv[0]);
        return 2;
    }
    apr_initialize();
    apr_pool_create(&root, NULL);
    ms = calloc((size_t)loads, sizeof(*ms));

    /* First load: the memory one loaded copy takes (pools keep freed
       memory, so this must come before the timed loads). */
    rss0 = rss_kb();
    apr_pool_create(&p, root);
    if (sri_registry_load(p, argv[1], &reg, &err) != 0) {
        fprintf(stderr, "registry_bench: %s\n", err);
        return 1;
    }
    rss1 = rss_kb();
    n = sri_registry_count(reg);

    /* Timed loads, each into a fresh pool, as a reload does. */
    for (int i = 0; i < loads; i++) {
        apr_pool_t *lp;
        sri_registry *r2 = NULL;
        double t0;

        apr_pool_create(&lp, root);
        t0 = now_sec();
        if (sri_registry_load(lp, argv[1], &r2, &err) != 0) {
            fprintf(stderr, "registry_bench: %s\n", err);
            return 1;
        }
        ms[i] = (now_sec() - t0) * 1000.0;
        apr_pool_destroy(lp);
    }
    qsort(ms, (size_t)loads, sizeof(*ms), cmp_double);

    /* Hits: entries as the file spells them (raw) and normalised.  Misses:
       the same URLs with "-missing" appended.  "hot": the first HOT
       entries only, as a page looks up the same few URLs again and again
       (cache-resident); "all": every entry once per pass (cache misses:
       memory latency, not the algorithm). */
    hit_raw = malloc(sizeof(*hit_raw) * (size_t)n);
    miss_raw = malloc(sizeof(*miss_raw) * (size_t)n);
    {
        const char **hit_norm = malloc(sizeof(*hit_norm) * (size_t)n);
        int hot = n < HOT ? n : HOT;
        double hh, hm, ha, hnh;

        /* spread the hot set over the whole registry */
        for (int i = 0; i < n; i++) {
            const sri_entry *e = sri_registry_entry(reg, i);
            hit_raw[i] = e->url_written;
            hit_norm[i] = e->url;
            miss_raw[i] = apr_pstrcat(root, e->url, "-missing", NULL);
        }
        for (int i = 0; i < hot; i++) {
            int j = (int)((long)i * n / hot);
            const char *t;
            t = hit_raw[i]; hit_raw[i] = hit_raw[j]; hit_raw[j] = t;
            t = hit_norm[i]; hit_norm[i] = hit_norm[j]; hit_norm[j] = t;
            t = miss_raw[i]; miss_raw[i] = miss_raw[j]; miss_raw[j] = t;
        }
        hh = lookups_per_sec(root, reg, hit_norm, hot, 0, 1, &found);
        hm = lookups_per_sec(root, reg, miss_raw, hot, 0, 0, &found);
        ha = lookups_per_sec(root, reg, hit_norm, n, 0, 1, &found);
        hnh = lookups_per_sec(root, reg, hit_raw, hot, 1, 1, &found);
        printf("%8d %9.1f %9.1f %8.1f %10.2f %10.2f %10.2f %10.2f\n", n,
               ms[0], ms[loads / 2], (double)(rss1 - rss0) / 1024.0,
               hh / 1e6, hm / 1e6, hnh / 1e6, ha / 1e6);
        free(hit_norm);
    }
    free(hit_raw);
    free(miss_raw);
    free(ms);
    apr_pool_destroy(root);
    apr_terminate();
    return 0;
}
