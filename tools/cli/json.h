/*
 * json.h -- writing JSON strings and CSV fields, and reading values out of
 * JSON documents (npm metadata).
 *
 * Why: URLs and justifications are arbitrary text; escaping them in one
 * place keeps every machine-readable output valid.  Reading needs only
 * "the value at this path of keys", so a small bounded reader is enough.
 */
#ifndef SRI_TOOL_JSON_H
#define SRI_TOOL_JSON_H

#include <stdio.h>

/* Write s as a JSON string (with quotes); NULL writes null. */
void json_str(FILE *f, const char *s);

/* Write s as a CSV field (quoted when needed). */
void csv_field(FILE *f, const char *s);

/* Find the value at a path of object keys in JSON text, for example
   { "versions", "1.0.0", "dist", "tarball", NULL }.  Returns 1 and sets
   *val and *vlen to the raw value text (a string includes its quotes), or
   0.  Nesting is bounded; malformed JSON gives 0. */
int json_find(const char *s, size_t n, const char *const *path,
              const char **val, size_t *vlen);

/* Decode a raw JSON string value (with quotes) into a NUL-terminated
   buffer from malloc(); NULL if not a string. */
char *json_string_dup(const char *val, size_t vlen);

#endif
