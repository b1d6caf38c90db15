/* Labels: terminal names beside their symbols, road names along straight stretches of their
 * chains, zone names in their widest spot; none over another, over the furniture, or outside
 * the frame, and one name not repeated nearby. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/map_internal.h"

static struct cr_text_style
label_style(const struct map *m, double size_pt)
{
    struct cr_text_style ts = {
        m->s->font,      size_pt * m->k, 0, 0, m->s->label_colour, m->s->label_halo_mm * m->mm,
        m->s->label_halo
    };
    return ts;
}

static int
inside_frame(const struct map *m, const struct cr_label_box *b, size_t n)
{
    const struct cr_rect *f = &m->v.frame;
    for (size_t i = 0; i < n; i++)
        if (b[i].x0 < f->x || b[i].y0 < f->y || b[i].x1 > f->x + f->w || b[i].y1 > f->y + f->h)
            return 0;
    return 1;
}

static int
near_same_name(const struct map *m, const char *name, double x, double y, double dist)
{
    for (size_t i = 0; i < m->placed_count; i++)
        if (!strcmp(m->placed[i].name, name) &&
            hypot(m->placed[i].x - x, m->placed[i].y - y) < dist)
            return 1;
    return 0;
}

static void
remember(struct map *m, const char *name, double x, double y)
{
    if (m->placed_count == m->placed_cap) {
        size_t cap = m->placed_cap ? m->placed_cap * 2 : 64;
        struct placed *p = realloc(m->placed, cap * sizeof *p);
        if (!p)
            return;
        m->placed = p;
        m->placed_cap = cap;
    }
    m->placed[m->placed_count++] = (struct placed){ name, x, y };
    m->res->labels_placed++;
}

void
cr_map_label_terminals(struct map *m)
{
    const struct cr_graph_view *g = m->o->graph;
    struct cr_text_style ts = label_style(m, m->s->terminal_label_pt);

    ts.bold = 1;
    if (m->s->terminal_label_pt <= 0)
        return;
    for (size_t i = 0; i < m->tm_count; i++) {
        const struct terminal_mark *t = &m->tm[i];
        const char *name = cr_graph_string(g, g->terminals[t->terminal].name);
        double tw, th;
        if (!*name)
            continue;
        cr_text_measure(&m->text, name, &ts, &tw, &th);
        double off = t->size * 0.8 + 0.5 * m->mm;
        /* right, left, above, below */
        double cand[4][3] = { { t->x + off, t->y, CR_TEXT_LEFT },
                              { t->x - off, t->y, CR_TEXT_RIGHT },
                              { t->x, t->y - off - th / 2, CR_TEXT_CENTRE },
                              { t->x, t->y + off + th / 2, CR_TEXT_CENTRE } };
        for (int c = 0; c < 4; c++) {
            enum cr_text_align al = (enum cr_text_align)(int)cand[c][2];
            double x0 = al == CR_TEXT_LEFT    ? cand[c][0]
                        : al == CR_TEXT_RIGHT ? cand[c][0] - tw
                                              : cand[c][0] - tw / 2;
            struct cr_label_box b = { x0, cand[c][1] - th / 2, x0 + tw, cand[c][1] + th / 2 };
            if (!inside_frame(m, &b, 1) || !cr_label_set_place(&m->labels, &b, 1))
                continue;
            cr_text_draw(&m->text, name, &ts, cand[c][0], cand[c][1], 0, al);
            remember(m, name, cand[c][0], cand[c][1]);
            break;
        }
    }
}

/* A polyline in page points with its cumulative lengths. */
struct line {
    double *xy, *len;
    size_t n, cap;
};

static int
line_push(struct line *l, double x, double y)
{
    if (l->n && fabs(l->xy[2 * l->n - 2] - x) < 1e-6 && fabs(l->xy[2 * l->n - 1] - y) < 1e-6)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        double *xy = realloc(l->xy, 2 * cap * sizeof *xy);
        if (!xy)
            return -1;
        l->xy = xy;
        double *len = realloc(l->len, cap * sizeof *len);
        if (!len)
            return -1;
        l->len = len;
        l->cap = cap;
    }
    l->xy[2 * l->n] = x;
    l->xy[2 * l->n + 1] = y;
    l->len[l->n] =
        l->n ? l->len[l->n - 1] + hypot(x - l->xy[2 * l->n - 2], y - l->xy[2 * l->n - 1]) : 0;
    l->n++;
    return 0;
}

