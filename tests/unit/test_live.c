/*
 * test_live.c -- the live registry: versions, reloads, reference counts,
 * bad files, and many threads acquiring while the file changes.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <utime.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <apr_atomic.h>

#include "sri_check.h"
#include "sri_live.h"
#include "registry/sri_registry_sig.h"

#define T_A "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
#define T_B "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"

static apr_pool_t *pool;
static char path[256];

static void write_to(const char *to, const char *text)
{
    char tmp[300];
    FILE *f;

    snprintf(tmp, sizeof(tmp), "%s.tmp", to);
    f = fopen(tmp, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    ck_assert_int_eq(rename(tmp, to), 0);
}

static void write_file(const char *text)
{
    write_to(path, text);
}

static const char *reg_text(const char *tok)
{
    return apr_psprintf(pool, "https://cdn.example.org/a.js\n    integrity %s\n",
                        tok);
}

static void setup(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    snprintf(path, sizeof(path), "/tmp/sri-live-test.%ld", (long)getpid());
    write_file(reg_text(T_A));
}

static void teardown(void)
{
    apr_pool_destroy(pool);
    unlink(path);
    {
        char sig[300];
        snprintf(sig, sizeof(sig), "%s.sig", path);
        unlink(sig);
    }
    apr_terminate();
}

static const char *integrity_of(const sri_live_version *v)
{
    const sri_entry *e = sri_registry_lookup(v->reg, "https://cdn.example.org/a.js");
    return e ? e->integrity : NULL;
}

START_TEST(test_live_reload_and_refcount)
{
    sri_live *l;
    char *err = NULL;
    const sri_live_version *v1, *v2, *v3;
    apr_time_t now = apr_time_now();

    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    v1 = sri_live_acquire(l, now, apr_time_from_sec(5), pool, &err);
    ck_assert_str_eq(integrity_of(v1), T_A);
    ck_assert_uint_eq(v1->generation, 1);

    write_file(reg_text(T_B));
    /* interval not yet elapsed: still the old version */
    v2 = sri_live_acquire(l, now, apr_time_from_sec(5), pool, &err);
    ck_assert_ptr_eq(v1, v2);
    sri_live_release(l, v2);

    v2 = sri_live_acquire(l, now + apr_time_from_sec(6), apr_time_from_sec(5),
                          pool, &err);
    ck_assert_ptr_null(err);
    ck_assert_str_eq(integrity_of(v2), T_B);
    ck_assert_uint_eq(v2->generation, 2);
    ck_assert_str_ne(v1->id, v2->id);
    /* the request that holds v1 still sees v1 */
    ck_assert_str_eq(integrity_of(v1), T_A);
    ck_assert_int_eq(sri_live_versions_alive(l), 2);
    sri_live_release(l, v1);
    ck_assert_int_eq(sri_live_versions_alive(l), 1);

    /* interval 0: never checks */
    write_file(reg_text(T_A));
    v3 = sri_live_acquire(l, now + apr_time_from_sec(60), 0, pool, &err);
    ck_assert_ptr_eq(v3, v2);
    sri_live_release(l, v3);
    sri_live_release(l, v2);
}
END_TEST

/* A version says when it was put in place (Last-Modified carries it): the
   latest mtime or ctime of its file, never later than now.  ctime counts,
   so an install that keeps an older mtime (mv of a .bak, cp -p) still
   dates the new version later; a date in the future is capped. */
static void set_mtime(const char *to, time_t when)
{
    struct utimbuf ut;

    ut.actime = ut.modtime = when;
    ck_assert_int_eq(utime(to, &ut), 0);
}

static time_t ctime_of(const char *of)
{
    struct stat st;

    ck_assert_int_eq(stat(of, &st), 0);
    return st.st_ctime;
}

