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
#include "sri_scan_tree.h"

#define F_SCRIPT    SRI_NAME_SCRIPT
#define F_LINK      SRI_NAME_LINK
#define F_BASE      SRI_NAME_BASE
#define F_FONT      SRI_NAME_FONT
#define F_ANNOT     SRI_NAME_ANNOT
#define F_RAWTEXT   0x000020u   /* style xmp iframe noembed noframes noscript */
#define F_RCDATA    0x000040u   /* title textarea                           */
#define F_PLAINTEXT 0x000080u
#define F_BREAKOUT  0x000100u   /* start tag leaves foreign content         */
#define F_VOID      0x000200u   /* HTML void element: never on the stack    */
#define F_FSKILL    0x000400u   /* start tag clears frameset-ok             */
#define F_SCOPE     0x000800u   /* HTML scope boundary                      */
#define F_SVG       0x001000u
#define F_MATH      0x002000u
#define F_FRAMESET  0x004000u
#define F_NOFRAMES  0x008000u
#define F_MTEXT     0x010000u   /* mi mo mn ms mtext                        */
#define F_SVG_IP    0x020000u   /* foreignObject desc title (in SVG)        */
#define F_MGLYPH    0x040000u   /* mglyph malignmark                        */
#define F_NOPOP     0x080000u   /* </html>, </body>: never pop              */
#define F_P_BR      0x100000u   /* </p>, </br>: break out of foreign content */
#define F_CLOSES_P  0x200000u   /* start tag closes an open <p>              */
#define F_NOPUSH    0x400000u   /* html head body: not tracked               */
#define F_LI        0x800000u
#define F_DDDT      0x1000000u
#define F_OPTION    0x2000000u
#define F_CELL      0x4000000u  /* td th                                     */
#define F_ROW       0x8000000u  /* tr                                        */
#define F_TABLE_END 0x10000000u /* </table> </tbody> </thead> </tfoot> </tr>:
                                   closes cells and captions on the way     */

struct name_entry {
    const char *name;
    unsigned char len;
    unsigned flags;
};

