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

/* "cosine schedule l_0 = 1, l_T = 0.25, T = 100", for a failure message. */
static const char *describe(const Schedule *s)
{
    switch (s->kind) {
    case SCHEDULE_COSINE:
        return format_text("cosine schedule (cosine_rate) l_0 = %s, l_T = %s, T = %ld",
                           format_number(s->lr0), format_number(s->lr_min), s->T);
    case SCHEDULE_COSINE_RESTARTS:
        return format_text("cosine schedule with warm restarts (cosine_rate) l_0 = %s, l_T = %s, "
                           "T = %ld, period multiplier %g", format_number(s->lr0),
                           format_number(s->lr_min), s->T, s->mult);
    case SCHEDULE_STEP:
        return format_text("step schedule l_0 = %s, step size %ld, gamma %g", format_number(s->lr0),
                           s->step_size, s->gamma);
    case SCHEDULE_CONSTANT:
        return format_text("constant schedule l_0 = %s", format_number(s->lr0));
    }
    return "unknown schedule";
}

/* The three values: l_0 at t = 0, the mean at T/2, l_T at T and after.
 * @checks eq:ch08-cosine
 * @asserts the rate is $\lr_0$ at $t = 0$, $\lr_T$ at $t = T$ and beyond,
 *   and $(\lr_0 + \lr_T)/2$ at $t = T/2$, for $T = 100$ and $T = 7$
 * @tolerance exact at $t = T$; 1e-15 absolute at $T/2$; 1e-17 at $t = 0$ for $T = 7$ */
START_TEST(test_cosine_endpoints_and_midpoint)
{
    Schedule s = cosine(1.0, 0.25, 100);
    assert_equal(schedule_rate(&s, 0), 1.0, "%s: schedule_rate at t = 0, expected l_0", describe(&s));
    assert_equal(schedule_rate(&s, 100), 0.25, "%s: schedule_rate at t = T, expected l_T",
                 describe(&s));
    assert_close(schedule_rate(&s, 50), 0.625, 1e-15, "%s: schedule_rate at t = T/2 = 50, expected "
                 "(l_0 + l_T) / 2", describe(&s));
    assert_equal(schedule_rate(&s, 1000), 0.25, "%s: schedule_rate at t = 1000 > T, expected to "
                 "stay at l_T", describe(&s));
    Schedule odd = cosine(0.1, 0.001, 7);
    assert_close(schedule_rate(&odd, 0), 0.1, 1e-17, "%s: schedule_rate at t = 0, expected l_0",
                 describe(&odd));
    assert_equal(schedule_rate(&odd, 7), 0.001, "%s: schedule_rate at t = T, expected l_T",
                 describe(&odd));
}
END_TEST

/* The rate never rises.
 * @checks eq:ch08-cosine
 * @asserts $\lr_t \le \lr_{t-1}$ at every step of a schedule over $T = 997$ steps
 * @tolerance exact */
START_TEST(test_cosine_monotone)
{
    Schedule s = cosine(0.5, 0.01, 997);
    for (long t = 1; t <= 997; t++)
        assert_double(schedule_rate(&s, t), <=, schedule_rate(&s, t - 1), "%s: schedule_rate at "
                      "t = %ld must not exceed that at t - 1", describe(&s), t);
}
END_TEST

/* l_t + l_{T-t} = l_0 + l_T, since cos(pi - x) = -cos(x).
 * @checks sec:ch08-properties
 * @asserts $\lr_t + \lr_{T-t} = \lr_0 + \lr_T$ at every $t$ of a schedule over $T = 500$ steps
 * @tolerance 1e-15 absolute */
START_TEST(test_cosine_symmetry)
{
    Schedule s = cosine(0.3, 0.02, 500);
    for (long t = 0; t <= 500; t++)
        assert_close(schedule_rate(&s, t) + schedule_rate(&s, 500 - t), 0.32, 1e-15,
                     "%s: l_t + l_{T-t} at t = %ld (l_t = %s, l_{T-t} = %s), expected l_0 + l_T",
                     describe(&s), t, format_number(schedule_rate(&s, t)),
                     format_number(schedule_rate(&s, 500 - t)));
}
END_TEST

/* The decay is fastest at t = T/2, where |dl/dt| = pi (l_0 - l_T) / 2T.
 * @checks sec:ch08-properties
 * @asserts over $T = 1000$ steps the largest drop $\lr_t - \lr_{t+1}$ is at
 *   $t = T/2$ (to one step) and equals $\pi(\lr_0 - \lr_T)/2T$
 * @tolerance 1e-8 absolute */
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
    ck_assert_msg(fastest == 499 || fastest == 500, "%s: the largest drop l_t - l_{t+1} is at "
                  "t = %ld, expected t = 499 or 500 (T/2)", describe(&s), fastest);
    assert_close(steepest, M_PI / 2000.0, 1e-8, "%s: the largest drop l_t - l_{t+1} (at t = %ld), "
                 "expected pi (l_0 - l_T) / 2T", describe(&s), fastest);
}
END_TEST

/* Warm restarts: periods T_0, m T_0, m^2 T_0, ...
 * @checks sec:ch08-restarts
 * @asserts with $T_0 = 10$, $m = 2$ the rate jumps back to $\lr_0$ at steps
 *   10, 30, 70, is the mean mid-period, and with $m = 1$ repeats every period
 * @tolerance exact at restarts; 1e-15 absolute mid-period */
