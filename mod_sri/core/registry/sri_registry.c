/*
 * sri_registry.c -- the one strict registry parser, and O(1) lookup.
 *
 * Why: the module and sri-registry read the registry with this code, so a
 * file the tool accepts is exactly a file the server accepts.  It is strict
 * because a mistake here silently weakens a page: an unknown key is most
 * likely a typo for one we know, a bad token makes browsers skip the check,
 * a duplicate URL leaves it unclear which token is meant.  Every error names
 * NAME:LINE.  The format is described in docs/registry-format.md.
 */
#include "registry/sri_registry_private.h"
#include "integrity/sri_integrity.h"
#include "url/sri_url.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_file_io.h>

/* The file a registry can be: a million lines is plenty, and it bounds
   what a broken or hostile file can make the module allocate. */

sri_entry *sri_entry_new(sri_registry *r, const char *url,
                         const char *url_written, int line)
{
    sri_entry *e = apr_pcalloc(r->pool, sizeof(*e));
    e->url = url;
    e->url_written = url_written;
    e->line = line;
    e->approved = apr_array_make(r->pool, 1, sizeof(sri_reg_token));
    e->pending = r->empty_tokens;
    e->comments = r->empty_strs;
    e->inner_comments = r->empty_strs;
    return e;
}

void *sri_array_push(sri_registry *r, apr_array_header_t **a)
{
    if (*a == r->empty_tokens)
        *a = apr_array_make(r->pool, 1, sizeof(sri_reg_token));
    else if (*a == r->empty_strs)
        *a = apr_array_make(r->pool, 1, sizeof(const char *));
    return apr_array_push(*a);
}

static int digits(const char *s, size_t n, int lo, int hi)
{
    int v = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    return v >= lo && v <= hi;
}

int sri_time_valid(const char *s, size_t len)
{
    /* 0123456789012345678 9
       YYYY-MM-DDTHH:MM:SSZ */
    return len == 20 && digits(s, 4, 1970, 9999) && s[4] == '-'
        && digits(s + 5, 2, 1, 12) && s[7] == '-' && digits(s + 8, 2, 1, 31)
        && s[10] == 'T' && digits(s + 11, 2, 0, 23) && s[13] == ':'
        && digits(s + 14, 2, 0, 59) && s[16] == ':'
        && digits(s + 17, 2, 0, 60) && s[19] == 'Z';
}

/* Valid UTF-8, no C0 controls except TAB, no DEL: values are one line of
   text that people read in diffs. */
static const char *check_text(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k, need;
        unsigned int cp;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                return c == 0 ? "NUL byte" : "control character";
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)      { need = 1; cp = c & 0x1f; }
        else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
        else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
        else return "invalid UTF-8";
        if (i + need >= n)
            return "invalid UTF-8";
        for (k = 1; k <= need; k++) {
            unsigned char cc = (unsigned char)s[i + k];
            if ((cc & 0xc0) != 0x80)
                return "invalid UTF-8";
            cp = (cp << 6) | (cc & 0x3f);
        }
        if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
            || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return "invalid UTF-8";
        i += need + 1;
    }
    return NULL;
}

/* ---- parser ------------------------------------------------------------ */

typedef struct {
    apr_pool_t   *p;
    sri_registry *r;
    const char   *name;
    int           line;
    char         *err;
    sri_entry    *cur;          /* the open entry (fields go here)        */
    apr_array_header_t *pend;   /* column-0 comments awaiting an entry    */
    int           pend_blank;   /* index in pend of the last blank line,
                                   -1 when none (header split point)     */
    int           sorted;       /* entries came in sorted order so far    */
} parser;

static int fail(parser *ps, const char *fmt, const char *arg)
{
    ps->err = apr_psprintf(ps->p, "%s:%d: %s", ps->name, ps->line,
                           apr_psprintf(ps->p, fmt, arg));
    return -1;
}