static const struct name_entry names[] = {
    { "address", 7, F_CLOSES_P },
    { "annotation-xml", 14, F_ANNOT },
    { "applet", 6, F_FSKILL|F_SCOPE },
    { "area", 4, F_VOID|F_FSKILL },
    { "article", 7, F_CLOSES_P },
    { "aside", 5, F_CLOSES_P },
    { "b", 1, F_BREAKOUT },
    { "base", 4, F_BASE|F_VOID },
    { "basefont", 8, F_VOID },
    { "bgsound", 7, F_VOID },
    { "big", 3, F_BREAKOUT },
    { "blockquote", 10, F_BREAKOUT|F_CLOSES_P },
    { "body", 4, F_BREAKOUT|F_FSKILL|F_NOPOP|F_NOPUSH },
    { "br", 2, F_BREAKOUT|F_VOID|F_FSKILL|F_P_BR },
    { "button", 6, F_FSKILL },
    { "caption", 7, F_SCOPE },
    { "center", 6, F_BREAKOUT|F_CLOSES_P },
    { "code", 4, F_BREAKOUT },
    { "col", 3, F_VOID },
    { "dd", 2, F_BREAKOUT|F_FSKILL|F_CLOSES_P|F_DDDT },
    { "desc", 4, F_SVG_IP },
    { "details", 7, F_CLOSES_P },
    { "dialog", 6, F_CLOSES_P },
    { "dir", 3, F_CLOSES_P },
    { "div", 3, F_BREAKOUT|F_CLOSES_P },
    { "dl", 2, F_BREAKOUT|F_CLOSES_P },
    { "dt", 2, F_BREAKOUT|F_FSKILL|F_CLOSES_P|F_DDDT },
    { "em", 2, F_BREAKOUT },
    { "embed", 5, F_BREAKOUT|F_VOID|F_FSKILL },
    { "fieldset", 8, F_CLOSES_P },
    { "figcaption", 10, F_CLOSES_P },
    { "figure", 6, F_CLOSES_P },
    { "font", 4, F_FONT },
    { "footer", 6, F_CLOSES_P },
    { "foreignobject", 13, F_SVG_IP },
    { "form", 4, F_CLOSES_P },
    { "frame", 5, F_VOID },
    { "frameset", 8, F_FRAMESET },
    { "h1", 2, F_BREAKOUT|F_CLOSES_P },
    { "h2", 2, F_BREAKOUT|F_CLOSES_P },
    { "h3", 2, F_BREAKOUT|F_CLOSES_P },
    { "h4", 2, F_BREAKOUT|F_CLOSES_P },
    { "h5", 2, F_BREAKOUT|F_CLOSES_P },
    { "h6", 2, F_BREAKOUT|F_CLOSES_P },
    { "head", 4, F_BREAKOUT|F_NOPUSH },
    { "header", 6, F_CLOSES_P },
    { "hgroup", 6, F_CLOSES_P },
    { "hr", 2, F_BREAKOUT|F_VOID|F_FSKILL|F_CLOSES_P },
    { "html", 4, F_SCOPE|F_NOPOP|F_NOPUSH },
    { "i", 1, F_BREAKOUT },
    { "iframe", 6, F_RAWTEXT|F_FSKILL },
    { "image", 5, F_VOID|F_FSKILL },
    { "img", 3, F_BREAKOUT|F_VOID|F_FSKILL },
    { "input", 5, F_VOID|F_FSKILL|SRI_NAME_INPUT },
    { "keygen", 6, F_VOID|F_FSKILL },
    { "li", 2, F_BREAKOUT|F_FSKILL|F_CLOSES_P|F_LI },
    { "link", 4, F_LINK|F_VOID },
    { "listing", 7, F_BREAKOUT|F_FSKILL|F_CLOSES_P },
    { "main", 4, F_CLOSES_P },
    { "malignmark", 10, F_MGLYPH },
    { "marquee", 7, F_FSKILL|F_SCOPE },
    { "math", 4, F_MATH },
    { "menu", 4, F_BREAKOUT|F_CLOSES_P },
    { "meta", 4, F_BREAKOUT|F_VOID },
    { "mglyph", 6, F_MGLYPH },
    { "mi", 2, F_MTEXT },
    { "mn", 2, F_MTEXT },
    { "mo", 2, F_MTEXT },
    { "ms", 2, F_MTEXT },
    { "mtext", 5, F_MTEXT },
    { "nav", 3, F_CLOSES_P },
    { "nobr", 4, F_BREAKOUT },
    { "noembed", 7, F_RAWTEXT },
    { "noframes", 8, F_RAWTEXT|F_NOFRAMES },
    { "noscript", 8, F_RAWTEXT },
    { "object", 6, F_FSKILL|F_SCOPE },
    { "ol", 2, F_BREAKOUT|F_CLOSES_P },
    { "optgroup", 8, F_OPTION },
    { "option", 6, F_OPTION },
    { "p", 1, F_BREAKOUT|F_P_BR|F_CLOSES_P },
    { "param", 5, F_VOID },
    { "plaintext", 9, F_PLAINTEXT|F_CLOSES_P },
    { "pre", 3, F_BREAKOUT|F_FSKILL|F_CLOSES_P },
    { "ruby", 4, F_BREAKOUT },
    { "s", 1, F_BREAKOUT },
    { "script", 6, F_SCRIPT },
    { "search", 6, F_CLOSES_P },
    { "section", 7, F_CLOSES_P },
    { "select", 6, F_FSKILL },
    { "small", 5, F_BREAKOUT },
    { "source", 6, F_VOID },
    { "span", 4, F_BREAKOUT },
    { "strike", 6, F_BREAKOUT },
    { "strong", 6, F_BREAKOUT },
    { "style", 5, F_RAWTEXT },
    { "sub", 3, F_BREAKOUT },
    { "summary", 7, F_CLOSES_P },
    { "sup", 3, F_BREAKOUT },
    { "svg", 3, F_SVG },
    { "table", 5, F_BREAKOUT|F_FSKILL|F_SCOPE|F_CLOSES_P|F_TABLE_END },
    { "tbody", 5, F_TABLE_END },
    { "td", 2, F_CELL|F_SCOPE },
    { "template", 8, F_SCOPE },
    { "textarea", 8, F_RCDATA|F_FSKILL },
    { "tfoot", 5, F_TABLE_END },
    { "th", 2, F_CELL|F_SCOPE },
    { "thead", 5, F_TABLE_END },
    { "title", 5, F_RCDATA|F_SVG_IP },
    { "tr", 2, F_ROW|F_TABLE_END },
    { "track", 5, F_VOID },
    { "tt", 2, F_BREAKOUT },
    { "u", 1, F_BREAKOUT },
    { "ul", 2, F_BREAKOUT|F_CLOSES_P },
    { "var", 3, F_BREAKOUT },
    { "wbr", 3, F_VOID|F_FSKILL },
    { "xmp", 3, F_RAWTEXT|F_FSKILL|F_CLOSES_P },
};
/* names[first[c - 'a']] .. names[first[c - 'a' + 1]] start with c */
static const unsigned char first[27] = {
    0, 6, 15, 19, 27, 29, 38, 38, 49, 54, 54, 55, 58, 70, 75, 79, 83, 83, 84, 99, 111, 113, 114, 115, 116, 116, 116
};

