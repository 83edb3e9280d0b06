/*
 * scan_mark.c -- run the scanner over HTML and mark every tag it hands on.
 *
 * Why: the differential test (differential.sh) needs the scanner's verdict
 * in a form an HTML5 parser can check: each tag handed to on_tag() gets
 * the attribute data-sri-mark="script|link|base|svg-script|iframe" inserted where the
 * rewriter would insert integrity, and every other byte is copied.  The parser then tells whether
 * exactly the HTML script/link/base/iframe elements and the SVG scripts carry the mark and whether the
 * document is otherwise unchanged.
 *
 * Usage: scan_mark [-c CHUNK] [-b] < in > out
 *   -c CHUNK  feed the scanner in chunks of CHUNK bytes (default: whole)
 *   -b        batch mode: input and output are records "LEN\n" + LEN bytes
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "html/sri_scan.h"

typedef struct {
    char  *p;
    size_t len, cap;
} outbuf;

static int out_add(void *ctx, const char *p, size_t n)
{
    outbuf *o = ctx;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 4096;
        while (cap < o->len + n)
            cap *= 2;
        o->p = realloc(o->p, cap);
        if (!o->p)
            return -1;
        o->cap = cap;
    }
    memcpy(o->p + o->len, p, n);
    o->len += n;
    return 0;
}

static int mark(void *ctx, const sri_tag *tag, sri_edit *edits, size_t max)
{
    static const char *const ins[] = {
        "", " data-sri-mark=\"script\"", " data-sri-mark=\"link\"",
        " data-sri-mark=\"base\"", " data-sri-mark=\"svg-script\"",
        " data-sri-mark=\"iframe\""
    };
    (void)ctx;
    if (max < 1)
        return 0;
    edits[0].off = tag->insert_off;
    edits[0].del = 0;
    edits[0].ins = ins[tag->kind];
    edits[0].ins_len = strlen(ins[tag->kind]);
    return 1;
}

static int run(const char *in, size_t len, size_t chunk, outbuf *o)
{
    sri_scan_output out = { o, out_add, out_add };
    sri_scan_decisions dec = { NULL, mark, NULL, NULL, NULL };
    sri_scanner *s = sri_scan_create(&out, &dec, 0);
    size_t at = 0;
    int rc = 0;

    if (!s)
        return -1;
    if (!chunk)
        chunk = len ? len : 1;
    while (at < len && !rc) {
        size_t n = len - at < chunk ? len - at : chunk;
        rc = sri_scan_feed(s, in + at, n);
        at += n;
    }
    if (!rc)
        rc = sri_scan_finish(s);
    sri_scan_destroy(s);
    return rc;
}

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0, r;
    char *p = malloc(cap);
    while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            p = realloc(p, cap *= 2);
    }
    *len = n;
    return p;
}

int main(int argc, char **argv)
{
    size_t chunk = 0;
    int batch = 0, i;
    outbuf o = { NULL, 0, 0 };

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
            chunk = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-b") == 0)
            batch = 1;
        else {
            fprintf(stderr, "usage: scan_mark [-c CHUNK] [-b]\n");
            return 2;
        }
    }
    if (!batch) {
        size_t len;
        char *in = read_all(stdin, &len);
        if (!in || run(in, len, chunk, &o) != 0)
            return 1;
        fwrite(o.p, 1, o.len, stdout);
        return 0;
    }
    for (;;) {
        unsigned long n;
        char *in;
        if (scanf("%lu", &n) != 1 || getchar() != '\n')
            break;
        in = malloc(n + 1);
        if (!in || fread(in, 1, n, stdin) != n)
            return 1;
        o.len = 0;
        if (run(in, n, chunk, &o) != 0)
            return 1;
        printf("%lu\n", (unsigned long)o.len);
        fwrite(o.p, 1, o.len, stdout);
        fflush(stdout);
        free(in);
    }
    return 0;
}
