/*
 * sri_live.c -- versioned, reference-counted, reloadable registry.
 *
 * Why: see sri_live.h.  One mutex guards the "current" pointer and the
 * reference counts; reading and parsing a changed file happen outside it,
 * by one thread at a time (the others keep serving the current version), so
 * a 100,000-entry reload never stalls requests.  With trusted keys
 * (SRIRegistryKey) a version is the pair REGISTRY + REGISTRY.sig: both
 * files are watched, the signature is verified before parsing
 * (registry/sri_registry_sig.h), and a validly signed registry older than
 * the current one is refused like a bad file.
 */
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <apr_strings.h>
#include <apr_portable.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include <apr_thread_mutex.h>

#include "sri_live.h"
#include "integrity/sri_integrity.h"
#include "registry/sri_registry_sig.h"
#include "registry/sri_registry_id.h"

typedef struct live_version {
    sri_live_version     pub;
    apr_pool_t          *pool;      /* owns the registry                  */
    unsigned             refs;      /* requests + 1 while current         */
    struct live_version *next;      /* list of versions alive             */
    sri_regsig           sig;       /* when signed                        */
    const char          *bytes;     /* the registry as read (from pool)   */
    apr_size_t           nbytes;
} live_version;

/* What a file looked like when read: a change of any of these is a new
   file to look at (chmod changes only ctime). */
typedef struct {
    apr_time_t mtime, ctime;
    apr_off_t  size;            /* -1: could not stat                     */
    apr_ino_t  inode;
    int        odd;             /* not a regular file (a FIFO, a device)  */
} file_id;

typedef struct {
    file_id reg, sig;           /* sig: only with keys                    */
} pair_id;

struct sri_live {
    apr_pool_t          *pool;
    const char          *path;
    const char          *sig_path;  /* with keys                          */
    apr_array_header_t  *keys;      /* raw public keys; NULL: unsigned    */
    apr_thread_mutex_t  *mutex;
    live_version        *current;
    live_version        *alive;     /* every version not yet freed        */
    apr_time_t           last_check;
    int                  checking;  /* a thread is reading the file       */
    unsigned long        generation;
    pair_id              id;        /* the files behind current           */
    pair_id              bad_id;    /* the last bad files, reported once  */
    int                  bad_valid;
    pair_id              odd_id;    /* a pair seen not matching once: a
                                       writer between its two renames     */
    int                  odd_valid;
    const char          *kept_path; /* the parent's copy to follow, or NULL */
    pair_id              kept_id;   /* its files when last looked at      */
    const char          *pub_path;  /* where the parent publishes it      */
    pair_id              pub_id;    /* the files the parent last wrote    */
};

static void stat_id(const char *path, file_id *id, apr_pool_t *p)
{
    apr_finfo_t fi;

    memset(id, 0, sizeof(*id));
    if (apr_stat(&fi, path, APR_FINFO_SIZE | APR_FINFO_MTIME |
                 APR_FINFO_CTIME | APR_FINFO_INODE | APR_FINFO_TYPE, p)
        != APR_SUCCESS) {
        id->size = -1;
        return;
    }
    id->odd = fi.filetype != APR_REG;
    id->mtime = fi.mtime;
    id->ctime = fi.ctime;
    id->size = fi.size;
    id->inode = fi.inode;
}

/* The identity of path and path.sig. */
static void stat_pair(const char *path, pair_id *id, apr_pool_t *p)
{
    memset(id, 0, sizeof(*id));
    stat_id(path, &id->reg, p);
    stat_id(apr_pstrcat(p, path, SRI_REGSIG_SUFFIX, NULL), &id->sig, p);
}

static int same_id(const pair_id *a, const pair_id *b)
{
    return a->reg.odd == b->reg.odd && a->sig.odd == b->sig.odd
        && a->reg.mtime == b->reg.mtime && a->reg.ctime == b->reg.ctime
        && a->reg.size == b->reg.size && a->reg.inode == b->reg.inode
        && a->sig.mtime == b->sig.mtime && a->sig.ctime == b->sig.ctime
        && a->sig.size == b->sig.size && a->sig.inode == b->sig.inode;
}

/* A version from the registry's bytes (already read, and verified when
   signed).  Returns NULL and *err. */
