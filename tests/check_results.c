/* check_results.c - results appear whole or not at all. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kit_test.h"
#include "lib/results.h"

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void read_file(const char *path, char *buf, size_t n)
{
    FILE *fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    size_t got = fread(buf, 1, n - 1, fp);
    buf[got] = '\0';
    fclose(fp);
}

START_TEST(test_file_appears_only_when_closed)
{
    char dir[256], path[512], buf[64];
    make_temp_dir(dir, sizeof dir);
    ResultFile rf;
    ck_assert_int_eq(results_open(&rf, dir, "a.dat"), 0);
    fprintf(rf.fp, "1 2 3\n");
    snprintf(path, sizeof path, "%s/a.dat", dir);
    struct stat st;
    ck_assert_msg(stat(path, &st) != 0, "%s exists before results_close; a result must appear "
                  "only when whole", path);
    ck_assert_int_eq(results_close(&rf), 0);
    read_file(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "1 2 3\n");
    assert_int(count_files(dir), ==, 1, "files in %s after results_close of a.dat (a temporary "
               "file left behind?)", dir);
    remove_temp_dir(dir);
}
END_TEST

START_TEST(test_discard_leaves_nothing)
{
    char dir[256];
    make_temp_dir(dir, sizeof dir);
    ResultFile rf;
    ck_assert_int_eq(results_open(&rf, dir, "b.dat"), 0);
    fprintf(rf.fp, "half a result");
    results_discard(&rf);
    assert_int(count_files(dir), ==, 0, "files in %s after results_discard of b.dat", dir);
    remove_temp_dir(dir);
}
END_TEST

START_TEST(test_numbers_file)
{
    char dir[256], path[512], buf[256];
    make_temp_dir(dir, sizeof dir);
    Numbers nb;
    ck_assert_int_eq(numbers_open(&nb, dir), 0);
    numbers_put(&nb, "ch00.answer", "%d", 42);
    ck_assert_int_eq(numbers_close(&nb), 0);
    snprintf(path, sizeof path, "%s/numbers.tex", dir);
    read_file(path, buf, sizeof buf);
    ck_assert_msg(strstr(buf, "\\kitnumber{ch00.answer}{42}\n") != NULL,
                  "numbers_put(\"ch00.answer\", \"%%d\", 42): %s should hold the line "
                  "\\kitnumber{ch00.answer}{42}; it holds: %s", path, buf);
    remove_temp_dir(dir);
}
END_TEST

/* Numbers in the book's style: scientific notation with one decimal, an
 * exact power of ten without its "1.0 x" (a measured 9.97e-5 keeps it),
 * a count as a word up to ten. */
START_TEST(test_number_formats)
{
    char dir[256], path[512], buf[512], word[16];
    make_temp_dir(dir, sizeof dir);
    Numbers nb;
    ck_assert_int_eq(numbers_open(&nb, dir), 0);
    numbers_put_sci(&nb, "ch00.sci", 1.44e-14);
    numbers_put_sci(&nb, "ch00.power", 1e-5);
    numbers_put_sci(&nb, "ch00.round", 9.97e-5);
    numbers_put(&nb, "ch00.five", "%s", count_in_words(5, word));
    numbers_put(&nb, "ch00.many", "%s", count_in_words(12, word));
    ck_assert_int_eq(numbers_close(&nb), 0);
    snprintf(path, sizeof path, "%s/numbers.tex", dir);
    read_file(path, buf, sizeof buf);
    const char *lines[] = { "\\kitnumber{ch00.sci}{1.4\\times 10^{-14}}\n",
                            "\\kitnumber{ch00.power}{10^{-5}}\n",
                            "\\kitnumber{ch00.round}{1.0\\times 10^{-4}}\n",
                            "\\kitnumber{ch00.five}{five}\n", "\\kitnumber{ch00.many}{12}\n" };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ck_assert_msg(strstr(buf, lines[i]) != NULL, "numbers_put_sci and count_in_words: %s should "
                      "hold the line %s; it holds: %s", path, lines[i], buf);
    remove_temp_dir(dir);
}
END_TEST

START_TEST(test_make_directories)
{
    char dir[256], deep[512];
    make_temp_dir(dir, sizeof dir);
    snprintf(deep, sizeof deep, "%s/x", dir);
    ck_assert_int_eq(make_directories(deep), 0);
    ck_assert_int_eq(make_directories(deep), 0);   /* already there: fine */
    rmdir(deep);
    remove_temp_dir(dir);
    /* A path through a regular file cannot be made. */
    ck_assert_int_ne(make_directories("/proc/version/x"), 0);
}
END_TEST

/* A kit's build/results (build/results beside a Makefile) is written only
 * by make's own runs (tools/run-chapter.sh sets KIT_RUN_BY_MAKE): a hand
 * run with --out build/results/ch01 is refused, naming the folder, where
 * it was taken for the chapter's results. */
