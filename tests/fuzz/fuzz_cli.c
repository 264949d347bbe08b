/* fuzz_cli.c - libFuzzer harness for the strict number parsers of the
 * command line (lib/cli.h).  Each input is an option's value; whatever a
 * parser accepts must be a value a person would have meant: inside the
 * bounds, finite, and the same number the C library reads from the text. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cli.h"

static void fail_if(int wrong)
{
    if (wrong)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);   /* the value, as a C string */
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    int i = 0;
    if (parse_int("--n", text, -1000, 1000, &i) == 0)
        fail_if(i < -1000 || i > 1000 || i != (int)strtol(text, NULL, 10));
    uint64_t u = 0;
    if (parse_u64("--seed", text, &u) == 0)
        fail_if(u != strtoull(text, NULL, 10) || text[0] == '-' || text[0] == '+');
    double x = 0.0;
    if (parse_double("--lr", text, 0.0, 1e30, &x) == 0)
        fail_if(!isfinite(x) || x < 0.0 || x > 1e30 || x != strtod(text, NULL));
    free(text);
    return 0;
}
