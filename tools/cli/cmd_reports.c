/*
 * cmd_reports.c -- `sri-registry reports LOG...`: summarise what the
 * module and the browsers reported.
 *
 * Why: mod_sri logs third-party resources it could not pin ("SRI:
 * unregistered/blocked unregistered third-party resource URL on page P"
 * in the error log) and pages whose own integrity attributes are
 * fail-open or hold none of the approved tokens, SVG scripts (which no
 * integrity can pin: "SRI: unpinnable/blocked SVG script resource URL on
 * page P"), and import maps it left
 * as written (their modules unpinned), and browsers send Integrity-Policy / CSP violation
 * reports that the module's sri-report handler appends to SRIReportLog
 * ("DATE<TAB>JSON" per report).  Read raw, both are noise; summarised per
 * URL with counts, pages and registry status they are the to-do list for
 * the registry (and evidence for PCI DSS 11.6.1).
 */
#include "tool.h"
#include "json.h"
#include "url/sri_url.h"

#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>

enum { OPT_JSON = 8000 };

typedef struct {
    const char *url;
    const char *what;          /* blocked, unregistered, fail-open,
                                  mismatch, svg-script, svg-blocked,
                                  violation, map-unread, map-unedited,
                                  srcdoc-deep */
    unsigned long count;
    apr_hash_t *pages;         /* page -> count */
} item;

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    if (c == OPT_JSON) {
        *(int *)ctx = 1;
        return 0;
    }
    return -1;
}

static void count(apr_pool_t *p, apr_hash_t *items, apr_array_header_t *order,
                  const char *url, const char *page, const char *what)
{
    const char *key = apr_pstrcat(p, what, " ", url, NULL);
    item *it = apr_hash_get(items, key, APR_HASH_KEY_STRING);
    unsigned long *pc;
    if (!it) {
        it = apr_pcalloc(p, sizeof(*it));
        it->url = apr_pstrdup(p, url);
        it->what = what;
        it->pages = apr_hash_make(p);
        apr_hash_set(items, key, APR_HASH_KEY_STRING, it);
        APR_ARRAY_PUSH(order, item *) = it;
    }
    it->count++;
    if (page && *page) {
        pc = apr_hash_get(it->pages, page, APR_HASH_KEY_STRING);
        if (!pc) {
            pc = apr_pcalloc(p, sizeof(*pc));
            apr_hash_set(it->pages, apr_pstrdup(p, page), APR_HASH_KEY_STRING,
                         pc);
        }
        (*pc)++;
    }
}

/* One browser report (an object of the Reporting API or a CSP
   report-uri body): 1 if it names a URL. */
static int count_report(apr_pool_t *p, json_t *report, apr_hash_t *items,
                        apr_array_header_t *order)
{
    const char *url = tool_json_find(report, "blockedURL");
    const char *page = tool_json_find(report, "documentURL");
    if (!url)
        url = tool_json_find(report, "blocked-uri");
    if (!page)
        page = tool_json_find(report, "document-uri");
    if (!page)
        page = tool_json_find(report, "url");
    if (!url)
        return 0;
    count(p, items, order, url, page, "violation");
    return 1;
}

/* A report-log line, "DATE<TAB>JSON": one report, or an array of them. */
static int parse_report(apr_pool_t *p, const char *line, apr_hash_t *items,
                        apr_array_header_t *order)
{
    const char *json = strchr(line, '\t');
    json_t *doc, *r;
    size_t i;
    int used = 0;

    if (json)
        json += 1 + strspn(json + 1, " ");
    if (!json || (*json != '{' && *json != '['))
        json = strchr(line, '{');
    if (!json || !(doc = tool_json_parse(json, strlen(json))))
        return 0;
    if (json_is_array(doc)) {
        json_array_foreach(doc, i, r)
            used |= count_report(p, r, items, order);
    } else {
        used = count_report(p, doc, items, order);
    }
    json_decref(doc);
    return used;
}

