/* Plan-map styles from JSON: the compiled-in default merged with a user's file. */
#include "render/style.h"

#include <ctype.h>
#include <glib.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct reader {
    const char *file; /* for messages */
    struct cr_error *err;
    int failed;
};

static json_t *
at(json_t *root, const char *path)
{
    char buf[128];
    json_t *o = root;

    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *w = strtok_r(buf, ".", &save); w && o; w = strtok_r(NULL, ".", &save))
        o = json_is_object(o) ? json_object_get(o, w) : NULL;
    return o;
}

static void
bad(struct reader *r, const char *key, const char *what)
{
    if (!r->failed)
        cr_error_set(r->err, CR_EFORMAT, "%s: %s: %s", r->file, key, what);
    r->failed = 1;
}

static double
num(struct reader *r, json_t *root, const char *path, double lo, double hi)
{
    json_t *v = at(root, path);
    double d;

    if (!json_is_number(v)) {
        bad(r, path, v ? "not a number" : "missing");
        return 0;
    }
    d = json_number_value(v);
    if (d < lo || d > hi) {
        char msg[96];
        snprintf(msg, sizeof msg, "%g outside %g..%g", d, lo, hi);
        bad(r, path, msg);
    }
    return d;
}

static char *
str_of(struct reader *r, json_t *v, const char *key)
{
    char *s;

    if (!json_is_string(v)) {
        bad(r, key, v ? "not a string" : "missing");
        return NULL;
    }
    s = strdup(json_string_value(v));
    if (!s && !r->failed) {
        cr_error_set(r->err, CR_ENOMEM, "%s: out of memory", r->file);
        r->failed = 1;
    }
    return s;
}

static char *
str(struct reader *r, json_t *root, const char *path)
{
    return str_of(r, at(root, path), path);
}

int
cr_style_parse_colour(const char *text, struct cr_rgba *out)
{
    unsigned v[4] = { 0, 0, 0, 255 };
    size_t n = text ? strlen(text) : 0;

    if ((n != 7 && n != 9) || text[0] != '#')
        return -1;
    for (size_t i = 1; i < n; i++)
        if (!isxdigit((unsigned char)text[i]))
            return -1;
    for (size_t i = 0; i < (n - 1) / 2; i++) {
        char part[3] = { text[1 + 2 * i], text[2 + 2 * i], 0 };
        v[i] = (unsigned)strtoul(part, NULL, 16);
    }
    *out = (struct cr_rgba){ v[0] / 255.0, v[1] / 255.0, v[2] / 255.0, v[3] / 255.0 };
    return 0;
}

static struct cr_rgba
colour_of(struct reader *r, json_t *v, const char *key)
{
    struct cr_rgba c = { 0, 0, 0, 1 };
    if (!json_is_string(v)) {
        bad(r, key, v ? "not a colour string" : "missing");
        return c;
    }
    if (cr_style_parse_colour(json_string_value(v), &c)) {
        char msg[96];
        snprintf(msg, sizeof msg, "\"%.40s\" is not a colour (#rrggbb or #rrggbbaa)",
                 json_string_value(v));
        bad(r, key, msg);
    }
    return c;
}

static struct cr_rgba
colour(struct reader *r, json_t *root, const char *path)
{
    return colour_of(r, at(root, path), path);
}

char *
cr_style_fold(const char *text)
{
    gchar *valid = g_utf8_make_valid(text ? text : "", -1);
    gchar *nfkd = valid ? g_utf8_normalize(valid, -1, G_NORMALIZE_NFKD) : NULL;
    char *out = nfkd ? malloc(2 * strlen(nfkd) + 1) : NULL, *o = out;
    int gap = 0;

    g_free(valid);
    if (!out) {
        g_free(nfkd);
        return NULL;
    }
    for (const gchar *p = nfkd; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_ismark(c)) /* the accents NFKD split off */
            continue;
        if (c == 0x110 || c == 0x111) /* Đ, đ: a letter of its own, not d with a mark */
            c = 'd';
        if (!g_unichar_isalnum(c)) {
            gap = 1;
            continue;
        }
        if (gap && o > out)
            *o++ = ' ';
        gap = 0;
        o += g_unichar_to_utf8(g_unichar_tolower(c), o); /* at most 1.5 times the bytes */
    }
    *o = 0;
    g_free(nfkd);
    return out;
}

