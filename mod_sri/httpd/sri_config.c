/*
 * sri_config.c -- directives and the per-directory configuration.
 *
 * Why a file of its own: turning directives into an sri_dir_conf (errors
 * show up in `apachectl configtest`, a registry that does not parse with
 * file:line) is one job; the hooks (mod_sri.c), the filter and the headers
 * only read the result.  Registries are opened here, once per path and
 * configuration generation.
 */
#include <string.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_hash.h"
#include "apr_lib.h"

#include "mod_sri.h"
#include "registry/sri_registry_sig.h"

APLOG_USE_MODULE(sri);
#include "sign/sri_ed25519.h"

#include <sys/stat.h>

void *sri_create_dir_conf(apr_pool_t *p, char *dir)
{
    sri_dir_conf *c = apr_pcalloc(p, sizeof(*c));

    c->engine = -1;
    c->scope = c->unknown = c->existing = c->crossorigin = -1;
    c->interval = -1;
    c->ipolicy = SRI_IP_UNSET;
    c->sign = -1;
    c->sign_max = -1;
    return c;
}

#define MERGE(field, unset) (add->field != (unset) ? add->field : base->field)

void *sri_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
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
        c->ipolicy_header = add->ipolicy_header;
    } else {
        c->ipolicy = base->ipolicy;
        c->ipolicy_endpoint = base->ipolicy_endpoint;
        c->ipolicy_header = base->ipolicy_header;
    }
    c->endpoints = add->endpoints ? add->endpoints : base->endpoints;
    c->endpoints_header = add->endpoints ? add->endpoints_header
                                         : base->endpoints_header;
    c->report_log = add->report_log ? add->report_log : base->report_log;
    if (add->sign != -1) {
        c->sign = add->sign;
        c->sign_key = add->sign_key;
        c->sign_file = add->sign_file;
    } else {
        c->sign = base->sign;
        c->sign_key = base->sign_key;
        c->sign_file = base->sign_file;
    }
    c->sign_max = MERGE(sign_max, -1);
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
apr_hash_t *sri_config_registries(apr_pool_t *pconf, int create)
{
    void *data = NULL;
    apr_hash_t *h;

    apr_pool_userdata_get(&data, "sri_module.live_cache", pconf);
    if (data || !create)
        return data;
    h = apr_hash_make(pconf);
    apr_pool_userdata_set(h, "sri_module.live_cache", apr_pool_cleanup_null,
                          pconf);
    return h;
}

