/*
 * What every benchmark program shares: a seeded xorshift generator (the same sequence in every
 * run, so figures compare) and a monotonic clock in seconds.
 */
#ifndef CR_BENCH_UTIL_H
#define CR_BENCH_UTIL_H

#include <stdint.h>
#include <time.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static inline uint32_t
next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

static inline double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
