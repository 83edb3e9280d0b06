/*
 * sri_headers.c -- Integrity-Policy headers and the report collector.
 *
 * Why: integrity attributes protect the scripts mod_sri knows about;
 * Integrity-Policy (enforce) makes the browser refuse every script that has
 * no integrity at all, closing the gap of scripts the registry never saw,
 * and report-only mode shows where they are before anything breaks.  The
 * browser sends violation reports to an endpoint; `SetHandler sri-report`
 * turns httpd into that endpoint, with a bounded body, a per-process rate
 * limit, and control characters escaped so a report cannot forge log lines.
 * The lines go to SRIReportLog through the descriptor the parent opened
 * (sri_reportlog.c).
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
#include "apr_lib.h"

#include "mod_sri.h"
#include "rewrite/sri_csp.h"

APLOG_USE_MODULE(sri);

#define SRI_REPORT_MAX_BODY (64 * 1024)
#define SRI_REPORT_PER_SEC 50

void sri_add_policy_headers(request_rec *r, const sri_dir_conf *c)
{
    /* Both values were made when the directives were read. */
    if ((c->ipolicy == SRI_IP_REPORT || c->ipolicy == SRI_IP_ENFORCE)
        && c->ipolicy_header)
        apr_table_setn(r->headers_out,
                       c->ipolicy == SRI_IP_ENFORCE
                           ? "Integrity-Policy"
                           : "Integrity-Policy-Report-Only",
                       c->ipolicy_header);
    if (c->endpoints_header)
        apr_table_setn(r->headers_out, "Reporting-Endpoints",
                       c->endpoints_header);
}

/* ---- the response's Content-Security-Policy ---------------------------- */

static int csp_value_hashes(void *rec, const char *key, const char *value)
{
    if (value && sri_csp_hashes_inline_scripts(value, strlen(value))) {
        *(int *)rec = 1;
        return 0;                                   /* stop */
    }
    return 1;
}

static int tables_csp_hashes(apr_table_t *out, apr_table_t *err_out)
{
    int found = 0;

    apr_table_do(csp_value_hashes, &found, out, "Content-Security-Policy",
                 NULL);
    if (!found)
        apr_table_do(csp_value_hashes, &found, err_out,
                     "Content-Security-Policy", NULL);
    return found;
}

/* mod_headers applies `Header set|add|... ` (without `early`) in its
   FIXUP_HEADERS_OUT filter, which comes after ours (AP_FTYPE_CONTENT_SET
   against AP_FTYPE_RESOURCE): when our filter decides about import maps,
   a Content-Security-Policy set that way is not in the tables yet.  So we
   run that filter's function on copies: a stand-in request whose
   headers_out/err_headers_out are copies of the real ones, and a stand-in
   filter instance that is in no chain and has no next.  mod_headers reads
   its per-directory configuration from the request, edits the copies,
   "removes itself" (from a chain it is not in: nothing happens) and passes
   the empty brigade to no one (AP_NOBODY_WROTE).  The real filter still
   runs later, on the real tables, exactly once. */
static int fixups_csp_hashes(ap_filter_t *f)
{
    request_rec *r = f->r, *stand_in;
    ap_filter_t *fx, probe;
    apr_bucket_brigade *bb;

    for (fx = f->next; fx; fx = fx->next)
        if (fx->r == r && fx->frec && fx->frec->name &&
            !strcasecmp(fx->frec->name, "FIXUP_HEADERS_OUT"))
            break;
    if (!fx || !fx->frec->filter_func.out_func)
        return 0;
    stand_in = apr_pmemdup(r->pool, r, sizeof(*r));
    stand_in->headers_out = apr_table_copy(r->pool, r->headers_out);
    stand_in->err_headers_out = apr_table_copy(r->pool, r->err_headers_out);
    probe = *fx;
    probe.r = stand_in;
    probe.next = NULL;
    bb = apr_brigade_create(r->pool, f->c->bucket_alloc);
    fx->frec->filter_func.out_func(&probe, bb);
    apr_brigade_destroy(bb);
    return tables_csp_hashes(stand_in->headers_out,
                             stand_in->err_headers_out);
}

int sri_csp_hashes_inline(ap_filter_t *f)
{
    return tables_csp_hashes(f->r->headers_out, f->r->err_headers_out) ||
           fixups_csp_hashes(f);
}

/* Escape bytes that could break a log line (controls, DEL, backslash is
   kept as is: it is JSON's own escape). */
static char *escape_line(apr_pool_t *p, const char *s, apr_size_t n)
{
    char *out = apr_palloc(p, n * 4 + 1), *o = out;
    apr_size_t i;

    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f) {
            if (ch == '\n' || ch == '\r' || ch == '\t') {
                *o++ = ' ';
            } else {
                apr_snprintf(o, 5, "\\x%02x", ch);
                o += 4;
            }
        } else {
            *o++ = (char)ch;
        }
    }
    *o = '\0';
    return out;
}

