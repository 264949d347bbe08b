#define _XOPEN_SOURCE 700
#include "results.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* --- Temporary files not yet renamed ------------------------------------
 *
 * Each open ResultFile's temporary name is kept in `pending` from
 * results_open until results_close or results_discard.  If the program
 * ends before that (exit(1) after an error, a return from main) or is
 * interrupted (Ctrl-C sends SIGINT; kill, timeout and make send SIGTERM;
 * a closed terminal sends SIGHUP), the temporary files are removed: no
 * "name.tmp.XXXXXX" is ever left behind.
 *
 * A signal handler may only touch lock-free atomic objects and call
 * async-signal-safe functions (unlink, signal and raise are; malloc,
 * free and printf are not), so the slots are atomic pointers, filled and
 * emptied by the program and only read by the handler. */
enum { MAX_PENDING = 64 };
static _Atomic(char *) pending[MAX_PENDING];
static const int INTERRUPTS[] = { SIGINT, SIGTERM, SIGHUP };
enum { N_INTERRUPTS = sizeof INTERRUPTS / sizeof INTERRUPTS[0] };

/* Files closed while a numbers.tex is open: complete, but kept under
 * their temporary names (held_tmp) until numbers_close renames them to
 * their final names (held_path), all together, just before numbers.tex.
 * So a program that fails half-way (training diverged in its second run)
 * writes none of its results, and an interrupted one leaves the previous
 * run's results as they were. */
enum { MAX_HELD = 64 };
static _Atomic(char *) held_tmp[MAX_HELD];
static char *held_path[MAX_HELD];
static int holding = 0;        /* whether results_close holds files */

/* Remove every pending or held temporary file.  Async-signal-safe. */
static void remove_temporary_files(void)
{
    for (int i = 0; i < MAX_PENDING; i++) {
        char *path = pending[i];
        if (path)
            unlink(path);
    }
    for (int i = 0; i < MAX_HELD; i++) {
        char *path = held_tmp[i];
        if (path)
            unlink(path);
    }
}

/* The handler of SIGINT, SIGTERM and SIGHUP: remove the temporary files,
 * then die of the same signal, as the program would have without this
 * handler (so that make and the shell see "interrupted", not an exit
 * status).  The signal is blocked while its handler runs; raise leaves it
 * pending, and it is delivered, with its default action, on return. */
static void remove_temporary_files_and_reraise(int sig)
{
    remove_temporary_files();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Install the cleanup, once: at exit and on each interrupt, except an
 * interrupt the program was started ignoring (nohup, a background job). */
static void watch_for_interrupts(void)
{
    static int installed = 0;
    if (installed)
        return;
    installed = 1;
    atexit(remove_temporary_files);
    for (int i = 0; i < N_INTERRUPTS; i++) {
        struct sigaction old, act;
        if (sigaction(INTERRUPTS[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue;
        memset(&act, 0, sizeof act);
        act.sa_handler = remove_temporary_files_and_reraise;
        sigemptyset(&act.sa_mask);
        sigaction(INTERRUPTS[i], &act, NULL);
    }
}

/* Note path as pending; -1 if every slot is taken. */
static int add_pending(char *path)
{
    watch_for_interrupts();
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] == NULL) {
            pending[i] = path;
            return 0;
        }
    return -1;
}

/* Forget path (before it is freed, so the handler never sees it freed). */
static void remove_from_pending(const char *path)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i] == path)
            pending[i] = NULL;
}

int results_pending_count(void)
{
    int n = 0;
    for (int i = 0; i < MAX_PENDING; i++)
        n += pending[i] != NULL;
    for (int i = 0; i < MAX_HELD; i++)
        n += held_tmp[i] != NULL;
    return n;
}

/* Whether a file can be made in the directory dir: one is made and
 * removed, so that a directory the program may not write in (another
 * user's, on a read-only disk) is found before the program's work, not
 * when its first result is written.  Returns 0, or -1 after a message. */
static int can_write_in(const char *dir)
{
    size_t n = strlen(dir) + sizeof "/.write-test-XXXXXX";
    char *probe = malloc(n);
    if (!probe) {
        fprintf(stderr, "error: out of memory checking '%s'\n", dir);
        return -1;
    }
    snprintf(probe, n, "%s/.write-test-XXXXXX", dir);
    int fd = mkstemp(probe);
    if (fd < 0)
        fprintf(stderr, "error: cannot write in directory '%s': %s\n", dir, strerror(errno));
    else {
        close(fd);
        unlink(probe);
    }
    free(probe);
    return fd < 0 ? -1 : 0;
}

