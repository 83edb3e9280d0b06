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
 * (into the hold buffer).  This file has the API and drives the scan: the
 * data and tag states, and what to hold at the end of a chunk.  Below it,
 * and called only from above: the fast lane for runs of common tags
 * (sri_scan_lane.c), the text, comment and CDATA states
 * (sri_scan_text.c), the decisions and edits (sri_scan_edit.c), the
 * output and the hold buffer (sri_scan_output.c), the tree-construction
 * facts (sri_scan_tree.c).
 *
 * The input is assumed to be in an ASCII-compatible encoding (UTF-8,
 * windows-1252, ...): all delimiters are ASCII.
 */
#include <stdlib.h>
#include <string.h>
#include "html/sri_scan_int.h"

/* The held tag turned out not to be of interest (or overflowed): pass what
   is held (sri_scan_hold_release(), called only when something is). */
static inline void release_hold(sri_scanner *s)
{
    if (s->holding)
        sri_scan_hold_release(s);
}

/* ---- tags -------------------------------------------------------------- */

/* Offset of buf[i] in the current tag. */
static size_t tag_offset(const sri_scanner *s, size_t i)
{
    return (size_t)(s->abs + i - s->tag_abs);
}

static void tag_begin(sri_scanner *s, size_t i, int is_end)
{
    s->is_end = is_end;
    s->raw_end = is_end;        /* only ST_RAW_END_TAG begins end tags */
    memset(s->name, 0, sizeof s->name);
    s->name_len = 0;
    s->name_bad = 0;
    s->interest = 0;
    s->overflowed = 0;
    s->self_closing = 0;
    s->missing_value = 0;
    s->want_text = 0;
    s->cur = NULL;
    s->nraw = 0;
    s->attrs_dropped = 0;
    s->tag_abs = s->abs + i;    /* i: the '<' (the delimiter after the
                                   name for a raw text end tag)          */
    s->tag_start = i;
}

