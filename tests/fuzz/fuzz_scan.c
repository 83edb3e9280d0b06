/*
 * fuzz_scan.c -- libFuzzer target for the streaming scanner.
 *
 * Why: the scanner's promises are exact and checkable on any input: the
 * bytes given to pass() are the input, in order, with nothing lost or
 * doubled; the output does not depend on where the stream is cut; every
 * tag handed to on_tag() is well formed (starts with '<', ends with '>',
 * insert_off at its '>' or its final "/>" or just after its name,
 * attributes inside it).  The fuzzer feeds each input whole and cut at points derived from
 * the input (so a crash reproduces), with a bound on held tags that is
 * sometimes tiny, and aborts on any broken promise.  Every src attribute,
 * duplicates included, is renamed (all_attrs); for half of the inputs the
 * text of each <script> is captured (wants_text/on_text) and must be exactly
 * the input bytes before its "</script".
 *
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "html/sri_scan.h"

typedef struct {
    char  *out, *passed;
    size_t out_len, passed_len, cap;
    const char *chunk;
    size_t chunk_len;
    int    after_insert;
    /* bytes the pending rename edits delete, in edit order: they count as
       passed when their replacement is inserted */
    const char *deleted[8];
    size_t ndeleted, next_deleted;
    /* text capture: the input, and whether wants_text() says yes */
    const uint8_t *data;
    size_t size, max_tag;
    int    text_mode;
} fuzz_state;

static const char rename_src[] = "\x01src";

static void append(char **p, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n > *cap) {
        /* out and passed share one capacity bound: the output is at most
           the input plus one insertion per tag */
        abort();
    }
    memcpy(*p + *len, s, n);
    *len += n;
}

static int on_pass(void *ctx, const char *p, size_t n)
{
    fuzz_state *st = ctx;
    /* Zero-copy: bytes come from the chunk, or are a held tag (which
       starts with '<' or continues right after an insertion). */
    if (!(st->chunk && p >= st->chunk && p + n <= st->chunk + st->chunk_len)
        && p[0] != '<' && !st->after_insert)
        abort();
    st->after_insert = 0;
    append(&st->out, &st->out_len, &st->cap, p, n);
    append(&st->passed, &st->passed_len, &st->cap, p, n);
    return 0;
}

static int on_insert(void *ctx, const char *p, size_t n)
{
    fuzz_state *st = ctx;
    st->after_insert = 1;
    append(&st->out, &st->out_len, &st->cap, p, n);
    if (p == rename_src) {
        if (st->next_deleted >= st->ndeleted)
            abort();
        append(&st->passed, &st->passed_len, &st->cap,
               st->deleted[st->next_deleted++], 3);
    }
    return 0;
}

