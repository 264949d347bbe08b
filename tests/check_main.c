/* check_main.c - the main of every Check suite.
 *
 * Each tests/check_*.c defines test_suite(); this runs it.  CK_ENV lets
 * CK_VERBOSITY, CK_RUN_SUITE, CK_RUN_CASE and CK_FORK choose from the
 * environment.  The exit status is non-zero when any test fails. */
#include <check.h>
#include <stdlib.h>

#include "kit_test.h"

int main(void)
{
    SRunner *sr = srunner_create(test_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
