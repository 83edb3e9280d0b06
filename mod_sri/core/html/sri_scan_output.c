/*
 * sri_scan_output.c -- where the scanner's bytes go: straight to the
 * output's pass(), or into the hold buffer until the tag (or script text)
 * they belong to is complete.
 *
 * Why: the lowest layer of the scanner.  The tag states (sri_scan.c) and
 * the edits (sri_scan_edit.c) both pass bytes and hold them; keeping the
 * sticky error, the hold buffer and its one reset here means every path
 * that gives held bytes back does it the same way, and no file above has
 * to call back into another to do it.
 */
#include <stdlib.h>
#include <string.h>
#include "html/sri_scan_int.h"

int sri_scan_pass(sri_scanner *s, const char *p, size_t n)
{
    if (n && !s->err)
        s->err = s->out.pass(s->out.ctx, p, n);
    return s->err;
}

int sri_scan_insert(sri_scanner *s, const char *p, size_t n)
{
    if (n && !s->err)
        s->err = s->out.insert(s->out.ctx, p, n);
    return s->err;
}

void sri_scan_flush_to(sri_scanner *s, size_t to)
{
    if (to > s->emit) {
        sri_scan_pass(s, s->buf + s->emit, to - s->emit);
        s->emit = to;
    }
}

int sri_scan_hold_append(sri_scanner *s, const char *p, size_t n)
{
    if (n == 0)                 /* held script text may be empty so far */
        return 0;
    if (s->hold_len + n > s->hold_cap) {
        size_t cap = s->hold_cap ? s->hold_cap : 256;
        char *h;
        while (cap < s->hold_len + n)
            cap *= 2;
        h = realloc(s->hold, cap);
        if (!h) {
            s->err = -1;
            return -1;
        }
        s->hold = h;
        s->hold_cap = cap;
    }
    memcpy(s->hold + s->hold_len, p, n);
    s->hold_len += n;
    return 0;
}

void sri_scan_hold_rest(sri_scanner *s, size_t from)
{
    sri_scan_flush_to(s, from);
    if (sri_scan_hold_append(s, s->buf + from, s->len - from) < 0)
        return;
    s->holding = 1;
    s->emit = s->len;
}

void sri_scan_hold_clear(sri_scanner *s)
{
    s->holding = 0;
    s->hold_len = 0;
}

void sri_scan_hold_release(sri_scanner *s)
{
    if (s->holding)
        sri_scan_pass(s, s->hold, s->hold_len);
    sri_scan_hold_clear(s);
}
