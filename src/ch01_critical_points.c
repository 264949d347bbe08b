/* ch01_critical_points.c - the mathematics of chapter 01 (see the header).
 * The program that runs it is ch01_critical_points_main.c; the tests in
 * tests/check_ch01_critical_points.c call these same functions. */
#include "ch01_critical_points.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/linalg.h"

double f_value(const double p[3])
{
    double x = p[0], y = p[1], z = p[2];
    return x * x + y * y + z * z - x * y * z;
}

/* @listing begin ch01_gradient */
/* grad f = (2x - yz, 2y - xz, 2z - xy): equation (eq:ch01-gradient). */
void f_gradient(const double p[3], double g[3])
{
    double x = p[0], y = p[1], z = p[2];
    /* @solution begin ch01_gradient */
    g[0] = 2.0 * x - y * z;
    g[1] = 2.0 * y - x * z;
    g[2] = 2.0 * z - x * y;
    /* @solution end ch01_gradient */
}
/* @listing end ch01_gradient */

/* @listing begin ch01_hessian */
/* The Hessian, equation (eq:ch01-hessian): 2 on the diagonal and
 * d^2 f / dx dy = -z, d^2 f / dx dz = -y, d^2 f / dy dz = -x. */
void f_hessian(const double p[3], double H[9])
{
    double x = p[0], y = p[1], z = p[2];
    /* @solution begin ch01_hessian */
    double rows[9] = {
        2.0, -z, -y,
        -z, 2.0, -x,
        -y, -x, 2.0,
    };
    /* @solution end ch01_hessian */
    memcpy(H, rows, sizeof rows);
}
/* @listing end ch01_hessian */

/* @listing begin ch01_newton */
/* Newton's method on grad f = 0: solve H(p) d = -grad f(p), step p += d. */
int newton_critical_point(const double start[3], double tol, int max_iter, double p[3])
{
    double g[3], H[9];
    memcpy(p, start, 3 * sizeof(double));
    for (int iter = 0; iter <= max_iter; iter++) {
        f_gradient(p, g);
        if (vec_norm(3, g) <= tol)
            return iter;
        if (iter == max_iter)
            break;
        /* @solution begin ch01_newton */
        f_hessian(p, H);
        double d[3] = { -g[0], -g[1], -g[2] };
        if (solve_linear(3, H, d) != 0)
            return -1;                       /* singular Hessian */
        for (int i = 0; i < 3; i++)
            p[i] += d[i];
        /* @solution end ch01_newton */
        if (fabs(p[0]) > 1e6 || fabs(p[1]) > 1e6 || fabs(p[2]) > 1e6)
            return -1;                       /* running away */
    }
    return -1;
}
/* @listing end ch01_newton */

/* @listing begin ch01_classify */
PointKind classify_eigenvalues(const double eig[3], double tol)
{
    int positive = 0, negative = 0;
    for (int i = 0; i < 3; i++) {
        if (eig[i] > tol)
            positive++;
        else if (eig[i] < -tol)
            negative++;
    }
    if (positive == 3)
        return POINT_MINIMUM;
    if (negative == 3)
        return POINT_MAXIMUM;
    if (positive > 0 && negative > 0)
        return POINT_SADDLE;
    return POINT_DEGENERATE;
}
/* @listing end ch01_classify */

const char *point_kind_name(PointKind kind)
{
    switch (kind) {
    case POINT_MINIMUM: return "minimum";
    case POINT_MAXIMUM: return "maximum";
    case POINT_SADDLE: return "saddle point";
    case POINT_DEGENERATE: return "degenerate";
    }
    return "?";
}

/* The fixed order of the table: nearest the origin first, then x, y, z
 * descending, so (0,0,0), (2,2,2), (2,-2,-2), (-2,2,-2), (-2,-2,2). */
static int compare_points(const void *a, const void *b)
{
    const CriticalPoint *pa = a, *pb = b;
    double na = vec_norm(3, pa->p), nb = vec_norm(3, pb->p);
    if (fabs(na - nb) > 1e-6)
        return na < nb ? -1 : 1;
    for (int i = 0; i < 3; i++)
        if (fabs(pa->p[i] - pb->p[i]) > 1e-6)
            return pa->p[i] > pb->p[i] ? -1 : 1;
    return 0;
}

static double distance3(const double a[3], const double b[3])
{
    double d[3] = { a[0] - b[0], a[1] - b[1], a[2] - b[2] };
    return vec_norm(3, d);
}

int find_critical_points(const double *starts, int n_starts, double merge_tol,
                         CriticalPoint *out, int max_points, int *failed)
{
    int found = 0;
    *failed = 0;
    for (int s = 0; s < n_starts; s++) {
        double p[3];
        if (newton_critical_point(starts + 3 * s, 1e-13, 100, p) < 0) {
            (*failed)++;
            continue;
        }
        int k = 0;
        while (k < found && distance3(out[k].p, p) > merge_tol)
            k++;
        if (k == found) {
            if (found == max_points)
                return -1;
            memset(&out[k], 0, sizeof out[k]);
            memcpy(out[k].p, p, sizeof p);
            found++;
        }
        out[k].basin++;
    }
    for (int k = 0; k < found; k++) {
        double g[3], H[9];
        CriticalPoint *c = &out[k];
        c->f = f_value(c->p);
        f_gradient(c->p, g);
        c->grad_norm = vec_norm(3, g);
        f_hessian(c->p, H);
        if (sym_eigenvalues(3, H, c->eig) != 0)
            return -1;
        c->kind = classify_eigenvalues(c->eig, 1e-8);
    }
    qsort(out, (size_t)found, sizeof *out, compare_points);
    return found;
}

/* H = 2I at the origin.  At the other four, H = 4I - (1/2) p p^T
 * (equation ch01:hessian-rank-one): p itself has eigenvalue
 * 4 - |p|^2 / 2 = -2 and the plane orthogonal to p has eigenvalue 4. */
void closed_form_eigenvalues(const double p[3], double eig[3])
{
    if (vec_norm(3, p) < 1e-6) {
        eig[0] = eig[1] = eig[2] = 2.0;
    } else {
        eig[0] = -2.0;
        eig[1] = eig[2] = 4.0;
    }
}

void starting_grid(double lo, double hi, int n, double *starts)
{
    double step = n > 1 ? (hi - lo) / (n - 1) : 0.0;
    int s = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++) {
                starts[3 * s + 0] = lo + step * i;
                starts[3 * s + 1] = lo + step * j;
                starts[3 * s + 2] = lo + step * k;
                s++;
            }
}