static live_version *make_version(apr_pool_t *vp, const char *path,
                                  const char *buf, apr_size_t n,
                                  apr_pool_t *errpool, char **err)
{
    live_version *v;
    sri_registry *reg;
    char id[SRI_REGISTRY_ID_LEN + 1];

    if (sri_registry_parse(vp, path, buf, n, &reg, err) != 0) {
        *err = apr_pstrdup(errpool, *err ? *err : "invalid registry");
        apr_pool_destroy(vp);
        return NULL;
    }
    v = apr_pcalloc(vp, sizeof(*v));
    v->pool = vp;
    v->pub.reg = reg;
    v->pub.entries = sri_registry_count(reg);
    v->pub.loaded = apr_time_now();
    /* The id is the same for the same bytes in every process (and the
       one sri-registry's inventory prints): sri_registry_id.c. */
    sri_registry_id(buf, n, NULL, id);
    v->pub.id = apr_pstrdup(vp, id);
    v->bytes = buf;
    v->nbytes = n;
    return v;
}

/* When a version's content was put in place, for Last-Modified: the
   latest modification or status change (t) of the files it was read from
   (the registry and, when signed, its .sig), and never later than now.
   The status change (ctime) counts because an install that keeps an older
   modification time (mv of REGISTRY.bak, cp -p, rsync -a, tar x) must
   still date the version later than the one it replaces, and neither
   utime nor a rename can set ctime back; a signed-at is not used, since
   a registry signed on Monday and pulled on Wednesday must not be dated
   before a page edited on Tuesday.  A date in the future (clock skew)
   would make every response's Last-Modified "now" and no
   If-Modified-Since ever match: it is capped. */
static apr_time_t latest(apr_time_t mtime, apr_time_t ctime)
{
    return mtime > ctime ? mtime : ctime;
}

static void date_version(live_version *v, apr_time_t t)
{
    apr_time_t now = apr_time_now();

    v->pub.changed = t > now || t == 0 ? now : t;
}

/* make_version() for bytes verified against sig, read from the pair at
   from (path: the registry's own path). */
static live_version *make_signed_version(apr_pool_t *vp, const char *path,
                                         const char *from,
                                         const char *buf, apr_size_t n,
                                         const sri_regsig *sig,
                                         apr_pool_t *errpool, char **err)
{
    live_version *v = make_version(vp, path, buf, n, errpool, err);
    pair_id id;

    if (v) {
        v->sig = *sig;
        v->pub.signed_at = v->sig.signed_at;
        stat_pair(from, &id, vp);
        date_version(v, latest(latest(id.reg.mtime, id.reg.ctime),
                               latest(id.sig.mtime, id.sig.ctime)));
    }
    return v;
}

/* Read and parse path into a new version; fi gets the file's identity as
   opened.  Returns NULL and *err. */
static live_version *load_version(const char *path, apr_finfo_t *fi,
                                  apr_pool_t *errpool, char **err)
{
    apr_pool_t *vp;
    apr_file_t *f;
    apr_status_t rv;
    char *buf;
    apr_size_t n;
    char ebuf[256];
    live_version *v;

    if (apr_pool_create(&vp, NULL) != APR_SUCCESS) {
        *err = apr_pstrdup(errpool, "out of memory");
        return NULL;
    }
    /* Not blocking on open: whoever can replace the file must not be able
       to hang the process that reads it with a FIFO. */
    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY
                       | APR_FOPEN_NONBLOCK, 0, vp);
    if (rv == APR_SUCCESS)
        rv = apr_file_info_get(fi, APR_FINFO_SIZE | APR_FINFO_MTIME |
                               APR_FINFO_CTIME | APR_FINFO_INODE
                               | APR_FINFO_TYPE, f);
    if (rv != APR_SUCCESS) {
        *err = apr_psprintf(errpool, "%s: cannot read: %s", path,
                            apr_strerror(rv, ebuf, sizeof(ebuf)));
        apr_pool_destroy(vp);
        return NULL;
    }
    if (fi->filetype != APR_REG
        || fi->size > (apr_off_t)SRI_REGISTRY_MAX_BYTES) {
        *err = apr_psprintf(errpool, "%s: cannot read: %s", path,
                            fi->filetype != APR_REG ? "not a regular file"
                                                    : "file too large");
        apr_pool_destroy(vp);
        return NULL;
    }
    buf = apr_palloc(vp, (apr_size_t)fi->size + 1);
    n = (apr_size_t)fi->size;
    rv = n ? apr_file_read_full(f, buf, n, &n) : APR_SUCCESS;
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        *err = apr_psprintf(errpool, "%s: cannot read: %s", path,
                            apr_strerror(rv, ebuf, sizeof(ebuf)));
        apr_pool_destroy(vp);
        return NULL;
    }
    buf[n] = '\0';
    v = make_version(vp, path, buf, n, errpool, err);
    if (v)
        date_version(v, latest(fi->mtime, fi->ctime));  /* the file read */
    return v;
}

