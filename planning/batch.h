/*
 * Batch routing for transport studies: the route of every origin-destination pair of a list, on
 * several threads, in the list's order whatever the number of threads.
 *
 * The engine (network, turn graph, snapping index, contraction hierarchy) is shared read-only by
 * all threads; each worker has its own router (search scratch). Workers claim rows in chunks from
 * an atomic counter and write each result at the row's index, so the output is the same for 1 and
 * N threads. The calling thread does no routing: it waits for the workers and, when a progress
 * callback is given, calls it (from that thread only) about ten times a second.
 *
 * Each row gets what `corridor route` reports for the same two points (cr_router_route), or a
 * status saying why not; a bad row never stops the batch.
 *
 * Sharding: cr_batch_shard splits N rows into COUNT contiguous blocks, so the outputs of shards
 * 1..COUNT, concatenated in order, are the output of the whole list.
 */
#ifndef CR_PLANNING_BATCH_H
#define CR_PLANNING_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include "core/error.h"
#include "routing/route.h"

/* One origin-destination pair of a batch (`corridor batch` reads them from CSV). */
struct cr_batch_pair {
    int32_t from_lon_e7, from_lat_e7, to_lon_e7, to_lat_e7;
    bool bad; /* a malformed row: not routed, its status is bad_input */
};

enum cr_batch_status {
    CR_BATCH_OK = 0,
    CR_BATCH_BAD_INPUT,   /* the row's coordinates or id are malformed (the pair is bad) */
    CR_BATCH_NO_SEGMENT,  /* from or to is farther than the engine's max_snap_m from a usable way */
    CR_BATCH_UNREACHABLE, /* both snap, but no route joins them */
    CR_BATCH_FAILED,      /* out of memory or another error while routing this row */
    CR_BATCH_STATUS_COUNT
};

/* "ok", "bad_input", "no_segment", "unreachable", "failed". */
const char *cr_batch_status_name(enum cr_batch_status s);

struct cr_batch_result {
    double distance_m, duration_s, cost, co2_kg; /* NAN unless ok */
    uint8_t status;                              /* enum cr_batch_status */
    uint8_t end;                                 /* no_segment: 0 from, 1 to, 2 both */
    /* with a time (cr_batch_run_at): the departure, seconds, naive local time */
    int64_t depart;
};

/* When a batch's routes leave (routing/tdsearch.h): every pair at DEPART (TIMED), or each at
 * the latest departure that arrives by ARRIVE (BY), with the public holidays PH[PH_COUNT]. */
struct cr_batch_when {
    int timed, by;
    int64_t depart, arrive;
    const int32_t *ph;
    size_t ph_count;
};

/* Rows [*first, *end) of N for shard INDEX of COUNT (1 <= INDEX <= COUNT): contiguous blocks
 * whose sizes differ by at most one, in order. */
void cr_batch_shard(size_t n, unsigned index, unsigned count, size_t *first, size_t *end);

/* Routes pairs[first .. first + n - 1] of PAIRS[0 .. TOTAL - 1] with engine E (a session's:
 * cr_session_engine) on THREADS workers (0: one per online CPU; at most 256) and writes
 * out[0 .. n - 1]. PROGRESS (may be NULL) gets the fraction done; returning
 * non-zero stops the batch with CR_ECANCELLED. Fails only when threads or memory cannot be had
 * or when cancelled; per-row problems are statuses. *threads_used (may be NULL) gets the
 * number of workers. */
enum cr_status cr_batch_run(const struct cr_engine *e, const struct cr_batch_pair *pairs,
                            size_t total, size_t first, size_t n, unsigned threads,
                            int (*progress)(void *user, double done), void *user,
                            struct cr_batch_result *out, unsigned *threads_used,
                            struct cr_error *err);

/* cr_batch_run at the time WHEN says (NULL: none, as cr_batch_run). A time needs the time
 * metric (CR_EINVAL, before any row); with BY each result says its departure. */
enum cr_status cr_batch_run_at(const struct cr_batch_when *when, const struct cr_engine *e,
                               const struct cr_batch_pair *pairs, size_t total, size_t first,
                               size_t n, unsigned threads, int (*progress)(void *user, double done),
                               void *user, struct cr_batch_result *out, unsigned *threads_used,
                               struct cr_error *err);

#endif
