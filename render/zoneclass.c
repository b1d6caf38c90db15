/* Zoning classes of one layer: an entry per class value, coloured and labelled for the legend. */
#include "render/zoneclass.h"

#include <cpl_csv.h>
#include <cpl_vsi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "importers/ogr_util.h"

/* Two colours closer than this (CIE76 delta E) are too alike for two legend entries. */
#define MIN_DELTA_E 10.0

/* ---- the class map ----------------------------------------------------------------------------
 */

struct map_row {
    char *folded;       /* the class value, folded */
    size_t style_class; /* a class of the style, when !has_colour */
    int has_colour;
    struct cr_rgba colour;
    char *label; /* or NULL */
};

struct cr_zoneclass_map {
    struct map_row *rows;
    size_t count;
};

void
cr_zoneclass_map_destroy(struct cr_zoneclass_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->count; i++) {
        free(m->rows[i].folded);
        free(m->rows[i].label);
    }
    free(m->rows);
    free(m);
}

/* "residential_existing, residential_new, ..." into BUF, cut short with "..." */
static void
class_ids(const struct cr_style *s, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < s->zone_count && n + 1 < size; i++) {
        int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", s->zones[i].id);
        if (w < 0 || (size_t)w >= size - n) {
            snprintf(buf + (size > 4 ? size - 4 : 0), size > 4 ? 4 : size, "...");
            return;
        }
        n += (size_t)w;
    }
}

/* Fills ROW from the fields of one CSV row (already checked to hold at least two). */
static enum cr_status
read_row(const char *path, size_t row_no, char **fields, const struct cr_style *s,
         struct map_row *row, struct cr_error *err)
{
    char *cls = cr_ogr_trimmed_copy(fields[1]);
    char *label = fields[2] ? cr_ogr_trimmed_copy(fields[2]) : NULL;
    enum cr_status st = CR_OK;

    row->folded = cr_style_fold(fields[0]);
    if (!cls || !row->folded || (fields[2] && !label)) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    if (!*row->folded) {
        st = cr_error_set(err, CR_EFORMAT, "%s: row %zu: no class value", path, row_no);
        goto done;
    }
    if (cls[0] == '#') {
        if (cr_style_parse_colour(cls, &row->colour)) {
            st = cr_error_set(err, CR_EFORMAT, "%s: row %zu: \"%.40s\" is not a colour (#rrggbb)",
                              path, row_no, cls);
            goto done;
        }
        row->has_colour = 1;
    } else {
        size_t i = 0;
        while (i < s->zone_count && strcasecmp(s->zones[i].id, cls))
            i++;
        if (i == s->zone_count) {
            char ids[160];
            class_ids(s, ids, sizeof ids);
            st = cr_error_set(err, CR_EFORMAT,
                              "%s: row %zu: class \"%.40s\" is not a colour or a class of the "
                              "style (%s)",
                              path, row_no, cls, ids);
            goto done;
        }
        row->style_class = i;
    }
    if (label && *label) {
        row->label = label;
        label = NULL;
    }
done:
    free(cls);
    free(label);
    return st;
}

enum cr_status
cr_zoneclass_map_load(const char *path, const struct cr_style *s, struct cr_zoneclass_map **out,
                      struct cr_error *err)
{
    struct cr_zoneclass_map *m = NULL;
    VSILFILE *fp = NULL;
    char **fields;
    size_t row_no = 0, cap = 0;
    enum cr_status st;

