/*
 * cmd_pull.c -- `sri-registry pull URL --key PUBKEY... -r REGISTRY`: fetch
 * a signed registry (URL and URL.sig) from the fleet's origin or any
 * mirror, verify it, refuse a rollback, install it next to the live file.
 *
 * Why: every web server of a fleet must serve the pins one signer approved
 * (apt's model: a detached signature over the index, a key given out of
 * band, any plain HTTP(S) mirror).  The web servers hold only public keys;
 * what they install is what the signer signed, never older than what they
 * have.  A pull that finds nothing new costs one conditional GET of the
 * small .sig (If-None-Match / If-Modified-Since, remembered in
 * REGISTRY.pull), answered 304.
 *
 * Exit codes: 0 installed or nothing new; 1 usage or local error; 2 the
 * origin could not be fetched (down, TLS, HTTP error); 3 refused (no
 * signature, bad signature, untrusted key, registry altered after signing,
 * rollback, a signed registry that does not parse).  On every failure the
 * installed registry is left as it was.
 */
#include "tool.h"
#include "fetch.h"
#include "registry/sri_registry_sig.h"

#include <string.h>
#include <unistd.h>
#include <apr_strings.h>

enum { OPT_KEY = 1 };

typedef struct {
    fetch_opts           fo;
    apr_array_header_t  *keys;      /* raw 32-byte public keys */
    apr_array_header_t  *key_files;
} pull_opts;

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    pull_opts *o = ctx;
    int r;

    if (c == OPT_KEY) {
        APR_ARRAY_PUSH(o->key_files, const char *) = arg;
        return 0;
    }
    r = fetch_option(&o->fo, c, arg);
    if (r < 0)
        tool_err("bad value for option: %s", arg);
    return r == 1 ? 0 : -1;
}

/* REGISTRY.pull: the validators the origin gave for URL.sig and URL when
   they were last installed or found unchanged, for the next conditional
   GETs.  Lines "url U", "sig-etag E", "sig-last-modified D", "etag E",
   "last-modified D". */
typedef struct {
    const char *etag, *last_modified;
} validators;

typedef struct {
    const char *url;
    validators  sig, reg;
} pull_state;

static char *state_path(tool_ctx *t, const char *registry)
{
    return apr_pstrcat(t->p, registry, ".pull", NULL);
}

/* A small file (the state, an installed .sig) into p, silently: a missing
   or unreadable one only costs a full fetch, or a first install. */
