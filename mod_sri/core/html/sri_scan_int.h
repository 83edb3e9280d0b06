/*
 * sri_scan_int.h -- the scanner's internals, shared by its source files.
 *
 * Why: the scanner is one state machine split over four files, each of
 * which calls only the ones below it:
 *
 *   sri_scan.c         the API and the driver: the data and tag states (the
 *                      hot path), what to hold at the end of a chunk
 *   sri_scan_text.c    raw text, script data, comments, CDATA: where text
 *                      ends (it calls nothing of the others)
 *   sri_scan_edit.c    handing a tag or script text to the decisions and
 *                      passing it, edited
 *   sri_scan_output.c  passing bytes to the output, the hold buffer
 *
 * (and sri_scan_tree.c, the tree facts, below them all).  This header is
 * their common ground; it is not an interface.
 */
#ifndef SRI_SCAN_INT_H
#define SRI_SCAN_INT_H

#include <stdint.h>
#include <string.h>
#include "html/sri_scan.h"
#include "html/sri_scan_tree.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Attributes recorded for a tag of interest; beyond this many the rest of
   the tag is still tokenized but its attributes are not handed on. */
#define MAX_ATTRS 256

/* Internal kinds: tags held only so their attributes can be read (the
   tree builder needs them; they are never handed on or edited). */
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
    ST_RAW_END_TAG,         /* <style>...</style  and a delimiter: the
                               appropriate end tag, tokenized as a tag     */
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
    sri_scan_output    out;
    sri_scan_decisions dec;
    size_t        max_tag;
    int           err;          /* sticky non-zero callback result        */

    scan_state    state;
    scan_state    text_state;   /* text state to return to from ST_RAW_*   */
    char          raw_name[NAME_MAX_KEPT];  /* appropriate end tag name    */
    size_t        raw_name_len;
    size_t        matched;      /* bytes matched in multi-byte states      */
    int           mismatched;   /* the bytes read no longer match          */

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

    /* Script text held for on_text() (sri_scan_decisions.wants_text). */
    int           want_text;    /* wants_text() said 1 for the current tag */
    int           capture;      /* in such a script's text                 */
    uint64_t      text_abs;     /* stream offset of its first byte         */

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
    sri_attr      attrs[MAX_ATTRS];     /* duplicates removed           */
    sri_attr      all_attrs[MAX_ATTRS]; /* every one, in source order   */
    sri_edit      edits[SRI_SCAN_MAX_EDITS];
};

/* Byte classes (constant tables: thread-safe, no initialisation). */
#define WS(c)     ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\f' || (c) == '\r')
#define ALPHA(c)  ((unsigned char)(((c) | 0x20) - 'a') < 26)
#define LOWER(c)  ((char)(((unsigned char)((c) - 'A') < 26) ? (c) | 0x20 : (c)))

/* Bytes that end a tag name. */
static const unsigned char name_end_tab[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
    ['/'] = 1, ['>'] = 1
};
/* Bytes that end an attribute name. */
static const unsigned char attr_name_end_tab[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
    ['/'] = 1, ['>'] = 1, ['='] = 1
};
/* Bytes that end an unquoted attribute value. */
static const unsigned char unquoted_end_tab[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, ['>'] = 1
};
/* Bytes that matter in escaped script data. */
static const unsigned char dash_lt_tab[256] = { ['-'] = 1, ['<'] = 1 };

/* ---- shared helpers (inline: they are on the hot path) ------------------ */

/* Find the next byte with tab[c] set in buf[i, len); len if none. */
static inline size_t find_class(const unsigned char *tab, const char *buf,
                                size_t i, size_t len)
{
    while (i < len && !tab[(unsigned char)buf[i]])
        i++;
    return i;
}

/* memchr, but a short run is searched inline: on real pages the next '<'
   or quote is usually a few bytes away, where a library call costs more
   than it saves.  Runs longer than 64 bytes go to memchr. */
#ifdef __SSE2__
static inline const char *find_byte(const char *p, const char *end, char c)
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
static inline const char *find_byte(const char *p, const char *end, char c)
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

/* ---- sri_scan_output.c --------------------------------------------------- */

/* Pass p[0, n) to the output (nothing once an error is sticky); returns
   the sticky error. */
int sri_scan_pass(sri_scanner *s, const char *p, size_t n);
/* Pass bytes an edit inserts; same convention. */
int sri_scan_insert(sri_scanner *s, const char *p, size_t n);
/* Pass buf[emit, to) and move emit to it. */
void sri_scan_flush_to(sri_scanner *s, size_t to);
/* Append to the hold buffer; -1 (and the sticky error) when out of memory. */
int sri_scan_hold_append(sri_scanner *s, const char *p, size_t n);
/* End of a chunk inside what must be held: pass buf[emit, from), hold
   buf[from, len) after what is held already. */
void sri_scan_hold_rest(sri_scanner *s, size_t from);
/* Forget what is held: it has been passed, or consumed by an edit. */
void sri_scan_hold_clear(sri_scanner *s);
/* Pass what is held, then forget it (the rest of a held tag in this chunk
   passes with the following bytes: emit is still 0). */
void sri_scan_hold_release(sri_scanner *s);

/* ---- sri_scan_edit.c ----------------------------------------------------- */

/* Fill tag's attribute lists from s->raw over the contiguous tag bytes. */
void sri_scan_build_attrs(sri_scanner *s, const char *raw, sri_tag *tag);
/* Is a's value lower (ASCII case-insensitive)?  0 when a is NULL. */
int sri_scan_value_ieq(const sri_attr *a, const char *lower);
/* Hand the complete tag of interest raw[0, raw_len) to on_tag() and pass
   it with its edits; then ask wants_text() for a script. */
void sri_scan_edit_tag(sri_scanner *s, const char *raw, size_t raw_len);
/* Held script text reached text_len bytes, past max_tag: on_overflow(),
   pass what is held, let the rest stream. */
void sri_scan_text_overflow(sri_scanner *s, size_t text_len);
/* The held script text ends at stream offset end_abs (its end tag's '<'):
   hand it to on_text() and pass it, edited. */
void sri_scan_edit_text(sri_scanner *s, uint64_t end_abs);

/* ---- sri_scan_text.c ----------------------------------------------------- */

/* One step of a text, comment or CDATA state at buf[i] (i < len); returns
   the next index.  Leaves the text states only for ST_DATA (a comment or
   CDATA section ended) or ST_RAW_END_TAG (the appropriate end tag). */
size_t sri_scan_text_step(sri_scanner *s, size_t i);

#endif /* SRI_SCAN_INT_H */
