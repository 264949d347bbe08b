#include "progress.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_init(Progress *p, FILE *out)
{
    p->out = out;
    p->on_terminal = isatty(fileno(out));
}

void progress_show(Progress *p, const char *fmt, ...)
{
    if (!p->on_terminal)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("\r\033[K", p->out);   /* back to the start, clear the line */
    vfprintf(p->out, fmt, ap);
    fflush(p->out);
    va_end(ap);
}

void progress_done(Progress *p)
{
    if (p->on_terminal)
        fputs("\r\033[K", p->out);
}

/* The processor's model name from /proc/cpuinfo, without the characters
 * LaTeX treats specially. */
void cpu_model(char *model, size_t size)
{
    char line[256];
    snprintf(model, size, "an unknown processor");
    FILE *fp = fopen("/proc/cpuinfo", "r");
    while (fp && fgets(line, sizeof line, fp))
        if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
            const char *v = strchr(line, ':') + 1;
            size_t n = 0;
            for (; *v && *v != '\n' && n + 1 < size; v++)
                if (!strchr("\\{}$&#^_%~", *v) && !(n == 0 && *v == ' '))
                    model[n++] = *v;
            model[n] = '\0';
            break;
        }
    if (fp)
        fclose(fp);
}
