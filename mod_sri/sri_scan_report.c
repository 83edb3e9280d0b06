/*
 * sri_scan_report.c -- handing a complete tag of interest to on_tag() and
 * writing it out with the edits it returns.
 *
 * Why: the one place where the scanner changes bytes.  The attributes are
 * built over the contiguous tag (in the chunk, or in the hold buffer) with
 * duplicates removed as the tokenizer does (the first wins); the edits are
 * checked (sorted, not overlapping, inside the tag) and an invalid set
 * leaves the tag unchanged rather than corrupt the page.
 */
#include "sri_scan_int.h"

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

/* Report a complete tag of interest and write it out, edited. */
void sri_scan_report(sri_scanner *s, const char *raw, size_t raw_len)
{
    sri_tag tag;
    int n, j;
    size_t at = 0;

    tag.kind = (sri_tag_kind)s->interest;
    tag.raw = raw;
    tag.raw_len = raw_len;
    tag.self_closing = s->self_closing;
    tag.insert_off = raw_len - (s->self_closing ? 2 : 1);
    if (s->missing_value)       /* "<x y=>": see sri_tag.insert_off */
        tag.insert_off = 1 + s->name_len;
    sri_scan_build_attrs(s, raw, &tag);
    n = s->sink.on_tag(s->sink.ctx, &tag, s->edits, SRI_SCAN_MAX_EDITS);
    if (n < 0) {
        if (!s->err)
            s->err = n;
        return;
    }
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
        if (e->ins_len && !s->err)
            s->err = s->sink.insert(s->sink.ctx, e->ins, e->ins_len);
        at = e->off + e->del;
    }
    sri_scan_pass(s, raw + at, raw_len - at);
}

