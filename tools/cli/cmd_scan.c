/*
 * cmd_scan.c -- `sri-registry scan`: find the third-party subresources
 * that pages load, and say which are registered, pending or unknown.
 *
 * Why: an inventory (PCI DSS 6.4.3) is only as good as its coverage, and
 * the registry only pins what it lists.  scan reads a site's HTML (files,
 * directories, or fetched pages) with libxml2's HTML parser -- a second,
 * independent parser from the module's scanner -- and lists every
 * third-party subresource that takes integrity, so the gaps are visible;
 * --add records unknown ones as pending for a person to approve.  Which
 * elements those are is asked of the core (sri_subresource), the same
 * function the module's rewrite rules ask: scan lists what the module pins.
 */
#include "tool.h"
#include "fetch.h"
#include "url/sri_url.h"
#include "rewrite/sri_subresource.h"
#include "rewrite/sri_importmap.h"
#include "rewrite/sri_rewrite.h"
#include "json.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <apr_hash.h>
#include <apr_strings.h>

enum { OPT_ADD = 7000, OPT_FAIL_UNKNOWN, OPT_URL, OPT_JSON };

/* What scan says of each URL.  fail-open: registered, but a page's own
   integrity attribute has no usable token (the module replaces it; the
   page should be fixed).  mismatch: registered, but a page's usable
   integrity holds none of the approved tokens (the module keeps it, and
   the browser will refuse the approved bytes).  unpinnable: an SVG
   <script> loads it, where no integrity applies (registered or not). */
typedef enum { S_REGISTERED, S_PENDING, S_UNKNOWN, S_FAIL_OPEN, S_MISMATCH,
               S_UNPINNABLE, S_COUNT } scan_status;
static const char *const status_name[S_COUNT] = {
    "registered", "pending", "unknown", "fail-open", "mismatch", "unpinnable"
};

typedef struct {
    const char *base_url;   /* --url */
    int add, fail_unknown, json;
    fetch_opts fo;
} scan_opts;

typedef struct {
    const char *url;        /* normalised resource URL */
    sri_author_integrity author; /* worst author's integrity seen for a
                               registered URL: MISMATCH > FAIL_OPEN > rest */
    const char *kind;       /* sri_fetch_kind_name(): script, stylesheet,
                               modulepreload, preload, importmap,
                               svg-script */
    const char *page;       /* first page it was seen on */
} found;

typedef struct {
    tool_ctx *t;
    scan_opts *o;
    const sri_registry *reg;
    apr_hash_t *seen;           /* url -> found * */
    apr_array_header_t *list;   /* found * in discovery order */
    json_t *added;              /* --json --add: what was recorded */
    int errors, fetch_errors;
} scan_state;

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    scan_opts *o = ctx;
    int r = fetch_option(&o->fo, c, arg);
    if (r > 0)
        return 0;
    if (r < 0) {
        tool_err("bad value '%s'", arg);
        return -1;
    }
    switch (c) {
    case OPT_ADD: o->add = 1; return 0;
    case OPT_FAIL_UNKNOWN: o->fail_unknown = 1; return 0;
    case OPT_URL: o->base_url = arg; return 0;
    case OPT_JSON: o->json = 1; return 0;
    }
    return -1;
}

/* An element as the rewrite rules read it (rewrite/sri_subresource.h):
   libxml2 has decoded character references, lower-cased names and kept
   the first of duplicate attributes, as the HTML tokenizer does. */
static const char *node_get(void *ctx, apr_pool_t *p, const char *lname,
                            size_t *len)
{
    xmlChar *v = xmlGetProp((xmlNode *)ctx, (const xmlChar *)lname);
    char *copy;

    if (!v)
        return NULL;
    copy = apr_pstrdup(p, (const char *)v);
    xmlFree(v);
    *len = strlen(copy);
    return copy;
}

/* The worse of two author's integrity results for a registered URL. */
static int author_rank(sri_author_integrity a)
{
    return a == SRI_AUTHOR_MISMATCH ? 2 : a == SRI_AUTHOR_FAIL_OPEN ? 1 : 0;
}