/* Report logs likewise: one open per distinct name and generation. */
apr_hash_t *sri_config_report_logs(apr_pool_t *pconf, int create)
{
    void *data = NULL;
    apr_hash_t *h;

    apr_pool_userdata_get(&data, "sri_module.report_logs", pconf);
    if (data || !create)
        return data;
    h = apr_hash_make(pconf);
    apr_pool_userdata_set(h, "sri_module.report_logs", apr_pool_cleanup_null,
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
    cache = sri_config_registries(cmd->pool, 1);
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
    /* The header value is made once, here, not per response. */
    c->ipolicy_header = endpoint
        ? apr_pstrcat(cmd->pool, "blocked-destinations=(script), endpoints=(",
                      endpoint, ")", NULL)
        : "blocked-destinations=(script)";
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
    /* The Reporting-Endpoints value is made once, here, not per response. */
    c->endpoints_header = apr_pstrcat(cmd->pool,
        c->endpoints_header ? c->endpoints_header : "",
        c->endpoints_header ? ", " : "", name, "=\"", url, "\"", NULL);
    return NULL;
}

/* A file (relative to ServerRoot) or "|program", as CustomLog takes them;
   opened later by the parent (sri_reportlog.c), once per distinct name. */
static const char *cmd_report_log(cmd_parms *cmd, void *dv, const char *arg)
{
    const char *name = arg;
    apr_hash_t *logs;
    sri_report_log *l;

    if (arg[0] == '|') {
        if (!arg[1 + (arg[1] == '|' || arg[1] == '$')])
            return "SRIReportLog: a piped log needs a program";
    } else if (!(name = ap_server_root_relative(cmd->pool, arg))) {
        return apr_psprintf(cmd->pool, "SRIReportLog: invalid path '%s'", arg);
    }
    logs = sri_config_report_logs(cmd->pool, 1);
    l = apr_hash_get(logs, name, APR_HASH_KEY_STRING);
    if (!l) {
        l = apr_pcalloc(cmd->pool, sizeof(*l));
        l->name = name;
        apr_hash_set(logs, name, APR_HASH_KEY_STRING, l);
    }
    ((sri_dir_conf *)dv)->report_log = l;
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

/* SRISign KEYFILE|Off.  The private key is read here, at startup, by the
   parent (root, before httpd switches to User), and kept in memory for the
   configuration's life, as mod_ssl does with SSLCertificateKeyFile: the
   file itself can stay readable by root only.  A key readable by group or
   others is refused. */
static apr_status_t free_sign_key(void *k)
{
    sri_ed25519_free(k);
    return APR_SUCCESS;
}

static const char *cmd_sign(cmd_parms *cmd, void *dv, const char *arg)
{
    sri_dir_conf *c = dv;
    const char *path;
    struct stat st;
    char err[512];

    if (!strcasecmp(arg, "off")) {
        c->sign = 0;
        c->sign_key = NULL;
        return NULL;
    }
    path = ap_server_root_relative(cmd->pool, arg);
    if (!path)
        return apr_psprintf(cmd->pool, "SRISign: invalid path '%s'", arg);
    if (stat(path, &st) != 0)
        return apr_psprintf(cmd->pool, "SRISign: cannot stat %s", path);
    if (st.st_mode & 077)
        return apr_psprintf(cmd->pool, "SRISign: %s is readable or writable "
                            "by group or others (mode %04o); the private key "
                            "must be mode 0600 or stricter", path,
                            (unsigned)(st.st_mode & 07777));
    c->sign_key = sri_ed25519_read_private(path, err, sizeof(err));
    if (!c->sign_key)
        return apr_psprintf(cmd->pool, "SRISign: %s", err);
    apr_pool_cleanup_register(cmd->pool, c->sign_key, free_sign_key,
                              apr_pool_cleanup_null);
    c->sign = 1;
    c->sign_file = path;
    return NULL;
}

static const char *cmd_sign_max(cmd_parms *cmd, void *dv, const char *arg)
{
    apr_int64_t v;
    const char *err = parse_uint(cmd, arg, APR_INT64_C(1) << 32, &v);

    if (err)
        return err;
    ((sri_dir_conf *)dv)->sign_max = (apr_off_t)v;
    return NULL;
}

/* ---- SRIRegistryKey: signed registries for fleets (issue #14) -------- */

apr_array_header_t *sri_registry_keys;

static const char *cmd_registry_key(cmd_parms *cmd, void *dv, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    char msg[512];

    if (err)
        return err;
    if (!path)
        return apr_psprintf(cmd->pool, "SRIRegistryKey: invalid path '%s'",
                            arg);
    if (!sri_registry_keys)
        sri_registry_keys = apr_array_make(cmd->pool, 2, SRI_ED25519_KEY_LEN);
    if (sri_regsig_read_key(path, apr_array_push(sri_registry_keys), msg,
                            sizeof(msg)))
        return apr_psprintf(cmd->pool, "SRIRegistryKey: %s", msg);
    return NULL;
}

/* The copies of the signed registries in use that the parent process
   keeps across restarts (sri_live.h, "Rollback across a restart"), by
   registry path, in the process pool: plain bytes, verified again at the
   next generation, since the module is unloaded and loaded again (perhaps
   another build of it) in between.  The key names the layout of kept;
   change it with the layout. */
#define KEPT_KEY "sri_module.kept_registries.1"
typedef struct {
    apr_pool_t *pool;               /* the copy's, replaced with it       */
    const char *path, *reg, *sig;
    apr_size_t  nreg;
} kept_registry;

static apr_hash_t *kept_registries(server_rec *s, int create)
{
    apr_pool_t *pp = s->process->pool;
    void *data = NULL;

    apr_pool_userdata_get(&data, KEPT_KEY, pp);
    if (!data && create) {
        data = apr_hash_make(pp);
        apr_pool_userdata_set(data, KEPT_KEY, apr_pool_cleanup_null, pp);
    }
    return data;
}

static void kept_drop(apr_hash_t *kept, const char *path)
{
    kept_registry *k = apr_hash_get(kept, path, APR_HASH_KEY_STRING);

    if (k) {
        apr_hash_set(kept, path, APR_HASH_KEY_STRING, NULL);
        apr_pool_destroy(k->pool);  /* the key lived there */
    }
}

void sri_config_keep_floors(server_rec *s, apr_pool_t *pconf)
{
    apr_hash_t *lives = sri_config_registries(pconf, 0);
    apr_hash_t *kept = kept_registries(s, 1);
    apr_array_header_t *gone;
    apr_hash_index_t *hi;
    apr_pool_t *tmp;
    int i;

    if (apr_pool_create(&tmp, pconf) != APR_SUCCESS)
        return;
    /* Registries no longer configured: forgotten, so that one configured
       again later starts from what is on disk, not from an old copy. */
    gone = apr_array_make(tmp, 4, sizeof(const char *));
    for (hi = apr_hash_first(tmp, kept); hi; hi = apr_hash_next(hi)) {
        const void *path;
        apr_hash_this(hi, &path, NULL, NULL);
        if (!lives || !apr_hash_get(lives, path, APR_HASH_KEY_STRING))
            APR_ARRAY_PUSH(gone, const char *) = apr_pstrdup(tmp, path);
    }
    for (i = 0; i < gone->nelts; i++)
        kept_drop(kept, APR_ARRAY_IDX(gone, i, const char *));
    for (hi = lives ? apr_hash_first(tmp, lives) : NULL; hi;
         hi = apr_hash_next(hi)) {
        const void *path;
        void *val;
        apr_pool_t *np;
        kept_registry *k;

        apr_hash_this(hi, &path, NULL, &val);
        kept_drop(kept, path);
        if (apr_pool_create(&np, s->process->pool) != APR_SUCCESS)
            continue;
        k = apr_pcalloc(np, sizeof(*k));
        k->pool = np;
        if (sri_live_floor_copy(val, np, &k->reg, &k->nreg, &k->sig) != 0) {
            apr_pool_destroy(np);       /* not signed: nothing kept */
            continue;
        }
        k->path = apr_pstrdup(np, path);
        apr_hash_set(kept, k->path, APR_HASH_KEY_STRING, k);
    }
    apr_pool_destroy(tmp);
}

/* The parent's copy of a signed registry for its children
   (sri_live_publish()), in httpd's runtime directory, named after the
   registry's path. */
static const char *published_path(apr_pool_t *p, const char *path)
{
    char hex[65];

    if (sri_regsig_sha256_hex(path, strlen(path), hex) != 0)
        return NULL;
    hex[16] = '\0';
    return ap_runtime_dir_relative(p, apr_pstrcat(p, "sri-registry-", hex,
                                                  NULL));
}

void sri_config_publish_registries(server_rec *s, apr_pool_t *pconf,
                                   int if_changed)
{
    apr_hash_t *lives = sri_config_registries(pconf, 0);
    apr_hash_index_t *hi;
    apr_pool_t *tmp;

    if (!sri_registry_keys || !lives
        || apr_pool_create(&tmp, pconf) != APR_SUCCESS)
        return;
    for (hi = apr_hash_first(tmp, lives); hi; hi = apr_hash_next(hi)) {
        const void *path;
        void *val;
        const char *to = NULL;
        char *err = NULL;

        apr_hash_this(hi, &path, NULL, &val);
        to = published_path(tmp, path);
        if ((!to || sri_live_publish(val, to, if_changed, tmp, &err) != 0)
            && !if_changed)
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "SRI: registry "
                         "%s: %s; a child process idle since the parent "
                         "took up a newer version could accept an older "
                         "signed registry", (const char *)path,
                         err ? err : "no runtime directory file name");
    }
    apr_pool_destroy(tmp);
}

/* Refusals at a restart, logged by post_config: check_config runs before
   the new generation's error log is open. */
#define REFUSALS_KEY "sri_module.restart_refusals"

const char *sri_config_check_signatures(apr_pool_t *pconf, server_rec *s)
{
    apr_hash_t *lives = sri_config_registries(pconf, 0);
    apr_hash_t *kept = kept_registries(s, 0);
    apr_array_header_t *refusals = NULL;
    apr_hash_index_t *hi;

    if (!sri_registry_keys || !lives)
        return NULL;
    /* Every registry of this configuration, whatever the order of the
       SRIRegistry and SRIRegistryKey lines. */
    for (hi = apr_hash_first(pconf, lives); hi; hi = apr_hash_next(hi)) {
        const void *path;
        void *val;
        char *err = NULL, *refused = NULL;
        kept_registry *k;

        apr_hash_this(hi, &path, NULL, &val);
        if (sri_live_require_signature(val, sri_registry_keys, &err))
            return apr_psprintf(pconf, "SRIRegistry: %s", err);
        /* A restart never goes back to an older signed registry than the
           one in use before it. */
        k = kept ? apr_hash_get(kept, path, APR_HASH_KEY_STRING) : NULL;
        if (k && sri_live_carry_floor(val, k->reg, k->nreg, k->sig, pconf,
                                      &refused)) {
            if (!refusals) {
                refusals = apr_array_make(pconf, 1, sizeof(const char *));
                apr_pool_userdata_set(refusals, REFUSALS_KEY,
                                      apr_pool_cleanup_null, pconf);
            }
            APR_ARRAY_PUSH(refusals, const char *) = refused;
        }
    }
    return NULL;
}

void sri_config_log_refusals(server_rec *s, apr_pool_t *pconf)
{
    void *data = NULL;
    apr_array_header_t *refusals;
    int i;

    apr_pool_userdata_get(&data, REFUSALS_KEY, pconf);
    refusals = data;
    for (i = 0; refusals && i < refusals->nelts; i++)
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "SRI: registry %s",
                     APR_ARRAY_IDX(refusals, i, const char *));
}

