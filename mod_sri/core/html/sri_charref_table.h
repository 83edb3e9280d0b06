/*
 * sri_charref_table.h -- the WHATWG named character reference table.
 *
 * Why: separates the generated data (sri_charref_table.c, made by
 * gen_charref_table.py) from the decoder that searches it.
 */
#ifndef SRI_CHARREF_TABLE_H
#define SRI_CHARREF_TABLE_H

#include <stddef.h>

/* One reference: name without the leading '&', with its ';' when the
   standard lists that spelling; value is its UTF-8 expansion. */
typedef struct {
    const char *name;
    unsigned char name_len;
    unsigned char value_len;
    const char *value;
} sri_charref_entity;

/* Sorted by name in byte order. */
extern const sri_charref_entity sri_charref_entities[];
extern const size_t sri_charref_entity_count;

/* The longest name in the table (with its ';'). */
#define SRI_CHARREF_NAME_MAX 32

#endif /* SRI_CHARREF_TABLE_H */
