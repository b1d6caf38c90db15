/* Turn lanes and exit numbers of steps (routing/guidance.h). */
#include <string.h>

#include "routing/guidance.h"

static const struct {
    const char *osm, *osrm;
} lane_values[CR_LANE_IND_BITS] = {
    { "none", "none" },
    { "through", "straight" },
    { "sharp_left", "sharp left" },
    { "left", "left" },
    { "slight_left", "slight left" },
    { "slight_right", "slight right" },
    { "right", "right" },
    { "sharp_right", "sharp right" },
    { "reverse", "uturn" },
    { "merge_to_left", "merge to left" },
    { "merge_to_right", "merge to right" },
};

const char *
cr_lane_name(unsigned bit)
{
    for (unsigned k = 0; k < CR_LANE_IND_BITS; k++)
        if (bit == 1u << k)
            return lane_values[k].osrm;
    return "none";
}

/* The bit of the one OSM value in TEXT[0 .. N-1]; none for an unknown or empty one. */
static uint16_t
value_bit(const char *text, size_t n)
{
    while (n && *text == ' ') {
        text++;
        n--;
    }
    while (n && text[n - 1] == ' ')
        n--;
    for (unsigned k = 0; k < CR_LANE_IND_BITS; k++)
        if (strlen(lane_values[k].osm) == n && !strncmp(text, lane_values[k].osm, n))
            return (uint16_t)(1u << k);
    return CR_LANE_NONE;
}

unsigned
cr_lanes_parse(const char *text, uint16_t lanes[CR_GUIDE_MAX_LANES])
{
    unsigned n = 0;
    const char *c = text;

    if (!text || !*text)
        return 0;
    while (n < CR_GUIDE_MAX_LANES) {
        size_t len = strcspn(c, "|");
        const char *v = c;
        lanes[n] = 0;
        while (v < c + len) {
            size_t k = strcspn(v, ";|");
            lanes[n] |= value_bit(v, k);
            v += k + (v[k] == ';');
        }
        if (!lanes[n])
            lanes[n] = CR_LANE_NONE;
        n++;
        if (!c[len])
            break;
        c += len + 1;
    }
    return n;
}

/* The lanes among N carrying any of WANT. */
static uint16_t
lanes_with(const uint16_t *lanes, unsigned n, unsigned want)
{
    uint16_t mask = 0;
    for (unsigned i = 0; i < n; i++)
        if (lanes[i] & want)
            mask |= (uint16_t)(1u << i);
    return mask;
}

uint16_t
cr_lanes_valid(const uint16_t *lanes, unsigned n, double angle)
{
    enum cr_modifier m = cr_modifier_of(180.0, 360.0 - angle); /* the band of ANGLE */
    const unsigned left = CR_LANE_SHARP_LEFT | CR_LANE_LEFT | CR_LANE_SLIGHT_LEFT;
    const unsigned right = CR_LANE_SHARP_RIGHT | CR_LANE_RIGHT | CR_LANE_SLIGHT_RIGHT;
    static const struct {
        unsigned exact, near;
    } want[CR_MOD_COUNT] = {
        [CR_MOD_UTURN] = { CR_LANE_UTURN, CR_LANE_SHARP_LEFT | CR_LANE_LEFT },
        [CR_MOD_SHARP_RIGHT] = { CR_LANE_SHARP_RIGHT, CR_LANE_RIGHT },
        [CR_MOD_RIGHT] = { CR_LANE_RIGHT, CR_LANE_SHARP_RIGHT | CR_LANE_SLIGHT_RIGHT },
        [CR_MOD_SLIGHT_RIGHT] = { CR_LANE_SLIGHT_RIGHT,
                                  CR_LANE_RIGHT | CR_LANE_STRAIGHT | CR_LANE_NONE },
        [CR_MOD_STRAIGHT] = { CR_LANE_STRAIGHT | CR_LANE_NONE,
                              CR_LANE_SLIGHT_LEFT | CR_LANE_SLIGHT_RIGHT },
        [CR_MOD_SLIGHT_LEFT] = { CR_LANE_SLIGHT_LEFT,
                                 CR_LANE_LEFT | CR_LANE_STRAIGHT | CR_LANE_NONE },
        [CR_MOD_LEFT] = { CR_LANE_LEFT, CR_LANE_SHARP_LEFT | CR_LANE_SLIGHT_LEFT },
        [CR_MOD_SHARP_LEFT] = { CR_LANE_SHARP_LEFT, CR_LANE_LEFT | CR_LANE_UTURN },
    };
    uint16_t mask;

    if ((unsigned)m >= CR_MOD_COUNT || m == CR_MOD_NONE)
        return 0;
    if (!(mask = lanes_with(lanes, n, want[m].exact)))
        mask = lanes_with(lanes, n, want[m].near);
    if (!mask && angle != 180.0) /* a fork nearly straight on: the lanes on its side */
        mask = lanes_with(lanes, n, angle > 180.0 ? left : right);
    return mask;
}

const char *
cr_guidance_exits(const struct cr_graph_view *v, uint32_t way)
{
    const struct cr_way_guide *g = cr_graph_way_guide(v, way);
    return g ? cr_graph_string(v, g->exits) : "";
}
