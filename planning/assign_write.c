/*
 * Assignment results per network edge: GeoPackage or CSV, and VKT / VHT (planning/assign_write.h).
 */
#include "planning/assign_write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"
#include "core/csv.h"
#include "spatial/vector.h"
#include "spatial/vector_write.h"

#define FIXED_COLUMNS 10
#define MAX_COLUMNS (FIXED_COLUMNS + 3 * CR_ASSIGN_OSM_MAX_CLASSES)

/* Per class and resource flows (vehicles), [class][res.count]. */
struct flows {
    double *v[CR_ASSIGN_OSM_MAX_CLASSES];
};

static void
flows_fini(struct flows *f)
{
    for (size_t c = 0; c < CR_ASSIGN_OSM_MAX_CLASSES; c++)
        free(f->v[c]);
}

static enum cr_status
flows_make(const struct cr_assign_osm *a, const struct cr_assign_result *r, struct flows *f,
           struct cr_error *err)
{
    const struct cr_assign_problem *p = &a->problem;

    memset(f, 0, sizeof *f);
    for (size_t c = 0; c < p->class_count; c++) {
        const struct cr_assign_class *k = &p->classes[c];
        if (!(f->v[c] = calloc((size_t)p->res.count + 1, sizeof(double)))) {
            flows_fini(f);
            return cr_error_set(err, CR_ENOMEM, "out of memory");
        }
        for (uint32_t l = 0; l < k->link_count; l++)
            if (k->resource[l] != CR_ASSIGN_NO_RESOURCE)
                f->v[c][k->resource[l]] += r->flow[c][l];
    }
    return CR_OK;
}

void
cr_assign_osm_totals(const struct cr_assign_osm *a, const struct cr_assign_result *r,
                     struct cr_assign_totals *t)
{
    const struct cr_assign_problem *p = &a->problem;

    memset(t, 0, sizeof *t);
    t->class_count = p->class_count;
    for (size_t c = 0; c < p->class_count; c++) {
        const struct cr_assign_class *k = &p->classes[c];
        snprintf(t->name[c], sizeof t->name[c], "%s", k->name);
        for (uint32_t l = 0; l < k->link_count; l++) {
            uint32_t res = k->resource[l];
            double x = r->flow[c][l], cost = k->fft[l] + k->fixed[l], share;
            if (x == 0)
                continue;
            if (res != CR_ASSIGN_NO_RESOURCE) {
                double full = a->res_fft_s[c][res];
                cost = k->fft[l] * cr_vdf_factor(&p->res, res, r->volume[res]) + k->fixed[l];
                share = full > 0 ? k->fft[l] / full : 1;
                t->vkt[c] += x * a->res_length_m[res] * (share > 1 ? 1 : share) / 1000;
            }
            t->vht[c] += x * cost / 3600;
        }
        t->vkt_total += t->vkt[c];
        t->vht_total += t->vht[c];
    }
}

/* ---- one row ------------------------------------------------------------------------------ */

struct row {
    int64_t edge, base_edge, osm_way; /* base_edge < 0: none */
    const char *name, *road_class;
    double num[MAX_COLUMNS]; /* length_m .. and the class columns, NAN: null */
    size_t num_count;
};

static void
make_row(const struct cr_assign_osm *a, const struct cr_assign_result *r, const struct flows *f,
         uint32_t res, struct row *w)
{
    const struct cr_graph_view *v = a->view;
    const struct cr_assign_resources *rs = &a->problem.res;
    uint32_t e = a->res_edge[res], seg = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
    const struct cr_way_attr *way = &v->ways[v->segment_way[seg]];
    int road = way->mode == CR_MODE_ROAD;
    size_t n = 0;

    w->edge = e;
    w->base_edge =
        a->res_base_edge[res] == CR_ASSIGN_OSM_NO_BASE ? -1 : (int64_t)a->res_base_edge[res];
    w->osm_way = way->osm_id;
    w->name = v->strings + way->name;
    w->road_class = road ? cr_road_class_name((enum cr_road_class)way->klass)
                         : cr_mode_name((enum cr_mode)way->mode);
    w->num[n++] = a->res_length_m[res];
    w->num[n++] = road ? a->res_lanes[res] : NAN;
    w->num[n++] = road ? rs->capacity[res] : NAN;
    w->num[n++] = r->volume[res];
    w->num[n++] = road ? r->volume[res] / rs->capacity[res] : NAN;
    for (size_t c = 0; c < a->problem.class_count; c++) {
        double fft = a->res_fft_s[c][res];
        w->num[n++] = f->v[c][res];
        w->num[n++] = fft;
        w->num[n++] = isnan(fft) ? NAN : fft * cr_vdf_factor(rs, res, r->volume[res]);
    }
    w->num_count = n;
}

