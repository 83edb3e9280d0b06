/*
 * test_scan.c -- unit tests of the streaming scanner (sri_scan.h).
 *
 * Why: each tokenizer state and tree rule the scanner implements gets a
 * table row here (input -> output with " data-t" inserted into every
 * tag handed to on_tag()), and every row is also fed split at every
 * position, in three pieces, and one byte at a time: the output must never
 * depend on how the stream was chunked.  The recorder (the scanner's output
 * and decisions at once) also checks the streaming promises
 * (zero-copy passes, nothing held but a tag of interest).  The HTML5 corner
 * cases beyond these rows are covered by tests/oracle (parse5) and
 * tests/fuzz.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sri_check.h"
#include "html/sri_scan.h"

/* ---- a recorder: the scanner's output and its decisions ---------------- */

typedef struct {
    char   out[8192];
    size_t out_len;
    char   kinds[64];       /* 's', 'l', 'b', 'v' (SVG script), 'i' per tag
                               handed to on_tag()                        */
    size_t nkinds;
    /* the stream being fed, to check where pass() points */
    const char *chunk;
    size_t chunk_len;
    size_t orig_passed;     /* bytes given to pass()                     */
    int    bad_pointer;     /* a pass() from outside the chunk that is
                               not a held tag                            */
    int    after_insert;    /* the last output was an insert()           */
    int    finishing;       /* in sri_scan_finish(): passes the hold     */
    int    outside_passes;  /* passes from outside the chunk             */
    size_t overflows;
    int    edit_mode;       /* 0: insert " data-t"; see on_tag           */
    int    stop_with;       /* on_tag returns this when non-zero         */
    /* the last tag's attributes, "name=value;" (value "-" when absent) */
    char   attrs[1024];
    char   all_attrs[1024];   /* the same for tag->all_attrs             */
    size_t insert_off;
    int    self_closing;
    /* text capture: wants_text() says 1 for a <script> without src */
    int    text_mode;
    int    text_stop_with;  /* on_text returns this when non-zero        */
    char   texts[1024];     /* "[text]" per on_text() call               */
    size_t texts_len;
} rec;

static int rec_pass(void *ctx, const char *p, size_t n)
{
    rec *r = ctx;
    ck_assert_uint_le(r->out_len + n, sizeof r->out);
    if (!r->finishing && !(p >= r->chunk && p + n <= r->chunk + r->chunk_len)) {
        /* Only a held tag comes from elsewhere: it starts with '<', or
           continues after an edit. */
        r->outside_passes++;
        if (p[0] != '<' && !r->after_insert)
            r->bad_pointer = 1;
    }
    r->after_insert = 0;
    memcpy(r->out + r->out_len, p, n);
    r->out_len += n;
    r->orig_passed += n;
    return 0;
}

static int rec_insert(void *ctx, const char *p, size_t n)
{
    rec *r = ctx;
    ck_assert_uint_le(r->out_len + n, sizeof r->out);
    memcpy(r->out + r->out_len, p, n);
    r->out_len += n;
    r->after_insert = 1;
    return 0;
}

static int rec_tag(void *ctx, const sri_tag *tag, sri_edit *e, size_t max)
{
    static const char kind_letter[] = "?slbvi";
    rec *r = ctx;
    size_t j, at = 0;

    ck_assert_uint_ge(max, 3);
    ck_assert_int_eq(tag->raw[0], '<');
    ck_assert_int_eq(tag->raw[tag->raw_len - 1], '>');
    r->kinds[r->nkinds++] = kind_letter[tag->kind];
    r->insert_off = tag->insert_off;
    r->self_closing = tag->self_closing;
    r->attrs[0] = '\0';
    for (j = 0; j < tag->nattrs; j++) {
        const sri_attr *a = &tag->attrs[j];
        ck_assert_ptr_eq(a->name, tag->raw + a->name_off);
        if (a->value)
            ck_assert_ptr_eq(a->value, tag->raw + a->value_off);
        at += (size_t)snprintf(r->attrs + at, sizeof r->attrs - at,
                               "%.*s=%.*s;", (int)a->name_len, a->name,
                               a->value ? (int)a->value_len : 1,
                               a->value ? a->value : "-");
    }
    r->all_attrs[0] = '\0';
    at = 0;
    for (j = 0; j < tag->nall_attrs; j++) {
        const sri_attr *a = &tag->all_attrs[j];
        ck_assert_ptr_eq(a->name, tag->raw + a->name_off);
        if (a->value)
            ck_assert_ptr_eq(a->value, tag->raw + a->value_off);
        at += (size_t)snprintf(r->all_attrs + at, sizeof r->all_attrs - at,
                               "%.*s=%.*s;", (int)a->name_len, a->name,
                               a->value ? (int)a->value_len : 1,
                               a->value ? a->value : "-");
    }
    ck_assert_uint_le(tag->nattrs, tag->nall_attrs);
    if (r->stop_with)
        return r->stop_with;
    switch (r->edit_mode) {
    case 4: {   /* rename every src, duplicates included (SRIUnknown block) */
        size_t n = 0;
        for (j = 0; j < tag->nall_attrs && n < max; j++) {
            const sri_attr *a = &tag->all_attrs[j];
            if (a->name_len == 3 && (a->name[0] | 0x20) == 's'
                && (a->name[1] | 0x20) == 'r' && (a->name[2] | 0x20) == 'c') {
                e[n].off = a->name_off;
                e[n].del = 3;
                e[n].ins = "blocked-src";
                e[n].ins_len = 11;
                r->orig_passed += 3;        /* deleted, not passed */
                n++;
            }
        }
        return (int)n;
    }
    case 1:     /* replace the value of src (or href) by "X" */
        for (j = 0; j < tag->nattrs; j++) {
            const sri_attr *a = &tag->attrs[j];
            if (a->value && (a->name_len == 3 || a->name_len == 4)) {
                e[0].off = a->value_off;
                e[0].del = a->value_len;
                e[0].ins = "X";
                e[0].ins_len = 1;
                r->orig_passed += a->value_len;     /* deleted, not passed */
                e[1].off = tag->insert_off;
                e[1].del = 0;
                e[1].ins = " new";
                e[1].ins_len = 4;
                return 2;
            }
        }
        return 0;
    case 2:     /* invalid: overlapping edits */
        e[0].off = 1; e[0].del = 3; e[0].ins = "a"; e[0].ins_len = 1;
        e[1].off = 2; e[1].del = 0; e[1].ins = "b"; e[1].ins_len = 1;
        return 2;
    case 3:     /* leave it */
        return 0;
    default:
        e[0].off = tag->insert_off;
        e[0].del = 0;
        e[0].ins = " data-t";
        e[0].ins_len = 7;
        return 1;
    }
}

static void rec_overflow(void *ctx, size_t n)
{
    rec *r = ctx;
    (void)n;
    r->overflows++;
    r->after_insert = 1;    /* held text may pass from the hold next */
}

static int rec_wants_text(void *ctx, const sri_tag *tag)
{
    rec *r = ctx;
    ck_assert_int_eq(tag->kind, SRI_TAG_SCRIPT);
    return r->text_mode && !sri_tag_attr(tag, "src");
}