START_TEST(test_live_changed_is_install_time)
{
    sri_live *l;
    char *err = NULL;
    const sri_live_version *v;
    apr_time_t now = apr_time_now(), first;

    set_mtime(path, 1700000000);            /* an old mtime, ctime now */
    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    v = sri_live_acquire(l, now, apr_time_from_sec(5), pool, &err);
    ck_assert_int_eq(apr_time_sec(v->changed), ctime_of(path));
    first = v->changed;
    sri_live_release(l, v);

    /* a new version whose file carries an older mtime: dated later */
    sleep(1);
    write_file(reg_text(T_B));
    set_mtime(path, 1600000000);
    v = sri_live_acquire(l, now + apr_time_from_sec(6), apr_time_from_sec(5),
                         pool, &err);
    ck_assert_str_eq(integrity_of(v), T_B);
    ck_assert(v->changed > first);
    ck_assert_int_eq(apr_time_sec(v->changed), ctime_of(path));
    sri_live_release(l, v);

    /* an mtime in the future: never later than when it was read */
    write_file(reg_text(T_A));
    set_mtime(path, time(NULL) + 86400);
    v = sri_live_acquire(l, now + apr_time_from_sec(12), apr_time_from_sec(5),
                         pool, &err);
    ck_assert_str_eq(integrity_of(v), T_A);
    ck_assert(v->changed <= apr_time_now());
    ck_assert(v->changed >= apr_time_from_sec(ctime_of(path)));
    sri_live_release(l, v);
}
END_TEST

START_TEST(test_live_bad_file_keeps_last_good)
{
    sri_live *l;
    char *err = NULL;
    const sri_live_version *v;
    apr_time_t t = apr_time_now();

    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    write_file("https://cdn.example.org/a.js\n    integrity sha384-notbase64!\n");
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, ":2:") != NULL, "error names the line: %s", err);
    ck_assert_str_eq(integrity_of(v), T_A);
    sri_live_release(l, v);
    /* the same bad file is reported once */
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_null(err);
    sri_live_release(l, v);
    /* ... once per process: a child forked after the parent saw it reports
       it itself, once, and keeps the version it was forked with */
    sri_live_child_init(l);
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, ":2:") != NULL, "error names the line: %s", err);
    ck_assert_str_eq(integrity_of(v), T_A);
    ck_assert_uint_eq(v->generation, 1);
    sri_live_release(l, v);
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_null(err);
    sri_live_release(l, v);
    /* deleted: reported once, last good stays */
    unlink(path);
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_str_eq(integrity_of(v), T_A);
    sri_live_release(l, v);
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_null(err);
    sri_live_release(l, v);
    /* a good file again is picked up */
    write_file(reg_text(T_B));
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_null(err);
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(l, v);
    /* a truncated (empty) file never drops every pin at runtime */
    write_file("");
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "empty"));
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(l, v);
    /* chmod alone (ctime) makes a bad file worth another look */
    write_file("https://cdn.example.org/a.js\n    integrity sha384-bad\n");
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    sri_live_release(l, v);
    usleep(20000);
    ck_assert_int_eq(chmod(path, 0600), 0);
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);     /* looked again: still bad, said again */
    sri_live_release(l, v);
}
END_TEST

START_TEST(test_live_open_errors)
{
    sri_live *l;
    char *err = NULL;

    ck_assert_int_ne(sri_live_open(pool, "/nonexistent/registry", &l, &err), 0);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/registry"));
    write_file("not a url\n");
    err = NULL;
    ck_assert_int_ne(sri_live_open(pool, path, &l, &err), 0);
    ck_assert_msg(strstr(err, ":1:") != NULL, "error names the line: %s", err);
}
END_TEST

/* Threads acquire and check that a version never changes under them. */
static sri_live *shared_live;
static volatile apr_uint32_t mismatches, stop_flag;

static void *APR_THREAD_FUNC reader(apr_thread_t *t, void *data)
{
    apr_pool_t *p;
    apr_pool_create(&p, NULL);
    while (!apr_atomic_read32(&stop_flag)) {
        char *err;
        const sri_live_version *v = sri_live_acquire(shared_live,
            apr_time_now(), 1, p, &err);
        const char *a = integrity_of(v);
        int i;
        for (i = 0; i < 50; i++)
            if (strcmp(integrity_of(v), a) != 0)
                apr_atomic_inc32(&mismatches);
        sri_live_release(shared_live, v);
        apr_pool_clear(p);
    }
    apr_pool_destroy(p);
    return NULL;    /* not apr_thread_exit(): pthread_exit upsets ASan */
}

