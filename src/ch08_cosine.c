/* ch08_cosine.c - the mathematics of chapter 08 (see the header); the
 * schedules themselves are the library's (src/lib/schedule.c). */
#include "ch08_cosine.h"

double last_rate_counting_epochs(double l0, double lT, int epochs)
{
    Schedule per_epoch = { .kind = SCHEDULE_COSINE, .lr0 = l0, .lr_min = lT, .T = epochs };
    return schedule_rate(&per_epoch, epochs - 1);
}
