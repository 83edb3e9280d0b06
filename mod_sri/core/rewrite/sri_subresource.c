/*
 * sri_subresource.c -- which elements take integrity, and for which URL.
 *
 * Why: see sri_subresource.h.  One implementation of the HTML standard's
 * rules ("prepare the script element" on type and language; the link types
 * that honour integrity) and of what an author's integrity attribute means
 * for a registered URL, asked by the rewriter for every tag the scanner
 * finds and by `sri-registry scan` for every element libxml2 builds.
 */
#include <string.h>
#include <strings.h>
#include <apr_strings.h>

#include "rewrite/sri_subresource.h"
#include "url/sri_url.h"
#include "integrity/sri_integrity.h"
#include "sri_text.h"

static const char *const js_mime_types[] = {
    "application/ecmascript", "application/javascript",
    "application/x-ecmascript", "application/x-javascript",
    "text/ecmascript", "text/javascript", "text/javascript1.0",
    "text/javascript1.1", "text/javascript1.2", "text/javascript1.3",
    "text/javascript1.4", "text/javascript1.5", "text/jscript",
    "text/livescript", "text/x-ecmascript", "text/x-javascript", NULL
};

static int eq_nocase(const char *a, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    return n == m && strncasecmp(a, lit, n) == 0;
}

/* An attribute's value with surrounding ASCII whitespace stripped; NULL
   when absent. */
static const char *stripped(apr_pool_t *p, const sri_attrs *a,
                            const char *lname, size_t *len)
{
    const char *v = a->get(a->ctx, p, lname, len);

    if (v)
        sri_strip_ws(&v, len);
    return v;
}

/* Does the HTML standard fetch this <script> as a classic or module script?
   ("prepare the script element", the steps on type and language) */
static int script_is_fetched(apr_pool_t *p, const sri_attrs *a)
{
    size_t tn = 0, ln = 0, n;
    const char *type = a->get(a->ctx, p, "type", &tn);
    const char *lang = a->get(a->ctx, p, "language", &ln);
    const char *t;
    int i;

    if (type && tn == 0)
        return 1;                               /* type="" : classic     */
    if (!type) {
        if (!lang || ln == 0)
            return 1;                           /* classic               */
        /* no type but a language: the type is "text/" + language */
        t = stripped(p, a, "language", &n);
        t = apr_pstrcat(p, "text/", apr_pstrmemdup(p, t, n), NULL);
        n = strlen(t);
    } else {
        t = stripped(p, a, "type", &n);
        if (eq_nocase(t, n, "module"))
            return 1;
    }
    for (i = 0; js_mime_types[i]; i++)
        if (eq_nocase(t, n, js_mime_types[i]))
            return 1;
    return 0;                                   /* data block, importmap */
}

/* Which integrity-checked fetch a <link> starts, from its rel token list
   (and as, for preload). */
static sri_fetch_kind link_kind(apr_pool_t *p, const sri_attrs *a)
{
    size_t n, pos = 0, tn;
    const char *rel = a->get(a->ctx, p, "rel", &n);
    const char *tok, *as;
    int preload = 0;

    if (!rel)
        return SRI_FETCH_NONE;
    while (sri_next_token(rel, n, &pos, &tok, &tn)) {
        if (eq_nocase(tok, tn, "stylesheet"))
            return SRI_FETCH_STYLESHEET;
        if (eq_nocase(tok, tn, "modulepreload"))
            return SRI_FETCH_MODULEPRELOAD;
        if (eq_nocase(tok, tn, "preload"))
            preload = 1;
    }
    if (!preload)
        return SRI_FETCH_NONE;
    as = stripped(p, a, "as", &n);
    return as && (eq_nocase(as, n, "script") || eq_nocase(as, n, "style"))
        ? SRI_FETCH_PRELOAD : SRI_FETCH_NONE;
}

/* A src or href: 1 with *url when it resolves against base to an
   http(s) URL (normalised). */
static int http_reference(apr_pool_t *p, const char *ref, size_t n,
                          const char *base, const char **url)
{
    const char *u;

    sri_strip_ws(&ref, &n);
    if (n == 0)
        return 0;                   /* src="" is an error, not a fetch */
    u = sri_url_resolve(p, base, ref, n);
    if (!u || !sri_url_is_http(u))
        return 0;                   /* data:, blob:, invalid: nothing to pin */
    *url = u;
    return 1;
}

