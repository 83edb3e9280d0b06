/*
 * fetch.c -- libcurl transfers for add, refresh, verify and scan.
 *
 * Why: see fetch.h.  Every rule that makes a fetched hash trustworthy is
 * set here, once: protocols (https, or http when allowed) for the request
 * and for redirects (an https start never follows http), TLS verification
 * with the system CAs plus --cacert, a redirect limit, a size cap enforced
 * while receiving, timeouts, "Accept-Encoding: identity" with decoding of
 * whatever the server sends anyway.  The multi interface runs up to
 * o->jobs transfers at once.
 */
#include "config.h"
#include "fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <curl/curl.h>
#include <apr_strings.h>

#define MAX_REDIRECTS 5

typedef struct {
    fetch_job  *job;
    apr_pool_t *p;
    CURL       *curl;
    struct curl_slist *headers;
    sri_hasher *hasher;
    size_t      got;
    long        max_size;
    int         too_big;
    char       *buf;
    size_t      cap;
    char        errbuf[CURL_ERROR_SIZE];
} transfer;

void fetch_opts_default(fetch_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->max_size = 10L * 1024 * 1024;
    o->timeout = 60;
    o->origin = "https://sri-registry.invalid";
    o->jobs = 4;
}

int fetch_option(fetch_opts *o, int c, const char *arg)
{
    char *end;
    long v;
    switch (c) {
    case FETCH_OPT_ALLOW_HTTP: o->allow_http = 1; return 1;
    case FETCH_OPT_CACERT:     o->cacert = arg; return 1;
    case FETCH_OPT_ORIGIN:     o->origin = arg; return 1;
    case FETCH_OPT_MAX_SIZE:
    case FETCH_OPT_TIMEOUT:
    case FETCH_OPT_JOBS:
        v = strtol(arg, &end, 10);
        if (c == FETCH_OPT_MAX_SIZE && (*end == 'k' || *end == 'K'))
            v *= 1024, end++;
        else if (c == FETCH_OPT_MAX_SIZE && (*end == 'M' || *end == 'm'))
            v *= 1024 * 1024, end++;
        if (*end || v <= 0 || (c == FETCH_OPT_JOBS && v > 64))
            return -1;
        if (c == FETCH_OPT_MAX_SIZE) o->max_size = v;
        else if (c == FETCH_OPT_TIMEOUT) o->timeout = v;
        else o->jobs = (int)v;
        return 1;
    }
    return 0;
}

/* Keep the body: asked for, or needed to check the Unencoded-Digest the
   response carries (a browser checks it on every response, whatever the
   page pins). */
static int keeps_body(const fetch_job *j)
{
    return j->keep_body || j->unencoded_digest;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    transfer *x = ud;
    size_t n = size * nmemb;

    if (x->got + n > (size_t)x->max_size) {
        x->too_big = 1;
        return 0;                           /* aborts the transfer */
    }
    x->got += n;
    if (sri_hasher_update(x->hasher, data, n))
        return 0;
    if (keeps_body(x->job)) {
        if (x->got + 1 > x->cap) {
            size_t cap = x->cap ? x->cap * 2 : 65536;
            char *nb;
            while (cap < x->got + 1)
                cap *= 2;
            nb = realloc(x->buf, cap);
            if (!nb)
                return 0;
            x->buf = nb;
            x->cap = cap;
        }
        memcpy(x->buf + x->got - n, data, n);
    }
    return n;
}

/* A header that may come as several field lines: join them with ", ",
   as HTTP does (RFC 9110 5.3) and as the signature check expects. */
static void keep(apr_pool_t *p, const char **slot, const char *value)
{
    *slot = *slot ? apr_pstrcat(p, *slot, ", ", value, NULL) : value;
}

