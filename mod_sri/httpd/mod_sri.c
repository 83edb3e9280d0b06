/*
 * mod_sri.c -- directives, configuration merge and hooks.
 *
 * Why: the module is thin glue over the core library.  This file turns
 * directives into a per-directory configuration (errors show up in
 * `apachectl configtest`, including a registry that does not parse, with
 * file:line), inserts the SRI output filter where SRIEngine is On, and keeps
 * conditional requests right: an ETag we issued for the current registry
 * version is turned back into the handler's own before the handler compares
 * it, so 304s keep working and a registry change invalidates caches.
 */
#include <string.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"
#include "apr_hash.h"
#include "apr_lib.h"
#include "unixd.h"
#include "mod_status.h"

#include <sys/stat.h>
#include <unistd.h>

#include "mod_sri.h"

/* ---- configuration -------------------------------------------------- */

static void *create_dir_conf(apr_pool_t *p, char *dir)
{
    sri_dir_conf *c = apr_pcalloc(p, sizeof(*c));

    c->engine = -1;
    c->scope = c->unknown = c->existing = c->crossorigin = -1;
    c->interval = -1;
    c->ipolicy = SRI_IP_UNSET;
    return c;
}

#define MERGE(field, unset) (add->field != (unset) ? add->field : base->field)

static void *merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    sri_dir_conf *base = basev, *add = addv;
    sri_dir_conf *c = apr_pcalloc(p, sizeof(*c));

    c->engine = MERGE(engine, -1);
    c->live = add->live ? add->live : base->live;
    c->scope = MERGE(scope, -1);
    c->unknown = MERGE(unknown, -1);
    c->existing = MERGE(existing, -1);
    c->crossorigin = MERGE(crossorigin, -1);
    c->interval = MERGE(interval, -1);
    c->max_tag = MERGE(max_tag, 0);
    if (add->ipolicy != SRI_IP_UNSET) {
        c->ipolicy = add->ipolicy;
        c->ipolicy_endpoint = add->ipolicy_endpoint;
    } else {
        c->ipolicy = base->ipolicy;
        c->ipolicy_endpoint = base->ipolicy_endpoint;
    }
    c->endpoints = add->endpoints ? add->endpoints : base->endpoints;
    c->report_log = add->report_log ? add->report_log : base->report_log;
    return c;
}

sri_policy sri_conf_policy(const sri_dir_conf *c)
{
    sri_policy pol;

    pol.scope = c->scope < 0 ? SRI_SCOPE_THIRD_PARTY : (sri_scope)c->scope;
    pol.unknown = c->unknown < 0 ? SRI_UNKNOWN_ALLOW : (sri_unknown)c->unknown;
    pol.existing = c->existing < 0 ? SRI_EXISTING_KEEP
                                   : (sri_existing)c->existing;
    pol.crossorigin = c->crossorigin < 0 ? SRI_CORS_ANONYMOUS
                                         : (sri_cors)c->crossorigin;
    return pol;
}

/* Registries are shared by path within one configuration generation, so a
   file named by many vhosts is parsed once and reloaded once. */
static apr_hash_t *live_cache(apr_pool_t *pconf)
{
    void *data = NULL;
    apr_hash_t *h;

    apr_pool_userdata_get(&data, "sri_module.live_cache", pconf);
    if (data)
        return data;
    h = apr_hash_make(pconf);
    apr_pool_userdata_set(h, "sri_module.live_cache", apr_pool_cleanup_null,
                          pconf);
    return h;
}

static const char *cmd_engine(cmd_parms *cmd, void *dv, int on)
{
    ((sri_dir_conf *)dv)->engine = on ? 1 : 0;
    return NULL;
}

