/*
 * sri_scan.c -- the streaming HTML start-tag scanner (sri_scan.h).
 *
 * Why: mod_sri must find exactly the <script>, <link> and <base> start tags
 * an HTML5 browser creates, in a response that arrives in arbitrary chunks,
 * at memchr-like speed, and must pass every other byte through untouched and
 * without delay.  This file is the WHATWG tokenizer reduced to the question
 * "where do tags start and end", driven chunk by chunk: each state below is
 * one of the spec's tokenizer states (or a merged group of them), commented
 * with the input that reaches it.  Text runs are skipped with memchr; only
 * the tag of interest that is unfinished at the end of a chunk is copied
 * (into the hold buffer).  Tree-construction facts (foreign content,
 * frameset) live in sri_scan_tree.c.
 *
 * The input is assumed to be in an ASCII-compatible encoding (UTF-8,
 * windows-1252, ...): all delimiters are ASCII.
 */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "sri_scan.h"
#include "sri_scan_tree.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Attributes recorded for a tag of interest; beyond this many the rest of
   the tag is still tokenized but its attributes are not reported. */
#define MAX_ATTRS 256

/* Internal kinds: tags held only so their attributes can be read (the
   tree builder needs them; they are never reported or edited). */
#define KIND_FONT  16   /* <font> in foreign content: breaks out if it has
                           color, face or size                            */
#define KIND_ANNOT 17   /* <annotation-xml> in MathML: encoding attribute  */
#define KIND_INPUT 18   /* <input> while frameset-ok: type=hidden?         */

typedef enum {
    /* Text. */
    ST_DATA,                /* text; the next '<' decides                  */
    ST_RCDATA,              /* <title>, <textarea>                         */
    ST_RAWTEXT,             /* <style>, <xmp>, <iframe>, <noembed>, ...    */
    ST_SCRIPT,              /* <script>                                    */
    ST_SCRIPT_ESC,          /* <script><!--                                */
    ST_SCRIPT_ESC_DASH,     /* <script><!-- x-                             */
    ST_SCRIPT_ESC_DASH_DASH,/* <script><!-- x--  (also right after "<!--") */
    ST_SCRIPT_DESC,         /* <script><!--<script>  (double escaped)      */
    ST_SCRIPT_DESC_DASH,    /* <script><!--<script> -                      */
    ST_SCRIPT_DESC_DASH_DASH,/* <script><!--<script> --                    */
    ST_PLAINTEXT,           /* <plaintext>: the rest is text               */
    /* '<' in raw text / RCDATA / script (s->text is where to go back).   */
    ST_RAW_LT,              /* <style>...<                                 */
    ST_RAW_END_OPEN,        /* <style>...</                                */
    ST_RAW_END_NAME,        /* <style>...</sty                             */
    ST_SCRIPT_ESC_START,    /* <script><!                                  */
    ST_SCRIPT_ESC_START_DASH,/* <script><!-                                */
    ST_SCRIPT_DESC_START,   /* <script><!-- <scr                           */
    ST_SCRIPT_DESC_LT,      /* <script><!--<script> <                      */
    ST_SCRIPT_DESC_END,     /* <script><!--<script> </scr                  */
    /* Tags. */
    ST_TAG_OPEN,            /* <                                           */
    ST_END_TAG_OPEN,        /* </                                          */
    ST_TAG_NAME,            /* <x   or  </x                                */
    ST_BEFORE_ATTR_NAME,    /* <x                                          */
    ST_ATTR_NAME,           /* <x y                                        */
    ST_AFTER_ATTR_NAME,     /* <x y                                        */
    ST_BEFORE_ATTR_VALUE,   /* <x y=                                       */
    ST_ATTR_VALUE_DQ,       /* <x y="                                      */
    ST_ATTR_VALUE_SQ,       /* <x y='                                      */
    ST_ATTR_VALUE_UQ,       /* <x y=z                                      */
    ST_AFTER_ATTR_VALUE_Q,  /* <x y="z"                                    */
    ST_SELF_CLOSING,        /* <x /                                        */
    /* Markup declarations, comments, bogus comments, CDATA. */
    ST_MARKUP_OPEN,         /* <!                                          */
    ST_MD_DASH,             /* <!-                                         */
    ST_MD_DOCTYPE,          /* <!DOC                                       */
    ST_MD_CDATA,            /* <![CD   (foreign content only)              */
    ST_COMMENT_START,       /* <!--                                        */
    ST_COMMENT_START_DASH,  /* <!---                                       */
    ST_COMMENT,             /* <!-- x                                      */
    ST_COMMENT_END_DASH,    /* <!-- x-                                     */
    ST_COMMENT_END,         /* <!-- x--                                    */
    ST_COMMENT_END_BANG,    /* <!-- x--!                                   */
    ST_BOGUS_COMMENT,       /* <?x  <!x  </ x  and <!DOCTYPE x: up to '>'  */
    ST_CDATA,               /* <svg><![CDATA[                              */
    ST_CDATA_BRACKET,       /* <svg><![CDATA[ x]                           */
    ST_CDATA_END            /* <svg><![CDATA[ x]]                          */
} scan_state;

/* An attribute of the current tag of interest, as offsets from its '<'. */
typedef struct {
    size_t name_off, name_len, value_off, value_len;
    char   quote;
    char   has_value;
} raw_attr;

#define NAME_MAX_KEPT SRI_TREE_NAME  /* lower-case tag name bytes kept   */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NAME_SHIFT(k) (8 * (7 - (k)))  /* byte k of a word in memory order */
#else
#define NAME_SHIFT(k) (8 * (k))
#endif

