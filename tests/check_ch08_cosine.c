/* check_ch08_cosine.c - chapter 08: the kit's per-step cosine schedule
 * starts at l_0 and ends at l_T; the rates the chapter prints at a few
 * steps are (eq:ch08-cosine); counting epochs as the problem set does
 * ends above l_T; the recovery rule gives each of its outcomes; the
 * program checks its parameters. */
#include <math.h>
#include <string.h>

#include "ch08_cosine.h"
#include "kit_test.h"
#include "lib/todo.h"

/* The run's schedule, T = steps - 1, starts at l_0 and ends at l_T.
 * @checks eq:ch08-cosine, eq:ch08-off-by-one
 * @asserts for 50000 steps from $\lr_0 = 0.1$ to $\lr_T = 0.002$, the
 *   first step's rate is $\lr_0$, the last step's is $\lr_T$ and the one
 *   before it is above $\lr_T$
 * @tolerance 1e-17 absolute at the first step; exact at the last */
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
 * l_T + (l_0 - l_T) pi^2 / (4 E^2), never l_T itself.
 * @checks eq:ch08-off-by-one
 * @asserts for $E = 2, \dots, 200$ epochs the last epoch's rate is above
 *   $\lr_T = 0$, equals the closed form, and (from $E = 20$) its
 *   approximation $\pi^2 \lr_0 / 4E^2$
 * @tolerance 1e-17 absolute; 0.01 relative for the approximation */
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

/* The chapter's table: cosine_rate_points, which asks the library's
 * schedule_rate, against (eq:ch08-cosine) evaluated here, at t = 0, T/4,
 * T/2, 3T/4 (to the nearest step), T - 1 and T with T = steps - 1.
 * @checks eq:ch08-cosine, tab:ch08-points
 * @asserts the table's steps are the nearest to $0, T/4, T/2, 3T/4, T-1, T$,
 *   their rates equal \eqref{eq:ch08-cosine}, exactly $\lr_0$ and $\lr_T$
 *   at the ends; for $T = 8$ the quarter points' values by hand
 * @tolerance 1e-15 absolute; exact at $t = 0$ and $t = T$ */
START_TEST(test_cosine_rate_points)
{
    const struct { double l0, lT; long steps; } runs[] = {
        { 0.1, 0.0, 50000 },   /* the chapter's run: 50 epochs of 1,000 steps */
        { 0.1, 0.002, 50000 },
        { 1.0, 0.01, 9 },      /* T = 8: every point is a whole step */
        { 0.5, 0.5, 101 },     /* l_T = l_0: a constant rate */
    };
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        double l0 = runs[k].l0, lT = runs[k].lT;
        long T = runs[k].steps - 1;
        long t[COSINE_POINTS];
        double rate[COSINE_POINTS];
        cosine_rate_points(l0, lT, runs[k].steps, t, rate);
        const double at[COSINE_POINTS] = { 0, T / 4.0, T / 2.0, 3.0 * T / 4.0, T - 1, T };
        for (int i = 0; i < COSINE_POINTS; i++) {
            assert_double(fabs(t[i] - at[i]), <=, 0.5, "cosine_rate_points(l_0 = %g, l_T = %g, "
                          "%ld steps): point %d is step %ld, expected the step nearest %g",
                          l0, lT, runs[k].steps, i, t[i], at[i]);
            double closed = lT + (l0 - lT) / 2.0 * (1.0 + cos(M_PI * (double)t[i] / (double)T));
            assert_close(rate[i], closed, 1e-15, "cosine_rate_points(l_0 = %g, l_T = %g, %ld "
                         "steps): the rate at t = %ld of T = %ld, against l_T + (l_0 - l_T)/2 "
                         "(1 + cos(pi t / T)), equation (eq:ch08-cosine)", l0, lT, runs[k].steps,
                         t[i], T);
        }
        assert_equal(rate[0], l0, "cosine_rate_points(l_0 = %g, l_T = %g, %ld steps): the rate "
                     "at t = 0, expected l_0", l0, lT, runs[k].steps);
        assert_equal(rate[COSINE_POINTS - 1], lT, "cosine_rate_points(l_0 = %g, l_T = %g, %ld "
                     "steps): the rate at t = T, expected l_T", l0, lT, runs[k].steps);
    }
    /* T = 8: the quarter points are exact, so the closed form's values are
     * known by hand: (1 + cos(pi/4))/2, 1/2, (1 - cos(pi/4))/2 of the way. */
    long t[COSINE_POINTS];
    double rate[COSINE_POINTS];
    cosine_rate_points(1.0, 0.0, 9, t, rate);
    assert_close(rate[1], (1.0 + M_SQRT1_2) / 2.0, 1e-15, "cosine_rate_points(1, 0, 9 steps): "
                 "the rate at t = T/4 = 2, expected (1 + cos(pi/4))/2");
    assert_close(rate[2], 0.5, 1e-15, "cosine_rate_points(1, 0, 9 steps): the rate at t = T/2 "
                 "= 4, expected the mean of l_0 and l_T");
    assert_close(rate[3], (1.0 - M_SQRT1_2) / 2.0, 1e-15, "cosine_rate_points(1, 0, 9 steps): "
                 "the rate at t = 3T/4 = 6, expected (1 - cos(pi/4))/2");
    assert_close(rate[1] + rate[3], 1.0, 1e-15, "cosine_rate_points(1, 0, 9 steps): l_2 + l_6, "
                 "expected l_0 + l_T (the symmetry)");
}
END_TEST

