/* check_hostile.c - data as a hostile user would hand it to the kit.
 *
 * Each malformed file in tests/fixtures/hostile (made by
 * tools/make_hostile_fixtures.py), and each that cannot be committed and
 * is made here (a FIFO, a symbolic link loop, an unreadable file, a
 * directory), must be refused with exactly one line,
 *     error: FILE: what is wrong
 * and a failure status (-1 from the readers).  Nothing may crash, hang
 * or read past its data.  Chapter 05's program on the same folders, exit
 * status 1 and nothing written, is tested in check_ch05_mnist_mlp.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit_test.h"
#include "lib/idx.h"
#include "lib/mnist.h"

#define HOSTILE "tests/fixtures/hostile/"

/* Fail unless the message printed is exactly "error: FILE: PROBLEM\n". */
static void assert_one_line_error(const char *msg, const char *file, const char *problem,
                                  const char *what)
{
    char expected[1024];
    snprintf(expected, sizeof expected, "error: %s: %s\n", file, problem);
    ck_assert_msg(strcmp(msg, expected) == 0, "%s: printed\n  \"%s\"\nexpected\n  \"%s\"", what, msg,
                  expected);
}

/* ------------------------------------------------------------------
 * The readers, on the committed files. */

typedef enum { READ_IMAGES, READ_LABELS, LOAD_DATASET } Reader;

typedef struct {
    Reader reader;
    const char *file;        /* what is read (the images file for LOAD_DATASET) */
    const char *labels;      /* LOAD_DATASET's labels file */
    const char *problem;     /* the message after "error: FILE: " */
} BadFile;

#define CUT_TRAILER "truncated gzip stream: unexpected end of file"

static const BadFile BAD_FILES[] = {
    { READ_IMAGES, HOSTILE "empty.idx3", NULL, "empty file (expected an IDX header)" },
    { READ_IMAGES, HOSTILE "truncated-header.idx3", NULL,
      "truncated header: expected 12 bytes of dimension sizes, found 6" },
    { READ_IMAGES, HOSTILE "truncated-data.idx3", NULL,
      "truncated: expected 7840 bytes of data, found 7740" },
    { READ_IMAGES, HOSTILE "wrong-magic.idx3", NULL,
      "not an IDX file: bad magic number 0x08030000 (it must begin with two zero bytes)" },
    { READ_LABELS, HOSTILE "label-12.idx1", NULL, "label at index 5 is 12, not a class from 0 to 9" },
    { LOAD_DATASET, HOSTILE "images-10.idx3.gz", HOSTILE "labels-9.idx1",
      "10 images, but " HOSTILE "labels-9.idx1 has 9 labels (the counts must match)" },
    { READ_IMAGES, HOSTILE "crc-wrong.idx3.gz", NULL, "corrupted gzip stream: incorrect data check" },
    { READ_IMAGES, HOSTILE "length-wrong.idx3.gz", NULL, "corrupted gzip stream: incorrect length check" },
    { READ_IMAGES, HOSTILE "garbage-after.idx3.gz", NULL, "8 trailing bytes after the end of the gzip stream" },
    { READ_IMAGES, HOSTILE "zeros-after.idx3.gz", NULL, "16 trailing bytes after the end of the gzip stream" },
    { READ_IMAGES, HOSTILE "two-members.idx3.gz", NULL, "28 trailing bytes after the end of the gzip stream" },
    { READ_LABELS, HOSTILE "bomb.idx1.gz", NULL,
      "more than 1048576 trailing bytes after the 10 bytes of data (not read further)" },
    { READ_IMAGES, HOSTILE "trailer-cut-1.idx3.gz", NULL, CUT_TRAILER },
    { READ_IMAGES, HOSTILE "trailer-cut-2.idx3.gz", NULL, CUT_TRAILER },
    { READ_IMAGES, HOSTILE "trailer-cut-3.idx3.gz", NULL, CUT_TRAILER },
    { READ_IMAGES, HOSTILE "trailer-cut-4.idx3.gz", NULL, CUT_TRAILER },
    { READ_IMAGES, HOSTILE "trailer-cut-5.idx3.gz", NULL, CUT_TRAILER },
    { READ_IMAGES, HOSTILE "trailer-cut-6.idx3.gz", NULL, CUT_TRAILER },
    { READ_IMAGES, HOSTILE "trailer-cut-7.idx3.gz", NULL, CUT_TRAILER },
    { READ_IMAGES, HOSTILE "trailer-cut-8.idx3.gz", NULL, CUT_TRAILER },
    { READ_IMAGES, HOSTILE "trailer-cut-9.idx3.gz", NULL, CUT_TRAILER },
};
enum { N_BAD_FILES = sizeof BAD_FILES / sizeof BAD_FILES[0] };