struct sri_scanner {
    sri_scan_sink sink;
    size_t        max_tag;
    int           err;          /* sticky non-zero callback result        */

    scan_state    state;
    scan_state    text;         /* text state to return to from ST_RAW_*   */
    char          raw_name[NAME_MAX_KEPT];  /* appropriate end tag name    */
    size_t        raw_name_len;
    size_t        k;            /* match progress in multi-byte states     */
    int           kbad;         /* temp buffer no longer matches           */

    /* The current tag. */
    int           is_end;
    int           raw_end;      /* the end tag of raw text / RCDATA        */
    char          name[NAME_MAX_KEPT];  /* zero-padded                    */
    size_t        name_len;     /* full length (may exceed NAME_MAX_KEPT)  */
    unsigned      flags;        /* sri_tree_name_flags(name)               */
    int           name_bad;     /* contains bytes no known name has        */
    int           interest;     /* 0, an sri_tag_kind or a KIND_* value    */
    int           overflowed;   /* grew past max_tag: passed unmodified    */
    int           self_closing;
    int           missing_value;/* ended in "before attribute value"      */
    uint64_t      tag_abs;      /* stream offset of its '<'                */
    raw_attr     *cur;          /* attribute being read (NULL: not kept)   */
    size_t        nraw;

    sri_tree      tree;

    /* Stream position and the chunk being scanned. */
    uint64_t      abs;          /* stream offset of buf[0]                 */
    const char   *buf;
    size_t        len;
    size_t        emit;         /* buf[0, emit) has been passed or held    */
    size_t        tag_start;    /* index of the '<' in buf, if !holding    */
    int           holding;      /* the tag began in an earlier chunk       */

    char         *hold;
    size_t        hold_len, hold_cap;

    raw_attr      raw[MAX_ATTRS];
    sri_attr      attrs[MAX_ATTRS];
    sri_edit      edits[SRI_SCAN_MAX_EDITS];
};

/* Byte classes (constant tables: thread-safe, no initialisation). */
#define WS(c)     ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\f' || (c) == '\r')
#define ALPHA(c)  ((unsigned char)(((c) | 0x20) - 'a') < 26)
#define LOWER(c)  ((char)(((unsigned char)((c) - 'A') < 26) ? (c) | 0x20 : (c)))

static const unsigned char delim_tab[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
    ['/'] = 1, ['>'] = 1
};
static const unsigned char attr_delim_tab[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
    ['/'] = 1, ['>'] = 1, ['='] = 1
};
static const unsigned char uq_delim_tab[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, ['>'] = 1
};
static const unsigned char esc_tab[256] = { ['-'] = 1, ['<'] = 1 };

/* ---- output ----------------------------------------------------------- */

static int do_pass(sri_scanner *s, const char *p, size_t n)
{
    if (n && !s->err)
        s->err = s->sink.pass(s->sink.ctx, p, n);
    return s->err;
}

/* Pass buf[emit, to). */
static void flush_to(sri_scanner *s, size_t to)
{
    if (to > s->emit) {
        do_pass(s, s->buf + s->emit, to - s->emit);
        s->emit = to;
    }
}

static int hold_append(sri_scanner *s, const char *p, size_t n)
{
    if (s->hold_len + n > s->hold_cap) {
        size_t cap = s->hold_cap ? s->hold_cap : 256;
        char *h;
        while (cap < s->hold_len + n)
            cap *= 2;
        h = realloc(s->hold, cap);
        if (!h)
            return -1;
        s->hold = h;
        s->hold_cap = cap;
    }
    memcpy(s->hold + s->hold_len, p, n);
    s->hold_len += n;
    return 0;
}

/* The held tag turned out not to be of interest (or overflowed): pass what
   is held; the rest of it in this chunk passes with the following bytes. */
static void release_hold(sri_scanner *s)
{
    if (s->holding) {
        do_pass(s, s->hold, s->hold_len);
        s->hold_len = 0;
        s->holding = 0;
        /* buf[0 ..] is still unpassed: emit is 0. */
    }
}

/* ---- tags -------------------------------------------------------------- */

static size_t rel(const sri_scanner *s, size_t i)
{
    return (size_t)(s->abs + i - s->tag_abs);
}

static void tag_begin(sri_scanner *s, size_t i, int is_end)
{
    s->is_end = is_end;
    s->raw_end = is_end;        /* only ST_RAW_END_NAME begins end tags */
    memset(s->name, 0, sizeof s->name);
    s->name_len = 0;
    s->name_bad = 0;
    s->interest = 0;
    s->overflowed = 0;
    s->self_closing = 0;
    s->missing_value = 0;
    s->cur = NULL;
    s->nraw = 0;
    s->tag_abs = s->abs + i;    /* i: the '<' (the delimiter after the
                                   name for a raw text end tag)          */
    s->tag_start = i;
}

static int could_be_interesting(const sri_scanner *s)
{
    /* During "<" and "<x": may the name still become one we hold? */
    static const char *const held[] = { "script", "link", "base", "font",
                                        "annotation-xml", "input" };
    size_t j;
    if (s->is_end || s->name_bad || s->name_len > 14)
        return 0;
    for (j = 0; j < sizeof held / sizeof held[0]; j++)
        if (strlen(held[j]) >= s->name_len
            && memcmp(held[j], s->name, s->name_len) == 0)
            return 1;
    return 0;
}

