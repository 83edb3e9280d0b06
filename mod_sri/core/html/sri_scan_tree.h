/*
 * sri_scan_tree.h -- the few tree-construction facts the scanner needs.
 *
 * Why: the WHATWG tokenizer alone cannot say whether "<script>" opens an
 * HTML script (raw text, gets integrity) or an SVG one (ordinary markup, no
 * integrity), whether "<![CDATA[" is a CDATA section, or whether a document
 * has become a frameset (where <script> is ignored).  Those answers come from
 * the tree builder.  This file models just enough of it -- a bounded, rough
 * stack of open elements (exact where foreign content is concerned) and the
 * frameset-ok flag -- and keeps that model out of the byte-level state
 * machine.
 * Internal to the scanner; not part of the sri_scan.h interface.
 */
#ifndef SRI_SCAN_TREE_H
#define SRI_SCAN_TREE_H

#include <stddef.h>
#include <string.h>

#define SRI_TREE_DEPTH 256      /* open elements kept (a ring: the oldest
                                   are forgotten when it is full)           */
#define SRI_TREE_NAME 16        /* name bytes kept: ASCII lower-cased,
                                   other bytes as they are, zero-padded; a
                                   NUL of the input is 0xff               */

enum { SRI_NS_HTML = 0, SRI_NS_SVG, SRI_NS_MATH };
enum { SRI_IP_NONE = 0, SRI_IP_HTML, SRI_IP_MTEXT,
       SRI_IP_COLGROUP     /* on an HTML <template>: its content began with
                              <col> ("in column group" mode)               */ };

/* Facts from a start tag's attributes (sri_tree_start). */
#define SRI_FACT_FONT_BREAKS 1  /* <font> with color, face or size          */
#define SRI_FACT_ANNOT_HTML  2  /* annotation-xml encoding="text/html" or
                                   "application/xhtml+xml"                  */
#define SRI_FACT_INPUT_HIDDEN 4 /* <input type=hidden>                      */

/* What the tokenizer does after a start tag. */
typedef enum {
    SRI_TEXT_DATA = 0,
    SRI_TEXT_RCDATA,            /* <title>, <textarea>                      */
    SRI_TEXT_RAWTEXT,           /* <style>, <xmp>, <iframe>, <noembed>,
                                   <noframes>, <noscript> (scripting on)     */
    SRI_TEXT_SCRIPT,            /* <script> in HTML content                  */
    SRI_TEXT_PLAINTEXT          /* <plaintext>                               */
} sri_text_mode;

typedef struct {
    unsigned      flags;        /* sri_tree_name_flags() of the name         */
    unsigned char ns, ip, len;  /* len: capped at 255                        */
    char          name[SRI_TREE_NAME];
} sri_tree_node;

/* Where the stack is in the ring.  Apart from the ring so that a run of
   tags (the fast lane, sri_scan_lane.c) can keep it in registers: a name
   stored into the ring is bytes, which may alias anything, so through the
   tree the compiler loads the position again after every store. */
typedef struct {
    size_t base;                /* ring index of the bottom entry (taken
                                   modulo SRI_TREE_DEPTH)                   */
    size_t depth;               /* entries on the stack                      */
} sri_tree_pos;

typedef struct {
    sri_tree_node ring[SRI_TREE_DEPTH];
    sri_tree_pos pos;
    int frameset_ok;            /* the spec's frameset-ok flag (approximate) */
    int frameset;               /* a <frameset> was accepted                 */
} sri_tree;

/* Name flags the scanner uses (the others are private to the tree). */
#define SRI_NAME_SCRIPT     0x01u
#define SRI_NAME_LINK       0x02u
#define SRI_NAME_BASE       0x04u
#define SRI_NAME_FONT       0x08u
#define SRI_NAME_ANNOT      0x10u   /* annotation-xml                        */
#define SRI_NAME_INPUT      0x20u

/* The known tag names and a perfect hash over them (sri_scan_tree.c). */
struct sri_tree_name_entry {
    char     name[SRI_TREE_NAME];   /* zero-padded */
    unsigned flags;
};
extern const struct sri_tree_name_entry sri_tree_names[];
extern const unsigned char sri_tree_slot[1024];

/* Flags of a tag name: name is SRI_TREE_NAME bytes, zero-padded; len is its
   full length (0 or more than SRI_TREE_NAME: no flags).  Inline: it runs
   once for every start tag.  name[1] is 0 for a one-letter name. */
