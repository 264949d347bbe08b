/* check_verdict.c - every rule the book's verdicts come from, on a
 * constructed case for each of its outcomes, and the line it writes. */
#include "kit_test.h"
#include "lib/verdict.h"

#include <stdlib.h>
#include <string.h>

static void assert_outcome(const char *got, const char *expected, const char *what)
{
    ck_assert_msg(strcmp(got, expected) == 0, "%s: got '%s', expected '%s'", what, got, expected);
}

/* Intervals wholly above 0, wholly below, holding 0, and one seed only.
 * (The intervals are given, not computed: paired_difference is a graded
 * region, and these rules must not depend on a student's code.) */
START_TEST(test_paired_outcomes)
{
    PairedDifference above = { .n = 5, .mean = 3.0, .low = 1.04, .high = 4.96 };
    PairedDifference below = { .n = 5, .mean = -3.0, .low = -4.96, .high = -1.04 };
    PairedDifference across = { .n = 3, .mean = 0.0, .low = -2.48, .high = 2.48 };
    PairedDifference one = { .n = 1, .mean = 1.0, .low = NAN, .high = NAN };
    assert_outcome(paired_verdict(above), "higher", "paired_verdict of [+1.04, +4.96]");
    assert_outcome(paired_verdict(below), "lower", "paired_verdict of [-4.96, -1.04]");
    assert_outcome(paired_verdict(across), "no difference", "paired_verdict of [-2.48, +2.48] (it holds 0)");
    assert_outcome(paired_verdict(one), "too few runs", "paired_verdict: one seed has no interval");
}
END_TEST

/* Ten balanced classes: the largest share is 10 %; 15 % is at chance, 15.1 % above. */
START_TEST(test_chance_outcomes)
{
    unsigned char labels[20];
    for (int i = 0; i < 20; i++)
        labels[i] = (unsigned char)(i % 10);
    assert_close(largest_class_share(labels, 20), 10.0, 1e-12, "largest_class_share of 0..9 twice");
    labels[0] = 1;   /* class 1 now has 3 of 20 */
    assert_close(largest_class_share(labels, 20), 15.0, 1e-12, "largest_class_share with one class at 3 of 20");
    assert_outcome(chance_verdict(10.0 + CHANCE_MARGIN, 10.0), "at chance",
                   "chance_verdict: exactly the margin above the largest share");
    assert_outcome(chance_verdict(10.1 + CHANCE_MARGIN, 10.0), "above chance",
                   "chance_verdict: 0.1 points past the margin");
    assert_outcome(chance_verdict(2.0, 10.0), "at chance", "chance_verdict: below the largest share");
    assert_outcome(chance_verdict(NAN, 10.0), "no run finished", "chance_verdict of NaN (every run diverged)");
}
END_TEST

START_TEST(test_diverged_and_agree_outcomes)
{
    assert_outcome(diverged_verdict(0, 5), "none diverged", "diverged_verdict(0 of 5)");
    assert_outcome(diverged_verdict(2, 5), "some diverged", "diverged_verdict(2 of 5)");
    assert_outcome(diverged_verdict(5, 5), "all diverged", "diverged_verdict(5 of 5)");
    assert_outcome(agree_verdict(1.0, 1.0 + 1e-9, 1e-8), "agree", "agree_verdict within the tolerance");
    assert_outcome(agree_verdict(1.0, 1.1, 1e-8), "differ", "agree_verdict 0.1 apart");
    assert_outcome(yesno_verdict(1), "yes", "yesno_verdict(1)");
    assert_outcome(yesno_verdict(0), "no", "yesno_verdict(0)");
}
END_TEST

/* A value against a reference with tolerance 0.001: above, below, inside,
 * and exactly at the tolerance (level). */
START_TEST(test_compare_outcomes)
{
    assert_outcome(compare_verdict(0.4135, 0.4104, 0.001), "higher", "compare_verdict(0.4135, 0.4104, 0.001)");
    assert_outcome(compare_verdict(0.3928, 0.3971, 0.001), "lower", "compare_verdict(0.3928, 0.3971, 0.001)");
    assert_outcome(compare_verdict(0.4107, 0.4104, 0.001), "level", "compare_verdict(0.4107, 0.4104, 0.001)");
    assert_outcome(compare_verdict(2.0, 1.0, 1.0), "level", "compare_verdict(2, 1, 1): exactly at the tolerance");
}
END_TEST

START_TEST(test_monotone_outcomes)
{
    double down[4] = { 4, 3, 3.05, 1 }, up[4] = { 1, 2, 1.95, 4 }, bump[4] = { 1, 3, 2, 4 };
    assert_outcome(monotone_verdict(down, 4, 0.1), "decreasing", "monotone_verdict: 4, 3, 3.05, 1 (a rise within tol 0.1)");
    assert_outcome(monotone_verdict(down, 4, 0.01), "not monotone", "monotone_verdict: the same with tol 0.01");
    assert_outcome(monotone_verdict(up, 4, 0.1), "increasing", "monotone_verdict: 1, 2, 1.95, 4");
    assert_outcome(monotone_verdict(bump, 4, 0.1), "not monotone", "monotone_verdict: 1, 3, 2, 4");
}
END_TEST

