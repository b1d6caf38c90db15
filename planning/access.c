#include "planning/access.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* All of TEXT (up to END, or the string's end when END is NULL) as a finite number. */
static int
parse_number(const char *text, const char *end, double *out)
{
    char buf[64], *stop;
    size_t n = end ? (size_t)(end - text) : strlen(text);

    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    errno = 0;
    *out = strtod(buf, &stop);
    return *stop || errno || !isfinite(*out) ? -1 : 0;
}

enum cr_status
cr_access_source_parse(const char *text, struct cr_access_source *out, struct cr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return cr_error_set(err, CR_EINVAL, "--opportunities: empty: want a field or area:CLASS");
    if (strncmp(text, "area:", 5) != 0) {
        if (strlen(text) >= sizeof out->field)
            return cr_error_set(err, CR_EINVAL, "--opportunities %.40s...: name too long", text);
        snprintf(out->field, sizeof out->field, "%s", text);
        snprintf(out->label, sizeof out->label, "%s", text);
        return CR_OK;
    }
    out->area = 1;
    const char *p = text + 5;
    if (!strcmp(p, "*")) {
        snprintf(out->label, sizeof out->label, "land area in ha (every class), a proxy, not jobs");
        return CR_OK;
    }
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == 0)
            return cr_error_set(err, CR_EINVAL, "--opportunities %s: an empty class", text);
        if (out->class_count == CR_ACCESS_MAX_CLASSES || n >= sizeof out->classes[0])
            return cr_error_set(err, CR_EINVAL,
                                "--opportunities %s: too many or too long classes "
                                "(at most %d of 63 bytes)",
                                text, CR_ACCESS_MAX_CLASSES);
        memcpy(out->classes[out->class_count], p, n);
        out->classes[out->class_count++][n] = '\0';
        p += n + (comma ? 1 : 0);
        if (comma && !*p)
            return cr_error_set(err, CR_EINVAL, "--opportunities %s: an empty class", text);
    }
    if (!out->class_count)
        return cr_error_set(err, CR_EINVAL, "--opportunities %s: want area:CLASS[,CLASS...]", text);
    snprintf(out->label, sizeof out->label, "%s land area in ha, a proxy, not jobs", text + 5);
    return CR_OK;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum cr_status
cr_access_parse_minutes(const char *text, struct cr_access_options *o, struct cr_error *err)
{
    const char *p = text ? text : "";
    size_t n = 0;

    do {
        const char *comma = strchr(p, ',');
        double m;
        if (parse_number(p, comma, &m) || !(m > 0) || m > CR_ACCESS_MAX_MINUTES)
            return cr_error_set(err, CR_EINVAL,
                                "--minutes %s: want minutes in (0, 1440] separated by commas",
                                text ? text : "");
        if (n == CR_ACCESS_MAX_THRESHOLDS)
            return cr_error_set(err, CR_EINVAL, "--minutes %s: more than %d thresholds", text,
                                CR_ACCESS_MAX_THRESHOLDS);
        o->minutes[n++] = m;
        p = comma ? comma + 1 : NULL;
    } while (p);
    qsort(o->minutes, n, sizeof o->minutes[0], cmp_double);
    for (size_t i = 1; i < n; i++)
        if (o->minutes[i] == o->minutes[i - 1])
            return cr_error_set(err, CR_EINVAL, "--minutes %s: %g given twice", text,
                                o->minutes[i]);
    o->threshold_count = n;
    return CR_OK;
}

enum cr_status
cr_access_parse_decay(const char *text, struct cr_access_decay *out, struct cr_error *err)
{
    const char *colon = text ? strchr(text, ':') : NULL;
    double v;

    out->kind = CR_DECAY_NONE;
    out->param = 0;
    if (colon && parse_number(colon + 1, NULL, &v) == 0 && v > 0) {
        size_t n = (size_t)(colon - text);
        if (n == 3 && !strncmp(text, "exp", 3))
            out->kind = CR_DECAY_EXP;
        else if (n == 5 && !strncmp(text, "power", 5))
            out->kind = CR_DECAY_POWER;
        out->param = v;
    }
    if (out->kind == CR_DECAY_NONE)
        return cr_error_set(err, CR_EINVAL,
                            "--decay %s: want exp:BETA or power:ALPHA with a positive number",
                            text ? text : "");
    return CR_OK;
}

double
cr_access_decay_value(const struct cr_access_decay *d, double t_min)
{
    switch (d->kind) {
    case CR_DECAY_EXP:
        return exp(-d->param * t_min);
    case CR_DECAY_POWER:
        return pow(t_min > 1 ? t_min : 1, -d->param);
    case CR_DECAY_NONE:
        break;
    }
    return 1;
}

void
cr_access_threshold_name(double m, char *buf, size_t size)
{
    snprintf(buf, size, "%gmin", m);
    for (char *c = buf; *c; c++)
        if (*c == '.')
            *c = '_';
}

