/*
 * cmd_refresh.c -- `refresh` and `verify`: fetch every entry and compare.
 *
 * Why: PCI DSS 11.6.1 asks for tamper detection at least weekly, and the
 * registry must notice when a CDN starts serving other bytes.  A change is
 * never accepted silently: refresh records the new token as pending (a
 * person approves it), verify only reports, and both exit 3 on drift.
 * Fetching happens without the lock; the lock is held only to merge the
 * results into the current registry, so a long refresh blocks no one.
 *
 * An entry that pins keys (signature-based SRI) is judged as Chromium
 * judges the response (checked in a browser, tests/browser/signed.sh):
 * the hashes, if any, must match (strongest algorithm) AND, if there are
 * keys, one of them must have validly signed it.  So a new body signed by
 * a pinned key is fine ("signed"), while an unsigned response, a bad
 * signature or another signer is drift.  Only a new digest is ever
 * recorded as pending; keys are never pending (docs/registry-format.md):
 * a person adds a vendor's new key (add --key=NEWKEY).
 */
#include "tool.h"
#include "fetch.h"
#include "npm.h"
#include "json.h"
#include "keypin.h"
#include "integrity/sri_integrity.h"

#include <string.h>
#include <apr_strings.h>

enum { OPT_JSON = 5000 };

typedef struct {
    int json;
    fetch_opts fo;
    npm_opts no;
} refresh_opts;

typedef enum { R_UNCHANGED, R_CHANGED, R_UNAPPROVED, R_ERROR, R_TAMPERED,
               R_SIGNED, R_NSTATUS } r_status;
static const char *status_name[] = { "unchanged", "changed", "unapproved",
                                     "error", "tampered", "signed" };

typedef struct {
    const char *url;
    r_status    status;
    const char *token;        /* what the URL serves now (its hash) */
    const char *approved;     /* e->integrity at load */
    const char *pending_since;
    const char *error;
    const char *cors;         /* ok / missing */
    const char *source;       /* second-source result, or NULL */
    const char *source_detail;
    /* Entries that pin keys (NULL otherwise): */
    const char *signature;    /* "valid", "unsigned" or "invalid" */
    const char *signed_by;    /* the key that validly signed it */
    const char *reason;       /* why it is drift, in one line */
    /* Entries that pin only hashes: why a browser refuses the response
       whatever the page pins (its Unencoded-Digest), or NULL. */
    const char *refused;
    const char *to_pend;      /* the token refresh records as pending */
} r_result;

static int on_opt(tool_ctx *t, void *ctx, int c, const char *arg)
{
    refresh_opts *o = ctx;
    int r = fetch_option(&o->fo, c, arg);
    if (r == 0)
        r = npm_option(&o->no, c, arg);
    if (r > 0)
        return 0;
    if (r < 0) {
        tool_err("bad value '%s'", arg);
        return -1;
    }
    if (c == OPT_JSON) {
        o->json = 1;
        return 0;
    }
    return -1;
}

/* The algorithm to compare with: the browser compares only the strongest
   approved algorithm (or pending, when nothing is approved yet). */
static sri_algo entry_algo(const sri_entry *e)
{
    const apr_array_header_t *a = e->approved->nelts ? e->approved
                                                     : e->pending;
    sri_algo best = SRI_ALGO_NONE, x;
    int i;
    for (i = 0; i < a->nelts; i++) {
        const char *tok = APR_ARRAY_IDX(a, i, sri_reg_token).token;
        if (sri_token_valid(tok, strlen(tok), &x, NULL) && x > best)
            best = x;
    }
    return best ? best : SRI_ALGO_SHA384;
}

static const sri_reg_token *find(const apr_array_header_t *a, const char *t)
{
    int i = sri_reg_token_find(a, t);
    return i < 0 ? NULL : &APR_ARRAY_IDX(a, i, sri_reg_token);
}

/* The tokens the browser would be given: the approved ones, or the pending
   ones while nothing is approved (as entry_algo). */
static const apr_array_header_t *pins(const sri_entry *e)
{
    return e->approved->nelts ? e->approved : e->pending;
}

