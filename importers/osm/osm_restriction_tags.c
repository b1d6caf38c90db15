/*
 * OSM turn restriction relations' tags (docs/tags.md section 11): type=restriction or
 * restriction:<vehicle>, the restriction value picked, except=*, and how many from and to ways
 * the relation may have.
 */
#include <stdbool.h>
#include <string.h>

#include "importers/osm/osm_tags.h"
#include "importers/osm/osm_tags_text.h"

#define ALL_MOTOR_BITS                                                                             \
    ((1u << CR_VEHICLE_CAR) | (1u << CR_VEHICLE_MOTORCYCLE) | (1u << CR_VEHICLE_HGV))

/* A vehicle name in restriction:<name> -> 1 + enum cr_vehicle, 0 for all motor vehicles, -1 for
 * a vehicle corridor does not route (bicycle, psv, bus, ...). */
static int
restriction_vehicle(const char *name)
{
    static const char *const all[] = { "motor_vehicle", "vehicle", NULL };
    static const char *const car[] = { "motorcar", "car", NULL };
    static const char *const hgv[] = { "hgv", "goods", NULL };
    if (str_is_any(name, all))
        return 0;
    if (str_is_any(name, car))
        return 1 + CR_VEHICLE_CAR;
    if (streq(name, "motorcycle"))
        return 1 + CR_VEHICLE_MOTORCYCLE;
    if (str_is_any(name, hgv))
        return 1 + CR_VEHICLE_HGV;
    return -1;
}

/* Whether V ends with "_on_red": no_right_turn_on_red, no_turn_on_red, ... say when a turn
 * is allowed at a red light, not that it is banned. */
static bool
on_red(const char *v)
{
    size_t n = strlen(v);
    return n >= 7 && strcmp(v + n - 7, "_on_red") == 0;
}

/* no_* -> CR_RESTRICT_NO, only_* -> CR_RESTRICT_ONLY, else -1 (also for the *_on_red values). */
static int
restriction_value(const char *v)
{
    if (!v || on_red(v))
        return -1;
    if (strncmp(v, "no_", 3) == 0 && v[3])
        return CR_RESTRICT_NO;
    if (strncmp(v, "only_", 5) == 0 && v[5])
        return CR_RESTRICT_ONLY;
    return -1;
}

/* except=motorcar;hgv -> vehicle bits; vehicles corridor does not route are ignored. */
static unsigned
except_bits(const char *v)
{
    unsigned bits = 0;
    if (!v)
        return 0;
    for (;;) {
        const char *semi = strchr(v, ';');
        struct span s = trim((struct span){ v, semi ? (size_t)(semi - v) : strlen(v) });
        if (span_is(s, "motor_vehicle") || span_is(s, "vehicle"))
            bits |= ALL_MOTOR_BITS;
        else if (span_is(s, "motorcar") || span_is(s, "car"))
            bits |= 1u << CR_VEHICLE_CAR;
        else if (span_is(s, "motorcycle"))
            bits |= 1u << CR_VEHICLE_MOTORCYCLE;
        else if (span_is(s, "hgv") || span_is(s, "goods"))
            bits |= 1u << CR_VEHICLE_HGV;
        if (!semi)
            return bits;
        v = semi + 1;
    }
}

/* The restriction value a relation's tags give (docs/tags.md section 11), with *kind and
 * *only; NULL when none is usable. */
static const char *
restriction_pick(const struct cr_osm_tag *tags, size_t n, int *kind, int *only)
{
    static const char prefix[] = "restriction:";
    const size_t plen = sizeof prefix - 1;
    const char *type = cr_osm_tag_get(tags, n, "type"), *v = NULL;
    *only = 0;
    *kind = -1;
    if (streq(type, "restriction")) {
        v = cr_osm_tag_get(tags, n, "restriction");
        *kind = restriction_value(v);
        /* no restriction for everyone: the first restriction:<our vehicle> that says one */
        for (size_t i = 0; *kind < 0 && i < n; i++) {
            const char *key = tags[i].key;
            if (!key || strncmp(key, prefix, plen) != 0)
                continue;
            *only = restriction_vehicle(key + plen);
            v = tags[i].value;
            *kind = *only >= 0 ? restriction_value(v) : -1;
        }
    } else if (type && strncmp(type, prefix, plen) == 0) {
        *only = restriction_vehicle(type + plen);
        if (*only < 0)
            return NULL;
        v = cr_osm_tag_get(tags, n, type); /* restriction:hgv=no_right_turn */
        if (!v)
            v = cr_osm_tag_get(tags, n, "restriction");
        *kind = restriction_value(v);
    }
    return *kind < 0 ? NULL : v;
}

unsigned
cr_osm_restriction_members(const struct cr_osm_tag *tags, size_t n)
{
    int kind, only;
    const char *v = restriction_pick(tags, tags ? n : 0, &kind, &only);
    if (!v)
        return 0;
    if (strcmp(v, "no_entry") == 0)
        return CR_RESTRICT_MANY_FROM;
    if (strcmp(v, "no_exit") == 0)
        return CR_RESTRICT_MANY_TO;
    return 0;
}

int
cr_osm_restriction(const struct cr_osm_tag *tags, size_t n, uint8_t *kind, uint8_t *except,
                   uint8_t *only_vehicle)
{
    int only, k;
    if (!tags)
        n = 0;
    if (!restriction_pick(tags, n, &k, &only))
        return 0;
    if (kind)
        *kind = (uint8_t)k;
    if (except)
        *except = (uint8_t)except_bits(cr_osm_tag_get(tags, n, "except"));
    if (only_vehicle)
        *only_vehicle = (uint8_t)only;
    return 1;
}
