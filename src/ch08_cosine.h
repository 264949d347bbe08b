/* ch08_cosine.h - chapter 08: cosine annealing of the learning rate,
 * counted per step so that the first step uses l_0 and the last l_T. */
#ifndef CH08_COSINE_H
#define CH08_COSINE_H

#include "lib/schedule.h"

/* The last rate a run uses when the formula's T is the number of epochs
 * E and epochs are counted t = 0 .. E - 1, as the problem set describes:
 * l_{E-1} = l_T + (l_0 - l_T)/2 (1 + cos(pi (E - 1) / E)) > l_T. */
double last_rate_counting_epochs(double l0, double lT, int epochs);

#endif
