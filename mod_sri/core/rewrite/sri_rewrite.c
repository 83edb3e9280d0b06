/*
 * sri_rewrite.c -- the rewrite rules.
 *
 * Why: the scanner finds tags, the caller moves bytes; this file alone
 * decides what a <script>/<link> gets.  Which tags take integrity, and for
 * which URL, is sri_subresource() (shared with `sri-registry scan`): URLs
 * are resolved the way the browser resolves them (character references
 * decoded, first <base href> seen so far, else the document URL), then
 * looked up in the registry.
 */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>

#include "rewrite/sri_rewrite.h"
#include "url/sri_url.h"
#include "html/sri_charref.h"
#include "rewrite/sri_importmap.h"
#include "rewrite/sri_subresource.h"
#include "sri_text.h"

struct sri_rewriter {
    apr_pool_t          *pool;       /* lives as long as the document      */
    apr_pool_t          *tag_pool;   /* cleared at every tag               */
    const sri_registry  *reg;
    sri_policy           pol;
    const char          *doc_url;    /* normalised, or NULL                */
    const char          *doc_origin; /* NULL when opaque or unknown        */
    const char          *base_url;   /* first <base href>, else doc_url    */
    const char          *fallback;   /* what a <base href> resolves against:
                                        doc_url, or for a srcdoc page its
                                        container's base URL              */
    int                  base_seen;
    int                  depth;      /* srcdoc pages around this one       */
    size_t               max_tag;    /* the scanner's bound (0: default)   */
    sri_outcome          last;
    sri_counters         counters;
    sri_unknown_fn       unknown_fn;
    void                *unknown_ctx;
    int                  keep_maps;  /* CSP hashes inline scripts          */
    sri_overflow_fn      overflow_fn;
    void                *overflow_ctx;
};

/* The scanner's tag as the rules read it (sri_subresource.h): values with
   character references decoded, the first of duplicates. */
static const char *tag_get(void *ctx, apr_pool_t *p, const char *lname,
                           size_t *len)
{
    const sri_attr *a = sri_tag_attr(ctx, lname);

    if (!a)
        return NULL;
    if (!a->value) {
        *len = 0;
        return "";
    }
    return sri_charref_decode_attr(p, a->value, a->value_len, len);
}

sri_rewriter *sri_rewriter_create(apr_pool_t *p, const sri_registry *reg,
                                  const char *doc_url, const sri_policy *pol)
{
    sri_rewriter *rw = apr_pcalloc(p, sizeof(*rw));

    rw->pool = p;
    if (apr_pool_create(&rw->tag_pool, p) != APR_SUCCESS)
        return NULL;
    rw->reg = reg;
    if (pol)
        rw->pol = *pol;
    if (doc_url) {
        rw->doc_url = sri_url_normalize(p, doc_url);
        if (rw->doc_url)
            rw->doc_origin = sri_url_origin(p, rw->doc_url);
    }
    rw->base_url = rw->fallback = rw->doc_url;
    return rw;
}

void sri_rewriter_on_unknown(sri_rewriter *rw, sri_unknown_fn fn, void *ctx)
{
    rw->unknown_fn = fn;
    rw->unknown_ctx = ctx;
}

void sri_rewriter_keep_importmaps(sri_rewriter *rw, int keep)
{
    rw->keep_maps = keep;
}

void sri_rewriter_max_tag(sri_rewriter *rw, size_t max_tag)
{
    rw->max_tag = max_tag;
}

void sri_rewriter_on_overflow(sri_rewriter *rw, sri_overflow_fn fn,
                              void *ctx)
{
    rw->overflow_fn = fn;
    rw->overflow_ctx = ctx;
}

sri_outcome sri_rewriter_last(const sri_rewriter *rw)
{
    return rw->last;
}

const sri_counters *sri_rewriter_counters(const sri_rewriter *rw)
{
    return &rw->counters;
}

void sri_rewriter_set_counters(sri_rewriter *rw, const sri_counters *n)
{
    rw->counters = *n;
}

/* <base href>: only the first one with an href counts. */
static void note_base(sri_rewriter *rw, const sri_tag *tag)
{
    sri_attrs attrs = { tag_get, (void *)tag };

    if (!rw->base_seen)
        rw->base_seen = sri_base_element(rw->pool, &attrs, rw->fallback,
                                         &rw->base_url);
}

