/* ch02_relu.h - the mathematics of chapter 02: one ReLU unit with one
 * input, f(b, w) = ReLU(b + x w), and its gradient in (b, w). */
#ifndef CH02_RELU_H
#define CH02_RELU_H

/* f(b, w) = ReLU(b + x w) */
double relu_unit(double b, double w, double x);

/* g = (df/db, df/dw) = relu'(b + x w) (1, x), equation (eq:ch02-gradient),
 * with the kit's convention relu'(0) = 0. */
void relu_unit_gradient(double b, double w, double x, double g[2]);

/* g = the central finite differences of f in b and in w, step h. */
void relu_unit_fd_gradient(double b, double w, double x, double h, double g[2]);

#endif
