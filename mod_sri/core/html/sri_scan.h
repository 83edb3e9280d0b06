/*
 * sri_scan.h -- streaming HTML start-tag scanner.
 *
 * Why: mod_sri must find the <script>, <link> and <base> start tags an HTML5
 * browser would create, in a byte stream that arrives in arbitrary chunks,
 * without ever changing a byte it was not asked to change and without
 * buffering anything but an unfinished tag of interest.  The scanner is the
 * tokenizer only: it decides "tag or text" (following the WHATWG tokenizer
 * plus the few tree-construction facts that switch tokenizer states), hands
 * complete tags of interest to its DECISIONS (on_tag()), and emits bytes
 * through its OUTPUT.  What to change in a tag is the rewriter's business
 * (sri_rewrite.h); where bytes go is the host's (the httpd filter, the
 * sri-registry tool): two structures, so that neither forwards the other's
 * callbacks.
 *
 * Plain C, no APR, no httpd: it is fuzzed and unit-tested on its own.
 */
#ifndef SRI_SCAN_H
#define SRI_SCAN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Start tags handed to on_tag(): HTML-namespace elements, and SVG's
   <script>. */
typedef enum {
    SRI_TAG_SCRIPT = 1,     /* <script ...> in HTML content (not SVG)      */
    SRI_TAG_LINK   = 2,     /* <link ...>                                  */
    SRI_TAG_BASE   = 3,     /* <base ...> (the rewriter wants its href)    */
    SRI_TAG_SVG_SCRIPT = 4, /* <script ...> in SVG content: it loads and
                               runs its href (or xlink:href), but browsers
                               check no integrity on it                    */
    SRI_TAG_IFRAME = 5      /* <iframe ...> in HTML content: its srcdoc is
                               a document of its own, with its own tags    */
} sri_tag_kind;

/* One attribute of a tag of interest.  Offsets are relative to tag->raw. */
typedef struct {
    const char *name;       /* as written (case preserved)                 */
    size_t      name_len;
    const char *value;      /* raw bytes, character references NOT decoded,
                               quotes excluded; NULL when there is no '='   */
    size_t      value_len;
    size_t      name_off;   /* offset of the name's first byte             */
    size_t      value_off;  /* offset of the value's first byte (after the
                               quote); meaningless when value == NULL      */
    char        quote;      /* '"', '\'' or 0 (unquoted or no value)       */
} sri_attr;

typedef struct {
    sri_tag_kind    kind;
    const char     *raw;        /* whole start tag, from '<' to '>' inclusive */
    size_t          raw_len;
    size_t          insert_off; /* where new attributes go: the offset of the
                                   '>' or of the '/' of a final "/>"; but
                                   when the tag ends right after an '='
                                   ("<x y=>", "<x y= >"), where an insertion
                                   would become y's value, the offset just
                                   after the tag name                       */
    const sri_attr *attrs;      /* duplicates removed: the first occurrence of
                                   a name wins, as in the HTML tokenizer      */
    size_t          nattrs;
    int             self_closing;
    const sri_attr *all_attrs;  /* every attribute in source order, duplicates
                                   included (same offsets convention).  An
                                   edit that must neutralise a name (renaming
                                   src) has to cover all of its occurrences:
                                   once the first is renamed, the browser
                                   uses the next one.  Both lists hold
                                   every attribute: a tag with more than
                                   SRI_SCAN_MAX_ATTRS is not handed on
                                   (see on_overflow).                        */
    size_t          nall_attrs;
} sri_tag;

/* Find an attribute by ASCII-lower-case name; NULL if absent. */
const sri_attr *sri_tag_attr(const sri_tag *tag, const char *lname);

/* One change to a tag: replace raw[off, off+del) by ins[0, ins_len). */
typedef struct {
    size_t      off;
    size_t      del;
    const char *ins;
    size_t      ins_len;
} sri_edit;

/* OUTPUT: where bytes go.  The host provides it (the httpd filter, the
   tool's buffer, a test's recorder). */
typedef struct {
    void *ctx;
    /* Original bytes, in document order.  p points into the chunk given to
       sri_scan_feed() (callers may rely on that for zero-copy output) or
       into the scanner's hold buffer (a tag that spanned chunks).  Return
       0, or non-zero to stop the scan with that value. */
    int  (*pass)(void *ctx, const char *p, size_t n);
    /* Bytes that an edit inserts.  Same return convention. */
    int  (*insert)(void *ctx, const char *p, size_t n);
} sri_scan_output;

