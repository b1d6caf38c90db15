#include "planning/skim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"
#include "routing/table.h"

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
cr_skim_zone_points(const struct cr_zones *z, struct cr_skim_point *points, uint8_t *keep,
                    struct cr_error *err)
{
    enum cr_status st;

    for (size_t i = 0; i < z->count; i++) {
        struct cr_skim_point *p = &points[i];
        double lon, lat;
        keep[i] = 0;
        if ((st = representative_point(z, i, p, err)))
            return st;
        if (cr_zones_to_wgs84(z, p->x, p->y, &lon, &lat) || !cr_geo_valid(lon, lat))
            continue; /* outside what WGS84 can say: not placed */
        p->lon_e7 = cr_deg_to_e7(lon);
        p->lat_e7 = cr_deg_to_e7(lat);
        keep[i] = 1;
    }
    return CR_OK;
}

enum cr_status
cr_skim_place_zones(const struct cr_zones *z, const struct cr_engine *e,
                    struct cr_skim_point *points, size_t *placed, struct cr_error *err)
{
    uint8_t *keep = calloc(z->count ? z->count : 1, 1);
    enum cr_status st;

    *placed = 0;
    memset(points, 0, z->count * sizeof *points);
    if (!keep)
        return cr_error_set(err, CR_ENOMEM, "%zu zones: out of memory", z->count);
    st = cr_skim_zone_points(z, points, keep, err);
    for (size_t i = 0; st == CR_OK && i < z->count; i++) {
        struct cr_error perr = { 0 };
        enum cr_status ps;
        if (!keep[i])
            continue;
        /* as cr_table_compute snaps each point (default place options) */
        ps = cr_engine_place_opts(e, points[i].lon_e7, points[i].lat_e7, NULL, &points[i].place,
                                  &perr);
        if (ps == CR_ENOMEM)
            st = cr_error_set(err, ps, "%s", perr.msg);
        else if ((points[i].placed = ps == CR_OK))
            ++*placed;
    }
    free(keep);
    return st;
}

/* The zones' points and cells from table T over the kept zones (AT[k]: the zone of point k). */
static void
from_table(struct cr_skim *out, const struct cr_table *t, const size_t *at, size_t m)
{
    size_t n = out->count;

    for (size_t c = 0; c < n * n; c++)
        out->cells[c] = (struct cr_cell){ UINT64_MAX, NAN, NAN, NAN, NAN };
    for (size_t k = 0; k < m; k++) {
        struct cr_skim_point *p = &out->points[at[k]];
        if ((p->placed = cr_table_point(t, k, NULL))) {
            p->place = *cr_table_place(t, k);
            out->placed++;
        }
    }
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++) {
            struct cr_cell *c = &out->cells[at[i] * n + at[j]];
            struct cr_measures v;
            if (cr_table_status(t, i, j) != CR_CELL_OK)
                continue;
            cr_table_measures(t, i, j, &v);
            *c = (struct cr_cell){ cr_table_weight(t, i, j), v.distance_m, v.duration_s, v.cost,
                                   v.co2_kg };
        }
}

enum cr_status
cr_skim_run(const struct cr_zones *z, struct cr_router *r, struct cr_skim *out,
            struct cr_error *err)
{
    struct cr_table_options to = CR_TABLE_OPTIONS_DEFAULT;
    struct cr_table *t = NULL;
    int32_t *lon = NULL, *lat = NULL;
    uint8_t *keep = NULL;
    size_t *at = NULL, n = z->count, m = 0;
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
    keep = calloc(n, 1);
    at = malloc(n * sizeof *at);
    lon = malloc(n * sizeof *lon);
    lat = malloc(n * sizeof *lat);
    if (!out->points || !out->cells || !keep || !at || !lon || !lat) {
        st =
            cr_error_set(err, CR_ENOMEM, "%zu zones: out of memory for a %zu x %zu table", n, n, n);
        goto done;
    }
    if ((st = cr_skim_zone_points(z, out->points, keep, err)))
        goto done;
    for (size_t i = 0; i < n; i++)
        if (keep[i]) {
            at[m] = i;
            lon[m] = out->points[i].lon_e7;
            lat[m++] = out->points[i].lat_e7;
        }
    to.fill = CR_TABLE_MEASURES;
    if ((st = cr_table_compute(r, lon, lat, m, NULL, 0, NULL, 0, &to, &t, err)))
        goto done;
    from_table(out, t, at, m);
done:
    cr_table_destroy(t);
    free(keep);
    free(at);
    free(lon);
    free(lat);
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
