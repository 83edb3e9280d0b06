/*
 * mod_sri.c -- the module record and its hooks.
 *
 * Why: the module is thin glue over the core library, and this file is its
 * table of contents: which hook runs what.  Directives are in sri_config.c,
 * the filter in sri_filter.c, headers and the report collector in
 * sri_headers.c, the report log (opened in open_logs) in sri_reportlog.c,
 * per-process state and mod_status in sri_process.c, ETags in sri_etag.c.  The hooks here insert the SRI output filter where
 * SRIEngine is On, keep conditional requests right (fixups), and warn at
 * startup about a registry the web server user could change.
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
#include "mpm_common.h"

#include <sys/stat.h>
#include <unistd.h>

#include "mod_sri.h"

/* ---- conditional requests ------------------------------------------- */

/* Is r a file the default handler will send (which sets Last-Modified
   from r->mtime and compares If-Modified-Since with it), as HTML the
   filter will rewrite? */
static int static_html(const request_rec *r)
{
    return r->finfo.filetype == APR_REG
        && (!r->handler || !strcmp(r->handler, "default-handler"))
        && sri_is_html_type(r->content_type);
}

static int sri_fixups(request_rec *r)
{
    sri_dir_conf *c = ap_get_module_config(r->per_dir_config, &sri_module);
    const sri_live_version *v;
    const char *suffix;
    int is_static, has_etag_check;

    if (c->engine != 1)
        return DECLINED;
    sri_encoding_fixups(r);
    if (!c->live)
        return DECLINED;
    is_static = static_html(r);
    has_etag_check = apr_table_get(r->headers_in, "If-None-Match")
        || apr_table_get(r->headers_in, "If-Match");
    if (!is_static && !has_etag_check)
        return DECLINED;
    v = sri_acquire_registry(r, c);
    /* A static page's Last-Modified: the later of the file's and the
       registry version's (as mod_include dates a page by what it
       includes), so If-Modified-Since alone never keeps a page rewritten
       under an older registry.  The default handler raises r->mtime to
       the file's mtime, never lowers it. */
    if (is_static)
        ap_update_mtime(r, v->changed);
    if (has_etag_check) {
        suffix = sri_etag_suffix(r->pool, v, c);
        /* Only a validator we issued gets our suffix back on a 304: the
           304 for a style sheet or an image keeps the handler's own
           ETag. */
        if (sri_etag_unmark(r, "If-None-Match", suffix)
            | sri_etag_unmark(r, "If-Match", suffix))
            apr_table_setn(r->notes, "sri-etag-suffix", suffix);
    }
    sri_live_release(c->live, v);
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
    apr_hash_t *lives;

    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return OK;                      /* the first, trial configuration */
    lives = sri_config_registries(pconf, 0);
    sri_process_set_registries(lives, lives ? sri_config_parent_intervals(
                                                  pconf, s) : NULL);
    sri_config_log_refusals(s, pconf);
    sri_config_keep_floors(s, pconf);
    sri_config_publish_registries(s, pconf, 0);
    if (!lives)
        return OK;
    for (hi = apr_hash_first(ptemp, lives); hi; hi = apr_hash_next(hi)) {
        const void *key;
        apr_hash_this(hi, &key, NULL, NULL);
        warn_if_writable(s, key);
    }
    return OK;
}

static int sri_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp)
{
    sri_page_cache_bytes = SRI_DEFAULT_CACHE_BYTES;  /* per generation */
    sri_registry_keys = NULL;
    return OK;
}

/* SRIRegistryKey: a registry without a valid signature stops configtest
   and (re)start, naming the file.  check_config runs before -t prints
   "Syntax OK", after every directive (in any order) was read. */
static int sri_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                            apr_pool_t *ptemp, server_rec *s)
{
    const char *err = sri_config_check_signatures(pconf, s);

    if (err) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "SRI: %s", err);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return OK;
}

/* SRIReportLog is opened here, in the parent, as CustomLog is. */
static int sri_open_logs(apr_pool_t *pconf, apr_pool_t *plog,
                         apr_pool_t *ptemp, server_rec *s)
{
    return sri_report_logs_open(pconf, s);
}

/* In the parent, about every ten seconds (httpd's maintenance loop): new
   versions for the children it starts and for those already running (the
   published copy), and for the next restart the copy it must not go back
   from. */
static int sri_monitor(apr_pool_t *p, server_rec *s)
{
    if (sri_process_monitor(p, s) > 0) {
        sri_config_keep_floors(s, s->process->pconf);
        sri_config_publish_registries(s, s->process->pconf, 0);
    } else {
        /* the copy deleted or replaced since: written again */
        sri_config_publish_registries(s, s->process->pconf, 1);
    }
    return DECLINED;
}

static void sri_child_init(apr_pool_t *pchild, server_rec *s)
{
    sri_process_child_init(pchild);
    sri_sign_child_init(pchild);
}

static void sri_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(sri_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_open_logs(sri_open_logs, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(sri_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_monitor(sri_monitor, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(sri_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_register_output_filter(SRI_FILTER_NAME, sri_output_filter, NULL,
                              AP_FTYPE_RESOURCE);
    ap_hook_insert_filter(sri_insert_filter, NULL, NULL, APR_HOOK_LAST);
    /* SRISign: after content filters (SSI, the SRI filter), before
       DEFLATE (AP_FTYPE_CONTENT_SET), so it sees the identity body. */
    ap_register_output_filter(SRI_SIGN_FILTER_NAME, sri_sign_filter, NULL,
                              (ap_filter_type)(AP_FTYPE_CONTENT_SET - 1));
    ap_hook_insert_filter(sri_sign_insert_filter, NULL, NULL, APR_HOOK_LAST);
    ap_hook_fixups(sri_fixups, NULL, NULL, APR_HOOK_LAST);
    ap_hook_post_config(sri_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    APR_OPTIONAL_HOOK(ap, status_hook, sri_status_hook, NULL, NULL,
                      APR_HOOK_MIDDLE);
    ap_hook_handler(sri_report_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(sri) = {
    STANDARD20_MODULE_STUFF,
    sri_create_dir_conf,
    sri_merge_dir_conf,
    NULL,
    NULL,
    sri_cmds,
    sri_register_hooks
#ifdef AP_MODULE_FLAG_NONE
    , AP_MODULE_FLAG_NONE
#endif
};
