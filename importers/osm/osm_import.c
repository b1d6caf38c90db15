#include "importers/osm/osm_import.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/geo.h"
#include "core/netfile.h"
#include "core/scc.h"
#include "importers/osm/osm_reader.h"
#include "importers/osm/osm_tags.h"
#include "importers/terminals/terminals.h"

#define VEC_MAX_BYTES ((size_t)1 << 40) /* growth ceiling no input can raise past */
#define DEDUPE_RADIUS_M 500.0
#define NOT_FOUND SIZE_MAX

/* ---- a growable array -------------------------------------------------------------------- */

struct vec {
    void *data;
    size_t len, cap, elem;
};

static void
vec_init(struct vec *v, size_t elem)
{
    v->data = NULL;
    v->len = v->cap = 0;
    v->elem = elem;
}

static int
vec_reserve(struct vec *v, size_t extra)
{
    size_t need = v->len + extra, cap;
    void *p;

    if (need <= v->cap)
        return 0;
    cap = v->cap ? v->cap : 64;
    while (cap < need)
        cap *= 2;
    if (cap > VEC_MAX_BYTES / v->elem)
        return -1;
    p = realloc(v->data, cap * v->elem);
    if (!p)
        return -1;
    v->data = p;
    v->cap = cap;
    return 0;
}

/* A zeroed new slot at the end, or NULL when out of memory. */
static void *
vec_push(struct vec *v)
{
    void *slot;

    if (vec_reserve(v, 1))
        return NULL;
    slot = (char *)v->data + v->len * v->elem;
    memset(slot, 0, v->elem);
    v->len++;
    return slot;
}

static int
vec_append(struct vec *v, const void *src, size_t n)
{
    if (n == 0)
        return 0;
    if (vec_reserve(v, n))
        return -1;
    memcpy((char *)v->data + v->len * v->elem, src, n * v->elem);
    v->len += n;
    return 0;
}

