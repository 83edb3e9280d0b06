/*
 * sri_url_parse.c -- the WHATWG basic URL parser and serialiser.
 *
 * Why: mod_sri must decide which URL the browser will fetch for a
 * <script src> or <link href>, and registry keys must be spelled the same
 * way, so both go through this one parser.  It is the WHATWG "basic URL
 * parser" state machine (without state override, which only the URL API
 * setters use), writing straight into fixed-size component buffers, and
 * the serialiser without the fragment; sri_url.c resolves, normalises and
 * compares origins with it.
 *
 * Choices where the standard leaves room or we simplify:
 *  - non-ASCII hosts go through UTS #46 by libidn2 (see sri_url_host.c
 *    and README.md for where libidn2 differs from the standard);
 *  - the input is bytes: non-ASCII bytes are percent-encoded one by one,
 *    which equals encoding the UTF-8 of each code point;
 *  - an invalid base is treated as no base (absolute refs still resolve);
 *  - the origin of blob: and file: URLs is reported as opaque (NULL).
 */
#include <string.h>
#include <apr_strings.h>

#include "url/sri_url_parse.h"
#include "url/sri_url_host.h"

enum state {
    SCHEME_START, SCHEME, NO_SCHEME, SPECIAL_RELATIVE_OR_AUTHORITY,
    PATH_OR_AUTHORITY, RELATIVE, RELATIVE_SLASH, SPECIAL_AUTHORITY_SLASHES,
    SPECIAL_AUTHORITY_IGNORE_SLASHES, AUTHORITY, HOST, PORT, FILE_STATE,
    FILE_SLASH, FILE_HOST, PATH_START, PATH, OPAQUE_PATH, QUERY, FRAGMENT
};

/* Percent-encode sets (the standard's), as predicates on a byte. */
enum encode_set { C0_SET, QUERY_SET, SPECIAL_QUERY_SET, PATH_SET, USERINFO_SET };

static int in_encode_set(unsigned char c, enum encode_set set)
{
    if (c < 0x20 || c > 0x7E)
        return 1;                             /* C0 control set */
    if (set == C0_SET)
        return 0;
    if (c == ' ' || c == '"' || c == '#' || c == '<' || c == '>')
        return 1;                             /* query set */
    if (set == QUERY_SET)
        return 0;
    if (set == SPECIAL_QUERY_SET)
        return c == '\'';
    if (c == '?' || c == '^' || c == '`' || c == '{' || c == '}')
        return 1;                             /* path set */
    if (set == PATH_SET)
        return 0;
    return c == '/' || c == ':' || c == ';' || c == '=' || c == '@'
        || c == '[' || c == '\\' || c == ']' || c == '|';
}

static void put(sri_url_parts *u, sri_url_buf *b, const char *s, size_t n)
{
    if (b->cap - b->len < n) {
        u->overflow = 1;
        return;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
}

static void put_char(sri_url_parts *u, sri_url_buf *b, char c)
{
    put(u, b, &c, 1);
}

static void put_encoded(sri_url_parts *u, sri_url_buf *b, unsigned char c,
                        enum encode_set set)
{
    static const char hex[] = "0123456789ABCDEF";

    if (in_encode_set(c, set)) {
        char e[3];
        e[0] = '%';
        e[1] = hex[c >> 4];
        e[2] = hex[c & 0xF];
        put(u, b, e, 3);
    } else {
        put_char(u, b, (char)c);
    }
}

static void copy_buf(sri_url_parts *u, sri_url_buf *to,
                     const sri_url_buf *from)
{
    to->len = 0;
    put(u, to, from->s, from->len);
}

static int buf_is(const sri_url_buf *b, const char *s)
{
    return b->len == strlen(s) && memcmp(b->s, s, b->len) == 0;
}

static int ieq(const char *a, size_t n, const char *lower)
{
    size_t i;

    if (n != strlen(lower))
        return 0;
    for (i = 0; i < n; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + ('a' - 'A'));
        if (c != lower[i])
            return 0;
    }
    return 1;
}

/* Default port of a special scheme; -1 for file (no port); -2 when the
   scheme is not special. */
