/* Classes of ways a request may leave out (OSRM's exclude=): names, the profile's list, the
 * request's list and the rule per edge (routing/profile.h, routing/exclude.h). */
#include "routing/exclude.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    unsigned bit;
} classes[] = {
    { "toll", CR_EXCLUDE_TOLL },     { "motorway", CR_EXCLUDE_MOTORWAY },
    { "ferry", CR_EXCLUDE_FERRY },   { "tunnel", CR_EXCLUDE_TUNNEL },
    { "bridge", CR_EXCLUDE_BRIDGE }, { "unpaved", CR_EXCLUDE_UNPAVED },
};

#define CLASS_COUNT (sizeof classes / sizeof classes[0])

unsigned
cr_exclude_class_parse(const char *name, size_t len)
{
    for (size_t i = 0; i < CLASS_COUNT; i++)
        if (strlen(classes[i].name) == len && !strncmp(classes[i].name, name, len))
            return classes[i].bit;
    return 0;
}

enum cr_status
cr_profile_exclude_json(const char *file, const json_t *v, struct cr_profile *p,
                        struct cr_error *err)
{
    size_t i;
    json_t *x;

    if (!json_is_array(v))
        return cr_error_set(err, CR_EINVAL,
                            "%s: \"exclude\" must be an array of class names (toll, motorway, "
                            "ferry, tunnel, bridge, unpaved)",
                            file);
    p->excludable = 0;
    json_array_foreach(v, i, x)
    {
        const char *name = json_is_string(x) ? json_string_value(x) : "";
        unsigned bit = cr_exclude_class_parse(name, strlen(name));
        if (!bit)
            return cr_error_set(err, CR_EINVAL,
                                "%s: \"exclude\"[%zu]: want toll, motorway, ferry, tunnel, "
                                "bridge or unpaved",
                                file, i);
        p->excludable |= (uint8_t)bit;
    }
    return CR_OK;
}

enum cr_status
cr_profile_set_exclude(struct cr_profile *p, const char *list, struct cr_error *err)
{
    unsigned mask = 0;

    for (const char *s = list; s && *s;) {
        size_t len = strcspn(s, ",");
        unsigned bit = cr_exclude_class_parse(s, len);
        if (!bit || !(p->excludable & bit)) {
            char declared[64] = "";
            for (size_t i = 0; i < CLASS_COUNT; i++)
                if (p->excludable & classes[i].bit) {
                    size_t at = strlen(declared);
                    snprintf(declared + at, sizeof declared - at, "%s%s", at ? ", " : "",
                             classes[i].name);
                }
            return cr_error_set(
                err, CR_EINVAL, "exclude \"%.*s\": not a class the %s profile declares (%s)",
                (int)(len > 40 ? 40 : len), s, p->name, declared[0] ? declared : "none");
        }
        mask |= bit;
        s += len;
        if (*s == ',')
            s++;
    }
    p->exclude = (uint8_t)mask;
    return CR_OK;
}

int
cr_profile_edge_excluded(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t e)
{
    const struct cr_way_attr *w =
        &v->ways[v->segment_way[v->edge_segment[e] & ~CR_SEGMENT_REVERSED]];
    unsigned x = p->exclude;

    if ((x & CR_EXCLUDE_TOLL) && (w->flags & CR_WAY_TOLL))
        return 1;
    if ((x & CR_EXCLUDE_MOTORWAY) && w->mode == CR_MODE_ROAD &&
        (w->klass == CR_ROAD_MOTORWAY || w->klass == CR_ROAD_MOTORWAY_LINK))
        return 1;
    if ((x & CR_EXCLUDE_FERRY) && w->mode == CR_MODE_FERRY)
        return 1;
    if ((x & CR_EXCLUDE_TUNNEL) && (w->flags & CR_WAY_TUNNEL))
        return 1;
    if ((x & CR_EXCLUDE_BRIDGE) && (w->flags & CR_WAY_BRIDGE))
        return 1;
    return (x & CR_EXCLUDE_UNPAVED) && (w->flags & CR_WAY_UNPAVED);
}