START_TEST(test_live_threads)
{
    apr_thread_t *th[4];
    apr_status_t rv;
    char *err = NULL;
    int i;

    ck_assert_int_eq(sri_live_open(pool, path, &shared_live, &err), 0);
    for (i = 0; i < 4; i++)
        ck_assert_int_eq(apr_thread_create(&th[i], NULL, reader, NULL, pool),
                         APR_SUCCESS);
    for (i = 0; i < 200; i++) {
        write_file(reg_text(i % 2 ? T_A : T_B));
        usleep(1000);
    }
    apr_atomic_set32(&stop_flag, 1);
    for (i = 0; i < 4; i++)
        apr_thread_join(&rv, th[i]);
    ck_assert_uint_eq(mismatches, 0);
    ck_assert_int_eq(sri_live_versions_alive(shared_live), 1);
}
END_TEST

/* ---- signed registries (SRIRegistryKey) ---- */

static sri_ed25519_key *key_of(unsigned char fill)
{
    unsigned char seed[32];
    memset(seed, fill, sizeof(seed));
    return sri_ed25519_from_seed(seed);
}

static apr_array_header_t *trusting(sri_ed25519_key *k)
{
    apr_array_header_t *a = apr_array_make(pool, 1, SRI_ED25519_KEY_LEN);
    ck_assert_int_eq(sri_ed25519_public_raw(k, apr_array_push(a)), 0);
    return a;
}

/* The .sig text of text signed by k at when. */
static const char *sig_of(sri_ed25519_key *k, const char *text,
                          const char *when)
{
    size_t n;
    char *err = NULL;
    const char *s = sri_regsig_make(pool, k, text, strlen(text), when, &n,
                                    &err);
    ck_assert_msg(s != NULL, "%s", err ? err : "?");
    return s;
}

static void write_sig(const char *text)
{
    write_to(apr_psprintf(pool, "%s.sig", path), text);
}

/* Publish a signed pair the way `pull` installs it: .sig, then registry. */
static void publish(sri_ed25519_key *k, const char *text, const char *when)
{
    write_sig(sig_of(k, text, when));
    write_file(text);
}