START_TEST(test_make_directories_refuses_kit_results)
{
    char dir[256], path[512], msg[512];
    make_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/Makefile", dir);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fclose(fp);
    snprintf(path, sizeof path, "%s/build/results/ch01", dir);
    unsetenv("KIT_RUN_BY_MAKE");
    StderrCapture cap;
    capture_stderr_begin(&cap);
    int rc = make_directories(path);
    capture_stderr_end(&cap, msg, sizeof msg);
    assert_int(rc, ==, -1, "make_directories of a kit's build/results/ch01 in a hand run");
    ck_assert_msg(strstr(msg, "only make writes") != NULL,
                  "make_directories(\"%s\") printed '%s', not that only make writes there", path, msg);
    setenv("KIT_RUN_BY_MAKE", "1", 1);
    assert_int(make_directories(path), ==, 0, "make_directories of build/results/ch01 run by make");
    unsetenv("KIT_RUN_BY_MAKE");
    snprintf(path, sizeof path, "%s/build/elsewhere", dir);
    assert_int(make_directories(path), ==, 0, "make_directories of another folder of the kit");
    const char *made[] = { "build/results/ch01", "build/results", "build/elsewhere", "build" };
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, made[i]);
        rmdir(path);
    }
    remove_temp_dir(dir);
}
END_TEST

/* A directory that exists but in which no file can be made (/proc/self,
 * even for root) is refused by make_directories, naming it, so that a
 * program stops before its work rather than at its first result. */
START_TEST(test_make_directories_refuses_unwritable)
{
    char msg[512];
    StderrCapture cap;
    capture_stderr_begin(&cap);
    int rc = make_directories("/proc/self");
    capture_stderr_end(&cap, msg, sizeof msg);
    assert_int(rc, ==, -1, "make_directories(\"/proc/self\"), where no file can be made");
    ck_assert_msg(strstr(msg, "cannot write in directory '/proc/self'") != NULL,
                  "make_directories(\"/proc/self\") printed '%s', not naming the directory it "
                  "cannot write in", msg);
}
END_TEST

START_TEST(test_unwritable_directory)
{
    ResultFile rf;
    ck_assert_int_ne(results_open(&rf, "/nonexistent-kit-dir", "c.dat"), 0);
}
END_TEST

START_TEST(test_pending_count)
{
    char dir[256];
    make_temp_dir(dir, sizeof dir);
    ResultFile a, b;
    ck_assert_int_eq(results_open(&a, dir, "a.dat"), 0);
    ck_assert_int_eq(results_open(&b, dir, "b.dat"), 0);
    assert_int(results_pending_count(), ==, 2, "results_pending_count with a.dat and b.dat open");
    ck_assert_int_eq(results_close(&a), 0);
    results_discard(&b);
    assert_int(results_pending_count(), ==, 0, "results_pending_count after closing a.dat and "
               "discarding b.dat");
    char path[512];
    snprintf(path, sizeof path, "%s/a.dat", dir);
    unlink(path);
    remove_temp_dir(dir);
}
END_TEST

/* Run body(dir, how) in a child process, as a separate program would
 * run; body ends the child itself.  Returns the child's wait status. */
static int in_child(void (*body)(const char *dir, int how), const char *dir, int how)
{
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork failed");
    if (pid == 0) {
        body(dir, how);
        _exit(97);              /* not reached: body ends the child */
    }
    int status;
    ck_assert_msg(waitpid(pid, &status, 0) == pid, "waitpid failed");
    return status;
}

/* Open dir/half.dat, write to it, then end as `how` says: 'x' exit(1)
 * without closing it (a program's error path), or a signal number: that
 * signal, as Ctrl-C or kill would send it. */
static void leave_file_open(const char *dir, int how)
{
    ResultFile rf;
    if (results_open(&rf, dir, "half.dat") != 0)
        _exit(99);
    fprintf(rf.fp, "half a result\n");
    fflush(rf.fp);
    if (how == 'x')
        exit(1);
    kill(getpid(), how);
    _exit(98);                  /* not reached: the signal ends the child */
}

/* A program that exits after an error, with a result file open, leaves
 * no temporary file behind (results.c removes it at exit). */
START_TEST(test_exit_removes_temporary)
{
    char dir[256];
    make_temp_dir(dir, sizeof dir);
    int status = in_child(leave_file_open, dir, 'x');
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1,
                  "the child should exit with status 1 (wait status %#x)", status);
    assert_int(count_files(dir), ==, 0, "files in %s after exit(1) with half.dat open "
               "(its temporary file half.dat.tmp.* was left behind)", dir);
    remove_temp_dir(dir);
}
END_TEST

/* SIGINT (Ctrl-C) and SIGTERM (kill, make, timeout) with a result file
 * open: the temporary file is removed and the program still dies of the
 * signal, so that make and the shell see it was interrupted. */