static void note_url(scan_state *st, const char *page_url, const char *url,
                     sri_fetch_kind kind, const sri_attrs *attrs,
                     const char *page)
{
    const sri_entry *e;
    sri_author_integrity author = SRI_AUTHOR_NONE;
    const char *key = url;
    found *f;

    if (sri_url_same_origin(url, page_url))
        return;
    if (kind == SRI_FETCH_SVG_SCRIPT)   /* listed apart: never pinned */
        key = apr_pstrcat(st->t->p, "svg ", url, NULL);
    /* What the module makes of the author's integrity (the same question:
       a fail-open one is replaced, a mismatching one kept and logged). */
    e = sri_registry_lookup(st->reg, url);
    if (e && e->integrity && kind != SRI_FETCH_SVG_SCRIPT)
        author = sri_author_integrity_of(st->t->p, attrs, e);
    if ((f = apr_hash_get(st->seen, key, APR_HASH_KEY_STRING)) != NULL) {
        if (author_rank(author) > author_rank(f->author)) {
            f->author = author;
            f->page = page;
        }
        return;
    }
    f = apr_palloc(st->t->p, sizeof(*f));
    f->url = url;
    f->author = author;
    f->kind = sri_fetch_kind_name(kind);
    f->page = page;
    apr_hash_set(st->seen, key, APR_HASH_KEY_STRING, f);
    APR_ARRAY_PUSH(st->list, found *) = f;
}

static int cmp_str(const void *a, const void *b);

/* The module URLs an import map maps to, as the module reads the map
   (rewrite/sri_importmap.h): a URL ending in '/' maps a prefix, and the
   module pins every registered URL under it.  The author's own entry in
   the map's "integrity" section is judged as an attribute is. */
static void note_importmap(scan_state *st, xmlNode *n, const char *page_url,
                           const char *base, const char *page)
{
    xmlChar *text = xmlNodeGetContent(n);
    apr_hash_t *entries = NULL;
    apr_array_header_t *urls = text
        ? sri_importmap_urls(st->t->p, (const char *)text,
                             strlen((const char *)text), base, &entries)
        : NULL;
    apr_hash_index_t *hi;
    apr_array_header_t *keyed;
    int i, k;

    xmlFree(text);
    for (i = 0; urls && i < urls->nelts; i++) {
        /* u may carry a fragment (the map's key for its integrity); the
           registry and the inventory know the URL without it */
        const char *full = APR_ARRAY_IDX(urls, i, const char *);
        const char *u = sri_url_without_fragment(st->t->p, full);
        size_t ul = strlen(u);
        sri_attrs entry = { sri_importmap_author_value, NULL };
        if (!sri_url_is_http(u))
            continue;
        if (ul == 0 || u[ul - 1] != '/') {
            entry.ctx = apr_hash_get(entries, full, APR_HASH_KEY_STRING);
            note_url(st, page_url, u, SRI_FETCH_IMPORTMAP, &entry, page);
            continue;
        }
        for (k = 0; k < sri_registry_count(st->reg); k++) {
            const sri_entry *e = sri_registry_entry(st->reg, k);
            if (!strncmp(e->url, u, ul)) {
                entry.ctx = apr_hash_get(entries, e->url,
                                         APR_HASH_KEY_STRING);
                note_url(st, page_url, e->url, SRI_FETCH_IMPORTMAP, &entry,
                         page);
            }
        }
    }
    /* A registered URL with an entry in a map that does not map it: the
       module judges that entry too (with several maps, the first entry
       for a URL is the one browsers keep). */
    keyed = apr_array_make(st->t->p, 4, sizeof(const char *));
    for (hi = entries ? apr_hash_first(st->t->p, entries) : NULL; hi;
         hi = apr_hash_next(hi)) {
        const void *u;
        apr_hash_this(hi, &u, NULL, NULL);
        if (sri_url_is_http(u)
            && sri_registry_lookup(st->reg,
                                   sri_url_without_fragment(st->t->p, u)))
            APR_ARRAY_PUSH(keyed, const char *) = u;
    }
    qsort(keyed->elts, (size_t)keyed->nelts, sizeof(char *), cmp_str);
    for (i = 0; i < keyed->nelts; i++) {
        const char *u = APR_ARRAY_IDX(keyed, i, const char *);
        sri_attrs entry = { sri_importmap_author_value, NULL };
        entry.ctx = apr_hash_get(entries, u, APR_HASH_KEY_STRING);
        note_url(st, page_url, sri_url_without_fragment(st->t->p, u),
                 SRI_FETCH_IMPORTMAP, &entry, page);
    }
}