static inline unsigned sri_tree_name_flags(const char *name, size_t len)
{
    unsigned e;
    if (len == 0 || len > SRI_TREE_NAME)
        return 0;
    e = sri_tree_slot[(len * 31 + (unsigned char)name[0] * 29
                       + (unsigned char)name[len - 1] * 17
                       + (unsigned char)name[1] * 5) & 1023];
    if (e && memcmp(sri_tree_names[e - 1].name, name, SRI_TREE_NAME) == 0)
        return sri_tree_names[e - 1].flags;
    return 0;
}

void sri_tree_init(sri_tree *t);

/* Would a start tag with these name flags be processed by the HTML (not
   the foreign-content) rules at this point? */
int sri_tree_start_is_html(const sri_tree *t, unsigned flags);

/* Would the tree builder ignore such a start tag here (frameset documents,
   <template><col>)? */
int sri_tree_start_ignored(const sri_tree *t, unsigned flags);

/* Is the adjusted current node foreign (so "<![CDATA[" opens CDATA)? */
int sri_tree_cdata_ok(const sri_tree *t);

/* Is the adjusted current node in the MathML namespace? */
int sri_tree_in_math(const sri_tree *t);

/* Is an HTML <template> open?  Its content is another document: a <base>
   there sets no base URL for this one. */
int sri_tree_in_template(const sri_tree *t);

/* A start tag was emitted; facts: SRI_FACT_* bits.  Returns the
   tokenizer's next text mode and sets *wanted to non-zero when the tag
   creates an HTML element that sri_scan hands to on_tag() (script, link, base). */
sri_text_mode sri_tree_start(sri_tree *t, const char *name, size_t len,
                             unsigned flags, int self_closing, unsigned facts,
                             int *wanted);

/* An end tag was emitted. */
void sri_tree_end(sri_tree *t, const char *name, size_t len, unsigned flags);

/* Name flags that change nothing for a start tag in plain HTML content
   (they matter in foreign content, or for end tags), and the few the fast
   path below handles itself; checked against the private flag values in
   sri_scan_tree.c. */
#define SRI_NAME_PLAIN    0xa02e1218u
#define SRI_NAME_VOID     0x00000400u
#define SRI_NAME_FSKILL   0x00000800u  /* clears frameset-ok               */
#define SRI_NAME_P_BR     0x00200000u  /* p (length 1) or br               */
#define SRI_NAME_CLOSES_P 0x00400000u  /* closes an open <p> on top        */
#define SRI_NAME_LI       0x01000000u
#define SRI_NAME_DDDT     0x02000000u
#define SRI_NAME_OPTION   0x04000000u  /* option optgroup                  */
#define SRI_NAME_CELL     0x08000000u  /* td th                            */
#define SRI_NAME_ROW      0x10000000u  /* tr                               */
#define SRI_NAME_IMPLIES  (SRI_NAME_CLOSES_P | SRI_NAME_LI | SRI_NAME_DDDT    \
                           | SRI_NAME_OPTION | SRI_NAME_CELL | SRI_NAME_ROW)

/* Fast paths, inline because they run for nearly every tag of a page.
   A start tag in plain HTML content whose flags need no more than the
   common implied end tags (<div>, <span>, <a>, <img>, <p>, <li>, <td>):
   do its work and return 1 (0: use sri_tree_start).  An end tag that
   closes the current HTML element: pop it and return 1 (0: use
   sri_tree_end).  Each takes the stack's position apart from the tree:
   &t->pos, or a copy the caller writes back (the fast lane).
   sri_tree_top() is the top entry when pos->depth > 0 (an unused slot
   otherwise): callers check the depth before they read it. */
static inline const sri_tree_node *sri_tree_top(const sri_tree *t,
                                                const sri_tree_pos *pos)
{
    return &t->ring[(pos->base + pos->depth - 1) % SRI_TREE_DEPTH];
}

static inline int sri_tree_top_html_is(const sri_tree *t,
                                       const sri_tree_pos *pos, unsigned flag)
{
    const sri_tree_node *n;
    if (!pos->depth)
        return 0;
    n = sri_tree_top(t, pos);
    return n->ns == SRI_NS_HTML && (n->flags & flag)
        && (flag != SRI_NAME_P_BR || n->len == 1);
}

