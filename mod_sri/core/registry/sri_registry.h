/*
 * sri_registry.h -- the registry: URL -> approved integrity tokens.
 *
 * Why: the registry is the inventory of every third-party resource a site
 * trusts.  It is a plain text file that people review and diff, written by
 * sri-registry and read by the module; both use this one strict parser, so
 * a file the tool accepts is a file the server accepts, and every error
 * names file:line.  Format: docs/registry-format.md (summary in README.md).
 */
#ifndef SRI_REGISTRY_H
#define SRI_REGISTRY_H

#include <stddef.h>
#include <apr_pools.h>
#include <apr_tables.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest registry file read (a million entries fit in far less). */
#define SRI_REGISTRY_MAX_BYTES (256u * 1024u * 1024u)

typedef struct {
    const char *token;          /* validated "sha384-..." or "ed25519-..." */
    const char *seen;           /* pending only: first-seen time, or NULL */
} sri_reg_token;

typedef struct {
    const char *url;            /* normalised (sri_url_normalize)           */
    const char *url_written;    /* as written in the file                   */
    int         line;           /* line of the URL in the file              */
    const char *integrity;      /* approved tokens joined by ' ' (what the
                                   module writes), NULL when none approved  */
    apr_array_header_t *approved;   /* of sri_reg_token                     */
    apr_array_header_t *pending;    /* of sri_reg_token                     */
    /* Metadata (NULL when absent). */
    const char *why;            /* justification (PCI DSS 6.4.3)            */
    const char *approved_by;
    const char *approved_at;
    const char *verified;       /* last time refresh/verify saw it unchanged */
    const char *cors;           /* "ok", "missing", ...                     */
    const char *source;         /* second-source result, e.g. "npm-ok"      */
    apr_array_header_t *comments;   /* const char *: comment lines that
                                       precede the entry, kept on rewrite   */
    apr_array_header_t *inner_comments; /* const char *: indented comment
                                       lines inside the entry, written back
                                       (indented) after its fields          */
    /* The arrays are read-only for callers: pending, comments and
       inner_comments may be one empty array shared by many entries (a
       100,000-entry file loads in well under 0.5 s).  Change tokens with
       sri_entry_add_token() / sri_entry_remove_token(). */
} sri_entry;

typedef struct sri_registry sri_registry;

/* Parse text (name is used in messages).  On error returns non-zero and sets
   *err to "NAME:LINE: message" allocated from p. */
int sri_registry_parse(apr_pool_t *p, const char *name, const char *text,
                       size_t len, sri_registry **out, char **err);

/* Read and parse a file.  Same error convention ("FILE: cannot open: ..."). */
int sri_registry_load(apr_pool_t *p, const char *path, sri_registry **out,
                      char **err);

/* Look up a normalised URL; NULL when absent.  O(1). */
const sri_entry *sri_registry_lookup(const sri_registry *r, const char *url);

/* Index of token (compared as a string: registry tokens have one spelling)
   in an array of sri_reg_token (e->approved, e->pending), or -1. */
int sri_reg_token_find(const apr_array_header_t *tokens, const char *token);

/* 1 when token is among e's approved or pending tokens. */
int sri_entry_has_token(const sri_entry *e, const char *token);

/* Number of entries, and the entries sorted by normalised URL. */
int sri_registry_count(const sri_registry *r);
const sri_entry *sri_registry_entry(const sri_registry *r, int i);

/* ---- Warnings (the tool prints them; the module may log them) ---------- */

/* 1 when the approved tokens use more than one algorithm: the browser only
   compares the strongest, so the weaker tokens pin nothing. */
int sri_entry_mixed_algorithms(const sri_entry *e);

/* All warnings as "NAME:LINE: warning: ..." strings (array of char *). */
apr_array_header_t *sri_registry_warnings(apr_pool_t *p,
                                          const sri_registry *r);

/* ---- Editing (sri-registry; implemented in sri_registry_edit.c) -------- */

/* An empty registry; name is used in messages. */
sri_registry *sri_registry_create(apr_pool_t *p, const char *name);

/* The registry's own pool and name. */
apr_pool_t *sri_registry_pool(const sri_registry *r);
const char *sri_registry_name(const sri_registry *r);

/* Comment lines (const char *, each starting with '#') at the top of the
   file, before the first blank line, and after the last entry.  Mutable. */
apr_array_header_t *sri_registry_header(sri_registry *r);
apr_array_header_t *sri_registry_footer(sri_registry *r);

/* Mutable entry for a normalised URL, or NULL. */
sri_entry *sri_registry_find(sri_registry *r, const char *url);

/* Add an empty entry for url (absolute http(s); normalised here), keeping
   the entries sorted.  Returns NULL with *err set when the URL is invalid or
   already present.  The caller adds tokens and calls sri_entry_update(). */
sri_entry *sri_registry_add(sri_registry *r, const char *url, char **err);

/* Remove the entry of a normalised URL; 0 when removed, -1 when absent. */
int sri_registry_remove(sri_registry *r, const char *url);

/* Append a validated token to e->approved (pending: seen != NULL goes to
   e->pending).  Returns 0, or -1 with *err when invalid or already there. */
int sri_entry_add_token(sri_registry *r, sri_entry *e, const char *token,
                        const char *seen, char **err);

/* Remove token from approved and pending; returns how many were removed. */
int sri_entry_remove_token(sri_entry *e, const char *token);

/* Recompute e->integrity after e->approved changed. */
void sri_entry_update(sri_registry *r, sri_entry *e);

/* ---- Writing (sri_registry_write.c) ------------------------------------ */

/* The registry as text in the canonical layout (see docs/registry-format.md):
   header, then entries sorted by normalised URL with their comments, fields
   in a fixed order, then the footer.  A file the tool wrote round-trips to
   identical bytes.  Allocated from p. */
char *sri_registry_format(apr_pool_t *p, const sri_registry *r, size_t *len);

/* Safe write: format, re-parse the result (never write what we would not
   read back), write a temp file in the same directory, fsync, keep the old
   file as PATH.bak (hard link), rename over PATH, fsync the directory.  The
   file's mode is kept (0644 for a new file).  0 or -1 with *err. */
int sri_registry_save(apr_pool_t *p, const sri_registry *r, const char *path,
                      char **err);

/* The same, then, when key is not NULL, sign the bytes just written into
   PATH.sig in the same step (sri_regsig_write in registry/sri_registry_sig.h:
   signing time now, or later than the PATH.sig already there); *signed_at
   (if not NULL) gets the signing time.  key is a sri_ed25519_key. */
struct sri_ed25519_key;
int sri_registry_save_signed(apr_pool_t *p, const sri_registry *r,
                             const char *path,
                             const struct sri_ed25519_key *key,
                             const char *now, const char **signed_at,
                             char **err);

/* Replace PATH by len bytes of text safely: temp file in the same
   directory, fsync, (keep_bak: the old file kept as PATH.bak, a hard
   link), rename, fsync the directory; the old file's mode (0644 for a new
   file) and, as root, owner are kept; a symlink is written through.
   0 or -1 with *err. */
int sri_registry_write_file(apr_pool_t *p, const char *path,
                            const char *text, size_t len, int keep_bak,
                            char **err);

/* Exclusive lock on PATH.lock (flock; blocks until free).  Returns a file
   descriptor to pass to sri_registry_unlock(), or -1 with *err. */
int sri_registry_lock(apr_pool_t *p, const char *path, char **err);
void sri_registry_unlock(int fd);

#ifdef __cplusplus
}
#endif
#endif /* SRI_REGISTRY_H */