/* Namespaces, as HTML's tree builder gives them: libxml2 knows none and
   nests what it reads, so they are worked out along the walk. */
enum { NS_HTML, NS_SVG, NS_MATH };

static int name_in(const char *name, const char *const *list)
{
    int k;
    for (k = 0; list[k]; k++)
        if (!strcasecmp(name, list[k]))
            return 1;
    return 0;
}

/* A start tag that leaves foreign content (HTML's "in foreign content"
   rules): the browser pops the SVG/MathML elements and goes on in HTML. */
static int breaks_out(xmlNode *n, const char *name)
{
    static const char *const names[] = {
        "b", "big", "blockquote", "body", "br", "center", "code", "dd",
        "div", "dl", "dt", "em", "embed", "h1", "h2", "h3", "h4", "h5",
        "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta",
        "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong",
        "strike", "sub", "sup", "table", "tt", "u", "ul", "var", NULL
    };
    return name_in(name, names)
        || (!strcasecmp(name, "font")
            && (xmlHasProp(n, (const xmlChar *)"color")
                || xmlHasProp(n, (const xmlChar *)"face")
                || xmlHasProp(n, (const xmlChar *)"size")));
}

/* The namespace of the content of an element called name in namespace
   ns: HTML inside SVG's foreignObject, desc and title, MathML's mi, mo,
   mn, ms and mtext and an annotation-xml for HTML; SVG inside any other
   annotation-xml when it is an <svg> (see element_ns); else ns. */
static int content_ns(xmlNode *n, const char *name, int ns)
{
    static const char *const svg_ip[] = { "foreignobject", "desc", "title",
                                          NULL };
    static const char *const math_tip[] = { "mi", "mo", "mn", "ms",
                                             "mtext", NULL };
    xmlChar *enc;
    int html;

    if (ns == NS_SVG)
        return name_in(name, svg_ip) ? NS_HTML : NS_SVG;
    if (ns != NS_MATH)
        return ns;
    if (name_in(name, math_tip))
        return NS_HTML;
    if (strcasecmp(name, "annotation-xml"))
        return NS_MATH;
    enc = xmlGetProp(n, (const xmlChar *)"encoding");
    html = enc && (!strcasecmp((const char *)enc, "text/html")
                   || !strcasecmp((const char *)enc, "application/xhtml+xml"));
    xmlFree(enc);
    return html ? NS_HTML : NS_MATH;
}

/* The namespace of an element called name whose parent's content is in
   namespace ctx (parent: the parent's name, for annotation-xml). */
static int element_ns(const char *name, int ctx, const char *parent)
{
    if (ctx == NS_HTML)
        return !strcasecmp(name, "svg") ? NS_SVG
             : !strcasecmp(name, "math") ? NS_MATH : NS_HTML;
    if (ctx == NS_MATH && !strcasecmp(name, "svg") && parent
        && !strcasecmp(parent, "annotation-xml"))
        return NS_SVG;
    return ctx;
}

/* One page being walked: a file or fetched page, or the srcdoc of an
   <iframe> in one -- a page of its own, with its container's origin and,
   until its own <base href>, its container's base URL (as the module's
   rewriter reads it). */
typedef struct {
    const char *page_url;   /* the top page's URL: origins */
    const char *fallback;   /* what a <base href> resolves against */
    const char *base;       /* the first <base href>, else fallback */
    int base_seen;
    const char *page;       /* the file or URL named in the output */
    int depth;              /* srcdoc pages around this one */
} page_ctx;

static void scan_doc(scan_state *st, const char *html, size_t len,
                     page_ctx *pc);

