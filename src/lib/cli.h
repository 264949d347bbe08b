/* cli.h - command-line parsing shared by every program.
 *
 * A program describes its options in one table; parse_options reads the
 * command line from it, and --help prints it, each option with the value
 * it holds (its default, unless an option before --help changed it).  A
 * bad option is a usage error: a message naming the option, a hint to run
 * --help, and exit status 2.
 *
 * Numbers are read strictly, as a person writes them in decimal:
 *   - no spaces, no trailing characters ("12abc", "1.5" for an integer);
 *   - a sign only on a signed value (--seed -1 is an error, not 2^64 - 1);
 *   - no leading zeros ("010" is an error: C would read it as octal 8,
 *     a person as ten, so neither reading is taken); "0" and "0.5" are fine;
 *   - no hexadecimal ("0x10"), no "inf" or "nan";
 *   - within the option's bounds.
 */
#ifndef KIT_CLI_H
#define KIT_CLI_H

#include <stdint.h>

/* Exit status for a usage error (bad or missing option). */
enum { EXIT_USAGE = 2 };

/* What an option's value is, and so what `value` points to. */
typedef enum {
    OPT_INT,     /* int *, from lo to hi */
    OPT_U64,     /* uint64_t *, any value from 0 to 2^64 - 1 */
    OPT_DOUBLE,  /* double *, finite, from lo to hi */
    OPT_STRING,  /* const char **, a non-empty text (a file or directory name) */
    OPT_FLAG,    /* int *, set to 1 when the option is given; takes no value */
    OPT_CHOICE,  /* const char **, one of the words of `arg`: "all|persample|minibatch" */
} OptionKind;

/* One row of a program's option table, for example
 *     { "grid", "N", OPT_INT, &o.grid, 1, 200, "starting grid of N^3 points" },
 * The table ends with the row { 0 }.  --help is always added. */
typedef struct {
    const char *name;     /* the long option without its dashes: "seed" */
    const char *arg;      /* what --help calls the value: "N", "DIR" (NULL for a flag);
                             for OPT_CHOICE the allowed values, split by '|' */
    OptionKind kind;
    void *value;          /* holds the default before parsing, the value after */
    double lo, hi;        /* bounds of an OPT_INT or OPT_DOUBLE value */
    const char *help;     /* one line for --help; '\n' starts a continuation line */
} Option;

/* Read argv's options into the table's values.  --help prints the usage
 * line, `about` (what the program does) and every option with its current
 * value, then exits 0.  An unknown option, a missing or bad value, or a
 * leftover argument is a usage error (exit 2). */
void parse_options(int argc, char **argv, const Option *table, const char *about);

/* What --help prints, to stdout. */
void print_usage(const char *prog, const Option *table, const char *about);

/* Parse text as a whole unsigned 64-bit integer.  Returns 0 on success,
 * -1 (with a message naming option) otherwise. */
int parse_u64(const char *option, const char *text, uint64_t *out);

/* Parse text as a whole integer in [lo, hi]. */
int parse_int(const char *option, const char *text, int lo, int hi, int *out);

/* Parse text as a finite double in [lo, hi]. */
int parse_double(const char *option, const char *text, double lo, double hi, double *out);

/* Print "error: PATH: MESSAGE" to stderr and return -1: the form of every
 * complaint about a file. */
int file_error(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print "PROG: MESSAGE" and "Try 'PROG --help'." to stderr; exit 2. */
void usage_error(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#endif
