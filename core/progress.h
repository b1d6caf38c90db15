/*
 * A progress bar on stderr, per phase, drawn only when stderr is a terminal (and not --quiet).
 * Matches the library's progress callback: int (*)(void *user, double done).
 */
#ifndef CR_CORE_PROGRESS_H
#define CR_CORE_PROGRESS_H

#include <stdio.h>

struct cr_progress {
    FILE *out; /* NULL: draw nothing */
    char phase[48];
    int last_permille;
    double started; /* seconds, monotonic */
    double phase_started;
    double total;  /* items in this phase (cr_progress_set_total), 0: no rate or ETA */
    char unit[16]; /* what the items are, for the rate: "pairs" */
};

/* Draws on stderr when it is a terminal and QUIET is 0. */
void cr_progress_init(struct cr_progress *p, int quiet);

/* Starts a new phase (ends the previous one's line). */
void cr_progress_phase(struct cr_progress *p, const char *phase);

/* Counts the current phase in TOTAL items called UNIT: the bar then shows the rate (UNIT/s) and
 * the time left. A new phase drops it. */
void cr_progress_set_total(struct cr_progress *p, double total, const char *unit);

/* The callback: USER is a struct cr_progress; DONE in 0..1. Always returns 0. */
int cr_progress_update(void *user, double done);

/* Ends the current phase's line. */
void cr_progress_done(struct cr_progress *p);

/* Monotonic seconds. */
double cr_now(void);

#endif
