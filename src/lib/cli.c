#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int parse_u64(const char *option, const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    if (text[0] == '-' || text[0] == '+' || text[0] == '\0')
        goto bad;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0')
        goto bad;
    *out = (uint64_t)v;
    return 0;
bad:
    fprintf(stderr, "error: %s: '%s' is not a non-negative integer below 2^64\n", option, text);
    return -1;
}

int parse_int(const char *option, const char *text, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi) {
        fprintf(stderr, "error: %s: '%s' is not an integer from %d to %d\n", option, text, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int parse_double(const char *option, const char *text, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (text[0] == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v < lo || v > hi) {
        fprintf(stderr, "error: %s: '%s' is not a number from %g to %g\n", option, text, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

void usage_error(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry '%s --help'.\n", prog);
    va_end(ap);
    exit(EXIT_USAGE);
}

void reject_option(char **argv, int c)
{
    if (c == ':')
        usage_error(argv[0], "option '%s' needs a value", argv[optind - 1]);
    usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
}

void finish_options(int argc, char **argv, const char *out)
{
    if (optind < argc)
        usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    if (out && out[0] == '\0')
        usage_error(argv[0], "--out: the directory name is empty");
}

int file_error(const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "error: %s: ", path);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}