static char *small_file(tool_ctx *t, const char *path, size_t *len)
{
    char buf[4096];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return NULL;
    n = fread(buf, 1, sizeof(buf), f);
    if (ferror(f) || n == sizeof(buf)) {
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return apr_pstrmemdup(t->p, buf, n);
}

static void state_read(tool_ctx *t, const char *registry, pull_state *s)
{
    char *buf, *line, *last = NULL;
    size_t len;

    memset(s, 0, sizeof(*s));
    if (!(buf = small_file(t, state_path(t, registry), &len)))
        return;
    for (line = apr_strtok(buf, "\n", &last); line;
         line = apr_strtok(NULL, "\n", &last)) {
        if (!strncmp(line, "url ", 4))
            s->url = line + 4;
        else if (!strncmp(line, "sig-etag ", 9))
            s->sig.etag = line + 9;
        else if (!strncmp(line, "sig-last-modified ", 18))
            s->sig.last_modified = line + 18;
        else if (!strncmp(line, "etag ", 5))
            s->reg.etag = line + 5;
        else if (!strncmp(line, "last-modified ", 14))
            s->reg.last_modified = line + 14;
    }
}

/* A header value fit to be sent back (one line, no control characters). */
static const char *header_ok(const char *v)
{
    const char *c;
    for (c = v; c && *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return NULL;
    return v && *v ? v : NULL;
}

/* What to remember of a response: its validators, or, for a 304 that
   repeats none, the ones we sent. */
static validators seen(const fetch_job *j, const validators *sent)
{
    validators v;
    v.etag = header_ok(j->etag);
    v.last_modified = header_ok(j->last_modified);
    if (j->not_modified && !v.etag && !v.last_modified && sent)
        v = *sent;
    return v;
}

static const char *field(tool_ctx *t, const char *key, const char *v)
{
    return v ? apr_pstrcat(t->p, key, " ", v, "\n", NULL) : "";
}

static void state_write(tool_ctx *t, const char *registry, const char *url,
                        const validators *sig, const validators *reg)
{
    char *err = NULL;
    const char *text = apr_pstrcat(t->p,
        "# sri-registry pull: what the origin said last (for conditional "
        "GETs); safe to delete\n"
        "url ", url, "\n",
        field(t, "sig-etag", sig->etag),
        field(t, "sig-last-modified", sig->last_modified),
        field(t, "etag", reg->etag),
        field(t, "last-modified", reg->last_modified), NULL);

    if (sri_registry_write_file(t->p, state_path(t, registry), text,
                                strlen(text), 0, &err))
        tool_warn("%s (the next pull fetches everything again)", err);
}

/* Fetch one URL into *job; returns 0, EXIT_FETCH, or EXIT_DRIFT for a
   missing signature (the origin answers but has no .sig: refused). */
static int get(tool_ctx *t, pull_opts *o, fetch_job *job, const char *url,
               const validators *cond, int is_sig)
{
    memset(job, 0, sizeof(*job));
    job->url = url;
    job->algo = SRI_ALGO_SHA256;
    job->keep_body = 1;
    if (cond) {
        job->if_none_match = cond->etag;
        job->if_modified_since = cond->last_modified;
    }
    if (is_sig) {
        /* A .sig is some 300 bytes: never download more than one can be. */
        fetch_opts fo = o->fo;
        fo.max_size = SRI_REGSIG_MAX;
        fetch_run(t->p, &fo, job, 1);
    } else {
        fetch_run(t->p, &o->fo, job, 1);
    }
    if (job->ok)
        return 0;
    if (is_sig && job->too_big) {
        tool_err("%s: over %d bytes, which no signature file is; refusing "
                 "the registry", url, SRI_REGSIG_MAX);
        return EXIT_DRIFT;
    }
    if (is_sig && (job->status == 404 || job->status == 410)) {
        tool_err("%s: HTTP status %ld: the origin publishes no signature; "
                 "refusing the registry", url, job->status);
        return EXIT_DRIFT;
    }
    tool_err("%s: %s", url, job->error ? job->error : "fetch failed");
    return EXIT_FETCH;
}

int cmd_pull(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "key", required_argument, NULL, OPT_KEY },
        FETCH_LONGOPTS,
        { NULL, 0, NULL, 0 }
    };
    pull_opts o;
    pull_state st;
    validators vsig, vreg;
    tool_reg reg;
    fetch_job sj, rj;
    sri_regsig have, cand;
    sri_registry *parsed;
    const char *url, *sig_url, *why = NULL;
    char *have_bytes = NULL, *have_sig_text = NULL, *err = NULL;
    const char *sig_text = NULL, *reg_text = NULL;
    size_t have_len = 0, have_sig_len = 0, sig_len = 0, reg_len = 0;
    int rc = 0, first, i, attempt, have_ok, have_sig = 0, cmp;
    sri_regsig_status vs = SRI_REGSIG_MISSING;

    memset(&o, 0, sizeof(o));
    fetch_opts_default(&o.fo);
    o.fo.origin = NULL;                     /* not a CORS check */
    o.fo.max_size = 64L * 1024 * 1024;      /* registries can be large */
    o.key_files = apr_array_make(t->p, 2, sizeof(const char *));
    first = tool_getopt(t, argc, argv, "", longopts, on_opt, &o, &rc);
    if (first < 0)
        return rc;
    if (argc - first != 1)
        return tool_usage_error(t, "pull takes one URL (the registry on the "
                                "origin; its signature is URL.sig)");
    url = argv[first];
    if (strncasecmp(url, "https://", 8) && strncasecmp(url, "http://", 7))
        return tool_usage_error(t, "not an http(s) URL: %s", url);
    if (o.key_files->nelts == 0)
        return tool_usage_error(t, "give the signer's public key with "
                                "--key PUBKEY (one or more)");
    o.keys = apr_array_make(t->p, o.key_files->nelts, SRI_ED25519_KEY_LEN);
    for (i = 0; i < o.key_files->nelts; i++) {
        char kerr[512];
        if (sri_regsig_read_key(APR_ARRAY_IDX(o.key_files, i, const char *),
                                apr_array_push(o.keys), kerr, sizeof(kerr))) {
            tool_err("--key %s", kerr);
            return EXIT_LOCAL;
        }
    }
    sig_url = apr_pstrcat(t->p, url, SRI_REGSIG_SUFFIX, NULL);

    /* One pull at a time, and never beside a local edit. */
    if ((rc = tool_lock(t, &reg)) != 0)
        return rc;

    /* What is installed: a verified pair lets us ask "anything new?" and
       stands in for a file the origin answers 304 for; its signing time
       (even when the pair no longer verifies, e.g. a key was rotated or
       the registry was edited here) is the floor below which nothing is
       installed. */
    have_ok = sri_regsig_load(t->p, reg.path, o.keys, &have_bytes,
                              &have_len, &have, &err) == SRI_REGSIG_OK;
    have_sig_text = small_file(t, sri_regsig_path(t->p, reg.path),
                               &have_sig_len);
    if (have_sig_text &&
        sri_regsig_parse(have_sig_text, have_sig_len, &have, &why) == 0)
        have_sig = 1;
    else
        have_ok = 0;
    state_read(t, reg.path, &st);
    if (!have_ok || !st.url || strcmp(st.url, url))
        memset(&st, 0, sizeof(st));         /* unconditional */

    /* Both files, each conditional: a registry changed on the origin
       without re-signing is noticed (and refused) even though its .sig
       did not change; nothing new costs two 304s.  The .sig first: an
       origin that publishes the registry first and its .sig last never
       shows a new .sig beside an old registry. */
    for (attempt = 0; attempt < 2; attempt++) {
        int cond = attempt == 0 && st.url;
        rc = get(t, &o, &sj, sig_url, cond ? &st.sig : NULL, 1);
        if (rc == 0)
            rc = get(t, &o, &rj, url, cond ? &st.reg : NULL, 0);
        if (rc)
            goto out;
        if (sj.not_modified && rj.not_modified) {
            tool_note(t, "%s: nothing new (signed-at %s)", reg.path,
                      have.signed_at);
            vsig = seen(&sj, &st.sig);
            vreg = seen(&rj, &st.reg);
            state_write(t, reg.path, url, &vsig, &vreg);
            rc = EXIT_OK;
            goto out;
        }
        /* A 304 means "what you have": the installed bytes. */
        sig_text = sj.not_modified ? have_sig_text : sj.body;
        sig_len = sj.not_modified ? have_sig_len : sj.body_len;
        reg_text = rj.not_modified ? have_bytes : rj.body;
        reg_len = rj.not_modified ? have_len : rj.body_len;
        vs = sri_regsig_verify(sig_text, sig_len, reg_text, reg_len, o.keys,
                               &cand, &why);
        /* The origin may be between writing the registry and its .sig:
           look once more, in full, before calling it tampering. */
        if (vs != SRI_REGSIG_MISMATCH)
            break;
        if (attempt == 0)
            sleep(1);
    }
    if (vs != SRI_REGSIG_OK) {
        tool_err("refusing %s: %s (%s: %s); %s left as it was", url,
                 sri_regsig_status_text(vs), sig_url, why ? why : "",
                 reg.path);
        rc = EXIT_DRIFT;
        goto out;
    }
    if (sri_registry_parse(t->p, url, reg_text, reg_len, &parsed, &err)) {
        tool_err("refusing %s: signed, but it does not parse: %s; %s left as "
                 "it was", url, err, reg.path);
        rc = EXIT_DRIFT;
        goto out;
    }
    cmp = have_sig ? sri_regsig_compare(&have, &cand) : 1;
    if (cmp < 0) {
        if (strcmp(cand.signed_at, have.signed_at) < 0)
            tool_err("refusing %s: signed at %s, older than the installed "
                     "registry (signed at %s): a rollback; %s left as it "
                     "was", url, cand.signed_at, have.signed_at, reg.path);
        else
            tool_err("refusing %s: signed at %s like the installed registry "
                     "but over other bytes; %s left as it was", url,
                     cand.signed_at, reg.path);
        rc = EXIT_DRIFT;
        goto out;
    }
    vsig = seen(&sj, &st.sig);
    vreg = seen(&rj, &st.reg);
    if (cmp == 0 && have_ok) {
        tool_note(t, "%s: nothing new (signed-at %s)", reg.path,
                  have.signed_at);
        state_write(t, reg.path, url, &vsig, &vreg);
        rc = EXIT_OK;
        goto out;
    }
    if (sri_regsig_install(t->p, reg.path, reg_text, reg_len, sig_text,
                           sig_len, &err)) {
        tool_err("%s", err);
        rc = EXIT_LOCAL;
        goto out;
    }
    state_write(t, reg.path, url, &vsig, &vreg);
    tool_note(t, "%s: installed from %s (signed-at %s, %d entries, "
              "registry-sha256 %s)", reg.path, url, cand.signed_at,
              sri_registry_count(parsed), cand.sha256);
    rc = EXIT_OK;
out:
    tool_close(&reg);
    return rc;
}
