/* kit_test.h - what the Check suites share. */
#ifndef KIT_TEST_H
#define KIT_TEST_H

#include <check.h>
#include <stddef.h>

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

#endif
