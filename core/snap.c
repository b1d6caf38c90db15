/*
 * A Sort-Tile-Recursive packed R-tree over segment pieces, searched depth first.
 *
 * Layout: PIECES holds every (segment, piece) pair in leaf order; NODES holds the tree level by
 * level, leaves first, root last. A node is a bounding box in 1e-7 degrees and a run of children:
 * pieces [first, first + count) for a leaf (index < leaf_count), nodes [first, first + count)
 * otherwise. Each level is packed by STR (sort by centre x, cut into vertical slices of
 * sqrt(nodes) nodes, sort each slice by centre y, cut into runs of FANOUT); the sorts are radix
 * sorts of the records themselves (box and ids, 24 bytes), mostly in place, so building is
 * linear in the number of pieces, reads the view twice, in segment order, and needs about 26
 * bytes a piece meanwhile.
 */
#include "core/snap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/geo.h"

#define FANOUT 16
#define MAX_LEVELS 9                         /* 16^8 = 2^32 pieces, plus one */
#define STACK_SIZE (MAX_LEVELS * FANOUT + 1) /* depth-first: FANOUT - 1 left over per level */
#define PRUNE_SLACK (1.0 + 1e-12) /* boxes within rounding of the bound are still opened (ties) */
#define LAT_MAX_E7 900000000
#define LON_MAX_E7 1800000000

struct piece_ref {
    uint32_t segment, piece;
};

/* A tree node; while building, also a piece's record (first = segment, count = piece). */
struct rnode {
    int32_t min_lon, min_lat, max_lon, max_lat;
    uint32_t first, count;
};

struct cr_snap_index {
    struct cr_graph_view v; /* a copy; its arrays are borrowed */
    struct piece_ref *pieces;
    struct rnode *nodes;
    uint32_t piece_count, node_count, leaf_count;
};

/* ---- geometry ------------------------------------------------------------------------------ */

/* The end points of piece P of segment S: point P and point P+1 of a, shape..., b. */
static inline void
piece_ends(const struct cr_graph_view *v, uint32_t s, uint32_t p, int32_t e[4])
{
    uint32_t f = v->segment_first_shape[s];
    uint32_t n = v->segment_first_shape[s + 1] - f;
    uint32_t a = v->segment_node[2 * s], b = v->segment_node[2 * s + 1];

    if (p == 0) {
        e[0] = v->lon_e7[a];
        e[1] = v->lat_e7[a];
    } else {
        e[0] = v->shape_lon_e7[f + p - 1];
        e[1] = v->shape_lat_e7[f + p - 1];
    }
    if (p >= n) {
        e[2] = v->lon_e7[b];
        e[3] = v->lat_e7[b];
    } else {
        e[2] = v->shape_lon_e7[f + p];
        e[3] = v->shape_lat_e7[f + p];
    }
}

static inline uint32_t
piece_total(const struct cr_graph_view *v, uint32_t s)
{
    return v->segment_first_shape[s + 1] - v->segment_first_shape[s] + 1;
}

/* ---- build --------------------------------------------------------------------------------- */

#define HUGE_PAGE ((uintptr_t)2 << 20)

/* malloc, asking Linux to back the block with transparent huge pages where it allows them: on
 * some virtual machines the first touch of each 4 KiB page costs more than the whole sort, and a
 * million segments touch 70 MiB. Only a hint; memory stays malloc's. */