START_TEST(test_interrupt_removes_temporary)
{
    const int signals[] = { SIGINT, SIGTERM };
    for (int i = 0; i < 2; i++) {
        char dir[256];
        make_temp_dir(dir, sizeof dir);
        int status = in_child(leave_file_open, dir, signals[i]);
        ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == signals[i],
                      "a child sent signal %d should die of it (wait status %#x); the handler "
                      "must re-raise the signal after removing the temporary files",
                      signals[i], status);
        assert_int(count_files(dir), ==, 0, "files in %s after signal %d with half.dat open "
                   "(its temporary file half.dat.tmp.* was left behind)", dir, signals[i]);
        remove_temp_dir(dir);
    }
}
END_TEST

/* Write past a file size limit of 1000 bytes: exit 0 when results_close
 * says it failed. */
static void write_past_full_disk(const char *dir, int unused)
{
    (void)unused;
    struct rlimit limit = { 1000, 1000 };
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0)
        _exit(99);
    ResultFile rf;
    if (results_open(&rf, dir, "big.dat") != 0)
        _exit(98);
    for (int i = 0; i < 10000; i++)
        fprintf(rf.fp, "%d\n", i);
    _exit(results_close(&rf) == -1 ? 0 : 1);
}

/* A full disk, imitated by a limit on the size of a file (RLIMIT_FSIZE,
 * with SIGXFSZ ignored, so a write past it fails with EFBIG): results_close
 * reports the failure, and neither the file nor its temporary is left. */
START_TEST(test_full_disk_leaves_nothing)
{
    char dir[256];
    make_temp_dir(dir, sizeof dir);
    int status = in_child(write_past_full_disk, dir, 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "results_close of a file larger than the disk allows should return -1 "
                  "(child wait status %#x)", status);
    assert_int(count_files(dir), ==, 0, "files in %s after a write failed for want of space", dir);
    remove_temp_dir(dir);
}
END_TEST

/* Between numbers_open and numbers_close, closed files wait under their
 * temporary names and appear together with numbers.tex. */
START_TEST(test_files_appear_with_numbers)
{
    char dir[256], path[512];
    make_temp_dir(dir, sizeof dir);
    Numbers nb;
    ResultFile rf;
    ck_assert_int_eq(numbers_open(&nb, dir), 0);
    ck_assert_int_eq(results_open(&rf, dir, "curve.dat"), 0);
    fprintf(rf.fp, "1 2\n");
    ck_assert_int_eq(results_close(&rf), 0);
    snprintf(path, sizeof path, "%s/curve.dat", dir);
    struct stat st;
    ck_assert_msg(stat(path, &st) != 0, "%s exists while numbers.tex is open; a run's results "
                  "must appear together with its numbers.tex", path);
    assert_int(results_pending_count(), ==, 1, "results_pending_count with curve.dat held");
    ck_assert_int_eq(numbers_close(&nb), 0);
    ck_assert_msg(stat(path, &st) == 0, "%s is missing after numbers_close", path);
    assert_int(count_files(dir), ==, 2, "files in %s after numbers_close (curve.dat and "
               "numbers.tex, no temporary file)", dir);
    assert_int(results_pending_count(), ==, 0, "results_pending_count after numbers_close");
    unlink(path);
    snprintf(path, sizeof path, "%s/numbers.tex", dir);
    unlink(path);
    remove_temp_dir(dir);
}
END_TEST

/* A first run's result, closed, then exit(1) before numbers_close. */
static void fail_after_first_run(const char *dir, int unused)
{
    (void)unused;
    Numbers nb;
    ResultFile rf;
    if (numbers_open(&nb, dir) != 0 || results_open(&rf, dir, "first_run.dat") != 0)
        _exit(99);
    fprintf(rf.fp, "a complete result of a first run\n");
    if (results_close(&rf) != 0)
        _exit(98);
    exit(1);                    /* the second run failed */
}

/* A program that writes a file and then fails before numbers_close (its
 * second run diverged, say) leaves nothing at all. */
START_TEST(test_failed_run_writes_nothing)
{
    char dir[256];
    make_temp_dir(dir, sizeof dir);
    int status = in_child(fail_after_first_run, dir, 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1,
                  "the child should exit with status 1 (wait status %#x)", status);
    assert_int(count_files(dir), ==, 0, "files in %s after a run wrote first_run.dat and then "
               "failed before numbers_close", dir);
    remove_temp_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("results");
    TCase *tc = tcase_create("results");
    tcase_add_test(tc, test_file_appears_only_when_closed);
    tcase_add_test(tc, test_discard_leaves_nothing);
    tcase_add_test(tc, test_numbers_file);
    tcase_add_test(tc, test_number_formats);
    tcase_add_test(tc, test_make_directories);
    tcase_add_test(tc, test_make_directories_refuses_unwritable);
    tcase_add_test(tc, test_make_directories_refuses_kit_results);
    tcase_add_test(tc, test_unwritable_directory);
    tcase_add_test(tc, test_pending_count);
    tcase_add_test(tc, test_exit_removes_temporary);
    tcase_add_test(tc, test_interrupt_removes_temporary);
    tcase_add_test(tc, test_full_disk_leaves_nothing);
    tcase_add_test(tc, test_files_appear_with_numbers);
    tcase_add_test(tc, test_failed_run_writes_nothing);
    suite_add_tcase(s, tc);
    return s;
}
