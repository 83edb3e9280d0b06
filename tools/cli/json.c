/*
 * json.c -- JSON through Jansson, and CSV fields, for the commands.
 *
 * Why: see json.h.
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/xmlstring.h>

/* s with every byte that does not start a valid UTF-8 sequence replaced by
   U+FFFD (malloc'd). */
static char *utf8_repair(const char *s)
{
    size_t n = strlen(s), i = 0, o = 0;
    char *out = malloc(n * 3 + 1);

    if (!out)
        return NULL;
    while (i < n) {
        int len = (int)(n - i > 4 ? 4 : n - i);
        if ((unsigned char)s[i] < 0x80) {
            out[o++] = s[i++];
        } else if (xmlGetUTF8Char((const xmlChar *)s + i, &len) >= 0
                   && len > 0) {
            memcpy(out + o, s + i, (size_t)len);
            o += (size_t)len;
            i += (size_t)len;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

json_t *tool_json_text(const char *s)
{
    json_t *j;
    char *fixed;

    if (!s)
        return json_null();
    if ((j = json_string(s)) != NULL)
        return j;
    fixed = utf8_repair(s);
    j = fixed ? json_string(fixed) : NULL;
    free(fixed);
    return j ? j : json_string("\xEF\xBF\xBD");
}

int tool_json_print(json_t *doc)
{
    int rc = -1;

    if (doc && json_dumpf(doc, stdout, JSON_COMPACT) == 0
        && fputc('\n', stdout) != EOF)
        rc = 0;
    json_decref(doc);
    return rc;
}

json_t *tool_json_parse(const char *s, size_t n)
{
    json_error_t err;
    return json_loadb(s, n, 0, &err);
}

const char *tool_json_path(json_t *root, const char *const *path)
{
    json_t *v = root;

    for (; v && *path; path++)
        v = json_is_object(v) ? json_object_get(v, *path) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *tool_json_find(json_t *v, const char *key)
{
    const char *k, *found;
    json_t *m;
    size_t i;

    if (json_is_object(v)) {
        json_object_foreach(v, k, m) {
            if (!strcmp(k, key) && json_is_string(m))
                return json_string_value(m);
            if ((found = tool_json_find(m, key)) != NULL)
                return found;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, m)
            if ((found = tool_json_find(m, key)) != NULL)
                return found;
    }
    return NULL;
}

void csv_field(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n") && s[0] != '=' && s[0] != '+' && s[0] != '-'
        && s[0] != '@') {
        fputs(s, f);
        return;
    }
    /* Quote, and keep spreadsheets from reading a leading = as a formula. */
    fputc('"', f);
    if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