long sri_url_special_port(const char *s, size_t n)
{
    if (ieq(s, n, "http") || ieq(s, n, "ws"))
        return 80;
    if (ieq(s, n, "https") || ieq(s, n, "wss"))
        return 443;
    if (ieq(s, n, "ftp"))
        return 21;
    if (ieq(s, n, "file"))
        return -1;
    return -2;
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "X:" or "X|" */
static int is_drive_letter(const char *s, size_t n)
{
    return n == 2 && is_alpha((unsigned char)s[0])
        && (s[1] == ':' || s[1] == '|');
}

/* Starts with a drive letter followed by the end, / \ ? or #. */
static int starts_with_drive_letter(const char *s, size_t n)
{
    return n >= 2 && is_drive_letter(s, 2)
        && (n == 2 || s[2] == '/' || s[2] == '\\' || s[2] == '?'
            || s[2] == '#');
}

/* The first path segment is a normalised drive letter ("/C:"). */
static int path_starts_with_drive(const sri_url_buf *path)
{
    return path->len >= 3 && path->s[0] == '/' && is_alpha((unsigned char)path->s[1])
        && path->s[2] == ':' && (path->len == 3 || path->s[3] == '/');
}

static int is_single_dot(const sri_url_buf *b)
{
    return (b->len == 1 && b->s[0] == '.') || ieq(b->s, b->len, "%2e");
}

static int is_double_dot(const sri_url_buf *b)
{
    return ieq(b->s, b->len, "..") || ieq(b->s, b->len, ".%2e")
        || ieq(b->s, b->len, "%2e.") || ieq(b->s, b->len, "%2e%2e");
}

/* Remove the last path segment (keeping a lone file drive letter). */
static void shorten_path(sri_url_parts *u)
{
    size_t i = u->path.len;

    if (buf_is(&u->scheme, "file") && path_starts_with_drive(&u->path)
        && u->path.len == 3)
        return;
    while (i > 0 && u->path.s[i - 1] != '/')
        i--;
    if (i > 0)
        i--;
    u->path.len = i;
}

static int host_into(sri_url_parts *u, const sri_url_buf *input, int special)
{
    size_t need;
    long len = sri_url_host_parse(input->s, input->len, special, u->host.s,
                                  u->host.cap, &need);

    if (len < 0) {
        if (need) {                           /* too long for the room */
            u->overflow = 1;
            if (need > u->host_need)
                u->host_need = need;
        }
        return 0;
    }
    u->host.len = (size_t)len;
    u->has_host = 1;
    return 1;
}

static void copy_authority(sri_url_parts *u, const sri_url_parts *base)
{
    copy_buf(u, &u->user, &base->user);
    copy_buf(u, &u->pass, &base->pass);
    copy_buf(u, &u->host, &base->host);
    u->has_host = base->has_host;
    u->port = base->port;
}

static void copy_path_query(sri_url_parts *u, const sri_url_parts *base)
{
    copy_buf(u, &u->path, &base->path);
    copy_buf(u, &u->query, &base->query);
    u->has_query = base->has_query;
}

/* The basic URL parser over in[0,n) (already stripped of surrounding
   C0/space and of tabs and newlines).  Returns 1 on success. */
int sri_url_parse_parts(sri_url_parts *u, const char *in, size_t n,
                        const sri_url_parts *base)
{
    enum state state = SCHEME_START;
    ptrdiff_t i = 0, end = (ptrdiff_t)n;
    int at_seen = 0, password_seen = 0, in_brackets = 0;
    sri_url_buf *buffer = &u->buffer;

    u->port = -1;
    for (;;) {
        int c = i < end ? (unsigned char)in[i] : -1;
        int next = i + 1 < end ? (unsigned char)in[i + 1] : -1;
        /* end of an authority, host or port: EOF / ? # (and \ if special) */
        int ends_authority = c == -1 || c == '/' || c == '?' || c == '#'
                             || (u->special && c == '\\');

        switch (state) {
        case SCHEME_START:                    /* start of input */
            if (is_alpha(c)) {
                put_char(u, buffer, (char)(c | 0x20));
                state = SCHEME;
            } else {
                state = NO_SCHEME;
                i--;
            }
            break;

        case SCHEME:                          /* "ht" */
            if (c != -1 && (is_alpha(c) || (c >= '0' && c <= '9')
                            || c == '+' || c == '-' || c == '.')) {
                put_char(u, buffer, (char)(is_alpha(c) ? c | 0x20 : c));
            } else if (c == ':') {
                copy_buf(u, &u->scheme, buffer);
                buffer->len = 0;
                u->special = sri_url_special_port(u->scheme.s,
                                                  u->scheme.len) != -2;
                if (buf_is(&u->scheme, "file"))
                    state = FILE_STATE;
                else if (u->special && base && base->scheme.len == u->scheme.len
                         && memcmp(base->scheme.s, u->scheme.s, u->scheme.len) == 0)
                    state = SPECIAL_RELATIVE_OR_AUTHORITY;
                else if (u->special)
                    state = SPECIAL_AUTHORITY_SLASHES;
                else if (next == '/') {
                    state = PATH_OR_AUTHORITY;
                    i++;
                } else {
                    u->opaque = 1;
                    state = OPAQUE_PATH;
                }
            } else {                          /* not a scheme after all */
                buffer->len = 0;
                state = NO_SCHEME;
                i = -1;
            }
            break;

        case NO_SCHEME:                       /* "a.js", "/x", "?q", "#f" */
            if (!base || (base->opaque && c != '#'))
                return 0;
            copy_buf(u, &u->scheme, &base->scheme);
            u->special = base->special;
            if (base->opaque) {               /* "#f" against data:... */
                u->opaque = 1;
                copy_path_query(u, base);
                state = FRAGMENT;
            } else {
                state = buf_is(&base->scheme, "file") ? FILE_STATE : RELATIVE;
                i--;
            }
            break;

        case SPECIAL_RELATIVE_OR_AUTHORITY:   /* "http:" with an http base */
            if (c == '/' && next == '/') {
                state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
                i++;
            } else {
                state = RELATIVE;
                i--;
            }
            break;

        case PATH_OR_AUTHORITY:               /* "foo:/" */
            if (c == '/')
                state = AUTHORITY;
            else {
                state = PATH;
                i--;
            }
            break;

        case RELATIVE:                        /* relative ref, base known */
            copy_buf(u, &u->scheme, &base->scheme);
            u->special = base->special;
            if (c == '/' || (u->special && c == '\\')) {
                state = RELATIVE_SLASH;
            } else {
                copy_authority(u, base);
                copy_path_query(u, base);
                if (c == '?') {
                    u->query.len = 0;
                    u->has_query = 1;
                    state = QUERY;
                } else if (c == '#') {
                    state = FRAGMENT;
                } else if (c != -1) {
                    u->query.len = 0;
                    u->has_query = 0;
                    shorten_path(u);
                    state = PATH;
                    i--;
                }
            }
            break;

        case RELATIVE_SLASH:                  /* "/" of a relative ref */
            if (u->special && (c == '/' || c == '\\')) {
                state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
            } else if (c == '/') {
                state = AUTHORITY;
            } else {
                copy_authority(u, base);
                state = PATH;
                i--;
            }
            break;

        case SPECIAL_AUTHORITY_SLASHES:       /* "https:" */
            state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
            if (c == '/' && next == '/')
                i++;
            else
                i--;
            break;

        case SPECIAL_AUTHORITY_IGNORE_SLASHES: /* "https://" (any slashes) */
            if (c != '/' && c != '\\') {
                state = AUTHORITY;
                i--;
            }
            break;

        case AUTHORITY:                       /* "https://user:pw@host" */
            if (c == '@') {
                sri_url_buf *to = password_seen ? &u->pass : &u->user;
                size_t k;
                if (at_seen)
                    put(u, to, "%40", 3);
                at_seen = 1;
                for (k = 0; k < buffer->len; k++) {
                    unsigned char b = (unsigned char)buffer->s[k];
                    if (b == ':' && !password_seen) {
                        password_seen = 1;
                        to = &u->pass;
                        continue;
                    }
                    put_encoded(u, to, b, USERINFO_SET);
                }
                buffer->len = 0;
            } else if (ends_authority) {
                if (at_seen && buffer->len == 0)
                    return 0;                 /* "http://user@/" */
                i -= (ptrdiff_t)buffer->len + 1;
                buffer->len = 0;
                state = HOST;
            } else {
                put_char(u, buffer, (char)c);
            }
            break;

        case HOST:                            /* "https://host" */
            if (c == ':' && !in_brackets) {
                if (buffer->len == 0)
                    return 0;
                if (!host_into(u, buffer, u->special))
                    return 0;
                buffer->len = 0;
                state = PORT;
            } else if (ends_authority) {
                i--;
                if (u->special && buffer->len == 0)
                    return 0;
                if (!host_into(u, buffer, u->special))
                    return 0;
                buffer->len = 0;
                state = PATH_START;
            } else {
                if (c == '[')
                    in_brackets = 1;
                if (c == ']')
                    in_brackets = 0;
                put_char(u, buffer, (char)c);
            }
            break;

        case PORT:                            /* "https://host:" */
            if (c >= '0' && c <= '9') {
                put_char(u, buffer, (char)c);
            } else if (ends_authority) {
                if (buffer->len > 0) {
                    long port = 0;
                    size_t k;
                    for (k = 0; k < buffer->len; k++) {
                        port = port * 10 + (buffer->s[k] - '0');
                        if (port > 65535)
                            return 0;
                    }
                    if (port == sri_url_special_port(u->scheme.s,
                                                     u->scheme.len))
                        port = -1;
                    u->port = port;
                    buffer->len = 0;
                }
                state = PATH_START;
                i--;
            } else {
                return 0;
            }
            break;

        case FILE_STATE:                      /* "file:" */
            u->scheme.len = 0;
            put(u, &u->scheme, "file", 4);
            u->special = 1;
            u->host.len = 0;
            u->has_host = 1;
            if (c == '/' || c == '\\') {
                state = FILE_SLASH;
            } else if (base && buf_is(&base->scheme, "file")) {
                copy_buf(u, &u->host, &base->host);
                u->has_host = base->has_host;
                copy_path_query(u, base);
                if (c == '?') {
                    u->query.len = 0;
                    u->has_query = 1;
                    state = QUERY;
                } else if (c == '#') {
                    state = FRAGMENT;
                } else if (c != -1) {
                    u->query.len = 0;
                    u->has_query = 0;
                    if (!starts_with_drive_letter(in + i, n - (size_t)i))
                        shorten_path(u);
                    else
                        u->path.len = 0;
                    state = PATH;
                    i--;
                }
            } else {
                state = PATH;
                i--;
            }
            break;

        case FILE_SLASH:                      /* "file:/" */
            if (c == '/' || c == '\\') {
                state = FILE_HOST;
            } else {
                if (base && buf_is(&base->scheme, "file")) {
                    copy_buf(u, &u->host, &base->host);
                    u->has_host = base->has_host;
                    if (!starts_with_drive_letter(in + i, n - (size_t)i)
                        && path_starts_with_drive(&base->path))
                        put(u, &u->path, base->path.s, 3);
                }
                state = PATH;
                i--;
            }
            break;

        case FILE_HOST:                       /* "file://" */
            if (c == -1 || c == '/' || c == '\\' || c == '?' || c == '#') {
                i--;
                if (is_drive_letter(buffer->s, buffer->len)) {
                    state = PATH;             /* "file://C:/" quirk */
                } else if (buffer->len == 0) {
                    u->host.len = 0;
                    u->has_host = 1;
                    state = PATH_START;
                } else {
                    if (!host_into(u, buffer, 1))
                        return 0;
                    if (buf_is(&u->host, "localhost"))
                        u->host.len = 0;
                    buffer->len = 0;
                    state = PATH_START;
                }
            } else {
                put_char(u, buffer, (char)c);
            }
            break;

        case PATH_START:                      /* after the authority */
            if (u->special) {
                state = PATH;
                if (c != '/' && c != '\\')
                    i--;
            } else if (c == '?') {
                u->query.len = 0;
                u->has_query = 1;
                state = QUERY;
            } else if (c == '#') {
                state = FRAGMENT;
            } else if (c != -1) {
                state = PATH;
                if (c != '/')
                    i--;
            }
            break;

        case PATH:                            /* "https://h/a/b" */
            if (c == -1 || c == '/' || (u->special && c == '\\')
                || c == '?' || c == '#') {
                int slash = c == '/' || (u->special && c == '\\');
                if (is_double_dot(buffer)) {
                    shorten_path(u);
                    if (!slash)
                        put_char(u, &u->path, '/');
                } else if (is_single_dot(buffer)) {
                    if (!slash)
                        put_char(u, &u->path, '/');
                } else {
                    if (buf_is(&u->scheme, "file") && u->path.len == 0
                        && is_drive_letter(buffer->s, buffer->len))
                        buffer->s[1] = ':';
                    put_char(u, &u->path, '/');
                    put(u, &u->path, buffer->s, buffer->len);
                }
                buffer->len = 0;
                if (c == '?') {
                    u->query.len = 0;
                    u->has_query = 1;
                    state = QUERY;
                } else if (c == '#') {
                    state = FRAGMENT;
                }
            } else {
                put_encoded(u, buffer, (unsigned char)c, PATH_SET);
            }
            break;

        case OPAQUE_PATH:                     /* "data:", "mailto:" */
            if (c == '?') {
                u->query.len = 0;
                u->has_query = 1;
                state = QUERY;
            } else if (c == '#') {
                state = FRAGMENT;
            } else if (c == ' ' && (next == '?' || next == '#')) {
                put(u, &u->path, "%20", 3);
            } else if (c != -1) {
                put_encoded(u, &u->path, (unsigned char)c, C0_SET);
            }
            break;

        case QUERY:                           /* "https://h/p?" */
            if (c == '#')
                state = FRAGMENT;
            else if (c != -1)
                put_encoded(u, &u->query, (unsigned char)c,
                            u->special ? SPECIAL_QUERY_SET : QUERY_SET);
            break;

        case FRAGMENT:                        /* "#": dropped */
            return !u->overflow;
        }
        if (u->overflow)
            return 0;
        if (i >= end)
            break;
        i++;
    }
    return !u->overflow;
}

/* Carve the component buffers of u out of *mem, cap bytes each. */
/* Every component gets cap bytes, the host host_cap (at least cap). */
void sri_url_parts_init(sri_url_parts *u, char **mem, size_t cap,
                        size_t host_cap)
{
    sri_url_buf *all[7];
    size_t k;

    memset(u, 0, sizeof(*u));
    all[0] = &u->scheme; all[1] = &u->user; all[2] = &u->pass;
    all[3] = &u->host; all[4] = &u->path; all[5] = &u->query;
    all[6] = &u->buffer;
    for (k = 0; k < 7; k++) {
        all[k]->s = *mem;
        all[k]->cap = k == 3 && host_cap > cap ? host_cap : cap;
        *mem += all[k]->cap;
    }
}

static int is_c0_or_space(unsigned char c)
{
    return c <= 0x20;
}

/* Strip surrounding C0 controls and spaces, drop tabs and newlines. */
size_t sri_url_preprocess(const char *s, size_t n, char *out)
{
    size_t start = 0, end = n, o = 0, k;

    while (start < end && is_c0_or_space((unsigned char)s[start]))
        start++;
    while (end > start && is_c0_or_space((unsigned char)s[end - 1]))
        end--;
    for (k = start; k < end; k++)
        if (s[k] != '\t' && s[k] != '\n' && s[k] != '\r')
            out[o++] = s[k];
    return o;
}

char *sri_url_serialize(apr_pool_t *p, const sri_url_parts *u)
{
    char port[8];
    size_t port_len = 0, len, o = 0;
    int dot_slash = !u->has_host && !u->opaque && u->path.len >= 2
                    && u->path.s[0] == '/' && u->path.s[1] == '/';
    char *out;

    if (u->port >= 0) {
        long v = u->port, div = 10000;
        int started = 0;
        for (; div > 0; div /= 10) {
            int d = (int)(v / div % 10);
            if (d || started || div == 1) {
                port[port_len++] = (char)('0' + d);
                started = 1;
            }
        }
    }
    len = u->scheme.len + 1
        + (u->has_host ? 2 + u->user.len + 1 + u->pass.len + 1
                         + u->host.len + 1 + port_len : 0)
        + (dot_slash ? 2 : 0) + u->path.len + 1 + u->query.len + 1;
    out = apr_palloc(p, len);
#define OUT(s, n) (memcpy(out + o, (s), (n)), o += (n))
    OUT(u->scheme.s, u->scheme.len);
    out[o++] = ':';
    if (u->has_host) {
        OUT("//", 2);
        if (u->user.len || u->pass.len) {
            OUT(u->user.s, u->user.len);
            if (u->pass.len) {
                out[o++] = ':';
                OUT(u->pass.s, u->pass.len);
            }
            out[o++] = '@';
        }
        OUT(u->host.s, u->host.len);
        if (port_len) {
            out[o++] = ':';
            OUT(port, port_len);
        }
    } else if (dot_slash) {
        OUT("/.", 2);
    }
    OUT(u->path.s, u->path.len);
    if (u->has_query) {
        out[o++] = '?';
        OUT(u->query.s, u->query.len);
    }
#undef OUT
    out[o] = '\0';
    return out;
}

/* The length of an "http" or "https" scheme (any case) that the n bytes
   at s begin with, followed by ':'; else 0.  The one test of "is this
   http(s)" for raw input and for serialised URLs alike. */
size_t sri_url_http_scheme_len(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n < 6 ? n : 6);
    size_t k = colon ? (size_t)(colon - s) : 0;

    return colon && (ieq(s, k, "http") || ieq(s, k, "https")) ? k : 0;
}
