#include "planning/skim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"

void
cr_skim_fini(struct cr_skim *s)
{
    if (!s)
        return;
    free(s->points);
    free(s->cells);
    memset(s, 0, sizeof *s);
}

/* A point inside zone I, in the working CRS. */
static enum cr_status
representative_point(const struct cr_zones *z, size_t i, struct cr_skim_point *p,
                     struct cr_error *err)
{
    GEOSContextHandle_t ctx = z->geos;
    GEOSGeometry *pt = z->zones[i].geom ? GEOSPointOnSurface_r(ctx, z->zones[i].geom) : NULL;
    int ok = pt && GEOSisEmpty_r(ctx, pt) == 0 && GEOSGeomGetX_r(ctx, pt, &p->x) &&
             GEOSGeomGetY_r(ctx, pt, &p->y);
    if (pt)
        GEOSGeom_destroy_r(ctx, pt);
    if (!ok)
        return cr_error_set(err, CR_EINTERNAL, "%s: zone %lld: GEOS gives no point on its surface",
                            z->source_path ? z->source_path : "zones", (long long)z->zones[i].fid);
    return CR_OK;
}

enum cr_status
cr_skim_run(const struct cr_zones *z, const struct cr_engine *e, struct cr_router *r,
            struct cr_skim *out, struct cr_error *err)
{
    struct cr_place *places = NULL;
    struct cr_cell *compact = NULL;
    size_t *slot = NULL, n = z->count, m = 0;
    enum cr_status st = CR_OK;

    memset(out, 0, sizeof *out);
    if (n == 0)
        return cr_error_set(err, CR_EEMPTY, "%s: no zones", z->source_path ? z->source_path : "");
    if (n > SIZE_MAX / sizeof *out->cells / n)
        return cr_error_set(err, CR_ENOMEM, "%zu zones: a table of %zu x %zu is too large", n, n,
                            n);
    out->count = n;
    out->points = calloc(n, sizeof *out->points);
    out->cells = malloc(n * n * sizeof *out->cells);
    places = calloc(n, sizeof *places);
    slot = calloc(n, sizeof *slot);
    if (!out->points || !out->cells || !places || !slot) {
        st =
            cr_error_set(err, CR_ENOMEM, "%zu zones: out of memory for a %zu x %zu table", n, n, n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        struct cr_skim_point *p = &out->points[i];
        double lon, lat;
        if ((st = representative_point(z, i, p, err)))
            goto done;
        if (cr_zones_to_wgs84(z, p->x, p->y, &lon, &lat) || !cr_geo_valid(lon, lat))
            continue; /* outside what WGS84 can say: not placed */
        p->lon_e7 = cr_deg_to_e7(lon);
        p->lat_e7 = cr_deg_to_e7(lat);
        struct cr_error perr = { 0 };
        enum cr_status ps = cr_engine_place(e, p->lon_e7, p->lat_e7, &p->place, &perr);
        if (ps == CR_ENOMEM) {
            st = cr_error_set(err, ps, "%s", perr.msg);
            goto done;
        }
        if (ps == CR_OK) {
            p->placed = 1;
            slot[i] = m;
            places[m++] = p->place;
        }
    }
    out->placed = m;
    if (m > 0) {
        compact = malloc(m * m * sizeof *compact);
        if (!compact) {
            st = cr_error_set(err, CR_ENOMEM, "out of memory for a %zu x %zu table", m, m);
            goto done;
        }
        if ((st = cr_router_table(r, places, m, places, m, compact, err)))
            goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            struct cr_cell *c = &out->cells[i * n + j];
            if (out->points[i].placed && out->points[j].placed)
                *c = compact[slot[i] * m + slot[j]];
            else
                *c = (struct cr_cell){ .weight = UINT64_MAX,
                                       .distance_m = NAN,
                                       .duration_s = NAN,
                                       .cost = NAN,
                                       .co2_kg = NAN };
        }
done:
    free(places);
    free(compact);
    free(slot);
    if (st)
        cr_skim_fini(out);
    return st;
}

enum cr_skim_status
cr_skim_cell_status(const struct cr_skim *s, size_t i, size_t j)
{
    if (!s->points[i].placed || !s->points[j].placed)
        return CR_SKIM_NO_SEGMENT;
    return s->cells[i * s->count + j].weight == UINT64_MAX ? CR_SKIM_UNREACHABLE : CR_SKIM_OK;
}

const char *
cr_skim_status_name(enum cr_skim_status st)
{
    switch (st) {
    case CR_SKIM_OK:
        return "ok";
    case CR_SKIM_UNREACHABLE:
        return "unreachable";
    case CR_SKIM_NO_SEGMENT:
        return "no_segment";
    }
    return "?";
}
