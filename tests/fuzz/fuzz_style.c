/*
 * Fuzz target for style JSON (render/style.h): the input as a style file (a scratch file in
 * /dev/shm) merged over the default style, then its zone classes looked up by the input's first
 * line; and that line as a colour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "render/style.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256], line[256];
    struct cr_error err;
    struct cr_style s;
    struct cr_rgba c;
    size_t n = 0;

    while (n < size && n < sizeof line - 1 && data[n] != '\n' && data[n] != '\0')
        n++;
    memcpy(line, data, n);
    line[n] = '\0';
    (void)cr_style_parse_colour(line, &c);
    free(cr_style_fold(line));
    if (!fuzz_scratch(data, size, ".json", path, sizeof path))
        return 0;
    memset(&s, 0, sizeof s);
    if (cr_style_load(path, &s, &err) == CR_OK) {
        int recognised;
        (void)cr_style_zone_class(&s, line, &recognised);
        (void)cr_style_zone_class(&s, "residential", &recognised);
    }
    cr_style_fini(&s);
    unlink(path);
    return 0;
}