static void
vec_fini(struct vec *v)
{
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

#define AT(v, T, i) (((T *)(v).data)[i])

/* ---- interned strings -------------------------------------------------------------------- */

struct strpool {
    struct vec chars;  /* NUL-separated; offset 0 is "" */
    uint32_t *slots;   /* open addressing: offset + 1, 0 empty */
    size_t slot_count, used;
};

static int
strpool_init(struct strpool *p)
{
    vec_init(&p->chars, 1);
    p->slot_count = 1024;
    p->used = 0;
    p->slots = calloc(p->slot_count, sizeof *p->slots);
    return (!p->slots || vec_append(&p->chars, "", 1)) ? -1 : 0;
}

static uint64_t
hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int
strpool_grow(struct strpool *p)
{
    size_t n = p->slot_count * 2;
    uint32_t *slots = calloc(n, sizeof *slots);

    if (!slots)
        return -1;
    for (size_t i = 0; i < p->slot_count; i++) {
        if (!p->slots[i])
            continue;
        size_t j = hash_str((char *)p->chars.data + p->slots[i] - 1) & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = p->slots[i];
    }
    free(p->slots);
    p->slots = slots;
    p->slot_count = n;
    return 0;
}

/* Offset of S in the pool, adding it once; 0 for NULL or "". UINT32_MAX when out of memory. */
static uint32_t
strpool_intern(struct strpool *p, const char *s)
{
    size_t j, len;
    uint32_t off;

    if (!s || !*s)
        return 0;
    if (p->used * 2 >= p->slot_count && strpool_grow(p))
        return UINT32_MAX;
    j = hash_str(s) & (p->slot_count - 1);
    while (p->slots[j]) {
        if (!strcmp((char *)p->chars.data + p->slots[j] - 1, s))
            return p->slots[j] - 1;
        j = (j + 1) & (p->slot_count - 1);
    }
    len = strlen(s) + 1;
    if (p->chars.len + len >= UINT32_MAX - 1)
        return UINT32_MAX;
    off = (uint32_t)p->chars.len;
    if (vec_append(&p->chars, s, len))
        return UINT32_MAX;
    p->slots[j] = off + 1;
    p->used++;
    return off;
}

static void
strpool_fini(struct strpool *p)
{
    vec_fini(&p->chars);
    free(p->slots);
    p->slots = NULL;
}

/* ---- import state ------------------------------------------------------------------------ */

struct way_rec {          /* beside each way record: where its node refs are */
    uint64_t first_ref;
    uint32_t ref_count;
    uint8_t group;
    uint8_t oneway;       /* enum cr_oneway */
};

struct cand {             /* a terminal candidate */
    int64_t osm_id;
    int64_t lon_sum, lat_sum; /* e7 sums for an area's representative point */
    uint32_t points;
    int32_t lon_e7, lat_e7;
    uint32_t name;
    uint32_t handling_time_s, handling_cost;
    uint8_t kind, modes, source, keep;
};

struct cand_ref {         /* a node of a terminal area */
    int64_t ref;
    uint32_t cand;
};

struct raw_restriction {
    int64_t from, via, to, rel;
    uint32_t via_first, via_more; /* the via ways after the first: raw_via[via_first ..] */
    uint8_t kind, via_is_way, except, only_vehicle;
};

struct edge_rec {
    uint32_t tail, head, segment;
};

struct cr_netbuild {
    struct cr_graph_view view;
    struct strpool strings;
    struct vec ways;      /* struct cr_way_attr */
    struct vec lon, lat, osm_id, group, barrier, flags, closed; /* per graph node */
    struct vec first_out, head, edge_segment;
    struct vec seg_way, seg_len, seg_node, seg_edge, seg_first_shape, shape_lon, shape_lat;
    struct vec terminals, restrictions;
    struct vec restriction_via; /* uint32: restriction, count, the via ways after the first */
    char *meta;
};

struct state {
    const char *input;
    const struct cr_import_options *opt;
    unsigned modes;
    struct cr_error stop_err;
    struct cr_netbuild *b;
    struct cr_import_stats *stats;

    struct vec wrecs;     /* struct way_rec, parallel to b->ways */
    struct vec refs;      /* int64 node ids of all imported ways */
    struct vec cands;     /* struct cand */
    struct vec cand_refs; /* struct cand_ref */
    struct vec mp_ways;   /* struct cand_ref: (member way id, candidate) of multipolygons */
    struct vec raw_restr; /* struct raw_restriction */
    struct vec raw_via;   /* int64 OSM ids of the via ways after each relation's first */
    struct vec edges;     /* struct edge_rec */

    /* the nodes the imported ways use, sorted, with what pass 2 found */
    int64_t *need;
    size_t need_count;
    int32_t *need_lon, *need_lat;
    uint8_t *need_have, *need_barrier, *need_flags, *need_closed;
    uint32_t *ridx;       /* refs as indices into need (NOT_FOUND32 when absent) */
    uint32_t *node_of[CR_GROUP_COUNT]; /* need index -> graph node per group */
    uint8_t *forced[CR_GROUP_COUNT];   /* need index -> made a graph node for a terminal */
    struct vec node_need;  /* uint32 need index of each graph node (terminals: NOT_FOUND32) */
    struct vec shape_need; /* uint32 need index of each shape point */
};

#define NOT_FOUND32 UINT32_MAX

static int
nomem(struct state *s)
{
    cr_error_set(&s->stop_err, CR_ENOMEM, "%s: out of memory", s->input);
    return 1;
}

/* Candidate CI's area has the N nodes REFS. */
static int
add_cand_refs(struct state *s, const int64_t *refs, size_t n, uint32_t ci)
{
    for (size_t i = 0; i < n; i++) {
        struct cand_ref *cr = vec_push(&s->cand_refs);
        if (!cr)
            return nomem(s);
        cr->ref = refs[i];
        cr->cand = ci;
    }
    return 0;
}

static uint8_t
group_of_mode(uint8_t mode)
{
    switch (mode) {
    case CR_MODE_RAIL:
        return CR_GROUP_RAIL;
    case CR_MODE_WATER:
        return CR_GROUP_WATER;
    case CR_MODE_TRANSFER:
        return CR_GROUP_TERMINAL;
    default:
        return CR_GROUP_ROAD;
    }
}

static void
note_time(struct state *s, int64_t t)
{
    if (t > s->stats->newest_timestamp)
        s->stats->newest_timestamp = t;
}

static int
add_cand(struct state *s, int64_t osm_id, const struct cr_osm_tag *tags, size_t n,
         enum cr_terminal_kind kind, uint8_t modes, uint8_t source, uint32_t *index)
{
    struct cand *c = vec_push(&s->cands);

    if (!c)
        return nomem(s);
    c->osm_id = osm_id;
    c->kind = (uint8_t)kind;
    c->modes = modes;
    c->source = source;
    c->handling_time_s = c->handling_cost = CR_TERMINAL_DEFAULT;
    c->name = strpool_intern(&s->b->strings, cr_osm_tag_get(tags, n, "name"));
    if (c->name == UINT32_MAX)
        return nomem(s);
    *index = (uint32_t)(s->cands.len - 1);
    s->stats->terminal_candidates++;
    return 0;
}

/* ---- pass 1: ways and relations ---------------------------------------------------------- */

static int
on_way(void *user, const struct cr_osm_way *w)
{
    struct state *s = user;
    struct cr_way_info info;
    enum cr_terminal_kind kind;
    uint8_t tmodes;

    note_time(s, w->timestamp);
    if (w->ref_count < 2)
        return 0;
    if (cr_osm_way_classify(w->tags, w->tag_count, s->modes, &info)) {
        struct cr_way_attr *a = vec_push(&s->b->ways);
        struct way_rec *r = vec_push(&s->wrecs);
        if (!a || !r)
            return nomem(s);
        *a = info.attr;
        a->osm_id = w->id;
        a->name = strpool_intern(&s->b->strings, info.name);
        a->ref = strpool_intern(&s->b->strings, info.ref);
        if (a->name == UINT32_MAX || a->ref == UINT32_MAX)
            return nomem(s);
        r->first_ref = s->refs.len;
        r->ref_count = (uint32_t)w->ref_count;
        r->group = group_of_mode(a->mode);
        r->oneway = (uint8_t)info.oneway;
        if (vec_append(&s->refs, w->refs, w->ref_count))
            return nomem(s);
        s->stats->ways_by_mode[a->mode]++;
    }
    {
        int closed = w->ref_count >= 4 && w->refs[0] == w->refs[w->ref_count - 1];
        uint32_t ci;
        if (cr_osm_terminal_kind(w->tags, w->tag_count, closed, &kind, &tmodes)) {
            if (add_cand(s, w->id, w->tags, w->tag_count, kind, tmodes, CR_TERMINAL_OSM_AREA,
                         &ci))
                return 1;
            if (add_cand_refs(s, w->refs, w->ref_count - (size_t)closed, ci))
                return 1;
        }
    }
    return 0;
}

static int
on_relation(void *user, const struct cr_osm_relation *r)
{
    struct state *s = user;
    uint8_t kind, except, only;
    enum cr_terminal_kind tkind;
    uint8_t tmodes;
    const char *type = cr_osm_tag_get(r->tags, r->tag_count, "type");

    note_time(s, r->timestamp);
    if ((s->modes & (1u << CR_GROUP_ROAD)) &&
        cr_osm_restriction(r->tags, r->tag_count, &kind, &except, &only)) {
        int64_t via = 0;
        int via_is_way = -1;
        uint32_t via_first = (uint32_t)s->raw_via.len;
        size_t from_n = 0, to_n = 0, via_nodes = 0, via_ways = 0, odd = 0;
        unsigned many = cr_osm_restriction_members(r->tags, r->tag_count);
        for (size_t i = 0; i < r->member_count; i++) {
            const struct cr_osm_member *m = &r->members[i];
            int is_way = m->type == CR_OSM_MEMBER_WAY;
            if (!strcmp(m->role, "from") || !strcmp(m->role, "to")) {
                *(m->role[0] == 'f' ? &from_n : &to_n) += 1;
                odd += !is_way; /* a from or to that is not a way */
            }
            if (strcmp(m->role, "via"))
                continue;
            via_nodes += m->type == CR_OSM_MEMBER_NODE;
            via_ways += is_way;
            if (via_is_way >= 0) { /* several via ways: the others, in order, go to raw_via */
                int64_t *id;
                if (!is_way)
                    continue;
                if (!(id = vec_push(&s->raw_via)))
                    return nomem(s);
                *id = m->ref;
                continue;
            }
            via = m->ref;
            via_is_way = is_way ? 1 : m->type == CR_OSM_MEMBER_NODE ? 0 : -1;
        }
        if (via_is_way < 0 || from_n == 0 || to_n == 0 || odd || via_nodes > 1 ||
            (via_nodes && via_ways) || (from_n > 1 && !(many & CR_RESTRICT_MANY_FROM)) ||
            (to_n > 1 && !(many & CR_RESTRICT_MANY_TO))) {
            s->stats->restrictions_invalid[CR_RESTRICTION_MEMBERS]++;
            via_is_way = -1; /* nothing from it */
        }
        for (size_t i = 0; via_is_way >= 0 && i < r->member_count; i++) {
            const struct cr_osm_member *from = &r->members[i];
            if (from->type != CR_OSM_MEMBER_WAY || strcmp(from->role, "from"))
                continue;
            for (size_t j = 0; j < r->member_count; j++) {
                const struct cr_osm_member *to = &r->members[j];
                struct raw_restriction *rr;
                if (to->type != CR_OSM_MEMBER_WAY || strcmp(to->role, "to"))
                    continue;
                rr = vec_push(&s->raw_restr);
                if (!rr)
                    return nomem(s);
                rr->from = from->ref;
                rr->via = via;
                rr->via_first = via_first;
                rr->via_more = via_is_way == 1 ? (uint32_t)(s->raw_via.len - via_first) : 0;
                rr->to = to->ref;
                rr->rel = r->id;
                rr->kind = kind;
                rr->via_is_way = (uint8_t)via_is_way;
                rr->except = except;
                rr->only_vehicle = only;
            }
        }
    }
    if (type && !strcmp(type, "multipolygon") &&
        cr_osm_terminal_kind(r->tags, r->tag_count, 1, &tkind, &tmodes)) {
        uint32_t ci;
        if (add_cand(s, -r->id, r->tags, r->tag_count, tkind, tmodes, CR_TERMINAL_OSM_AREA, &ci))
            return 1;
        for (size_t i = 0; i < r->member_count; i++) {
            const struct cr_osm_member *m = &r->members[i];
            struct cand_ref *cr;
            if (m->type != CR_OSM_MEMBER_WAY || !strcmp(m->role, "inner"))
                continue;
            cr = vec_push(&s->mp_ways);
            if (!cr)
                return nomem(s);
            cr->ref = m->ref;
            cr->cand = ci;
        }
    }
    return 0;
}

static int
cmp_cand_ref(const void *a, const void *b)
{
    const struct cand_ref *x = a, *y = b;
    if (x->ref != y->ref)
        return x->ref < y->ref ? -1 : 1;
    return (x->cand > y->cand) - (x->cand < y->cand);
}

/* Pass 1b, only when a terminal is a multipolygon: the nodes of its member ways. */
static int
on_member_way(void *user, const struct cr_osm_way *w)
{
    struct state *s = user;
    size_t lo = 0, hi = s->mp_ways.len;

    while (lo < hi) { /* first entry with ref >= w->id */
        size_t mid = lo + (hi - lo) / 2;
        if (AT(s->mp_ways, struct cand_ref, mid).ref < w->id)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < s->mp_ways.len && AT(s->mp_ways, struct cand_ref, lo).ref == w->id; lo++) {
        uint32_t ci = AT(s->mp_ways, struct cand_ref, lo).cand;
        if (add_cand_refs(s, w->refs, w->ref_count, ci))
            return 1;
    }
    return 0;
}

/* ---- pass 2: nodes ----------------------------------------------------------------------- */

static size_t
find_need(const struct state *s, int64_t id)
{
    size_t lo = 0, hi = s->need_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->need[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < s->need_count && s->need[lo] == id) ? lo : NOT_FOUND;
}

static int
on_node(void *user, const struct cr_osm_node *n)
{
    struct state *s = user;
    size_t i = find_need(s, n->id);
    enum cr_terminal_kind kind;
    uint8_t tmodes;

    note_time(s, n->timestamp);
    if (i != NOT_FOUND) {
        s->need_lon[i] = n->lon_e7;
        s->need_lat[i] = n->lat_e7;
        s->need_have[i] = 1;
        if (n->tag_count) {
            s->need_barrier[i] =
                (uint8_t)cr_osm_node_barrier(n->tags, n->tag_count, &s->need_flags[i]);
            s->need_closed[i] = cr_osm_node_closed(n->tags, n->tag_count);
        }
    }
    if (n->tag_count && cr_osm_terminal_kind(n->tags, n->tag_count, 0, &kind, &tmodes)) {
        uint32_t ci;
        struct cand *c;
        if (add_cand(s, n->id, n->tags, n->tag_count, kind, tmodes, CR_TERMINAL_OSM_NODE, &ci))
            return 1;
        c = &AT(s->cands, struct cand, ci);
        c->lon_e7 = n->lon_e7;
        c->lat_e7 = n->lat_e7;
        c->points = 1;
    }
    return 0;
}

/* Sorts N ids ascending: LSD radix sort on 16-bit digits (sign bit flipped so negative ids, as
 * in unsaved JOSM files, come first), skipping digits every id shares. */
static int
sort_ids(int64_t *ids, size_t n)
{
    uint64_t *a = (uint64_t *)ids, *tmp = malloc((n ? n : 1) * sizeof *tmp), *src = a, *dst = tmp;
    size_t *count = malloc(65536 * sizeof *count);

    if (!tmp || !count) {
        free(tmp);
        free(count);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        a[i] ^= 1ull << 63;
    for (int shift = 0; shift < 64; shift += 16) {
        size_t sum = 0;
        int all_same = 0;
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xFFFF]++;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            all_same |= c == n;
            count[d] = sum;
            sum += c;
        }
        if (all_same)
            continue;
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xFFFF]++] = src[i];
        {
            uint64_t *t = src;
            src = dst;
            dst = t;
        }
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    for (size_t i = 0; i < n; i++)
        a[i] ^= 1ull << 63;
    free(tmp);
    free(count);
    return 0;
}

