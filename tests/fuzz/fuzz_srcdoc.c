/*
 * fuzz_srcdoc.c -- libFuzzer target for the rewriting of <iframe srcdoc>.
 *
 * Why: the srcdoc of an iframe is a page of its own; mod_sri rewrites it
 * and writes it back into the attribute, keeping the value as written
 * wherever it is not edited (its references, the page's encoding) and
 * escaping what it adds (sri_rewrite.c, iframe_srcdoc).  The browser reads
 * the decoded value, so the promise is exact and checkable on any value:
 *   - decoding the new value gives the very page that rewriting the
 *     decoded old value gives (a srcdoc page is rewritten as any page);
 *   - the tag around the value is untouched, the new value is
 *     double-quoted with no '"' inside;
 *   - a value whose page has nothing to change is left byte for byte.
 * Input: a knob byte, then the value.  Knob bits 0-1: the value's quotes
 * (", ', none: bytes that would end it are replaced by 'x'); bit 2:
 * SRIUnknown block; bit 3: SRIExisting replace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "registry/sri_registry.h"
#include "rewrite/sri_rewrite.h"
#include "html/sri_charref.h"

#define T_A "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
#define DOC "https://shop.example/app/page.html"

static const char registry_text[] =
    "https://cdn.example.org/a.js\n  integrity " T_A "\n"
    "https://cdn.example.org/b.css\n  integrity " T_A "\n"
    "https://shop.example/app/own.js\n  integrity " T_A "\n";

static apr_pool_t *pool;
static sri_registry *reg;

static void fail(const char *why, const char *value, size_t len)
{
    fprintf(stderr, "fuzz_srcdoc: %s\n  value: %.*s\n", why,
            (int)(len > 2000 ? 2000 : len), value);
    abort();
}

/* How many times "srcdoc" (any case) occurs: pages nested deeper than the
   rewriter goes are rewritten one level less inside an iframe than at the
   top, so those inputs are not compared. */
static size_t srcdocs(const char *s, size_t n)
{
    size_t k, c = 0;
    for (k = 0; k + 6 <= n; k++)
        if (!strncasecmp(s + k, "srcdoc", 6))
            c++;
    return c;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const char head[] = "<iframe srcdoc=", tail[] = "></iframe>";
    apr_pool_t *p;
    sri_policy pol = { SRI_SCOPE_THIRD_PARTY, SRI_UNKNOWN_ALLOW,
                       SRI_EXISTING_KEEP, SRI_CORS_ANONYMOUS };
    char *value, *html, *out, *want, *page, *got;
    const char *mid, *q;
    size_t len, k, out_len, want_len, page_len, got_len, mid_len;
    int quote;

    if (!pool) {
        char *err = NULL;
        apr_initialize();
        apr_pool_create(&pool, NULL);
        if (sri_registry_parse(pool, "fuzz", registry_text,
                               sizeof(registry_text) - 1, &reg, &err) != 0) {
            fprintf(stderr, "fuzz_srcdoc: registry: %s\n", err);
            abort();
        }
    }
    if (size < 1 || size > 1 << 16)
        return 0;
    quote = "\"' \""[data[0] & 3];
    if (data[0] & 4)
        pol.unknown = SRI_UNKNOWN_BLOCK;
    if (data[0] & 8)
        pol.existing = SRI_EXISTING_REPLACE;
    len = size - 1;
    apr_pool_create(&p, pool);
    value = apr_pstrmemdup(p, (const char *)data + 1, len);
    for (k = 0; k < len; k++) {
        unsigned char c = (unsigned char)value[k];
        if (quote == ' ' ? (c == '>' || c == ' ' || c == '\t' || c == '\n'
                            || c == '\f' || c == '\r' || c == '"'
                            || c == '\'' || (k == 0 && c == '\0'))
                         : c == (unsigned char)quote)
            value[k] = 'x';
    }
    if (quote == ' ' && len == 0) {
        apr_pool_destroy(p);
        return 0;                       /* "srcdoc=>": no value */
    }
    html = quote == ' '
        ? apr_pstrcat(p, head, value, tail, NULL)
        : apr_psprintf(p, "%s%c%s%c%s", head, quote, value, quote, tail);
    if (strlen(html) != strlen(head) + len + (quote == ' ' ? 0 : 2)
                        + strlen(tail)) {
        apr_pool_destroy(p);            /* a NUL in the value: not here */
        return 0;
    }
    if (sri_rewrite_buffer(p, reg, DOC, &pol, html, strlen(html), 0, &out,
                           &out_len, NULL) != 0)
        fail("the rewrite failed", value, len);

    /* the page as the browser reads it, rewritten on its own */
    page = sri_charref_decode_attr(p, value, len, &page_len);
    if (sri_rewrite_buffer(p, reg, DOC, &pol, page, page_len, 0, &want,
                           &want_len, NULL) != 0)
        fail("the rewrite of the page failed", value, len);

    if (out_len < strlen(head) + strlen(tail)
        || memcmp(out, head, strlen(head))
        || memcmp(out + out_len - strlen(tail), tail, strlen(tail)))
        fail("the tag around the value changed", value, len);
    mid = out + strlen(head);
    mid_len = out_len - strlen(head) - strlen(tail);
    if (want_len == page_len && !memcmp(want, page, page_len)) {
        if (strcmp(out, html))
            fail("nothing to change, but the value changed", value, len);
        apr_pool_destroy(p);
        return 0;
    }
    if (srcdocs(page, page_len) > 2) {
        apr_pool_destroy(p);
        return 0;
    }
    if (mid_len < 2 || mid[0] != '"' || mid[mid_len - 1] != '"')
        fail("the new value is not double-quoted", value, len);
    for (q = mid + 1; q < mid + mid_len - 1; q++)
        if (*q == '"')
            fail("a '\"' inside the new value", value, len);
    got = sri_charref_decode_attr(p, mid + 1, mid_len - 2, &got_len);
    if (got_len != want_len || memcmp(got, want, want_len))
        fail("the new value does not decode to the rewritten page", value,
             len);
    apr_pool_destroy(p);
    return 0;
}