/* The signed pair: REGISTRY.sig, then REGISTRY, verified against l->keys,
   then parsed.  Returns NULL, *err and *status (SRI_REGSIG_OK when the
   signature held but the registry does not parse). */
static live_version *load_signed(sri_live *l, apr_pool_t *errpool,
                                 char **err, sri_regsig_status *status)
{
    apr_pool_t *vp;
    char *buf = NULL, *e = NULL;
    size_t n = 0;
    sri_regsig sig;

    if (apr_pool_create(&vp, NULL) != APR_SUCCESS) {
        *err = apr_pstrdup(errpool, "out of memory");
        *status = SRI_REGSIG_IOERR;
        return NULL;
    }
    *status = sri_regsig_load(vp, l->path, l->keys, &buf, &n, &sig, &e);
    if (*status != SRI_REGSIG_OK) {
        *err = apr_pstrdup(errpool, e);
        apr_pool_destroy(vp);
        return NULL;
    }
    return make_signed_version(vp, l->path, l->path, buf, n, &sig, errpool,
                               err);
}

static apr_status_t live_cleanup(void *data)
{
    sri_live *l = data;
    live_version *v = l->alive, *next;

    while (v) {
        next = v->next;
        apr_pool_destroy(v->pool);
        v = next;
    }
    l->alive = l->current = NULL;
    return APR_SUCCESS;
}

int sri_live_open(apr_pool_t *p, const char *path, sri_live **out, char **err)
{
    sri_live *l = apr_pcalloc(p, sizeof(*l));
    apr_finfo_t fi;
    live_version *v;

    v = load_version(path, &fi, p, err);
    if (!v)
        return -1;
    if (apr_thread_mutex_create(&l->mutex, APR_THREAD_MUTEX_DEFAULT, p)
        != APR_SUCCESS) {
        apr_pool_destroy(v->pool);
        *err = apr_pstrdup(p, "cannot create mutex");
        return -1;
    }
    l->pool = p;
    l->path = apr_pstrdup(p, path);
    v->pub.generation = ++l->generation;
    v->refs = 1;
    l->current = l->alive = v;
    l->id.reg.mtime = fi.mtime;
    l->id.reg.ctime = fi.ctime;
    l->id.reg.size = fi.size;
    l->id.reg.inode = fi.inode;
    l->last_check = apr_time_now();
    apr_pool_cleanup_register(p, l, live_cleanup, apr_pool_cleanup_null);
    *out = l;
    return 0;
}

/* Drop one reference; free the version when unused and not current.
   Called with the mutex held. */
static void unref_locked(sri_live *l, live_version *v)
{
    live_version **pp;

    if (--v->refs > 0)
        return;
    for (pp = &l->alive; *pp; pp = &(*pp)->next) {
        if (*pp == v) {
            *pp = v->next;
            break;
        }
    }
    apr_pool_destroy(v->pool);
}

/* Make v current.  Called with the mutex held. */
static void swap_in_locked(sri_live *l, live_version *v, const pair_id *id)
{
    live_version *old = l->current;

    v->pub.generation = ++l->generation;
    v->refs = 1;
    v->next = l->alive;
    l->alive = v;
    l->current = v;
    l->id = *id;
    l->bad_valid = 0;
    l->odd_valid = 0;
    unref_locked(l, old);
}

/* Make v current from a source other than the registry's files, which
   stay what this process judged (l->id). */
static void swap_in_same_files(sri_live *l, live_version *v)
{
    apr_thread_mutex_lock(l->mutex);
    {
        pair_id id = l->id;
        swap_in_locked(l, v, &id);
    }
    apr_thread_mutex_unlock(l->mutex);
}

/* Remember id as bad and say why (once per change). */
static void bad_locked(sri_live *l, const pair_id *id, apr_pool_t *errpool,
                       char **reload_err, const char *err)
{
    l->bad_valid = 1;
    l->bad_id = *id;
    l->odd_valid = 0;
    if (reload_err)
        *reload_err = apr_psprintf(errpool, "%s; keeping the last good "
                                   "version", err);
}