/* The tag name is complete: decide whether to keep the tag. */
static void name_done(sri_scanner *s)
{
    unsigned f;

    s->flags = f = sri_tree_name_flags(s->name, s->name_len);
    if (s->is_end || !f) {      /* the fast path: nothing to hold */
        release_hold(s);
        return;
    }
    if (f & (SRI_NAME_SCRIPT | SRI_NAME_LINK | SRI_NAME_BASE)) {
        if (sri_tree_start_is_html(&s->tree, f)
            && !sri_tree_start_ignored(&s->tree, f))
            s->interest = (f & SRI_NAME_SCRIPT) ? SRI_TAG_SCRIPT
                        : (f & SRI_NAME_LINK) ? SRI_TAG_LINK : SRI_TAG_BASE;
        if (s->interest && s->overflowed) {
            /* It outgrew the bound while its name was still being read
               (tiny max_tag_len): report the overflow now, as a whole
               chunk would have. */
            s->interest = 0;
            if (s->sink.on_overflow)
                s->sink.on_overflow(s->sink.ctx, s->name_len + 1);
        }
    } else if (s->overflowed) {
        ;
    } else if (f & SRI_NAME_FONT) {
        if (!sri_tree_start_is_html(&s->tree, f))
            s->interest = KIND_FONT;
    } else if (f & SRI_NAME_INPUT) {
        if (s->tree.frameset_ok && sri_tree_start_is_html(&s->tree, f))
            s->interest = KIND_INPUT;
    } else if (f & SRI_NAME_ANNOT) {
        if (!sri_tree_start_is_html(&s->tree, f) && sri_tree_in_math(&s->tree))
            s->interest = KIND_ANNOT;
    }
    if (!s->interest)
        release_hold(s);
}

static void attr_begin(sri_scanner *s, size_t i)
{
    if (s->interest && s->nraw < MAX_ATTRS) {
        s->cur = &s->raw[s->nraw++];
        s->cur->name_off = rel(s, i);
        s->cur->name_len = 0;
        s->cur->has_value = 0;
        s->cur->quote = 0;
        s->cur->value_off = s->cur->value_len = 0;
    } else {
        s->cur = NULL;
    }
}

static void attr_name_end(sri_scanner *s, size_t i)
{
    if (s->cur)
        s->cur->name_len = rel(s, i) - s->cur->name_off;
}

static void value_begin(sri_scanner *s, size_t i, char quote)
{
    if (s->cur) {
        s->cur->has_value = 1;
        s->cur->quote = quote;
        s->cur->value_off = rel(s, i);
    }
}

static void value_end(sri_scanner *s, size_t i)
{
    if (s->cur) {
        s->cur->value_len = rel(s, i) - s->cur->value_off;
        s->cur = NULL;
    }
}

static int name_ieq(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t j;
    if (alen != blen)
        return 0;
    for (j = 0; j < alen; j++)
        if (LOWER(a[j]) != LOWER(b[j]))
            return 0;
    return 1;
}

/* Fill s->attrs from s->raw over the contiguous tag bytes; the first of
   duplicate names wins. */
static size_t build_attrs(sri_scanner *s, const char *raw)
{
    size_t j, m, n = 0;

    for (j = 0; j < s->nraw; j++) {
        const raw_attr *r = &s->raw[j];
        sri_attr *a = &s->attrs[n];
        int dup = 0;
        for (m = 0; m < n && !dup; m++)
            dup = name_ieq(s->attrs[m].name, s->attrs[m].name_len,
                           raw + r->name_off, r->name_len);
        if (dup)
            continue;
        a->name = raw + r->name_off;
        a->name_len = r->name_len;
        a->name_off = r->name_off;
        a->quote = r->quote;
        if (r->has_value) {
            a->value = raw + r->value_off;
            a->value_len = r->value_len;
            a->value_off = r->value_off;
        } else {
            a->value = NULL;
            a->value_len = 0;
            a->value_off = 0;
        }
        n++;
    }
    return n;
}

const sri_attr *sri_tag_attr(const sri_tag *tag, const char *lname)
{
    size_t j, len = strlen(lname);
    for (j = 0; j < tag->nattrs; j++)
        if (name_ieq(tag->attrs[j].name, tag->attrs[j].name_len, lname, len))
            return &tag->attrs[j];
    return NULL;
}

static int value_ieq(const sri_attr *a, const char *lower)
{
    return a && a->value && name_ieq(a->value, a->value_len, lower,
                                     strlen(lower));
}

/* Report a complete tag of interest and write it out, edited. */
static void report(sri_scanner *s, const char *raw, size_t raw_len)
{
    sri_tag tag;
    int n, j;
    size_t at = 0;

    tag.kind = (sri_tag_kind)s->interest;
    tag.raw = raw;
    tag.raw_len = raw_len;
    tag.self_closing = s->self_closing;
    tag.insert_off = raw_len - (s->self_closing ? 2 : 1);
    if (s->missing_value)       /* "<x y=>": see sri_tag.insert_off */
        tag.insert_off = 1 + s->name_len;
    tag.attrs = s->attrs;
    tag.nattrs = build_attrs(s, raw);
    n = s->sink.on_tag(s->sink.ctx, &tag, s->edits, SRI_SCAN_MAX_EDITS);
    if (n < 0) {
        if (!s->err)
            s->err = n;
        return;
    }
    if (n > SRI_SCAN_MAX_EDITS)
        n = 0;
    for (j = 0; j < n; j++) {   /* invalid edits: leave the tag unchanged */
        const sri_edit *e = &s->edits[j];
        if (e->off < at || e->off > raw_len || e->del > raw_len - e->off
            || (e->ins_len && !e->ins)) {
            n = 0;
            break;
        }
        at = e->off + e->del;
    }
    at = 0;
    for (j = 0; j < n && !s->err; j++) {
        const sri_edit *e = &s->edits[j];
        do_pass(s, raw + at, e->off - at);
        if (e->ins_len && !s->err)
            s->err = s->sink.insert(s->sink.ctx, e->ins, e->ins_len);
        at = e->off + e->del;
    }
    do_pass(s, raw + at, raw_len - at);
}

