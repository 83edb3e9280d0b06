/*
 * sri_sign.c -- SRISign: Apache signs the JavaScript and CSS it serves
 * (signature-based SRI: Unencoded-Digest + Signature-Input + Signature).
 *
 * Why: a page can pin a vendor's key instead of a hash
 * (integrity="ed25519-<key>"); the vendor's server must then send, with
 * every release, a digest of the identity body and an Ed25519 signature over
 * it.  Headers go before the body, so the digest must be known before the
 * first byte leaves:
 *  - a static file (the brigade is the whole file, then EOS) is hashed from
 *    the open descriptor with pread, never mapped or buffered, and its
 *    headers are kept per process keyed by device, inode, size and mtime
 *    (as the page cache does), so a file is hashed once per change;
 *  - a generated response is held (up to SRISignMaxBuffer) and hashed as it
 *    arrives, then sent whole with the headers.
 * A response we cannot sign -- content-coded already, a Range request, over
 * the limit, or signed by someone else already -- is sent unsigned with a
 * log line, never half-signed.  The filter runs before DEFLATE, so the
 * digest is of the identity body as the spec requires.
 *
 * The key was read by the parent at startup (sri_config.c); nothing here
 * touches the key file.
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <errno.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"
#include "apr_hash.h"
#include "apr_thread_mutex.h"
#include "apr_portable.h"

#include "mod_sri.h"
#include "integrity/sri_integrity.h"
#include "sign/sri_httpsig.h"

APLOG_USE_MODULE(sri);

/* ---- per-process cache of static files' headers ----------------------- */

#define SIGN_CACHE_MAX 4096       /* entries; cleared whole when full */

typedef struct {
    dev_t  dev;
    ino_t  ino;
    off_t  size;
    long   mtime_sec, mtime_nsec;
    const void *key;              /* the signing key (per configuration) */
} file_id;

typedef struct {
    file_id     id;
    sri_httpsig h;
} cached;

static apr_pool_t *cache_pool;
static apr_hash_t *cache;
#if APR_HAS_THREADS
static apr_thread_mutex_t *cache_lock;
#endif