    *out = NULL;
    if ((st = cr_ogr_check_file(path, "class map", err)))
        return st;
    if (!(m = calloc(1, sizeof *m)) || !(fp = VSIFOpenL(path, "rb"))) {
        st = cr_error_set(err, m ? CR_EIO : CR_ENOMEM, "%s: cannot read the class map", path);
        goto fail;
    }
    while ((fields = CSVReadParseLine2L(fp, ',')) != NULL) {
        int n = CSLCount(fields);
        row_no++;
        if (n > 0 && row_no == 1 && !strncmp(fields[0], "\xef\xbb\xbf", 3))
            memmove(fields[0], fields[0] + 3, strlen(fields[0] + 3) + 1); /* a UTF-8 BOM */
        if (n == 0 || (n == 1 && cr_ogr_is_blank(fields[0])) || fields[0][0] == '#') {
            CSLDestroy(fields);
            continue;
        }
        if (row_no == 1 && !strcasecmp(fields[0], "value")) {
            CSLDestroy(fields);
            continue;
        }
        if (n < 2) {
            CSLDestroy(fields);
            st = cr_error_set(err, CR_EFORMAT,
                              "%s: row %zu: want value,class[,label] (class: an id of the "
                              "style or #rrggbb)",
                              path, row_no);
            goto fail;
        }
        if (m->count == cap) {
            size_t c = cap ? cap * 2 : 16;
            struct map_row *r = realloc(m->rows, c * sizeof *r);
            if (!r) {
                CSLDestroy(fields);
                st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
                goto fail;
            }
            m->rows = r;
            cap = c;
        }
        memset(&m->rows[m->count], 0, sizeof *m->rows);
        st = read_row(path, row_no, fields, s, &m->rows[m->count++], err);
        CSLDestroy(fields);
        if (st)
            goto fail;
    }
    VSIFCloseL(fp);
    if (!m->count) {
        cr_zoneclass_map_destroy(m);
        return cr_error_set(err, CR_EEMPTY, "%s: no rows (want value,class[,label])", path);
    }
    *out = m;
    return CR_OK;
fail:
    if (fp)
        VSIFCloseL(fp);
    cr_zoneclass_map_destroy(m);
    return st;
}

static const struct map_row *
map_find(const struct cr_zoneclass_map *m, const char *folded)
{
    for (size_t i = 0; m && i < m->count; i++)
        if (!strcmp(m->rows[i].folded, folded))
            return &m->rows[i];
    return NULL;
}

/* ---- colours ----------------------------------------------------------------------------------
 */

struct lab {
    double l, a, b;
};

static double
linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double
gamma_of(double c)
{
    c = c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055;
    return fmin(fmax(c, 0), 1);
}

static double
lab_f(double t)
{
    return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

static double
lab_finv(double f)
{
    return f * f * f > 216.0 / 24389 ? f * f * f : (116 * f - 16) * 27 / 24389;
}

/* sRGB to CIE L*a*b* (D65) and back */
static struct lab
to_lab(struct cr_rgba c)
{
    double r = linear(c.r), g = linear(c.g), b = linear(c.b);
    double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    double fx = lab_f(x), fy = lab_f(y), fz = lab_f(z);
    return (struct lab){ 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz) };
}

static struct cr_rgba
from_lab(struct lab p, double alpha)
{
    double fy = (p.l + 16) / 116, fx = fy + p.a / 500, fz = fy - p.b / 200;
    double x = lab_finv(fx) * 0.95047, y = lab_finv(fy), z = lab_finv(fz) * 1.08883;
    double r = 3.2406 * x - 1.5372 * y - 0.4986 * z;
    double g = -0.9689 * x + 1.8758 * y + 0.0415 * z;
    double b = 0.0557 * x - 0.2040 * y + 1.0570 * z;
    /* whole 8-bit steps, as every output format stores them */
    return (struct cr_rgba){ round(gamma_of(r) * 255) / 255, round(gamma_of(g) * 255) / 255,
                             round(gamma_of(b) * 255) / 255, alpha };
}

static double
delta_e(struct lab p, struct lab q)
{
    return sqrt((p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b));
}

/* Variant V of BASE: 0 is BASE; then darker and lighter by steps of L* (-14, +12, -28, +24,
 * -42, +36), and again with the hue turned by 30 degrees more each round of six. */
