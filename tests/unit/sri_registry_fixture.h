/*
 * sri_registry_fixture.h -- a Check fixture with a registry parsed from
 * a test's own text: `pool` and `reg` for the tests, `setup` and
 * `teardown` for tcase_add_checked_fixture().
 *
 * Why: the rewrite and import-map suites both decide against a small
 * registry written in the test file; the fixture around it is the same,
 * and a parse error must fail the test, not crash it.
 */
#ifndef SRI_REGISTRY_FIXTURE_H
#define SRI_REGISTRY_FIXTURE_H

#include <string.h>
#include <apr_general.h>
#include <check.h>
#include "registry/sri_registry.h"

#define SRI_REGISTRY_FIXTURE(text)                                       \
    static apr_pool_t *pool;                                             \
    static sri_registry *reg;                                            \
                                                                         \
    static void setup(void)                                              \
    {                                                                    \
        char *err = NULL;                                                \
                                                                         \
        apr_initialize();                                                \
        apr_pool_create(&pool, NULL);                                    \
        if (sri_registry_parse(pool, "test", (text), strlen(text),      \
                               &reg, &err) != 0)                         \
            ck_abort_msg("registry: %s", err);                           \
    }                                                                    \
                                                                         \
    static void teardown(void)                                           \
    {                                                                    \
        apr_pool_destroy(pool);                                          \
        apr_terminate();                                                 \
    }

#endif
