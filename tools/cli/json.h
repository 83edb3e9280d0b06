/*
 * json.h -- the tool's JSON (through Jansson) and CSV.
 *
 * Why: URLs, justifications and report fields are arbitrary text, and npm
 * metadata and browser reports are JSON written by others.  Reading and
 * writing both go through libjansson (a well-kept parser: escapes,
 * surrogate pairs, nesting limits), so every machine-readable output is
 * valid JSON and every input is decoded as JSON means it.  These helpers
 * only add what the commands share on top of it.  (The module's import-map
 * editor keeps its own span-preserving reader: it must know where bytes
 * are, not just what they mean.)
 */
#ifndef SRI_TOOL_JSON_H
#define SRI_TOOL_JSON_H

#include <stdio.h>
#include <stddef.h>
#include <jansson.h>

/* A JSON string for s (NULL gives null).  Bytes that are not UTF-8 become
   U+FFFD, so the document stays valid JSON. */
json_t *tool_json_text(const char *s);

/* Print doc compactly with a newline on stdout, and release it (the
   commands' --json output).  Returns 0, or -1 when it could not be
   written. */
int tool_json_print(json_t *doc);

/* Parse n bytes of JSON text (object or array at the top); NULL if it is
   not valid JSON. */
json_t *tool_json_parse(const char *s, size_t n);

/* The string at a path of object keys, for example { "versions", "1.0.0",
   "dist", "tarball", NULL }; NULL when absent or not a string.  The
   result belongs to root. */
const char *tool_json_path(json_t *root, const char *const *path);

/* The first string value of a member named key, anywhere in v (depth
   first, in document order); NULL if there is none.  Belongs to v. */
const char *tool_json_find(json_t *v, const char *key);

/* Write s as a CSV field (quoted when needed). */
void csv_field(FILE *f, const char *s);

#endif
