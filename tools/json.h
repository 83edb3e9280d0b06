/*
 * json.h -- writing JSON strings (refresh/verify --json, inventory).
 *
 * Why: URLs and justifications are arbitrary text; escaping them in one
 * place keeps every machine-readable output valid JSON.
 */
#ifndef SRI_TOOL_JSON_H
#define SRI_TOOL_JSON_H

#include <stdio.h>

/* Write s as a JSON string (with quotes); NULL writes null. */
void json_str(FILE *f, const char *s);

/* Write s as a CSV field (quoted when needed). */
void csv_field(FILE *f, const char *s);

#endif