static void overflow(sri_scanner *s, size_t tag_len)
{
    int kind = s->interest;

    release_hold(s);
    s->interest = 0;
    s->overflowed = 1;
    s->cur = NULL;
    if (kind && kind < KIND_FONT && s->sink.on_overflow)
        s->sink.on_overflow(s->sink.ctx, tag_len);
}

/* The '>' at buf[i] ends the current tag.  Returns the next state. */
static scan_state tag_done(sri_scanner *s, size_t i)
{
    unsigned facts = 0;
    int reported = 0;
    sri_text_mode mode;

    if (s->is_end) {
        /* The end tag of a raw text / RCDATA element pops just that element,
           which the tree model never pushed. */
        if (!s->raw_end && !sri_tree_end_fast(&s->tree, s->name, s->name_len))
            sri_tree_end(&s->tree, s->name, s->name_len, s->flags);
        return ST_DATA;
    }
    if (!s->interest
        && sri_tree_start_fast(&s->tree, s->name, s->name_len, s->flags))
        return ST_DATA;                 /* <div>, <span>: the common case */
    if (s->interest) {
        const char *raw;
        size_t raw_len;
        if (s->holding) {
            raw_len = s->hold_len + i + 1;
            if (raw_len > s->max_tag) {
                overflow(s, raw_len);
                goto tree;
            }
            if (hold_append(s, s->buf, i + 1) < 0) {
                s->err = -1;
                return ST_DATA;
            }
            raw = s->hold;
        } else {
            raw = s->buf + s->tag_start;
            raw_len = i + 1 - s->tag_start;
            if (raw_len > s->max_tag) {
                overflow(s, raw_len);
                goto tree;
            }
        }
        if (s->interest >= KIND_FONT) {
            sri_tag tag;
            tag.attrs = s->attrs;
            tag.nattrs = build_attrs(s, raw);
            if (sri_tag_attr(&tag, "color") || sri_tag_attr(&tag, "face")
                || sri_tag_attr(&tag, "size"))
                facts |= SRI_FACT_FONT_BREAKS;
            if (value_ieq(sri_tag_attr(&tag, "encoding"), "text/html")
                || value_ieq(sri_tag_attr(&tag, "encoding"),
                             "application/xhtml+xml"))
                facts |= SRI_FACT_ANNOT_HTML;
            if (value_ieq(sri_tag_attr(&tag, "type"), "hidden"))
                facts |= SRI_FACT_INPUT_HIDDEN;
            if (s->holding) {   /* hold now ends with buf[0, i] */
                do_pass(s, s->hold, s->hold_len);
                s->emit = i + 1;
                s->holding = 0;
                s->hold_len = 0;
            }
        } else {
            flush_to(s, s->holding ? 0 : s->tag_start);
            report(s, raw, raw_len);
            s->emit = i + 1;
            s->holding = 0;
            s->hold_len = 0;
        }
    }
tree:
    mode = sri_tree_start(&s->tree, s->name, s->name_len, s->flags,
                          s->self_closing, facts, &reported);
    switch (mode) {
    case SRI_TEXT_RCDATA:   s->text = ST_RCDATA;   break;
    case SRI_TEXT_RAWTEXT:  s->text = ST_RAWTEXT;  break;
    case SRI_TEXT_SCRIPT:   s->text = ST_SCRIPT;   break;
    case SRI_TEXT_PLAINTEXT: return ST_PLAINTEXT;
    default:                return ST_DATA;
    }
    memcpy(s->raw_name, s->name, sizeof s->raw_name);  /* known name */
    s->raw_name_len = s->name_len;
    return s->text;
}

/* ---- the state machine ------------------------------------------------- */

/* Find the next byte with tab[c] set in buf[i, len); len if none. */
static size_t find(const unsigned char *tab, const char *buf, size_t i,
                   size_t len)
{
    while (i < len && !tab[(unsigned char)buf[i]])
        i++;
    return i;
}

/* Text in the data state: clears frameset-ok unless it is all whitespace
   (U+0000 is dropped by the tree builder, so it counts as nothing). */
static void data_text(sri_scanner *s, const char *p, size_t n)
{
    size_t j;
    if (!s->tree.frameset_ok)
        return;
    for (j = 0; j < n; j++)
        if (!WS(p[j]) && p[j] != '\0') {
            sri_tree_text(&s->tree);
            return;
        }
}

/* memchr, but a short run is searched inline: on real pages the next '<'
   or quote is usually a few bytes away, where a library call costs more
   than it saves.  Runs longer than 64 bytes go to memchr. */
#ifdef __SSE2__
static const char *find_byte(const char *p, const char *end, char c)
{
    const __m128i pat = _mm_set1_epi8(c);
    const char *stop = end - p > 64 ? p + 64 : end;

    while (stop - p >= 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
            _mm_loadu_si128((const __m128i *)(const void *)p), pat));
        if (m)
            return p + __builtin_ctz(m);
        p += 16;
    }
    if (stop != end)
        return memchr(p, c, (size_t)(end - p));
    for (; p < end; p++)
        if (*p == c)
            return p;
    return NULL;
}
#else
static const char *find_byte(const char *p, const char *end, char c)
{
    const uint64_t ones = 0x0101010101010101u, highs = ones << 7;
    const uint64_t pat = ones * (unsigned char)c;
    const char *stop = end - p > 64 ? p + 64 : end;

    while (stop - p >= 8) {     /* 8 bytes at a time */
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= pat;                           /* a zero byte where c is */
        if ((w - ones) & ~w & highs)
            break;
        p += 8;
    }
    if (stop - p < 8 && stop != end)
        return memchr(p, c, (size_t)(end - p));
    for (; p < end; p++)                    /* within 8 bytes, or the tail */
        if (*p == c)
            return p;
    return NULL;
}
#endif

