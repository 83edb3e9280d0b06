/*
 * sri_scan_int.h -- the scanner's internals, shared by its source files.
 *
 * Why: the scanner is one state machine split over five files, each of
 * which calls only the ones below it:
 *
 *   sri_scan.c         the API and the driver: the data and tag states,
 *                      what to hold at the end of a chunk
 *   sri_scan_lane.c    the fast lane with masks: runs of common tags (the
 *                      hot path; SSE2 builds, AVX2 where the CPU has it)
 *   sri_scan_text.c    raw text, script data, comments, CDATA: where text
 *                      ends
 *   sri_scan_edit.c    handing a tag or script text to the decisions and
 *                      passing it, edited
 *   sri_scan_output.c  passing bytes to the output, the hold buffer
 *
 * (and sri_scan_tree.c, the tree facts, below them all; the lane and the
 * text states call none of the others).  This header is their common
 * ground; it is not an interface.
 */
#ifndef SRI_SCAN_INT_H
#define SRI_SCAN_INT_H

#include <stdint.h>
#include <string.h>
#include "html/sri_scan.h"
#include "html/sri_scan_tree.h"
/* SSE2 (baseline on x86-64) unless the portable path is asked for (the
   tests build both). */
#if defined(__SSE2__) && !defined(SRI_SCAN_PORTABLE)
#define SRI_SCAN_SSE2 1
#include <emmintrin.h>
#endif

/* Attributes recorded for a tag of interest; one with more is still
   tokenized, but passed unmodified (sri_scan_edit_tag). */
#define MAX_ATTRS SRI_SCAN_MAX_ATTRS

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

/* A remembered sri_tree_name_flags() (sri_scan.c, name_flags()). */
#define NAME_MEMO_BITS 8
typedef struct {
    uint64_t word;              /* the name's first 8 bytes, zero-padded  */
    unsigned flags;
} name_flag_memo;

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
    int           attrs_dropped;/* more than MAX_ATTRS: not decided on     */

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
    name_flag_memo memo[1 << NAME_MEMO_BITS];
};

/* Byte classes (constant tables: thread-safe, no initialisation). */
#define WS(c)     (ws_tab[(unsigned char)(c)])
#define ALPHA(c)  ((unsigned char)(((c) | 0x20) - 'a') < 26)
#define LOWER(c)  ((char)(((unsigned char)((c) - 'A') < 26) ? (c) | 0x20 : (c)))

/* ASCII white space. */
static const unsigned char ws_tab[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1
};
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

/* ---- shared helpers (inline: they are on the hot path) ------------------ */

/* Find the next byte with tab[c] set in buf[i, len); len if none. */
static inline size_t find_class(const unsigned char *tab, const char *buf,
                                size_t i, size_t len)
{
    while (i < len && !tab[(unsigned char)buf[i]])
        i++;
    return i;
}

/* find_class() for a class made of ASCII white space and the bytes a, b
   and c (repeat one for fewer), 16 bytes at once where SSE2 is there:
   bytes up to 0x20 are candidates, and the few that are not white space
   (NUL, controls) are looked up in tab. */
static inline size_t find_ws_or(const unsigned char *tab, const char *buf,
                                size_t i, size_t len, char a, char b, char c)
{
#ifdef SRI_SCAN_SSE2
    while (len - i >= 16) {
        const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)
                                          (buf + i));
        const __m128i d = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x20)),
                                        x),
                         _mm_cmpeq_epi8(x, _mm_set1_epi8(a))),
            _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(b)),
                         _mm_cmpeq_epi8(x, _mm_set1_epi8(c))));
        unsigned m = (unsigned)_mm_movemask_epi8(d);
        while (m) {
            size_t k = i + (size_t)__builtin_ctz(m);
            if (tab[(unsigned char)buf[k]])
                return k;
            m &= m - 1;                 /* a NUL or a control byte */
        }
        i += 16;
    }
#else
    (void)a; (void)b; (void)c;
#endif
    return find_class(tab, buf, i, len);
}

/* The next '-' or '<' in buf[i, len) (len if none): where escaped script
   data (<script><!-- ...) may change state.  16 bytes at once where SSE2
   is there: inline scripts in comments are long runs of code. */
static inline size_t find_dash_lt(const char *buf, size_t i, size_t len)
{
#ifdef SRI_SCAN_SSE2
    while (len - i >= 16) {
        const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)
                                          (buf + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_cmpeq_epi8(x, _mm_set1_epi8('-')),
            _mm_cmpeq_epi8(x, _mm_set1_epi8('<'))));
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#endif
    while (i < len && buf[i] != '-' && buf[i] != '<')
        i++;
    return i;
}

/* memchr, but a short run is searched inline: on real pages the next '<'
   or quote is usually a few bytes away, where a library call costs more
   than it saves.  Runs longer than 64 bytes go to memchr. */
