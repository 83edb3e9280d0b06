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
 * (the tag states and the hot data-state loop) for size.  It only finds
 * where text ends and calls none of the scanner's other files: at the
 * appropriate end tag of raw text it stops in ST_RAW_END_TAG, and the tag
 * states (sri_scan.c) take over.
 */
#include "html/sri_scan_int.h"

size_t sri_scan_text_step(sri_scanner *s, size_t i)
{
    const char *buf = s->buf;
    const size_t len = s->len;
    const char *p;
    char c;

    switch (s->state) {
    case ST_RCDATA:                 /* <title>                             */
    case ST_RAWTEXT:                /* <style>                             */
    case ST_SCRIPT:                 /* <script>                            */
        p = memchr(buf + i, '<', len - i);
        if (!p) {
            i = len;
            break;
        }
        i = (size_t)(p - buf) + 1;
        s->state = ST_RAW_LT;
        break;

    case ST_PLAINTEXT:              /* <plaintext>                         */
        i = len;
        break;

    case ST_RAW_LT:                 /* <style>...<   <script><!-- <        */
        c = buf[i];
        if (c == '/') {
            i++;
            s->state = ST_RAW_END_OPEN;
        } else if (c == '!' && s->text_state == ST_SCRIPT) {
            i++;
            s->state = ST_SCRIPT_ESC_START;
        } else if (ALPHA(c) && s->text_state == ST_SCRIPT_ESC) {
            s->matched = 0;
            s->mismatched = 0;
            s->state = ST_SCRIPT_DESC_START;
        } else {
            s->state = s->text_state;
        }
        break;

    case ST_RAW_END_OPEN:           /* <style>...</                        */
        if (ALPHA(buf[i])) {
            s->matched = 0;
            s->state = ST_RAW_END_NAME;
        } else {
            s->state = s->text_state;
        }
        break;

    case ST_RAW_END_NAME:           /* <style>...</sty                     */
        c = buf[i];
        if (ALPHA(c)) {
            if (s->matched < s->raw_name_len
                && LOWER(c) == s->raw_name[s->matched]) {
                s->matched++;
                i++;
            } else {
                s->state = s->text_state;   /* not the appropriate end tag */
            }
        } else if (name_end_tab[(unsigned char)c]
                   && s->matched == s->raw_name_len) {
            /* The appropriate end tag: the tag states take it from its
               delimiter at buf[i]. */
            s->state = ST_RAW_END_TAG;
        } else {
            s->state = s->text_state;
        }
        break;

    case ST_SCRIPT_ESC_START:       /* <script><!                          */
        if (buf[i] == '-') {
            i++;
            s->state = ST_SCRIPT_ESC_START_DASH;
        } else {
            s->state = ST_SCRIPT;
        }
        break;

    case ST_SCRIPT_ESC_START_DASH:  /* <script><!-                         */
        if (buf[i] == '-') {
            i++;
            s->text_state = ST_SCRIPT_ESC;
            s->state = ST_SCRIPT_ESC_DASH_DASH;
        } else {
            s->state = ST_SCRIPT;
        }
        break;

    case ST_SCRIPT_ESC:             /* <script><!-- x                      */
        i = find_dash_lt(buf, i, len);
        if (i == len)
            break;
        s->state = buf[i] == '-' ? ST_SCRIPT_ESC_DASH : ST_RAW_LT;
        i++;
        break;

    case ST_SCRIPT_ESC_DASH:        /* <script><!-- x-                     */
    case ST_SCRIPT_ESC_DASH_DASH:   /* <script><!-- x--   <script><!--     */
        c = buf[i++];
        if (c == '-')
            s->state = ST_SCRIPT_ESC_DASH_DASH;
        else if (c == '<')
            s->state = ST_RAW_LT;
        else if (c == '>' && s->state == ST_SCRIPT_ESC_DASH_DASH)
            s->state = s->text_state = ST_SCRIPT;
        else
            s->state = ST_SCRIPT_ESC;
        break;

    case ST_SCRIPT_DESC_START:      /* <script><!-- <scr                   */
    case ST_SCRIPT_DESC_END:        /* <script><!--<script> </scr          */
        c = buf[i];
        if (name_end_tab[(unsigned char)c]) {
            int is_script = !s->mismatched && s->matched == 6;
            i++;
            if (s->state == ST_SCRIPT_DESC_START)
                s->state = is_script ? ST_SCRIPT_DESC : ST_SCRIPT_ESC;
            else
                s->state = is_script ? ST_SCRIPT_ESC : ST_SCRIPT_DESC;
        } else if (ALPHA(c)) {
            if (s->mismatched || s->matched >= 6
                || LOWER(c) != "script"[s->matched])
                s->mismatched = 1;
            else
                s->matched++;
            i++;
        } else {
            s->state = s->state == ST_SCRIPT_DESC_START ? ST_SCRIPT_ESC
                                                        : ST_SCRIPT_DESC;
        }
        break;

    case ST_SCRIPT_DESC:            /* <script><!--<script>                */
        i = find_dash_lt(buf, i, len);
        if (i == len)
            break;
        s->state = buf[i] == '-' ? ST_SCRIPT_DESC_DASH : ST_SCRIPT_DESC_LT;
        i++;
        break;

    case ST_SCRIPT_DESC_DASH:       /* <script><!--<script> -              */
    case ST_SCRIPT_DESC_DASH_DASH:  /* <script><!--<script> --             */
        c = buf[i++];
        if (c == '-')
            s->state = ST_SCRIPT_DESC_DASH_DASH;
        else if (c == '<')
            s->state = ST_SCRIPT_DESC_LT;
        else if (c == '>' && s->state == ST_SCRIPT_DESC_DASH_DASH)
            s->state = s->text_state = ST_SCRIPT;
        else
            s->state = ST_SCRIPT_DESC;
        break;

    case ST_SCRIPT_DESC_LT:         /* <script><!--<script> <              */
        if (buf[i] == '/') {
            i++;
            s->matched = 0;
            s->mismatched = 0;
            s->state = ST_SCRIPT_DESC_END;
        } else {
            s->state = ST_SCRIPT_DESC;
        }
        break;

    case ST_MARKUP_OPEN:            /* <!                                  */
        c = buf[i];
        s->matched = 1;
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

    case ST_MD_DASH:                /* <!-                                 */
        if (buf[i] == '-') {
            i++;
            s->state = ST_COMMENT_START;
        } else {
            s->state = ST_BOGUS_COMMENT;
        }
        break;

    case ST_MD_DOCTYPE:             /* <!D   <!DOC                         */
        /* A doctype ends at the first '>' in every DOCTYPE state, so
           after "<!DOCTYPE" it is scanned like a bogus comment. */
        if (LOWER(buf[i]) == "doctype"[s->matched]) {
            i++;
            if (++s->matched == 7)
                s->state = ST_BOGUS_COMMENT;
        } else {
            s->state = ST_BOGUS_COMMENT;
        }
        break;

    case ST_MD_CDATA:               /* <svg><![   <svg><![CD               */
        if (buf[i] == "[CDATA["[s->matched]) {
            i++;
            if (++s->matched == 7)
                s->state = ST_CDATA;
        } else {
            s->state = ST_BOGUS_COMMENT;
        }
        break;

    case ST_COMMENT_START:          /* <!--                                */
    case ST_COMMENT_START_DASH:     /* <!---                               */
        c = buf[i];
        if (c == '-') {
            i++;
            s->state = s->state == ST_COMMENT_START ? ST_COMMENT_START_DASH
                                                    : ST_COMMENT_END;
        } else if (c == '>') {      /* "<!-->" and "<!--->" */
            i++;
            s->state = ST_DATA;
        } else {
            s->state = ST_COMMENT;
        }
        break;

    case ST_COMMENT:                /* <!-- x                              */
        p = memchr(buf + i, '-', len - i);
        if (!p) {
            i = len;
            break;
        }
        i = (size_t)(p - buf) + 1;
        s->state = ST_COMMENT_END_DASH;
        break;

    case ST_COMMENT_END_DASH:       /* <!-- x-                             */
        if (buf[i] == '-') {
            i++;
            s->state = ST_COMMENT_END;
        } else {
            s->state = ST_COMMENT;
        }
        break;

    case ST_COMMENT_END:            /* <!-- x--                            */
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

    case ST_COMMENT_END_BANG:       /* <!-- x--!   ("--!>" ends it too)    */
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

    case ST_BOGUS_COMMENT:          /* <?x  <!x  </ x  <!DOCTYPE x         */
        p = memchr(buf + i, '>', len - i);
        if (!p) {
            i = len;
            break;
        }
        i = (size_t)(p - buf) + 1;
        s->state = ST_DATA;
        break;

    case ST_CDATA:                  /* <svg><![CDATA[                      */
        p = memchr(buf + i, ']', len - i);
        if (!p) {
            i = len;
            break;
        }
        i = (size_t)(p - buf) + 1;
        s->state = ST_CDATA_BRACKET;
        break;

    case ST_CDATA_BRACKET:          /* <svg><![CDATA[ x]                   */
        if (buf[i] == ']') {
            i++;
            s->state = ST_CDATA_END;
        } else {
            s->state = ST_CDATA;
        }
        break;

    case ST_CDATA_END:              /* <svg><![CDATA[ x]]                  */
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

    default:                        /* not a text state: sri_scan.c's      */
        break;
    }
    return i;
}