/* Split a JSON array body into its top-level elements (reports+json is an
   array of reports); anything else is one report. */
static apr_array_header_t *split_reports(apr_pool_t *p, const char *s,
                                         apr_size_t n)
{
    apr_array_header_t *a = apr_array_make(p, 4, sizeof(struct iovec));
    apr_size_t i = 0, start = 0;
    int depth = 0, in_str = 0, esc = 0;
    struct iovec *v;

    while (i < n && apr_isspace(s[i]))
        i++;
    if (i == n || s[i] != '[') {
        v = apr_array_push(a);
        v->iov_base = (void *)s;
        v->iov_len = n;
        return a;
    }
    for (; i < n; i++) {
        char ch = s[i];
        if (in_str) {
            if (esc)
                esc = 0;
            else if (ch == '\\')
                esc = 1;
            else if (ch == '"')
                in_str = 0;
            continue;
        }
        if (ch == '"') {
            in_str = 1;
        } else if (ch == '[' || ch == '{') {
            if (++depth == 1)
                start = i + 1;
        } else if (ch == ']' || ch == '}' || (ch == ',' && depth == 1)) {
            if (depth == 1) {
                apr_size_t b = start, e = i;
                while (b < e && apr_isspace(s[b]))
                    b++;
                while (e > b && apr_isspace(s[e - 1]))
                    e--;
                if (e > b) {
                    v = apr_array_push(a);
                    v->iov_base = (void *)(s + b);
                    v->iov_len = e - b;
                }
                start = i + 1;
            }
            if (ch != ',')
                depth--;
        }
    }
    return a;
}

static volatile apr_uint32_t rate_sec, rate_count;

int sri_report_handler(request_rec *r)
{
    sri_dir_conf *c;
    const char *ct;
    const sri_report_log *log;
    char *body;
    apr_size_t len = 0;
    apr_off_t limit = SRI_REPORT_MAX_BODY;
    apr_array_header_t *reports;
    apr_status_t rv;
    apr_uint32_t now;
    char stamp[APR_RFC822_DATE_LEN];
    int i, rc;

    if (!r->handler || strcmp(r->handler, "sri-report"))
        return DECLINED;
    c = ap_get_module_config(r->per_dir_config, &sri_module);
    r->allowed |= (AP_METHOD_BIT << M_POST);
    if (r->method_number != M_POST)
        return HTTP_METHOD_NOT_ALLOWED;
    ct = apr_table_get(r->headers_in, "Content-Type");
    if (!ct || !(ap_strcasestr(ct, "application/reports+json") ||
                 ap_strcasestr(ct, "application/csp-report") ||
                 ap_strcasestr(ct, "application/json")))
        return HTTP_UNSUPPORTED_MEDIA_TYPE;

    now = (apr_uint32_t)apr_time_sec(apr_time_now());
    if (apr_atomic_read32(&rate_sec) != now) {
        apr_atomic_set32(&rate_sec, now);
        apr_atomic_set32(&rate_count, 0);
    }
    if (apr_atomic_inc32(&rate_count) >= SRI_REPORT_PER_SEC)
        return HTTP_TOO_MANY_REQUESTS;

    if ((rc = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK)) != OK)
        return rc;
    if (r->remaining > limit)
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    body = apr_palloc(r->pool, SRI_REPORT_MAX_BODY + 1);
    if (ap_should_client_block(r)) {
        long n;
        while ((n = ap_get_client_block(r, body + len,
                                        SRI_REPORT_MAX_BODY + 1 - len)) > 0) {
            len += (apr_size_t)n;
            if (len > SRI_REPORT_MAX_BODY)
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
        }
        if (n < 0)
            return HTTP_BAD_REQUEST;
    }
    body[len] = '\0';

    log = c->report_log;
    if (!log || !log->file) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "SRI: sri-report handler without SRIReportLog");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_rfc822_date(stamp, apr_time_now());
    reports = split_reports(r->pool, body, len);
    for (i = 0; i < reports->nelts; i++) {
        struct iovec *v = &((struct iovec *)reports->elts)[i];
        /* One write per line through the descriptor the parent opened
           (sri_reportlog.c): concurrent lines stay whole. */
        char *line = apr_pstrcat(r->pool, stamp, "\t",
                                 escape_line(r->pool, v->iov_base, v->iov_len),
                                 "\n", NULL);
        if ((rv = sri_report_log_write(log, line, strlen(line)))
                != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                          "SRI: cannot write report log %s", log->name);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return HTTP_NO_CONTENT;
}