/* Appends the folded strings of the JSON list O[NAME] (a keyword keeps its trailing '*'). */
static void
folded_list(struct reader *r, json_t *o, const char *key, const char *name, int keywords,
            char ***list, size_t *count)
{
    json_t *l = json_object_get(o, name), *v;
    char k[112];
    size_t i;

    if (!l)
        return;
    snprintf(k, sizeof k, "%s.%s", key, name);
    if (!json_is_array(l)) {
        bad(r, k, "not a list of strings");
        return;
    }
    char **grown = realloc(*list, (*count + json_array_size(l) + 1) * sizeof *grown);
    if (!grown) {
        bad(r, k, "out of memory");
        return;
    }
    *list = grown;
    json_array_foreach(l, i, v)
    {
        const char *text = json_string_value(v);
        size_t n = text ? strlen(text) : 0;
        char *f;
        snprintf(k, sizeof k, "%s.%s[%zu]", key, name, i);
        if (!text) {
            bad(r, k, "not a string");
            return;
        }
        if (!(f = cr_style_fold(text)) || !*f) {
            free(f);
            bad(r, k, f ? "no letters or digits" : "out of memory");
            return;
        }
        if (keywords && n && text[n - 1] == '*') {
            size_t fl = strlen(f);
            char *star = realloc(f, fl + 2);
            if (!star) {
                free(f);
                bad(r, k, "out of memory");
                return;
            }
            f = star;
            memcpy(f + fl, "*", 2);
        }
        (*list)[(*count)++] = f;
    }
}

static void
zone_class(struct reader *r, json_t *o, const char *key, struct cr_style_zone_class *z)
{
    char k[96];

    if (!json_is_object(o)) {
        bad(r, key, "not an object");
        return;
    }
    snprintf(k, sizeof k, "%s.id", key);
    z->id = str_of(r, json_object_get(o, "id"), k);
    snprintf(k, sizeof k, "%s.label", key);
    z->label = str_of(r, json_object_get(o, "label"), k);
    snprintf(k, sizeof k, "%s.fill", key);
    z->fill = colour_of(r, json_object_get(o, "fill"), k);
    if (z->id) {
        char *f = cr_style_fold(z->id);
        z->match = f ? malloc(sizeof *z->match) : NULL;
        if (!z->match) {
            free(f);
            bad(r, key, "out of memory");
            return;
        }
        z->match[z->match_count++] = f;
    }
    folded_list(r, o, key, "match", 0, &z->match, &z->match_count);
    folded_list(r, o, key, "osm", 0, &z->match, &z->match_count);
    folded_list(r, o, key, "keywords", 1, &z->keywords, &z->keyword_count);
}

static void
read_zoning(struct reader *r, json_t *root, struct cr_style *s)
{
    json_t *classes = at(root, "zoning.classes"), *v;
    size_t i;
    char key[64];

    s->zone_opacity = num(r, root, "zoning.opacity", 0, 1);
    s->zone_outline = colour(r, root, "zoning.outline");
    s->zone_outline_mm = num(r, root, "zoning.outline_mm", 0, 10);
    s->zone_label_pt = num(r, root, "zoning.label_pt", 0, 100);
    s->zone_label_colour = colour(r, root, "zoning.label_colour");
    json_t *pal = at(root, "zoning.palette");
    if (!json_is_array(pal) || !json_array_size(pal) ||
        json_array_size(pal) > CR_STYLE_MAX_ZONE_PALETTE) {
        bad(r, "zoning.palette", "not a list of 1 to 32 colours");
    } else {
        json_array_foreach(pal, i, v)
        {
            snprintf(key, sizeof key, "zoning.palette[%zu]", i);
            s->zone_palette[s->zone_palette_count++] = colour_of(r, v, key);
        }
    }
    if (!json_is_array(classes)) {
        bad(r, "zoning.classes", "not a list");
        return;
    }
    if (json_array_size(classes) + 1 > CR_STYLE_MAX_ZONE_CLASSES) {
        bad(r, "zoning.classes", "too many classes (at most 63)");
        return;
    }
    json_array_foreach(classes, i, v)
    {
        snprintf(key, sizeof key, "zoning.classes[%zu]", i);
        zone_class(r, v, key, &s->zones[s->zone_count++]);
    }
    zone_class(r, at(root, "zoning.other"), "zoning.other", &s->zones[s->zone_count++]);
}

