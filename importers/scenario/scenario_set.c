/*
 * --set SPEC: tags changed on existing road ways (an upgrade of a road). SPEC is
 * "way/ID:key=value,key=value" (every way record of that OSM way) or "LAYER:key=value,..."
 * (every road way with a segment covered by the layer's polygons or lines, by the --close rule).
 *
 * The network file keeps derived attributes, not OSM tags. So each changed attribute is rebuilt
 * by the importer's own rules: the tag list "highway=<the way's class>" plus the overrides goes
 * through cr_osm_way_classify(), and the attributes the keys set decide are copied from the
 * result into the way record; the others stay as imported (docs/scenario.md lists the keys).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>

#include "importers/scenario/scenario_int.h"

#define SET_TAGS_MAX 24
#define SET_TEXT_MAX 1024

enum set_field {
    F_SPEED = 1u << 0,
    F_SPEED_FWD = 1u << 1,
    F_SPEED_BWD = 1u << 2,
    F_LANES = 1u << 3,
    F_ONEWAY = 1u << 4,
    F_ACCESS_ALL = 1u << 5,
    F_ACCESS_CAR = 1u << 6,
    F_ACCESS_MC = 1u << 7,
    F_ACCESS_HGV = 1u << 8,
    F_WEIGHT = 1u << 9,
    F_AXLE = 1u << 10,
    F_HEIGHT = 1u << 11,
    F_WIDTH = 1u << 12,
    F_LENGTH = 1u << 13,
    F_TOLL = 1u << 14
};

static const struct {
    const char *key;
    unsigned field;
} set_keys[] = {
    { "maxspeed", F_SPEED },
    { "maxspeed:forward", F_SPEED_FWD },
    { "maxspeed:backward", F_SPEED_BWD },
    { "lanes", F_LANES },
    { "oneway", F_ONEWAY },
    { "access", F_ACCESS_ALL },
    { "vehicle", F_ACCESS_ALL },
    { "motor_vehicle", F_ACCESS_ALL },
    { "motorcar", F_ACCESS_CAR },
    { "motorcycle", F_ACCESS_MC },
    { "hgv", F_ACCESS_HGV },
    { "maxweight", F_WEIGHT },
    { "maxaxleload", F_AXLE },
    { "maxheight", F_HEIGHT },
    { "maxwidth", F_WIDTH },
    { "maxlength", F_LENGTH },
    { "toll", F_TOLL },
    { "toll:hgv", F_TOLL },
};
#define SET_KEYS (sizeof set_keys / sizeof set_keys[0])

/* One parsed spec: its target and tags (pointing into text). */
struct set_spec {
    char text[SET_TEXT_MAX];
    const char *target; /* "way/123" or a layer path */
    int64_t way_id;     /* 0 for a layer */
    struct cr_osm_tag tags[SET_TAGS_MAX];
    size_t n;
    unsigned fields;
};

