/*
 * fuzz_integrity.c -- libFuzzer target for token validation and
 * sri_integrity_strongest().
 *
 * Why: these read attacker-influenced text (author-written integrity
 * attributes in proxied pages).  Beyond "no crash": a token we call valid
 * must be seen by sri_integrity_strongest() with the same algorithm, and
 * re-hashing never yields a token we would reject.
 *
 */
#include <stdlib.h>
#include <string.h>
#include "integrity/sri_integrity.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *s = (const char *)data;
    const char *why = NULL;
    sri_algo a = SRI_ALGO_NONE, best;
    char out[SRI_TOKEN_MAX];

    best = sri_integrity_strongest(s, size);
    if (best < SRI_ALGO_NONE || best > SRI_ALGO_SHA512)
        abort();
    if (sri_token_valid(s, size, &a, &why)) {
        if (why || a == SRI_ALGO_NONE || sri_integrity_strongest(s, size) != a)
            abort();
    } else if (!why) {
        abort();                        /* every rejection says why */
    }
    if (sri_hash_buffer(best ? best : SRI_ALGO_SHA256, data, size, out) != 0
        || !sri_token_valid(out, strlen(out), NULL, NULL))
        abort();
    return 0;
}
