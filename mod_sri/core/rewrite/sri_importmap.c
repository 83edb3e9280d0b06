/*
 * sri_importmap.c -- plan the "integrity" addition to an import map.
 *
 * Why: see sri_importmap.h.  A small strict JSON reader (RFC 8259, depth
 * bounded) walks the map once, collecting the URL values of "imports" and of
 * every scope in "scopes", the keys of an existing "integrity" object, and
 * where text can be inserted.  Anything it does not fully understand is left
 * alone: a broken map must stay exactly as broken as the author wrote it.
 */
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <apr_hash.h>

#include "rewrite/sri_importmap.h"
#include "rewrite/sri_subresource.h"
#include "url/sri_url.h"
#include "sri_text.h"

/* Blink's JSON parser nests 1000 deep (990 taken, 1001 refused). */
#define MAX_DEPTH 1000

typedef struct {
    apr_pool_t *p;
    const char *s;
    size_t      n, i;
    int         depth;
} json_reader;

static void skip_ws(json_reader *r)
{
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' ||
                           r->s[r->i] == '\n' || r->s[r->i] == '\r'))
        r->i++;
}

static int read_hex4(json_reader *r, unsigned *out)
{
    unsigned v = 0;
    int k;

    if (r->i + 4 > r->n)
        return -1;
    for (k = 0; k < 4; k++) {
        int h = sri_hex_value((unsigned char)r->s[r->i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + (unsigned)h;
    }
    r->i += 4;
    *out = v;
    return 0;
}

/* A string at r->i (the opening quote); decoded into *out if out != NULL. */
static int read_string(json_reader *r, char **out, size_t *out_len)
{
    size_t start;
    char *o = NULL;
    size_t ol = 0;

    if (r->i >= r->n || r->s[r->i] != '"')
        return -1;
    start = ++r->i;
    if (out) {
        /* Decoded text is never longer than its JSON spelling ("\\uXXXX"
           is at most 3 bytes of UTF-8, a surrogate pair 4), but for a NUL,
           which becomes U+FFFD (3 bytes): the string's own length, not the
           rest of the text, per string. */
        size_t j = start, nuls = 0;
        while (j < r->n && r->s[j] != '"') {
            nuls += r->s[j] == '\0';
            j += r->s[j] == '\\' ? 2 : 1;
        }
        o = apr_palloc(r->p, (j < r->n ? j : r->n) - start + 2 * nuls + 1);
    }
    while (r->i < r->n) {
        unsigned char c = (unsigned char)r->s[r->i];
        if (c == '"') {
            r->i++;
            if (out) {
                o[ol] = '\0';
                *out = o;
                *out_len = ol;
            }
            return 0;
        }
        if (c == 0) {
            /* The HTML tokenizer hands script text on with U+FFFD for
               each NUL: the browser's JSON parser never sees one. */
            if (o)
                ol += sri_put_utf8(o + ol, 0xFFFD);
            r->i++;
            continue;
        }
        if (c < 0x20)
            return -1;                          /* control in a string */
        if (c != '\\') {
            if (o)
                o[ol++] = (char)c;
            r->i++;
            continue;
        }
        if (++r->i >= r->n)
            return -1;
        c = (unsigned char)r->s[r->i++];
        switch (c) {
        case '"': case '\\': case '/':
            if (o) o[ol++] = (char)c;
            break;
        case 'b': if (o) o[ol++] = '\b'; break;
        case 'f': if (o) o[ol++] = '\f'; break;
        case 'n': if (o) o[ol++] = '\n'; break;
        case 'r': if (o) o[ol++] = '\r'; break;
        case 't': if (o) o[ol++] = '\t'; break;
        case 'v': if (o) o[ol++] = '\v'; break;   /* Blink takes it */
        case 'u': {
            unsigned cp, lo;
            if (read_hex4(r, &cp) != 0)
                return -1;
            if (cp >= 0xD800 && cp <= 0xDBFF && r->i + 6 <= r->n &&
                r->s[r->i] == '\\' && r->s[r->i + 1] == 'u') {
                size_t save = r->i;
                r->i += 2;
                if (read_hex4(r, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF)
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                else
                    r->i = save;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;                    /* lone surrogate */
            if (o) ol += sri_put_utf8(o + ol, cp);
            break;
        }
        default:
            return -1;
        }
    }
    return -1;
}

static int skip_value(json_reader *r);

static int skip_literal(json_reader *r, const char *lit)
{
    size_t n = strlen(lit);

    if (r->i + n > r->n || memcmp(r->s + r->i, lit, n) != 0)
        return -1;
    r->i += n;
    return 0;
}

static int skip_number(json_reader *r)
{
    size_t start = r->i;

    if (r->i < r->n && r->s[r->i] == '-')
        r->i++;
    if (r->i < r->n && r->s[r->i] == '0')
        r->i++;
    else if (r->i < r->n && r->s[r->i] >= '1' && r->s[r->i] <= '9')
        while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
            r->i++;
    else
        return -1;
    if (r->i < r->n && r->s[r->i] == '.') {
        r->i++;
        if (r->i >= r->n || r->s[r->i] < '0' || r->s[r->i] > '9')
            return -1;
        while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
            r->i++;
    }
    if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
        r->i++;
        if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
            r->i++;
        if (r->i >= r->n || r->s[r->i] < '0' || r->s[r->i] > '9')
            return -1;
        while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
            r->i++;
    }
    return r->i > start ? 0 : -1;
}

/* Generic object/array walker.  For objects, member() is called with the
   decoded key (klen bytes: it may hold a NUL), positioned at the value,
   and must consume it. */
typedef int (*member_fn)(json_reader *r, const char *key, size_t klen,
                         void *ctx);

static int walk_object(json_reader *r, member_fn member, void *ctx,
                       size_t *open, size_t *close, int *members)
{
    int count = 0;

    if (r->i >= r->n || r->s[r->i] != '{' || ++r->depth > MAX_DEPTH)
        return -1;
    if (open)
        *open = r->i;
    r->i++;
    skip_ws(r);
    /* members, unless the object is empty: "key": value, ... */
    while (!(count == 0 && r->i < r->n && r->s[r->i] == '}')) {
        char *key = NULL;
        size_t klen = 0;
        skip_ws(r);
        if (read_string(r, member ? &key : NULL, &klen) != 0)
            return -1;
        skip_ws(r);
        if (r->i >= r->n || r->s[r->i] != ':')
            return -1;
        r->i++;
        skip_ws(r);
        if ((member ? member(r, key, klen, ctx) : skip_value(r)) != 0)
            return -1;
        count++;
        skip_ws(r);
        if (r->i >= r->n || r->s[r->i] != ',')
            break;
        r->i++;
    }
    if (r->i >= r->n || r->s[r->i] != '}')
        return -1;
    if (close)
        *close = r->i;
    r->i++;
    r->depth--;
    if (members)
        *members = count;
    return 0;
}

static int skip_array(json_reader *r)
{
    if (++r->depth > MAX_DEPTH)
        return -1;
    r->i++;
    skip_ws(r);
    if (r->i < r->n && r->s[r->i] == ']') {
        r->i++;
        r->depth--;
        return 0;
    }
    for (;;) {
        skip_ws(r);
        if (skip_value(r) != 0)
            return -1;
        skip_ws(r);
        if (r->i < r->n && r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->n && r->s[r->i] == ']') {
            r->i++;
            r->depth--;
            return 0;
        }
        return -1;
    }
}

static int skip_value(json_reader *r)
{
    if (r->i >= r->n)
        return -1;
    switch (r->s[r->i]) {
    case '{': return walk_object(r, NULL, NULL, NULL, NULL, NULL);
    case '[': return skip_array(r);
    case '"': return read_string(r, NULL, NULL);
    case 't': return skip_literal(r, "true");
    case 'f': return skip_literal(r, "false");
    case 'n': return skip_literal(r, "null");
    default:  return skip_number(r);
    }
}

/* ---- the import map's own structure ------------------------------------ */

/* One distinct key of the "integrity" section, as a browser's JSON
   parser keeps it: where it first came, with the value it last had. */
typedef struct {
    const char *key, *val;              /* val NULL: not a string         */
    size_t      klen, vlen;
    const char *url;                    /* resolved (read_map), or NULL   */
} author_entry;

typedef struct {
    const char          *base;
    apr_array_header_t  *urls;          /* const char *, resolved          */
    apr_array_header_t  *entries;       /* author_entry *, in key order    */
    apr_hash_t          *entry_of_key;  /* key bytes -> author_entry *     */
    apr_hash_t          *listed;        /* resolved URL -> the author_entry
                                           browsers use for it (read_map) */
    int                  has_integrity;
    size_t               integ_close;   /* offset of its '}'               */
    int                  integ_members;
    int                  bad;
} map_ctx;

/* The URL with its fragment: import-map integrity is looked up by the
   whole URL a module is fetched as ("x.js#v2" is not "x.js").  The
   fragment is kept as written (browsers encode the same bytes the same
   way); sri_url_resolve() drops it. */
static char *keep_fragment(apr_pool_t *p, char *url, const char *spec,
                           size_t n)
{
    const char *hash = memchr(spec, '#', n);

    return url && hash ? apr_pstrcat(p, url, apr_pstrndup(p, hash,
                                     (size_t)(spec + n - hash)), NULL)
                       : url;
}

/* A specifier map: { "name": "url", ... }; collect the URL values. */
static int specifier_member(json_reader *r, const char *key, size_t klen,
                            void *vctx)
{
    map_ctx *m = vctx;
    char *val;
    size_t vlen;
    char *url;

    (void)key;
    (void)klen;
    if (r->i < r->n && r->s[r->i] == '"') {
        if (read_string(r, &val, &vlen) != 0)
            return -1;
        url = keep_fragment(r->p, sri_url_resolve(r->p, m->base, val, vlen),
                            val, vlen);
        if (url)
            *(const char **)apr_array_push(m->urls) = url;
        return 0;
    }
    return skip_value(r);             /* invalid entry: the browser ignores it */
}

static int scopes_member(json_reader *r, const char *key, size_t klen,
                         void *vctx)
{
    (void)key;
    (void)klen;
    if (r->i < r->n && r->s[r->i] == '{')
        return walk_object(r, specifier_member, vctx, NULL, NULL, NULL);
    return skip_value(r);
}

/* HTML's "resolve a URL-like module specifier": "/", "./" and "../"
   resolve against the base; anything else must be an absolute URL (a bare
   "lodash.js" is no key of the integrity map: the browser drops it). */
static char *resolve_url_like(apr_pool_t *p, const char *base,
                              const char *spec, size_t n)
{
    if ((n >= 1 && spec[0] == '/') || (n >= 2 && !memcmp(spec, "./", 2))
        || (n >= 3 && !memcmp(spec, "../", 3)))
        return keep_fragment(p, sri_url_resolve(p, base, spec, n), spec, n);
    return keep_fragment(p, sri_url_resolve(p, NULL, spec, n), spec, n);
}


/* A duplicate key keeps its first place and takes its last value, as
   JSON.parse has it (Chromium's JSON object too). */
static int integrity_member(json_reader *r, const char *key, size_t klen,
                            void *vctx)
{
    map_ctx *m = vctx;
    author_entry *e = apr_hash_get(m->entry_of_key, key, (apr_ssize_t)klen);
    char *val = NULL;
    size_t vlen = 0;

    if (r->i < r->n && r->s[r->i] == '"') {
        if (read_string(r, &val, &vlen) != 0)
            return -1;
    } else if (skip_value(r) != 0) {
        return -1;
    }
    if (!e) {
        e = apr_pcalloc(r->p, sizeof(*e));
        e->key = key;
        e->klen = klen;
        apr_hash_set(m->entry_of_key, key, (apr_ssize_t)klen, e);
        *(author_entry **)apr_array_push(m->entries) = e;
    }
    e->val = val;
    e->vlen = vlen;
    return 0;
}

/* HTML's "normalize a module integrity map": the keys in order, each
   resolved as a URL-like specifier; a key that does not resolve, or whose
   value is no string, is dropped; a later key for the same URL wins. */
static void normalize_integrity(apr_pool_t *p, map_ctx *m)
{
    int i;

    for (i = 0; i < m->entries->nelts; i++) {
        author_entry *e = ((author_entry **)m->entries->elts)[i];
        e->url = resolve_url_like(p, m->base, e->key, e->klen);
        if (e->url && e->val)
            apr_hash_set(m->listed, e->url, APR_HASH_KEY_STRING, e);
    }
}

/* key is exactly name (a NUL inside makes it another key). */
static int key_is(const char *key, size_t klen, const char *name)
{
    return klen == strlen(name) && !memcmp(key, name, klen);
}

static int top_member(json_reader *r, const char *key, size_t klen,
                      void *vctx)
{
    map_ctx *m = vctx;

    if (key_is(key, klen, "imports")) {
        if (r->i < r->n && r->s[r->i] == '{')
            return walk_object(r, specifier_member, m, NULL, NULL, NULL);
        return skip_value(r);
    }
    if (key_is(key, klen, "scopes")) {
        if (r->i < r->n && r->s[r->i] == '{')
            return walk_object(r, scopes_member, m, NULL, NULL, NULL);
        return skip_value(r);
    }
    if (key_is(key, klen, "integrity")) {
        /* A duplicate member: the last one is the map's (JSON.parse).  It
           must be an object, or the browser refuses the whole map. */
        m->has_integrity = 0;
        m->entries->nelts = 0;
        m->entry_of_key = apr_hash_make(r->p);
        if (r->i >= r->n || r->s[r->i] != '{') {
            m->bad = 1;
            return skip_value(r);
        }
        m->bad = 0;
        m->has_integrity = 1;
        return walk_object(r, integrity_member, m, NULL, &m->integ_close,
                           &m->integ_members);
    }
    return skip_value(r);
}

static void json_quote(apr_pool_t *p, apr_array_header_t *buf, const char *s)
{
    *(const char **)apr_array_push(buf) = "\"";
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            *(const char **)apr_array_push(buf) = *s == '"' ? "\\\"" : "\\\\";
        else if ((unsigned char)*s < 0x20)
            *(const char **)apr_array_push(buf) =
                apr_psprintf(p, "\\u%04x", (unsigned char)*s);
        else
            *(const char **)apr_array_push(buf) = apr_pstrndup(p, s, 1);
    }
    *(const char **)apr_array_push(buf) = "\"";
}

/* The author's value, as an integrity attribute, for
   sri_author_integrity_of(): the one decision for tags and maps.  ctx is
   an author_entry; its whole value counts, a NUL in it too. */
static const char *author_value(void *ctx, apr_pool_t *p, const char *lname,
                                size_t *len)
{
    const author_entry *e = ctx;

    (void)p;
    if (strcmp(lname, "integrity") != 0)
        return NULL;
    *len = e->vlen;
    return e->val;
}

typedef struct {
    apr_pool_t           *p;
    apr_array_header_t   *out;          /* the text to insert, in pieces   */
    const map_ctx        *m;
    apr_hash_t           *done;
    const char           *skip_origin;
    int                   replace;
    sri_importmap_result *res;
} plan_ctx;

/* The key ours goes under.  Browsers use the last key for a URL, in the
   order keys first came.  The URL itself is a new key, after all of the
   author's -- unless the author wrote that very key: a duplicate keeps
   the author's place, and any later author key for the same URL (some
   spelling mod_sri's URL parser may not even read as that URL) would
   outdo it.  Then: the URL with "./" segments after its host, which
   resolve to the same URL, the first such spelling no author key has. */
static const char *our_key(apr_pool_t *p, const map_ctx *m, const char *url)
{
    const char *path = strstr(url, "://");
    char *k;
    int n;

    if (!apr_hash_get(m->entry_of_key, url, APR_HASH_KEY_STRING) || !path
        || !(path = strchr(path + 3, '/')))
        return url;
    k = apr_pstrndup(p, url, (size_t)(path - url) + 1);
    for (n = 1;; n++) {
        k = apr_pstrcat(p, k, "./", NULL);
        if (!apr_hash_get(m->entry_of_key,
                          apr_pstrcat(p, k, path + 1, NULL),
                          APR_HASH_KEY_STRING))
            return apr_pstrcat(p, k, path + 1, NULL);
    }
}

/* The registry's integrity for url (entry e), unless the author's own
   entry stands: one that pins something, under SRIExisting keep.  An
   entry that pins nothing (no usable token) is outdone, as a tag's
   attribute is replaced; so is any under SRIExisting replace. */
static void add_pin(plan_ctx *c, const char *url, const sri_entry *e)
{
    const author_entry *author;

    if (!e || !e->integrity ||
        (c->skip_origin && sri_url_same_origin(url, c->skip_origin)) ||
        apr_hash_get(c->done, url, APR_HASH_KEY_STRING))
        return;
    apr_hash_set(c->done, url, APR_HASH_KEY_STRING, "");
    author = apr_hash_get(c->m->listed, url, APR_HASH_KEY_STRING);
    if (author) {
        sri_attrs a = { author_value, (void *)author };
        sri_author_integrity ai = sri_author_integrity_of(c->p, &a, e);
        if (ai == SRI_AUTHOR_FAIL_OPEN) {
            c->res->repaired++;
            *(const char **)apr_array_push(c->res->repaired_urls) = url;
        } else if (!c->replace) {
            c->res->kept++;
            if (ai == SRI_AUTHOR_MISMATCH) {
                c->res->mismatch++;
                *(const char **)apr_array_push(c->res->mismatch_urls) = url;
            }
            return;
        }
    }
    *(const char **)apr_array_push(c->out) = c->res->pinned++ ? "," : "";
    json_quote(c->p, c->out, our_key(c->p, c->m, url));
    *(const char **)apr_array_push(c->out) = ":";
    json_quote(c->p, c->out, e->integrity);
}

/* Walk the whole map once into *m; -1 if it is not one we can edit. */
static int read_map(apr_pool_t *p, const char *json, size_t len,
                    const char *base_url, map_ctx *m, size_t *close,
                    int *members)
{
    json_reader r = { p, json, len, 0, 0 };

    memset(m, 0, sizeof(*m));
    m->base = base_url;
    m->urls = apr_array_make(p, 8, sizeof(const char *));
    m->entries = apr_array_make(p, 8, sizeof(author_entry *));
    m->entry_of_key = apr_hash_make(p);
    m->listed = apr_hash_make(p);
    skip_ws(&r);
    if (walk_object(&r, top_member, m, NULL, close, members) != 0)
        return -1;
    skip_ws(&r);
    if (r.i != r.n || m->bad)
        return -1;                    /* trailing garbage, or odd integrity */
    normalize_integrity(p, m);
    return 0;
}

apr_array_header_t *sri_importmap_urls(apr_pool_t *p, const char *json,
                                       size_t len, const char *base_url,
                                       apr_hash_t **entries)
{
    map_ctx m;
    size_t close = 0;
    int members = 0;

    if (read_map(p, json, len, base_url, &m, &close, &members) != 0)
        return NULL;
    if (entries)
        *entries = m.listed;
    return m.urls;
}

const char *sri_importmap_author_value(void *ctx, apr_pool_t *p,
                                       const char *lname, size_t *len)
{
    return ctx ? author_value(ctx, p, lname, len) : NULL;
}

int sri_importmap_plan(apr_pool_t *p, const char *json, size_t len,
                       const char *base_url, const sri_registry *reg,
                       const char *same_origin_of, int replace_existing,
                       size_t *off, char **ins, sri_importmap_result *res)
{
    map_ctx m;
    size_t close = 0;
    int members = 0, i;
    plan_ctx c;
    apr_hash_t *walked;

    memset(res, 0, sizeof(*res));
    res->repaired_urls = apr_array_make(p, 1, sizeof(const char *));
    res->mismatch_urls = apr_array_make(p, 1, sizeof(const char *));
    res->unknown_urls = apr_array_make(p, 1, sizeof(const char *));
    if (read_map(p, json, len, base_url, &m, &close, &members) != 0)
        return -1;
    if (!reg)
        return 0;

    c.p = p;
    c.out = apr_array_make(p, 64, sizeof(const char *));
    c.m = &m;
    c.done = apr_hash_make(p);
    c.skip_origin = same_origin_of;
    c.replace = replace_existing;
    c.res = res;
    walked = apr_hash_make(p);
    for (i = 0; i < m.urls->nelts; i++) {
        const char *url = ((const char **)m.urls->elts)[i];
        const char *bare = sri_url_without_fragment(p, url);
        size_t ulen = strlen(bare);
        int lo = 0, hi = sri_registry_count(reg), k;

        if (ulen == 0 || bare[ulen - 1] != '/') {
            const sri_entry *e = sri_registry_lookup(reg, bare);
            if (!e && sri_url_is_http(bare)
                && !apr_hash_get(walked, bare, APR_HASH_KEY_STRING)) {
                apr_hash_set(walked, bare, APR_HASH_KEY_STRING, "");
                *(const char **)apr_array_push(res->unknown_urls) = bare;
            }
            add_pin(&c, url, e);
            continue;
        }
        /* each prefix once: a map may name one a thousand times */
        if (apr_hash_get(walked, bare, APR_HASH_KEY_STRING))
            continue;
        apr_hash_set(walked, bare, APR_HASH_KEY_STRING, "");
        url = bare;
        /* "pkg/": "https://cdn/pkg/" maps a prefix: every registered URL
           under it may be imported.  Entries are sorted: binary search. */
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (strcmp(sri_registry_entry(reg, mid)->url, url) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (k = lo; k < sri_registry_count(reg); k++) {
            const sri_entry *e = sri_registry_entry(reg, k);
            if (strncmp(e->url, url, ulen) != 0)
                break;
            add_pin(&c, e->url, e);
        }
    }
    /* A registered URL the author gave an entry without mapping it here:
       with several maps on a page, the first map's entry for a URL is the
       one browsers keep, whichever map maps it. */
    for (i = 0; i < m.entries->nelts; i++) {
        const author_entry *a = ((author_entry **)m.entries->elts)[i];
        if (a->url && a->val)
            add_pin(&c, a->url, sri_registry_lookup(reg,
                                    sri_url_without_fragment(p, a->url)));
    }
    if (!res->pinned)
        return 0;
    if (m.has_integrity) {
        /* after the author's entries, before the closing brace */
        *off = m.integ_close;
        *ins = apr_pstrcat(p, m.integ_members ? "," : "",
                           apr_array_pstrcat(p, c.out, 0), NULL);
    } else {
        *off = close;
        *ins = apr_pstrcat(p, members ? "," : "", "\"integrity\":{",
                           apr_array_pstrcat(p, c.out, 0), "}", NULL);
    }
    return res->pinned;
}