/* Wrap the text in comments and replace its first 'x' by 'Y'. */
static int rec_on_text(void *ctx, const sri_tag *tag, const char *text,
                       size_t len, sri_edit *e, size_t max)
{
    rec *r = ctx;
    const char *x = memchr(text, 'x', len);
    int n = 0;

    ck_assert_ptr_null(tag);
    ck_assert_uint_ge(max, 3);
    ck_assert_uint_le(r->texts_len + len + 2, sizeof r->texts);
    r->texts[r->texts_len++] = '[';
    memcpy(r->texts + r->texts_len, text, len);
    r->texts_len += len;
    r->texts[r->texts_len++] = ']';
    r->after_insert = 1;    /* the text may come from the hold buffer */
    if (r->text_stop_with)
        return r->text_stop_with;
    e[n].off = 0; e[n].del = 0; e[n].ins = "/*T*/"; e[n].ins_len = 5; n++;
    if (x) {
        e[n].off = (size_t)(x - text); e[n].del = 1;
        e[n].ins = "Y"; e[n].ins_len = 1; n++;
        r->orig_passed += 1;                /* deleted, not passed */
    }
    e[n].off = len; e[n].del = 0; e[n].ins = "/*T*/"; e[n].ins_len = 5; n++;
    return n;
}

/* The edit and text modes run_whole() and check_invariance() use. */
static int rows_edit_mode, rows_text_mode;

/* Feed in[0, len) cut at the given points (sorted, may be empty). */
static int feed_cuts(rec *r, const char *in, size_t len, size_t max_tag,
                     const size_t *cuts, size_t ncuts)
{
    sri_scan_output out = { r, rec_pass, rec_insert };
    sri_scan_decisions dec = { r, rec_tag, rec_overflow, rec_wants_text,
                               rec_on_text };
    sri_scanner *s = sri_scan_create(&out, &dec, max_tag);
    size_t at = 0, k;
    int rc = 0;

    ck_assert_ptr_nonnull(s);
    for (k = 0; k <= ncuts && !rc; k++) {
        size_t end = k < ncuts ? cuts[k] : len;
        /* a private copy, so a pointer into an old chunk shows up */
        char *chunk = malloc(end - at + 1);
        memcpy(chunk, in + at, end - at);
        r->chunk = chunk;
        r->chunk_len = end - at;
        rc = sri_scan_feed(s, chunk, end - at);
        if (!rc) {
            /* Streaming: all but the held tag has been passed, and what
               is held starts with '<'. */
            size_t held = sri_scan_held(s);
            ck_assert_uint_eq(r->orig_passed + held, end);
            if (held && !r->text_mode)
                ck_assert_int_eq(in[end - held], '<');
        }
        r->chunk = NULL;
        r->chunk_len = 0;
        free(chunk);
        at = end;
    }
    r->finishing = 1;
    if (!rc)
        rc = sri_scan_finish(s);
    r->finishing = 0;
    if (!rc)
        ck_assert_uint_eq(sri_scan_held(s), 0);
    sri_scan_destroy(s);
    return rc;
}

static void run_whole(rec *r, const char *in, size_t max_tag)
{
    memset(r, 0, sizeof *r);
    r->edit_mode = rows_edit_mode;
    r->text_mode = rows_text_mode;
    ck_assert_int_eq(feed_cuts(r, in, strlen(in), max_tag, NULL, 0), 0);
    r->out[r->out_len] = '\0';
    /* one chunk: every pass points into it */
    ck_assert_int_eq(r->outside_passes, 0);
}

/* The output for `in` must not depend on chunking. */
static void check_invariance(const char *in, size_t max_tag)
{
    rec whole, part;
    size_t len = strlen(in), i, j;
    size_t cuts[4096];

    run_whole(&whole, in, max_tag);
    /* one byte at a time */
    for (i = 1; i < len; i++)
        cuts[i - 1] = i;
    memset(&part, 0, sizeof part);
    part.edit_mode = rows_edit_mode;
    part.text_mode = rows_text_mode;
    ck_assert_int_eq(feed_cuts(&part, in, len, max_tag, cuts, len ? len - 1 : 0), 0);
    ck_assert_uint_eq(part.out_len, whole.out_len);
    ck_assert_msg(memcmp(part.out, whole.out, whole.out_len) == 0,
                  "byte-at-a-time output differs for %s", in);
    ck_assert_int_eq(part.bad_pointer, 0);
    ck_assert_uint_eq(part.overflows, whole.overflows);
    ck_assert_uint_eq(part.texts_len, whole.texts_len);
    ck_assert(memcmp(part.texts, whole.texts, whole.texts_len) == 0);
    /* every single split point, and every pair for short inputs */
    for (i = 1; i < len; i++) {
        for (j = i; j < len; j++) {
            size_t n = 0;
            if (len > 80 && j != i)
                break;
            cuts[n++] = i;
            if (j != i)
                cuts[n++] = j;
            memset(&part, 0, sizeof part);
            part.edit_mode = rows_edit_mode;
            part.text_mode = rows_text_mode;
            ck_assert_int_eq(feed_cuts(&part, in, len, max_tag, cuts, n), 0);
            ck_assert_msg(part.out_len == whole.out_len
                          && memcmp(part.out, whole.out, whole.out_len) == 0,
                          "split at %zu,%zu changes the output of %s", i, j, in);
            ck_assert_int_eq(part.bad_pointer, 0);
            ck_assert_uint_eq(part.overflows, whole.overflows);
            ck_assert_msg(part.texts_len == whole.texts_len
                          && memcmp(part.texts, whole.texts, whole.texts_len) == 0,
                          "split at %zu,%zu changes on_text of %s", i, j, in);
        }
    }
}

/* ---- the table --------------------------------------------------------- */

typedef struct {
    const char *in;
    const char *out;        /* " data-t" marks each tag handed on */
} row;

#define T " data-t"

/* data, tag open, tag name */
static const row rows_tag[] = {
    { "plain text", "plain text" },
    { "<script>", "<script" T ">" },
    { "<SCRIPT SRC=x>", "<SCRIPT SRC=x" T ">" },
    { "<ScRiPt\tsrc=x\n>", "<ScRiPt\tsrc=x\n" T ">" },
    { "<script/src=x>", "<script/src=x" T ">" },
    { "a<b<script>", "a<b<script>" },          /* tag "b<script" */
    { "a< b<script>", "a< b<script" T ">" },
    { "<<script>", "<<script" T ">" },
    { "< script>", "< script>" },
    { "<1script>", "<1script>" },
    { "<scriptx>", "<scriptx>" },
    { "<scrip>", "<scrip>" },
    { "<link><base>", "<link" T "><base" T ">" },
    /* a <base> in a template's content sets no base URL: not handed on
       (its <script> and <link> are: they can be cloned into the page) */
    { "<template><base href=x><script src=a></script></template><base>",
      "<template><base href=x><script src=a" T "></script></template><base" T ">" },
    { "<template><p><template></template><base></template><base>",
      "<template><p><template></template><base></template><base" T ">" },
    /* </template> closes the template through tables, cells, objects and
       integration points (the "in head" rule, from every mode) */
    { "<template><table></template><base>",
      "<template><table></template><base" T ">" },
    { "<template><table><td></template><base>",
      "<template><table><td></template><base" T ">" },
    { "<template><object></template><base>",
      "<template><object></template><base" T ">" },
    { "<template><svg><desc></template><base>",
      "<template><svg><desc></template><base" T ">" },
    { "<template><svg></template><base>",
      "<template><svg></template><base" T ">" },
    { "</template><base>", "</template><base" T ">" },
    { "<linkx><basex><lin>", "<linkx><basex><lin>" },
    { "<p><div><link rel=x>", "<p><div><link rel=x" T ">" },
    { "<img src=x><a href='<script>'>", "<img src=x><a href='<script>'>" },
    { "<script x=\">\" y='>'>", "<script x=\">\" y='>'" T ">" },
    { "<script x=a>b>", "<script x=a" T ">b>" },
    { "<script \"a\"=b '=x' <=y>", "<script \"a\"=b '=x' <=y" T ">" },
    { "<script =x>", "<script =x" T ">" },
    { "<script src=\"a\"b=c>", "<script src=\"a\"b=c" T ">" },
    { "<script src=>", "<script" T " src=>" },
    { "<script src= >", "<script" T " src= >" },
    { "<link href=x/>", "<link href=x/" T ">" },
    { "<link href=x />", "<link href=x " T "/>" },
    { "<link href=\"x\"/>", "<link href=\"x\"" T "/>" },
    { "<script/>", "<script" T "/>" },
    { "<link / >", "<link / " T ">" },
    { "<link a b c>", "<link a b c" T ">" },
    { "<link a = b>", "<link a = b" T ">" },
    { "</script><script>", "</script><script" T ">" },
    { "</script x='<script>'><script>", "</script x='<script>'><script" T ">" },
    { NULL, NULL }
};

