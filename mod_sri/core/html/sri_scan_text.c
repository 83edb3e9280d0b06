/*
 * sri_scan_text.c -- the scanner's text states: RCDATA, RAWTEXT, script data
 * (with its escaped and double-escaped states), PLAINTEXT, and the markup
 * declarations: comments, bogus comments, DOCTYPE, CDATA sections.
 *
 * Why: none of these can contain a tag, so they only have to find where
 * they end -- exactly as the WHATWG tokenizer does, since one wrong guess
 * turns the rest of a page into tags or into text.  Each case is one
 * tokenizer state (or a merged group), commented with the input that
 * reaches it; runs are skipped with memchr.  Kept apart from sri_scan.c
 * (the tag states and the hot data-state loop) for size.
 */
#include "html/sri_scan_int.h"

size_t sri_scan_text_step(sri_scanner *s, size_t i)
{
    const char *buf = s->buf;
    const size_t len = s->len;
    const char *p;
    char c;

    switch (s->state) {
        case ST_RCDATA:
        case ST_RAWTEXT:
        case ST_SCRIPT:
            p = memchr(buf + i, '<', len - i);
            if (!p) {
                i = len;
                break;
            }
            i = (size_t)(p - buf) + 1;
            s->state = ST_RAW_LT;
            break;

        case ST_PLAINTEXT:
            i = len;
            break;

        case ST_RAW_LT:
            c = buf[i];
            if (c == '/') {
                i++;
                s->state = ST_RAW_END_OPEN;
            } else if (c == '!' && s->text == ST_SCRIPT) {
                i++;
                s->state = ST_SCRIPT_ESC_START;
            } else if (ALPHA(c) && s->text == ST_SCRIPT_ESC) {
                s->k = 0;
                s->kbad = 0;
                s->state = ST_SCRIPT_DESC_START;
            } else {
                s->state = s->text;
            }
            break;

        case ST_RAW_END_OPEN:
            if (ALPHA(buf[i])) {
                s->k = 0;
                s->state = ST_RAW_END_NAME;
            } else {
                s->state = s->text;
            }
            break;

        case ST_RAW_END_NAME:
            c = buf[i];
            if (ALPHA(c)) {
                if (s->k < s->raw_name_len && LOWER(c) == s->raw_name[s->k]) {
                    s->k++;
                    i++;
                } else {
                    s->state = s->text;     /* not the appropriate end tag */
                }
            } else if (delim_tab[(unsigned char)c] && s->k == s->raw_name_len) {
                /* The appropriate end tag: tokenize it as a tag.  Held
                   script text ends at its "</script". */
                if (s->capture)
                    sri_scan_text_done(s, s->abs + i - 2 - s->raw_name_len);
                sri_scan_tag_begin(s, i, 1);
                memcpy(s->name, s->raw_name, sizeof s->name);
                s->name_len = s->raw_name_len;
                s->state = ST_TAG_NAME;     /* sees the delimiter */
            } else {
                s->state = s->text;
            }
            break;

        case ST_SCRIPT_ESC_START:
            if (buf[i] == '-') {
                i++;
                s->state = ST_SCRIPT_ESC_START_DASH;
            } else {
                s->state = ST_SCRIPT;
            }
            break;

        case ST_SCRIPT_ESC_START_DASH:
            if (buf[i] == '-') {
                i++;
                s->text = ST_SCRIPT_ESC;
                s->state = ST_SCRIPT_ESC_DASH_DASH;
            } else {
                s->state = ST_SCRIPT;
            }
            break;

        case ST_SCRIPT_ESC:
            i = find(esc_tab, buf, i, len);
            if (i == len)
                break;
            s->state = buf[i] == '-' ? ST_SCRIPT_ESC_DASH : ST_RAW_LT;
            i++;
            break;

        case ST_SCRIPT_ESC_DASH:
        case ST_SCRIPT_ESC_DASH_DASH:
            c = buf[i++];
            if (c == '-')
                s->state = ST_SCRIPT_ESC_DASH_DASH;
            else if (c == '<')
                s->state = ST_RAW_LT;
            else if (c == '>' && s->state == ST_SCRIPT_ESC_DASH_DASH)
                s->state = s->text = ST_SCRIPT;
            else
                s->state = ST_SCRIPT_ESC;
            break;

        case ST_SCRIPT_DESC_START:
        case ST_SCRIPT_DESC_END:
            c = buf[i];
            if (delim_tab[(unsigned char)c]) {
                int is_script = !s->kbad && s->k == 6;
                i++;
                if (s->state == ST_SCRIPT_DESC_START)
                    s->state = is_script ? ST_SCRIPT_DESC : ST_SCRIPT_ESC;
                else
                    s->state = is_script ? ST_SCRIPT_ESC : ST_SCRIPT_DESC;
            } else if (ALPHA(c)) {
                if (s->kbad || s->k >= 6 || LOWER(c) != "script"[s->k])
                    s->kbad = 1;
                else
                    s->k++;
                i++;
            } else {
                s->state = s->state == ST_SCRIPT_DESC_START ? ST_SCRIPT_ESC
                                                            : ST_SCRIPT_DESC;
            }
            break;

        case ST_SCRIPT_DESC:
            i = find(esc_tab, buf, i, len);
            if (i == len)
                break;
            s->state = buf[i] == '-' ? ST_SCRIPT_DESC_DASH : ST_SCRIPT_DESC_LT;
            i++;
            break;

        case ST_SCRIPT_DESC_DASH:
        case ST_SCRIPT_DESC_DASH_DASH:
            c = buf[i++];
            if (c == '-')
                s->state = ST_SCRIPT_DESC_DASH_DASH;
            else if (c == '<')
                s->state = ST_SCRIPT_DESC_LT;
            else if (c == '>' && s->state == ST_SCRIPT_DESC_DASH_DASH)
                s->state = s->text = ST_SCRIPT;
            else
                s->state = ST_SCRIPT_DESC;
            break;

        case ST_SCRIPT_DESC_LT:
            if (buf[i] == '/') {
                i++;
                s->k = 0;
                s->kbad = 0;
                s->state = ST_SCRIPT_DESC_END;
            } else {
                s->state = ST_SCRIPT_DESC;
            }
            break;

        case ST_MARKUP_OPEN:
            c = buf[i];
            s->k = 1;
            if (c == '-') {
                i++;
                s->state = ST_MD_DASH;
            } else if (c == 'd' || c == 'D') {
                i++;
                s->state = ST_MD_DOCTYPE;
            } else if (c == '[' && sri_tree_cdata_ok(&s->tree)) {
                i++;
                s->state = ST_MD_CDATA;
            } else {
                s->state = ST_BOGUS_COMMENT;
            }
            break;

        case ST_MD_DASH:
            if (buf[i] == '-') {
                i++;
                s->state = ST_COMMENT_START;
            } else {
                s->state = ST_BOGUS_COMMENT;
            }
            break;

        case ST_MD_DOCTYPE:
            /* A doctype ends at the first '>' in every DOCTYPE state, so
               after "<!DOCTYPE" it is scanned like a bogus comment. */
            if (LOWER(buf[i]) == "doctype"[s->k]) {
                i++;
                if (++s->k == 7)
                    s->state = ST_BOGUS_COMMENT;
            } else {
                s->state = ST_BOGUS_COMMENT;
            }
            break;

        case ST_MD_CDATA:
            if (buf[i] == "[CDATA["[s->k]) {
                i++;
                if (++s->k == 7)
                    s->state = ST_CDATA;
            } else {
                s->state = ST_BOGUS_COMMENT;
            }
            break;

        case ST_COMMENT_START:
        case ST_COMMENT_START_DASH:
            c = buf[i];
            if (c == '-') {
                i++;
                s->state = s->state == ST_COMMENT_START ? ST_COMMENT_START_DASH
                                                        : ST_COMMENT_END;
            } else if (c == '>') {          /* "<!-->" and "<!--->" */
                i++;
                s->state = ST_DATA;
            } else {
                s->state = ST_COMMENT;
            }
            break;

        case ST_COMMENT:
            p = memchr(buf + i, '-', len - i);
            if (!p) {
                i = len;
                break;
            }
            i = (size_t)(p - buf) + 1;
            s->state = ST_COMMENT_END_DASH;
            break;

        case ST_COMMENT_END_DASH:
            if (buf[i] == '-') {
                i++;
                s->state = ST_COMMENT_END;
            } else {
                s->state = ST_COMMENT;
            }
            break;

        case ST_COMMENT_END:
            c = buf[i];
            if (c == '>') {
                i++;
                s->state = ST_DATA;
            } else if (c == '!') {
                i++;
                s->state = ST_COMMENT_END_BANG;
            } else if (c == '-') {
                i++;
            } else {
                s->state = ST_COMMENT;
            }
            break;

        case ST_COMMENT_END_BANG:           /* "--!>" ends a comment */
            c = buf[i];
            if (c == '-') {
                i++;
                s->state = ST_COMMENT_END_DASH;
            } else if (c == '>') {
                i++;
                s->state = ST_DATA;
            } else {
                s->state = ST_COMMENT;
            }
            break;

        case ST_BOGUS_COMMENT:
            p = memchr(buf + i, '>', len - i);
            if (!p) {
                i = len;
                break;
            }
            i = (size_t)(p - buf) + 1;
            s->state = ST_DATA;
            break;

        case ST_CDATA:
            p = memchr(buf + i, ']', len - i);
            if (!p) {
                i = len;
                break;
            }
            i = (size_t)(p - buf) + 1;
            s->state = ST_CDATA_BRACKET;
            break;

        case ST_CDATA_BRACKET:
            if (buf[i] == ']') {
                i++;
                s->state = ST_CDATA_END;
            } else {
                s->state = ST_CDATA;
            }
            break;

        case ST_CDATA_END:
            c = buf[i];
            if (c == ']') {
                i++;
            } else if (c == '>') {
                i++;
                s->state = ST_DATA;
            } else {
                s->state = ST_CDATA;
            }
            break;
    default:
        break;
    }
    return i;
}
