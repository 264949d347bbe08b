#include "verdict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void verdict_put(Numbers *nb, const char *key, const VerdictRule *rule, const char *outcome)
{
    int found = 0;
    for (int i = 0; rule->outcomes[i]; i++)
        found |= strcmp(rule->outcomes[i], outcome) == 0;
    if (!found) {
        fprintf(stderr, "verdict_put: '%s' is not an outcome of rule %s (key %s)\n",
                outcome, rule->name, key);
        abort();
    }
    fprintf(nb->fp, "\\kitoutcome{%s}{%s}{", key, outcome);
    for (int i = 0; rule->outcomes[i]; i++)
        fprintf(nb->fp, "%s%s", i ? "|" : "", rule->outcomes[i]);
    fprintf(nb->fp, "}\n");
}

const VerdictRule PAIRED_RULE = { "paired", { "higher", "lower", "no difference", "too few runs", NULL } };

const char *paired_verdict(PairedDifference d)
{
    if (d.n < 2)
        return "too few runs";
    return d.low > 0 ? "higher" : d.high < 0 ? "lower" : "no difference";
}

void paired_put(Numbers *nb, const char *prefix, PairedDifference d, int decimals)
{
    const char *fields[3] = { "mean", "low", "high" };
    double values[3] = { d.mean, d.low, d.high };
    char key[128];
    for (int i = 0; i < 3; i++) {
        snprintf(key, sizeof key, "%s.%s", prefix, fields[i]);
        if (d.n < 2)
            numbers_put(nb, key, "--");
        else
            numbers_put(nb, key, "%+.*f", decimals, values[i]);
    }
    snprintf(key, sizeof key, "%s.verdict", prefix);
    verdict_put(nb, key, &PAIRED_RULE, paired_verdict(d));
}

const VerdictRule CHANCE_RULE = { "chance", { "at chance", "above chance", "no run finished", NULL } };

const char *chance_verdict(double accuracy, double largest_share)
{
    if (isnan(accuracy))
        return "no run finished";
    return accuracy <= largest_share + CHANCE_MARGIN ? "at chance" : "above chance";
}

double largest_class_share(const unsigned char *labels, int n)
{
    int count[256] = { 0 }, most = 0;
    for (int i = 0; i < n; i++)
        if (++count[labels[i]] > most)
            most = count[labels[i]];
    return n > 0 ? 100.0 * most / n : 0.0;
}

const VerdictRule DIVERGED_RULE = { "diverged", { "none diverged", "some diverged", "all diverged", NULL } };

const char *diverged_verdict(int diverged, int runs)
{
    return diverged == 0 ? "none diverged" : diverged < runs ? "some diverged" : "all diverged";
}

const VerdictRule COMPARE_RULE = { "compare", { "higher", "lower", "level", NULL } };

const char *compare_verdict(double value, double reference, double tol)
{
    return value > reference + tol ? "higher" : value < reference - tol ? "lower" : "level";
}

const VerdictRule AGREE_RULE = { "agree", { "agree", "differ", NULL } };

const char *agree_verdict(double a, double b, double tol)
{
    return fabs(a - b) <= tol ? "agree" : "differ";
}

const VerdictRule MONOTONE_RULE = { "monotone", { "decreasing", "increasing", "not monotone", NULL } };

const char *monotone_verdict(const double *y, int n, double tol)
{
    int rises = 0, falls = 0;
    for (int i = 1; i < n; i++) {
        rises |= y[i] > y[i - 1] + tol;
        falls |= y[i] < y[i - 1] - tol;
    }
    return !rises ? "decreasing" : !falls ? "increasing" : "not monotone";
}

/* Does the curve, walking from i in direction step, rise more than tol
 * above y[i] before it comes down to y[i] or below (strictly below when
 * walking right, so that of a flat bottom only the leftmost point counts)?
 * Running off the end counts as rising only when edge_rises. */
static int rises_before_lower(const double *y, int n, int i, int step, double tol, int edge_rises)
{
    for (int j = i + step; j >= 0 && j < n; j += step) {
        if (step < 0 ? y[j] <= y[i] : y[j] < y[i])
            return 0;
        if (y[j] > y[i] + tol)
            return 1;
    }
    return edge_rises;
}

int count_minima(const double *y, int n, double tol, int *falling_at_edge)
{
    int minima = 0;
    for (int i = 1; i < n - 1; i++)
        minima += rises_before_lower(y, n, i, -1, tol, 0) && rises_before_lower(y, n, i, +1, tol, 0);
    if (falling_at_edge)
        *falling_at_edge = n > 1 && rises_before_lower(y, n, n - 1, -1, tol, 0);
    return minima;
}

const VerdictRule MINIMA_RULE = { "minima", { "no minimum", "one minimum", "two minima", "several minima", NULL } };

const char *minima_verdict(int interior_minima)
{
    static const char *const WORDS[] = { "no minimum", "one minimum", "two minima" };
    return interior_minima < 3 ? WORDS[interior_minima] : "several minima";
}

int same_when_printed(double a, double b, int decimals)
{
    char x[64], y[64];
    snprintf(x, sizeof x, "%.*f", decimals, a);
    snprintf(y, sizeof y, "%.*f", decimals, b);
    return strcmp(x, y) == 0;
}

const VerdictRule YESNO_RULE = { "yesno", { "yes", "no", NULL } };

const char *yesno_verdict(int condition)
{
    return condition ? "yes" : "no";
}
