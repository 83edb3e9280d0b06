/*
 * sri_registry.h -- the registry: URL -> approved integrity tokens.
 *
 * Why: the registry is the inventory of every third-party resource a site
 * trusts.  It is a plain text file that people review and diff, written by
 * sri-registry and read by the module; both use this one strict parser, so
 * a file the tool accepts is a file the server accepts, and every error
 * names file:line.  Format: see README.md ("Registry format").
 */
#ifndef SRI_REGISTRY_H
#define SRI_REGISTRY_H

#include <stddef.h>
#include <apr_pools.h>
#include <apr_tables.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *token;          /* validated "sha384-..." */
    const char *seen;           /* pending only: first-seen time, or NULL */
} sri_reg_token;

typedef struct {
    const char *url;            /* normalised (sri_url_normalize)           */
    const char *url_written;    /* as written in the file                   */
    int         line;           /* line of the URL in the file              */
    const char *integrity;      /* approved tokens joined by ' ' (what the
                                   module writes), NULL when none approved  */
    apr_array_header_t *approved;   /* of sri_reg_token                     */
    apr_array_header_t *pending;    /* of sri_reg_token                     */
    /* Metadata (NULL when absent). */
    const char *why;            /* justification (PCI DSS 6.4.3)            */
    const char *approved_by;
    const char *approved_at;
    const char *verified;       /* last time refresh/verify saw it unchanged */
    const char *cors;           /* "ok", "missing", ...                     */
    const char *source;         /* second-source result, e.g. "npm-ok"      */
    apr_array_header_t *comments;   /* const char *: comment lines that
                                       precede the entry, kept on rewrite   */
} sri_entry;

typedef struct sri_registry sri_registry;

/* Parse text (name is used in messages).  On error returns non-zero and sets
   *err to "NAME:LINE: message" allocated from p. */
int sri_registry_parse(apr_pool_t *p, const char *name, const char *text,
                       size_t len, sri_registry **out, char **err);

/* Read and parse a file.  Same error convention ("FILE: cannot open: ..."). */
int sri_registry_load(apr_pool_t *p, const char *path, sri_registry **out,
                      char **err);

/* Look up a normalised URL; NULL when absent.  O(1). */
const sri_entry *sri_registry_lookup(const sri_registry *r, const char *url);

/* Number of entries, and the entries sorted by normalised URL. */
int sri_registry_count(const sri_registry *r);
const sri_entry *sri_registry_entry(const sri_registry *r, int i);

#ifdef __cplusplus
}
#endif
#endif /* SRI_REGISTRY_H */
