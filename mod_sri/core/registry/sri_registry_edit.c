/*
 * sri_registry_edit.c -- changing a registry in memory (sri-registry only).
 *
 * Why separate from the parser: the module only reads; these functions keep
 * the invariants the writer relies on (entries sorted by normalised URL, one
 * entry per URL, only validated tokens, e->integrity in step with
 * e->approved) so that every command edits the registry the same way.
 */
#include "registry/sri_registry_private.h"
#include "integrity/sri_integrity.h"
#include "url/sri_url.h"

#include <string.h>
#include <apr_strings.h>

apr_pool_t *sri_registry_pool(const sri_registry *r) { return r->pool; }
const char *sri_registry_name(const sri_registry *r) { return r->name; }
apr_array_header_t *sri_registry_header(sri_registry *r) { return r->header; }
apr_array_header_t *sri_registry_footer(sri_registry *r) { return r->footer; }

sri_entry *sri_registry_find(sri_registry *r, const char *url)
{
    return url ? apr_hash_get(r->by_url, url, APR_HASH_KEY_STRING) : NULL;
}

int sri_registry_position(const sri_registry *r, const char *url)
{
    int lo = 0, hi = r->entries->nelts;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        const sri_entry *e = APR_ARRAY_IDX(r->entries, mid, sri_entry *);
        if (strcmp(e->url, url) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

sri_entry *sri_registry_add(sri_registry *r, const char *url, char **err)
{
    char *norm;
    sri_entry *e;
    int pos, n;

    if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)) {
        *err = apr_psprintf(r->pool, "not an absolute http(s) URL: %s", url);
        return NULL;
    }
    norm = sri_url_normalize(r->pool, url);
    if (!norm || !sri_url_is_http(norm) || strpbrk(norm, " \t\r\n")) {
        *err = apr_psprintf(r->pool, "not a valid absolute http(s) URL: %s",
                            url);
        return NULL;
    }
    if (apr_hash_get(r->by_url, norm, APR_HASH_KEY_STRING)) {
        *err = apr_psprintf(r->pool, "%s is already in the registry", norm);
        return NULL;
    }
    /* New entries are written in normalised form: one spelling per URL. */
    e = sri_entry_new(r, norm, norm, 0);
    pos = sri_registry_position(r, norm);
    n = r->entries->nelts;
    apr_array_push(r->entries);
    memmove(r->entries->elts + (size_t)(pos + 1) * sizeof(sri_entry *),
            r->entries->elts + (size_t)pos * sizeof(sri_entry *),
            (size_t)(n - pos) * sizeof(sri_entry *));
    APR_ARRAY_IDX(r->entries, pos, sri_entry *) = e;
    apr_hash_set(r->by_url, norm, APR_HASH_KEY_STRING, e);
    return e;
}

int sri_registry_remove(sri_registry *r, const char *url)
{
    sri_entry *e = sri_registry_find(r, url);
    int pos;
    if (!e)
        return -1;
    pos = sri_registry_position(r, e->url);
    memmove(r->entries->elts + (size_t)pos * sizeof(sri_entry *),
            r->entries->elts + (size_t)(pos + 1) * sizeof(sri_entry *),
            (size_t)(r->entries->nelts - pos - 1) * sizeof(sri_entry *));
    r->entries->nelts--;
    apr_hash_set(r->by_url, e->url, APR_HASH_KEY_STRING, NULL);
    return 0;
}

int sri_entry_add_token(sri_registry *r, sri_entry *e, const char *token,
                        const char *seen, char **err)
{
    const char *why;
    sri_reg_token *t;

    /* A key may be approved; only digests are ever pending (drift). */
    if (seen ? !sri_token_valid(token, strlen(token), NULL, &why)
             : !sri_pin_token(token, strlen(token), &why)) {
        *err = apr_psprintf(r->pool, "bad token %s: %s", token, why);
        return -1;
    }
    if (seen && !sri_time_valid(seen, strlen(seen))) {
        *err = apr_psprintf(r->pool, "bad time %s", seen);
        return -1;
    }
    if (sri_entry_has_token(e, token)) {
        *err = apr_psprintf(r->pool, "%s already has token %s", e->url, token);
        return -1;
    }
    t = sri_array_push(r, seen ? &e->pending : &e->approved);
    t->token = apr_pstrdup(r->pool, token);
    t->seen = seen ? apr_pstrdup(r->pool, seen) : NULL;
    if (!seen)
        sri_entry_update(r, e);
    return 0;
}

static int drop_token(apr_array_header_t *a, const char *tok)
{
    int i = sri_reg_token_find(a, tok);
    if (i < 0)
        return 0;
    memmove(a->elts + (size_t)i * sizeof(sri_reg_token),
            a->elts + (size_t)(i + 1) * sizeof(sri_reg_token),
            (size_t)(a->nelts - i - 1) * sizeof(sri_reg_token));
    a->nelts--;
    return 1;
}

int sri_entry_remove_token(sri_entry *e, const char *token)
{
    return drop_token(e->approved, token) + drop_token(e->pending, token);
}
