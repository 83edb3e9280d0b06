/*
 * cmd_add.c -- `sri-registry add URL [--integrity T | --file P | --key[=K]]`:
 * record a resource.
 *
 * Why: adding is where trust is first given, so it is careful by default:
 * a fetched resource must pass the CORS check (otherwise the crossorigin
 * attribute mod_sri adds would make the browser refuse the script), and a
 * URL whose bytes vary between requests, or that redirects, is flagged
 * before it is pinned.  `--key` pins the signer instead of the bytes
 * (signature-based SRI), and only from a live response the browser would
 * accept: validly signed, the same signer for every client, by the key
 * given if one is.  The lock is held only around read-modify-write, so
 * slow fetches never block other runs and concurrent adds lose nothing.
 */
#include "tool.h"
#include "tool_algo.h"
#include "fetch.h"
#include "npm.h"
#include "keypin.h"
#include "integrity/sri_integrity.h"

#include <string.h>
#include <apr_strings.h>

enum { OPT_NO_CORS = 2000, OPT_FORCE, OPT_WHY, OPT_BY, OPT_ALGO, OPT_KEY };

typedef struct {
    const char *integrity, *file, *why, *by;
    const char *key_arg;          /* --key=KEY: the signer required */
    int no_cors, force, key;      /* key: --key given (pin the signer) */
    sri_algo algo;
    fetch_opts fo;
    npm_opts no;
} add_opts;

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    add_opts *o = ctx;
    int r = fetch_option(&o->fo, c, arg);
    if (r == 0)
        r = npm_option(&o->no, c, arg);
    if (r < 0) {
        tool_err("bad value '%s'", arg);
        return -1;
    }
    if (r > 0)
        return 0;
    switch (c) {
    case 'i': o->integrity = arg; return 0;
    case 'f': o->file = arg; return 0;
    case OPT_WHY: o->why = arg; return 0;
    case OPT_BY: o->by = arg; return 0;
    case OPT_NO_CORS: o->no_cors = 1; return 0;
    case OPT_FORCE: o->force = 1; return 0;
    case OPT_ALGO: return tool_algo_option(&o->algo, arg);
    case OPT_KEY: o->key = 1; o->key_arg = arg; return 0;
    }
    return -1;
}

/* A path with no version in it (no digit-dot-digit, no @version) or that
   says "latest" will change under the pin. */
static int looks_unversioned(const char *url)
{
    const char *path = strstr(url, "://");
    const char *s;
    path = path ? strchr(path + 3, '/') : NULL;
    if (!path)
        return 1;
    if (strstr(path, "latest"))
        return 1;
    for (s = path; *s; s++)
        if (s[0] >= '0' && s[0] <= '9' && s[1] == '.' && s[2] >= '0'
            && s[2] <= '9')
            return 0;
    for (s = path; *s; s++)
        if (*s == '@' && s[1] >= '0' && s[1] <= '9')
            return 0;
    return 1;
}

/* --key: the signer to pin, from a response the browser would accept.
   The variant response (other User-Agent/Accept-Encoding) must be signed
   by the same key: bytes may differ, the signer may not.  0, or the exit
   code after printing why not; *unpinnable set for a variant problem. */
static int check_signer(tool_ctx *t, add_opts *o, const char *url,
                        fetch_job *jobs, char *token, int *unpinnable)
{
    const char *want[1];
    keypin_result kr;

    want[0] = token;
    if (keypin_check(t->p, &jobs[0], want, o->key_arg ? 1 : 0, &kr)
        != KEYPIN_SIGNED) {
        tool_err("refusing to pin a key for %s: %s%s", url, kr.reason,
                 kr.status == KEYPIN_INVALID
                   ? "; a browser refuses this response" : "");
        return EXIT_LOCAL;
    }
    if (!o->key_arg && kr.nsigners > 1) {
        tool_err("%s is signed by %d keys; choose one with --key=KEY "
                 "(e.g. --key=%s)", url, kr.nsigners, kr.signer);
        return EXIT_LOCAL;
    }
    apr_cpystrn(token, kr.signer, SRI_TOKEN_MAX);
    want[0] = token;
    if (jobs[1].ok
        && keypin_check(t->p, &jobs[1], want, 1, &kr) != KEYPIN_SIGNED) {
        tool_warn("%s is not signed by %s for every client "
                  "(User-Agent/Accept-Encoding): %s; the pin would break "
                  "for some browsers", url, token, kr.reason);
        *unpinnable = 1;
    }
    return 0;
}