static unsigned name_flags(const char *n, size_t len)
{
    unsigned i, c;

    if (len == 0 || len > 14)
        return 0;
    c = (unsigned char)n[0];
    if (c < 'a' || c > 'z')
        return 0;
    for (i = first[c - 'a']; i < first[c - 'a' + 1]; i++)
        if (names[i].len == len && memcmp(names[i].name, n, len) == 0)
            return names[i].flags;
    return 0;
}

unsigned sri_tree_name_flags(const char *name, size_t len)
{
    return name_flags(name, len);
}

void sri_tree_init(sri_tree *t)
{
    memset(t, 0, sizeof *t);
    t->frameset_ok = 1;
}

/* Entry i of the stack, 0 = bottom. */
static sri_tree_node *at(sri_tree *t, size_t i)
{
    return &t->ring[(t->base + i) % SRI_TREE_DEPTH];
}

static const sri_tree_node *top(const sri_tree *t)
{
    return t->depth
        ? &t->ring[(t->base + t->depth - 1) % SRI_TREE_DEPTH] : NULL;
}

static int node_is(const sri_tree_node *n, const char *name, size_t len)
{
    size_t k = len < SRI_TREE_NAME ? len : SRI_TREE_NAME;
    return n->len == (len > 255 ? 255 : len) && memcmp(n->name, name, k) == 0;
}

static int node_is_name(const char *name, size_t len, const char *lit)
{
    return len == strlen(lit) && memcmp(name, lit, len) == 0;
}

static int top_is_html(const sri_tree *t, unsigned flag)
{
    const sri_tree_node *n = top(t);
    return n && n->ns == SRI_NS_HTML
        && (name_flags(n->name, n->len) & flag);
}

