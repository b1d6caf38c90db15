/*
 * Fuzz target for the origin-destination pairs reader (importers/pairs, CSV): the input as a file
 * in GDAL's memory file system, read once under each name ending the reader accepts (.csv).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "importers/pairs/pairs.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const suffixes[] = {
        ".csv",
    };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char path[64];
        struct cr_error err;
        struct cr_pair_list list = { 0 };
        fuzz_vsimem(data, size, suffixes[i], path, sizeof path);
        if (cr_pairs_read(path, &list, &err) == CR_OK)
            for (size_t k = 0; k < list.count; k++)
                if (!cr_pair_id(&list, k) || !cr_pair_problem(&list, k))
                    abort();
        cr_pair_list_fini(&list);
        fuzz_vsimem_drop(path);
    }
    return 0;
}