/* Keep the headers of the last response only (redirects have their own). */
static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    transfer *x = ud;
    size_t n = size * nmemb, k;
    char *line;

    if (n >= 5 && !strncmp(data, "HTTP/", 5)) {
        x->job->acao = NULL;
        x->job->content_encoding = NULL;
        x->job->etag = NULL;
        x->job->last_modified = NULL;
        x->job->unencoded_digest = NULL;
        x->job->signature_input = NULL;
        x->job->signature = NULL;
        return n;
    }
    line = apr_pstrmemdup(x->p, data, n);
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
        line[--n] = '\0';
    for (k = 0; k < n && line[k] != ':'; k++)
        ;
    if (k == n)
        return size * nmemb;
    line[k] = '\0';
    k++;
    while (line[k] == ' ' || line[k] == '\t')
        k++;
    if (!strcasecmp(line, "Access-Control-Allow-Origin"))
        x->job->acao = line + k;
    else if (!strcasecmp(line, "Content-Encoding"))
        x->job->content_encoding = line + k;
    else if (!strcasecmp(line, "ETag"))
        x->job->etag = line + k;
    else if (!strcasecmp(line, "Last-Modified"))
        x->job->last_modified = line + k;
    else if (!strcasecmp(line, "Unencoded-Digest"))
        keep(x->p, &x->job->unencoded_digest, line + k);
    else if (!strcasecmp(line, "Signature-Input"))
        keep(x->p, &x->job->signature_input, line + k);
    else if (!strcasecmp(line, "Signature"))
        keep(x->p, &x->job->signature, line + k);
    return size * nmemb;
}

