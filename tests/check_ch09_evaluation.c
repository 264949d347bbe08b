/* check_ch09_evaluation.c - chapter 09: the confusion matrix, each class's
 * scores and the calibration error on hand-made predictions with known
 * answers, and the sweep's bookkeeping. */
#include <math.h>
#include <string.h>

#include "ch09_evaluation.h"
#include "kit_test.h"
#include "lib/metrics.h"
#include "lib/stats.h"

/* Three classes, eight samples:
 *   truth     0 0 0 1 1 2 2 2
 *   predicted 0 0 1 1 2 2 2 0
 * so row 0 is (2, 1, 0), row 1 (0, 1, 1), row 2 (1, 0, 2). */
static const unsigned char TRUTH[8] = { 0, 0, 0, 1, 1, 2, 2, 2 };
static const unsigned char PREDICTED[8] = { 0, 0, 1, 1, 2, 2, 2, 0 };

/* @checks eq:ch09-confusion
 * @asserts every count of the $3 \times 3$ confusion matrix of eight
 *   hand-made predictions
 * @tolerance exact */
START_TEST(test_confusion_matrix)
{
    long counts[9];
    confusion_matrix(8, 3, TRUTH, PREDICTED, counts);
    long want[9] = { 2, 1, 0, 0, 1, 1, 1, 0, 2 };
    for (int i = 0; i < 9; i++)
        assert_int(counts[i], ==, want[i], "confusion_matrix (eq:ch09-confusion) of truth (0 0 0 1 1 "
                   "2 2 2) and predictions (0 0 1 1 2 2 2 0): row %d (true class), column %d "
                   "(predicted)", i / 3, i % 3);
}
END_TEST

/* Class 0: TP 2, FN 1, FP 1, TN 4: precision 2/3, recall 2/3, accuracy
 * 6/8.  Class 1: TP 1, FN 1, FP 1, TN 5.  A class never predicted has no
 * precision.
 * @checks eq:ch09-scores
 * @asserts precision, recall and one-against-the-rest accuracy of two classes
 *   of the hand-made matrix; a class never predicted nor true has neither
 * @tolerance 1e-15 absolute */
START_TEST(test_class_scores)
{
    long counts[9];
    confusion_matrix(8, 3, TRUTH, PREDICTED, counts);
    ClassScores s0 = class_scores(3, counts, 0), s1 = class_scores(3, counts, 1);
    assert_close(s0.precision, 2.0 / 3, 1e-15, "class_scores (eq:ch09-scores), class 0: precision "
                 "TP / (TP + FP) = 2 / 3");
    assert_close(s0.recall, 2.0 / 3, 1e-15, "class_scores, class 0: recall TP / (TP + FN) = 2 / 3");
    assert_close(s0.accuracy, 6.0 / 8, 1e-15, "class_scores, class 0: (TP + TN) / n = 6 / 8");
    assert_close(s1.precision, 0.5, 1e-15, "class_scores, class 1: precision 1 / 2");
    assert_close(s1.recall, 0.5, 1e-15, "class_scores, class 1: recall 1 / 2");
    assert_close(s1.accuracy, 6.0 / 8, 1e-15, "class_scores, class 1: (1 + 5) / 8");
    long never[4] = { 3, 0, 0, 0 };             /* class 1 is never predicted, never true */
    ClassScores s = class_scores(2, never, 1);
    ck_assert_msg(isnan(s.precision) && isnan(s.recall), "class_scores of a class that is never "
                  "predicted and never true: precision and recall should be NaN, got %s and %s",
                  format_number(s.precision), format_number(s.recall));
}
END_TEST

/* Four predictions in ten bins: 0.95 right and 0.95 wrong (bin 9:
 * accuracy 1/2, confidence 0.95), 0.55 right (bin 5), 0.15 wrong (bin 1):
 * ECE = 2/4 0.45 + 1/4 0.45 + 1/4 0.15 = 0.375.  A confidence of exactly
 * 1 falls in the last bin.
 * @checks eq:ch09-ece
 * @asserts four hand-made predictions give ECE 0.375 and the top bin's
 *   count, accuracy and confidence; two right ones at confidence 1 give 0
 * @tolerance 1e-15 absolute */
START_TEST(test_calibration_error)
{
    double confidence[4] = { 0.95, 0.95, 0.55, 0.15 }, mean[10], acc[10];
    unsigned char correct[4] = { 1, 0, 1, 0 };
    long count[10];
    double ece = calibration(4, confidence, correct, 10, count, mean, acc);
    assert_close(ece, 0.375, 1e-15, "calibration (eq:ch09-ece) of confidences (0.95, 0.95, 0.55, 0.15), "
                 "right (1, 0, 1, 0), ten bins: the expected calibration error");
    assert_int(count[9], ==, 2, "calibration: the images in bin 9, [0.9, 1]");
    assert_close(acc[9], 0.5, 1e-15, "calibration: the accuracy of bin 9");
    assert_close(mean[9], 0.95, 1e-15, "calibration: the mean confidence of bin 9");
    ck_assert_msg(isnan(acc[0]), "calibration: an empty bin's accuracy should be NaN, got %s",
                  format_number(acc[0]));
    double sure[2] = { 1.0, 1.0 };
    unsigned char both[2] = { 1, 1 };
    assert_close(calibration(2, sure, both, 10, count, mean, acc), 0.0, 1e-15, "calibration of two "
                 "right predictions of confidence 1: perfectly calibrated");
    assert_int(count[9], ==, 2, "calibration: confidence 1 belongs to the last bin");
}
END_TEST

