/* check_idx.c - the IDX reader: valid files read alike raw and gzipped,
 * every malformed fixture in tests/fixtures/idx (made by
 * tools/make_idx_fixtures.py) is refused with a message naming the file
 * and the problem, and the committed MNIST subset in data/mnist loads with
 * the counts data/mnist/README documents. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kit_test.h"
#include "lib/idx.h"

#define FIX "tests/fixtures/idx/"

static const unsigned char PIXELS[12] = { 0, 51, 102, 255, 255, 0, 0, 255, 17, 34, 68, 136 };
static const unsigned char LABELS[3] = { 0, 9, 4 };

START_TEST(test_reads_raw_and_gzipped_images)
{
    const char *paths[] = { FIX "images.idx3", FIX "images.idx3.gz" };
    for (int i = 0; i < 2; i++) {
        IdxImages im;
        ck_assert_int_eq(idx_read_images(paths[i], &im), 0);
        assert_int(im.count, ==, 3, "idx_read_images(%s): number of images", paths[i]);
        assert_int(im.rows, ==, 2, "idx_read_images(%s): rows per image", paths[i]);
        assert_int(im.cols, ==, 2, "idx_read_images(%s): columns per image", paths[i]);
        ck_assert_mem_eq(im.pixels, PIXELS, sizeof PIXELS);
        idx_images_free(&im);
        ck_assert_ptr_null(im.pixels);
    }
}
END_TEST

START_TEST(test_reads_labels)
{
    IdxLabels lb;
    ck_assert_int_eq(idx_read_labels(FIX "labels.idx1", 10, &lb), 0);
    assert_int(lb.count, ==, 3, "idx_read_labels(%s): number of labels", FIX "labels.idx1");
    ck_assert_mem_eq(lb.labels, LABELS, sizeof LABELS);
    idx_labels_free(&lb);
}
END_TEST

START_TEST(test_dataset_scales_pixels)
{
    Dataset ds;
    ck_assert_int_eq(dataset_load(FIX "images.idx3.gz", FIX "labels.idx1", 10, &ds), 0);
    assert_int(ds.count, ==, 3, "dataset_load of images.idx3.gz: number of images");
    assert_int(ds.dim, ==, 4, "dataset_load of images.idx3.gz: values per image");
    assert_int(ds.rows, ==, 2, "dataset_load of images.idx3.gz: rows per image");
    assert_int(ds.cols, ==, 2, "dataset_load of images.idx3.gz: columns per image");
    for (int i = 0; i < 12; i++)
        assert_equal(ds.x[i], (float)PIXELS[i] / 255.0f, "dataset_load: value %d (image %d, pixel "
                     "%d), byte %d scaled by 1/255 in float", i, i / 4, i % 4, PIXELS[i]);
    assert_equal(ds.x[0], 0.0f, "dataset_load: value 0, byte 0");
    assert_equal(ds.x[3], 1.0f, "dataset_load: value 3, byte 255");
    /* In float, as ck_assert_float_eq_tol: |0.2f - x| < 1e-7f. */
    ck_assert_msg(fabsf(0.2f - ds.x[1]) < 1e-7f, "dataset_load: value 1, byte 51 scaled by 1/255: "
                  "got %.9g, expected 0.2 (float tol 1e-7)", (double)ds.x[1]);
    ck_assert_mem_eq(ds.y, LABELS, sizeof LABELS);
    dataset_free(&ds);
    ck_assert_ptr_null(ds.x);
}
END_TEST

/* A malformed input, the reader to try, what the message must say. */
typedef enum { READ_IMAGES, READ_LABELS, LOAD_DATASET } ReadKind;
typedef struct {
    ReadKind kind;
    const char *path, *labels_path;
    const char *problem;
} BadCase;

