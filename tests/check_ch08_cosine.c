/* check_ch08_cosine.c - chapter 08: the kit's per-step cosine schedule
 * starts at l_0 and ends at l_T; counting epochs as the problem set does
 * ends above l_T; the program checks its parameters. */
#include <math.h>
#include <string.h>

#include "ch08_cosine.h"
#include "kit_test.h"
#include "lib/todo.h"

START_TEST(test_run_schedule_endpoints)
{
    Schedule s = cosine_for_run(0.1, 0.002, 50000);
    char err[128] = "";
    ck_assert_msg(schedule_check(&s, err, sizeof err) == 0, "schedule_check of "
                  "cosine_for_run(0.1, 0.002, 50000 steps): %s", err);
    assert_close(schedule_rate(&s, 0), 0.1, 1e-17, "cosine_for_run(l_0 = 0.1, l_T = 0.002, 50000 "
                 "steps) (T = %ld): schedule_rate at the first step t = 0, expected l_0", s.T);
    assert_equal(schedule_rate(&s, 49999), 0.002, "cosine_for_run(l_0 = 0.1, l_T = 0.002, 50000 "
                 "steps) (T = %ld): schedule_rate at the last step t = 49999, expected l_T", s.T);
    assert_double(schedule_rate(&s, 49998), >, 0.002, "cosine_for_run(l_0 = 0.1, l_T = 0.002, "
                  "50000 steps) (T = %ld): schedule_rate at the step before the last, t = 49998",
                  s.T);
}
END_TEST

/* (eq:ch08-off-by-one): with T = E epochs counted 0 .. E - 1, the last rate is
 * l_T + (l_0 - l_T) (1 + cos(pi (E - 1) / E)) / 2, about
 * l_T + (l_0 - l_T) pi^2 / (4 E^2), never l_T itself. */
START_TEST(test_counting_epochs_misses_the_end)
{
    for (int E = 2; E <= 200; E++) {
        double last = last_rate_counting_epochs(0.1, 0.0, E);
        assert_double(last, >, 0.0, "last_rate_counting_epochs(l_0 = 0.1, l_T = 0, E = %d): the "
                      "rate at t = E - 1 with T = E, equation (eq:ch08-off-by-one)", E);
        assert_close(last, 0.05 * (1.0 + cos(M_PI * (E - 1) / E)), 1e-17,
                     "last_rate_counting_epochs(l_0 = 0.1, l_T = 0, E = %d) against l_T + (l_0 - "
                     "l_T) (1 + cos(pi (E - 1) / E)) / 2, equation (eq:ch08-off-by-one)", E);
        if (E >= 20)
            assert_close(last / (0.1 * M_PI * M_PI / (4.0 * E * E)), 1.0, 0.01,
                         "last_rate_counting_epochs(l_0 = 0.1, l_T = 0, E = %d) = %s over its "
                         "approximation (l_0 - l_T) pi^2 / (4 E^2)", E, format_number(last));
    }
}
END_TEST

START_TEST(test_program_rejects_bad_schedule)
{
    char err[1024];
    const char *upside[] = { "ch08_cosine", "--lr-min", "5", NULL };
    assert_exit_status(upside, err, sizeof err, 2);
    assert_stderr_has(upside, err, "--lr-min");
    assert_stderr_has(upside, err, "exceeds");
    const char *negative[] = { "ch08_cosine", "--lr-min", "-0.1", NULL };
    assert_exit_status(negative, err, sizeof err, 2);
    assert_stderr_has(negative, err, "non-negative");
    const char *bad[] = { "ch08_cosine", "--epochs", "0", NULL };
    assert_exit_status(bad, err, sizeof err, 2);
}
END_TEST

/* Fewer than 20 training images make an epoch shorter than the schedule
 * figure's 20 points: the program must still end.  In the handout it may
 * end at the first region not written yet (EXIT_TODO, lib/todo.h); in the
 * kit it must succeed. */
START_TEST(test_program_ends_with_few_training_images)
{
    char err[2048], dir[256];
    make_temp_dir(dir, sizeof dir);
    const char *argv[] = { "ch08_cosine", "--limit", "5", "--epochs", "1", "--out", dir, NULL };
    int status = run_program(argv, err, sizeof err);
    ck_assert_msg(status == 0 || status == EXIT_TODO, "%s: exit status %d, expected 0; stderr: %s",
                  format_command(argv), status, err);
    remove_temp_dir(dir);
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
    tcase_add_test(program, test_program_ends_with_few_training_images);
    suite_add_tcase(s, program);
    return s;
}
