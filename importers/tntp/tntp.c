/*
 * TNTP net, trips and flow files. Each is read whole into one NUL-terminated buffer, then walked
 * line by line (lines are cut in place at '\n', a '\r' before it dropped), so every message can
 * name its line.
 */
#include "importers/tntp/tntp.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_META 16
#define NET_FIELDS 10

struct meta {
    const char *key[MAX_META], *value[MAX_META];
    uint32_t line[MAX_META];
    int count;
};

/* A file being read: its text, where the next line starts, the current line's number. */
struct text {
    const char *path;
    char *buf, *next;
    uint32_t line;
};

static enum cr_status
text_load(struct text *t, const char *path, struct cr_error *err)
{
    FILE *f = fopen(path, "rb");
    long size;

    memset(t, 0, sizeof *t);
    t->path = path;
    if (!f)
        return cr_error_set(err, CR_EIO, "%s: cannot open: %s", path, strerror(errno));
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
        fclose(f);
        return cr_error_set(err, CR_EIO, "%s: cannot read (not a regular file?)", path);
    }
    if ((size_t)size > CR_TNTP_MAX_BYTES) {
        fclose(f);
        return cr_error_set(err, CR_ENOMEM, "%s: larger than %zu bytes", path,
                            (size_t)CR_TNTP_MAX_BYTES);
    }
    if (!(t->buf = malloc((size_t)size + 1))) {
        fclose(f);
        return cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
    }
    if (fread(t->buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(t->buf);
        t->buf = NULL;
        return cr_error_set(err, CR_EIO, "%s: read error", path);
    }
    fclose(f);
    t->buf[size] = '\0';
    t->next = t->buf;
    return CR_OK;
}

/* The next line (cut in place, without its line break) or NULL at the end. */
static char *
next_line(struct text *t)
{
    char *s = t->next, *nl;
    size_t n;

    if (!s || !*s)
        return NULL;
    nl = strchr(s, '\n');
    if (nl) {
        *nl = '\0';
        t->next = nl + 1;
    } else {
        t->next = s + strlen(s);
    }
    n = strlen(s);
    if (n > 0 && s[n - 1] == '\r')
        s[n - 1] = '\0';
    t->line++;
    return s;
}

static char *
skip_blanks(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\f' || *s == '\v')
        s++;
    return s;
}

