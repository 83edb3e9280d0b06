/*
 * sri_url_host.c -- the WHATWG host parser and serialiser.
 *
 * Why: a browser fetches https://0x7f.1/ from 127.0.0.1,
 * https://CDN%2Eexample.org/ from cdn.example.org and https://bücher.example/
 * from xn--bcher-kva.example, so the host in a registry key and the host in
 * a page must be compared after the same parsing: percent-decoding, "domain
 * to ASCII", forbidden code points, IPv4 numbers (decimal, octal, hex, 1 to 4
 * parts) and IPv6 compression.
 *
 * Domain to ASCII follows the URL standard: a domain that is ASCII after
 * percent-decoding is only lower-cased (its "xn--" labels are kept as
 * written, unchecked, as the standard does since 2026-06); a non-ASCII one
 * goes through UTS #46 ToASCII, done by libidn2 (IDN2_NONTRANSITIONAL, no
 * STD3 rules).  libidn2 also always checks hyphens and label lengths, which
 * the standard turns off, so each label is given to it alone and ASCII
 * labels (other than "xn--") skip it.  What libidn2 still does differently
 * (IDNA2008 DISALLOWED symbols, Bidi across labels, its Unicode version) is
 * listed in README.md; such a host fails and its URL is "invalid".
 */
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

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

static unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
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

/* One label of a non-ASCII domain, [s, s+n), to ASCII.  ASCII labels not
   starting with "xn--" are only lower-cased: with CheckHyphens and
   VerifyDnsLength off UTS #46 has nothing to check in them, and libidn2
   would refuse "a--b", "-a" and labels over 63 bytes.  The others go to
   libidn2, which maps, normalises (NFC), validates and encodes them (and
   decodes and checks an "xn--" label).  Returns the ASCII length, or -1
   when invalid; writes to out only when that length is at most room. */
static long label_to_ascii(const char *s, size_t n, char *out, size_t room)
{
    char stack[256], *label = stack, *ascii = NULL;
    size_t i, len;
    int non_ascii = 0, rc;

    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            non_ascii = 1;
    if (!non_ascii && !(n >= 4 && ascii_lower((unsigned char)s[0]) == 'x'
                          && ascii_lower((unsigned char)s[1]) == 'n'
                          && s[2] == '-' && s[3] == '-')) {
        for (i = 0; i < n && n <= room; i++)
            out[i] = (char)ascii_lower((unsigned char)s[i]);
        return (long)n;
    }
    if (n >= sizeof(stack) && !(label = malloc(n + 1)))
        return -1;
    for (i = 0; i < n; i++)                   /* "XN--" as "xn--" */
        label[i] = (char)ascii_lower((unsigned char)s[i]);
    label[n] = '\0';
    rc = idn2_to_ascii_8z(label, &ascii, IDN2_NONTRANSITIONAL);
    if (label != stack)
        free(label);
    if (rc != IDN2_OK) {
        idn2_free(ascii);
        return -1;
    }
    len = strlen(ascii);
    if (len <= room)
        memcpy(out, ascii, len);
    idn2_free(ascii);
    return (long)len;
}

/* Domain to ASCII of a non-ASCII domain, in[0,n) (percent-decoded UTF-8
   without NUL or other forbidden ASCII), label by label.  Invalid UTF-8
   fails in libidn2, as U+FFFD would in UTS #46.  Returns the ASCII length,
   or -1 when invalid; out holds it only when that length is at most cap. */
static long domain_to_ascii(const char *in, size_t n, char *out, size_t cap)
{
    size_t start = 0, o = 0, i;

    for (i = 0; i <= n; i++) {
        long len;

        if (i < n && in[i] != '.')
            continue;
        len = label_to_ascii(in + start, i - start, out + (o < cap ? o : cap),
                             o < cap ? cap - o : 0);
        if (len < 0)
            return -1;
        o += (size_t)len;
        if (i < n) {
            if (o < cap)
                out[o] = '.';
            o++;
        }
        start = i + 1;
    }
    return (long)o;
}

long sri_url_host_parse(const char *in, size_t n, int special, char *out,
                        size_t cap, size_t *need)
{
    size_t i, o = 0;
    int non_ascii = 0;

    *need = 0;
    if (cap < SRI_URL_HOST_ROOM(n)) {
        *need = SRI_URL_HOST_ROOM(n);
        return -1;
    }
    if (n > 0 && in[0] == '[') {
        if (in[n - 1] != ']')
            return -1;
        return ipv6_parse(in + 1, n - 2, out);
    }
    if (!special)
        return opaque_host(in, n, out);
    /* Percent-decode; an ASCII domain is lower-cased here, a non-ASCII one
       is handed to domain_to_ascii (from a copy: it writes to out). */
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
            non_ascii = 1;
        else if (forbidden_domain(c))
            return -1;                        /* no mapping removes these */
        out[o++] = (char)ascii_lower(c);
    }
    if (non_ascii) {
        char *decoded = malloc(o);
        long len;

        if (!decoded)
            return -1;
        memcpy(decoded, out, o);
        len = domain_to_ascii(decoded, o, out, cap);
        free(decoded);
        if (len < 0)
            return -1;
        if ((size_t)len > cap) {
            *need = (size_t)len;              /* the caller retries */
            return -1;
        }
        o = (size_t)len;
        for (i = 0; i < o; i++)               /* mapped to '%', '/', ... */
            if (forbidden_domain((unsigned char)out[i]))
                return -1;
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
