/*
 * Conditional restrictions: the tag grammar, the opening_hours subset and their evaluation
 * (core/cond.h).
 */
#include "core/cond.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cur {
    const char *s;
    size_t i, end;
    char *why;
    size_t why_size;
};

static int fail(struct cur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct cur *c, const char *fmt, ...)
{
    va_list ap;
    if (c->why && c->why_size) {
        va_start(ap, fmt);
        vsnprintf(c->why, c->why_size, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void
skip_ws(struct cur *c)
{
    while (c->i < c->end && isspace((unsigned char)c->s[c->i]))
        c->i++;
}

static int
at_end(struct cur *c)
{
    skip_ws(c);
    return c->i >= c->end;
}

static char
peek(struct cur *c)
{
    skip_ws(c);
    return c->i < c->end ? c->s[c->i] : '\0';
}

/* The letters at the cursor (without moving), as a length. */
static size_t
word_len(const struct cur *c)
{
    size_t n = 0;
    while (c->i + n < c->end && isalpha((unsigned char)c->s[c->i + n]))
        n++;
    return n;
}

static int
name_index(const struct cur *c, const char *const *names, int count)
{
    size_t n = word_len(c);
    for (int k = 0; k < count; k++)
        if (n == strlen(names[k]) && strncmp(c->s + c->i, names[k], n) == 0)
            return k;
    return -1;
}

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const wdays[] = { "Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "PH" };

static int
month_at(struct cur *c)
{
    skip_ws(c);
    return name_index(c, months, 12);
}

static int
wday_at(struct cur *c)
{
    skip_ws(c);
    return name_index(c, wdays, 8);
}

/* Digits at the cursor: their count (0 none); *followed_by the character after them. */
static size_t
digits_at(struct cur *c, char *followed_by)
{
    size_t n = 0;
    skip_ws(c);
    while (c->i + n < c->end && isdigit((unsigned char)c->s[c->i + n]))
        n++;
    *followed_by = c->i + n < c->end ? c->s[c->i + n] : '\0';
    return n;
}

static int
read_int(struct cur *c, int max_digits)
{
    char f;
    size_t n = digits_at(c, &f);
    int v = 0;
    if (n == 0 || n > (size_t)max_digits)
        return -1;
    for (size_t k = 0; k < n; k++)
        v = v * 10 + (c->s[c->i + k] - '0');
    c->i += n;
    return v;
}

/* A day of month after a month name: digits not followed by ':' (that is a time). */
static int
day_at(struct cur *c)
{
    char f;
    size_t n = digits_at(c, &f);
    if (n == 0 || n > 2 || f == ':')
        return 0;
    int d = read_int(c, 2);
    return d >= 1 && d <= 31 ? d : -1;
}

static int
parse_date_range(struct cur *c, struct cr_oh_rule *r)
{
    int m1 = month_at(c), d1, m2, d2;
    if (r->ndates >= CR_COND_MAX_DATES)
        return fail(c, "at %zu: too many dates", c->i);
    c->i += 3;
    if ((d1 = day_at(c)) < 0)
        return fail(c, "at %zu: bad day", c->i);
    m2 = m1;
    d2 = d1 ? d1 : 31;
    if (peek(c) == '-') {
        size_t back = c->i++;
        if ((m2 = month_at(c)) >= 0) {
            c->i += 3;
            if ((d2 = day_at(c)) < 0)
                return fail(c, "at %zu: bad day", c->i);
            if (d2 == 0)
                d2 = 31;
        } else if (d1 && (d2 = day_at(c)) > 0) {
            m2 = m1;
        } else {
            c->i = back; /* "Apr-" then something else */
            return fail(c, "at %zu: bad date range", c->i);
        }
    }
    r->dates[r->ndates].m1 = (uint8_t)(m1 + 1);
    r->dates[r->ndates].d1 = (uint8_t)(d1 ? d1 : 1);
    r->dates[r->ndates].m2 = (uint8_t)(m2 + 1);
    r->dates[r->ndates].d2 = (uint8_t)d2;
    r->ndates++;
    return 0;
}

static int
parse_wday_range(struct cur *c, struct cr_oh_rule *r)
{
    int a = wday_at(c), b;
    c->i += 2;
    if (a == 7) {
        r->ph = 1;
        return 0;
    }
    if (peek(c) != '-') {
        r->wdays |= (uint8_t)(1u << a);
        return 0;
    }
    c->i++;
    if ((b = wday_at(c)) < 0 || b == 7)
        return fail(c, "at %zu: bad weekday range", c->i);
    c->i += 2;
    for (int k = a;; k = (k + 1) % 7) {
        r->wdays |= (uint8_t)(1u << k);
        if (k == b)
            break;
    }
    return 0;
}

static int
read_time(struct cur *c)
{
    int h = read_int(c, 2), m;
    if (h < 0 || c->i >= c->end || c->s[c->i] != ':')
        return -1;
    c->i++;
    m = read_int(c, 2);
    if (m < 0 || m > 59 || h > 24 || (h == 24 && m))
        return -1;
    return h * 60 + m;
}

static int
parse_time_range(struct cur *c, struct cr_oh_rule *r)
{
    int from, to;
    if (r->ntimes >= CR_COND_MAX_TIMES)
        return fail(c, "at %zu: too many times", c->i);
    if ((from = read_time(c)) < 0 || from >= 1440)
        return fail(c, "at %zu: bad time", c->i);
    if (peek(c) != '-')
        return fail(c, "at %zu: a time needs a range (HH:MM-HH:MM)", c->i);
    c->i++;
    if ((to = read_time(c)) < 0)
        return fail(c, "at %zu: bad time", c->i);
    if (to <= from)
        to += 1440; /* past midnight */
    r->times[r->ntimes].from = (uint16_t)from;
    r->times[r->ntimes].to = (uint16_t)to;
    r->ntimes++;
    return 0;
}

static int
time_at(struct cur *c)
{
    char f;
    size_t n = digits_at(c, &f);
    return n >= 1 && n <= 2 && f == ':';
}

/* A list of one kind: ITEM while AT holds, "," continuing only into the same kind. */
static int
parse_list(struct cur *c, struct cr_oh_rule *r, int (*at)(struct cur *),
           int (*item)(struct cur *, struct cr_oh_rule *))
{
    int any = 0;
    while (at(c) >= 0 && (at != time_at || at(c) > 0)) {
        if (item(c, r))
            return -1;
        any = 1;
        if (peek(c) != ',')
            break;
        size_t back = c->i++;
        if (!(at(c) >= 0 && (at != time_at || at(c) > 0))) {
            c->i = back; /* the comma starts a new rule */
            break;
        }
    }
    return any;
}

static int
parse_rule(struct cur *c, struct cr_oh_rule *r)
{
    int d, w, t;
    memset(r, 0, sizeof *r);
    if ((d = parse_list(c, r, month_at, parse_date_range)) < 0 ||
        (w = parse_list(c, r, wday_at, parse_wday_range)) < 0 ||
        (t = parse_list(c, r, time_at, parse_time_range)) < 0)
        return -1;
    if (!d && !w && !t)
        return fail(c, "at %zu: '%.*s' not understood", c->i, (int)(word_len(c) ? word_len(c) : 1),
                    c->s + c->i);
    return 0;
}

static int
parse_oh(struct cur *c, struct cr_cond_expr *e)
{
    for (;;) {
        if (e->nrules >= CR_COND_MAX_RULES)
            return fail(c, "at %zu: too many rules", c->i);
        if (parse_rule(c, &e->rules[e->nrules]))
            return -1;
        e->nrules++;
        if (at_end(c))
            return 0;
        if (peek(c) != ';' && peek(c) != ',')
            return fail(c, "at %zu: '%c' not understood", c->i, c->s[c->i]);
        c->i++;
        if (at_end(c))
            return 0; /* a trailing ";" */
    }
}

static int
parse_cmp(struct cur *c, struct cr_cond_expr *e)
{
    static const char *const names[] = { "weight", "axleload", "height", "width", "length" };
    int q = name_index(c, names, 5), op;
    char *stop;
    double v;
    if (e->ncmp >= CR_COND_MAX_CMP)
        return fail(c, "at %zu: too many vehicle conditions", c->i);
    c->i += strlen(names[q]);
    skip_ws(c);
    if (c->i + 1 < c->end && c->s[c->i + 1] == '=' && (c->s[c->i] == '>' || c->s[c->i] == '<'))
        op = c->s[c->i] == '>' ? CR_COND_GE : CR_COND_LE, c->i += 2;
    else if (c->i < c->end && (c->s[c->i] == '>' || c->s[c->i] == '<'))
        op = c->s[c->i] == '>' ? CR_COND_GT : CR_COND_LT, c->i++;
    else
        return fail(c, "at %zu: %s needs <, >, <= or >=", c->i, names[q]);
    skip_ws(c);
    v = strtod(c->s + c->i, &stop);
    if (stop == c->s + c->i || (size_t)(stop - c->s) > c->end || !(v >= 0))
        return fail(c, "at %zu: %s needs a number", c->i, names[q]);
    c->i = (size_t)(stop - c->s);
    skip_ws(c);
    if (c->i < c->end && (c->s[c->i] == 't' || c->s[c->i] == 'm') &&
        (c->i + 1 == c->end || isspace((unsigned char)c->s[c->i + 1])))
        c->i++;
    if (!at_end(c))
        return fail(c, "at %zu: '%c' after %s not understood", c->i, c->s[c->i], names[q]);
    e->cmp[e->ncmp].quantity = (uint8_t)q;
    e->cmp[e->ncmp].op = (uint8_t)op;
    e->cmp[e->ncmp].value = v;
    e->ncmp++;
    return 0;
}

/* One part of a condition: S[I .. END), a vehicle comparison or an opening_hours time. */
static int
parse_part(struct cur *c, struct cr_cond_expr *e)
{
    static const char *const names[] = { "weight", "axleload", "height", "width", "length" };
    skip_ws(c);
    if (name_index(c, names, 5) >= 0)
        return parse_cmp(c, e);
    if (e->nrules)
        return fail(c, "at %zu: two times joined by AND", c->i);
    return parse_oh(c, e);
}

static int
parse_expr_span(const char *s, size_t from, size_t end, struct cr_cond_expr *e, char *why,
                size_t why_size)
{
    struct cur c = { s, from, end, why, why_size };
    memset(e, 0, sizeof *e);
    skip_ws(&c);
    while (c.end > c.i && isspace((unsigned char)s[c.end - 1]))
        c.end--;
    if (c.i < c.end && s[c.i] == '(') {
        if (s[c.end - 1] != ')')
            return fail(&c, "at %zu: '(' without ')'", c.i);
        c.i++;
        c.end--;
    }
    if (at_end(&c))
        return fail(&c, "at %zu: empty condition", c.i);
    for (;;) { /* parts joined by AND */
        size_t part_end = c.end, k;
        for (k = c.i; k + 3 <= c.end; k++)
            if (k > c.i && isspace((unsigned char)s[k - 1]) && strncmp(s + k, "AND", 3) == 0 &&
                (k + 3 == c.end || isspace((unsigned char)s[k + 3]))) {
                part_end = k;
                break;
            }
        struct cur part = { s, c.i, part_end, why, why_size };
        while (part.end > part.i && isspace((unsigned char)s[part.end - 1]))
            part.end--;
        if (parse_part(&part, e))
            return -1;
        if (part_end == c.end)
            return 0;
        c.i = part_end + 3;
    }
}

int
cr_cond_parse_expr(const char *text, struct cr_cond_expr *e, char *why, size_t why_size)
{
    return parse_expr_span(text, 0, strlen(text), e, why, why_size);
}

int
cr_cond_parse(const char *text, struct cr_cond_alt *alts, size_t *n, char *why, size_t why_size)
{
    size_t len = strlen(text), from = 0;
    struct cur c = { text, 0, len, why, why_size };
    *n = 0;
    while (from < len) {
        size_t to = from, at = SIZE_MAX;
        int depth = 0;
        for (; to < len && !(depth == 0 && text[to] == ';'); to++) {
            depth += text[to] == '(' ? 1 : text[to] == ')' ? -1 : 0;
            if (text[to] == '@' && depth == 0 && at == SIZE_MAX)
                at = to;
        }
        if (depth != 0)
            return fail(&c, "unbalanced parentheses");
        if (at == SIZE_MAX)
            return fail(&c, "at %zu: no '@' in \"%.*s\"", from, (int)(to - from), text + from);
        if (*n >= CR_COND_MAX_ALTS)
            return fail(&c, "more than %d values", CR_COND_MAX_ALTS);
        struct cr_cond_alt *a = &alts[*n];
        size_t vs = from, ve = at;
        while (vs < ve && isspace((unsigned char)text[vs]))
            vs++;
        while (ve > vs && isspace((unsigned char)text[ve - 1]))
            ve--;
        if (ve == vs || ve - vs >= CR_COND_VALUE_MAX)
            return fail(&c, "at %zu: missing or long value before '@'", vs);
        memcpy(a->value, text + vs, ve - vs);
        a->value[ve - vs] = '\0';
        if (parse_expr_span(text, at + 1, to, &a->expr, why, why_size))
            return -1;
        (*n)++;
        from = to + 1;
    }
    if (*n == 0)
        return fail(&c, "empty");
    return 0;
}

/* ---- evaluation --------------------------------------------------------------------------- */

int32_t
cr_cond_days(int year, int month, int day)
{ /* Howard Hinnant's days_from_civil */
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void
cr_cond_civil(int32_t days, int *year, int *month, int *day)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (*month <= 2);
}

static int
is_holiday(int32_t days, const struct cr_cond_holidays *ph)
{
    for (size_t k = 0; ph && k < ph->count; k++)
        if (ph->days[k] == days)
            return 1;
    return 0;
}

static int
day_matches(const struct cr_oh_rule *r, int32_t days, const struct cr_cond_holidays *ph)
{
    int y, m, d;
    if (r->ndates) {
        int ok = 0;
        cr_cond_civil(days, &y, &m, &d);
        for (unsigned k = 0; k < r->ndates && !ok; k++) {
            int key = m * 32 + d, k1 = r->dates[k].m1 * 32 + r->dates[k].d1,
                k2 = r->dates[k].m2 * 32 + r->dates[k].d2;
            ok = k1 <= k2 ? key >= k1 && key <= k2 : key >= k1 || key <= k2;
        }
        if (!ok)
            return 0;
    }
    if (!r->wdays && !r->ph)
        return 1;
    int wd = (int)(((days % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
    return ((r->wdays >> wd) & 1) || (r->ph && is_holiday(days, ph));
}

static int
rule_holds(const struct cr_oh_rule *r, int64_t t, const struct cr_cond_holidays *ph)
{
    int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t sec = t - day * 86400;
    if (r->ntimes == 0)
        return day_matches(r, (int32_t)day, ph);
    for (unsigned k = 0; k < r->ntimes; k++) {
        int64_t from = r->times[k].from * 60, to = r->times[k].to * 60;
        if (sec >= from && sec < (to < 86400 ? to : 86400) && day_matches(r, (int32_t)day, ph))
            return 1;
        if (to > 86400 && sec < to - 86400 && day_matches(r, (int32_t)(day - 1), ph))
            return 1;
    }
    return 0;
}

int
cr_cond_time_holds(const struct cr_cond_expr *e, int64_t t, const struct cr_cond_holidays *ph)
{
    if (e->nrules == 0)
        return 1;
    for (unsigned k = 0; k < e->nrules; k++)
        if (rule_holds(&e->rules[k], t, ph))
            return 1;
    return 0;
}

int
cr_cond_vehicle_holds(const struct cr_cond_expr *e, const struct cr_cond_vehicle *v)
{
    for (unsigned k = 0; k < e->ncmp; k++) {
        double have = 0, want = e->cmp[k].value;
        switch (e->cmp[k].quantity) {
        case CR_COND_WEIGHT:
            have = v ? v->weight_t : 0;
            break;
        case CR_COND_AXLELOAD:
            have = v ? v->axleload_t : 0;
            break;
        case CR_COND_HEIGHT:
            have = v ? v->height_m : 0;
            break;
        case CR_COND_WIDTH:
            have = v ? v->width_m : 0;
            break;
        default:
            have = v ? v->length_m : 0;
            break;
        }
        if (!(have > 0))
            return 0;
        int ok = e->cmp[k].op == CR_COND_GT   ? have > want
                 : e->cmp[k].op == CR_COND_GE ? have >= want
                 : e->cmp[k].op == CR_COND_LT ? have < want
                                              : have <= want;
        if (!ok)
            return 0;
    }
    return 1;
}

/* ---- dates and times from the user ------------------------------------------------------- */

static int
parse_date(const char *s, int *y, int *m, int *d, const char **rest)
{
    char *e;
    long v = strtol(s, &e, 10);
    if (e - s != 4 || *e != '-')
        return -1;
    *y = (int)v;
    s = e + 1;
    v = strtol(s, &e, 10);
    if (e - s != 2 || *e != '-' || v < 1 || v > 12)
        return -1;
    *m = (int)v;
    s = e + 1;
    v = strtol(s, &e, 10);
    if (e - s != 2 || v < 1 || v > 31)
        return -1;
    *d = (int)v;
    {
        int yy, mm, dd; /* 2026-02-30 is not a day */
        cr_cond_civil(cr_cond_days(*y, *m, *d), &yy, &mm, &dd);
        if (mm != *m)
            return -1;
    }
    *rest = e;
    return 0;
}

int
cr_cond_parse_time(const char *text, int64_t *t)
{
    int y, m, d, h = 0, mi = 0, sec = 0;
    const char *s;
    if (!text || parse_date(text, &y, &m, &d, &s))
        return -1;
    if (*s == 'T' || *s == ' ') {
        int n = 0;
        if (sscanf(s + 1, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
            return -1;
        s += 1 + n;
        if (*s == ':') {
            if (sscanf(s + 1, "%2d%n", &sec, &n) != 1 || n != 2)
                return -1;
            s += 1 + n;
        }
        if (h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
            return -1;
    }
    if (*s)
        return -1;
    *t = (int64_t)cr_cond_days(y, m, d) * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

int
cr_cond_parse_dates(const char *text, int32_t *days, size_t *n)
{
    size_t cap = *n;
    const char *s = text;
    *n = 0;
    while (s && *s) {
        int y, m, d;
        while (*s == ',' || *s == ';' || *s == ' ')
            s++;
        if (!*s)
            break;
        if (*n >= cap || parse_date(s, &y, &m, &d, &s))
            return -1;
        if (*s && *s != ',' && *s != ';' && *s != ' ')
            return -1;
        days[(*n)++] = cr_cond_days(y, m, d);
    }
    return 0;
}

void
cr_cond_format_time(int64_t t, char *buf, size_t size)
{
    int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), sec = t - day * 86400;
    int y, m, d;
    cr_cond_civil((int32_t)day, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, (int)(sec / 3600),
             (int)(sec / 60 % 60), (int)(sec % 60));
}