/* The common implied end tags of the "in body" start tag rules (a block
   closes an open <p>, <li> an <li>, <td> a cell, ...): one function for
   the fast path and the general one (sri_scan_tree.c). */
static inline __attribute__((always_inline))
void sri_tree_implied_ends(const sri_tree *t, sri_tree_pos *pos,
                           unsigned flags)
{
    if (!(flags & SRI_NAME_IMPLIES))
        return;
    if ((flags & SRI_NAME_CLOSES_P)
        && sri_tree_top_html_is(t, pos, SRI_NAME_P_BR))
        pos->depth--;
    if ((flags & SRI_NAME_LI) && sri_tree_top_html_is(t, pos, SRI_NAME_LI))
        pos->depth--;
    if ((flags & SRI_NAME_DDDT)
        && sri_tree_top_html_is(t, pos, SRI_NAME_DDDT))
        pos->depth--;
    if ((flags & SRI_NAME_OPTION)
        && sri_tree_top_html_is(t, pos, SRI_NAME_OPTION))
        pos->depth--;
    if ((flags & (SRI_NAME_CELL | SRI_NAME_ROW))
        && sri_tree_top_html_is(t, pos, SRI_NAME_CELL))
        pos->depth--;
    if ((flags & SRI_NAME_ROW) && sri_tree_top_html_is(t, pos, SRI_NAME_ROW))
        pos->depth--;
}

/* Would sri_tree_start_fast() take a start tag with these flags? */
static inline int sri_tree_start_fast_ok(const sri_tree *t,
                                         const sri_tree_pos *pos,
                                         unsigned flags)
{
    const sri_tree_node *n = sri_tree_top(t, pos);
    return !t->frameset
        && (!pos->depth || (n->ns == SRI_NS_HTML && n->ip == SRI_IP_NONE))
        && !(flags & ~(SRI_NAME_PLAIN | SRI_NAME_VOID | SRI_NAME_FSKILL
                       | SRI_NAME_IMPLIES));
}

/* sri_tree_start_fast() once sri_tree_start_fast_ok() said yes. */
static inline __attribute__((always_inline))
void sri_tree_start_fast_do(sri_tree *t, sri_tree_pos *pos, const char *name,
                            size_t len, unsigned flags)
{
    sri_tree_node *n;
    sri_tree_implied_ends(t, pos, flags);
    if (flags & SRI_NAME_FSKILL)
        t->frameset_ok = 0;
    if (flags & SRI_NAME_VOID)
        return;
    if (pos->depth == SRI_TREE_DEPTH) { /* forget the bottom entry */
        pos->base = (pos->base + 1) % SRI_TREE_DEPTH;
        pos->depth--;
    }
    n = &t->ring[(pos->base + pos->depth++) % SRI_TREE_DEPTH];
    n->flags = flags;
    n->ns = SRI_NS_HTML;
    n->ip = SRI_IP_NONE;
    n->len = (unsigned char)(len > 255 ? 255 : len);
    memcpy(n->name, name, SRI_TREE_NAME);
}

static inline int sri_tree_start_fast(sri_tree *t, const char *name,
                                      size_t len, unsigned flags)
{
    if (!sri_tree_start_fast_ok(t, &t->pos, flags))
        return 0;
    sri_tree_start_fast_do(t, &t->pos, name, len, flags);
    return 1;
}

/* Would sri_tree_end_fast() pop for this end tag? */
static inline int sri_tree_end_fast_ok(const sri_tree *t,
                                       const sri_tree_pos *pos,
                                       const char *name, size_t len)
{
    const sri_tree_node *n;
    if (!pos->depth)
        return 0;
    n = sri_tree_top(t, pos);
    return n->ns == SRI_NS_HTML && n->len == (len > 255 ? 255 : len)
        && memcmp(n->name, name, SRI_TREE_NAME) == 0;
}

static inline int sri_tree_end_fast(sri_tree *t, const char *name,
                                    size_t len)
{
    if (!sri_tree_end_fast_ok(t, &t->pos, name, len))
        return 0;
    t->pos.depth--;
    return 1;
}

/* Non-whitespace text was seen in the data state. */
static inline void sri_tree_text(sri_tree *t) { t->frameset_ok = 0; }

#endif /* SRI_SCAN_TREE_H */