static int could_be_interesting(const sri_scanner *s)
{
    /* During "<" and "<x": may the name still become one we hold? */
    static const char *const held[] = { "script", "link", "base", "font",
                                        "annotation-xml", "input", "iframe" };
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

    if (s->is_end) {            /* flags later, if the fast pop fails */
        release_hold(s);
        return;
    }
    s->flags = f = sri_tree_name_flags(s->name, s->name_len);
    if (!f) {                   /* the fast path: nothing to hold */
        release_hold(s);
        return;
    }
    if (f & (SRI_NAME_SCRIPT | SRI_NAME_LINK | SRI_NAME_BASE)) {
        /* (a <base> in a <template> belongs to the template's content, a
           document of its own: it sets no base URL for this one) */
        if (sri_tree_start_is_html(&s->tree, f)
            && !sri_tree_start_ignored(&s->tree, f)
            && !((f & SRI_NAME_BASE) && sri_tree_in_template(&s->tree)))
            s->interest = (f & SRI_NAME_SCRIPT) ? SRI_TAG_SCRIPT
                        : (f & SRI_NAME_LINK) ? SRI_TAG_LINK : SRI_TAG_BASE;
        else if ((f & SRI_NAME_SCRIPT) && !sri_tree_start_is_html(&s->tree, f)
                 && !sri_tree_in_math(&s->tree)
                 && !sri_tree_start_ignored(&s->tree, f))
            /* an SVG <script> (in MathML it is an element like any
               other): the rewriter must see what it loads */
            s->interest = SRI_TAG_SVG_SCRIPT;
        if (s->interest && s->overflowed) {
            /* It outgrew the bound while its name was still being read
               (tiny max_tag_len): hand the overflow on now, as a whole
               chunk would have. */
            s->interest = 0;
            if (s->dec.on_overflow)
                s->dec.on_overflow(s->dec.ctx, s->name_len + 1);
        }
    } else if (s->overflowed) {
        ;
    } else if (s->name_len == 6 && memcmp(s->name, "iframe", 6) == 0) {
        /* its srcdoc is a page of its own: the rewriter rewrites it */
        if (sri_tree_start_is_html(&s->tree, f)
            && !sri_tree_start_ignored(&s->tree, f))
            s->interest = SRI_TAG_IFRAME;
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
    if (s->interest && s->nraw == MAX_ATTRS && s->interest != SRI_TAG_BASE)
        s->attrs_dropped = 1;   /* a <base> is still read: its first href
                                   sets the base URL, as before */
    if (s->interest && s->nraw < MAX_ATTRS) {
        s->cur = &s->raw[s->nraw++];
        s->cur->name_off = tag_offset(s, i);
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
        s->cur->name_len = tag_offset(s, i) - s->cur->name_off;
}

static void value_begin(sri_scanner *s, size_t i, char quote)
{
    if (s->cur) {
        s->cur->has_value = 1;
        s->cur->quote = quote;
        s->cur->value_off = tag_offset(s, i);
    }
}

static void value_end(sri_scanner *s, size_t i)
{
    if (s->cur) {
        s->cur->value_len = tag_offset(s, i) - s->cur->value_off;
        s->cur = NULL;
    }
}

/* The current tag outgrew max_tag: pass it unmodified, tell on_overflow()
   when it was one of interest. */
static void tag_overflow(sri_scanner *s, size_t tag_len)
{
    int kind = s->interest;

    release_hold(s);
    s->interest = 0;
    s->overflowed = 1;
    s->cur = NULL;
    if (kind && kind < KIND_FONT && s->dec.on_overflow)
        s->dec.on_overflow(s->dec.ctx, tag_len);
}

/* The '>' at buf[i] ends the current tag.  Returns the next state. */
static scan_state tag_done(sri_scanner *s, size_t i)
{
    unsigned facts = 0;
    int wanted = 0;
    sri_text_mode mode;

    if (s->is_end) {
        /* The end tag of a raw text / RCDATA element pops just that element,
           which the tree model never pushed. */
        if (!s->raw_end && !sri_tree_end_fast(&s->tree, s->name, s->name_len))
            sri_tree_end(&s->tree, s->name, s->name_len,
                         sri_tree_name_flags(s->name, s->name_len));
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
                tag_overflow(s, raw_len);
                goto tree;
            }
            if (sri_scan_hold_append(s, s->buf, i + 1) < 0)
                return ST_DATA;
            raw = s->hold;
        } else {
            raw = s->buf + s->tag_start;
            raw_len = i + 1 - s->tag_start;
            if (raw_len > s->max_tag) {
                tag_overflow(s, raw_len);
                goto tree;
            }
        }
        if (s->interest >= KIND_FONT) {
            sri_tag tag;
            sri_scan_build_attrs(s, raw, &tag);
            if (sri_tag_attr(&tag, "color") || sri_tag_attr(&tag, "face")
                || sri_tag_attr(&tag, "size"))
                facts |= SRI_FACT_FONT_BREAKS;
            if (sri_scan_value_ieq(sri_tag_attr(&tag, "encoding"), "text/html")
                || sri_scan_value_ieq(sri_tag_attr(&tag, "encoding"),
                             "application/xhtml+xml"))
                facts |= SRI_FACT_ANNOT_HTML;
            if (sri_scan_value_ieq(sri_tag_attr(&tag, "type"), "hidden"))
                facts |= SRI_FACT_INPUT_HIDDEN;
            if (s->holding) {   /* hold now ends with buf[0, i] */
                sri_scan_hold_release(s);
                s->emit = i + 1;
            }
        } else {
            sri_scan_flush_to(s, s->holding ? 0 : s->tag_start);
            sri_scan_edit_tag(s, raw, raw_len);
            sri_scan_hold_clear(s);
            s->emit = i + 1;
        }
    }
tree:
    mode = sri_tree_start(&s->tree, s->name, s->name_len, s->flags,
                          s->self_closing, facts, &wanted);
    switch (mode) {
    case SRI_TEXT_RCDATA:   s->text_state = ST_RCDATA;   break;
    case SRI_TEXT_RAWTEXT:  s->text_state = ST_RAWTEXT;  break;
    case SRI_TEXT_SCRIPT:
        s->text_state = ST_SCRIPT;
        if (s->want_text) {     /* hold the text from buf[i + 1] on */
            s->capture = 1;
            s->text_abs = s->abs + i + 1;
        }
        break;
    case SRI_TEXT_PLAINTEXT: return ST_PLAINTEXT;
    default:                return ST_DATA;
    }
    memcpy(s->raw_name, s->name, sizeof s->raw_name);  /* known name */
    s->raw_name_len = s->name_len;
    return s->text_state;
}

