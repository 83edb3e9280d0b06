/*
 * sri_rewrite.h -- the rewrite rules: which tags get integrity, and what.
 *
 * Why: kept apart from the scanner (which only finds tags) and from the
 * output (httpd buckets, or stdout in sri-registry apply), so that the one
 * decision "does this <script>/<link> get integrity, crossorigin, or get
 * blocked" is made by the same code in the server, the tool and the tests.
 */
#ifndef SRI_REWRITE_H
#define SRI_REWRITE_H

#include <stddef.h>
#include <apr_pools.h>
#include "html/sri_scan.h"
#include "registry/sri_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { SRI_SCOPE_THIRD_PARTY = 0, SRI_SCOPE_ALL } sri_scope;
typedef enum { SRI_UNKNOWN_ALLOW = 0, SRI_UNKNOWN_LOG, SRI_UNKNOWN_BLOCK } sri_unknown;
typedef enum { SRI_EXISTING_KEEP = 0, SRI_EXISTING_REPLACE } sri_existing;
typedef enum { SRI_CORS_ANONYMOUS = 0, SRI_CORS_USE_CREDENTIALS } sri_cors;

typedef struct {
    sri_scope    scope;
    sri_unknown  unknown;
    sri_existing existing;
    sri_cors     crossorigin;
} sri_policy;

/* What happened to each tag, for logs, notes and tests. */
typedef enum {
    SRI_OUTCOME_IGNORED = 0,    /* not a subresource SRI applies to, or same
                                   origin under scope third-party          */
    SRI_OUTCOME_PINNED,         /* integrity (and crossorigin) added/replaced */
    SRI_OUTCOME_KEPT,           /* author's integrity kept                  */
    SRI_OUTCOME_UNKNOWN,        /* third-party, not in the registry         */
    SRI_OUTCOME_BLOCKED,        /* unknown and neutralised                  */
    SRI_OUTCOME_REPAIRED,       /* registered; the author's integrity had no
                                   usable token (fail-open) and was replaced
                                   by the approved tokens, crossorigin added
                                   if missing (any SRIExisting policy)      */
    SRI_OUTCOME_MISMATCH,       /* registered; the author's usable integrity
                                   holds none of the approved tokens and was
                                   kept (SRIExisting keep)                  */
    SRI_OUTCOME_MAP_UNEDITED,   /* an import map that would have been given
                                   an integrity section was left as written
                                   (sri_rewriter_keep_importmaps)           */
    SRI_OUTCOME_MAP_UNREAD,     /* an import map mod_sri cannot read (not
                                   JSON as browsers read it): left as
                                   written                                  */
    SRI_OUTCOME_SVG_SCRIPT,     /* an SVG <script> loads a third-party (or,
                                   under scope all, registered) URL that no
                                   integrity can pin: left as written,
                                   counted as unknown                       */
    SRI_OUTCOME_SVG_BLOCKED,    /* such an SVG <script>, neutralised (policy
                                   block), counted as blocked               */
    SRI_OUTCOME_SRCDOC_DEEP     /* an <iframe srcdoc> page nested deeper than
                                   SRI_SRCDOC_DEPTH: left as written        */
} sri_outcome;

/* srcdoc pages inside srcdoc pages that are rewritten (each level doubles
   the escaping); a deeper one is left as written, and the host hears of
   it (SRI_OUTCOME_SRCDOC_DEEP).  sri-registry scan reads as deep. */
#define SRI_SRCDOC_DEPTH 4

/* pinned counts every tag given our tokens, repaired included; kept every
   author's integrity left as written, mismatch included. */
typedef struct {
    unsigned long pinned, kept, unknown, blocked, tags;
    unsigned long repaired, mismatch;
} sri_counters;

typedef struct sri_rewriter sri_rewriter;

