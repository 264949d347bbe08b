/* idx.h - reading the IDX files that MNIST comes in, raw or gzipped.
 *
 * The IDX format, big-endian throughout:
 *     4 bytes   magic: 0x00 0x00 TYPE NDIM
 *     NDIM u32  the size of each dimension, slowest first
 *     then the data, row-major, with no padding and nothing after it
 * MNIST's images have TYPE 0x08 (unsigned byte) and NDIM 3 (count, rows,
 * columns); its labels have TYPE 0x08 and NDIM 1.  Only TYPE 0x08 is read.
 *
 * A file is read whole into memory, then decoded: a file that begins with
 * gzip's magic bytes (0x1F 0x8B) is inflated with zlib, one gzip stream
 * read to its end, its trailer (CRC-32 and length) checked and nothing
 * allowed after it; any other file is taken as raw IDX.  Every size is
 * checked against the bytes actually present, and no more is inflated
 * than the header announces and 1 MiB after it, in which trailing bytes
 * are counted: a gzip bomb is not inflated to its end.  Only regular
 * files are read: a directory, a FIFO or a device is refused before any
 * read, so a FIFO cannot make the reader wait.  A missing, unreadable, empty,
 * truncated or malformed file, trailing bytes, a corrupted gzip stream
 * are each an error printed to stderr as one line
 *     error: PATH: what is wrong
 * and the reader returns -1, leaving its output zeroed and nothing
 * allocated.
 */
#ifndef KIT_IDX_H
#define KIT_IDX_H

#include <stddef.h>

/* The largest data an IDX file may announce, in bytes (2^31 - 1), so
 * that every count fits an int.  Larger headers are refused unread. */
#define IDX_MAX_BYTES 2147483647u

typedef struct {
    int count, rows, cols;
    unsigned char *pixels;   /* count x rows x cols bytes, row-major */
} IdxImages;

typedef struct {
    int count;
    unsigned char *labels;   /* count bytes, each below n_classes */
} IdxLabels;

/* Read an images file (NDIM 3).  Returns 0, or -1 after printing what
 * is wrong. */
int idx_read_images(const char *path, IdxImages *out);

/* Read a labels file (NDIM 1) whose labels are all below n_classes
 * (1 to 256); a label out of range is an error naming its index and
 * value.  Returns 0, or -1 after printing what is wrong. */
int idx_read_labels(const char *path, int n_classes, IdxLabels *out);

/* The same two readers for a file already in memory: the size bytes at
 * bytes, raw or gzipped, with name standing for the file in messages.
 * idx_read_images and idx_read_labels read the file, then call these;
 * the fuzzer (tests/fuzz/) calls them directly. */
int idx_parse_images(const char *name, const unsigned char *bytes, size_t size, IdxImages *out);
int idx_parse_labels(const char *name, const unsigned char *bytes, size_t size, int n_classes,
                     IdxLabels *out);

void idx_images_free(IdxImages *images);
void idx_labels_free(IdxLabels *labels);

/* A data set: count examples of dim = rows x cols inputs each, the pixel
 * values scaled to [0, 1] (pixel / 255), and their labels. */
typedef struct {
    int count, dim;
    int rows, cols;
    float *x;            /* count x dim, row-major */
    unsigned char *y;    /* count labels, each below n_classes */
} Dataset;

/* Read an images file and its labels file; their counts must agree (an
 * error naming both files otherwise).  Returns 0, or -1 after printing
 * what is wrong, with out zeroed. */
int dataset_load(const char *images_path, const char *labels_path, int n_classes, Dataset *out);
void dataset_free(Dataset *ds);

#endif