/* DECISIONS: what to change in the tags and texts the scanner hands on.
   The rewriter provides them (sri_rewriter_decisions()); tests and the
   differential oracle provide their own. */
typedef struct {
    void *ctx;
    /* A complete start tag of interest.  Write up to max_edits edits, sorted
       by off and not overlapping, and return how many (0: leave the tag as it
       is), or a negative value to stop the scan.  The ins buffers must stay
       valid until on_tag() is called again or the feed call returns. */
    int  (*on_tag)(void *ctx, const sri_tag *tag, sri_edit *edits,
                   size_t max_edits);
    /* Optional: a tag of interest grew past max_tag_len (tag_len: its
       length so far, more than max_tag_len), or has more attributes than
       SRI_SCAN_MAX_ATTRS (tag_len: its whole length, within max_tag_len),
       and was passed through unmodified, so no decision was taken on it
       (the rewriter tells its host, which logs a warning).  May be NULL. */
    void (*on_overflow)(void *ctx, size_t tag_len);
    /* Optional text capture (import maps): both NULL, or both set.
       wants_text() is called for each SRI_TAG_SCRIPT start tag after its
       on_tag() (the tag has been passed, edited, by then).  Return 1 to
       have the scanner hold the element's text -- the script data up to,
       not including, its end tag "</script" -- instead of passing it; 0 to
       let it stream; negative to stop the scan.  The text is tokenized
       exactly as without capture (escaped and double-escaped script data
       included), only held.  At the end tag, on_text() gets the whole
       text, contiguous, with tag_or_null always NULL (remember what you
       need from the tag at on_tag()/wants_text() time); its edits follow
       on_tag()'s rules (sorted, not overlapping, offsets into text, the
       same return convention, ins valid until the next callback) and the
       edited text is passed before the end tag.  Text longer than
       max_tag_len (the text alone) is passed unmodified, with
       on_overflow(its length so far) and no on_text(); so is text whose
       document ends before the end tag (at sri_scan_finish()). */
    int  (*wants_text)(void *ctx, const sri_tag *tag);
    int  (*on_text)(void *ctx, const sri_tag *tag_or_null, const char *text,
                    size_t len, sri_edit *edits, size_t max_edits);
} sri_scan_decisions;

typedef struct sri_scanner sri_scanner;

#define SRI_SCAN_DEFAULT_MAX_TAG (1024 * 1024)
/* Attributes a tag of interest may have: one with more is not decided on
   (an src or integrity past them would go unseen), see on_overflow. */
#define SRI_SCAN_MAX_ATTRS 256
#define SRI_SCAN_MAX_EDITS 8

/* Both structures are copied.  max_tag_len: bound on a held tag (0 =
   SRI_SCAN_DEFAULT_MAX_TAG).  Returns NULL only when out of memory. */
sri_scanner *sri_scan_create(const sri_scan_output *out,
                             const sri_scan_decisions *dec,
                             size_t max_tag_len);

/* Scan the next chunk.  Every byte that cannot belong to an unfinished tag
   of interest has been passed to the output when this returns.  Returns 0
   or the first non-zero value an output or decision callback returned. */
int sri_scan_feed(sri_scanner *s, const char *buf, size_t len);

/* End of input: pass whatever is held (an unfinished tag stays unmodified). */
int sri_scan_finish(sri_scanner *s);

/* Bytes currently held: an unfinished tag of interest (script, link, base,
   or a prefix of one), or one of the rare start tags whose attributes the
   tree model needs (<font> and <annotation-xml> in SVG/MathML, <input>
   before the first text of a page), or the text of a <script> that
   wants_text() asked for.  Never more than max_tag_len; held text can be
   followed by at most 8 more bytes that may begin its end tag ("</script"). */
size_t sri_scan_held(const sri_scanner *s);

void sri_scan_destroy(sri_scanner *s);

/* The fast lane this process's scanner takes: "avx2" (the CPU has it),
   "sse2", or "portable" (a build without a SIMD lane).  For benchmarks,
   logs and the tests that prove each lane ran. */
const char *sri_scan_lane_kind(void);

#ifdef __cplusplus
}
#endif
#endif /* SRI_SCAN_H */
