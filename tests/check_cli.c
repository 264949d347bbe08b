/* check_cli.c - option values are numbers in range, or an error. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kit_test.h"
#include "lib/cli.h"

START_TEST(test_parse_u64)
{
    uint64_t v;
    ck_assert_int_eq(parse_u64("--seed", "18446744073709551615", &v), 0);
    ck_assert_msg(v == UINT64_MAX, "parse_u64 of \"18446744073709551615\": got %" PRIu64
                  ", expected UINT64_MAX", v);
    ck_assert_int_ne(parse_u64("--seed", "18446744073709551616", &v), 0);
    ck_assert_int_ne(parse_u64("--seed", "-1", &v), 0);
    ck_assert_int_ne(parse_u64("--seed", "12abc", &v), 0);
    ck_assert_int_ne(parse_u64("--seed", "", &v), 0);
}
END_TEST

/* Numbers are read strictly (cli.h): each text below is refused by every
 * parser that could otherwise have read it. */
START_TEST(test_strict_numbers)
{
    static const char *const bad[] = {
        " 1",       /* a leading space (strtoull skips it) */
        "1 ",       /* a trailing space */
        "+1",       /* a sign on an unsigned value, or a needless one */
        " -1",      /* strtoull reads 2^64 - 1 */
        "12abc",    /* trailing junk */
        "0x10",     /* hexadecimal: strtod reads 16 */
        "010",      /* octal to C, ten to a person: refused */
        "00",       /* a leading zero */
        "",         /* empty */
        "1e",       /* an exponent without digits */
        "infinity", /* strtod reads it */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t u;
        int n;
        double d;
        if (bad[i][0] != '+')
            ck_assert_msg(parse_u64("--seed", bad[i], &u) != 0, "parse_u64 accepted \"%s\"", bad[i]);
        if (strcmp(bad[i], "+1") != 0) {
            ck_assert_msg(parse_int("--grid", bad[i], -100, 100, &n) != 0,
                          "parse_int accepted \"%s\"", bad[i]);
            ck_assert_msg(parse_double("--lr", bad[i], -100, 100, &d) != 0,
                          "parse_double accepted \"%s\"", bad[i]);
        }
    }
    uint64_t u;
    ck_assert_msg(parse_u64("--seed", "+1", &u) != 0, "parse_u64 accepted \"+1\"");
    ck_assert_msg(parse_u64("--seed", "0", &u) == 0 && u == 0, "parse_u64 refused \"0\"");
    int n;
    ck_assert_msg(parse_int("--grid", "-7", -10, 10, &n) == 0 && n == -7, "parse_int of \"-7\"");
    ck_assert_msg(parse_int("--grid", "0", -10, 10, &n) == 0 && n == 0, "parse_int of \"0\"");
    double d;
    ck_assert_msg(parse_double("--lr", "0.5", 0, 1, &d) == 0 && d == 0.5, "parse_double of \"0.5\"");
    ck_assert_msg(parse_double("--lr", "1e-3", 0, 1, &d) == 0 && d == 1e-3, "parse_double of \"1e-3\"");
    ck_assert_msg(parse_double("--lr", "-2.5E+1", -100, 0, &d) == 0 && d == -25.0,
                  "parse_double of \"-2.5E+1\"");
    ck_assert_msg(parse_double("--lr", ".5", 0, 1, &d) == 0 && d == 0.5, "parse_double of \".5\"");
    ck_assert_msg(parse_double("--lr", "1e-400", 0, 1, &d) != 0, "parse_double accepted an underflow");
}
END_TEST

START_TEST(test_parse_int)
{
    int v;
    ck_assert_int_eq(parse_int("--grid", "14", 1, 200, &v), 0);
    assert_int(v, ==, 14, "parse_int of \"14\" in [1, 200]");
    ck_assert_int_ne(parse_int("--grid", "0", 1, 200, &v), 0);
    ck_assert_int_ne(parse_int("--grid", "201", 1, 200, &v), 0);
    ck_assert_int_ne(parse_int("--grid", "1.5", 1, 200, &v), 0);
    ck_assert_int_ne(parse_int("--grid", "99999999999999999999", 1, 200, &v), 0);
}
END_TEST

START_TEST(test_parse_double)
{
    double v;
    ck_assert_int_eq(parse_double("--lr", "0.1", 0, 10, &v), 0);
    assert_equal(v, 0.1, "parse_double of \"0.1\" in [0, 10]");
    ck_assert_int_ne(parse_double("--lr", "nan", 0, 10, &v), 0);
    ck_assert_int_ne(parse_double("--lr", "inf", 0, 1e300, &v), 0);
    ck_assert_int_ne(parse_double("--lr", "-1", 0, 10, &v), 0);
    ck_assert_int_ne(parse_double("--lr", "0.1x", 0, 10, &v), 0);
}
END_TEST