static void
read_roads(struct reader *r, json_t *root, struct cr_style *s)
{
    json_t *groups = at(root, "roads.groups"), *g;
    size_t i;
    char key[80];

    for (int c = 0; c < CR_ROAD_CLASS_COUNT; c++)
        s->road_group_of[c] = -1;
    if (!json_is_array(groups) || json_array_size(groups) > CR_STYLE_MAX_ROAD_GROUPS) {
        bad(r, "roads.groups", "not a list of at most 16 groups");
        return;
    }
    json_array_foreach(groups, i, g)
    {
        struct cr_style_road_group *rg = &s->roads[s->road_group_count++];
        json_t *classes, *c;
        size_t j;
        snprintf(key, sizeof key, "roads.groups[%zu]", i);
        if (!json_is_object(g)) {
            bad(r, key, "not an object");
            return;
        }
        snprintf(key, sizeof key, "groups[%zu].id", i);
        rg->id = str(r, g, "id");
        rg->label = str(r, g, "label");
        rg->fill = colour(r, g, "fill");
        rg->casing = colour(r, g, "casing");
        rg->width_mm = num(r, g, "width_mm", 0, 20);
        rg->casing_mm = num(r, g, "casing_mm", 0, 10);
        rg->label_pt = num(r, g, "label_pt", 0, 100);
        classes = json_object_get(g, "classes");
        json_array_foreach(classes, j, c)
        {
            int found = 0;
            for (int k = 0; k < CR_ROAD_CLASS_COUNT; k++)
                if (json_is_string(c) &&
                    !strcmp(json_string_value(c), cr_road_class_name((enum cr_road_class)k))) {
                    s->road_group_of[k] = (int)i;
                    found = 1;
                }
            if (!found) {
                snprintf(key, sizeof key, "roads.groups[%zu].classes[%zu]", i, j);
                bad(r, key, "not a road class (motorway ... track, road)");
            }
        }
    }
    s->ferry_label = str(r, root, "roads.ferry.label");
    s->ferry_colour = colour(r, root, "roads.ferry.colour");
    s->ferry_width_mm = num(r, root, "roads.ferry.width_mm", 0, 20);
    json_t *dash = at(root, "roads.ferry.dash_mm");
    if (json_array_size(dash) != 2 || !json_is_number(json_array_get(dash, 0)) ||
        !json_is_number(json_array_get(dash, 1)))
        bad(r, "roads.ferry.dash_mm", "not two numbers");
    else
        for (int k = 0; k < 2; k++)
            s->ferry_dash_mm[k] = json_number_value(json_array_get(dash, (size_t)k));
}

