/* fixture.h - reference tensors saved by a script (PyTorch, say), read
 * back by the tests and programs that compare against them.
 *
 * The file format, little-endian throughout:
 *     8 bytes   magic "KITFIX1\n"
 *     u32       number of tensors
 *     then per tensor:
 *         u32 name length, the name's bytes (no NUL)
 *         u32 number of dimensions (0 to 4), u32 each dimension
 *         float64 values, row-major
 * tools/fixture.py writes it.  Every size is checked against the bytes
 * actually present; a malformed file is an error naming the file.
 */
#ifndef KIT_FIXTURE_H
#define KIT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    char *name;
    int ndim;
    int dims[4];
    size_t count;      /* product of the dimensions */
    double *data;
} Tensor;

typedef struct {
    int n;
    Tensor *tensors;
} Fixture;

/* Read path, a regular file, into fx (a FIFO or a directory is refused
 * unread).  Returns 0, or -1 after printing what is wrong. */
int fixture_load(Fixture *fx, const char *path);

/* The same from an open stream (the fuzzer reads from memory with
 * fmemopen), named path in messages. */
int fixture_read(Fixture *fx, FILE *fp, const char *path);
void fixture_free(Fixture *fx);

/* Write n tensors to path in the format above (through a temporary file
 * renamed into place).  Returns 0, or -1 after printing what is wrong. */
int fixture_save(const char *path, const Tensor *tensors, int n);

/* The tensor called name, or NULL. */
const Tensor *fixture_find(const Fixture *fx, const char *name);

#endif
