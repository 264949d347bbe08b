/* images.h - grids of images for gnuplot: chosen images of a data set laid
 * out in rows and columns, as the matrix `plot ... matrix with image`
 * draws. */
#ifndef KIT_IMAGES_H
#define KIT_IMAGES_H

#include "idx.h"

/* The cell of one image in a grid: the image (d->rows x d->cols pixels)
 * with pad blank columns on each side and below blank rows under it, for
 * a label. */
typedef struct {
    int pad, below;
} GridCell;

/* Write images index[0..n) of d into dir/name as a grid of `columns`
 * cells per row, one pixel value per matrix entry.  Returns 0, or -1 with
 * a message naming the file (or an index that d does not have). */
int write_image_grid(const char *dir, const char *name, const Dataset *d, const int *index, int n,
                     int columns, GridCell cell);

#endif
