/*
 * Fuzz target for the GPS trace reader (importers/trace, GPX and CSV): the input as a file in
 * GDAL's memory file system, read once under each name ending the reader accepts (.gpx .csv).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "importers/trace/trace.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const suffixes[] = {
        ".gpx",
        ".csv",
    };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char path[64];
        struct cr_error err;
        struct cr_trace trace = { 0 };
        fuzz_vsimem(data, size, suffixes[i], path, sizeof path);
        cr_trace_read(path, &trace, &err);
        cr_trace_fini(&trace);
        fuzz_vsimem_drop(path);
    }
    return 0;
}