/* The recovery rule on constructed runs: a largest class share of 10 %
 * puts chance at 10 + CHANCE_MARGIN = 15 % and below.
 * @checks sec:ch08-help
 * @asserts on six made-up runs the rule says recovered, ended at chance or
 *   never at chance as defined, and finds the first and last epoch at chance
 * @tolerance exact; a run exactly at the margin is at chance */
START_TEST(test_recovery_rule)
{
    const double share = 10.0, at = 10.0 + CHANCE_MARGIN, above = at + 0.01;
    const double recovered[] = { 40, 12, 9, 30, 60 };
    const double broke_down[] = { 40, 60, 30, 11, 12 };
    const double stayed[] = { 10, 11, 9, 12, at };
    const double never[] = { above, 30, 60, 80, 88 };
    const double nan_epoch[] = { 50, NAN, 60 };
    const double nan_last[] = { 50, 60, NAN };
    struct { const double *acc; int n; const char *outcome; int first, last; } cases[] = {
        { recovered, 5, "recovered", 2, 3 },
        { broke_down, 5, "ended at chance", 4, 5 },
        { stayed, 5, "ended at chance", 1, 5 },
        { never, 5, "never at chance", 0, 0 },
        { nan_epoch, 3, "recovered", 2, 2 },
        { nan_last, 3, "ended at chance", 3, 3 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *got = recovery_verdict(cases[k].acc, cases[k].n, share);
        ck_assert_msg(strcmp(got, cases[k].outcome) == 0, "recovery_verdict of case %zu (largest "
                      "share 10 %%, chance at most %g %%): '%s', expected '%s'", k, at, got,
                      cases[k].outcome);
        assert_int(first_epoch_at_chance(cases[k].acc, cases[k].n, share), ==, cases[k].first,
                   "first_epoch_at_chance of case %zu", k);
        assert_int(last_epoch_at_chance(cases[k].acc, cases[k].n, share), ==, cases[k].last,
                   "last_epoch_at_chance of case %zu", k);
        int known = 0;
        for (int i = 0; RECOVERY_RULE.outcomes[i]; i++)
            known |= strcmp(RECOVERY_RULE.outcomes[i], got) == 0;
        ck_assert_msg(known, "recovery_verdict gave '%s', not an outcome of RECOVERY_RULE", got);
    }
    /* The margin's edge: exactly at it is at chance, just above it is not. */
    const double edge[] = { at, above };
    ck_assert_str_eq(recovery_verdict(edge, 2, share), "recovered");
    ck_assert_str_eq(recovery_verdict(edge, 1, share), "ended at chance");
    ck_assert_str_eq(recovery_verdict(edge + 1, 1, share), "never at chance");
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
    const char *files[] = { "numbers.tex", "schedules.dat", "runs_table.tex", "run_cosine_0.1.dat",
                            "chance.dat" };
    check_program_deterministic(args, files, 5);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch08_cosine");
    TCase *tc = tcase_create("schedule");
    tcase_add_test(tc, test_run_schedule_endpoints);
    tcase_add_test(tc, test_counting_epochs_misses_the_end);
    tcase_add_test(tc, test_cosine_rate_points);
    tcase_add_test(tc, test_recovery_rule);
    suite_add_tcase(s, tc);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 60);
    tcase_add_test(program, test_program_rejects_bad_schedule);
    tcase_add_test(program, test_program_is_deterministic);
    tcase_add_test(program, test_program_ends_with_few_training_images);
    suite_add_tcase(s, program);
    return s;
}