const char *sri_fetch_kind_name(sri_fetch_kind k)
{
    switch (k) {
    case SRI_FETCH_SCRIPT:        return "script";
    case SRI_FETCH_STYLESHEET:    return "stylesheet";
    case SRI_FETCH_MODULEPRELOAD: return "modulepreload";
    case SRI_FETCH_PRELOAD:       return "preload";
    case SRI_FETCH_IMPORTMAP:     return "importmap";
    case SRI_FETCH_SVG_SCRIPT:    return "svg-script";
    default:                      return "";
    }
}

sri_fetch_kind sri_subresource(apr_pool_t *p, const char *name,
                               const sri_attrs *a, const char *base,
                               const char **url)
{
    sri_fetch_kind kind;
    const char *ref;
    size_t n;

    if (!strcasecmp(name, "script")) {
        if (!(ref = a->get(a->ctx, p, "src", &n)) || !script_is_fetched(p, a))
            return SRI_FETCH_NONE;
        kind = SRI_FETCH_SCRIPT;
    } else if (!strcasecmp(name, "link")) {
        if (!(ref = a->get(a->ctx, p, "href", &n))
            || (kind = link_kind(p, a)) == SRI_FETCH_NONE)
            return SRI_FETCH_NONE;
    } else {
        return SRI_FETCH_NONE;
    }
    return http_reference(p, ref, n, base, url) ? kind : SRI_FETCH_NONE;
}

int sri_svg_script(apr_pool_t *p, const sri_attrs *a, const char *base,
                   const char **url)
{
    size_t n;
    const char *ref = a->get(a->ctx, p, "href", &n);

    /* SVG 2: href wins over the older xlink:href, present even if empty.
       Whatever its type: browsers ignore language on an SVG <script> and
       do not run every type, but one left out here would be neither
       blocked nor logged. */
    if (!ref && !(ref = a->get(a->ctx, p, "xlink:href", &n)))
        return 0;
    return http_reference(p, ref, n, base, url);
}

int sri_is_importmap(apr_pool_t *p, const char *name, const sri_attrs *a)
{
    size_t n;
    const char *t;

    if (strcasecmp(name, "script") || a->get(a->ctx, p, "src", &n))
        return 0;
    t = stripped(p, a, "type", &n);
    return t && eq_nocase(t, n, "importmap");
}

int sri_base_element(apr_pool_t *p, const sri_attrs *a, const char *doc_url,
                     const char **base)
{
    size_t n;
    const char *href = stripped(p, a, "href", &n);
    const char *resolved;

    if (!href)
        return 0;
    resolved = sri_url_resolve(p, doc_url, href, n);
    /* HTML's "frozen base URL": a base that does not parse, or whose
       scheme is data or javascript, falls back to the document's URL. */
    if (!resolved || !strncmp(resolved, "data:", 5)
        || !strncmp(resolved, "javascript:", 11))
        resolved = doc_url;
    *base = resolved;
    return 1;
}

sri_author_integrity sri_author_integrity_of(apr_pool_t *p,
                                             const sri_attrs *a,
                                             const sri_entry *e)
{
    size_t n, pos = 0;
    const char *v = a->get(a->ctx, p, "integrity", &n);
    sri_algo compared;
    sri_metadata m;
    int usable_key = 0, hash_ok = 0, key_ok = 0;

    if (!v)
        return SRI_AUTHOR_NONE;
    compared = sri_integrity_compared(v, n);
    while (sri_integrity_next(v, n, &pos, &m)) {
        int approved = m.usable &&
                       sri_reg_token_find(e->approved, m.canon) >= 0;
        if (m.key) {
            usable_key |= m.usable;     /* an unusable key is skipped */
            key_ok |= approved;
        } else if (m.algo == compared) {
            hash_ok |= approved;
        }
    }
    if (sri_integrity_strongest(v, n) == SRI_ALGO_NONE && !usable_key)
        return SRI_AUTHOR_FAIL_OPEN;
    /* Digests and keys are two checks, both must pass: the strongest
       digests browsers compare must include an approved one, and so must
       the keys (signature-based SRI). */
    if ((compared == SRI_ALGO_NONE || hash_ok) && (!usable_key || key_ok))
        return SRI_AUTHOR_MATCH;
    return SRI_AUTHOR_MISMATCH;
}
