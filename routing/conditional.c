/*
 * Conditional restrictions for one engine (routing/conditional.h).
 */
#include "routing/conditional.h"

#include <stdlib.h>
#include <string.h>

/* Whether TAG's rules concern VEHICLE. */
static int
tag_applies(enum cr_cond_tag tag, uint8_t vehicle)
{
    switch (tag) {
    case CR_COND_TAG_ACCESS:
    case CR_COND_TAG_MAXWEIGHT:
    case CR_COND_TAG_MAXSPEED:
        return 1;
    case CR_COND_TAG_MOTOR_VEHICLE:
        return vehicle != CR_VEHICLE_BOAT;
    case CR_COND_TAG_HGV:
        return vehicle == CR_VEHICLE_HGV;
    case CR_COND_TAG_MOTORCYCLE:
        return vehicle == CR_VEHICLE_MOTORCYCLE;
    default:
        return 0;
    }
}

/* Access value VALUE: whether it closes the way. Every restrictive value does (no, private,
 * destination, delivery, agricultural, ...: "only to reach a place" is not modelled for a
 * condition); an opening (yes, permissive, designated) is not modelled either: the way's base
 * access decides whether its edges exist at all. */
static int
access_closes(const char *value)
{
    static const struct {
        const char *v;
        enum cr_access a;
    } map[] = { { "no", CR_ACCESS_NO },
                { "private", CR_ACCESS_PRIVATE },
                { "permit", CR_ACCESS_PRIVATE },
                { "residents", CR_ACCESS_PRIVATE },
                { "destination", CR_ACCESS_DESTINATION },
                { "delivery", CR_ACCESS_DESTINATION },
                { "customers", CR_ACCESS_DESTINATION },
                { "agricultural", CR_ACCESS_AGRICULTURAL },
                { "forestry", CR_ACCESS_AGRICULTURAL } };
    for (size_t k = 0; k < sizeof map / sizeof *map; k++)
        if (strcmp(value, map[k].v) == 0)
            return map[k].a != CR_ACCESS_YES;
    return 0;
}

static double
number(const char *v)
{
    char *end;
    double x = strtod(v, &end);
    return end == v ? 0 : x;
}

static void
vehicle_of(const struct cr_profile *p, struct cr_cond_vehicle *cv)
{
    cv->weight_t = p->dims.weight_kg / 1000.0;
    cv->axleload_t = p->dims.axleload_kg / 1000.0;
    cv->height_m = p->dims.height_cm / 100.0;
    cv->width_m = p->dims.width_cm / 100.0;
    cv->length_m = p->dims.length_cm / 100.0;
}

/* The rules of one way.cond record that apply, appended to CS (room for CR_COND_MAX_ALTS). */
static void
add_way_rules(struct cr_condset *cs, const struct cr_cond_way *c, const struct cr_cond_alt *alts,
              size_t n, const struct cr_profile *p, const struct cr_cond_vehicle *cv)
{
    for (size_t k = 0; k < n; k++) {
        struct cr_cond_rule r = { .way = c->way, .expr = alts[k].expr };
        if (!cr_cond_vehicle_holds(&alts[k].expr, cv))
            continue; /* a vehicle part that this vehicle does not meet: never holds */
        if (c->tag == CR_COND_TAG_MAXSPEED) {
            double kmh = number(alts[k].value);
            if (!(kmh > 0 && kmh < 1000))
                continue;
            r.speed_kmh = (uint16_t)kmh;
        } else if (c->tag == CR_COND_TAG_MAXWEIGHT) {
            double t = number(alts[k].value);
            if (!(p->dims.weight_kg > 0 && p->dims.weight_kg / 1000.0 > t))
                continue;
            r.closes = 1;
        } else if (access_closes(alts[k].value)) {
            r.closes = 1;
        } else {
            continue;
        }
        cs->rules[cs->rule_count++] = r;
        *(r.expr.nrules ? &cs->timed : &cs->fixed) += 1;
    }
}

static int
cmp_turn(const void *a, const void *b)
{
    const struct cr_cond_turn *x = a, *y = b;
    if (x->via != y->via)
        return x->via < y->via ? -1 : 1;
    return x->from_way < y->from_way ? -1 : x->from_way > y->from_way;
}