/* Is url of another origin than the document (any, when the document's
   origin is opaque or unknown)?  The one test for tags, SVG scripts and
   import-map entries. */
static int is_third_party(const sri_rewriter *rw, const char *url)
{
    return !rw->doc_origin || !sri_url_same_origin(url, rw->doc_url);
}

/* Tell the caller (a log line) about rw->last. */
static void notify(sri_rewriter *rw, const char *url)
{
    if (rw->unknown_fn)
        rw->unknown_fn(rw->unknown_ctx, rw->last, url);
}

/* Fill the edit that writes ` integrity="..."` (and crossorigin). */
static size_t pin_edits(sri_rewriter *rw, const sri_tag *tag,
                        const char *integrity, sri_edit *edits, size_t max)
{
    const sri_attr *existing = sri_tag_attr(tag, "integrity");
    const sri_attr *cors = sri_tag_attr(tag, "crossorigin");
    const char *cors_val = rw->pol.crossorigin == SRI_CORS_USE_CREDENTIALS
                           ? "use-credentials" : "anonymous";
    size_t n = 0;

    if (existing && n < max) {
        /* replace the author's value (policy replace) */
        sri_edit *e = &edits[n++];
        if (!existing->value) {
            e->off = existing->name_off + existing->name_len;
            e->del = 0;
            e->ins = apr_psprintf(rw->tag_pool, "=\"%s\"", integrity);
        } else if (existing->quote) {
            e->off = existing->value_off - 1;
            e->del = existing->value_len + 2;
            e->ins = apr_psprintf(rw->tag_pool, "\"%s\"", integrity);
        } else {
            e->off = existing->value_off;
            e->del = existing->value_len;
            e->ins = apr_psprintf(rw->tag_pool, "\"%s\"", integrity);
        }
        e->ins_len = strlen(e->ins);
    }
    if (n < max && (!existing || !cors)) {
        sri_edit *e = &edits[n++];
        e->off = tag->insert_off;
        e->del = 0;
        if (existing)
            e->ins = apr_psprintf(rw->tag_pool, " crossorigin=\"%s\"",
                                  cors_val);
        else if (cors)
            e->ins = apr_psprintf(rw->tag_pool, " integrity=\"%s\"",
                                  integrity);
        else
            e->ins = apr_psprintf(rw->tag_pool,
                                  " integrity=\"%s\" crossorigin=\"%s\"",
                                  integrity, cors_val);
        /* after white space, put ours before it: "a /> " -> "a x=1 />" */
        if (tag->insert_off > 0 && sri_ascii_ws(tag->raw[tag->insert_off - 1]))
            e->ins = apr_pstrcat(rw->tag_pool, e->ins + 1, " ", NULL);
        e->ins_len = strlen(e->ins);
    }
    /* Edits must be sorted by offset.  The replacement usually precedes
       insert_off, but not in a tag that ends in "=" ("<script src=x
       integrity=>"): there insert_off is right after the tag name. */
    if (n == 2 && edits[0].off > edits[1].off) {
        sri_edit t = edits[0];
        edits[0] = edits[1];
        edits[1] = t;
    }
    return n;
}

/* The edits that rename every attribute called one of names (ASCII case
   insensitive), so that the browser has nothing to fetch: the duplicates
   too, or the second <script src=a src=b> would become the first once the
   first is renamed.  With more of them than max_edits, one edit instead:
   an empty names[0] right after the tag name, the first of its name and
   so the one browsers read, which fetches nothing (src="", href=""). */
static int block_edits(apr_pool_t *pool, const sri_tag *tag,
                       const char *const *names, sri_edit *edits,
                       size_t max_edits)
{
    size_t i, nren = 0;
    int k;

    for (i = 0; i < tag->nall_attrs; i++) {
        const sri_attr *a = &tag->all_attrs[i];
        for (k = 0; names[k]; k++)
            if (a->name_len == strlen(names[k])
                && strncasecmp(a->name, names[k], a->name_len) == 0)
                break;
        if (!names[k])
            continue;
        if (nren == max_edits) {
            if (max_edits == 0)
                return -1;
            edits[0].off = 1 + strlen(tag->kind == SRI_TAG_LINK ? "link"
                                                                : "script");
            edits[0].del = 0;
            edits[0].ins = apr_pstrcat(pool, " ", names[0], "=\"\"", NULL);
            edits[0].ins_len = strlen(edits[0].ins);
            return 1;
        }
        edits[nren].off = a->name_off;
        edits[nren].del = 0;
        edits[nren].ins = "data-sri-blocked-";
        edits[nren].ins_len = sizeof("data-sri-blocked-") - 1;
        nren++;
    }
    return (int)nren;
}

