/*
 * fuzz_importmap.c -- libFuzzer target for sri_importmap.c.
 *
 * Why: the import map is page text, and mod_sri edits it in place: a wrong
 * edit breaks the page's modules or pins the wrong bytes, a missed "last
 * key wins" leaves a module unpinned while we report it pinned.  The plan
 * is one insertion (text ins at off), so beyond "no crash, ASan clean"
 * this checks what that insertion promises:
 *   - the map is refused exactly when it is not JSON, as a tiny reader
 *     here (RFC 8259 plus Blink's "\v" and NUL, depth 1000) sees it, or
 *     its last "integrity" member is no object; sri_importmap_urls()
 *     agrees with sri_importmap_plan();
 *   - off is a '}' of the text, after which nothing but whitespace follows
 *     when a whole "integrity" member is added; the counts add up;
 *   - the edited map is valid JSON again, maps the same URLs, keeps every
 *     author entry, and reads (as browsers do: last key wins) for each URL
 *     the plan pinned exactly the registry's integrity -- no more URLs
 *     than pinned, each registered and not same-origin under SRIScope;
 *   - planning the edited map again: nothing left to pin under
 *     SRIExisting keep (each pin now kept), the same pins under replace.
 * Input: a knob byte, then the map.  Knob bit 0: replace; bits 1-2: the
 * base URL; bit 3: SRIScope third-party.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include "registry/sri_registry.h"
#include "rewrite/sri_importmap.h"
#include "url/sri_url.h"

#define T_A "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
#define T_B "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
#define T_C "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
#define T_S "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="

/* A prefix ("pkg/"), a neighbour of it, two tokens, mixed algorithms, a
   key, pending only, and URLs of each base's origin. */
static const char registry_text[] =
    "https://cdn.example.org/lodash.js\n  integrity " T_A "\n"
    "https://cdn.example.org/pkg/a.js\n  integrity " T_A "\n"
    "https://cdn.example.org/pkg/b/c.js\n  integrity " T_B "\n"
    "  integrity " T_C "\n"
    "https://cdn.example.org/pkgzzz.js\n  integrity " T_B "\n"
    "https://cdn.example.org/mixed.js\n  integrity " T_S "\n"
    "  integrity " T_A "\n"
    "https://cdn.example.org/key.js\n"
    "  integrity ed25519-JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n"
    "https://cdn.example.org/pending.js\n"
    "  pending " T_C " 2026-11-21T00:00:00Z\n"
    "https://shop.example/app/local.js\n  integrity " T_B "\n"
    "http://127.0.0.1:8080/a/lib.js\n  integrity " T_C "\n";

static const char *const bases[4] = {
    "https://shop.example/app/page.html",
    "https://cdn.example.org/pkg/b/index.html",
    NULL,
    "http://127.0.0.1:8080/a/b/"
};

static apr_pool_t *pool;
static sri_registry *reg;

static void fail(const char *why, const char *json, size_t len)
{
    fprintf(stderr, "fuzz_importmap: %s\n  map: %.*s\n", why,
            (int)(len > 2000 ? 2000 : len), json);
    abort();
}

/* ---- a tiny JSON reader of its own ------------------------------------- */

typedef struct {
    const unsigned char *s;
    size_t n, i;
    int depth;
} jv;

static void jv_ws(jv *v)
{
    while (v->i < v->n && (v->s[v->i] == ' ' || v->s[v->i] == '\t'
                           || v->s[v->i] == '\n' || v->s[v->i] == '\r'))
        v->i++;
}

static int jv_hex(unsigned c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return (int)(c - 'A' + 10);
    return -1;
}

/* A string; its first 16 decoded bytes into key (a non-ASCII character
   as 0x80), its decoded length (in such characters) into *klen. */