/* Document order, as the module's scanner sees the tags: the first <base>
   with an href sets the base URL for the elements after it -- not one in
   a <template>, whose content is a document of its own (libxml2 keeps it
   as ordinary children).  ns: the namespace of the siblings' parent's
   content (an SVG <script> is SVG's, a MathML one nobody's).  Returns 1
   when a start tag left foreign content there: the browser went on in
   HTML, so the siblings that follow it (and its ancestors' in foreign
   content) are HTML, whatever libxml2 nested them in. */
static int walk(scan_state *st, xmlNode *n, page_ctx *pc, int in_template,
                int ns)
{
    const char *parent = n && n->parent && n->parent->type == XML_ELEMENT_NODE
                         ? (const char *)n->parent->name : NULL;
    int left = 0;

    for (; n; n = n->next) {
        int template = 0, el = ns, inner = ns;
        if (n->type == XML_ELEMENT_NODE && n->name) {
            const char *name = (const char *)n->name;
            sri_attrs attrs = { node_get, n };
            const char *url, *srcdoc;
            sri_fetch_kind kind;
            size_t len;
            if (ns != NS_HTML && breaks_out(n, name)) {
                ns = NS_HTML;           /* for it and what follows */
                left = 1;
            }
            el = element_ns(name, ns, parent);
            inner = content_ns(n, name, el);
            template = !strcasecmp(name, "template");
            if (el == NS_SVG) {
                if (!strcasecmp(name, "script")
                    && sri_svg_script(st->t->p, &attrs, pc->base, &url))
                    note_url(st, pc->page_url, url, SRI_FETCH_SVG_SCRIPT,
                             &attrs, pc->page);
            } else if (el == NS_MATH) {
                ;                       /* MathML elements load nothing */
            } else if (!strcasecmp(name, "base")) {
                if (!pc->base_seen && !in_template)
                    pc->base_seen = sri_base_element(st->t->p, &attrs,
                                                     pc->fallback, &pc->base);
            } else if (!strcasecmp(name, "iframe")) {
                if (pc->depth < SRI_SRCDOC_DEPTH
                    && (srcdoc = node_get(n, st->t->p, "srcdoc", &len))) {
                    page_ctx in = { pc->page_url, pc->base, pc->base, 0,
                                    pc->page, pc->depth + 1 };
                    scan_doc(st, srcdoc, len, &in);
                }
            } else if (sri_is_importmap(st->t->p, name, &attrs)) {
                note_importmap(st, n, pc->page_url, pc->base, pc->page);
            } else if ((kind = sri_subresource(st->t->p, name, &attrs,
                                               pc->base, &url))
                       != SRI_FETCH_NONE) {
                note_url(st, pc->page_url, url, kind, &attrs, pc->page);
            }
        }
        if (n->children
            && walk(st, n->children, pc, in_template || template, inner)
            && ns != NS_HTML) {
            ns = NS_HTML;               /* popped up to here as well */
            left = 1;
        }
    }
    return left;
}

static void scan_doc(scan_state *st, const char *html, size_t len,
                     page_ctx *pc)
{
    htmlDocPtr doc;

    if (len == 0 && pc->depth)
        return;                     /* srcdoc="": an empty page */
    doc = htmlReadMemory(html, (int)len, pc->depth ? NULL : pc->page_url,
                         NULL, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR
                         | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (!doc) {
        tool_warn("%s: not parsable as HTML", pc->page);
        return;
    }
    walk(st, xmlDocGetRootElement(doc), pc, 0, NS_HTML);
    xmlFreeDoc(doc);
}

static void scan_html(scan_state *st, const char *html, size_t len,
                      const char *page_url, const char *page)
{
    page_ctx pc = { page_url, page_url, page_url, 0, page, 0 };

    scan_doc(st, html, len, &pc);
}

static int is_html_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm")
                   || !strcasecmp(dot, ".xhtml"));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file or a directory (recursively, in sorted order for stable output);
   url is the URL the file or directory is served at. */
