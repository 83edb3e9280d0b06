/*
 * sri_registry_private.h -- the registry's internals, shared by the parser
 * (sri_registry.c), the editing functions (sri_registry_edit.c) and the
 * writer (sri_registry_write.c).
 *
 * Why a separate header: the module and the tool see only sri_registry.h;
 * the three core files need the same struct without exposing it.
 */
#ifndef SRI_REGISTRY_PRIVATE_H
#define SRI_REGISTRY_PRIVATE_H

#include <apr_hash.h>
#include "registry/sri_registry.h"

struct sri_registry {
    apr_pool_t         *pool;
    const char         *name;     /* for messages */
    apr_hash_t         *by_url;   /* normalised URL -> sri_entry *        */
    apr_array_header_t *entries;  /* sri_entry *, sorted by url (strcmp)  */
    apr_array_header_t *header;   /* const char *: top comment block      */
    apr_array_header_t *footer;   /* const char *: comments after entries */
    /* Shared empty arrays: most entries have no pending token and no
       comments, and 100,000 entries must load fast (memory is the cost).
       Never push into these: use sri_array_push(). */
    apr_array_header_t *empty_tokens, *empty_strs;
};

/* sri_registry_write_file() in two steps, so that two files can be
   written in full before either takes effect (sri_regsig_install):
   stage writes, fsyncs and closes the temporary file (and makes PATH.bak
   when keep_bak); commit renames it over PATH and fsyncs the directory;
   abandon removes it.  0, or -1 with *err (nothing left behind). */
typedef struct {
    const char *path, *tmp, *dir;
    const char *bak;            /* PATH.bak made, or NULL */
} sri_staged_file;
int sri_registry_stage_file(apr_pool_t *p, const char *path,
                            const char *text, size_t len, int keep_bak,
                            sri_staged_file *sf, char **err);
int sri_registry_commit_file(apr_pool_t *p, sri_staged_file *sf, char **err);
void sri_registry_abandon_file(sri_staged_file *sf);

/* Push onto *a, first replacing a shared empty array by a real one. */
void *sri_array_push(sri_registry *r, apr_array_header_t **a);

/* Fresh entry with empty arrays, url/url_written set, from r's pool. */
sri_entry *sri_entry_new(sri_registry *r, const char *url,
                         const char *url_written, int line);

/* Index where url is or would be inserted into r->entries. */
int sri_registry_position(const sri_registry *r, const char *url);

/* 1 when s is "YYYY-MM-DDTHH:MM:SSZ" with plausible ranges. */
int sri_time_valid(const char *s, size_t len);

/* Format r, check that the parser reads it back, write it safely to path
   (sri_registry_write.c); text and len give the bytes written.  The signed
   save (sri_registry_sign.c) signs exactly these bytes. */
int sri_registry_save_text(apr_pool_t *p, const sri_registry *r,
                           const char *path, char **text, size_t *len,
                           char **err);

#endif