/* The sorted set of node ids that ways and terminal areas use, and room for what pass 2 finds. */
static enum cr_status
collect_needed(struct state *s, struct cr_error *err)
{
    size_t n = s->refs.len + s->cand_refs.len, u = 0;

    s->need = malloc((n ? n : 1) * sizeof *s->need);
    if (!s->need)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    if (s->refs.len)
        memcpy(s->need, s->refs.data, s->refs.len * sizeof *s->need);
    for (size_t i = 0; i < s->cand_refs.len; i++)
        s->need[s->refs.len + i] = AT(s->cand_refs, struct cand_ref, i).ref;
    if (sort_ids(s->need, n))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    for (size_t i = 0; i < n; i++)
        if (u == 0 || s->need[u - 1] != s->need[i])
            s->need[u++] = s->need[i];
    s->need_count = u;
    s->need_lon = calloc(u + 1, sizeof *s->need_lon);
    s->need_lat = calloc(u + 1, sizeof *s->need_lat);
    s->need_have = calloc(u + 1, 1);
    s->need_barrier = calloc(u + 1, 1);
    s->need_flags = calloc(u + 1, 1);
    s->need_closed = calloc(u + 1, 1);
    if (!s->need_lon || !s->need_lat || !s->need_have || !s->need_barrier || !s->need_flags ||
        !s->need_closed)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    return CR_OK;
}

/* ---- graph nodes and segments ------------------------------------------------------------ */

static int
is_graph_node_forced(const struct state *s, size_t i, uint8_t group)
{
    if (s->forced[group] && s->forced[group][i])
        return 1;
    if (group == CR_GROUP_ROAD)
        return s->need_barrier[i] != CR_BARRIER_NONE || s->need_closed[i] ||
               (s->need_flags[i] & (CR_NODE_TRAFFIC_SIGNALS | CR_NODE_STOP));
    if (group == CR_GROUP_WATER)
        return (s->need_flags[i] & CR_NODE_LOCK_GATE) != 0;
    return 0;
}

static uint32_t
add_node(struct cr_netbuild *b, int32_t lon, int32_t lat, int64_t osm_id, uint8_t group,
         uint8_t barrier, uint8_t flags, uint8_t closed)
{
    int32_t *plon = vec_push(&b->lon), *plat = vec_push(&b->lat);
    int64_t *pid = vec_push(&b->osm_id);
    uint8_t *pg = vec_push(&b->group), *pb = vec_push(&b->barrier), *pf = vec_push(&b->flags);
    uint8_t *pc = vec_push(&b->closed);

    if (!plon || !plat || !pid || !pg || !pb || !pf || !pc || b->lon.len >= UINT32_MAX)
        return CR_NO_NODE;
    *pc = closed;
    *plon = lon;
    *plat = lat;
    *pid = osm_id;
    *pg = group;
    *pb = barrier;
    *pf = flags;
    return (uint32_t)(b->lon.len - 1);
}

/* A graph node for needed node K, remembering K. */
static uint32_t
add_need_node(struct state *s, uint32_t k, uint8_t group, uint8_t barrier, uint8_t flags,
              uint8_t closed)
{
    uint32_t *slot = vec_push(&s->node_need);
    uint32_t v;

    if (!slot)
        return CR_NO_NODE;
    *slot = k;
    v = add_node(s->b, s->need_lon[k], s->need_lat[k], s->need[k], group, barrier, flags, closed);
    return v;
}

/* Each way ref as an index into need, or NOT_FOUND32 when the file lacks the node. */
static enum cr_status
index_refs(struct state *s, struct cr_error *err)
{
    s->ridx = malloc((s->refs.len ? s->refs.len : 1) * sizeof *s->ridx);
    if (!s->ridx)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    for (size_t i = 0; i < s->refs.len; i++) {
        size_t k = find_need(s, AT(s->refs, int64_t, i));
        s->ridx[i] = (k == NOT_FOUND || !s->need_have[k]) ? NOT_FOUND32 : (uint32_t)k;
        if (s->ridx[i] == NOT_FOUND32)
            s->stats->missing_nodes++;
    }
    return CR_OK;
}

/* Marks which needed nodes are graph nodes in each group: piece ends, nodes used twice. */
static enum cr_status
choose_graph_nodes(struct state *s, struct cr_error *err)
{
    uint8_t *count[CR_GROUP_COUNT] = { 0 };
    enum cr_status st = CR_OK;

    for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
        free(s->node_of[g]);
        count[g] = calloc(s->need_count + 1, 1);
        s->node_of[g] = malloc((s->need_count + 1) * sizeof(uint32_t));
        if (!count[g] || !s->node_of[g]) {
            st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
            goto done;
        }
    }
    for (size_t w = 0; w < s->wrecs.len; w++) {
        const struct way_rec *r = &AT(s->wrecs, struct way_rec, w);
        uint8_t *c = count[r->group];
        uint32_t prev = NOT_FOUND32;
        for (uint64_t i = r->first_ref; i < r->first_ref + r->ref_count; i++) {
            uint32_t k = s->ridx[i];
            if (k == NOT_FOUND32) {
                if (prev != NOT_FOUND32)
                    c[prev] = 2; /* piece ends before a missing node */
                prev = NOT_FOUND32;
                continue;
            }
            if (k == prev)
                continue; /* the same node twice in a row */
            if (prev == NOT_FOUND32)
                c[k] = 2; /* piece starts */
            else if (c[k] < 2)
                c[k]++;
            prev = k;
        }
        if (prev != NOT_FOUND32)
            c[prev] = 2;
    }
    for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
        for (size_t k = 0; k < s->need_count; k++) {
            s->node_of[g][k] = CR_NO_NODE;
            if (count[g][k] == 0)
                continue;
            if (count[g][k] >= 2 || is_graph_node_forced(s, k, (uint8_t)g)) {
                uint8_t barrier = g == CR_GROUP_ROAD ? s->need_barrier[k] : CR_BARRIER_NONE;
                uint8_t flags = s->need_flags[k];
                if (g != CR_GROUP_ROAD)
                    flags &= (uint8_t)~(CR_NODE_TRAFFIC_SIGNALS | CR_NODE_STOP |
                                        CR_NODE_BARRIER_OPEN | CR_NODE_BARRIER_CLOSED);
                if (g != CR_GROUP_WATER)
                    flags &= (uint8_t)~CR_NODE_LOCK_GATE;
                s->node_of[g][k] = add_need_node(s, (uint32_t)k, (uint8_t)g, barrier, flags,
                                                 g == CR_GROUP_ROAD ? s->need_closed[k] : 0);
                if (s->node_of[g][k] == CR_NO_NODE) {
                    st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
                    goto done;
                }
            }
        }
    }
done:
    for (int g = 0; g < CR_GROUP_COUNT; g++)
        free(count[g]);
    return st;
}

/* Adds a segment A-B of way W with shape points SHAPE (need indices) and its edges. */
static int
add_segment(struct state *s, uint32_t way, uint32_t a, uint32_t b_node, const uint32_t *shape,
            size_t shape_n, double length_m, uint8_t oneway)
{
    struct cr_netbuild *b = s->b;
    uint32_t seg = (uint32_t)b->seg_way.len;
    uint32_t *pw = vec_push(&b->seg_way), *pl = vec_push(&b->seg_len);
    double cm = length_m * 100.0;

    if (!pw || !pl || vec_reserve(&b->seg_node, 2) || vec_reserve(&b->seg_first_shape, 1) ||
        vec_reserve(&b->shape_lon, shape_n) || vec_reserve(&b->shape_lat, shape_n) ||
        vec_append(&s->shape_need, shape, shape_n))
        return -1;
    *pw = way;
    *pl = cm >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)llround(cm);
    AT(b->seg_node, uint32_t, b->seg_node.len++) = a;
    AT(b->seg_node, uint32_t, b->seg_node.len++) = b_node;
    AT(b->seg_first_shape, uint32_t, b->seg_first_shape.len++) = (uint32_t)b->shape_lon.len;
    for (size_t i = 0; i < shape_n; i++) {
        AT(b->shape_lon, int32_t, b->shape_lon.len++) = s->need_lon[shape[i]];
        AT(b->shape_lat, int32_t, b->shape_lat.len++) = s->need_lat[shape[i]];
    }
    if (oneway != CR_ONEWAY_BACKWARD) {
        struct edge_rec *e = vec_push(&s->edges);
        if (!e)
            return -1;
        *e = (struct edge_rec){ .tail = a, .head = b_node, .segment = seg };
    }
    if (oneway != CR_ONEWAY_FORWARD) {
        struct edge_rec *e = vec_push(&s->edges);
        if (!e)
            return -1;
        *e = (struct edge_rec){ .tail = b_node, .head = a, .segment = seg | CR_SEGMENT_REVERSED };
    }
    return 0;
}

