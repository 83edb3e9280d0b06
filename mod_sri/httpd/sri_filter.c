/*
 * sri_filter.c -- the SRI output filter.
 *
 * Why: this is where httpd's brigades meet the core scanner.  The rules are
 * httpd's own (mod_deflate, mod_include): decide once, before the first
 * byte, and step aside for what we must not touch; unset Content-Length;
 * give the ETag the registry version; keep one brigade for output; handle
 * EOS and FLUSH explicitly; read non-blocking first and flush on EAGAIN so
 * CGI and proxied streams keep their latency; return every error.
 *
 * Untouched bytes are not copied by the scan: the scanner passes runs of
 * the chunk it was given, and those runs leave as split pieces of the input
 * buckets.  The filter is the scanner's OUTPUT only; its decisions are the
 * rewriter's (sri_rewriter_decisions()).
 * Only inserted attributes and a tag that spanned two buckets are new heap
 * buckets.  Output is passed on every SRI_PASS_BYTES, at a FLUSH and at the
 * end, and, unless the body comes from mod_proxy_http, at the end of every
 * call (keep_output()); kept pieces of transient buckets (mod_proxy's) are
 * copied when set aside.  Memory stays bounded by the held tag
 * (SRIMaxTagLength) plus SRI_PASS_BYTES and one input bucket of output.
 */
#include <string.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"
#include "apr_atomic.h"

#include "mod_sri.h"

APLOG_USE_MODULE(sri);

#define SRI_PASS_BYTES (64 * 1024)

typedef struct {
    apr_bucket_brigade *bb;          /* output, reused                     */
    sri_scanner        *scanner;
    sri_rewriter       *rw;
    sri_live           *live;
    const sri_live_version *version; /* held for the whole response        */
    request_rec        *r;
    const char         *doc_url;
    const char         *etag_suffix; /* registry version + policy          */
    apr_size_t          max_tag;
    int                 first_data;  /* BOM not yet checked                 */
    char                lead[4];     /* first bytes, while they may still
                                        become a UTF-16/32 byte order mark  */
    apr_size_t          lead_len;
    int                 passthrough; /* UTF-16/32 body: leave it alone      */
    apr_size_t          pending;     /* bytes in bb not yet passed          */
    int                 keep;        /* may keep output across calls        */
    int                 passed;      /* body bytes have gone on             */
    /* the input bucket being scanned */
    apr_bucket         *cur;         /* unsplit rest of it, or NULL         */
    const char         *data;        /* its bytes, as read                  */
    apr_size_t          len;
    apr_size_t          base;        /* offset of cur within data           */
    apr_size_t          run_start, run_end;  /* pending run of data         */
    int                 run;
} sri_filter_ctx;

/* ---- output ----------------------------------------------------------- */

/* Move data[run_start, run_end) to the output as split input buckets;
   bytes of the bucket before run_start were held by the scanner (they come
   back as a copy) and are dropped. */
static void emit_run(sri_filter_ctx *ctx)
{
    apr_size_t s = ctx->run_start, e = ctx->run_end;
    apr_bucket *next;

    if (!ctx->run || !ctx->cur)
        return;
    ctx->run = 0;
    if (s > ctx->base) {
        apr_bucket_split(ctx->cur, s - ctx->base);
        next = APR_BUCKET_NEXT(ctx->cur);
        apr_bucket_delete(ctx->cur);
        ctx->cur = next;
        ctx->base = s;
    }
    if (e < ctx->len) {
        apr_bucket_split(ctx->cur, e - s);
        next = APR_BUCKET_NEXT(ctx->cur);
    } else {
        next = NULL;
    }
    APR_BUCKET_REMOVE(ctx->cur);
    APR_BRIGADE_INSERT_TAIL(ctx->bb, ctx->cur);
    ctx->cur = next;
    ctx->base = e;
    ctx->pending += e - s;
}