/* markup declarations, comments, bogus comments, doctype */
static const row rows_markup[] = {
    { "<!-- <script> --><script>", "<!-- <script> --><script" T ">" },
    { "<!--><script>", "<!--><script" T ">" },
    { "<!---><script>", "<!---><script" T ">" },
    { "<!-- --!><script>", "<!-- --!><script" T ">" },
    { "<!-- --!x <script> --><link>", "<!-- --!x <script> --><link" T ">" },
    { "<!-- -- > <script> ---><link>", "<!-- -- > <script> ---><link" T ">" },
    { "<!-- a- <link> -a --><link>", "<!-- a- <link> -a --><link" T ">" },
    { "<!--<!-- x --><link>", "<!--<!-- x --><link" T ">" },
    { "<!x <link> <link>", "<!x <link> <link" T ">" },
    { "<!- <link> <link>", "<!- <link> <link" T ">" },
    { "<? <link> <link>", "<? <link> <link" T ">" },
    { "</ <link> <link>", "</ <link> <link" T ">" },
    { "</><link>", "</><link" T ">" },
    { "<!DOCTYPE html><link>", "<!DOCTYPE html><link" T ">" },
    { "<!doctype x \"a>\" <link>", "<!doctype x \"a>\" <link" T ">" },
    { "<!DOCTYP <link> <link>", "<!DOCTYP <link> <link" T ">" },
    { "<![CDATA[ <link> ]]> <link>", "<![CDATA[ <link> ]]> <link" T ">" },
    { NULL, NULL }
};

/* raw text, RCDATA, script data, plaintext */
static const row rows_raw[] = {
    { "<style><link></style><link>", "<style><link></style><link" T ">" },
    { "<xmp><link></xmp><link>", "<xmp><link></xmp><link" T ">" },
    { "<iframe><link></iframe><link>", "<iframe" T "><link></iframe><link" T ">" },
    { "<IFRAME srcdoc='<script src=x></script>'><link>",
      "<IFRAME srcdoc='<script src=x></script>'" T "><link>" },
    { "<svg><iframe srcdoc=x></iframe><link>", "<svg><iframe srcdoc=x></iframe><link>" },
    { "<iframes><iframe/x>", "<iframes><iframe/x" T ">" },
    { "<noembed><link></noembed><link>", "<noembed><link></noembed><link" T ">" },
    { "<noframes><link></noframes><link>", "<noframes><link></noframes><link" T ">" },
    { "<noscript><link></noscript><link>", "<noscript><link></noscript><link" T ">" },
    { "<title><link></title><link>", "<title><link></title><link" T ">" },
    { "<textarea><link></textarea><link>", "<textarea><link></textarea><link" T ">" },
    { "<title></title x=\">\"><link>", "<title></title x=\">\"><link" T ">" },
    { "<title></title/><link>", "<title></title/><link" T ">" },
    { "<title></TITLE\n><link>", "<title></TITLE\n><link" T ">" },
    { "<title></titlex><link></title><link>", "<title></titlex><link></title><link" T ">" },
    { "<style></styl><link></style <link>", "<style></styl><link></style <link>" },
    { "<style></sty</style><link>", "<style></sty</style><link" T ">" },
    { "<style>a</ style><link></style><link>", "<style>a</ style><link></style><link" T ">" },
    { "<plaintext></plaintext><link>", "<plaintext></plaintext><link>" },
    { "<script>a<b</script><link>", "<script" T ">a<b</script><link" T ">" },
    { "<script><link></script><link>", "<script" T "><link></script><link" T ">" },
    { "<script><!-- <link> --></script><link>",
      "<script" T "><!-- <link> --></script><link" T ">" },
    { "<script><!-- </script><link>", "<script" T "><!-- </script><link" T ">" },
    { "<script><!--<script></script>--></script><link>",
      "<script" T "><!--<script></script>--></script><link" T ">" },
    { "<script><!--<script>--></script><link>",
      "<script" T "><!--<script>--></script><link" T ">" },
    { "<script><!--<script></script></script><link>",
      "<script" T "><!--<script></script></script><link" T ">" },
    { "<script><!--<scriptx></script><link>",
      "<script" T "><!--<scriptx></script><link" T ">" },
    { "<script><!--<SCRIPT/></script><link></script><link>",
      "<script" T "><!--<SCRIPT/></script><link></script><link" T ">" },
    { "<script><!--<script>-<-></script></script><link>",
      "<script" T "><!--<script>-<-></script></script><link" T ">" },
    { "<script><!-x</script><link>", "<script" T "><!-x</script><link" T ">" },
    { "<script><!--></script><link>", "<script" T "><!--></script><link" T ">" },
    { "<script>--><!-- x --></script><link>", "<script" T ">--><!-- x --></script><link" T ">" },
    { "<script></scriptx><link></script><link>",
      "<script" T "></scriptx><link></script><link" T ">" },
    { NULL, NULL }
};

