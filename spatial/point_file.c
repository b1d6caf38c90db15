/* Files of points (CSV or GeoJSON) opened for the readers of points and terminals. */
#include <string.h>
#include <strings.h>

#include "spatial/vector.h"

enum cr_status
cr_point_file_open(struct cr_point_file *pf, const char *path,
                   const struct cr_point_file_options *o, struct cr_error *err)
{
    static const char *const csv_drivers[] = { "CSV", NULL };
    static const char *const geojson_drivers[] = { "GeoJSON", NULL };
    /* every column is text: lon/lat are parsed by the caller, so a bad one is named with its
     * line */
    static const char *const csv_options[] = { "AUTODETECT_TYPE=NO", "HEADERS=YES", NULL };
    /* NATIVE_DATA keeps each feature's JSON, where a numeric feature id is found */
    static const char *const geojson_options[] = { "DATE_AS_STRING=YES", "NATIVE_DATA=YES", NULL };
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    bool csv = dot && strcasecmp(dot, ".csv") == 0;
    enum cr_status st;

    memset(pf, 0, sizeof *pf);
    if (!csv && (!dot || (strcasecmp(dot, ".geojson") != 0 && strcasecmp(dot, ".json") != 0)))
        return cr_error_set(err, CR_EINVAL, "%s: %s", path, o->extensions);
    struct cr_vector_options vo = {
        .what = o->what,
        .no_layer = o->what,
        .unreadable = csv ? o->unreadable_csv : o->unreadable_geojson,
        .drivers = csv ? csv_drivers : geojson_drivers,
        .open_options = csv ? csv_options : geojson_options,
    };
    if ((st = cr_vector_open(&pf->v, path, &vo, err)))
        return st;
    if (csv)
        return CR_OK;
    if (!(pf->ctx = cr_ctx_create(err)))
        st = err ? err->code : CR_ENOMEM;
    else
        st = cr_vector_to_wgs84(&pf->v, pf->ctx, &pf->to_wgs84, err);
    if (st)
        cr_point_file_close(pf);
    return st;
}

void
cr_point_file_close(struct cr_point_file *pf)
{
    proj_destroy(pf->to_wgs84);
    cr_ctx_destroy(pf->ctx);
    cr_vector_close(&pf->v);
    memset(pf, 0, sizeof *pf);
}
