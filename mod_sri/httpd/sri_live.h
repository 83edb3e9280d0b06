/*
 * sri_live.h -- a registry file that changes while the server runs.
 *
 * Why: operators update the registry without restarting httpd, and a request
 * must see one version of it from start to end.  A new version is parsed off
 * to the side and swapped in under a mutex; each request holds a reference
 * to the version it started with; an old version is freed when the last
 * request using it ends.  A file that fails to parse is reported once per
 * change and the last good version stays.  Plain APR, so it is unit-tested
 * without httpd, under threads.
 */
#ifndef SRI_LIVE_H
#define SRI_LIVE_H

#include <apr_pools.h>
#include <apr_time.h>
#include <apr_tables.h>
#include "registry/sri_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const sri_registry *reg;
    const char         *id;       /* short digest of the file's bytes: the
                                     same in every process, used in ETags */
    apr_time_t          loaded;   /* when this process parsed it          */
    int                 entries;
    unsigned long       generation; /* 1, 2, ... in this process          */
    const char         *signed_at;  /* REGISTRY.sig's signed-at, or NULL
                                       when signatures are not required  */
    apr_time_t          changed;  /* when it was put in place: the
                                     latest mtime or ctime of the file(s)
                                     it was read from, at most the time
                                     it was read (Last-Modified carries
                                     it; see date_version())              */
} sri_live_version;

typedef struct sri_live sri_live;

/* Load path now.  On a parse error returns non-zero with *err set
   ("FILE:LINE: message"), and nothing is created. */
int sri_live_open(apr_pool_t *p, const char *path, sri_live **out,
                  char **err);

/* From now on accept only a registry signed (REGISTRY.sig, see
   registry/sri_registry_sig.h) by one of keys (raw 32-byte public keys,
   elt_size 32): the files on disk are verified now and become the current
   version, and every reload verifies both files and refuses a registry
   signed earlier than the current one (or at the same time over other
   bytes).  For startup, before requests: returns -1 with *err naming the
   file when the signature is missing or does not verify. */
int sri_live_require_signature(sri_live *l, const apr_array_header_t *keys,
                               char **err);

/* Rollback across a restart that keeps the parent process (graceful or
   not): the parent keeps a copy of each signed registry in use
   (sri_live_floor_copy(): the registry bytes and the .sig text, into a
   pool that outlives the configuration).  The next configuration
   generation, after sri_live_require_signature() verified what is on
   disk, calls sri_live_carry_floor(): when the copy verifies with this
   configuration's keys and the disk pair is older than it (or signed at
   the same time over other bytes), the copy becomes the current version,
   the files on disk are read again only when they change, and *refused
   says so (to be logged); returns 1 then, else 0 and *refused NULL.  A
   full stop and start has no copy: it takes what is on disk. */
/* 0, or -1 when the current version is not signed. */
int sri_live_floor_copy(sri_live *l, apr_pool_t *p, const char **reg,
                        apr_size_t *nreg, const char **sig);
int sri_live_carry_floor(sri_live *l, const char *reg, apr_size_t nreg,
                         const char *sig, apr_pool_t *errpool,
                         char **refused);

/* The parent's copy for its children.  A child starts with its parent's
   version, and a child that served no request since the parent took up a
   newer one would still hold the older one: shown an older validly signed
   pair on disk then, it would take nothing newer.  So the parent writes
   the signed version in use to a file of its own (sri_live_publish():
   path and path.sig, in httpd's runtime directory, written and renamed
   into place: .sig first; with if_changed, only when those files are not
   the ones it wrote last), and each child's check looks at that pair
   first (from sri_live_child_init() on, the path given to the last
   publish, written or not), taking it when it is newer than the version
   in use; the files at the registry's path are then judged against it as
   usual.  Only with signatures: the copy is verified like any pair, so
   whoever could write it could not make a child go back.  Returns 0
   (also when the version in use is not signed: nothing written), or -1
   with *err. */
int sri_live_publish(sri_live *l, const char *path, int if_changed,
                     apr_pool_t *p, char **err);

/* The version to use for one request.  When interval > 0 and at least
   interval has passed since the last check, the file is checked (stat; then
   read and parsed only when it changed).  *reload_err, if not NULL, receives
   a message the first time a given bad file is seen (to be logged once), or
   NULL.  The result stays valid until sri_live_release(). */
const sri_live_version *sri_live_acquire(sri_live *l, apr_time_t now,
                                         apr_interval_time_t interval,
                                         apr_pool_t *errpool,
                                         char **reload_err);
void sri_live_release(sri_live *l, const sri_live_version *v);

/* A new process (a child forked from the one that opened l) reports the
   bad files it finds itself, once each: forget those already reported.
   The version and the files behind it stay as they were.  From now on
   the parent's published copy is followed (sri_live_publish()). */
void sri_live_child_init(sri_live *l);

const char *sri_live_path(const sri_live *l);

/* Versions alive in this process (current included): for tests and status. */
int sri_live_versions_alive(sri_live *l);

#ifdef __cplusplus
}
#endif
#endif /* SRI_LIVE_H */
