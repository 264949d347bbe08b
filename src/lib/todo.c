#include "todo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_REPORTED = 64 };

static int keep_going;
static const char *reported[MAX_REPORTED];
static int n_reported;

static int already_reported(const char *name)
{
    for (int i = 0; i < n_reported; i++)
        if (strcmp(reported[i], name) == 0)
            return 1;
    if (n_reported < MAX_REPORTED)
        reported[n_reported++] = name;
    return 0;
}

void todo_region(const char *name, const char *file, int line)
{
    if (!already_reported(name))
        fprintf(stderr, "TODO: region %s (%s:%d) is not written yet\n", name, file, line);
    if (!keep_going) {
        fprintf(stderr, "stopped: this program needs region %s; write it, then run make again\n", name);
        exit(EXIT_TODO);
    }
}

void todo_keep_going(void)
{
    keep_going = 1;
}
