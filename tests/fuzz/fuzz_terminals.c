/*
 * Fuzz target for the terminals reader (importers/terminals, CSV and GeoJSON): the input as a file
 * in GDAL's memory file system, read once under each name ending the reader accepts (.csv
 * .geojson).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "importers/terminals/terminals.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const suffixes[] = {
        ".csv",
        ".geojson",
    };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char path[64];
        struct cr_error err;
        struct cr_terminal_list list = { 0 };
        fuzz_vsimem(data, size, suffixes[i], path, sizeof path);
        cr_terminals_read(path, &list, &err);
        cr_terminal_list_fini(&list);
        fuzz_vsimem_drop(path);
    }
    return 0;
}
