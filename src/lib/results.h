/* results.h - writing a program's results: gnuplot data files, LaTeX
 * tables and the numbers the report quotes.
 *
 * Every file is written to a temporary name in the same directory and
 * renamed into place when complete, so an interrupted run never leaves a
 * half-written file that looks up to date.  The temporary files not yet
 * renamed are removed when the program exits before closing them (after
 * an error) and when it is interrupted by SIGINT, SIGTERM or SIGHUP: the
 * first results_open installs a handler that removes them and then lets
 * the signal end the program as it would have.
 */
#ifndef KIT_RESULTS_H
#define KIT_RESULTS_H

#include <stdio.h>

typedef struct {
    FILE *fp;        /* write to this */
    char *path;      /* the final name */
    char *tmp_path;  /* where it is written until results_close */
} ResultFile;

/* Create the directory dir and its parents (like mkdir -p), and check
 * that a file can be made in it (before the program's work, not at its
 * first result).  A folder inside a kit's build/results is refused
 * unless make runs the program (KIT_RUN_BY_MAKE, set by
 * tools/run-chapter.sh): only make's own runs write the chapters' results.
 * Returns 0 on success; on failure prints a message naming dir. */
int make_directories(const char *dir);

/* Open dir/name for writing through a temporary file.  Returns 0 on
 * success; on failure prints a message naming the file and returns -1. */
int results_open(ResultFile *rf, const char *dir, const char *name);

/* Flush, close and rename into place.  Returns 0 on success; on any write
 * error removes the temporary file, prints a message, returns -1. */
int results_close(ResultFile *rf);

/* Abandon the file: close and remove the temporary, leave no trace. */
void results_discard(ResultFile *rf);

/* From now on results_close keeps each complete file under its temporary
 * name, until results_commit renames them all.  numbers_open calls it:
 * a program's results appear together, with its numbers.tex, or not at
 * all (a run that fails half-way, after training diverged, say, writes
 * nothing; an interrupted run leaves the previous run's files as they
 * were).  The temporary files are removed at exit and on an interrupt. */
void results_hold(void);

/* Rename every held file into place and stop holding.  Returns 0, or -1
 * (with a message naming the file) if a rename failed.  numbers_close of
 * numbers.tex calls it before writing numbers.tex. */
int results_commit(void);

/* How many result files are open or held (their temporary files not yet
 * renamed or removed); for the tests. */
int results_pending_count(void);

/* The numbers the report quotes, as LaTeX: each line
 *     \kitnumber{key}{value}
 * defines a value that the chapter prints with \kitnum{key}.  An
 * undefined key stops the LaTeX build instead of printing "??".  The
 * numbers are kept in memory and written to dir/numbers.tex only by
 * numbers_close, so a run that fails half-way leaves no numbers file.
 * Between numbers_open and numbers_close of numbers.tex, the other result
 * files are held (results_hold) and appear with numbers.tex. */
typedef struct {
    char *dir, *name;
    char *text;      /* the lines so far (open_memstream) */
    size_t size;
    FILE *fp;
} Numbers;

int numbers_open(Numbers *nb, const char *dir);
/* The same, into dir/name instead of dir/numbers.tex (timings, say, which
 * differ from run to run and so are kept apart from the numbers that must
 * not). */
int numbers_open_named(Numbers *nb, const char *dir, const char *name);
/* Write one number; fmt is printf-style and produces the LaTeX text. */
void numbers_put(Numbers *nb, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Write v in scientific notation for math mode: 1.4\times 10^{-14}, or
 * 10^{-5} for a power of ten. */
void numbers_put_sci(Numbers *nb, const char *key, double v);
/* A count for the text: a word up to ten ("five"), digits above (in buf). */
const char *count_in_words(int n, char buf[16]);
/* Write a count with thousands separated, as LaTeX: 454{,}400. */
void numbers_put_count(Numbers *nb, const char *key, long n);
int numbers_close(Numbers *nb);

#endif