/* tree construction: foreign content, template, frameset */
static const row rows_tree[] = {
    /* an SVG <script> is handed on (it loads what its href names), and is
       no raw text: the <link> in it is an SVG element */
    { "<svg><script></script><link></svg><link>",
      "<svg><script" T "></script><link></svg><link" T ">" },
    { "<svg><script><link></script>", "<svg><script" T "><link></script>" },
    { "<svg><g><SCRIPT xlink:href='x'/></g>",
      "<svg><g><SCRIPT xlink:href='x'" T "/></g>" },
    { "<svg><foreignObject><svg><script>", "<svg><foreignObject><svg><script" T ">" },
    { "<math><script></script><link>", "<math><script></script><link>" },
    { "<math><mi><svg><script>", "<math><mi><svg><script" T ">" },
    { "<math><annotation-xml><svg><script>",
      "<math><annotation-xml><svg><script" T ">" },
    { "<frameset><svg><script>", "<frameset><svg><script>" },
    { "<svg><style><link></style>", "<svg><style><link></style>" },
    { "<svg><title><link></title><link>", "<svg><title><link" T "></title><link>" },
    { "<svg><foreignObject><script>", "<svg><foreignObject><script" T ">" },
    { "<svg><desc><link>", "<svg><desc><link" T ">" },
    { "<svg><p><link>", "<svg><p><link" T ">" },
    { "<svg><g><div><link>", "<svg><g><div><link" T ">" },
    { "<svg><font><link>", "<svg><font><link>" },
    { "<svg><font color=red><link>", "<svg><font color=red><link" T ">" },
    { "<svg><font SIZE><link>", "<svg><font SIZE><link" T ">" },
    { "<svg><g></p><link>", "<svg><g></p><link" T ">" },
    { "<svg><g></br><link>", "<svg><g></br><link" T ">" },
    { "<svg/><link>", "<svg/><link" T ">" },
    { "<svg><g/><link>", "<svg><g/><link>" },
    { "<svg><![CDATA[</svg><link>]]><link>", "<svg><![CDATA[</svg><link>]]><link>" },
    { "<svg><![CDATA[]]></svg><link>", "<svg><![CDATA[]]></svg><link" T ">" },
    { "<svg><![cdata[x]]><link>", "<svg><![cdata[x]]><link>" },
    { "<math><mi><link></mi><link>", "<math><mi><link" T "></mi><link>" },
    { "<math><mi><mglyph><link>", "<math><mi><mglyph><link>" },
    { "<math><annotation-xml encoding=text/html><link>",
      "<math><annotation-xml encoding=text/html><link" T ">" },
    { "<math><annotation-xml encoding='APPLICATION/XHTML+XML'><link>",
      "<math><annotation-xml encoding='APPLICATION/XHTML+XML'><link" T ">" },
    { "<math><annotation-xml><link>", "<math><annotation-xml><link>" },
    { "<math><annotation-xml encoding=x encoding=text/html><link>",
      "<math><annotation-xml encoding=x encoding=text/html><link>" },
    { "<math><annotation-xml><svg><link>", "<math><annotation-xml><svg><link>" },
    { "<div><svg><g></div><link>", "<div><svg><g></div><link" T ">" },
    { "<svg></div><link>", "<svg></div><link>" },
    { "<svg><desc><script></script><link></desc><link>",
      "<svg><desc><script" T "></script><link" T "></desc><link>" },
    { "<template><script></script></template>",
      "<template><script" T "></script></template>" },
    { "<template><col><script></script></template><link>",
      "<template><col><script></script></template><link" T ">" },
    { "<frameset><script><link></frameset><link>",
      "<frameset><script><link></frameset><link>" },
    { "<frameset><noframes><link></noframes>", "<frameset><noframes><link></noframes>" },
    { "x<frameset><script>", "x<frameset><script" T ">" },
    { "<body><frameset><link>", "<body><frameset><link" T ">" },
    { "<input type=hidden><frameset><link>", "<input type=hidden><frameset><link>" },
    { "<input><frameset><link>", "<input><frameset><link" T ">" },
    { "<template><frameset><link>", "<template><frameset><link" T ">" },
    { "<select><link>", "<select><link" T ">" },
    /* end tags and the open-element model */
    { "<ul><li><svg><li><link>", "<ul><li><svg><li><link" T ">" },
    { "<div><p><svg></div><link>", "<div><p><svg></div><link" T ">" },
    { "<span><svg></span><link>", "<span><svg></span><link" T ">" },
    { "<svg></span><link>", "<svg></span><link>" },
    { "<table><tr><td><svg></table><link>", "<table><tr><td><svg></table><link" T ">" },
    { "<table><tr><td><svg></tr><link>", "<table><tr><td><svg></tr><link" T ">" },
    { "<td><svg></div><link>", "<td><svg></div><link>" },
    { "<svg><title></title><link>", "<svg><title></title><link>" },
    { "<svg><g><script></g><link>", "<svg><g><script" T "></g><link>" },
    { "<svg><foreignObject><svg></svg><link>",
      "<svg><foreignObject><svg></svg><link" T ">" },
    { "<math><mi><svg></math><link>", "<math><mi><svg></math><link" T ">" },
    { "<svg></body><link>", "<svg></body><link>" },
    { "<svg><desc><script></script><g></desc><link>",
      "<svg><desc><script" T "></script><g></desc><link" T ">" },  /* g is HTML here */
    { NULL, NULL }
};

/* Where a tag ends when it is neither of interest nor read by the tree
   model: the scanner's fast lane decides the plain cases from bit masks
   (the first '>' or quote, a quote opening a value only right after
   "name="), the automaton all others.  A <link> inside what a wrong guess
   would take for a value shows it.  check_rows() runs each row padded too,
   with room for the lane. */
#define X10 "xxxxxxxxxx"
static const row rows_lane[] = {
    { "<div title=\"a><link>\">",
      "<div title=\"a><link>\">" },
    { "<div =\" ><link>\">",
      "<div =\" ><link" T ">\">" },
    { "<div a==\" ><link>\">",
      "<div a==\" ><link" T ">\">" },
    { "<div a=b\" ><link>\">",
      "<div a=b\" ><link" T ">\">" },
    /* a second '=' before the quote, apart from the first: the quote is
       in an unquoted value (a mask of the wrong '=' would count one) */
    { "<div a=b-=\" ><link>\">",
      "<div a=b-=\" ><link" T ">\">" },
    { "<div a=b c=d-e=\" ><link>\">",
      "<div a=b c=d-e=\" ><link" T ">\">" },
    { "<div a= \" ><link>\">",
      "<div a= \" ><link>\">" },
    { "<div a=\"x\"=\" ><link>\">",
      "<div a=\"x\"=\" ><link" T ">\">" },
    { "<div a=\"x\"b=\" ><link>\">",
      "<div a=\"x\"b=\" ><link>\">" },
    { "<di\"v a=\" ><link>\">",
      "<di\"v a=\" ><link>\">" },
    { "<a b\"c=\" ><link>\">",
      "<a b\"c=\" ><link>\">" },
    { "<div a\n=\n' ><link>'>",
      "<div a\n=\n' ><link>'>" },
    { "</div a=\" ><link>\">",
      "</div a=\" ><link>\">" },
    { "<div a='x\" ><link>'>",
      "<div a='x\" ><link>'>" },
    { "<div a=\"x' ><link>\">",
      "<div a=\"x' ><link>\">" },
    { "<div a=\"1\" b=' ><link>'>",
      "<div a=\"1\" b=' ><link>'>" },
    { "<div/a=\" ><link>\">",
      "<div/a=\" ><link>\">" },
    { "<div a=\"x\" / b=\" ><link>\">",
      "<div a=\"x\" / b=\" ><link>\">" },
    { "<p class=\"" X10 X10 X10 X10 X10 X10 X10 " ><link>\">",
      "<p class=\"" X10 X10 X10 X10 X10 X10 X10 " ><link>\">" },
    { "<p class=\"" X10 X10 X10 X10 X10 "\" ><link>",
      "<p class=\"" X10 X10 X10 X10 X10 "\" ><link" T ">" },
    { "<div title=\"a>b\"></div><link>",
      "<div title=\"a>b\"></div><link" T ">" },
    { "<table><tr><td>a<td>b<tr><td>c</table><link>",
      "<table><tr><td>a<td>b<tr><td>c</table><link" T ">" },
    { "<ul><li>a<li>b</ul><svg><link></svg><link>",
      "<ul><li>a<li>b</ul><svg><link></svg><link" T ">" },
    /* the lane's masks: reused, found again, run out */
    { "<b a=1><i title=\"" X10 X10 X10 X10 "xxxxxxxx\"><link>",
      "<b a=1><i title=\"" X10 X10 X10 X10 "xxxxxxxx\"><link" T ">" },
    { "<i title=\"" X10 X10 X10 X10 X10 "xxx\"><link>",
      "<i title=\"" X10 X10 X10 X10 X10 "xxx\"><link" T ">" },
    { "<b>" X10 X10 X10 X10 X10 X10 X10 "<i></i><link>",
      "<b>" X10 X10 X10 X10 X10 X10 X10 "<i></i><link" T ">" },
    { "<div title" X10 X10 X10 X10 X10 X10 "><link>",
      "<div title" X10 X10 X10 X10 X10 X10 "><link" T ">" },
    { "<abcdefghijklmnopq title=\">\">x</abcdefghijklmnopq><link>",
      "<abcdefghijklmnopq title=\">\">x</abcdefghijklmnopq><link" T ">" },
    { "<DIV><SPAN title=\">\"></span></DIV><link>",
      "<DIV><SPAN title=\">\"></span></DIV><link" T ">" },
    /* tags longer than the masks (tag_end(): window after window), with
       text behind them so that every window is readable */
#define X100 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10
    { "<a href=\"" X10 X10 X10 X10 X10 X10 "><link>\" class=\"c\">"
      "<link>" X100 X100,
      "<a href=\"" X10 X10 X10 X10 X10 X10 "><link>\" class=\"c\">"
      "<link" T ">" X100 X100 },
    { "<a b=" X10 X10 X10 X10 X10 X10 X10 "c=\"d ><link>\">" X100 X100,
      "<a b=" X10 X10 X10 X10 X10 X10 X10 "c=\"d ><link" T ">\">"
      X100 X100 },
    { "<div data-a='" X10 X10 X10 X10 X10 "\"' data-b=\"" X10 X10 X10 X10
      X10 "'>'\" title=x><link>" X100 X100,
      "<div data-a='" X10 X10 X10 X10 X10 "\"' data-b=\"" X10 X10 X10 X10
      X10 "'>'\" title=x><link" T ">" X100 X100 },
    { "<div title" X100 X10 X10 X10 "><link>" X100 X100,
      "<div title" X100 X10 X10 X10 "><link" T ">" X100 X100 },
    { "<div a=\"1\" " X100 X10 X10 "=\" ><link>\">" X100 X100,
      "<div a=\"1\" " X100 X10 X10 "=\" ><link>\">" X100 X100 },
    { "<div a=\"1\" " X100 X10 X10 " =\" ><link>\"><link>" X100 X100,
      "<div a=\"1\" " X100 X10 X10 " =\" ><link>\"><link" T ">"
      X100 X100 },
    { "<div a=\"1\" b" X100 X10 X10 "=\" ><link>\"><link>" X100 X100,
      "<div a=\"1\" b" X100 X10 X10 "=\" ><link>\"><link" T ">"
      X100 X100 },
    { "<ul><li class=\"" X100 "\"><a href=\"" X100 "\">x</a></ul>"
      "<svg><link></svg><link>" X100 X100,
      "<ul><li class=\"" X100 "\"><a href=\"" X100 "\">x</a></ul>"
      "<svg><link></svg><link" T ">" X100 X100 },
    { "</div a=\"" X100 " ><link>\"><link>" X100 X100,
      "</div a=\"" X100 " ><link>\"><link" T ">" X100 X100 },
    /* two '=' in the first 64 bytes, the second right before a quote at
       byte 64: an unquoted value, not a quoted one */
    { "<a b=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\" ><link>\">" X100 X100,
      "<a b=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\" ><link" T ">\">" X100 X100 },
#undef X100
    { NULL, NULL }
};