static double
need_distance(const struct state *s, uint32_t i, uint32_t j)
{
    return cr_geo_distance_m(s->need_lon[i], s->need_lat[i], s->need_lon[j], s->need_lat[j]);
}

/* Emits the segment ending at need index K; splits a loop (a == b) at its middle point. */
static int
end_segment(struct state *s, uint32_t w, const struct way_rec *r, uint32_t a_k, uint32_t b_k,
            const uint32_t *shape, size_t shape_n)
{
    const uint32_t *node_of = s->node_of[r->group];
    uint32_t a = node_of[a_k], b_node = node_of[b_k];
    double len = 0.0;
    uint32_t prev = a_k;

    if (a == b_node) {
        size_t mid;
        uint32_t m_k, m;
        if (shape_n == 0)
            return 0; /* a point: nothing to route */
        mid = shape_n / 2;
        m_k = shape[mid];
        m = add_need_node(s, m_k, r->group, CR_BARRIER_NONE, 0, 0);
        if (m == CR_NO_NODE)
            return -1;
        s->node_of[r->group][m_k] = m;
        return end_segment(s, w, r, a_k, m_k, shape, mid) ||
               end_segment(s, w, r, m_k, b_k, shape + mid + 1, shape_n - mid - 1);
    }
    for (size_t i = 0; i < shape_n; i++) {
        len += need_distance(s, prev, shape[i]);
        prev = shape[i];
    }
    len += need_distance(s, prev, b_k);
    return add_segment(s, w, a, b_node, shape, shape_n, len, r->oneway);
}

static enum cr_status
build_segments(struct state *s, struct cr_error *err)
{
    struct vec shape;
    enum cr_status st = CR_OK;

    vec_init(&shape, sizeof(uint32_t));
    for (size_t w = 0; w < s->wrecs.len; w++) {
        const struct way_rec *r = &AT(s->wrecs, struct way_rec, w);
        const uint32_t *node_of = s->node_of[r->group];
        uint32_t start = NOT_FOUND32, prev = NOT_FOUND32;
        shape.len = 0;
        for (uint64_t i = r->first_ref; i < r->first_ref + r->ref_count; i++) {
            uint32_t k = s->ridx[i];
            if (k == NOT_FOUND32) {
                start = prev = NOT_FOUND32; /* the piece ended at prev, a graph node */
                shape.len = 0;
                continue;
            }
            if (k == prev)
                continue;
            prev = k;
            if (start == NOT_FOUND32) {
                start = k;
                continue;
            }
            if (node_of[k] == CR_NO_NODE) {
                uint32_t *p = vec_push(&shape);
                if (!p)
                    goto oom;
                *p = k;
                continue;
            }
            if (end_segment(s, (uint32_t)w, r, start, k, shape.data, shape.len))
                goto oom;
            start = k;
            shape.len = 0;
        }
    }
    goto done;
oom:
    st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
done:
    vec_fini(&shape);
    return st;
}

/* Sorts the edge records into CSR arrays (first_out, head, edge_segment) and fills
 * segment_edge. */
static enum cr_status
build_csr(struct state *s, struct cr_error *err)
{
    struct cr_netbuild *b = s->b;
    size_t n = b->lon.len, m = s->edges.len;
    uint32_t *first_out, *pos;

    if (m >= UINT32_MAX)
        return cr_error_set(err, CR_ENOMEM, "%s: too many edges", s->input);
    vec_fini(&b->first_out);
    vec_fini(&b->head);
    vec_fini(&b->edge_segment);
    vec_fini(&b->seg_edge);
    if (vec_reserve(&b->first_out, n + 1) || vec_reserve(&b->head, m) ||
        vec_reserve(&b->edge_segment, m) || vec_reserve(&b->seg_edge, 2 * b->seg_way.len))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    first_out = b->first_out.data;
    memset(first_out, 0, (n + 1) * sizeof *first_out);
    for (size_t i = 0; i < m; i++)
        first_out[AT(s->edges, struct edge_rec, i).tail + 1]++;
    for (size_t v = 0; v < n; v++)
        first_out[v + 1] += first_out[v];
    pos = malloc((n ? n : 1) * sizeof *pos);
    if (!pos)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    memcpy(pos, first_out, n * sizeof *pos);
    for (size_t i = 0; i < 2 * b->seg_way.len; i++)
        AT(b->seg_edge, uint32_t, i) = CR_NO_EDGE;
    for (size_t i = 0; i < m; i++) {
        const struct edge_rec *e = &AT(s->edges, struct edge_rec, i);
        uint32_t at = pos[e->tail]++;
        uint32_t seg = e->segment & ~CR_SEGMENT_REVERSED;
        AT(b->head, uint32_t, at) = e->head;
        AT(b->edge_segment, uint32_t, at) = e->segment;
        AT(b->seg_edge, uint32_t, 2 * seg + ((e->segment & CR_SEGMENT_REVERSED) ? 1 : 0)) = at;
    }
    free(pos);
    b->first_out.len = n + 1;
    b->head.len = b->edge_segment.len = m;
    b->seg_edge.len = 2 * b->seg_way.len;
    return CR_OK;
}

/* ---- largest component per group: strongly connected ----------------------------------------- */

static enum cr_status
mark_largest_components(struct state *s, struct cr_error *err)
{
    struct cr_netbuild *b = s->b;
    size_t n = b->lon.len;
    const uint32_t *first_out = b->first_out.data, *head = b->head.data;
    uint32_t *comp = malloc((n + 1) * sizeof *comp), comps;
    uint64_t *sizes = NULL; /* per component: length of its inner edges in cm, + 1 per node */
    uint32_t best[CR_GROUP_COUNT] = { UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX };
    uint64_t best_size[CR_GROUP_COUNT] = { 0 };

    if (!comp || (comps = cr_scc((uint32_t)n, first_out, head, 0, comp)) == UINT32_MAX ||
        !(sizes = calloc((size_t)comps + 1, sizeof *sizes))) {
        free(comp);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    }
    /* "largest" by length, not node count: a long river drawn with few nodes outweighs a
     * short stream with many */
    for (size_t v = 0; v < n; v++) {
        sizes[comp[v]]++;
        for (uint32_t e = first_out[v]; e < first_out[v + 1]; e++)
            if (comp[head[e]] == comp[v])
                sizes[comp[v]] +=
                    AT(b->seg_len, uint32_t, AT(b->edge_segment, uint32_t, e) & ~CR_SEGMENT_REVERSED);
    }
    for (size_t v = 0; v < n; v++) {
        uint8_t g = AT(b->group, uint8_t, v);
        uint64_t size = sizes[comp[v]];
        if (size > best_size[g] || (size == best_size[g] && comp[v] < best[g])) {
            best_size[g] = size;
            best[g] = comp[v];
        }
    }
    for (size_t v = 0; v < n; v++) {
        uint8_t g = AT(b->group, uint8_t, v);
        if (best_size[g] && comp[v] == best[g])
            AT(b->flags, uint8_t, v) |= CR_NODE_LCC;
    }
    free(comp);
    free(sizes);
    return CR_OK;
}

/* ---- terminals ---------------------------------------------------------------------------- */

/* Where a terminal may join a mode: every graph node and shape point, so a terminal on the bank
 * of a river drawn with few junctions still finds the river's line. */
struct point {
    int32_t lon, lat;
    uint32_t need;   /* need index */
    uint8_t group;
    uint8_t lcc;     /* on the group's largest component */
};

struct grid {
    int32_t lon0, lat0, cell_e7;
    uint32_t nx, ny;
    uint32_t *first; /* [nx*ny + 1] */
    struct point *points; /* sorted by cell */
    size_t count;
};

static void
grid_fini(struct grid *g)
{
    free(g->first);
    free(g->points);
}

static uint32_t
grid_cell(const struct grid *g, int64_t lon, int64_t lat, uint32_t *cx, uint32_t *cy)
{
    int64_t x = (lon - g->lon0) / g->cell_e7, y = (lat - g->lat0) / g->cell_e7;
    x = x < 0 ? 0 : x >= g->nx ? g->nx - 1 : x;
    y = y < 0 ? 0 : y >= g->ny ? g->ny - 1 : y;
    *cx = (uint32_t)x;
    *cy = (uint32_t)y;
    return (uint32_t)(y * g->nx + x);
}