/* Run a reader on path (and labels) with stderr captured into msg[n];
 * returns its status and sets *zeroed when its output is all zero. */
static int run_reader(Reader reader, const char *path, const char *labels, char *msg, size_t n,
                      int *zeroed)
{
    IdxImages im;
    IdxLabels lb;
    Dataset ds;
    StderrCapture cap;
    int rc = 0;
    capture_stderr_begin(&cap);
    switch (reader) {
    case READ_IMAGES:
        rc = idx_read_images(path, &im);
        *zeroed = all_zero(&im, sizeof im);
        if (rc == 0)
            idx_images_free(&im);
        break;
    case READ_LABELS:
        rc = idx_read_labels(path, MNIST_CLASSES, &lb);
        *zeroed = all_zero(&lb, sizeof lb);
        if (rc == 0)
            idx_labels_free(&lb);
        break;
    case LOAD_DATASET:
        rc = dataset_load(path, labels, MNIST_CLASSES, &ds);
        *zeroed = all_zero(&ds, sizeof ds);
        if (rc == 0)
            dataset_free(&ds);
        break;
    }
    capture_stderr_end(&cap, msg, n);
    return rc;
}

/* Each file of the table is refused: -1, the output zeroed, the message
 * exactly as the table says. */
START_TEST(test_reader_refuses_malformed_file)
{
    const BadFile *bad = &BAD_FILES[_i];
    char msg[1024];
    int zeroed = 0;
    int rc = run_reader(bad->reader, bad->file, bad->labels, msg, sizeof msg, &zeroed);
    assert_int(rc, ==, -1, "reading %s: return value", bad->file);
    ck_assert_msg(zeroed, "reading %s: the output is not zeroed after the error", bad->file);
    assert_one_line_error(msg, bad->file, bad->problem, bad->file);
}
END_TEST

/* The files the broken ones were made from read: their errors are theirs. */
START_TEST(test_reader_accepts_the_intact_file)
{
    char msg[1024];
    int zeroed = 0;
    int rc = run_reader(LOAD_DATASET, HOSTILE "images-10.idx3.gz", HOSTILE "labels-10.idx1.gz", msg,
                        sizeof msg, &zeroed);
    assert_int(rc, ==, 0, "dataset_load(images-10.idx3.gz, labels-10.idx1.gz); stderr: %s", msg);
    ck_assert_msg(msg[0] == '\0', "dataset_load(images-10.idx3.gz): printed '%s'", msg);
    rc = run_reader(READ_IMAGES, HOSTILE "images-2000.idx3.gz", NULL, msg, sizeof msg, &zeroed);
    assert_int(rc, ==, 0, "idx_read_images(images-2000.idx3.gz); stderr: %s", msg);
}
END_TEST

/* ------------------------------------------------------------------
 * Files that cannot be committed, made in a temporary directory. */

/* The one-line message and status of idx_read_images(path). */
static void assert_images_refused(const char *path, const char *problem)
{
    char msg[1024];
    int zeroed = 0;
    int rc = run_reader(READ_IMAGES, path, NULL, msg, sizeof msg, &zeroed);
    assert_int(rc, ==, -1, "idx_read_images(%s): return value", path);
    ck_assert_msg(zeroed, "idx_read_images(%s): the output is not zeroed after the error", path);
    assert_one_line_error(msg, path, problem, path);
}

/* A FIFO is refused before it is read: opening it for reading would wait
 * for a writer, reading it would wait for data (the suite's time limit
 * ends this test if the reader hangs). */
START_TEST(test_reader_refuses_fifo)
{
    char dir[256], path[512];
    make_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", dir);
    ck_assert_msg(mkfifo(path, 0600) == 0, "mkfifo %s: %s", path, strerror(errno));
    assert_images_refused(path, "not a regular file: it is a FIFO (named pipe)");
    remove_temp_dir(dir);
}
END_TEST

START_TEST(test_reader_refuses_directory)
{
    char dir[256];
    make_temp_dir(dir, sizeof dir);
    assert_images_refused(dir, "not a regular file: it is a directory");
    remove_temp_dir(dir);
}
END_TEST

START_TEST(test_reader_reports_symlink_loop)
{
    char dir[256], path[512];
    make_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/images.idx3.gz", dir);
    ck_assert_msg(symlink("images.idx3.gz", path) == 0, "symlink %s: %s", path, strerror(errno));
    assert_images_refused(path, "cannot open: Too many levels of symbolic links");
    remove_temp_dir(dir);
}
END_TEST

/* A file its reader may not read.  Root may read any file, so as root the
 * reader runs in a child process that has become the user nobody first;
 * the child sends its message and status back. */