/* Restriction C as a turn of P's vehicle into *T: 1, or 0 when it does not concern the vehicle
 * (or its text no longer parses: counted in CS->failed). */
static int
turn_of(struct cr_condset *cs, const struct cr_graph_view *v, const struct cr_cond_restriction *c,
        const struct cr_profile *p, const struct cr_cond_vehicle *cv, struct cr_cond_turn *t)
{
    struct cr_cond_alt alts[CR_COND_MAX_ALTS];
    size_t n;
    if ((c->r.except >> p->vehicle) & 1u ||
        (c->r.only_vehicle && c->r.only_vehicle != 1 + p->vehicle) || p->vehicle == CR_VEHICLE_BOAT)
        return 0;
    if (cr_cond_parse(cr_graph_string(v, c->text), alts, &n, NULL, 0) || n != 1) {
        cs->failed++;
        return 0;
    }
    if (!cr_cond_vehicle_holds(&alts[0].expr, cv))
        return 0;
    *t = (struct cr_cond_turn){ .via = c->r.via,
                                .from_way = c->r.from_way,
                                .to_way = c->r.to_way,
                                .kind = c->r.kind,
                                .expr = alts[0].expr };
    *(alts[0].expr.nrules ? &cs->timed : &cs->fixed) += 1;
    return 1;
}

static int
cmp_via_turn(const void *a, const void *b)
{
    const struct cr_cond_turn *x = a, *y = b;
    if (x->from_way != y->from_way)
        return x->from_way < y->from_way ? -1 : 1;
    return x->via < y->via ? -1 : x->via > y->via;
}

static enum cr_status
add_turns(struct cr_condset *cs, const struct cr_graph_view *v, const struct cr_profile *p,
          const struct cr_cond_vehicle *cv, struct cr_error *err)
{
    cs->turns = calloc(v->cond_restriction_count + 1, sizeof *cs->turns);
    cs->vturns = calloc(v->cond_via_way_count + 1, sizeof *cs->vturns);
    cs->via_way = v->cond_via_way_count ? calloc(v->way_count + 1, 1) : NULL;
    if (!cs->turns || !cs->vturns || (v->cond_via_way_count && !cs->via_way))
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", p->name);
    for (uint32_t i = 0; i < v->cond_restriction_count; i++)
        cs->turn_count +=
            (uint32_t)turn_of(cs, v, &v->cond_restrictions[i], p, cv, &cs->turns[cs->turn_count]);
    qsort(cs->turns, cs->turn_count, sizeof *cs->turns, cmp_turn);
    for (uint32_t i = 0; i < v->cond_via_way_count; i++)
        if (turn_of(cs, v, &v->cond_via_ways[i], p, cv, &cs->vturns[cs->vturn_count]))
            cs->via_way[cs->vturns[cs->vturn_count++].via] = 1;
    qsort(cs->vturns, cs->vturn_count, sizeof *cs->vturns, cmp_via_turn);
    return CR_OK;
}

enum cr_status
cr_condset_init(struct cr_condset *cs, const struct cr_graph_view *v, const struct cr_profile *p,
                struct cr_error *err)
{
    struct cr_cond_vehicle cv;

    memset(cs, 0, sizeof *cs);
    if (!v->cond_way_count && !v->cond_restriction_count && !v->cond_via_way_count)
        return CR_OK;
    vehicle_of(p, &cv);
    cs->rules = calloc((size_t)v->cond_way_count * CR_COND_MAX_ALTS + 1, sizeof *cs->rules);
    cs->way_first = calloc((size_t)v->way_count + 1, sizeof *cs->way_first);
    if (!cs->rules || !cs->way_first) {
        cr_condset_fini(cs);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", p->name);
    }
    for (uint32_t i = 0; i < v->cond_way_count; i++) { /* records come by way */
        const struct cr_cond_way *c = &v->cond_ways[i];
        struct cr_cond_alt alts[CR_COND_MAX_ALTS];
        size_t n;
        if (!tag_applies((enum cr_cond_tag)c->tag, p->vehicle))
            continue;
        if (cr_cond_parse(cr_graph_string(v, c->text), alts, &n, NULL, 0)) {
            cs->failed++;
            continue;
        }
        add_way_rules(cs, c, alts, n, p, &cv);
    }
    for (uint32_t i = 0, w = 0; w <= v->way_count; w++) { /* way_first from the sorted rules */
        while (i < cs->rule_count && cs->rules[i].way < w)
            i++;
        cs->way_first[w] = i;
    }
    if (add_turns(cs, v, p, &cv, err)) {
        cr_condset_fini(cs);
        return err ? err->code : CR_ENOMEM;
    }
    return CR_OK;
}