/* ---- the state machine ------------------------------------------------- */

/* The attribute states, from state `from` at buf[i], as one tight
   automaton (direct jumps, the state stored only when the chunk ends).
   Two modes, from one text so that they cannot disagree on where a tag
   ends: scan_attrs() records the attributes of a tag of interest, keeps
   its state across chunks and ends the tag (tag_done); skip_attrs() only
   finds the end of a tag whose attributes matter to nobody (the fast
   lane) and gives up at the end of the chunk.  Returns the index after
   the tag's '>' (scanning: the tag is done and s->state is what follows
   it), or at the end of the chunk len (scanning) or 0 (skipping). */
#define AT_CHUNK_END(st)                                                    \
    do {                                                                    \
        if (skip)                                                           \
            return 0;                                                       \
        s->state = (st);                                                    \
        return len;                                                         \
    } while (0)
#define RECORD(call)                                                        \
    do {                                                                    \
        if (!skip)                                                          \
            call;                                                           \
    } while (0)

static inline __attribute__((always_inline))
size_t attrs_automaton(sri_scanner *s, scan_state from, size_t i,
                       const int skip)
{
    const char *buf = s->buf, *p;
    const size_t len = s->len;
    char c, q = '"';

    switch (from) {
    case ST_BEFORE_ATTR_NAME:   goto before_name;
    case ST_ATTR_NAME:          goto name;
    case ST_AFTER_ATTR_NAME:    goto after_name;
    case ST_BEFORE_ATTR_VALUE:  goto before_value;
    case ST_ATTR_VALUE_SQ:      q = '\'';   /* fall through */
    case ST_ATTR_VALUE_DQ:      goto quoted;
    case ST_ATTR_VALUE_UQ:      goto unquoted;
    case ST_AFTER_ATTR_VALUE_Q: goto after_quoted;
    case ST_SELF_CLOSING:       goto self_closing;
    default:                    return skip ? 0 : i;
    }

before_name:                    /* ST_BEFORE_ATTR_NAME, "<x " */
    while (i < len && WS(buf[i]))
        i++;
    if (i == len)
        AT_CHUNK_END(ST_BEFORE_ATTR_NAME);
    c = buf[i];
    if (c == '/') {
        i++;
        goto self_closing;
    }
    if (c == '>')
        goto done;
    RECORD(attr_begin(s, i));   /* a leading '=' is part of the name */
    i++;
    /* fall through */
name:                           /* ST_ATTR_NAME, "<x y" */
    i = find_ws_or(attr_name_end_tab, buf, i, len, '/', '>', '=');
    if (i == len)
        AT_CHUNK_END(ST_ATTR_NAME);
    RECORD(attr_name_end(s, i));
    if (buf[i] == '=') {
        i++;
        goto before_value;
    }
    /* fall through */
after_name:                     /* ST_AFTER_ATTR_NAME, "<x y " */
    while (i < len && WS(buf[i]))
        i++;
    if (i == len)
        AT_CHUNK_END(ST_AFTER_ATTR_NAME);
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
    RECORD(attr_begin(s, i));
    i++;
    goto name;

before_value:                   /* ST_BEFORE_ATTR_VALUE, "<x y=" */
    while (i < len && WS(buf[i]))
        i++;
    if (i == len)
        AT_CHUNK_END(ST_BEFORE_ATTR_VALUE);
    c = buf[i];
    if (c == '"' || c == '\'') {
        q = c;
        i++;
        RECORD(value_begin(s, i, c));
        goto quoted;
    }
    if (c == '>') {             /* "<x y=>": an empty value */
        RECORD(value_begin(s, i, 0));
        RECORD(value_end(s, i));
        RECORD(s->missing_value = 1);
        goto done;
    }
    RECORD(value_begin(s, i, 0));
    goto unquoted;

quoted:                         /* ST_ATTR_VALUE_DQ / _SQ, "<x y=\"" */
    p = find_byte(buf + i, buf + len, q);
    if (!p)
        AT_CHUNK_END(q == '"' ? ST_ATTR_VALUE_DQ : ST_ATTR_VALUE_SQ);
    i = (size_t)(p - buf);
    RECORD(value_end(s, i));
    i++;
    /* fall through */
after_quoted:                   /* ST_AFTER_ATTR_VALUE_Q, "<x y=\"z\"" */
    if (i == len)
        AT_CHUNK_END(ST_AFTER_ATTR_VALUE_Q);
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
    i = find_ws_or(unquoted_end_tab, buf, i, len, '>', '>', '>');
    if (i == len)
        AT_CHUNK_END(ST_ATTR_VALUE_UQ);
    RECORD(value_end(s, i));
    if (buf[i] == '>')
        goto done;
    i++;
    goto before_name;

self_closing:                   /* ST_SELF_CLOSING, "<x /" */
    if (i == len)
        AT_CHUNK_END(ST_SELF_CLOSING);
    if (buf[i] != '>')
        goto before_name;       /* reconsume */
    RECORD(s->self_closing = 1);

done:                           /* buf[i] is the tag's '>' */
    if (skip)
        return i + 1;
    s->state = tag_done(s, i);
    return i + 1;
}
#undef AT_CHUNK_END
#undef RECORD

