/*
 * The OSM import's reads: pass 1 keeps the ways, terminal candidates and turn restrictions it
 * imports (and the node refs of those ways); pass 1b, only when a terminal is a multipolygon,
 * the nodes of its member ways; pass 2 the coordinates and node tags of exactly the nodes
 * those use (collect_needed sorts their ids first).
 */
#include <stdlib.h>
#include <string.h>

#include "importers/osm/osm_build.h"
#include "importers/osm/osm_conditional.h"
#include "importers/osm/osm_guide.h"
#include "importers/osm/osm_tags.h"
#include "importers/terminals/terminals.h"

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
        struct cand_ref *cr = cr_vec_push(&s->cand_refs);
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
    struct cand *c = cr_vec_push(&s->cands);

    if (!c)
        return nomem(s);
    c->osm_id = osm_id;
    c->kind = (uint8_t)kind;
    c->modes = modes;
    c->source = source;
    c->handling_time_s = c->handling_cost = CR_TERMINAL_DEFAULT;
    c->name = cr_strpool_intern(&s->b->strings, cr_osm_tag_get(tags, n, "name"));
    if (c->name == UINT32_MAX)
        return nomem(s);
    *index = (uint32_t)(s->cands.len - 1);
    s->stats->terminal_candidates++;
    return 0;
}

/* ---- pass 1: ways and relations ---------------------------------------------------------- */

/* The signed destinations of way W (record WAY), "REF: DESTINATION" as OSRM joins
 * destination:ref and destination (exit_to when it has neither), each list's ';' as ", ", into
 * the builder's way_dest. */
static int
add_destination(struct state *s, const struct cr_osm_way *w, uint32_t way)
{
    const char *tag[2] = { cr_osm_tag_get(w->tags, w->tag_count, "destination:ref"),
                           cr_osm_tag_get(w->tags, w->tag_count, "destination") };
    char text[512];
    size_t n = 0;
    uint32_t *pair, str;

    if (!tag[0] && !tag[1]) /* no signed destination: where the exit leads, if tagged */
        tag[1] = cr_osm_tag_get(w->tags, w->tag_count, "exit_to");
    if (!tag[0] && !tag[1])
        return 0;
    for (int k = 0; k < 2; k++) {
        if (!tag[k] || !*tag[k])
            continue;
        if (k == 1 && n && n + 2 < sizeof text) {
            text[n++] = ':';
            text[n++] = ' ';
        }
        for (const char *c = tag[k]; *c && n + 3 < sizeof text; c++) {
            if (*c == ';') {
                text[n++] = ',';
                text[n++] = ' ';
                while (c[1] == ' ')
                    c++;
            } else {
                text[n++] = *c;
            }
        }
    }
    text[n] = '\0';
    if (!n)
        return 0;
    str = cr_strpool_intern(&s->b->strings, text);
    if (str == UINT32_MAX || !(pair = cr_vec_push(&s->b->way_dest)))
        return -1;
    *pair = way;
    if (!(pair = cr_vec_push(&s->b->way_dest)))
        return -1;
    *pair = str;
    return 0;
}

int
cr_osm_on_way(void *user, const struct cr_osm_way *w)
{
    struct state *s = user;
    struct cr_way_info info;
    enum cr_terminal_kind kind;
    uint8_t tmodes;

    note_time(s, w->timestamp);
    if (w->ref_count < 2)
        return 0;
    if (cr_osm_way_classify(w->tags, w->tag_count, s->modes, &info)) {
        struct cr_way_attr *a = cr_vec_push(&s->b->ways);
        struct way_rec *r = cr_vec_push(&s->wrecs);
        if (!a || !r)
            return nomem(s);
        *a = info.attr;
        a->osm_id = w->id;
        a->name = cr_strpool_intern(&s->b->strings, info.name);
        a->ref = cr_strpool_intern(&s->b->strings, info.ref);
        if (a->name == UINT32_MAX || a->ref == UINT32_MAX)
            return nomem(s);
        r->first_ref = s->refs.len;
        r->ref_count = (uint32_t)w->ref_count;
        r->group = group_of_mode(a->mode);
        r->oneway = (uint8_t)info.oneway;
        if (cr_vec_append(&s->refs, w->refs, w->ref_count) ||
            add_destination(s, w, (uint32_t)(s->b->ways.len - 1)) ||
            cr_osm_way_guide(s->b, w->tags, w->tag_count, info.oneway,
                             (uint32_t)(s->b->ways.len - 1)))
            return nomem(s);
        s->stats->ways_by_mode[a->mode]++;
        if (cr_osm_conditional_way(s, (uint32_t)(s->b->ways.len - 1), w->id, w->tags, w->tag_count))
            return nomem(s);
    }
    {
        int closed = w->ref_count >= 4 && w->refs[0] == w->refs[w->ref_count - 1];
        uint32_t ci;
        if (cr_osm_terminal_kind(w->tags, w->tag_count, closed, &kind, &tmodes)) {
            if (add_cand(s, w->id, w->tags, w->tag_count, kind, tmodes, CR_TERMINAL_OSM_AREA, &ci))
                return 1;
            if (add_cand_refs(s, w->refs, w->ref_count - (size_t)closed, ci))
                return 1;
        }
    }
    return 0;
}

int
cr_osm_on_relation(void *user, const struct cr_osm_relation *r)
{
    struct state *s = user;
    uint8_t kind, except, only;
    enum cr_terminal_kind tkind;
    uint8_t tmodes;
    const char *type = cr_osm_tag_get(r->tags, r->tag_count, "type");
    uint32_t cond_text = 0;
    int is_restriction = 0;

    note_time(s, r->timestamp);
    if (s->modes & (1u << CR_GROUP_ROAD)) {
        is_restriction = cr_osm_restriction(r->tags, r->tag_count, &kind, &except, &only);
        if (!is_restriction)
            is_restriction =
                cr_osm_conditional_restriction(s, r, &kind, &except, &only, &cond_text);
        else if (cr_osm_tag_get(r->tags, r->tag_count, "restriction:conditional"))
            s->stats->cond_unparsed++; /* both a plain and a conditional value: the plain one */
        if (is_restriction < 0)
            return nomem(s);
    }
    if (is_restriction) {
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
                if (!(id = cr_vec_push(&s->raw_via)))
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
                rr = cr_vec_push(&s->raw_restr);
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
                rr->cond_text = cond_text;
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
            cr = cr_vec_push(&s->mp_ways);
            if (!cr)
                return nomem(s);
            cr->ref = m->ref;
            cr->cand = ci;
        }
    }
    return 0;
}

int
cr_osm_cmp_cand_ref(const void *a, const void *b)
{
    const struct cand_ref *x = a, *y = b;
    if (x->ref != y->ref)
        return x->ref < y->ref ? -1 : 1;
    return (x->cand > y->cand) - (x->cand < y->cand);
}

/* Pass 1b, only when a terminal is a multipolygon: the nodes of its member ways. */
int
cr_osm_on_member_way(void *user, const struct cr_osm_way *w)
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

size_t
cr_osm_find_need(const struct state *s, int64_t id)
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

int
cr_osm_on_node(void *user, const struct cr_osm_node *n)
{
    struct state *s = user;
    size_t i = cr_osm_find_need(s, n->id);
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
enum cr_status
cr_osm_collect_needed(struct state *s, struct cr_error *err)
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