/* Curves with a known number of minima: a U, a double descent still
 * falling at its edge, two valleys, a plateau, and noise below the tolerance. */
START_TEST(test_minima_counts)
{
    int edge;
    double u[7] = { 5, 3, 1, 0.5, 1, 3, 5 };
    assert_int(count_minima(u, 7, 0.1, &edge), ==, 1, "count_minima of a U");
    assert_int(edge, ==, 0, "a U is not falling at its right edge");
    assert_outcome(minima_verdict(1), "one minimum", "minima_verdict(1)");

    double dd[8] = { 5, 2, 1, 3, 9, 4, 2, 1.5 };   /* minimum at 2, peak at 4, falling to the end */
    assert_int(count_minima(dd, 8, 0.1, &edge), ==, 1, "count_minima of a double descent cut off at its edge");
    assert_int(edge, ==, 1, "the double descent is still falling at its right edge");

    double two[7] = { 3, 1, 3, 5, 3, 1.2, 3 };
    assert_int(count_minima(two, 7, 0.1, &edge), ==, 2, "count_minima of two valleys");
    assert_outcome(minima_verdict(2), "two minima", "minima_verdict(2)");

    double flat[6] = { 3, 1, 1, 1, 3, 3 };
    assert_int(count_minima(flat, 6, 0.1, &edge), ==, 1, "count_minima: a flat bottom is one minimum");

    double noisy[6] = { 1.00, 1.02, 0.99, 1.01, 0.98, 1.00 };
    assert_int(count_minima(noisy, 6, 0.05, &edge), ==, 0, "count_minima: wiggles below tol are no minima");
    assert_int(edge, ==, 0, "the noisy curve is not falling at its edge");
    assert_outcome(minima_verdict(0), "no minimum", "minima_verdict(0)");
    assert_outcome(minima_verdict(4), "several minima", "minima_verdict(4)");
}
END_TEST

/* The line verdict_put writes: the outcome and every outcome of the rule. */
START_TEST(test_verdict_line)
{
    Numbers nb = { 0 };
    nb.fp = open_memstream(&nb.text, &nb.size);
    verdict_put(&nb, "ch00.demo", &PAIRED_RULE, "no difference");
    fclose(nb.fp);
    const char *want = "\\kitoutcome{ch00.demo}{no difference}{higher|lower|no difference|too few runs}\n";
    ck_assert_msg(strcmp(nb.text, want) == 0, "verdict_put wrote '%s', expected '%s'", nb.text, want);
    free(nb.text);
}
END_TEST

/* paired_put: the interval's ends to the decimals asked for and the
 * verdict; with one seed, dashes and "too few runs". */
START_TEST(test_paired_lines)
{
    PairedDifference up = { .n = 5, .mean = 3.0, .low = 1.0371, .high = 4.9629 };
    PairedDifference one = { .n = 1, .mean = 1.0, .low = NAN, .high = NAN };
    Numbers nb = { 0 };
    nb.fp = open_memstream(&nb.text, &nb.size);
    paired_put(&nb, "ch00.up", up, 2);
    paired_put(&nb, "ch00.one", one, 2);
    fclose(nb.fp);
    const char *want[] = { "\\kitnumber{ch00.up.mean}{+3.00}", "\\kitnumber{ch00.up.low}{+1.04}",
                           "\\kitnumber{ch00.up.high}{+4.96}", "\\kitoutcome{ch00.up.verdict}{higher}",
                           "\\kitnumber{ch00.one.mean}{--}", "\\kitoutcome{ch00.one.verdict}{too few runs}" };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(nb.text, want[i]) != NULL, "paired_put wrote '%s'; it should hold '%s'",
                      nb.text, want[i]);
    free(nb.text);
}
END_TEST

/* Equal when printed: 100.0 and 99.96 both print as 100.0 to one decimal;
 * 99.94 prints as 99.9. */
START_TEST(test_same_when_printed)
{
    ck_assert_msg(same_when_printed(100.0, 100.0, 1), "100.0 and 100.0 print alike");
    ck_assert_msg(same_when_printed(100.0, 99.96, 1), "100.0 and 99.96 print alike to one decimal");
    ck_assert_msg(!same_when_printed(100.0, 99.94, 1), "100.0 and 99.94 differ to one decimal");
    ck_assert_msg(!same_when_printed(99.96, 100.0, 2), "99.96 and 100.00 differ to two decimals");
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("verdict");
    TCase *tc = tcase_create("verdict");
    tcase_add_test(tc, test_paired_outcomes);
    tcase_add_test(tc, test_chance_outcomes);
    tcase_add_test(tc, test_diverged_and_agree_outcomes);
    tcase_add_test(tc, test_compare_outcomes);
    tcase_add_test(tc, test_monotone_outcomes);
    tcase_add_test(tc, test_minima_counts);
    tcase_add_test(tc, test_verdict_line);
    tcase_add_test(tc, test_paired_lines);
    tcase_add_test(tc, test_same_when_printed);
    suite_add_tcase(s, tc);
    return s;
}
