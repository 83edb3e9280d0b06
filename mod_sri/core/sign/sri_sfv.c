/*
 * sri_sfv.c -- RFC 8941 Dictionary parsing and strict serialization.
 *
 * Why: see sri_sfv.h.  Follows the RFC's parsing algorithms (section 4.2)
 * step by step for dictionaries, inner lists, items and parameters; decimals
 * are accepted by the grammar but kept only as an approximation (no field
 * the SRI profile reads is a decimal).
 */
#include "sign/sri_sfv.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *p, *end;
    sfv_dict   *d;
    const char *why;
} cur;

static int lcalpha(int c) { return c >= 'a' && c <= 'z'; }
static int digit(int c) { return c >= '0' && c <= '9'; }
static int alpha(int c) { return lcalpha(c) || (c >= 'A' && c <= 'Z'); }
static int tchar(int c)
{
    return alpha(c) || digit(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}
static int b64char(int c)
{
    return alpha(c) || digit(c) || c == '+' || c == '/' || c == '=';
}

static int peek(cur *c) { return c->p < c->end ? (unsigned char)*c->p : -1; }

static int fail(cur *c, const char *why)
{
    if (!c->why)
        c->why = why;
    return -1;
}

/* Copy bytes into the dictionary's text arena; NUL terminated. */
static const char *keep(cur *c, const char *s, size_t n)
{
    char *out;
    if (c->d->used + n + 1 > sizeof(c->d->text))
        return NULL;
    out = c->d->text + c->d->used;
    memcpy(out, s, n);
    out[n] = '\0';
    c->d->used += n + 1;
    return out;
}

static int parse_key(cur *c, char *key)
{
    size_t n = 0;
    int ch = peek(c);
    if (!(lcalpha(ch) || ch == '*'))
        return fail(c, "a key must start with a-z or '*'");
    while ((ch = peek(c)) >= 0 && (lcalpha(ch) || digit(ch) || ch == '_'
                                   || ch == '-' || ch == '.' || ch == '*')) {
        if (n + 1 >= SFV_KEY_MAX)
            return fail(c, "key too long");
        key[n++] = (char)ch;
        c->p++;
    }
    key[n] = '\0';
    return 0;
}

static int parse_number(cur *c, sfv_bare *b)
{
    int neg = 0, ndig = 0, frac = -1;
    long long v = 0, fv = 0;
    if (peek(c) == '-') {
        neg = 1;
        c->p++;
    }
    if (!digit(peek(c)))
        return fail(c, "a number needs a digit");
    while (digit(peek(c)) || (peek(c) == '.' && frac < 0)) {
        if (peek(c) == '.') {
            if (ndig > 12)
                return fail(c, "decimal too long");
            frac = 0;
        } else if (frac >= 0) {
            if (++frac > 3)
                return fail(c, "decimal has more than 3 fraction digits");
            fv = fv * 10 + (*c->p - '0');
        } else {
            if (++ndig > 15)
                return fail(c, "integer too long");
            v = v * 10 + (*c->p - '0');
        }
        c->p++;
    }
    if (frac == 0)
        return fail(c, "decimal ends in '.'");
    if (frac > 0) {
        while (frac++ < 3)
            fv *= 10;
        b->type = SFV_DECIMAL;
        b->i = (neg ? -1 : 1) * (v * 1000 + fv);
    } else {
        b->type = SFV_INTEGER;
        b->i = neg ? -v : v;
    }
    return 0;
}

static int parse_bare(cur *c, sfv_bare *b)
{
    int ch = peek(c);
    const char *start;
    char buf[SFV_TEXT_MAX];
    size_t n = 0;

    memset(b, 0, sizeof(*b));
    if (ch == '-' || digit(ch))
        return parse_number(c, b);
    if (ch == '"') {
        c->p++;
        for (;;) {
            ch = peek(c);
            if (ch < 0)
                return fail(c, "unterminated string");
            c->p++;
            if (ch == '\\') {
                ch = peek(c);
                if (ch != '"' && ch != '\\')
                    return fail(c, "bad escape in string");
                c->p++;
            } else if (ch == '"') {
                break;
            } else if (ch < 0x20 || ch > 0x7e) {
                return fail(c, "non-printable character in string");
            }
            if (n + 1 >= sizeof(buf))
                return fail(c, "string too long");
            buf[n++] = (char)ch;
        }
        b->type = SFV_STRING;
        b->n = n;
        if (!(b->s = keep(c, buf, n)))
            return fail(c, "field too long");
        return 0;
    }
    if (ch == ':') {
        c->p++;
        start = c->p;
        while (peek(c) >= 0 && peek(c) != ':') {
            if (!b64char(peek(c)))
                return fail(c, "bad character in byte sequence");
            c->p++;
        }
        if (peek(c) != ':')
            return fail(c, "unterminated byte sequence");
        b->type = SFV_BYTES;
        b->n = (size_t)(c->p - start);
        c->p++;
        if (!(b->s = keep(c, start, b->n)))
            return fail(c, "field too long");
        return 0;
    }
    if (ch == '?') {
        c->p++;
        ch = peek(c);
        if (ch != '0' && ch != '1')
            return fail(c, "a boolean is ?0 or ?1");
        c->p++;
        b->type = SFV_BOOLEAN;
        b->i = ch == '1';
        return 0;
    }
    if (alpha(ch) || ch == '*') {
        start = c->p;
        while ((ch = peek(c)) >= 0 && (tchar(ch) || ch == ':' || ch == '/'))
            c->p++;
        b->type = SFV_TOKEN;
        b->n = (size_t)(c->p - start);
        if (!(b->s = keep(c, start, b->n)))
            return fail(c, "field too long");
        return 0;
    }
    return fail(c, "not an item");
}

/* Parameters: on a duplicate key the later value wins (RFC 8941). */
static int parse_params(cur *c, sfv_param *ps, int *np)
{
    *np = 0;
    while (peek(c) == ';') {
        sfv_param p;
        int i;
        c->p++;
        while (peek(c) == ' ')
            c->p++;
        if (parse_key(c, p.key))
            return -1;
        memset(&p.value, 0, sizeof(p.value));
        p.value.type = SFV_BOOLEAN;
        p.value.i = 1;
        if (peek(c) == '=') {
            c->p++;
            if (parse_bare(c, &p.value))
                return -1;
        }
        for (i = 0; i < *np; i++)
            if (!strcmp(ps[i].key, p.key))
                break;
        if (i == *np) {
            if (*np >= SFV_MAX_PARAMS)
                return fail(c, "too many parameters");
            (*np)++;
        }
        ps[i] = p;
    }
    return 0;
}

static int parse_item(cur *c, sfv_item *it)
{
    return parse_bare(c, &it->item) ? -1
         : parse_params(c, it->params, &it->nparams);
}

static int parse_inner(cur *c, sfv_member *m)
{
    c->p++;                                   /* '(' */
    m->inner = 1;
    m->nitems = 0;
    for (;;) {
        while (peek(c) == ' ')
            c->p++;
        if (peek(c) == ')') {
            c->p++;
            return parse_params(c, m->params, &m->nparams);
        }
        if (m->nitems >= SFV_MAX_ITEMS)
            return fail(c, "too many items in an inner list");
        if (parse_item(c, &m->items[m->nitems++]))
            return -1;
        if (peek(c) != ' ' && peek(c) != ')')
            return fail(c, "items in an inner list are separated by spaces");
    }
}

int sfv_parse_dict(const char *in, size_t len, sfv_dict *d, const char **why)
{
    cur c;
    c.p = in;
    c.end = in + len;
    c.d = d;
    c.why = NULL;
    d->nmembers = 0;
    d->used = 0;

    while (c.p < c.end && (*c.p == ' ' || *c.p == '\t'))
        c.p++;
    while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t'))
        c.end--;
    while (c.p < c.end) {
        sfv_member m;
        int i;
        memset(&m, 0, sizeof(m));
        if (parse_key(&c, m.key))
            goto bad;
        if (peek(&c) == '=') {
            c.p++;
            if (peek(&c) == '(') {
                if (parse_inner(&c, &m))
                    goto bad;
            } else {
                if (parse_item(&c, &m.items[0]))
                    goto bad;
                m.nitems = 1;
                memcpy(m.params, m.items[0].params, sizeof(m.params));
                m.nparams = m.items[0].nparams;
            }
        } else {
            m.nitems = 1;
            m.items[0].item.type = SFV_BOOLEAN;
            m.items[0].item.i = 1;
            if (parse_params(&c, m.items[0].params, &m.items[0].nparams))
                goto bad;
            memcpy(m.params, m.items[0].params, sizeof(m.params));
            m.nparams = m.items[0].nparams;
        }
        for (i = 0; i < d->nmembers; i++)
            if (!strcmp(d->members[i].key, m.key))
                break;
        if (i == d->nmembers) {
            if (d->nmembers >= SFV_MAX_MEMBERS) {
                fail(&c, "too many dictionary members");
                goto bad;
            }
            d->nmembers++;
        }
        d->members[i] = m;
        while (c.p < c.end && (*c.p == ' ' || *c.p == '\t'))
            c.p++;
        if (c.p == c.end)
            break;
        if (*c.p != ',') {
            fail(&c, "dictionary members are separated by ','");
            goto bad;
        }
        c.p++;
        while (c.p < c.end && (*c.p == ' ' || *c.p == '\t'))
            c.p++;
        if (c.p == c.end) {
            fail(&c, "trailing ',' in a dictionary");
            goto bad;
        }
    }
    if (why)
        *why = NULL;
    return 0;
bad:
    if (why)
        *why = c.why ? c.why : "not a structured field dictionary";
    d->nmembers = 0;
    return -1;
}

const sfv_member *sfv_dict_get(const sfv_dict *d, const char *key)
{
    int i;
    for (i = 0; i < d->nmembers; i++)
        if (!strcmp(d->members[i].key, key))
            return &d->members[i];
    return NULL;
}

const sfv_param *sfv_param_get(const sfv_param *p, int n, const char *key)
{
    int i;
    for (i = 0; i < n; i++)
        if (!strcmp(p[i].key, key))
            return &p[i];
    return NULL;
}

/* ---- serialization --------------------------------------------------- */

typedef struct {
    char  *out;
    size_t len, cap;
    int    over;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->over = 1;
        return;
    }
    memcpy(b->out + b->len, s, n);
    b->len += n;
    b->out[b->len] = '\0';
}