START_TEST(test_warm_restarts)
{
    Schedule s = { .kind = SCHEDULE_COSINE_RESTARTS, .lr0 = 1.0, .lr_min = 0.0, .T = 10, .mult = 2 };
    /* Periods of 10, 20, 40: restarts at t = 10, 30, 70. */
    const long restarts[] = { 0, 10, 30, 70 };
    for (int i = 0; i < 4; i++) {
        assert_equal(schedule_rate(&s, restarts[i]), 1.0, "%s: schedule_rate at the restart "
                     "t = %ld, expected l_0", describe(&s), restarts[i]);
        if (i > 0)
            assert_double(schedule_rate(&s, restarts[i] - 1), <, 0.05, "%s: schedule_rate at "
                          "t = %ld, the step before a restart", describe(&s), restarts[i] - 1);
    }
    assert_close(schedule_rate(&s, 5), 0.5, 1e-15, "%s: schedule_rate at t = 5, mid first period "
                 "(0 to 10)", describe(&s));
    assert_close(schedule_rate(&s, 20), 0.5, 1e-15, "%s: schedule_rate at t = 20, mid second "
                 "period (10 to 30)", describe(&s));
    assert_close(schedule_rate(&s, 50), 0.5, 1e-15, "%s: schedule_rate at t = 50, mid third "
                 "period (30 to 70)", describe(&s));
    Schedule same = { .kind = SCHEDULE_COSINE_RESTARTS, .lr0 = 1.0, .lr_min = 0.0, .T = 10, .mult = 1 };
    for (long t = 0; t < 50; t++)
        assert_equal(schedule_rate(&same, t), schedule_rate(&same, t % 10), "%s: schedule_rate at "
                     "t = %ld against t mod 10 = %ld (every period the same)", describe(&same), t,
                     t % 10);
}
END_TEST

/* Step decay halves the rate every step_size steps; a constant stays.
 * @checks fig:ch08-schedules
 * @asserts step decay by $\gamma = 0.5$ every 10 steps gives 0.8, 0.8, 0.4,
 *   0.2 at steps 0, 9, 10, 25; a constant rate stays $\lr_0$
 * @tolerance exact */
START_TEST(test_step_and_constant)
{
    Schedule st = { .kind = SCHEDULE_STEP, .lr0 = 0.8, .step_size = 10, .gamma = 0.5 };
    const long t_step[4] = { 0, 9, 10, 25 };
    const double l_step[4] = { 0.8, 0.8, 0.4, 0.2 };
    for (int i = 0; i < 4; i++)
        assert_equal(schedule_rate(&st, t_step[i]), l_step[i], "%s: schedule_rate at t = %ld",
                     describe(&st), t_step[i]);
    Schedule c = { .kind = SCHEDULE_CONSTANT, .lr0 = 0.1 };
    assert_equal(schedule_rate(&c, 12345), 0.1, "%s: schedule_rate at t = 12345", describe(&c));
}
END_TEST

START_TEST(test_bad_parameters)
{
    char err[256] = "";
    Schedule zero_T = cosine(0.1, 0.0, 0);
    ck_assert_msg(schedule_check(&zero_T, err, sizeof err) != 0, "schedule_check must reject the %s",
                  describe(&zero_T));
    ck_assert_msg(strstr(err, "T = 0") != NULL, "schedule_check of the %s: the message should say "
                  "'T = 0'; it was: %s", describe(&zero_T), err);
    Schedule negative = cosine(-0.1, 0.0, 10);
    ck_assert_msg(schedule_check(&negative, err, sizeof err) != 0, "schedule_check must reject the "
                  "%s", describe(&negative));
    ck_assert_msg(strstr(err, "l_0") != NULL, "schedule_check of the %s: the message should name "
                  "'l_0'; it was: %s", describe(&negative), err);
    Schedule upside_down = cosine(0.1, 0.2, 10);
    ck_assert_msg(schedule_check(&upside_down, err, sizeof err) != 0, "schedule_check must reject "
                  "the %s", describe(&upside_down));
    ck_assert_msg(strstr(err, "exceeds") != NULL, "schedule_check of the %s: the message should say "
                  "'exceeds'; it was: %s", describe(&upside_down), err);
    Schedule bad_mult = { .kind = SCHEDULE_COSINE_RESTARTS, .lr0 = 1, .T = 10, .mult = 1.5 };
    ck_assert_msg(schedule_check(&bad_mult, err, sizeof err) != 0, "schedule_check must reject the "
                  "%s (not a whole number)", describe(&bad_mult));
    Schedule bad_gamma = { .kind = SCHEDULE_STEP, .lr0 = 1, .step_size = 10, .gamma = 1.5 };
    ck_assert_msg(schedule_check(&bad_gamma, err, sizeof err) != 0, "schedule_check must reject the "
                  "%s (gamma above 1)", describe(&bad_gamma));
    Schedule good = cosine(0.1, 0.0, 10);
    ck_assert_msg(schedule_check(&good, err, sizeof err) == 0, "schedule_check must accept the %s; "
                  "it said: %s", describe(&good), err);
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
