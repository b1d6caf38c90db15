/* A trip on a network (routing/trip.h): the session's table, the solver, then one route through
 * the points in the order found. */
#include "routing/trip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routing/output.h"
#include "routing/table.h"

void
cr_trip_fini(struct cr_trip *t)
{
    if (!t)
        return;
    free(t->order);
    free(t->position);
    cr_route_fini(&t->route);
    memset(t, 0, sizeof *t);
    t->unsnapped = SIZE_MAX;
}

/* The first point of table T that did not snap into OUT->unsnapped, with its reason in ERR. */
static enum cr_status
check_snapped(const struct cr_table *t, struct cr_trip *out, struct cr_error *err)
{
    for (size_t k = 0; k < t->n; k++)
        if (!t->snapped[k]) {
            out->unsnapped = k;
            return cr_error_set(err, CR_ENOTFOUND, "%s",
                                t->error[k] ? t->error[k] : "no usable way near it");
        }
    return CR_OK;
}

/* The route through the points of table T in OUT->order (and back to the first if roundtrip). */
static enum cr_status
route_in_order(struct cr_router *r, const struct cr_table *t, struct cr_trip *out,
               struct cr_error *err)
{
    size_t count = out->n + (size_t)out->roundtrip;
    struct cr_place *places = malloc(count * sizeof *places);
    enum cr_status rc;

    if (!places)
        return cr_error_set(err, CR_ENOMEM, "trip: out of memory for %zu places", count);
    for (size_t k = 0; k < count; k++)
        places[k] = *cr_table_place(t, out->order[k % out->n]);
    rc = cr_router_route_places(r, places, count, &out->route, err);
    free(places);
    return rc;
}

enum cr_status
cr_trip_compute(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7, size_t n,
                const struct cr_place_opts *popts, const struct cr_trip_options *o,
                struct cr_trip *out, struct cr_error *err)
{
    struct cr_trip_options d = CR_TRIP_OPTIONS_DEFAULT;
    struct cr_table_options to = CR_TABLE_OPTIONS_DEFAULT;
    struct cr_table *t = NULL;
    struct cr_trip_order ord;
    enum cr_status rc;

    memset(out, 0, sizeof *out);
    out->unsnapped = SIZE_MAX;
    o = o ? o : &d;
    if (n < 2 || n > CR_TRIP_MAX_POINTS)
        return cr_error_set(err, CR_EINVAL, "trip: %zu points: want 2 to %d", n,
                            CR_TRIP_MAX_POINTS);
    out->n = n;
    out->roundtrip = o->roundtrip != 0;
    out->order = malloc(n * sizeof *out->order);
    out->position = malloc(n * sizeof *out->position);
    if (!out->order || !out->position)
        return cr_error_set(err, CR_ENOMEM, "trip: out of memory for %zu points", n);
    to.place = popts;
    to.progress = o->progress;
    to.progress_user = o->progress_user;
    if ((rc = cr_table_compute(r, lon_e7, lat_e7, n, NULL, 0, NULL, 0, &to, &t, err)) ||
        (rc = check_snapped(t, out, err)))
        goto done;
    ord.order = out->order;
    if ((rc = cr_trip_solve(t->weight, n, o, &ord, err)))
        goto done;
    out->weight = ord.weight;
    out->exact = ord.exact;
    for (size_t k = 0; k < n; k++)
        out->position[out->order[k]] = k;
    if ((rc = route_in_order(r, t, out, err)))
        goto done;
    out->used_ch = out->route.used_ch;
done:
    cr_table_destroy(t);
    return rc;
}

/* ---- corridor's trip JSON and GeoJSON ------------------------------------------------------- */

static const char *
point_id(const char *const *ids, size_t i, char *buf, size_t size)
{
    if (ids && ids[i])
        return ids[i];
    snprintf(buf, size, "%zu", i + 1);
    return buf;
}

/* The trip's own member: how it was asked, how it was solved, and the visits in order. */
static json_t *
trip_member(const struct cr_trip *t, const struct cr_trip_options *o, const char *const *ids)
{
    json_t *m = json_object(), *order = json_array(), *visits = json_array();
    char buf[32];

    json_object_set_new(m, "roundtrip", json_boolean(t->roundtrip));
    json_object_set_new(m, "source", json_string(o->source_first ? "first" : "any"));
    json_object_set_new(m, "destination", json_string(o->destination_last ? "last" : "any"));
    json_object_set_new(m, "solver", json_string(t->exact ? "exact" : "heuristic"));
    for (size_t k = 0; k < t->n; k++) {
        size_t i = t->order[k];
        const struct cr_place *p = &t->route.places[k];
        json_t *v = json_object();
        json_array_append_new(order, json_string(point_id(ids, i, buf, sizeof buf)));
        json_object_set_new(v, "visit", json_integer((json_int_t)k + 1));
        json_object_set_new(v, "id", json_string(point_id(ids, i, buf, sizeof buf)));
        json_object_set_new(v, "point", json_integer((json_int_t)i + 1));
        json_object_set_new(v, "location", cr_output_lonlat(p->lon_e7, p->lat_e7));
        json_array_append_new(visits, v);
    }
    json_object_set_new(m, "order", order);
    json_object_set_new(m, "visits", visits);
    return m;
}

json_t *
cr_trip_json(const struct cr_engine *e, const struct cr_trip *t, const struct cr_trip_options *o,
             const char *const *ids)
{
    json_t *j = cr_output_route_json(e, &t->route);
    json_object_set_new(j, "trip", trip_member(t, o, ids));
    return j;
}

json_t *
cr_trip_geojson(const struct cr_engine *e, const struct cr_trip *t, const char *const *ids)
{
    json_t *fc = cr_output_route_geojson(e, &t->route), *f;
    size_t k;
    char buf[32];

    json_array_foreach(json_object_get(fc, "features"), k, f)
    {
        json_t *props = json_object_get(f, "properties"), *index;
        const char *kind = json_string_value(json_object_get(props, "kind"));
        if (kind && !strcmp(kind, "route")) {
            json_object_set_new(props, "kind", json_string("trip")); /* frees KIND */
            continue;
        }
        if (!kind || strcmp(kind, "waypoint") || !(index = json_object_get(props, "index")))
            continue;
        size_t visit = (size_t)json_integer_value(index), i = t->order[visit % t->n];
        json_object_set_new(props, "visit", json_integer((json_int_t)visit + 1));
        json_object_set_new(props, "id", json_string(point_id(ids, i, buf, sizeof buf)));
        json_object_set_new(props, "point", json_integer((json_int_t)i + 1));
    }
    return fc;
}
