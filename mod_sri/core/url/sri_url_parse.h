/*
 * sri_url_parse.h -- the WHATWG basic URL parser's parts, for sri_url.c
 * (private to the URL code).
 *
 * Why: the state machine and its component buffers are most of the URL
 * code; sri_url.c builds the API (resolve, normalise, origins) on top of
 * them.  Nothing outside mod_sri/core/url includes this header.
 */
#ifndef SRI_URL_PARSE_H
#define SRI_URL_PARSE_H

#include <stddef.h>
#include <apr_pools.h>

/* A component being built, with room fixed in advance (overflow marks the
   parse as failed rather than writing past the end). */
typedef struct {
    char *s;
    size_t len, cap;
} sri_url_buf;

typedef struct {
    sri_url_buf scheme, user, pass, host, path, query, buffer;
    int special;        /* scheme is http(s), ws(s), ftp or file */
    int has_host;       /* host is not null (it may be empty) */
    int has_query;      /* query is not null (it may be empty) */
    int opaque;         /* path is an opaque string, not segments */
    long port;          /* -1 when null or the scheme's default */
    int overflow;
    size_t host_need;   /* room a host did not find (IDNA), else 0 */
} sri_url_parts;


/* Carve the component buffers of u out of *mem: cap bytes each, the host
   host_cap (at least cap). */
void sri_url_parts_init(sri_url_parts *u, char **mem, size_t cap,
                        size_t host_cap);

/* Strip surrounding C0 controls and spaces, drop tabs and newlines: n
   bytes at s into out (room for n); returns the length written. */
size_t sri_url_preprocess(const char *s, size_t n, char *out);

/* The basic URL parser over in[0,n) (preprocessed), against base (NULL:
   none).  Returns 1 on success; on failure u->host_need says whether a
   host only lacked room. */
int sri_url_parse_parts(sri_url_parts *u, const char *in, size_t n,
                        const sri_url_parts *base);

/* The serialisation of a parsed URL, without its fragment (from p). */
char *sri_url_serialize(apr_pool_t *p, const sri_url_parts *u);

/* Default port of a special scheme s[0,n); -1 for file (no port); -2
   when the scheme is not special. */
long sri_url_special_port(const char *s, size_t n);

/* The length of an "http" or "https" scheme (any case) that the n bytes
   at s begin with, followed by ':'; else 0. */
size_t sri_url_http_scheme_len(const char *s, size_t n);

#endif /* SRI_URL_PARSE_H */