/* 1 when dir is inside a kit's build/results (a folder "build/results"
 * beside a Makefile), which only make's own runs may write: a hand run
 * there would be taken for the chapter's results.  tools/run-chapter.sh,
 * which make runs each chapter with, sets KIT_RUN_BY_MAKE. */
static int in_kit_results(const char *dir)
{
    static const char tail[] = "/build/results";
    size_t t = strlen(tail);
    char real[PATH_MAX], makefile[PATH_MAX + 16];
    if (getenv("KIT_RUN_BY_MAKE") || !realpath(dir, real))
        return 0;
    for (;;) {                            /* dir, then each of its parents */
        size_t n = strlen(real);
        if (n > t && strcmp(real + n - t, tail) == 0) {
            snprintf(makefile, sizeof makefile, "%.*s/Makefile", (int)(n - t), real);
            if (access(makefile, F_OK) == 0)
                return 1;
        }
        char *slash = strrchr(real, '/');
        if (!slash || slash == real)
            return 0;
        *slash = '\0';
    }
}

int make_directories(const char *dir)
{
    char *path = strdup(dir);
    if (!path)
        return -1;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "error: cannot create directory '%s': %s\n", path, strerror(errno));
            free(path);
            return -1;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    struct stat st;
    int ok = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    if (!ok)
        fprintf(stderr, "error: '%s' exists and is not a directory\n", path);
    else if (in_kit_results(path)) {
        fprintf(stderr, "error: '%s' is in this kit's build/results, which only make writes "
                        "(make chNN runs a chapter there); give --out another folder\n", path);
        ok = 0;
    } else
        ok = can_write_in(path) == 0;
    free(path);
    return ok ? 0 : -1;
}

/* Free rf's names (its temporary one no longer pending) and clear it. */
static void results_free(ResultFile *rf)
{
    if (rf->tmp_path)
        remove_from_pending(rf->tmp_path);
    free(rf->path);
    free(rf->tmp_path);
    memset(rf, 0, sizeof *rf);
}

int results_open(ResultFile *rf, const char *dir, const char *name)
{
    memset(rf, 0, sizeof *rf);
    rf->path = join_path(dir, name);
    size_t n = strlen(rf->path) + sizeof ".tmp.XXXXXX";
    rf->tmp_path = malloc(n);
    if (!rf->path || !rf->tmp_path) {
        fprintf(stderr, "error: out of memory opening '%s/%s'\n", dir, name);
        results_free(rf);
        return -1;
    }
    snprintf(rf->tmp_path, n, "%s.tmp.XXXXXX", rf->path);
    if (add_pending(rf->tmp_path) != 0) {
        fprintf(stderr, "error: cannot write '%s': more than %d result files open at once\n",
                rf->path, MAX_PENDING);
        results_free(rf);
        return -1;
    }
    /* From here on an interrupt removes the temporary file. */
    int fd = mkstemp(rf->tmp_path);
    if (fd < 0 || !(rf->fp = fdopen(fd, "w"))) {
        fprintf(stderr, "error: cannot write '%s': %s\n", rf->path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(rf->tmp_path);
        }
        results_free(rf);
        return -1;
    }
    /* mkstemp creates the file 0600; results are ordinary files. */
    fchmod(fd, 0644);
    return 0;
}

/* Keep rf's complete temporary file until results_commit: its two names
 * move from rf to the held list.  -1 if the list is full. */
static int hold(ResultFile *rf)
{
    for (int i = 0; i < MAX_HELD; i++)
        if (held_tmp[i] == NULL) {
            held_path[i] = rf->path;
            held_tmp[i] = rf->tmp_path;      /* held before no longer pending */
            remove_from_pending(rf->tmp_path);
            rf->path = rf->tmp_path = NULL;
            return 0;
        }
    fprintf(stderr, "error: cannot write '%s': more than %d result files in one run\n",
            rf->path, MAX_HELD);
    return -1;
}

