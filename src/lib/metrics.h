/* metrics.h - what a classifier's errors are: the confusion matrix, each
 * class's accuracy, precision and recall, and how well its confidence
 * matches its accuracy (the reliability diagram and the expected
 * calibration error).  Chapter 09 derives and uses them. */
#ifndef KIT_METRICS_H
#define KIT_METRICS_H

/* counts[t * k + p] = how many of the n samples of true class t were
 * predicted as class p (eq:ch09-confusion); every label below k. */
void confusion_matrix(int n, int k, const unsigned char *truth, const unsigned char *predicted,
                      long *counts);

/* One class's scores from a k x k confusion matrix (eq:ch09-scores):
 * precision = TP / (TP + FP), the share of its predictions that are right;
 * recall = TP / (TP + FN), the share of its samples that are found;
 * accuracy = (TP + TN) / n, one class against the rest.  A score whose
 * denominator is 0 is NaN. */
typedef struct {
    double accuracy, precision, recall;
} ClassScores;
ClassScores class_scores(int k, const long *counts, int c);

/* The reliability diagram: n predictions with their confidence (the
 * largest softmax probability, in [0, 1]) and whether each was right, in
 * `bins` equal bins of confidence; bin b holds confidences in
 * [b / bins, (b + 1) / bins), the last bin also 1.  Into count[b],
 * mean_confidence[b] and accuracy[b] (NaN for an empty bin).  Returns the
 * expected calibration error (eq:ch09-ece): the sum over the bins of
 * count / n times |accuracy - mean confidence|. */
double calibration(int n, const double *confidence, const unsigned char *correct, int bins,
                   long *count, double *mean_confidence, double *accuracy);

#endif