int sri_tree_start_is_html(const sri_tree *t, const char *name, size_t len)
{
    const sri_tree_node *n = top(t);
    unsigned f;

    if (!n || n->ns == SRI_NS_HTML)
        return 1;
    f = name_flags(name, len);
    if (n->ip == SRI_IP_MTEXT && !(f & F_MGLYPH))
        return 1;
    if (n->ns == SRI_NS_MATH && node_is(n, "annotation-xml", 14) && (f & F_SVG))
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

static void push(sri_tree *t, int ns, int ip, const char *name, size_t len)
{
    sri_tree_node *n;

    if (t->depth == SRI_TREE_DEPTH) {   /* forget the bottom entry */
        t->base = (t->base + 1) % SRI_TREE_DEPTH;
        t->depth--;
    }
    n = at(t, t->depth++);
    n->ns = (unsigned char)ns;
    n->ip = (unsigned char)ip;
    n->len = (unsigned char)(len > 255 ? 255 : len);
    memcpy(n->name, name, len < SRI_TREE_NAME ? len : SRI_TREE_NAME);
}

/* "While the current node is not a MathML text integration point, an HTML
   integration point, or an element in the HTML namespace, pop." */
static void break_out(sri_tree *t)
{
    while (t->depth) {
        const sri_tree_node *n = top(t);
        if (n->ns == SRI_NS_HTML || n->ip != SRI_IP_NONE)
            break;
        t->depth--;
    }
}

static int in_template(sri_tree *t)
{
    size_t i;
    for (i = 0; i < t->depth; i++) {
        const sri_tree_node *n = at(t, i);
        if (n->ns == SRI_NS_HTML && node_is(n, "template", 8))
            return 1;
    }
    return 0;
}

/* The common implied end tags of the "in body" start tag rules. */
static void implied_ends(sri_tree *t, unsigned f)
{
    if ((f & F_CLOSES_P) && top_is_html(t, F_P_BR) && top(t)->len == 1)
        t->depth--;
    if ((f & F_LI) && top_is_html(t, F_LI))
        t->depth--;
    if ((f & F_DDDT) && top_is_html(t, F_DDDT))
        t->depth--;
    if ((f & (F_OPTION)) && top_is_html(t, F_OPTION))
        t->depth--;
    if ((f & (F_CELL | F_ROW)) && top_is_html(t, F_CELL))
        t->depth--;
    if ((f & F_ROW) && top_is_html(t, F_ROW))
        t->depth--;
}

static int colgroup_template(const sri_tree *t)
{
    const sri_tree_node *n = top(t);
    return n && n->ns == SRI_NS_HTML && n->ip == SRI_IP_COLGROUP;
}

int sri_tree_start_ignored(const sri_tree *t, const char *name, size_t len)
{
    if (t->frameset)
        return !(name_flags(name, len) & F_NOFRAMES);
    /* "in column group" inside a template: only col and template count. */
    return colgroup_template(t) && !node_is_name(name, len, "col")
        && !node_is_name(name, len, "template");
}

static sri_text_mode html_start(sri_tree *t, const char *name, size_t len,
                                unsigned f, int self_closing, unsigned facts,
                                int *reported)
{
    if (t->frameset) {
        /* "in frameset" / "after frameset": only <noframes> does anything. */
        return (f & F_NOFRAMES) ? SRI_TEXT_RAWTEXT : SRI_TEXT_DATA;
    }
    if (sri_tree_start_ignored(t, name, len))
        return SRI_TEXT_DATA;
    if (node_is_name(name, len, "col") && top(t) && top(t)->ns == SRI_NS_HTML
        && node_is(top(t), "template", 8))
        at(t, t->depth - 1)->ip = SRI_IP_COLGROUP;
    if (f & F_FRAMESET) {
        /* Accepted only if frameset-ok and not inside <template> (where the
           second element on the stack is not body). */
        if (t->frameset_ok && !in_template(t))
            t->frameset = 1;
        return SRI_TEXT_DATA;
    }
    if ((f & F_FSKILL)
        && !((f & SRI_NAME_INPUT) && (facts & SRI_FACT_INPUT_HIDDEN)))
        t->frameset_ok = 0;
    if (f & (F_SVG | F_MATH)) {
        if (!self_closing)
            push(t, (f & F_SVG) ? SRI_NS_SVG : SRI_NS_MATH, SRI_IP_NONE,
                 name, len);
        return SRI_TEXT_DATA;
    }
    if (f & (F_SCRIPT | F_LINK | F_BASE))
        *reported = 1;
    if (f & F_SCRIPT)
        return SRI_TEXT_SCRIPT;
    /* Raw text and RCDATA elements always end with their own end tag, and
       that end tag would find nothing to pop: they are not pushed. */
    if (f & F_RAWTEXT)
        return SRI_TEXT_RAWTEXT;
    if (f & F_RCDATA)
        return SRI_TEXT_RCDATA;
    if (f & F_PLAINTEXT)
        return SRI_TEXT_PLAINTEXT;
    if (f)
        implied_ends(t, f);
    if (!(f & (F_VOID | F_NOPUSH)))
        push(t, SRI_NS_HTML, SRI_IP_NONE, name, len);
    return SRI_TEXT_DATA;
}

sri_text_mode sri_tree_start(sri_tree *t, const char *name, size_t len,
                             int self_closing, unsigned facts, int *reported)
{
    int font_breaks = (facts & SRI_FACT_FONT_BREAKS) != 0;
    int annot_html = (facts & SRI_FACT_ANNOT_HTML) != 0;
    unsigned f = name_flags(name, len);
    const sri_tree_node *n;
    int ns, ip = SRI_IP_NONE;

    *reported = 0;
    if (sri_tree_start_is_html(t, name, len))
        return html_start(t, name, len, f, self_closing, facts, reported);

    /* Foreign content ("<svg><x"). */
    if ((f & F_BREAKOUT) || ((f & F_FONT) && font_breaks)) {
        break_out(t);
        return html_start(t, name, len, f, self_closing, facts, reported);
    }
    if (t->frameset)
        return SRI_TEXT_DATA;
    n = top(t);
    ns = n->ns;
    if (ns == SRI_NS_SVG && (f & F_SVG_IP))
        ip = SRI_IP_HTML;
    else if (ns == SRI_NS_MATH && (f & F_MTEXT))
        ip = SRI_IP_MTEXT;
    else if (ns == SRI_NS_MATH && (f & F_ANNOT) && annot_html)
        ip = SRI_IP_HTML;
    if (!self_closing)
        push(t, ns, ip, name, len);
    return SRI_TEXT_DATA;
}

/* An end tag handled by the HTML rules: pop to the nearest open HTML
   element of that name, unless an integration point or a scope boundary
   comes first (then, or when there is none, it is ignored). */
static void html_end(sri_tree *t, const char *name, size_t len, unsigned f)
{
    size_t i = t->depth;

    if (f & F_NOPOP)
        return;
    while (i > 0) {
        const sri_tree_node *n = at(t, i - 1);
        if (n->ns == SRI_NS_HTML && node_is(n, name, len)) {
            t->depth = i - 1;
            return;
        }
        if (f & F_TABLE_END) {
            /* "has an element in table scope": only html, table and
               template stop it (cells and captions are closed first). */
            if (n->ns == SRI_NS_HTML
                && (node_is(n, "table", 5) || node_is(n, "template", 8)))
                return;
        } else {
            if (n->ns != SRI_NS_HTML && n->ip != SRI_IP_NONE)
                return;     /* an integration point */
            if (n->ns == SRI_NS_HTML && (name_flags(n->name, n->len) & F_SCOPE))
                return;
        }
        i--;
    }
}

void sri_tree_end(sri_tree *t, const char *name, size_t len)
{
    unsigned f = name_flags(name, len);
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
    for (i = t->depth; i > 0; i--) {
        n = at(t, i - 1);
        if (node_is(n, name, len)) {
            t->depth = i - 1;
            return;
        }
        if (i > 1 && at(t, i - 2)->ns == SRI_NS_HTML) {
            html_end(t, name, len, f);
            return;
        }
    }
}