static int emit_copy(sri_filter_ctx *ctx, const char *p, apr_size_t n)
{
    apr_bucket *b;

    emit_run(ctx);
    b = apr_bucket_heap_create(p, n, NULL, ctx->bb->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(ctx->bb, b);
    ctx->pending += n;
    return 0;
}

static int output_pass(void *vctx, const char *p, size_t n)
{
    sri_filter_ctx *ctx = vctx;

    if (n == 0)
        return 0;
    if (ctx->cur && p >= ctx->data && p + n <= ctx->data + ctx->len) {
        apr_size_t off = (apr_size_t)(p - ctx->data);
        if (ctx->run && off == ctx->run_end) {
            ctx->run_end += n;
            return 0;
        }
        emit_run(ctx);
        ctx->run = 1;
        ctx->run_start = off;
        ctx->run_end = off + n;
        return 0;
    }
    return emit_copy(ctx, p, n);            /* from the scanner's hold */
}

static int output_insert(void *vctx, const char *p, size_t n)
{
    return n ? emit_copy(vctx, p, n) : 0;
}

/* ---- tags too long to decide on (the rewriter tells us) ---------------- */

static void on_overflow(void *vctx, size_t len)
{
    sri_filter_ctx *ctx = vctx;
    apr_size_t max = ctx->max_tag ? ctx->max_tag : SRI_SCAN_DEFAULT_MAX_TAG;

    apr_atomic_inc32(&sri_process_stats.overflows);
    if (len <= max)             /* within the bound: too many attributes */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, ctx->r,
                      "SRI: a <script>/<link>/<iframe> tag with more than "
                      "%d attributes in %s passed unmodified",
                      SRI_SCAN_MAX_ATTRS, ctx->doc_url);
    else
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, ctx->r,
                      "SRI: a <script>/<link>/<iframe> tag (or import map) "
                      "of more than %" APR_SIZE_T_FMT " bytes in %s passed "
                      "unmodified (see SRIMaxTagLength)",
                      (apr_size_t)len, ctx->doc_url);
}

/* ---- rate-limited log lines: unknown and blocked resources, repaired and
   mismatching author integrity, import maps left as written ----------- */

static void on_unknown(void *vctx, sri_outcome o, const char *url)
{
    sri_filter_ctx *ctx = vctx;

    if (!sri_log_allowed())
        return;
    switch (o) {
    case SRI_OUTCOME_REPAIRED:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, ctx->r,
                      "SRI: fail-open integrity attribute (no usable token) "
                      "replaced for registered resource %s on page %s",
                      url, ctx->doc_url);
        break;
    case SRI_OUTCOME_MISMATCH:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, ctx->r,
                      "SRI: integrity mismatch (the author's integrity holds "
                      "none of the approved tokens) for registered resource "
                      "%s on page %s", url, ctx->doc_url);
        break;
    case SRI_OUTCOME_MAP_UNREAD:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, ctx->r,
                      "SRI: import map on page %s left as written: it is "
                      "not JSON as browsers read it, so its modules get no "
                      "integrity from mod_sri", ctx->doc_url);
        break;
    case SRI_OUTCOME_MAP_UNEDITED:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, ctx->r,
                      "SRI: import map on page %s left unedited: the "
                      "Content-Security-Policy allows inline scripts by "
                      "hash, and a map with an added integrity section "
                      "would no longer match it", ctx->doc_url);
        break;
    case SRI_OUTCOME_SRCDOC_DEEP:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, ctx->r,
                      "SRI: iframe srcdoc on page %s left as written: it is "
                      "nested more than %d deep, so its scripts get no "
                      "integrity from mod_sri", ctx->doc_url,
                      SRI_SRCDOC_DEPTH);
        break;
    case SRI_OUTCOME_SVG_SCRIPT:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, ctx->r,
                      "SRI: unpinnable SVG script resource %s on page %s "
                      "(an SVG <script> takes no integrity)", url,
                      ctx->doc_url);
        break;
    case SRI_OUTCOME_SVG_BLOCKED:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, ctx->r,
                      "SRI: blocked SVG script resource %s on page %s (an "
                      "SVG <script> takes no integrity)", url, ctx->doc_url);
        break;
    default:
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, ctx->r,
                      "SRI: %s third-party resource %s on page %s",
                      o == SRI_OUTCOME_BLOCKED ? "blocked unregistered"
                                               : "unregistered",
                      url, ctx->doc_url);
        break;
    }
}

/* ---- the decision, taken once ---------------------------------------- */

static int charset_is_wide(const char *ct)
{
    const char *cs = ap_strcasestr(ct, "charset=");

    if (!cs)
        return 0;
    cs += 8;
    if (*cs == '"')
        cs++;
    return !strncasecmp(cs, "utf-16", 6) || !strncasecmp(cs, "utf-32", 6) ||
           !strncasecmp(cs, "ucs-2", 5) || !strncasecmp(cs, "ucs-4", 5);
}