static void
read_rest(struct reader *r, json_t *root, struct cr_style *s)
{
    json_t *pal = at(root, "overlays.palette"), *v;
    size_t i;
    char key[80];

    s->name = str(r, root, "name");
    s->regulation = str(r, root, "regulation");
    s->font = str(r, root, "font");
    s->organisation = str(r, root, "organisation");
    s->paper = colour(r, root, "page.paper");
    s->ink = colour(r, root, "page.ink");
    s->map_background = colour(r, root, "page.map_background");
    s->margin_mm = num(r, root, "page.margin_mm", 0, 100);
    s->frame_mm = num(r, root, "page.frame_mm", 0, 10);

    s->water_colour = colour(r, root, "water.colour");
    s->water_casing = colour(r, root, "water.casing");
    for (int c = 0; c < CR_WATER_CLASS_COUNT; c++) {
        const char *name = cr_water_class_name((enum cr_water_class)c);
        snprintf(key, sizeof key, "water.classes.%s.label", name);
        s->water_label[c] = str(r, root, key);
        snprintf(key, sizeof key, "water.classes.%s.width_mm", name);
        s->water_width_mm[c] = num(r, root, key, 0, 50);
    }

    s->rail_label = str(r, root, "rail.label");
    s->rail_colour = colour(r, root, "rail.colour");
    s->rail_gap = colour(r, root, "rail.gap");
    s->rail_width_mm = num(r, root, "rail.width_mm", 0, 20);
    s->rail_dash_mm = num(r, root, "rail.dash_mm", 0.1, 100);
    s->light_rail_factor = num(r, root, "rail.light_rail_factor", 0, 1);

    s->terminal_mm = num(r, root, "terminals.size_mm", 0, 50);
    s->terminal_label_pt = num(r, root, "terminals.label_pt", 0, 100);
    for (int k = 0; k <= CR_TERMINAL_OTHER; k++) {
        const char *name = cr_terminal_kind_name((enum cr_terminal_kind)k);
        struct cr_style_terminal *t = &s->terminals[k];
        char *shape;
        snprintf(key, sizeof key, "terminals.kinds.%s.label", name);
        t->label = str(r, root, key);
        snprintf(key, sizeof key, "terminals.kinds.%s.fill", name);
        t->fill = colour(r, root, key);
        snprintf(key, sizeof key, "terminals.kinds.%s.stroke", name);
        t->stroke = colour(r, root, key);
        snprintf(key, sizeof key, "terminals.kinds.%s.shape", name);
        shape = str(r, root, key);
        if (shape && strcmp(shape, "circle") && strcmp(shape, "square") &&
            strcmp(shape, "diamond") && strcmp(shape, "triangle"))
            bad(r, key, "not circle, square, diamond or triangle");
        snprintf(t->shape, sizeof t->shape, "%s", shape ? shape : "circle");
        free(shape);
    }

    if (!json_is_array(pal) || !json_array_size(pal)) {
        bad(r, "overlays.palette", "not a list of colours");
    } else {
        json_array_foreach(pal, i, v)
        {
            if (s->palette_count == CR_STYLE_MAX_PALETTE)
                break;
            snprintf(key, sizeof key, "overlays.palette[%zu]", i);
            s->palette[s->palette_count++] = colour_of(r, v, key);
        }
    }
    s->overlay_width_mm = num(r, root, "overlays.width_mm", 0, 50);
    s->overlay_opacity = num(r, root, "overlays.opacity", 0, 1);
    s->overlay_fill_opacity = num(r, root, "overlays.fill_opacity", 0, 1);
    s->overlay_point_mm = num(r, root, "overlays.point_mm", 0, 50);

    s->label_colour = colour(r, root, "labels.colour");
    s->label_halo = colour(r, root, "labels.halo");
    s->label_halo_mm = num(r, root, "labels.halo_mm", 0, 10);
    s->label_spacing_mm = num(r, root, "labels.spacing_mm", 1, 10000);

    s->grid_colour = colour(r, root, "grid.colour");
    s->grid_width_mm = num(r, root, "grid.width_mm", 0, 10);
    s->grid_label_pt = num(r, root, "grid.label_pt", 0, 100);
    s->grid_lines = (int)num(r, root, "grid.lines", 0, 50);

    s->title_pt = num(r, root, "text.title_pt", 1, 200);
    s->subtitle_pt = num(r, root, "text.subtitle_pt", 1, 200);
    s->body_pt = num(r, root, "text.body_pt", 1, 200);
    s->legend_pt = num(r, root, "text.legend_pt", 1, 200);
    s->legend_title = str(r, root, "text.legend_title");
    s->scale_word = str(r, root, "text.scale_word");
    s->crs_word = str(r, root, "text.crs_word");
    s->date_word = str(r, root, "text.date_word");
    s->attribution = str(r, root, "text.attribution");
}