/* 1 when a's tokens include a key (kind SRI_PIN_KEY) / a hash. */
static int has_kind(const apr_array_header_t *a, sri_pin kind)
{
    int i;
    for (i = 0; i < a->nelts; i++) {
        const char *tok = APR_ARRAY_IDX(a, i, sri_reg_token).token;
        if (sri_pin_token(tok, strlen(tok), NULL) == kind)
            return 1;
    }
    return 0;
}

static const char *join(apr_pool_t *p, const char *a, const char *b)
{
    return !a ? b : !b ? a : apr_pstrcat(p, a, "; ", b, NULL);
}

typedef enum { P_NONE, P_OK, P_PENDING, P_NEW, P_BAD } p_state;

/* Judge a fetched response against e (hashes AND keys, see the top of
   the file): sets r->status, the key fields, and r->to_pend, the token to
   record as pending (only digests are ever pending). */
static void judge(apr_pool_t *p, const sri_entry *e, const fetch_job *j,
                  r_result *r)
{
    p_state h = P_NONE, k = P_NONE;
    const sri_reg_token *pt = NULL;

    if (has_kind(pins(e), SRI_PIN_HASH)) {
        if (find(e->approved, j->token))
            h = P_OK;
        else if ((pt = find(e->pending, j->token)) != NULL)
            h = P_PENDING;
        else
            h = P_NEW;
    }
    if (has_kind(e->approved, SRI_PIN_KEY)) {
        apr_array_header_t *ak = keypin_keys(p, e->approved);
        keypin_result kr;

        k = keypin_check(p, j, (const char *const *)ak->elts, ak->nelts, &kr)
            == KEYPIN_SIGNED ? P_OK : P_BAD;
        r->signature = kr.status == KEYPIN_UNSIGNED ? "unsigned"
                     : kr.status == KEYPIN_INVALID ? "invalid" : "valid";
        r->signed_by = kr.signer;
        r->reason = kr.reason;
        if (h == P_NEW || h == P_PENDING)
            r->reason = join(p, "the body does not match the pinned hash",
                             r->reason);
    } else {
        /* The hash may match, but a browser checks Unencoded-Digest too. */
        r->refused = keypin_refused(j);
    }

    if ((h == P_NONE || h == P_OK) && (k == P_NONE || k == P_OK)) {
        r->status = h == P_OK ? R_UNCHANGED : R_SIGNED;
        return;
    }
    if (h == P_PENDING && k != P_BAD) {
        /* It serves what is awaiting approval. */
        r->status = e->approved->nelts ? R_CHANGED : R_UNAPPROVED;
        r->pending_since = pt->seen;
        return;
    }
    /* Drift (even for a pending-only entry: what was awaiting approval is
       not what is served now).  A new digest is recorded for a person to
       approve; nothing when the pinned keys did not sign it -- unsigned, a
       bad signature, another signer: no approval of a digest would make a
       browser accept it, and a new key is added only by a person (add). */
    r->status = R_CHANGED;
    if (h == P_NEW && k != P_BAD)
        r->to_pend = j->token;
}

