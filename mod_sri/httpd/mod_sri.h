/*
 * mod_sri.h -- what the module's glue files share (httpd side only).
 *
 * Why: the glue is split by job -- the module record and hooks (mod_sri.c),
 * directives (sri_config.c), the output filter (sri_filter.c), headers and
 * reports (sri_headers.c), the report log (sri_reportlog.c), encoded
 * responses (sri_encoding.c), signing what Apache serves (sri_sign.c),
 * per-process state (sri_process.c), ETags (sri_etag.c) -- and they share
 * the per-directory configuration defined here.  Calls go one way:
 * mod_sri.c calls the others; the filters and the headers call the
 * helpers below them; those call no other glue file but sri_config and
 * sri_process.  Nothing here is used by the core library.
 */
#ifndef MOD_SRI_H
#define MOD_SRI_H

#include "httpd.h"
#include "http_config.h"
#include "util_filter.h"
#include "apr_tables.h"
#include "apr_hash.h"
#include "apr_file_io.h"

#include "rewrite/sri_rewrite.h"
#include "sri_live.h"
#include "sri_cache.h"

extern module AP_MODULE_DECLARE_DATA sri_module;

#define SRI_FILTER_NAME "SRI"
#define SRI_DEFAULT_INTERVAL_SEC 5

/* One SRIReportLog target, shared by every section that names it: a file
   path (ServerRoot-relative already resolved) or "|program".  The parent
   opens it in open_logs; children write through the inherited file. */
typedef struct {
    const char *name;
    apr_file_t *file;          /* NULL until sri_report_logs_open()        */
} sri_report_log;

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
    const char         *ipolicy_header;   /* its header value, made once   */
    apr_array_header_t *endpoints;     /* of sri_endpoint; NULL unset      */
    const char         *endpoints_header; /* Reporting-Endpoints value     */
    sri_report_log     *report_log;    /* SRIReportLog; NULL unset         */
    int                 sign;          /* SRISign: -1 unset, 0 off, 1 on   */
    struct sri_ed25519_key *sign_key;  /* read by the parent at startup    */
    const char         *sign_file;     /* its path, for log lines          */
    apr_off_t           sign_max;      /* SRISignMaxBuffer; -1 unset       */
} sri_dir_conf;

typedef struct {
    const char *name;
    const char *url;
} sri_endpoint;

/* ---- sri_config.c ---- */
void *sri_create_dir_conf(apr_pool_t *p, char *dir);
void *sri_merge_dir_conf(apr_pool_t *p, void *basev, void *addv);
extern const command_rec sri_cmds[];
/* Effective values (defaults applied). */
sri_policy sri_conf_policy(const sri_dir_conf *c);
/* The registries of this configuration generation, by path (opened once
   each by SRIRegistry); NULL when none and !create. */
apr_hash_t *sri_config_registries(apr_pool_t *pconf, int create);
/* The SRIReportLog targets of this configuration generation, by name
   (file path or "|program"); NULL when none and !create. */
apr_hash_t *sri_config_report_logs(apr_pool_t *pconf, int create);
/* SRIStaticCache (server-wide); reset to the default by pre_config. */
extern apr_size_t sri_page_cache_bytes;
/* SRIRegistryKey (server config): the registry signers' public keys of
   this configuration generation (raw, elt_size 32), NULL when none; reset
   by pre_config. */
extern apr_array_header_t *sri_registry_keys;
/* With SRIRegistryKey, verify every registry's REGISTRY.sig now (the
   check_config hook: configtest and every (re)start).  NULL, or a message
   naming the file.  At a restart, a pair on disk older than the registry
   in use before it is refused (sri_config_log_refusals()) and that one
   kept. */
const char *sri_config_check_signatures(apr_pool_t *pconf, server_rec *s);
/* Keep a copy of each signed registry in use, in the process pool, for
   the next restart (post_config, and when the parent takes up a new
   version); forget those of registries no longer configured. */
void sri_config_keep_floors(server_rec *s, apr_pool_t *pconf);
/* With SRIRegistryKey, write each registry's version in use where the
   children look for the parent's copy (sri_live_publish(); with
   if_changed, only where those files are not the ones written last). */
void sri_config_publish_registries(server_rec *s, apr_pool_t *pconf,
                                   int if_changed);
/* Log what sri_config_check_signatures() refused at this restart
   (post_config: the new error log is open by then). */
void sri_config_log_refusals(server_rec *s, apr_pool_t *pconf);
/* How often the parent process takes up a changed registry, so that the
   child processes it starts begin from the newest version (by sri_live
   pointer, an apr_interval_time_t): the shortest SRIRegistryCheckInterval
   set where the registry is used at server, virtual host, <Directory> or
   <Location> level; 0 where every one is 0. */
