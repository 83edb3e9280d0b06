/*
 * sri_url_host.c -- the WHATWG host parser and serialiser.
 *
 * Why: a browser fetches https://0x7f.1/ from 127.0.0.1 and
 * https://CDN%2Eexample.org/ from cdn.example.org, so the host in a
 * registry key and the host in a page must be compared after the same
 * parsing: percent-decoding, ASCII lower-casing, forbidden code points,
 * IPv4 numbers (decimal, octal, hex, 1 to 4 parts) and IPv6 compression.
 *
 * Not done: IDNA.  A host that is non-ASCII after percent-decoding fails
 * (returns -1, so the URL is "invalid"): without punycode we cannot name
 * the host the browser would contact, and refusing is safer for SRI than
 * guessing.  A "xn--" label is kept as written, without validation.
 */
#include <string.h>

#include "url/sri_url_host.h"
#include "sri_text.h"

/* Forbidden host code points: NUL TAB LF CR SP # / : < > ? @ [ \ ] ^ | */
static int forbidden_host(unsigned char c)
{
    return c == 0 || c == '\t' || c == '\n' || c == '\r' || c == ' '
        || c == '#' || c == '/' || c == ':' || c == '<' || c == '>'
        || c == '?' || c == '@' || c == '[' || c == '\\' || c == ']'
        || c == '^' || c == '|';
}

/* Forbidden domain code points: the above, C0 controls, '%' and DEL. */
static int forbidden_domain(unsigned char c)
{
    return forbidden_host(c) || c < 0x20 || c == '%' || c == 0x7F;
}

static size_t put_decimal(char *out, unsigned long v)
{
    char tmp[24];
    size_t n = 0, i;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* IPv4 number parser: "0x.." hex, "0.." octal, else decimal; "" is an
   error, "0x" is 0.  Returns 0 on success; values saturate above 2^32. */
static int ipv4_number(const char *s, size_t n, unsigned long long *value)
{
    unsigned radix = 10;
    unsigned long long v = 0;
    size_t i;

    if (n == 0)
        return -1;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        radix = 16;
        s += 2;
        n -= 2;
    } else if (n >= 2 && s[0] == '0') {
        radix = 8;
        s += 1;
        n -= 1;
    }
    for (i = 0; i < n; i++) {
        int d = sri_hex_value((unsigned char)s[i]);
        if (d < 0 || (unsigned)d >= radix)
            return -1;
        v = v * radix + (unsigned)d;
        if (v > 0xFFFFFFFFFFull)
            v = 0xFFFFFFFFFFull;              /* saturate, still too big */
    }
    *value = v;
    return 0;
}

/* "Ends in a number": the last label (ignoring one trailing '.') is all
   digits or parses as an IPv4 number. */
static int ends_in_number(const char *s, size_t n)
{
    size_t end = n, start, i;
    unsigned long long ignored;

    if (end > 0 && s[end - 1] == '.')
        end--;                                /* "a.1." counts as "a.1" */
    start = end;
    while (start > 0 && s[start - 1] != '.')
        start--;
    if (start == end)
        return 0;
    for (i = start; i < end && s[i] >= '0' && s[i] <= '9'; i++)
        ;
    if (i == end)
        return 1;
    return ipv4_number(s + start, end - start, &ignored) == 0;
}

/* IPv4 parser (after ends_in_number said yes).  Returns length or -1. */
static long ipv4_parse(const char *s, size_t n, char *out)
{
    unsigned long long parts[4];
    size_t count = 0, start = 0, i, o = 0;
    unsigned long long addr;

    if (n > 0 && s[n - 1] == '.')
        n--;                                  /* one trailing dot allowed */
    for (i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (count == 4)
                return -1;
            if (ipv4_number(s + start, i - start, &parts[count]) != 0)
                return -1;
            count++;
            start = i + 1;
        }
    }
    for (i = 0; i + 1 < count; i++)
        if (parts[i] > 255)
            return -1;
    if (parts[count - 1] >= (1ull << (8 * (5 - count))))
        return -1;
    addr = parts[count - 1];
    for (i = 0; i + 1 < count; i++)
        addr += parts[i] << (8 * (3 - i));
    for (i = 0; i < 4; i++) {
        o += put_decimal(out + o, (unsigned long)((addr >> (8 * (3 - i))) & 0xFF));
        if (i < 3)
            out[o++] = '.';
    }
    return (long)o;
}