/* Column names: the fixed ones, then flow_, fft_s_ and time_s_ per class (into BUF). */
static size_t
column_names(const struct cr_assign_osm *a, char buf[][48], const char **names)
{
    static const char *const fixed[FIXED_COLUMNS] = { "edge",  "base_edge",  "osm_way",
                                                      "name",  "road_class", "length_m",
                                                      "lanes", "capacity",   "volume_pce",
                                                      "vc" };
    size_t n = 0;

    for (size_t i = 0; i < FIXED_COLUMNS; i++)
        names[n++] = fixed[i];
    for (size_t c = 0; c < a->problem.class_count; c++) {
        const char *k = a->problem.classes[c].name;
        snprintf(buf[3 * c], 48, "flow_%s", k);
        snprintf(buf[3 * c + 1], 48, "fft_s_%s", k);
        snprintf(buf[3 * c + 2], 48, "time_s_%s", k);
        for (size_t j = 0; j < 3; j++)
            names[n++] = buf[3 * c + j];
    }
    names[n] = NULL;
    return n;
}

/* ---- CSV ---------------------------------------------------------------------------------- */

static void
csv_row(FILE *f, const struct row *w)
{
    fprintf(f, "%lld,", (long long)w->edge);
    if (w->base_edge >= 0)
        fprintf(f, "%lld", (long long)w->base_edge);
    fprintf(f, ",%lld,", (long long)w->osm_way);
    cr_csv_field(f, w->name);
    fputc(',', f);
    cr_csv_field(f, w->road_class);
    for (size_t i = 0; i < w->num_count; i++) {
        fputc(',', f);
        if (!isnan(w->num[i]))
            fprintf(f, "%.10g", w->num[i]);
    }
    fputc('\n', f);
}

static enum cr_status
write_csv(const struct cr_assign_osm *a, const struct cr_assign_result *r, const struct flows *fl,
          const char *path, struct cr_error *err)
{
    char buf[3 * CR_ASSIGN_OSM_MAX_CLASSES][48];
    const char *names[MAX_COLUMNS + 1];
    struct cr_atomic_file af;
    size_t n = column_names(a, buf, names);
    enum cr_status st;

    if ((st = cr_atomic_open(&af, path, err)))
        return st;
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', af.f);
        cr_csv_field(af.f, names[i]);
    }
    fputc('\n', af.f);
    for (uint32_t res = 0; res < a->problem.res.count; res++) {
        struct row w;
        make_row(a, r, fl, res, &w);
        csv_row(af.f, &w);
    }
    if (ferror(af.f)) {
        cr_atomic_abort(&af);
        return cr_error_set(err, CR_EIO, "%s: write error", path);
    }
    return cr_atomic_commit(&af, err);
}

/* ---- GeoPackage --------------------------------------------------------------------------- */