/* Takes POINTS (heap, COUNT of them) and sorts them into cells. */
static int
grid_init(struct grid *g, struct point *points, size_t count)
{
    int32_t w = INT32_MAX, so = INT32_MAX, e = INT32_MIN, no = INT32_MIN;
    struct point *sorted;
    uint32_t *pos, cx, cy;
    size_t cells;

    memset(g, 0, sizeof *g);
    for (size_t i = 0; i < count; i++) {
        w = points[i].lon < w ? points[i].lon : w;
        e = points[i].lon > e ? points[i].lon : e;
        so = points[i].lat < so ? points[i].lat : so;
        no = points[i].lat > no ? points[i].lat : no;
    }
    if (count == 0)
        w = e = so = no = 0;
    g->lon0 = w;
    g->lat0 = so;
    g->cell_e7 = 50000; /* 0.005 degrees, about 550 m of latitude */
    while (((int64_t)e - w) / g->cell_e7 >= 2048 || ((int64_t)no - so) / g->cell_e7 >= 2048)
        g->cell_e7 *= 2;
    g->nx = (uint32_t)(((int64_t)e - w) / g->cell_e7 + 1);
    g->ny = (uint32_t)(((int64_t)no - so) / g->cell_e7 + 1);
    cells = (size_t)g->nx * g->ny;
    g->first = calloc(cells + 1, sizeof *g->first);
    sorted = malloc((count ? count : 1) * sizeof *sorted);
    pos = malloc((cells + 1) * sizeof *pos);
    if (!g->first || !sorted || !pos) {
        free(points);
        free(sorted);
        free(pos);
        return -1;
    }
    for (size_t i = 0; i < count; i++)
        g->first[grid_cell(g, points[i].lon, points[i].lat, &cx, &cy) + 1]++;
    for (size_t c = 0; c < cells; c++)
        g->first[c + 1] += g->first[c];
    memcpy(pos, g->first, cells * sizeof *pos);
    for (size_t i = 0; i < count; i++)
        sorted[pos[grid_cell(g, points[i].lon, points[i].lat, &cx, &cy)]++] = points[i];
    free(pos);
    free(points);
    g->points = sorted;
    g->count = count;
    return 0;
}

/* The nearest point of GROUP within RADIUS_M of (lon, lat), preferring the group's largest
 * component; NULL when none. Ties go to the lower need index, so the answer is stable. */
static const struct point *
grid_nearest(const struct grid *g, int32_t lon, int32_t lat, uint8_t group, double radius_m)
{
    double kx, ky, best_d[2] = { radius_m, radius_m };
    const struct point *best[2] = { NULL, NULL };
    uint32_t x0, y0, x1, y1;
    int64_t dlon, dlat;

    cr_geo_scale(cr_e7_to_deg(lat), &kx, &ky);
    dlon = (int64_t)(radius_m / kx * CR_E7) + 1;
    dlat = (int64_t)(radius_m / ky * CR_E7) + 1;
    grid_cell(g, (int64_t)lon - dlon, (int64_t)lat - dlat, &x0, &y0);
    grid_cell(g, (int64_t)lon + dlon, (int64_t)lat + dlat, &x1, &y1);
    for (uint32_t y = y0; y <= y1; y++) {
        for (uint32_t x = x0; x <= x1; x++) {
            uint32_t c = y * g->nx + x;
            for (uint32_t i = g->first[c]; i < g->first[c + 1]; i++) {
                const struct point *p = &g->points[i];
                double d;
                if (p->group != group)
                    continue;
                d = cr_geo_distance_m(lon, lat, p->lon, p->lat);
                if (d < best_d[p->lcc] ||
                    (d == best_d[p->lcc] && best[p->lcc] && p->need < best[p->lcc]->need)) {
                    best_d[p->lcc] = d;
                    best[p->lcc] = p;
                }
            }
        }
    }
    return best[1] ? best[1] : best[0];
}

/* Every graph node and shape point of the road, rail and water groups, with its component. */
static int
collect_points(const struct state *s, struct grid *grid)
{
    const struct cr_netbuild *b = s->b;
    size_t n = b->lon.len, count = 0;
    struct point *points = malloc((n + s->shape_need.len + 1) * sizeof *points);

    if (!points)
        return -1;
    for (size_t v = 0; v < n; v++) {
        uint32_t k = AT(s->node_need, uint32_t, v);
        if (k == NOT_FOUND32)
            continue;
        points[count++] = (struct point){ AT(b->lon, int32_t, v), AT(b->lat, int32_t, v), k,
                                          AT(b->group, uint8_t, v),
                                          (AT(b->flags, uint8_t, v) & CR_NODE_LCC) ? 1 : 0 };
    }
    for (size_t seg = 0; seg < b->seg_way.len; seg++) {
        uint32_t a = AT(b->seg_node, uint32_t, 2 * seg), z = AT(b->seg_node, uint32_t, 2 * seg + 1);
        uint8_t lcc = (AT(b->flags, uint8_t, a) & AT(b->flags, uint8_t, z) & CR_NODE_LCC) ? 1 : 0;
        uint32_t first = AT(b->seg_first_shape, uint32_t, seg);
        uint32_t last = seg + 1 < b->seg_first_shape.len
                            ? AT(b->seg_first_shape, uint32_t, seg + 1)
                            : (uint32_t)b->shape_lon.len;
        for (uint32_t i = first; i < last; i++) {
            uint32_t k = AT(s->shape_need, uint32_t, i);
            points[count++] = (struct point){ s->need_lon[k], s->need_lat[k], k,
                                              AT(b->group, uint8_t, a), lcc };
        }
    }
    return grid_init(grid, points, count);
}

/* Representative points of area candidates, duplicates removed (same name and kind, close). */
static void
place_candidates(struct state *s)
{
    size_t n = s->cands.len;

    for (size_t i = 0; i < s->cand_refs.len; i++) {
        const struct cand_ref *cr = &AT(s->cand_refs, struct cand_ref, i);
        size_t k = find_need(s, cr->ref);
        struct cand *c = &AT(s->cands, struct cand, cr->cand);
        if (k == NOT_FOUND || !s->need_have[k] || c->source == CR_TERMINAL_OSM_NODE)
            continue;
        c->lon_sum += s->need_lon[k];
        c->lat_sum += s->need_lat[k];
        c->points++;
    }
    for (size_t i = 0; i < n; i++) {
        struct cand *c = &AT(s->cands, struct cand, i);
        c->keep = c->points > 0;
        if (c->keep && c->source == CR_TERMINAL_OSM_AREA) {
            c->lon_e7 = (int32_t)(c->lon_sum / (int64_t)c->points);
            c->lat_e7 = (int32_t)(c->lat_sum / (int64_t)c->points);
        }
    }
    for (size_t i = 0; i < n && n <= 20000; i++) {
        struct cand *c = &AT(s->cands, struct cand, i);
        if (!c->keep || !c->name)
            continue;
        for (size_t j = i + 1; j < n; j++) {
            struct cand *d = &AT(s->cands, struct cand, j);
            if (d->keep && d->name == c->name && d->kind == c->kind &&
                cr_geo_distance_m(c->lon_e7, c->lat_e7, d->lon_e7, d->lat_e7) < DEDUPE_RADIUS_M)
                d->keep = 0;
        }
    }
}

static double
radius_for(const struct cr_import_options *opt, int group)
{
    static const double defaults[CR_GROUP_COUNT] = { CR_TRANSFER_RADIUS_ROAD_M,
                                                     CR_TRANSFER_RADIUS_RAIL_M,
                                                     CR_TRANSFER_RADIUS_WATER_M, 0 };
    return (opt && opt->radius_m[group] > 0) ? opt->radius_m[group] : defaults[group];
}

struct target {
    uint32_t cand;
    uint32_t need[CR_GROUP_TERMINAL]; /* where it joins each group, or NOT_FOUND32 */
};

/* For each kept candidate, the point of each mode it serves where it joins. Sets *split when a
 * point is a shape point, so the graph must be built again with it as a node. */
