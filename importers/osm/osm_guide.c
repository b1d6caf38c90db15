/* Exits and turn lanes of OSM ways (importers/osm/osm_guide.h). */
#include "importers/osm/osm_guide.h"

/* The strings offset of tag KEY's value (0 when absent or empty); UINT32_MAX when out of
 * memory. */
static uint32_t
intern(struct cr_netbuild *b, const struct cr_osm_tag *tags, size_t n, const char *key)
{
    const char *v = cr_osm_tag_get(tags, n, key);
    return v && *v ? cr_strpool_intern(&b->strings, v) : 0;
}

int
cr_osm_way_guide(struct cr_netbuild *b, const struct cr_osm_tag *tags, size_t n,
                 enum cr_oneway oneway, uint32_t way)
{
    struct cr_way_guide g = { way, 0, 0, 0 }, *out;
    uint32_t plain;

    g.exits = intern(b, tags, n, "junction:ref");
    plain = intern(b, tags, n, "turn:lanes");
    g.lanes_fwd = intern(b, tags, n, "turn:lanes:forward");
    g.lanes_bwd = intern(b, tags, n, "turn:lanes:backward");
    if (g.exits == UINT32_MAX || plain == UINT32_MAX || g.lanes_fwd == UINT32_MAX ||
        g.lanes_bwd == UINT32_MAX)
        return -1;
    if (oneway == CR_ONEWAY_BACKWARD && !g.lanes_bwd)
        g.lanes_bwd = plain;
    else if (!g.lanes_fwd)
        g.lanes_fwd = plain;
    if (!g.exits && !g.lanes_fwd && !g.lanes_bwd)
        return 0;
    if (!(out = cr_vec_push(&b->way_guide)))
        return -1;
    *out = g;
    return 0;
}
