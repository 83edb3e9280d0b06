/*
 * mod_sri.h -- what the module's glue files share (httpd side only).
 *
 * Why: the glue is split by job -- directives and hooks (mod_sri.c), the
 * output filter (sri_filter.c), headers and reports (sri_headers.c) -- and
 * they share the per-directory configuration defined here.  Nothing here is
 * used by the core library.
 */
#ifndef MOD_SRI_H
#define MOD_SRI_H

#include "httpd.h"
#include "http_config.h"
#include "util_filter.h"
#include "apr_tables.h"

#include "rewrite/sri_rewrite.h"
#include "sri_live.h"

extern module AP_MODULE_DECLARE_DATA sri_module;

#define SRI_FILTER_NAME "SRI"
#define SRI_DEFAULT_INTERVAL_SEC 5

typedef enum { SRI_IP_UNSET = -1, SRI_IP_OFF = 0, SRI_IP_REPORT,
               SRI_IP_ENFORCE } sri_ipolicy;

typedef struct {
    int                 engine;        /* -1 unset, 0 off, 1 on            */
    sri_live           *live;          /* NULL unset                       */
    int                 scope;         /* -1 unset, else sri_scope         */
    int                 unknown;       /* -1 unset, else sri_unknown       */
    int                 existing;      /* -1 unset, else sri_existing      */
    int                 crossorigin;   /* -1 unset, else sri_cors          */
    apr_interval_time_t interval;      /* -1 unset                         */
    apr_size_t          max_tag;       /* 0 unset                          */
    int                 ipolicy;       /* SRI_IP_*                         */
    const char         *ipolicy_endpoint;
    apr_array_header_t *endpoints;     /* of sri_endpoint; NULL unset      */
    const char         *report_log;    /* SRIReportLog file; NULL unset    */
} sri_dir_conf;

typedef struct {
    const char *name;
    const char *url;
} sri_endpoint;

/* Effective values (defaults applied). */
sri_policy sri_conf_policy(const sri_dir_conf *c);

/* The output filter (sri_filter.c). */
apr_status_t sri_output_filter(ap_filter_t *f, apr_bucket_brigade *bb);

/* The registry version for a request (checks the file when due). */
const sri_live_version *sri_acquire_registry(request_rec *r,
                                             const sri_dir_conf *c);

/* Per-process counters for mod_status (sri_filter.c). */
typedef struct {
    volatile apr_uint32_t responses, pinned, unknown, blocked, kept,
                          overflows, declined;
} sri_stats;
extern sri_stats sri_process_stats;

/* The per-process cache of rewritten static pages (NULL: off), and its
   bound from SRIStaticCache. */
#include "sri_cache.h"
extern sri_cache *sri_page_cache;
extern apr_size_t sri_page_cache_bytes;
#define SRI_DEFAULT_CACHE_BYTES (8 * 1024 * 1024)
#define SRI_CACHE_MAX_PAGE (1024 * 1024)

/* The ETag suffix for a registry version and policy, e.g. "-sriAbC...0100". */
const char *sri_etag_suffix(apr_pool_t *p, const sri_live_version *v,
                            const sri_dir_conf *c);
/* Append the suffix to the response's ETag (inside the quotes). */
void sri_etag_mark(request_rec *r, const char *suffix);

/* Integrity-Policy and Reporting-Endpoints headers (sri_headers.c). */
void sri_add_policy_headers(request_rec *r, const sri_dir_conf *c);
/* 1 when a Content-Security-Policy header the response will carry allows
   inline scripts by hash (rewrite/sri_csp.h): those set so far, and those
   mod_headers' `Header` directives will set in its later filter, which f
   (the SRI filter) finds after itself (sri_headers.c). */
int sri_csp_hashes_inline(ap_filter_t *f);
/* The report collector handler (sri_headers.c). */
int sri_report_handler(request_rec *r);

#endif /* MOD_SRI_H */