/* A table of every kind of option, read from one command line. */
START_TEST(test_option_table)
{
    int grid = 14, verbose = 0;
    uint64_t seed = 1;
    double lr = 0.1;
    const char *out = "build/results", *run = "all";
    const Option table[] = {
        { "grid", "N", OPT_INT, &grid, 1, 200, "grid points" },
        { "seed", "N", OPT_U64, &seed, 0, 0, "seed" },
        { "lr", "RATE", OPT_DOUBLE, &lr, 0.0, 10.0, "learning rate" },
        { "out", "DIR", OPT_STRING, &out, 0, 0, "results" },
        { "run", "all|some", OPT_CHOICE, &run, 0, 0, "which runs" },
        { "verbose", NULL, OPT_FLAG, &verbose, 0, 0, "say more" },
        { 0 },
    };
    char *argv[] = { "prog", "--grid", "7", "--seed=18446744073709551615", "--lr", "2.5",
                     "--out", "/tmp/x", "--run", "some", "--verbose", NULL };
    parse_options(11, argv, table, "A test.");
    assert_int(grid, ==, 7, "--grid 7");
    ck_assert_msg(seed == UINT64_MAX, "--seed=18446744073709551615: got %" PRIu64, seed);
    assert_equal(lr, 2.5, "--lr 2.5");
    ck_assert_str_eq(out, "/tmp/x");
    ck_assert_str_eq(run, "some");
    assert_int(verbose, ==, 1, "--verbose");

    /* Untouched values keep their defaults. */
    char *none[] = { "prog", NULL };
    grid = 14;
    parse_options(1, none, table, "A test.");
    assert_int(grid, ==, 14, "no options: --grid keeps its default");
}
END_TEST

/* Each bad command line is a usage error: exit status 2. */
static void parse_and_exit(int argc, char **argv)
{
    int grid = 14;
    const char *run = "all", *out = "results";
    const Option table[] = {
        { "grid", "N", OPT_INT, &grid, 1, 200, "grid points" },
        { "run", "all|some", OPT_CHOICE, &run, 0, 0, "which runs" },
        { "out", "DIR", OPT_STRING, &out, 0, 0, "results" },
        { 0 },
    };
    parse_options(argc, argv, table, "A test.");
    exit(0);
}

START_TEST(test_option_table_rejects_grid_octal)
{
    char *argv[] = { "prog", "--grid", "010", NULL };
    parse_and_exit(3, argv);
}
END_TEST

START_TEST(test_option_table_rejects_bad_choice)
{
    char *argv[] = { "prog", "--run", "al", NULL };
    parse_and_exit(3, argv);
}
END_TEST

START_TEST(test_option_table_rejects_empty_name)
{
    char *argv[] = { "prog", "--out", "", NULL };
    parse_and_exit(3, argv);
}
END_TEST

START_TEST(test_option_table_rejects_unknown_option)
{
    char *argv[] = { "prog", "--bogus", NULL };
    parse_and_exit(2, argv);
}
END_TEST

START_TEST(test_option_table_rejects_leftover_argument)
{
    char *argv[] = { "prog", "--grid", "3", "extra", NULL };
    parse_and_exit(4, argv);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_add_test(tc, test_parse_u64);
    tcase_add_test(tc, test_parse_int);
    tcase_add_test(tc, test_parse_double);
    tcase_add_test(tc, test_strict_numbers);
    tcase_add_test(tc, test_option_table);
    suite_add_tcase(s, tc);
    /* Tests that end in exit(): each needs a process of its own (Check's
     * fork), so the run under valgrind, with CK_FORK=no, leaves out this
     * case by its tag (tools/checks.py --valgrind). */
    TCase *exits = tcase_create("exits");
    tcase_set_tags(exits, "needs-fork");
    tcase_add_exit_test(exits, test_option_table_rejects_grid_octal, EXIT_USAGE);
    tcase_add_exit_test(exits, test_option_table_rejects_bad_choice, EXIT_USAGE);
    tcase_add_exit_test(exits, test_option_table_rejects_empty_name, EXIT_USAGE);
    tcase_add_exit_test(exits, test_option_table_rejects_unknown_option, EXIT_USAGE);
    tcase_add_exit_test(exits, test_option_table_rejects_leftover_argument, EXIT_USAGE);
    suite_add_tcase(s, exits);
    return s;
}
