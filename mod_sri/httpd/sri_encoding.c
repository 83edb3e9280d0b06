/*
 * sri_encoding.c -- no HTML page leaves unprotected because it was
 * compressed before it reached the filter.
 *
 * Why: application servers compress (PHP's zlib.output_compression, Node's
 * compression, Tomcat) and static sites keep .html.gz files.  The scanner
 * reads HTML, not gzip, so an encoded page used to go out unrewritten with
 * a TRACE line only.  Two measures, in the order they act:
 *  1. While the handler runs, the request carries no Accept-Encoding, so a
 *     backend (proxy, FastCGI, CGI) that honours it answers in identity --
 *     what mod_proxy_html's documentation advises.  The client's header is
 *     put back when the response reaches the filter, so mod_deflate or
 *     mod_brotli further down still compress for the client.
 *  2. A response that is gzip-encoded all the same (a backend that
 *     compresses regardless, a static .html.gz) is decoded ahead of the
 *     filter by mod_deflate's INFLATE, linked in right before it.
 * What still cannot be rewritten (brotli or another coding we cannot
 * decode, no-transform, UTF-16/32) is logged at warn, rate-limited, and
 * counted in the request note "sri-unprotected" and in mod_status.
 */
#include <string.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_request.h"
#include "util_filter.h"
#include "apr_strings.h"
#include "apr_atomic.h"

#include "mod_sri.h"

APLOG_USE_MODULE(sri);

#define NOTE_ACCEPT "sri-accept-encoding"
#define NOTE_INFLATE "sri-inflate"

void sri_encoding_fixups(request_rec *r)
{
    const char *ae;

    if (r->main || apr_table_get(r->notes, NOTE_ACCEPT))
        return;
    ae = apr_table_get(r->headers_in, "Accept-Encoding");
    if (!ae)
        return;
    apr_table_setn(r->notes, NOTE_ACCEPT, ae);
    apr_table_unset(r->headers_in, "Accept-Encoding");
}

void sri_encoding_restore(request_rec *r)
{
    const char *ae = apr_table_get(r->notes, NOTE_ACCEPT);

    if (!ae || apr_table_get(r->headers_in, "Accept-Encoding"))
        return;
    apr_table_setn(r->headers_in, "Accept-Encoding", ae);
}

/* The response's content coding, or NULL for identity. */
const char *sri_encoding_of(request_rec *r)
{
    const char *enc = apr_table_get(r->headers_out, "Content-Encoding");

    if (!enc)
        enc = apr_table_get(r->err_headers_out, "Content-Encoding");
    if (!enc)
        enc = r->content_encoding;
    if (!enc || !*enc || !strcasecmp(enc, "identity"))
        return NULL;
    return enc;
}

ap_filter_t *sri_encoding_decode_ahead(ap_filter_t *f)
{
    request_rec *r = f->r;
    const char *enc = sri_encoding_of(r);
    ap_filter_rec_t *rec;
    ap_filter_t *inf, **pp;

    if (!enc || (strcasecmp(enc, "gzip") && strcasecmp(enc, "x-gzip")))
        return NULL;                    /* identity, or not ours to decode */
    if (apr_table_get(r->notes, NOTE_INFLATE))
        return NULL;                    /* tried once: INFLATE declined */
    rec = ap_get_output_filter_handle("INFLATE");
    if (!rec)
        return NULL;                    /* mod_deflate is not loaded */
    apr_table_setn(r->notes, NOTE_INFLATE, "1");
    inf = ap_add_output_filter_handle(rec, NULL, r, r->connection);
    if (!inf)
        return NULL;
    /* ap_add_output_filter_handle() placed it by filter type, which may be
       before filters that already ran: move it to right before us. */
    for (pp = &r->output_filters; *pp && *pp != inf; pp = &(*pp)->next)
        ;
    if (*pp)
        *pp = inf->next;
    for (pp = &r->output_filters; *pp && *pp != f; pp = &(*pp)->next)
        ;
    if (!*pp) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SRI: cannot place INFLATE before the SRI filter");
        return NULL;
    }
    inf->next = f;
    *pp = inf;
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "SRI: decoding a %s response ahead of the filter", enc);
    return inf;
}

void sri_encoding_unprotected(request_rec *r, const char *why)
{
    apr_table_setn(r->notes, "sri-unprotected", why);
    apr_atomic_inc32(&sri_process_stats.unprotected);
    if (sri_log_allowed())
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "SRI: HTML page %s sent without integrity rewriting: %s",
                      r->uri, why);
}