static enum cr_status
choose_targets(struct state *s, struct vec *targets, int *split, struct cr_error *err)
{
    struct grid grid;

    *split = 0;
    if (collect_points(s, &grid))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    for (size_t i = 0; i < s->cands.len; i++) {
        struct cand *c = &AT(s->cands, struct cand, i);
        struct target *t;
        int linked = 0;

        if (!c->keep)
            continue;
        t = vec_push(targets);
        if (!t) {
            grid_fini(&grid);
            return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
        }
        t->cand = (uint32_t)i;
        for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
            const struct point *p = NULL;
            t->need[g] = NOT_FOUND32;
            if (c->modes & (1u << g))
                p = grid_nearest(&grid, c->lon_e7, c->lat_e7, (uint8_t)g, radius_for(s->opt, g));
            if (!p)
                continue;
            t->need[g] = p->need;
            linked++;
        }
        if (linked < 2 && c->source != CR_TERMINAL_FILE) {
            s->stats->terminals_unlinked++; /* no mode change possible here */
            targets->len--;
            continue;
        }
        for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
            uint32_t k = t->need[g];
            if (k == NOT_FOUND32)
                continue;
            /* forced even when already a node: a node made by splitting a loop may not be one
             * when the graph is built again */
            if (!s->forced[g] && !(s->forced[g] = calloc(s->need_count + 1, 1))) {
                grid_fini(&grid);
                return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
            }
            s->forced[g][k] = 1;
            if (s->node_of[g][k] == CR_NO_NODE)
                *split = 1;
        }
    }
    grid_fini(&grid);
    return CR_OK;
}

/* Adds each terminal's node, its transfer way record and its transfer edges. */
static enum cr_status
add_terminals(struct state *s, const struct vec *targets, struct cr_error *err)
{
    struct cr_netbuild *b = s->b;

    for (size_t i = 0; i < targets->len; i++) {
        const struct target *tg = &AT(*targets, struct target, i);
        const struct cand *c = &AT(s->cands, struct cand, tg->cand);
        struct cr_terminal *t;
        struct cr_way_attr *a;
        uint32_t node, way, *nn;
        uint8_t linked = 0;

        node = add_node(b, c->lon_e7, c->lat_e7, c->source == CR_TERMINAL_FILE ? 0 : c->osm_id,
                        CR_GROUP_TERMINAL, CR_BARRIER_NONE, CR_NODE_LCC, 0);
        nn = vec_push(&s->node_need);
        a = vec_push(&b->ways);
        t = vec_push(&b->terminals);
        if (node == CR_NO_NODE || !nn || !a || !t)
            goto oom;
        *nn = NOT_FOUND32;
        way = (uint32_t)(b->ways.len - 1);
        a->mode = CR_MODE_TRANSFER;
        a->name = c->name;
        a->duration_s = c->handling_time_s == CR_TERMINAL_DEFAULT ? 0 : c->handling_time_s;
        for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
            uint32_t k = tg->need[g], v;
            if (k == NOT_FOUND32)
                continue;
            v = s->node_of[g][k];
            if (v == CR_NO_NODE)
                return cr_error_set(err, CR_EINTERNAL, "%s: terminal target is not a node",
                                    s->input);
            if (add_segment(s, way, node, v, NULL, 0,
                            cr_geo_distance_m(c->lon_e7, c->lat_e7, s->need_lon[k],
                                              s->need_lat[k]),
                            CR_ONEWAY_NO))
                goto oom;
            linked |= (uint8_t)(1u << g);
        }
        t->osm_id = c->source == CR_TERMINAL_FILE ? 0 : c->osm_id;
        t->lon_e7 = c->lon_e7;
        t->lat_e7 = c->lat_e7;
        t->node = node;
        t->name = c->name;
        t->handling_time_s = c->handling_time_s;
        t->handling_cost = c->handling_cost;
        t->modes = c->modes;
        t->linked = linked;
        t->source = c->source;
        t->kind = c->kind;
        s->stats->ways_by_mode[CR_MODE_TRANSFER]++;
        if (c->source == CR_TERMINAL_FILE && linked != c->modes)
            s->stats->file_terminals_partly_linked++;
    }
    return CR_OK;
oom:
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
}

static enum cr_status
read_terminal_file(struct state *s, struct cr_error *err)
{
    struct cr_terminal_list list = { 0 };
    enum cr_status st = cr_terminals_read(s->opt->terminals_path, &list, err);

    if (st)
        return st;
    for (size_t i = 0; i < list.count; i++) {
        const struct cr_terminal_input *in = &list.items[i];
        struct cand *c = vec_push(&s->cands);
        if (!c) {
            st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->opt->terminals_path);
            break;
        }
        c->lon_e7 = in->lon_e7;
        c->lat_e7 = in->lat_e7;
        c->points = 1;
        c->keep = 1;
        c->modes = in->modes;
        c->kind = in->kind;
        c->source = CR_TERMINAL_FILE;
        c->handling_time_s = in->handling_time_s;
        c->handling_cost = in->handling_cost;
        c->name = strpool_intern(&s->b->strings, in->name);
        if (c->name == UINT32_MAX) {
            st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->opt->terminals_path);
            break;
        }
    }
    cr_terminal_list_fini(&list);
    return st;
}

/* ---- restrictions ------------------------------------------------------------------------- */

struct way_key {
    int64_t osm_id;
    uint32_t way;
};

static int
cmp_way_key(const void *a, const void *b)
{
    const struct way_key *x = a, *y = b;
    return (x->osm_id > y->osm_id) - (x->osm_id < y->osm_id);
}

static uint32_t
find_way(const struct way_key *keys, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid].osm_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < n && keys[lo].osm_id == id) ? keys[lo].way : UINT32_MAX;
}

const char *
cr_restriction_problem_name(enum cr_restriction_problem p)
{
    static const char *const names[CR_RESTRICTION_PROBLEM_COUNT] = {
        [CR_RESTRICTION_MEMBERS] = "members",
        [CR_RESTRICTION_FROM_OFF_VIA] = "from_not_at_via",
        [CR_RESTRICTION_TO_OFF_VIA] = "to_not_at_via",
        [CR_RESTRICTION_TO_THROUGH_VIA] = "to_through_via",
        [CR_RESTRICTION_VIA_APART] = "via_ways_apart",
    };
    return (unsigned)p < CR_RESTRICTION_PROBLEM_COUNT ? names[p] : "unknown";
}

/* Where OSM node VIA lies on way record W: 0 at an end (as a to way must), 1 inside only, 2 not
 * on it. */
static int
via_place(const struct state *s, uint32_t w, int64_t via)
{
    const struct way_rec *r = &AT(s->wrecs, struct way_rec, w);
    const int64_t *refs = &AT(s->refs, int64_t, r->first_ref);
    if (refs[0] == via || refs[r->ref_count - 1] == via)
        return 0;
    for (uint32_t i = 1; i + 1 < r->ref_count; i++)
        if (refs[i] == via)
            return 1;
    return 2;
}

/* Whether way records A and B share an OSM node. */
static int
ways_meet(const struct state *s, uint32_t a, uint32_t b)
{
    const struct way_rec *ra = &AT(s->wrecs, struct way_rec, a),
                         *rb = &AT(s->wrecs, struct way_rec, b);
    const int64_t *x = &AT(s->refs, int64_t, ra->first_ref),
                  *y = &AT(s->refs, int64_t, rb->first_ref);
    for (uint32_t i = 0; i < ra->ref_count; i++)
        for (uint32_t j = 0; j < rb->ref_count; j++)
            if (x[i] == y[j])
                return 1;
    return 0;
}

/* The way records of RR's via ways after the first into WAYS (RR->via_more of them): 0, or 1
 * when one is not imported. */
static int
more_via(const struct state *s, const struct way_key *keys, size_t nw,
         const struct raw_restriction *rr, uint32_t *ways)
{
    for (uint32_t k = 0; k < rr->via_more; k++) {
        ways[k] = find_way(keys, nw, AT(s->raw_via, int64_t, rr->via_first + k));
        if (ways[k] == UINT32_MAX ||
            AT(s->b->ways, struct cr_way_attr, ways[k]).mode != CR_MODE_ROAD)
            return 1;
    }
    return 0;
}