static enum cr_status
parse_spec(const char *spec, struct set_spec *p, struct cr_error *err)
{
    char *colon, *eq, *tok, *save = NULL;

    memset(p, 0, sizeof *p);
    if (strlen(spec) >= SET_TEXT_MAX)
        return cr_error_set(err, CR_EINVAL, "--set %.40s...: too long", spec);
    memcpy(p->text, spec, strlen(spec) + 1);
    /* the target ends at the last ':' before the first '=' (a path may hold ':') */
    if (!(eq = strchr(p->text, '=')))
        return cr_error_set(err, CR_EINVAL, "--set %s: want TARGET:key=value[,key=value...]", spec);
    *eq = 0;
    colon = strrchr(p->text, ':');
    *eq = '=';
    if (!strncmp(p->text, "way/", 4)) /* way/ID: the first ':' */
        colon = strchr(p->text, ':');
    if (!colon || colon == p->text)
        return cr_error_set(err, CR_EINVAL, "--set %s: want TARGET:key=value[,key=value...]", spec);
    *colon = 0;
    p->target = p->text;
    if (!strncmp(p->target, "way/", 4)) {
        char *end;
        long long id = strtoll(p->target + 4, &end, 10);
        if (end == p->target + 4 || *end || id <= 0)
            return cr_error_set(err, CR_EINVAL, "--set %s: \"%s\" is not way/ID", spec, p->target);
        p->way_id = id;
    }
    for (tok = strtok_r(colon + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t k;
        if (!(eq = strchr(tok, '=')) || eq == tok || !eq[1])
            return cr_error_set(err, CR_EINVAL, "--set %s: \"%s\" is not key=value", spec, tok);
        *eq = 0;
        for (k = 0; k < SET_KEYS && strcmp(set_keys[k].key, tok); k++)
            ;
        if (k == SET_KEYS)
            return cr_error_set(err, CR_EINVAL,
                                "--set %s: key \"%s\" cannot be set (docs/scenario.md)", spec, tok);
        if (p->n + 1 >= SET_TAGS_MAX)
            return cr_error_set(err, CR_EINVAL, "--set %s: too many tags", spec);
        p->tags[1 + p->n++] = (struct cr_osm_tag){ tok, eq + 1 };
        p->fields |= set_keys[k].field;
    }
    if (!p->n)
        return cr_error_set(err, CR_EINVAL, "--set %s: no key=value", spec);
    return CR_OK;
}

/* The way record W re-tagged by P; *closed when the tags close it to every road vehicle. */
static void
retag(struct scen *s, uint32_t w, struct set_spec *p)
{
    struct cr_way_attr *a = &SC_AT(s->ways, struct cr_way_attr, w);
    struct cr_way_info info;
    const struct cr_way_attr *n = &info.attr;
    unsigned f = p->fields;

    p->tags[0] = (struct cr_osm_tag){ "highway", cr_road_class_name((enum cr_road_class)a->klass) };
    memset(&info, 0, sizeof info);
    if (!cr_osm_way_classify(p->tags, p->n + 1, 1u << CR_GROUP_ROAD, &info)) {
        s->set_closed[w] = 1; /* access=no for every road vehicle: as the importer, no edges */
        return;
    }
    s->set_closed[w] = 0;
    if (f & (F_SPEED | F_SPEED_FWD))
        a->maxspeed_fwd_kmh = n->maxspeed_fwd_kmh;
    if (f & (F_SPEED | F_SPEED_BWD))
        a->maxspeed_bwd_kmh = n->maxspeed_bwd_kmh;
    if (f & F_LANES)
        a->lanes = n->lanes;
    if (f & F_ONEWAY) {
        a->flags = (uint16_t)((a->flags & ~(CR_WAY_ONEWAY | CR_WAY_REVERSIBLE)) |
                              (n->flags & (CR_WAY_ONEWAY | CR_WAY_REVERSIBLE)));
        s->set_oneway[w] = (uint8_t)info.oneway;
    }
    if (f & (F_ACCESS_ALL | F_ACCESS_CAR))
        a->access[CR_VEHICLE_CAR] = n->access[CR_VEHICLE_CAR];
    if (f & (F_ACCESS_ALL | F_ACCESS_MC))
        a->access[CR_VEHICLE_MOTORCYCLE] = n->access[CR_VEHICLE_MOTORCYCLE];
    if (f & (F_ACCESS_ALL | F_ACCESS_HGV)) {
        a->access[CR_VEHICLE_HGV] = n->access[CR_VEHICLE_HGV];
        a->flags =
            (uint16_t)((a->flags & ~CR_WAY_HGV_DESIGNATED) | (n->flags & CR_WAY_HGV_DESIGNATED));
    }
    if (f & F_WEIGHT)
        a->maxweight_kg = n->maxweight_kg;
    if (f & F_AXLE)
        a->maxaxleload_kg = n->maxaxleload_kg;
    if (f & F_HEIGHT)
        a->maxheight_cm = n->maxheight_cm;
    if (f & F_WIDTH)
        a->maxwidth_cm = n->maxwidth_cm;
    if (f & F_LENGTH)
        a->maxlength_cm = n->maxlength_cm;
    if (f & F_TOLL)
        a->flags = (uint16_t)((a->flags & ~CR_WAY_TOLL) | (n->flags & CR_WAY_TOLL));
    if (a->access[CR_VEHICLE_CAR] == CR_ACCESS_NO &&
        a->access[CR_VEHICLE_MOTORCYCLE] == CR_ACCESS_NO &&
        a->access[CR_VEHICLE_HGV] == CR_ACCESS_NO)
        s->set_closed[w] = 1;
}

/* Marks in HIT the road way records P targets; the count, or an error. */
static enum cr_status
match(struct scen *s, const struct set_spec *p, uint8_t *hit, const char *spec,
      struct cr_error *err)
{
    const struct cr_graph_view *v = s->base;
    enum cr_status st;
    uint32_t found = 0;

    if (p->way_id) {
        for (uint32_t w = 0; w < v->way_count; w++)
            if (v->ways[w].osm_id == p->way_id) {
                if (v->ways[w].mode != CR_MODE_ROAD)
                    return cr_error_set(err, CR_EINVAL, "--set %s: %s is not a road way", spec,
                                        p->target);
                hit[w] = 1;
                found++;
            }
        if (!found)
            return cr_error_set(err, CR_ENOTFOUND, "--set %s: no %s in %s", spec, p->target,
                                s->o->base);
        return CR_OK;
    }
    if ((st = cr_sc_read_shapes(s, p->target, err)))
        return st;
    st = cr_sc_covered(s, hit, err);
    s->shapes.len = s->cl_lon.len = s->cl_lat.len = 0; /* the --close layer reads after */
    if (st)
        return st;
    for (uint32_t w = 0; w < v->way_count; w++)
        found += hit[w];
    if (!found)
        return cr_error_set(err, CR_ENOTFOUND, "--set %s: no road way inside %s", spec, p->target);
    return CR_OK;
}

/* Every --set spec, in order (a later one wins on the keys both set). */
enum cr_status
cr_sc_apply_set(struct scen *s, struct cr_error *err)
{
    const struct cr_graph_view *v = s->base;
    struct set_spec *p = malloc(sizeof *p);
    double *way_km = calloc((size_t)v->way_count + 1, sizeof *way_km);
    uint8_t *hit = malloc((size_t)v->way_count + 1);
    enum cr_status st = CR_OK;

    s->set_closed = calloc((size_t)v->way_count + 1, 1);
    s->set_oneway = malloc((size_t)v->way_count + 1);
    s->set_ways = calloc(s->o->set_count + 1, sizeof *s->set_ways);
    s->set_km = calloc(s->o->set_count + 1, sizeof *s->set_km);
    if (!p || !way_km || !hit || !s->set_closed || !s->set_oneway || !s->set_ways || !s->set_km) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->output);
        goto out;
    }
    memset(s->set_oneway, 0xFF, (size_t)v->way_count + 1);
    for (uint32_t i = 0; i < v->segment_count; i++)
        way_km[v->segment_way[i]] += v->segment_length_cm[i] / 1e5;
    for (size_t i = 0; i < s->o->set_count && !st; i++) {
        const char *spec = s->o->set[i];
        memset(hit, 0, v->way_count);
        if ((st = parse_spec(spec, p, err)) || (st = match(s, p, hit, spec, err)))
            break;
        for (uint32_t w = 0; w < v->way_count; w++) {
            if (!hit[w])
                continue;
            retag(s, w, p);
            s->set_ways[i]++;
            s->set_km[i] += way_km[w];
        }
        s->stats->ways_set += s->set_ways[i];
        s->stats->km_set += s->set_km[i];
    }