START_TEST(test_live_signed)
{
    sri_ed25519_key *k = key_of(7), *other = key_of(8);
    apr_array_header_t *keys = trusting(k);
    sri_live *l;
    char *err = NULL;
    const sri_live_version *v;
    apr_time_t t = apr_time_now();
    const char *old_sig = sig_of(k, reg_text(T_A), "2026-12-01T00:00:00Z");

    /* no .sig: refused at startup, naming the file */
    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    ck_assert_int_ne(sri_live_require_signature(l, keys, &err), 0);
    ck_assert_ptr_nonnull(strstr(err, path));
    ck_assert_ptr_nonnull(strstr(err, "no signature"));
    /* signed by another key: refused */
    write_sig(sig_of(other, reg_text(T_A), "2026-12-01T00:00:00Z"));
    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    ck_assert_int_ne(sri_live_require_signature(l, keys, &err), 0);
    ck_assert_ptr_nonnull(strstr(err, "not trusted"));
    /* good */
    write_sig(old_sig);
    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    ck_assert_int_eq(sri_live_require_signature(l, keys, &err), 0);
    v = sri_live_acquire(l, t, 0, pool, &err);
    ck_assert_str_eq(integrity_of(v), T_A);
    ck_assert_str_eq(v->signed_at, "2026-12-01T00:00:00Z");
    /* a signed version is dated by its files, not by its signed-at (a
       registry signed before a page was edited may be installed after) */
    {
        char sigp[300];
        snprintf(sigp, sizeof(sigp), "%s.sig", path);
        ck_assert(apr_time_sec(v->changed) >= ctime_of(sigp));
        ck_assert(apr_time_sec(v->changed) >= ctime_of(path));
    }
    sri_live_release(l, v);

    /* a newer signed registry is picked up */
    publish(k, reg_text(T_B), "2026-12-02T00:00:00Z");
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_null(err);
    ck_assert_str_eq(integrity_of(v), T_B);
    ck_assert_str_eq(v->signed_at, "2026-12-02T00:00:00Z");
    sri_live_release(l, v);

    /* changed without re-signing: first look is quiet (a writer may be
       between its renames), the second reports; last good kept */
    write_file(reg_text(T_A));
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_null(err);
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(l, v);
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "does not match its signature"));
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(l, v);
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_null(err);                        /* once per change */
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(l, v);

    /* the old, validly signed pair replayed: a rollback, refused */
    write_sig(old_sig);
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "rollback"));
    ck_assert_ptr_nonnull(strstr(err, "older than"));
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(l, v);

    /* other bytes signed at the time of the one in use: refused */
    publish(k, apr_pstrcat(pool, reg_text(T_A), "# other\n", NULL),
            "2026-12-02T00:00:00Z");
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "same time"));
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(l, v);

    /* the .sig deleted: reported, last good kept */
    {
        char sp[300];
        snprintf(sp, sizeof(sp), "%s.sig", path);
        write_file(reg_text(T_B));
        unlink(sp);
    }
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "no signature"));
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(l, v);

    /* the same bytes signed again later: same version id, later time (the
       floor for rollbacks moves up) */
    publish(k, reg_text(T_B), "2026-12-03T00:00:00Z");
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_null(err);
    ck_assert_str_eq(integrity_of(v), T_B);
    ck_assert_str_eq(v->signed_at, "2026-12-03T00:00:00Z");
    sri_live_release(l, v);
    publish(k, reg_text(T_A), "2026-12-02T12:00:00Z");
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "rollback"));
    sri_live_release(l, v);

    /* looked at between the two renames of an install: quiet, and the
       finished install is taken at the next look */
    {
        const char *next = apr_pstrcat(pool, reg_text(T_A), "# v4\n", NULL);
        write_sig(sig_of(k, next, "2026-12-04T00:00:00Z"));
        v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
        ck_assert_ptr_null(err);
        ck_assert_str_eq(integrity_of(v), T_B);
        sri_live_release(l, v);
        write_file(next);
    }
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_null(err);
    ck_assert_str_eq(integrity_of(v), T_A);
    ck_assert_str_eq(v->signed_at, "2026-12-04T00:00:00Z");
    sri_live_release(l, v);
    ck_assert_int_eq(sri_live_versions_alive(l), 1);

    /* truncated under a newer .sig: does not verify, last good kept */
    write_sig(sig_of(k, reg_text(T_B), "2026-12-05T00:00:00Z"));
    write_file("");
    {
        int reported = 0, looks;
        for (looks = 0; looks < 2; looks++) {   /* the second at the latest */
            v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool,
                                 &err);
            reported += err != NULL;
            ck_assert_str_eq(integrity_of(v), T_A);
            sri_live_release(l, v);
        }
        ck_assert_int_eq(reported, 1);
    }
    /* emptied and signed: taken, as at (re)start and by the tool */
    publish(k, "", "2026-12-06T00:00:00Z");
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_msg(err == NULL, "%s", err ? err : "");
    ck_assert_ptr_null(integrity_of(v));
    ck_assert_str_eq(v->signed_at, "2026-12-06T00:00:00Z");
    sri_live_release(l, v);

    sri_ed25519_free(k);
    sri_ed25519_free(other);
}
END_TEST

/* A graceful restart: the next configuration generation keeps the copy
   of the signed registry in use when what is on disk is older. */
