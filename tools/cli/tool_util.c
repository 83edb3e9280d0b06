/*
 * tool_util.c -- helpers every sri-registry command uses: messages, option
 * parsing, time stamps, and the lock -> load -> save cycle.
 *
 * Why: the promises the tool makes (options anywhere, the same exit codes,
 * never a lost update, never a partial registry, signals cannot interrupt
 * a save halfway) are kept here once instead of in every command.
 */
#include "tool.h"
#include "url/sri_url.h"
#include "registry/sri_registry_sig.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <apr_strings.h>

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
    fputs("sri-registry: ", stderr);
    if (kind)
        fputs(kind, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void tool_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg("", fmt, ap);
    va_end(ap);
}

void tool_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg("warning: ", fmt, ap);
    va_end(ap);
}

void tool_note(tool_ctx *t, const char *fmt, ...)
{
    va_list ap;
    if (t->quiet)
        return;
    va_start(ap, fmt);
    vmsg("", fmt, ap);
    va_end(ap);
}

static const tool_command *current(tool_ctx *t)
{
    const tool_command *c;
    for (c = tool_commands; c->name; c++)
        if (t->command && !strcmp(c->name, t->command))
            return c;
    return NULL;
}

void tool_usage(tool_ctx *t, FILE *to)
{
    const tool_command *c = current(t);
    if (!c)
        return;
    fprintf(to, "usage: sri-registry [-r REGISTRY] %s %s\n", c->name, c->usage);
    if (to == stdout) {
        fprintf(to, "\n%s.\n", c->summary);
        fprintf(to, "\noptions:\n%s"
                "  -r, --registry FILE  the registry (default $SRI_REGISTRY)\n"
                "%s"
                "  -q, --quiet      no notes on stderr\n"
                "  -h, --help       this help\n", c->help,
                /* only where something is written: there is nothing to
                   sign for the others (they accept and ignore it) */
                c->writes
                ? "  --sign KEY       sign what is written into REGISTRY.sig\n"
                  "                   (default $SRI_REGISTRY_SIGN_KEY)\n"
                : "");
    }
}

int tool_usage_error(tool_ctx *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg("", fmt, ap);
    va_end(ap);
    tool_usage(t, stderr);
    return EXIT_LOCAL;
}

int tool_getopt(tool_ctx *t, int argc, char **argv, const char *shortopts,
                const struct option *longopts, tool_opt_fn on_opt, void *ctx,
                int *rc)
{
    static const struct option common[] = {
        { "registry", required_argument, NULL, 'r' },
        { "quiet",    no_argument,       NULL, 'q' },
        { "help",     no_argument,       NULL, 'h' },
        { "sign",     required_argument, NULL, 'S' },
    };
    struct option all[64];
    char *sopts = apr_pstrcat(t->p, ":", shortopts ? shortopts : "", "r:qh",
                              NULL);
    size_t n = 0, i;
    int c;

    for (i = 0; longopts && longopts[i].name && n < 60; i++)
        all[n++] = longopts[i];
    for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        all[n++] = common[i];
    memset(&all[n], 0, sizeof(all[n]));
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, sopts, all, NULL)) != -1) {
        switch (c) {
        case 'r': t->registry = optarg; break;
        case 'q': t->quiet = 1; break;
        case 'S': t->sign_key = optarg; break;
        case 'h': tool_usage(t, stdout); *rc = EXIT_OK; return -2;
        case ':':
            *rc = tool_usage_error(t, "option %s needs a value",
                                   argv[optind - 1]);
            return -1;
        case '?':
            *rc = tool_usage_error(t, "unknown option %s", argv[optind - 1]);
            return -1;
        default:
            if (on_opt(t, ctx, c, optarg)) {
                *rc = EXIT_LOCAL;
                return -1;
            }
        }
    }
    return optind;
}

const char *tool_now(tool_ctx *t)
{
    time_t now = time(NULL);
    struct tm tm;
    char buf[32];
    const char *fake = getenv("SRI_REGISTRY_NOW");   /* tests only */
    if (fake && *fake)
        return fake;
    gmtime_r(&now, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return apr_pstrdup(t->p, buf);
}

int tool_text_ok(const char *s)
{
    int visible = 0;
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
        if (*s != ' ')
            visible = 1;
    }
    return visible;
}

static int need_registry(tool_ctx *t)
{
    if (!t->registry) {
        tool_err("no registry: give -r FILE or set SRI_REGISTRY");
        return EXIT_LOCAL;
    }
    return 0;
}

/* Anyone who can write the registry decides which scripts browsers run:
   refuse a file (or a directory without the sticky bit) that every local
   user may write. */
static int world_writable(const char *path)
{
    struct stat st;
    char *dir, *slash;

    if (stat(path, &st) == 0 && (st.st_mode & S_IWOTH)) {
        tool_err("%s is world-writable: any local user could change the "
                 "pins (chmod o-w %s)", path, path);
        return 1;
    }
    dir = strdup(path);
    if (!dir)
        return 0;
    slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    if (stat(dir, &st) == 0 && (st.st_mode & S_IWOTH) &&
        !(st.st_mode & S_ISVTX)) {
        tool_err("the directory of %s (%s) is world-writable: any local "
                 "user could replace the registry", path, dir);
        free(dir);
        return 1;
    }
    free(dir);
    return 0;
}

