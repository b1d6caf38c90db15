/*
 * Fuzz target for demand CSV (importers/demand): the input, as a scratch .csv in /dev/shm, read
 * onto four zones (ids 1, 2, 10, "Zone A") with two classes (car, truck), then with one.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "importers/demand/demand.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const ids[] = { "1", "2", "10", "Zone A" };
    static const char *const classes[] = { "car", "truck" };
    char path[256];
    struct cr_error err;
    struct cr_demand d[2] = { { 0 } };

    if (!fuzz_scratch(data, size, ".csv", path, sizeof path))
        return 0;
    if (cr_demand_load_file(path, ids, 4, classes, 2, d, &err) == CR_OK)
        for (int c = 0; c < 2; c++)
            for (size_t k = 0; k < 16; k++)
                if (!(d[c].trips[k] >= 0) || !isfinite(d[c].trips[k]))
                    abort();
    cr_demand_fini(&d[0]);
    cr_demand_fini(&d[1]);
    struct cr_demand one = { 0 };
    cr_demand_load(path, ids, 4, &one, &err);
    cr_demand_fini(&one);
    unlink(path);
    return 0;
}
