/* rng.h - seeded, reproducible random numbers.
 *
 * The generator is xoshiro256** (Blackman and Vigna), seeded through
 * splitmix64 so that any 64-bit seed, 0 included, gives a good state.
 * The same seed gives the same sequence on every machine: no global state,
 * no dependence on the C library's rand().
 */
#ifndef KIT_RNG_H
#define KIT_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} Rng;

/* Seed the generator; the same seed always gives the same stream. */
void rng_seed(Rng *rng, uint64_t seed);

/* The next 64 random bits. */
uint64_t rng_next(Rng *rng);

/* A double uniform on [0, 1), with 53 random bits. */
double rng_uniform(Rng *rng);

/* A double uniform on [lo, hi). */
double rng_uniform_range(Rng *rng, double lo, double hi);

/* A standard normal deviate (Box-Muller, one value per call). */
double rng_normal(Rng *rng);

/* An integer uniform on [0, n), without modulo bias; n > 0. */
uint64_t rng_below(Rng *rng, uint64_t n);

/* Shuffle idx[0..n) in place (Fisher-Yates). */
void rng_shuffle(Rng *rng, int *idx, int n);

#endif
