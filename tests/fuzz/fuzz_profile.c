/*
 * Fuzz target for profile JSON (routing/profile.h): the input as a profile file (a scratch file
 * in /dev/shm; "base" may name the profiles of profiles/), loaded over the defaults, then used
 * as the input's first line would give a truck's size (cr_profile_set_vehicle).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "routing/profile.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("CORRIDOR_PROFILES", CR_SOURCE_DIR "/profiles", 0);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    struct cr_error err;
    struct cr_profile p;

    if (!fuzz_scratch(data, size, ".json", path, sizeof path))
        return 0;
    if (cr_profile_load(path, CR_SOURCE_DIR "/profiles", &p, &err) == CR_OK) {
        /* the first line, up to 255 bytes, as a vehicle spec */
        char spec[256];
        size_t n = 0;
        while (n < size && n < sizeof spec - 1 && data[n] != '\n' && data[n] != '\0')
            n++;
        memcpy(spec, data, n);
        spec[n] = '\0';
        cr_profile_set_vehicle(&p, spec, &err);
        (void)cr_profile_dims_changed(&p);
        for (int m = 0; m < CR_METRIC_COUNT; m++)
            (void)cr_profile_penalty_weight(&p, 12.5, (enum cr_metric)m);
    }
    unlink(path);
    return 0;
}
