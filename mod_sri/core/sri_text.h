/*
 * sri_text.h -- the byte-level helpers the parsers share.
 *
 * Why: character references, URL percent-decoding and JSON escapes all need
 * a hex digit's value and a code point written as UTF-8; rel token lists,
 * integrity metadata and attribute values are all split or stripped on
 * ASCII whitespace.  One copy of each keeps them from drifting apart.
 * Header-only (static inline): they sit in inner loops.
 */
#ifndef SRI_TEXT_H
#define SRI_TEXT_H

#include <stddef.h>

/* 0-15 for an ASCII hex digit, -1 otherwise. */
static inline int sri_hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Write cp (at most 0x10FFFF) as UTF-8 into out (room for 4 bytes);
   returns the number of bytes written. */
static inline size_t sri_put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ASCII whitespace (Infra): TAB, LF, FF, CR, SPACE. */
static inline int sri_ascii_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* Strip leading and trailing ASCII whitespace from s[0,*n). */
static inline void sri_strip_ws(const char **s, size_t *n)
{
    while (*n && sri_ascii_ws(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && sri_ascii_ws((*s)[*n - 1]))
        (*n)--;
}

/* Split s[0,n) on ASCII whitespace ("split a string on ASCII whitespace":
   rel token lists, integrity metadata, CSP source lists): the next token
   from *pos on, in *tok and *tok_len, *pos moved past it; 0 when there is
   none left. */
static inline int sri_next_token(const char *s, size_t n, size_t *pos,
                                 const char **tok, size_t *tok_len)
{
    size_t i = *pos, start;

    while (i < n && sri_ascii_ws(s[i]))
        i++;
    start = i;
    while (i < n && !sri_ascii_ws(s[i]))
        i++;
    *pos = i;
    if (i == start)
        return 0;
    *tok = s + start;
    *tok_len = i - start;
    return 1;
}

#endif /* SRI_TEXT_H */
