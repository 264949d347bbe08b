/* ch01_critical_points.h - the mathematics of chapter 01:
 * f(x, y, z) = x^2 + y^2 + z^2 - xyz, its gradient and Hessian, Newton's
 * method on grad f = 0, and the classification of critical points by the
 * eigenvalues of the Hessian.
 */
#ifndef CH01_CRITICAL_POINTS_H
#define CH01_CRITICAL_POINTS_H

/* f(p) for p = (x, y, z). */
double f_value(const double p[3]);

/* g = grad f(p), equation (eq:ch01-gradient). */
void f_gradient(const double p[3], double g[3]);

/* H = the Hessian of f at p, row-major 3 x 3, equation (eq:ch01-hessian). */
void f_hessian(const double p[3], double H[9]);

/* Newton's method on grad f = 0 from start.  Stops when |grad f| <= tol.
 * Returns the number of iterations taken (>= 0) with the point in p, or
 * -1 if it did not converge in max_iter steps, left the box |p_i| <= 1e6,
 * or met a singular Hessian. */
int newton_critical_point(const double start[3], double tol, int max_iter, double p[3]);

typedef enum {
    POINT_MINIMUM,     /* every eigenvalue > 0 */
    POINT_MAXIMUM,     /* every eigenvalue < 0 */
    POINT_SADDLE,      /* eigenvalues of both signs */
    POINT_DEGENERATE   /* some eigenvalue within tol of 0: the test is silent */
} PointKind;

/* Classify a critical point by the eigenvalues of its Hessian. */
PointKind classify_eigenvalues(const double eig[3], double tol);

/* "minimum", "maximum", "saddle point" or "degenerate". */
const char *point_kind_name(PointKind kind);

typedef struct {
    double p[3];        /* the point */
    double f;           /* f(p) */
    double grad_norm;   /* |grad f(p)| */
    double eig[3];      /* eigenvalues of the Hessian, ascending (dsyev) */
    PointKind kind;
    int basin;          /* how many starting points converged here */
} CriticalPoint;

/* Run Newton from each of the n_starts points in starts (3 doubles each),
 * merge the limits closer than merge_tol, and store at most max_points
 * distinct critical points in out, in a fixed order (nearest the origin
 * first, then by x, y, z descending).  Returns how many were found, or -1
 * if there were more than max_points.  *failed counts the starts that did
 * not converge. */
int find_critical_points(const double *starts, int n_starts, double merge_tol,
                         CriticalPoint *out, int max_points, int *failed);

/* The Hessian's eigenvalues at a critical point in closed form, ascending:
 * (2, 2, 2) at the origin, (-2, 4, 4) where |x| = |y| = |z| = 2, xyz = 8. */
void closed_form_eigenvalues(const double p[3], double eig[3]);

/* Fill starts with the n^3 points of a regular grid on [lo, hi]^3. */
void starting_grid(double lo, double hi, int n, double *starts);

#endif
