/*
 * What the fuzz targets share: the input as a file in GDAL's memory file system (/vsimem/), or,
 * for readers that fopen() a path, as a per-process scratch file in /dev/shm (memory too).
 */
#ifndef CR_TESTS_FUZZ_UTIL_H
#define CR_TESTS_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cpl_vsi.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* DATA[SIZE] as /vsimem/fuzz<SUFFIX> (borrowed: fuzz_vsimem_drop before DATA goes). */
static inline const char *
fuzz_vsimem(const uint8_t *data, size_t size, const char *suffix, char *path, size_t cap)
{
    snprintf(path, cap, "/vsimem/fuzz%s", suffix);
    VSIFCloseL(VSIFileFromMemBuffer(path, (GByte *)(uintptr_t)data, (vsi_l_offset)size, FALSE));
    return path;
}

static inline void
fuzz_vsimem_drop(const char *path)
{
    VSIUnlink(path);
}

/* DATA[SIZE] written to a scratch file named after the process, ending in SUFFIX; NULL on
 * failure. Remove it with unlink() after use. */
static inline const char *
fuzz_scratch(const uint8_t *data, size_t size, const char *suffix, char *path, size_t cap)
{
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(path, cap, "%s/corridor-fuzz-%ld%s", dir, (long)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    int bad = size && fwrite(data, 1, size, f) != size;
    if (fclose(f) != 0 || bad) {
        unlink(path);
        return NULL;
    }
    return path;
}

#endif
