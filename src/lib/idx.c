/* idx.c - the IDX reader: the header checked field by field, then exactly
 * the bytes it announces, through zlib so that gzipped files read alike. */
#include "idx.h"

#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum {
    IDX_TYPE_UBYTE = 0x08,
    IDX_MAX_NDIM = 3,
    FIRST_CHUNK = 1 << 16,       /* the data buffer starts this big, then doubles */
    MAX_GZREAD = 1 << 30,        /* the most one gzread call is asked for */
    GZ_BUFFER = 1 << 17,         /* zlib's input buffer */
};

/* An open IDX file being read. */
typedef struct {
    const char *path;
    gzFile gz;
} Reader;

/* Report the stream's error, if it has one: zlib's message without the
 * "PATH: " that zlib puts before it.  Returns -1 on an error, 0 if none. */
static int report_gz_error(const Reader *r)
{
    int errnum;
    const char *msg = gzerror(r->gz, &errnum);
    if (errnum == Z_OK)
        return 0;
    size_t n = strlen(r->path);
    if (strncmp(msg, r->path, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
        msg += n + 2;
    switch (errnum) {
    case Z_ERRNO: return file_error(r->path, "read error: %s", msg);
    case Z_BUF_ERROR: return file_error(r->path, "truncated gzip stream: %s", msg);
    case Z_MEM_ERROR: return file_error(r->path, "out of memory while decompressing");
    default: return file_error(r->path, "corrupted gzip stream: %s", msg);
    }
}

/* Read up to n bytes; *got is how many there were before the end of the
 * file.  Returns 0, or -1 after reporting a read or decompression error. */
static int read_some(const Reader *r, void *buf, size_t n, size_t *got)
{
    unsigned char *p = buf;
    *got = 0;
    while (*got < n) {
        size_t want = n - *got < MAX_GZREAD ? n - *got : MAX_GZREAD;
        int k = gzread(r->gz, p + *got, (unsigned)want);
        if (k < 0)
            return report_gz_error(r) != 0 ? -1 : file_error(r->path, "read error");
        if (k == 0)
            return report_gz_error(r);   /* the end of the file, or an error */
        *got += (size_t)k;
    }
    return 0;
}

static uint32_t big_endian_u32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

/* "3 x 28 x 28", for messages. */
static void format_dims(char *s, size_t n, const uint32_t *dims, int ndim)
{
    size_t used = 0;
    s[0] = '\0';
    for (int d = 0; d < ndim && used < n; d++)
        used += (size_t)snprintf(s + used, n - used, d ? " x %u" : "%u", (unsigned)dims[d]);
}

/* The magic number and the sizes: type 0x08, ndim dimensions, each size
 * positive, their product at most IDX_MAX_BYTES (into *n_bytes). */
static int read_header(const Reader *r, int ndim, const char *what, uint32_t *dims, size_t *n_bytes)
{
    unsigned char magic[4], sizes[4 * IDX_MAX_NDIM];
    size_t got;
    if (read_some(r, magic, sizeof magic, &got) != 0)
        return -1;
    if (got == 0)
        return file_error(r->path, "empty file (expected an IDX header)");
    if (got < sizeof magic)
        return file_error(r->path, "truncated header: expected a 4-byte magic number, found %zu bytes", got);
    if (magic[0] != 0 || magic[1] != 0)
        return file_error(r->path, "not an IDX file: bad magic number 0x%02X%02X%02X%02X "
                             "(it must begin with two zero bytes)",
                    magic[0], magic[1], magic[2], magic[3]);
    if (magic[2] != IDX_TYPE_UBYTE)
        return file_error(r->path, "data type 0x%02X is not supported (only 0x08, unsigned byte)", magic[2]);
    if (magic[3] != ndim)
        return file_error(r->path, "%d dimensions, expected %d (%s)", magic[3], ndim, what);
    size_t want = 4 * (size_t)ndim;
    if (read_some(r, sizes, want, &got) != 0)
        return -1;
    if (got < want)
        return file_error(r->path, "truncated header: expected %zu bytes of dimension sizes, found %zu", want, got);
    uint64_t total = 1;
    for (int d = 0; d < ndim; d++) {
        dims[d] = big_endian_u32(sizes + 4 * d);
        if (dims[d] == 0)
            return file_error(r->path, "dimension %d of %d has size 0", d + 1, ndim);
        total *= dims[d];   /* at most 2^31 * 2^32: no overflow */
        if (total > IDX_MAX_BYTES) {
            char s[64];
            for (int e = d + 1; e < ndim; e++)
                dims[e] = big_endian_u32(sizes + 4 * e);
            format_dims(s, sizeof s, dims, ndim);
            return file_error(r->path, "absurd dimensions %s: more than %u bytes of data", s, IDX_MAX_BYTES);
        }
    }
    *n_bytes = (size_t)total;
    return 0;
}

/* Count the bytes left before the end of the file (which also makes zlib
 * check a gzip stream's CRC).  Returns 0, or -1 after reporting an error. */
static int count_trailing(const Reader *r, size_t *extra)
{
    unsigned char buf[4096];
    size_t got;
    *extra = 0;
    do {
        if (read_some(r, buf, sizeof buf, &got) != 0)
            return -1;
        *extra += got;
    } while (got == sizeof buf);
    return 0;
}

/* Exactly n bytes of data, then the end of the file.  The buffer grows as
 * data arrives, so a header that lies costs no more than the file holds. */
static int read_data(const Reader *r, size_t n, unsigned char **out)
{
    size_t cap = n < FIRST_CHUNK ? n : FIRST_CHUNK, have = 0, got;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return file_error(r->path, "out of memory for %zu bytes", cap);
    for (;;) {
        if (read_some(r, buf + have, cap - have, &got) != 0)
            goto failed;
        have += got;
        if (have < cap || cap == n)
            break;
        size_t bigger = cap > n / 2 ? n : 2 * cap;
        unsigned char *p = realloc(buf, bigger);
        if (!p) {
            file_error(r->path, "out of memory for %zu bytes", bigger);
            goto failed;
        }
        buf = p;
        cap = bigger;
    }
    if (have < n) {
        file_error(r->path, "truncated: expected %zu bytes of data, found %zu", n, have);
        goto failed;
    }
    size_t extra;
    if (count_trailing(r, &extra) != 0)
        goto failed;
    if (extra > 0) {
        file_error(r->path, "%zu trailing bytes after the %zu bytes of data", extra, n);
        goto failed;
    }
    *out = buf;
    return 0;
failed:
    free(buf);
    return -1;
}

/* Open path, check its header for ndim dimensions, read its data. */
static int read_idx(const char *path, int ndim, const char *what, uint32_t *dims, unsigned char **data)
{
    *data = NULL;
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return file_error(path, "cannot open: %s", errno ? strerror(errno) : "out of memory");
    gzbuffer(gz, GZ_BUFFER);
    Reader r = { path, gz };
    size_t n = 0;
    int rc = read_header(&r, ndim, what, dims, &n);
    if (rc == 0)
        rc = read_data(&r, n, data);
    gzclose(gz);
    return rc;
}

int idx_read_images(const char *path, IdxImages *out)
{
    uint32_t dims[3];
    memset(out, 0, sizeof *out);
    if (read_idx(path, 3, "images: count, rows, columns", dims, &out->pixels) != 0)
        return -1;
    out->count = (int)dims[0];
    out->rows = (int)dims[1];
    out->cols = (int)dims[2];
    return 0;
}

int idx_read_labels(const char *path, int n_classes, IdxLabels *out)
{
    uint32_t dims[1];
    memset(out, 0, sizeof *out);
    if (n_classes < 1 || n_classes > 256)
        return file_error(path, "cannot check labels against %d classes (1 to 256)", n_classes);
    if (read_idx(path, 1, "labels: count", dims, &out->labels) != 0)
        return -1;
    out->count = (int)dims[0];
    for (int i = 0; i < out->count; i++) {
        if (out->labels[i] >= n_classes) {
            file_error(path, "label at index %d is %d, not a class from 0 to %d", i, out->labels[i], n_classes - 1);
            idx_labels_free(out);
            return -1;
        }
    }
    return 0;
}

void idx_images_free(IdxImages *images)
{
    free(images->pixels);
    memset(images, 0, sizeof *images);
}

void idx_labels_free(IdxLabels *labels)
{
    free(labels->labels);
    memset(labels, 0, sizeof *labels);
}

int dataset_load(const char *images_path, const char *labels_path, int n_classes, Dataset *out)
{
    IdxImages im;
    IdxLabels lb;
    memset(out, 0, sizeof *out);
    if (idx_read_images(images_path, &im) != 0)
        return -1;
    if (idx_read_labels(labels_path, n_classes, &lb) != 0) {
        idx_images_free(&im);
        return -1;
    }
    int rc = 0;
    size_t n = (size_t)im.count * (size_t)im.rows * (size_t)im.cols;
    if (im.count != lb.count)
        rc = file_error(images_path, "%d images, but %s has %d labels (the counts must match)",
                  im.count, labels_path, lb.count);
    else if (!(out->x = malloc(n * sizeof *out->x)))
        rc = file_error(images_path, "out of memory for %zu pixels as floats", n);
    if (rc != 0) {
        idx_images_free(&im);
        idx_labels_free(&lb);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        out->x[i] = (float)im.pixels[i] / 255.0f;
    out->count = im.count;
    out->rows = im.rows;
    out->cols = im.cols;
    out->dim = im.rows * im.cols;
    out->y = lb.labels;
    idx_images_free(&im);
    return 0;
}

void dataset_free(Dataset *ds)
{
    free(ds->x);
    free(ds->y);
    memset(ds, 0, sizeof *ds);
}