static void scan_path(scan_state *st, const char *path, const char *url,
                      int top)
{
    struct stat sb;
    if (stat(path, &sb)) {
        tool_err("%s: %s", path, strerror(errno));
        st->errors++;
        return;
    }
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        apr_array_header_t *names = apr_array_make(st->t->p, 16,
                                                   sizeof(char *));
        int i;
        if (!d) {
            tool_err("%s: %s", path, strerror(errno));
            st->errors++;
            return;
        }
        while ((de = readdir(d)) != NULL)
            if (de->d_name[0] != '.')
                APR_ARRAY_PUSH(names, char *) = apr_pstrdup(st->t->p,
                                                            de->d_name);
        closedir(d);
        qsort(names->elts, (size_t)names->nelts, sizeof(char *), cmp_str);
        for (i = 0; i < names->nelts; i++) {
            const char *nm = APR_ARRAY_IDX(names, i, char *);
            const char *sub = apr_pstrcat(st->t->p, path, "/", nm, NULL);
            const char *suburl = apr_pstrcat(st->t->p, url,
                url[strlen(url) - 1] == '/' ? "" : "/", nm, NULL);
            struct stat ss;
            if (stat(sub, &ss) == 0 && (S_ISDIR(ss.st_mode)
                                        || is_html_name(nm)))
                scan_path(st, sub, suburl, 0);
        }
    } else {
        char *html;
        size_t len;
        if (tool_read_file(st->t, path, &html, &len)) {
            st->errors++;
            return;
        }
        scan_html(st, html, len, url, path);
    }
    (void)top;
}

static void scan_fetch(scan_state *st, const char *url)
{
    fetch_job j;
    memset(&j, 0, sizeof(j));
    j.url = url;
    j.algo = SRI_ALGO_SHA384;
    j.keep_body = 1;
    fetch_run(st->t->p, &st->o->fo, &j, 1);
    if (!j.ok) {
        tool_err("%s: %s", url, j.error);
        st->fetch_errors++;
        return;
    }
    scan_html(st, j.body, j.body_len, j.final_url, url);
}

/* Fetch the unknown ones and record them as pending. */
static int add_pending(scan_state *st, apr_array_header_t *unknown)
{
    tool_ctx *t = st->t;
    fetch_job *jobs = apr_pcalloc(t->p, sizeof(*jobs)
                                  * (size_t)(unknown->nelts + 1));
    tool_reg reg;
    const char *now = tool_now(t);
    int i, rc;

    for (i = 0; i < unknown->nelts; i++) {
        jobs[i].url = APR_ARRAY_IDX(unknown, i, found *)->url;
        jobs[i].algo = SRI_ALGO_SHA384;
    }
    fetch_run(t->p, &st->o->fo, jobs, unknown->nelts);
    if ((rc = tool_open_write(t, &reg)) != 0)
        return rc;
    for (i = 0; i < unknown->nelts; i++) {
        sri_entry *e;
        char *err = NULL;
        if (!jobs[i].ok) {
            tool_err("%s: %s", jobs[i].url, jobs[i].error);
            st->fetch_errors++;
            continue;
        }
        if (sri_registry_find(reg.reg, jobs[i].url))
            continue;                         /* added meanwhile */
        if (!(e = sri_registry_add(reg.reg, jobs[i].url, &err))
            || sri_entry_add_token(reg.reg, e, jobs[i].token, now, &err)) {
            tool_err("%s", err);
            if (e)
                sri_registry_remove(reg.reg, e->url);
            continue;
        }
        e->cors = fetch_cors_ok(&jobs[i], st->o->fo.origin) ? "ok"
                                                            : "missing";
        if (st->added)
            json_array_append_new(st->added, json_pack(
                "{s:o, s:s}", "url", tool_json_text(jobs[i].url),
                "token", jobs[i].token));
        else
            printf("added-pending %s %s\n", jobs[i].url, jobs[i].token);
    }
    rc = tool_save(t, &reg);
    tool_close(&reg);
    return rc;
}

