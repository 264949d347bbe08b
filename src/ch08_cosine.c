/* ch08_cosine.c - the mathematics of chapter 08 (see the header); the
 * schedules themselves are the library's (src/lib/schedule.c). */
#include "ch08_cosine.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double last_rate_counting_epochs(double l0, double lT, int epochs)
{
    Schedule per_epoch = { .kind = SCHEDULE_COSINE, .lr0 = l0, .lr_min = lT, .T = epochs };
    return schedule_rate(&per_epoch, epochs - 1);
}

void cosine_rate_points(double l0, double lT, long steps, long t[COSINE_POINTS],
                        double rate[COSINE_POINTS])
{
    Schedule s = cosine_for_run(l0, lT, steps);
    long T = s.T;
    long at[COSINE_POINTS] = { 0, lround(T / 4.0), lround(T / 2.0), lround(3.0 * T / 4.0), T - 1, T };
    for (int i = 0; i < COSINE_POINTS; i++) {
        t[i] = at[i];
        rate[i] = schedule_rate(&s, at[i]);
    }
}

static int at_chance(double accuracy, double largest_share)
{
    return strcmp(chance_verdict(accuracy, largest_share), "above chance") != 0;
}

const VerdictRule RECOVERY_RULE = { "recovery", { "recovered", "ended at chance", "never at chance", NULL } };

const char *recovery_verdict(const double *accuracy, int n, double largest_share)
{
    if (n > 0 && at_chance(accuracy[n - 1], largest_share))
        return "ended at chance";
    return first_epoch_at_chance(accuracy, n, largest_share) ? "recovered" : "never at chance";
}

int first_epoch_at_chance(const double *accuracy, int n, double largest_share)
{
    for (int e = 0; e < n; e++)
        if (at_chance(accuracy[e], largest_share))
            return e + 1;
    return 0;
}

int last_epoch_at_chance(const double *accuracy, int n, double largest_share)
{
    for (int e = n - 1; e >= 0; e--)
        if (at_chance(accuracy[e], largest_share))
            return e + 1;
    return 0;
}