static int jv_string(jv *v, char *key, size_t *klen)
{
    static const char esc[] = "\"\\/bfnrtv", dec[] = "\"\\/\b\f\n\r\t\v";
    size_t k = 0;

    v->i++;
    while (v->i < v->n) {
        unsigned c = v->s[v->i++];
        if (c == '"') {
            *klen = k;
            return 0;
        }
        if (c == '\\') {
            const char *e;
            if (v->i >= v->n)
                return -1;
            c = v->s[v->i++];
            if (c == 'u') {
                unsigned cp = 0;
                int j, h;
                if (v->i + 4 > v->n)
                    return -1;
                for (j = 0; j < 4; j++) {
                    if ((h = jv_hex(v->s[v->i++])) < 0)
                        return -1;
                    cp = cp * 16 + (unsigned)h;
                }
                c = cp < 0x80 ? cp : 0x80;
            } else if (c == 0 || !(e = strchr(esc, (int)c))) {
                return -1;
            } else {
                c = (unsigned char)dec[e - esc];
            }
        } else if (c == 0) {
            c = 0x80;                   /* the tokenizer's U+FFFD */
        } else if (c < 0x20) {
            return -1;
        }
        if (k < 16)
            key[k] = (char)c;
        k++;
    }
    return -1;
}

static int jv_value(jv *v);

/* At the closing bracket c of the current object or array: step over it
   and leave the level (1); else 0. */
static int jv_closes(jv *v, char c)
{
    if (v->i < v->n && v->s[v->i] == (unsigned char)c) {
        v->i++;
        v->depth--;
        return 1;
    }
    return 0;
}

/* After a member or an element: a ',' (stepped over) says another follows
   (1); else 0, at what should close the level. */
static int jv_more(jv *v)
{
    jv_ws(v);
    if (v->i < v->n && v->s[v->i] == ',') {
        v->i++;
        return 1;
    }
    return 0;
}

/* An object; at the top, *integ says whether the last "integrity" member
   so far is an object. */
static int jv_object(jv *v, int *integ)
{
    if (++v->depth > 1000)
        return -1;
    v->i++;
    jv_ws(v);
    if (jv_closes(v, '}'))
        return 0;
    for (;;) {
        char key[16];
        size_t klen;
        jv_ws(v);
        if (v->i >= v->n || v->s[v->i] != '"' || jv_string(v, key, &klen))
            return -1;
        jv_ws(v);
        if (v->i >= v->n || v->s[v->i] != ':')
            return -1;
        v->i++;
        jv_ws(v);
        if (integ && klen == 9 && !memcmp(key, "integrity", 9))
            *integ = v->i < v->n && v->s[v->i] == '{';
        if (jv_value(v))
            return -1;
        if (!jv_more(v))
            return jv_closes(v, '}') ? 0 : -1;
    }
}

static int jv_digits(jv *v)
{
    size_t at = v->i;
    while (v->i < v->n && v->s[v->i] >= '0' && v->s[v->i] <= '9')
        v->i++;
    return v->i > at ? 0 : -1;
}

static int jv_value(jv *v)
{
    static const char *const lit[] = { "true", "false", "null" };
    char key[16];
    size_t k;

    if (v->i >= v->n)
        return -1;
    switch (v->s[v->i]) {
    case '{':
        return jv_object(v, NULL);
    case '"':
        return jv_string(v, key, &k);
    case '[':
        if (++v->depth > 1000)
            return -1;
        v->i++;
        jv_ws(v);
        if (jv_closes(v, ']'))
            return 0;
        for (;;) {
            jv_ws(v);
            if (jv_value(v))
                return -1;
            if (!jv_more(v))
                return jv_closes(v, ']') ? 0 : -1;
        }
    }
    for (k = 0; k < 3; k++)
        if (v->s[v->i] == (unsigned char)lit[k][0]) {
            size_t l = strlen(lit[k]);
            if (v->i + l > v->n || memcmp(v->s + v->i, lit[k], l))
                return -1;
            v->i += l;
            return 0;
        }
    if (v->s[v->i] == '-')
        v->i++;
    if (v->i < v->n && v->s[v->i] == '0')
        v->i++;
    else if (jv_digits(v))
        return -1;
    if (v->i < v->n && v->s[v->i] == '.') {
        v->i++;
        if (jv_digits(v))
            return -1;
    }
    if (v->i < v->n && (v->s[v->i] == 'e' || v->s[v->i] == 'E')) {
        v->i++;
        if (v->i < v->n && (v->s[v->i] == '+' || v->s[v->i] == '-'))
            v->i++;
        if (jv_digits(v))
            return -1;
    }
    return 0;
}

