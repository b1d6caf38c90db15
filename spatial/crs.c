/* CRS parsing, UTM zones and normalised PROJ transformations. */
#include "spatial/crs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "WHERE: " or nothing, for messages. */
#define WHERE_FMT "%s%s"
#define WHERE_ARGS(w) (w) ? (w) : "", (w) ? ": " : ""

PJ *
cr_crs_parse(struct cr_ctx *c, const char *text, const char *what, const char *where,
             struct cr_error *err)
{
    PJ_CONTEXT *ctx = cr_ctx_proj(c);
    char buf[2048];
    const char *s = text ? text + strspn(text, " \t") : "";
    if (*s == '\0') {
        cr_error_set(err, CR_EINVAL, WHERE_FMT "%s is empty", WHERE_ARGS(where),
                     what ? what : "CRS");
        return NULL;
    }
    if (strspn(s, "0123456789") == strlen(s)) {
        snprintf(buf, sizeof buf, "EPSG:%s", s);
        s = buf;
    } else if (s[0] == '+' && !strstr(s, "type=crs")) {
        if ((size_t)snprintf(buf, sizeof buf, "%s +type=crs", s) >= sizeof buf) {
            cr_error_set(err, CR_EINVAL, WHERE_FMT "%s is too long", WHERE_ARGS(where),
                         what ? what : "CRS");
            return NULL;
        }
        s = buf;
    }
    PJ *crs = proj_create(ctx, s);
    if (!crs || !proj_is_crs(crs)) {
        cr_error_set(err, CR_EINVAL, WHERE_FMT "unknown CRS \"%.60s\" (%s)%s%s", WHERE_ARGS(where),
                     text, crs ? "not a CRS" : cr_ctx_proj_message(c, "not a CRS PROJ knows"),
                     what ? ": " : "", what ? what : "");
        proj_destroy(crs);
        return NULL;
    }
    return crs;
}

PJ *
cr_crs_wgs84(struct cr_ctx *c, struct cr_error *err)
{
    PJ *crs = proj_create(cr_ctx_proj(c), "EPSG:4326");
    if (!crs)
        cr_ctx_proj_error(c, err, CR_EINTERNAL, "no WGS 84 in PROJ's database");
    return crs;
}

int
cr_crs_utm_zone(double lon, double lat, int *zone, bool *north)
{
    if (!isfinite(lon) || !isfinite(lat) || fabs(lon) > 180 || fabs(lat) > 90)
        return -1;
    int z = (int)floor((lon + 180.0) / 6.0) + 1;
    z = z < 1 ? 1 : z > 60 ? 60 : z;
    if (lat >= 56 && lat < 64 && lon >= 3 && lon < 12)
        z = 32; /* southwest Norway */
    if (lat >= 72 && lat < 84 && lon >= 0 && lon < 42)
        z = lon < 9 ? 31 : lon < 21 ? 33 : lon < 33 ? 35 : 37; /* Svalbard */
    *zone = z;
    *north = lat >= 0;
    return 0;
}

int
cr_crs_utm_epsg(double lon, double lat)
{
    int zone;
    bool north;
    if (cr_crs_utm_zone(lon, lat, &zone, &north))
        return 0;
    return (north ? 32600 : 32700) + zone;
}

/* The horizontal part of CRS (a bound CRS's source, a compound CRS's first part).
 * caller frees: proj_destroy() */
static PJ *
horizontal_crs(PJ_CONTEXT *ctx, const PJ *crs)
{
    PJ_TYPE t = proj_get_type(crs);
    if (t == PJ_TYPE_BOUND_CRS) {
        PJ *src = proj_get_source_crs(ctx, crs);
        PJ *h = src ? horizontal_crs(ctx, src) : NULL;
        proj_destroy(src);
        return h;
    }
    if (t == PJ_TYPE_COMPOUND_CRS) {
        PJ *sub = proj_crs_get_sub_crs(ctx, crs, 0);
        PJ *h = sub ? horizontal_crs(ctx, sub) : NULL;
        proj_destroy(sub);
        return h;
    }
    return proj_clone(ctx, crs);
}

