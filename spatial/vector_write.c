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
