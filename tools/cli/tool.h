/*
 * tool.h -- what the sri-registry commands share: the run context, option
 * parsing, messages, the registry open/lock/save cycle.
 *
 * Why: each command lives in its own small file (cmd_*.c); this header is
 * the one place that says how a command gets its registry and reports
 * errors, so every command behaves alike (same exit codes, same messages,
 * same locking).
 */
#ifndef SRI_TOOL_H
#define SRI_TOOL_H

#include <getopt.h>
#include <stdio.h>
#include <apr_pools.h>
#include "registry/sri_registry.h"

/* Exit codes (documented in sri-registry(1)). */
#define EXIT_OK     0
#define EXIT_LOCAL  1   /* usage or local error */
#define EXIT_FETCH  2   /* fetch errors */
#define EXIT_DRIFT  3   /* drift or tampering */

typedef struct {
    apr_pool_t *p;
    const char *registry;     /* path: -r, else $SRI_REGISTRY, else NULL */
    const char *command;
    int         quiet;
    const char *sign_key;     /* --sign KEY, else $SRI_REGISTRY_SIGN_KEY */
    struct sri_ed25519_key *signer;   /* loaded by tool_open_write()    */
} tool_ctx;

typedef struct {
    const char *name;
    int (*run)(tool_ctx *t, int argc, char **argv);
    const char *usage;        /* "URL [--why TEXT] ..." */
    const char *summary;      /* one line */
    const char *help;         /* option descriptions */
    int         writes;       /* can write the registry: --sign applies */
} tool_command;

extern const tool_command tool_commands[];

/* Messages: "sri-registry: ..." on stderr. */
void tool_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tool_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tool_note(tool_ctx *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print usage of the current command to stdout (--help) or stderr. */
void tool_usage(tool_ctx *t, FILE *to);
/* Usage error: message + usage line on stderr; returns EXIT_LOCAL. */
int tool_usage_error(tool_ctx *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse a command's options with getopt_long (options may come before or
   after the arguments).  The common options -r/--registry, -q/--quiet and
   -h/--help are added to longopts.  Calls on_opt(t, ctx, c, optarg) for
   the rest; returns the index of the first argument in argv, or -1 after
   printing a usage error (*rc set), or -2 when --help was printed. */
typedef int (*tool_opt_fn)(tool_ctx *t, void *ctx, int c, const char *arg);
int tool_getopt(tool_ctx *t, int argc, char **argv, const char *shortopts,
                const struct option *longopts, tool_opt_fn on_opt, void *ctx,
                int *rc);

/* Current UTC time "YYYY-MM-DDTHH:MM:SSZ" from t->p. */
const char *tool_now(tool_ctx *t);

/* Text for why/by: one non-blank line without control characters. */
int tool_text_ok(const char *s);

/* The registry cycle.  tool_open_write() takes the lock, then loads the
   registry (an absent file is an empty registry) and, with --sign, the
   private key; tool_save() writes it safely (signals held off) and, with
   --sign, writes REGISTRY.sig over the same bytes before tool_close()
   unlocks. */
typedef struct {
    sri_registry *reg;
    int           lock_fd;
    const char   *path;
} tool_reg;

int  tool_open_read(tool_ctx *t, tool_reg *r);       /* 0 or EXIT_LOCAL */
int  tool_open_write(tool_ctx *t, tool_reg *r);      /* 0 or EXIT_LOCAL */
int  tool_save(tool_ctx *t, tool_reg *r);            /* 0 or EXIT_LOCAL */
/* Only the lock (and the checks of the path), no load: for commands that
   replace the file's bytes themselves (sign-registry, pull). */
int  tool_lock(tool_ctx *t, tool_reg *r);            /* 0 or EXIT_LOCAL */
void tool_close(tool_reg *r);

/* Read a whole file ("-" is stdin) into memory from p. */
int tool_read_file(tool_ctx *t, const char *path, char **buf, size_t *len);

/* Normalise a URL argument; prints an error and returns NULL if invalid. */
const char *tool_url_arg(tool_ctx *t, const char *url);

/* Commands. */
int cmd_hash(tool_ctx *t, int argc, char **argv);
int cmd_add(tool_ctx *t, int argc, char **argv);
int cmd_list(tool_ctx *t, int argc, char **argv);
int cmd_apply(tool_ctx *t, int argc, char **argv);
int cmd_approve(tool_ctx *t, int argc, char **argv);
int cmd_retire(tool_ctx *t, int argc, char **argv);
int cmd_remove(tool_ctx *t, int argc, char **argv);
int cmd_refresh(tool_ctx *t, int argc, char **argv);
int cmd_verify(tool_ctx *t, int argc, char **argv);
int cmd_inventory(tool_ctx *t, int argc, char **argv);
int cmd_scan(tool_ctx *t, int argc, char **argv);
int cmd_check(tool_ctx *t, int argc, char **argv);
int cmd_reports(tool_ctx *t, int argc, char **argv);
int cmd_keygen(tool_ctx *t, int argc, char **argv);
int cmd_sign(tool_ctx *t, int argc, char **argv);
int cmd_sign_registry(tool_ctx *t, int argc, char **argv);
int cmd_pull(tool_ctx *t, int argc, char **argv);

/* The private key of --sign KEY / $SRI_REGISTRY_SIGN_KEY (or of path when
   not NULL), loaded once into t->signer; 0 or EXIT_LOCAL. */
int tool_load_signer(tool_ctx *t, const char *path);

#endif