static int start(apr_pool_t *p, const fetch_opts *o, fetch_job *j,
                 transfer *x)
{
    int https = !strncasecmp(j->url, "https://", 8);
    const char *protos = o->allow_http && !https ? "http,https" : "https";

    memset(x, 0, sizeof(*x));
    x->job = j;
    x->p = p;
    x->max_size = o->max_size;
    j->ok = 0;
    j->not_modified = 0;
    j->error = NULL;
    if (!https && !(o->allow_http && !strncasecmp(j->url, "http://", 7))) {
        j->error = strncasecmp(j->url, "http://", 7)
            ? "not an http(s) URL"
            : "plain http refused (use --allow-http)";
        return -1;
    }
    x->hasher = sri_hasher_new(j->algo ? j->algo : SRI_ALGO_SHA384);
    x->curl = curl_easy_init();
    if (!x->hasher || !x->curl) {
        j->error = "out of memory";
        return -1;
    }
    curl_easy_setopt(x->curl, CURLOPT_URL, j->url);
    curl_easy_setopt(x->curl, CURLOPT_PROTOCOLS_STR, protos);
    curl_easy_setopt(x->curl, CURLOPT_REDIR_PROTOCOLS_STR, protos);
    curl_easy_setopt(x->curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(x->curl, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
    curl_easy_setopt(x->curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(x->curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->cacert) {
        /* Add the CA to the system ones rather than replace them. */
        curl_easy_setopt(x->curl, CURLOPT_CAINFO, o->cacert);
        curl_easy_setopt(x->curl, CURLOPT_CAPATH, "/etc/ssl/certs");
    }
    curl_easy_setopt(x->curl, CURLOPT_CONNECTTIMEOUT, o->timeout < 15
                                                      ? o->timeout : 15L);
    curl_easy_setopt(x->curl, CURLOPT_TIMEOUT, o->timeout);
    curl_easy_setopt(x->curl, CURLOPT_MAXFILESIZE_LARGE,
                     (curl_off_t)o->max_size);
    /* Ask for identity, but decode what the server compresses anyway:
       the browser hashes the decoded body. */
    curl_easy_setopt(x->curl, CURLOPT_ACCEPT_ENCODING,
                     j->variant ? "gzip, deflate" : "identity");
    curl_easy_setopt(x->curl, CURLOPT_HTTP_CONTENT_DECODING, 1L);
    curl_easy_setopt(x->curl, CURLOPT_USERAGENT, j->variant
        ? "Mozilla/5.0 (X11; Linux x86_64) sri-registry-variant"
        : "sri-registry/" PACKAGE_VERSION);
    if (o->origin)
        x->headers = curl_slist_append(x->headers,
                        apr_pstrcat(p, "Origin: ", o->origin, NULL));
    if (j->if_none_match)
        x->headers = curl_slist_append(x->headers,
                        apr_pstrcat(p, "If-None-Match: ", j->if_none_match,
                                    NULL));
    if (j->if_modified_since)
        x->headers = curl_slist_append(x->headers,
                        apr_pstrcat(p, "If-Modified-Since: ",
                                    j->if_modified_since, NULL));
    if (x->headers)
        curl_easy_setopt(x->curl, CURLOPT_HTTPHEADER, x->headers);
    curl_easy_setopt(x->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(x->curl, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(x->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(x->curl, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(x->curl, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(x->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(x->curl, CURLOPT_PRIVATE, x);
    return 0;
}

static void finish(apr_pool_t *p, transfer *x, CURLcode rc)
{
    fetch_job *j = x->job;
    char *url = NULL;

    curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &j->status);
    curl_easy_getinfo(x->curl, CURLINFO_REDIRECT_COUNT, &j->redirects);
    curl_easy_getinfo(x->curl, CURLINFO_EFFECTIVE_URL, &url);
    j->final_url = url ? apr_pstrdup(p, url) : j->url;
    if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        j->too_big = 1;
        j->error = "response larger than --max-size";
    }
    else if (rc == CURLE_UNSUPPORTED_PROTOCOL && j->redirects > 0)
        j->error = apr_psprintf(p, "redirect to a refused scheme (https "
                                "never redirects to http): %s", x->errbuf);
    else if (rc == CURLE_TOO_MANY_REDIRECTS)
        j->error = "too many redirects";
    else if (rc != CURLE_OK)
        j->error = apr_psprintf(p, "%s", x->errbuf[0] ? x->errbuf
                                         : curl_easy_strerror(rc));
    else if (j->status == 304 && (j->if_none_match || j->if_modified_since)) {
        j->ok = 1;                          /* nothing new */
        j->not_modified = 1;
        j->body = apr_pstrdup(p, "");
        j->body_len = 0;
    } else if (j->status < 200 || j->status > 299)
        j->error = apr_psprintf(p, "HTTP status %ld", j->status);
    else if (sri_hasher_final(x->hasher, j->token)) {
        x->hasher = NULL;
        j->error = "hashing failed";
    } else {
        x->hasher = NULL;
        j->ok = 1;
        if (keeps_body(j)) {
            j->body = apr_pstrmemdup(p, x->buf ? x->buf : "", x->got);
            j->body_len = x->got;
        }
    }
    sri_hasher_free(x->hasher);
    x->hasher = NULL;
    free(x->buf);
    x->buf = NULL;
    curl_slist_free_all(x->headers);
    x->headers = NULL;
}

void fetch_run(apr_pool_t *p, const fetch_opts *o, fetch_job *jobs, int n)
{
    CURLM *m = curl_multi_init();
    transfer *xs = apr_pcalloc(p, sizeof(transfer) * (size_t)(n ? n : 1));
    int next = 0, running = 0, done = 0, still = 0;
    int tty = o->progress && isatty(2);

    while (done < n) {
        CURLMsg *msg;
        int left;
        while (running < (o->jobs > 0 ? o->jobs : 1) && next < n) {
            transfer *x = &xs[next];
            if (start(p, o, &jobs[next], x)) {
                if (x->curl) curl_easy_cleanup(x->curl);
                sri_hasher_free(x->hasher);
                done++;
            } else {
                curl_multi_add_handle(m, x->curl);
                running++;
            }
            next++;
        }
        if (running == 0)
            continue;
        curl_multi_perform(m, &still);
        while ((msg = curl_multi_info_read(m, &left)) != NULL) {
            transfer *x = NULL;
            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            finish(p, x, msg->data.result);
            curl_multi_remove_handle(m, x->curl);
            curl_easy_cleanup(x->curl);
            x->curl = NULL;
            running--;
            done++;
            if (tty)
                fprintf(stderr, "\rsri-registry: fetched %d/%d", done, n);
        }
        if (running > 0)
            curl_multi_poll(m, NULL, 0, 1000, NULL);
    }
    if (tty && n > 0)
        fputc('\n', stderr);
    curl_multi_cleanup(m);
}

int fetch_cors_ok(const fetch_job *j, const char *origin)
{
    if (!j->acao)
        return 0;
    return !strcmp(j->acao, "*") || (origin && !strcmp(j->acao, origin));
}
