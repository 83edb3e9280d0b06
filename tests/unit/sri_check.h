/*
 * sri_check.h -- shared main() for the Check unit tests.
 *
 * Why: every suite reports in TAP (srunner_set_tap) so the automake TAP
 * driver, and tools/check's "N passed, N failed" line, count each test
 * rather than each program.
 */
#ifndef SRI_CHECK_H
#define SRI_CHECK_H

#include <check.h>
#include <stdlib.h>

#define SRI_CHECK_MAIN(suite_fn)                                         \
    int main(void)                                                       \
    {                                                                    \
        SRunner *sr = srunner_create(suite_fn());                        \
        int failed;                                                      \
        srunner_set_tap(sr, "-");                                        \
        srunner_run_all(sr, CK_SILENT);                                  \
        failed = srunner_ntests_failed(sr);                              \
        srunner_free(sr);                                                \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;                     \
    }

#endif