/* One context's interval for a registry, folded into h: the shortest
   positive interval wins; 0 (never) only where no context checks. */
static void note_interval(apr_pool_t *p, apr_hash_t *h, sri_live *live,
                          apr_interval_time_t iv)
{
    apr_interval_time_t *have = apr_hash_get(h, &live, sizeof(live));

    if (iv < 0)
        iv = apr_time_from_sec(SRI_DEFAULT_INTERVAL_SEC);
    if (!have) {
        sri_live **key = apr_pmemdup(p, &live, sizeof(live));
        have = apr_pmemdup(p, &iv, sizeof(iv));
        apr_hash_set(h, key, sizeof(*key), have);
    } else if (iv > 0 && (*have == 0 || iv < *have)) {
        *have = iv;
    }
}

static void note_sections(apr_pool_t *p, apr_hash_t *h, sri_live *live,
                          apr_interval_time_t iv, apr_array_header_t *secs);

/* A section (or a server's own context): its registry and interval, with
   what it does not set taken from around it, and the <Files> and <If>
   sections inside it. */
static void note_context(apr_pool_t *p, apr_hash_t *h, ap_conf_vector_t *v,
                         sri_live *live, apr_interval_time_t iv)
{
    const sri_dir_conf *dc = ap_get_module_config(v, &sri_module);
    core_dir_config *cd = ap_get_core_module_config(v);

    if (dc) {
        if (dc->live)
            live = dc->live;
        if (dc->interval >= 0)
            iv = dc->interval;
    }
    if (live)
        note_interval(p, h, live, iv);
    if (cd) {
        note_sections(p, h, live, iv, cd->sec_file);
        note_sections(p, h, live, iv, cd->sec_if);
    }
}

