/* check_stats.c - summaries of repeated runs against values worked out by
 * hand. */
#include "kit_test.h"
#include "lib/stats.h"

/* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations summing to 32, so the
 * sample standard deviation is sqrt(32 / 7). */
START_TEST(test_summary_closed_form)
{
    double v[8] = { 2, 4, 4, 4, 5, 5, 7, 9 };
    Summary s = summarize(v, 8);
    assert_close(s.mean, 5.0, 1e-15, "summarize(2, 4, 4, 4, 5, 5, 7, 9): the mean");
    assert_close(s.sd, sqrt(32.0 / 7.0), 1e-15, "summarize(2, 4, 4, 4, 5, 5, 7, 9): the sample "
                 "standard deviation, sqrt(32 / 7)");
    assert_equal(s.min, 2.0, "summarize(...): the smallest value");
    assert_equal(s.max, 9.0, "summarize(...): the largest value");
    assert_int(s.n, ==, 8, "summarize(...): the count");
}
END_TEST

START_TEST(test_single_value)
{
    double v[1] = { 0.25 };
    Summary s = summarize(v, 1);
    assert_equal(s.mean, 0.25, "summarize(0.25): the mean");
    assert_equal(s.sd, 0.0, "summarize(0.25): one value has no spread");
}
END_TEST

/* Differences 1, 2, 3, 4, 5: mean 3, sd sqrt(10 / 4), and the interval
 * 3 +- t_4 sqrt(2.5) / sqrt(5) with t_4 = 2.776.
 * @checks eq:ch09-paired
 * @asserts differences $1, \dots, 5$ give $\bar u = 3$, $s_u = \sqrt{2.5}$
 *   and the interval $3 \pm 2.776\sqrt{2.5}/\sqrt 5$; equal offsets give a
 *   one-point interval
 * @tolerance 1e-14 absolute for $\bar u$, $s_u$; 1e-12 for the interval */
START_TEST(test_paired_difference_closed_form)
{
    double a[5] = { 11, 12, 13, 14, 15 }, b[5] = { 10, 10, 10, 10, 10 };
    PairedDifference d = paired_difference(a, b, 5);
    double half = 2.776 * sqrt(2.5) / sqrt(5.0);
    assert_close(d.mean, 3.0, 1e-14, "paired_difference (eq:ch09-paired) of (11, ..., 15) and "
                 "(10, ..., 10): the mean difference");
    assert_close(d.sd, sqrt(2.5), 1e-14, "paired_difference: the standard deviation of the differences");
    assert_close(d.low, 3.0 - half, 1e-12, "paired_difference: the interval's lower end, "
                 "mean - t_4 sd / sqrt(5)");
    assert_close(d.high, 3.0 + half, 1e-12, "paired_difference: the interval's upper end");
    /* The same offsets in both: no spread, the interval is one point. */
    double c[3] = { 0.5, 0.7, 0.9 }, e[3] = { 0.4, 0.6, 0.8 };
    d = paired_difference(c, e, 3);
    assert_close(d.low, 0.1, 1e-12, "paired_difference of runs that differ by 0.1 on every seed: "
                 "the lower end");
    assert_close(d.high, 0.1, 1e-12, "the same: the upper end");
}
END_TEST

/* The 97.5 % quantiles of Student's t from the table.
 * @checks eq:ch09-paired
 * @asserts $t_{0.975,\,r-1}$ is 12.706, 2.776 and 2.042 for 1, 4 and 30
 *   degrees of freedom, and 1.96 for many
 * @tolerance exact */
START_TEST(test_student_t_quantiles)
{
    assert_equal(student_t_975(1), 12.706, "student_t_975(1), the table's first entry");
    assert_equal(student_t_975(4), 2.776, "student_t_975(4)");
    assert_equal(student_t_975(30), 2.042, "student_t_975(30)");
    assert_equal(student_t_975(1000), 1.96, "student_t_975(1000), the normal quantile");
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");
    tcase_add_test(tc, test_summary_closed_form);
    tcase_add_test(tc, test_single_value);
    tcase_add_test(tc, test_paired_difference_closed_form);
    tcase_add_test(tc, test_student_t_quantiles);
    suite_add_tcase(s, tc);
    return s;
}