/* The parent's copy (sri_live_follow()): taken when it is newer than the
   version in use, silently otherwise (the parent judged the files on disk
   and reports on them; a copy caught between its two renames is looked
   at again next time).  One thread at a time, without the mutex. */
static void check_kept(sri_live *l, apr_pool_t *errpool)
{
    pair_id id;
    apr_pool_t *vp;
    char *buf = NULL, *e = NULL, *err = NULL;
    size_t n = 0;
    sri_regsig sig;
    live_version *v;

    stat_pair(l->kept_path, &id, errpool);
    if (id.reg.size <= 0 || id.reg.odd || same_id(&id, &l->kept_id)
        || apr_pool_create(&vp, NULL) != APR_SUCCESS)
        return;
    /* Looked at once per change, whatever it holds: a copy caught between
       its two renames changes again when the second lands. */
    l->kept_id = id;
    if (sri_regsig_load(vp, l->kept_path, l->keys, &buf, &n, &sig, &e)
        != SRI_REGSIG_OK || sri_regsig_compare(&l->current->sig, &sig) <= 0) {
        apr_pool_destroy(vp);
        return;
    }
    if (!(v = make_signed_version(vp, l->path, l->kept_path, buf, n, &sig,
                                  errpool, &err)))
        return;                         /* make_version freed vp */
    swap_in_same_files(l, v);           /* the files on disk stay judged  */
}

/* Check the file(s); called by one thread at a time, without the mutex. */
static void check_file(sri_live *l, apr_pool_t *errpool, char **reload_err)
{
    apr_finfo_t fi;
    pair_id id;
    live_version *v;
    char *err = NULL;
    sri_regsig_status status = SRI_REGSIG_OK;

    if (l->keys && l->kept_path)
        check_kept(l, errpool);
    memset(&id, 0, sizeof(id));
    stat_id(l->path, &id.reg, errpool);
    if (l->keys)
        stat_id(l->sig_path, &id.sig, errpool);
    if (same_id(&id, &l->id))
        return;                                     /* unchanged */
    if (l->bad_valid && same_id(&id, &l->bad_id))
        return;                                     /* same bad file */
    if (id.reg.size < 0) {
        /* deleted or unreadable: report once, keep the last good version */
        if (!(l->bad_valid && l->bad_id.reg.size == -1)) {
            apr_status_t rv = apr_stat(&fi, l->path, APR_FINFO_SIZE, errpool);
            char ebuf[256];
            apr_thread_mutex_lock(l->mutex);
            bad_locked(l, &id, errpool, reload_err, apr_psprintf(errpool,
                       "%s: cannot stat: %s", l->path,
                       apr_strerror(rv, ebuf, sizeof(ebuf))));
            apr_thread_mutex_unlock(l->mutex);
        }
        return;
    }
    if (id.reg.odd) {
        v = NULL;
        err = apr_psprintf(errpool, "%s: not a regular file", l->path);
    } else if (id.reg.size == 0 && !l->keys) {
        /* A running server never drops every pin because a file was
           truncated: an empty registry is only accepted at (re)start.
           A signed one is what its signature says: an empty file that
           verifies was emptied on purpose (a truncated one does not
           verify), so it is taken like any other signed version. */
        v = NULL;
        err = apr_psprintf(errpool, "%s: the file is empty", l->path);
    } else if (l->keys) {
        v = load_signed(l, errpool, &err, &status);
    } else {
        v = load_version(l->path, &fi, errpool, &err);
        if (v) {
            /* the identity of the file as read */
            id.reg.mtime = fi.mtime;
            id.reg.ctime = fi.ctime;
            id.reg.size = fi.size;
            id.reg.inode = fi.inode;
        }
    }
    apr_thread_mutex_lock(l->mutex);
    if (!v && status == SRI_REGSIG_MISMATCH &&
        !(l->odd_valid && same_id(&id, &l->odd_id))) {
        /* Most likely a signer or `pull` between replacing the .sig and
           the registry: keep the current version, say nothing yet, look
           again at the next interval.  Still so then: it is reported. */
        l->odd_valid = 1;
        l->odd_id = id;
    } else if (!v) {
        bad_locked(l, &id, errpool, reload_err, err);
    } else if (l->keys && sri_regsig_compare(&l->current->sig, &v->sig) < 0) {
        /* Rollback protection: never go back to an older signed registry,
           nor to other bytes signed at the same time. */
        int older = strcmp(v->sig.signed_at, l->current->sig.signed_at) < 0;
        bad_locked(l, &id, errpool, reload_err, apr_psprintf(errpool,
                   "%s: signed at %s, %s the registry in use (signed at %s): "
                   "refused as a rollback", l->path, v->sig.signed_at,
                   older ? "older than" : "the same time as, but other bytes "
                   "than,", l->current->sig.signed_at));
        apr_pool_destroy(v->pool);
    } else if (strcmp(v->pub.id, l->current->pub.id) == 0 &&
               (!l->keys || !strcmp(v->sig.signed_at,
                                    l->current->sig.signed_at))) {
        /* touched but identical: keep the version, remember the identity */
        l->id = id;
        l->bad_valid = 0;
        l->odd_valid = 0;
        apr_pool_destroy(v->pool);
    } else {
        swap_in_locked(l, v, &id);
    }
    apr_thread_mutex_unlock(l->mutex);
}

