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

Suite *test_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");
    tcase_add_test(tc, test_summary_closed_form);
    tcase_add_test(tc, test_single_value);
    suite_add_tcase(s, tc);
    return s;
}