static struct cr_rgba
variant(struct cr_rgba base, unsigned v)
{
    static const double dl[6] = { -14, 12, -28, 24, -42, 36 };
    struct lab p;
    double turn, ca, sa, a;

    if (v == 0)
        return base;
    p = to_lab(base);
    turn = (double)((v - 1) / 6) * M_PI / 6;
    ca = cos(turn);
    sa = sin(turn);
    p.l = fmin(fmax(p.l + dl[(v - 1) % 6], 8), 97);
    a = p.a;
    p.a = a * ca - p.b * sa;
    p.b = a * sa + p.b * ca;
    return from_lab(p, base.a);
}

/* The colours taken so far, as L*a*b*. */
struct used {
    struct lab *c;
    size_t count;
};

/* Past this many colours none is far from all the others any more: stop looking. */
#define MAX_DISTINCT 512

static int
too_close(const struct used *u, struct cr_rgba c)
{
    struct lab p = to_lab(c);
    for (size_t i = 0; i < u->count && u->count < MAX_DISTINCT; i++)
        if (delta_e(u->c[i], p) < MIN_DELTA_E)
            return 1;
    return 0;
}

static void
take(struct used *u, struct cr_rgba c)
{
    u->c[u->count++] = to_lab(c);
}

/* The first of the variants of BASE far enough from every colour taken (BASE itself when it
 * is), taken. */
static struct cr_rgba
take_distinct(struct used *u, struct cr_rgba base)
{
    struct cr_rgba c = base;
    for (unsigned v = 0; v < 48; v++) {
        c = variant(base, v);
        if (!too_close(u, c))
            break;
    }
    take(u, c);
    return c;
}

/* ---- the set ----------------------------------------------------------------------------------
 */

void
cr_zoneclass_fini(struct cr_zoneclass_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free(set->classes[i].value);
        free(set->classes[i].label);
    }
    for (size_t i = 0; i < set->value_count; i++)
        free(set->values[i].value);
    free(set->classes);
    free(set->values);
    memset(set, 0, sizeof *set);
}

static int
by_value(const void *a, const void *b)
{
    const struct cr_zoneclass_value *x = a, *y = b;
    return strcmp(x->value, y->value);
}

static int
by_area(const void *a, const void *b)
{
    const struct cr_zoneclass *x = a, *y = b;
    if (x->area_m2 != y->area_m2)
        return x->area_m2 < y->area_m2 ? 1 : -1;
    return strcmp(x->value, y->value);
}

static int
styled(const struct cr_zoneclass *c)
{
    return c->how == CR_ZONECLASS_STYLE || c->how == CR_ZONECLASS_KEYWORD ||
           c->how == CR_ZONECLASS_MAP;
}

/* the legend's order: the style's classes in its order (the largest value first in each), then
 * the rest by area */
static int
by_legend(const void *a, const void *b)
{
    const struct cr_zoneclass *x = a, *y = b;
    if (styled(x) != styled(y))
        return styled(x) ? -1 : 1;
    if (styled(x) && x->style_class != y->style_class)
        return x->style_class < y->style_class ? -1 : 1;
    return by_area(a, b);
}

/* Whether the folded VALUE already says what LABEL says: LABEL whole, or one of its parts
 * between " · " ("Mặt nước · Water" says "water"). */
static int
label_says(const char *label, const char *value)
{
    char *fv = cr_style_fold(value), part[256];
    const char *p = label;
    int same = 0;

    while (fv && !same && p) {
        const char *dot = strstr(p, " · ");
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        snprintf(part, sizeof part, "%.*s", (int)(n < sizeof part ? n : sizeof part - 1), p);
        char *fp = cr_style_fold(part);
        same = fp && !strcmp(fp, fv);
        free(fp);
        p = dot ? dot + strlen(" · ") : NULL;
    }
    if (fv && !same) {
        char *fl = cr_style_fold(label);
        same = fl && !strcmp(fl, fv);
        free(fl);
    }
    free(fv);
    return same;
}

/* The legend's words for C: the value as the data spells it, with the style's class after it
 * when they differ; a map's own label when it gives one. */
