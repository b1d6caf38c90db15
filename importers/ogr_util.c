#ifndef _LARGEFILE64_SOURCE
#define _LARGEFILE64_SOURCE 1 /* VSIStatBufL is struct stat64 on Linux */
#endif
#include "importers/ogr_util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>

const char *
cr_ogr_message(void)
{
    const char *msg = CPLGetLastErrorMsg();
    return msg && *msg ? msg : "no reason given";
}

/* Returns the first of NAMES (NULL-terminated) that the layer has, or -1. Case-insensitive. */
int
cr_ogr_find_field(OGRFeatureDefnH defn, const char *const *names)
{
    for (; *names; names++) {
        int i = OGR_FD_GetFieldIndex(defn, *names);
        if (i >= 0)
            return i;
    }
    return -1;
}

bool
cr_ogr_is_blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* Parses all of S (surrounding blanks allowed) as a number; false if anything else is there. */
bool
cr_ogr_parse_number(const char *s, double *out)
{
    char *end;
    s += strspn(s, " \t\r\n");
    if (*s == '\0')
        return false;
    double x = CPLStrtod(s, &end); /* locale-independent strtod */
    if (end == s || !cr_ogr_is_blank(end) || isnan(x))
        return false;
    *out = x;
    return true;
}

bool
cr_ogr_header_is_numeric(OGRFeatureDefnH defn)
{
    double x;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++)
        if (cr_ogr_parse_number(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), &x))
            return true;
    return false;
}

bool
cr_ogr_field_present(OGRFeatureH f, int i)
{
    return i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i);
}

/* CSV: lon or lat as text, parsed whole. */
enum cr_status
cr_ogr_number_field(OGRFeatureH f, int field, const char *label, const char *path,
                    const char *where, double *out, struct cr_error *err)
{
    if (!cr_ogr_field_present(f, field) || cr_ogr_is_blank(OGR_F_GetFieldAsString(f, field)))
        return cr_error_set(err, CR_EINVAL, "%s: %s: no %s", path, where, label);
    const char *text = OGR_F_GetFieldAsString(f, field);
    if (!cr_ogr_parse_number(text, out))
        return cr_error_set(err, CR_EINVAL, "%s: %s: %s \"%.40s\" is not a number", path, where,
                            label, text);
    return CR_OK;
}

const char *
cr_ogr_type_name(OGRwkbGeometryType type)
{
    static const char *const names[] = {
        [wkbPoint] = "Point",
        [wkbLineString] = "LineString",
        [wkbPolygon] = "Polygon",
        [wkbMultiPoint] = "MultiPoint",
        [wkbMultiLineString] = "MultiLineString",
        [wkbMultiPolygon] = "MultiPolygon",
        [wkbGeometryCollection] = "GeometryCollection",
    };
    type = wkbFlatten(type);
    return (size_t)type < sizeof names / sizeof names[0] && names[type]
               ? names[type]
               : OGRGeometryTypeToName(type);
}

/* GeoJSON: the feature's Point, in WGS84. */
enum cr_status
cr_ogr_point(OGRFeatureH f, OGRCoordinateTransformationH to_wgs84, const char *path,
             const char *where, double *lon, double *lat, struct cr_error *err)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f); /* owned by the feature */
    if (!g)
        return cr_error_set(err, CR_EINVAL, "%s: %s: no geometry", path, where);
    OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type != wkbPoint)
        return cr_error_set(err, CR_EINVAL, "%s: %s: geometry is %s, want Point", path, where,
                            cr_ogr_type_name(type));
    if (OGR_G_IsEmpty(g))
        return cr_error_set(err, CR_EINVAL, "%s: %s: empty Point", path, where);
    double x = OGR_G_GetX(g, 0), y = OGR_G_GetY(g, 0);
    if (to_wgs84) {
        CPLErrorReset();
        if (!OCTTransform(to_wgs84, 1, &x, &y, NULL))
            return cr_error_set(err, CR_EINVAL, "%s: %s: cannot transform to WGS84 (%s)", path,
                                where, cr_ogr_message());
    }
    *lon = x;
    *lat = y;
    return CR_OK;
}

/* The transformation to WGS84 when the layer has a CRS other than WGS84. */
enum cr_status
cr_ogr_to_wgs84(OGRLayerH layer, const char *path, OGRCoordinateTransformationH *out,
                struct cr_error *err)
{
    static const char *const same_options[] = {
        "IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
        "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS",
        NULL,
    };
    enum cr_status st = CR_OK;
    OGRSpatialReferenceH layer_srs = OGR_L_GetSpatialRef(layer); /* owned by the layer */
    OGRSpatialReferenceH src = NULL, wgs84 = NULL;
    *out = NULL;
    if (!layer_srs)
        return CR_OK;
    wgs84 = OSRNewSpatialReference(NULL);
    src = OSRClone(layer_srs);
    if (!wgs84 || !src) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    CPLErrorReset();
    if (OSRImportFromEPSG(wgs84, 4326) != OGRERR_NONE) {
        st =
            cr_error_set(err, CR_EINTERNAL, "%s: cannot set up WGS84 (%s)", path, cr_ogr_message());
        goto done;
    }
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    if (OSRIsSameEx(src, wgs84, same_options))
        goto done;
    CPLErrorReset();
    *out = OCTNewCoordinateTransformation(src, wgs84);
    if (!*out)
        st = cr_error_set(err, CR_EFORMAT, "%s: cannot transform its CRS to WGS84 (%s)", path,
                          cr_ogr_message());
done:
    if (src)
        OSRDestroySpatialReference(src);
    if (wgs84)
        OSRDestroySpatialReference(wgs84);
    return st;
}

/* The file exists, is readable and not a directory; an empty file holds no terminals. */
enum cr_status
cr_ogr_check_file(const char *path, const char *what, struct cr_error *err)
{
    VSIStatBufL st;
    errno = 0;
    if (VSIStatL(path, &st) != 0)
        return cr_error_set(err, CR_EIO, "%s: %s", path, strerror(errno ? errno : ENOENT));
    if (VSI_ISDIR(st.st_mode))
        return cr_error_set(err, CR_EIO, "%s: %s", path, strerror(EISDIR));
    errno = 0;
    VSILFILE *fp = VSIFOpenL(path, "rb");
    if (!fp)
        return cr_error_set(err, CR_EIO, "%s: %s", path, strerror(errno ? errno : EIO));
    VSIFCloseL(fp);
    if (st.st_size == 0)
        return cr_error_set(err, CR_EEMPTY, "%s: no %s", path, what);
    return CR_OK;
}

/* Copies S without surrounding blanks; NULL if out of memory. */
char *
cr_ogr_trimmed_copy(const char *s)
{
    s += strspn(s, " \t\r\n");
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        n--;
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}