static void *
big_alloc(size_t bytes)
{
    void *p = malloc(bytes);
#ifdef MADV_HUGEPAGE
    if (p && bytes >= 2 * HUGE_PAGE) {
        uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        uintptr_t hi = ((uintptr_t)p + bytes) & ~(HUGE_PAGE - 1);
        if (hi > lo)
            (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    }
#endif
    return p;
}

/* Sort keys are box centres (as min + max, so no rounding) quantised to 16 bits over the range
 * being sorted: STR only needs the order to tell slices and runs apart. Ranges that fit the
 * scratch buffer (a level above the leaves, a slice, a bucket) get a stable LSD radix sort
 * through it; larger ones an in-place MSD radix sort (McIlroy's American flag sort) first, so the
 * 24-byte records never need a second buffer as large as themselves: on some virtual machines
 * the first touch of fresh memory costs more than the sort. */
struct keying {
    int axis;     /* 0 lon, 1 lat */
    int64_t low;  /* smallest min + max */
    double scale; /* 65535 / (largest - smallest), 0 when all are equal */
};

struct scratch {
    struct rnode *tmp;
    size_t cap;
};

static inline unsigned
sort_key(const struct keying *k, const struct rnode *r)
{
    int64_t sum = k->axis ? (int64_t)r->min_lat + r->max_lat : (int64_t)r->min_lon + r->max_lon;
    return (unsigned)((double)(sum - k->low) * k->scale);
}

static struct keying
keying_of(const struct rnode *r, size_t n, int axis)
{
    struct keying k = { axis, INT64_MAX, 0.0 };
    int64_t high = INT64_MIN;

    for (size_t i = 0; i < n; i++) {
        int64_t sum =
            axis ? (int64_t)r[i].min_lat + r[i].max_lat : (int64_t)r[i].min_lon + r[i].max_lon;
        k.low = sum < k.low ? sum : k.low;
        high = sum > high ? sum : high;
    }
    if (n > 0 && high > k.low)
        k.scale = 65535.0 / (double)(high - k.low);
    return k;
}

#define INSERTION_MAX 24

static void
insertion_sort(struct rnode *r, size_t n, const struct keying *k)
{
    for (size_t i = 1; i < n; i++) {
        struct rnode x = r[i];
        unsigned key = sort_key(k, &x);
        size_t j = i;
        for (; j > 0 && sort_key(k, &r[j - 1]) > key; j--)
            r[j] = r[j - 1];
        r[j] = x;
    }
}

/* Stable LSD radix sort by the key's low byte, then (PASSES 2) its high byte, through TMP. */
static void
lsd_sort(struct rnode *r, size_t n, const struct keying *k, struct rnode *tmp, int passes)
{
    size_t count[2][256];
    struct rnode *src = r, *dst = tmp;

    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        unsigned key = sort_key(k, &r[i]);
        count[0][key & 0xFF]++;
        count[1][key >> 8]++;
    }
    for (int b = 0; b < passes; b++) {
        size_t sum = 0;
        if (count[b][(sort_key(k, &r[0]) >> (8 * b)) & 0xFF] == n)
            continue; /* every key has this byte: the pass would not move anything */
        for (int d = 0; d < 256; d++) {
            size_t c = count[b][d];
            count[b][d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[b][(sort_key(k, &src[i]) >> (8 * b)) & 0xFF]++] = src[i];
        struct rnode *t = src;
        src = dst;
        dst = t;
    }
    if (src != r)
        memcpy(r, src, n * sizeof *r);
}

static void sort_by(struct rnode *r, size_t n, const struct keying *k, int shift,
                    const struct scratch *sc);

/* In place: partitions R by the key's byte at SHIFT (8 or 0), then sorts each bucket by the
 * bytes below. */
static void
flag_sort(struct rnode *r, size_t n, const struct keying *k, int shift, const struct scratch *sc)
{
    size_t count[256] = { 0 }, next[256], end[256];
    size_t sum = 0;

    for (size_t i = 0; i < n; i++)
        count[(sort_key(k, &r[i]) >> shift) & 0xFF]++;
    for (int d = 0; d < 256; d++) {
        next[d] = sum;
        sum += count[d];
        end[d] = sum;
    }
    for (int d = 0; d < 256; d++) { /* fill bucket d, swapping each record to its own bucket */
        while (next[d] < end[d]) {
            struct rnode x = r[next[d]];
            unsigned b = (sort_key(k, &x) >> shift) & 0xFF;
            while (b != (unsigned)d) {
                struct rnode y = r[next[b]];
                r[next[b]++] = x;
                x = y;
                b = (sort_key(k, &x) >> shift) & 0xFF;
            }
            r[next[d]++] = x;
        }
    }
    if (shift == 0)
        return;
    for (size_t d = 0, lo = 0; d < 256; lo += count[d], d++)
        sort_by(r + lo, count[d], k, 0, sc);
}

/* Sorts R by the key bits from SHIFT + 8 down (8: the whole key; 0: the low byte, the high
 * byte being equal already). */
static void
sort_by(struct rnode *r, size_t n, const struct keying *k, int shift, const struct scratch *sc)
{
    if (n < 2)
        return;
    if (n <= INSERTION_MAX)
        insertion_sort(r, n, k);
    else if (n <= sc->cap)
        lsd_sort(r, n, k, sc->tmp, shift ? 2 : 1);
    else
        flag_sort(r, n, k, shift, sc);
}

static void
radix_sort(struct rnode *r, size_t n, int axis, const struct scratch *sc)
{
    struct keying k = keying_of(r, n, axis);

    if (n > 1 && k.scale != 0.0)
        sort_by(r, n, &k, 8, sc);
}

/* STR's slices of N records: about sqrt(N / FANOUT) runs of FANOUT each. */
static size_t
slice_size(size_t n)
{
    size_t runs = (n + FANOUT - 1) / FANOUT;
    size_t slices = (size_t)ceil(sqrt((double)runs));

    return slices ? (runs + slices - 1) / slices * FANOUT : n;
}

/* Sorts each slice of the N records of R (in centre lon order) by centre lat. */
static void
str_slices(struct rnode *r, size_t n, const struct scratch *sc)
{
    size_t slice_n = slice_size(n);

    for (size_t lo = 0; lo < n; lo += slice_n)
        radix_sort(r + lo, n - lo < slice_n ? n - lo : slice_n, 1, sc);
}

/* Puts the N records of R in STR order. */
static void
str_sort(struct rnode *r, size_t n, const struct scratch *sc)
{
    radix_sort(r, n, 0, sc);
    str_slices(r, n, sc);
}

static inline struct rnode
piece_record(const struct cr_graph_view *v, uint32_t s, uint32_t p)
{
    int32_t e[4];

    piece_ends(v, s, p, e);
    return (struct rnode){ e[0] < e[2] ? e[0] : e[2],
                           e[1] < e[3] ? e[1] : e[3],
                           e[0] < e[2] ? e[2] : e[0],
                           e[1] < e[3] ? e[3] : e[1],
                           s,
                           p };
}

/* Every piece of V as a record into R (N of them), in centre lon order: the first byte of the
 * key is a counting sort done while filling (two reads of the view, in segment order, and
 * independent stores, rather than a permutation of fresh memory), the second byte a sort of
 * each bucket, small enough to stay in cache. */
static void
fill_by_lon(const struct cr_graph_view *v, struct rnode *r, const struct scratch *sc)
{
    size_t count[256] = { 0 }, next[256];
    int32_t low = INT32_MAX, high = INT32_MIN;
    struct keying k = { 0, 0, 0.0 };
    size_t sum = 0;

    for (uint32_t i = 0; i < v->node_count; i++) {
        low = v->lon_e7[i] < low ? v->lon_e7[i] : low;
        high = v->lon_e7[i] > high ? v->lon_e7[i] : high;
    }
    for (uint32_t i = 0; i < v->shape_count; i++) {
        low = v->shape_lon_e7[i] < low ? v->shape_lon_e7[i] : low;
        high = v->shape_lon_e7[i] > high ? v->shape_lon_e7[i] : high;
    }
    k.low = 2 * (int64_t)low;
    if (high > low)
        k.scale = 65535.0 / (2.0 * ((double)high - low));
    for (uint32_t s = 0; s < v->segment_count; s++)
        for (uint32_t p = 0, m = piece_total(v, s); p < m; p++) {
            struct rnode x = piece_record(v, s, p);
            count[sort_key(&k, &x) >> 8]++;
        }
    for (int d = 0; d < 256; d++) {
        next[d] = sum;
        sum += count[d];
    }
    for (uint32_t s = 0; s < v->segment_count; s++)
        for (uint32_t p = 0, m = piece_total(v, s); p < m; p++) {
            struct rnode x = piece_record(v, s, p);
            r[next[sort_key(&k, &x) >> 8]++] = x;
        }
    for (size_t d = 0, lo = 0; d < 256; lo += count[d], d++)
        sort_by(r + lo, count[d], &k, 0, sc);
}

/* Parents over runs of FANOUT records of R (already in order), written to OUT; children are
 * numbered from BASE. Returns how many. */
static uint32_t
make_parents(const struct rnode *r, uint32_t n, uint32_t base, struct rnode *out)
{
    uint32_t m = 0;

    for (uint32_t lo = 0; lo < n; lo += FANOUT, m++) {
        uint32_t hi = n - lo > FANOUT ? lo + FANOUT : n;
        struct rnode p = { INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN, base + lo, hi - lo };
        for (uint32_t i = lo; i < hi; i++) {
            p.min_lon = r[i].min_lon < p.min_lon ? r[i].min_lon : p.min_lon;
            p.min_lat = r[i].min_lat < p.min_lat ? r[i].min_lat : p.min_lat;
            p.max_lon = r[i].max_lon > p.max_lon ? r[i].max_lon : p.max_lon;
            p.max_lat = r[i].max_lat > p.max_lat ? r[i].max_lat : p.max_lat;
        }
        out[m] = p;
    }
    return m;
}

struct cr_snap_index *
cr_snap_index_create(const struct cr_graph_view *v, struct cr_error *err)
{
    struct cr_snap_index *ix = calloc(1, sizeof *ix);
    struct rnode *rec = NULL;
    struct scratch sc = { NULL, 0 };
    uint64_t pieces = v ? (uint64_t)v->segment_count + v->shape_count : 0;
    uint64_t nodes = 0;

    if (!ix)
        goto nomem;
    if (!v) {
        cr_error_set(err, CR_EINVAL, "snap index: no graph");
        goto fail;
    }
    ix->v = *v;
    if (pieces >= UINT32_MAX) {
        cr_error_set(err, CR_ENOMEM, "snap index: %llu segment pieces, more than 2^32",
                     (unsigned long long)pieces);
        goto fail;
    }
    if (pieces == 0)
        return ix;
    for (uint64_t n = pieces; n > 1 || nodes == 0;) {
        n = (n + FANOUT - 1) / FANOUT;
        nodes += n;
    }
    ix->piece_count = (uint32_t)pieces;
    ix->nodes = big_alloc(nodes * sizeof *ix->nodes);
    rec = big_alloc(pieces * sizeof *rec);
    sc.cap = (pieces + FANOUT - 1) / FANOUT; /* a level above the leaves */
    sc.cap = sc.cap < slice_size(pieces) ? slice_size(pieces) : sc.cap;
    sc.cap = sc.cap < 4096 ? 4096 : sc.cap;
    sc.cap = sc.cap > pieces ? pieces : sc.cap;
    sc.tmp = big_alloc(sc.cap * sizeof *sc.tmp);
    if (!ix->nodes || !rec || !sc.tmp)
        goto nomem;

    /* Leaves: every piece as a record (box, segment, piece), in STR order, in runs of FANOUT. */
    fill_by_lon(v, rec, &sc);
    str_slices(rec, (size_t)pieces, &sc);
    uint32_t k = (uint32_t)pieces;
    uint32_t level_n = make_parents(rec, k, 0, ix->nodes);
    uint32_t level_base = 0;
    ix->leaf_count = level_n;
    /* The (segment, piece) pairs, 8 bytes, packed into the front of the 24-byte records (each
     * written below where any record still to be read lies), then the rest given back. */
    for (uint32_t i = 0; i < k; i++) {
        struct piece_ref pr = { rec[i].first, rec[i].count };
        memcpy((char *)rec + (size_t)i * sizeof pr, &pr, sizeof pr);
    }
    void *shrunk = realloc(rec, pieces * sizeof *ix->pieces);
    ix->pieces = shrunk ? shrunk : (void *)rec; /* shrinking failed: keep it all */
    rec = NULL;

    /* Upper levels: put the level below in STR order, then cut it into runs of FANOUT. */
    while (level_n > 1) {
        struct rnode *cur = ix->nodes + level_base;
        str_sort(cur, level_n, &sc);
        uint32_t m = make_parents(cur, level_n, level_base, cur + level_n);
        level_base += level_n;
        level_n = m;
    }
    ix->node_count = level_base + 1;
    free(sc.tmp);
    return ix;
nomem:
    cr_error_set(err, CR_ENOMEM, "snap index: out of memory for %llu segment pieces",
                 (unsigned long long)pieces);
fail:
    free(rec);
    free(sc.tmp);
    cr_snap_index_destroy(ix);
    return NULL;
}

void
cr_snap_index_destroy(struct cr_snap_index *ix)
{
    if (!ix)
        return;
    free(ix->pieces);
    free(ix->nodes);
    free(ix);
}

size_t
cr_snap_index_memory(const struct cr_snap_index *ix)
{
    if (!ix)
        return 0;
    return sizeof *ix + (size_t)ix->piece_count * sizeof *ix->pieces +
           (size_t)ix->node_count * sizeof *ix->nodes;
}

/* ---- search -------------------------------------------------------------------------------- */

/* A candidate: segment, piece, where along the piece (t, 0..1) and squared distance in m^2. */
struct cand {
    double d2, t;
    uint32_t segment, piece;
};

#define NO_CAND ((struct cand){ INFINITY, 0.0, UINT32_MAX, UINT32_MAX })

/* Whether A beats B: nearer, then lower segment, then lower piece. */
static inline int
cand_less(const struct cand *a, const struct cand *b)
{
    if (a->d2 != b->d2)
        return a->d2 < b->d2;
    if (a->segment != b->segment)
        return a->segment < b->segment;
    return a->piece < b->piece;
}

enum search_mode { SEARCH_NEAREST, SEARCH_K };

struct search {
    const struct cr_snap_index *ix;
    int64_t qx, qy;      /* the query, 1e-7 degrees */
    double kx, ky;       /* metres per 1e-7 degree of lon, of lat, at the query */
    double max2, bound2; /* squared: the limit, and what a candidate must beat */
    cr_snap_filter filter;
    void *user;
    uint32_t filter_segment; /* the last segment asked about, and its answer */
    int filter_ok;
    enum search_mode mode;
    /* SEARCH_NEAREST */
    int prefer_lcc;
    struct cand best, best_lcc;
    /* SEARCH_K: out[0 .. n) sorted, distance_m holding d2 and fraction holding t meanwhile */
    struct cr_snap *out;
    size_t n, k;
};

static int
usable(struct search *s, uint32_t segment)
{
    if (!s->filter)
        return 1;
    if (segment != s->filter_segment) {
        s->filter_segment = segment;
        s->filter_ok = s->filter(s->user, segment) != 0;
    }
    return s->filter_ok;
}

static inline int
segment_in_lcc(const struct cr_graph_view *v, uint32_t segment)
{
    return (v->node_flags[v->segment_node[2 * segment]] &
            v->node_flags[v->segment_node[2 * segment + 1]] & CR_NODE_LCC) != 0;
}

static void
offer_nearest(struct search *s, const struct cand *c)
{
    int any = cand_less(c, &s->best);
    int lcc = s->prefer_lcc && cand_less(c, &s->best_lcc) && segment_in_lcc(&s->ix->v, c->segment);

    if ((!any && !lcc) || !usable(s, c->segment))
        return;
    if (any)
        s->best = *c;
    if (lcc)
        s->best_lcc = *c;
    if (!s->prefer_lcc)
        s->bound2 = s->best.d2;
    else if (s->best_lcc.segment != UINT32_MAX)
        s->bound2 = s->best_lcc.d2;
}

static inline int
snap_less(const struct cr_snap *a, const struct cr_snap *b)
{
    if (a->distance_m != b->distance_m)
        return a->distance_m < b->distance_m;
    return a->segment < b->segment;
}

static void
offer_k(struct search *s, const struct cand *c)
{
    struct cr_snap x = {
        .segment = c->segment, .piece = c->piece, .fraction = c->t, .distance_m = c->d2
    };
    size_t i;

    for (i = 0; i < s->n; i++)
        if (s->out[i].segment == c->segment)
            break;
    if (i < s->n) { /* seen: keep its nearest piece */
        if (c->d2 > s->out[i].distance_m ||
            (c->d2 == s->out[i].distance_m && c->piece >= s->out[i].piece))
            return;
        s->out[i] = x;
    } else {
        if (s->n == s->k && !snap_less(&x, &s->out[s->k - 1]))
            return;
        if (!usable(s, c->segment))
            return;
        i = s->n < s->k ? s->n++ : s->k - 1;
        s->out[i] = x;
    }
    for (; i > 0 && snap_less(&s->out[i], &s->out[i - 1]); i--) {
        struct cr_snap t = s->out[i];
        s->out[i] = s->out[i - 1];
        s->out[i - 1] = t;
    }
    if (s->n == s->k)
        s->bound2 = s->out[s->k - 1].distance_m;
}

static inline double
box_d2(const struct search *s, const struct rnode *r)
{
    int64_t dx = 0, dy = 0;
    double mx, my;

    if (s->qx < r->min_lon)
        dx = r->min_lon - s->qx;
    else if (s->qx > r->max_lon)
        dx = s->qx - r->max_lon;
    if (s->qy < r->min_lat)
        dy = r->min_lat - s->qy;
    else if (s->qy > r->max_lat)
        dy = s->qy - r->max_lat;
    mx = (double)dx * s->kx;
    my = (double)dy * s->ky;
    return mx * mx + my * my;
}

/* The nearest point of the piece to the query, in the query's metric frame. */
static inline struct cand
project(const struct search *s, uint32_t segment, uint32_t piece)
{
    int32_t e[4];
    double ax, ay, bx, by, dx, dy, len2, t, px, py;

    piece_ends(&s->ix->v, segment, piece, e);
    ax = (double)(e[0] - s->qx) * s->kx;
    ay = (double)(e[1] - s->qy) * s->ky;
    bx = (double)(e[2] - s->qx) * s->kx;
    by = (double)(e[3] - s->qy) * s->ky;
    dx = bx - ax;
    dy = by - ay;
    len2 = dx * dx + dy * dy;
    t = len2 > 0.0 ? -(ax * dx + ay * dy) / len2 : 0.0;
    if (!(t > 0.0)) { /* end points exactly, so a node shared by segments ties exactly */
        t = 0.0;
        px = ax;
        py = ay;
    } else if (t >= 1.0) {
        t = 1.0;
        px = bx;
        py = by;
    } else {
        px = ax + t * dx;
        py = ay + t * dy;
    }
    return (struct cand){ px * px + py * py, t, segment, piece };
}

struct stack_entry {
    double d2;
    uint32_t node;
};

static void
search_run(struct search *s)
{
    const struct cr_snap_index *ix = s->ix;
    struct stack_entry stack[STACK_SIZE];
    size_t top = 0;

    if (ix->node_count == 0)
        return;
    stack[top++] =
        (struct stack_entry){ box_d2(s, &ix->nodes[ix->node_count - 1]), ix->node_count - 1 };
    while (top > 0) {
        struct stack_entry e = stack[--top];
        const struct rnode *r = &ix->nodes[e.node];
        if (e.d2 > s->bound2 * PRUNE_SLACK)
            continue;
        if (e.node < ix->leaf_count) {
            for (uint32_t i = r->first; i < r->first + r->count; i++) {
                struct cand c = project(s, ix->pieces[i].segment, ix->pieces[i].piece);
                if (c.d2 > s->bound2) /* bound2 <= max2 always */
                    continue;
                if (s->mode == SEARCH_NEAREST)
                    offer_nearest(s, &c);
                else
                    offer_k(s, &c);
            }
            continue;
        }
        /* children within the bound, pushed farthest first so the nearest is opened next */
        struct stack_entry kids[FANOUT];
        size_t n = 0;
        for (uint32_t i = r->first; i < r->first + r->count; i++) {
            double d2 = box_d2(s, &ix->nodes[i]);
            if (d2 > s->bound2 * PRUNE_SLACK)
                continue;
            size_t j = n++;
            for (; j > 0 && kids[j - 1].d2 < d2; j--)
                kids[j] = kids[j - 1];
            kids[j] = (struct stack_entry){ d2, i };
        }
        memcpy(stack + top, kids, n * sizeof *kids);
        top += n;
    }
}

static int
search_init(struct search *s, const struct cr_snap_index *ix, int32_t lon_e7, int32_t lat_e7,
            double max_distance_m, cr_snap_filter filter, void *user)
{
    double m_lon, m_lat;

    if (lat_e7 < -LAT_MAX_E7 || lat_e7 > LAT_MAX_E7 || lon_e7 < -LON_MAX_E7 ||
        lon_e7 > LON_MAX_E7 || !(max_distance_m >= 0.0))
        return -1;
    cr_geo_scale(cr_e7_to_deg(lat_e7), &m_lon, &m_lat);
    *s = (struct search){ .ix = ix,
                          .qx = lon_e7,
                          .qy = lat_e7,
                          .kx = m_lon / CR_E7,
                          .ky = m_lat / CR_E7,
                          .max2 = max_distance_m * max_distance_m,
                          .filter = filter,
                          .user = user,
                          .filter_segment = UINT32_MAX,
                          .best = NO_CAND,
                          .best_lcc = NO_CAND };
    s->bound2 = s->max2;
    return 0;
}

/* The snap of candidate C: its point, its offset along the segment by length, its distance. */
static struct cr_snap
finish(const struct cr_graph_view *v, uint32_t segment, uint32_t piece, double t, double d2)
{
    struct cr_snap out = { .segment = segment, .piece = piece, .distance_m = sqrt(d2) };
    double before = 0.0, total = 0.0;
    int32_t e[4];

    for (uint32_t p = 0, n = piece_total(v, segment); p < n; p++) {
        piece_ends(v, segment, p, e);
        double len = cr_geo_distance_m(e[0], e[1], e[2], e[3]);
        if (p < piece)
            before += len;
        else if (p == piece) {
            before += t * len;
            if (t <= 0.0) {
                out.lon_e7 = e[0];
                out.lat_e7 = e[1];
            } else if (t >= 1.0) {
                out.lon_e7 = e[2];
                out.lat_e7 = e[3];
            } else {
                out.lon_e7 = (int32_t)llround(e[0] + t * ((double)e[2] - e[0]));
                out.lat_e7 = (int32_t)llround(e[1] + t * ((double)e[3] - e[1]));
            }
        }
        total += len;
    }
    out.offset_m = before;
    out.fraction = total > 0.0 ? before / total : 0.0;
    if (out.fraction > 1.0)
        out.fraction = 1.0;
    return out;
}

enum cr_status
cr_snap_nearest(const struct cr_snap_index *ix, int32_t lon_e7, int32_t lat_e7,
                double max_distance_m, int prefer_lcc, cr_snap_filter filter, void *user,
                struct cr_snap *out, struct cr_error *err)
{
    struct search s;
    const struct cand *c;

    if (!ix || !out)
        return cr_error_set(err, CR_EINVAL, "snap: no index or no result");
    if (search_init(&s, ix, lon_e7, lat_e7, max_distance_m, filter, user))
        return cr_error_set(err, CR_EINVAL,
                            "snap: %.7f,%.7f within %g m: not a coordinate "
                            "and distance",
                            cr_e7_to_deg(lon_e7), cr_e7_to_deg(lat_e7), max_distance_m);
    s.mode = SEARCH_NEAREST;
    s.prefer_lcc = prefer_lcc != 0;
    search_run(&s);
    c = s.best_lcc.segment != UINT32_MAX ? &s.best_lcc : &s.best;
    if (c->segment == UINT32_MAX) {
        if (isinf(max_distance_m))
            return cr_error_set(err, CR_ENOTFOUND, "no road near %.6f,%.6f", cr_e7_to_deg(lon_e7),
                                cr_e7_to_deg(lat_e7));
        return cr_error_set(err, CR_ENOTFOUND, "no road within %g m of %.6f,%.6f", max_distance_m,
                            cr_e7_to_deg(lon_e7), cr_e7_to_deg(lat_e7));
    }
    *out = finish(&ix->v, c->segment, c->piece, c->t, c->d2);
    return CR_OK;
}

void
cr_snap_piece_ends(const struct cr_graph_view *v, uint32_t segment, uint32_t piece, int32_t ends[4])
{
    piece_ends(v, segment, piece, ends);
}

size_t
cr_snap_k_nearest(const struct cr_snap_index *ix, int32_t lon_e7, int32_t lat_e7,
                  double max_distance_m, cr_snap_filter filter, void *user, struct cr_snap *out,
                  size_t k)
{
    struct search s;

    if (!ix || !out || k == 0 || search_init(&s, ix, lon_e7, lat_e7, max_distance_m, filter, user))
        return 0;
    s.mode = SEARCH_K;
    s.out = out;
    s.k = k;
    search_run(&s);
    for (size_t i = 0; i < s.n; i++)
        out[i] = finish(&ix->v, out[i].segment, out[i].piece, out[i].fraction, out[i].distance_m);
    return s.n;
}
