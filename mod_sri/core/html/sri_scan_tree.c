/*
 * sri_scan_tree.c -- the tree-construction facts that switch tokenizer
 * states: foreign content (<svg>, <math>), integration points, breakout
 * tags, frameset documents.
 *
 * Why: an HTML5 browser decides "<script> starts raw text and loads a
 * script" in the tree builder, not in the tokenizer.  The scanner must agree
 * with it without building a tree, so this file keeps the smallest model that
 * answers the question: a stack of open elements (HTML ones roughly, foreign
 * ones exactly), and the frameset-ok flag.  The HTML part matters only for
 * one question: does an HTML end tag met inside <svg>/<math> close an
 * element outside it (and so end foreign content)?
 *
 * Approximations (full tree construction would be needed; each is rare in
 * real pages and listed in tests/oracle/expected-failures where it shows):
 *  - HTML elements: void and raw-text elements, html, head and body are not
 *    pushed; the implied end tags modelled are only the common ones (a block
 *    start tag closes an open <p> on top, <li> closes <li>, <dd>/<dt> close
 *    <dd>/<dt>, <option> closes <option>, <td>/<th>/<tr> close cells/rows).
 *    An HTML end tag pops to the nearest open element of its name unless an
 *    integration point or a scope boundary (table, td, template, ...) comes
 *    first; otherwise it is ignored.  The adoption agency is not modelled.
 *  - The stack keeps SRI_TREE_DEPTH entries; when full, the oldest (bottom)
 *    entries are forgotten, so a page with thousands of unclosed elements
 *    still tracks the recent (and the foreign) ones.
 *  - frameset-ok is cleared by non-whitespace text in the data state, by
 *    <body> and by the start tags the spec lists; once a <frameset> is
 *    accepted, every later start tag but <noframes> is ignored (as in the
 *    "in frameset" and "after frameset" modes).
 *  - Insertion modes are not tracked otherwise: a start tag is treated as in
 *    "in body".  This matches the current spec for <select> content (the
 *    2025 select parser relaxation removed "in select"), not older parsers.
 *  - Names are compared on their first SRI_TREE_NAME bytes and their length.
 */
#include <string.h>
#include "html/sri_scan_tree.h"

#define F_SCRIPT    SRI_NAME_SCRIPT
#define F_LINK      SRI_NAME_LINK
#define F_BASE      SRI_NAME_BASE
#define F_FONT      SRI_NAME_FONT
#define F_ANNOT     SRI_NAME_ANNOT
#define F_INPUT     SRI_NAME_INPUT
#define F_RAWTEXT   0x00000040u /* style xmp iframe noembed noframes noscript */
#define F_RCDATA    0x00000080u /* title textarea                           */
#define F_PLAINTEXT 0x00000100u
#define F_BREAKOUT  0x00000200u /* start tag leaves foreign content         */
#define F_VOID      0x00000400u /* HTML void element: never on the stack    */
#define F_FSKILL    0x00000800u /* start tag clears frameset-ok             */
#define F_SCOPE     0x00001000u /* HTML scope boundary                      */
#define F_SVG       0x00002000u
#define F_MATH      0x00004000u
#define F_FRAMESET  0x00008000u
#define F_NOFRAMES  0x00010000u
#define F_MTEXT     0x00020000u /* mi mo mn ms mtext                        */
#define F_SVG_IP    0x00040000u /* foreignObject desc title (in SVG)        */
#define F_MGLYPH    0x00080000u /* mglyph malignmark                        */
#define F_NOPOP     0x00100000u /* </html>, </body>: never pop              */
#define F_P_BR      0x00200000u /* </p>, </br>: break out of foreign content */
#define F_CLOSES_P  0x00400000u /* start tag closes an open <p>              */
#define F_NOPUSH    0x00800000u /* html head body: not tracked               */
#define F_LI        0x01000000u
#define F_DDDT      0x02000000u
#define F_OPTION    0x04000000u
#define F_CELL      0x08000000u /* td th                                     */
#define F_ROW       0x10000000u /* tr                                        */
#define F_TABLE_END 0x20000000u /* table tbody thead tfoot tr: their end tags
                                   close cells and captions on the way     */