/* The attribute states, from s->state at buf[i], as one tight automaton
   (direct jumps, the state stored only when the chunk ends).  Returns the
   index after the tag's '>' (the tag is done and s->state is what follows
   it), or len. */
static size_t scan_attrs(sri_scanner *s, size_t i)
{
    const char *buf = s->buf, *p;
    const size_t len = s->len;
    char c, q = '"';

    switch (s->state) {
    case ST_BEFORE_ATTR_NAME:   goto before_name;
    case ST_ATTR_NAME:          goto name;
    case ST_AFTER_ATTR_NAME:    goto after_name;
    case ST_BEFORE_ATTR_VALUE:  goto before_value;
    case ST_ATTR_VALUE_SQ:      q = '\'';   /* fall through */
    case ST_ATTR_VALUE_DQ:      goto quoted;
    case ST_ATTR_VALUE_UQ:      goto unquoted;
    case ST_AFTER_ATTR_VALUE_Q: goto after_quoted;
    case ST_SELF_CLOSING:       goto self_closing;
    default:                    return i;
    }

before_name:                    /* ST_BEFORE_ATTR_NAME, "<x " */
    while (i < len && WS(buf[i]))
        i++;
    if (i == len) {
        s->state = ST_BEFORE_ATTR_NAME;
        return len;
    }
    c = buf[i];
    if (c == '/') {
        i++;
        goto self_closing;
    }
    if (c == '>')
        goto done;
    attr_begin(s, i);           /* a leading '=' is part of the name */
    i++;
    /* fall through */
name:                           /* ST_ATTR_NAME, "<x y" */
    i = find(attr_delim_tab, buf, i, len);
    if (i == len) {
        s->state = ST_ATTR_NAME;
        return len;
    }
    attr_name_end(s, i);
    if (buf[i] == '=') {
        i++;
        goto before_value;
    }
    /* fall through */
after_name:                     /* ST_AFTER_ATTR_NAME, "<x y " */
    while (i < len && WS(buf[i]))
        i++;
    if (i == len) {
        s->state = ST_AFTER_ATTR_NAME;
        return len;
    }
    c = buf[i];
    if (c == '/') {
        i++;
        goto self_closing;
    }
    if (c == '=') {
        i++;
        goto before_value;
    }
    if (c == '>')
        goto done;
    attr_begin(s, i);
    i++;
    goto name;

before_value:                   /* ST_BEFORE_ATTR_VALUE, "<x y=" */
    while (i < len && WS(buf[i]))
        i++;
    if (i == len) {
        s->state = ST_BEFORE_ATTR_VALUE;
        return len;
    }
    c = buf[i];
    if (c == '"' || c == '\'') {
        q = c;
        i++;
        value_begin(s, i, c);
        goto quoted;
    }
    if (c == '>') {             /* "<x y=>": an empty value */
        value_begin(s, i, 0);
        value_end(s, i);
        s->missing_value = 1;
        goto done;
    }
    value_begin(s, i, 0);
    goto unquoted;

quoted:                         /* ST_ATTR_VALUE_DQ / _SQ, "<x y=\"" */
    p = find_byte(buf + i, buf + len, q);
    if (!p) {
        s->state = q == '"' ? ST_ATTR_VALUE_DQ : ST_ATTR_VALUE_SQ;
        return len;
    }
    i = (size_t)(p - buf);
    value_end(s, i);
    i++;
    /* fall through */
after_quoted:                   /* ST_AFTER_ATTR_VALUE_Q, "<x y=\"z\"" */
    if (i == len) {
        s->state = ST_AFTER_ATTR_VALUE_Q;
        return len;
    }
    c = buf[i];
    if (WS(c)) {
        i++;
        goto before_name;
    }
    if (c == '/') {
        i++;
        goto self_closing;
    }
    if (c == '>')
        goto done;
    goto before_name;           /* reconsume */

unquoted:                       /* ST_ATTR_VALUE_UQ, "<x y=z" */
    i = find(uq_delim_tab, buf, i, len);
    if (i == len) {
        s->state = ST_ATTR_VALUE_UQ;
        return len;
    }
    value_end(s, i);
    if (buf[i] == '>')
        goto done;
    i++;
    goto before_name;

self_closing:                   /* ST_SELF_CLOSING, "<x /" */
    if (i == len) {
        s->state = ST_SELF_CLOSING;
        return len;
    }
    if (buf[i] != '>')
        goto before_name;       /* reconsume */
    s->self_closing = 1;

done:                           /* buf[i] is the tag's '>' */
    s->state = tag_done(s, i);
    return i + 1;
}

#ifdef __SSE2__
/* The usual tag name, 16 bytes at once: p has 16 readable bytes; if a
   delimiter ends the name within 15 and it has no NUL, store it lower-cased
   and zero-padded in out[16] and return its length; else return 0. */