static const char *cmd_registry(cmd_parms *cmd, void *dv, const char *arg)
{
    sri_dir_conf *c = dv;
    const char *path = ap_server_root_relative(cmd->pool, arg);
    apr_hash_t *cache;
    sri_live *live;
    char *err = NULL;

    if (!path)
        return apr_psprintf(cmd->pool, "SRIRegistry: invalid path '%s'", arg);
    cache = live_cache(cmd->pool);
    live = apr_hash_get(cache, path, APR_HASH_KEY_STRING);
    if (!live) {
        if (sri_live_open(cmd->pool, path, &live, &err) != 0)
            return apr_psprintf(cmd->pool, "SRIRegistry: %s", err);
        apr_hash_set(cache, path, APR_HASH_KEY_STRING, live);
    }
    c->live = live;
    return NULL;
}

static const char *cmd_scope(cmd_parms *cmd, void *dv, const char *arg)
{
    sri_dir_conf *c = dv;

    if (!strcasecmp(arg, "third-party"))
        c->scope = SRI_SCOPE_THIRD_PARTY;
    else if (!strcasecmp(arg, "all"))
        c->scope = SRI_SCOPE_ALL;
    else
        return "SRIScope must be third-party or all";
    return NULL;
}

static const char *cmd_unknown(cmd_parms *cmd, void *dv, const char *arg)
{
    sri_dir_conf *c = dv;

    if (!strcasecmp(arg, "allow"))
        c->unknown = SRI_UNKNOWN_ALLOW;
    else if (!strcasecmp(arg, "log"))
        c->unknown = SRI_UNKNOWN_LOG;
    else if (!strcasecmp(arg, "block"))
        c->unknown = SRI_UNKNOWN_BLOCK;
    else
        return "SRIUnknown must be allow, log or block";
    return NULL;
}

static const char *cmd_existing(cmd_parms *cmd, void *dv, const char *arg)
{
    sri_dir_conf *c = dv;

    if (!strcasecmp(arg, "keep"))
        c->existing = SRI_EXISTING_KEEP;
    else if (!strcasecmp(arg, "replace"))
        c->existing = SRI_EXISTING_REPLACE;
    else
        return "SRIExisting must be keep or replace";
    return NULL;
}

static const char *cmd_crossorigin(cmd_parms *cmd, void *dv, const char *arg)
{
    sri_dir_conf *c = dv;

    if (!strcasecmp(arg, "anonymous"))
        c->crossorigin = SRI_CORS_ANONYMOUS;
    else if (!strcasecmp(arg, "use-credentials"))
        c->crossorigin = SRI_CORS_USE_CREDENTIALS;
    else
        return "SRICrossOrigin must be anonymous or use-credentials";
    return NULL;
}

static const char *parse_uint(cmd_parms *cmd, const char *arg,
                              apr_int64_t max, apr_int64_t *out)
{
    char *end;
    apr_int64_t v;

    errno = 0;
    v = apr_strtoi64(arg, &end, 10);
    if (errno || *end || end == arg || v < 0 || v > max)
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number from 0 to "
                            "%" APR_INT64_T_FMT, cmd->cmd->name, arg, max);
    *out = v;
    return NULL;
}

static const char *cmd_interval(cmd_parms *cmd, void *dv, const char *arg)
{
    apr_int64_t v;
    const char *err = parse_uint(cmd, arg, 86400 * 365, &v);

    if (err)
        return err;
    ((sri_dir_conf *)dv)->interval = apr_time_from_sec(v);
    return NULL;
}

static const char *cmd_max_tag(cmd_parms *cmd, void *dv, const char *arg)
{
    apr_int64_t v;
    const char *err = parse_uint(cmd, arg, APR_INT64_C(1) << 30, &v);

    if (err)
        return err;
    if (v < 1024)
        return "SRIMaxTagLength must be at least 1024 bytes";
    ((sri_dir_conf *)dv)->max_tag = (apr_size_t)v;
    return NULL;
}

static int token_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!apr_isalnum(*s) && *s != '-' && *s != '_')
            return 0;
    return 1;
}