/* Trailing white space changes no decision about the tags of a row (it
   can complete an end tag's name, which matters only to held script text:
   the text rows are not padded); with it, every tag of a row has the room
   the fast lane needs (64 bytes), so that the rows check the lane as well
   as the general path, at every split. */
#define PAD "                                                                 " \
            "           "

/* in, scanned as one chunk, must come out as want. */
static void check_whole(const char *in, const char *want)
{
    rec r;
    run_whole(&r, in, 0);
    ck_assert_msg(strcmp(r.out, want) == 0, "input %s\n  got %s\n want %s",
                  in, r.out, want);
}

static void check_rows(const row *rows)
{
    size_t k;
    for (k = 0; rows[k].in; k++) {
        char in[1024], out[1024];
        check_whole(rows[k].in, rows[k].out);
        check_invariance(rows[k].in, 0);
        if (rows_text_mode)
            continue;
        ck_assert_uint_lt(strlen(rows[k].out) + sizeof PAD, sizeof out);
        snprintf(in, sizeof in, "%s%s", rows[k].in, PAD);
        snprintf(out, sizeof out, "%s%s", rows[k].out, PAD);
        check_whole(in, out);
        check_invariance(in, 0);
    }
}

/* Every occurrence of src renamed (edit mode 4): duplicates included. */
static const row rows_all_attrs[] = {
    { "<script src=evil1 src=evil2>",
      "<script blocked-src=evil1 blocked-src=evil2>" },
    { "<script SRC='a' x=1 Src=\"b>\" src src=>",
      "<script blocked-src='a' x=1 blocked-src=\"b>\" blocked-src blocked-src=>" },
    { "<script/src/src=x/src src/>", "<script/blocked-src/blocked-src=x/src blocked-src/>" },
    { "<link src=a><div src=b><script srcx=a xsrc=b src=c>",
      "<link blocked-src=a><div src=b><script srcx=a xsrc=b blocked-src=c>" },
    { "<script src=1 src=2 src=3 src=4 src=5 src=6 src=7 src=8 src=9>",
      "<script blocked-src=1 blocked-src=2 blocked-src=3 blocked-src=4 "
      "blocked-src=5 blocked-src=6 blocked-src=7 blocked-src=8 src=9>" },
    { NULL, NULL }
};

static void check_rows_mode(const row *rows, int mode)
{
    rows_edit_mode = mode;
    check_rows(rows);
    rows_edit_mode = 0;
}

START_TEST(table_all_attrs) { check_rows_mode(rows_all_attrs, 4); }
END_TEST

/* Text capture (rec_on_text: wrapped in comments, first x -> Y); scripts
   with src are not captured. */
static const row rows_text[] = {
    { "<script>x</script><link>", "<script" T ">/*T*/Y/*T*/</script><link" T ">" },
    { "<script type=importmap>{\"a\":\"x.js\"}</script >",
      "<script type=importmap" T ">/*T*/{\"a\":\"Y.js\"}/*T*/</script >" },
    { "<script></script>", "<script" T ">/*T*//*T*/</script>" },
    { "<script src=a>x</script><script>x</script>",
      "<script src=a" T ">x</script><script" T ">/*T*/Y/*T*/</script>" },
    { "<script>a</scriptx>x</SCRIPT/>",
      "<script" T ">/*T*/a</scriptY>x/*T*/</SCRIPT/>" },
    { "<script>a</scrip>x</script\t>",
      "<script" T ">/*T*/a</scrip>Y/*T*/</script\t>" },
    { "<script><!--<script>x</script>--></script>b",
      "<script" T ">/*T*/<!--<script>Y</script>-->/*T*/</script>b" },
    { "<script><!--<script>x</script></script>b",
      "<script" T ">/*T*/<!--<script>Y</script>/*T*/</script>b" },
    { "<script><!-- x </script> -->", "<script" T ">/*T*/<!-- Y /*T*/</script> -->" },
    { "<script>x<link></script><link>",
      "<script" T ">/*T*/Y<link>/*T*/</script><link" T ">" },
    { "<script>x</script x='</script>'>y", "<script" T ">/*T*/Y/*T*/</script x='</script>'>y" },
    { "<script>x</script><script>x</script>",
      "<script" T ">/*T*/Y/*T*/</script><script" T ">/*T*/Y/*T*/</script>" },
    { "<svg><script>x</script></svg><script>x</script>",
      "<svg><script" T ">x</script></svg><script" T ">/*T*/Y/*T*/</script>" },
    /* the document ends first: passed unmodified */
    { "<script>x</script", "<script" T ">x</script" },
    { "<script>x<", "<script" T ">x<" },
    { "<script><!--<script>x</script>", "<script" T "><!--<script>x</script>" },
    { NULL, NULL }
};