int sri_is_html_type(const char *ct)
{
    if (!ct)
        return 0;
    return !strncasecmp(ct, "text/html", 9) &&
               (ct[9] == '\0' || ct[9] == ';' || ct[9] == ' ') ? 1
         : !strncasecmp(ct, "application/xhtml+xml", 21) &&
               (ct[21] == '\0' || ct[21] == ';' || ct[21] == ' ') ? 1 : 0;
}

/* Why we step aside, or NULL to rewrite.  *unprotected is set when the
   response is an HTML page that leaves without integrity (a reason other
   than "not HTML" or "no body").  A 206 never reaches us for a static
   page (httpd's byte-range filter slices after us): one that does was
   made by the handler (a backend, a CGI) from the unrewritten page. */
static const char *decline_reason(request_rec *r, int *unprotected,
                                  int *encoded)
{
    const char *enc, *cc;

    *unprotected = *encoded = 0;
    if (r->main)
        return "subrequest (the main request's filter sees its output)";
    if (!sri_is_html_type(r->content_type))
        return "not HTML";
    if (r->status == HTTP_NO_CONTENT || r->status == HTTP_NOT_MODIFIED)
        return "no body";
    *unprotected = 1;
    if (r->status == HTTP_PARTIAL_CONTENT ||
        apr_table_get(r->headers_out, "Content-Range"))
        return "partial content (206) made by the handler from the "
               "unrewritten page";
    if ((enc = sri_encoding_of(r)) != NULL) {
        *encoded = 1;
        return apr_psprintf(r->pool, "Content-Encoding %s, which mod_sri "
                            "cannot decode (gzip needs mod_deflate loaded)",
                            enc);
    }
    cc = apr_table_get(r->headers_out, "Cache-Control");
    if (r->proxyreq && cc && ap_strcasestr(cc, "no-transform"))
        return "proxied response with Cache-Control: no-transform";
    if (charset_is_wide(r->content_type))
        return "UTF-16/32 body";
    *unprotected = 0;
    return NULL;
}

/* The document URL as the browser sees it: the original request's. */
static const char *document_url(request_rec *r)
{
    request_rec *orig = r;

    while (orig->prev)
        orig = orig->prev;
    return ap_construct_url(r->pool, orig->unparsed_uri, r);
}

static apr_status_t ctx_cleanup(void *data)
{
    sri_filter_ctx *ctx = data;

    if (ctx->scanner) {
        sri_scan_destroy(ctx->scanner);
        ctx->scanner = NULL;
    }
    if (ctx->version) {
        sri_live_release(ctx->live, ctx->version);
        ctx->version = NULL;
    }
    return APR_SUCCESS;
}

/* Is the body mod_proxy_http's, which says FLUSH whenever its backend
   pauses (keep_output() may then keep output across calls)?  mod_proxy
   names the request "proxy:" and the backend's URL (behind a balancer, the
   URL of the member it chose). */
static int from_proxy_http(const request_rec *r)
{
    return r->proxyreq != PROXYREQ_NONE && r->filename
        && (strncasecmp(r->filename, "proxy:http://", 13) == 0
            || strncasecmp(r->filename, "proxy:https://", 14) == 0);
}

/* APR_SUCCESS with *out set: rewrite.  APR_NOTFOUND: step aside.
   APR_INCOMPLETE with *ahead set: the body is gzip, and *ahead is the
   INFLATE filter now linked before us; pass it the brigade and set up when
   it comes back decoded. */