static const char *cmd_ipolicy(cmd_parms *cmd, void *dv, const char *mode,
                               const char *endpoint)
{
    sri_dir_conf *c = dv;

    if (!strcasecmp(mode, "off"))
        c->ipolicy = SRI_IP_OFF;
    else if (!strcasecmp(mode, "report"))
        c->ipolicy = SRI_IP_REPORT;
    else if (!strcasecmp(mode, "enforce"))
        c->ipolicy = SRI_IP_ENFORCE;
    else
        return "SRIIntegrityPolicy must be off, report or enforce";
    if (endpoint && !token_ok(endpoint))
        return "SRIIntegrityPolicy: the endpoint name may only contain "
               "letters, digits, '-' and '_'";
    c->ipolicy_endpoint = endpoint;
    return NULL;
}

static const char *cmd_endpoint(cmd_parms *cmd, void *dv, const char *name,
                                const char *url)
{
    sri_dir_conf *c = dv;
    sri_endpoint *e;

    if (!token_ok(name))
        return "SRIReportEndpoint: the name may only contain letters, "
               "digits, '-' and '_'";
    if (strpbrk(url, "\"\\\r\n, ") || !*url)
        return "SRIReportEndpoint: the URL must not contain quotes, "
               "backslashes, commas or white space";
    if (!c->endpoints)
        c->endpoints = apr_array_make(cmd->pool, 2, sizeof(sri_endpoint));
    e = apr_array_push(c->endpoints);
    e->name = name;
    e->url = url;
    return NULL;
}

static const char *cmd_report_log(cmd_parms *cmd, void *dv, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);

    if (!path)
        return apr_psprintf(cmd->pool, "SRIReportLog: invalid path '%s'", arg);
    ((sri_dir_conf *)dv)->report_log = path;
    return NULL;
}

apr_size_t sri_page_cache_bytes = SRI_DEFAULT_CACHE_BYTES;

static const char *cmd_static_cache(cmd_parms *cmd, void *dv, const char *arg)
{
    apr_int64_t v;
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    if (err)
        return err;
    if ((err = parse_uint(cmd, arg, APR_INT64_C(1) << 32, &v)) != NULL)
        return err;
    sri_page_cache_bytes = (apr_size_t)v;
    return NULL;
}

static const command_rec sri_cmds[] = {
    AP_INIT_FLAG("SRIEngine", cmd_engine, NULL, RSRC_CONF | ACCESS_CONF,
        "On: add integrity to third-party scripts and stylesheets in HTML"),
    AP_INIT_TAKE1("SRIRegistry", cmd_registry, NULL, RSRC_CONF | ACCESS_CONF,
        "The registry file (relative to ServerRoot)"),
    AP_INIT_TAKE1("SRIScope", cmd_scope, NULL, RSRC_CONF | ACCESS_CONF,
        "third-party (default) or all (also pin same-origin URLs)"),
    AP_INIT_TAKE1("SRIUnknown", cmd_unknown, NULL, RSRC_CONF | ACCESS_CONF,
        "allow (default), log or block unregistered third-party resources"),
    AP_INIT_TAKE1("SRIExisting", cmd_existing, NULL, RSRC_CONF | ACCESS_CONF,
        "keep (default) or replace an author-written integrity attribute"),
    AP_INIT_TAKE1("SRICrossOrigin", cmd_crossorigin, NULL,
        RSRC_CONF | ACCESS_CONF,
        "anonymous (default) or use-credentials, for tags without one"),
    AP_INIT_TAKE1("SRIRegistryCheckInterval", cmd_interval, NULL,
        RSRC_CONF | ACCESS_CONF,
        "Seconds between checks of the registry file (0: only at restart)"),
    AP_INIT_TAKE1("SRIMaxTagLength", cmd_max_tag, NULL,
        RSRC_CONF | ACCESS_CONF,
        "Longest <script>/<link> tag held for rewriting, in bytes"),
    AP_INIT_TAKE12("SRIIntegrityPolicy", cmd_ipolicy, NULL,
        RSRC_CONF | ACCESS_CONF,
        "off, report or enforce, and an optional reporting endpoint name"),
    AP_INIT_TAKE2("SRIReportEndpoint", cmd_endpoint, NULL,
        RSRC_CONF | ACCESS_CONF,
        "A Reporting-Endpoints entry: NAME URL"),
    AP_INIT_TAKE1("SRIStaticCache", cmd_static_cache, NULL, RSRC_CONF,
        "Bytes of rewritten static pages kept per child process (0: off)"),
    AP_INIT_TAKE1("SRIReportLog", cmd_report_log, NULL,
        RSRC_CONF | ACCESS_CONF,
        "File where the sri-report handler appends browser reports"),
    { NULL }
};