void sri_sign_child_init(apr_pool_t *pchild)
{
    apr_pool_create(&cache_pool, pchild);
    cache = apr_hash_make(cache_pool);
#if APR_HAS_THREADS
    apr_thread_mutex_create(&cache_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
#endif
}

static void lock(void)
{
#if APR_HAS_THREADS
    if (cache_lock)
        apr_thread_mutex_lock(cache_lock);
#endif
}

static void unlock(void)
{
#if APR_HAS_THREADS
    if (cache_lock)
        apr_thread_mutex_unlock(cache_lock);
#endif
}

static int cache_get(const file_id *id, sri_httpsig *out)
{
    cached *c;
    int hit = 0;

    if (!cache)
        return 0;
    lock();
    c = apr_hash_get(cache, id, sizeof(*id));
    if (c) {
        *out = c->h;
        hit = 1;
    }
    unlock();
    return hit;
}

static void cache_put(const file_id *id, const sri_httpsig *h)
{
    cached *c;

    if (!cache)
        return;
    lock();
    if (apr_hash_count(cache) >= SIGN_CACHE_MAX) {
        /* Simple bound: start over (entries are cheap to recompute). */
        apr_pool_clear(cache_pool);
        cache = apr_hash_make(cache_pool);
    }
    if (!apr_hash_get(cache, id, sizeof(*id))) {
        c = apr_palloc(cache_pool, sizeof(*c));
        c->id = *id;
        c->h = *h;
        apr_hash_set(cache, &c->id, sizeof(c->id), c);
    }
    unlock();
}

/* ---- deciding ------------------------------------------------------------ */

static int signable_type(const char *ct)
{
    static const char *const types[] = {
        "text/javascript", "application/javascript",
        "application/x-javascript", "text/ecmascript",
        "application/ecmascript", "text/css", NULL
    };
    int i;

    if (!ct)
        return 0;
    for (i = 0; types[i]; i++) {
        size_t n = strlen(types[i]);
        if (!strncasecmp(ct, types[i], n)
            && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
            return 1;
    }
    return 0;
}

/* NULL if we may sign r, else why not (for the log). */
static const char *cannot_sign(request_rec *r)
{
    const char *ce = apr_table_get(r->headers_out, "Content-Encoding");

    if (r->content_encoding || ce)
        return "the body is already content-coded (Content-Encoding), and "
               "the digest must be of the identity body";
    if (apr_table_get(r->headers_in, "Range"))
        return "a Range request (the headers would not describe the part)";
    if (apr_table_get(r->headers_out, "Signature")
        || apr_table_get(r->headers_out, "Signature-Input")
        || apr_table_get(r->headers_out, "Unencoded-Digest"))
        return "the response already has signature headers";
    return NULL;
}

static void set_headers(request_rec *r, const sri_httpsig *h)
{
    apr_table_setn(r->headers_out, "Unencoded-Digest",
                   apr_pstrdup(r->pool, h->unencoded_digest));
    apr_table_setn(r->headers_out, "Signature-Input",
                   apr_pstrdup(r->pool, h->signature_input));
    apr_table_setn(r->headers_out, "Signature",
                   apr_pstrdup(r->pool, h->signature));
}

static void unsigned_log(request_rec *r, const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  "SRI: SRISign: %s sent unsigned: %s", r->uri, why);
}

/* ---- static files -------------------------------------------------------- */

/* If bb is exactly one whole file (FILE buckets of one descriptor covering
   it from 0 to its size) followed by EOS, hash it and fill h. */
static int sign_static(request_rec *r, const sri_dir_conf *c,
                       apr_bucket_brigade *bb, sri_httpsig *h)
{
    apr_bucket *b;
    apr_file_t *fd = NULL;
    apr_off_t expect = 0;
    apr_os_file_t os;
    struct stat st, st2;
    file_id id;
    sri_hasher *hs;
    char buf[65536], tok[SRI_TOKEN_MAX];
    off_t off = 0;
    int eos = 0;

    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
         b = APR_BUCKET_NEXT(b)) {
        apr_bucket_file *a;
        if (APR_BUCKET_IS_EOS(b)) {
            eos = 1;
            break;
        }
        if (!APR_BUCKET_IS_FILE(b))
            return 0;
        a = b->data;
        if ((fd && a->fd != fd) || b->start != expect)
            return 0;
        fd = a->fd;
        expect += (apr_off_t)b->length;
    }
    if (!eos || !fd || apr_os_file_get(&os, fd) != APR_SUCCESS
        || fstat(os, &st) || !S_ISREG(st.st_mode) || st.st_size != expect)
        return 0;

    memset(&id, 0, sizeof(id));
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    id.size = st.st_size;
    id.mtime_sec = (long)st.st_mtim.tv_sec;
    id.mtime_nsec = (long)st.st_mtim.tv_nsec;
    id.key = c->sign_key;
    if (cache_get(&id, h))
        return 1;

    hs = sri_hasher_new(SRI_ALGO_SHA512);
    if (!hs)
        return 0;
    while (off < st.st_size) {
        ssize_t n = pread(os, buf, sizeof(buf), off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            sri_hasher_free(hs);
            return 0;
        }
        sri_hasher_update(hs, buf, (size_t)n);
        off += n;
    }
    if (sri_hasher_final(hs, tok)
        || sri_httpsig_from_token(c->sign_key, tok, h))
        return 0;
    /* Changed while we read it (written in place)?  Then what we hashed
       may not be what is sent: do not keep it, and do not send it signed
       (the caller sends it unsigned). */
    if (fstat(os, &st2) || st2.st_size != st.st_size
        || st2.st_mtim.tv_sec != st.st_mtim.tv_sec
        || st2.st_mtim.tv_nsec != st.st_mtim.tv_nsec)
        return -1;
    cache_put(&id, h);
    return 1;
}

/* ---- the filter ------------------------------------------------------------ */

typedef struct {
    apr_bucket_brigade *held;
    sri_hasher         *hasher;
    apr_off_t           bytes, max;
} sign_ctx;