/* Fetch url twice (second request with another User-Agent and
   Accept-Encoding), and check what the browser would need.  token gets
   what to record (the hash, or with --key the signer's key) and hash the
   body's hash (for the second source). */
static int fetch_for_add(tool_ctx *t, add_opts *o, const char *url,
                         char *token, char *hash, const char **cors)
{
    fetch_job jobs[2];
    int unpinnable = 0, rc;

    memset(jobs, 0, sizeof(jobs));
    jobs[0].url = jobs[1].url = url;
    jobs[0].algo = jobs[1].algo = o->algo;
    jobs[0].keep_body = jobs[1].keep_body = o->key;
    jobs[1].variant = 1;
    fetch_run(t->p, &o->fo, jobs, 2);
    if (!jobs[0].ok) {
        tool_err("%s: %s", url, jobs[0].error);
        return EXIT_FETCH;
    }
    if (jobs[0].redirects > 0)
        tool_warn("%s redirects to %s; the browser pins what it finally "
                  "gets: consider adding the final URL instead", url,
                  jobs[0].final_url);
    if (o->key) {
        if ((rc = check_signer(t, o, url, jobs, token, &unpinnable)) != 0)
            return rc;
    } else {
        const char *why;
        int i;
        if (jobs[1].ok && strcmp(jobs[0].token, jobs[1].token)) {
            tool_warn("%s serves different bytes to different clients "
                      "(User-Agent/Accept-Encoding): a pin would break for "
                      "some browsers", url);
            unpinnable = 1;
        }
        /* The hash will match, but a browser also checks the
           Unencoded-Digest of any response that carries one. */
        for (i = 0; i < 2; i++)
            if ((why = keypin_refused(&jobs[i])) != NULL) {
                tool_warn("%s%s: %s: Chromium refuses this response "
                          "whatever the page pins", url,
                          i ? " (for the variant client)" : "", why);
                unpinnable = 1;
                break;
            }
    }
    /* A key pin is made for URLs whose content changes. */
    if (!o->key && looks_unversioned(url)
        && (jobs[0].redirects == 0 || looks_unversioned(jobs[0].final_url)))
        tool_warn("%s has no version in its path: its content will change "
                  "and the pin will then block it; prefer a versioned URL",
                  url);
    if (unpinnable && !o->force) {
        tool_err("refusing to pin %s (use --force to pin anyway)", url);
        return EXIT_LOCAL;
    }
    if (o->no_cors)
        *cors = "unchecked";
    else if (fetch_cors_ok(&jobs[0], o->fo.origin))
        *cors = "ok";
    else {
        tool_err("%s: no Access-Control-Allow-Origin for Origin %s in the "
                 "response%s%s.  mod_sri adds crossorigin=\"anonymous\" with "
                 "integrity, and the browser then refuses a script whose "
                 "server does not allow CORS.  Ask the provider to send "
                 "Access-Control-Allow-Origin, host a copy yourself, or use "
                 "--no-cors-check if you know better.", url, o->fo.origin,
                 jobs[0].acao ? " (got: " : "",
                 jobs[0].acao ? apr_pstrcat(t->p, jobs[0].acao, ")", NULL)
                              : "");
        return EXIT_LOCAL;
    }
    if (!o->key)
        apr_cpystrn(token, jobs[0].token, SRI_TOKEN_MAX);
    apr_cpystrn(hash, jobs[0].token, SRI_TOKEN_MAX);
    return 0;
}

/* 1 when e pins keys only: another key joins them as a rollover (the
   browser accepts a signature by any one of them). */
static int keys_only(const sri_entry *e)
{
    int i;
    for (i = 0; i < e->approved->nelts; i++) {
        const char *tok = APR_ARRAY_IDX(e->approved, i, sri_reg_token).token;
        if (sri_pin_token(tok, strlen(tok), NULL) != SRI_PIN_KEY)
            return 0;
    }
    return e->approved->nelts > 0;
}

