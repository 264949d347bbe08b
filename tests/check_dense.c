/* check_dense.c - the CBLAS dense layer against plain loops, the oracle. */
#include <math.h>

#include "kit_test.h"
#include "lib/dense.h"
#include "lib/rng.h"

enum { ROWS = 5, N_IN = 7, N_OUT = 3 };

static void fill(Rng *rng, double *x, int n)
{
    for (int i = 0; i < n; i++)
        x[i] = rng_normal(rng);
}

START_TEST(test_forward_matches_loops)
{
    Rng rng;
    rng_seed(&rng, 5);
    double X[ROWS * N_IN], W[N_OUT * N_IN], b[N_OUT], Z[ROWS * N_OUT];
    fill(&rng, X, ROWS * N_IN);
    fill(&rng, W, N_OUT * N_IN);
    fill(&rng, b, N_OUT);
    dense_forward(ROWS, N_IN, N_OUT, X, W, b, Z);
    for (int r = 0; r < ROWS; r++)
        for (int i = 0; i < N_OUT; i++) {
            double z = b[i];
            for (int j = 0; j < N_IN; j++)
                z += W[i * N_IN + j] * X[r * N_IN + j];
            assert_close(Z[r * N_OUT + i], z, 1e-13, "dense_forward (CBLAS), %d rows, %d -> %d: "
                         "Z[%d][%d] (row %d, output %d) against the loop b_i + sum_j W_ij X_rj",
                         ROWS, N_IN, N_OUT, r, i, r, i);
        }
}
END_TEST

START_TEST(test_backward_matches_loops)
{
    Rng rng;
    rng_seed(&rng, 6);
    double X[ROWS * N_IN], W[N_OUT * N_IN], dZ[ROWS * N_OUT];
    double dW[N_OUT * N_IN], db[N_OUT], dX[ROWS * N_IN];
    fill(&rng, X, ROWS * N_IN);
    fill(&rng, W, N_OUT * N_IN);
    fill(&rng, dZ, ROWS * N_OUT);
    dense_backward(ROWS, N_IN, N_OUT, X, W, dZ, dW, db, dX);
    for (int i = 0; i < N_OUT; i++) {
        double sb = 0;
        for (int r = 0; r < ROWS; r++)
            sb += dZ[r * N_OUT + i];
        assert_close(db[i], sb, 1e-13, "dense_backward (CBLAS), %d rows, %d -> %d: db[%d] against "
                     "the loop sum_r dZ_ri", ROWS, N_IN, N_OUT, i);
        for (int j = 0; j < N_IN; j++) {
            double s = 0;
            for (int r = 0; r < ROWS; r++)
                s += dZ[r * N_OUT + i] * X[r * N_IN + j];
            assert_close(dW[i * N_IN + j], s, 1e-13, "dense_backward (CBLAS), %d rows, %d -> %d: "
                         "dW[%d][%d] (output %d, input %d) against the loop sum_r dZ_ri X_rj",
                         ROWS, N_IN, N_OUT, i, j, i, j);
        }
    }
    for (int r = 0; r < ROWS; r++)
        for (int j = 0; j < N_IN; j++) {
            double s = 0;
            for (int i = 0; i < N_OUT; i++)
                s += dZ[r * N_OUT + i] * W[i * N_IN + j];
            assert_close(dX[r * N_IN + j], s, 1e-13, "dense_backward (CBLAS), %d rows, %d -> %d: "
                         "dX[%d][%d] (row %d, input %d) against the loop sum_i dZ_ri W_ij",
                         ROWS, N_IN, N_OUT, r, j, r, j);
        }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("dense");
    TCase *tc = tcase_create("dense");
    tcase_add_test(tc, test_forward_matches_loops);
    tcase_add_test(tc, test_backward_matches_loops);
    suite_add_tcase(s, tc);
    return s;
}