#define F_COL       0x40000000u
#define F_TEMPLATE  0x80000000u

/* The header's fast path must agree with these flags. */
typedef char plain_flags_agree[
    SRI_NAME_PLAIN == (F_BREAKOUT | F_SCOPE | F_MTEXT | F_SVG_IP | F_MGLYPH
                       | F_P_BR | F_TABLE_END | F_TEMPLATE | F_FONT | F_ANNOT)
    && SRI_NAME_VOID == F_VOID && SRI_NAME_FSKILL == F_FSKILL
    && SRI_NAME_P_BR == F_P_BR && SRI_NAME_CLOSES_P == F_CLOSES_P
    && SRI_NAME_LI == F_LI && SRI_NAME_DDDT == F_DDDT
    && SRI_NAME_OPTION == F_OPTION && SRI_NAME_CELL == F_CELL
    && SRI_NAME_ROW == F_ROW ? 1 : -1];


const struct sri_tree_name_entry sri_tree_names[] = {
    { "address", F_CLOSES_P },
    { "annotation-xml", F_ANNOT },
    { "applet", F_FSKILL|F_SCOPE },
    { "area", F_VOID|F_FSKILL },
    { "article", F_CLOSES_P },
    { "aside", F_CLOSES_P },
    { "b", F_BREAKOUT },
    { "base", F_BASE|F_VOID },
    { "basefont", F_VOID },
    { "bgsound", F_VOID },
    { "big", F_BREAKOUT },
    { "blockquote", F_BREAKOUT|F_CLOSES_P },
    { "body", F_BREAKOUT|F_FSKILL|F_NOPOP|F_NOPUSH },
    { "br", F_BREAKOUT|F_VOID|F_FSKILL|F_P_BR },
    { "button", F_FSKILL },
    { "caption", F_SCOPE },
    { "center", F_BREAKOUT|F_CLOSES_P },
    { "code", F_BREAKOUT },
    { "col", F_VOID|F_COL },
    { "dd", F_BREAKOUT|F_FSKILL|F_CLOSES_P|F_DDDT },
    { "desc", F_SVG_IP },
    { "details", F_CLOSES_P },
    { "dialog", F_CLOSES_P },
    { "dir", F_CLOSES_P },
    { "div", F_BREAKOUT|F_CLOSES_P },
    { "dl", F_BREAKOUT|F_CLOSES_P },
    { "dt", F_BREAKOUT|F_FSKILL|F_CLOSES_P|F_DDDT },
    { "em", F_BREAKOUT },
    { "embed", F_BREAKOUT|F_VOID|F_FSKILL },
    { "fieldset", F_CLOSES_P },
    { "figcaption", F_CLOSES_P },
    { "figure", F_CLOSES_P },
    { "font", F_FONT },
    { "footer", F_CLOSES_P },
    { "foreignobject", F_SVG_IP },
    { "form", F_CLOSES_P },
    { "frame", F_VOID },
    { "frameset", F_FRAMESET },
    { "h1", F_BREAKOUT|F_CLOSES_P },
    { "h2", F_BREAKOUT|F_CLOSES_P },
    { "h3", F_BREAKOUT|F_CLOSES_P },
    { "h4", F_BREAKOUT|F_CLOSES_P },
    { "h5", F_BREAKOUT|F_CLOSES_P },
    { "h6", F_BREAKOUT|F_CLOSES_P },
    { "head", F_BREAKOUT|F_NOPUSH },
    { "header", F_CLOSES_P },
    { "hgroup", F_CLOSES_P },
    { "hr", F_BREAKOUT|F_VOID|F_FSKILL|F_CLOSES_P },
    { "html", F_SCOPE|F_NOPOP|F_NOPUSH },
    { "i", F_BREAKOUT },
    { "iframe", F_RAWTEXT|F_FSKILL },
    { "image", F_VOID|F_FSKILL },
    { "img", F_BREAKOUT|F_VOID|F_FSKILL },
    { "input", F_VOID|F_FSKILL|F_INPUT },
    { "keygen", F_VOID|F_FSKILL },
    { "li", F_BREAKOUT|F_FSKILL|F_CLOSES_P|F_LI },
    { "link", F_LINK|F_VOID },
    { "listing", F_BREAKOUT|F_FSKILL|F_CLOSES_P },
    { "main", F_CLOSES_P },
    { "malignmark", F_MGLYPH },
    { "marquee", F_FSKILL|F_SCOPE },
    { "math", F_MATH },
    { "menu", F_BREAKOUT|F_CLOSES_P },
    { "meta", F_BREAKOUT|F_VOID },
    { "mglyph", F_MGLYPH },
    { "mi", F_MTEXT },
    { "mn", F_MTEXT },
    { "mo", F_MTEXT },
    { "ms", F_MTEXT },
    { "mtext", F_MTEXT },
    { "nav", F_CLOSES_P },
    { "nobr", F_BREAKOUT },
    { "noembed", F_RAWTEXT },
    { "noframes", F_RAWTEXT|F_NOFRAMES },
    { "noscript", F_RAWTEXT },
    { "object", F_FSKILL|F_SCOPE },
    { "ol", F_BREAKOUT|F_CLOSES_P },
    { "optgroup", F_OPTION },
    { "option", F_OPTION },
    { "p", F_BREAKOUT|F_P_BR|F_CLOSES_P },
    { "param", F_VOID },
    { "plaintext", F_PLAINTEXT|F_CLOSES_P },
    { "pre", F_BREAKOUT|F_FSKILL|F_CLOSES_P },
    { "ruby", F_BREAKOUT },
    { "s", F_BREAKOUT },
    { "script", F_SCRIPT },
    { "search", F_CLOSES_P },
    { "section", F_CLOSES_P },
    { "select", F_FSKILL },
    { "small", F_BREAKOUT },
    { "source", F_VOID },
    { "span", F_BREAKOUT },
    { "strike", F_BREAKOUT },
    { "strong", F_BREAKOUT },
    { "style", F_RAWTEXT },
    { "sub", F_BREAKOUT },
    { "summary", F_CLOSES_P },
    { "sup", F_BREAKOUT },
    { "svg", F_SVG },
    { "table", F_BREAKOUT|F_FSKILL|F_SCOPE|F_CLOSES_P|F_TABLE_END },
    { "tbody", F_TABLE_END },
    { "td", F_CELL|F_SCOPE },
    { "template", F_SCOPE|F_TEMPLATE },
    { "textarea", F_RCDATA|F_FSKILL },
    { "tfoot", F_TABLE_END },
    { "th", F_CELL|F_SCOPE },
    { "thead", F_TABLE_END },
    { "title", F_RCDATA|F_SVG_IP },
    { "tr", F_ROW|F_TABLE_END },
    { "track", F_VOID },
    { "tt", F_BREAKOUT },
    { "u", F_BREAKOUT },
    { "ul", F_BREAKOUT|F_CLOSES_P },
    { "var", F_BREAKOUT },
    { "wbr", F_VOID|F_FSKILL },
    { "xmp", F_RAWTEXT|F_FSKILL|F_CLOSES_P },
};

