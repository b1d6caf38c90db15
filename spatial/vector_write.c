/* The vector writer (vector_write.h): GDAL dataset creation through core/atomic path mode. */
#include "spatial/vector_write.h"

#include <string.h>

#include <cpl_error.h>
#include <cpl_vsi.h>

#include "spatial/vector.h"

enum cr_status
cr_vector_writer_open(struct cr_vector_writer *w, const char *path, const char *driver,
                      const char *crs, struct cr_error *err)
{
    enum cr_status st;
    memset(w, 0, sizeof *w);
    w->path = path;
    if ((st = cr_atomic_open_path(&w->file, path, err)))
        return st;
    GDALAllRegister(); /* idempotent */
    cr_vector_quiet_begin();
    GDALDriverH drv = GDALGetDriverByName(driver);
    if (!drv) {
        st = cr_error_set(err, CR_EINTERNAL, "%s: GDAL has no %s driver", path, driver);
        goto done;
    }
    if (crs) {
        w->srs = OSRNewSpatialReference(NULL);
        CPLErrorReset();
        if (!w->srs || OSRSetFromUserInput(w->srs, crs) != OGRERR_NONE) {
            st = cr_error_set(err, CR_EINTERNAL, "%s: the CRS \"%.60s\": %s", path, crs,
                              cr_vector_message());
            goto done;
        }
        OSRSetAxisMappingStrategy(w->srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    VSIUnlink(w->file.tmp); /* reserved empty by cr_atomic_open_path; the driver makes it */
    CPLErrorReset();
    if (!(w->ds = GDALCreate(drv, w->file.tmp, 0, 0, 0, GDT_Unknown, NULL)))
        st = cr_error_set(err, CR_EIO, "%s: cannot create (%s)", path, cr_vector_message());
done:
    cr_vector_quiet_end();
    if (st)
        cr_vector_writer_abort(w);
    return st;
}

OGRLayerH
cr_vector_writer_layer(struct cr_vector_writer *w, const char *name, OGRwkbGeometryType type,
                       const char *const *fields, const OGRFieldType *types,
                       const char *const *options, struct cr_error *err)
{
    cr_vector_quiet_begin();
    CPLErrorReset();
    OGRLayerH l = GDALDatasetCreateLayer(w->ds, name, w->srs, type, (char **)options);
    for (size_t i = 0; l && fields && fields[i]; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fields[i], types[i]);
        OGRErr e = OGR_L_CreateField(l, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            l = NULL;
    }
    if (!l)
        cr_error_set(err, CR_EIO, "%s: cannot create layer %s (%s)", w->path, name,
                     cr_vector_message());
    cr_vector_quiet_end();
    return l;
}

enum cr_status
cr_vector_writer_commit(struct cr_vector_writer *w, struct cr_error *err)
{
    enum cr_status st = CR_OK;
    cr_vector_quiet_begin();
    CPLErrorReset();
    GDALClose(w->ds);
    w->ds = NULL;
    if (CPLGetLastErrorType() >= CE_Failure)
        st = cr_error_set(err, CR_EIO, "%s: %s", w->path, cr_vector_message());
    cr_vector_quiet_end();
    if (!st)
        st = cr_atomic_commit(&w->file, err);
    cr_vector_writer_abort(w); /* what is left: the SRS, or the temporary file on failure */
    return st;
}

void
cr_vector_writer_abort(struct cr_vector_writer *w)
{
    if (!w)
        return;
    if (w->ds) {
        cr_vector_quiet_begin();
        GDALClose(w->ds);
        cr_vector_quiet_end();
    }
    cr_atomic_abort(&w->file);
    if (w->srs)
        OSRDestroySpatialReference(w->srs);
    w->ds = NULL;
    w->srs = NULL;
}

OGRGeometryH
cr_vector_multipolygon(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    OGRGeometryH out = OGR_G_CreateGeometry(wkbMultiPolygon);
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(ctx);
    int n = GEOSGetNumGeometries_r(ctx, g);
    if (!out || !w || n < 0)
        goto fail;
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(ctx, g, i);
        int type = GEOSGeomTypeId_r(ctx, part);
        if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
            OGRGeometryH sub = cr_vector_multipolygon(ctx, part);
            if (!sub)
                goto fail;
            for (int k = 0; k < OGR_G_GetGeometryCount(sub); k++)
                OGR_G_AddGeometry(out, OGR_G_GetGeometryRef(sub, k));
            OGR_G_DestroyGeometry(sub);
            continue;
        }
        if (type != GEOS_POLYGON || GEOSisEmpty_r(ctx, part) == 1)
            continue;
        size_t size = 0;
        unsigned char *wkb = GEOSWKBWriter_write_r(ctx, w, part, &size);
        OGRGeometryH poly = NULL;
        if (!wkb)
            goto fail;
        OGRErr e = OGR_G_CreateFromWkbEx(wkb, NULL, &poly, size);
        GEOSFree_r(ctx, wkb);
        if (e != OGRERR_NONE || !poly)
            goto fail;
        OGR_G_AddGeometryDirectly(out, poly);
    }
    GEOSWKBWriter_destroy_r(ctx, w);
    return out;
fail:
    if (w)
        GEOSWKBWriter_destroy_r(ctx, w);
    if (out)
        OGR_G_DestroyGeometry(out);
    return NULL;
}

int
cr_vector_writer_add(OGRLayerH l, OGRFeatureH f, OGRGeometryH g)
{
    int ok = f && g && OGR_F_SetGeometryDirectly(f, g) == OGRERR_NONE;
    if (f && ok)
        g = NULL; /* the feature owns it now */
    ok = ok && OGR_L_CreateFeature(l, f) == OGRERR_NONE;
    if (g)
        OGR_G_DestroyGeometry(g);
    if (f)
        OGR_F_Destroy(f);
    return ok ? 0 : -1;
}