/* One log line: a module warning or a report-log line.  1 if understood. */
static int parse_line(apr_pool_t *p, char *line, apr_hash_t *items,
                      apr_array_header_t *order)
{
    /* The module's warnings (sri_filter.c): "MARK URL on page PAGE". */
    static const struct { const char *mark, *what; } marks[] = {
        { "SRI: blocked unregistered third-party resource ", "blocked" },
        { "SRI: unregistered third-party resource ", "unregistered" },
        { "SRI: fail-open integrity attribute (no usable token) replaced "
          "for registered resource ", "fail-open" },
        { "SRI: integrity mismatch (the author's integrity holds none of "
          "the approved tokens) for registered resource ", "mismatch" },
        { "SRI: unpinnable SVG script resource ", "svg-script" },
        { "SRI: blocked SVG script resource ", "svg-blocked" }
    };
    /* Warnings that name no URL: the page is the item.  Import maps the
       module left as the page wrote them, and iframe srcdoc pages nested
       deeper than it rewrites: their modules and scripts got no integrity
       from it (sri_filter.c, on_unknown()). */
    static const struct { const char *mark, *end, *what; } pages[] = {
        { "SRI: import map on page ", " left as written", "map-unread" },
        { "SRI: import map on page ", " left unedited", "map-unedited" },
        { "SRI: iframe srcdoc on page ", " left as written", "srcdoc-deep" }
    };
    char *at;
    size_t k;
    int page_mark = 0;

    for (k = 0; k < sizeof(pages) / sizeof(pages[0]); k++) {
        char *page, *end;
        if ((at = strstr(line, pages[k].mark)) == NULL)
            continue;
        page_mark = 1;
        page = at + strlen(pages[k].mark);
        if ((end = strstr(page, pages[k].end)) != NULL) {
            *end = '\0';
            count(p, items, order, "", page, pages[k].what);
            return 1;
        }
    }
    if (page_mark)
        return 0;
    for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
        char *url, *page, *end;
        at = strstr(line, marks[k].mark);
        if (!at)
            continue;
        url = at + strlen(marks[k].mark);
        page = strstr(url, " on page ");
        if (!page)
            return 0;
        *page = '\0';
        page += 9;
        /* httpd appends ", referer: ..." to request-scoped lines */
        if ((end = strstr(page, ", referer")) != NULL)
            *end = '\0';
        page[strcspn(page, " \r\n")] = '\0';
        count(p, items, order, url, page, marks[k].what);
        return 1;
    }
    return parse_report(p, line, items, order);
}

static int by_count(const void *a, const void *b)
{
    const item *x = *(item *const *)a, *y = *(item *const *)b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->url, y->url);
}

static const char *reg_status(tool_ctx *t, const sri_registry *reg,
                              const char *url)
{
    const char *n;
    const sri_entry *e;
    if (!reg || !*url)
        return NULL;
    n = sri_url_normalize(t->p, url);
    e = n ? sri_registry_lookup(reg, n) : NULL;
    return !e ? "unknown" : e->integrity ? "registered" : "pending";
}

int cmd_reports(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 }
    };
    apr_hash_t *items = apr_hash_make(t->p);
    apr_array_header_t *order = apr_array_make(t->p, 16, sizeof(item *));
    tool_reg reg;
    const sri_registry *r = NULL;
    json_t *entries = NULL;
    unsigned long lines = 0, used = 0;
    int json = 0, rc = 0, first, i;

    first = tool_getopt(t, argc, argv, "", longopts, on_opt, &json, &rc);
    if (first < 0)
        return rc;
    if (first == argc)
        return tool_usage_error(t, "reports needs a LOG file (or -)");
    if (t->registry) {
        if ((rc = tool_open_read(t, &reg)) != 0)
            return rc;
        r = reg.reg;
    }
    for (i = first; i < argc; i++) {
        char *buf, *line, *save = NULL;
        size_t len;
        if ((rc = tool_read_file(t, argv[i], &buf, &len)) != 0)
            return rc;
        for (line = apr_strtok(buf, "\n", &save); line;
             line = apr_strtok(NULL, "\n", &save)) {
            lines++;
            used += (unsigned long)parse_line(t->p, line, items, order);
        }
    }
    qsort(order->elts, (size_t)order->nelts, sizeof(item *), by_count);
    if (json)
        entries = json_array();
    for (i = 0; i < order->nelts; i++) {
        item *it = APR_ARRAY_IDX(order, i, item *);
        const char *st = reg_status(t, r, it->url);
        json_t *pages = json ? json_array() : NULL;
        apr_hash_index_t *hi;
        int np = 0;
        if (!json)
            printf("%6lu %-12s %s%s%s%s\n", it->count, it->what,
                   *it->url ? it->url
                   : !strcmp(it->what, "srcdoc-deep") ? "(iframe srcdoc)"
                   : "(import map)",
                   st ? " [" : "", st ? st : "", st ? "]" : "");
        for (hi = apr_hash_first(t->p, it->pages); hi; hi = apr_hash_next(hi)) {
            const void *k;
            void *v;
            apr_hash_this(hi, &k, NULL, &v);
            if (pages)
                json_array_append_new(pages, tool_json_text(k));
            else if (np < 5)
                printf("         page %s (%lu)\n", (const char *)k,
                       *(unsigned long *)v);
            np++;
        }
        if (pages)
            json_array_append_new(entries, json_pack(
                "{s:o, s:s, s:I, s:o, s:o}", "url",
                *it->url ? tool_json_text(it->url) : json_null(),
                "kind", it->what, "count", (json_int_t)it->count,
                "registry", tool_json_text(st), "pages", pages));
        else if (np > 5)
            printf("         ... and %d more pages\n", np - 5);
    }
    if (json) {
        if (tool_json_print(json_pack("{s:I, s:o, s:I}",
                                      "lines", (json_int_t)lines,
                                      "entries", entries,
                                      "understood", (json_int_t)used))) {
            tool_err("cannot write the summary");
            return EXIT_LOCAL;
        }
    } else
        tool_note(t, "%lu lines, %lu understood, %d distinct URLs", lines,
                  used, order->nelts);
    return EXIT_OK;
}
