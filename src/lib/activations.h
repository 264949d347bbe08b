/* activations.h - activation functions as forward/backward pairs.
 *
 * Each forward maps pre-activations z to activations a element by element
 * (softmax: row by row).  Each backward takes the gradient of the loss with
 * respect to the activations, da = dL/da, and returns dz = dL/dz, the chain
 * rule through that one function.  Arrays hold n values; the softmax
 * functions work on `rows` rows of `k` values each.
 *
 * The kink convention: ReLU has no derivative at 0.  The kit takes
 * relu'(0) = 0, everywhere and in every function, as PyTorch does; see
 * chapter 02 for why the choice matters.
 */
#ifndef KIT_ACTIVATIONS_H
#define KIT_ACTIVATIONS_H

/* a = max(0, z) */
void relu_forward(int n, const double *z, double *a);
/* relu'(z) = 1 if z > 0, else 0: the kit's convention at the kink is
 * relu'(0) = 0, as in PyTorch. */
double relu_derivative(double z);
/* dz = da * relu'(z) */
void relu_backward(int n, const double *z, const double *da, double *dz);

/* a = 1 / (1 + exp(-z)) */
void sigmoid_forward(int n, const double *z, double *a);
/* sigmoid'(z) = s (1 - s) with s = sigmoid(z). */
double sigmoid_derivative(double z);
/* dz = da * a (1 - a), written with the forward's output a. */
void sigmoid_backward(int n, const double *a, const double *da, double *dz);

/* f = softmax(z) per row: f_k = exp(z_k - max z) / sum_l exp(z_l - max z). */
void softmax_forward(int rows, int k, const double *z, double *f);
/* dz_k = sum_l df_l f_l (delta_lk - f_k) = f_k (df_k - sum_l f_l df_l):
 * the softmax Jacobian applied to df, row by row. */
void softmax_backward(int rows, int k, const double *f, const double *df, double *dz);

/* The same functions in single precision, for training on MNIST where
 * speed matters.  The ReLU and sigmoid backward passes take the forward's
 * output a (relu'(z) = 1 exactly where a > 0), so a layer need not keep z. */
void relu_forward_f32(int n, const float *z, float *a);
void relu_backward_f32(int n, const float *a, const float *da, float *dz);
void sigmoid_forward_f32(int n, const float *z, float *a);
void sigmoid_backward_f32(int n, const float *a, const float *da, float *dz);
/* softmax per row, and for each row r the log of its normaliser,
 * log sum_l exp(z_rl), into lse[r] when lse is not NULL: the
 * cross-entropy of class y is then lse - z_y, with no log of 0. */
void softmax_forward_f32(int rows, int k, const float *z, float *f, float *lse);
void softmax_backward_f32(int rows, int k, const float *f, const float *df, float *dz);

#endif