static apr_status_t setup(ap_filter_t *f, sri_filter_ctx **out,
                          ap_filter_t **ahead)
{
    request_rec *r = f->r;
    sri_dir_conf *c = ap_get_module_config(r->per_dir_config, &sri_module);
    int unprotected, encoded;
    const char *why = decline_reason(r, &unprotected, &encoded);
    sri_filter_ctx *ctx;
    sri_scan_output output;
    sri_scan_decisions dec;
    sri_policy pol;

    if (why && encoded && (*ahead = sri_encoding_decode_ahead(f)) != NULL)
        return APR_INCOMPLETE;
    if (why) {
        /* A 304 for a page whose validator we stripped in fixups: give it
           back the ETag the 200 carried. */
        if (r->status == HTTP_NOT_MODIFIED &&
            apr_table_get(r->notes, "sri-etag-suffix"))
            sri_etag_mark(r, apr_table_get(r->notes, "sri-etag-suffix"));
        if (unprotected)
            sri_encoding_unprotected(r, why);
        else
            ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                          "SRI: not rewriting %s: %s", r->uri, why);
        apr_atomic_inc32(&sri_process_stats.declined);
        return APR_NOTFOUND;
    }

    ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    ctx->r = r;
    ctx->keep = from_proxy_http(r);
    ctx->live = c->live;
    ctx->doc_url = document_url(r);
    if (c->live)
        ctx->version = sri_acquire_registry(r, c);
    apr_pool_cleanup_register(r->pool, ctx, ctx_cleanup,
                              apr_pool_cleanup_null);

    /* Headers first: they leave with our first brigade. */
    apr_table_unset(r->headers_out, "Content-Length");
    r->clength = 0;
    ctx->etag_suffix = sri_etag_suffix(r->pool, ctx->version, c);
    ctx->max_tag = c->max_tag;
    sri_etag_mark(r, ctx->etag_suffix);
    sri_add_policy_headers(r, c);

    pol = sri_conf_policy(c);
    ctx->rw = sri_rewriter_create(r->pool,
                                  ctx->version ? ctx->version->reg : NULL,
                                  ctx->doc_url, &pol);
    if (!ctx->rw)
        return APR_ENOMEM;
    sri_rewriter_on_unknown(ctx->rw, on_unknown, ctx);
    sri_rewriter_on_overflow(ctx->rw, on_overflow, ctx);
    sri_rewriter_max_tag(ctx->rw, c->max_tag);
    output.ctx = ctx;
    output.pass = output_pass;
    output.insert = output_insert;
    dec = sri_rewriter_decisions(ctx->rw);
    ctx->scanner = sri_scan_create(&output, &dec, c->max_tag);
    if (!ctx->scanner)
        return APR_ENOMEM;
    ctx->bb = apr_brigade_create(r->pool, f->c->bucket_alloc);
    ctx->first_data = 1;
    apr_atomic_inc32(&sri_process_stats.responses);
    *out = ctx;
    return APR_SUCCESS;
}

/* Request notes for LogFormat: %{sri-pinned}n etc. */
static void set_notes(sri_filter_ctx *ctx)
{
    const sri_counters *n = sri_rewriter_counters(ctx->rw);
    request_rec *r = ctx->r;

    apr_table_setn(r->notes, "sri-pinned", apr_ltoa(r->pool, (long)n->pinned));
    apr_table_setn(r->notes, "sri-kept", apr_ltoa(r->pool, (long)n->kept));
    apr_table_setn(r->notes, "sri-unknown",
                   apr_ltoa(r->pool, (long)n->unknown));
    apr_table_setn(r->notes, "sri-blocked",
                   apr_ltoa(r->pool, (long)n->blocked));
    apr_table_setn(r->notes, "sri-repaired",
                   apr_ltoa(r->pool, (long)n->repaired));
    apr_table_setn(r->notes, "sri-mismatch",
                   apr_ltoa(r->pool, (long)n->mismatch));
    if (ctx->version)
        apr_table_setn(r->notes, "sri-registry", ctx->version->id);
    apr_atomic_add32(&sri_process_stats.pinned, (apr_uint32_t)n->pinned);
    apr_atomic_add32(&sri_process_stats.kept, (apr_uint32_t)n->kept);
    apr_atomic_add32(&sri_process_stats.unknown, (apr_uint32_t)n->unknown);
    apr_atomic_add32(&sri_process_stats.blocked, (apr_uint32_t)n->blocked);
    apr_atomic_add32(&sri_process_stats.repaired, (apr_uint32_t)n->repaired);
    apr_atomic_add32(&sri_process_stats.mismatch, (apr_uint32_t)n->mismatch);
}

static apr_status_t pass_output(ap_filter_t *f, sri_filter_ctx *ctx)
{
    apr_status_t rv;

    if (ctx->pending)
        ctx->passed = 1;
    ctx->pending = 0;
    if (APR_BRIGADE_EMPTY(ctx->bb))
        return APR_SUCCESS;
    rv = ap_pass_brigade(f->next, ctx->bb);
    apr_brigade_cleanup(ctx->bb);
    return rv;
}

