/*
 * sri_registry_sign.c -- writing signed registries (sri-registry only):
 * make REGISTRY.sig, write it safely, install a fetched pair.
 *
 * Why apart from sri_registry_sig.c: the module only verifies; signing and
 * writing files belong to the tool (libsriedit), like the registry writer.
 * The signing time is kept strictly increasing per registry, because a
 * verifier refuses a second signing with the same time over other bytes
 * (two saves in one second must not lock a fleet out).
 */
#define _DEFAULT_SOURCE 1       /* timegm */
#include "registry/sri_registry_sig.h"
#include "registry/sri_registry_private.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <apr_strings.h>

char *sri_regsig_make(apr_pool_t *p, const sri_ed25519_key *k,
                      const void *reg, size_t len, const char *signed_at,
                      size_t *sig_len, char **err)
{
    char hex[65], tok[SRI_ED25519_TOKEN_LEN + 1], b64[89];
    unsigned char sig[SRI_ED25519_SIG_LEN];
    char *head, *text;

    if (!signed_at || !sri_time_valid(signed_at, strlen(signed_at))) {
        *err = apr_psprintf(p, "bad signing time '%s' (want "
                            "YYYY-MM-DDTHH:MM:SSZ)",
                            signed_at ? signed_at : "");
        return NULL;
    }
    if (!sri_ed25519_has_private(k)) {
        *err = apr_pstrdup(p, "the signing key is not a private key");
        return NULL;
    }
    if (sri_regsig_sha256_hex(reg, len, hex) || sri_ed25519_token(k, tok)) {
        *err = apr_pstrdup(p, "cannot hash the registry or encode the key");
        return NULL;
    }
    head = apr_psprintf(p, SRI_REGSIG_FORMAT "\nregistry-sha256 %s\n"
                        "signed-at %s\nkey %s\n", hex, signed_at, tok);
    if (sri_ed25519_sign(k, head, strlen(head), sig)) {
        *err = apr_pstrdup(p, "Ed25519 signing failed");
        return NULL;
    }
    sri_b64_encode(sig, sizeof(sig), b64);
    text = apr_pstrcat(p, head, "signature ", b64, "\n", NULL);
    *sig_len = strlen(text);
    return text;
}

/* "YYYY-MM-DDTHH:MM:SSZ" one second after t (valid), into out[21]. */
static int next_second(const char *t, char *out)
{
    struct tm tm;
    time_t s;

    memset(&tm, 0, sizeof(tm));
    if (sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    s = timegm(&tm) + 1;
    if (!gmtime_r(&s, &tm) ||
        strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
        return -1;
    return 0;
}

/* The signed-at of an existing .sig (parsed, not verified), or "". */
static void previous_time(apr_pool_t *p, const char *sigpath, char *out)
{
    char buf[SRI_REGSIG_MAX + 1];
    sri_regsig s;
    const char *why;
    ssize_t n = -1;
    int fd = open(sigpath, O_RDONLY | O_CLOEXEC);

    out[0] = '\0';
    if (fd >= 0) {
        n = read(fd, buf, sizeof(buf));
        close(fd);
    }
    (void)p;
    if (n > 0 && (size_t)n <= SRI_REGSIG_MAX &&
        sri_regsig_parse(buf, (size_t)n, &s, &why) == 0)
        strcpy(out, s.signed_at);
}

int sri_regsig_write(apr_pool_t *p, const char *registry, const void *reg,
                     size_t len, const sri_ed25519_key *k, const char *now,
                     const char **signed_at, char **err)
{
    char *sigpath = sri_regsig_path(p, registry), *text;
    char prev[21], bumped[21];
    const char *when = now;
    size_t tlen;

    previous_time(p, sigpath, prev);
    if (prev[0] && now && strcmp(prev, now) >= 0) {
        if (next_second(prev, bumped)) {
            *err = apr_psprintf(p, "%s: cannot order the signing time after "
                                "%s", sigpath, prev);
            return -1;
        }
        when = bumped;
    }
    text = sri_regsig_make(p, k, reg, len, when, &tlen, err);
    if (!text)
        return -1;
    if (sri_registry_write_file(p, sigpath, text, tlen, 0, err))
        return -1;
    if (signed_at)
        *signed_at = apr_pstrdup(p, when);
    return 0;
}

int sri_regsig_install(apr_pool_t *p, const char *registry, const char *reg,
                       size_t len, const char *sig, size_t sig_len,
                       char **err)
{
    sri_staged_file s, r;
    sigset_t stop, old;
    int rc = 0;

    /* Both files are written in full first: a full disk or a failed write
       leaves the installed pair as it was.  Then .sig first, registry last:
       a reader that checks only when the registry changes finds the
       matching .sig already in place; one that looks in between sees a
       mismatch and keeps the registry it has.  Signals that would stop us
       wait until both renames are done, and if the second fails the old
       .sig (kept as REGISTRY.sig.bak) goes back: never a .sig of one
       version beside the registry of another. */
    if (sri_registry_stage_file(p, sri_regsig_path(p, registry), sig,
                                sig_len, 1, &s, err))
        return -1;
    if (sri_registry_stage_file(p, registry, reg, len, 1, &r, err)) {
        sri_registry_abandon_file(&s);
        return -1;
    }
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    sigaddset(&stop, SIGQUIT);
    sigprocmask(SIG_BLOCK, &stop, &old);
    if (sri_registry_commit_file(p, &s, err)) {
        sri_registry_abandon_file(&r);
        rc = -1;
    } else if (sri_registry_commit_file(p, &r, err)) {
        if (s.bak && rename(s.bak, s.path) != 0)
            *err = apr_psprintf(p, "%s; and the previous %s could not be "
                                "put back from %s", *err, s.path, s.bak);
        else if (!s.bak)
            unlink(s.path);
        rc = -1;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int sri_registry_save_signed(apr_pool_t *p, const sri_registry *r,
                             const char *path, const sri_ed25519_key *key,
                             const char *now, const char **signed_at,
                             char **err)
{
    char *text;
    size_t len;

    if (sri_registry_save_text(p, r, path, &text, &len, err))
        return -1;
    /* Signed in the same locked step, over the very bytes just written;
       the .sig follows the registry (a reader in between sees a mismatch
       and keeps what it has: sri_regsig_load). */
    if (key && sri_regsig_write(p, path, text, len, key, now, signed_at, err))
        return -1;
    return 0;
}
