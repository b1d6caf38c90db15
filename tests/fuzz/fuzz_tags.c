/*
 * Fuzz target for importers/osm/osm_tags. The input is a list of tags: entries separated by NUL
 * or newline, each split at its first '=' into key and value (an entry without '=' is a key
 * with a NULL value). Every parser runs on every key and value, and every classifier on the
 * whole list; results outside their documented ranges abort, so the fuzzer reports them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "importers/osm/osm_tags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TAGS 64

static void
check(int ok)
{
    if (!ok)
        abort();
}

static void
parse_all(const char *v)
{
    int x;
    int64_t w = cr_osm_parse_weight_kg(v);
    check(w == CR_PARSE_INVALID || w == CR_PARSE_NONE || (w >= 1 && w <= 1000000));
    x = cr_osm_parse_maxspeed(v);
    check(x == CR_PARSE_INVALID || x == CR_PARSE_NONE || (x >= 1 && x <= 500));
    x = cr_osm_parse_length_cm(v);
    check(x == CR_PARSE_INVALID || x == CR_PARSE_NONE || (x >= 1 && x <= 10000));
    x = cr_osm_parse_duration_s(v);
    check(x == CR_PARSE_INVALID || (x >= 1 && x <= 30 * 24 * 3600));
    x = cr_osm_parse_lanes(v);
    check(x == CR_PARSE_INVALID || (x >= 1 && x <= 255));
    x = cr_osm_parse_cemt(v);
    check(x == CR_PARSE_INVALID || (x >= 0 && x <= 10));
    x = cr_osm_parse_gauge_mm(v);
    check(x == CR_PARSE_INVALID || (x >= 1 && x <= UINT16_MAX));
    check(cr_osm_parse_oneway(v) <= CR_ONEWAY_UNKNOWN);
    check(cr_osm_parse_access(v) <= CR_ACCESS_AGRICULTURAL);
    x = cr_osm_road_class(v);
    check(x >= -1 && x < CR_ROAD_CLASS_COUNT);
    x = cr_osm_rail_class(v);
    check(x >= -1 && x < CR_RAIL_CLASS_COUNT);
    x = cr_osm_water_class(v);
    check(x >= -1 && x < CR_WATER_CLASS_COUNT);
}

static void
classify_all(const struct cr_osm_tag *tags, size_t n, const char *buf, size_t size)
{
    for (unsigned modes = 0; modes < 16; modes++) {
        struct cr_way_info info;
        int used = cr_osm_way_classify(tags, n, modes, &info);
        check(used == 0 || used == 1);
        check(cr_osm_way_classify(tags, n, modes, NULL) == used);
        if (!used)
            continue;
        const struct cr_way_attr *a = &info.attr;
        unsigned group = a->mode == CR_MODE_RAIL    ? CR_GROUP_RAIL
                         : a->mode == CR_MODE_WATER ? CR_GROUP_WATER
                                                    : CR_GROUP_ROAD;
        check(a->mode <= CR_MODE_FERRY && (modes & (1u << group)));
        check(info.oneway < CR_ONEWAY_UNKNOWN);
        for (int v = 0; v < CR_VEHICLE_COUNT; v++)
            check(a->access[v] <= CR_ACCESS_AGRICULTURAL);
        check(a->cemt <= 10 && a->rail_usage <= CR_USAGE_OTHER &&
              a->rail_service <= CR_SERVICE_OTHER);
        check(!info.name || (info.name >= buf && info.name <= buf + size));
        check(!info.ref || (info.ref >= buf && info.ref <= buf + size));
    }

    uint8_t flags = 0;
    check(cr_osm_node_barrier(tags, n, &flags) <= CR_BARRIER_OTHER);
    check((flags & CR_NODE_LCC) == 0 && flags < (1u << 6));
    cr_osm_node_barrier(tags, n, NULL);

    for (int area = 0; area <= 1; area++) {
        enum cr_terminal_kind kind = CR_TERMINAL_OTHER;
        uint8_t modes = 0;
        if (cr_osm_terminal_kind(tags, n, area, &kind, &modes))
            check(kind <= CR_TERMINAL_QUAY && (modes & (1u << CR_GROUP_ROAD)) &&
                  modes < (1u << CR_GROUP_TERMINAL));
    }

    uint8_t kind = 0, except = 0, only = 0;
    if (cr_osm_restriction(tags, n, &kind, &except, &only))
        check(kind <= CR_RESTRICT_ONLY && except < (1u << CR_VEHICLE_BOAT) &&
              only <= 1 + CR_VEHICLE_HGV);
    cr_osm_restriction(tags, n, NULL, NULL, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cr_osm_tag tags[MAX_TAGS];
    size_t n = 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    if (size)
        memcpy(buf, data, size);
    buf[size] = '\0';

    char *p = buf, *end = buf + size;
    while (p < end && n < MAX_TAGS) {
        char *q = p;
        while (q < end && *q != '\0' && *q != '\n')
            q++;
        *q = '\0';
        if (q > p) {
            char *eq = strchr(p, '=');
            if (eq)
                *eq = '\0';
            tags[n].key = p;
            tags[n].value = eq ? eq + 1 : NULL;
            n++;
        }
        p = q + 1;
    }

    for (size_t i = 0; i < n; i++) {
        parse_all(tags[i].key);
        parse_all(tags[i].value);
        const char *v = cr_osm_tag_get(tags, n, tags[i].key);
        check(v == NULL || (v >= buf && v <= end));
    }
    parse_all(NULL);
    classify_all(tags, n, buf, size);
    classify_all(NULL, 0, buf, size);
    free(buf);
    return 0;
}