/* The end of a call without FLUSH or EOS.  A body from mod_proxy_http
   (ctx->keep) is kept until there are SRI_PASS_BYTES of it, as mod_deflate
   keeps its own, after its first output (the head of the page: the time to
   first byte is as without us).  Why: such a body comes in 8 KB brigades,
   and passing each one on costs the client a write and its reader a
   wake-up per 8 KB; that, more than the scan, is what mod_sri cost a
   proxied page (docs/performance.md).  Only there, because nothing waits
   on a pause: mod_proxy_http sends a FLUSH whenever the backend has
   nothing more to give, and a FLUSH passes everything.  Other sources may
   pause without one (mod_proxy_fcgi and mod_proxy_ajp by default, a
   handler that writes without flushing), so their output goes on at the
   end of every call, as without us.  Kept buckets are set aside into the
   request pool: mod_proxy's are transient (they point into its read
   buffer, which the next read reuses) and are copied then; a bucket that
   cannot be set aside is passed on instead. */
static apr_status_t keep_output(ap_filter_t *f, sri_filter_ctx *ctx)
{
    apr_bucket *b;

    if (!ctx->keep || !ctx->passed || ctx->pending >= SRI_PASS_BYTES)
        return pass_output(f, ctx);
    for (b = APR_BRIGADE_FIRST(ctx->bb); b != APR_BRIGADE_SENTINEL(ctx->bb);
         b = APR_BUCKET_NEXT(b))
        if (APR_BUCKET_IS_METADATA(b))  /* an error bucket, say: on now */
            return pass_output(f, ctx);
    for (b = APR_BRIGADE_FIRST(ctx->bb); b != APR_BRIGADE_SENTINEL(ctx->bb);
         b = APR_BUCKET_NEXT(b)) {
        if (apr_bucket_setaside(b, ctx->r->pool) != APR_SUCCESS)
            return pass_output(f, ctx);
    }
    return APR_SUCCESS;
}

/* Byte order marks of encodings that are not ASCII-compatible. */
static const struct { const char *bytes; apr_size_t len; } wide_boms[] = {
    { "\xFE\xFF", 2 }, { "\xFF\xFE", 2 }, { "\x00\x00\xFE\xFF", 4 }
};

/* 1: d starts with a wide BOM; 0: it cannot; -1: too short to tell. */
static int wide_bom(const char *d, apr_size_t n)
{
    apr_size_t i;
    int maybe = 0;

    for (i = 0; i < sizeof(wide_boms) / sizeof(wide_boms[0]); i++) {
        apr_size_t m = wide_boms[i].len;
        if (n >= m && memcmp(d, wide_boms[i].bytes, m) == 0)
            return 1;
        if (n < m && memcmp(d, wide_boms[i].bytes, n) == 0)
            maybe = 1;
    }
    return maybe ? -1 : 0;
}

/* The first bytes of the body decide whether it is UTF-16/32.  They may
   arrive one at a time (a CGI), so up to 4 are held until it is clear. */
static apr_status_t decide_bom(sri_filter_ctx *ctx, const char *data,
                               apr_size_t len, apr_size_t *taken)
{
    apr_size_t n = 4 - ctx->lead_len;
    int bom;

    if (n > len)
        n = len;
    memcpy(ctx->lead + ctx->lead_len, data, n);
    ctx->lead_len += n;
    *taken = n;
    bom = wide_bom(ctx->lead, ctx->lead_len);
    if (bom < 0 && ctx->lead_len < 4 && n == len)
        return APR_INCOMPLETE;                  /* hold and wait */
    ctx->first_data = 0;
    if (bom > 0) {
        ctx->passthrough = 1;
        sri_encoding_unprotected(ctx->r, "UTF-16/32 byte order mark");
    }
    return APR_SUCCESS;
}

/* Release held lead bytes that came from earlier buckets. */
static int release_lead(sri_filter_ctx *ctx, apr_size_t count)
{
    if (count == 0)
        return 0;
    if (ctx->passthrough)
        return emit_copy(ctx, ctx->lead, count);
    return sri_scan_feed(ctx->scanner, ctx->lead, count);
}

