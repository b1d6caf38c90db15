/*
 * Fuzz target for the conditional tag grammar (core/cond.h): the input is a tag value (NUL
 * ends it). A parsed value must hold what it promises (counts within their arrays, months and
 * days in range, times within two days), and evaluating it at any time must not misbehave.
 * The time parser and the date list parser get the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cond.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
    if (!ok)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[512], why[128];
    struct cr_cond_alt alts[CR_COND_MAX_ALTS];
    struct cr_cond_vehicle veh = { 12, 8, 4, 2.5, 16 };
    int32_t days[8] = { 0 };
    struct cr_cond_holidays ph = { days, 1 };
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1, count = 0;
    int64_t t;

    memcpy(text, data, n);
    text[n] = '\0';
    if (cr_cond_parse(text, alts, &count, why, sizeof why) == 0) {
        check(count >= 1 && count <= CR_COND_MAX_ALTS);
        for (size_t k = 0; k < count; k++) {
            const struct cr_cond_expr *e = &alts[k].expr;
            check(memchr(alts[k].value, '\0', sizeof alts[k].value) != NULL);
            check(e->nrules <= CR_COND_MAX_RULES && e->ncmp <= CR_COND_MAX_CMP);
            for (unsigned r = 0; r < e->nrules; r++) {
                check(e->rules[r].ndates <= CR_COND_MAX_DATES);
                check(e->rules[r].ntimes <= CR_COND_MAX_TIMES);
                for (unsigned d = 0; d < e->rules[r].ndates; d++)
                    check(e->rules[r].dates[d].m1 >= 1 && e->rules[r].dates[d].m1 <= 12 &&
                          e->rules[r].dates[d].m2 >= 1 && e->rules[r].dates[d].m2 <= 12 &&
                          e->rules[r].dates[d].d1 >= 1 && e->rules[r].dates[d].d2 <= 31);
                for (unsigned m = 0; m < e->rules[r].ntimes; m++)
                    check(e->rules[r].times[m].from < 1440 && e->rules[r].times[m].to <= 2 * 1440 &&
                          e->rules[r].times[m].to > e->rules[r].times[m].from);
            }
            for (int64_t s = 1777507200; s < 1777507200 + 8 * 86400; s += 6 * 3600 + 60)
                (void)cr_cond_time_holds(e, s, &ph);
            (void)cr_cond_vehicle_holds(e, &veh);
            (void)cr_cond_vehicle_holds(e, NULL);
        }
    } else {
        check(memchr(why, '\0', sizeof why) != NULL);
    }
    if (cr_cond_parse_time(text, &t) == 0) {
        char back[32];
        cr_cond_format_time(t, back, sizeof back);
    }
    n = 8;
    (void)cr_cond_parse_dates(text, days, &n);
    check(n <= 8);
    return 0;
}
