/*
 * A plan map's style: colours, widths and words, read from JSON (styles/default.json is the
 * documented default, compiled in; a user's file given with --style is merged over it key by
 * key, lists replaced whole). docs/styles.md describes every key.
 */
#ifndef CR_RENDER_STYLE_H
#define CR_RENDER_STYLE_H

#include <stddef.h>

#include "core/error.h"
#include "core/graph.h"
#include "render/text.h"

#define CR_STYLE_MAX_ZONE_CLASSES 64
#define CR_STYLE_MAX_ROAD_GROUPS 16
#define CR_STYLE_MAX_PALETTE 16
#define CR_STYLE_MAX_ZONE_PALETTE 32

struct cr_style_zone_class {
    char *id, *label;
    struct cr_rgba fill;
    char **match; /* class values it stands for: its id, codes, words, OSM landuse; folded */
    size_t match_count;
    char **keywords; /* words a class value may contain, folded; a trailing '*': any ending */
    size_t keyword_count;
};

struct cr_style_road_group {
    char *id, *label;
    struct cr_rgba fill, casing;
    double width_mm, casing_mm, label_pt;
};

struct cr_style_terminal {
    char *label;
    char shape[16]; /* circle, square, diamond, triangle */
    struct cr_rgba fill, stroke;
};

struct cr_style {
    char *name, *regulation, *font, *organisation;
    struct cr_rgba paper, ink, map_background;
    double margin_mm, frame_mm;

    struct cr_style_zone_class zones[CR_STYLE_MAX_ZONE_CLASSES];
    size_t zone_count; /* the last one is "other" */
    double zone_opacity, zone_outline_mm, zone_label_pt;
    struct cr_rgba zone_outline, zone_label_colour;
    struct cr_rgba zone_palette[CR_STYLE_MAX_ZONE_PALETTE]; /* for class values no class takes */
    size_t zone_palette_count;

    struct cr_rgba water_colour, water_casing;
    char *water_label[CR_WATER_CLASS_COUNT];
    double water_width_mm[CR_WATER_CLASS_COUNT];

    struct cr_style_road_group roads[CR_STYLE_MAX_ROAD_GROUPS];
    size_t road_group_count;
    int road_group_of[CR_ROAD_CLASS_COUNT]; /* -1: not drawn */
    char *ferry_label;
    struct cr_rgba ferry_colour;
    double ferry_width_mm, ferry_dash_mm[2];

    char *rail_label;
    struct cr_rgba rail_colour, rail_gap;
    double rail_width_mm, rail_dash_mm, light_rail_factor;

    struct cr_style_terminal terminals[CR_TERMINAL_OTHER + 1];
    double terminal_mm, terminal_label_pt;

    struct cr_rgba palette[CR_STYLE_MAX_PALETTE];
    size_t palette_count;
    double overlay_width_mm, overlay_opacity, overlay_fill_opacity, overlay_point_mm;

    struct cr_rgba label_colour, label_halo;
    double label_halo_mm, label_spacing_mm;

    struct cr_rgba grid_colour;
    double grid_width_mm, grid_label_pt;
    int grid_lines;

    double title_pt, subtitle_pt, body_pt, legend_pt;
    char *legend_title, *scale_word, *crs_word, *date_word, *attribution;
};

/* The compiled-in styles/default.json (NUL-terminated). */
extern const unsigned char cr_style_default_json[];

/* Loads the default, merged with the file at PATH when PATH is not NULL. Errors name the file
 * and the key. On failure the style is left empty (cr_style_fini is safe). */
enum cr_status cr_style_load(const char *path, struct cr_style *s, struct cr_error *err);
void cr_style_fini(struct cr_style *s);

/* "#rrggbb" or "#rrggbbaa" -> colour; 0 on success, -1 when malformed. */
int cr_style_parse_colour(const char *text, struct cr_rgba *out);

/* TEXT folded for matching: lower case, without diacritics (Vietnamese included: "Đất ở" ->
 * "dat o"), every run of characters other than letters and digits one space, none at the ends.
 * NULL when out of memory. caller frees: free() */
char *cr_style_fold(const char *text);

/* The zone class (index into s->zones) a class value stands for, both folded: the first class
 * whose id or match list equals it; else the class with a keyword found in it as whole words
 * (the keyword found first in the value, the longest at the same place, the first class on a
 * tie); else the last class ("other"). *RECOGNISED (when not NULL) is 1 for a value in a match
 * list, 2 for a keyword, 0 for neither. */
size_t cr_style_zone_class(const struct cr_style *s, const char *value, int *recognised);

#endif
