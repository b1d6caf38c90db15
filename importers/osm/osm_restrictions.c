/*
 * The OSM import's turn restrictions: each relation's from, via and to OSM ways onto the
 * imported way records, checked (docs/tags.md section 11), with the counts of those dropped or
 * invalid.
 */
#include <stdlib.h>
#include <string.h>

#include "importers/osm/osm_build.h"
#include "importers/osm/osm_tags.h"

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

enum cr_status
cr_osm_resolve_restrictions(struct state *s, struct cr_error *err)
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
            size_t k = cr_osm_find_need(s, rr->via);
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
        if (rr->cond_text) { /* restriction:conditional: via a node or one way, own sections */
            struct cr_cond_restriction *c;
            if (rr->via_is_way && (rr->via_more || via == UINT32_MAX)) {
                s->stats->cond_unparsed++; /* via several ways: not kept */
                continue;
            }
            if (via == UINT32_MAX) {
                s->stats->restrictions_dropped++;
                continue;
            }
            if (rr->via_is_way && (!ways_meet(s, from, via) || !ways_meet(s, via, to))) {
                s->stats->restrictions_invalid[CR_RESTRICTION_VIA_APART]++;
                continue;
            }
            if (!(c = cr_vec_push(rr->via_is_way ? &b->cond_via : &b->cond_restr)))
                goto oom;
            *c = (struct cr_cond_restriction){ .r = { .from_way = from,
                                                      .via = via,
                                                      .to_way = to,
                                                      .kind = rr->kind,
                                                      .via_is_way = rr->via_is_way,
                                                      .except = rr->except,
                                                      .only_vehicle = rr->only_vehicle,
                                                      .osm_id = rr->rel },
                                               .text = rr->cond_text };
            s->stats->cond_restrictions++;
            continue;
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
            uint32_t *x = cr_vec_push(&b->restriction_via);
            for (uint32_t k = 0; x && k < rr->via_more + 1; k++)
                x = cr_vec_push(&b->restriction_via);
            if (!x)
                goto oom;
            x = &AT(b->restriction_via, uint32_t, b->restriction_via.len - rr->via_more - 2);
            x[0] = (uint32_t)b->restrictions.len;
            x[1] = rr->via_more;
            memcpy(x + 2, more + 1, rr->via_more * sizeof *more);
        }
        r = cr_vec_push(&b->restrictions);
        if (!r)
            goto oom;
        *r = (struct cr_restriction){ .from_way = from,
                                      .via = via,
                                      .to_way = to,
                                      .kind = rr->kind,
                                      .via_is_way = rr->via_is_way,
                                      .except = rr->except,
                                      .only_vehicle = rr->only_vehicle,
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
