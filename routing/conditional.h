/*
 * Conditional restrictions for one engine (profile and vehicle): the network's way.cond and
 * restriction.cond records that apply to the profile's vehicle, compiled from their text
 * (core/cond.h), and what holds at a time. Used by the time-dependent search
 * (routing/tdsearch.h). docs/routing.md, "Conditional restrictions".
 */
#ifndef CR_ROUTING_CONDITIONAL_H
#define CR_ROUTING_CONDITIONAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/cond.h"
#include "core/error.h"
#include "core/graph.h"
#include "routing/profile.h"

struct cr_cond_rule {
    uint32_t way;
    uint8_t closes;     /* 1: the way is closed while it holds; 0: a speed */
    uint16_t speed_kmh; /* maxspeed:conditional */
    struct cr_cond_expr expr;
};

struct cr_cond_turn {
    uint32_t via, from_way, to_way; /* by via, then from_way */
    uint8_t kind;                   /* enum cr_restriction_kind */
    struct cr_cond_expr expr;
};

struct cr_condset {
    struct cr_cond_rule *rules; /* by way */
    uint32_t rule_count;
    uint32_t *way_first; /* [way_count + 1] into rules, or NULL when there are none */
    struct cr_cond_turn *turns;
    uint32_t turn_count;
    /* via one way (via: the via way's record), by from_way then via: a group is the first of
     * the turns with one (from_way, via) */
    struct cr_cond_turn *vturns;
    uint32_t vturn_count;
    uint8_t *via_way; /* [way_count] 1: the via of some vturn; NULL when none */
    uint32_t timed;   /* rules and turns with a time part */
    uint32_t fixed;   /* rules and turns without one whose vehicle part holds (always applied) */
    uint32_t failed;  /* records whose text no longer parses (a newer importer): skipped */
};

/* The records of V that apply to P's vehicle (and vehicle size). An empty set (all zero)
 * when V has none. caller frees: cr_condset_fini() */
enum cr_status cr_condset_init(struct cr_condset *cs, const struct cr_graph_view *v,
                               const struct cr_profile *p, struct cr_error *err);
void cr_condset_fini(struct cr_condset *cs);

/* When a condition is checked: at T (seconds, naive local) with the public holidays PH, or,
 * with ALWAYS, as if every time part held (the profile's "always" without a time). With
 * neither (ignore without a time) only conditions without a time part hold. */
struct cr_cond_when {
    int64_t t;
    int timed;  /* 1: T is a time */
    int always; /* untimed: every time part holds */
    const struct cr_cond_holidays *ph;
};

/* Whether the search must look at conditions at all for W. */
int cr_condset_active(const struct cr_condset *cs, const struct cr_cond_when *w);

/* Whether WAY has rules. */
static inline int
cr_condset_way_has(const struct cr_condset *cs, uint32_t way)
{
    return cs->way_first && cs->way_first[way] < cs->way_first[way + 1];
}

/* Whether WAY is closed at W, and (when open) the conditional maxspeed in force in *KMH (0:
 * none; the lowest when several hold). */
int cr_condset_way_closed(const struct cr_condset *cs, uint32_t way, const struct cr_cond_when *w,
                          double *kmh);

/* Whether the turn FROM_WAY -> TO_WAY at graph node VIA is banned at W. */
int cr_condset_turn_banned(const struct cr_condset *cs, uint32_t from_way, uint32_t via,
                           uint32_t to_way, const struct cr_cond_when *w);

/* Whether VIA has conditional turn restrictions. */
int cr_condset_via_has(const struct cr_condset *cs, uint32_t via);

/* Restrictions via a way: the group of those from FROM_WAY via VIA_WAY (what a route that
 * turns from the one onto the other is under while it stays on VIA_WAY), or CR_COND_NO_GROUP;
 * and whether leaving the via way into TO_WAY is banned at W under GROUP (no_*: TO_WAY is the
 * restriction's; only_*: it is not). The time is that of the turn off the via way. */
#define CR_COND_NO_GROUP UINT32_MAX
uint32_t cr_condset_via_group(const struct cr_condset *cs, uint32_t from_way, uint32_t via_way);
int cr_condset_via_way_banned(const struct cr_condset *cs, uint32_t group, uint32_t to_way,
                              const struct cr_cond_when *w);

#endif
