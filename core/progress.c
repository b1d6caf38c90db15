#include "core/progress.h"

#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 30

double
cr_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void
cr_progress_init(struct cr_progress *p, int quiet)
{
    memset(p, 0, sizeof *p);
    p->out = (!quiet && isatty(STDERR_FILENO)) ? stderr : NULL;
    p->last_permille = -1;
    p->started = p->phase_started = cr_now();
}

static void
draw(struct cr_progress *p, double done)
{
    int filled = (int)(done * BAR_WIDTH + 0.5);
    char bar[BAR_WIDTH + 1];

    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    double elapsed = cr_now() - p->phase_started;
    fprintf(p->out, "\r%-22s [%s] %5.1f%%  %6.1fs", p->phase, bar, done * 100.0, elapsed);
    if (p->total > 0 && elapsed > 0) {
        double rate = done * p->total / elapsed;
        fprintf(p->out, "  %8.0f %s/s", rate, p->unit);
        if (done > 0 && done < 1) {
            long left = lround(elapsed * (1.0 - done) / done);
            fprintf(p->out, "  ETA %ld:%02ld:%02ld", left / 3600, left / 60 % 60, left % 60);
        } else {
            fputs("              ", p->out);
        }
    }
    fflush(p->out);
}

void
cr_progress_phase(struct cr_progress *p, const char *phase)
{
    cr_progress_done(p);
    snprintf(p->phase, sizeof p->phase, "%s", phase);
    p->last_permille = -1;
    p->phase_started = cr_now();
    p->total = 0;
    if (p->out)
        draw(p, 0.0);
}

void
cr_progress_set_total(struct cr_progress *p, double total, const char *unit)
{
    p->total = total;
    snprintf(p->unit, sizeof p->unit, "%s", unit ? unit : "items");
}

int
cr_progress_update(void *user, double done)
{
    struct cr_progress *p = user;
    int permille;

    if (!p || !p->out)
        return 0;
    if (done < 0.0)
        done = 0.0;
    if (done > 1.0)
        done = 1.0;
    permille = (int)(done * 1000.0);
    if (permille != p->last_permille) {
        p->last_permille = permille;
        draw(p, done);
    }
    return 0;
}

void
cr_progress_done(struct cr_progress *p)
{
    if (p->out && p->phase[0]) {
        draw(p, 1.0);
        fputc('\n', p->out);
    }
    p->phase[0] = '\0';
}