static size_t scan_attrs(sri_scanner *s, size_t i)
{
    return attrs_automaton(s, s->state, i, 0);
}

static inline size_t skip_attrs(sri_scanner *s, scan_state from, size_t i)
{
    return attrs_automaton(s, from, i, 1);
}

/* ---- the fast lane without masks -------------------------------------- */

/* Bytes the fast lane needs from the '<': a 16-byte name load at i + 2. */
#define FAST_MIN 32

/* Most tags of a page are <a>, </a>, <td class="x">, </div>: not of
   interest, whole in the chunk, and changing the tree model only in the
   ways sri_tree_start_fast()/sri_tree_end_fast() handle.  For such a tag
   at buf[i] ('<', FAST_MIN bytes readable) do exactly what the general
   path would -- the same tree update, the same end of tag (skip_attrs(),
   the general path's own automaton) -- without its bookkeeping, and
   return the index after its '>'.  Anything else returns 0 having changed
   nothing, and the general path takes the tag from its '<'.  With SSE2,
   most tags take the lane with masks (sri_scan_lane.c) before this. */
static inline __attribute__((always_inline))
size_t fast_tag(sri_scanner *s, size_t i)
{
    const char *buf = s->buf;
    char name[NAME_MAX_KEPT] __attribute__((aligned(16)));
    size_t k, n, j;
    unsigned f = 0;
    int is_end = buf[i + 1] == '/';

    if (!ALPHA(buf[i + 1 + is_end]))
        return 0;
    k = short_name(buf + i + 1 + is_end, name);
    if (!k)
        return 0;
    if (is_end) {                       /* "</x": closes the current node? */
        if (!sri_tree_end_fast_ok(&s->tree, &s->tree.pos, name, k))
            return 0;
    } else {                            /* "<x" */
        f = name_flags(s, name, k);
        if ((f & HELD_NAMES)
            || !sri_tree_start_fast_ok(&s->tree, &s->tree.pos, f))
            return 0;
    }
    n = i + 1 + is_end + k;             /* the name's delimiter */
    /* at the delimiter: white space and '/' lead where the tag name state
       would */
    j = buf[n] == '>' ? n + 1 : skip_attrs(s, ST_BEFORE_ATTR_NAME, n);
    if (!j)
        return 0;                       /* it ends in a later chunk */
    if (is_end)
        s->tree.pos.depth--;
    else
        sri_tree_start_fast_do(&s->tree, &s->tree.pos, name, k, f);
    return j;
}

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
    if (n == 0 && len - i >= 16) {
        size_t k = short_name(buf + i, s->name);
        if (k) {
            s->name_len = k;
            i += k;
            goto named;
        }
    }
    memcpy(w, s->name, sizeof w);
    for (; i < len && !name_end_tab[(unsigned char)(c = buf[i])]; i++, n++) {
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
named:
    name_done(s);
    c = buf[i];
    if (c == '>') {
        s->state = tag_done(s, i);
        return i + 1;
    }
    s->state = c == '/' ? ST_SELF_CLOSING : ST_BEFORE_ATTR_NAME;
    return scan_attrs(s, i + 1);
}

/* ST_DATA ("" or "<x>") at buf[i]: the hot loop.  Text up to a '<', then
   a whole tag, as long as the tags leave the tokenizer in the data state;
   returns where it stopped (len, or a tag that went elsewhere).  Common
   tags go by the fast lane, with masks where SSE2 is there. */