/* 1: a JSON object whose last "integrity" member, if any, is an object
   (a map sri_importmap_plan() edits); 0: one whose is not; -1: no JSON
   object. */
static int jv_map(const char *s, size_t n)
{
    jv v;
    int integ = 1;

    v.s = (const unsigned char *)s;
    v.n = n;
    v.i = 0;
    v.depth = 0;
    jv_ws(&v);
    if (v.i >= v.n || v.s[v.i] != '{' || jv_object(&v, &integ))
        return -1;
    jv_ws(&v);
    return v.i == v.n ? integ : -1;
}

/* ---- the properties ---------------------------------------------------- */

static const char *entry_value(apr_hash_t *h, const char *url, size_t *len)
{
    void *e = apr_hash_get(h, url, APR_HASH_KEY_STRING);
    return e ? sri_importmap_author_value(e, pool, "integrity", len) : NULL;
}

static int same_value(const char *a, size_t alen, const char *b, size_t blen)
{
    return a && b && alen == blen && !memcmp(a, b, alen);
}

static void check_edit(apr_pool_t *p, const char *json, size_t len,
                       const char *base, const char *skip, int replace,
                       size_t off, const char *ins,
                       const sri_importmap_result *res)
{
    apr_array_header_t *urls, *urls2;
    apr_hash_t *before = NULL, *after = NULL, *ours = NULL;
    apr_hash_index_t *hi;
    sri_importmap_result res2;
    const char *body = ins;
    size_t ilen = strlen(ins), olen = len + ilen, off2;
    char *out, *wrap, *ins2;
    int whole, i, n2;

    if (off >= len || json[off] != '}' || ilen == 0)
        fail("edit not at a '}' of the map", json, len);
    /* the inserted entries, alone in a map of their own */
    if (*body == ',')
        body++;
    whole = !strncmp(body, "\"integrity\":{", 13);
    if (whole) {
        size_t k;
        for (k = off + 1; k < len; k++)
            if (!strchr(" \t\n\r", json[k]) || !json[k])
                fail("\"integrity\" member not added at the map's end",
                     json, len);
    }
    wrap = apr_pstrcat(p, whole ? "{" : "{\"integrity\":{", body,
                       whole ? "}" : "}}", NULL);
    if (sri_importmap_urls(p, wrap, strlen(wrap), base, &ours) == NULL
        || jv_map(wrap, strlen(wrap)) != 1)
        fail("inserted text is not integrity entries", json, len);
    if ((int)apr_hash_count(ours) != res->pinned)
        fail("inserted entries are not one per pinned URL", json, len);

    out = apr_palloc(p, olen);
    memcpy(out, json, off);
    memcpy(out + off, ins, ilen);
    memcpy(out + off + ilen, json + off, len - off);
    if (jv_map(out, olen) != 1)
        fail("edited map is not valid JSON", json, len);
    urls = sri_importmap_urls(p, json, len, base, &before);
    urls2 = sri_importmap_urls(p, out, olen, base, &after);
    if (!urls || !urls2)
        fail("edited map not read back", json, len);
    if (urls->nelts != urls2->nelts)
        fail("edited map maps other URLs", json, len);
    for (i = 0; i < urls->nelts; i++)
        if (strcmp(((const char **)urls->elts)[i],
                   ((const char **)urls2->elts)[i]))
            fail("edited map maps other URLs", json, len);

    /* each pin: registered, and the entry browsers now use */
    for (hi = apr_hash_first(p, ours); hi; hi = apr_hash_next(hi)) {
        const void *k;
        const char *u, *v, *a;
        const sri_entry *e;
        size_t vlen, alen;
        apr_hash_this(hi, &k, NULL, NULL);
        u = k;
        v = entry_value(ours, u, &vlen);
        e = sri_registry_lookup(reg, sri_url_without_fragment(p, u));
        if (!e || !e->integrity || !same_value(v, vlen, e->integrity,
                                               strlen(e->integrity)))
            fail("pinned a URL with other than its registry integrity",
                 json, len);
        if (skip && sri_url_same_origin(u, skip))
            fail("pinned a same-origin URL under third-party", json, len);
        a = entry_value(after, u, &alen);
        if (!same_value(a, alen, v, vlen))
            fail("a pin is not the entry browsers use", json, len);
    }
    /* every other entry as the author wrote it */
    for (hi = apr_hash_first(p, before); hi; hi = apr_hash_next(hi)) {
        const void *k;
        apr_hash_this(hi, &k, NULL, NULL);
        if (!apr_hash_get(after, k, APR_HASH_KEY_STRING))
            fail("an author entry was lost", json, len);
    }
    for (hi = apr_hash_first(p, after); hi; hi = apr_hash_next(hi)) {
        const void *k;
        const char *a, *b;
        size_t alen, blen;
        apr_hash_this(hi, &k, NULL, NULL);
        if (apr_hash_get(ours, k, APR_HASH_KEY_STRING))
            continue;
        a = entry_value(after, k, &alen);
        b = entry_value(before, k, &blen);
        if (!same_value(a, alen, b, blen))
            fail("an entry changed that the plan did not pin", json, len);
    }

    /* once more: the edit is done */
    n2 = sri_importmap_plan(p, out, olen, base, reg, skip, replace, &off2,
                            &ins2, &res2);
    if (replace ? n2 != res->pinned || res2.kept || res2.repaired
                : n2 != 0 || res2.kept != res->kept + res->pinned
                  || res2.mismatch != res->mismatch || res2.repaired)
        fail("planning the edited map again does not agree", json, len);
    if (res2.unknown_urls->nelts != res->unknown_urls->nelts)
        fail("edited map has other unknown URLs", json, len);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    apr_pool_t *p;
    const char *json = (const char *)data + 1, *base, *skip = NULL;
    size_t len = size ? size - 1 : 0, off = (size_t)-1;
    char *ins = NULL;
    sri_importmap_result res;
    int replace, n, valid, i;

    if (!pool) {
        char *err = NULL;
        apr_initialize();
        apr_pool_create(&pool, NULL);
        if (sri_registry_parse(pool, "fuzz", registry_text,
                               sizeof(registry_text) - 1, &reg, &err) != 0) {
            fprintf(stderr, "fuzz_importmap: registry: %s\n", err);
            abort();
        }
    }
    if (size < 1 || size > 1 << 16)
        return 0;
    replace = data[0] & 1;
    base = bases[(data[0] >> 1) & 3];
    if (data[0] & 8)
        skip = base ? base : "https://cdn.example.org/";
    apr_pool_create(&p, pool);

    n = sri_importmap_plan(p, json, len, base, reg, skip, replace, &off,
                           &ins, &res);
    valid = jv_map(json, len);
    if ((n >= 0) != (valid == 1))
        fail(n < 0 ? "refused a map that is valid JSON"
                   : "edits a map that is no valid JSON", json, len);
    if ((sri_importmap_urls(p, json, len, base, NULL) != NULL) != (n >= 0))
        fail("sri_importmap_urls and sri_importmap_plan disagree", json, len);
    if (!res.repaired_urls || !res.mismatch_urls || !res.unknown_urls)
        fail("result arrays not set", json, len);
    if (n < 0 ? res.pinned || res.kept || res.repaired || res.mismatch
              : n != res.pinned || res.repaired > res.pinned
                || res.mismatch > res.kept || (replace && res.kept)
                || res.repaired_urls->nelts != res.repaired
                || res.mismatch_urls->nelts != res.mismatch)
        fail("counts do not add up", json, len);
    for (i = 0; i < res.unknown_urls->nelts; i++) {
        const char *u = ((const char **)res.unknown_urls->elts)[i];
        if (!sri_url_is_http(u) || strchr(u, '#')
            || sri_registry_lookup(reg, u))
            fail("an unknown URL that is not", json, len);
    }
    if (n > 0)
        check_edit(p, json, len, base, skip, replace, off, ins, &res);
    apr_pool_destroy(p);
    return 0;
}
