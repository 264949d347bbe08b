/* check_ch08_cosine.c - chapter 08: the kit's per-step cosine schedule
 * starts at l_0 and ends at l_T; counting epochs as the problem set does
 * ends above l_T; the program checks its parameters. */
#include <math.h>
#include <string.h>

#include "ch08_cosine.h"
#include "kit_test.h"

START_TEST(test_run_schedule_endpoints)
{
    Schedule s = cosine_for_run(0.1, 0.002, 50000);
    char err[128];
    ck_assert_int_eq(schedule_check(&s, err, sizeof err), 0);
    ck_assert_double_eq_tol(schedule_rate(&s, 0), 0.1, 1e-17);     /* the first step: l_0 */
    ck_assert_double_eq(schedule_rate(&s, 49999), 0.002);           /* the last step: l_T */
    ck_assert_double_gt(schedule_rate(&s, 49998), 0.002);
}
END_TEST

/* (ch08:off-by-one): with T = E epochs counted 0 .. E - 1, the last rate is
 * l_T + (l_0 - l_T) (1 + cos(pi (E - 1) / E)) / 2, about
 * l_T + (l_0 - l_T) pi^2 / (4 E^2), never l_T itself. */
START_TEST(test_counting_epochs_misses_the_end)
{
    for (int E = 2; E <= 200; E++) {
        double last = last_rate_counting_epochs(0.1, 0.0, E);
        ck_assert_double_gt(last, 0.0);
        ck_assert_double_eq_tol(last, 0.05 * (1.0 + cos(M_PI * (E - 1) / E)), 1e-17);
        if (E >= 20)
            ck_assert_double_eq_tol(last / (0.1 * M_PI * M_PI / (4.0 * E * E)), 1.0, 0.01);
    }
}
END_TEST

START_TEST(test_program_rejects_bad_schedule)
{
    char err[1024];
    const char *upside[] = { "ch08_cosine", "--lr-min", "5", NULL };
    ck_assert_int_eq(run_program(upside, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--lr-min"));
    ck_assert_ptr_nonnull(strstr(err, "exceeds"));
    const char *negative[] = { "ch08_cosine", "--lr-min", "-0.1", NULL };
    ck_assert_int_eq(run_program(negative, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "non-negative"));
    const char *bad[] = { "ch08_cosine", "--epochs", "0", NULL };
    ck_assert_int_eq(run_program(bad, err, sizeof err), 2);
}
END_TEST

START_TEST(test_program_is_deterministic)
{
    const char *args[] = { "ch08_cosine", "--epochs", "2", "--limit", "100", NULL };
    const char *files[] = { "numbers.tex", "schedules.dat", "runs_table.tex", "run_cosine_0.1.dat" };
    check_program_deterministic(args, files, 4);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch08_cosine");
    TCase *tc = tcase_create("schedule");
    tcase_add_test(tc, test_run_schedule_endpoints);
    tcase_add_test(tc, test_counting_epochs_misses_the_end);
    suite_add_tcase(s, tc);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 60);
    tcase_add_test(program, test_program_rejects_bad_schedule);
    tcase_add_test(program, test_program_is_deterministic);
    suite_add_tcase(s, program);
    return s;
}
