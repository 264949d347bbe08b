/* fuzz_fixture.c - libFuzzer harness for the reference-tensor reader
 * (lib/fixture.h), the format tools/fixture.py writes.  Each input is a
 * whole file, read from memory through fmemopen. */
#define _XOPEN_SOURCE 700   /* fmemopen */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/fixture.h"

static void fail_if(int wrong)
{
    if (wrong)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;   /* fmemopen refuses an empty buffer */
    FILE *fp = fmemopen((void *)data, size, "rb");
    if (!fp)
        return 0;
    Fixture fx;
    int rc = fixture_read(&fx, fp, "fuzz-input");
    fclose(fp);
    if (rc != 0) {
        fail_if(fx.n != 0 || fx.tensors != NULL);
        return 0;
    }
    /* Every tensor holds the values its dimensions promise. */
    for (int t = 0; t < fx.n; t++) {
        const Tensor *tensor = &fx.tensors[t];
        size_t count = 1;
        for (int d = 0; d < tensor->ndim; d++)
            count *= (size_t)tensor->dims[d];
        fail_if(count != tensor->count || fixture_find(&fx, tensor->name) == NULL);
        double sum = 0.0;
        for (size_t i = 0; i < tensor->count; i++)
            sum += tensor->data[i] * 0.0;
        fail_if(sum > 0.0);
    }
    fixture_free(&fx);
    return 0;
}