static char *
label_of(const struct cr_style *s, const struct cr_zoneclass *c, const struct map_row *row)
{
    const char *cl = s->zones[c->style_class].label;
    char *out;
    size_t n;

    if (row && row->label)
        return strdup(row->label);
    if (!styled(c))
        return strdup(c->value);
    if (label_says(cl, c->value))
        return strdup(cl);
    n = strlen(c->value) + strlen(cl) + 4;
    if ((out = malloc(n)))
        snprintf(out, n, "%s (%s)", c->value, cl);
    return out;
}

/* Sorts the entries, lumps the smallest into "Other" when there are more than MAX, appends
 * "Other" and gives the colours. */
static enum cr_status
arrange(const struct cr_style *s, size_t max, struct cr_zoneclass_set *set,
        struct cr_zoneclass *other, struct cr_error *err)
{
    struct used u = { calloc(set->count + 2, sizeof *u.c), 0 };
    size_t next = 0, kept = set->count;

    if (!u.c)
        return cr_error_set(err, CR_ENOMEM, "zoning classes: out of memory");
    if (max && set->count > max) {
        qsort(set->classes, set->count, sizeof *set->classes, by_area);
        for (size_t i = max; i < set->count; i++) {
            other->zones += set->classes[i].zones;
            other->area_m2 += set->classes[i].area_m2;
            free(set->classes[i].value);
            free(set->classes[i].label);
        }
        kept = max;
    }
    set->count = kept;
    qsort(set->classes, set->count, sizeof *set->classes, by_legend);
    set->classes[set->count++] = *other;
    /* "Other" (when drawn) and the map's own colours first, so no automatic colour comes near
     * them */
    if (other->zones)
        take(&u, other->fill);
    for (size_t i = 0; i + 1 < set->count; i++)
        if (set->classes[i].how == CR_ZONECLASS_COLOUR)
            take(&u, set->classes[i].fill);
    for (size_t i = 0; i + 1 < set->count; i++) {
        struct cr_zoneclass *c = &set->classes[i];
        if (styled(c)) {
            c->fill = take_distinct(&u, s->zones[c->style_class].fill);
        } else if (c->how == CR_ZONECLASS_PALETTE) {
            /* the palette in turn, skipping colours too near one taken; then its shades */
            size_t pc = s->zone_palette_count ? s->zone_palette_count : 1;
            struct cr_rgba base = s->zone_palette_count ? s->zone_palette[0] : s->zones[0].fill;
            for (;; next++) {
                struct cr_rgba p = s->zone_palette_count ? s->zone_palette[next % pc] : base;
                c->fill = variant(p, (unsigned)(next / pc));
                if (!too_close(&u, c->fill) || next > 48 * pc)
                    break;
            }
            next++;
            take(&u, c->fill);
        }
    }
    free(u.c);
    return CR_OK;
}

enum cr_status
cr_zoneclass_build(const struct cr_style *s, const struct cr_zone_class *classes,
                   size_t class_count, const struct cr_zoneclass_map *map, size_t max_classes,
                   struct cr_zoneclass_set *set, struct cr_error *err)
{
    size_t other_index = s->zone_count ? s->zone_count - 1 : 0;
    struct cr_zoneclass other = { 0 };
    const struct map_row **rows = NULL;
    struct cr_zoneclass_value *by_name = NULL;
    enum cr_status st = CR_OK;