/* S without surrounding blanks (cut in place). */
static char *
trim(char *s)
{
    char *e;
    s = skip_blanks(s);
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Blank or a `~` comment. */
static int
is_skipped(char *s)
{
    s = skip_blanks(s);
    return *s == '\0' || *s == '~';
}

/* S (a whole token) as a finite number. */
static int
parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *skip_blanks(end) != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* S as a whole number in 1 .. MAX. */
static int
parse_id(const char *s, uint32_t max, uint32_t *out)
{
    double v;
    if (parse_number(s, &v) || v != floor(v) || v < 1 || v > max)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* Metadata lines up to <END OF METADATA>, keys and values cut in place. */
static enum cr_status
read_metadata(struct text *t, struct meta *m, struct cr_error *err)
{
    char *s;

    memset(m, 0, sizeof *m);
    while ((s = next_line(t))) {
        char *close;
        s = skip_blanks(s);
        if (*s == '\0')
            continue;
        if (*s != '<' || !(close = strchr(s, '>')))
            return cr_error_set(err, CR_EFORMAT,
                                "%s: line %u: want a <KEY> value metadata line (or "
                                "<END OF METADATA>)",
                                t->path, t->line);
        *close = '\0';
        if (strcasecmp(s + 1, "END OF METADATA") == 0)
            return CR_OK;
        if (m->count == MAX_META)
            continue; /* more keys than any TNTP file has: the known ones come first */
        char *v = trim(close + 1);
        m->key[m->count] = s + 1;
        m->value[m->count] = v;
        m->line[m->count] = t->line;
        m->count++;
    }
    return cr_error_set(err, CR_EFORMAT, "%s: no <END OF METADATA> line (not a TNTP file?)",
                        t->path);
}

/* KEY's value as a number: *out, 1 when found, 0 when absent (then an error if REQUIRED). */
static enum cr_status
meta_number(const struct text *t, const struct meta *m, const char *key, int required, double *out,
            struct cr_error *err)
{
    for (int i = 0; i < m->count; i++) {
        if (strcasecmp(m->key[i], key) != 0)
            continue;
        if (parse_number(m->value[i], out))
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: <%s> \"%s\" is not a number",
                                t->path, m->line[i], key, m->value[i]);
        return CR_OK;
    }
    if (required)
        return cr_error_set(err, CR_EFORMAT, "%s: no <%s> in the metadata", t->path, key);
    *out = 0;
    return CR_OK;
}

/* KEY's value as a count in MIN .. MAX. */
static enum cr_status
meta_count(const struct text *t, const struct meta *m, const char *key, uint32_t min, uint32_t max,
           uint32_t *out, struct cr_error *err)
{
    double v = 0;
    enum cr_status st = meta_number(t, m, key, 1, &v, err);
    if (st)
        return st;
    if (v != floor(v) || v < min || v > max)
        return cr_error_set(err, CR_EFORMAT, "%s: <%s> %.17g is not a whole number in %u..%u",
                            t->path, key, v, min, max);
    *out = (uint32_t)v;
    return CR_OK;
}

void
cr_tntp_net_fini(struct cr_tntp_net *n)
{
    if (!n)
        return;
    free(n->links);
    memset(n, 0, sizeof *n);
}

void
cr_tntp_trips_fini(struct cr_tntp_trips *t)
{
    if (!t)
        return;
    free(t->trips);
    memset(t, 0, sizeof *t);
}

void
cr_tntp_flow_fini(struct cr_tntp_flow *f)
{
    if (!f)
        return;
    free(f->rows);
    memset(f, 0, sizeof *f);
}

/* Cuts S into at most MAX whitespace-separated tokens up to a `;` (which ends the row):
 * the count, MAX + 1 when there are more. *ended tells whether a `;` was seen. */
static int
split_row(char *s, char **tok, int max, int *ended)
{
    int n = 0;
    *ended = 0;
    for (;;) {
        while (*s && isspace((unsigned char)*s))
            s++;
        if (!*s)
            return n;
        if (*s == ';') {
            *ended = 1;
            return n;
        }
        if (n == max)
            return max + 1;
        tok[n++] = s;
        while (*s && !isspace((unsigned char)*s) && *s != ';')
            s++;
        if (*s == ';') {
            *s = '\0';
            *ended = 1;
            return n;
        }
        if (*s)
            *s++ = '\0';
    }
}

static const char *const net_fields[NET_FIELDS] = {
    "init_node", "term_node", "capacity", "length", "free_flow_time",
    "b",         "power",     "speed",    "toll",   "link_type",
};

static enum cr_status
net_row(const struct text *t, const struct cr_tntp_net *n, char *s, struct cr_tntp_link *l,
        struct cr_error *err)
{
    char *tok[NET_FIELDS];
    double v[NET_FIELDS];
    int ended, k = split_row(s, tok, NET_FIELDS, &ended);

    if (k > NET_FIELDS)
        return cr_error_set(err, CR_EFORMAT, "%s: line %u: more than %d fields before ';'", t->path,
                            t->line, NET_FIELDS);
    if (k < NET_FIELDS)
        return cr_error_set(err, CR_EFORMAT, "%s: line %u: no %s field (%d of %d)", t->path,
                            t->line, net_fields[k], k, NET_FIELDS);
    if (!ended)
        return cr_error_set(err, CR_EFORMAT, "%s: line %u: row does not end with ';'", t->path,
                            t->line);
    for (int i = 0; i < 2; i++)
        if (parse_id(tok[i], n->node_count, i ? &l->term_node : &l->init_node))
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: %s \"%s\" not a node in 1..%u",
                                t->path, t->line, net_fields[i], tok[i], n->node_count);
    for (int i = 2; i < NET_FIELDS; i++) {
        if (parse_number(tok[i], &v[i]))
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: %s \"%s\" is not a number", t->path,
                                t->line, net_fields[i], tok[i]);
        if (v[i] < 0 || (i == 2 && v[i] == 0))
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: %s %.17g must be %s", t->path,
                                t->line, net_fields[i], v[i], i == 2 ? "> 0" : ">= 0");
    }
    l->line = t->line;
    l->capacity = v[2];
    l->length = v[3];
    l->free_flow_time = v[4];
    l->b = v[5];
    l->power = v[6];
    l->speed = v[7];
    l->toll = v[8];
    l->link_type = v[9] <= INT32_MAX ? (int32_t)v[9] : INT32_MAX;
    return CR_OK;
}

