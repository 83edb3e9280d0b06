/*
 * sri_csp.c -- CSP Level 3's policy parsing, as far as inline scripts go.
 *
 * Why: see sri_csp.h.  "Parse a serialized CSP": directives are split on
 * ';', stripped of ASCII whitespace, named by their first token (ASCII
 * case-insensitive), the first of duplicate names wins, values are split on
 * ASCII whitespace.  Several policies in one header value are separated by
 * ','; each is enforced on its own, so any one of them can block an edited
 * map.
 */
#include <string.h>
#include <strings.h>

#include "rewrite/sri_csp.h"
#include "sri_text.h"

/* The directives that govern inline <script> elements, in CSP3's fallback
   order for script-src-elem. */
static const char *const script_elem_fallback[] = {
    "script-src-elem", "script-src", "default-src"
};
#define NFALLBACK (sizeof(script_elem_fallback) / sizeof(script_elem_fallback[0]))

/* 'sha256-…', 'sha384-…', 'sha512-…' (hash-source; ABNF strings are
   case-insensitive). */
static int is_hash_source(const char *t, size_t n)
{
    static const char *const algos[] = { "sha256-", "sha384-", "sha512-" };
    size_t i;

    if (n < 10 || t[0] != '\'' || t[n - 1] != '\'')
        return 0;
    for (i = 0; i < sizeof(algos) / sizeof(algos[0]); i++)
        if (!strncasecmp(t + 1, algos[i], 7))
            return 1;
    return 0;
}

/* One serialized policy s[0,n). */
static int policy_hashes_inline_scripts(const char *s, size_t n)
{
    const char *value[NFALLBACK] = { NULL, NULL, NULL };
    size_t vlen[NFALLBACK] = { 0, 0, 0 };
    size_t i = 0, k;

    while (i <= n) {
        const char *d = s + i, *name;
        size_t dn, pos = 0, nn;
        const char *semi = memchr(d, ';', n - i);

        dn = semi ? (size_t)(semi - d) : n - i;
        i += dn + 1;
        sri_strip_ws(&d, &dn);
        if (!sri_next_token(d, dn, &pos, &name, &nn))
            continue;                               /* empty directive */
        for (k = 0; k < NFALLBACK; k++) {
            if (nn == strlen(script_elem_fallback[k]) &&
                !strncasecmp(name, script_elem_fallback[k], nn) &&
                !value[k]) {                        /* the first one wins */
                value[k] = d + pos;
                vlen[k] = dn - pos;
            }
        }
    }
    for (k = 0; k < NFALLBACK; k++) {
        const char *tok;
        size_t pos = 0, tn;
        if (!value[k])
            continue;                               /* fall back */
        while (sri_next_token(value[k], vlen[k], &pos, &tok, &tn))
            if (is_hash_source(tok, tn))
                return 1;
        return 0;                                   /* this one governs */
    }
    return 0;
}

int sri_csp_hashes_inline_scripts(const char *value, size_t len)
{
    size_t i = 0;

    while (i < len) {
        const char *comma = memchr(value + i, ',', len - i);
        size_t n = comma ? (size_t)(comma - (value + i)) : len - i;
        if (policy_hashes_inline_scripts(value + i, n))
            return 1;
        i += n + 1;
    }
    return 0;
}