static size_t scan_data(sri_scanner *s, size_t i)
{
    const char *buf = s->buf, *p;
    const size_t len = s->len;

    for (;;) {
        p = find_byte(buf + i, buf + len, '<');
        if (!p) {
            note_data_text(s, buf + i, len - i);
            return len;
        }
        if (s->tree.frameset_ok)
            note_data_text(s, buf + i, (size_t)(p - (buf + i)));
        i = (size_t)(p - buf);
#ifdef SRI_SCAN_SSE2
        {
            size_t r = sri_scan_lane(s, i);
            if (r != i) {
                i = r;
                continue;
            }
        }
#endif
        if (len - i >= FAST_MIN) {      /* the fast lane changes no state */
            size_t end = fast_tag(s, i);
            if (end) {
                i = end;
                continue;
            }
        }
        tag_begin(s, i, 0);
        i++;
        if (i + 1 < len && buf[i] == '/' && ALPHA(buf[i + 1])) {
            s->is_end = 1;              /* "</x": end tag name */
            i = scan_tag_name(s, i + 1);
        } else if (i < len && ALPHA(buf[i])) {
            i = scan_tag_name(s, i);
        } else {
            s->state = ST_TAG_OPEN;
        }
        if (s->state != ST_DATA || i >= len || s->err)
            return i;
    }
}

static void scan(sri_scanner *s)
{
    const char *buf = s->buf;
    const size_t len = s->len;
    size_t i = 0;
    char c;

    while (i < len && !s->err) {
        switch (s->state) {
        case ST_DATA:
            i = scan_data(s, i);
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

        case ST_RAW_END_TAG:    /* <style>...</style  and a delimiter */
            /* The appropriate end tag of raw text: held script text ends
               at its "</"; then it is tokenized as an end tag, from the
               delimiter at buf[i]. */
            if (s->capture)
                sri_scan_edit_text(s, s->abs + i - 2 - s->raw_name_len);
            tag_begin(s, i, 1);
            memcpy(s->name, s->raw_name, sizeof s->name);
            s->name_len = s->raw_name_len;
            s->state = ST_TAG_NAME;
            break;

        default:
            /* raw text, script data, comments, CDATA: sri_scan_text.c */
            i = sri_scan_text_step(s, i);
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

/* End of a chunk in held script text: hold the rest of the chunk, unless
   the text outgrows max_tag.  The bytes of a possible end tag ("</scr" in
   ST_RAW_* states) do not count: they may not be text, and a bound that
   counted them would depend on where the stream is cut. */
static void hold_script_text(sri_scanner *s)
{
    size_t n = s->len - s->emit, pending = 0;

    switch (s->state) {
    case ST_RAW_LT:         pending = 1; break;
    case ST_RAW_END_OPEN:   pending = 2; break;
    case ST_RAW_END_NAME:   pending = 2 + s->matched; break;
    default: break;
    }
    if (s->hold_len + n - pending > s->max_tag) {
        sri_scan_text_overflow(s, s->hold_len + n - pending);
        sri_scan_flush_to(s, s->len);
        return;
    }
    sri_scan_hold_rest(s, s->emit);
}

sri_scanner *sri_scan_create(const sri_scan_output *out,
                             const sri_scan_decisions *dec, size_t max_tag_len)
{
    sri_scanner *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->out = *out;
    s->dec = *dec;
    s->max_tag = max_tag_len ? max_tag_len : SRI_SCAN_DEFAULT_MAX_TAG;
    s->state = ST_DATA;
    s->text_state = ST_DATA;
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
        if (s->capture) {
            hold_script_text(s);
        } else if (must_hold(s)) {
            size_t from = s->holding ? 0 : s->tag_start;
            size_t total = s->hold_len + (len - from);
            if (total > s->max_tag) {
                tag_overflow(s, total);     /* passes what was held */
                sri_scan_flush_to(s, len);
            } else {
                sri_scan_hold_rest(s, from);
            }
        } else {
            release_hold(s);
            sri_scan_flush_to(s, len);
        }
    }
    s->abs += len;
    s->buf = NULL;
    s->len = 0;
    return s->err;
}

int sri_scan_finish(sri_scanner *s)
{
    sri_scan_hold_release(s);   /* nothing once an error is sticky */
    s->capture = 0;             /* held text passed unmodified */
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