out:
    free(p);
    free(way_km);
    free(hit);
    return st;
}

/* The edges of the re-tagged ways: none for a closed way; for a oneway change, the directions
 * the new oneway allows on each segment that had an edge (split pieces included). */
enum cr_status
cr_sc_set_edges(struct scen *s, struct cr_error *err)
{
    size_t segs = s->seg_way.len, out = 0, m = s->edges.len;
    uint8_t *dirs;
    uint32_t nways = s->base->way_count;

    if (!s->set_closed)
        return CR_OK;
    if (!(dirs = calloc(segs + 1, 1)))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->output);
    for (size_t i = 0; i < m; i++) {
        struct sc_edge e = SC_AT(s->edges, struct sc_edge, i);
        uint32_t seg = e.segment & ~CR_SEGMENT_REVERSED, w = SC_AT(s->seg_way, uint32_t, seg);
        int rev = (e.segment & CR_SEGMENT_REVERSED) != 0;
        dirs[seg] |= (uint8_t)(1u << rev);
        if (w < nways && s->set_closed[w])
            continue;
        if (w < nways && s->set_oneway[w] != 0xFF &&
            s->set_oneway[w] == (rev ? CR_ONEWAY_FORWARD : CR_ONEWAY_BACKWARD))
            continue;
        SC_AT(s->edges, struct sc_edge, out++) = e;
    }
    s->edges.len = out;
    for (size_t seg = 0; seg < segs; seg++) {
        uint32_t w = SC_AT(s->seg_way, uint32_t, seg), a, b;
        uint8_t ow;
        if (w >= nways || s->set_closed[w] || (ow = s->set_oneway[w]) == 0xFF || !dirs[seg])
            continue;
        a = SC_AT(s->seg_node, uint32_t, 2 * seg);
        b = SC_AT(s->seg_node, uint32_t, 2 * seg + 1);
        if (!(dirs[seg] & 1) && ow != CR_ONEWAY_BACKWARD) {
            struct sc_edge e = { a, b, (uint32_t)seg, CR_NO_EDGE };
            if (cr_vec_append(&s->edges, &e, 1))
                goto oom;
        }
        if (!(dirs[seg] & 2) && ow != CR_ONEWAY_FORWARD) {
            struct sc_edge e = { b, a, (uint32_t)seg | CR_SEGMENT_REVERSED, CR_NO_EDGE };
            if (cr_vec_append(&s->edges, &e, 1))
                goto oom;
        }
    }
    free(dirs);
    return CR_OK;
oom:
    free(dirs);
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->o->output);
}

/* The "set" list of the provenance: spec, ways and km per --set. */
json_t *
cr_sc_set_json(const struct scen *s)
{
    json_t *list = json_array();

    for (size_t i = 0; i < s->o->set_count && s->set_ways; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "spec", json_string(s->o->set[i]));
        json_object_set_new(o, "ways", json_integer(s->set_ways[i]));
        json_object_set_new(o, "km", json_real(round(s->set_km[i] * 1000.0) / 1000.0));
        json_array_append_new(list, o);
    }
    return list;
}