/* A perfect hash of the names above (sri_tree_name_flags in the header):
   sri_tree_names[sri_tree_slot[hash] - 1];
   0 = not a name we know. */
const unsigned char sri_tree_slot[1024] = {
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   4,   0,   0,   0,   0,   0,  20,   0,   0,   0,   0,   0,
      8,   0,  97,   0,   0,   0,   0,   0,   0,   0,   0,   0,  39,   0,   0,  80,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,  40,   0,   0,   0,   0,   0,   0,   0,   0,  11,  21,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,  41,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  42,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   6,   0,   0,   0,
      0,   0,   0,  18,  43,   0,   0,   0,   0,   0,  10,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  44,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   5,   0,   0,   0,  85,   0,   0,   0,   0,   0,   0,
      0,  29,   0,   0,   0,   0,   0,   0,   0,   0,  26,   0,   0,   0,   0,   0,
      0,  45,   0,   0,   0,   0,   0,   0,   0,   0,   0,  19,   0,   0,   0,   0,
      0,   0,  23,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  32,   0,   0,  28,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,  37,   0,   0,   0,   0,   0,   0,   0,
      0,  12,   0,   0,  14, 112,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  53,   0,   0,   0,   0,  64,
      0,   0,   0,  16,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
     24,   0,  51,   0,   0,   0,  52,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  15,   0,   1,   0,   0,
      0,   0,  36,   0,   0,   0,   0,   0,   0,   0,   0,   0,  17,   0,   0,   0,
     56,   0,   0,   0,   0,   0,   0,   0,   0,   0,  27,   0,   0,   0,   0,   0,
      0,   0,   0,   0,  25,   0,   0,   0,   0,   0,   0,   3,   0,  66,   0,   0,
      0,   0,  62,   0,   0,   0,   0,   0,   0,   0,   0,   9,   0,   0,   0,   0,
      0,   0,   0,   0,  49,   0,   0,   0,   0,   0,   0,   7,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,  22,  13,   0,  61,   0,   0,   0,
      0,   0,  48,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
     57,   0,   0,   0,   0,   0,   0,   0,   0,  33,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,  47,   0,   0,   0,  58, 102,   0,  83,   0,  65,   0,
      0,   2,   0,   0,   0,  34,   0,   0,  59,   0,   0,  67,   0,  46,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,  77,   0,   0,   0,   0,  73,  31,
     55,  68,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  96,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,  30,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0, 106,   0,   0,   0,   0,   0,   0, 100,  54,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0, 107,   0,  81,   0,   0,
      0,   0,   0,   0,  38,   0,   0,   0,   0,  69,   0,   0,   0,   0,   0,   0,
      0, 108,   0,   0,   0,   0, 104,   0,   0,  99,   0,   0,   0,   0,  71,  60,
      0,   0,   0,  63,   0,   0,   0,   0,   0,   0,   0,  95,   0,   0,   0,   0,
      0,  91,  87,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  72,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  93,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0, 113,   0,   0, 103,  79,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  94,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  76,  70,   0,   0,  90,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  50,   0,   0,
     35,  92,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0, 110,   0,   0,   0,   0,   0,   0,   0,   0,  98,   0,   0,
      0,   0,   0,   0,   0,   0,   0,  88,   0,   0,   0,  78,   0,   0, 109,   0,
      0,   0, 114,   0,   0,   0,   0,   0,   0,   0,   0,   0,  74,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  75,   0,   0,
      0,   0,   0,   0, 115,   0,   0,   0,   0,   0, 111,   0,   0,   0,   0,   0,
      0,   0,   0,   0,  86,   0,   0,   0,   0,   0,   0,   0,   0,   0,  89,   0,
      0, 105,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0, 116,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,  82,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0, 101,   0,   0,   0,   0,   0,  84,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
};