static enum cr_status
net_metadata(struct text *t, struct cr_tntp_net *n, struct cr_error *err)
{
    struct meta m;
    enum cr_status st;

    if ((st = read_metadata(t, &m, err)) ||
        (st = meta_count(t, &m, "NUMBER OF ZONES", 1, CR_TNTP_MAX_ZONES, &n->zone_count, err)) ||
        (st = meta_count(t, &m, "NUMBER OF NODES", n->zone_count, UINT32_MAX - 1, &n->node_count,
                         err)) ||
        (st = meta_count(t, &m, "FIRST THRU NODE", 1, n->node_count, &n->first_thru_node, err)) ||
        (st = meta_count(t, &m, "NUMBER OF LINKS", 1, UINT32_MAX - 1, &n->link_count, err)) ||
        (st = meta_number(t, &m, "TOLL FACTOR", 0, &n->toll_factor, err)) ||
        (st = meta_number(t, &m, "DISTANCE FACTOR", 0, &n->distance_factor, err)))
        return st;
    if (n->toll_factor < 0 || n->distance_factor < 0)
        return cr_error_set(err, CR_EFORMAT, "%s: <TOLL FACTOR> and <DISTANCE FACTOR> must be >= 0",
                            t->path);
    /* a link row is at least 20 bytes: a count the file cannot hold is a wrong header */
    if ((size_t)n->link_count > strlen(t->next) / 20 + 1)
        return cr_error_set(err, CR_EFORMAT, "%s: <NUMBER OF LINKS> %u but the file is too short",
                            t->path, n->link_count);
    return CR_OK;
}

enum cr_status
cr_tntp_net_read(const char *path, struct cr_tntp_net *out, struct cr_error *err)
{
    struct cr_tntp_net n = { 0 };
    struct text t;
    enum cr_status st;
    uint32_t count = 0;
    char *s;

    memset(out, 0, sizeof *out);
    if ((st = text_load(&t, path, err)))
        return st;
    if ((st = net_metadata(&t, &n, err)))
        goto done;
    if (!(n.links = calloc(n.link_count, sizeof *n.links))) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    while ((s = next_line(&t))) {
        if (is_skipped(s))
            continue;
        if (count == n.link_count) {
            st = cr_error_set(err, CR_EFORMAT, "%s: line %u: more links than <NUMBER OF LINKS> %u",
                              path, t.line, n.link_count);
            goto done;
        }
        if ((st = net_row(&t, &n, s, &n.links[count], err)))
            goto done;
        count++;
    }
    if (count != n.link_count)
        st = cr_error_set(err, CR_EFORMAT, "%s: %u links but <NUMBER OF LINKS> is %u", path, count,
                          n.link_count);
done:
    free(t.buf);
    if (st)
        cr_tntp_net_fini(&n);
    else
        *out = n;
    return st;
}

/* ---- trips ---------------------------------------------------------------------------- */

/* One `Origin o` line or a line of `d : trips;` items into T. *origin is the current one. */
static enum cr_status
trips_line(const struct text *t, struct cr_tntp_trips *tr, char *s, uint32_t *origin,
           struct cr_error *err)
{
    const uint32_t z = tr->zone_count;
    s = skip_blanks(s);
    if (strncasecmp(s, "Origin", 6) == 0) {
        char *v = trim(s + 6);
        if (parse_id(v, z, origin))
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: origin \"%s\" not a zone in 1..%u",
                                t->path, t->line, v, z);
        return CR_OK;
    }
    while (*(s = skip_blanks(s))) {
        char *colon = strchr(s, ':'), *semi;
        uint32_t d;
        double v;
        if (!*origin)
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: trips before any \"Origin\" line",
                                t->path, t->line);
        if (!colon || !(semi = strchr(colon, ';')))
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: want \"destination : trips;\" items",
                                t->path, t->line);
        *colon = *semi = '\0';
        char *dest = trim(s), *value = trim(colon + 1);
        if (parse_id(dest, z, &d))
            return cr_error_set(err, CR_EFORMAT,
                                "%s: line %u: destination \"%s\" not a zone in 1..%u", t->path,
                                t->line, dest, z);
        if (parse_number(value, &v))
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: trips to %u \"%s\" not a number",
                                t->path, t->line, d, value);
        if (v < 0)
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: negative trips %g from %u to %u",
                                t->path, t->line, v, *origin, d);
        double *cell = &tr->trips[(size_t)(*origin - 1) * z + (d - 1)];
        if (*cell != 0 || signbit(*cell))
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: trips from %u to %u given twice",
                                t->path, t->line, *origin, d);
        *cell = v == 0 ? -0.0 : v; /* -0.0 marks "given" */
        tr->sum += v;
        s = semi + 1;
    }
    return CR_OK;
}

