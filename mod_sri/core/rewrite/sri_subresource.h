/*
 * sri_subresource.h -- which elements fetch a subresource the browser checks
 * against an integrity attribute, and for which URL.
 *
 * Why: the module and `sri-registry apply` (through the streaming scanner)
 * and `sri-registry scan` (through libxml2's HTML parser) must agree on
 * exactly which <script>/<link> tags take integrity: a tag scan does not
 * list is a gap in the inventory, a tag it lists that the module does not
 * pin is a false assurance.  So the rule is one function, and it reads the
 * element's attributes through a small lookup interface that any parser can
 * provide.
 */
#ifndef SRI_SUBRESOURCE_H
#define SRI_SUBRESOURCE_H

#include <stddef.h>
#include <apr_pools.h>
#include "registry/sri_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SRI_FETCH_NONE = 0,
    SRI_FETCH_SCRIPT,           /* <script src>, classic or module script   */
    SRI_FETCH_STYLESHEET,       /* <link rel=stylesheet href>               */
    SRI_FETCH_MODULEPRELOAD,    /* <link rel=modulepreload href>            */
    SRI_FETCH_PRELOAD,          /* <link rel=preload as=script|style href>  */
    SRI_FETCH_IMPORTMAP,        /* a module URL an import map maps to (not a
                                   tag: see sri_is_importmap)               */
    SRI_FETCH_SVG_SCRIPT        /* an SVG <script href>: fetched and run, but
                                   browsers check no integrity on it (see
                                   sri_svg_script)                          */
} sri_fetch_kind;

/* How the rules read an element's attributes.  get() returns the value of
   the attribute named lname (ASCII lower case) as the DOM has it --
   character references decoded, the first of duplicate attributes -- with
   its length in *len: "" for an attribute written without a value, NULL
   when the element has no such attribute.  Memory may come from p. */
typedef struct {
    const char *(*get)(void *ctx, apr_pool_t *p, const char *lname,
                       size_t *len);
    void *ctx;
} sri_attrs;

/* "script", "stylesheet", "modulepreload", "preload", "importmap",
   "svg-script" ("" for NONE). */
const char *sri_fetch_kind_name(sri_fetch_kind k);

/* Does the element called name (ASCII, any case) fetch a subresource whose
   integrity the browser checks?  When it does and its src (href) resolves
   against base -- the document's base URL -- to an http(s) URL, returns
   the kind and sets *url to that URL (normalised, from p); otherwise
   SRI_FETCH_NONE.  The rules are the HTML standard's: a <script> is
   fetched when it has a src and its type is a JavaScript MIME type or
   "module"; a <link> honours integrity when its rel has stylesheet or
   modulepreload, or preload with as=script or as=style. */
sri_fetch_kind sri_subresource(apr_pool_t *p, const char *name,
                               const sri_attrs *a, const char *base,
                               const char **url);

/* An SVG <script> element (in SVG content, not HTML's): browsers fetch
   and run the URL of its href attribute, or of its xlink:href when it has
   no href (whatever its type and language, here), and no integrity
   attribute applies to it (SVG
   has none), so no registry entry can pin it.  Returns 1 and sets *url
   (normalised, from p) when that reference resolves against base to an
   http(s) URL; else 0. */
int sri_svg_script(apr_pool_t *p, const sri_attrs *a, const char *base,
                   const char **url);

/* Is the element a <script type="importmap"> (no src, type "importmap" in
   any case, surrounding whitespace stripped)?  Its text maps module URLs
   (rewrite/sri_importmap.h). */
int sri_is_importmap(apr_pool_t *p, const char *name, const sri_attrs *a);

/* <base>: the document's base URL is set by the first <base> element that
   has an href.  Returns 0 when this one has none (keep looking); else 1,
   with *base set to its href resolved against doc_url, or to doc_url when
   it does not resolve or its scheme is data or javascript (HTML's frozen
   base URL; from p). */
int sri_base_element(apr_pool_t *p, const sri_attrs *a, const char *doc_url,
                     const char **base);

/* What the author's integrity attribute means for a registered URL. */
typedef enum {
    SRI_AUTHOR_NONE = 0,    /* no integrity attribute                       */
    SRI_AUTHOR_FAIL_OPEN,   /* one without a usable token (see
                               sri_integrity_strongest): it pins nothing    */
    SRI_AUTHOR_MATCH,       /* the digests browsers compare (those of the
                               strongest algorithm they read) include an
                               approved one, and so do the author's Ed25519
                               keys, if any (signature-based SRI: both
                               checks must pass)                            */
    SRI_AUTHOR_MISMATCH     /* usable, but the tokens browsers compare hold
                               none of the approved ones: the approved
                               bytes would be refused                       */
} sri_author_integrity;

/* Classify the element's integrity attribute against e's approved tokens
   (tokens compare by digest: base64url or unpadded spellings of an
   approved token match it).  A valid "ed25519-" key is a usable token: an
   attribute with only keys is not fail-open for this purpose (browsers
   without signature-based SRI ignore it, as they ignore the registry's own
   key pins: see README). */
sri_author_integrity sri_author_integrity_of(apr_pool_t *p,
                                             const sri_attrs *a,
                                             const sri_entry *e);

#ifdef __cplusplus
}
#endif
#endif /* SRI_SUBRESOURCE_H */
