/* Two assignments compared edge by edge through the base edge identity
 * (planning/assign_compare.h). */
#include "planning/assign_compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "planning/assign_table.h"

#define NO_ROW UINT32_MAX
#define PIECE_EPS_M 1e-6 /* weight of a piece besides its length: pieces of no length count */

const char *
cr_assign_change_name(enum cr_assign_change s)
{
    static const char *const names[] = { "same", "new", "closed" };
    return (unsigned)s < 3 ? names[s] : "?";
}

static void
side_empty(struct cr_assign_compare_side *s)
{
    memset(s, 0, sizeof *s);
    s->res = CR_ASSIGN_NO_RESOURCE;
    for (size_t c = 0; c < CR_ASSIGN_OSM_MAX_CLASSES; c++)
        s->time_s[c] = NAN;
}

/* Adds resource RES of A (result R) to side S: sums of length, weight x volume, weight x v/c
 * (kept in volume_pce and voc until side_finish) and times. */
static void
side_add(struct cr_assign_compare_side *s, const struct cr_assign_osm *a,
         const struct cr_assign_result *r, uint32_t res)
{
    const struct cr_assign_resources *rs = &a->problem.res;
    struct cr_assign_edge_way w;
    double len = a->res_length_m[res], wt = len + PIECE_EPS_M;
    double factor = cr_vdf_factor(rs, res, r->volume[res]);

    cr_assign_edge_way_of(a->view, a->res_edge[res], &w);
    if (s->pieces == 0) {
        s->res = res;
        for (size_t c = 0; c < a->problem.class_count; c++)
            s->time_s[c] = 0;
        s->voc = w.road ? 0 : NAN;
    }
    s->pieces++;
    s->length_m += len;
    s->volume_pce += wt * r->volume[res];
    s->voc += wt * r->volume[res] / rs->capacity[res];
    for (size_t c = 0; c < a->problem.class_count; c++)
        s->time_s[c] += a->res_fft_s[c][res] * factor; /* NAN stays NAN */
}

/* The sums of side_add into means. */
static void
side_finish(struct cr_assign_compare_side *s)
{
    double weight = s->length_m + PIECE_EPS_M * s->pieces;

    if (!s->pieces)
        return;
    s->volume_pce /= weight;
    s->voc /= weight;
}

/* The row of KEY (a base edge or NO_BASE) for a resource: found through KEY_ROW or appended. */
static uint32_t
row_of(struct cr_assign_compare *c, uint32_t *key_row, uint32_t key)
{
    uint32_t i;

    if (key != CR_ASSIGN_OSM_NO_BASE && key_row[key] != NO_ROW)
        return key_row[key];
    i = (uint32_t)c->count++;
    c->rows[i].base_edge = key;
    side_empty(&c->rows[i].before);
    side_empty(&c->rows[i].after);
    if (key != CR_ASSIGN_OSM_NO_BASE)
        key_row[key] = i;
    return i;
}

static enum cr_status
check_classes(const struct cr_assign_osm *b, const struct cr_assign_osm *a, struct cr_error *err)
{
    const struct cr_assign_problem *pb = &b->problem, *pa = &a->problem;

    if (pb->class_count != pa->class_count)
        return cr_error_set(err, CR_EINVAL, "compare: %zu classes before, %zu after",
                            pb->class_count, pa->class_count);
    for (size_t c = 0; c < pb->class_count; c++)
        if (strcasecmp(pb->classes[c].name, pa->classes[c].name))
            return cr_error_set(err, CR_EINVAL, "compare: class %zu is %s before, %s after", c + 1,
                                pb->classes[c].name, pa->classes[c].name);
    return CR_OK;
}

static uint32_t
max_key(const struct cr_assign_osm *x)
{
    uint32_t m = 0;
    for (uint32_t r = 0; r < x->problem.res.count; r++)
        if (x->res_base_edge[r] != CR_ASSIGN_OSM_NO_BASE && x->res_base_edge[r] + 1 > m)
            m = x->res_base_edge[r] + 1;
    return m;
}

static void
classify(struct cr_assign_compare *c)
{
    for (size_t i = 0; i < c->count; i++) {
        struct cr_assign_compare_row *w = &c->rows[i];
        w->status = !w->before.pieces  ? CR_CHANGE_NEW
                    : !w->after.pieces ? CR_CHANGE_CLOSED
                                       : CR_CHANGE_SAME;
        w->d_flow_pce = w->after.volume_pce - w->before.volume_pce;
        c->same += w->status == CR_CHANGE_SAME;
        c->added += w->status == CR_CHANGE_NEW;
        c->closed += w->status == CR_CHANGE_CLOSED;
        c->split += w->status == CR_CHANGE_SAME && w->after.pieces > 1;
    }
}

enum cr_status
cr_assign_compare(const struct cr_assign_osm *b, const struct cr_assign_result *rb,
                  const struct cr_assign_osm *a, const struct cr_assign_result *ra,
                  struct cr_assign_compare *out, struct cr_error *err)
{
    uint32_t keys = max_key(b), ka = max_key(a), *key_row;
    size_t most = (size_t)b->problem.res.count + a->problem.res.count;
    enum cr_status st;