static const BadCase BAD[] = {
    { READ_IMAGES, FIX "empty.idx3", NULL, "empty file" },
    { READ_IMAGES, FIX "does-not-exist.idx3", NULL, "cannot open: No such file or directory" },
    { READ_IMAGES, FIX "truncated-header.idx3", NULL,
      "truncated header: expected 12 bytes of dimension sizes, found 4" },
    { READ_IMAGES, FIX "truncated-data.idx3", NULL, "truncated: expected 12 bytes of data, found 10" },
    { READ_IMAGES, FIX "trailing-bytes.idx3", NULL, "2 trailing bytes after the 12 bytes of data" },
    { READ_IMAGES, FIX "wrong-magic.idx3", NULL, "bad magic number 0x01000803" },
    { READ_IMAGES, FIX "wrong-type.idx3", NULL, "data type 0x0D is not supported" },
    { READ_IMAGES, FIX "absurd-dims.idx3", NULL,
      "absurd dimensions 2147483647 x 2147483647 x 2147483647" },
    { READ_IMAGES, FIX "zero-dim.idx3", NULL, "dimension 2 of 3 has size 0" },
    { READ_IMAGES, FIX "corrupted.idx3.gz", NULL, "corrupted gzip stream: " },
    { READ_IMAGES, FIX "truncated.idx3.gz", NULL, "truncated gzip stream: unexpected end of file" },
    { READ_IMAGES, FIX "labels.idx1", NULL, "1 dimensions, expected 3" },
    { READ_LABELS, FIX "images.idx3", NULL, "3 dimensions, expected 1" },
    { READ_LABELS, FIX "label-10.idx1", NULL, "label at index 1 is 10, not a class from 0 to 9" },
    { READ_LABELS, FIX "empty.idx3", NULL, "empty file" },
    { LOAD_DATASET, FIX "images.idx3", FIX "labels-4.idx1",
      "3 images, but " FIX "labels-4.idx1 has 4 labels" },
    { LOAD_DATASET, FIX "images.idx3", FIX "label-10.idx1", "label at index 1 is 10" },
    { LOAD_DATASET, FIX "truncated-data.idx3", FIX "labels.idx1", "truncated: expected" },
};
enum { N_BAD = sizeof BAD / sizeof BAD[0] };

/* Run the case's reader with stderr captured; check that it fails, leaves
 * its output zeroed and prints one line naming the file and the problem.
 * @checks -
 * @asserts each malformed IDX fixture (empty, truncated, bad magic, absurd sizes, bad gzip, bad
 *   labels) is refused: $-1$, zeroed output, one line naming the file
 * @tolerance exact message text */
START_TEST(test_rejects_malformed)
{
    const BadCase *bc = &BAD[_i];
    /* The file the message is about: the labels file for a bad label. */
    const char *named = bc->labels_path && strstr(bc->problem, "label at") ? bc->labels_path : bc->path;
    char msg[1024], expected[512];
    StderrCapture cap;
    IdxImages im;
    IdxLabels lb;
    Dataset ds;
    int rc = 0, zeroed = 0;
    capture_stderr_begin(&cap);
    switch (bc->kind) {
    case READ_IMAGES:
        rc = idx_read_images(bc->path, &im);
        zeroed = all_zero(&im, sizeof im);
        break;
    case READ_LABELS:
        rc = idx_read_labels(bc->path, 10, &lb);
        zeroed = all_zero(&lb, sizeof lb);
        break;
    case LOAD_DATASET:
        rc = dataset_load(bc->path, bc->labels_path, 10, &ds);
        zeroed = all_zero(&ds, sizeof ds);
        break;
    }
    capture_stderr_end(&cap, msg, sizeof msg);
    ck_assert_msg(rc == -1, "%s: the reader returned %d, not -1", bc->path, rc);
    ck_assert_msg(zeroed, "%s: the output is not zeroed after an error", bc->path);
    snprintf(expected, sizeof expected, "error: %s: ", named);
    ck_assert_msg(strncmp(msg, expected, strlen(expected)) == 0,
                  "%s: the message does not begin '%s': '%s'", bc->path, expected, msg);
    ck_assert_msg(strstr(msg, bc->problem) != NULL,
                  "%s: the message does not say '%s': '%s'", bc->path, bc->problem, msg);
    ck_assert_msg(strchr(msg, '\n') == msg + strlen(msg) - 1,
                  "%s: the message is not one line: '%s'", bc->path, msg);
}
END_TEST

