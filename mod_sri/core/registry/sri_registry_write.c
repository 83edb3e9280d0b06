/*
 * sri_registry_write.c -- the registry writer: canonical text, safe save,
 * and the lock that serialises concurrent sri-registry runs.
 *
 * Why: the registry is reviewed in diffs, so the tool must write it the
 * same way every time (entries sorted by normalised URL, fields in a fixed
 * order, comments kept with their entry), and it is read by a live server,
 * so a crash, a full disk or a SIGKILL must never leave a partial file: we
 * write a temp file beside it, fsync, keep the old one as FILE.bak and
 * rename.  Plain POSIX (the module never writes, only the tool does).
 */
#include "registry/sri_registry_private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <apr_strings.h>

typedef struct {
    char  *buf;
    size_t len, cap;
    apr_pool_t *p;
} outbuf;

static void put(outbuf *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 4096;
        char *nb;
        while (cap < o->len + n + 1)
            cap *= 2;
        nb = apr_palloc(o->p, cap);
        if (o->len)
            memcpy(nb, o->buf, o->len);
        o->buf = nb;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void puts_(outbuf *o, const char *s) { put(o, s, strlen(s)); }

static void field(outbuf *o, const char *key, const char *v1, const char *v2)
{
    if (!v1)
        return;
    puts_(o, "  ");
    puts_(o, key);
    puts_(o, " ");
    puts_(o, v1);
    if (v2) {
        puts_(o, " ");
        puts_(o, v2);
    }
    puts_(o, "\n");
}

static void lines(outbuf *o, const apr_array_header_t *a, const char *indent)
{
    int i;
    for (i = 0; a && i < a->nelts; i++) {
        puts_(o, indent);
        puts_(o, APR_ARRAY_IDX(a, i, const char *));
        puts_(o, "\n");
    }
}

char *sri_registry_format(apr_pool_t *p, const sri_registry *r, size_t *len)
{
    outbuf o = { NULL, 0, 0, p };
    int i, k;

    lines(&o, r->header, "");
    if (r->header->nelts && (r->entries->nelts || r->footer->nelts))
        puts_(&o, "\n");
    for (i = 0; i < r->entries->nelts; i++) {
        const sri_entry *e = APR_ARRAY_IDX(r->entries, i, sri_entry *);
        if (i)
            puts_(&o, "\n");
        lines(&o, e->comments, "");
        puts_(&o, e->url_written ? e->url_written : e->url);
        puts_(&o, "\n");
        for (k = 0; k < e->approved->nelts; k++)
            field(&o, "integrity",
                  APR_ARRAY_IDX(e->approved, k, sri_reg_token).token, NULL);
        for (k = 0; k < e->pending->nelts; k++)
            field(&o, "pending",
                  APR_ARRAY_IDX(e->pending, k, sri_reg_token).token,
                  APR_ARRAY_IDX(e->pending, k, sri_reg_token).seen);
        field(&o, "why", e->why, NULL);
        field(&o, "approved-by", e->approved_by, NULL);
        field(&o, "approved-at", e->approved_at, NULL);
        field(&o, "verified", e->verified, NULL);
        field(&o, "cors", e->cors, NULL);
        field(&o, "source", e->source, NULL);
        lines(&o, e->inner_comments, "  ");
    }
    if (r->footer->nelts && r->entries->nelts)
        puts_(&o, "\n");
    lines(&o, r->footer, "");
    if (!o.buf)
        put(&o, "", 0);
    if (len)
        *len = o.len;
    return o.buf;
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        /* 64 KB at a time: bounded syscalls, and tests can stop us
           between two of them to prove a partial temp file is harmless. */
        ssize_t w = write(fd, s, n < 65536 ? n : 65536);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

static char *sys_err(apr_pool_t *p, const char *what, const char *path)
{
    return apr_psprintf(p, "%s: %s: %s", path, what, strerror(errno));
}

int sri_registry_stage_file(apr_pool_t *p, const char *path,
                            const char *text, size_t len, int keep_bak,
                            sri_staged_file *sf, char **err)
{
    char *dir, *tmp, *bak, *slash;
    char real[PATH_MAX];
    struct stat st;
    mode_t mode = 0644;
    int fd, have_old;

    /* Write through a symlink to the file it names. */
    if (realpath(path, real))
        path = apr_pstrdup(p, real);
    have_old = stat(path, &st) == 0;
    if (have_old) {
        if (!S_ISREG(st.st_mode)) {
            *err = apr_psprintf(p, "%s: not a regular file", path);
            return -1;
        }
        mode = st.st_mode & 07777;
    }
    dir = apr_pstrdup(p, path);
    slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        dir = apr_pstrdup(p, ".");
    tmp = apr_psprintf(p, "%s/.%s.tmp.XXXXXX", dir,
                       slash ? strrchr(path, '/') + 1 : path);
    bak = apr_pstrcat(p, path, ".bak", NULL);

    fd = mkstemp(tmp);
    if (fd < 0) {
        *err = sys_err(p, "cannot create temporary file", tmp);
        return -1;
    }
    if (fchmod(fd, mode) || write_all(fd, text, len) || fsync(fd)) {
        *err = sys_err(p, "cannot write", tmp);
        close(fd);
        unlink(tmp);
        return -1;
    }
    /* The new file takes the place of the old one: keep its owner (root
       can) and group, or httpd may no longer read it (a registry of
       root:www-data 0640 edited by root).  Failing that, stop: the old
       file stays in effect. */
    if (have_old && (st.st_uid != geteuid() || st.st_gid != getegid())
        && fchown(fd, geteuid() == 0 ? st.st_uid : (uid_t)-1, st.st_gid)
        && (geteuid() == 0 || (st.st_mode & 0070))) {
        *err = sys_err(p, "cannot give the new file the owner and group of "
                          "the one it replaces", tmp);
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (have_old && keep_bak) {
        /* Keep the file in effect until now as PATH.bak, a hard link,
           so that PATH exists at every instant. */
        if (unlink(bak) && errno != ENOENT) {
            *err = sys_err(p, "cannot replace backup", bak);
            close(fd);
            unlink(tmp);
            return -1;
        }
        if (link(path, bak)) {
            *err = sys_err(p, "cannot keep backup", bak);
            close(fd);
            unlink(tmp);
            return -1;
        }
    }
    if (close(fd)) {
        *err = sys_err(p, "cannot write", tmp);
        unlink(tmp);
        return -1;
    }
    sf->path = path;
    sf->tmp = tmp;
    sf->dir = dir;
    sf->bak = have_old && keep_bak ? bak : NULL;
    return 0;
}

int sri_registry_commit_file(apr_pool_t *p, sri_staged_file *sf, char **err)
{
    int dfd;

    if (rename(sf->tmp, sf->path)) {
        *err = sys_err(p, "cannot rename temporary file over", sf->path);
        unlink(sf->tmp);
        return -1;
    }
    dfd = open(sf->dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return 0;
}

void sri_registry_abandon_file(sri_staged_file *sf)
{
    unlink(sf->tmp);
}

int sri_registry_write_file(apr_pool_t *p, const char *path,
                            const char *text, size_t len, int keep_bak,
                            char **err)
{
    sri_staged_file sf;

    if (sri_registry_stage_file(p, path, text, len, keep_bak, &sf, err))
        return -1;
    return sri_registry_commit_file(p, &sf, err);
}

int sri_registry_save_text(apr_pool_t *p, const sri_registry *r,
                           const char *path, char **text, size_t *len,
                           char **err)
{
    sri_registry *check;
    char *perr = NULL;

    *text = sri_registry_format(p, r, len);
    /* Never write what the parser would refuse: the server reads it. */
    if (sri_registry_parse(p, path, *text, *len, &check, &perr)) {
        *err = apr_psprintf(p, "refusing to write an unreadable registry "
                            "(%s)", perr);
        return -1;
    }
    return sri_registry_write_file(p, path, *text, *len, 1, err);
}

int sri_registry_save(apr_pool_t *p, const sri_registry *r, const char *path,
                      char **err)
{
    char *text;
    size_t len;

    return sri_registry_save_text(p, r, path, &text, &len, err);
}

int sri_registry_lock(apr_pool_t *p, const char *path, char **err)
{
    char real[PATH_MAX];
    char *lock;
    int fd;

    if (realpath(path, real))
        path = real;
    lock = apr_pstrcat(p, path, ".lock", NULL);
    fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        *err = sys_err(p, "cannot open lock file", lock);
        return -1;
    }
    while (flock(fd, LOCK_EX)) {
        if (errno != EINTR) {
            *err = sys_err(p, "cannot lock", lock);
            close(fd);
            return -1;
        }
    }
    return fd;
}

void sri_registry_unlock(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
}
