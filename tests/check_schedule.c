/* check_schedule.c - the learning-rate schedules against chapter 08's
 * closed forms, and their parameter checks. */
#include <math.h>
#include <string.h>

#include "kit_test.h"
#include "lib/schedule.h"

static Schedule cosine(double l0, double lT, long T)
{
    Schedule s = { .kind = SCHEDULE_COSINE, .lr0 = l0, .lr_min = lT, .T = T };
    return s;
}

START_TEST(test_cosine_endpoints_and_midpoint)
{
    Schedule s = cosine(1.0, 0.25, 100);
    ck_assert_double_eq(schedule_rate(&s, 0), 1.0);             /* l_0 */
    ck_assert_double_eq(schedule_rate(&s, 100), 0.25);          /* l_T */
    ck_assert_double_eq_tol(schedule_rate(&s, 50), 0.625, 1e-15);   /* (l_0 + l_T) / 2 */
    ck_assert_double_eq(schedule_rate(&s, 1000), 0.25);         /* stays at l_T */
    Schedule odd = cosine(0.1, 0.001, 7);
    ck_assert_double_eq_tol(schedule_rate(&odd, 0), 0.1, 1e-17);
    ck_assert_double_eq(schedule_rate(&odd, 7), 0.001);
}
END_TEST

START_TEST(test_cosine_monotone)
{
    Schedule s = cosine(0.5, 0.01, 997);
    for (long t = 1; t <= 997; t++)
        ck_assert_double_le(schedule_rate(&s, t), schedule_rate(&s, t - 1));
}
END_TEST

/* l_t + l_{T-t} = l_0 + l_T, since cos(pi - x) = -cos(x). */
START_TEST(test_cosine_symmetry)
{
    Schedule s = cosine(0.3, 0.02, 500);
    for (long t = 0; t <= 500; t++)
        ck_assert_double_eq_tol(schedule_rate(&s, t) + schedule_rate(&s, 500 - t), 0.32, 1e-15);
}
END_TEST

/* The decay is fastest at t = T/2, where |dl/dt| = pi (l_0 - l_T) / 2T. */
START_TEST(test_cosine_fastest_at_midpoint)
{
    Schedule s = cosine(1.0, 0.0, 1000);
    long fastest = 0;
    double steepest = 0.0;
    for (long t = 0; t < 1000; t++) {
        double drop = schedule_rate(&s, t) - schedule_rate(&s, t + 1);
        if (drop > steepest) {
            steepest = drop;
            fastest = t;
        }
    }
    ck_assert(fastest == 499 || fastest == 500);
    ck_assert_double_eq_tol(steepest, M_PI / 2000.0, 1e-8);
}
END_TEST

START_TEST(test_warm_restarts)
{
    Schedule s = { .kind = SCHEDULE_COSINE_RESTARTS, .lr0 = 1.0, .lr_min = 0.0, .T = 10, .mult = 2 };
    /* Periods of 10, 20, 40: restarts at t = 10, 30, 70. */
    const long restarts[] = { 0, 10, 30, 70 };
    for (int i = 0; i < 4; i++) {
        ck_assert_double_eq(schedule_rate(&s, restarts[i]), 1.0);
        if (i > 0)
            ck_assert_double_lt(schedule_rate(&s, restarts[i] - 1), 0.05);
    }
    ck_assert_double_eq_tol(schedule_rate(&s, 5), 0.5, 1e-15);    /* mid first period */
    ck_assert_double_eq_tol(schedule_rate(&s, 20), 0.5, 1e-15);   /* mid second */
    ck_assert_double_eq_tol(schedule_rate(&s, 50), 0.5, 1e-15);   /* mid third */
    Schedule same = { .kind = SCHEDULE_COSINE_RESTARTS, .lr0 = 1.0, .lr_min = 0.0, .T = 10, .mult = 1 };
    for (long t = 0; t < 50; t++)
        ck_assert_double_eq(schedule_rate(&same, t), schedule_rate(&same, t % 10));
}
END_TEST

START_TEST(test_step_and_constant)
{
    Schedule st = { .kind = SCHEDULE_STEP, .lr0 = 0.8, .step_size = 10, .gamma = 0.5 };
    ck_assert_double_eq(schedule_rate(&st, 0), 0.8);
    ck_assert_double_eq(schedule_rate(&st, 9), 0.8);
    ck_assert_double_eq(schedule_rate(&st, 10), 0.4);
    ck_assert_double_eq(schedule_rate(&st, 25), 0.2);
    Schedule c = { .kind = SCHEDULE_CONSTANT, .lr0 = 0.1 };
    ck_assert_double_eq(schedule_rate(&c, 12345), 0.1);
}
END_TEST

START_TEST(test_bad_parameters)
{
    char err[256];
    Schedule zero_T = cosine(0.1, 0.0, 0);
    ck_assert_int_ne(schedule_check(&zero_T, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "T = 0"));
    Schedule negative = cosine(-0.1, 0.0, 10);
    ck_assert_int_ne(schedule_check(&negative, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "l_0"));
    Schedule upside_down = cosine(0.1, 0.2, 10);
    ck_assert_int_ne(schedule_check(&upside_down, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "exceeds"));
    Schedule bad_mult = { .kind = SCHEDULE_COSINE_RESTARTS, .lr0 = 1, .T = 10, .mult = 1.5 };
    ck_assert_int_ne(schedule_check(&bad_mult, err, sizeof err), 0);
    Schedule bad_gamma = { .kind = SCHEDULE_STEP, .lr0 = 1, .step_size = 10, .gamma = 1.5 };
    ck_assert_int_ne(schedule_check(&bad_gamma, err, sizeof err), 0);
    Schedule good = cosine(0.1, 0.0, 10);
    ck_assert_int_eq(schedule_check(&good, err, sizeof err), 0);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("schedule");
    TCase *tc = tcase_create("schedule");
    tcase_add_test(tc, test_cosine_endpoints_and_midpoint);
    tcase_add_test(tc, test_cosine_monotone);
    tcase_add_test(tc, test_cosine_symmetry);
    tcase_add_test(tc, test_cosine_fastest_at_midpoint);
    tcase_add_test(tc, test_warm_restarts);
    tcase_add_test(tc, test_step_and_constant);
    tcase_add_test(tc, test_bad_parameters);
    suite_add_tcase(s, tc);
    return s;
}
