/*
 * sri_live.c -- versioned, reference-counted, reloadable registry.
 *
 * Why: see sri_live.h.  One mutex guards the "current" pointer and the
 * reference counts; reading and parsing a changed file happen outside it,
 * by one thread at a time (the others keep serving the current version), so
 * a 100,000-entry reload never stalls requests.
 */
#include <string.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_file_info.h>
#include <apr_thread_mutex.h>

#include "sri_live.h"
#include "registry/sri_registry_id.h"

typedef struct live_version {
    sri_live_version     pub;
    apr_pool_t          *pool;      /* owns the registry                  */
    unsigned             refs;      /* requests + 1 while current         */
    struct live_version *next;      /* list of versions alive             */
} live_version;

struct sri_live {
    apr_pool_t          *pool;
    const char          *path;
    apr_thread_mutex_t  *mutex;
    live_version        *current;
    live_version        *alive;     /* every version not yet freed        */
    apr_time_t           last_check;
    int                  checking;  /* a thread is reading the file       */
    unsigned long        generation;
    /* identity of the file behind current (or of the last bad file) */
    apr_time_t           mtime, bad_mtime;
    apr_time_t           ctime, bad_ctime;  /* chmod changes only ctime */
    apr_off_t            size, bad_size;
    apr_ino_t            inode, bad_inode;
    int                  bad_valid;
};

/* Read and parse path into a new version.  Returns NULL and *err. */
static live_version *load_version(const char *path, apr_finfo_t *fi,
                                  apr_pool_t *errpool, char **err)
{
    apr_pool_t *vp;
    apr_file_t *f;
    apr_status_t rv;
    live_version *v;
    sri_registry *reg;
    char *buf, id[SRI_REGISTRY_ID_LEN + 1];
    apr_size_t n;
    char ebuf[256];

    if (apr_pool_create(&vp, NULL) != APR_SUCCESS) {
        *err = apr_pstrdup(errpool, "out of memory");
        return NULL;
    }
    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, vp);
    if (rv == APR_SUCCESS)
        rv = apr_file_info_get(fi, APR_FINFO_SIZE | APR_FINFO_MTIME |
                               APR_FINFO_CTIME | APR_FINFO_INODE, f);
    if (rv != APR_SUCCESS) {
        *err = apr_psprintf(errpool, "%s: cannot read: %s", path,
                            apr_strerror(rv, ebuf, sizeof(ebuf)));
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
    return v;
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
    l->mtime = fi.mtime;
    l->ctime = fi.ctime;
    l->size = fi.size;
    l->inode = fi.inode;
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

/* Check the file; called by one thread at a time, without the mutex. */
static void check_file(sri_live *l, apr_pool_t *errpool, char **reload_err)
{
    apr_finfo_t fi;
    apr_status_t rv;
    live_version *v;
    char *err = NULL;

    rv = apr_stat(&fi, l->path, APR_FINFO_SIZE | APR_FINFO_MTIME |
                  APR_FINFO_CTIME | APR_FINFO_INODE, errpool);
    if (rv == APR_SUCCESS && fi.mtime == l->mtime && fi.size == l->size &&
        fi.inode == l->inode && fi.ctime == l->ctime)
        return;                                     /* unchanged */
    if (rv == APR_SUCCESS && l->bad_valid && fi.mtime == l->bad_mtime &&
        fi.size == l->bad_size && fi.inode == l->bad_inode &&
        fi.ctime == l->bad_ctime)
        return;                                     /* same bad file */
    if (rv != APR_SUCCESS) {
        /* deleted or unreadable: report once, keep the last good version */
        if (!(l->bad_valid && l->bad_size == -1)) {
            char ebuf[256];
            l->bad_valid = 1;
            l->bad_size = -1;
            l->bad_mtime = 0;
            l->bad_ctime = 0;
            l->bad_inode = 0;
            if (reload_err)
                *reload_err = apr_psprintf(errpool,
                    "%s: cannot stat: %s; keeping the last good version",
                    l->path, apr_strerror(rv, ebuf, sizeof(ebuf)));
        }
        return;
    }
    if (fi.size == 0) {
        /* A running server never drops every pin because a file was
           truncated: an empty registry is only accepted at (re)start. */
        v = NULL;
        err = apr_psprintf(errpool, "%s: the file is empty", l->path);
    } else {
        v = load_version(l->path, &fi, errpool, &err);
    }
    apr_thread_mutex_lock(l->mutex);
    if (!v) {
        l->bad_valid = 1;
        l->bad_mtime = fi.mtime;
        l->bad_ctime = fi.ctime;
        l->bad_size = fi.size;
        l->bad_inode = fi.inode;
        if (reload_err)
            *reload_err = apr_psprintf(errpool,
                "%s; keeping the last good version", err);
    } else if (strcmp(v->pub.id, l->current->pub.id) == 0) {
        /* touched but identical: keep the version, remember the identity */
        l->mtime = fi.mtime;
        l->ctime = fi.ctime;
        l->size = fi.size;
        l->inode = fi.inode;
        l->bad_valid = 0;
        apr_pool_destroy(v->pool);
    } else {
        live_version *old = l->current;
        v->pub.generation = ++l->generation;
        v->refs = 1;
        v->next = l->alive;
        l->alive = v;
        l->current = v;
        l->mtime = fi.mtime;
        l->ctime = fi.ctime;
        l->size = fi.size;
        l->inode = fi.inode;
        l->bad_valid = 0;
        unref_locked(l, old);
    }
    apr_thread_mutex_unlock(l->mutex);
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