void sri_tree_init(sri_tree *t)
{
    memset(t, 0, sizeof *t);
    t->frameset_ok = 1;
}

/* Entry i of the stack, 0 = bottom. */
static sri_tree_node *at(sri_tree *t, size_t i)
{
    return &t->ring[(t->pos.base + i) % SRI_TREE_DEPTH];
}

static const sri_tree_node *top(const sri_tree *t)
{
    return t->pos.depth
        ? &t->ring[(t->pos.base + t->pos.depth - 1) % SRI_TREE_DEPTH] : NULL;
}

static int node_is(const sri_tree_node *n, const char *name, size_t len)
{
    return n->len == (len > 255 ? 255 : len)
        && memcmp(n->name, name, SRI_TREE_NAME) == 0;
}

/* Is the current node an HTML element with one of these flags? */
static int top_is_html(const sri_tree *t, unsigned flag)
{
    const sri_tree_node *n = top(t);
    return n && n->ns == SRI_NS_HTML && (n->flags & flag);
}

int sri_tree_start_is_html(const sri_tree *t, unsigned f)
{
    const sri_tree_node *n = top(t);

    if (!n || n->ns == SRI_NS_HTML)
        return 1;
    if (n->ip == SRI_IP_MTEXT && !(f & F_MGLYPH))
        return 1;
    if (n->ns == SRI_NS_MATH && (n->flags & F_ANNOT) && (f & F_SVG))
        return 1;
    if (n->ip == SRI_IP_HTML)
        return 1;
    return 0;
}

int sri_tree_cdata_ok(const sri_tree *t)
{
    const sri_tree_node *n = top(t);
    return n && n->ns != SRI_NS_HTML;
}