static int load(tool_ctx *t, tool_reg *r, int missing_ok)
{
    char *err = NULL;
    apr_array_header_t *w;
    int i;

    if (world_writable(t->registry))
        return EXIT_LOCAL;
    r->path = t->registry;
    if (missing_ok && access(r->path, F_OK) != 0 && errno == ENOENT) {
        r->reg = sri_registry_create(t->p, r->path);
        APR_ARRAY_PUSH(sri_registry_header(r->reg), const char *) =
            "# sri-registry: third-party resources pinned by mod_sri.";
        APR_ARRAY_PUSH(sri_registry_header(r->reg), const char *) =
            "# Format: docs/registry-format.md; edit with sri-registry(1).";
        return 0;
    }
    if (sri_registry_load(t->p, r->path, &r->reg, &err)) {
        tool_err("%s", err);
        return EXIT_LOCAL;
    }
    w = sri_registry_warnings(t->p, r->reg);
    for (i = 0; i < w->nelts; i++)
        fprintf(stderr, "%s\n", APR_ARRAY_IDX(w, i, char *));
    return 0;
}

int tool_open_read(tool_ctx *t, tool_reg *r)
{
    memset(r, 0, sizeof(*r));
    r->lock_fd = -1;
    if (need_registry(t))
        return EXIT_LOCAL;
    return load(t, r, 0);
}

int tool_lock(tool_ctx *t, tool_reg *r)
{
    char *err = NULL;
    memset(r, 0, sizeof(*r));
    r->lock_fd = -1;
    if (need_registry(t) || world_writable(t->registry))
        return EXIT_LOCAL;
    r->path = t->registry;
    r->lock_fd = sri_registry_lock(t->p, t->registry, &err);
    if (r->lock_fd < 0) {
        tool_err("%s", err);
        return EXIT_LOCAL;
    }
    return 0;
}

int tool_open_write(tool_ctx *t, tool_reg *r)
{
    /* Lock first, then read: a concurrent run's change is never lost. */
    if (tool_lock(t, r))
        return EXIT_LOCAL;
    if (load(t, r, 1) || (t->sign_key && tool_load_signer(t, NULL))) {
        tool_close(r);
        return EXIT_LOCAL;
    }
    return 0;
}

static apr_status_t free_signer(void *data)
{
    tool_ctx *t = data;
    sri_ed25519_free(t->signer);
    t->signer = NULL;
    return APR_SUCCESS;
}

int tool_load_signer(tool_ctx *t, const char *path)
{
    char err[512];

    if (!path)
        path = t->sign_key;
    if (t->signer && path == t->sign_key)
        return 0;
    if (!path) {
        tool_err("no signing key: give --key KEY (or sri-registry --sign KEY, "
                 "or set SRI_REGISTRY_SIGN_KEY)");
        return EXIT_LOCAL;
    }
    free_signer(t);
    t->signer = sri_ed25519_read_private(path, err, sizeof(err));
    if (!t->signer) {
        tool_err("signing key: %s", err);
        return EXIT_LOCAL;
    }
    apr_pool_cleanup_kill(t->p, t, free_signer);
    apr_pool_cleanup_register(t->p, t, free_signer, apr_pool_cleanup_null);
    return 0;
}

int tool_save(tool_ctx *t, tool_reg *r)
{
    sigset_t all, old;
    char *err = NULL;
    const char *signed_at = NULL;
    int rv;

    /* Hold off catchable signals while the file is replaced, so Ctrl-C
       cannot leave the temp file behind; SIGKILL still can, and then the
       previous registry is intact (the rename never happened). */
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    rv = sri_registry_save_signed(t->p, r->reg, r->path, t->signer,
                                  tool_now(t), &signed_at, &err);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (rv) {
        tool_err("%s", err);
        return EXIT_LOCAL;
    }
    if (signed_at)
        tool_note(t, "signed %s%s (signed-at %s)", r->path,
                  SRI_REGSIG_SUFFIX, signed_at);
    return 0;
}

void tool_close(tool_reg *r)
{
    if (r->lock_fd >= 0)
        sri_registry_unlock(r->lock_fd);
    r->lock_fd = -1;
}

int tool_read_file(tool_ctx *t, const char *path, char **buf, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    size_t cap = 65536, n = 0, got;
    char *b;

    if (!f) {
        tool_err("%s: %s", path, strerror(errno));
        return EXIT_LOCAL;
    }
    b = malloc(cap + 1);
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(b, cap * 2 + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    if (!b || ferror(f)) {
        tool_err("%s: cannot read: %s", path, b ? strerror(errno)
                                                : "out of memory");
        free(b);
        if (f != stdin)
            fclose(f);
        return EXIT_LOCAL;
    }
    if (f != stdin)
        fclose(f);
    *buf = apr_pstrmemdup(t->p, b, n);
    *len = n;
    free(b);
    return 0;
}

const char *tool_url_arg(tool_ctx *t, const char *url)
{
    char *norm = NULL;
    if (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8))
        norm = sri_url_normalize(t->p, url);
    if (!norm || !sri_url_is_http(norm)) {
        tool_err("not an absolute http(s) URL: %s", url);
        return NULL;
    }
    return norm;
}
