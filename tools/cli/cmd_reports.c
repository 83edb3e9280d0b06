/*
 * cmd_reports.c -- `sri-registry reports LOG...`: summarise what the
 * module and the browsers reported.
 *
 * Why: mod_sri logs third-party resources it could not pin ("SRI:
 * unregistered/blocked unregistered third-party resource URL on page P"
 * in the error log), and browsers send Integrity-Policy / CSP violation
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
    const char *what;          /* blocked, unregistered, violation */
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

/* The JSON string value of "key" in s (first occurrence), decoded; NULL if
   absent.  Enough JSON for reports: \" \\ \/ \b \f \n \r \t \uXXXX. */
static char *json_get(apr_pool_t *p, const char *s, const char *key)
{
    const char *k = apr_pstrcat(p, "\"", key, "\"", NULL);
    const char *at = strstr(s, k);
    char *out, *o;
    if (!at)
        return NULL;
    at += strlen(k);
    while (*at == ' ' || *at == '\t')
        at++;
    if (*at++ != ':')
        return NULL;
    while (*at == ' ' || *at == '\t')
        at++;
    if (*at++ != '"')
        return NULL;
    out = o = apr_palloc(p, strlen(at) + 1);
    while (*at && *at != '"') {
        if (*at != '\\') {
            *o++ = *at++;
            continue;
        }
        at++;
        switch (*at) {
        case 'n': *o++ = '\n'; at++; break;
        case 't': *o++ = '\t'; at++; break;
        case 'r': *o++ = '\r'; at++; break;
        case 'b': *o++ = '\b'; at++; break;
        case 'f': *o++ = '\f'; at++; break;
        case 'u': {
            unsigned v = 0;
            int i;
            for (i = 1; i <= 4 && at[i]; i++) {
                char c = at[i];
                v = v * 16 + (unsigned)(c >= 'a' ? c - 'a' + 10
                                        : c >= 'A' ? c - 'A' + 10 : c - '0');
            }
            at += i;
            if (v < 0x80) *o++ = (char)v;
            else if (v < 0x800) {
                *o++ = (char)(0xc0 | (v >> 6));
                *o++ = (char)(0x80 | (v & 0x3f));
            } else {
                *o++ = (char)(0xe0 | (v >> 12));
                *o++ = (char)(0x80 | ((v >> 6) & 0x3f));
                *o++ = (char)(0x80 | (v & 0x3f));
            }
            break;
        }
        case '\0': break;
        default: *o++ = *at++; break;
        }
    }
    *o = '\0';
    return out;
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

/* One log line: a module warning or a report-log line.  1 if understood. */
static int parse_line(apr_pool_t *p, char *line, apr_hash_t *items,
                      apr_array_header_t *order)
{
    static const char *mark[] = {
        "SRI: blocked unregistered third-party resource ",
        "SRI: unregistered third-party resource "
    };
    int k;
    for (k = 0; k < 2; k++) {
        char *at = strstr(line, mark[k]), *url, *page, *end;
        if (!at)
            continue;
        url = at + strlen(mark[k]);
        page = strstr(url, " on page ");
        if (!page)
            return 0;
        *page = '\0';
        page += 9;
        /* httpd appends ", referer: ..." to request-scoped lines */
        if ((end = strstr(page, ", referer")) != NULL)
            *end = '\0';
        page[strcspn(page, " \r\n")] = '\0';
        count(p, items, order, url, page, k == 0 ? "blocked" : "unregistered");
        return 1;
    }
    if (strchr(line, '{')) {
        const char *json = strchr(line, '{');
        char *url = json_get(p, json, "blockedURL");
        char *page = json_get(p, json, "documentURL");
        if (!url)
            url = json_get(p, json, "blocked-uri");
        if (!page)
            page = json_get(p, json, "document-uri");
        if (!page)
            page = json_get(p, json, "url");
        if (url) {
            count(p, items, order, url, page, "violation");
            return 1;
        }
    }
    return 0;
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
    if (!reg)
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
        printf("{\"lines\":%lu,\"entries\":[", lines);
    for (i = 0; i < order->nelts; i++) {
        item *it = APR_ARRAY_IDX(order, i, item *);
        const char *st = reg_status(t, r, it->url);
        apr_hash_index_t *hi;
        int np = 0;
        if (json) {
            printf("%s{\"url\":", i ? "," : "");
            json_str(stdout, it->url);
            printf(",\"kind\":\"%s\",\"count\":%lu,\"registry\":", it->what,
                   it->count);
            json_str(stdout, st);
            printf(",\"pages\":[");
        } else
            printf("%6lu %-12s %s%s%s%s\n", it->count, it->what, it->url,
                   st ? " [" : "", st ? st : "", st ? "]" : "");
        for (hi = apr_hash_first(t->p, it->pages); hi; hi = apr_hash_next(hi)) {
            const void *k;
            void *v;
            apr_hash_this(hi, &k, NULL, &v);
            if (json) {
                printf("%s", np ? "," : "");
                json_str(stdout, k);
            } else if (np < 5)
                printf("         page %s (%lu)\n", (const char *)k,
                       *(unsigned long *)v);
            np++;
        }
        if (json)
            printf("]}");
        else if (np > 5)
            printf("         ... and %d more pages\n", np - 5);
    }
    if (json)
        printf("],\"understood\":%lu}\n", used);
    else
        tool_note(t, "%lu lines, %lu understood, %d distinct URLs", lines,
                  used, order->nelts);
    return EXIT_OK;
}