int sri_tree_in_math(const sri_tree *t)
{
    const sri_tree_node *n = top(t);
    return n && n->ns == SRI_NS_MATH;
}

static void push(sri_tree *t, int ns, int ip, const char *name, size_t len,
                 unsigned f)
{
    sri_tree_node *n;

    if (t->pos.depth == SRI_TREE_DEPTH) {   /* forget the bottom entry */
        t->pos.base = (t->pos.base + 1) % SRI_TREE_DEPTH;
        t->pos.depth--;
    }
    n = at(t, t->pos.depth++);
    n->flags = f;
    n->ns = (unsigned char)ns;
    n->ip = (unsigned char)ip;
    n->len = (unsigned char)(len > 255 ? 255 : len);
    memcpy(n->name, name, SRI_TREE_NAME);
}

/* "While the current node is not a MathML text integration point, an HTML
   integration point, or an element in the HTML namespace, pop." */
static void break_out(sri_tree *t)
{
    while (t->pos.depth) {
        const sri_tree_node *n = top(t);
        if (n->ns == SRI_NS_HTML || n->ip != SRI_IP_NONE)
            break;
        t->pos.depth--;
    }
}

static int in_template(const sri_tree *t)
{
    size_t i;
    for (i = 0; i < t->pos.depth; i++) {
        const sri_tree_node *n = &t->ring[(t->pos.base + i) % SRI_TREE_DEPTH];
        if (n->ns == SRI_NS_HTML && (n->flags & F_TEMPLATE))
            return 1;
    }
    return 0;
}

int sri_tree_in_template(const sri_tree *t)
{
    return in_template(t);
}

int sri_tree_start_ignored(const sri_tree *t, unsigned f)
{
    const sri_tree_node *n;

    if (t->frameset)
        return !(f & F_NOFRAMES);
    /* "in column group" inside a template: only col and template count. */
    n = top(t);
    return n && n->ns == SRI_NS_HTML && n->ip == SRI_IP_COLGROUP
        && !(f & (F_COL | F_TEMPLATE));
}

static sri_text_mode html_start(sri_tree *t, const char *name, size_t len,
                                unsigned f, int self_closing, unsigned facts,
                                int *wanted)
{
    if (t->frameset) {
        /* "in frameset" / "after frameset": only <noframes> does anything. */
        return (f & F_NOFRAMES) ? SRI_TEXT_RAWTEXT : SRI_TEXT_DATA;
    }
    if (sri_tree_start_ignored(t, f))
        return SRI_TEXT_DATA;
    if (!f) {                           /* the common case: <div>, <span> */
        push(t, SRI_NS_HTML, SRI_IP_NONE, name, len, f);
        return SRI_TEXT_DATA;
    }
    if ((f & F_COL) && top_is_html(t, F_TEMPLATE))
        at(t, t->pos.depth - 1)->ip = SRI_IP_COLGROUP;
    if (f & F_FRAMESET) {
        /* Accepted only if frameset-ok and not inside <template> (where the
           second element on the stack is not body). */
        if (t->frameset_ok && !in_template(t))
            t->frameset = 1;
        return SRI_TEXT_DATA;
    }
    if ((f & F_FSKILL)
        && !((f & F_INPUT) && (facts & SRI_FACT_INPUT_HIDDEN)))
        t->frameset_ok = 0;
    if (f & (F_SVG | F_MATH)) {
        if (!self_closing)
            push(t, (f & F_SVG) ? SRI_NS_SVG : SRI_NS_MATH, SRI_IP_NONE,
                 name, len, f);
        return SRI_TEXT_DATA;
    }
    if (f & (F_SCRIPT | F_LINK | F_BASE))
        *wanted = 1;
    if (f & F_SCRIPT)
        return SRI_TEXT_SCRIPT;
    /* Raw text and RCDATA elements always end with their own end tag, which
       pops just them: they are not pushed (and the scanner does not pass
       that end tag to sri_tree_end). */
    if (f & F_RAWTEXT)
        return SRI_TEXT_RAWTEXT;
    if (f & F_RCDATA)
        return SRI_TEXT_RCDATA;
    if (f & F_PLAINTEXT)
        return SRI_TEXT_PLAINTEXT;
    sri_tree_implied_ends(t, &t->pos, f);
    if (!(f & (F_VOID | F_NOPUSH)))
        push(t, SRI_NS_HTML, SRI_IP_NONE, name, len, f);
    return SRI_TEXT_DATA;
}

