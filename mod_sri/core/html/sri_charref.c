/*
 * sri_charref.c -- decode HTML character references in attribute values.
 *
 * Why: the URL a browser fetches is the attribute value after the
 * tokenizer's "character reference state" has run, so src="a&#46;js" and
 * href="x?a=1&amp;b=2" must be decoded before resolution.  This follows
 * the WHATWG rules for references inside attribute values, including the
 * legacy rule that keeps "&copy=1" as written.
 */
#include <string.h>

#include "html/sri_charref.h"
#include "sri_text.h"
#include "html/sri_charref_table.h"

/* Replacements for numeric references in 0x80..0x9F (the standard's
   windows-1252 table); 0 means "keep the code point". */
static const unsigned short c1_replacement[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z');
}

/* Exact lookup of name[0,len) in the sorted table. */
static const sri_charref_entity *find_exact(const char *name, size_t len)
{
    size_t lo = 0, hi = sri_charref_entity_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const sri_charref_entity *e = &sri_charref_entities[mid];
        size_t common = len < e->name_len ? len : e->name_len;
        int cmp = memcmp(name, e->name, common);

        if (cmp == 0)
            cmp = (len > e->name_len) - (len < e->name_len);
        if (cmp == 0)
            return e;
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* The longest table name that is a prefix of s[0,n) (s just after '&').
   Names are ASCII alphanumerics with an optional final ';', so only the
   alphanumeric run (and the ';' after it) can match. */
static const sri_charref_entity *find_longest(const char *s, size_t n)
{
    size_t run = 0, len;

    while (run < n && run < SRI_CHARREF_NAME_MAX && is_alnum((unsigned char)s[run]))
        run++;
    len = run;
    if (run < n && run < SRI_CHARREF_NAME_MAX && s[run] == ';')
        len = run + 1;
    for (; len > 0; len--) {
        const sri_charref_entity *e = find_exact(s, len);
        if (e)
            return e;
    }
    return NULL;
}

/* Numeric reference: s[0] == '#'.  Writes the decoded character to *out
   and returns the bytes consumed after '&', or 0 when there are no digits
   (then "&#" / "&#x" is left as text). */
static size_t decode_numeric(const char *s, size_t n, char *out, size_t *written)
{
    size_t i = 1;
    int hex = 0;
    unsigned long cp = 0;
    size_t digits = 0;

    if (i < n && (s[i] == 'x' || s[i] == 'X')) {
        hex = 1;
        i++;
    }
    for (; i < n; i++, digits++) {
        int d = hex ? sri_hex_value((unsigned char)s[i])
                    : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
        if (d < 0)
            break;
        cp = cp * (hex ? 16 : 10) + (unsigned long)d;
        if (cp > 0x110000)
            cp = 0x110000;            /* saturate: stays out of range */
    }
    if (digits == 0)
        return 0;
    if (i < n && s[i] == ';')
        i++;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    else if (cp >= 0x80 && cp <= 0x9F && c1_replacement[cp - 0x80])
        cp = c1_replacement[cp - 0x80];
    *written = sri_put_utf8(out, cp);
    return i;
}

/* The decoder, with map: when not NULL, map[k] is the offset in s of what
   decoded byte k came from (the '&' of a reference for all of its bytes),
   and map[length] is n. */
static char *decode_attr(apr_pool_t *p, const char *s, size_t n,
                         size_t *out_len, size_t *map)
{
    const char *amp = memchr(s, '&', n);
    char *out;
    size_t o, i, k;

    if (!amp) {                               /* fast path: nothing to do */
        out = apr_palloc(p, n + 1);
        memcpy(out, s, n);
        out[n] = '\0';
        if (out_len)
            *out_len = n;
        for (k = 0; map && k <= n; k++)
            map[k] = k;
        return out;
    }
    /* No reference expands by more than 6/5 of its written length (the
       generator checks the named table; numeric ones never grow). */
    out = apr_palloc(p, n + n / 5 + 4);
    o = (size_t)(amp - s);
    memcpy(out, s, o);
    for (k = 0; map && k < o; k++)
        map[k] = k;
    for (i = o; i < n;) {
        const char *ref = s + i + 1;          /* just after '&' */
        size_t rest = n - i - 1, from = o, at = i;

        if (s[i] != '&') {
            out[o++] = s[i++];
        } else if (rest > 0 && ref[0] == '#') {
            size_t written = 0;
            size_t used = decode_numeric(ref, rest, out + o, &written);
            if (used) {
                o += written;
                i += 1 + used;
            } else {
                out[o++] = s[i++];            /* "&#" without digits */
            }
        } else {
            const sri_charref_entity *e = find_longest(ref, rest);
            if (e && !(e->name[e->name_len - 1] != ';'
                       && e->name_len < rest
                       && (ref[e->name_len] == '='
                           || is_alnum((unsigned char)ref[e->name_len])))) {
                memcpy(out + o, e->value, e->value_len);
                o += e->value_len;
                i += 1 + e->name_len;
            } else {
                out[o++] = s[i++];            /* left as text */
            }
        }
        for (k = from; map && k < o; k++)
            map[k] = at;
    }
    out[o] = '\0';
    if (map)
        map[o] = n;
    if (out_len)
        *out_len = o;
    return out;
}

char *sri_charref_decode_attr(apr_pool_t *p, const char *s, size_t n,
                              size_t *out_len)
{
    return decode_attr(p, s, n, out_len, NULL);
}

char *sri_charref_decode_attr_map(apr_pool_t *p, const char *s, size_t n,
                                  size_t *out_len, size_t **map)
{
    *map = apr_palloc(p, (n + n / 5 + 5) * sizeof **map);
    return decode_attr(p, s, n, out_len, *map);
}