apr_hash_t *sri_config_parent_intervals(apr_pool_t *p, server_rec *s);
#define SRI_DEFAULT_CACHE_BYTES (8 * 1024 * 1024)
#define SRI_CACHE_MAX_PAGE (1024 * 1024)

/* ---- sri_sign.c ---- (SRISign: Unencoded-Digest + Signature headers) */
#define SRI_SIGN_FILTER_NAME "SRI_SIGN"
#define SRI_SIGN_DEFAULT_MAX (1024 * 1024)
apr_status_t sri_sign_filter(ap_filter_t *f, apr_bucket_brigade *bb);
void sri_sign_insert_filter(request_rec *r);
void sri_sign_child_init(apr_pool_t *pchild);

/* ---- sri_filter.c ---- */
apr_status_t sri_output_filter(ap_filter_t *f, apr_bucket_brigade *bb);
/* Is a Content-Type one the filter rewrites (text/html, XHTML)? */
int sri_is_html_type(const char *ct);

/* ---- sri_process.c ---- */
/* The registry version for a request (checks the file when due). */
const sri_live_version *sri_acquire_registry(request_rec *r,
                                             const sri_dir_conf *c);
/* The registries of this configuration (by path) and how often the
   parent checks each (sri_config_parent_intervals()). */
void sri_process_set_registries(apr_hash_t *lives, apr_hash_t *intervals);
void sri_process_child_init(apr_pool_t *pchild);
/* The parent's monitor hook: take up changed registries that are due.
   Returns how many it took up. */
int sri_process_monitor(apr_pool_t *p, server_rec *s);
int sri_status_hook(request_rec *r, int flags);
/* 1 while this process may log another content warning (20 per 10 s). */
int sri_log_allowed(void);

/* Per-process counters for mod_status. */
typedef struct {
    volatile apr_uint32_t responses, pinned, unknown, blocked, kept,
                          overflows, declined, unprotected,
                          repaired, mismatch;
} sri_stats;
extern sri_stats sri_process_stats;

/* The per-process cache of rewritten static pages (NULL: off). */
extern sri_cache *sri_page_cache;

/* ---- sri_etag.c ---- */
/* The ETag suffix for a registry version and policy, e.g. "-sriAbC...0100". */
const char *sri_etag_suffix(apr_pool_t *p, const sri_live_version *v,
                            const sri_dir_conf *c);
/* Append the suffix to the response's ETag (inside the quotes). */
void sri_etag_mark(request_rec *r, const char *suffix);
/* Remove the current suffix from a conditional request header. */
int sri_etag_unmark(request_rec *r, const char *hdr, const char *suffix);

/* ---- sri_encoding.c ---- */
/* Fixups: the handler runs without Accept-Encoding (backends answer in
   identity); the filter's first call puts the client's header back. */
void sri_encoding_fixups(request_rec *r);
void sri_encoding_restore(request_rec *r);
/* The response's content coding, or NULL for identity. */
const char *sri_encoding_of(request_rec *r);
/* A gzip response: link mod_deflate's INFLATE right before f and return it
   (the caller passes its brigade to it); NULL when not possible. */
ap_filter_t *sri_encoding_decode_ahead(ap_filter_t *f);
/* An HTML page leaves unrewritten: warn (rate-limited), note, count. */
void sri_encoding_unprotected(request_rec *r, const char *why);

/* ---- sri_headers.c ---- */
/* Integrity-Policy and Reporting-Endpoints headers. */
void sri_add_policy_headers(request_rec *r, const sri_dir_conf *c);
/* 1 when a Content-Security-Policy header the response will carry allows
   inline scripts by hash (rewrite/sri_csp.h): those set so far, and those
   mod_headers' `Header` directives will set in its later filter, which f
   (the SRI filter) finds after itself (sri_headers.c). */
int sri_csp_hashes_inline(ap_filter_t *f);
/* The report collector handler (sri_headers.c). */
int sri_report_handler(request_rec *r);

/* ---- sri_reportlog.c ---- */
/* open_logs: open every SRIReportLog of this generation in the parent (a
   file in append mode, or a piped log); non-OK stops startup. */
int sri_report_logs_open(apr_pool_t *pconf, server_rec *s);
/* Append one line with a single write (no lock needed: O_APPEND/pipe). */
apr_status_t sri_report_log_write(const sri_report_log *l, const char *line,
                                  apr_size_t len);

#endif /* MOD_SRI_H */