/* The parser owns the derived field: e->integrity, the approved tokens
   joined by spaces (the attribute value), kept in step by every editor. */
void sri_entry_update(sri_registry *r, sri_entry *e)
{
    apr_pool_t *p = r->pool;
    size_t n = 0, off = 0;
    char *s;
    int i;

    if (e->approved->nelts == 0) {
        e->integrity = NULL;
        return;
    }
    if (e->approved->nelts == 1) {      /* the common case: no copy */
        e->integrity = APR_ARRAY_IDX(e->approved, 0, sri_reg_token).token;
        return;
    }
    for (i = 0; i < e->approved->nelts; i++)
        n += strlen(APR_ARRAY_IDX(e->approved, i, sri_reg_token).token) + 1;
    s = apr_palloc(p, n);
    for (i = 0; i < e->approved->nelts; i++) {
        const char *t = APR_ARRAY_IDX(e->approved, i, sri_reg_token).token;
        size_t tl = strlen(t);
        if (i)
            s[off++] = ' ';
        memcpy(s + off, t, tl);
        off += tl;
    }
    s[off] = '\0';
    e->integrity = s;
}

static int close_entry(parser *ps)
{
    sri_entry *e = ps->cur;
    if (!e)
        return 0;
    if (e->approved->nelts == 0 && e->pending->nelts == 0) {
        ps->line = e->line;
        return fail(ps, "%s has no integrity or pending token", e->url_written);
    }
    sri_entry_update(ps->r, e);
    ps->cur = NULL;
    return 0;
}

int sri_reg_token_find(const apr_array_header_t *tokens, const char *token)
{
    int i;
    for (i = 0; i < tokens->nelts; i++)
        if (!strcmp(APR_ARRAY_IDX(tokens, i, sri_reg_token).token, token))
            return i;
    return -1;
}

int sri_entry_has_token(const sri_entry *e, const char *tok)
{
    return sri_reg_token_find(e->approved, tok) >= 0
        || sri_reg_token_find(e->pending, tok) >= 0;
}

static int url_line(parser *ps, const char *s, size_t n)
{
    char *written = apr_pstrmemdup(ps->p, s, n);
    char *norm;
    sri_entry *e, *prev;
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] == ' ' || s[i] == '\t')
            return fail(ps, "%s", "a URL line must hold only the URL "
                        "(fields go on indented lines below it)");
    if (strncasecmp(written, "http://", 7) && strncasecmp(written, "https://", 8))
        return fail(ps, "not an absolute http(s) URL: %s", written);
    norm = sri_url_normalize(ps->p, written);
    if (!norm || !sri_url_is_http(norm))
        return fail(ps, "not a valid absolute http(s) URL: %s", written);
    prev = apr_hash_get(ps->r->by_url, norm, APR_HASH_KEY_STRING);
    if (prev)
        return fail(ps, "duplicate URL %s", apr_psprintf(ps->p,
                    "%s (same as line %d after normalisation)", written,
                    prev->line));
    /* Most files are written normalised: share the string then. */
    e = sri_entry_new(ps->r, norm, strcmp(norm, written) ? written : norm,
                      ps->line);
    /* The comments since the previous entry belong to this one, except
       that, before the first entry, a block ended by a blank line is the
       file's header. */
    if (ps->r->entries->nelts == 0 && ps->pend_blank >= 0) {
        int k;
        for (k = 0; k < ps->pend->nelts; k++) {
            const char *c = APR_ARRAY_IDX(ps->pend, k, const char *);
            if (!c)
                continue;
            if (k < ps->pend_blank)
                *(const char **)apr_array_push(ps->r->header) = c;
            else
                *(const char **)sri_array_push(ps->r, &e->comments) = c;
        }
    } else {
        int k;
        for (k = 0; k < ps->pend->nelts; k++) {
            const char *c = APR_ARRAY_IDX(ps->pend, k, const char *);
            if (c)
                *(const char **)sri_array_push(ps->r, &e->comments) = c;
        }
    }
    apr_array_clear(ps->pend);
    ps->pend_blank = -1;
    if (ps->r->entries->nelts) {
        sri_entry *last = APR_ARRAY_IDX(ps->r->entries,
                                        ps->r->entries->nelts - 1, sri_entry *);
        if (strcmp(last->url, norm) > 0)
            ps->sorted = 0;
    }
    *(sri_entry **)apr_array_push(ps->r->entries) = e;
    apr_hash_set(ps->r->by_url, norm, APR_HASH_KEY_STRING, e);
    ps->cur = e;
    return 0;
}

