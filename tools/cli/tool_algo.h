/*
 * tool_algo.h -- `--algo` parsing and file hashing shared by hash and add.
 *
 * Why: both commands must accept the same algorithm names and hash a file
 * the same way; one definition keeps them from drifting apart.
 */
#ifndef SRI_TOOL_ALGO_H
#define SRI_TOOL_ALGO_H

#include <string.h>
#include "integrity/sri_integrity.h"
#include "tool.h"

/* Parse --algo; 0 or -1 (after printing an error). */
static inline int tool_algo_option(sri_algo *out, const char *arg)
{
    sri_algo a = sri_algo_from_name(arg, strlen(arg));
    if (a == SRI_ALGO_NONE) {
        tool_err("unknown algorithm '%s' (sha256, sha384 or sha512)", arg);
        return -1;
    }
    *out = a;
    return 0;
}

/* Hash FILE ("-" for stdin) into out; 0 or EXIT_LOCAL. */
int tool_hash_file(tool_ctx *t, const char *path, sri_algo algo, char *out);

#endif
