/* progress.h - what a long run shows while it works.
 *
 * On a terminal, one line rewritten in place (epoch, loss, accuracy,
 * samples per second); elsewhere (make, CI, a log file) nothing until the
 * run ends, so that logs stay short. */
#ifndef KIT_PROGRESS_H
#define KIT_PROGRESS_H

#include <stdio.h>

/* Seconds on a monotonic clock, for timing. */
double now_seconds(void);

/* The processor's model name, from /proc/cpuinfo, for saying where a
 * timing was measured; LaTeX's special characters are dropped. */
void cpu_model(char *model, size_t size);

typedef struct {
    FILE *out;
    int on_terminal;
} Progress;

void progress_init(Progress *p, FILE *out);

/* Rewrite the progress line (terminal only). */
void progress_show(Progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* End the progress line (terminal only). */
void progress_done(Progress *p);

#endif
