/* Collapsing of short steps, as osrm-backend's guidance post-processing does
 * (routing/guidance.h, cr_guidance_collapse; docs/routing.md, "Guidance"). */
#include <math.h>
#include <string.h>

#include "routing/guidance.h"

#define COLLAPSE_M 30.0 /* a step this short may merge with its neighbour (OSRM's 30 m) */
#define LINK_M 60.0     /* an unnamed or link road between two named ones: twice as long */
#define STAGGER_M 3.0   /* the zig-zag of a staggered intersection */
#define STRONG_M 45.0   /* a turn followed by a straight name change: 1.5 times as long */
#define REVERSED 35.0   /* bearings this close to opposite make a U-turn */

double
cr_turn_angle(double before, double after)
{
    double a = fmod(180.0 + before - after, 360.0);
    return a < 0 ? a + 360.0 : a;
}

struct steps {
    const struct cr_graph_view *v;
    struct cr_guidance *g;
    uint32_t first; /* the leg's first step (its depart) */
};

/* A plain turn (not a ramp, a merge or a fork either): the kinds two-turn merges apply to. */
static int
plain(const struct cr_step *s)
{
    switch (s->type) {
    case CR_MAN_TURN:
    case CR_MAN_NEW_NAME:
    case CR_MAN_CONTINUE:
    case CR_MAN_END_OF_ROAD:
        return 1;
    default:
        return 0;
    }
}

/* Whether step S may be merged with a neighbour at all: not a depart, arrive, roundabout or
 * mode change (OSRM's basic preconditions; which merge needs plain() too). */
static int
movable(const struct cr_step *s)
{
    switch (s->type) {
    case CR_MAN_DEPART:
    case CR_MAN_ARRIVE:
    case CR_MAN_ROUNDABOUT:
    case CR_MAN_ROTARY:
    case CR_MAN_EXIT_ROUNDABOUT:
    case CR_MAN_EXIT_ROTARY:
    case CR_MAN_ROUNDABOUT_TURN:
    case CR_MAN_NOTIFICATION:
        return 0;
    default:
        return 1;
    }
}

/* No other way to take between its maneuver and the next one. */
static int
undisturbed(const struct cr_step *s)
{
    return s->intersection_count <= 1;
}

static int
is_short(const struct cr_step *s)
{
    return s->distance_m <= COLLAPSE_M && undisturbed(s);
}

static const char *
name_of(const struct cr_graph_view *v, const struct cr_step *s)
{
    return cr_graph_string(v, v->ways[s->way].name);
}

static int
named(const struct cr_graph_view *v, const struct cr_step *s)
{
    return *name_of(v, s) || *cr_graph_string(v, v->ways[s->way].ref);
}

/* The same road: the same name and ref (two unnamed ways are only the same when one way). */
static int
same_road(const struct cr_graph_view *v, const struct cr_step *a, const struct cr_step *b)
{
    const struct cr_way_attr *wa = &v->ways[a->way], *wb = &v->ways[b->way];

    if (a->way == b->way)
        return 1;
    if (!named(v, a) && !named(v, b))
        return 0;
    return !strcmp(name_of(v, a), name_of(v, b)) &&
           !strcmp(cr_graph_string(v, wa->ref), cr_graph_string(v, wb->ref));
}

static int
is_link(const struct cr_graph_view *v, const struct cr_step *s)
{
    uint8_t k = v->ways[s->way].klass;
    return v->ways[s->way].mode == CR_MODE_ROAD &&
           (k == CR_ROAD_PRIMARY_LINK || k == CR_ROAD_SECONDARY_LINK || k == CR_ROAD_TERTIARY_LINK);
}

/* A straight name change (new name, or a turn or continue straight on). */
static int
name_change(const struct cr_step *s)
{
    return (s->type == CR_MAN_NEW_NAME || s->type == CR_MAN_TURN || s->type == CR_MAN_CONTINUE) &&
           s->modifier == CR_MOD_STRAIGHT;
}

static int
right_angle(double a)
{
    return a > 45.0 && a < 135.0;
}

static int
left_angle(double a)
{
    return a > 225.0 && a < 315.0;
}

static int
side(const struct cr_step *s)
{
    double a = cr_turn_angle(s->bearing_before, s->bearing_after);
    return a < 180.0 - 20.0 ? 1 : a > 180.0 + 20.0 ? -1 : 0;
}

/* Adds step B's measures, geometry and intersections to step A (B follows A), then removes B. */
static void
absorb(struct steps *st, uint32_t a, uint32_t b)
{
    struct cr_guidance *g = st->g;
    struct cr_step *sa = &g->steps[a], *sb = &g->steps[b];

    sa->distance_m += sb->distance_m;
    sa->duration_s += sb->duration_s;
    sa->weight += sb->weight;
    sa->last_point = sb->last_point;
    sa->intersection_count += sb->intersection_count;
    memmove(sb, sb + 1, (g->step_count - b - 1) * sizeof *sb);
    g->step_count--;
}

/* Steps I and I+1 made one maneuver at I's place onto I+1's road; its type from the total turn
 * and the road before (I-1). */
static void
combine(struct steps *st, uint32_t i)
{
    struct cr_step *p = &st->g->steps[i - 1], *s = &st->g->steps[i], *t = &st->g->steps[i + 1];
    enum cr_modifier m = cr_modifier_of(s->bearing_before, t->bearing_after);
    int same = same_road(st->v, p, t);

    s->bearing_after = t->bearing_after;
    s->way = t->way;
    s->modifier = (uint8_t)m;
    if (m == CR_MOD_STRAIGHT)
        s->type = same ? CR_MAN_CONTINUE : CR_MAN_NEW_NAME;
    else if (m == CR_MOD_UTURN)
        s->type = same ? CR_MAN_CONTINUE : CR_MAN_TURN;
    else if (t->type == CR_MAN_END_OF_ROAD)
        s->type = CR_MAN_END_OF_ROAD;
    else
        s->type = same ? CR_MAN_CONTINUE : CR_MAN_TURN;
    absorb(st, i, i + 1);
}

