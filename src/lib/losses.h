/* losses.h - loss functions and their gradients, averaged over a batch.
 *
 * f and y are rows x k (row-major): predictions and targets (one-hot for
 * classification).  Each loss returns the mean over the rows of the
 * per-sample loss; each gradient writes dL/df (or dL/dz) for that mean,
 * so it carries the factor 1/rows.
 */
#ifndef KIT_LOSSES_H
#define KIT_LOSSES_H

/* L = (1/rows) sum_r 1/2 sum_k (f_rk - y_rk)^2 */
double quadratic_loss(int rows, int k, const double *f, const double *y);
/* df = (f - y) / rows */
void quadratic_loss_backward(int rows, int k, const double *f, const double *y, double *df);

/* L = -(1/rows) sum_r sum_k y_rk log f_rk, for f a softmax output.  A
 * probability of exactly 0 where y > 0 gives +infinity, honestly. */
double cross_entropy_loss(int rows, int k, const double *f, const double *y);
/* For softmax followed by cross-entropy, the gradient with respect to the
 * logits z is simply dz = (f - y) / rows (when each row of y sums to 1). */
void softmax_cross_entropy_backward(int rows, int k, const double *f, const double *y, double *dz);

#endif