static void
line_at(const struct line *l, double d, double *x, double *y, size_t *seg)
{
    size_t i = 1;
    while (i < l->n - 1 && l->len[i] < d)
        i++;
    double sl = l->len[i] - l->len[i - 1], t = sl > 0 ? (d - l->len[i - 1]) / sl : 0;
    t = fmin(fmax(t, 0), 1);
    *x = l->xy[2 * (i - 1)] + t * (l->xy[2 * i] - l->xy[2 * (i - 1)]);
    *y = l->xy[2 * (i - 1) + 1] + t * (l->xy[2 * i + 1] - l->xy[2 * (i - 1) + 1]);
    *seg = i;
}

/* Tries to place NAME along L centred at distance D; 1 when placed. */
static int
try_line_label(struct map *m, const struct line *l, const char *name,
               const struct cr_text_style *ts, double tw, double th, double d)
{
    double ax, ay, bx, by, cx, cy;
    size_t sa, sb, sc;
    struct cr_label_box boxes[64];

    if (d - tw / 2 < 0 || d + tw / 2 > l->len[l->n - 1])
        return 0;
    line_at(l, d - tw / 2, &ax, &ay, &sa);
    line_at(l, d + tw / 2, &bx, &by, &sb);
    line_at(l, d, &cx, &cy, &sc);
    double chord = hypot(bx - ax, by - ay);
    if (chord < tw * 0.92)
        return 0; /* too curved */
    double ux = (bx - ax) / chord, uy = (by - ay) / chord;
    /* every vertex between the ends stays close to the chord */
    for (size_t i = sa; i < sb; i++) {
        double vx = l->xy[2 * i] - ax, vy = l->xy[2 * i + 1] - ay;
        if (fabs(vx * uy - vy * ux) > th * 0.35)
            return 0;
    }
    double angle = atan2(uy, ux);
    if (ux < 0)
        angle += M_PI; /* never upside down */
    double mx = (ax + bx) / 2, my = (ay + by) / 2;
    size_t nb = cr_label_strip_boxes(mx, my, tw, th * 0.9, angle, boxes, 64);
    if (!inside_frame(m, boxes, nb))
        return 0;
    if (near_same_name(m, name, mx, my, m->s->label_spacing_mm * m->mm * 0.6))
        return 0;
    if (!cr_label_set_place(&m->labels, boxes, nb))
        return 0;
    (void)cx;
    (void)cy;
    cr_text_draw(&m->text, name, ts, mx, my, angle, CR_TEXT_CENTRE);
    remember(m, name, mx, my);
    return 1;
}

static void
label_line(struct map *m, const struct line *l, const char *name, const struct cr_text_style *ts)
{
    double tw, th, total;

    if (l->n < 2)
        return;
    total = l->len[l->n - 1];
    cr_text_measure(&m->text, name, ts, &tw, &th);
    if (total < tw * 1.1)
        return;
    double spacing = m->s->label_spacing_mm * m->mm;
    /* from the middle outwards, every spacing; near each spot a few shifts */
    for (int step = 0;; step++) {
        double off = spacing * ((step + 1) / 2) * (step % 2 ? 1 : -1);
        double d = total / 2 + off;
        if (step && fabs(off) > total / 2)
            break;
        for (int shift = 0; shift < 5; shift++) {
            double sd = d + tw * 0.3 * ((shift + 1) / 2) * (shift % 2 ? 1 : -1);
            if (try_line_label(m, l, name, ts, tw, th, sd))
                break;
        }
    }
}

struct named {
    uint32_t name;
    int group;
    size_t vis;
};

static int
by_group_name(const void *a, const void *b)
{
    const struct named *x = a, *y = b;
    if (x->group != y->group)
        return x->group - y->group;
    return x->name < y->name ? -1 : x->name > y->name;
}

/* A chain of segments of one name (NM[A..B)) through shared graph nodes, from SEED: grown at
 * the tail, then at the head. ORDER[i] (into NM) is run backwards when REV[i]; returns the count
 * (at most CHAIN_MAX). USED marks the segments taken. */
#define CHAIN_MAX 512
static size_t
chain(const struct map *m, const struct named *nm, size_t a, size_t b, size_t seed,
      unsigned char *used, size_t order[CHAIN_MAX], int rev[CHAIN_MAX])
{
    const struct cr_graph_view *g = m->o->graph;
    size_t n = 0;

    order[n] = seed;
    rev[n++] = 0;
    used[seed] = 1;
    for (int side = 0; side < 2; side++) {
        for (;;) {
            size_t end = side ? order[0] : order[n - 1];
            int end_rev = side ? rev[0] : rev[n - 1];
            uint32_t seg = m->segs[nm[end].vis].segment;
            uint32_t node = side ? g->segment_node[2 * seg + (end_rev ? 1 : 0)]
                                 : g->segment_node[2 * seg + (end_rev ? 0 : 1)];
            size_t found = SIZE_MAX;
            int frev = 0;
            for (size_t j = a; j < b && n < CHAIN_MAX; j++) {
                uint32_t sj = m->segs[nm[j].vis].segment;
                if (used[j])
                    continue;
                if (g->segment_node[2 * sj] == node) {
                    found = j;
                    frev = side ? 1 : 0;
                    break;
                }
                if (g->segment_node[2 * sj + 1] == node) {
                    found = j;
                    frev = side ? 0 : 1;
                    break;
                }
            }
            if (found == SIZE_MAX)
                break;
            used[found] = 1;
            if (side) {
                memmove(order + 1, order, n * sizeof *order);
                memmove(rev + 1, rev, n * sizeof *rev);
                order[0] = found;
                rev[0] = frev;
                n++;
            } else {
                order[n] = found;
                rev[n++] = frev;
            }
        }
    }
    return n;
}