/* ---- ETags and conditional requests ---------------------------------- */

const char *sri_etag_suffix(apr_pool_t *p, const sri_live_version *v,
                            const sri_dir_conf *c)
{
    sri_policy pol = sri_conf_policy(c);

    return apr_psprintf(p, "-sri%s%d%d%d%d", v ? v->id : "none",
                        (int)pol.scope, (int)pol.unknown, (int)pol.existing,
                        (int)pol.crossorigin);
}

void sri_etag_mark(request_rec *r, const char *suffix)
{
    const char *etag = apr_table_get(r->headers_out, "ETag");
    apr_size_t n;

    if (!etag || (n = strlen(etag)) < 2 || etag[n - 1] != '"')
        return;
    if (strstr(etag, "-sri"))
        return;                                 /* already ours */
    apr_table_setn(r->headers_out, "ETag",
                   apr_pstrcat(r->pool, apr_pstrmemdup(r->pool, etag, n - 1),
                               suffix, "\"", NULL));
}

/* Remove our suffix for the current registry version from If-None-Match
   and If-Match, so the handler compares its own validator.  A suffix of an
   older version stays, does not match, and the client gets the new page. */
static void unmark_header(request_rec *r, const char *hdr, const char *suffix)
{
    const char *v = apr_table_get(r->headers_in, hdr);
    char *copy, *hit;
    apr_size_t n = strlen(suffix);

    if (!v || !strstr(v, suffix))
        return;
    copy = apr_pstrdup(r->pool, v);
    while ((hit = strstr(copy, suffix)) != NULL)
        memmove(hit, hit + n, strlen(hit + n) + 1);
    apr_table_setn(r->headers_in, hdr, copy);
}

static int sri_fixups(request_rec *r)
{
    sri_dir_conf *c = ap_get_module_config(r->per_dir_config, &sri_module);
    const sri_live_version *v;
    const char *suffix;

    if (c->engine != 1 || !c->live)
        return DECLINED;
    if (!apr_table_get(r->headers_in, "If-None-Match") &&
        !apr_table_get(r->headers_in, "If-Match"))
        return DECLINED;
    v = sri_acquire_registry(r, c);
    suffix = sri_etag_suffix(r->pool, v, c);
    sri_live_release(c->live, v);
    unmark_header(r, "If-None-Match", suffix);
    unmark_header(r, "If-Match", suffix);
    apr_table_setn(r->notes, "sri-etag-suffix", suffix);
    return DECLINED;
}

/* ---- filter insertion ------------------------------------------------ */

static void sri_insert_filter(request_rec *r)
{
    sri_dir_conf *c = ap_get_module_config(r->per_dir_config, &sri_module);

    ap_filter_t *f;

    if (c->engine != 1)
        return;
    /* Already there by name (SetOutputFilter, AddOutputFilterByType)? */
    for (f = r->output_filters; f; f = f->next)
        if (f->frec && f->frec->name && !strcasecmp(f->frec->name, "sri"))
            return;
    ap_add_output_filter(SRI_FILTER_NAME, NULL, r, r->connection);
}

/* The registries of this configuration, for mod_status. */
static apr_hash_t *process_lives;

/* Whoever controls the web server process must not control the pins: warn
   when the user httpd runs as could rewrite the registry (or replace it in
   its directory). */