static int on_tag(void *ctx, const sri_tag *t, sri_edit *e, size_t max)
{
    static const char *const mark[] = { "", " \x01S", " \x01L", " \x01B",
                                        " \x01V", " \x01I" };
    fuzz_state *st = ctx;
    size_t j, n;
    int marked = 0;
    if (t->raw_len < 2 || t->raw[0] != '<' || t->raw[t->raw_len - 1] != '>')
        abort();
    if (t->kind < SRI_TAG_SCRIPT || t->kind > SRI_TAG_IFRAME || max < 1)
        abort();
    if (t->insert_off < 2 || t->insert_off >= t->raw_len)
        abort();
    switch (t->raw[t->insert_off]) {
    case '>': case '/':                             /* the end */
    case ' ': case '\t': case '\n': case '\f': case '\r':  /* after the name */
        break;
    default:
        abort();
    }
    if (t->self_closing && t->raw[t->insert_off] != '/')
        abort();
    for (j = 0; j < t->nattrs; j++) {
        const sri_attr *a = &t->attrs[j];
        if (a->name_off + a->name_len > t->raw_len || a->name_len == 0)
            abort();
        if (a->value && a->value_off + a->value_len > t->raw_len)
            abort();
        if (sri_tag_attr(t, "src") == NULL && a->name_len == 3
            && (a->name[0] | 0x20) == 's' && (a->name[1] | 0x20) == 'r'
            && (a->name[2] | 0x20) == 'c')
            abort();
    }
    /* all_attrs: every attribute in order, inside the tag; attrs is its
       first-of-each-name subset. */
    if (t->nattrs > t->nall_attrs)
        abort();
    for (j = 0; j < t->nall_attrs; j++) {
        const sri_attr *a = &t->all_attrs[j], *first;
        char lname[8];
        size_t k;
        if (a->name != t->raw + a->name_off || a->name_len == 0
            || a->name_off + a->name_len > t->raw_len
            || (j && a->name_off <= t->all_attrs[j - 1].name_off))
            abort();
        if (a->value && (a->value != t->raw + a->value_off
                         || a->value_off + a->value_len > t->raw_len))
            abort();
        if (a->name_len >= sizeof lname || memchr(a->name, 0, a->name_len))
            continue;
        for (k = 0; k < a->name_len; k++)
            lname[k] = (char)((unsigned char)(a->name[k] - 'A') < 26
                              ? a->name[k] | 0x20 : a->name[k]);
        lname[k] = '\0';
        first = sri_tag_attr(t, lname);
        if (!first || first->name_off > a->name_off)
            abort();
    }
    /* Rename every src, duplicates included (the SRIUnknown block policy),
       and mark the tag; edits sorted by offset. */
    n = 0;
    st->ndeleted = st->next_deleted = 0;
    for (j = 0; j < t->nall_attrs && n + 1 < max
                && st->ndeleted < sizeof st->deleted / sizeof st->deleted[0]; j++) {
        const sri_attr *a = &t->all_attrs[j];
        if (a->name_len != 3 || (a->name[0] | 0x20) != 's'
            || (a->name[1] | 0x20) != 'r' || (a->name[2] | 0x20) != 'c')
            continue;
        if (!marked && t->insert_off <= a->name_off) {
            e[n].off = t->insert_off; e[n].del = 0;
            e[n].ins = mark[t->kind]; e[n].ins_len = 3;
            n++;
            marked = 1;
        }
        e[n].off = a->name_off; e[n].del = 3;
        e[n].ins = rename_src; e[n].ins_len = 4;
        st->deleted[st->ndeleted++] = a->name;
        n++;
    }
    if (!marked) {
        e[n].off = t->insert_off; e[n].del = 0;
        e[n].ins = mark[t->kind]; e[n].ins_len = 3;
        n++;
    }
    return (int)n;
}

static void on_overflow(void *ctx, size_t n)
{
    fuzz_state *st = ctx;
    (void)n;
    st->after_insert = 1;       /* held script text may pass next */
}

static int wants_text(void *ctx, const sri_tag *t)
{
    fuzz_state *st = ctx;
    if (t->kind != SRI_TAG_SCRIPT)
        abort();
    return st->text_mode;
}

/* The text must be exactly the input's next bytes (all before it has
   been passed), within the bound, and followed by "</script" and a
   delimiter; it comes back wrapped in markers. */
static int on_text(void *ctx, const sri_tag *t, const char *text, size_t len,
                   sri_edit *e, size_t max)
{
    static const char end[] = "</script";
    fuzz_state *st = ctx;
    size_t at = st->passed_len, k;
    if (t != NULL || max < 2 || len > st->max_tag
        || at + len + 9 > st->size || (len && memcmp(text, st->data + at, len)))
        abort();
    for (k = 0; k < 8; k++)
        if ((st->data[at + len + k] | (k >= 2 ? 0x20 : 0)) != end[k])
            abort();
    switch (st->data[at + len + 8]) {
    case ' ': case '\t': case '\n': case '\f': case '\r': case '/': case '>':
        break;
    default:
        abort();
    }
    st->after_insert = 1;       /* the text may come from the hold buffer */
    e[0].off = 0; e[0].del = 0; e[0].ins = "\x02["; e[0].ins_len = 2;
    e[1].off = len; e[1].del = 0; e[1].ins = "]\x02"; e[1].ins_len = 2;
    return 2;
}

