/*
 * fetch.h -- fetching resources the way the registry needs (libcurl).
 *
 * Why: what we hash must be what the browser will hash, fetched safely:
 * HTTPS with verified TLS (plain http only when asked), redirects limited
 * and never from https to http, a size cap and timeouts, identity encoding
 * requested and any compression the server applies anyway decoded.  The
 * same request carries an Origin header, so one fetch also answers "would
 * the browser let a crossorigin script read this" (CORS), and keeps the
 * headers of signature-based SRI so the caller can check the signature.
 */
#ifndef SRI_TOOL_FETCH_H
#define SRI_TOOL_FETCH_H

#include <stddef.h>
#include <apr_pools.h>
#include "integrity/sri_integrity.h"

typedef struct {
    int         allow_http;
    const char *cacert;       /* extra CA file, or NULL */
    long        max_size;     /* bytes */
    long        timeout;      /* seconds, whole transfer */
    const char *origin;       /* Origin header for the CORS check */
    int         jobs;         /* parallel transfers */
    int         progress;     /* print progress on stderr */
} fetch_opts;

void fetch_opts_default(fetch_opts *o);

typedef struct {
    /* in */
    const char *url;
    sri_algo    algo;         /* hash algorithm for token */
    int         keep_body;    /* keep the decoded body in body/body_len
                                 (kept anyway when the response carries
                                 an Unencoded-Digest: it is checked over
                                 the body) */
    int         variant;      /* other User-Agent and Accept-Encoding */
    const char *if_none_match;      /* conditional GET (NULL: none)      */
    const char *if_modified_since;
    /* out */
    int         ok;           /* 1: 2xx response, body hashed */
    int         too_big;      /* stopped at max_size */
    const char *error;        /* why not ok */
    long        status;
    const char *final_url;    /* after redirects */
    long        redirects;
    char        token[SRI_TOKEN_MAX];
    const char *acao;         /* Access-Control-Allow-Origin, or NULL */
    const char *content_encoding;
    const char *etag;               /* ETag, Last-Modified, or NULL      */
    const char *last_modified;
    int         not_modified; /* 1: 304 to a conditional GET (ok is 1,
                                 the body empty) */
    /* Signature-based SRI headers of the final response (several field
       lines joined with ", "), or NULL: what sri_httpsig_verify() reads. */
    const char *unencoded_digest;
    const char *signature_input;
    const char *signature;
    char       *body;
    size_t      body_len;
    /* private */
    void       *priv;
} fetch_job;

/* Run all jobs (bounded parallelism).  Never fails as a whole: each job
   says ok or why not. */
void fetch_run(apr_pool_t *p, const fetch_opts *o, fetch_job *jobs, int n);

/* 1 when the job's Access-Control-Allow-Origin lets origin read it. */
int fetch_cors_ok(const fetch_job *j, const char *origin);

/* Option parsing shared by the commands that fetch: returns 1 if c was a
   fetch option (and applied it), 0 if not, -1 on a bad value. */
enum {
    FETCH_OPT_ALLOW_HTTP = 1000, FETCH_OPT_CACERT, FETCH_OPT_MAX_SIZE,
    FETCH_OPT_TIMEOUT, FETCH_OPT_ORIGIN, FETCH_OPT_JOBS
};
#define FETCH_LONGOPTS \
    { "allow-http", no_argument,       NULL, FETCH_OPT_ALLOW_HTTP }, \
    { "cacert",     required_argument, NULL, FETCH_OPT_CACERT },     \
    { "max-size",   required_argument, NULL, FETCH_OPT_MAX_SIZE },   \
    { "timeout",    required_argument, NULL, FETCH_OPT_TIMEOUT },    \
    { "origin",     required_argument, NULL, FETCH_OPT_ORIGIN },     \
    { "jobs",       required_argument, NULL, FETCH_OPT_JOBS }
int fetch_option(fetch_opts *o, int c, const char *arg);

#endif
