/* What the searches over a struct cr_wgraph share. */
#include "routing/wgraph.h"

#include <stdlib.h>
#include <string.h>

int
cr_endpoints_keep(struct cr_endpoint **dst, size_t *cap, const struct cr_endpoint *src, size_t n)
{
    if (n > *cap) {
        struct cr_endpoint *p = realloc(*dst, n * sizeof *p);
        if (!p)
            return -1;
        *dst = p;
        *cap = n;
    }
    if (n)
        memcpy(*dst, src, n * sizeof *src);
    return 0;
}