static enum cr_status
resolve_restrictions(struct state *s, struct cr_error *err)
{
    struct cr_netbuild *b = s->b;
    size_t nw = s->wrecs.len;
    struct way_key *keys;
    uint32_t *more; /* the via ways of one restriction: first, then the others */

    if (s->raw_restr.len == 0)
        return CR_OK;
    keys = malloc(nw * sizeof *keys + 1);
    more = malloc((s->raw_via.len + 1) * sizeof *more);
    if (!keys || !more) {
        free(keys);
        free(more);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    }
    for (size_t i = 0; i < nw; i++)
        keys[i] = (struct way_key){ AT(b->ways, struct cr_way_attr, i).osm_id, (uint32_t)i };
    qsort(keys, nw, sizeof *keys, cmp_way_key);
    for (size_t i = 0; i < s->raw_restr.len; i++) {
        const struct raw_restriction *rr = &AT(s->raw_restr, struct raw_restriction, i);
        uint32_t from = find_way(keys, nw, rr->from), to = find_way(keys, nw, rr->to), via;
        struct cr_restriction *r;
        if (rr->via_is_way) {
            via = find_way(keys, nw, rr->via);
        } else {
            size_t k = find_need(s, rr->via);
            via = k == NOT_FOUND ? CR_NO_NODE : s->node_of[CR_GROUP_ROAD][k];
        }
        if (from == UINT32_MAX || to == UINT32_MAX ||
            AT(b->ways, struct cr_way_attr, from).mode != CR_MODE_ROAD ||
            AT(b->ways, struct cr_way_attr, to).mode != CR_MODE_ROAD) {
            s->stats->restrictions_dropped++;
            continue;
        }
        if (!rr->via_is_way) { /* from touches the via node; to starts or ends there */
            int at_from = via_place(s, from, rr->via), at_to = via_place(s, to, rr->via);
            if (at_from == 2 || at_to) {
                s->stats->restrictions_invalid[at_from == 2 ? CR_RESTRICTION_FROM_OFF_VIA
                                               : at_to == 2 ? CR_RESTRICTION_TO_OFF_VIA
                                                            : CR_RESTRICTION_TO_THROUGH_VIA]++;
                continue;
            }
        }
        if (via == UINT32_MAX || (rr->via_is_way && more_via(s, keys, nw, rr, more + 1))) {
            s->stats->restrictions_dropped++;
            continue;
        }
        if (rr->via_is_way) { /* from, each via way and to meet the next one */
            uint32_t k = 0;
            more[0] = via;
            if (ways_meet(s, from, via))
                while (k < rr->via_more && ways_meet(s, more[k], more[k + 1]))
                    k++;
            if (k < rr->via_more || !ways_meet(s, more[rr->via_more], to) ||
                !ways_meet(s, from, via)) {
                s->stats->restrictions_invalid[CR_RESTRICTION_VIA_APART]++;
                continue;
            }
        }
        if (rr->via_more) {
            uint32_t *x = vec_push(&b->restriction_via);
            for (uint32_t k = 0; x && k < rr->via_more + 1; k++)
                x = vec_push(&b->restriction_via);
            if (!x)
                goto oom;
            x = &AT(b->restriction_via, uint32_t, b->restriction_via.len - rr->via_more - 2);
            x[0] = (uint32_t)b->restrictions.len;
            x[1] = rr->via_more;
            memcpy(x + 2, more + 1, rr->via_more * sizeof *more);
        }
        r = vec_push(&b->restrictions);
        if (!r)
            goto oom;
        *r = (struct cr_restriction){ .from_way = from, .via = via, .to_way = to,
                                      .kind = rr->kind, .via_is_way = rr->via_is_way,
                                      .except = rr->except, .only_vehicle = rr->only_vehicle,
                                      .osm_id = rr->rel };
        s->stats->restrictions++;
    }
    free(keys);
    free(more);
    return CR_OK;
oom:
    free(keys);
    free(more);
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
}

/* ---- provenance --------------------------------------------------------------------------- */

static const char *
base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void
iso_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, size, "%s", "");
}

static enum cr_status
write_meta(struct state *s, struct cr_error *err)
{
    json_t *root = json_object(), *modes = json_array(), *radius = json_object();
    json_t *ways = json_object(), *invalid = json_object();
    struct stat st;
    char when[32];

    if (!root || !modes || !radius || !ways || !invalid)
        goto oom;
    iso_time(s->stats->newest_timestamp, when, sizeof when);
    for (int g = 0; g < CR_GROUP_TERMINAL; g++) {
        if (s->modes & (1u << g))
            json_array_append_new(modes, json_string(cr_group_name((enum cr_group)g)));
        json_object_set_new(radius, cr_group_name((enum cr_group)g),
                            json_real(radius_for(s->opt, g)));
    }
    for (int m = 0; m < CR_MODE_COUNT; m++)
        json_object_set_new(ways, cr_mode_name((enum cr_mode)m),
                            json_integer((json_int_t)s->stats->ways_by_mode[m]));
    json_object_set_new(root, "input", json_string(base_name(s->input)));
    json_object_set_new(root, "input_bytes",
                        json_integer(stat(s->input, &st) == 0 ? (json_int_t)st.st_size : 0));
    json_object_set_new(root, "newest_timestamp", when[0] ? json_string(when) : json_null());
    json_object_set_new(root, "modes", modes);
    json_object_set_new(root, "terminals_file",
                        s->opt && s->opt->terminals_path
                            ? json_string(base_name(s->opt->terminals_path))
                            : json_null());
    json_object_set_new(root, "transfer_radius_m", radius);
    json_object_set_new(root, "osm_ways_by_mode", ways);
    json_object_set_new(root, "missing_nodes", json_integer((json_int_t)s->stats->missing_nodes));
    json_object_set_new(root, "restrictions_dropped",
                        json_integer((json_int_t)s->stats->restrictions_dropped));
    /* the reasons added later (via_ways_apart) only when counted: the keys stay as before */
    for (int p = 0; p < CR_RESTRICTION_PROBLEM_COUNT; p++)
        if (p < CR_RESTRICTION_VIA_APART || s->stats->restrictions_invalid[p])
            json_object_set_new(invalid,
                                cr_restriction_problem_name((enum cr_restriction_problem)p),
                                json_integer((json_int_t)s->stats->restrictions_invalid[p]));
    json_object_set_new(root, "restrictions_invalid", invalid);
    invalid = NULL;
    json_object_set_new(root, "terminal_candidates",
                        json_integer((json_int_t)s->stats->terminal_candidates));
    json_object_set_new(root, "terminals_unlinked",
                        json_integer((json_int_t)s->stats->terminals_unlinked));
    json_object_set_new(root, "corridor_version", json_string(CR_VERSION_STRING));
    s->b->meta = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!s->b->meta)
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
    return CR_OK;
oom:
    json_decref(root);
    json_decref(modes);
    json_decref(radius);
    json_decref(ways);
    json_decref(invalid);
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory", s->input);
}

/* ---- assembling --------------------------------------------------------------------------- */

static void
fill_view(struct cr_netbuild *b)
{
    struct cr_graph_view *v = &b->view;

    v->node_count = (uint32_t)b->lon.len;
    v->edge_count = (uint32_t)b->head.len;
    v->segment_count = (uint32_t)b->seg_way.len;
    v->way_count = (uint32_t)b->ways.len;
    v->shape_count = (uint32_t)b->shape_lon.len;
    v->terminal_count = (uint32_t)b->terminals.len;
    v->restriction_count = (uint32_t)b->restrictions.len;
    v->strings_size = b->strings.chars.len;
    v->lon_e7 = b->lon.data;
    v->lat_e7 = b->lat.data;
    v->osm_id = b->osm_id.data;
    v->group = b->group.data;
    v->barrier = b->barrier.data;
    v->node_flags = b->flags.data;
    v->node_closed = b->closed.data;
    v->first_out = b->first_out.data;
    v->head = b->head.data;
    v->edge_segment = b->edge_segment.data;
    v->segment_way = b->seg_way.data;
    v->segment_length_cm = b->seg_len.data;
    v->segment_node = b->seg_node.data;
    v->segment_edge = b->seg_edge.data;
    v->segment_first_shape = b->seg_first_shape.data;
    v->shape_lon_e7 = b->shape_lon.data;
    v->shape_lat_e7 = b->shape_lat.data;
    v->ways = b->ways.data;
    v->terminals = b->terminals.data;
    v->restrictions = b->restrictions.data;
    v->restriction_via = b->restriction_via.len ? b->restriction_via.data : NULL;
    v->restriction_via_size = (uint32_t)b->restriction_via.len;
    v->strings = b->strings.chars.data;
    v->meta = b->meta ? b->meta : "";
}

static struct cr_netbuild *
netbuild_create(void)
{
    struct cr_netbuild *b = calloc(1, sizeof *b);

    if (!b)
        return NULL;
    vec_init(&b->ways, sizeof(struct cr_way_attr));
    vec_init(&b->lon, sizeof(int32_t));
    vec_init(&b->lat, sizeof(int32_t));
    vec_init(&b->osm_id, sizeof(int64_t));
    vec_init(&b->group, 1);
    vec_init(&b->barrier, 1);
    vec_init(&b->flags, 1);
    vec_init(&b->closed, 1);
    vec_init(&b->first_out, sizeof(uint32_t));
    vec_init(&b->head, sizeof(uint32_t));
    vec_init(&b->edge_segment, sizeof(uint32_t));
    vec_init(&b->seg_way, sizeof(uint32_t));
    vec_init(&b->seg_len, sizeof(uint32_t));
    vec_init(&b->seg_node, sizeof(uint32_t));
    vec_init(&b->seg_edge, sizeof(uint32_t));
    vec_init(&b->seg_first_shape, sizeof(uint32_t));
    vec_init(&b->shape_lon, sizeof(int32_t));
    vec_init(&b->shape_lat, sizeof(int32_t));
    vec_init(&b->terminals, sizeof(struct cr_terminal));
    vec_init(&b->restrictions, sizeof(struct cr_restriction));
    vec_init(&b->restriction_via, sizeof(uint32_t));
    if (strpool_init(&b->strings)) {
        cr_netbuild_destroy(b);
        return NULL;
    }
    return b;
}