/* Road names: segments of one name joined into chains, labelled along straight stretches. */
enum cr_status
cr_map_label_roads(struct map *m, int group_lo, int group_hi)
{
    const struct cr_graph_view *g = m->o->graph;
    struct named *nm = calloc(m->seg_count ? m->seg_count : 1, sizeof *nm);
    unsigned char *used = calloc(m->seg_count ? m->seg_count : 1, 1);
    struct line l = { 0 };
    size_t count = 0;
    enum cr_status st = CR_OK;

    if (!nm || !used) {
        free(nm);
        free(used);
        return cr_map_oom(m);
    }
    for (size_t i = 0; i < m->seg_count; i++) {
        const struct cr_way_attr *w = cr_map_seg_way(m, &m->segs[i]);
        int gi;
        if (w->mode != CR_MODE_ROAD || !w->name || w->klass >= CR_ROAD_CLASS_COUNT)
            continue;
        gi = m->s->road_group_of[w->klass];
        if (gi < group_lo || gi > group_hi || m->s->roads[gi].label_pt <= 0)
            continue;
        nm[count++] = (struct named){ w->name, gi, i };
    }
    qsort(nm, count, sizeof *nm, by_group_name);
    for (size_t a = 0; a < count && !st;) {
        size_t b = a;
        while (b < count && nm[b].name == nm[a].name && nm[b].group == nm[a].group)
            b++;
        const char *name = cr_graph_string(g, nm[a].name);
        struct cr_text_style ts = label_style(m, m->s->roads[nm[a].group].label_pt);
        for (size_t seed = a; seed < b && !st; seed++) {
            size_t order[CHAIN_MAX];
            int rev[CHAIN_MAX];
            if (used[seed])
                continue;
            size_t n = chain(m, nm, a, b, seed, used, order, rev);
            l.n = 0;
            for (size_t c = 0; c < n && !st; c++) {
                const struct vis_seg *vs = &m->segs[nm[order[c]].vis];
                const double *p = m->pts + 2 * (size_t)vs->first;
                for (uint32_t k = 0; k < vs->count; k++) {
                    uint32_t q = rev[c] ? vs->count - 1 - k : k;
                    if (line_push(&l, p[2 * q], p[2 * q + 1])) {
                        st = cr_map_oom(m);
                        break;
                    }
                }
            }
            if (!st)
                label_line(m, &l, name, &ts);
        }
        a = b;
    }
    free(l.xy);
    free(l.len);
    free(nm);
    free(used);
    return st;
}

static int
by_zone_area(const void *a, const void *b)
{
    const struct zone_label *x = a, *y = b;
    return x->area < y->area ? 1 : x->area > y->area ? -1 : 0;
}

void
cr_map_label_zones(struct map *m)
{
    const struct cr_zones *z = m->o->zones;
    struct cr_text_style ts = label_style(m, m->s->zone_label_pt);

    ts.italic = 1;
    ts.colour = m->s->zone_label_colour;
    if (m->zl_count) /* qsort's array may not be NULL, even when empty */
        qsort(m->zl, m->zl_count, sizeof *m->zl, by_zone_area);
    for (size_t i = 0; i < m->zl_count; i++) {
        const struct zone_label *zl = &m->zl[i];
        const char *name = z->zones[zl->zone].name;
        double tw, th;
        cr_text_measure(&m->text, name, &ts, &tw, &th);
        if (tw > 2.2 * zl->radius_pt || th > 2 * zl->radius_pt)
            continue;
        struct cr_label_box b = { zl->x - tw / 2, zl->y - th / 2, zl->x + tw / 2, zl->y + th / 2 };
        if (!inside_frame(m, &b, 1) || near_same_name(m, name, zl->x, zl->y, tw))
            continue;
        if (!cr_label_set_place(&m->labels, &b, 1))
            continue;
        cr_text_draw(&m->text, name, &ts, zl->x, zl->y, 0, CR_TEXT_CENTRE);
        remember(m, name, zl->x, zl->y);
    }
}