START_TEST(table_text)
{
    rows_text_mode = 1;
    check_rows(rows_text);
    rows_text_mode = 0;
}
END_TEST

START_TEST(text_args_and_bound)
{
    rec r;
    const char *big = "<script>0123456789abcdefx</script><script>x</script>";
    const char *edge = "<script>0123456789abcdex</script>";

    rows_text_mode = 1;
    run_whole(&r, "<script>a</scr</script>b<script>c</script", 0);
    ck_assert_uint_eq(r.texts_len, strlen("[a</scr]"));
    ck_assert(memcmp(r.texts, "[a</scr]", r.texts_len) == 0);
    /* the text alone is bounded: 17 bytes > 16 pass unmodified */
    run_whole(&r, big, 16);
    ck_assert_str_eq(r.out, "<script" T ">0123456789abcdefx</script><script"
                     T ">/*T*/Y/*T*/</script>");
    ck_assert_uint_eq(r.overflows, 1);
    check_invariance(big, 16);
    /* 16 bytes of text are fine, whatever the chunking */
    run_whole(&r, edge, 16);
    ck_assert_str_eq(r.out, "<script" T ">/*T*/0123456789abcdeY/*T*/</script>");
    ck_assert_uint_eq(r.overflows, 0);
    check_invariance(edge, 16);
    check_invariance("<script>0123456789abcdex</scrip", 16);
    rows_text_mode = 0;
    /* on_text can stop the scan */
    memset(&r, 0, sizeof r);
    r.text_mode = 1;
    r.text_stop_with = -9;
    ck_assert_int_eq(feed_cuts(&r, "<script>x</script>", 18, 0, NULL, 0), -9);
}
END_TEST

START_TEST(text_is_held_not_passed)
{
    rec r;
    sri_scan_output out = { &r, rec_pass, rec_insert };
    sri_scan_decisions dec = { &r, rec_tag, rec_overflow, rec_wants_text,
                               rec_on_text };
    sri_scanner *s = sri_scan_create(&out, &dec, 0);
    memset(&r, 0, sizeof r);
    r.text_mode = 1;
    ck_assert_int_eq(sri_scan_feed(s, "<script>ab", 10), 0);
    ck_assert_uint_eq(sri_scan_held(s), 2);
    ck_assert_int_eq(sri_scan_feed(s, "c</scr", 6), 0);
    ck_assert_uint_eq(sri_scan_held(s), 8);
    ck_assert_int_eq(sri_scan_feed(s, "ipt>d", 5), 0);
    ck_assert_uint_eq(sri_scan_held(s), 0);
    ck_assert_int_eq(sri_scan_finish(s), 0);
    r.out[r.out_len] = '\0';
    ck_assert_str_eq(r.out, "<script" T ">/*T*/abc/*T*/</script>d");
    sri_scan_destroy(s);
}
END_TEST

START_TEST(table_tags) { check_rows(rows_tag); }
END_TEST
START_TEST(table_markup) { check_rows(rows_markup); }
END_TEST
START_TEST(table_rawtext) { check_rows(rows_raw); }
END_TEST
START_TEST(table_tree) { check_rows(rows_tree); }
END_TEST
START_TEST(table_lane) { check_rows(rows_lane); }
END_TEST

/* The lane these rows ran through: each build of this file is linked to a
   scanner built its own way (tests/tests.am sets EXPECT_LANE for the SSE2
   and portable ones), and test_scan takes the AVX2 lane where the CPU
   has it -- were it left out, the AVX2 lane would go untested. */
START_TEST(lane_kind)
{
#if defined(EXPECT_LANE)
    ck_assert_str_eq(sri_scan_lane_kind(), EXPECT_LANE);
#elif defined(__SSE2__)
    __builtin_cpu_init();
    ck_assert_str_eq(sri_scan_lane_kind(),
                     __builtin_cpu_supports("avx2") ? "avx2" : "sse2");
#else
    ck_assert_str_eq(sri_scan_lane_kind(), "portable");
#endif
}
END_TEST

/* A quoted value that ends at every offset of the masks, behind tags
   that start at several offsets: were a closing quote missed (at a
   window's first or last byte, say), the next quote -- the <i>'s --
   would end the value, what follows would still read as one tag (b="...")
   up to the '>' after z, and the <link> would be taken for part of it. */
START_TEST(lane_value_ends_at_every_offset)
{
    static const size_t shifts[] = { 0, 7, 31, 33 };
    size_t d, n;
    for (d = 0; d < sizeof shifts / sizeof shifts[0]; d++) {
        for (n = 30; n < 170; n++) {
            char in[1024], want[2048];
            snprintf(in, sizeof in, "<b>%.*s<a title=\"%.*s\"><link>"
                     "<i a=\"b=\">z\">%s%s", (int)shifts[d], PAD, (int)n,
                     PAD PAD PAD, PAD, PAD);
            snprintf(want, sizeof want, "<b>%.*s<a title=\"%.*s\"><link" T
                     "><i a=\"b=\">z\">%s%s", (int)shifts[d], PAD, (int)n,
                     PAD PAD PAD, PAD, PAD);
            check_whole(in, want);
        }
    }
    check_invariance("<b>yyyyyyy<a title=\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                     "xxxxxxxxxxxxxxx\"><link><i a=\"b=\">z\">" PAD PAD, 0);
}
END_TEST

/* A plain end tag ("</div>": the current node's name, then '>') is
   taken from one 16-byte compare, without its masks.  Each shape ends at
   every offset of the windows: the </div> must pop (or </desc> would stop
   at the open <div>, a special element, and the first <link> would be
   HTML), a near miss must not (</divx> closes nothing: that <link> is
   HTML), and the scan must go on right after the '>' (or a <link> would
   be missed).  Upper case, white space and a longer or shorter name take
   the general checks; a name of 15 letters is the longest the compare
   takes, one of 16 is past it. */
START_TEST(lane_plain_end_tag_at_every_offset)
{
    static const struct {
        const char *open, *close;
        int html;                       /* the first <link> is HTML */
    } ends[] = {
        { "<div>", "</div>", 0 }, { "<div>", "</DIV>", 0 },
        { "<div>", "</div >", 0 }, { "<div>", "</divx>", 1 },
        { "<div>", "</divx></div>", 0 }, { "<div>", "</di></div>", 0 },
        { "<div><abcdefghijklmno>", "</abcdefghijklmno></div>", 0 },
        { "<div><abcdefghijklmnop>", "</abcdefghijklmnop></div>", 0 },
        { "<div><i>", "</i></div>", 0 },
    };
    size_t d, k;
    for (k = 0; k < sizeof ends / sizeof ends[0]; k++) {
        for (d = 0; d < 140; d++) {
            char in[1024], want[2048];
            snprintf(in, sizeof in, "<svg><desc>%s%.*s%s</desc><link>"
                     "</svg><link>%s%s", ends[k].open, (int)d,
                     PAD PAD PAD, ends[k].close, PAD, PAD);
            snprintf(want, sizeof want, "<svg><desc>%s%.*s%s</desc><link%s>"
                     "</svg><link" T ">%s%s", ends[k].open, (int)d,
                     PAD PAD PAD, ends[k].close, ends[k].html ? T : "",
                     PAD, PAD);
            check_whole(in, want);
        }
    }
    check_invariance("<svg><desc><div>xx</div></desc><link></svg><link>"
                     PAD, 0);
}
END_TEST