START_TEST(test_reader_refuses_unreadable_file)
{
    char dir[256], path[512], msg[1024] = "";
    make_temp_dir(dir, sizeof dir);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", dir);
    FILE *fp = fopen(path, "wb");
    ck_assert_msg(fp != NULL, "cannot write %s", path);
    fputs("not read", fp);
    fclose(fp);
    ck_assert_int_eq(chmod(path, 0), 0);
    int pipefd[2];
    ck_assert_int_eq(pipe(pipefd), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        const unsigned nobody = 65534;
        if (geteuid() == 0 && (setgid(nobody) != 0 || setuid(nobody) != 0))
            _exit(2);
        dup2(pipefd[1], STDERR_FILENO);
        close(pipefd[0]);
        IdxImages im;
        int rc = idx_read_images(path, &im);
        _exit(rc == -1 && all_zero(&im, sizeof im) ? 0 : 1);
    }
    close(pipefd[1]);
    size_t used = 0;
    ssize_t got;
    while ((got = read(pipefd[0], msg + used, sizeof msg - 1 - used)) > 0)
        used += (size_t)got;
    msg[used] = '\0';
    close(pipefd[0]);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) != 2,
                  "the child could not become the user nobody to test an unreadable file");
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "idx_read_images(%s) of an unreadable file: did not return -1 with its output "
                  "zeroed; stderr: %s", path, msg);
    assert_one_line_error(msg, path, "cannot open: Permission denied", path);
    chmod(path, 0600);
    remove_temp_dir(dir);
}
END_TEST

/* ------------------------------------------------------------------
 * MNIST folders: mnist_load. */

/* mnist_load(dir) fails with exactly "error: FILE: PROBLEM\n", both data
 * sets zeroed. */
static void assert_mnist_refused(const char *dir, const char *file, const char *problem)
{
    Dataset train, test;
    StderrCapture cap;
    char msg[1024];
    capture_stderr_begin(&cap);
    int rc = mnist_load(dir, &train, &test);
    capture_stderr_end(&cap, msg, sizeof msg);
    assert_int(rc, ==, -1, "mnist_load(%s): return value", dir);
    ck_assert_msg(all_zero(&train, sizeof train) && all_zero(&test, sizeof test),
                  "mnist_load(%s): the data sets are not zeroed after the error", dir);
    assert_one_line_error(msg, file, problem, dir);
}

START_TEST(test_mnist_refuses_images_of_1x1)
{
    assert_mnist_refused(HOSTILE "1x1", HOSTILE "1x1/train-images-idx3-ubyte.gz",
                         "the images are 1 x 1 pixels; the kit's networks read 28 x 28 images "
                         "(MNIST's size)");
}
END_TEST

START_TEST(test_mnist_refuses_images_of_28x29)
{
    assert_mnist_refused(HOSTILE "28x29", HOSTILE "28x29/train-images-idx3-ubyte.gz",
                         "the images are 28 x 29 pixels; the kit's networks read 28 x 28 images "
                         "(MNIST's size)");
}
END_TEST

START_TEST(test_mnist_refuses_mismatched_counts)
{
    assert_mnist_refused(HOSTILE "counts", HOSTILE "counts/train-images-idx3-ubyte.gz",
                         "1000 images, but " HOSTILE "counts/train-labels-idx1-ubyte.gz has 999 "
                         "labels (the counts must match)");
}
END_TEST

/* train-images-idx3-ubyte.gz is a link to itself: its error, under its
 * name, not "No such file" under the name without .gz. */
START_TEST(test_mnist_reports_symlink_loop_by_its_name)
{
    char dir[256], path[512];
    make_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte.gz", dir);
    ck_assert_msg(symlink("train-images-idx3-ubyte.gz", path) == 0, "symlink %s: %s", path,
                  strerror(errno));
    assert_mnist_refused(dir, path, "cannot open: Too many levels of symbolic links");
    remove_temp_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *readers = tcase_create("readers");
    tcase_add_loop_test(readers, test_reader_refuses_malformed_file, 0, N_BAD_FILES);
    tcase_add_test(readers, test_reader_accepts_the_intact_file);
    tcase_add_test(readers, test_reader_refuses_fifo);
    tcase_add_test(readers, test_reader_refuses_directory);
    tcase_add_test(readers, test_reader_reports_symlink_loop);
    tcase_add_test(readers, test_reader_refuses_unreadable_file);
    suite_add_tcase(s, readers);
    TCase *mnist = tcase_create("mnist");
    tcase_add_test(mnist, test_mnist_refuses_images_of_1x1);
    tcase_add_test(mnist, test_mnist_refuses_images_of_28x29);
    tcase_add_test(mnist, test_mnist_refuses_mismatched_counts);
    tcase_add_test(mnist, test_mnist_reports_symlink_loop_by_its_name);
    suite_add_tcase(s, mnist);
    return s;
}