START_TEST(test_rejects_bad_class_count)
{
    IdxLabels lb;
    char msg[512];
    StderrCapture cap;
    capture_stderr_begin(&cap);
    int rc = idx_read_labels(FIX "labels.idx1", 0, &lb);
    capture_stderr_end(&cap, msg, sizeof msg);
    assert_int(rc, ==, -1, "idx_read_labels(labels.idx1, 0 classes): return value");
    ck_assert_ptr_null(lb.labels);
    ck_assert_msg(strstr(msg, "labels.idx1: cannot check labels against 0 classes") != NULL,
                  "idx_read_labels(labels.idx1, 0 classes): the message should say 'labels.idx1: "
                  "cannot check labels against 0 classes'; it was: %s", msg);

    capture_stderr_begin(&cap);
    rc = idx_read_labels(FIX "labels.idx1", 9, &lb);   /* holds a 9 */
    capture_stderr_end(&cap, msg, sizeof msg);
    assert_int(rc, ==, -1, "idx_read_labels(labels.idx1, 9 classes) of a file holding a 9: "
               "return value");
    ck_assert_msg(strstr(msg, "label at index 1 is 9, not a class from 0 to 8") != NULL,
                  "idx_read_labels(labels.idx1, 9 classes): the message should say 'label at index "
                  "1 is 9, not a class from 0 to 8'; it was: %s", msg);
}
END_TEST

/* The committed MNIST subset: the counts of data/mnist/README. */
static void check_mnist_split(const char *images, const char *labels, int count, const int per_class[10])
{
    Dataset ds;
    ck_assert_int_eq(dataset_load(images, labels, 10, &ds), 0);
    assert_int(ds.count, ==, count, "dataset_load(%s): number of images", images);
    assert_int(ds.rows, ==, 28, "dataset_load(%s): rows per image", images);
    assert_int(ds.cols, ==, 28, "dataset_load(%s): columns per image", images);
    assert_int(ds.dim, ==, 784, "dataset_load(%s): values per image", images);
    int seen[10] = { 0 };
    for (int i = 0; i < ds.count; i++)
        seen[ds.y[i]]++;
    for (int k = 0; k < 10; k++)
        ck_assert_msg(seen[k] == per_class[k], "%s: %d images of %d, expected %d", labels, seen[k], k,
                      per_class[k]);
    float lo = 1.0f, hi = 0.0f;
    for (size_t i = 0; i < (size_t)ds.count * (size_t)ds.dim; i++) {
        lo = ds.x[i] < lo ? ds.x[i] : lo;
        hi = ds.x[i] > hi ? ds.x[i] : hi;
    }
    assert_equal(lo, 0.0f, "dataset_load(%s): the smallest pixel value", images);
    assert_equal(hi, 1.0f, "dataset_load(%s): the largest pixel value", images);
    /* Shuffled as a whole: the first 50 labels hold every digit. */
    int first[10] = { 0 }, distinct = 0;
    for (int i = 0; i < 50; i++)
        distinct += first[ds.y[i]]++ == 0;
    assert_int(distinct, ==, 10, "dataset_load(%s): distinct digits among the first 50 labels "
               "(the subset is shuffled as a whole)", labels);
    dataset_free(&ds);
}

/* The committed subset, split by split.
 * @checks -
 * @asserts the committed subset has 8,000 training and 2,000 test images of $28 \times 28$, the
 *   documented count per digit, pixels spanning $[0, 1]$
 * @tolerance exact */
START_TEST(test_mnist_subset)
{
    static const int train[10] = { 801, 902, 793, 826, 784, 690, 811, 856, 755, 782 };
    static const int test[10] = { 200, 225, 198, 206, 196, 173, 203, 214, 189, 196 };
    check_mnist_split("data/mnist/train-images-idx3-ubyte.gz", "data/mnist/train-labels-idx1-ubyte.gz",
                      8000, train);
    check_mnist_split("data/mnist/t10k-images-idx3-ubyte.gz", "data/mnist/t10k-labels-idx1-ubyte.gz",
                      2000, test);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("idx");
    TCase *tc = tcase_create("idx");
    tcase_add_test(tc, test_reads_raw_and_gzipped_images);
    tcase_add_test(tc, test_reads_labels);
    tcase_add_test(tc, test_dataset_scales_pixels);
    tcase_add_loop_test(tc, test_rejects_malformed, 0, N_BAD);
    tcase_add_test(tc, test_rejects_bad_class_count);
    tcase_add_test(tc, test_mnist_subset);
    suite_add_tcase(s, tc);
    return s;
}