static void note_sections(apr_pool_t *p, apr_hash_t *h, sri_live *live,
                          apr_interval_time_t iv, apr_array_header_t *secs)
{
    int i;

    for (i = 0; secs && i < secs->nelts; i++)
        note_context(p, h, ((ap_conf_vector_t **)secs->elts)[i], live, iv);
}

apr_hash_t *sri_config_parent_intervals(apr_pool_t *p, server_rec *s)
{
    apr_hash_t *h = apr_hash_make(p);

    /* Each server (virtual hosts have the main server's settings merged
       in by now), then its <Directory> and <Location> sections, each with
       the <Files> and <If> sections inside. */
    for (; s; s = s->next) {
        const sri_dir_conf *sc = ap_get_module_config(s->lookup_defaults,
                                                      &sri_module);
        core_server_config *core = ap_get_core_module_config(s->module_config);
        sri_live *live = sc ? sc->live : NULL;
        apr_interval_time_t iv = sc ? sc->interval : -1;

        note_context(p, h, s->lookup_defaults, NULL, -1);
        note_sections(p, h, live, iv, core->sec_dir);
        note_sections(p, h, live, iv, core->sec_url);
    }
    return h;
}

const command_rec sri_cmds[] = {
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
        "File or |program where the sri-report handler appends browser "
        "reports (opened by the parent, as CustomLog)"),
    AP_INIT_TAKE1("SRISign", cmd_sign, NULL, RSRC_CONF | ACCESS_CONF,
        "Ed25519 private key (PEM, mode 0600) to sign JavaScript and CSS "
        "responses with (signature-based SRI), or Off"),
    AP_INIT_TAKE1("SRISignMaxBuffer", cmd_sign_max, NULL,
        RSRC_CONF | ACCESS_CONF,
        "Largest generated (non-file) response buffered to sign, in bytes"),
    AP_INIT_ITERATE("SRIRegistryKey", cmd_registry_key, NULL, RSRC_CONF,
        "Public key file(s) (PEM) of the registry's signers: only a "
        "registry with a valid REGISTRY.sig by one of them is used"),
    { NULL }
};