static apr_status_t free_hasher(void *v)
{
    sign_ctx *ctx = v;
    sri_hasher_free(ctx->hasher);      /* an aborted request: no EOS */
    ctx->hasher = NULL;
    return APR_SUCCESS;
}

static apr_status_t give_up(ap_filter_t *f, sign_ctx *ctx,
                            apr_bucket_brigade *rest, const char *why)
{
    unsigned_log(f->r, why);
    sri_hasher_free(ctx->hasher);
    ctx->hasher = NULL;
    APR_BRIGADE_CONCAT(ctx->held, rest);
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, ctx->held);
}

apr_status_t sri_sign_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    sign_ctx *ctx = f->ctx;
    const sri_dir_conf *c;
    const char *why;
    apr_bucket *b;

    if (!ctx) {
        sri_httpsig h;
        int st;

        c = ap_get_module_config(r->per_dir_config, &sri_module);
        if (c->sign != 1 || !c->sign_key || r->status != HTTP_OK
            || !signable_type(r->content_type)) {
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, bb);
        }
        if ((why = cannot_sign(r)) != NULL) {
            unsigned_log(r, why);
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, bb);
        }
        st = sign_static(r, c, bb, &h);
        if (st != 0) {
            if (st > 0)
                set_headers(r, &h);
            else
                unsigned_log(r, "the file changed while it was hashed");
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, bb);
        }
        f->ctx = ctx = apr_pcalloc(r->pool, sizeof(*ctx));
        ctx->held = apr_brigade_create(r->pool, f->c->bucket_alloc);
        ctx->hasher = sri_hasher_new(SRI_ALGO_SHA512);
        ctx->max = c->sign_max >= 0 ? c->sign_max : SRI_SIGN_DEFAULT_MAX;
        apr_pool_cleanup_register(r->pool, ctx, free_hasher,
                                  apr_pool_cleanup_null);
        if (!ctx->hasher)
            return give_up(f, ctx, bb, "out of memory");
    }

    /* Generated body: hold and hash everything until EOS. */
    while ((b = APR_BRIGADE_FIRST(bb)) != APR_BRIGADE_SENTINEL(bb)) {
        const char *data;
        apr_size_t len;
        apr_status_t rv;

        if (APR_BUCKET_IS_EOS(b)) {
            char tok[SRI_TOKEN_MAX];
            sri_httpsig h;
            c = ap_get_module_config(r->per_dir_config, &sri_module);
            if (sri_hasher_final(ctx->hasher, tok)
                || sri_httpsig_from_token(c->sign_key, tok, &h)) {
                ctx->hasher = NULL;
                return give_up(f, ctx, bb, "signing failed");
            }
            ctx->hasher = NULL;
            set_headers(r, &h);
            APR_BRIGADE_CONCAT(ctx->held, bb);
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, ctx->held);
        }
        if (APR_BUCKET_IS_METADATA(b)) {
            /* FLUSH and the like wait with the body: nothing may leave
               before the headers are known. */
            APR_BUCKET_REMOVE(b);
            APR_BRIGADE_INSERT_TAIL(ctx->held, b);
            continue;
        }
        rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ);
        if (rv != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                          "SRI: SRISign: reading the response body");
            return rv;
        }
        if (ctx->bytes + (apr_off_t)len > ctx->max)
            return give_up(f, ctx, bb, apr_psprintf(r->pool,
                "a generated response larger than SRISignMaxBuffer (%"
                APR_OFF_T_FMT " bytes)", ctx->max));
        sri_hasher_update(ctx->hasher, data, len);
        ctx->bytes += (apr_off_t)len;
        rv = apr_bucket_setaside(b, r->pool);
        if (rv != APR_SUCCESS && rv != APR_ENOTIMPL)
            return rv;
        APR_BUCKET_REMOVE(b);
        APR_BRIGADE_INSERT_TAIL(ctx->held, b);
    }
    return APR_SUCCESS;
}

void sri_sign_insert_filter(request_rec *r)
{
    sri_dir_conf *c = ap_get_module_config(r->per_dir_config, &sri_module);

    if (c->sign == 1 && c->sign_key)
        ap_add_output_filter(SRI_SIGN_FILTER_NAME, NULL, r, r->connection);
}