enum cr_status
cr_tntp_trips_read(const char *path, struct cr_tntp_trips *out, struct cr_error *err)
{
    struct cr_tntp_trips tr = { 0 };
    struct text t;
    struct meta m;
    enum cr_status st;
    uint32_t origin = 0;
    char *s;

    memset(out, 0, sizeof *out);
    if ((st = text_load(&t, path, err)))
        return st;
    if ((st = read_metadata(&t, &m, err)) ||
        (st = meta_count(&t, &m, "NUMBER OF ZONES", 1, CR_TNTP_MAX_ZONES, &tr.zone_count, err)) ||
        (st = meta_number(&t, &m, "TOTAL OD FLOW", 1, &tr.total_od_flow, err)))
        goto done;
    if (!(tr.trips = calloc((size_t)tr.zone_count * tr.zone_count, sizeof *tr.trips))) {
        st = cr_error_set(err, CR_ENOMEM, "%s: out of memory for %u zones", path, tr.zone_count);
        goto done;
    }
    while ((s = next_line(&t)))
        if (!is_skipped(s) && (st = trips_line(&t, &tr, s, &origin, err)))
            goto done;
    for (size_t i = 0; i < (size_t)tr.zone_count * tr.zone_count; i++)
        tr.trips[i] = fabs(tr.trips[i]);
    if (fabs(tr.sum - tr.total_od_flow) > 1e-4 * fmax(fabs(tr.total_od_flow), 1))
        st = cr_error_set(err, CR_EFORMAT, "%s: trips add up to %.17g but <TOTAL OD FLOW> is %.17g",
                          path, tr.sum, tr.total_od_flow);
done:
    free(t.buf);
    if (st)
        cr_tntp_trips_fini(&tr);
    else
        *out = tr;
    return st;
}

/* ---- flow ----------------------------------------------------------------------------- */

static enum cr_status
flow_header(struct text *t, struct cr_error *err)
{
    static const char *const want[4] = { "From", "To", "Volume", "Cost" };
    char *s, *tok[4];
    int ended, k;

    while ((s = next_line(t)) && is_skipped(s))
        ;
    if (!s)
        return cr_error_set(err, CR_EEMPTY, "%s: empty (want a From To Volume Cost header)",
                            t->path);
    k = split_row(s, tok, 4, &ended);
    for (int i = 0; i < 4; i++)
        if (k != 4 || strcasecmp(tok[i], want[i]) != 0)
            return cr_error_set(err, CR_EFORMAT,
                                "%s: line %u: want the header \"From To Volume Cost\"", t->path,
                                t->line);
    return CR_OK;
}

static enum cr_status
flow_row(const struct text *t, char *s, struct cr_tntp_flow_row *r, struct cr_error *err)
{
    static const char *const names[4] = { "From", "To", "Volume", "Cost" };
    char *tok[4];
    double v[4];
    int ended, k = split_row(s, tok, 4, &ended);

    if (k != 4)
        return cr_error_set(err, CR_EFORMAT, "%s: line %u: %s fields, want From To Volume Cost",
                            t->path, t->line,
                            k > 4   ? "more than 4"
                            : k < 2 ? "too few"
                                    : "missing");
    for (int i = 0; i < 4; i++)
        if (parse_number(tok[i], &v[i]))
            return cr_error_set(err, CR_EFORMAT, "%s: line %u: %s \"%s\" is not a number", t->path,
                                t->line, names[i], tok[i]);
    if (parse_id(tok[0], UINT32_MAX - 1, &r->from) || parse_id(tok[1], UINT32_MAX - 1, &r->to))
        return cr_error_set(err, CR_EFORMAT, "%s: line %u: From/To must be node numbers >= 1",
                            t->path, t->line);
    r->volume = v[2];
    r->cost = v[3];
    r->line = t->line;
    return CR_OK;
}

enum cr_status
cr_tntp_flow_read(const char *path, struct cr_tntp_flow *out, struct cr_error *err)
{
    struct cr_tntp_flow f = { 0 };
    struct text t;
    enum cr_status st;
    size_t cap = 0;
    char *s;

    memset(out, 0, sizeof *out);
    if ((st = text_load(&t, path, err)))
        return st;
    if ((st = flow_header(&t, err)))
        goto done;
    while ((s = next_line(&t))) {
        if (is_skipped(s))
            continue;
        if (f.count == cap) {
            size_t grown = cap ? 2 * cap : 1024;
            struct cr_tntp_flow_row *rows = realloc(f.rows, grown * sizeof *rows);
            if (!rows) {
                st = cr_error_set(err, CR_ENOMEM, "%s: out of memory", path);
                goto done;
            }
            f.rows = rows;
            cap = grown;
        }
        if ((st = flow_row(&t, s, &f.rows[f.count], err)))
            goto done;
        f.count++;
    }
    if (f.count == 0)
        st = cr_error_set(err, CR_EEMPTY, "%s: no flow rows", path);
done:
    free(t.buf);
    if (st)
        cr_tntp_flow_fini(&f);
    else
        *out = f;
    return st;
}