int cmd_scan(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "url",          required_argument, NULL, OPT_URL },
        { "add",          no_argument,       NULL, OPT_ADD },
        { "fail-unknown", no_argument,       NULL, OPT_FAIL_UNKNOWN },
        { "json",         no_argument,       NULL, OPT_JSON },
        FETCH_LONGOPTS,
        { NULL, 0, NULL, 0 }
    };
    scan_opts o;
    scan_state st;
    tool_reg reg;
    apr_array_header_t *unknown;
    json_t *results = NULL;
    int rc = 0, first, i, counts[S_COUNT] = { 0, 0, 0, 0, 0 };

    memset(&o, 0, sizeof(o));
    fetch_opts_default(&o.fo);
    first = tool_getopt(t, argc, argv, "", longopts, on_opt, &o, &rc);
    if (first < 0)
        return rc;
    if (first == argc)
        return tool_usage_error(t, "scan needs a PATH or URL");
    if (o.base_url && !(o.base_url = tool_url_arg(t, o.base_url)))
        return EXIT_LOCAL;
    if ((rc = tool_open_read(t, &reg)) != 0)
        return rc;
    memset(&st, 0, sizeof(st));
    st.t = t;
    st.o = &o;
    st.reg = reg.reg;
    st.seen = apr_hash_make(t->p);
    st.list = apr_array_make(t->p, 16, sizeof(found *));
    for (i = first; i < argc; i++) {
        if (!strncasecmp(argv[i], "https://", 8)
            || !strncasecmp(argv[i], "http://", 7)) {
            const char *u = tool_url_arg(t, argv[i]);
            if (!u)
                return EXIT_LOCAL;
            scan_fetch(&st, u);
        } else if (!o.base_url) {
            return tool_usage_error(t, "scanning files needs --url: the URL "
                                    "%s is served at", argv[i]);
        } else
            scan_path(&st, argv[i], o.base_url, 1);
    }
    unknown = apr_array_make(t->p, 8, sizeof(found *));
    if (o.json) {
        results = json_array();
        st.added = json_array();
    }
    for (i = 0; i < st.list->nelts; i++) {
        found *f = APR_ARRAY_IDX(st.list, i, found *);
        const sri_entry *e = sri_registry_lookup(reg.reg, f->url);
        int svg = !strcmp(f->kind,
                          sri_fetch_kind_name(SRI_FETCH_SVG_SCRIPT));
        scan_status s = svg ? S_UNPINNABLE
                      : !e ? S_UNKNOWN
                      : !e->integrity ? S_PENDING
                      : f->author == SRI_AUTHOR_FAIL_OPEN ? S_FAIL_OPEN
                      : f->author == SRI_AUTHOR_MISMATCH ? S_MISMATCH
                      : S_REGISTERED;
        counts[s]++;
        if (results)
            json_array_append_new(results, json_pack(
                "{s:s, s:s, s:o, s:o}", "status", status_name[s],
                "kind", f->kind, "url", tool_json_text(f->url),
                "page", tool_json_text(f->page)));
        else
            printf("%-10s %-13s %s (%s)\n", status_name[s], f->kind, f->url,
                   f->page);
        if (!e && !svg)     /* pending would not pin it */
            APR_ARRAY_PUSH(unknown, found *) = f;
    }
    tool_note(t, "%d registered, %d pending, %d unknown, %d fail-open, "
              "%d mismatch, %d unpinnable", counts[S_REGISTERED],
              counts[S_PENDING], counts[S_UNKNOWN], counts[S_FAIL_OPEN],
              counts[S_MISMATCH], counts[S_UNPINNABLE]);
    if (o.add && unknown->nelts && (rc = add_pending(&st, unknown)) != 0)
        return rc;
    if (results && tool_json_print(json_pack(
            "{s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:i}", "results", results,
            "added", st.added, "registered", counts[S_REGISTERED],
            "pending", counts[S_PENDING], "unknown", counts[S_UNKNOWN],
            "fail_open", counts[S_FAIL_OPEN],
            "mismatch", counts[S_MISMATCH],
            "unpinnable", counts[S_UNPINNABLE]))) {
        tool_err("cannot write the JSON result");
        return EXIT_LOCAL;
    }
    if (st.errors)
        return EXIT_LOCAL;
    if (st.fetch_errors)
        return EXIT_FETCH;
    if (o.fail_unknown && ((counts[S_UNKNOWN] && !o.add)
                           || counts[S_FAIL_OPEN] || counts[S_MISMATCH]
                           || counts[S_UNPINNABLE]))
        return EXIT_DRIFT;
    return EXIT_OK;
}