/* Edge E's shape along its direction of travel, lon/lat. */
static OGRGeometryH
edge_line(const struct cr_graph_view *v, uint32_t e)
{
    uint32_t seg = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
    int rev = (v->edge_segment[e] & CR_SEGMENT_REVERSED) != 0;
    uint32_t first = v->segment_first_shape[seg], shapes = v->segment_first_shape[seg + 1] - first;
    uint32_t na = v->segment_node[2 * seg], nb = v->segment_node[2 * seg + 1];
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);

    if (!g)
        return NULL;
    OGR_G_AddPoint_2D(g, (rev ? v->lon_e7[nb] : v->lon_e7[na]) / 1e7,
                      (rev ? v->lat_e7[nb] : v->lat_e7[na]) / 1e7);
    for (uint32_t i = 0; i < shapes; i++) {
        uint32_t s = first + (rev ? shapes - 1 - i : i);
        OGR_G_AddPoint_2D(g, v->shape_lon_e7[s] / 1e7, v->shape_lat_e7[s] / 1e7);
    }
    OGR_G_AddPoint_2D(g, (rev ? v->lon_e7[na] : v->lon_e7[nb]) / 1e7,
                      (rev ? v->lat_e7[na] : v->lat_e7[nb]) / 1e7);
    return g;
}

static int
gpkg_row(OGRLayerH l, const struct cr_graph_view *v, uint32_t e, const struct row *w)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    int k = 0;

    if (!f)
        return -1;
    OGR_F_SetFieldInteger64(f, k++, w->edge);
    if (w->base_edge >= 0)
        OGR_F_SetFieldInteger64(f, k++, w->base_edge);
    else
        OGR_F_SetFieldNull(f, k++);
    OGR_F_SetFieldInteger64(f, k++, w->osm_way);
    OGR_F_SetFieldString(f, k++, w->name);
    OGR_F_SetFieldString(f, k++, w->road_class);
    for (size_t i = 0; i < w->num_count; i++, k++)
        if (isnan(w->num[i]))
            OGR_F_SetFieldNull(f, k);
        else
            OGR_F_SetFieldDouble(f, k, w->num[i]);
    return cr_vector_writer_add(l, f, edge_line(v, e));
}

static enum cr_status
write_gpkg(const struct cr_assign_osm *a, const struct cr_assign_result *r, const struct flows *fl,
           const char *path, struct cr_error *err)
{
    static const char *const options[] = { "SPATIAL_INDEX=YES", NULL };
    char buf[3 * CR_ASSIGN_OSM_MAX_CLASSES][48];
    const char *names[MAX_COLUMNS + 1];
    OGRFieldType types[MAX_COLUMNS];
    struct cr_vector_writer w;
    OGRLayerH l;
    size_t n = column_names(a, buf, names);
    enum cr_status st;

    for (size_t i = 0; i < n; i++)
        types[i] = i < 3 ? OFTInteger64 : i < 5 ? OFTString : OFTReal;
    if ((st = cr_vector_writer_open(&w, path, "GPKG", "EPSG:4326", err)))
        return st;
    if (!(l = cr_vector_writer_layer(&w, "flows", wkbLineString, names, types, options, err))) {
        cr_vector_writer_abort(&w);
        return err ? err->code : CR_EIO;
    }
    for (uint32_t res = 0; res < a->problem.res.count; res++) {
        struct row row;
        make_row(a, r, fl, res, &row);
        if (gpkg_row(l, a->view, a->res_edge[res], &row)) {
            cr_vector_writer_abort(&w);
            return cr_error_set(err, CR_EIO, "%s: edge %u: %s", path, a->res_edge[res],
                                cr_vector_message());
        }
    }
    return cr_vector_writer_commit(&w, err);
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

enum cr_status
cr_assign_osm_write(const struct cr_assign_osm *a, const struct cr_assign_result *r,
                    const char *path, struct cr_assign_totals *t, struct cr_error *err)
{
    int gpkg = ends_with(path, ".gpkg"), csv = ends_with(path, ".csv");
    struct flows fl;
    enum cr_status st;

    if (!gpkg && !csv)
        return cr_error_set(err, CR_EINVAL, "%s: want a .gpkg or .csv file", path);
    if ((st = flows_make(a, r, &fl, err)))
        return st;
    st = gpkg ? write_gpkg(a, r, &fl, path, err) : write_csv(a, r, &fl, path, err);
    flows_fini(&fl);
    if (st == CR_OK && t)
        cr_assign_osm_totals(a, r, t);
    return st;
}
