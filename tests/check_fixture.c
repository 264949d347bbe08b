/* check_fixture.c - the reference-tensor reader refuses malformed files
 * with a message naming the file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kit_test.h"
#include "lib/fixture.h"

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    fwrite(data, 1, n, fp);
    fclose(fp);
}

/* A valid file: one tensor "t" of shape (2) holding 1.5 and -2. */
static size_t valid_fixture(unsigned char *buf)
{
    size_t n = 0;
    memcpy(buf, "KITFIX1\n", 8);
    n = 8;
    const unsigned char header[] = { 1, 0, 0, 0, 1, 0, 0, 0, 't', 1, 0, 0, 0, 2, 0, 0, 0 };
    memcpy(buf + n, header, sizeof header);
    n += sizeof header;
    double v[2] = { 1.5, -2.0 };
    memcpy(buf + n, v, sizeof v);
    return n + sizeof v;
}

START_TEST(test_reads_valid_file)
{
    char dir[256], path[512];
    unsigned char buf[128];
    make_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/ok.bin", dir);
    write_bytes(path, buf, valid_fixture(buf));
    Fixture fx;
    ck_assert_int_eq(fixture_load(&fx, path), 0);
    const Tensor *t = fixture_find(&fx, "t");
    ck_assert_ptr_nonnull(t);
    assert_int(t->ndim, ==, 1, "fixture_load of a file with one tensor t of shape (2): t's "
               "number of dimensions");
    assert_int(t->dims[0], ==, 2, "fixture_load of a file with one tensor t of shape (2): t's "
               "dimension 0");
    assert_equal(t->data[1], -2.0, "fixture_load of a file with t = (1.5, -2): t[1]");
    ck_assert_ptr_null(fixture_find(&fx, "u"));
    fixture_free(&fx);
    remove_temp_dir(dir);
}
END_TEST

START_TEST(test_rejects_malformed_files)
{
    char dir[256], path[512];
    unsigned char buf[128];
    make_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/bad.bin", dir);
    size_t n = valid_fixture(buf);
    Fixture fx;

    write_bytes(path, buf, n - 3);                 /* truncated data */
    ck_assert_int_ne(fixture_load(&fx, path), 0);
    write_bytes(path, buf, 10);                    /* truncated header */
    ck_assert_int_ne(fixture_load(&fx, path), 0);
    write_bytes(path, buf, 0);                     /* empty */
    ck_assert_int_ne(fixture_load(&fx, path), 0);
    buf[0] = 'X';                                  /* wrong magic */
    write_bytes(path, buf, n);
    ck_assert_int_ne(fixture_load(&fx, path), 0);
    valid_fixture(buf);
    buf[17] = 9;                                   /* 9 dimensions */
    write_bytes(path, buf, n);
    ck_assert_int_ne(fixture_load(&fx, path), 0);
    valid_fixture(buf);
    buf[n] = 0;                                    /* a byte too many */
    write_bytes(path, buf, n + 1);
    ck_assert_int_ne(fixture_load(&fx, path), 0);
    ck_assert_int_ne(fixture_load(&fx, "/nonexistent/fixture.bin"), 0);
    remove_temp_dir(dir);
}
END_TEST

/* A FIFO given as a fixture (chapter 05's --reference, say) is refused
 * at once: opening it for reading would wait for a writer (the suite's
 * time limit ends this test if the reader hangs). */
START_TEST(test_rejects_fifo)
{
    char dir[256], path[512], msg[512], expected[600];
    make_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/reference.bin", dir);
    ck_assert_msg(mkfifo(path, 0600) == 0, "mkfifo %s: %s", path, strerror(errno));
    Fixture fx;
    StderrCapture cap;
    capture_stderr_begin(&cap);
    int rc = fixture_load(&fx, path);
    capture_stderr_end(&cap, msg, sizeof msg);
    assert_int(rc, ==, -1, "fixture_load(%s) of a FIFO: return value", path);
    ck_assert_msg(fx.n == 0 && fx.tensors == NULL, "fixture_load of a FIFO: fx is not empty");
    snprintf(expected, sizeof expected, "error: %s: not a regular file\n", path);
    ck_assert_msg(strcmp(msg, expected) == 0, "fixture_load of a FIFO: printed \"%s\", expected "
                  "\"%s\"", msg, expected);
    remove_temp_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("fixture");
    TCase *tc = tcase_create("fixture");
    tcase_add_test(tc, test_reads_valid_file);
    tcase_add_test(tc, test_rejects_malformed_files);
    tcase_add_test(tc, test_rejects_fifo);
    suite_add_tcase(s, tc);
    return s;
}