static void puts_(sbuf *b, const char *s) { put(b, s, strlen(s)); }

static void put_bare(sbuf *b, const sfv_bare *v)
{
    char num[40];
    size_t i;
    switch (v->type) {
    case SFV_INTEGER:
        snprintf(num, sizeof(num), "%lld", v->i);
        puts_(b, num);
        break;
    case SFV_DECIMAL: {
        long long a = v->i < 0 ? -v->i : v->i;
        int frac = (int)(a % 1000), nd = 3;
        while (nd > 1 && frac % 10 == 0) {
            frac /= 10;
            nd--;
        }
        /* nd is 1..3 and frac < 1000: spelled out so the compiler (and a
           reader) sees the output fits */
        snprintf(num, sizeof(num),
                 nd == 3 ? "%s%lld.%03d" : nd == 2 ? "%s%lld.%02d"
                                                   : "%s%lld.%01d",
                 v->i < 0 ? "-" : "", a / 1000, frac % 1000);
        puts_(b, num);
        break;
    }
    case SFV_STRING:
        put(b, "\"", 1);
        for (i = 0; i < v->n; i++) {
            if (v->s[i] == '"' || v->s[i] == '\\')
                put(b, "\\", 1);
            put(b, v->s + i, 1);
        }
        put(b, "\"", 1);
        break;
    case SFV_TOKEN:
        put(b, v->s, v->n);
        break;
    case SFV_BYTES:
        put(b, ":", 1);
        put(b, v->s, v->n);
        put(b, ":", 1);
        break;
    case SFV_BOOLEAN:
        puts_(b, v->i ? "?1" : "?0");
        break;
    }
}

