/*
 * The zoning classes of one layer as a map draws them: every class value present gets its own
 * entry (a categorised renderer, as in QGIS), coloured by the style's class when the value is
 * recognised (cr_style_zone_class: codes, words and keywords in Vietnamese and English) and from
 * the style's qualitative palette when it is not; a planning office's --class-map decides
 * first. No two entries share a colour: a value that lands on a class already taken gets a
 * lighter or darker shade of it (docs/styles.md). Values with no class value, values that
 * stand for "other", and with max_classes the smallest ones, share the "Other" entry.
 */
#ifndef CR_RENDER_ZONECLASS_H
#define CR_RENDER_ZONECLASS_H

#include <stddef.h>

#include "core/error.h"
#include "render/style.h"
#include "spatial/zones.h"

/* How an entry got its colour. */
enum cr_zoneclass_how {
    CR_ZONECLASS_STYLE,   /* the value is one of a style class's codes or words */
    CR_ZONECLASS_KEYWORD, /* a keyword of a style class is in the value */
    CR_ZONECLASS_MAP,     /* the class map names a style class for it */
    CR_ZONECLASS_COLOUR,  /* the class map gives its colour */
    CR_ZONECLASS_PALETTE, /* not recognised: the next colour of zoning.palette */
    CR_ZONECLASS_OTHER    /* the shared "Other" entry */
};

/* A planning office's mapping from class values to classes, read from a CSV file. */
struct cr_zoneclass_map;

/* Reads PATH: one row per class value, "value,class[,label]", where class is the id of one of
 * S's zoning classes (or "other") or a colour #rrggbb; an optional header row whose first field
 * is "value"; rows starting with '#' are comments. Values are matched folded (any case, with or
 * without diacritics). Errors name the file and the row: "map.csv: row 3: class \"parkk\" is not
 * a colour or a class of the style (residential_existing, ...)". caller frees:
 * cr_zoneclass_map_destroy() */
enum cr_status cr_zoneclass_map_load(const char *path, const struct cr_style *s,
                                     struct cr_zoneclass_map **out, struct cr_error *err);
void cr_zoneclass_map_destroy(struct cr_zoneclass_map *m);

struct cr_zoneclass {
    char *value; /* as the data spells it; NULL for "Other" */
    char *label; /* the legend's words */
    struct cr_rgba fill;
    size_t style_class; /* index into the style's zones (the last: "other") */
    enum cr_zoneclass_how how;
    size_t zones;   /* zones of the layer in it */
    double area_m2; /* their area */
};

struct cr_zoneclass_value {
    char *value;  /* a class value of the layer */
    size_t entry; /* its entry: index into set->classes */
};

struct cr_zoneclass_set {
    struct cr_zoneclass *classes; /* in legend order: the style's class order (the largest
                                   * value first within one class), then unrecognised values by
                                   * area, "Other" last */
    size_t count;
    struct cr_zoneclass_value *values; /* every class value, sorted by strcmp, with its entry */
    size_t value_count;
};

/* Builds the entries of the class values CLASSES (cr_zones' per-class counts and areas) with
 * style S, the class map MAP (or NULL) and at most MAX_CLASSES entries besides "Other" (0: no
 * limit; the values with the largest area keep theirs). On failure SET is empty. */
enum cr_status cr_zoneclass_build(const struct cr_style *s, const struct cr_zone_class *classes,
                                  size_t class_count, const struct cr_zoneclass_map *map,
                                  size_t max_classes, struct cr_zoneclass_set *set,
                                  struct cr_error *err);
void cr_zoneclass_fini(struct cr_zoneclass_set *set);

/* The entry (index into set->classes) of a class value; the "Other" entry, or set->count when
 * there is none, for a value the set was not built with. */
size_t cr_zoneclass_of(const struct cr_zoneclass_set *set, const char *value);

/* SET's class values in legend order (by entry, then by value), those without a value (zones
 * with no class value: "Other", nothing to map) left out, for a --class-map file: copies of
 * set->values whose strings SET still owns. NULL when out of memory. caller frees: free() */
struct cr_zoneclass_value *cr_zoneclass_legend_values(const struct cr_zoneclass_set *set,
                                                      size_t *count);

#endif
