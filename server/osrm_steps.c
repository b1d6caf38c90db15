/* OSRM's step objects (server/osrm_steps.h). */
#include "server/osrm_steps.h"

#include <stdlib.h>

#include "routing/output.h"
#include "server/osrm_json.h"

const char *
cr_osrm_mode_name(unsigned mode)
{
    switch (mode) {
    case CR_MODE_ROAD:
        return "driving";
    case CR_MODE_FERRY:
        return "ferry";
    case CR_MODE_RAIL:
        return "train";
    case CR_MODE_WATER:
        return "boat";
    default:
        return "transfer";
    }
}

/* Points FIRST .. LAST of R (twice the point when they are one: OSRM's arrive) as asked. */
static json_t *
step_geometry(const struct cr_osrm_request *req, const struct cr_route *r, uint32_t first,
              uint32_t last)
{
    int32_t lon[2], lat[2];
    const int32_t *plon = r->lon_e7 + first, *plat = r->lat_e7 + first;
    size_t n = last - first + 1;

    if (n < 2) {
        lon[0] = lon[1] = r->lon_e7[first];
        lat[0] = lat[1] = r->lat_e7[first];
        plon = lon;
        plat = lat;
        n = 2;
    }
    return cr_osrm_json_geometry(req, plon, plat, n);
}

static json_t *
intersection(const struct cr_intersection *x)
{
    json_t *o = json_object(), *b = json_array(), *en = json_array();

    for (uint32_t i = 0; i < x->count; i++) {
        json_array_append_new(b, json_integer(x->bearings[i]));
        json_array_append_new(en, json_boolean(x->entry[i]));
    }
    if (x->out != CR_GUIDE_NONE)
        json_object_set_new(o, "out", json_integer(x->out));
    if (x->in != CR_GUIDE_NONE)
        json_object_set_new(o, "in", json_integer(x->in));
    if (x->lane_count) {
        json_t *lanes = json_array();
        for (uint32_t i = 0; i < x->lane_count; i++) {
            json_t *lane = json_object(), *ind = json_array();
            for (unsigned k = 0; k < CR_LANE_IND_BITS; k++)
                if (x->lanes[i] & (1u << k))
                    json_array_append_new(ind, json_string(cr_lane_name(1u << k)));
            json_object_set_new(lane, "indications", ind);
            json_object_set_new(lane, "valid", json_boolean(x->lane_valid & (1u << i)));
            json_array_append_new(lanes, lane);
        }
        json_object_set_new(o, "lanes", lanes);
    }
    json_object_set_new(o, "entry", en);
    json_object_set_new(o, "bearings", b);
    json_object_set_new(o, "location", cr_output_lonlat(x->lon_e7, x->lat_e7));
    return o;
}

static json_t *
maneuver(const struct cr_step *s)
{
    json_t *m = json_object();

    json_object_set_new(m, "bearing_after", json_integer(s->bearing_after));
    json_object_set_new(m, "bearing_before", json_integer(s->bearing_before));
    json_object_set_new(m, "location", cr_output_lonlat(s->lon_e7, s->lat_e7));
    if (s->modifier != CR_MOD_NONE)
        json_object_set_new(m, "modifier", json_string(cr_modifier_name(s->modifier)));
    json_object_set_new(m, "type", json_string(cr_maneuver_name(s->type)));
    if (s->exit)
        json_object_set_new(m, "exit", json_integer(s->exit));
    return m;
}

static json_t *
step(const struct cr_osrm_request *req, const struct cr_engine *e, const struct cr_route *r,
     const struct cr_guidance *g, const struct cr_step *s)
{
    const struct cr_graph_view *v = e->view;
    const struct cr_way_attr *w = &v->ways[s->way];
    json_t *o = json_object(), *xs = json_array();
    char dest[512];

    json_object_set_new(o, "geometry", step_geometry(req, r, s->first_point, s->last_point));
    json_object_set_new(o, "maneuver", maneuver(s));
    json_object_set_new(o, "mode", json_string(cr_osrm_mode_name(s->mode)));
    json_object_set_new(o, "driving_side",
                        json_string(e->profile.left_hand_traffic ? "left" : "right"));
    json_object_set_new(o, "name", cr_output_name(v, w->name));
    if (w->ref)
        json_object_set_new(o, "ref", cr_output_name(v, w->ref));
    if (*cr_guidance_destinations(v, s->way, dest, sizeof dest))
        json_object_set_new(o, "destinations", cr_output_string(dest));
    if (*cr_guidance_exits(v, s->way))
        json_object_set_new(o, "exits", cr_output_string(cr_guidance_exits(v, s->way)));
    if (s->rotary_name)
        json_object_set_new(o, "rotary_name", cr_output_name(v, s->rotary_name));
    for (uint32_t i = 0; i < s->intersection_count; i++)
        json_array_append_new(xs, intersection(&g->xs[s->first_intersection + i]));
    json_object_set_new(o, "intersections", xs);
    json_object_set_new(o, "weight", json_real(s->weight));
    json_object_set_new(o, "duration", json_real(s->duration_s));
    json_object_set_new(o, "distance", json_real(s->distance_m));
    return o;
}

json_t *
cr_osrm_json_leg_steps(const struct cr_osrm_request *req, const struct cr_engine *e,
                       const struct cr_route *r, const struct cr_guidance *g, uint32_t leg)
{
    json_t *a = json_array();

    if (!g || leg >= g->leg_count)
        return a;
    for (uint32_t i = g->leg_first_step[leg]; i < g->leg_first_step[leg + 1]; i++)
        json_array_append_new(a, step(req, e, r, g, &g->steps[i]));
    return a;
}