void
cr_netbuild_destroy(struct cr_netbuild *b)
{
    if (!b)
        return;
    strpool_fini(&b->strings);
    vec_fini(&b->ways);
    vec_fini(&b->lon);
    vec_fini(&b->lat);
    vec_fini(&b->osm_id);
    vec_fini(&b->group);
    vec_fini(&b->barrier);
    vec_fini(&b->flags);
    vec_fini(&b->closed);
    vec_fini(&b->first_out);
    vec_fini(&b->head);
    vec_fini(&b->edge_segment);
    vec_fini(&b->seg_way);
    vec_fini(&b->seg_len);
    vec_fini(&b->seg_node);
    vec_fini(&b->seg_edge);
    vec_fini(&b->seg_first_shape);
    vec_fini(&b->shape_lon);
    vec_fini(&b->shape_lat);
    vec_fini(&b->terminals);
    vec_fini(&b->restrictions);
    vec_fini(&b->restriction_via);
    free(b->meta);
    free(b);
}

const struct cr_graph_view *
cr_netbuild_view(const struct cr_netbuild *b)
{
    return &b->view;
}

static void
state_fini(struct state *s)
{
    vec_fini(&s->wrecs);
    vec_fini(&s->refs);
    vec_fini(&s->cands);
    vec_fini(&s->cand_refs);
    vec_fini(&s->mp_ways);
    vec_fini(&s->raw_restr);
    vec_fini(&s->raw_via);
    vec_fini(&s->edges);
    free(s->need);
    free(s->need_lon);
    free(s->need_lat);
    free(s->need_have);
    free(s->need_barrier);
    free(s->need_flags);
    free(s->need_closed);
    free(s->ridx);
    for (int g = 0; g < CR_GROUP_COUNT; g++) {
        free(s->node_of[g]);
        free(s->forced[g]);
    }
    vec_fini(&s->node_need);
    vec_fini(&s->shape_need);
}

/* The graph from the chosen nodes: segments, CSR, largest components. */
static enum cr_status
build_graph(struct state *s, struct cr_error *err)
{
    enum cr_status st;

    if ((st = choose_graph_nodes(s, err)) || (st = build_segments(s, err)) ||
        (st = build_csr(s, err)) || (st = mark_largest_components(s, err)))
        return st;
    return CR_OK;
}

/* Forgets the graph (not what was read) so build_graph can run again. */
static void
reset_graph(struct state *s)
{
    struct cr_netbuild *b = s->b;
    struct vec *vecs[] = { &b->lon,       &b->lat,      &b->osm_id,          &b->group,
                           &b->barrier,   &b->flags,    &b->closed,          &b->seg_way,
                           &b->seg_len,   &b->seg_node, &b->seg_first_shape, &b->shape_lon,
                           &b->shape_lat, &s->edges,    &s->node_need,       &s->shape_need };

    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
        vecs[i]->len = 0;
}

static void
phase(const struct cr_import_options *opt, const char *name)
{
    if (opt && opt->phase)
        opt->phase(opt->progress_user, name);
}

static int
forward_progress(void *user, double done)
{
    const struct state *s = user;
    return s->opt->progress(s->opt->progress_user, done);
}

static enum cr_status
read_osm(struct state *s, const char *name, int (*node)(void *, const struct cr_osm_node *),
         int (*way)(void *, const struct cr_osm_way *),
         int (*relation)(void *, const struct cr_osm_relation *), struct cr_error *err)
{
    struct cr_osm_handler h = { 0 };

    phase(s->opt, name);
    h.user = s;
    h.node = node;
    h.way = way;
    h.relation = relation;
    h.stop_err = &s->stop_err;
    if (s->opt && s->opt->progress)
        h.progress = forward_progress;
    return cr_osm_read(s->input, &h, err);
}

struct cr_netbuild *
cr_osm_build(const char *input, const struct cr_import_options *opt,
             struct cr_import_stats *stats, struct cr_error *err)
{
    struct state s;
    struct cr_import_stats local_stats;
    enum cr_status st;
    char modes_text[32] = "";
    struct vec targets;
    int split = 0;

    memset(&s, 0, sizeof s);
    s.input = input;
    s.opt = opt;
    s.modes = (opt && opt->modes) ? opt->modes
                                  : (1u << CR_GROUP_ROAD) | (1u << CR_GROUP_RAIL) |
                                        (1u << CR_GROUP_WATER);
    s.stats = stats ? stats : &local_stats;
    memset(s.stats, 0, sizeof *s.stats);
    vec_init(&s.wrecs, sizeof(struct way_rec));
    vec_init(&s.refs, sizeof(int64_t));
    vec_init(&s.cands, sizeof(struct cand));
    vec_init(&s.cand_refs, sizeof(struct cand_ref));
    vec_init(&s.mp_ways, sizeof(struct cand_ref));
    vec_init(&s.raw_restr, sizeof(struct raw_restriction));
    vec_init(&s.raw_via, sizeof(int64_t));
    vec_init(&s.edges, sizeof(struct edge_rec));
    vec_init(&s.node_need, sizeof(uint32_t));
    vec_init(&s.shape_need, sizeof(uint32_t));
    vec_init(&targets, sizeof(struct target));
    s.b = netbuild_create();
    if (!s.b) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", input);
        goto fail;
    }

    if ((st = read_osm(&s, "ways and relations", NULL, on_way, on_relation, err)))
        goto fail;
    if (s.wrecs.len == 0) {
        for (int g = 0; g < CR_GROUP_TERMINAL; g++)
            if (s.modes & (1u << g))
                snprintf(modes_text + strlen(modes_text), sizeof modes_text - strlen(modes_text),
                         "%s%s", modes_text[0] ? "," : "", cr_group_name((enum cr_group)g));
        cr_error_set(err, CR_EEMPTY, "%s: no usable way (no road, railway or waterway for modes %s)",
                     input, modes_text);
        goto fail;
    }
    if (s.mp_ways.len) {
        qsort(s.mp_ways.data, s.mp_ways.len, sizeof(struct cand_ref), cmp_cand_ref);
        if ((st = read_osm(&s, "terminal areas", NULL, on_member_way, NULL, err)))
            goto fail;
    }
    if (collect_needed(&s, err))
        goto fail;
    if ((st = read_osm(&s, "nodes", on_node, NULL, NULL, err)))
        goto fail;
    phase(opt, "building graph");
    if (index_refs(&s, err) || build_graph(&s, err))
        goto fail;
    if (s.b->seg_way.len == 0) {
        cr_error_set(err, CR_EEMPTY, "%s: no usable way (ways found, but none with two nodes in "
                                     "the file)", input);
        goto fail;
    }
    if (opt && opt->terminals_path && read_terminal_file(&s, err))
        goto fail;
    place_candidates(&s);
    if (choose_targets(&s, &targets, &split, err))
        goto fail;
    if (split) { /* some terminals join a shape point: make those nodes and build again */
        reset_graph(&s);
        if (build_graph(&s, err))
            goto fail;
    }
    if (add_terminals(&s, &targets, err) || build_csr(&s, err) ||
        resolve_restrictions(&s, err) || write_meta(&s, err))
        goto fail;
    if (vec_reserve(&s.b->seg_first_shape, 1)) { /* the closing entry: S + 1 in all */
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", input);
        goto fail;
    }
    AT(s.b->seg_first_shape, uint32_t, s.b->seg_first_shape.len++) = (uint32_t)s.b->shape_lon.len;
    fill_view(s.b);
    vec_fini(&targets);
    state_fini(&s);
    return s.b;
fail:
    vec_fini(&targets);
    state_fini(&s);
    cr_netbuild_destroy(s.b);
    return NULL;
}

static enum cr_status
check_output_folder(const char *output, struct cr_error *err)
{
    char dir[4096];
    const char *slash = strrchr(output, '/');
    struct stat st;

    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == output)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - output), output);
    if (stat(dir, &st) != 0)
        return cr_error_set(err, CR_EIO, "%s: cannot write in folder %s: %s", output, dir,
                            strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cr_error_set(err, CR_EIO, "%s: %s is not a folder", output, dir);
    if (access(dir, W_OK) != 0)
        return cr_error_set(err, CR_EIO, "%s: cannot write in folder %s: %s", output, dir,
                            strerror(errno));
    return CR_OK;
}

enum cr_status
cr_osm_import(const char *input, const char *output, const struct cr_import_options *opt,
              struct cr_import_stats *stats, struct cr_error *err)
{
    struct cr_netbuild *b;
    enum cr_status st;

    if ((st = check_output_folder(output, err)))
        return st;
    b = cr_osm_build(input, opt, stats, err);
    if (!b)
        return err ? err->code : CR_EINTERNAL;
    phase(opt, "writing");
    st = cr_graph_write(&b->view, output, err);
    cr_netbuild_destroy(b);
    return st;
}
