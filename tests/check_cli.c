/* check_cli.c - option values are numbers in range, or an error. */
#include <inttypes.h>

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

Suite *test_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_add_test(tc, test_parse_u64);
    tcase_add_test(tc, test_parse_int);
    tcase_add_test(tc, test_parse_double);
    suite_add_tcase(s, tc);
    return s;
}