/* An SVG <script>: no integrity can pin what it loads (SVG has no
   integrity attribute), so a third-party one is never pinned, registered
   or not.  Policy block neutralises it (href and xlink:href, as src for
   HTML); otherwise it stays, counted as unknown, and logged when its URL
   is registered (the inventory says it must be pinned, and here it cannot
   be) or the policy is log.  Same-origin ones are left alone, as for
   tags, unless scope all and registered. */
static int svg_script(sri_rewriter *rw, const sri_tag *tag,
                      const sri_attrs *attrs, sri_edit *edits,
                      size_t max_edits)
{
    static const char *const hrefs[] = { "href", "xlink:href", NULL };
    const char *url;
    int third_party, registered, n;

    if (!sri_svg_script(rw->tag_pool, attrs, rw->base_url, &url))
        return 0;
    third_party = is_third_party(rw, url);
    registered = rw->reg && sri_registry_lookup(rw->reg, url) != NULL;
    if (!third_party && !(registered && rw->pol.scope == SRI_SCOPE_ALL))
        return 0;
    if (third_party && rw->pol.unknown == SRI_UNKNOWN_BLOCK
        && (n = block_edits(rw->tag_pool, tag, hrefs, edits,
                            max_edits)) >= 0) {
        rw->last = SRI_OUTCOME_SVG_BLOCKED;
        rw->counters.blocked++;
        notify(rw, url);
        return n;
    }
    rw->last = SRI_OUTCOME_SVG_SCRIPT;
    rw->counters.unknown++;
    if (registered || rw->pol.unknown != SRI_UNKNOWN_ALLOW)
        notify(rw, url);
    return 0;
}

static void add_counters(sri_counters *to, const sri_counters *n)
{
    to->pinned += n->pinned;
    to->kept += n->kept;
    to->unknown += n->unknown;
    to->blocked += n->blocked;
    to->tags += n->tags;
    to->repaired += n->repaired;
    to->mismatch += n->mismatch;
}

/* A growing heap buffer: the output of sri_rewriter_run(), and a
   srcdoc's new value. */
typedef struct {
    char         *data;
    size_t        len, cap;
    int           oom;
} out_buffer;

