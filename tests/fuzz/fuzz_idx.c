/* fuzz_idx.c - libFuzzer harness for the IDX reader (lib/idx.h).
 *
 * Each input is taken as the whole of a file, raw or gzipped, and read
 * both as images and as labels, through the same functions that read
 * files (idx_parse_images, idx_parse_labels).  The sanitizers catch any
 * read or write out of bounds, any leak and any undefined behaviour; the
 * checks below catch a reader that says it succeeded with data it does
 * not hold.  `make fuzz` builds and runs it (see the Makefile). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/idx.h"

/* Stop the run, so that libFuzzer saves the input that got here. */
static void fail_if(int wrong)
{
    if (wrong)
        abort();
}

static void check_images(const uint8_t *data, size_t size)
{
    IdxImages im;
    if (idx_parse_images("fuzz-input", data, size, &im) != 0) {
        fail_if(im.pixels != NULL || im.count != 0);
        return;
    }
    fail_if(im.count < 1 || im.rows < 1 || im.cols < 1);
    /* Touch every pixel: AddressSanitizer reports any the buffer lacks. */
    size_t n = (size_t)im.count * (size_t)im.rows * (size_t)im.cols;
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += im.pixels[i];
    fail_if(sum > 255u * n);
    idx_images_free(&im);
}

static void check_labels(const uint8_t *data, size_t size)
{
    IdxLabels lb;
    if (idx_parse_labels("fuzz-input", data, size, 10, &lb) != 0) {
        fail_if(lb.labels != NULL || lb.count != 0);
        return;
    }
    fail_if(lb.count < 1);
    for (int i = 0; i < lb.count; i++)
        fail_if(lb.labels[i] > 9);
    idx_labels_free(&lb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_images(data, size);
    check_labels(data, size);
    return 0;
}
