/*
 * fuzz_registry.c -- libFuzzer target for the registry parser and writer.
 *
 * Why: the module parses the registry in the server; a hostile or broken
 * file must produce an error, never a crash.  Beyond "no crash" this checks
 * the writer's promise: whatever the parser accepts, the canonical text it
 * writes parses again, to the same entries, and is a fixed point.
 *
 */
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include "registry/sri_registry.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static int inited;
    apr_pool_t *p;
    sri_registry *r, *r2, *r3;
    char *err = NULL, *text, *text2;
    size_t len, len2;
    int i;

    if (!inited) {
        apr_initialize();
        inited = 1;
    }
    apr_pool_create(&p, NULL);
    if (sri_registry_parse(p, "fuzz", (const char *)data, size, &r, &err) == 0) {
        text = sri_registry_format(p, r, &len);
        if (sri_registry_parse(p, "fuzz2", text, len, &r2, &err) != 0)
            abort();                    /* wrote what we cannot read */
        if (sri_registry_count(r2) != sri_registry_count(r))
            abort();
        for (i = 0; i < sri_registry_count(r); i++) {
            const sri_entry *a = sri_registry_entry(r, i);
            const sri_entry *b = sri_registry_lookup(r2, a->url);
            if (!b || (a->integrity == NULL) != (b->integrity == NULL)
                || (a->integrity && strcmp(a->integrity, b->integrity)))
                abort();
        }
        text2 = sri_registry_format(p, r2, &len2);
        if (sri_registry_parse(p, "fuzz3", text2, len2, &r3, &err) != 0
            || len2 != len || memcmp(text, text2, len))
            abort();                    /* not idempotent */
        (void)sri_registry_warnings(p, r);
    } else if (!err || strncmp(err, "fuzz:", 5)) {
        abort();                        /* every error names FILE:LINE */
    }
    apr_pool_destroy(p);
    return 0;
}
