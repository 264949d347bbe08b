#include "images.h"

#include <stdio.h>

#include "results.h"

int write_image_grid(const char *dir, const char *name, const Dataset *d, const int *index, int n,
                     int columns, GridCell cell)
{
    for (int i = 0; i < n; i++)
        if (index[i] < 0 || index[i] >= d->count) {
            fprintf(stderr, "error: %s/%s: image %d asked for, but the data set has %d\n", dir, name,
                    index[i], d->count);
            return -1;
        }
    int cell_w = d->cols + 2 * cell.pad, cell_h = d->rows + cell.below;
    int grid_rows = (n + columns - 1) / columns;
    ResultFile rf;
    if (results_open(&rf, dir, name) != 0)
        return -1;
    for (int py = 0; py < grid_rows * cell_h; py++) {
        for (int px = 0; px < columns * cell_w; px++) {
            int k = (py / cell_h) * columns + px / cell_w;       /* the image of this cell */
            int x = px % cell_w - cell.pad, y = py % cell_h;     /* its pixel */
            float v = k < n && x >= 0 && x < d->cols && y < d->rows
                          ? d->x[(long)index[k] * d->dim + y * d->cols + x] : 0.0f;
            fprintf(rf.fp, "%s%.3f", px ? " " : "", v);
        }
        fputc('\n', rf.fp);
    }
    return results_close(&rf);
}
