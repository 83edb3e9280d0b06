/*
 * sri_scan_tree.c -- the tree-construction facts that switch tokenizer
 * states: foreign content (<svg>, <math>), integration points, breakout
 * tags, frameset documents.
 *
 * Why: an HTML5 browser decides "<script> starts raw text and loads a
 * script" in the tree builder, not in the tokenizer.  The scanner must agree
 * with it without building a tree, so this file keeps the smallest model that
 * answers the question: the stack of elements open since the outermost
 * <svg>/<math> (empty in plain HTML, which is the fast path), and the
 * frameset-ok flag.
 *
 * Approximations (full tree construction would be needed; each is rare in
 * real pages and listed in tests/oracle/expected-failures where it shows):
 *  - Only elements opened inside foreign content are tracked.  An HTML end
 *    tag processed by the HTML rules that matches nothing tracked is assumed
 *    to close an HTML ancestor of the foreign subtree (so foreign content
 *    ends), except </html> and </body>, which never pop.
 *  - HTML end tags inside integration points pop to the nearest tracked
 *    element of that name unless a scope boundary is crossed; implied end
 *    tags and the adoption agency are not modelled.
 *  - frameset-ok is cleared by non-whitespace text in the data state, by
 *    <body> and by the start tags the spec lists; once a <frameset> is
 *    accepted, every later start tag but <noframes> is ignored (as in the
 *    "in frameset" and "after frameset" modes).
 *  - Insertion modes are not tracked otherwise: a start tag the tree builder
 *    would ignore in a rare mode (e.g. in "in select") is treated as in body.
 *  - More than SRI_TREE_DEPTH nested foreign elements: the deeper ones are
 *    counted, not named; names are compared on their first SRI_TREE_NAME
 *    bytes and their length.
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

struct name_entry {
    const char *name;
    unsigned char len;
    unsigned flags;
};

static const struct name_entry names[] = {
    { "annotation-xml", 14, F_ANNOT },
    { "applet", 6, F_FSKILL|F_SCOPE },
    { "area", 4, F_VOID|F_FSKILL },
    { "b", 1, F_BREAKOUT },
    { "base", 4, F_BASE|F_VOID },
    { "basefont", 8, F_VOID },
    { "bgsound", 7, F_VOID },
    { "big", 3, F_BREAKOUT },
    { "blockquote", 10, F_BREAKOUT },
    { "body", 4, F_BREAKOUT|F_FSKILL|F_NOPOP },
    { "br", 2, F_BREAKOUT|F_VOID|F_FSKILL|F_P_BR },
    { "button", 6, F_FSKILL },
    { "caption", 7, F_SCOPE },
    { "center", 6, F_BREAKOUT },
    { "code", 4, F_BREAKOUT },
    { "col", 3, F_VOID },
    { "dd", 2, F_BREAKOUT|F_FSKILL },
    { "desc", 4, F_SVG_IP },
    { "div", 3, F_BREAKOUT },
    { "dl", 2, F_BREAKOUT },
    { "dt", 2, F_BREAKOUT|F_FSKILL },
    { "em", 2, F_BREAKOUT },
    { "embed", 5, F_BREAKOUT|F_VOID|F_FSKILL },
    { "font", 4, F_FONT },
    { "foreignobject", 13, F_SVG_IP },
    { "frame", 5, F_VOID },
    { "frameset", 8, F_FRAMESET },
    { "h1", 2, F_BREAKOUT },
    { "h2", 2, F_BREAKOUT },
    { "h3", 2, F_BREAKOUT },
    { "h4", 2, F_BREAKOUT },
    { "h5", 2, F_BREAKOUT },
    { "h6", 2, F_BREAKOUT },
    { "head", 4, F_BREAKOUT },
    { "hr", 2, F_BREAKOUT|F_VOID|F_FSKILL },
    { "html", 4, F_SCOPE|F_NOPOP },
    { "i", 1, F_BREAKOUT },
    { "iframe", 6, F_RAWTEXT|F_FSKILL },
    { "image", 5, F_VOID|F_FSKILL },
    { "img", 3, F_BREAKOUT|F_VOID|F_FSKILL },
    { "input", 5, F_VOID|F_FSKILL },
    { "keygen", 6, F_VOID|F_FSKILL },
    { "li", 2, F_BREAKOUT|F_FSKILL },
    { "link", 4, F_LINK|F_VOID },
    { "listing", 7, F_BREAKOUT|F_FSKILL },
    { "malignmark", 10, F_MGLYPH },
    { "marquee", 7, F_FSKILL|F_SCOPE },
    { "math", 4, F_MATH },
    { "menu", 4, F_BREAKOUT },
    { "meta", 4, F_BREAKOUT|F_VOID },
    { "mglyph", 6, F_MGLYPH },
    { "mi", 2, F_MTEXT },
    { "mn", 2, F_MTEXT },
    { "mo", 2, F_MTEXT },
    { "ms", 2, F_MTEXT },
    { "mtext", 5, F_MTEXT },
    { "nobr", 4, F_BREAKOUT },
    { "noembed", 7, F_RAWTEXT },
    { "noframes", 8, F_RAWTEXT|F_NOFRAMES },
    { "noscript", 8, F_RAWTEXT },
    { "object", 6, F_FSKILL|F_SCOPE },
    { "ol", 2, F_BREAKOUT },
    { "p", 1, F_BREAKOUT|F_P_BR },
    { "param", 5, F_VOID },
    { "plaintext", 9, F_PLAINTEXT },
    { "pre", 3, F_BREAKOUT|F_FSKILL },
    { "ruby", 4, F_BREAKOUT },
    { "s", 1, F_BREAKOUT },
    { "script", 6, F_SCRIPT },
    { "select", 6, F_FSKILL },
    { "small", 5, F_BREAKOUT },
    { "source", 6, F_VOID },
    { "span", 4, F_BREAKOUT },
    { "strike", 6, F_BREAKOUT },
    { "strong", 6, F_BREAKOUT },
    { "style", 5, F_RAWTEXT },
    { "sub", 3, F_BREAKOUT },
    { "sup", 3, F_BREAKOUT },
    { "svg", 3, F_SVG },
    { "table", 5, F_BREAKOUT|F_FSKILL|F_SCOPE },
    { "td", 2, F_SCOPE },
    { "template", 8, F_SCOPE },
    { "textarea", 8, F_RCDATA|F_FSKILL },
    { "th", 2, F_SCOPE },
    { "title", 5, F_RCDATA|F_SVG_IP },
    { "track", 5, F_VOID },
    { "tt", 2, F_BREAKOUT },
    { "u", 1, F_BREAKOUT },
    { "ul", 2, F_BREAKOUT },
    { "var", 3, F_BREAKOUT },
    { "wbr", 3, F_VOID|F_FSKILL },
    { "xmp", 3, F_RAWTEXT|F_FSKILL },
};
/* names[first[c - 'a']] .. names[first[c - 'a' + 1]] start with c */
static const unsigned char first[27] = {
    0, 3, 12, 16, 21, 23, 27, 27, 36, 41, 41, 42, 45, 56, 60, 62, 66, 66, 67, 79, 87, 89, 90, 91, 92, 92, 92
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

static const sri_tree_node *top(const sri_tree *t)
{
    /* Beyond SRI_TREE_DEPTH the deepest named entry stands in. */
    return t->depth ? &t->stack[t->depth - 1] : NULL;
}

static int node_is(const sri_tree_node *n, const char *name, size_t len)
{
    size_t k = len < SRI_TREE_NAME ? len : SRI_TREE_NAME;
    return n->len == (len > 255 ? 255 : len) && memcmp(n->name, name, k) == 0;
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

    if (t->depth == SRI_TREE_DEPTH) {
        t->lost++;
        return;
    }
    n = &t->stack[t->depth++];
    n->ns = (unsigned char)ns;
    n->ip = (unsigned char)ip;
    n->len = (unsigned char)(len > 255 ? 255 : len);
    memcpy(n->name, name, len < SRI_TREE_NAME ? len : SRI_TREE_NAME);
}

/* Pop entries so that `depth` remain. */
static void pop_to(sri_tree *t, size_t depth)
{
    if (t->lost) {          /* the untracked deep entries go first */
        size_t drop = t->depth + t->lost - depth;
        if (drop <= t->lost) {
            t->lost -= drop;
            return;
        }
        t->lost = 0;
    }
    if (depth < t->depth)
        t->depth = depth;
}

/* "While the current node is not a MathML text integration point, an HTML
   integration point, or an element in the HTML namespace, pop." */
static void break_out(sri_tree *t)
{
    t->lost = 0;
    while (t->depth) {
        const sri_tree_node *n = &t->stack[t->depth - 1];
        if (n->ns == SRI_NS_HTML || n->ip != SRI_IP_NONE)
            break;
        t->depth--;
    }
}

static sri_text_mode html_start(sri_tree *t, const char *name, size_t len,
                                unsigned f, int self_closing, int *reported)
{
    if (t->frameset) {
        /* "in frameset" / "after frameset": only <noframes> does anything. */
        return (f & F_NOFRAMES) ? SRI_TEXT_RAWTEXT : SRI_TEXT_DATA;
    }
    if (f & F_FRAMESET) {
        if (t->frameset_ok && t->depth == 0)
            t->frameset = 1;
        return SRI_TEXT_DATA;
    }
    if (f & F_FSKILL)
        t->frameset_ok = 0;
    if (f & (F_SVG | F_MATH)) {
        if (!self_closing)
            push(t, (f & F_SVG) ? SRI_NS_SVG : SRI_NS_MATH, SRI_IP_NONE,
                 name, len);
        return SRI_TEXT_DATA;
    }
    if (f & (F_SCRIPT | F_LINK | F_BASE))
        *reported = 1;
    if (t->depth && !(f & F_VOID))  /* HTML inside an integration point */
        push(t, SRI_NS_HTML, SRI_IP_NONE, name, len);
    if (f & F_SCRIPT)
        return SRI_TEXT_SCRIPT;
    if (f & F_RAWTEXT)
        return SRI_TEXT_RAWTEXT;
    if (f & F_RCDATA)
        return SRI_TEXT_RCDATA;
    if (f & F_PLAINTEXT)
        return SRI_TEXT_PLAINTEXT;
    return SRI_TEXT_DATA;
}

sri_text_mode sri_tree_start(sri_tree *t, const char *name, size_t len,
                             int self_closing, int font_breaks,
                             int annot_html, int *reported)
{
    unsigned f = name_flags(name, len);
    const sri_tree_node *n;
    int ns, ip = SRI_IP_NONE;

    *reported = 0;
    if (sri_tree_start_is_html(t, name, len))
        return html_start(t, name, len, f, self_closing, reported);

    /* Foreign content ("<svg><x"). */
    if ((f & F_BREAKOUT) || ((f & F_FONT) && font_breaks)) {
        break_out(t);
        return html_start(t, name, len, f, self_closing, reported);
    }
    if (t->frameset)
        return SRI_TEXT_DATA;
    t->frameset_ok = 0;     /* approximation: foreign markup means content */
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

/* An end tag handled by the HTML rules while foreign content is open,
   starting the walk at stack index `from` (exclusive upper bound). */
static void html_end(sri_tree *t, const char *name, size_t len, size_t from,
                     unsigned f)
{
    size_t i = from;

    while (i > 0) {
        const sri_tree_node *n = &t->stack[i - 1];
        if (n->ns == SRI_NS_HTML && node_is(n, name, len)) {
            pop_to(t, i - 1);
            return;
        }
        if (n->ip != SRI_IP_NONE)
            return;             /* foreign scope boundary: ignored */
        if (n->ns == SRI_NS_HTML
            && (name_flags(n->name, n->len) & F_SCOPE))
            return;
        i--;
    }
    /* Matched nothing tracked: assume an HTML ancestor is closed. */
    if (!(f & F_NOPOP)) {
        t->depth = 0;
        t->lost = 0;
    }
}

void sri_tree_end(sri_tree *t, const char *name, size_t len)
{
    unsigned f = name_flags(name, len);
    const sri_tree_node *n = top(t);
    size_t i;

    if ((f & F_P_BR) && len == 2)
        t->frameset_ok = 0;     /* </br> is treated as <br> */
    if (!n)
        return;
    if (n->ns == SRI_NS_HTML) {
        html_end(t, name, len, t->depth, f);
        return;
    }
    /* Foreign rules. */
    if (f & F_P_BR) {
        /* "</br>" and "</p>": pop to HTML content, then the HTML rules:
           </br> acts as <br> (pops nothing), </p> closes a p in scope. */
        break_out(t);
        if (t->depth && len == 1)
            html_end(t, name, len, t->depth, f);
        return;
    }
    if (t->lost) {
        /* Untracked deep elements: assume the end tag closes the deepest. */
        t->lost--;
        return;
    }
    for (i = t->depth; i > 0; i--) {
        n = &t->stack[i - 1];
        if (node_is(n, name, len)) {
            pop_to(t, i - 1);
            return;
        }
        if (i - 1 > 0 && t->stack[i - 2].ns == SRI_NS_HTML) {
            html_end(t, name, len, t->depth, f);
            return;
        }
    }
    /* Walked past the outermost <svg>/<math>: the HTML rules apply, walking
       from the current node. */
    html_end(t, name, len, t->depth, f);
}