static size_t short_name_sse2(const char *p, char *out)
{
    const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    const __m128i idx = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                      12, 13, 14, 15);
    __m128i d, valid, up;
    unsigned m;
    int k;

    d = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
                                  _mm_cmpeq_epi8(x, _mm_set1_epi8('/'))),
                     _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('>')),
                                  _mm_cmpeq_epi8(x, _mm_set1_epi8('\t')))),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
                                  _mm_cmpeq_epi8(x, _mm_set1_epi8('\f'))),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\r'))));
    m = (unsigned)_mm_movemask_epi8(d);
    if (!m)
        return 0;
    k = __builtin_ctz(m);
    valid = _mm_cmpgt_epi8(_mm_set1_epi8((char)k), idx);
    if (_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x, _mm_setzero_si128()),
                                        valid)))
        return 0;                       /* a NUL: the byte-wise path */
    up = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
                       _mm_cmpgt_epi8(_mm_set1_epi8('Z' + 1), x));
    _mm_storeu_si128((__m128i *)(void *)out,
                     _mm_and_si128(_mm_or_si128(x, _mm_and_si128(up,
                                                _mm_set1_epi8(0x20))), valid));
    return (size_t)k;
}
#endif

/* ST_TAG_NAME ("<x", "</x") at buf[i], then the attributes. */
static size_t scan_tag_name(sri_scanner *s, size_t i)
{
    const char *buf = s->buf;
    const size_t len = s->len;
    size_t n = s->name_len;
    uint64_t w[2];
    char c;

    /* The name is assembled in two words and stored at once, so that the
       lookup that follows reads it back without a store-forwarding stall.
       A NUL becomes 0xff (U+FFFD matches no known name). */
#ifdef __SSE2__
    if (n == 0 && len - i >= 16) {
        size_t k = short_name_sse2(buf + i, s->name);
        if (k) {
            s->name_len = k;
            i += k;
            goto named;
        }
    }
#endif
    memcpy(w, s->name, sizeof w);
    for (; i < len && !delim_tab[(unsigned char)(c = buf[i])]; i++, n++) {
        unsigned char b = c ? (unsigned char)LOWER(c) : 0xff;
        if (n < NAME_MAX_KEPT)
            w[n >> 3] |= (uint64_t)b << NAME_SHIFT(n & 7);
        if (!c)
            s->name_bad = 1;
    }
    memcpy(s->name, w, sizeof w);
    s->name_len = n;
    if (i == len) {
        s->state = ST_TAG_NAME;
        return len;
    }
#ifdef __SSE2__
named:
#endif
    name_done(s);
    c = buf[i];
    if (c == '>') {
        s->state = tag_done(s, i);
        return i + 1;
    }
    s->state = c == '/' ? ST_SELF_CLOSING : ST_BEFORE_ATTR_NAME;
    return scan_attrs(s, i + 1);
}