/* IPv6 parser and serialiser for the text between the brackets. */
static long ipv6_parse(const char *s, size_t n, char *out)
{
    unsigned pieces[8] = {0};
    int piece = 0, compress = -1, i;
    size_t p = 0, o = 0;
    int best_start = -1, best_len = 1, run_start = -1, ignore0 = 0;

#define AT(k) ((k) < n ? (unsigned char)s[k] : 0)
    if (AT(p) == ':') {
        if (AT(p + 1) != ':')
            return -1;
        p += 2;
        piece++;
        compress = piece;
    }
    while (p < n) {
        unsigned value = 0;
        int length = 0;

        if (piece == 8)
            return -1;
        if (s[p] == ':') {
            if (compress != -1)
                return -1;
            p++;
            piece++;
            compress = piece;
            continue;
        }
        while (length < 4 && p < n && sri_hex_value((unsigned char)s[p]) >= 0) {
            value = value * 16 + (unsigned)sri_hex_value((unsigned char)s[p]);
            p++;
            length++;
        }
        if (p < n && s[p] == '.') {           /* embedded IPv4: ::1.2.3.4 */
            int seen = 0;
            if (length == 0)
                return -1;
            p -= (size_t)length;
            if (piece > 6)
                return -1;
            while (p < n) {
                int v4 = -1;
                if (seen > 0) {
                    if (s[p] == '.' && seen < 4)
                        p++;
                    else
                        return -1;
                }
                if (!(AT(p) >= '0' && AT(p) <= '9'))
                    return -1;
                while (p < n && s[p] >= '0' && s[p] <= '9') {
                    int d = s[p] - '0';
                    if (v4 == -1)
                        v4 = d;
                    else if (v4 == 0)
                        return -1;            /* no leading zeros */
                    else
                        v4 = v4 * 10 + d;
                    if (v4 > 255)
                        return -1;
                    p++;
                }
                pieces[piece] = pieces[piece] * 0x100 + (unsigned)v4;
                seen++;
                if (seen == 2 || seen == 4)
                    piece++;
            }
            if (seen != 4)
                return -1;
            break;
        } else if (p < n && s[p] == ':') {
            p++;
            if (p == n)
                return -1;
        } else if (p < n) {
            return -1;
        }
        pieces[piece] = value;
        piece++;
    }
#undef AT
    if (compress != -1) {
        int swaps = piece - compress;
        piece = 7;
        while (piece != 0 && swaps > 0) {
            unsigned t = pieces[piece];
            pieces[piece] = pieces[compress + swaps - 1];
            pieces[compress + swaps - 1] = t;
            piece--;
            swaps--;
        }
    } else if (piece != 8) {
        return -1;
    }
    /* Serialise: compress the first longest run of two or more zeros. */
    for (i = 0; i <= 8; i++) {
        if (i < 8 && pieces[i] == 0) {
            if (run_start < 0)
                run_start = i;
        } else if (run_start >= 0) {
            if (i - run_start > best_len) {
                best_start = run_start;
                best_len = i - run_start;
            }
            run_start = -1;
        }
    }
    out[o++] = '[';
    for (i = 0; i < 8; i++) {
        static const char hex[] = "0123456789abcdef";
        unsigned v = pieces[i];
        int shift, started = 0;

        if (ignore0 && v == 0)
            continue;
        ignore0 = 0;
        if (i == best_start) {
            out[o++] = ':';
            if (i == 0)
                out[o++] = ':';
            ignore0 = 1;
            continue;
        }
        for (shift = 12; shift >= 0; shift -= 4) {
            unsigned d = (v >> shift) & 0xF;
            if (d || started || shift == 0) {
                out[o++] = hex[d];
                started = 1;
            }
        }
        if (i != 7)
            out[o++] = ':';
    }
    out[o++] = ']';
    return (long)o;
}

/* Opaque host of a non-special URL: forbidden code points fail, the rest
   is percent-encoded with the C0 control set. */
static long opaque_host(const char *s, size_t n, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i, o = 0;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (forbidden_host(c))
            return -1;
        if (c < 0x20 || c > 0x7E) {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 0xF];
        } else {
            out[o++] = (char)c;
        }
    }
    return (long)o;
}

long sri_url_host_parse(const char *in, size_t n, int special, char *out)
{
    size_t i, o = 0;

    if (n > 0 && in[0] == '[') {
        if (in[n - 1] != ']')
            return -1;
        return ipv6_parse(in + 1, n - 2, out);
    }
    if (!special)
        return opaque_host(in, n, out);
    /* Percent-decode, ASCII lower-case, reject non-ASCII (no IDNA). */
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '%' && i + 2 < n
            && sri_hex_value((unsigned char)in[i + 1]) >= 0
            && sri_hex_value((unsigned char)in[i + 2]) >= 0) {
            c = (unsigned char)(sri_hex_value((unsigned char)in[i + 1]) * 16
                                + sri_hex_value((unsigned char)in[i + 2]));
            i += 2;
        }
        if (c >= 0x80)
            return -1;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + ('a' - 'A'));
        if (forbidden_domain(c))
            return -1;
        out[o++] = (char)c;
    }
    if (o == 0)
        return -1;                            /* empty after decoding */
    if (ends_in_number(out, o)) {
        char tmp[16];
        long len = ipv4_parse(out, o, tmp);
        if (len < 0)
            return -1;
        memcpy(out, tmp, (size_t)len);
        return len;
    }
    return (long)o;
}