static void print_text(tool_ctx *t, const r_result *r, int n, int write)
{
    int i;
    for (i = 0; i < n; i++) {
        switch (r[i].status) {
        case R_UNCHANGED:
            if (!t->quiet)
                printf("unchanged  %s\n", r[i].url);
            break;
        case R_SIGNED:
            if (!t->quiet)
                printf("signed     %s by %s\n", r[i].url, r[i].signed_by);
            break;
        case R_UNAPPROVED:
            printf("unapproved %s serves its pending token %s (approve it)\n",
                   r[i].url, r[i].token);
            break;
        case R_CHANGED:
            printf("CHANGED    %s\n  approved: %s\n  now:      %s%s%s\n",
                   r[i].url, r[i].approved ? r[i].approved : "-", r[i].token,
                   r[i].signed_by
                     ? apr_pstrcat(t->p, ", signed by ", r[i].signed_by, NULL)
                     : "",
                   r[i].pending_since
                     ? apr_psprintf(t->p, " (pending since %s)",
                                    r[i].pending_since)
                     : !r[i].to_pend ? " (nothing to record as pending)"
                     : write ? " (recorded as pending)"
                             : " (not recorded: verify is read-only)");
            if (r[i].reason)
                printf("  reason:   %s\n", r[i].reason);
            break;
        case R_ERROR:
            printf("ERROR      %s: %s\n", r[i].url, r[i].error);
            break;
        case R_TAMPERED:
            printf("TAMPERED   %s: second source disagrees: %s\n", r[i].url,
                   r[i].source_detail);
            break;
        case R_NSTATUS:
            break;
        }
        if (r[i].status != R_TAMPERED && r[i].source && !t->quiet)
            printf("  %s: %s\n", r[i].source, r[i].source_detail);
        if (r[i].status != R_ERROR && r[i].cors && !strcmp(r[i].cors,
                                                           "missing"))
            printf("  warning: no Access-Control-Allow-Origin: browsers "
                   "will refuse it with crossorigin\n");
        if (r[i].status != R_ERROR && r[i].refused)
            printf("  warning: %s: Chromium refuses this response whatever "
                   "the page pins\n", r[i].refused);
    }
}

static int print_json(const r_result *r, int n, int write,
                      const int counts[R_NSTATUS])
{
    json_t *results = json_array();
    int i;

    for (i = 0; i < n; i++) {
        json_t *o = json_pack(
            "{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
            "url", tool_json_text(r[i].url),
            "status", status_name[r[i].status],
            "token", tool_json_text(r[i].token),
            "approved", tool_json_text(r[i].approved),
            "pending_since", tool_json_text(r[i].pending_since),
            "cors", tool_json_text(r[i].cors),
            "error", tool_json_text(r[i].error),
            "source", tool_json_text(r[i].source),
            "source_detail", tool_json_text(r[i].source_detail));
        json_object_set_new(o, "signature", tool_json_text(r[i].signature));
        json_object_set_new(o, "signed_by", tool_json_text(r[i].signed_by));
        json_object_set_new(o, "reason", tool_json_text(r[i].reason));
        json_object_set_new(o, "refused", tool_json_text(r[i].refused));
        json_object_set_new(o, "recorded_pending",
                            tool_json_text(write ? r[i].to_pend : NULL));
        json_array_append_new(results, o);
    }
    return tool_json_print(json_pack(
        "{s:o, s:i, s:i, s:i, s:i, s:i, s:i}", "results", results,
        "unchanged", counts[R_UNCHANGED], "signed", counts[R_SIGNED],
        "changed", counts[R_CHANGED], "unapproved", counts[R_UNAPPROVED],
        "errors", counts[R_ERROR], "tampered", counts[R_TAMPERED]));
}