/* Scan data[0, size) cut at cuts[0..ncuts) (increasing). */
static void scan(const uint8_t *data, size_t size, size_t max_tag,
                 const size_t *cuts, size_t ncuts, fuzz_state *st)
{
    sri_scan_output out = { st, on_pass, on_insert };
    sri_scan_decisions dec = { st, on_tag, on_overflow, wants_text, on_text };
    sri_scanner *s = sri_scan_create(&out, &dec, max_tag);
    size_t at = 0, k;

    if (!s)
        abort();
    st->cap = size * 4 + 64;
    st->out = malloc(st->cap);
    st->passed = malloc(st->cap);
    st->out_len = st->passed_len = 0;
    st->data = data;
    st->size = size;
    st->max_tag = max_tag ? max_tag : SRI_SCAN_DEFAULT_MAX_TAG;
    for (k = 0; k <= ncuts; k++) {
        size_t end = k < ncuts ? cuts[k] : size;
        /* a private copy of each chunk: a stale pointer into an old chunk
           becomes an ASan error */
        char *chunk = malloc(end - at + 1);
        memcpy(chunk, data + at, end - at);
        st->chunk = chunk;
        st->chunk_len = end - at;
        if (sri_scan_feed(s, chunk, end - at) != 0)
            abort();
        /* streaming: everything but a held tag or text has been passed,
           and what is held is bounded */
        if (st->passed_len + sri_scan_held(s) != end
            || sri_scan_held(s) > st->max_tag + 8)
            abort();
        free(chunk);
        at = end;
    }
    st->chunk = NULL;
    st->chunk_len = 0;
    /* at the end, held script text (which need not start with '<') may be
       all that is left */
    if (st->text_mode)
        st->after_insert = 1;
    if (sri_scan_finish(s) != 0)
        abort();
    sri_scan_destroy(s);
    if (st->passed_len != size || memcmp(st->passed, data, size) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_state whole, cut;
    size_t cuts[64], ncuts = 0, max_tag = 0, j;
    uint64_t h = 1469598103934665603u;

    if (size > 1 << 16)
        return 0;
    for (j = 0; j < size; j++)
        h = (h ^ data[j]) * 1099511628211u;
    if ((h & 3) == 0)
        max_tag = 1 + (h >> 8) % 64;        /* exercise overflow */
    /* cut points derived from the input: a crash reproduces */
    if (size > 1) {
        size_t n = 1 + (h >> 20) % 16, at = 0;
        uint64_t r = h;
        for (j = 0; j < n; j++) {
            r = r * 6364136223846793005u + 1442695040888963407u;
            at += 1 + (r >> 33) % (size / n + 2);
            if (at >= size)
                break;
            cuts[ncuts++] = at;
        }
    }
    memset(&whole, 0, sizeof whole);
    memset(&cut, 0, sizeof cut);
    whole.text_mode = cut.text_mode = (int)((h >> 4) & 1);
    scan(data, size, max_tag, NULL, 0, &whole);
    scan(data, size, max_tag, cuts, ncuts, &cut);
    if (whole.out_len != cut.out_len
        || memcmp(whole.out, cut.out, whole.out_len) != 0)
        abort();
    /* one byte at a time, for small inputs */
    if (size <= 256) {
        fuzz_state bytes;
        memset(&bytes, 0, sizeof bytes);
        bytes.text_mode = whole.text_mode;
        for (j = 1; j < size; j++)
            cuts[(j - 1) % 64] = j;
        if (size <= 65) {
            scan(data, size, max_tag, cuts, size ? size - 1 : 0, &bytes);
            if (bytes.out_len != whole.out_len
                || memcmp(bytes.out, whole.out, whole.out_len) != 0)
                abort();
            free(bytes.out);
            free(bytes.passed);
        }
    }
    free(whole.out);
    free(whole.passed);
    free(cut.out);
    free(cut.passed);
    return 0;
}