/* Every (network, schedule, rate) has one cell, and each cell knows its
 * own indices.
 * @checks tab:ch09-sweep
 * @asserts every network, schedule and rate of the sweep has exactly one
 *   cell, which holds its own indices
 * @tolerance exact */
START_TEST(test_sweep_cells_once_each)
{
    SweepCell cells[SWEEP_CELLS];
    sweep_init(cells, 5);
    int seen[SWEEP_CELLS] = { 0 };
    for (int a = 0; a < SWEEP_ARCHS; a++)
        for (int s = 0; s < SWEEP_SCHEDULES; s++)
            for (int r = 0; r < SWEEP_RATES; r++) {
                int i = sweep_index(a, s, r);
                ck_assert_msg(i >= 0 && i < SWEEP_CELLS, "sweep_index(%d, %d, %d) = %d is outside the "
                              "sweep's %d cells", a, s, r, i, SWEEP_CELLS);
                seen[i]++;
                assert_int(cells[i].arch * 100 + cells[i].schedule * 10 + cells[i].rate, ==,
                           a * 100 + s * 10 + r, "sweep_init: the indices held by cell %d", i);
            }
    for (int i = 0; i < SWEEP_CELLS; i++)
        assert_int(seen[i], ==, 1, "sweep_index: how many (network, schedule, rate) give cell %d", i);
    assert_int(sweep_finished(&cells[0]), ==, 0, "sweep_finished of a cell with no runs yet");
}
END_TEST

/* A comparison uses only the seeds where both runs finished.
 * @checks eq:ch09-paired, tab:ch09-paired
 * @asserts a cell's mean is over its finished runs, and a paired comparison
 *   uses only the seeds where both runs finished
 * @tolerance 1e-12 absolute */
START_TEST(test_sweep_compare_skips_diverged_runs)
{
    SweepCell cells[SWEEP_CELLS];
    sweep_init(cells, 4);
    SweepCell *a = &cells[0], *b = &cells[1];
    double x[4] = { 90, NAN, 92, 91 }, y[4] = { 89, 88, NAN, 89 };
    for (int i = 0; i < 4; i++) {
        a->accuracy[i] = x[i];
        b->accuracy[i] = y[i];
    }
    assert_int(sweep_finished(a), ==, 3, "sweep_finished of runs (90, diverged, 92, 91)");
    assert_close(sweep_summary(a).mean, 91.0, 1e-12, "sweep_summary of (90, diverged, 92, 91): the mean "
                 "of the finished runs");
    PairedDifference d = sweep_compare(a, b);
    assert_int(d.n, ==, 2, "sweep_compare: the seeds where both finished, of (90, -, 92, 91) and "
               "(89, 88, -, 89)");
    assert_close(d.mean, 1.5, 1e-12, "sweep_compare: the mean of the differences 1 and 2");
}
END_TEST

/* A rule's outcome against the expected one. */
static void assert_outcome(const char *got, const char *expected, const char *what)
{
    ck_assert_msg(strcmp(got, expected) == 0, "%s: got '%s', expected '%s'", what, got, expected);
}

/* CLAIM_RULE on a constructed case for each outcome. */
START_TEST(test_claim_verdict)
{
    assert_outcome(claim_verdict(3, 0, 3), "true", "claim_verdict: three cases, all hold");
    assert_outcome(claim_verdict(1, 2, 3), "partly", "claim_verdict: one holds, two contradicted");
    assert_outcome(claim_verdict(1, 0, 3), "partly", "claim_verdict: one holds, two undecided");
    assert_outcome(claim_verdict(0, 1, 3), "false", "claim_verdict: none holds, one contradicted");
    assert_outcome(claim_verdict(0, 0, 2), "not shown", "claim_verdict: both cases undecided");
    assert_int(case_higher("higher"), ==, CASE_HOLDS, "case_higher of a paired verdict 'higher'");
    assert_int(case_higher("lower"), ==, CASE_CONTRADICTED, "case_higher of 'lower'");
    assert_int(case_higher("no difference"), ==, CASE_UNDECIDED, "case_higher of 'no difference'");
    assert_int(case_higher("too few runs"), ==, CASE_UNDECIDED, "case_higher of 'too few runs'");
    assert_int(case_lower("lower"), ==, CASE_HOLDS, "case_lower of 'lower'");
    assert_int(case_lower("higher"), ==, CASE_CONTRADICTED, "case_lower of 'higher'");
}
END_TEST