static void warn_if_writable(server_rec *s, const char *path)
{
    uid_t uid = geteuid() == 0 ? ap_unixd_config.user_id : geteuid();
    gid_t gid = geteuid() == 0 ? ap_unixd_config.group_id : getegid();
    const char *what[2];
    struct stat st;
    int i;

    what[0] = path;
    what[1] = ap_make_dirstr_parent(s->process->pconf, path);
    for (i = 0; i < 2; i++) {
        if (stat(what[i], &st) != 0)
            continue;
        if ((st.st_uid == uid && (st.st_mode & S_IWUSR)) ||
            (st.st_gid == gid && (st.st_mode & S_IWGRP)) ||
            (st.st_mode & S_IWOTH))
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         "SRI: %s %s is writable by the user the web server "
                         "runs as; whoever controls the web server could "
                         "change the pins", i ? "the directory of the registry"
                                              : "the registry", what[i]);
    }
}

static int sri_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    apr_hash_index_t *hi;
    void *data = NULL;

    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return OK;                      /* the first, trial configuration */
    apr_pool_userdata_get(&data, "sri_module.live_cache", pconf);
    process_lives = data;
    if (!process_lives)
        return OK;
    for (hi = apr_hash_first(ptemp, process_lives); hi; hi = apr_hash_next(hi)) {
        const void *key;
        apr_hash_this(hi, &key, NULL, NULL);
        warn_if_writable(s, key);
    }
    return OK;
}

/* mod_status: one section per registry, and this process's counters. */
static int sri_status_hook(request_rec *r, int flags)
{
    apr_hash_index_t *hi;
    int brief = flags & AP_STATUS_SHORT;

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
                       "generation=%lu\n", sri_live_path(live), v->id,
                       v->entries, v->generation);
        else
            ap_rprintf(r, "<dt>Registry %s</dt><dd>version %s, %d entries, "
                       "loaded %s (generation %lu in this process)</dd>\n",
                       ap_escape_html(r->pool, sri_live_path(live)), v->id,
                       v->entries, stamp, v->generation);
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
    if (brief)
        ap_rprintf(r, "SRIResponses: %u\nSRIPinned: %u\nSRIKept: %u\n"
                   "SRIUnknown: %u\nSRIBlocked: %u\nSRIOverflows: %u\n",
                   sri_process_stats.responses, sri_process_stats.pinned,
                   sri_process_stats.kept, sri_process_stats.unknown,
                   sri_process_stats.blocked, sri_process_stats.overflows);
    else
        ap_rprintf(r, "<dt>This process</dt><dd>%u pages rewritten, %u tags "
                   "pinned, %u kept, %u unknown, %u blocked, %u oversized"
                   "</dd>\n</dl>\n",
                   sri_process_stats.responses, sri_process_stats.pinned,
                   sri_process_stats.kept, sri_process_stats.unknown,
                   sri_process_stats.blocked, sri_process_stats.overflows);
    return OK;
}

static int sri_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp)
{
    sri_page_cache_bytes = SRI_DEFAULT_CACHE_BYTES;  /* per generation */
    return OK;
}

static void sri_child_init(apr_pool_t *pchild, server_rec *s)
{
    sri_page_cache = sri_page_cache_bytes
                     ? sri_cache_create(pchild, sri_page_cache_bytes) : NULL;
}

static void sri_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(sri_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(sri_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_register_output_filter(SRI_FILTER_NAME, sri_output_filter, NULL,
                              AP_FTYPE_RESOURCE);
    ap_hook_insert_filter(sri_insert_filter, NULL, NULL, APR_HOOK_LAST);
    ap_hook_fixups(sri_fixups, NULL, NULL, APR_HOOK_LAST);
    ap_hook_post_config(sri_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    APR_OPTIONAL_HOOK(ap, status_hook, sri_status_hook, NULL, NULL,
                      APR_HOOK_MIDDLE);
    ap_hook_handler(sri_report_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(sri) = {
    STANDARD20_MODULE_STUFF,
    create_dir_conf,
    merge_dir_conf,
    NULL,
    NULL,
    sri_cmds,
    sri_register_hooks
#ifdef AP_MODULE_FLAG_NONE
    , AP_MODULE_FLAG_NONE
#endif
};
