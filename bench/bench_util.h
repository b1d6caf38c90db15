/*
 * What every benchmark program shares: a seeded xorshift generator (the same sequence in every
 * run, so figures compare), a monotonic clock and this thread's CPU clock in seconds. route_bench
 * keeps its own splitmix64 places, so that its tables in bench/README.md stay reproducible with
 * their seeds (bench/README.md, "One generator and one clock").
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

/* The generator's state for SEED: seed 0 is the default state above (table_bench and trip_bench
 * start there); ch_bench's seed S has always started at the default state ^ S. */
static inline void
bench_seed(uint64_t seed)
{
    rng = 0x9E3779B97F4A7C15ull ^ seed;
}

/* A number in 0 .. N-1 (N > 0), from the high bits (Lemire's multiply, no modulo bias to speak
 * of for the N of a benchmark). */
static inline uint32_t
rand_below(uint32_t n)
{
    return (uint32_t)(((uint64_t)next_rand() * n) >> 32);
}

/* Wall time (CLOCK_MONOTONIC). */
static inline double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this thread: unlike the wall clock, it leaves out the time other processes had the
 * CPU (on a busy machine, a query preempted for a time slice adds milliseconds to a mean). */
static inline double
cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