static int run(tool_ctx *t, int argc, char **argv, int write)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, OPT_JSON },
        FETCH_LONGOPTS,
        NPM_LONGOPTS,
        { NULL, 0, NULL, 0 }
    };
    refresh_opts o;
    tool_reg reg;
    fetch_job *jobs;
    r_result *res;
    const char *now;
    int rc = 0, first, n = 0, i, counts[R_NSTATUS] = { 0 };

    memset(&o, 0, sizeof(o));
    fetch_opts_default(&o.fo);
    npm_opts_default(t->p, &o.no);
    first = tool_getopt(t, argc, argv, "", longopts, on_opt, &o, &rc);
    if (first < 0)
        return rc;
    o.fo.progress = !t->quiet && !o.json;
    if ((rc = tool_open_read(t, &reg)) != 0)
        return rc;
    n = argc > first ? argc - first : sri_registry_count(reg.reg);
    jobs = apr_pcalloc(t->p, sizeof(*jobs) * (size_t)(n ? n : 1));
    res = apr_pcalloc(t->p, sizeof(*res) * (size_t)(n ? n : 1));
    for (i = 0; i < n; i++) {
        const sri_entry *e;
        if (argc > first) {
            const char *url = tool_url_arg(t, argv[first + i]);
            if (!url)
                return EXIT_LOCAL;
            if (!(e = sri_registry_lookup(reg.reg, url))) {
                tool_err("%s is not in the registry", url);
                return EXIT_LOCAL;
            }
        } else
            e = sri_registry_entry(reg.reg, i);
        jobs[i].url = e->url;
        jobs[i].algo = entry_algo(e);
        /* Signatures are checked over the decoded body. */
        jobs[i].keep_body = has_kind(e->approved, SRI_PIN_KEY);
        res[i].url = e->url;
        res[i].approved = e->integrity;
    }
    fetch_run(t->p, &o.fo, jobs, n);
    /* Second source for npm-backed CDN URLs (before taking the lock). */
    for (i = 0; i < n; i++) {
        npm_result nr;
        const char *detail = NULL;
        if (!jobs[i].ok)
            continue;
        nr = npm_cross_check(t->p, &o.fo, &o.no, jobs[i].url, jobs[i].token,
                             &detail);
        res[i].source = npm_source(nr);
        res[i].source_detail = detail;
        if (npm_is_tampering(nr))
            res[i].status = R_TAMPERED;
    }

    now = tool_now(t);
    if (write && (rc = tool_open_write(t, &reg)) != 0)
        return rc;
    for (i = 0; i < n; i++) {
        sri_entry *e = sri_registry_find(reg.reg, res[i].url);
        if (!e) {                      /* removed meanwhile */
            res[i].status = R_ERROR;
            res[i].error = "removed from the registry during the run";
        } else if (jobs[i].ok && !jobs[i].keep_body
                   && has_kind(e->approved, SRI_PIN_KEY)) {
            res[i].status = R_ERROR;   /* a key was added meanwhile */
            res[i].error = "its keys changed during the run; run it again";
        } else if (!jobs[i].ok) {
            res[i].status = R_ERROR;
            res[i].error = jobs[i].error;
        } else if (res[i].status == R_TAMPERED) {
            /* The CDN's bytes are disowned by the package registry: record
               the evidence, never a token to approve. */
            res[i].token = jobs[i].token;
            if (write)
                e->source = res[i].source;
        } else {
            if (write && res[i].source)
                e->source = res[i].source;
            res[i].token = jobs[i].token;
            res[i].cors = fetch_cors_ok(&jobs[i], o.fo.origin) ? "ok"
                                                               : "missing";
            judge(t->p, e, &jobs[i], &res[i]);
            if (res[i].status == R_UNCHANGED || res[i].status == R_SIGNED) {
                if (write) {
                    e->verified = now;
                    if (!e->cors || strcmp(e->cors, "unchecked"))
                        e->cors = res[i].cors;
                }
            } else if (write && res[i].to_pend) {
                char *err = NULL;
                if (sri_entry_add_token(reg.reg, e, res[i].to_pend, now,
                                        &err))
                    tool_err("%s", err);
            }
        }
        counts[res[i].status]++;
    }
    if (write) {
        rc = tool_save(t, &reg);
        tool_close(&reg);
        if (rc)
            return rc;
    }
    if (o.json) {
        if (print_json(res, n, write, counts)) {
            tool_err("cannot write the JSON result");
            return EXIT_LOCAL;
        }
    } else {
        print_text(t, res, n, write);
        tool_note(t, "%d unchanged, %d signed, %d changed, %d unapproved, "
                  "%d errors, %d tampered", counts[R_UNCHANGED],
                  counts[R_SIGNED], counts[R_CHANGED], counts[R_UNAPPROVED],
                  counts[R_ERROR], counts[R_TAMPERED]);
    }
    if (counts[R_CHANGED] || counts[R_TAMPERED])
        return EXIT_DRIFT;
    if (counts[R_ERROR])
        return EXIT_FETCH;
    return EXIT_OK;
}

int cmd_refresh(tool_ctx *t, int argc, char **argv)
{
    return run(t, argc, argv, 1);
}

int cmd_verify(tool_ctx *t, int argc, char **argv)
{
    return run(t, argc, argv, 0);
}