static int set_once(parser *ps, const char **field, const char *key,
                    const char *v, size_t vn)
{
    if (*field)
        return fail(ps, "'%s' given twice for this URL", key);
    if (vn == 0)
        return fail(ps, "'%s' needs a value", key);
    *field = apr_pstrmemdup(ps->p, v, vn);
    return 0;
}

static int field_line(parser *ps, const char *k, size_t kn, const char *v,
                      size_t vn)
{
    sri_entry *e = ps->cur;
    const char *why;
    sri_reg_token *t;
    /* Compared in place; copied only for messages (100,000-entry files). */
    const char *key = kn == 9 && !memcmp(k, "integrity", 9) ? "integrity"
                    : apr_pstrmemdup(ps->p, k, kn);

    if (!e)
        return fail(ps, "'%s' outside an entry: fields go on indented "
                    "lines under an absolute URL at column 0 (a comment at "
                    "column 0 ends an entry)", key);
    if (!strcmp(key, "integrity")) {
        if (!sri_pin_token(v, vn, &why))
            return fail(ps, "bad integrity token: %s", why);
        {
            char *tok = apr_pstrmemdup(ps->p, v, vn);
            if (sri_entry_has_token(e, tok))
                return fail(ps, "token listed twice: %s", tok);
            t = apr_array_push(e->approved);
            t->token = tok;
            t->seen = NULL;
        }
        return 0;
    }
    if (!strcmp(key, "pending")) {
        const char *sp = memchr(v, ' ', vn);
        const char *tab = memchr(v, '\t', vn);
        const char *ts;
        size_t tn, tsn;
        char *tok;
        if (!sp || (tab && tab < sp))
            sp = tab;
        if (!sp)
            return fail(ps, "%s", "'pending' needs TOKEN FIRST-SEEN-TIME");
        tn = (size_t)(sp - v);
        ts = sp;
        while (ts < v + vn && (*ts == ' ' || *ts == '\t'))
            ts++;
        tsn = (size_t)(v + vn - ts);
        if (!sri_token_valid(v, tn, NULL, &why))
            return fail(ps, "bad pending token: %s", why);
        if (!sri_time_valid(ts, tsn))
            return fail(ps, "bad first-seen time '%s' (want "
                        "YYYY-MM-DDTHH:MM:SSZ)", apr_pstrmemdup(ps->p, ts, tsn));
        tok = apr_pstrmemdup(ps->p, v, tn);
        if (sri_entry_has_token(e, tok))
            return fail(ps, "token listed twice: %s", tok);
        t = sri_array_push(ps->r, &e->pending);
        t->token = tok;
        t->seen = apr_pstrmemdup(ps->p, ts, tsn);
        return 0;
    }
    if (!strcmp(key, "why"))
        return set_once(ps, &e->why, key, v, vn);
    if (!strcmp(key, "approved-by"))
        return set_once(ps, &e->approved_by, key, v, vn);
    if (!strcmp(key, "source"))
        return set_once(ps, &e->source, key, v, vn);
    if (!strcmp(key, "approved-at") || !strcmp(key, "verified")) {
        if (!sri_time_valid(v, vn))
            return fail(ps, "bad time '%s' (want YYYY-MM-DDTHH:MM:SSZ)",
                        apr_pstrmemdup(ps->p, v, vn));
        return set_once(ps, key[0] == 'a' ? &e->approved_at : &e->verified,
                        key, v, vn);
    }
    if (!strcmp(key, "cors")) {
        if (!((vn == 2 && !memcmp(v, "ok", 2))
              || (vn == 7 && !memcmp(v, "missing", 7))
              || (vn == 9 && !memcmp(v, "unchecked", 9))))
            return fail(ps, "bad cors value '%s' (ok, missing or unchecked)",
                        apr_pstrmemdup(ps->p, v, vn));
        return set_once(ps, &e->cors, key, v, vn);
    }
    return fail(ps, "unknown key '%s' (known: integrity, pending, why, "
                "approved-by, approved-at, verified, cors, source)", key);
}