bool
cr_crs_is_projected_metres(struct cr_ctx *c, const PJ *crs)
{
    PJ_CONTEXT *ctx = cr_ctx_proj(c);
    bool ok = false;
    PJ *h = horizontal_crs(ctx, crs);
    PJ *cs = NULL;
    if (!h || proj_get_type(h) != PJ_TYPE_PROJECTED_CRS)
        goto done;
    cs = proj_crs_get_coordinate_system(ctx, h);
    if (!cs || proj_cs_get_axis_count(ctx, cs) < 2)
        goto done;
    ok = true;
    for (int i = 0; i < 2; i++) {
        double factor = 0;
        if (!proj_cs_get_axis_info(ctx, cs, i, NULL, NULL, NULL, &factor, NULL, NULL, NULL) ||
            fabs(factor - 1.0) > 1e-12)
            ok = false;
    }
done:
    proj_destroy(cs);
    proj_destroy(h);
    return ok;
}

char *
cr_crs_text(struct cr_ctx *c, const PJ *crs)
{
    PJ_CONTEXT *ctx = cr_ctx_proj(c);
    const char *auth = proj_get_id_auth_name(crs, 0), *code = proj_get_id_code(crs, 0);
    if (auth && code) {
        size_t n = strlen(auth) + strlen(code) + 2;
        char *s = malloc(n);
        if (s)
            snprintf(s, n, "%s:%s", auth, code);
        return s;
    }
    const char *wkt = proj_as_wkt(ctx, crs, PJ_WKT2_2019, NULL);
    if (wkt)
        return strdup(wkt);
    const char *p4 = proj_as_proj_string(ctx, crs, PJ_PROJ_5, NULL);
    return p4 ? strdup(p4) : NULL;
}

const char *
cr_crs_name(const PJ *crs)
{
    const char *name = crs ? proj_get_name(crs) : NULL;
    return name && *name && strcmp(name, "unknown") != 0 ? name : NULL;
}

bool
cr_crs_same(const PJ *a, const PJ *b)
{
    return proj_is_equivalent_to(a, b, PJ_COMP_EQUIVALENT) != 0;
}

PJ *
cr_crs_transform(struct cr_ctx *c, const PJ *from, const PJ *to, const char *where,
                 struct cr_error *err)
{
    PJ_CONTEXT *ctx = cr_ctx_proj(c);
    PJ *raw = proj_create_crs_to_crs_from_pj(ctx, from, to, NULL, NULL);
    PJ *norm = raw ? proj_normalize_for_visualization(ctx, raw) : NULL;
    proj_destroy(raw);
    if (!norm) {
        const char *a = cr_crs_name(from), *b = cr_crs_name(to);
        cr_error_set(err, CR_EINVAL, WHERE_FMT "no transformation from %s to %s (%s)",
                     WHERE_ARGS(where), a ? a : "its CRS", b ? b : "the other CRS",
                     cr_ctx_proj_message(c, "no reason given"));
    }
    return norm;
}

PJ *
cr_crs_from_wgs84(struct cr_ctx *c, const PJ *to, const char *where, struct cr_error *err)
{
    PJ *wgs84 = cr_crs_wgs84(c, err);
    PJ *t = wgs84 ? cr_crs_transform(c, wgs84, to, where, err) : NULL;
    proj_destroy(wgs84);
    return t;
}

int
cr_crs_point(PJ *t, PJ_DIRECTION dir, double *x, double *y)
{
    PJ_COORD p = proj_trans(t, dir, proj_coord(*x, *y, 0, 0));
    if (!isfinite(p.xy.x) || !isfinite(p.xy.y))
        return -1;
    *x = p.xy.x;
    *y = p.xy.y;
    return 0;
}

size_t
cr_crs_xy(PJ *t, PJ_DIRECTION dir, double *xy, size_t n)
{
    size_t bad = 0;
    if (n == 0)
        return 0;
    proj_trans_generic(t, dir, xy, 2 * sizeof(double), n, xy + 1, 2 * sizeof(double), n, NULL, 0, 0,
                       NULL, 0, 0);
    for (size_t i = 0; i < n; i++)
        bad += !isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1]);
    return bad;
}