static void scan(sri_scanner *s)
{
    const char *buf = s->buf;
    const size_t len = s->len;
    size_t i = 0;
    const char *p;
    char c;

    while (i < len && !s->err) {
        switch (s->state) {
        case ST_DATA:
            /* The hot loop: text, then a whole tag, as long as the tags
               leave the tokenizer in the data state. */
            do {
                p = find_byte(buf + i, buf + len, '<');
                if (!p) {
                    data_text(s, buf + i, len - i);
                    i = len;
                    break;
                }
                if (s->tree.frameset_ok)
                    data_text(s, buf + i, (size_t)(p - (buf + i)));
                i = (size_t)(p - buf);
                tag_begin(s, i, 0);
                i++;
                if (i + 1 < len && buf[i] == '/' && ALPHA(buf[i + 1])) {
                    s->is_end = 1;          /* "</x": end tag name */
                    i = scan_tag_name(s, i + 1);
                } else if (i < len && ALPHA(buf[i])) {
                    i = scan_tag_name(s, i);
                } else {
                    s->state = ST_TAG_OPEN;
                }
            } while (s->state == ST_DATA && i < len && !s->err);
            break;

        case ST_RCDATA:
        case ST_RAWTEXT:
        case ST_SCRIPT:
            p = memchr(buf + i, '<', len - i);
            if (!p) {
                i = len;
                break;
            }
            i = (size_t)(p - buf) + 1;
            s->state = ST_RAW_LT;
            break;

        case ST_PLAINTEXT:
            i = len;
            break;

        case ST_RAW_LT:
            c = buf[i];
            if (c == '/') {
                i++;
                s->state = ST_RAW_END_OPEN;
            } else if (c == '!' && s->text == ST_SCRIPT) {
                i++;
                s->state = ST_SCRIPT_ESC_START;
            } else if (ALPHA(c) && s->text == ST_SCRIPT_ESC) {
                s->k = 0;
                s->kbad = 0;
                s->state = ST_SCRIPT_DESC_START;
            } else {
                s->state = s->text;
            }
            break;

        case ST_RAW_END_OPEN:
            if (ALPHA(buf[i])) {
                s->k = 0;
                s->state = ST_RAW_END_NAME;
            } else {
                s->state = s->text;
            }
            break;

        case ST_RAW_END_NAME:
            c = buf[i];
            if (ALPHA(c)) {
                if (s->k < s->raw_name_len && LOWER(c) == s->raw_name[s->k]) {
                    s->k++;
                    i++;
                } else {
                    s->state = s->text;     /* not the appropriate end tag */
                }
            } else if (delim_tab[(unsigned char)c] && s->k == s->raw_name_len) {
                /* The appropriate end tag: tokenize it as a tag. */
                tag_begin(s, i, 1);
                memcpy(s->name, s->raw_name, sizeof s->name);
                s->name_len = s->raw_name_len;
                s->state = ST_TAG_NAME;     /* sees the delimiter */
            } else {
                s->state = s->text;
            }
            break;

        case ST_SCRIPT_ESC_START:
            if (buf[i] == '-') {
                i++;
                s->state = ST_SCRIPT_ESC_START_DASH;
            } else {
                s->state = ST_SCRIPT;
            }
            break;

        case ST_SCRIPT_ESC_START_DASH:
            if (buf[i] == '-') {
                i++;
                s->text = ST_SCRIPT_ESC;
                s->state = ST_SCRIPT_ESC_DASH_DASH;
            } else {
                s->state = ST_SCRIPT;
            }
            break;

        case ST_SCRIPT_ESC:
            i = find(esc_tab, buf, i, len);
            if (i == len)
                break;
            s->state = buf[i] == '-' ? ST_SCRIPT_ESC_DASH : ST_RAW_LT;
            i++;
            break;

        case ST_SCRIPT_ESC_DASH:
        case ST_SCRIPT_ESC_DASH_DASH:
            c = buf[i++];
            if (c == '-')
                s->state = ST_SCRIPT_ESC_DASH_DASH;
            else if (c == '<')
                s->state = ST_RAW_LT;
            else if (c == '>' && s->state == ST_SCRIPT_ESC_DASH_DASH)
                s->state = s->text = ST_SCRIPT;
            else
                s->state = ST_SCRIPT_ESC;
            break;

        case ST_SCRIPT_DESC_START:
        case ST_SCRIPT_DESC_END:
            c = buf[i];
            if (delim_tab[(unsigned char)c]) {
                int is_script = !s->kbad && s->k == 6;
                i++;
                if (s->state == ST_SCRIPT_DESC_START)
                    s->state = is_script ? ST_SCRIPT_DESC : ST_SCRIPT_ESC;
                else
                    s->state = is_script ? ST_SCRIPT_ESC : ST_SCRIPT_DESC;
            } else if (ALPHA(c)) {
                if (s->kbad || s->k >= 6 || LOWER(c) != "script"[s->k])
                    s->kbad = 1;
                else
                    s->k++;
                i++;
            } else {
                s->state = s->state == ST_SCRIPT_DESC_START ? ST_SCRIPT_ESC
                                                            : ST_SCRIPT_DESC;
            }
            break;

        case ST_SCRIPT_DESC:
            i = find(esc_tab, buf, i, len);
            if (i == len)
                break;
            s->state = buf[i] == '-' ? ST_SCRIPT_DESC_DASH : ST_SCRIPT_DESC_LT;
            i++;
            break;

        case ST_SCRIPT_DESC_DASH:
        case ST_SCRIPT_DESC_DASH_DASH:
            c = buf[i++];
            if (c == '-')
                s->state = ST_SCRIPT_DESC_DASH_DASH;
            else if (c == '<')
                s->state = ST_SCRIPT_DESC_LT;
            else if (c == '>' && s->state == ST_SCRIPT_DESC_DASH_DASH)
                s->state = s->text = ST_SCRIPT;
            else
                s->state = ST_SCRIPT_DESC;
            break;

        case ST_SCRIPT_DESC_LT:
            if (buf[i] == '/') {
                i++;
                s->k = 0;
                s->kbad = 0;
                s->state = ST_SCRIPT_DESC_END;
            } else {
                s->state = ST_SCRIPT_DESC;
            }
            break;

        case ST_TAG_OPEN:
            c = buf[i];
            if (ALPHA(c)) {
                s->state = ST_TAG_NAME;
                break;
            }
            release_hold(s);        /* "<" alone was held */
            if (c == '!') {
                i++;
                s->state = ST_MARKUP_OPEN;
            } else if (c == '/') {
                i++;
                s->state = ST_END_TAG_OPEN;
            } else if (c == '?') {
                s->state = ST_BOGUS_COMMENT;
            } else {
                sri_tree_text(&s->tree);    /* the '<' is text */
                s->state = ST_DATA;
            }
            break;

        case ST_END_TAG_OPEN:
            c = buf[i];
            if (ALPHA(c)) {
                s->is_end = 1;
                s->state = ST_TAG_NAME;
            } else if (c == '>') {          /* "</>" is dropped */
                i++;
                s->state = ST_DATA;
            } else {
                s->state = ST_BOGUS_COMMENT;
            }
            break;

        case ST_TAG_NAME:
            i = scan_tag_name(s, i);
            break;

        case ST_BEFORE_ATTR_NAME:
        case ST_ATTR_NAME:
        case ST_AFTER_ATTR_NAME:
        case ST_BEFORE_ATTR_VALUE:
        case ST_ATTR_VALUE_DQ:
        case ST_ATTR_VALUE_SQ:
        case ST_ATTR_VALUE_UQ:
        case ST_AFTER_ATTR_VALUE_Q:
        case ST_SELF_CLOSING:
            i = scan_attrs(s, i);
            break;

        case ST_MARKUP_OPEN:
            c = buf[i];
            s->k = 1;
            if (c == '-') {
                i++;
                s->state = ST_MD_DASH;
            } else if (c == 'd' || c == 'D') {
                i++;
                s->state = ST_MD_DOCTYPE;
            } else if (c == '[' && sri_tree_cdata_ok(&s->tree)) {
                i++;
                s->state = ST_MD_CDATA;
            } else {
                s->state = ST_BOGUS_COMMENT;
            }
            break;

        case ST_MD_DASH:
            if (buf[i] == '-') {
                i++;
                s->state = ST_COMMENT_START;
            } else {
                s->state = ST_BOGUS_COMMENT;
            }
            break;

        case ST_MD_DOCTYPE:
            /* A doctype ends at the first '>' in every DOCTYPE state, so
               after "<!DOCTYPE" it is scanned like a bogus comment. */
            if (LOWER(buf[i]) == "doctype"[s->k]) {
                i++;
                if (++s->k == 7)
                    s->state = ST_BOGUS_COMMENT;
            } else {
                s->state = ST_BOGUS_COMMENT;
            }
            break;

        case ST_MD_CDATA:
            if (buf[i] == "[CDATA["[s->k]) {
                i++;
                if (++s->k == 7)
                    s->state = ST_CDATA;
            } else {
                s->state = ST_BOGUS_COMMENT;
            }
            break;

        case ST_COMMENT_START:
        case ST_COMMENT_START_DASH:
            c = buf[i];
            if (c == '-') {
                i++;
                s->state = s->state == ST_COMMENT_START ? ST_COMMENT_START_DASH
                                                        : ST_COMMENT_END;
            } else if (c == '>') {          /* "<!-->" and "<!--->" */
                i++;
                s->state = ST_DATA;
            } else {
                s->state = ST_COMMENT;
            }
            break;

        case ST_COMMENT:
            p = memchr(buf + i, '-', len - i);
            if (!p) {
                i = len;
                break;
            }
            i = (size_t)(p - buf) + 1;
            s->state = ST_COMMENT_END_DASH;
            break;

        case ST_COMMENT_END_DASH:
            if (buf[i] == '-') {
                i++;
                s->state = ST_COMMENT_END;
            } else {
                s->state = ST_COMMENT;
            }
            break;

        case ST_COMMENT_END:
            c = buf[i];
            if (c == '>') {
                i++;
                s->state = ST_DATA;
            } else if (c == '!') {
                i++;
                s->state = ST_COMMENT_END_BANG;
            } else if (c == '-') {
                i++;
            } else {
                s->state = ST_COMMENT;
            }
            break;

        case ST_COMMENT_END_BANG:           /* "--!>" ends a comment */
            c = buf[i];
            if (c == '-') {
                i++;
                s->state = ST_COMMENT_END_DASH;
            } else if (c == '>') {
                i++;
                s->state = ST_DATA;
            } else {
                s->state = ST_COMMENT;
            }
            break;

        case ST_BOGUS_COMMENT:
            p = memchr(buf + i, '>', len - i);
            if (!p) {
                i = len;
                break;
            }
            i = (size_t)(p - buf) + 1;
            s->state = ST_DATA;
            break;

        case ST_CDATA:
            p = memchr(buf + i, ']', len - i);
            if (!p) {
                i = len;
                break;
            }
            i = (size_t)(p - buf) + 1;
            s->state = ST_CDATA_BRACKET;
            break;

        case ST_CDATA_BRACKET:
            if (buf[i] == ']') {
                i++;
                s->state = ST_CDATA_END;
            } else {
                s->state = ST_CDATA;
            }
            break;

        case ST_CDATA_END:
            c = buf[i];
            if (c == ']') {
                i++;
            } else if (c == '>') {
                i++;
                s->state = ST_DATA;
            } else {
                s->state = ST_CDATA;
            }
            break;
        }
    }
}