#ifdef SRI_SCAN_SSE2
static inline const char *find_byte(const char *p, const char *end, char c)
{
    const __m128i pat = _mm_set1_epi8(c);
    const char *stop;

    if (end - p >= 16) {        /* the usual case: within 16 bytes */
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
            _mm_loadu_si128((const __m128i *)(const void *)p), pat));
        if (m)
            return p + __builtin_ctz(m);
        p += 16;
    }
    stop = end - p > 48 ? p + 48 : end;
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

/* ---- the tag name, for the general path and the fast lanes ------------- */

/* Text in the data state: clears frameset-ok unless it is all whitespace
   (U+0000 is dropped by the tree builder, so it counts as nothing). */
static inline void note_data_text(sri_scanner *s, const char *p, size_t n)
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

/* A tag name at p, 16 bytes at once where SSE2 is there: p has 16
   readable bytes and p[0] is a letter.  If a delimiter (white space, '/',
   '>') ends the name within 15 bytes and no other byte up to 0x20 (a NUL,
   a control) comes first, store the name lower-cased and zero-padded in
   out[16] and return its length; else return 0 (the byte-wise path).
   short_name_with() takes the constants that lower-case (case_consts()):
   the AVX2 lane hands them in from memory (see sri_scan_lane.c). */
#ifdef SRI_SCAN_SSE2
typedef struct {
    __m128i a_1, z_1, bit;              /* 'A' - 1, 'Z' + 1, 0x20 (each byte) */
} case_consts;

static inline case_consts case_consts_of(void)
{
    case_consts c;
    c.a_1 = _mm_set1_epi8('A' - 1);
    c.z_1 = _mm_set1_epi8('Z' + 1);
    c.bit = _mm_set1_epi8(0x20);
    return c;
}

static inline size_t short_name_with(const char *p, char *out,
                                     const case_consts *cc)
{
    static const unsigned char first[32] = {    /* 16 x 0xff, 16 x 0 */
        255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255
    };
    const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i d, valid, up;
    unsigned m;
    int k;

    /* bytes up to 0x20 (white space among them), '/' and '>' */
    d = _mm_or_si128(
        _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x20)), x),
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('/')),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('>'))));
    m = (unsigned)_mm_movemask_epi8(d);
    if (!m)
        return 0;
    k = __builtin_ctz(m);
    if (!name_end_tab[(unsigned char)p[k]])
        return 0;                       /* a NUL or a control byte */
    valid = _mm_loadu_si128((const __m128i *)(const void *)(first + 16 - k));
    up = _mm_and_si128(_mm_cmpgt_epi8(x, cc->a_1),
                       _mm_cmpgt_epi8(cc->z_1, x));
    _mm_storeu_si128((__m128i *)(void *)out,
                     _mm_and_si128(_mm_or_si128(x, _mm_and_si128(up, cc->bit)),
                                   valid));
    return (size_t)k;
}

static inline size_t short_name(const char *p, char *out)
{
    const case_consts cc = case_consts_of();
    return short_name_with(p, out, &cc);
}
#else
static inline size_t short_name(const char *p, char *out)
{
    size_t k;

    memset(out, 0, NAME_MAX_KEPT);
    for (k = 0; k < 16; k++) {
        unsigned char c = (unsigned char)p[k];
        if (c <= 0x20 || c == '/' || c == '>')
            return name_end_tab[c] ? k : 0;
        out[k] = LOWER((char)c);
    }
    return 0;
}
#endif

/* Tags the fast lane leaves to the general path: the ones that may be held
   (of interest, or read by the tree model). */
#define HELD_NAMES (SRI_NAME_SCRIPT | SRI_NAME_LINK | SRI_NAME_BASE          \
                    | SRI_NAME_FONT | SRI_NAME_ANNOT | SRI_NAME_INPUT)

/* sri_tree_name_flags() of a name from short_name(), remembered for the
   names of up to 8 bytes (nearly all): their first word, zero-padded,
   is the whole name and never 0. */
static inline unsigned name_flags(sri_scanner *s, const char *name, size_t k)
{
    uint64_t w;
    name_flag_memo *m;

    if (k > 8)
        return sri_tree_name_flags(name, k);
    memcpy(&w, name, sizeof w);
    m = &s->memo[(w * 0x9e3779b97f4a7c15u) >> (64 - NAME_MEMO_BITS)];
    if (m->word != w) {
        m->word = w;
        m->flags = sri_tree_name_flags(name, k);
    }
    return m->flags;
}

/* ---- sri_scan_lane.c (SSE2 builds) -------------------------------------- */

#ifdef SRI_SCAN_SSE2
/* The common tags from buf[i] ('<') on, from bit masks; returns where the
   scan goes on: i when it took no tag. */
size_t sri_scan_lane(sri_scanner *s, size_t i);
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
