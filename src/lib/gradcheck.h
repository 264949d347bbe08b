/* gradcheck.h - a whole network's gradient against central finite
 * differences: the check that chapters 03 and 07 run on mlp_backward. */
#ifndef KIT_GRADCHECK_H
#define KIT_GRADCHECK_H

#include "mlp.h"

/* Compare every gradient of the mean loss on (X, Y) (rows samples) with
 * central differences of step h, perturbing each weight, bias and
 * projection W_s in turn.  Returns the largest relative error over the
 * parameter tensors, each measured as a whole: |g - g_fd| / max(|g|, |g_fd|). */
double network_gradient_check(Mlp *net, int rows, const double *X, const double *Y, double h);

#endif