static int parse_line(parser *ps, const char *s, size_t n)
{
    size_t ind = 0, end = n;
    const char *why;

    if ((why = check_text(s, n)) != NULL)
        return fail(ps, "%s", why);
    while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    while (ind < end && (s[ind] == ' ' || s[ind] == '\t'))
        ind++;
    if (ind == end) {                               /* blank line */
        if (ps->r->entries->nelts == 0) {
            ps->pend_blank = ps->pend->nelts;
            *(const char **)apr_array_push(ps->pend) = NULL;
        }
        return 0;
    }
    if (s[ind] == '#') {
        char *c = apr_pstrmemdup(ps->p, s + ind, end - ind);
        if (ind > 0 && ps->cur)                     /* inside an entry */
            *(const char **)sri_array_push(ps->r, &ps->cur->inner_comments) = c;
        else {
            if (ind == 0 && close_entry(ps))
                return -1;
            *(const char **)apr_array_push(ps->pend) = c;
        }
        return 0;
    }
    if (ind == 0) {                                 /* a new entry */
        if (close_entry(ps))
            return -1;
        return url_line(ps, s, end);
    }
    {
        size_t k = ind, v;
        while (k < end && s[k] != ' ' && s[k] != '\t')
            k++;
        v = k;
        while (v < end && (s[v] == ' ' || s[v] == '\t'))
            v++;
        return field_line(ps, s + ind, k - ind, s + v, end - v);
    }
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp((*(sri_entry *const *)a)->url, (*(sri_entry *const *)b)->url);
}

sri_registry *sri_registry_create(apr_pool_t *p, const char *name)
{
    sri_registry *r = apr_pcalloc(p, sizeof(*r));
    r->pool = p;
    r->name = apr_pstrdup(p, name ? name : "registry");
    r->by_url = apr_hash_make(p);
    r->entries = apr_array_make(p, 64, sizeof(sri_entry *));
    r->header = apr_array_make(p, 4, sizeof(const char *));
    r->footer = apr_array_make(p, 1, sizeof(const char *));
    r->empty_tokens = apr_array_make(p, 1, sizeof(sri_reg_token));
    r->empty_strs = apr_array_make(p, 1, sizeof(const char *));
    return r;
}

int sri_registry_parse(apr_pool_t *p, const char *name, const char *text,
                       size_t len, sri_registry **out, char **err)
{
    parser ps;
    size_t pos = 0;
    int k;

    memset(&ps, 0, sizeof(ps));
    ps.p = p;
    ps.name = name ? name : "registry";
    ps.r = sri_registry_create(p, ps.name);
    ps.pend = apr_array_make(p, 8, sizeof(const char *));
    ps.pend_blank = -1;
    ps.sorted = 1;
    *out = NULL;
    if (err)
        *err = NULL;
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))     /* UTF-8 BOM */
        pos = 3;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - text - pos) : len - pos;
        size_t next = nl ? (size_t)(nl - text) + 1 : len;
        ps.line++;
        if (n > 0 && text[pos + n - 1] == '\r')
            n--;
        if (parse_line(&ps, text + pos, n)) {
            if (err) *err = ps.err;
            return -1;
        }
        pos = next;
    }
    if (close_entry(&ps)) {
        if (err) *err = ps.err;
        return -1;
    }
    /* Comments after the last entry (or a file of comments only). */
    for (k = 0; k < ps.pend->nelts; k++) {
        const char *c = APR_ARRAY_IDX(ps.pend, k, const char *);
        if (c)
            *(const char **)apr_array_push(ps.r->entries->nelts
                ? ps.r->footer : ps.r->header) = c;
    }
    if (!ps.sorted)
        qsort(ps.r->entries->elts, (size_t)ps.r->entries->nelts,
              sizeof(sri_entry *), cmp_entry);
    *out = ps.r;
    return 0;
}