int cmd_add(tool_ctx *t, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "integrity",     required_argument, NULL, 'i' },
        { "file",          required_argument, NULL, 'f' },
        { "algo",          required_argument, NULL, OPT_ALGO },
        { "why",           required_argument, NULL, OPT_WHY },
        { "by",            required_argument, NULL, OPT_BY },
        { "no-cors-check", no_argument,       NULL, OPT_NO_CORS },
        { "force",         no_argument,       NULL, OPT_FORCE },
        { "key",           optional_argument, NULL, OPT_KEY },
        FETCH_LONGOPTS,
        NPM_LONGOPTS,
        { NULL, 0, NULL, 0 }
    };
    add_opts o;
    tool_reg reg;
    const char *url, *why, *cors = "unchecked", *now, *source = NULL;
    char token[SRI_TOKEN_MAX], hash[SRI_TOKEN_MAX], *err = NULL;
    sri_entry *e;
    int rc = 0, first, fetched = 0;

    memset(&o, 0, sizeof(o));
    o.algo = SRI_ALGO_SHA384;
    fetch_opts_default(&o.fo);
    npm_opts_default(t->p, &o.no);
    first = tool_getopt(t, argc, argv, "i:f:", longopts, on_opt, &o, &rc);
    if (first < 0)
        return rc;
    if (o.key && !o.key_arg && argc - first == 2)
        return tool_usage_error(t, "add needs one URL (to require a key, "
                                "write --key=KEY, with '=')");
    if (argc - first != 1)
        return tool_usage_error(t, "add needs one URL");
    if (!!o.integrity + !!o.file + o.key > 1)
        return tool_usage_error(t, "give one of --integrity, --file and "
                                "--key");
    if ((o.why && !tool_text_ok(o.why)) || (o.by && !tool_text_ok(o.by)))
        return tool_usage_error(t, "--why and --by must be one line of text");
    if (!(url = tool_url_arg(t, argv[first])))
        return EXIT_LOCAL;
    token[0] = '\0';
    if (o.key_arg && (rc = keypin_parse_arg(o.key_arg, token)) != 0)
        return rc;

    if (o.integrity) {
        if (!sri_pin_token(o.integrity, strlen(o.integrity), &why)) {
            tool_err("bad --integrity token '%s': %s", o.integrity, why);
            return EXIT_LOCAL;
        }
        apr_cpystrn(token, o.integrity, sizeof(token));
    } else if (o.file) {
        if ((rc = tool_hash_file(t, o.file, o.algo, token)) != 0)
            return rc;
    } else {
        npm_result nr;
        const char *detail = NULL;
        if ((rc = fetch_for_add(t, &o, url, token, hash, &cors)) != 0)
            return rc;
        fetched = 1;
        /* Second source: never pin bytes the package registry disowns. */
        nr = npm_cross_check(t->p, &o.fo, &o.no, url, hash, &detail);
        source = npm_source(nr);
        if (npm_is_tampering(nr)) {
            tool_err("%s: second source disagrees (%s): %s; not recorded",
                     url, source, detail);
            return EXIT_DRIFT;
        }
        if (nr == NPM_OK)
            tool_note(t, "%s: cross-checked: %s", url, detail);
        else if (nr != NPM_NOT_APPLICABLE)
            tool_warn("%s: not cross-checked: %s", url, detail);
    }

    if ((rc = tool_open_write(t, &reg)) != 0)
        return rc;
    now = tool_now(t);
    e = sri_registry_find(reg.reg, url);
    if (e && e->integrity && strstr(e->integrity, token)) {
        tool_note(t, "%s already has %s approved", url, token);
        tool_close(&reg);
        return EXIT_OK;
    }
    if (e && fetched && o.key && !keys_only(e)) {
        tool_err("%s is already in the registry with other tokens; to pin "
                 "%s as well, add it with --integrity (the browser then "
                 "requires a matching hash and a valid signature)", url,
                 token);
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    if (e && fetched && !o.key) {
        tool_err("%s is already in the registry with another token; run "
                 "`sri-registry refresh %s` to record the change as pending, "
                 "then approve it", url, url);
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    if (!e && !(e = sri_registry_add(reg.reg, url, &err))) {
        tool_err("%s", err);
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    /* A token given for an existing entry is a rollover: it joins the
       approved ones; and a pending copy of it is now approved. */
    sri_entry_remove_token(e, token);
    if (sri_entry_add_token(reg.reg, e, token, NULL, &err)) {
        tool_err("%s", err);
        tool_close(&reg);
        return EXIT_LOCAL;
    }
    if (o.why)
        e->why = apr_pstrdup(t->p, o.why);
    if (o.by) {
        e->approved_by = apr_pstrdup(t->p, o.by);
        e->approved_at = now;
    }
    if (fetched) {
        e->verified = now;
        e->cors = cors;
        if (source)
            e->source = source;
    } else if (!e->cors)
        e->cors = "unchecked";
    if (sri_entry_mixed_algorithms(e))
        tool_warn("%s now mixes algorithms; browsers compare only the "
                  "strongest", url);
    if (!e->why)
        tool_note(t, "note: no --why given; PCI DSS 6.4.3 asks for a "
                  "justification per script");
    rc = tool_save(t, &reg);
    tool_close(&reg);
    if (rc == 0)
        printf("%s %s\n", url, token);
    return rc;
}
