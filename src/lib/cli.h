/* cli.h - command-line parsing shared by every program.
 *
 * Programs parse with getopt_long and convert option values with the
 * functions below, which reject anything that is not wholly a number in
 * range.  A bad option is a usage error: a message naming the option,
 * a hint to run --help, and exit status 2.
 */
#ifndef KIT_CLI_H
#define KIT_CLI_H

#include <stdint.h>

/* Exit status for a usage error (bad or missing option). */
enum { EXIT_USAGE = 2 };

/* Parse text as a whole unsigned 64-bit integer.  Returns 0 on success,
 * -1 (with a message naming option) otherwise. */
int parse_u64(const char *option, const char *text, uint64_t *out);

/* Parse text as a whole integer in [lo, hi]. */
int parse_int(const char *option, const char *text, int lo, int hi, int *out);

/* Parse text as a finite double in [lo, hi]. */
int parse_double(const char *option, const char *text, double lo, double hi, double *out);

/* For getopt_long's ':' (a missing value) and '?' (an unknown option),
 * with opterr = 0: the usage error naming the option; exit 2. */
void reject_option(char **argv, int c) __attribute__((noreturn));

/* After the options: a usage error if arguments remain or the --out
 * directory name is empty. */
void finish_options(int argc, char **argv, const char *out);

/* Print "error: PATH: MESSAGE" to stderr and return -1: the form of every
 * complaint about a file. */
int file_error(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print "PROG: MESSAGE" and "Try 'PROG --help'." to stderr; exit 2. */
void usage_error(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#endif