int sri_live_require_signature(sri_live *l, const apr_array_header_t *keys,
                               char **err)
{
    live_version *v;
    sri_regsig_status status;
    pair_id id;
    char *e = NULL;

    l->keys = apr_array_copy(l->pool, keys);
    l->sig_path = sri_regsig_path(l->pool, l->path);
    memset(&id, 0, sizeof(id));
    stat_id(l->path, &id.reg, l->pool);
    stat_id(l->sig_path, &id.sig, l->pool);
    v = load_signed(l, l->pool, &e, &status);
    if (!v) {
        *err = status == SRI_REGSIG_OK ? e
             : apr_psprintf(l->pool, "%s; SRIRegistryKey accepts only a "
                            "registry signed by one of its keys", e);
        return -1;
    }
    apr_thread_mutex_lock(l->mutex);
    swap_in_locked(l, v, &id);
    apr_thread_mutex_unlock(l->mutex);
    return 0;
}

int sri_live_floor_copy(sri_live *l, apr_pool_t *p, const char **reg,
                        apr_size_t *nreg, const char **sig)
{
    int rv = -1;

    apr_thread_mutex_lock(l->mutex);
    if (l->keys && l->current->pub.signed_at) {
        *reg = apr_pstrmemdup(p, l->current->bytes, l->current->nbytes);
        *nreg = l->current->nbytes;
        *sig = sri_regsig_text(p, &l->current->sig);
        rv = 0;
    }
    apr_thread_mutex_unlock(l->mutex);
    return rv;
}

int sri_live_carry_floor(sri_live *l, const char *reg, apr_size_t nreg,
                         const char *sig, apr_pool_t *errpool,
                         char **refused)
{
    const sri_regsig *disk = &l->current->sig;
    sri_regsig kept;
    apr_pool_t *vp;
    live_version *v;
    char *err = NULL;

    *refused = NULL;
    /* Verified again, with the keys of this configuration: a copy whose
       signer is no longer trusted (a key rotation) is no floor. */
    if (!l->keys || sri_regsig_verify(sig, strlen(sig), reg, nreg, l->keys,
                                      &kept, NULL) != SRI_REGSIG_OK
        || sri_regsig_compare(&kept, disk) >= 0)
        return 0;                       /* what is on disk is not older   */
    if (apr_pool_create(&vp, NULL) != APR_SUCCESS)
        return 0;
    /* dated by the pair on disk (whose install is the latest event) */
    v = make_signed_version(vp, l->path, l->path,
                            apr_pstrmemdup(vp, reg, nreg), nreg,
                            &kept, errpool, &err);
    if (!v)
        return 0;
    *refused = apr_psprintf(errpool, "%s: signed at %s, %s the registry in "
                            "use before the restart (signed at %s): refused "
                            "as a rollback; keeping that one",
                            l->path, disk->signed_at,
                            strcmp(disk->signed_at, kept.signed_at) < 0
                            ? "older than" : "the same time as, but other "
                            "bytes than,", kept.signed_at);
    /* l->id stays the refused pair's: the files are read again (and judged
       against the copy) only when they change. */
    swap_in_same_files(l, v);
    return 1;
}

