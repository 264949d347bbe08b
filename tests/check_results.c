/* check_results.c - results appear whole or not at all. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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

START_TEST(test_unwritable_directory)
{
    ResultFile rf;
    ck_assert_int_ne(results_open(&rf, "/nonexistent-kit-dir", "c.dat"), 0);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("results");
    TCase *tc = tcase_create("results");
    tcase_add_test(tc, test_file_appears_only_when_closed);
    tcase_add_test(tc, test_discard_leaves_nothing);
    tcase_add_test(tc, test_numbers_file);
    tcase_add_test(tc, test_make_directories);
    tcase_add_test(tc, test_unwritable_directory);
    suite_add_tcase(s, tc);
    return s;
}
