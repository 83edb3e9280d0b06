/*
 * fuzz_integrity.c -- libFuzzer target for token validation and
 * sri_integrity_strongest().
 *
 * Why: these read attacker-influenced text (author-written integrity
 * attributes in proxied pages).  Beyond "no crash": a token we call valid
 * must be seen by sri_integrity_strongest() with the same algorithm,
 * re-hashing never yields a token we would reject, every usable token's
 * canonical spelling is a valid token of its algorithm (it is compared with
 * the registry's as a string), and the algorithm browsers compare is never
 * weaker than the strongest usable one.
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
    sri_algo a = SRI_ALGO_NONE, best, v;
    char out[SRI_TOKEN_MAX];
    sri_metadata m;
    size_t pos = 0, last = 0;

    best = sri_integrity_strongest(s, size);
    if (best < SRI_ALGO_NONE || best > SRI_ALGO_SHA512)
        abort();
    if (sri_token_valid(s, size, &a, &why)) {
        if (why || a == SRI_ALGO_NONE || sri_integrity_strongest(s, size) != a)
            abort();
    } else if (!why) {
        abort();                        /* every rejection says why */
    }
    while (sri_integrity_next(s, size, &pos, &m)) {
        if (pos <= last || pos > size)
            abort();                    /* always moves on, never past */
        last = pos;
        if (m.usable && m.key
            && sri_pin_token(m.canon, strlen(m.canon), NULL) != SRI_PIN_KEY)
            abort();
        if (m.usable && !m.key && (m.algo == SRI_ALGO_NONE
                         || !sri_token_valid(m.canon, strlen(m.canon), &v,
                                             NULL) || v != m.algo))
            abort();
    }
    if (sri_integrity_compared(s, size) < best)
        abort();
    if (sri_hash_buffer(best ? best : SRI_ALGO_SHA256, data, size, out) != 0
        || !sri_token_valid(out, strlen(out), NULL, NULL))
        abort();
    return 0;
}
