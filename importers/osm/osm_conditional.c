/*
 * Conditional tags of ways (access, motor_vehicle, hgv, motorcycle, maxweight and maxspeed
 * :conditional) and restriction:conditional on turn restriction relations (docs/tags.md,
 * "Conditional restrictions"): each value parsed with core/cond.h; what parses is kept as text
 * in the optional sections way.cond and restriction.cond, what does not is counted and
 * reported by corridor import, never dropped silently.
 */
#include <stdio.h>
#include <string.h>

#include "core/cond.h"
#include "importers/osm/osm_build.h"
#include "importers/osm/osm_conditional.h"
#include "importers/osm/osm_tags.h"

static const char *const way_keys[CR_COND_TAG_COUNT] = {
    "access:conditional",     "motor_vehicle:conditional", "hgv:conditional",
    "motorcycle:conditional", "maxweight:conditional",     "maxspeed:conditional",
};

static void
note_unparsed(struct cr_import_stats *st, const char *what, int64_t id, const char *key,
              const char *value, const char *why)
{
    st->cond_unparsed++;
    if (st->cond_first_unparsed[0] == '\0')
        snprintf(st->cond_first_unparsed, sizeof st->cond_first_unparsed, "%s %lld %s=\"%s\": %s",
                 what, (long long)id, key, value, why);
}

/* Whether every value of ALTS suits TAG: an access value, a speed, a weight. */
static const char *
bad_value(enum cr_cond_tag tag, const struct cr_cond_alt *alts, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const char *v = alts[k].value;
        switch (tag) {
        case CR_COND_TAG_MAXSPEED:
            if (cr_osm_parse_maxspeed(v) <= 0)
                return "not a speed";
            break;
        case CR_COND_TAG_MAXWEIGHT:
            if (cr_osm_parse_weight_kg(v) <= 0)
                return "not a weight";
            break;
        default:
            if (cr_osm_parse_access(v) == CR_ACCESS_UNKNOWN)
                return "not an access value";
        }
    }
    return NULL;
}

int
cr_osm_conditional_way(struct state *s, uint32_t way, int64_t osm_id, const struct cr_osm_tag *tags,
                       size_t n)
{
    static const char suffix[] = ":conditional";
    for (size_t i = 0; i < n; i++) {
        const char *key = tags[i].key, *value = tags[i].value;
        size_t klen = key ? strlen(key) : 0;
        struct cr_cond_alt alts[CR_COND_MAX_ALTS];
        size_t count;
        char why[96] = "";
        int tag = -1;
        if (klen <= sizeof suffix - 1 || strcmp(key + klen - (sizeof suffix - 1), suffix) != 0)
            continue;
        for (int t = 0; t < CR_COND_TAG_COUNT; t++)
            if (strcmp(key, way_keys[t]) == 0)
                tag = t;
        if (tag < 0) {
            s->stats->cond_other++;
            continue;
        }
        if (cr_cond_parse(value ? value : "", alts, &count, why, sizeof why)) {
            note_unparsed(s->stats, "way", osm_id, key, value ? value : "", why);
            continue;
        }
        const char *bad = bad_value((enum cr_cond_tag)tag, alts, count);
        if (bad) {
            note_unparsed(s->stats, "way", osm_id, key, value, bad);
            continue;
        }
        struct cr_cond_way *c = cr_vec_push(&s->b->cond_ways);
        if (!c)
            return -1;
        *c = (struct cr_cond_way){ .way = way,
                                   .text = cr_strpool_intern(&s->b->strings, value),
                                   .tag = (uint8_t)tag };
        if (c->text == UINT32_MAX)
            return -1;
        s->stats->cond_tags++;
    }
    return 0;
}

int
cr_osm_conditional_restriction(struct state *s, const struct cr_osm_relation *r, uint8_t *kind,
                               uint8_t *except, uint8_t *only_vehicle, uint32_t *text)
{
    static const char key[] = "restriction:conditional";
    const char *type = cr_osm_tag_get(r->tags, r->tag_count, "type");
    const char *value = cr_osm_tag_get(r->tags, r->tag_count, key);
    struct cr_cond_alt alts[CR_COND_MAX_ALTS];
    struct cr_osm_tag fake[3];
    size_t count;
    char why[96] = "";

    if (!value || !type || strcmp(type, "restriction") != 0)
        return 0;
    if (cr_cond_parse(value, alts, &count, why, sizeof why)) {
        note_unparsed(s->stats, "relation", r->id, key, value, why);
        return 0;
    }
    if (count != 1) {
        note_unparsed(s->stats, "relation", r->id, key, value, "several values");
        return 0;
    }
    /* the value as if it were restriction=*, with the relation's except=* */
    fake[0] = (struct cr_osm_tag){ "type", "restriction" };
    fake[1] = (struct cr_osm_tag){ "restriction", alts[0].value };
    fake[2] = (struct cr_osm_tag){ "except", cr_osm_tag_get(r->tags, r->tag_count, "except") };
    if (!cr_osm_restriction(fake, fake[2].value ? 3 : 2, kind, except, only_vehicle)) {
        note_unparsed(s->stats, "relation", r->id, key, value, "not a turn restriction");
        return 0;
    }
    *text = cr_strpool_intern(&s->b->strings, value);
    if (*text == UINT32_MAX)
        return -1;
    return 1;
}
