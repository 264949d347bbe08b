/* kit_test.h - what the Check suites share. */
#ifndef KIT_TEST_H
#define KIT_TEST_H

#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/fdiff.h"

/* Each suite file defines this; check_main.c runs it. */
Suite *test_suite(void);

/* Run a program of the kit, build/bin/NAME (or $KIT_BIN/NAME), with the
 * arguments argv (argv[0] is NAME, NULL-terminated).  Its stderr is kept
 * in err (at most n - 1 bytes, NUL-terminated), its stdout discarded.
 * Returns its exit status, or -1 if it did not exit normally. */
int run_program(const char *const argv[], char *err, size_t n);

/* A fresh empty directory under $TMPDIR (or /tmp), into dir[n]. */
void make_temp_dir(char *dir, size_t n);

/* Remove a directory made by make_temp_dir and the files in it. */
void remove_temp_dir(const char *dir);

/* 1 if dir1/name and dir2/name both exist and hold the same bytes. */
int files_equal(const char *dir1, const char *dir2, const char *name);

/* Run the program args (NULL-terminated, without --out) twice, each time
 * with --out in a fresh directory, and fail the test unless both runs
 * succeed and each of the n files is byte-identical between them: same
 * seed, same bits. */
void check_program_deterministic(const char *const args[], const char *const files[], int n);

/* stderr sent to a temporary file while a function under test runs, to
 * compare what it printed with what it should have printed:
 *     StderrCapture cap;
 *     capture_stderr_begin(&cap);
 *     rc = idx_read_images(path, &images);
 *     capture_stderr_end(&cap, msg, sizeof msg);
 */
typedef struct {
    FILE *tmp;
    int saved;
} StderrCapture;

void capture_stderr_begin(StderrCapture *c);

/* Restore stderr; what was written to it goes into msg[n], NUL-terminated. */
void capture_stderr_end(StderrCapture *c, char *msg, size_t n);

/* 1 if the n bytes at p are all zero: a reader's output after an error. */
int all_zero(const void *p, size_t n);

/* ------------------------------------------------------------------
 * Failure messages that tell a student what to fix.
 *
 * Each assertion below takes, after its values, a printf format and its
 * arguments saying WHERE: the function or equation checked and the input
 * point, index, layer, unit or step.  On failure the message is
 *     WHERE: got ACTUAL, expected EXPECTED (...)
 * with every number printed exactly (format_number), so that two
 * different doubles never look alike.  The WHERE text is formatted only
 * when a check fails.
 * They are macros, not functions, for one reason: ck_assert_msg must
 * expand in the test itself for Check to report the test's file and line.
 * Each passes and fails exactly where the Check macro named beside it does.
 */

/* printf into one of 16 rotating static buffers: a piece of a failure
 * message.  At most 16 format_* results may appear in one message. */
const char *format_text(const char *fmt, ...) CK_ATTRIBUTE_FORMAT(printf, 1, 2);

/* v with the fewest significant digits (15, 16 or 17) that read back as
 * exactly v: "0.1" for 0.1, "0.10000000000000002" for the next double up,
 * "0.30000000000000004" for 0.1 + 0.2.  Same buffers. */
const char *format_number(double v);

/* "(1.5, -2.25, 0.75)": v[0..n-1] as format_number prints them (the first
 * 8 values and the count, when there are more).  Same buffers. */
const char *format_vector(const double *v, int n);

/* "ch01_critical_points --seed -4": a NULL-terminated argv.  Same buffers. */
const char *format_command(const char *const argv[]);

/* For a failed vector comparison: the index where actual and expected
 * differ most, both values there, and both vectors.  Same buffers. */
const char *format_worst_difference(const double *actual, const double *expected, int n);

/* The text between "expected" and the bound: "" for ==, "< " for <, and so on. */
const char *relation_text(const char *op);

/* |actual - expected| < tol, as ck_assert_double_eq_tol. */
#define assert_close(actual, expected, tol, ...)                                              \
    do {                                                                                      \
        double actual_ = (actual), expected_ = (expected), tol_ = (tol);                      \
        ck_assert_msg(fabs(expected_ - actual_) < tol_,                                       \
                      "%s: got %s, expected %s (|diff| %.2g, tol %s)", format_text(__VA_ARGS__), \
                      format_number(actual_), format_number(expected_),                       \
                      fabs(actual_ - expected_), format_number(tol_));                        \
    } while (0)

/* actual == expected exactly, as ck_assert_double_eq. */
#define assert_equal(actual, expected, ...)                                                   \
    do {                                                                                      \
        double actual_ = (actual), expected_ = (expected);                                    \
        ck_assert_msg(actual_ == expected_, "%s: got %s, expected exactly %s (diff %.2g)",      \
                      format_text(__VA_ARGS__), format_number(actual_), format_number(expected_), \
                      actual_ - expected_);                                                   \
    } while (0)

/* actual OP bound for doubles, OP one of < <= > >=, as ck_assert_double_lt,
 * _le, _gt, _ge. */
#define assert_double(actual, op, bound, ...)                                                 \
    do {                                                                                      \
        double actual_ = (actual), bound_ = (bound);                                          \
        ck_assert_msg(actual_ op bound_, "%s: got %s, expected %s%s", format_text(__VA_ARGS__), \
                      format_number(actual_), relation_text(#op), format_number(bound_));     \
    } while (0)

/* actual OP expected for integers (counts, exit statuses), as
 * ck_assert_int_eq and the rest. */
#define assert_int(actual, op, expected, ...)                                                 \
    do {                                                                                      \
        intmax_t actual_ = (actual), expected_ = (expected);                                  \
        ck_assert_msg(actual_ op expected_, "%s: got %jd, expected %s%jd",                    \
                      format_text(__VA_ARGS__), actual_, relation_text(#op), expected_);      \
    } while (0)

/* vector_relative_error(actual, expected, n, floor) < tol (lib/fdiff.h),
 * the kit's measure for a whole gradient; the message adds the component
 * that differs most and both vectors. */
#define assert_vector_close(actual, expected, n, floor, tol, ...)                             \
    do {                                                                                      \
        const double *actual_ = (actual), *expected_ = (expected);                            \
        int n_ = (n);                                                                         \
        double error_ = vector_relative_error(actual_, expected_, n_, (floor)), tol_ = (tol); \
        ck_assert_msg(error_ < tol_, "%s: relative error %.3g, expected < %s; %s",            \
                      format_text(__VA_ARGS__), error_, format_number(tol_),                  \
                      format_worst_difference(actual_, expected_, n_));                       \
    } while (0)

/* Run argv (as run_program, its stderr into err[n]) and fail unless it
 * exits with status; the message gives the command line and its stderr. */
#define assert_exit_status(argv, err, n, status)                                              \
    do {                                                                                      \
        int status_ = run_program((argv), (err), (n));                                        \
        ck_assert_msg(status_ == (status), "%s: exit status %d, expected %d; stderr: %s",     \
                      format_command(argv), status_, (status), (err));                        \
    } while (0)

/* Fail unless the stderr err of the command argv contains text. */
#define assert_stderr_has(argv, err, text)                                                    \
    ck_assert_msg(strstr((err), (text)) != NULL, "%s: stderr should contain '%s'; it was: %s", \
                  format_command(argv), (text), (err))

#endif
