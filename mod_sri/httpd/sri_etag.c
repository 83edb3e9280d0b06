/*
 * sri_etag.c -- ETags that carry the registry version and policy.
 *
 * Why: a rewritten page depends on the file, the registry version and the
 * policy.  The validator we send says so ("...-sri<version><policy>" inside
 * the quotes), and a validator we issued for the current version is turned
 * back into the handler's own before the handler compares it, so 304s keep
 * working and a registry change invalidates caches.  Used by the fixups hook
 * (mod_sri.c) and the filter.
 */
#include <string.h>

#include "httpd.h"
#include "apr_strings.h"

#include "mod_sri.h"

const char *sri_etag_suffix(apr_pool_t *p, const sri_live_version *v,
                            const sri_dir_conf *c)
{
    sri_policy pol = sri_conf_policy(c);
    char digits[5];

    /* one digit per policy field (each enum is < 10): no formatter */
    digits[0] = (char)('0' + (int)pol.scope);
    digits[1] = (char)('0' + (int)pol.unknown);
    digits[2] = (char)('0' + (int)pol.existing);
    digits[3] = (char)('0' + (int)pol.crossorigin);
    digits[4] = '\0';
    return apr_pstrcat(p, "-sri", v ? v->id : "none", digits, NULL);
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
   older version stays, does not match, and the client gets the new page.
   Returns 1 when it removed one (the client holds a page we rewrote). */
int sri_etag_unmark(request_rec *r, const char *hdr, const char *suffix)
{
    const char *v = apr_table_get(r->headers_in, hdr);
    char *copy, *hit;
    apr_size_t n = strlen(suffix);

    if (!v || !strstr(v, suffix))
        return 0;
    copy = apr_pstrdup(r->pool, v);
    while ((hit = strstr(copy, suffix)) != NULL)
        memmove(hit, hit + n, strlen(hit + n) + 1);
    apr_table_setn(r->headers_in, hdr, copy);
    return 1;
}