static void put_params(sbuf *b, const sfv_param *p, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        put(b, ";", 1);
        puts_(b, p[i].key);
        if (!(p[i].value.type == SFV_BOOLEAN && p[i].value.i == 1)) {
            put(b, "=", 1);
            put_bare(b, &p[i].value);
        }
    }
}

static void put_member_value(sbuf *b, const sfv_member *m)
{
    int i;
    if (m->inner) {
        put(b, "(", 1);
        for (i = 0; i < m->nitems; i++) {
            if (i)
                put(b, " ", 1);
            put_bare(b, &m->items[i].item);
            put_params(b, m->items[i].params, m->items[i].nparams);
        }
        put(b, ")", 1);
    } else {
        put_bare(b, &m->items[0].item);
    }
    put_params(b, m->params, m->nparams);
}

long sfv_serialize_member_value(const sfv_member *m, char *out,
                                size_t outlen)
{
    sbuf b = { out, 0, outlen, 0 };
    if (!outlen)
        return -1;
    out[0] = '\0';
    put_member_value(&b, m);
    return b.over ? -1 : (long)b.len;
}

long sfv_serialize_dict(const sfv_dict *d, char *out, size_t outlen)
{
    sbuf b = { out, 0, outlen, 0 };
    int i;
    if (!outlen)
        return -1;
    out[0] = '\0';
    for (i = 0; i < d->nmembers; i++) {
        const sfv_member *m = &d->members[i];
        if (i)
            put(&b, ", ", 2);
        puts_(&b, m->key);
        if (!m->inner && m->items[0].item.type == SFV_BOOLEAN
            && m->items[0].item.i == 1) {
            put_params(&b, m->params, m->nparams);
        } else {
            put(&b, "=", 1);
            put_member_value(&b, m);
        }
    }
    return b.over ? -1 : (long)b.len;
}