    memset(out, 0, sizeof *out);
    if ((st = check_classes(b, a, err)))
        return st;
    keys = ka > keys ? ka : keys;
    key_row = malloc((keys ? keys : 1) * sizeof *key_row);
    out->rows = calloc(most ? most : 1, sizeof *out->rows);
    if (!key_row || !out->rows) {
        free(key_row);
        cr_assign_compare_fini(out);
        return cr_error_set(err, CR_ENOMEM, "compare: out of memory");
    }
    memset(key_row, 0xff, (keys ? keys : 1) * sizeof *key_row);
    out->class_count = b->problem.class_count;
    for (uint32_t r = 0; r < b->problem.res.count; r++)
        side_add(&out->rows[row_of(out, key_row, b->res_base_edge[r])].before, b, rb, r);
    for (uint32_t r = 0; r < a->problem.res.count; r++)
        side_add(&out->rows[row_of(out, key_row, a->res_base_edge[r])].after, a, ra, r);
    free(key_row);
    for (size_t i = 0; i < out->count; i++) {
        side_finish(&out->rows[i].before);
        side_finish(&out->rows[i].after);
    }
    classify(out);
    cr_assign_osm_totals(b, rb, &out->before);
    cr_assign_osm_totals(a, ra, &out->after);
    return CR_OK;
}

void
cr_assign_compare_fini(struct cr_assign_compare *c)
{
    if (!c)
        return;
    free(c->rows);
    memset(c, 0, sizeof *c);
}

/* ---- writing ------------------------------------------------------------------------------ */

#define FIXED_COLUMNS 15

struct writing {
    const struct cr_assign_osm *b, *a;
    const struct cr_assign_compare *c;
};

static void
real(struct cr_assign_cell *cell, double x)
{
    cell->d = x;
}

static void
write_row(void *user, size_t i, struct cr_assign_cell *cells, const struct cr_graph_view **view,
          uint32_t *edge)
{
    const struct writing *wr = user;
    const struct cr_assign_compare_row *w = &wr->c->rows[i];
    int before = w->before.pieces > 0;
    const struct cr_assign_osm *x = before ? wr->b : wr->a;
    const struct cr_assign_compare_side *s = before ? &w->before : &w->after;
    struct cr_assign_edge_way way;
    size_t k = 0;

    *view = x->view;
    *edge = x->res_edge[s->res];
    cr_assign_edge_way_of(x->view, *edge, &way);
    cells[k].null = w->base_edge == CR_ASSIGN_OSM_NO_BASE;
    cells[k++].i = w->base_edge;
    cells[k].null = !w->after.pieces;
    cells[k++].i = w->after.pieces ? wr->a->res_edge[w->after.res] : 0;
    cells[k++].i = way.osm_way;
    cells[k++].s = way.name;
    cells[k++].s = way.road_class;
    cells[k++].s = cr_assign_change_name(w->status);
    real(&cells[k++], s->length_m);
    cells[k++].i = w->after.pieces;
    real(&cells[k++], w->before.volume_pce);
    real(&cells[k++], w->after.volume_pce);
    real(&cells[k++], w->after.volume_pce);
    real(&cells[k++], w->d_flow_pce);
    real(&cells[k++], w->before.pieces ? w->before.voc : NAN);
    real(&cells[k++], w->after.pieces ? w->after.voc : NAN);
    cells[k++].i = 1;
    for (size_t c = 0; c < wr->c->class_count; c++) {
        real(&cells[k++], w->before.time_s[c]);
        real(&cells[k++], w->after.time_s[c]);
        real(&cells[k++], w->after.time_s[c] - w->before.time_s[c]);
    }
}

enum cr_status
cr_assign_compare_write(const struct cr_assign_osm *b, const struct cr_assign_osm *a,
                        const struct cr_assign_compare *c, const char *path, struct cr_error *err)
{
    static const char *const fixed[FIXED_COLUMNS] = { "base_edge",
                                                      "edge_after",
                                                      "osm_way",
                                                      "name",
                                                      "road_class",
                                                      "status",
                                                      "length_m",
                                                      "pieces_after",
                                                      "volume_before_pce",
                                                      "volume_after_pce",
                                                      "flow_pce",
                                                      "d_flow_pce",
                                                      "voc_before",
                                                      "voc",
                                                      "dir" };
    static const enum cr_assign_cell_type fixed_types[FIXED_COLUMNS] = {
        CR_CELL_INT,  CR_CELL_INT,  CR_CELL_INT,  CR_CELL_TEXT, CR_CELL_TEXT,
        CR_CELL_TEXT, CR_CELL_REAL, CR_CELL_INT,  CR_CELL_REAL, CR_CELL_REAL,
        CR_CELL_REAL, CR_CELL_REAL, CR_CELL_REAL, CR_CELL_REAL, CR_CELL_INT
    };
    char buf[3 * CR_ASSIGN_OSM_MAX_CLASSES][48];
    const char *names[FIXED_COLUMNS + 3 * CR_ASSIGN_OSM_MAX_CLASSES];
    enum cr_assign_cell_type types[FIXED_COLUMNS + 3 * CR_ASSIGN_OSM_MAX_CLASSES];
    struct writing wr = { b, a, c };
    size_t n = 0;

    for (; n < FIXED_COLUMNS; n++) {
        names[n] = fixed[n];
        types[n] = fixed_types[n];
    }
    for (size_t k = 0; k < c->class_count; k++) {
        const char *cls = b->problem.classes[k].name;
        snprintf(buf[3 * k], 48, "time_before_s_%s", cls);
        snprintf(buf[3 * k + 1], 48, "time_after_s_%s", cls);
        snprintf(buf[3 * k + 2], 48, "d_time_s_%s", cls);
        for (size_t j = 0; j < 3; j++) {
            names[n] = buf[3 * k + j];
            types[n++] = CR_CELL_REAL;
        }
    }
    return cr_assign_table_write(path, "change", names, types, n, c->count, write_row, &wr, err);
}
