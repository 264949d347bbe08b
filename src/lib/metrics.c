#include "metrics.h"

#include <math.h>
#include <string.h>

/* @listing begin lib_confusion */
void confusion_matrix(int n, int k, const unsigned char *truth, const unsigned char *predicted,
                      long *counts)
{
    /* @solution begin ch09_confusion */
    memset(counts, 0, sizeof(long) * (size_t)k * (size_t)k);
    for (int i = 0; i < n; i++)          /* row: the true class; column: the prediction */
        counts[truth[i] * k + predicted[i]]++;
    /* @solution end ch09_confusion */
}
/* @listing end lib_confusion */

ClassScores class_scores(int k, const long *counts, int c)
{
    long tp = counts[c * k + c], row = 0, column = 0, n = 0;
    for (int j = 0; j < k; j++) {
        row += counts[c * k + j];        /* samples of class c: TP + FN */
        column += counts[j * k + c];     /* predictions of class c: TP + FP */
    }
    for (int i = 0; i < k * k; i++)
        n += counts[i];
    long tn = n - row - column + tp;
    ClassScores s = { .accuracy = n ? (double)(tp + tn) / n : NAN,
                      .precision = column ? (double)tp / column : NAN,
                      .recall = row ? (double)tp / row : NAN };
    return s;
}

/* @listing begin lib_calibration */
double calibration(int n, const double *confidence, const unsigned char *correct, int bins,
                   long *count, double *mean_confidence, double *accuracy)
{
    double ece = 0.0;
    /* @solution begin ch09_calibration */
    for (int b = 0; b < bins; b++) {
        count[b] = 0;
        mean_confidence[b] = accuracy[b] = 0.0;
    }
    for (int i = 0; i < n; i++) {
        int b = (int)(confidence[i] * bins);
        b = b < bins ? b : bins - 1;          /* a confidence of 1 goes in the last bin */
        count[b]++;
        mean_confidence[b] += confidence[i];
        accuracy[b] += correct[i];
    }
    for (int b = 0; b < bins; b++) {
        mean_confidence[b] = count[b] ? mean_confidence[b] / count[b] : NAN;
        accuracy[b] = count[b] ? accuracy[b] / count[b] : NAN;
        if (count[b])          /* (eq:ch09-ece) */
            ece += (double)count[b] / n * fabs(accuracy[b] - mean_confidence[b]);
    }
    /* @solution end ch09_calibration */
    return ece;
}
/* @listing end lib_calibration */
