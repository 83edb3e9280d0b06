/*
 * fuzz_url.c -- libFuzzer target for sri_url.c and sri_charref.c.
 *
 * Why: both parse attacker-controlled page content on every request.
 * Besides "no crash, ASan clean", it checks properties a correct WHATWG
 * parser has:
 *   - idempotence: a resolved URL normalises to itself;
 *   - the base may be given normalised or not: same result;
 *   - sri_url_origin and sri_url_same_origin agree.
 * Input: "base\nref" (no '\n': ref only, no base).  The ref is also run
 * through the character reference decoder first, as mod_sri does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "html/sri_charref.h"
#include "url/sri_url.h"

static apr_pool_t *pool;

static void check_resolved(const char *base, const char *ref, size_t ref_len)
{
    char *url = sri_url_resolve(pool, base, ref, ref_len);
    char *again, *origin;

    if (!url)
        return;
    again = sri_url_normalize(pool, url);
    if (!again || strcmp(again, url) != 0)
        abort();                              /* not idempotent */
    origin = sri_url_origin(pool, url);
    if ((origin != NULL) != (sri_url_same_origin(url, url) == 1))
        abort();
    if (origin && !sri_url_same_origin(url, origin))
        abort();                              /* "https://h" is its origin */
    if (sri_url_is_http(url) && !origin)
        abort();
    if (base) {
        char *nbase = sri_url_normalize(pool, base);
        if (nbase) {
            char *via = sri_url_resolve(pool, nbase, ref, ref_len);
            if (!via || strcmp(via, url) != 0)
                abort();                      /* base normalisation matters */
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *nl = memchr(in, '\n', size);
    const char *base = NULL, *ref = in;
    size_t ref_len = size, decoded_len;
    char *decoded;

    if (!pool) {
        apr_initialize();
        apr_pool_create(&pool, NULL);
    }
    if (nl) {
        base = apr_pstrndup(pool, in, (size_t)(nl - in));
        ref = nl + 1;
        ref_len = size - (size_t)(nl - in) - 1;
        if (strlen(base) != (size_t)(nl - in))
            base = NULL;                      /* NUL in base: a C string */
    }
    check_resolved(base, ref, ref_len);
    decoded = sri_charref_decode_attr(pool, ref, ref_len, &decoded_len);
    if (decoded[decoded_len] != '\0')
        abort();
    check_resolved(base, decoded, decoded_len);
    apr_pool_clear(pool);
    return 0;
}