/* The lane's rows again behind "<b>" and d bytes of text: the masks of a
   run of tags start at its first tag, so each row's tags now begin d + 3
   bytes into them, and their quotes, '=' and '>' fall on the other side
   of the 64-byte boundaries (tag_end() carries on from the lane's own
   window, not from the tag's '<'). */
START_TEST(table_lane_shifted)
{
    static const size_t shifts[] = { 1, 2, 5, 13, 28, 29, 30, 31, 32, 33, 40 };
    size_t k, d;
    for (d = 0; d < sizeof shifts / sizeof shifts[0]; d++) {
        row shifted[sizeof rows_lane / sizeof rows_lane[0]];
        char ins[sizeof shifted / sizeof shifted[0]][1024];
        char outs[sizeof shifted / sizeof shifted[0]][1024];
        for (k = 0; rows_lane[k].in; k++) {
            ck_assert_uint_lt(strlen(rows_lane[k].out) + 64, sizeof outs[k]);
            snprintf(ins[k], sizeof ins[k], "<b>%.*s%s", (int)shifts[d],
                     "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
                     rows_lane[k].in);
            snprintf(outs[k], sizeof outs[k], "<b>%.*s%s", (int)shifts[d],
                     "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
                     rows_lane[k].out);
            shifted[k].in = ins[k];
            shifted[k].out = outs[k];
        }
        shifted[k].in = shifted[k].out = NULL;
        check_rows(shifted);
    }
}
END_TEST

/* Inputs containing NUL cannot be C strings: one explicit test. */
START_TEST(nul_in_tag_name)
{
    static const char in[] = "<scr\0ipt><script>";
    rec r;
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(feed_cuts(&r, in, sizeof in - 1, 0, NULL, 0), 0);
    ck_assert_uint_eq(r.nkinds, 1);
    ck_assert_uint_eq(r.out_len, sizeof in - 1 + 7);
}
END_TEST

START_TEST(kinds_and_attrs)
{
    rec r;
    run_whole(&r, "<link rel=x><base href=y><script src=a>", 0);
    ck_assert_uint_eq(r.nkinds, 3);
    ck_assert_int_eq(memcmp(r.kinds, "lbs", 3), 0);
    ck_assert_str_eq(r.attrs, "src=a;");
    run_whole(&r, "<svg><script href=a xlink:href=b></script></svg>"
              "<script src=c>", 0);
    ck_assert_uint_eq(r.nkinds, 2);
    ck_assert_int_eq(memcmp(r.kinds, "vs", 2), 0);
    run_whole(&r, "<iframe srcdoc=\"&lt;p>\"></iframe>", 0);
    ck_assert_uint_eq(r.nkinds, 1);
    ck_assert_int_eq(r.kinds[0], 'i');
    ck_assert_str_eq(r.attrs, "srcdoc=&lt;p>;");

    run_whole(&r, "<script src=a SRC=b Src='c' async src>", 0);
    ck_assert_str_eq(r.attrs, "src=a;async=-;");
    ck_assert_str_eq(r.all_attrs, "src=a;SRC=b;Src=c;async=-;src=-;");
    run_whole(&r, "<link HREF=\"x\" rel='s s' title= t  x=>", 0);
    ck_assert_str_eq(r.attrs, "HREF=x;rel=s s;title=t;x=;");
    run_whole(&r, "<link =a b=\"\">", 0);
    ck_assert_str_eq(r.attrs, "=a=-;b=;");
    run_whole(&r, "<script/src=x/>", 0);
    ck_assert_str_eq(r.attrs, "src=x/;");
    ck_assert_int_eq(r.self_closing, 0);
    ck_assert_uint_eq(r.insert_off, strlen("<script/src=x/"));
    run_whole(&r, "<link href=y />", 0);
    ck_assert_int_eq(r.self_closing, 1);
    ck_assert_uint_eq(r.insert_off, strlen("<link href=y "));
}
END_TEST

static int tag_lookup(void *ctx, const sri_tag *tag, sri_edit *e, size_t max)
{
    int *found = ctx;
    const sri_attr *a = sri_tag_attr(tag, "integrity");
    (void)e; (void)max;
    *found = a && a->value && a->value_len == 3
             && memcmp(a->value, "abc", 3) == 0 && a->quote == '"';
    ck_assert_ptr_null(sri_tag_attr(tag, "missing"));
    return 0;
}

static int pass_nothing(void *ctx, const char *p, size_t n)
{
    (void)ctx; (void)p; (void)n;
    return 0;
}

START_TEST(attr_lookup_is_case_insensitive)
{
    int found = 0;
    sri_scan_output out = { NULL, pass_nothing, pass_nothing };
    sri_scan_decisions dec = { &found, tag_lookup, NULL, NULL, NULL };
    sri_scanner *s = sri_scan_create(&out, &dec, 0);
    const char *in = "<script InTeGrItY=\"abc\" integrity=\"zzz\">";
    ck_assert_int_eq(sri_scan_feed(s, in, strlen(in)), 0);
    ck_assert_int_eq(sri_scan_finish(s), 0);
    ck_assert_int_eq(found, 1);
    sri_scan_destroy(s);
}
END_TEST

START_TEST(edits_are_applied)
{
    rec r;
    memset(&r, 0, sizeof r);
    r.edit_mode = 1;
    ck_assert_int_eq(feed_cuts(&r, "a<script src=\"old\">b", 20, 0, NULL, 0), 0);
    r.out[r.out_len] = '\0';
    ck_assert_str_eq(r.out, "a<script src=\"X\" new>b");
    /* invalid edits leave the tag unchanged */
    memset(&r, 0, sizeof r);
    r.edit_mode = 2;
    ck_assert_int_eq(feed_cuts(&r, "<link href=x>", 13, 0, NULL, 0), 0);
    r.out[r.out_len] = '\0';
    ck_assert_str_eq(r.out, "<link href=x>");
    /* no edits */
    memset(&r, 0, sizeof r);
    r.edit_mode = 3;
    ck_assert_int_eq(feed_cuts(&r, "<link href=x>", 13, 0, NULL, 0), 0);
    ck_assert_uint_eq(r.out_len, 13);
}
END_TEST

START_TEST(on_tag_can_stop)
{
    rec r;
    memset(&r, 0, sizeof r);
    r.stop_with = -7;
    ck_assert_int_eq(feed_cuts(&r, "x<link>y<link>", 14, 0, NULL, 0), -7);
    ck_assert_uint_eq(r.nkinds, 1);
}
END_TEST

static int pass_fails(void *ctx, const char *p, size_t n)
{
    (void)ctx; (void)p; (void)n;
    return 42;
}

START_TEST(pass_can_stop)
{
    sri_scan_output out = { NULL, pass_fails, pass_fails };
    sri_scan_decisions dec = { NULL, rec_tag, NULL, NULL, NULL };
    sri_scanner *s = sri_scan_create(&out, &dec, 0);
    ck_assert_int_eq(sri_scan_feed(s, "abc", 3), 42);
    ck_assert_int_eq(sri_scan_feed(s, "abc", 3), 42);   /* sticky */
    ck_assert_int_eq(sri_scan_finish(s), 42);
    sri_scan_destroy(s);
}
END_TEST