enum cr_status
cr_style_load(const char *path, struct cr_style *s, struct cr_error *err)
{
    json_error_t jerr;
    json_t *root = json_loads((const char *)cr_style_default_json, 0, &jerr), *user = NULL;
    struct reader r = { "styles/default.json", err, 0 };

    memset(s, 0, sizeof *s);
    if (!root)
        return cr_error_set(err, CR_EINTERNAL, "styles/default.json: line %d: %s", jerr.line,
                            jerr.text);
    if (path) {
        user = json_load_file(path, 0, &jerr);
        if (!user) {
            json_decref(root);
            if (jerr.line <= 0)
                return cr_error_set(err, CR_EIO, "%s: cannot read the style: %s", path, jerr.text);
            return cr_error_set(err, CR_EFORMAT, "%s: line %d: %s", path, jerr.line, jerr.text);
        }
        if (!json_is_object(user)) {
            json_decref(root);
            json_decref(user);
            return cr_error_set(err, CR_EFORMAT, "%s: a style is a JSON object", path);
        }
        json_object_update_recursive(root, user);
        json_decref(user);
        r.file = path;
    }
    read_zoning(&r, root, s);
    read_roads(&r, root, s);
    read_rest(&r, root, s);
    json_decref(root);
    if (r.failed) {
        enum cr_status code = err ? err->code : CR_EFORMAT;
        cr_style_fini(s);
        return code;
    }
    return CR_OK;
}

static void
zone_fini(struct cr_style_zone_class *z)
{
    free(z->id);
    free(z->label);
    for (size_t i = 0; i < z->match_count; i++)
        free(z->match[i]);
    free(z->match);
    for (size_t i = 0; i < z->keyword_count; i++)
        free(z->keywords[i]);
    free(z->keywords);
}

void
cr_style_fini(struct cr_style *s)
{
    for (size_t i = 0; i < s->zone_count; i++)
        zone_fini(&s->zones[i]);
    for (size_t i = 0; i < s->road_group_count; i++) {
        free(s->roads[i].id);
        free(s->roads[i].label);
    }
    for (int c = 0; c < CR_WATER_CLASS_COUNT; c++)
        free(s->water_label[c]);
    for (int k = 0; k <= CR_TERMINAL_OTHER; k++)
        free(s->terminals[k].label);
    free(s->name);
    free(s->regulation);
    free(s->font);
    free(s->organisation);
    free(s->ferry_label);
    free(s->rail_label);
    free(s->legend_title);
    free(s->scale_word);
    free(s->crs_word);
    free(s->date_word);
    free(s->attribution);
    memset(s, 0, sizeof *s);
}

/* Where KEYWORD (folded, maybe ending in '*') is in FOLDED as whole words, or -1. */
static long
find_words(const char *folded, const char *keyword, size_t *len)
{
    size_t n = strlen(keyword);
    int prefix = n && keyword[n - 1] == '*';

    if (prefix)
        n--;
    for (const char *p = folded; n && p; p = strchr(p, ' '), p = p ? p + 1 : NULL)
        if (!strncmp(p, keyword, n) && (prefix || p[n] == 0 || p[n] == ' ')) {
            *len = n;
            return p - folded;
        }
    return -1;
}

size_t
cr_style_zone_class(const struct cr_style *s, const char *value, int *recognised)
{
    size_t other = s->zone_count ? s->zone_count - 1 : 0, best = other;
    long best_at = -1;
    size_t best_len = 0;
    char *f = value && *value ? cr_style_fold(value) : NULL;

    if (recognised)
        *recognised = 0;
    if (!f || !*f) {
        free(f);
        return other;
    }
    for (size_t i = 0; i < s->zone_count && best_at < 0; i++)
        for (size_t k = 0; k < s->zones[i].match_count; k++)
            if (!strcmp(s->zones[i].match[k], f)) {
                best = i;
                best_at = 0;
                best_len = SIZE_MAX;
                break;
            }
    for (size_t i = 0; i < s->zone_count && best_len != SIZE_MAX; i++)
        for (size_t k = 0; k < s->zones[i].keyword_count; k++) {
            size_t len;
            long at = find_words(f, s->zones[i].keywords[k], &len);
            if (at >= 0 && (best_at < 0 || at < best_at || (at == best_at && len > best_len))) {
                best = i;
                best_at = at;
                best_len = len;
            }
        }
    free(f);
    if (recognised)
        *recognised = best_at < 0 ? 0 : best_len == SIZE_MAX ? 1 : 2;
    return best;
}