/* Scan one data bucket that is first in bb. */
static apr_status_t scan_bucket(ap_filter_t *f, sri_filter_ctx *ctx,
                                apr_bucket *b)
{
    const char *data;
    apr_size_t len;
    apr_status_t rv;
    int rc;

    /* A file is read into 8 KB heap pieces, not mapped: mapping and
       unmapping 4 MB windows per response costs more than the copy (TLB
       shootdowns), and split pieces of a mapping keep it alive longer. */
    if (APR_BUCKET_IS_FILE(b))
        apr_bucket_file_enable_mmap(b, 0);
    rv = apr_bucket_read(b, &data, &len, APR_NONBLOCK_READ);
    if (APR_STATUS_IS_EAGAIN(rv)) {
        /* The source is slow (CGI, proxy): send what we have first. */
        APR_BRIGADE_INSERT_TAIL(ctx->bb,
            apr_bucket_flush_create(f->c->bucket_alloc));
        if ((rv = pass_output(f, ctx)) != APR_SUCCESS)
            return rv;
        rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, ctx->r,
                      "SRI: failed to read the response body");
        return rv;
    }
    if (len == 0) {
        apr_bucket_delete(b);
        return APR_SUCCESS;
    }
    if (ctx->first_data) {
        apr_size_t before = ctx->lead_len, taken;
        if (decide_bom(ctx, data, len, &taken) == APR_INCOMPLETE) {
            apr_bucket_delete(b);               /* its bytes are in lead */
            return APR_SUCCESS;
        }
        if (release_lead(ctx, before) != 0)
            return APR_EGENERAL;
    }
    if (ctx->passthrough) {
        APR_BUCKET_REMOVE(b);
        APR_BRIGADE_INSERT_TAIL(ctx->bb, b);
        ctx->pending += len;
        return APR_SUCCESS;
    }

    ctx->cur = b;
    ctx->data = data;
    ctx->len = len;
    ctx->base = 0;
    ctx->run = 0;
    rc = sri_scan_feed(ctx->scanner, data, len);
    if (rc == 0)
        emit_run(ctx);
    if (ctx->cur) {                   /* the held tail of the bucket */
        apr_bucket_delete(ctx->cur);
        ctx->cur = NULL;
    }
    ctx->data = NULL;
    if (rc != 0)
        return APR_EGENERAL;          /* the output never fails: a scanner error */
    return APR_SUCCESS;
}

/* ---- static pages: rewritten once, then served from the cache -------- */

/* The brigade is the whole of r->filename, straight from the handler (we
   are the first filter), and small enough to keep. */
static int cacheable(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    apr_off_t total = 0;
    apr_bucket *b;

    if (!sri_page_cache || f != r->output_filters || !r->filename ||
        r->finfo.filetype != APR_REG || r->finfo.size > SRI_CACHE_MAX_PAGE)
        return 0;
    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
         b = APR_BUCKET_NEXT(b)) {
        const char *name = NULL;
        if (APR_BUCKET_IS_EOS(b))
            return APR_BUCKET_NEXT(b) == APR_BRIGADE_SENTINEL(bb) &&
                   total == r->finfo.size;
        if (!APR_BUCKET_IS_FILE(b) ||
            apr_file_name_get(&name, ((apr_bucket_file *)b->data)->fd)
                != APR_SUCCESS || !name || strcmp(name, r->filename))
            return 0;
        total += b->length;
    }
    return 0;                               /* no EOS: not all of it */
}