/* Whether class CLS is one of SRC's (every class when SRC lists none). */
static int
class_counts(const struct cr_access_source *src, const char *cls)
{
    if (!src->class_count)
        return 1;
    for (size_t i = 0; i < src->class_count; i++)
        if (cls && !strcmp(cls, src->classes[i]))
            return 1;
    return 0;
}

enum cr_status
cr_access_opportunities(const struct cr_zones *z, const struct cr_access_source *src, double *out,
                        size_t *missing, struct cr_error *err)
{
    const char *path = z->source_path ? z->source_path : "zones";
    size_t numbers = 0;

    *missing = 0;
    if (src->area) {
        if (!z->class_field && src->class_count)
            return cr_error_set(err, CR_EINVAL,
                                "%s: --opportunities area:...: the zones have no class (give "
                                "--class-field)",
                                path);
        for (size_t i = 0; i < z->count; i++)
            out[i] = class_counts(src, z->zones[i].cls) ? z->zones[i].area_m2 / 1e4 : 0;
        return CR_OK;
    }
    if (z->value_count < 1 || strcmp(z->value_names[0], src->field) != 0)
        return cr_error_set(err, CR_EINTERNAL, "%s: the zones do not carry field %s", path,
                            src->field);
    if (z->values_not_numeric)
        return cr_error_set(err, CR_EINVAL,
                            "%s: field %s is not numeric: %zu zones hold text that is not a number",
                            path, src->field, z->values_not_numeric);
    for (size_t i = 0; i < z->count; i++) {
        double v = z->zones[i].values[0];
        if (isnan(v)) {
            out[i] = 0;
            ++*missing;
            continue;
        }
        if (v < 0)
            return cr_error_set(err, CR_EINVAL, "%s: zone %lld: field %s is %g, below 0", path,
                                (long long)z->zones[i].fid, src->field, v);
        out[i] = v;
        numbers++;
    }
    if (!numbers)
        return cr_error_set(err, CR_EINVAL, "%s: field %s holds no number in any of %zu zones",
                            path, src->field, z->count);
    return CR_OK;
}

void
cr_access_fini(struct cr_access_result *a)
{
    if (!a)
        return;
    free(a->opportunities);
    free(a->within);
    free(a->gravity);
    free(a->placed);
    memset(a, 0, sizeof *a);
}

/* Zone I's row: every J it reaches (itself at 0 minutes) adds to its thresholds and gravity. */
static void
zone_row(const struct cr_skim *s, const double *opp, const struct cr_access_options *o, size_t i,
         struct cr_access_result *a)
{
    double *within = &a->within[i * a->thresholds], gravity = 0;

    for (size_t j = 0; j < s->count; j++) {
        double t;
        if (j == i)
            t = 0; /* the intra-zonal rule */
        else if (cr_skim_cell_status(s, i, j) == CR_SKIM_OK)
            t = s->cells[i * s->count + j].duration_s / 60.0;
        else
            continue;
        if (!(opp[j] > 0))
            continue;
        for (size_t k = 0; k < a->thresholds; k++)
            if (t <= o->minutes[k])
                within[k] += opp[j];
        gravity += opp[j] * cr_access_decay_value(&o->decay, t);
    }
    if (a->gravity)
        a->gravity[i] = gravity;
}

enum cr_status
cr_access_compute(const struct cr_skim *s, const double *opp, const struct cr_access_options *o,
                  struct cr_access_result *out, struct cr_error *err)
{
    size_t n = s->count, k = o->threshold_count;

    memset(out, 0, sizeof *out);
    if (k == 0 || k > CR_ACCESS_MAX_THRESHOLDS)
        return cr_error_set(err, CR_EINVAL, "accessibility: %zu thresholds, want 1 to %d", k,
                            CR_ACCESS_MAX_THRESHOLDS);
    out->count = n;
    out->thresholds = k;
    out->opportunities = malloc((n ? n : 1) * sizeof *out->opportunities);
    out->within = calloc(n ? n * k : 1, sizeof *out->within);
    out->placed = calloc(n ? n : 1, sizeof *out->placed);
    if (o->decay.kind != CR_DECAY_NONE)
        out->gravity = calloc(n ? n : 1, sizeof *out->gravity);
    if (!out->opportunities || !out->within || !out->placed ||
        (o->decay.kind != CR_DECAY_NONE && !out->gravity)) {
        cr_access_fini(out);
        return cr_error_set(err, CR_ENOMEM, "accessibility of %zu zones: out of memory", n);
    }
    for (size_t i = 0; i < n; i++) {
        out->opportunities[i] = opp[i];
        out->placed[i] = s->points[i].placed;
        zone_row(s, opp, o, i, out);
    }
    return CR_OK;
}