/* CALIBRATION_RULE on a constructed case for each outcome.
 * @checks sec:ch09-calibration
 * @asserts an ECE at most the book's bound is well calibrated; above it,
 *   overconfident or underconfident as the confidence lies above or below
 *   the accuracy
 * @tolerance exact; an ECE equal to the bound is well calibrated */
START_TEST(test_calibration_verdict)
{
    assert_outcome(calibration_verdict(0.01, 0.95, 0.90, CALIBRATION_TOL), "well calibrated",
                   "calibration_verdict: ECE 0.01");
    assert_outcome(calibration_verdict(CALIBRATION_TOL, 0.95, 0.90, CALIBRATION_TOL), "well calibrated",
                   "calibration_verdict: ECE at the tolerance");
    assert_outcome(calibration_verdict(0.07, 0.96, 0.89, CALIBRATION_TOL), "overconfident",
                   "calibration_verdict: ECE 0.07, confidence 0.96 above accuracy 0.89");
    assert_outcome(calibration_verdict(0.07, 0.82, 0.89, CALIBRATION_TOL), "underconfident",
                   "calibration_verdict: ECE 0.07, confidence 0.82 below accuracy 0.89");
}
END_TEST

/* Table 9.3's percentages from counts: 1969 of 2000 is 98.45 % exactly and
 * 1985 of 2000 is 99.25 %, both halves, which printf's %.1f of the nearest
 * double rounds one down and one up; from the counts both go up.  A lower
 * bound rounds down: 98.449.. % is at least 98.44, never 98.45. */
static void assert_percent(long num, long den, int decimals, int rounding, const char *expected)
{
    char got[32];
    percent_of_counts(got, sizeof got, num, den, decimals, rounding);
    ck_assert_msg(strcmp(got, expected) == 0, "percent_of_counts(%ld, %ld, %d decimals, %s) gave "
                  "\"%s\", expected \"%s\"", num, den, decimals,
                  rounding == PERCENT_FLOOR ? "floor" : "nearest", got, expected);
}

START_TEST(test_percent_of_counts)
{
    assert_percent(1969, 2000, 1, PERCENT_NEAREST, "98.5");   /* 98.45: a half, up */
    assert_percent(1985, 2000, 1, PERCENT_NEAREST, "99.3");   /* 99.25: a half, up too */
    assert_percent(1968, 2000, 1, PERCENT_NEAREST, "98.4");   /* 98.40 */
    assert_percent(2, 3, 1, PERCENT_NEAREST, "66.7");
    assert_percent(1, 3, 0, PERCENT_NEAREST, "33");
    assert_percent(2000, 2000, 1, PERCENT_NEAREST, "100.0");
    assert_percent(0, 7, 1, PERCENT_NEAREST, "0.0");
    assert_percent(1969, 2000, 2, PERCENT_FLOOR, "98.45");    /* exact: unchanged */
    assert_percent(1969, 2000, 1, PERCENT_FLOOR, "98.4");     /* the bound rounds down */
    assert_percent(9844, 9999, 2, PERCENT_FLOOR, "98.44");    /* 98.4498..: down */
    assert_percent(9844, 9999, 2, PERCENT_NEAREST, "98.45");
    assert_percent(1, 1000, 2, PERCENT_FLOOR, "0.10");        /* zeros kept after the point */
    assert_percent(1, 10000, 3, PERCENT_NEAREST, "0.010");
    assert_percent(3, 0, 1, PERCENT_NEAREST, "--");           /* a class never predicted */
}
END_TEST

START_TEST(test_program_is_deterministic)
{
    const char *args[] = { "ch09_evaluation", "--seeds", "2", "--epochs", "2", "--limit", "100",
                           "--batch-epochs", "1", NULL };
    const char *files[] = { "numbers.tex", "sweep_table.tex", "paired_table.tex", "confusion.dat",
                            "hardest.dat", "curve_residual_cosine.dat" };
    check_program_deterministic(args, files, 6);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch09_evaluation");
    TCase *metrics = tcase_create("metrics");
    tcase_add_test(metrics, test_confusion_matrix);
    tcase_add_test(metrics, test_class_scores);
    tcase_add_test(metrics, test_calibration_error);
    tcase_add_test(metrics, test_percent_of_counts);
    suite_add_tcase(s, metrics);
    TCase *sweep = tcase_create("sweep");
    tcase_add_test(sweep, test_sweep_cells_once_each);
    tcase_add_test(sweep, test_sweep_compare_skips_diverged_runs);
    tcase_add_test(sweep, test_claim_verdict);
    tcase_add_test(sweep, test_calibration_verdict);
    suite_add_tcase(s, sweep);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 120);
    tcase_add_test(program, test_program_is_deterministic);
    suite_add_tcase(s, program);
    return s;
}