/* Is the scanner inside a start tag it must hold at the end of a chunk? */
static int must_hold(const sri_scanner *s)
{
    switch (s->state) {
    case ST_TAG_OPEN:
        return !s->overflowed;
    case ST_TAG_NAME:
        return !s->overflowed && could_be_interesting(s);
    case ST_BEFORE_ATTR_NAME: case ST_ATTR_NAME: case ST_AFTER_ATTR_NAME:
    case ST_BEFORE_ATTR_VALUE: case ST_ATTR_VALUE_DQ: case ST_ATTR_VALUE_SQ:
    case ST_ATTR_VALUE_UQ: case ST_AFTER_ATTR_VALUE_Q: case ST_SELF_CLOSING:
        return s->interest != 0;
    default:
        return 0;
    }
}

sri_scanner *sri_scan_create(const sri_scan_sink *sink, size_t max_tag_len)
{
    sri_scanner *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->sink = *sink;
    s->max_tag = max_tag_len ? max_tag_len : SRI_SCAN_DEFAULT_MAX_TAG;
    s->state = ST_DATA;
    s->text = ST_DATA;
    sri_tree_init(&s->tree);
    return s;
}

int sri_scan_feed(sri_scanner *s, const char *buf, size_t len)
{
    if (s->err || len == 0)
        return s->err;
    s->buf = buf;
    s->len = len;
    s->emit = 0;
    scan(s);
    if (!s->err) {
        if (must_hold(s)) {
            size_t from = s->holding ? 0 : s->tag_start;
            size_t total = s->hold_len + (len - from);
            if (total > s->max_tag) {
                overflow(s, total);     /* passes what was held */
                flush_to(s, len);
            } else {
                flush_to(s, from);
                if (hold_append(s, buf + from, len - from) < 0)
                    s->err = -1;
                s->holding = 1;
                s->emit = len;
            }
        } else {
            release_hold(s);
            flush_to(s, len);
        }
    }
    s->abs += len;
    s->buf = NULL;
    s->len = 0;
    return s->err;
}

int sri_scan_finish(sri_scanner *s)
{
    if (!s->err && s->holding) {
        do_pass(s, s->hold, s->hold_len);
    }
    s->holding = 0;
    s->hold_len = 0;
    return s->err;
}

size_t sri_scan_held(const sri_scanner *s)
{
    return s->holding ? s->hold_len : 0;
}

void sri_scan_destroy(sri_scanner *s)
{
    if (s) {
        free(s->hold);
        free(s);
    }
}