void
cr_condset_fini(struct cr_condset *cs)
{
    free(cs->rules);
    free(cs->way_first);
    free(cs->turns);
    free(cs->vturns);
    free(cs->via_way);
    memset(cs, 0, sizeof *cs);
}

int
cr_condset_active(const struct cr_condset *cs, const struct cr_cond_when *w)
{
    return cs->fixed > 0 || (cs->timed > 0 && (w->timed || w->always));
}

static int
holds(const struct cr_cond_expr *e, const struct cr_cond_when *w)
{
    if (e->nrules == 0)
        return 1; /* the vehicle part was checked when the set was made */
    if (w->timed)
        return cr_cond_time_holds(e, w->t, w->ph);
    return w->always;
}

int
cr_condset_way_closed(const struct cr_condset *cs, uint32_t way, const struct cr_cond_when *w,
                      double *kmh)
{
    *kmh = 0;
    if (!cr_condset_way_has(cs, way))
        return 0;
    for (uint32_t k = cs->way_first[way]; k < cs->way_first[way + 1]; k++) {
        const struct cr_cond_rule *r = &cs->rules[k];
        if (!holds(&r->expr, w))
            continue;
        if (r->closes)
            return 1;
        if (*kmh == 0 || r->speed_kmh < *kmh)
            *kmh = r->speed_kmh;
    }
    return 0;
}

int
cr_condset_via_has(const struct cr_condset *cs, uint32_t via)
{
    size_t lo = 0, hi = cs->turn_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cs->turns[mid].via < via)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cs->turn_count && cs->turns[lo].via == via;
}

int
cr_condset_turn_banned(const struct cr_condset *cs, uint32_t from_way, uint32_t via,
                       uint32_t to_way, const struct cr_cond_when *w)
{
    size_t lo = 0, hi = cs->turn_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cs->turns[mid].via < via)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < cs->turn_count && cs->turns[k].via == via; k++) {
        const struct cr_cond_turn *t = &cs->turns[k];
        if (t->from_way != from_way || !holds(&t->expr, w))
            continue;
        if (t->kind == CR_RESTRICT_NO ? t->to_way == to_way : t->to_way != to_way)
            return 1;
    }
    return 0;
}

uint32_t
cr_condset_via_group(const struct cr_condset *cs, uint32_t from_way, uint32_t via_way)
{
    size_t lo = 0, hi = cs->vturn_count;
    if (!cs->via_way || !cs->via_way[via_way] || from_way == via_way)
        return CR_COND_NO_GROUP;
    while (lo < hi) { /* the first turn from FROM_WAY via VIA_WAY, or after them */
        size_t mid = (lo + hi) / 2;
        const struct cr_cond_turn *t = &cs->vturns[mid];
        if (t->from_way < from_way || (t->from_way == from_way && t->via < via_way))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < cs->vturn_count && cs->vturns[lo].from_way == from_way &&
        cs->vturns[lo].via == via_way)
        return (uint32_t)lo;
    return CR_COND_NO_GROUP;
}

int
cr_condset_via_way_banned(const struct cr_condset *cs, uint32_t group, uint32_t to_way,
                          const struct cr_cond_when *w)
{
    const struct cr_cond_turn *g = &cs->vturns[group];
    for (uint32_t k = group; k < cs->vturn_count && cs->vturns[k].from_way == g->from_way &&
                             cs->vturns[k].via == g->via;
         k++) {
        const struct cr_cond_turn *t = &cs->vturns[k];
        if (!holds(&t->expr, w))
            continue;
        if (t->kind == CR_RESTRICT_NO ? t->to_way == to_way : t->to_way != to_way)
            return 1;
    }
    return 0;
}