static int out_append(void *ctx, const char *p, size_t n)
{
    out_buffer *b = ctx;

    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *d;
        while (cap < b->len + n + 1)
            cap *= 2;
        d = realloc(b->data, cap);
        if (!d) {
            b->oom = 1;
            return -1;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

/* The new value of a srcdoc, built from the nested scan's output.  Bytes
   of the page are taken from the value as written: its references and
   the page's encoding stay as they were (decoded, a reference becomes
   UTF-8, which a windows-1252 page would misread).  New bytes are written
   with '&' and '"' as references.  The value is double-quoted, so a '"'
   of a single-quoted or unquoted original becomes a reference too. */
typedef struct {
    const char   *page;          /* the decoded page fed to the scanner   */
    size_t        page_len;
    const size_t *map;           /* decoded offset -> offset in raw       */
    const char   *raw;           /* the value as written                  */
    out_buffer    v;             /* the new value, without quotes         */
    size_t        passed;        /* page bytes passed                     */
    int           inserted;
} srcdoc_value;

/* Append n bytes at p; amp: write '&' as "&amp;" (new bytes) or keep it
   (bytes as written).  '"' is always "&quot;". */
static void value_add(srcdoc_value *sv, const char *p, size_t n, int amp)
{
    size_t k, run = 0;

    for (k = 0; k < n; k++) {
        const char *c = p[k] == '"' ? "&quot;"
                      : p[k] == '&' && amp ? "&amp;" : NULL;
        if (!c)
            continue;
        out_append(&sv->v, p + run, k - run);
        out_append(&sv->v, c, strlen(c));
        run = k + 1;
    }
    out_append(&sv->v, p + run, n - run);
}

/* Page bytes: as written when the run begins and ends where a written
   character or reference does (edits fall between tags and attributes,
   never inside a reference); else, or from the scanner's own buffer,
   decoded and escaped like new bytes. */
static int value_pass(void *ctx, const char *p, size_t n)
{
    srcdoc_value *sv = ctx;
    size_t a = (size_t)(p - sv->page), b = a + n;

    sv->passed += n;
    if (p >= sv->page && b <= sv->page_len
        && (a == 0 || sv->map[a] != sv->map[a - 1])
        && (b == sv->page_len || sv->map[b] != sv->map[b - 1]))
        value_add(sv, sv->raw + sv->map[a], sv->map[b] - sv->map[a], 0);
    else
        value_add(sv, p, n, 1);
    return sv->v.oom ? -1 : 0;
}

static int value_insert(void *ctx, const char *p, size_t n)
{
    srcdoc_value *sv = ctx;

    sv->inserted |= n > 0;
    value_add(sv, p, n, 1);
    return sv->v.oom ? -1 : 0;
}

/* <iframe srcdoc>: the value is a page of its own, whose scripts and
   stylesheets the browser loads like any page's (with the container's
   origin and, until its own <base href>, the container's base URL).  It is
   rewritten by a rewriter of its own, with this one's registry, policy,
   bound and callbacks, and written back as the value (srcdoc_value).  Left
   as written when nothing in it changes. */
static int iframe_srcdoc(sri_rewriter *rw, const sri_tag *tag,
                         sri_edit *edits, size_t max_edits)
{
    const sri_attr *a = sri_tag_attr(tag, "srcdoc");
    apr_pool_t *p = rw->tag_pool;
    srcdoc_value sv;
    sri_scan_output out = { &sv, value_pass, value_insert };
    sri_scan_decisions dec;
    sri_scanner *sc;
    sri_rewriter *in;
    size_t *map;
    char *v;
    int rc;

    if (!a || !a->value || max_edits == 0)
        return 0;
    if (rw->depth >= SRI_SRCDOC_DEPTH) {
        rw->last = SRI_OUTCOME_SRCDOC_DEEP;
        notify(rw, NULL);
        return 0;
    }
    memset(&sv, 0, sizeof sv);
    sv.raw = a->value;
    sv.page = sri_charref_decode_attr_map(p, a->value, a->value_len,
                                          &sv.page_len, &map);
    sv.map = map;
    if (!(in = sri_rewriter_create(p, rw->reg, NULL, &rw->pol)))
        return 0;
    in->doc_url = rw->doc_url;
    in->doc_origin = rw->doc_origin;
    in->base_url = in->fallback = rw->base_url;
    in->depth = rw->depth + 1;
    in->max_tag = rw->max_tag;
    in->unknown_fn = rw->unknown_fn;
    in->unknown_ctx = rw->unknown_ctx;
    in->overflow_fn = rw->overflow_fn;
    in->overflow_ctx = rw->overflow_ctx;
    in->keep_maps = rw->keep_maps;
    dec = sri_rewriter_decisions(in);
    if (!(sc = sri_scan_create(&out, &dec, rw->max_tag)))
        return 0;
    rc = sri_scan_feed(sc, sv.page, sv.page_len);
    if (rc == 0)
        rc = sri_scan_finish(sc);
    sri_scan_destroy(sc);
    add_counters(&rw->counters, &in->counters);
    if (rc != 0 || sv.v.oom || (!sv.inserted && sv.passed == sv.page_len)) {
        free(sv.v.data);
        return 0;                   /* nothing changed (or no memory) */
    }
    v = apr_palloc(p, sv.v.len + 3);
    v[0] = '"';
    memcpy(v + 1, sv.v.data, sv.v.len);
    v[sv.v.len + 1] = '"';
    v[sv.v.len + 2] = '\0';
    free(sv.v.data);
    edits[0].off = a->quote ? a->value_off - 1 : a->value_off;
    edits[0].del = a->quote ? a->value_len + 2 : a->value_len;
    edits[0].ins = v;
    edits[0].ins_len = sv.v.len + 2;
    return 1;
}

int sri_rewriter_on_tag(void *ctx, const sri_tag *tag, sri_edit *edits,
                        size_t max_edits)
{
    sri_rewriter *rw = ctx;
    sri_attrs attrs = { tag_get, (void *)tag };
    const sri_entry *entry = NULL;
    const char *url;
    int third_party;

    apr_pool_clear(rw->tag_pool);
    rw->last = SRI_OUTCOME_IGNORED;
    rw->counters.tags++;

    if (tag->kind == SRI_TAG_BASE) {
        note_base(rw, tag);
        return 0;
    }
    if (tag->kind == SRI_TAG_SVG_SCRIPT)
        return svg_script(rw, tag, &attrs, edits, max_edits);
    if (tag->kind == SRI_TAG_IFRAME)
        return iframe_srcdoc(rw, tag, edits, max_edits);
    if ((tag->kind != SRI_TAG_SCRIPT && tag->kind != SRI_TAG_LINK) ||
        !sri_subresource(rw->tag_pool,
                         tag->kind == SRI_TAG_SCRIPT ? "script" : "link",
                         &attrs, rw->base_url, &url))
        return 0;

    third_party = is_third_party(rw, url);
    if (!third_party && rw->pol.scope != SRI_SCOPE_ALL)
        return 0;

    if (rw->reg)
        entry = sri_registry_lookup(rw->reg, url);

    if (entry && entry->integrity) {
        sri_author_integrity author = sri_author_integrity_of(rw->tag_pool,
                                                              &attrs, entry);
        if ((author == SRI_AUTHOR_MATCH || author == SRI_AUTHOR_MISMATCH) &&
            rw->pol.existing == SRI_EXISTING_KEEP) {
            rw->counters.kept++;
            if (author == SRI_AUTHOR_MATCH) {
                rw->last = SRI_OUTCOME_KEPT;
                return 0;
            }
            rw->last = SRI_OUTCOME_MISMATCH;
            rw->counters.mismatch++;
            notify(rw, url);
            return 0;
        }
        rw->counters.pinned++;
        if (author == SRI_AUTHOR_FAIL_OPEN) {
            /* pins nothing: treated as absent, whatever the policy */
            rw->last = SRI_OUTCOME_REPAIRED;
            rw->counters.repaired++;
            notify(rw, url);
        } else {
            rw->last = SRI_OUTCOME_PINNED;
        }
        return (int)pin_edits(rw, tag, entry->integrity, edits, max_edits);
    }

    if (!third_party)
        return 0;                   /* unknown same-origin: not our business */

    if (rw->pol.unknown == SRI_UNKNOWN_BLOCK) {
        static const char *const src[] = { "src", NULL };
        static const char *const href[] = { "href", NULL };
        int n = block_edits(rw->tag_pool, tag,
                            tag->kind == SRI_TAG_SCRIPT ? src : href,
                            edits, max_edits);
        if (n >= 0) {
            rw->last = SRI_OUTCOME_BLOCKED;
            rw->counters.blocked++;
            notify(rw, url);
            return n;
        }
        /* no room for an edit at all: counted and logged as unknown */
    }
    rw->last = SRI_OUTCOME_UNKNOWN;
    rw->counters.unknown++;
    if (rw->pol.unknown != SRI_UNKNOWN_ALLOW)
        notify(rw, url);
    return 0;
}

/* ---- import maps ------------------------------------------------------ */

int sri_rewriter_wants_text(void *ctx, const sri_tag *tag)
{
    sri_rewriter *rw = ctx;
    sri_attrs attrs = { tag_get, (void *)tag };

    return tag->kind == SRI_TAG_SCRIPT && rw->reg &&
           sri_is_importmap(rw->tag_pool, "script", &attrs);
}

int sri_rewriter_on_text(void *ctx, const sri_tag *tag_or_null,
                         const char *text, size_t len, sri_edit *edits,
                         size_t max_edits)
{
    sri_rewriter *rw = ctx;
    size_t off = 0;
    char *ins = NULL;
    sri_importmap_result res;
    int n, i;

    apr_pool_clear(rw->tag_pool);
    if (max_edits == 0)
        return 0;
    n = sri_importmap_plan(rw->tag_pool, text, len, rw->base_url, rw->reg,
                           rw->pol.scope == SRI_SCOPE_ALL ? NULL : rw->doc_url,
                           rw->pol.existing == SRI_EXISTING_REPLACE,
                           &off, &ins, &res);
    if (n < 0) {                    /* not JSON as browsers read it */
        rw->last = SRI_OUTCOME_MAP_UNREAD;
        notify(rw, NULL);
        return 0;
    }
    /* Unregistered module URLs, as for tags (SRIUnknown block cannot
       apply: a map entry has no attribute to take away). */
    for (i = 0; i < res.unknown_urls->nelts; i++) {
        const char *u = ((const char **)res.unknown_urls->elts)[i];
        if (!is_third_party(rw, u))
            continue;               /* not third-party (as for tags) */
        rw->counters.unknown++;
        rw->last = SRI_OUTCOME_UNKNOWN;
        if (rw->pol.unknown != SRI_UNKNOWN_ALLOW)
            notify(rw, u);
    }
    /* The author's entries that stand, as for tags' attributes. */
    rw->counters.kept += (unsigned long)res.kept;
    rw->counters.mismatch += (unsigned long)res.mismatch;
    rw->last = SRI_OUTCOME_MISMATCH;
    for (i = 0; i < res.mismatch_urls->nelts; i++)
        notify(rw, ((const char **)res.mismatch_urls->elts)[i]);
    if (n > 0 && rw->keep_maps) {
        rw->last = SRI_OUTCOME_MAP_UNEDITED;
        notify(rw, NULL);
        return 0;
    }
    if (n == 0) {
        rw->last = res.kept ? SRI_OUTCOME_KEPT : SRI_OUTCOME_IGNORED;
        return 0;                   /* nothing registered, or all kept */
    }
    rw->counters.repaired += (unsigned long)res.repaired;
    rw->last = SRI_OUTCOME_REPAIRED;
    for (i = 0; i < res.repaired_urls->nelts; i++)
        notify(rw, ((const char **)res.repaired_urls->elts)[i]);
    rw->counters.pinned += (unsigned long)n;
    rw->last = SRI_OUTCOME_PINNED;
    edits[0].off = off;
    edits[0].del = 0;
    edits[0].ins = ins;
    edits[0].ins_len = strlen(ins);
    return 1;
}

/* ---- the scanner's decisions ----------------------------------------- */

/* A tag or import map too long to decide on: the host hears of it. */
static void note_overflow(void *ctx, size_t len)
{
    sri_rewriter *rw = ctx;
    if (rw->overflow_fn)
        rw->overflow_fn(rw->overflow_ctx, len);
}

sri_scan_decisions sri_rewriter_decisions(sri_rewriter *rw)
{
    sri_scan_decisions d;

    d.ctx = rw;
    d.on_tag = sri_rewriter_on_tag;
    d.on_overflow = note_overflow;
    d.wants_text = sri_rewriter_wants_text;
    d.on_text = sri_rewriter_on_text;
    return d;
}

/* ---- whole-buffer rewriting ------------------------------------------- */

int sri_rewriter_run(sri_rewriter *rw, apr_pool_t *p, const char *html,
                     size_t len, size_t chunk, size_t max_tag,
                     char **out, size_t *out_len)
{
    out_buffer b = { NULL, 0, 0, 0 };
    sri_scan_output output = { &b, out_append, out_append };
    sri_scan_decisions dec = sri_rewriter_decisions(rw);
    sri_scanner *sc;
    size_t off = 0;
    int rc = 0;

    rw->max_tag = max_tag;
    sc = sri_scan_create(&output, &dec, max_tag);
    if (!sc)
        return -1;
    if (chunk == 0)
        chunk = len ? len : 1;
    while (rc == 0 && off < len) {
        size_t n = len - off < chunk ? len - off : chunk;
        rc = sri_scan_feed(sc, html + off, n);
        off += n;
    }
    if (rc == 0)
        rc = sri_scan_finish(sc);
    sri_scan_destroy(sc);
    if (rc == 0 && !b.oom) {
        *out = apr_palloc(p, b.len + 1);
        if (b.len)
            memcpy(*out, b.data, b.len);
        (*out)[b.len] = '\0';
        *out_len = b.len;
    }
    free(b.data);
    return rc ? rc : (b.oom ? -1 : 0);
}

int sri_rewrite_buffer(apr_pool_t *p, const sri_registry *reg,
                       const char *doc_url, const sri_policy *pol,
                       const char *html, size_t len, size_t chunk,
                       char **out, size_t *out_len, sri_counters *counters)
{
    sri_rewriter *rw = sri_rewriter_create(p, reg, doc_url, pol);
    int rc;

    if (!rw)
        return -1;
    rc = sri_rewriter_run(rw, p, html, len, chunk, 0, out, out_len);
    if (rc == 0 && counters)
        *counters = rw->counters;
    return rc;
}
