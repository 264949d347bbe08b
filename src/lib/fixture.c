#include "fixture.h"

#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_u32(FILE *fp, uint32_t *v)
{
    unsigned char b[4];
    if (fread(b, 1, 4, fp) != 4)
        return -1;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 0;
}

/* path opened for reading if it is a regular file, else NULL after a
 * message.  O_NONBLOCK: opening a FIFO does not wait for a writer. */
static FILE *open_regular_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        fprintf(stderr, "error: %s: cannot open: %s\n", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "error: %s: not a regular file\n", path);
        close(fd);
        return NULL;
    }
    FILE *fp = fdopen(fd, "rb");
    if (!fp)
        close(fd);
    return fp;
}

int fixture_load(Fixture *fx, const char *path)
{
    memset(fx, 0, sizeof *fx);
    FILE *fp = open_regular_file(path);
    if (!fp)
        return -1;
    int rc = fixture_read(fx, fp, path);
    fclose(fp);
    return rc;
}

int fixture_read(Fixture *fx, FILE *fp, const char *path)
{
    memset(fx, 0, sizeof *fx);
    const char *problem = NULL;
    char magic[8];
    uint32_t n;
    if (fread(magic, 1, 8, fp) != 8 || memcmp(magic, "KITFIX1\n", 8) != 0)
        problem = "not a fixture file (bad magic number)";
    else if (read_u32(fp, &n) != 0 || n > 10000)
        problem = "truncated or absurd tensor count";
    else if (!(fx->tensors = calloc(n, sizeof(Tensor))))
        problem = "out of memory";
    for (uint32_t i = 0; !problem && i < n; i++) {
        Tensor *t = &fx->tensors[i];
        uint32_t len, ndim;
        fx->n = (int)i + 1;
        if (read_u32(fp, &len) != 0 || len == 0 || len > 255) {
            problem = "truncated header or bad tensor name length";
            break;
        }
        t->name = calloc(len + 1, 1);
        if (!t->name || fread(t->name, 1, len, fp) != len) {
            problem = "truncated tensor name";
            break;
        }
        if (read_u32(fp, &ndim) != 0 || ndim > 4) {
            problem = "bad number of dimensions";
            break;
        }
        t->ndim = (int)ndim;
        t->count = 1;
        for (uint32_t d = 0; d < ndim; d++) {
            uint32_t size;
            if (read_u32(fp, &size) != 0 || size > 100000000u || t->count * size > 100000000u) {
                problem = "bad or absurd dimension";
                break;
            }
            t->dims[d] = (int)size;
            t->count *= size;
        }
        if (problem)
            break;
        t->data = malloc(sizeof(double) * (t->count ? t->count : 1));
        if (!t->data || fread(t->data, sizeof(double), t->count, fp) != t->count)
            problem = "truncated tensor data";
    }
    if (!problem && fgetc(fp) != EOF)
        problem = "trailing bytes after the last tensor";
    if (problem) {
        fprintf(stderr, "error: %s: %s\n", path, problem);
        fixture_free(fx);
        return -1;
    }
    return 0;
}

void fixture_free(Fixture *fx)
{
    for (int i = 0; i < fx->n; i++) {
        free(fx->tensors[i].name);
        free(fx->tensors[i].data);
    }
    free(fx->tensors);
    memset(fx, 0, sizeof *fx);
}

const Tensor *fixture_find(const Fixture *fx, const char *name)
{
    for (int i = 0; i < fx->n; i++)
        if (strcmp(fx->tensors[i].name, name) == 0)
            return &fx->tensors[i];
    return NULL;
}

static void write_u32(FILE *fp, uint32_t v)
{
    unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 24) };
    fwrite(b, 1, 4, fp);
}

int fixture_save(const char *path, const Tensor *tensors, int n)
{
    /* results_open wants a directory and a name. */
    char *dir = strdup(path);
    if (!dir)
        return -1;
    char *slash = strrchr(dir, '/');
    const char *name = path;
    if (slash) {
        *slash = '\0';
        name = slash + 1;
    } else {
        strcpy(dir, ".");
    }
    ResultFile rf;
    int status = results_open(&rf, dir, name);
    free(dir);
    if (status != 0)
        return -1;
    fwrite("KITFIX1\n", 1, 8, rf.fp);
    write_u32(rf.fp, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        const Tensor *t = &tensors[i];
        write_u32(rf.fp, (uint32_t)strlen(t->name));
        fwrite(t->name, 1, strlen(t->name), rf.fp);
        write_u32(rf.fp, (uint32_t)t->ndim);
        for (int d = 0; d < t->ndim; d++)
            write_u32(rf.fp, (uint32_t)t->dims[d]);
        fwrite(t->data, sizeof(double), t->count, rf.fp);
    }
    return results_close(&rf);
}
