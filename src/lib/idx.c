/* idx.c - the IDX reader: the file read whole into memory (a regular file
 * only), then decoded: inflated when it is gzipped, the header checked
 * field by field, then exactly the bytes it announces. */
#define ZLIB_CONST   /* zlib's next_in is then a pointer to const bytes */
#include "idx.h"

#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

enum {
    IDX_TYPE_UBYTE = 0x08,
    IDX_MAX_NDIM = 3,
    FIRST_CHUNK = 1 << 16,       /* the data buffer starts this big, then doubles */
    MAX_INFLATE = 1 << 30,       /* the most one call to inflate is asked for */
    MAX_TRAILING = 1 << 20,      /* the most bytes read after the data, to count them */
    GZIP_WINDOW = 16 + MAX_WBITS /* inflateInit2: a gzip header and trailer, no zlib one */
};

/* The largest file read: the largest data with room for a header and for
 * gzip's overhead on incompressible data. */
static const size_t MAX_FILE_BYTES = (size_t)IDX_MAX_BYTES + (1u << 20);

/* ------------------------------------------------------------------
 * Reading the file. */

/* What a file that is not a regular one is, for the message. */
static const char *kind_of_file(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    return "not a file";
}

/* Read up to n bytes from fd, as many as there are before its end, into
 * buf; *got is how many.  Returns 0, or -1 after reporting an error. */