/* A staggered intersection: a right then a left (or a left then a right) a few metres apart. */
static int
staggered(const struct steps *st, uint32_t i)
{
    const struct cr_step *s = &st->g->steps[i], *t = &st->g->steps[i + 1];
    double a = cr_turn_angle(s->bearing_before, s->bearing_after);
    double b = cr_turn_angle(t->bearing_before, t->bearing_after);

    (void)st;
    return s->distance_m < STAGGER_M && undisturbed(s) &&
           ((right_angle(a) && left_angle(b)) || (left_angle(a) && right_angle(b)));
}

/* A U-turn over a dual carriageway: two turns that together reverse the direction, back onto
 * the road come from, over a short or unnamed link. */
static int
uturn(const struct steps *st, uint32_t i)
{
    const struct cr_step *p = &st->g->steps[i - 1], *s = &st->g->steps[i],
                         *t = &st->g->steps[i + 1];
    double total = cr_turn_angle(s->bearing_before, t->bearing_after);
    int link = s->distance_m <= LINK_M && !named(st->v, s) && named(st->v, p) && undisturbed(s);

    if (s->type == CR_MAN_NEW_NAME || !(total < REVERSED || total > 360.0 - REVERSED))
        return 0;
    return same_road(st->v, p, t) && (is_short(s) || link);
}

/* Two short straight name changes and back: X, Y, X. */
static int
oscillation(const struct steps *st, uint32_t i)
{
    const struct cr_step *p = &st->g->steps[i - 1], *s = &st->g->steps[i],
                         *t = &st->g->steps[i + 1];
    return name_change(s) && name_change(t) && is_short(s) && same_road(st->v, p, t);
}

/* A sliproad (a short link or unnamed road cutting the corner) or a segregated crossing: a turn
 * onto it, and a turn the same way off it; not a U-turn. */
static int
corner(const struct steps *st, uint32_t i)
{
    const struct cr_step *p = &st->g->steps[i - 1], *s = &st->g->steps[i],
                         *t = &st->g->steps[i + 1];
    double total = cr_turn_angle(s->bearing_before, t->bearing_after);
    int sliproad = (is_link(st->v, s) || !named(st->v, s)) && named(st->v, t) &&
                   s->distance_m <= LINK_M && undisturbed(s);

    if (name_change(s) || name_change(t) || t->modifier == CR_MOD_UTURN)
        return 0;
    if (total < REVERSED || total > 360.0 - REVERSED)
        return 0;
    (void)p;
    return (is_short(s) || sliproad) && side(s) != 0 && side(s) == side(t);
}

/* One pass at step I (I-1, I and I+1 all steps of the leg, I+1 not its arrive); 1 when the steps
 * changed. */
static int
collapse_at(struct steps *st, uint32_t i)
{
    struct cr_guidance *g = st->g;
    struct cr_step *p = &g->steps[i - 1], *s = &g->steps[i], *t = &g->steps[i + 1];

    if (!movable(s) || !movable(t) || p->mode != s->mode || s->mode != t->mode)
        return 0;
    /* a short name change (or a slight bend on the same road) just before a maneuver: no step */
    if (is_short(s) && t->type != CR_MAN_NEW_NAME &&
        (name_change(s) || s->type == CR_MAN_NEW_NAME ||
         ((s->type == CR_MAN_NEW_NAME || s->type == CR_MAN_CONTINUE) &&
          (s->modifier == CR_MOD_SLIGHT_LEFT || s->modifier == CR_MOD_SLIGHT_RIGHT) &&
          side(s) == side(t)))) {
        absorb(st, i - 1, i);
        return 1;
    }
    /* a maneuver followed by a straight name change: the maneuver onto the final name */
    if (!name_change(s) && t->type == CR_MAN_NEW_NAME && t->modifier == CR_MOD_STRAIGHT &&
        (is_short(s) || (s->distance_m <= STRONG_M && undisturbed(s)))) {
        s->way = t->way;
        absorb(st, i, i + 1);
        return 1;
    }
    if ((plain(s) || s->type == CR_MAN_FORK) && plain(t) && corner(st, i)) {
        combine(st, i); /* a sliproad may well start as a fork */
        return 1;
    }
    if (!plain(s) || !plain(t))
        return 0;
    if (staggered(st, i) || oscillation(st, i)) {
        if (same_road(st->v, p, t)) { /* back on the road: no maneuver at all */
            absorb(st, i - 1, i);
            absorb(st, i - 1, i);
        } else {
            combine(st, i);
        }
        return 1;
    }
    if (uturn(st, i)) {
        combine(st, i);
        g->steps[i].modifier = CR_MOD_UTURN;
        g->steps[i].type =
            same_road(st->v, &g->steps[i - 1], &g->steps[i]) ? CR_MAN_CONTINUE : CR_MAN_TURN;
        return 1;
    }
    return 0;
}

void
cr_guidance_collapse(const struct cr_graph_view *v, struct cr_guidance *g, uint32_t first)
{
    struct steps st = { v, g, first };
    uint32_t i = first + 1;

    /* the leg's steps are FIRST (depart) .. step_count - 1 (arrive) */
    while (i + 1 < g->step_count - 1) {
        if (collapse_at(&st, i))
            i = i > first + 1 ? i - 1 : first + 1;
        else
            i++;
    }
}
