/*
 * sri_scan_edit.c -- handing a complete tag of interest (or the held text
 * of a script) to the decisions, and passing it with the edits they return.
 *
 * Why: the one place where the scanner changes bytes.  The attributes are
 * built over the contiguous tag (in the chunk, or in the hold buffer) with
 * duplicates removed as the tokenizer does (the first wins); the edits are
 * checked (sorted, not overlapping, inside the tag) and an invalid set
 * leaves the tag unchanged rather than corrupt the page.  Called by the tag
 * states (sri_scan.c); calls only the output (sri_scan_output.c).
 */
#include "html/sri_scan_int.h"

static int name_ieq(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t j;
    if (alen != blen)
        return 0;
    for (j = 0; j < alen; j++)
        if (LOWER(a[j]) != LOWER(b[j]))
            return 0;
    return 1;
}

/* Fill tag's attribute lists from s->raw over the contiguous tag bytes:
   all_attrs has every one, attrs the first of duplicate names. */
void sri_scan_build_attrs(sri_scanner *s, const char *raw, sri_tag *tag)
{
    size_t j, m, n = 0;

    for (j = 0; j < s->nraw; j++) {
        const raw_attr *r = &s->raw[j];
        sri_attr *a = &s->all_attrs[j];
        int dup = 0;
        a->name = raw + r->name_off;
        a->name_len = r->name_len;
        a->name_off = r->name_off;
        a->quote = r->quote;
        if (r->has_value) {
            a->value = raw + r->value_off;
            a->value_len = r->value_len;
            a->value_off = r->value_off;
        } else {
            a->value = NULL;
            a->value_len = 0;
            a->value_off = 0;
        }
        for (m = 0; m < n && !dup; m++)
            dup = name_ieq(s->attrs[m].name, s->attrs[m].name_len,
                           a->name, a->name_len);
        if (!dup)
            s->attrs[n++] = *a;
    }
    tag->attrs = s->attrs;
    tag->nattrs = n;
    tag->all_attrs = s->all_attrs;
    tag->nall_attrs = s->nraw;
}

const sri_attr *sri_tag_attr(const sri_tag *tag, const char *lname)
{
    size_t j, len = strlen(lname);
    for (j = 0; j < tag->nattrs; j++)
        if (name_ieq(tag->attrs[j].name, tag->attrs[j].name_len, lname, len))
            return &tag->attrs[j];
    return NULL;
}

int sri_scan_value_ieq(const sri_attr *a, const char *lower)
{
    return a && a->value && name_ieq(a->value, a->value_len, lower,
                                     strlen(lower));
}

static void pass_edited(sri_scanner *s, const char *raw, size_t raw_len,
                        int n);

void sri_scan_edit_tag(sri_scanner *s, const char *raw, size_t raw_len)
{
    sri_tag tag;
    int n;

    if (s->attrs_dropped) {
        /* more attributes than kept: an src, href or integrity past them
           would go unseen, so no decision is taken; the host hears of it
           as of a tag too long */
        pass_edited(s, raw, raw_len, 0);
        if (s->dec.on_overflow)
            s->dec.on_overflow(s->dec.ctx, raw_len);
        return;
    }
    tag.kind = (sri_tag_kind)s->interest;
    tag.raw = raw;
    tag.raw_len = raw_len;
    tag.self_closing = s->self_closing;
    tag.insert_off = raw_len - (s->self_closing ? 2 : 1);
    if (s->missing_value)       /* "<x y=>": see sri_tag.insert_off */
        tag.insert_off = 1 + s->name_len;
    sri_scan_build_attrs(s, raw, &tag);
    n = s->dec.on_tag(s->dec.ctx, &tag, s->edits, SRI_SCAN_MAX_EDITS);
    if (n < 0) {
        if (!s->err)
            s->err = n;
        return;
    }
    pass_edited(s, raw, raw_len, n);
    if (tag.kind == SRI_TAG_SCRIPT && s->dec.wants_text && s->dec.on_text
        && !s->err) {
        n = s->dec.wants_text(s->dec.ctx, &tag);
        if (n < 0)
            s->err = n;
        s->want_text = n == 1;
    }
}

/* Pass raw[0, raw_len) with the first n of s->edits applied; an invalid
   set of edits leaves it unchanged. */
static void pass_edited(sri_scanner *s, const char *raw, size_t raw_len,
                        int n)
{
    size_t at = 0;
    int j;

    if (n > SRI_SCAN_MAX_EDITS)
        n = 0;
    for (j = 0; j < n; j++) {   /* invalid edits: leave the tag unchanged */
        const sri_edit *e = &s->edits[j];
        if (e->off < at || e->off > raw_len || e->del > raw_len - e->off
            || (e->ins_len && !e->ins)) {
            n = 0;
            break;
        }
        at = e->off + e->del;
    }
    at = 0;
    for (j = 0; j < n && !s->err; j++) {
        const sri_edit *e = &s->edits[j];
        sri_scan_pass(s, raw + at, e->off - at);
        sri_scan_insert(s, e->ins, e->ins_len);
        at = e->off + e->del;
    }
    sri_scan_pass(s, raw + at, raw_len - at);
}

void sri_scan_text_overflow(sri_scanner *s, size_t text_len)
{
    s->capture = 0;
    if (s->dec.on_overflow)
        s->dec.on_overflow(s->dec.ctx, text_len);
    sri_scan_hold_release(s);   /* buf[0 ..] is still unpassed: emit is 0 */
}

/* What follows the text (the end tag) is left to the caller's normal
   output from s->emit. */
void sri_scan_edit_text(sri_scanner *s, uint64_t end_abs)
{
    size_t len = (size_t)(end_abs - s->text_abs);
    const char *text, *tail = NULL;
    size_t tail_len = 0;
    int n;

    if (len > s->max_tag) {
        sri_scan_text_overflow(s, len);
        return;
    }
    s->capture = 0;
    if (!s->holding) {                  /* all of it in this chunk */
        text = s->buf + s->emit;
        s->emit = (size_t)(end_abs - s->abs);
    } else if (end_abs >= s->abs) {     /* held, plus buf[0, end) */
        size_t more = (size_t)(end_abs - s->abs);
        if (sri_scan_hold_append(s, s->buf, more) < 0)
            return;
        text = s->hold ? s->hold : "";  /* empty text, nothing held */
        s->emit = more;
    } else {                            /* held, with "</scr" after it */
        text = s->hold;
        tail = s->hold + len;
        tail_len = s->hold_len - len;   /* emit stays 0 */
    }
    n = s->dec.on_text(s->dec.ctx, NULL, text, len, s->edits,
                       SRI_SCAN_MAX_EDITS);
    if (n < 0) {
        if (!s->err)
            s->err = n;
    } else {
        pass_edited(s, text, len, n);
        sri_scan_pass(s, tail, tail_len);
    }
    sri_scan_hold_clear(s);
}