START_TEST(test_live_floor_across_restart)
{
    sri_ed25519_key *k = key_of(7), *other = key_of(8);
    sri_live *l, *next;
    const char *freg = NULL, *fsig = NULL;
    apr_size_t fn = 0;
    char *err = NULL, *refused = NULL;
    const sri_live_version *v;
    apr_time_t t = apr_time_now();

    /* unsigned: nothing to carry */
    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    ck_assert_int_eq(sri_live_floor_copy(l, pool, &freg, &fn, &fsig), -1);

    publish(k, reg_text(T_B), "2026-12-02T00:00:00Z");
    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    ck_assert_int_eq(sri_live_require_signature(l, trusting(k), &err), 0);
    ck_assert_int_eq(sri_live_floor_copy(l, pool, &freg, &fn, &fsig), 0);
    ck_assert_str_eq(freg, reg_text(T_B));
    ck_assert_uint_eq(fn, strlen(reg_text(T_B)));
    ck_assert_str_eq(fsig, sig_of(k, reg_text(T_B), "2026-12-02T00:00:00Z"));

    /* an older signed pair on disk at the restart: refused, the copy kept */
    publish(k, reg_text(T_A), "2026-12-01T00:00:00Z");
    ck_assert_int_eq(sri_live_open(pool, path, &next, &err), 0);
    ck_assert_int_eq(sri_live_require_signature(next, trusting(k), &err), 0);
    /* a copy whose bytes are not the ones signed is no floor */
    ck_assert_int_eq(sri_live_carry_floor(next, reg_text(T_A),
                                          strlen(reg_text(T_A)), fsig, pool,
                                          &refused), 0);
    ck_assert_ptr_null(refused);
    ck_assert_int_eq(sri_live_carry_floor(next, freg, fn, fsig, pool,
                                          &refused), 1);
    ck_assert_ptr_nonnull(refused);
    ck_assert_ptr_nonnull(strstr(refused, path));
    ck_assert_ptr_nonnull(strstr(refused, "signed at 2026-12-01T00:00:00Z, "
                                          "older than the registry in use "
                                          "before the restart (signed at "
                                          "2026-12-02T00:00:00Z)"));
    ck_assert_ptr_nonnull(strstr(refused, "rollback"));
    v = sri_live_acquire(next, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_null(err);        /* the same files: not read again */
    ck_assert_str_eq(integrity_of(v), T_B);
    ck_assert_str_eq(v->signed_at, "2026-12-02T00:00:00Z");
    sri_live_release(next, v);
    ck_assert_int_eq(sri_live_versions_alive(next), 1);
    /* ... and it is the floor from then on: the same old pair installed
       again is a rollback; a newer one is taken */
    publish(k, reg_text(T_A), "2026-12-01T00:00:00Z");
    v = sri_live_acquire(next, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "rollback"));
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(next, v);
    publish(k, reg_text(T_A), "2026-12-03T00:00:00Z");
    v = sri_live_acquire(next, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_str_eq(integrity_of(v), T_A);
    ck_assert_str_eq(v->signed_at, "2026-12-03T00:00:00Z");
    sri_live_release(next, v);

    /* other bytes signed at the same time as the copy: refused too */
    publish(k, apr_pstrcat(pool, reg_text(T_A), "# other\n", NULL),
            "2026-12-02T00:00:00Z");
    ck_assert_int_eq(sri_live_open(pool, path, &next, &err), 0);
    ck_assert_int_eq(sri_live_require_signature(next, trusting(k), &err), 0);
    ck_assert_int_eq(sri_live_carry_floor(next, freg, fn, fsig, pool,
                                          &refused), 1);
    ck_assert_ptr_nonnull(strstr(refused, "the same time as, but other "
                                          "bytes than,"));
    v = sri_live_acquire(next, t, 0, pool, &err);
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(next, v);

    /* the same or a newer pair on disk: taken, nothing said */
    publish(k, reg_text(T_B), "2026-12-02T00:00:00Z");
    ck_assert_int_eq(sri_live_open(pool, path, &next, &err), 0);
    ck_assert_int_eq(sri_live_require_signature(next, trusting(k), &err), 0);
    ck_assert_int_eq(sri_live_carry_floor(next, freg, fn, fsig, pool,
                                          &refused), 0);
    ck_assert_ptr_null(refused);
    publish(k, reg_text(T_A), "2026-12-05T00:00:00Z");
    ck_assert_int_eq(sri_live_open(pool, path, &next, &err), 0);
    ck_assert_int_eq(sri_live_require_signature(next, trusting(k), &err), 0);
    ck_assert_int_eq(sri_live_carry_floor(next, freg, fn, fsig, pool,
                                          &refused), 0);
    ck_assert_ptr_null(refused);
    v = sri_live_acquire(next, t, 0, pool, &err);
    ck_assert_str_eq(integrity_of(v), T_A);
    sri_live_release(next, v);

    /* the copy's signer no longer trusted (key rotation): what is on disk,
       signed by the new key, is taken even though it is older */
    publish(other, reg_text(T_A), "2026-12-01T00:00:00Z");
    ck_assert_int_eq(sri_live_open(pool, path, &next, &err), 0);
    ck_assert_int_eq(sri_live_require_signature(next, trusting(other), &err),
                     0);
    ck_assert_int_eq(sri_live_carry_floor(next, freg, fn, fsig, pool,
                                          &refused), 0);
    ck_assert_ptr_null(refused);
    v = sri_live_acquire(next, t, 0, pool, &err);
    ck_assert_str_eq(v->signed_at, "2026-12-01T00:00:00Z");
    sri_live_release(next, v);

    sri_ed25519_free(k);
    sri_ed25519_free(other);
}
END_TEST

/* A child idle since its parent took up a newer version takes the copy
   the parent published before it judges the files on disk (a real fork:
   the child is a copy of the parent, as under httpd). */
START_TEST(test_live_follows_published_copy)
{
    sri_ed25519_key *k = key_of(7);
    sri_live *parent, *plain;
    char *err = NULL;
    const char *kept = apr_psprintf(pool, "%s.kept", path);
    const sri_live_version *v;
    apr_time_t t = apr_time_now();
    apr_finfo_t fi;
    int go[2], status;
    pid_t pid;
    char c = 'x';

    /* unsigned: nothing published */
    ck_assert_int_eq(sri_live_open(pool, path, &plain, &err), 0);
    ck_assert_int_eq(sri_live_publish(plain, kept, 0, pool, &err), 0);
    ck_assert_int_ne(apr_stat(&fi, kept, APR_FINFO_SIZE, pool), APR_SUCCESS);

    publish(k, reg_text(T_A), "2026-12-01T00:00:00Z");
    ck_assert_int_eq(sri_live_open(pool, path, &parent, &err), 0);
    ck_assert_int_eq(sri_live_require_signature(parent, trusting(k), &err),
                     0);
    ck_assert_int_eq(sri_live_publish(parent, kept, 0, pool, &err), 0);
    ck_assert_int_eq(apr_stat(&fi, kept, APR_FINFO_PROT, pool), APR_SUCCESS);
    ck_assert_int_eq(fi.protection & APR_FPROT_WREAD, APR_FPROT_WREAD);
    ck_assert_int_eq(pipe(go), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {                     /* the child, idle until told */
        int rc = 0;
        sri_live_child_init(parent);
        if (read(go[0], &c, 1) != 1)
            _exit(10);
        /* the older pair back on disk: the parent's copy is taken, and
           the files are refused as a rollback */
        v = sri_live_acquire(parent, t + apr_time_from_sec(10), 1, pool,
                             &err);
        if (strcmp(integrity_of(v), T_B) != 0)
            rc = 11;
        else if (!err || !strstr(err, "rollback"))
            rc = 12;
        sri_live_release(parent, v);
        _exit(rc);
    }
    /* the parent takes up a newer pair, publishes it, and the older pair
       comes back on disk */
    publish(k, reg_text(T_B), "2026-12-02T00:00:00Z");
    v = sri_live_acquire(parent, t + apr_time_from_sec(10), 1, pool, &err);
    ck_assert_str_eq(integrity_of(v), T_B);
    sri_live_release(parent, v);
    /* written again only when asked, or when the files changed */
    ck_assert_int_eq(sri_live_publish(parent, kept, 0, pool, &err), 0);
    publish(k, reg_text(T_A), "2026-12-01T00:00:00Z");
    ck_assert_int_eq(write(go[1], &c, 1), 1);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "child status %d", status);
    unlink(kept);
    unlink(apr_pstrcat(pool, kept, ".sig", NULL));
    close(go[0]);
    close(go[1]);
    sri_ed25519_free(k);
}
END_TEST

/* What a child finds at the copy's path must not crash or hang it: a
   newer, validly signed copy that does not parse; a FIFO. */
START_TEST(test_live_published_copy_odd)
{
    sri_ed25519_key *k = key_of(7);
    sri_live *l;
    char *err = NULL;
    const char *kept = apr_psprintf(pool, "%s.kept", path);
    const sri_live_version *v;
    apr_time_t t = apr_time_now();

    publish(k, reg_text(T_A), "2026-12-01T00:00:00Z");
    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    ck_assert_int_eq(sri_live_require_signature(l, trusting(k), &err), 0);
    ck_assert_int_eq(sri_live_publish(l, kept, 0, pool, &err), 0);
    sri_live_child_init(l);
    write_to(apr_pstrcat(pool, kept, ".sig", NULL),
             sig_of(k, "not a url\n", "2026-12-09T00:00:00Z"));
    write_to(kept, "not a url\n");
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_str_eq(integrity_of(v), T_A);
    sri_live_release(l, v);
    /* a FIFO in the copy's place, then in the registry's: refused, no
       hang (the test would time out) */
    unlink(kept);
    ck_assert_int_eq(mkfifo(kept, 0644), 0);
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_str_eq(integrity_of(v), T_A);
    sri_live_release(l, v);
    unlink(path);
    ck_assert_int_eq(mkfifo(path, 0644), 0);
    v = sri_live_acquire(l, t += apr_time_from_sec(10), 1, pool, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, "not a regular file") != NULL, "%s", err);
    ck_assert_str_eq(integrity_of(v), T_A);
    sri_live_release(l, v);
    unlink(path);
    unlink(kept);
    unlink(apr_pstrcat(pool, kept, ".sig", NULL));
    sri_ed25519_free(k);
}
END_TEST