static apr_status_t serve_cached(ap_filter_t *f, sri_filter_ctx *ctx,
                                 apr_bucket_brigade *bb, const char *suffix)
{
    request_rec *r = f->r;
    const char *key = apr_psprintf(r->pool, "%s|%s|%lu|%lu|%" APR_OFF_T_FMT
                                   "|%" APR_TIME_T_FMT, suffix, ctx->doc_url,
                                   (unsigned long)r->finfo.device,
                                   (unsigned long)r->finfo.inode,
                                   r->finfo.size, r->finfo.mtime);
    char *page, *flat;
    apr_size_t len, flat_len;
    sri_counters n;
    apr_status_t rv;

    if (!sri_cache_get(sri_page_cache, key, r->pool, &page, &len, &n)) {
        rv = apr_brigade_pflatten(bb, &flat, &flat_len, r->pool);
        if (rv != APR_SUCCESS)
            return rv;
        if (wide_bom(flat, flat_len) != 0) {     /* UTF-16/32, or unsure */
            page = flat;
            len = flat_len;
        } else if (sri_rewriter_run(ctx->rw, r->pool, flat, flat_len, 0,
                                    ctx->max_tag, &page, &len) != 0) {
            return APR_EGENERAL;
        }
        n = *sri_rewriter_counters(ctx->rw);
        sri_cache_put(sri_page_cache, key, page, len, &n);
    } else {
        sri_rewriter_set_counters(ctx->rw, &n);
    }
    /* Kept as it was (a rewritten page never starts so): said every time,
       as the streaming path says it. */
    if (wide_bom(page, len) > 0)
        sri_encoding_unprotected(r, "UTF-16/32 byte order mark");
    apr_brigade_cleanup(bb);
    APR_BRIGADE_INSERT_TAIL(ctx->bb,
        apr_bucket_pool_create(page, len, r->pool, f->c->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(ctx->bb,
        apr_bucket_eos_create(f->c->bucket_alloc));
    set_notes(ctx);
    rv = pass_output(f, ctx);
    ctx_cleanup(ctx);
    ap_remove_output_filter(f);
    return rv;
}

apr_status_t sri_output_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    sri_filter_ctx *ctx = f->ctx;
    apr_status_t rv;
    int keep_maps;

    if (APR_BRIGADE_EMPTY(bb))
        return APR_SUCCESS;

    if (!ctx) {
        ap_filter_t *inflate = NULL;

        sri_encoding_restore(f->r);
        rv = setup(f, &ctx, &inflate);
        if (rv == APR_INCOMPLETE)
            return ap_pass_brigade(inflate, bb);  /* comes back decoded */
        if (rv == APR_NOTFOUND) {
            ap_remove_output_filter(f);
            return ap_pass_brigade(f->next, bb);
        }
        if (rv != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, f->r,
                          "SRI: cannot set up the filter");
            return rv;
        }
        f->ctx = ctx;
        /* A policy that allows inline scripts by hash: import maps stay
           as written (an edited map would no longer match its hash); the
           cached page is then one of its own. */
        keep_maps = sri_csp_hashes_inline(f);
        sri_rewriter_keep_importmaps(ctx->rw, keep_maps);
        if (cacheable(f, bb))
            return serve_cached(f, ctx, bb, !keep_maps ? ctx->etag_suffix
                                : apr_pstrcat(f->r->pool, ctx->etag_suffix,
                                              "|csp-hash", NULL));
    }

    while (!APR_BRIGADE_EMPTY(bb)) {
        apr_bucket *b = APR_BRIGADE_FIRST(bb);

        if (APR_BUCKET_IS_EOS(b)) {
            if (ctx->first_data && ctx->lead_len) {
                ctx->first_data = 0;            /* too short to be a BOM */
                if (release_lead(ctx, ctx->lead_len) != 0)
                    return APR_EGENERAL;
            }
            if (sri_scan_finish(ctx->scanner) != 0)
                return APR_EGENERAL;
            set_notes(ctx);
            APR_BUCKET_REMOVE(b);
            APR_BRIGADE_INSERT_TAIL(ctx->bb, b);
            rv = pass_output(f, ctx);
            ctx_cleanup(ctx);
            apr_brigade_cleanup(bb);
            ap_remove_output_filter(f);
            return rv;
        }
        if (APR_BUCKET_IS_FLUSH(b)) {
            /* everything but a held partial tag goes now */
            APR_BUCKET_REMOVE(b);
            APR_BRIGADE_INSERT_TAIL(ctx->bb, b);
            if ((rv = pass_output(f, ctx)) != APR_SUCCESS)
                return rv;
            continue;
        }
        if (APR_BUCKET_IS_METADATA(b)) {
            APR_BUCKET_REMOVE(b);
            APR_BRIGADE_INSERT_TAIL(ctx->bb, b);
            continue;
        }
        if ((rv = scan_bucket(f, ctx, b)) != APR_SUCCESS) {
            /* what this call put out may point into buckets that are
               gone once we return: it must not go on later (at EOS) */
            apr_brigade_cleanup(ctx->bb);
            ctx->pending = 0;
            return rv;
        }
        if (ctx->pending >= SRI_PASS_BYTES &&
            (rv = pass_output(f, ctx)) != APR_SUCCESS)
            return rv;
    }
    return keep_output(f, ctx);
}