START_TEST(overflow_passes_unmodified)
{
    rec r;
    const char *in = "<link href=0123456789><link href=x><script src=0123456789abcdef>";
    run_whole(&r, in, 16);
    /* the two long tags pass unmodified; the short one is still edited */
    ck_assert_str_eq(r.out, "<link href=0123456789><link href=x" T "><script src=0123456789abcdef>");
    ck_assert_uint_eq(r.overflows, 2);
    check_invariance(in, 16);
    /* a tag exactly at the bound is fine; one byte more is not */
    run_whole(&r, "<link href=12345>", 17);
    ck_assert_uint_eq(r.overflows, 0);
    ck_assert_uint_eq(r.nkinds, 1);
    run_whole(&r, "<link href=123456>", 17);
    ck_assert_uint_eq(r.overflows, 1);
    ck_assert_uint_eq(r.nkinds, 0);
    check_invariance("<link href=123456><link>", 17);
    /* after an overflow the tag is still tokenized: '>' in quotes */
    run_whole(&r, "<link href='>>>>>>>>>>>>>>>>>>'><link>", 16);
    ck_assert_str_eq(r.out, "<link href='>>>>>>>>>>>>>>>>>>'><link" T ">");
    check_invariance("<link href='>>>>>>>>>>>>>>>>>>'><link>", 16);
    check_invariance("<script x='>>>>>>>>>>>>>>>>>>'><link>", 4);
}
END_TEST

/* A tag of interest with more attributes than the scanner keeps is not
   decided on (an href or integrity past them would go unseen): it passes
   unmodified and on_overflow() hears of it, with its whole length; one
   with exactly that many is handed on. */
START_TEST(too_many_attributes_pass_unmodified)
{
    rec r;
    char in[1024], want[2048];
    size_t k, n = 0;

    n += (size_t)snprintf(in + n, sizeof in - n, "<link");
    for (k = 0; k < SRI_SCAN_MAX_ATTRS; k++)
        n += (size_t)snprintf(in + n, sizeof in - n, " a");
    snprintf(want, sizeof want, "%s" T "><link" T ">", in);
    memcpy(in + n, "><link>", 8);
    run_whole(&r, in, 0);
    ck_assert_str_eq(r.out, want);
    ck_assert_uint_eq(r.overflows, 0);
    ck_assert_uint_eq(r.nkinds, 2);

    memcpy(in + n, " href=x><link>", 15);
    run_whole(&r, in, 0);
    snprintf(want, sizeof want, "%.*s href=x><link" T ">", (int)n, in);
    ck_assert_str_eq(r.out, want);
    ck_assert_uint_eq(r.overflows, 1);
    ck_assert_uint_eq(r.nkinds, 1);             /* the <link> only */
    /* in pieces: the same */
    {
        size_t len = strlen(in), cut;
        for (cut = 1; cut < len; cut += 37) {
            size_t cuts[1];
            rec part;
            cuts[0] = cut;
            memset(&part, 0, sizeof part);
            ck_assert_int_eq(feed_cuts(&part, in, len, 0, cuts, 1), 0);
            ck_assert_str_eq(part.out, want);
            ck_assert_uint_eq(part.overflows, 1);
        }
    }
}
END_TEST

START_TEST(only_tags_of_interest_are_held)
{
    rec r;
    sri_scan_output out = { &r, rec_pass, rec_insert };
    sri_scan_decisions dec = { &r, rec_tag, rec_overflow, NULL, NULL };
    sri_scanner *s = sri_scan_create(&out, &dec, 0);
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(sri_scan_feed(s, "<div title='", 12), 0);
    ck_assert_uint_eq(sri_scan_held(s), 0);
    ck_assert_int_eq(sri_scan_feed(s, "x'><li", 6), 0);
    ck_assert_uint_eq(sri_scan_held(s), 3);
    ck_assert_int_eq(sri_scan_feed(s, "nk href='", 9), 0);
    ck_assert_uint_eq(sri_scan_held(s), 12);
    ck_assert_int_eq(sri_scan_feed(s, "a'", 2), 0);
    ck_assert_uint_eq(sri_scan_held(s), 14);
    ck_assert_int_eq(sri_scan_feed(s, ">tail<", 6), 0);
    ck_assert_uint_eq(sri_scan_held(s), 1);      /* a lone '<' */
    ck_assert_int_eq(sri_scan_feed(s, "p", 1), 0);
    ck_assert_uint_eq(sri_scan_held(s), 0);
    ck_assert_int_eq(sri_scan_feed(s, " <script", 8), 0);
    ck_assert_int_eq(sri_scan_finish(s), 0);     /* unfinished: unmodified */
    r.out[r.out_len] = '\0';
    ck_assert_str_eq(r.out, "<div title='x'><link href='a'" T ">tail<p <script");
    sri_scan_destroy(s);
}
END_TEST

START_TEST(long_untouched_tags_stream)
{
    /* A 3 MB data: URI on an <img> passes without being held. */
    size_t n = 3u << 20, i;
    char *big = malloc(n + 32);
    rec *r = calloc(1, sizeof *r);
    sri_scan_output out = { r, pass_nothing, pass_nothing };
    sri_scan_decisions dec = { r, rec_tag, rec_overflow, NULL, NULL };
    sri_scanner *s = sri_scan_create(&out, &dec, 0);
    memcpy(big, "<img src='data:", 15);
    memset(big + 15, 'A', n - 15);
    for (i = 0; i < n; i += 4096) {
        size_t m = n - i < 4096 ? n - i : 4096;
        ck_assert_int_eq(sri_scan_feed(s, big + i, m), 0);
        ck_assert_uint_eq(sri_scan_held(s), 0);
    }
    ck_assert_int_eq(sri_scan_feed(s, "'><link>", 8), 0);
    ck_assert_int_eq(sri_scan_finish(s), 0);
    ck_assert_uint_eq(r->nkinds, 1);
    ck_assert_uint_eq(r->overflows, 0);
    sri_scan_destroy(s);
    free(r);
    free(big);
}
END_TEST

static Suite *scan_suite(void)
{
    Suite *su = suite_create("scan");
    TCase *tc = tcase_create("scan");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, table_tags);
    tcase_add_test(tc, table_markup);
    tcase_add_test(tc, table_rawtext);
    tcase_add_test(tc, table_tree);
    tcase_add_test(tc, table_lane);
    tcase_add_test(tc, lane_kind);
    tcase_add_test(tc, table_lane_shifted);
    tcase_add_test(tc, lane_plain_end_tag_at_every_offset);
    tcase_add_test(tc, lane_value_ends_at_every_offset);
    tcase_add_test(tc, table_all_attrs);
    tcase_add_test(tc, table_text);
    tcase_add_test(tc, text_args_and_bound);
    tcase_add_test(tc, text_is_held_not_passed);
    tcase_add_test(tc, nul_in_tag_name);
    tcase_add_test(tc, kinds_and_attrs);
    tcase_add_test(tc, attr_lookup_is_case_insensitive);
    tcase_add_test(tc, edits_are_applied);
    tcase_add_test(tc, on_tag_can_stop);
    tcase_add_test(tc, pass_can_stop);
    tcase_add_test(tc, overflow_passes_unmodified);
    tcase_add_test(tc, too_many_attributes_pass_unmodified);
    tcase_add_test(tc, only_tags_of_interest_are_held);
    tcase_add_test(tc, long_untouched_tags_stream);
    suite_add_tcase(su, tc);
    return su;
}

SRI_CHECK_MAIN(scan_suite)