int sri_live_publish(sri_live *l, const char *path, int if_changed,
                     apr_pool_t *p, char **err)
{
    const char *reg, *sig;
    apr_size_t nreg;
    const char *files[2][2];
    pair_id id;
    int i;

    if (!l->pub_path || strcmp(l->pub_path, path) != 0) {
        l->pub_path = apr_pstrdup(l->pool, path);   /* for the children */
        memset(&l->pub_id, 0, sizeof(l->pub_id));
    }
    if (if_changed) {
        stat_pair(path, &id, p);
        if (same_id(&id, &l->pub_id))
            return 0;                   /* as written last */
    }
    if (sri_live_floor_copy(l, p, &reg, &nreg, &sig) != 0)
        return 0;                       /* not signed: nothing to publish */
    /* The .sig first, the registry last, as `pull` installs: a reader in
       between sees a pair that does not match, and looks again later. */
    files[0][0] = apr_pstrcat(p, path, SRI_REGSIG_SUFFIX, NULL);
    files[0][1] = sig;
    files[1][0] = path;
    files[1][1] = reg;
    for (i = 0; i < 2; i++) {
        char *tmp = apr_pstrcat(p, files[i][0], ".XXXXXX", NULL);
        apr_file_t *f;
        apr_size_t len = i ? nreg : strlen(sig);
        apr_status_t rv = apr_file_mktemp(&f, tmp, APR_FOPEN_CREATE
                                          | APR_FOPEN_WRITE | APR_FOPEN_EXCL
                                          | APR_FOPEN_BINARY, p);
        char ebuf[256];

        if (rv == APR_SUCCESS) {
            apr_os_file_t fd;
            /* 0644 on the descriptor: a name can be swapped for a link */
            rv = apr_os_file_get(&fd, f);
            if (rv == APR_SUCCESS && fchmod(fd, 0644) != 0)
                rv = APR_FROM_OS_ERROR(errno);
            if (rv == APR_SUCCESS)
                rv = apr_file_write_full(f, files[i][1], len, NULL);
            if (apr_file_close(f) != APR_SUCCESS && rv == APR_SUCCESS)
                rv = APR_EGENERAL;
            if (rv == APR_SUCCESS)
                rv = apr_file_rename(tmp, files[i][0], p);
            if (rv != APR_SUCCESS)
                apr_file_remove(tmp, p);
        }
        if (rv != APR_SUCCESS) {
            *err = apr_psprintf(p, "%s: cannot write: %s", files[i][0],
                                apr_strerror(rv, ebuf, sizeof(ebuf)));
            return -1;
        }
    }
    stat_pair(path, &l->pub_id, p);
    return 0;
}

const sri_live_version *sri_live_acquire(sri_live *l, apr_time_t now,
                                         apr_interval_time_t interval,
                                         apr_pool_t *errpool,
                                         char **reload_err)
{
    live_version *v;
    int do_check = 0;

    if (reload_err)
        *reload_err = NULL;
    apr_thread_mutex_lock(l->mutex);
    if (interval > 0 && !l->checking && now - l->last_check >= interval) {
        l->checking = 1;
        l->last_check = now;
        do_check = 1;
    }
    apr_thread_mutex_unlock(l->mutex);

    if (do_check) {
        check_file(l, errpool, reload_err);
        apr_thread_mutex_lock(l->mutex);
        l->checking = 0;
        apr_thread_mutex_unlock(l->mutex);
    }

    apr_thread_mutex_lock(l->mutex);
    v = l->current;
    v->refs++;
    apr_thread_mutex_unlock(l->mutex);
    return &v->pub;
}

void sri_live_release(sri_live *l, const sri_live_version *pub)
{
    live_version *v = (live_version *)pub;    /* pub is the first member */

    apr_thread_mutex_lock(l->mutex);
    unref_locked(l, v);
    apr_thread_mutex_unlock(l->mutex);
}

void sri_live_child_init(sri_live *l)
{
    apr_thread_mutex_lock(l->mutex);
    l->bad_valid = 0;
    l->odd_valid = 0;
    /* Children follow the parent's copy; the parent never reads it. */
    if (l->pub_path && l->keys) {
        l->kept_path = l->pub_path;
        memset(&l->kept_id, 0, sizeof(l->kept_id));
    }
    apr_thread_mutex_unlock(l->mutex);
}

const char *sri_live_path(const sri_live *l)
{
    return l->path;
}

int sri_live_versions_alive(sri_live *l)
{
    int n = 0;
    live_version *v;

    apr_thread_mutex_lock(l->mutex);
    for (v = l->alive; v; v = v->next)
        n++;
    apr_thread_mutex_unlock(l->mutex);
    return n;
}