/* An unsigned registry replaced by a FIFO: refused, no hang. */
START_TEST(test_live_fifo_unsigned)
{
    sri_live *l;
    char *err = NULL;
    const sri_live_version *v;

    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    unlink(path);
    ck_assert_int_eq(mkfifo(path, 0644), 0);
    v = sri_live_acquire(l, apr_time_now() + apr_time_from_sec(10), 1, pool,
                         &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, "not a regular file") != NULL, "%s", err);
    ck_assert_str_eq(integrity_of(v), T_A);
    sri_live_release(l, v);
    unlink(path);
}
END_TEST

START_TEST(test_live_signed_but_unparsable)
{
    sri_ed25519_key *k = key_of(9);
    sri_live *l;
    char *err = NULL;

    write_sig(sig_of(k, reg_text(T_A), "2026-12-01T00:00:00Z"));
    ck_assert_int_eq(sri_live_open(pool, path, &l, &err), 0);
    /* signed garbage is refused by the parser, with file:line */
    publish(k, "not a url\n", "2026-12-02T00:00:00Z");
    ck_assert_int_ne(sri_live_require_signature(l, trusting(k), &err), 0);
    ck_assert_msg(strstr(err, ":1:") != NULL, "error names the line: %s", err);
    sri_ed25519_free(k);
}
END_TEST

static Suite *live_suite(void)
{
    Suite *s = suite_create("live");
    TCase *tc = tcase_create("live");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_live_reload_and_refcount);
    tcase_add_test(tc, test_live_changed_is_install_time);
    tcase_add_test(tc, test_live_bad_file_keeps_last_good);
    tcase_add_test(tc, test_live_open_errors);
    tcase_add_test(tc, test_live_threads);
    tcase_add_test(tc, test_live_signed);
    tcase_add_test(tc, test_live_signed_but_unparsable);
    tcase_add_test(tc, test_live_floor_across_restart);
    tcase_add_test(tc, test_live_follows_published_copy);
    tcase_add_test(tc, test_live_published_copy_odd);
    tcase_add_test(tc, test_live_fifo_unsigned);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}

SRI_CHECK_MAIN(live_suite)