/* Called for each outcome worth a log line: UNKNOWN (unless policy allow),
   BLOCKED, REPAIRED and MISMATCH with the tag's (or map entry's) URL;
   SVG_SCRIPT (when the URL is registered, or the policy is log) and
   SVG_BLOCKED with the URL; MAP_UNEDITED, MAP_UNREAD and SRCDOC_DEEP with
   url NULL.
   May be NULL. */
typedef void (*sri_unknown_fn)(void *ctx, sri_outcome o, const char *url);

/* Called when a tag of interest or an import map's text of len bytes
   outgrew the scanner's bound and passed unmodified, undecided; may be
   NULL. */
typedef void (*sri_overflow_fn)(void *ctx, size_t len);

/* doc_url: the absolute URL of the document (normalised inside).  reg may
   be NULL (nothing is pinned).  All memory comes from p; per-tag memory is
   reclaimed per tag, so a page with a million tags runs in constant space. */
sri_rewriter *sri_rewriter_create(apr_pool_t *p, const sri_registry *reg,
                                  const char *doc_url, const sri_policy *pol);
void sri_rewriter_on_unknown(sri_rewriter *rw, sri_unknown_fn fn, void *ctx);
void sri_rewriter_on_overflow(sri_rewriter *rw, sri_overflow_fn fn,
                              void *ctx);

/* The scanner bound the host gave sri_scan_create() (0: its default), for
   the pages of <iframe srcdoc> attributes, which the rewriter scans itself
   (sri_rewriter_run() sets it). */
void sri_rewriter_max_tag(sri_rewriter *rw, size_t max_tag);

/* Leave import maps as written (no "integrity" section added): the
   response's Content-Security-Policy allows inline scripts by hash (see
   sri_csp.h), and an edited map would no longer match its hash. */
void sri_rewriter_keep_importmaps(sri_rewriter *rw, int keep);

/* The scanner's decisions for this rewriter (ctx is rw): on_tag, wants_text
   and on_text below, on_overflow to the sri_overflow_fn.  A host gives
   them to sri_scan_create() beside its own output. */
sri_scan_decisions sri_rewriter_decisions(sri_rewriter *rw);

/* The scanner's on_tag decision; ctx is the sri_rewriter. */
int sri_rewriter_on_tag(void *rw, const sri_tag *tag, sri_edit *edits,
                        size_t max_edits);

/* The scanner's wants_text/on_text decisions (ctx is the sri_rewriter):
   the text of <script type="importmap"> is held, and an "integrity"
   section is added for the registered module URLs it maps. */
int sri_rewriter_wants_text(void *rw, const sri_tag *tag);
int sri_rewriter_on_text(void *rw, const sri_tag *tag_or_null,
                         const char *text, size_t len, sri_edit *edits,
                         size_t max_edits);

/* Outcome of the last tag passed to sri_rewriter_on_tag(). */
sri_outcome sri_rewriter_last(const sri_rewriter *rw);
const sri_counters *sri_rewriter_counters(const sri_rewriter *rw);
/* Set the counters (a page served from a cache has the counts it had). */
void sri_rewriter_set_counters(sri_rewriter *rw, const sri_counters *n);

/* Rewrite a whole buffer with an existing rewriter (its counters and its
   unknown-URL and overflow callbacks apply); output NUL-terminated from p.
   max_tag as for sri_scan_create(). */
int sri_rewriter_run(sri_rewriter *rw, apr_pool_t *p, const char *html,
                     size_t len, size_t chunk, size_t max_tag,
                     char **out, size_t *out_len);

/* Whole-buffer convenience for sri-registry apply and tests: rewrite html
   into a NUL-terminated buffer from p.  chunk > 0 feeds the scanner in
   chunks of that size (tests of chunk invariance). */
int sri_rewrite_buffer(apr_pool_t *p, const sri_registry *reg,
                       const char *doc_url, const sri_policy *pol,
                       const char *html, size_t len, size_t chunk,
                       char **out, size_t *out_len, sri_counters *counters);

#ifdef __cplusplus
}
#endif
#endif /* SRI_REWRITE_H */
