/*
 * npm.h -- the second source: cross-check CDN bytes against the npm
 * registry.
 *
 * Why: fetching a URL and hashing it is trust on first use: if the CDN is
 * compromised, we pin the attacker's bytes.  For npm-backed CDN URLs
 * (jsDelivr /npm/PKG@VERSION/PATH, unpkg /PKG@VERSION/PATH, cdnjs where
 * it maps) the same file can be taken from the package tarball, which the
 * registry's metadata pins with dist.integrity.  Two independent sources
 * agreeing is much stronger evidence than one.
 */
#ifndef SRI_TOOL_NPM_H
#define SRI_TOOL_NPM_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "fetch.h"

typedef struct {
    int         disabled;       /* --no-npm-check */
    const char *registry;       /* --npm-registry URL */
    apr_array_header_t *cdns;   /* const char *: "HOST[:PORT]=STYLE" */
} npm_opts;

typedef enum {
    NPM_NOT_APPLICABLE = 0,     /* not an npm-backed CDN URL */
    NPM_OK,                     /* tarball verified, file identical */
    NPM_MISMATCH,               /* file in the tarball differs: tampering */
    NPM_BAD_TARBALL,            /* tarball does not match dist.integrity */
    NPM_NO_FILE,                /* version or file not in the package */
    NPM_UNAVAILABLE             /* registry or tarball not fetched */
} npm_result;

void npm_opts_default(apr_pool_t *p, npm_opts *o);

/* Cross-check: url was fetched from the CDN and hashed to cdn_token.
   *detail gets a human explanation. */
npm_result npm_cross_check(apr_pool_t *p, const fetch_opts *fo,
                           const npm_opts *no, const char *url,
                           const char *cdn_token, const char **detail);

/* The registry's `source` value for a result ("npm-ok", ...), or NULL for
   NPM_NOT_APPLICABLE. */
const char *npm_source(npm_result r);

/* 1 when the result means tampering (exit 3). */
int npm_is_tampering(npm_result r);

/* Which package, version and file a CDN URL names; 0 if not npm-backed.
   *exact is 0 when the version is a range or tag (then no check). */
int npm_map(apr_pool_t *p, const npm_opts *no, const char *url,
            const char **pkg, const char **version, const char **path,
            int *cdnjs, int *exact);

enum { NPM_OPT_NO_CHECK = 1100, NPM_OPT_REGISTRY, NPM_OPT_CDN };
#define NPM_LONGOPTS \
    { "no-npm-check", no_argument,       NULL, NPM_OPT_NO_CHECK }, \
    { "npm-registry", required_argument, NULL, NPM_OPT_REGISTRY }, \
    { "npm-cdn",      required_argument, NULL, NPM_OPT_CDN }
/* 1 if c was an npm option (applied), 0 if not, -1 on a bad value. */
int npm_option(npm_opts *o, int c, const char *arg);

#endif