int sri_registry_load(apr_pool_t *p, const char *path, sri_registry **out,
                      char **err)
{
    apr_pool_t *tmp;
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    apr_size_t got = 0;
    char *buf, ebuf[256];
    int rc = -1;

    *out = NULL;
    /* The file's bytes live in a scratch pool: the parser copies what it
       keeps, so a big registry does not stay in memory twice. */
    apr_pool_create(&tmp, p);
    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, tmp);
    if (rv == APR_SUCCESS)
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_TYPE, f);
    if (rv != APR_SUCCESS) {
        if (err)
            *err = apr_psprintf(p, "%s: cannot open: %s", path,
                                apr_strerror(rv, ebuf, sizeof(ebuf)));
        goto done;
    }
    if (fi.filetype != APR_REG || fi.size > (apr_off_t)SRI_REGISTRY_MAX_BYTES) {
        if (err)
            *err = apr_psprintf(p, "%s: cannot open: %s", path,
                                fi.filetype != APR_REG ? "not a regular file"
                                                       : "file too large");
        goto done;
    }
    buf = apr_palloc(tmp, (apr_size_t)fi.size + 1);
    if (fi.size > 0)
        rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, &got);
    if (rv != APR_SUCCESS) {
        if (err)
            *err = apr_psprintf(p, "%s: cannot read: %s", path,
                                apr_strerror(rv, ebuf, sizeof(ebuf)));
        goto done;
    }
    buf[got] = '\0';
    rc = sri_registry_parse(p, path, buf, got, out, err);
done:
    apr_pool_destroy(tmp);              /* closes f */
    return rc;
}

const sri_entry *sri_registry_lookup(const sri_registry *r, const char *url)
{
    if (!r || !url)
        return NULL;
    return apr_hash_get(r->by_url, url, APR_HASH_KEY_STRING);
}

int sri_registry_count(const sri_registry *r)
{
    return r ? r->entries->nelts : 0;
}

const sri_entry *sri_registry_entry(const sri_registry *r, int i)
{
    if (!r || i < 0 || i >= r->entries->nelts)
        return NULL;
    return APR_ARRAY_IDX(r->entries, i, sri_entry *);
}

int sri_entry_mixed_algorithms(const sri_entry *e)
{
    sri_algo first = SRI_ALGO_NONE, a;
    int i;
    for (i = 0; i < e->approved->nelts; i++) {
        const char *t = APR_ARRAY_IDX(e->approved, i, sri_reg_token).token;
        if (!sri_token_valid(t, strlen(t), &a, NULL))
            continue;
        if (first == SRI_ALGO_NONE)
            first = a;
        else if (a != first)
            return 1;
    }
    return 0;
}

apr_array_header_t *sri_registry_warnings(apr_pool_t *p,
                                          const sri_registry *r)
{
    apr_array_header_t *w = apr_array_make(p, 4, sizeof(char *));
    int i;
    for (i = 0; r && i < r->entries->nelts; i++) {
        const sri_entry *e = APR_ARRAY_IDX(r->entries, i, sri_entry *);
        if (sri_entry_mixed_algorithms(e))
            *(char **)apr_array_push(w) = apr_psprintf(p,
                "%s:%d: warning: %s mixes algorithms among its approved "
                "tokens; browsers compare only the strongest, so the weaker "
                "tokens pin nothing", r->name, e->line, e->url_written);
    }
    return w;
}