int results_close(ResultFile *rf)
{
    int failed = ferror(rf->fp) != 0;
    failed |= fclose(rf->fp) != 0;
    if (failed) {
        fprintf(stderr, "error: cannot write '%s': %s\n", rf->path, strerror(errno));
    } else if (holding) {
        failed = hold(rf) != 0;
    } else if (rename(rf->tmp_path, rf->path) != 0) {
        fprintf(stderr, "error: cannot write '%s': %s\n", rf->path, strerror(errno));
        failed = 1;
    }
    if (failed && rf->tmp_path)
        unlink(rf->tmp_path);
    results_free(rf);
    return failed ? -1 : 0;
}

void results_hold(void)
{
    holding = 1;
}

int results_commit(void)
{
    int status = 0;
    for (int i = 0; i < MAX_HELD; i++) {
        char *tmp = held_tmp[i];
        if (!tmp)
            continue;
        if (rename(tmp, held_path[i]) != 0) {
            fprintf(stderr, "error: cannot write '%s': %s\n", held_path[i], strerror(errno));
            unlink(tmp);
            status = -1;
        }
        held_tmp[i] = NULL;
        free(tmp);
        free(held_path[i]);
        held_path[i] = NULL;
    }
    holding = 0;
    return status;
}

void results_discard(ResultFile *rf)
{
    if (rf->fp) {
        fclose(rf->fp);
        unlink(rf->tmp_path);
    }
    results_free(rf);
}

int numbers_open(Numbers *nb, const char *dir)
{
    results_hold();
    return numbers_open_named(nb, dir, "numbers.tex");
}

int numbers_open_named(Numbers *nb, const char *dir, const char *name)
{
    nb->dir = strdup(dir);
    nb->name = strdup(name);
    nb->text = NULL;
    nb->fp = open_memstream(&nb->text, &nb->size);
    if (!nb->dir || !nb->name || !nb->fp) {
        fprintf(stderr, "error: out of memory for the numbers of '%s'\n", dir);
        return -1;
    }
    fprintf(nb->fp, "%% Generated by the chapter's program: do not edit.\n");
    return 0;
}

void numbers_put(Numbers *nb, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(nb->fp, "\\kitnumber{%s}{", key);
    vfprintf(nb->fp, fmt, ap);
    fprintf(nb->fp, "}\n");
    va_end(ap);
}

void numbers_put_sci(Numbers *nb, const char *key, double v)
{
    if (v == 0.0) {
        numbers_put(nb, key, "0");
        return;
    }
    int e = (int)floor(log10(fabs(v)));
    double mantissa = v / pow(10.0, e);
    if (fabs(mantissa) >= 9.95) {   /* 9.96e-5 would print as 10.0 */
        mantissa /= 10.0;
        e++;
    }
    if (fabs(mantissa - 1.0) < 1e-12) {   /* a power of ten: 10^{-5}, not 1.0\times 10^{-5} */
        numbers_put(nb, key, "10^{%d}", e);
        return;
    }
    numbers_put(nb, key, "%.1f\\times 10^{%d}", mantissa, e);
}

void numbers_put_count(Numbers *nb, const char *key, long n)
{
    char digits[32], text[64];
    int len = snprintf(digits, sizeof digits, "%ld", n < 0 ? -n : n), j = 0;
    if (n < 0)
        text[j++] = '-';
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0 && len > 4) {   /* 1000 stays 1000; 10000 becomes 10{,}000 */
            memcpy(text + j, "{,}", 3);
            j += 3;
        }
        text[j++] = digits[i];
    }
    text[j] = '\0';
    numbers_put(nb, key, "%s", text);
}

int numbers_close(Numbers *nb)
{
    fclose(nb->fp);
    /* numbers.tex marks a complete run: the files held since numbers_open
     * take their names first, and numbers.tex only if they all did. */
    int status = 0;
    if (strcmp(nb->name, "numbers.tex") == 0)
        status = results_commit();
    ResultFile rf;
    if (status == 0)
        status = results_open(&rf, nb->dir, nb->name);
    if (status == 0) {
        fwrite(nb->text, 1, nb->size, rf.fp);
        status = results_close(&rf);
    }
    free(nb->text);
    free(nb->dir);
    free(nb->name);
    memset(nb, 0, sizeof *nb);
    return status;
}

const char *count_in_words(int n, char buf[16])
{
    static const char *const words[] = { "none", "one", "two", "three", "four", "five",
                                         "six", "seven", "eight", "nine", "ten" };
    if (n >= 0 && n <= 10)
        return words[n];
    snprintf(buf, 16, "%d", n);
    return buf;
}