static int read_all(const char *path, int fd, unsigned char *buf, size_t n, size_t *got)
{
    *got = 0;
    while (*got < n) {
        ssize_t k = read(fd, buf + *got, n - *got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return file_error(path, "read error: %s", strerror(errno));
        if (k == 0)
            break;
        *got += (size_t)k;
    }
    return 0;
}

/* The whole of the regular file path, into a new buffer *bytes of *size
 * bytes.  The file is opened with O_NONBLOCK, so that opening a FIFO does
 * not wait for a writer, and checked with fstat before anything is read.
 * Returns 0, or -1 after reporting what is wrong. */
static int read_whole_file(const char *path, unsigned char **bytes, size_t *size)
{
    *bytes = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return file_error(path, "cannot open: %s", strerror(errno));
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0)
        rc = file_error(path, "cannot examine: %s", strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = file_error(path, "not a regular file: it is %s", kind_of_file(st.st_mode));
    else if ((uintmax_t)st.st_size > MAX_FILE_BYTES)
        rc = file_error(path, "too large: %jd bytes (at most %zu are read)", (intmax_t)st.st_size,
                        MAX_FILE_BYTES);
    else if (!(*bytes = malloc((size_t)st.st_size + 1)))
        rc = file_error(path, "out of memory for %jd bytes", (intmax_t)st.st_size);
    else if (read_all(path, fd, *bytes, (size_t)st.st_size, size) != 0)
        rc = -1;
    close(fd);
    if (rc != 0) {
        free(*bytes);
        *bytes = NULL;
        *size = 0;
    }
    return rc;
}

/* ------------------------------------------------------------------
 * The file's contents as a stream of bytes: the bytes themselves, or
 * what inflating them gives. */

typedef struct {
    const char *name;            /* the file, for messages */
    const unsigned char *bytes;  /* the file's bytes */
    size_t size;
    size_t pos;                  /* raw: the next byte to read */
    int gzipped;                 /* 1: inflated through zs */
    int ended;                   /* gzip: the stream's end (and trailer) reached */
    z_stream zs;
} Stream;

static int is_gzip(const unsigned char *bytes, size_t size)
{
    return size >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;
}

static int stream_open(Stream *s, const char *name, const unsigned char *bytes, size_t size)
{
    memset(s, 0, sizeof *s);
    s->name = name;
    s->bytes = bytes;
    s->size = size;
    s->gzipped = is_gzip(bytes, size);
    if (!s->gzipped)
        return 0;
    if (size > UINT32_MAX)
        return file_error(name, "too large a gzip file: %zu bytes", size);
    if (inflateInit2(&s->zs, GZIP_WINDOW) != Z_OK)
        return file_error(name, "out of memory for the gzip decoder");
    s->zs.next_in = bytes;
    s->zs.avail_in = (uInt)size;
    return 0;
}

static void stream_close(Stream *s)
{
    if (s->gzipped)
        inflateEnd(&s->zs);
}

/* Inflate up to n (at most MAX_INFLATE) bytes into buf; *got is how many
 * came before the stream's end.  At the end zlib has checked the trailer;
 * anything after it is an error.  Returns 0, or -1 after reporting. */
static int inflate_some(Stream *s, unsigned char *buf, size_t n, size_t *got)
{
    *got = 0;
    s->zs.next_out = buf;
    s->zs.avail_out = (uInt)n;
    while (s->zs.avail_out > 0 && !s->ended) {
        int rc = inflate(&s->zs, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            s->ended = 1;
            if (s->zs.avail_in > 0)
                return file_error(s->name, "%u trailing bytes after the end of the gzip stream",
                                  (unsigned)s->zs.avail_in);
        } else if (rc == Z_BUF_ERROR) {
            /* No progress with room to write: the input ran out first. */
            return file_error(s->name, "truncated gzip stream: unexpected end of file");
        } else if (rc == Z_MEM_ERROR) {
            return file_error(s->name, "out of memory while decompressing");
        } else if (rc != Z_OK) {
            return file_error(s->name, "corrupted gzip stream: %s",
                              s->zs.msg ? s->zs.msg : "invalid data");
        }
    }
    *got = n - s->zs.avail_out;
    return 0;
}

/* Read up to n bytes; *got is how many there were before the end of the
 * data.  Returns 0, or -1 after reporting a decompression error. */
static int read_some(Stream *s, void *buf, size_t n, size_t *got)
{
    unsigned char *p = buf;
    *got = 0;
    if (!s->gzipped) {
        size_t left = s->size - s->pos;
        *got = n < left ? n : left;
        memcpy(p, s->bytes + s->pos, *got);
        s->pos += *got;
        return 0;
    }
    while (*got < n) {
        size_t want = n - *got < MAX_INFLATE ? n - *got : MAX_INFLATE, k;
        if (inflate_some(s, p + *got, want, &k) != 0)
            return -1;
        *got += k;
        if (k < want)
            break;   /* the end of the stream */
    }
    return 0;
}

/* ------------------------------------------------------------------
 * The IDX format. */

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
static int read_header(Stream *s, int ndim, const char *what, uint32_t *dims, size_t *n_bytes)
{
    unsigned char magic[4], sizes[4 * IDX_MAX_NDIM];
    size_t got;
    if (read_some(s, magic, sizeof magic, &got) != 0)
        return -1;
    if (got == 0)
        return file_error(s->name, "empty file (expected an IDX header)");
    if (got < sizeof magic)
        return file_error(s->name, "truncated header: expected a 4-byte magic number, found %zu bytes", got);
    if (magic[0] != 0 || magic[1] != 0)
        return file_error(s->name, "not an IDX file: bad magic number 0x%02X%02X%02X%02X "
                             "(it must begin with two zero bytes)",
                    magic[0], magic[1], magic[2], magic[3]);
    if (magic[2] != IDX_TYPE_UBYTE)
        return file_error(s->name, "data type 0x%02X is not supported (only 0x08, unsigned byte)", magic[2]);
    if (magic[3] != ndim)
        return file_error(s->name, "%d dimensions, expected %d (%s)", magic[3], ndim, what);
    size_t want = 4 * (size_t)ndim;
    if (read_some(s, sizes, want, &got) != 0)
        return -1;
    if (got < want)
        return file_error(s->name, "truncated header: expected %zu bytes of dimension sizes, found %zu", want, got);
    uint64_t total = 1;
    for (int d = 0; d < ndim; d++) {
        dims[d] = big_endian_u32(sizes + 4 * d);
        if (dims[d] == 0)
            return file_error(s->name, "dimension %d of %d has size 0", d + 1, ndim);
        total *= dims[d];   /* at most 2^31 * 2^32: no overflow */
        if (total > IDX_MAX_BYTES) {
            char text[64];
            for (int e = d + 1; e < ndim; e++)
                dims[e] = big_endian_u32(sizes + 4 * e);
            format_dims(text, sizeof text, dims, ndim);
            return file_error(s->name, "absurd dimensions %s: more than %u bytes of data", text, IDX_MAX_BYTES);
        }
    }
    *n_bytes = (size_t)total;
    return 0;
}

/* Count the bytes left before the end of the data (which, for a gzip
 * stream, also makes zlib check its trailer), up to MAX_TRAILING and one
 * more: a gzip stream that goes on inflating after the data the header
 * announced (a decompression bomb) is not read to its end.  Returns 0, or
 * -1 after reporting an error. */
static int count_trailing(Stream *s, size_t *extra)
{
    unsigned char buf[4096];
    size_t got;
    *extra = 0;
    do {
        if (read_some(s, buf, sizeof buf, &got) != 0)
            return -1;
        *extra += got;
    } while (got == sizeof buf && *extra <= MAX_TRAILING);
    return 0;
}

/* Exactly n bytes of data, then the end of the file.  The buffer grows as
 * data arrives, so a header that lies costs no more than the file holds. */
static int read_data(Stream *s, size_t n, unsigned char **out)
{
    size_t cap = n < FIRST_CHUNK ? n : FIRST_CHUNK, have = 0, got;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return file_error(s->name, "out of memory for %zu bytes", cap);
    for (;;) {
        if (read_some(s, buf + have, cap - have, &got) != 0)
            goto failed;
        have += got;
        if (have < cap || cap == n)
            break;
        size_t bigger = cap > n / 2 ? n : 2 * cap;
        unsigned char *p = realloc(buf, bigger);
        if (!p) {
            file_error(s->name, "out of memory for %zu bytes", bigger);
            goto failed;
        }
        buf = p;
        cap = bigger;
    }
    if (have < n) {
        file_error(s->name, "truncated: expected %zu bytes of data, found %zu", n, have);
        goto failed;
    }
    size_t extra;
    if (count_trailing(s, &extra) != 0)
        goto failed;
    if (extra > MAX_TRAILING) {
        file_error(s->name, "more than %d trailing bytes after the %zu bytes of data (not read further)",
                   MAX_TRAILING, n);
        goto failed;
    }
    if (extra > 0) {
        file_error(s->name, "%zu trailing bytes after the %zu bytes of data", extra, n);
        goto failed;
    }
    *out = buf;
    return 0;
failed:
    free(buf);
    return -1;
}

/* Decode the file's bytes: check the header for ndim dimensions, read
 * the data. */
static int parse_idx(const char *name, const unsigned char *bytes, size_t size, int ndim,
                     const char *what, uint32_t *dims, unsigned char **data)
{
    *data = NULL;
    Stream s;
    size_t n = 0;
    int rc = stream_open(&s, name, bytes, size);
    if (rc == 0)
        rc = read_header(&s, ndim, what, dims, &n);
    if (rc == 0)
        rc = read_data(&s, n, data);
    stream_close(&s);
    return rc;
}

/* ------------------------------------------------------------------
 * Images and labels. */

int idx_parse_images(const char *name, const unsigned char *bytes, size_t size, IdxImages *out)
{
    uint32_t dims[3];
    memset(out, 0, sizeof *out);
    if (parse_idx(name, bytes, size, 3, "images: count, rows, columns", dims, &out->pixels) != 0)
        return -1;
    out->count = (int)dims[0];
    out->rows = (int)dims[1];
    out->cols = (int)dims[2];
    return 0;
}

/* Labels can be checked against 1 to 256 classes (a byte's values). */
static int check_class_count(const char *name, int n_classes)
{
    if (n_classes < 1 || n_classes > 256)
        return file_error(name, "cannot check labels against %d classes (1 to 256)", n_classes);
    return 0;
}

int idx_parse_labels(const char *name, const unsigned char *bytes, size_t size, int n_classes,
                     IdxLabels *out)
{
    uint32_t dims[1];
    memset(out, 0, sizeof *out);
    if (check_class_count(name, n_classes) != 0)
        return -1;
    if (parse_idx(name, bytes, size, 1, "labels: count", dims, &out->labels) != 0)
        return -1;
    out->count = (int)dims[0];
    for (int i = 0; i < out->count; i++) {
        if (out->labels[i] >= n_classes) {
            file_error(name, "label at index %d is %d, not a class from 0 to %d", i, out->labels[i],
                       n_classes - 1);
            idx_labels_free(out);
            return -1;
        }
    }
    return 0;
}

int idx_read_images(const char *path, IdxImages *out)
{
    unsigned char *bytes;
    size_t size;
    memset(out, 0, sizeof *out);
    if (read_whole_file(path, &bytes, &size) != 0)
        return -1;
    int rc = idx_parse_images(path, bytes, size, out);
    free(bytes);
    return rc;
}

int idx_read_labels(const char *path, int n_classes, IdxLabels *out)
{
    unsigned char *bytes;
    size_t size;
    memset(out, 0, sizeof *out);
    if (check_class_count(path, n_classes) != 0 || read_whole_file(path, &bytes, &size) != 0)
        return -1;
    int rc = idx_parse_labels(path, bytes, size, n_classes, out);
    free(bytes);
    return rc;
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

/* ------------------------------------------------------------------
 * Data sets. */

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