sri_text_mode sri_tree_start(sri_tree *t, const char *name, size_t len,
                             unsigned f, int self_closing, unsigned facts,
                             int *wanted)
{
    const sri_tree_node *n;
    int ns, ip = SRI_IP_NONE;

    *wanted = 0;
    if (sri_tree_start_is_html(t, f))
        return html_start(t, name, len, f, self_closing, facts, wanted);

    /* Foreign content ("<svg><x"). */
    if ((f & F_BREAKOUT)
        || ((f & F_FONT) && (facts & SRI_FACT_FONT_BREAKS))) {
        break_out(t);
        return html_start(t, name, len, f, self_closing, facts, wanted);
    }
    if (t->frameset)
        return SRI_TEXT_DATA;
    n = top(t);
    ns = n->ns;
    if (ns == SRI_NS_SVG && (f & F_SVG_IP))
        ip = SRI_IP_HTML;
    else if (ns == SRI_NS_MATH && (f & F_MTEXT))
        ip = SRI_IP_MTEXT;
    else if (ns == SRI_NS_MATH && (f & F_ANNOT)
             && (facts & SRI_FACT_ANNOT_HTML))
        ip = SRI_IP_HTML;
    if (!self_closing)
        push(t, ns, ip, name, len, f);
    return SRI_TEXT_DATA;
}

/* An end tag handled by the HTML rules: pop to the nearest open HTML
   element of that name, unless an integration point or a scope boundary
   comes first (then, or when there is none, it is ignored). */
static void html_end(sri_tree *t, const char *name, size_t len, unsigned f)
{
    size_t i = t->pos.depth;

    if (f & F_NOPOP)
        return;
    if (f & F_TEMPLATE) {       /* only "template" has the flag */
        /* </template> ("in head", from every insertion mode): pop up to
           the nearest HTML template, through any scope or integration
           point; ignored when none is open. */
        for (; i > 0; i--) {
            const sri_tree_node *n = at(t, i - 1);
            if (n->ns == SRI_NS_HTML && (n->flags & F_TEMPLATE)) {
                t->pos.depth = i - 1;
                return;
            }
        }
        return;
    }
    while (i > 0) {
        const sri_tree_node *n = at(t, i - 1);
        if (n->ns == SRI_NS_HTML && node_is(n, name, len)) {
            t->pos.depth = i - 1;
            return;
        }
        if (f & F_TABLE_END) {
            /* "has an element in table scope": only html, table and
               template stop it (cells and captions are closed first). */
            if (n->ns == SRI_NS_HTML
                && ((n->flags & F_TEMPLATE)
                    || (n->flags & (F_TABLE_END | F_SCOPE))
                       == (F_TABLE_END | F_SCOPE)))
                return;
        } else {
            if (n->ns != SRI_NS_HTML && n->ip != SRI_IP_NONE)
                return;     /* an integration point */
            if (n->ns == SRI_NS_HTML && (n->flags & F_SCOPE))
                return;
        }
        i--;
    }
}

void sri_tree_end(sri_tree *t, const char *name, size_t len, unsigned f)
{
    const sri_tree_node *n = top(t);
    size_t i;

    if ((f & F_P_BR) && len == 2) {
        t->frameset_ok = 0;     /* </br> is treated as <br>: pops nothing */
        break_out(t);
        return;
    }
    if (!n || n->ns == SRI_NS_HTML) {
        html_end(t, name, len, f);
        return;
    }
    /* Foreign rules ("<svg>...</x"). */
    if (f & F_P_BR) {           /* </p>: back to HTML content, then as HTML */
        break_out(t);
        html_end(t, name, len, f);
        return;
    }
    for (i = t->pos.depth; i > 0; i--) {
        n = at(t, i - 1);
        if (node_is(n, name, len)) {
            t->pos.depth = i - 1;
            return;
        }
        if (i > 1 && at(t, i - 2)->ns == SRI_NS_HTML) {
            html_end(t, name, len, f);
            return;
        }
    }
}
