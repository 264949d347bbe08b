#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Skip the decimal digits at s; *count is how many there were. */
static const char *skip_digits(const char *s, int *count)
{
    *count = 0;
    while (isdigit((unsigned char)*s)) {
        s++;
        (*count)++;
    }
    return s;
}

/* Whether text is a decimal number as a person writes it (see cli.h):
 * an optional sign if `sign`; digits with no leading zero; and if `real`,
 * a fraction and an exponent.  Spaces, hex, inf and nan all fail here. */
static int is_plain_decimal(const char *text, int sign, int real)
{
    const char *s = text;
    int whole, fraction = 0, exponent;
    if (sign && (*s == '-' || *s == '+'))
        s++;
    const char *digits = s;
    s = skip_digits(s, &whole);
    if (whole > 1 && digits[0] == '0')
        return 0;                       /* 010: octal to C, ten to a person */
    if (real && *s == '.')
        s = skip_digits(s + 1, &fraction);
    if (whole + fraction == 0)
        return 0;
    if (real && (*s == 'e' || *s == 'E')) {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        s = skip_digits(s, &exponent);
        if (exponent == 0)
            return 0;
    }
    return *s == '\0';
}

int parse_u64(const char *option, const char *text, uint64_t *out)
{
    int plain = is_plain_decimal(text, 0, 0);
    errno = 0;
    unsigned long long v = plain ? strtoull(text, NULL, 10) : 0;
    if (!plain || errno != 0) {
        fprintf(stderr, "error: %s: '%s' is not a whole number from 0 to %llu "
                "(decimal digits, no sign, no leading zeros)\n",
                option, text, (unsigned long long)UINT64_MAX);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

int parse_int(const char *option, const char *text, int lo, int hi, int *out)
{
    int plain = is_plain_decimal(text, 1, 0);
    errno = 0;
    long v = plain ? strtol(text, NULL, 10) : 0;
    if (!plain || errno != 0 || v < lo || v > hi) {
        fprintf(stderr, "error: %s: '%s' is not an integer from %d to %d "
                "(decimal, no leading zeros)\n", option, text, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int parse_double(const char *option, const char *text, double lo, double hi, double *out)
{
    int plain = is_plain_decimal(text, 1, 1);
    errno = 0;
    double v = plain ? strtod(text, NULL) : NAN;
    if (!plain || errno != 0 || !isfinite(v) || v < lo || v > hi) {
        fprintf(stderr, "error: %s: '%s' is not a number from %g to %g "
                "(decimal, as 0.1 or 1e-3)\n", option, text, lo, hi);
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

/* --- The option table --------------------------------------------------- */

enum { MAX_OPTIONS = 40, HELP_CODE = 1000, FIRST_CODE = 1001 };
/* --help's texts start in this column at most; a longer synopsis gets a
 * line of its own. */
enum { MAX_HELP_COLUMN = 24 };

/* The option's current value as --help shows it; "" if it has none. */
static const char *current_value(const Option *opt, char *buf, size_t n)
{
    buf[0] = '\0';
    switch (opt->kind) {
    case OPT_INT: snprintf(buf, n, "%d", *(const int *)opt->value); break;
    case OPT_U64: snprintf(buf, n, "%llu", (unsigned long long)*(const uint64_t *)opt->value); break;
    case OPT_DOUBLE: snprintf(buf, n, "%g", *(const double *)opt->value); break;
    case OPT_STRING:
    case OPT_CHOICE: {
        const char *s = *(const char *const *)opt->value;
        snprintf(buf, n, "%s", s ? s : "");
        break;
    }
    case OPT_FLAG: break;
    }
    return buf;
}

/* "--name ARG", as the left column of --help shows it. */
static void option_synopsis(const Option *opt, char *buf, size_t n)
{
    snprintf(buf, n, "--%s%s%s", opt->name, opt->arg ? " " : "", opt->arg ? opt->arg : "");
}

/* One option's help: the synopsis, its text (continuation lines indented
 * to the text's column) and its current value as the default. */
static void print_one_option(const Option *opt, int column)
{
    char synopsis[96], value[96];
    option_synopsis(opt, synopsis, sizeof synopsis);
    if ((int)strlen(synopsis) + 4 > column)
        printf("  %s\n%*s", synopsis, column, "");
    else
        printf("  %-*s", column - 2, synopsis);
    for (const char *line = opt->help; *line;) {
        size_t len = strcspn(line, "\n");
        printf("%.*s", (int)len, line);
        line += len;
        if (*line == '\n') {
            line++;
            printf("\n%*s", column, "");
        }
    }
    if (current_value(opt, value, sizeof value)[0] != '\0')
        printf(" (default %s)", value);
    putchar('\n');
}

void print_usage(const char *prog, const Option *table, const char *about)
{
    int width = (int)strlen("--help");
    for (const Option *opt = table; opt->name; opt++) {
        char synopsis[96];
        option_synopsis(opt, synopsis, sizeof synopsis);
        if ((int)strlen(synopsis) > width)
            width = (int)strlen(synopsis);
    }
    int column = 2 + width + 3 < MAX_HELP_COLUMN ? 2 + width + 3 : MAX_HELP_COLUMN;
    printf("Usage: %s [OPTION]...\n%s\n\n", prog, about);
    for (const Option *opt = table; opt->name; opt++)
        print_one_option(opt, column);
    printf("  %-*sshow this help and exit\n", column - 2, "--help");
}

/* Whether text is one of the '|'-separated words of choices. */
static int is_choice(const char *choices, const char *text)
{
    size_t n = strlen(text);
    const char *word = choices;
    for (;;) {
        size_t len = strcspn(word, "|");
        if (len == n && strncmp(word, text, n) == 0)
            return 1;
        if (word[len] == '\0')
            return 0;
        word += len + 1;
    }
}

/* Store text as the value of a CHOICE option, if it is one of the choices. */
static int set_choice(const Option *opt, const char *text)
{
    if (text[0] == '\0' || !is_choice(opt->arg, text)) {
        fprintf(stderr, "error: --%s: '%s' is not one of %s\n", opt->name, text, opt->arg);
        return -1;
    }
    *(const char **)opt->value = text;
    return 0;
}

/* Convert text into the option's value; -1 (with a message) if it is bad. */
static int set_value(const Option *opt, const char *text)
{
    char name[64];
    snprintf(name, sizeof name, "--%s", opt->name);
    switch (opt->kind) {
    case OPT_INT: return parse_int(name, text, (int)opt->lo, (int)opt->hi, opt->value);
    case OPT_U64: return parse_u64(name, text, opt->value);
    case OPT_DOUBLE: return parse_double(name, text, opt->lo, opt->hi, opt->value);
    case OPT_CHOICE: return set_choice(opt, text);
    case OPT_FLAG: *(int *)opt->value = 1; return 0;
    case OPT_STRING:
        if (text[0] == '\0') {
            fprintf(stderr, "error: %s: the name is empty\n", name);
            return -1;
        }
        *(const char **)opt->value = text;
        return 0;
    }
    return -1;
}

/* getopt_long's description of the table: option i returns FIRST_CODE + i. */
static int getopt_table(const char *prog, const Option *table, struct option *longopts)
{
    int n = 0;
    for (; table[n].name; n++) {
        if (n == MAX_OPTIONS) {
            fprintf(stderr, "%s: more than %d options: raise MAX_OPTIONS in cli.c\n", prog, MAX_OPTIONS);
            exit(1);
        }
        int has_arg = table[n].kind == OPT_FLAG ? no_argument : required_argument;
        longopts[n] = (struct option){ table[n].name, has_arg, NULL, FIRST_CODE + n };
    }
    longopts[n] = (struct option){ "help", no_argument, NULL, HELP_CODE };
    longopts[n + 1] = (struct option){ NULL, 0, NULL, 0 };
    return n;
}

void parse_options(int argc, char **argv, const Option *table, const char *about)
{
    struct option longopts[MAX_OPTIONS + 2];
    getopt_table(argv[0], table, longopts);
    opterr = 0;                  /* our messages, not getopt's */
    optind = 0;                  /* start afresh (glibc and musl), for tests that parse twice */
    int c;
    /* The leading ':' makes getopt_long return ':' for a missing value. */
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (c == HELP_CODE) {
            print_usage(argv[0], table, about);
            exit(0);
        }
        if (c == ':')
            usage_error(argv[0], "option '%s' needs a value", argv[optind - 1]);
        if (c < FIRST_CODE)
            usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
        if (set_value(&table[c - FIRST_CODE], optarg) != 0)
            usage_error(argv[0], "bad value for an option");
    }
    if (optind < argc)
        usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
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
