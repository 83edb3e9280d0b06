/*
 * json.c -- JSON string and CSV field output for machine-readable reports.
 *
 * Why: see json.h.
 */
#include "json.h"

#include <string.h>

void json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void csv_field(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n") && s[0] != '=' && s[0] != '+' && s[0] != '-'
        && s[0] != '@') {
        fputs(s, f);
        return;
    }
    /* Quote, and keep spreadsheets from reading a leading = as a formula. */
    fputc('"', f);
    if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* ---- a small JSON reader: enough to walk npm metadata -------------------- */

#include <stdlib.h>

#define JSON_MAX_DEPTH 64

typedef struct {
    const char *s, *end;
} jcur;

static void ws(jcur *c)
{
    while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n'
                             || *c->s == '\r'))
        c->s++;
}

/* Skip a string starting at '"'; 0 on error. */
static int skip_string(jcur *c)
{
    if (c->s >= c->end || *c->s != '"')
        return 0;
    for (c->s++; c->s < c->end; c->s++) {
        if (*c->s == '\\') {
            c->s++;
            continue;
        }
        if (*c->s == '"') {
            c->s++;
            return 1;
        }
    }
    return 0;
}

static int skip_value(jcur *c, int depth)
{
    char open, close;
    ws(c);
    if (c->s >= c->end || depth > JSON_MAX_DEPTH)
        return 0;
    if (*c->s == '"')
        return skip_string(c);
    if (*c->s != '{' && *c->s != '[') {
        const char *start = c->s;
        while (c->s < c->end && !strchr(",}] \t\r\n", *c->s))
            c->s++;
        return c->s > start;
    }
    open = *c->s;
    close = open == '{' ? '}' : ']';
    c->s++;
    ws(c);
    if (c->s < c->end && *c->s == close) {
        c->s++;
        return 1;
    }
    for (;;) {
        if (open == '{') {
            ws(c);
            if (!skip_string(c))
                return 0;
            ws(c);
            if (c->s >= c->end || *c->s++ != ':')
                return 0;
        }
        if (!skip_value(c, depth + 1))
            return 0;
        ws(c);
        if (c->s >= c->end)
            return 0;
        if (*c->s == ',') {
            c->s++;
            continue;
        }
        if (*c->s == close) {
            c->s++;
            return 1;
        }
        return 0;
    }
}

/* 1 when the raw string at c (with quotes) equals key (no escapes in
   key; escaped keys never match, which is fine for npm metadata). */
static int key_is(const char *raw, size_t rawlen, const char *key)
{
    size_t kl = strlen(key);
    return rawlen == kl + 2 && !memcmp(raw + 1, key, kl)
        && !memchr(raw + 1, '\\', kl);
}

int json_find(const char *s, size_t n, const char *const *path,
              const char **val, size_t *vlen)
{
    jcur c;
    int depth = 0;
    c.s = s;
    c.end = s + n;
    for (;;) {
        const char *start;
        ws(&c);
        if (!*path) {
            start = c.s;
            if (!skip_value(&c, depth))
                return 0;
            *val = start;
            *vlen = (size_t)(c.s - start);
            return 1;
        }
        if (c.s >= c.end || *c.s != '{' || ++depth > JSON_MAX_DEPTH)
            return 0;
        c.s++;
        for (;;) {
            const char *k;
            size_t kl;
            ws(&c);
            if (c.s < c.end && *c.s == '}')
                return 0;                       /* key not present */
            k = c.s;
            if (!skip_string(&c))
                return 0;
            kl = (size_t)(c.s - k);
            ws(&c);
            if (c.s >= c.end || *c.s++ != ':')
                return 0;
            if (key_is(k, kl, *path))
                break;                          /* descend */
            if (!skip_value(&c, depth))
                return 0;
            ws(&c);
            if (c.s < c.end && *c.s == ',')
                c.s++;
            else
                return 0;
        }
        path++;
    }
}

char *json_string_dup(const char *val, size_t vlen)
{
    char *out, *o;
    size_t i;
    if (vlen < 2 || val[0] != '"' || val[vlen - 1] != '"')
        return NULL;
    out = o = malloc(vlen);
    if (!out)
        return NULL;
    for (i = 1; i + 1 < vlen; i++) {
        if (val[i] == '\\' && i + 2 < vlen) {
            i++;
            switch (val[i]) {
            case 'n': *o++ = '\n'; break;
            case 't': *o++ = '\t'; break;
            case 'r': *o++ = '\r'; break;
            case 'u': *o++ = '?';                 /* not needed here */
                i = i + 4 < vlen - 1 ? i + 4 : vlen - 2;
                break;
            default: *o++ = val[i]; break;
            }
        } else
            *o++ = val[i];
    }
    *o = '\0';
    return out;
}