    memset(set, 0, sizeof *set);
    if (!s->zone_count)
        return cr_error_set(err, CR_EINVAL, "zoning classes: the style has none");
    other.style_class = other_index;
    other.how = CR_ZONECLASS_OTHER;
    other.fill = s->zones[other_index].fill;
    set->classes = calloc(class_count + 1, sizeof *set->classes);
    set->values = calloc(class_count ? class_count : 1, sizeof *set->values);
    rows = calloc(class_count + 1, sizeof *rows);
    if (!set->classes || !set->values || !rows)
        goto oom;
    /* one entry per value that is not "other" */
    for (size_t i = 0; i < class_count; i++) {
        const char *v = classes[i].cls ? classes[i].cls : "";
        struct cr_zoneclass c = { .zones = classes[i].count, .area_m2 = classes[i].area_m2 };
        char *folded = cr_style_fold(v);
        const struct map_row *row = folded ? map_find(map, folded) : NULL;
        int recognised = 0, failed = !folded;
        free(folded);
        if (failed || !(set->values[set->value_count].value = strdup(v)))
            goto oom;
        set->value_count++;
        if (row && row->has_colour) {
            c.how = CR_ZONECLASS_COLOUR;
            c.style_class = other_index;
            c.fill = row->colour;
        } else if (row) {
            c.how = CR_ZONECLASS_MAP;
            c.style_class = row->style_class;
        } else {
            c.style_class = cr_style_zone_class(s, v, &recognised);
            c.how = recognised == 1   ? CR_ZONECLASS_STYLE
                    : recognised == 2 ? CR_ZONECLASS_KEYWORD
                                      : CR_ZONECLASS_PALETTE;
        }
        if (!*v || (c.how != CR_ZONECLASS_COLOUR && c.how != CR_ZONECLASS_PALETTE &&
                    c.style_class == other_index)) {
            other.zones += c.zones;
            other.area_m2 += c.area_m2;
            continue;
        }
        if (!(c.value = strdup(v)))
            goto oom;
        rows[set->count] = row;
        set->classes[set->count++] = c;
    }
    /* labels before sorting (the rows are in the entries' first order) */
    for (size_t i = 0; i < set->count; i++)
        if (!(set->classes[i].label = label_of(s, &set->classes[i], rows[i])))
            goto oom;
    if (!(other.label = strdup(s->zones[other_index].label)))
        goto oom;
    if ((st = arrange(s, max_classes, set, &other, err)))
        goto fail;
    other.label = NULL; /* the set's now */
    /* each value's entry, found again by value after the sort (entries with a value are
     * unique by it: one per value) */
    free(rows);
    rows = NULL;
    by_name = calloc(set->count, sizeof *by_name);
    if (!by_name)
        goto oom;
    for (size_t e = 0; e + 1 < set->count; e++)
        by_name[e] = (struct cr_zoneclass_value){ set->classes[e].value, e };
    qsort(by_name, set->count - 1, sizeof *by_name, by_value);
    for (size_t i = 0; i < set->value_count; i++) {
        struct cr_zoneclass_value *v = &set->values[i];
        const struct cr_zoneclass_value *hit =
            set->count > 1 ? bsearch(v, by_name, set->count - 1, sizeof *v, by_value) : NULL;
        v->entry = hit ? hit->entry : set->count - 1;
    }
    qsort(set->values, set->value_count, sizeof *set->values, by_value);
    free(by_name);
    return CR_OK;
oom:
    st = cr_error_set(err, CR_ENOMEM, "zoning classes: out of memory");
fail:
    free(other.label);
    free(rows);
    free(by_name);
    cr_zoneclass_fini(set);
    return st;
}

size_t
cr_zoneclass_of(const struct cr_zoneclass_set *set, const char *value)
{
    struct cr_zoneclass_value key = { (char *)(value ? value : ""), 0 };
    const struct cr_zoneclass_value *v =
        set->value_count ? bsearch(&key, set->values, set->value_count, sizeof key, by_value)
                         : NULL;
    return v ? v->entry : set->count ? set->count - 1 : 0;
}

static int
by_entry(const void *a, const void *b)
{
    const struct cr_zoneclass_value *x = a, *y = b;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    return strcmp(x->value, y->value);
}

struct cr_zoneclass_value *
cr_zoneclass_legend_values(const struct cr_zoneclass_set *set, size_t *count)
{
    struct cr_zoneclass_value *order =
        malloc((set->value_count ? set->value_count : 1) * sizeof *order);
    size_t n = 0;

    *count = 0;
    if (!order)
        return NULL;
    if (set->value_count)
        memcpy(order, set->values, set->value_count * sizeof *order);
    qsort(order, set->value_count, sizeof *order, by_entry);
    for (size_t i = 0; i < set->value_count; i++)
        if (*order[i].value)
            order[n++] = order[i];
    *count = n;
    return order;
}
